"""The 与上年比较 section of the audit pages, filled by the cross-report step (workbook.compare):
one agency in two consecutive years plus a lone agency, audited in-process and exported through
the real page exporter (the batch's papermill run is in test_crossreport_batch.py)."""
from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path

import pytest

import synthbatch as sb
from nianbao import audit
from nianbao.crossreport import Entry, run
from nianbao.site.export import export_html, external_resources
from nianbao.version import __version__

cmp = importlib.import_module("nianbao.workbook.compare")  # the package exports a function so named

#: Planted in last year's report, so that the re-issue repeats it (report text is untrusted).
HOSTILE = "本局网站转载了题为“<script>alert(1)</script><img src=x onerror=alert(1)>”的文章。"


def plant(text: str, sentence: str) -> str:
    """``text`` with ``sentence`` after its first prose paragraph."""
    lines = text.split("\n")
    i = next(k for k, p in enumerate(lines) if p.endswith("。") and len(p) > 80 and k > 3)
    lines[i] += sentence
    return "\n".join(lines)


def texts() -> tuple[dict[str, str], dict[str, str]]:
    """{file: text} of agency a (2022, and 2023 re-issued with the year changed), agency b
    (2022, 2023 written afresh) and a lone agency (2023 only); and the roles' file stems."""
    a, b, lone = sb.members(3, years=(2022, 2023))
    lone = dataclasses.replace(lone, years=(2023,))
    out = sb.batch_texts([a, b, lone])
    out[f"{a.seed}-2022.txt"] = plant(out[f"{a.seed}-2022.txt"], HOSTILE)
    out[f"{a.seed}-2023.txt"] = sb.reissue(out[f"{a.seed}-2022.txt"], 2022, 2023)
    roles = {"a22": f"{a.seed}-2022", "a23": f"{a.seed}-2023", "b22": f"{b.seed}-2022",
             "b23": f"{b.seed}-2023", "lone": f"{lone.seed}-2023"}
    return out, roles


def _page(result, dest: Path) -> Path:
    """The audit page of ``result`` as the batch exports it, with the compare cell's output."""
    import nbformat

    v4 = nbformat.v4
    view = cmp.compare(result, "")
    out = v4.new_output("display_data", data={"text/html": view._repr_html_(),
                                              "text/plain": repr(view)})
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("## 与上年比较"),
                                v4.new_code_cell("nb.compare(result, previous_path)",
                                                 outputs=[out])])
    return export_html(nb, dest, title="测试", back_link="../index.html")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cmpbatch")
    files, roles = texts()
    entries = []
    for name, text in files.items():
        src = folder / "in" / name
        src.parent.mkdir(exist_ok=True)
        src.write_text(text, encoding="utf-8")
        result = audit(src)
        rid = src.stem
        _page(result, folder / rid / "audit.html")
        entries.append(Entry.from_result(rid, json.loads(result.to_json_text()),
                                         href=f"{rid}/audit.html", file=name))
    res = run(entries)
    return {"folder": folder, "roles": roles, "res": res,
            "written": cmp.write_compare_sections(folder, res)}


def _section(page: str) -> str:
    i, j = page.index(cmp.BEGIN), page.index(cmp.END)
    return page[i:j]


def _read(batch, role: str) -> str:
    return (batch["folder"] / batch["roles"][role] / "audit.html").read_text(encoding="utf-8")


def test_the_placeholder_survives_the_export(tmp_path):
    files, _ = texts()
    src = tmp_path / "r.txt"
    src.write_text(next(iter(files.values())), encoding="utf-8")
    page = _page(audit(src), tmp_path / "audit.html").read_text(encoding="utf-8")
    assert page.count(cmp.BEGIN) == page.count(cmp.END) == 1
    assert 'data-nianbao-compare="pending"' in _section(page) and 'id="nb-compare"' in page


def test_later_year_gets_the_comparison(batch):
    r = batch["roles"]
    assert batch["written"] == {r["a23"]: "batch", r["b23"]: "batch", r["a22"]: "none",
                                r["b22"]: "none", r["lone"]: "none"}
    # a: the re-issue repeats last year's text (the planted sentence among it, escaped) and
    # leaves 上年结转 behind last year's 结转下年度
    sec = _section(_read(batch, "a23"))
    assert 'data-nianbao-compare="batch"' in sec
    assert "重复的文字（左：本年；右：上年）" in sec and "全文 <b>100%</b>" in sec
    assert sec.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # this year and last
    assert "<script" not in sec and "<img" not in sec
    assert 'class="nb-carry-mismatch"' in sec
    # provenance: which reports, which version, who added it; a link to last year's page
    assert "跨报告步骤" in sec and f"nianbao {__version__}" in sec
    assert f'href="../{r["a22"]}/audit.html"' in sec and f"{r['a22']}.txt" in sec
    # b: written afresh: the tables changed, they carry over, little text repeats
    sec = _section(_read(batch, "b23"))
    assert "<th>变化</th>" in sec and 'class="nb-carry-ok"' in sec


@pytest.mark.parametrize("role", ["a22", "b22", "lone"])
def test_earlier_years_and_the_lone_agency_say_there_is_none(batch, role):
    sec = _section(_read(batch, role))
    assert 'data-nianbao-compare="none"' in sec and cmp.NONE_IN_BATCH in sec
    assert "统计表的变化" not in sec


def test_pages_stay_self_contained(batch):
    for role in batch["roles"]:
        page = _read(batch, role)
        assert external_resources(page) == [], role
        assert page.count('id="nb-compare"') == 1


def test_running_again_replaces_the_section(batch):
    folder, r = batch["folder"], batch["roles"]
    before = {role: _read(batch, role) for role in r}
    assert cmp.write_compare_sections(folder, batch["res"]) == {}  # nothing changed
    assert {role: _read(batch, role) for role in r} == before
    # a stale section (an earlier run's) is replaced, never kept beside the new one
    page = folder / r["a23"] / "audit.html"
    i, j = before["a23"].index(cmp.BEGIN), before["a23"].index(cmp.END) + len(cmp.END)
    page.write_text(before["a23"][:i] + cmp.section("<p>陈旧</p>", "batch")
                    + before["a23"][j:], encoding="utf-8")
    assert cmp.write_compare_sections(folder, batch["res"]) == {r["a23"]: "batch"}
    assert _read(batch, "a23") == before["a23"]


def test_a_page_without_the_section_is_left_alone(tmp_path):
    page = tmp_path / "audit.html"
    page.write_text("<!DOCTYPE html><html><body><p>失败</p></body></html>", encoding="utf-8")
    assert cmp.replace_section(page, cmp.section("<p>x</p>", "none")) is False
    assert "失败" in page.read_text(encoding="utf-8")


def test_notebook_with_previous_path_shows_the_comparison(batch):
    r, folder = batch["roles"], batch["folder"]
    view = cmp.compare(audit(folder / "in" / f"{r['b23']}.txt"),
                       str(folder / "in" / f"{r['b22']}.txt"))
    assert 'data-nianbao-compare="notebook"' in view.html and "<th>变化</th>" in view.html
    assert "只有两份报告" in view.html  # no batch to learn the common text from
