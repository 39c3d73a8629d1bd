"""Metadata, structure and citation rules on built reports."""
from __future__ import annotations

import datetime as dt

import pytest
from reportbuilder import clean_report, my_rule_ids

from nianbao.engine import audit


def run(report, rule_id, published=dt.date(2022, 1, 20), config=None):
    res = audit(report, published=published, config=config)
    return [f for f in res.findings if f.rule == rule_id]


@pytest.mark.parametrize("year", [2021, 2019])
@pytest.mark.parametrize("rule_id", ["META-YEAR", "META-DEADLINE", "STRUCT-SECTIONS",
                                     "STRUCT-DUP", "STRUCT-VERSION", "STRUCT-PARTS-ORDER",
                                     "TEXT-CITATION"])
def test_quiet_on_clean_report(year, rule_id):
    assert run(clean_report(year), rule_id, published=dt.date(year + 1, 1, 20)) == []


def test_year_mismatch_is_error_with_quote():
    r = clean_report(2021)
    r.period = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    (f,) = run(r, "META-YEAR")
    assert f.severity == "error" and "2021" in f.message and "2020-01-01" in f.message
    assert f.quote.startswith("2021年1月1日")  # the printed period the finding rests on


def test_missing_period_is_info():
    r = clean_report(2021)
    r.period = None
    assert [f.severity for f in run(r, "META-YEAR")] == ["info"]


def test_deadline_department_late():
    (f,) = run(clean_report(2021), "META-DEADLINE", published=dt.date(2022, 2, 3))
    assert f.severity == "error" and "2022-01-31" in f.message and "3天" in f.message
    assert "调用方" in f.message and f.details["agency_kind"] == "department"


def test_deadline_government_has_until_march():
    r = clean_report(2021, agency="青禾县人民政府")
    assert run(r, "META-DEADLINE", published=dt.date(2022, 3, 20)) == []
    (f,) = run(r, "META-DEADLINE", published=dt.date(2022, 4, 1))
    assert f.details["agency_kind"] == "government"


def test_deadline_configurable_stricter_local_date():
    cfg = {"deadlines": {"department": "01-28"}}
    (f,) = run(clean_report(2021), "META-DEADLINE", published=dt.date(2022, 1, 30), config=cfg)
    assert f.expected == "≤2022-01-28"


def test_deadline_agency_kind_configured():
    cfg = {"agency_kind": "government"}
    assert run(clean_report(2021), "META-DEADLINE", published=dt.date(2022, 3, 1), config=cfg) == []


def test_deadline_unknown_date_is_info_not_silence():
    (f,) = run(clean_report(2021), "META-DEADLINE", published=None)
    assert f.severity == "info" and "2022-01-31" in f.message


def test_deadline_input_date_source_named():
    r = clean_report(2021, published=dt.date(2022, 2, 10))
    (f,) = run(r, "META-DEADLINE", published=None)
    assert "报告文件" in f.message


def test_deadline_before_2019_revision_is_march_for_all():
    r = clean_report(2019)
    r.title = r.title.replace("2019", "2018")
    r.year = 2018
    r.period = (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert run(r, "META-DEADLINE", published=dt.date(2019, 3, 20)) == []


def _drop_part(r, n):
    sec = r.section(n)
    r.sections = [s for s in r.sections if s.number != n]
    lines = r.text.split("\n")
    lines[sec.line - 1] = ""
    r.document.text = "\n".join(lines)
    return lines


def test_sections_missing_part_is_error():
    r = clean_report()
    _drop_part(r, 5)
    (f,) = run(r, "STRUCT-SECTIONS")
    assert f.severity == "error" and "存在的主要问题" in f.message


def test_sections_out_of_order_is_warning():
    r = clean_report()
    s5, s6 = r.section(5), r.section(6)
    s5.line, s6.line = s6.line, s5.line
    (f,) = run(r, "STRUCT-SECTIONS")
    assert f.severity == "warning" and f.location["section"] == 5  # 五 printed after 六


def test_dup_title_and_heading():
    r = clean_report()
    r.headings = [(r.title, 1), (r.title, 2), ("一、总体情况", 3), ("一、总体情况", 5),
                  ("（一）主动公开", 6), ("（一）主动公开", 20)]
    fs = run(r, "STRUCT-DUP")
    assert [(f.location["line"], f.details["first_line"]) for f in fs] == [(2, 1), (5, 3)]


def test_version_2019_markers_in_2021_report():
    r = clean_report(2021)
    r.format_markers = {"2019": ["本年新制作数量"]}
    r.document.text = r.text.replace("本年制发件数", "本年新制作数量")
    (f,) = run(r, "STRUCT-VERSION")
    assert f.severity == "error" and f.actual == "2019"
    s, e = f.location["span"]
    assert r.text[s:e] == "本年新制作数量" and f.location["line"] == r.table2.line + 1


def test_version_mixed_markers():
    r = clean_report(2021)
    r.format_markers = {"2021": ["本年制发件数"], "2019": ["政府集中采购"]}
    (f,) = run(r, "STRUCT-VERSION")
    assert f.actual == "mixed" and "政府集中采购" in f.quote


def test_version_2020_needs_2019_format():
    r = clean_report(2021)
    r.title, r.year = r.title.replace("2021", "2020"), 2020
    (f,) = run(r, "STRUCT-VERSION")
    assert f.expected == "2019"


def test_parts_order_table_under_wrong_part():
    r = clean_report()
    r.table4.line = r.section(5).line + 2
    r.table4.span = (r.section(5).body_span[0] + 1, r.section(5).body_span[1])
    (f,) = run(r, "STRUCT-PARTS-ORDER")
    assert f.location["table"] == "table4" and f.actual == 5


@pytest.mark.parametrize("cite,sev", [
    ("国务院令第七11号", "error"), ("国务院令第712号", "error"), ("国务院令第492号", "warning"),
    ("国务院令第七百一十一号", "warning"), ("国务院令第７１１号", "warning")])
def test_citation_order_number(cite, sev):
    r = clean_report(2021, citation=cite)
    fs = run(r, "TEXT-CITATION")
    assert [f.severity for f in fs] == [sev]
    assert fs[0].actual == cite and fs[0].location["line"] == 3
    s, e = fs[0].location["span"]
    assert r.text[s:e] == cite


def test_citation_492_with_revision_note_is_fine():
    r = clean_report(2021, citation="国务院令第492号公布，根据国务院令第711号修订")
    assert run(r, "TEXT-CITATION") == []


def test_citation_other_decree_is_not_judged():
    r = clean_report(2021, intro_extra="另依据《优化营商环境条例》（国务院令第722号）。")
    assert run(r, "TEXT-CITATION") == []


def test_citation_documents_number_and_brackets():
    extra = ("按国办公开办函〔2021〕31号印发的年度报告格式编制；"
             "依据国办函（2020）109号《政府信息公开信息处理费管理办法》。")
    fs = run(clean_report(2021, intro_extra=extra), "TEXT-CITATION")
    assert sorted(f.severity for f in fs) == ["error", "warning"]
    err = next(f for f in fs if f.severity == "error")
    assert err.expected == "国办公开办函〔2021〕30号"


def test_citation_regulation_name_typo():
    fs = run(clean_report(2021, intro_extra="贯彻《中华人民共和国信息公开条例》。"),
             "TEXT-CITATION")
    assert [f.severity for f in fs] == ["warning"]



def test_legacy_reports_are_not_held_to_the_2019_structure():
    r = clean_report(2019)
    r.title, r.year = r.title.replace("2019", "2017"), 2017
    r.period = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    r.format_version = "legacy"
    r.sections = []
    for t in (r.table2, r.table3, r.table4):
        t.found = False
    res = audit(r, published=dt.date(2018, 3, 1))
    assert [f for f in res.findings if f.severity != "info" and f.rule in my_rule_ids()] == []
    r.title, r.year = r.title.replace("2017", "2021"), 2021
    assert {"STRUCT-SECTIONS", "T2-LABELS", "T3-HEADER", "T4-LAYOUT"} <= {
        f.rule for f in audit(r).findings if f.severity != "info"}


def test_sections_missing_heading_but_content_present_is_warning():
    r = clean_report()
    lines = _drop_part(r, 5)
    line = lines.index("本年度存在栏目更新不及时的问题，下一步将建立月度检查制度。") + 1
    lines[line - 1] = "（一）主要问题"
    r.document.text = "\n".join(lines)
    (f,) = run(r, "STRUCT-SECTIONS")
    assert f.severity == "warning" and f.location["line"] == line


def test_parts_order_uses_offsets_when_all_on_one_line():
    r = clean_report()
    for s in r.sections:
        s.line = 1
    for t in (r.table2, r.table3, r.table4):
        t.line = 1
    assert run(r, "STRUCT-PARTS-ORDER") == []


def test_citation_local_regulation_is_not_judged():
    r = clean_report(2021, intro_extra="并执行《青禾省政府信息公开条例》。")
    assert run(r, "TEXT-CITATION") == []
