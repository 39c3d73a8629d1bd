"""表二 and 表四 rules on built reports: what the cases in tests/rule_cases/T2-*.yml and T4-*.yml
do not say (the details of a skipped cell; the printed header behind a keyword-only label)."""
from __future__ import annotations

import datetime as dt

from reportbuilder import clean_report, set_cell

from nianbao.engine import audit


def run(report, rule_id):
    return [f for f in audit(report, published=dt.date(2022, 1, 20)).findings if f.rule == rule_id]


def test_r7_blank_is_not_zero():
    r = clean_report()
    set_cell(r, "table2", "regulations", "in_force", None, "blank")
    (f,) = run(r, "T2-R7")
    assert f.severity == "info" and f.details["skipped"][0]["column"] == "in_force"


def test_unit_header_found_in_table_text_when_only_keyword_kept():
    r = clean_report()
    r.table2.col_labels["amount_wan"] = "收费金额"
    assert run(r, "T2-UNIT") == []
    r.document.text = r.text.replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）")
    (f,) = run(r, "T2-UNIT")
    assert f.severity == "warning" and f.actual == "本年收费金额（单位：元）"
