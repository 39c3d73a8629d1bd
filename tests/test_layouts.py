"""Tables in the layouts a PDF→markdown converter prints, and how sure the reading is.

The converter prints one sub-table per table row, each under placeholder column headers
(``| 数据1 | … | 数据6 |``), the applicant header rows as tables of their own, the header again
in the middle of 表三, sometimes a row of column numbers (1…7). The digits of "数据1…数据6" and of
the column numbers are names, not values: read as values they shift every row and turn into a
dozen arithmetic "errors" about the report. Fixtures are rendered from synthetic specs
(tests/synth.py), never from corpus text.
"""
from __future__ import annotations

import itertools

import pytest
from synth import random_spec, render_markdown_subtables

from nianbao import audit

SPECS = [(3, {}), (11, {}), (4, {"format": "2021", "year": 2022}), (8, {"format": "2019", "year": 2020})]


def _wrong_cells(spec, report) -> list:
    out = []
    for name in ("table2", "table3", "table4"):
        got = report.table(name)
        for row, cols in getattr(spec, name).items():
            for col, v in cols.items():
                if got.value(row, col) != v:
                    out.append((name, row, col, v, got.value(row, col)))
    return out


@pytest.mark.parametrize("seed, kw", SPECS)
@pytest.mark.parametrize("placeholders, header_tables, mid_header, column_numbers",
                         list(itertools.product([6, 7, None], [True, False], [True, False],
                                                [False, True])))
def test_subtable_layouts_read_every_cell(tmp_path, seed, kw, placeholders, header_tables,
                                          mid_header, column_numbers):
    spec = random_spec(seed, **kw)
    p = tmp_path / "report.md"
    p.write_text(render_markdown_subtables(spec, placeholders=placeholders,
                                           header_tables=header_tables, mid_header=mid_header,
                                           column_numbers=column_numbers), encoding="utf-8")
    res = audit(p)
    assert _wrong_cells(spec, res.report) == []
    assert [f.rule for f in res.findings if f.severity == "error"] == []
    for name in ("table2", "table3", "table4"):
        assert res.report.table(name).confidence != "doubtful", res.report.table(name).doubts


# ---------------------------------------------------------------- confidence
def _t3_value_lines(text: str) -> list[int]:
    """Indices of 表三's data lines in a render_text report: tab rows ending in 7 numbers."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("四、政府信息公开行政复议"))
    out = []
    for i in range(start, end):
        cells = lines[i].split("\t")
        if len(cells) >= 8 and all(c.strip().isdigit() for c in cells[-7:]):
            out.append(i)
    return out


def _rewrite(text: str, rows: list[int], fn) -> str:
    lines = text.split("\n")
    for i in rows:
        cells = lines[i].split("\t")
        lines[i] = "\t".join(cells[:-7] + fn(cells[-7:]))
    return "\n".join(lines)


def _write(tmp_path, text):
    p = tmp_path / "report.txt"
    p.write_text(text, encoding="utf-8")
    return audit(p)


SPEC = dict(seed=4, format="2021", year=2022)


def _spec():
    kw = dict(SPEC)
    return random_spec(kw.pop("seed"), **kw)


def test_clean_tables_are_exact(tmp_path):
    from synth import render_text

    res = _write(tmp_path, render_text(_spec()))
    assert {n: res.report.table(n).confidence for n in ("table2", "table3", "table4")} == \
        {"table2": "exact", "table3": "exact", "table4": "exact"}
    assert res.to_json()["report"]["readings"]["table3"] == {"confidence": "exact", "doubts": [],
                                                             "layouts": []}


def test_subtables_are_a_recognised_layout(tmp_path):
    spec = _spec()
    p = tmp_path / "r.md"
    p.write_text(render_markdown_subtables(spec, column_numbers=True), encoding="utf-8")
    t3 = audit(p).report.table3
    assert t3.confidence == "layout"
    assert any("占位列名" in x for x in t3.layouts) and any("列序号" in x for x in t3.layouts)
    assert any("每行一个子表" in x for x in t3.layouts)
    assert any("表头在表中重复" in x for x in t3.layouts)


def test_column_numbers_read_as_values_are_one_warning_not_errors(tmp_path):
    """Every 表三 row printed as its column numbers 1…7 (what the misread table looked like):
    one STRUCT-READ warning naming what was seen, no error about the report."""
    from synth import render_text

    text = render_text(_spec())
    rows = _t3_value_lines(text)
    assert len(rows) >= 20
    res = _write(tmp_path, _rewrite(text, rows, lambda v: [str(i) for i in range(1, 8)]))
    t3 = res.report.table3
    assert t3.confidence == "doubtful"
    assert any("1、2、3" in d for d in t3.doubts) and any("勾稽关系" in d for d in t3.doubts)
    (read,) = [f for f in res.findings if f.rule == "STRUCT-READ"]
    assert read.severity == "warning" and read.location["table"] == "table3"
    assert "表三未能可靠读取" in read.message and read.location["line"] == t3.line
    assert [f for f in res.findings if f.severity == "error"] == []
    assert not [f for f in res.findings if f.rule in ("T3-R1", "T3-R2", "T3-R3")]
    # the prose claims compared with the misread cells are shown, lowered, not dropped
    lowered = [f for f in res.findings if f.details.get("lowered_from") == "error"]
    assert all(f.severity == "info" and "读取存疑" in f.message for f in lowered)


def test_rows_with_values_to_spare_are_doubtful(tmp_path):
    """A stray number in front of many rows (a layout the parser did not understand)."""
    from synth import render_text

    text = render_text(_spec())
    rows = _t3_value_lines(text)[:6]
    res = _write(tmp_path, _rewrite(text, rows, lambda v: ["9"] + v))
    assert res.report.table3.confidence == "doubtful"
    assert any("多于列数" in d for d in res.report.table3.doubts)
    assert [f.rule for f in res.findings if f.severity == "error"] == []


@pytest.mark.parametrize("bad_rows", [1, 2])
def test_a_real_defect_stays_an_error(tmp_path, bad_rows):
    """One or two wrong totals are the report's defect: the table is read with confidence and
    the identity it breaks is an error."""
    from synth import render_text

    text = render_text(_spec())
    rows = _t3_value_lines(text)[:bad_rows]
    res = _write(tmp_path, _rewrite(text, rows, lambda v: v[:-1] + [str(int(v[-1]) + 5)]))
    assert res.report.table3.confidence == "exact"
    assert "T3-R2" in {f.rule for f in res.findings if f.severity == "error"}
    assert not [f for f in res.findings if f.rule == "STRUCT-READ"]
