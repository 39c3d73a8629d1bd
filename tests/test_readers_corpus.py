"""The readers on real published reports (``../shared/corpus``, skipped where absent) and on
synthetic reports rendered in every form by ``tests/synth.py`` (round trip: the numbers put in
the tables come back out as table rows)."""
from __future__ import annotations

import re

import pytest

from nianbao.readers import read
from test_readers import assert_blocks_match_text

ROW_NEW = re.compile(r"本年新收[^\t\n]*((?:\t\d+){7})")


def _corpus_files(corpus_dir, full_manifest):
    return [corpus_dir / m["file"] for m in full_manifest]


def test_every_corpus_file_reads(corpus_dir, full_manifest):
    for path in _corpus_files(corpus_dir, full_manifest):
        doc = read(path)
        assert doc.text.strip(), path.name
        assert len(doc.sha256) == 64
        assert_blocks_match_text(doc)


def test_seed_reads_with_its_tables(seed_path):
    doc = read(seed_path)
    raw = seed_path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    assert doc.lines == raw
    assert any(b.kind == "table" for b in doc.blocks)


def test_crawler_files_have_header_meta(corpus_dir, full_manifest):
    crawled = [p for p in _corpus_files(corpus_dir, full_manifest)
               if p.name.startswith("fujian-") and p.suffix == ".txt"]
    assert crawled
    for path in crawled:
        doc = read(path)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.meta["published"]), path.name
        assert doc.meta["source_url"].startswith("http"), path.name
        # the header lines stay, so line numbers are the file's
        assert len(doc.lines) == len(path.read_text(encoding="utf-8").split("\n"))


@pytest.mark.parametrize("name", ["jiangsu-huaian-city-gov-2024.pdf",
                                  "jiangsu-huaian-hongze-district-gov-2023.pdf",
                                  "jiangsu-huaian-hongze-district-gov-2024.pdf"])
def test_pdf_table3_rows_come_out_as_rows(corpus_dir, name):
    doc = read(corpus_dir / name)
    m = ROW_NEW.search(doc.text)
    assert m, "no 本年新收 row with seven numbers"
    values = [int(v) for v in m.group(1).split("\t")[1:]]
    assert sum(values[:6]) == values[6]  # the applicant columns add up to 总计 in all three
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", doc.text, re.M)  # folios gone
    rows = [ln for ln in doc.lines if "\t" in ln]
    assert any(ln.startswith("（七）总计") for ln in rows)


def test_hongze_2023_table4_keeps_its_fifteen_columns(corpus_dir):
    """The manifest's hand-checked defect: 行政复议 10+1 but 总计 0, 复议后起诉 维持 5 but 总计 0 —
    only visible if each number stays in its own column."""
    doc = read(corpus_dir / "jiangsu-huaian-hongze-district-gov-2023.pdf")
    t4 = [ln.split("\t") for ln in doc.lines if re.fullmatch(r"(\d+\t){14}\d+", ln)]
    assert t4 == [["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]]


@pytest.mark.parametrize("name, first_values", [
    ("fujian-pingtan-zone-2022.html", ["71", "3", "0", "0", "0", "0", "74"]),
    ("fujian-pingtan-finance-bureau-2024.html", ["2", "0", "0", "0", "0", "0", "2"]),
])
def test_html_pages(corpus_dir, name, first_values):
    doc = read(corpus_dir / name)
    assert doc.lines[0].endswith("年度政府信息公开工作年度报告")
    m = ROW_NEW.search(doc.text)
    assert m and m.group(1).split("\t")[1:] == first_values
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.meta["published"])
    for chrome in ("微信", "扫一扫", "附件下载"):
        assert chrome not in doc.text
    spans = [c for b in doc.blocks if b.kind == "table" for r in b.rows for c in r
             if c.rowspan > 1 or c.colspan > 1]
    assert len(spans) >= 20


def test_shanghai_js_blank_cells_stay_blank(corpus_dir):
    doc = read(corpus_dir / "shanghai-municipal-gov-office-2019.js")
    row = next(ln for ln in doc.lines if ln.startswith("一、本年新收"))
    assert row.split("\t")[1:] == ["821", "35", "", "", "2", "1", "859"]


# ---------------------------------------------------------------- round trip through synth
@pytest.fixture(scope="module")
def spec():
    synth = pytest.importorskip("synth")
    return synth.make_report(new=[7, 2, 0, 1, 0, 0], results={"granted": [5, 2, 0, 1, 0, 0]})


@pytest.mark.parametrize("form, suffix", [("txt", ".txt"), ("md", ".md"), ("html", ".html"),
                                          ("docx", ".docx"), ("pdf", ".pdf")])
def test_synthetic_report_round_trip(tmp_path, spec, form, suffix):
    import synth

    path = tmp_path / f"report{suffix}"
    synth.write_report(spec, path, form)
    doc = read(path)
    row = next(ln for ln in doc.lines if "本年新收" in ln and "\t" in ln)
    assert row.split("\t")[-7:] == ["7", "2", "0", "1", "0", "0", "10"]
    assert_blocks_match_text(doc)


def _lost_chars(path, doc) -> str:
    """Characters of pdfplumber's plain page text that the reader's text does not have."""
    from collections import Counter

    import pdfplumber

    with pdfplumber.open(path) as pdf:
        raw = "".join(p.extract_text() or "" for p in pdf.pages)
    lost = Counter(re.sub(r"\s", "", raw)) - Counter(re.sub(r"\s", "", doc.text))
    return "".join(sorted(lost.elements()))


def test_pdf_reader_loses_only_page_furniture(corpus_dir):
    for path in sorted(corpus_dir.glob("*.pdf")):
        lost = _lost_chars(path, read(path))
        assert set(lost) <= set("-0123456789"), (path.name, lost)  # the "- N -" folios


def test_pdf_fixture_loses_exactly_its_running_heads_and_folios():
    from conftest import FIXTURES

    path = FIXTURES / "readers" / "report.pdf"
    furniture = "澜石县数据资源局政务公开专栏" * 2 + "-1-" + "-2-"
    assert _lost_chars(path, read(path)) == "".join(sorted(furniture))


def _numeric_rows(doc) -> list[tuple[str, ...]]:
    """The numbers of every table row, in order (what the parser will read as cells)."""
    rows = [tuple(c for c in ln.split("\t") if re.fullmatch(r"-?[\d.,]+", c))
            for ln in doc.lines if "\t" in ln]
    return [r for r in rows if r]


@pytest.mark.parametrize("defect", ["t3-blank", "t4-14cells", "dmg-split-blank"])
def test_html_docx_pdf_agree_on_every_table_number(tmp_path, defect):
    """One synthetic report with a planted table defect, rendered as a portal page, a Word file
    and a PDF: the three readers must hand the parser the same numbers, row for row."""
    synth = pytest.importorskip("synth")
    if defect not in synth.DEFECTS:
        pytest.skip(f"synth has no defect {defect}")
    spec = synth.make_report(defects=[defect])
    got = {}
    for form in ("html", "docx", "pdf"):
        path = tmp_path / f"report.{form}"
        synth.write_report(spec, path, form)
        got[form] = _numeric_rows(read(path))
    assert got["html"] and got["html"] == got["docx"] == got["pdf"]


def test_pdf_info_title_in_utf16_is_decoded(corpus_dir, full_manifest):
    row = next(m for m in full_manifest if m["file"] == "jiangsu-huaian-hongze-district-gov-2023.pdf")
    meta = read(corpus_dir / row["file"]).meta
    assert meta["pdf_title"].startswith(row["agency_name"] + row["report_year"] + "年")
    assert meta["pdf_title"].endswith("年度报告")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["pdf_created"]) and "published" not in meta


def test_pdf_row_under_a_cell_opened_on_the_previous_page(corpus_dir):
    """hongze 2023 continues 表二 on a new page with a row whose label cell has no top rule:
    the label must still be the row's first cell, not a separate text line."""
    doc = read(corpus_dir / "jiangsu-huaian-hongze-district-gov-2023.pdf")
    heads = [ln for ln in doc.lines if ln.startswith("信息内容")]
    assert len(heads) == 4 and all("\t" in ln for ln in heads)
