"""The notebook views on an audit of a synthetic report: escaping, evidence highlighting, table
marks (failing, null, recovered), charts with the CJK font, the result JSON, the batch overview."""
from __future__ import annotations

import json
import warnings

import matplotlib
import pytest
from lxml import html as lhtml
from matplotlib.figure import Figure
from reportbuilder import AGENCY, clean_report, set_cell

from nianbao import InputError, schema
from nianbao import workbook as views
from nianbao.workbook import charts, fonts, overview
from nianbao.engine import audit
from nianbao.site.export import external_resources
from nianbao.findings import Finding

HOSTILE_AGENCY = "<script>alert(1)</script>青禾县局"
HOSTILE_TEXT = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">点我</a>'


def _result():
    rep = clean_report(2021, agency=HOSTILE_AGENCY, intro_extra=HOSTILE_TEXT)
    set_cell(rep, "table3", "granted", "natural_person", 6)  # breaks R1/R2/R3
    set_cell(rep, "table3", "granted", "commercial", None, how="blank", reason="印有“/”")
    set_cell(rep, "table3", "rejected_repeat", "natural_person", 12, how="recovered", raw="1 2",
             reason="拆分连写数字")
    res = audit(rep)
    # a prose finding whose span covers the hostile text, to check highlighting and escaping
    start = rep.text.index(HOSTILE_TEXT)
    res.findings.append(Finding(rule="TEXT-TEST", severity="warning", message="测试用的文字发现",
                                location={"line": rep.document.line_of(start),
                                 "span": (start, start + len(HOSTILE_TEXT))},
                                quote=HOSTILE_TEXT))
    return res


@pytest.fixture(scope="module")
def result():
    return _result()


def _all_views(res):
    return [views.header(res), views.summary(res), views.findings_table(res),
            views.evidence(res), views.table(res, "table2"), views.table(res, "table3"),
            views.table(res, "table4"), views.outcomes_chart(res), views.applicants_chart(res),
            views.sections(res), views.checked(res)]


def test_report_text_is_escaped_everywhere(result):
    page = "".join(v._repr_html_() for v in _all_views(result))
    assert external_resources(page) == []  # no <script>, no on* attribute, no javascript: href
    doc = lhtml.fromstring(f"<div>{page}</div>")
    assert not doc.xpath("//script") and not doc.xpath("//img[@src='x']")
    assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
    text = doc.text_content()
    assert HOSTILE_AGENCY in text  # shown literally
    assert HOSTILE_TEXT in text


def test_evidence_marks_the_span_with_its_context(result):
    ev = views.evidence(result)._repr_html_()
    doc = lhtml.fromstring(ev)
    marks = [m.text_content() for m in doc.xpath("//mark")]
    assert HOSTILE_TEXT in marks
    i = next(i for i, f in enumerate(result.findings, 1) if f.rule == "TEXT-TEST")
    sec = doc.xpath(f"//section[@id='nb-finding-{i}']")[0]
    line = result.findings[i - 1].location["line"]
    numbers = [int(n) for n in sec.xpath(".//span[@class='nb-ln']/text()")]
    assert numbers == [line - 1, line, line + 1]  # the line before and after


def test_findings_table_links_each_finding(result):
    doc = lhtml.fromstring(views.findings_table(result)._repr_html_())
    rows = doc.xpath("//tbody/tr")
    assert len(rows) == len(result.findings)
    assert rows[0].xpath(".//a/@href") == ["#nb-finding-1"]


def test_summary_counts_match_findings(result):
    doc = lhtml.fromstring(views.summary(result)._repr_html_())
    counts = [int(b) for b in doc.xpath("//b[@class='nb-count']/text()")]
    expected = [sum(f.severity == s for f in result.findings) for s in ("error", "warning", "info")]
    assert counts == expected and sum(counts) > 0


def _cell(doc, row, col):
    return doc.xpath(f"//td[@id='nb-cell-table3-{row}-{col}']")[0]


def test_table3_marks_failing_null_and_recovered_cells(result):
    doc = lhtml.fromstring(views.table(result, "table3")._repr_html_())
    failing = [f for f in result.findings
               if f.location.get("table") == "table3" and f.severity == "error"]
    assert failing
    for f in failing:
        td = _cell(doc, f.location["row"], f.location["column"])
        assert "nb-fail-error" in td.get("class")
        assert f.message in td.get("title")
    blank = _cell(doc, "granted", "commercial")
    assert blank.text_content() == "—" and "nb-null" in blank.get("class")
    assert "空白" in blank.get("title") and "印有“/”" in blank.get("title")
    rec = _cell(doc, "rejected_repeat", "natural_person")
    assert "nb-recovered" in rec.get("class") and "1 2" in rec.get("title")
    assert rec.text_content() == "12"
    ok = _cell(doc, "carried_forward", "research")
    assert ok.get("class") == "nb-v" and ok.text_content() == "0"  # a real zero stays 0
    labels = [th.text_content() for th in doc.xpath("//th[contains(@class,'nb-rl')]")]
    assert labels == [schema.short_label(r.label) for r in schema.t3_rows("2021")]


def test_table2_and_table4_use_official_labels(result):
    t2 = lhtml.fromstring(views.table(result, "table2")._repr_html_()).text_content()
    for r in schema.t2_rows("2021"):
        assert r.label in t2
    t4 = lhtml.fromstring(views.table(result, "table4")._repr_html_()).text_content()
    assert all(c.label in t4 for c in schema.T4_COLUMNS)


def test_sections_replace_tables_and_keep_prose(result):
    doc = lhtml.fromstring(views.sections(result)._repr_html_())
    assert len(doc.xpath("//details")) == len(result.report.sections) == 6
    text = doc.text_content()
    assert "见上方统计表" in text
    assert "本年新收政府信息公开申请数量" not in text  # the flattened 表三 rows are not repeated
    bodies = doc.xpath("//div[@class='nb-text']")
    for sec, body in zip(result.report.sections, bodies):
        assert sec.heading not in body.text_content()  # the heading is the summary, once
    assert "本局围绕主动公开" in bodies[0].text_content()


def test_outcome_groups_cover_every_leaf_once():
    for fmt in ("2021", "2019"):
        leaves = [k for _, rows in charts.outcome_groups(fmt) for k in rows]
        assert sorted(leaves) == sorted(schema.T3_LEAVES[fmt])
        assert len(charts.outcome_groups(fmt)) == 6


def test_charts_render_with_the_cjk_font(result):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warning fails the test
        chart = views.outcomes_chart(result)
        views.applicants_chart(result)
    assert chart.png.startswith(b"\x89PNG")
    assert 'src="data:image/png;base64,' in chart._repr_html_()
    found = matplotlib.font_manager.findfont(
        matplotlib.font_manager.FontProperties(family=["sans-serif"]))
    assert found.endswith(fonts.FONT_FILE)
    assert chart.note == ""  # every 总计 cell was read


def test_charts_say_which_null_cells_they_left_out():
    rep = clean_report(2021)
    set_cell(rep, "table3", "granted", "total", None, how="blank")
    set_cell(rep, "table3", "new_received", "research", None, how="unreadable")
    assert "1 个" in charts.outcomes_chart(rep).note
    assert "1 个" in charts.applicants_chart(rep).note


def test_without_the_font_chinese_would_be_tofu():
    """The control for the test above: DejaVu Sans alone warns about missing glyphs."""
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"], "font.family": "sans-serif"}):
        fig = Figure()
        fig.subplots().set_title("自然人")
        with pytest.warns(UserWarning, match="missing from font"):
            charts._render(fig)


def test_write_result_is_atomic_and_valid(result, tmp_path):
    target = tmp_path / "out" / "result.json"
    v = views.write_result(result, str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data == json.loads(result.to_json_text())
    assert data["summary"] == result.summary
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]
    assert str(target) in v._repr_html_()


def test_load_refuses_missing_input(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        views.load(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError):
        views.load("")


# ------------------------------------------------------------------ the batch overview
def _batch(tmp_path):
    """A batch folder as nianbao.batch writes it: two results and one failed report."""
    reports = []
    for i, (agency, defect) in enumerate([(HOSTILE_AGENCY, True), ("白石镇人民政府", False)]):
        rep = clean_report(2021, agency=agency)
        if defect:
            set_cell(rep, "table3", "granted", "natural_person", 6)
        rid = f"r{i}"
        views.write_result(audit(rep), str(tmp_path / rid / "result.json"))
        reports.append({"id": rid, "file": f"{rid}.txt", "status": "findings" if defect else "ok",
                        "error": None, "outputs": {"json": f"{rid}/result.json",
                                                   "html": f"{rid}/audit.html"}})
    reports.append({"id": "bad", "file": "bad.pdf", "status": "failed",
                    "error": "bad.pdf: not a PDF", "outputs": {"html": "javascript:alert(1)"}})
    (tmp_path / "manifest.json").write_text(json.dumps({"reports": reports}), encoding="utf-8")
    return tmp_path


def test_load_batch_aggregates_results(tmp_path):
    b = overview.load_batch(_batch(tmp_path))
    assert list(b.reports["status"]) == ["findings", "ok", "failed"]
    per_report = b.findings.groupby("report").size()
    assert list(b.reports["findings"][:2]) == [per_report.get("r0", 0), per_report.get("r1", 0)]
    assert per_report["r0"] > per_report.get("r1", 0)
    m = overview.family_matrix(b)
    fams = [c for c in m.columns if c != "label"]
    assert m.loc["r0", fams].sum() == per_report["r0"]
    assert "table3" in fams


def test_batch_overview_is_escaped_and_links_safely(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # links are relative to where the kernel runs: here the batch's
    page = overview.batch_overview(_batch(tmp_path))._repr_html_()
    assert external_resources(page) == []
    doc = lhtml.fromstring(f"<div>{page}</div>")
    assert HOSTILE_AGENCY in doc.text_content()
    assert doc.xpath("//a/@href") == ["r0/audit.html", "r1/audit.html"]  # javascript: dropped
    assert "bad.pdf: not a PDF" in doc.text_content()
    counts = lhtml.fromstring(overview.status_counts(tmp_path)._repr_html_())
    assert [r.xpath("td/text()") for r in counts.xpath("//tbody/tr")] == \
        [["通过", "1"], ["有问题", "1"], ["失败", "1"]]


def test_load_batch_refuses_a_non_folder(tmp_path):
    with pytest.raises(InputError):
        overview.load_batch(tmp_path / "missing")


def test_a_table_the_report_lacks_is_said_not_drawn():
    rep = clean_report(2021)
    rep.table4.found = rep.table3.found = False
    res = audit(rep)
    html = views.table(res, "table4")._repr_html_()
    assert "报告中未找到此表" in html and "<td" not in html
    assert "未找到表三" in views.outcomes_chart(res)._repr_html_()
    assert "<img" not in views.applicants_chart(res)._repr_html_()


def test_default_result_path_is_the_git_ignored_outputs(monkeypatch, result):
    from nianbao.workbook.views import REPO_NOTEBOOKS as NOTEBOOK_DIR

    monkeypatch.chdir(NOTEBOOK_DIR)
    assert views.default_result_path(result) == NOTEBOOK_DIR.parent / "outputs" / "synthetic.result.json"


def test_a_normalized_quote_is_found_and_narrowed_to_the_printed_wording():
    res = audit(clean_report(2021))
    rep = res.report
    line = next(i for i, ln in enumerate(rep.text.split("\n"), 1) if "社会公益组织" in ln)
    quote = " ".join(rep.document.line_text(line).split())  # tabs printed as spaces
    res.findings = [Finding(rule="T3-HEADER", severity="warning", message="列名",
                            location={"table": "table3", "line": line}, expected="社会公益组织",
                            actual="社会公益组织", quote=quote)]
    marks = lhtml.fromstring(views.evidence(res)._repr_html_()).xpath("//mark")
    assert [m.text_content() for m in marks] == ["社会公益组织"]
    res.findings[0].actual = None  # without a wording to narrow to, the whole quote is marked
    marks = lhtml.fromstring(views.evidence(res)._repr_html_()).xpath("//mark")
    assert " ".join(marks[0].text_content().split()) == quote


def test_an_empty_batch_still_renders(tmp_path):
    (tmp_path / "manifest.json").write_text('{"reports": []}', encoding="utf-8")
    b = overview.load_batch(tmp_path)
    assert b.reports.empty and b.findings.empty
    page = overview.batch_overview(b)._repr_html_()
    assert "报告 0 份" in page and "批次中没有发现" in page
    assert overview.family_chart(b).png.startswith(b"\x89PNG")


def test_without_a_manifest_every_result_json_is_a_report(tmp_path):
    views.write_result(audit(clean_report(2021)), str(tmp_path / "a" / "result.json"))
    b = overview.load_batch(tmp_path)
    assert list(b.reports["agency"]) == [AGENCY] and list(b.reports["status"]) == ["ok"]


def test_evidence_on_a_very_long_line_shows_a_window_around_the_span():
    res = audit(clean_report(2021))
    rep = res.report
    line = next(i for i, ln in enumerate(rep.text.split("\n"), 1) if "本局围绕" in ln)
    long_text = "甲" * 2000 + "目标词" + "乙" * 2000
    text = rep.text.split("\n")
    text[line - 1] = long_text
    rep.document = type(rep.document)("long.txt", "txt", "0" * 64, "\n".join(text))
    start = rep.text.index("目标词")
    res.findings = [Finding(rule="TEXT-TEST", severity="info", message="长行",
                            location={"line": line,
                                                          "span": (start, start + 3)})]
    doc = lhtml.fromstring(views.evidence(res)._repr_html_())
    focus = doc.xpath("//div[contains(@class,'nb-focus')]")[0].text_content()
    assert "目标词" in focus and focus.count("甲") == views.CLIP and focus.count("乙") == views.CLIP
    assert doc.xpath("//mark")[0].text_content() == "目标词"
