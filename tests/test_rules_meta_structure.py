"""Metadata and structure rules on built reports: what the cases in tests/rule_cases do not say
(the span of a format marker, legacy reports across several rules, edits of a built report's text)."""
from __future__ import annotations

import datetime as dt

from reportbuilder import clean_report, my_rule_ids

from nianbao.engine import audit


def run(report, rule_id, published=dt.date(2022, 1, 20), config=None):
    res = audit(report, published=published, config=config)
    return [f for f in res.findings if f.rule == rule_id]


def _drop_part(r, n):
    sec = r.section(n)
    r.sections = [s for s in r.sections if s.number != n]
    lines = r.text.split("\n")
    lines[sec.line - 1] = ""
    r.document.text = "\n".join(lines)
    return lines


def test_version_2019_markers_in_2021_report():
    r = clean_report(2021)
    r.format_markers = {"2019": ["本年新制作数量"]}
    r.document.text = r.text.replace("本年制发件数", "本年新制作数量")
    (f,) = run(r, "STRUCT-VERSION")
    assert f.severity == "error" and f.actual == "2019"
    s, e = f.location["span"]
    assert r.text[s:e] == "本年新制作数量" and f.location["line"] == r.table2.line + 1


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
