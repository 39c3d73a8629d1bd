"""A page with no report body, and part headings in their common short wordings.

A page saved while its body had not loaded carries only the title: the audit says so once
(STRUCT-EMPTY) instead of listing six missing parts and three missing tables. Part headings are
recognised as a class of wordings ("一、概述", "五、存在的问题及改进措施", "六、其他需报告的事项"),
not one string each.
"""
from __future__ import annotations

import pytest
from synth import random_spec, render_text

from nianbao import audit, parse
from nianbao.engine import runs_without_body
from nianbao.rules.registry import all_rules

TITLE = "青岚市澜溪区数据局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("name, body", [
    ("crawler.txt", f"标题: {TITLE}\n发布时间: 2024-01-20 09:30\n\n{TITLE}\n\n"),
    ("page.html", f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
                  "<div class='content'></div><p>来源：澜溪区数据局 发布时间：2024-01-20 浏览次数：</p>"
                  "</body></html>"),
    ("title-only.md", f"# {TITLE}\n"),
])
def test_title_only_page_is_one_no_text_finding(tmp_path, name, body):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    res = audit(p)
    errors = [f for f in res.findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["STRUCT-EMPTY"], [(f.rule, f.message) for f in errors]
    assert not any(f.rule.startswith(("T2-", "T3-", "T4-", "NARR-")) or f.rule == "STRUCT-SECTIONS"
                   for f in res.findings)
    assert res.report.year == 2023 and "没有报告正文" in errors[0].message
    # the rules that were not run are said to be skipped, not silently counted as run
    assert "STRUCT-SECTIONS" in res.rules_disabled and "STRUCT-SECTIONS" not in res.rules_run


def test_rules_kept_without_a_body_are_the_metadata_ones():
    kept = {r.id for r in all_rules() if runs_without_body(r)}
    assert "STRUCT-EMPTY" in kept and "META-YEAR" in kept
    assert not any(k.startswith(("T3-", "NARR-")) for k in kept)


def test_a_short_report_with_its_parts_is_not_empty(tmp_path):
    text = render_text(random_spec(5))
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    res = audit(p)
    assert res.report.body_missing is None
    assert not any(f.rule == "STRUCT-EMPTY" for f in res.findings)


@pytest.mark.parametrize("number, official, variant", [
    (1, "一、总体情况", "一、概述"),
    (5, "五、存在的主要问题及改进情况", "五、政府信息公开工作存在的问题及改进措施"),
    (5, "五、存在的主要问题及改进情况", "五、主要问题和改进情况"),
    (6, "六、其他需要报告的事项", "六、其他需报告的事项"),
    (6, "六、其他需要报告的事项", "六、需要说明的其他事项"),
    (6, "六、其他需要报告的事项", "六、其他事项"),
])
def test_part_heading_variants_are_the_part(tmp_path, number, official, variant):
    text = render_text(random_spec(7))
    assert f"\n{official}\n" in text
    p = tmp_path / "r.txt"
    p.write_text(text.replace(f"\n{official}\n", f"\n{variant}\n"), encoding="utf-8")
    report = parse(p)
    sec = report.section(number)
    assert sec is not None and sec.heading == variant
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert not [f for f in audit(report).findings if f.rule == "STRUCT-SECTIONS"]


def test_the_introductions_list_of_parts_is_still_no_heading(tmp_path):
    """Widening the wordings must not make the introduction's list a heading: it has no
    heading numerals before the words."""
    text = render_text(random_spec(7)).replace("\n六、其他需要报告的事项\n", "\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    assert parse(p).section(6) is None
