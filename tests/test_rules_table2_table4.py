"""表二 and 表四 rules on built reports: fire on one planted defect, quiet on a clean report."""
from __future__ import annotations

import datetime as dt

import pytest
from reportbuilder import clean_report, set_cell

from nianbao.engine import audit


def run(report, rule_id):
    return [f for f in audit(report, published=dt.date(2022, 1, 20)).findings if f.rule == rule_id]


@pytest.mark.parametrize("year", [2021, 2019])
@pytest.mark.parametrize("rule_id", ["T2-LABELS", "T2-UNIT", "T2-TYPES", "T2-R7", "T2-ALLZERO",
                                     "T4-LAYOUT", "T4-TYPES", "T4-R4"])
def test_quiet_on_clean_report(year, rule_id):
    r = clean_report(year)
    if year == 2019 and rule_id == "T2-ALLZERO":
        set_cell(r, "table2", "licensing", "decisions", 3)  # the 2019 builder table is all zero
    assert run(r, rule_id) == []


def test_labels_2019_wording_in_2021_report_is_warning():
    r = clean_report()
    r.table2.row_labels["normative_documents"] = "规范性文件"
    (f,) = run(r, "T2-LABELS")
    assert f.severity == "warning" and f.expected == "行政规范性文件"


def test_labels_missing_fee_block_is_error():
    r = clean_report()
    r.table2.row_labels["fees"] = None
    (f,) = run(r, "T2-LABELS")
    assert f.severity == "error" and "第二十条第（八）项" in f.message


def test_labels_missing_table():
    r = clean_report()
    r.table2.found = False
    assert [f.severity for f in run(r, "T2-LABELS")] == ["error"]


def test_unit_local_qualifier_is_info_and_decimals_checked():
    r = clean_report()
    r.table2.col_labels["amount_wan"] = "本年收费金额（单位：万元，保留4位小数）"
    set_cell(r, "table2", "fees", "amount_wan", 0, raw="0")
    fs = run(r, "T2-UNIT")
    assert [f.severity for f in fs] == ["warning", "info"]  # sorted by severity
    assert fs[0].actual == "0" and "4位小数" in fs[0].message


def test_unit_value_with_requested_decimals_is_fine():
    r = clean_report()
    r.table2.col_labels["amount_wan"] = "本年收费金额（单位：万元，保留4位小数）"
    set_cell(r, "table2", "fees", "amount_wan", 0.0, raw="0.0000")
    assert [f.severity for f in run(r, "T2-UNIT")] == ["info"]


def test_unit_yuan_instead_of_wan_is_warning():
    r = clean_report()
    r.table2.col_labels["amount_wan"] = "本年收费金额（单位：元）"
    assert [f.severity for f in run(r, "T2-UNIT")] == ["warning"]


def test_types_fee_may_be_decimal_counts_may_not():
    r = clean_report()
    set_cell(r, "table2", "fees", "amount_wan", 0.125)
    assert run(r, "T2-TYPES") == []
    set_cell(r, "table2", "penalty", "decisions", 2.5)
    (f,) = run(r, "T2-TYPES")
    assert f.location["row"] == "penalty" and f.severity == "error"


def test_types_2019_change_may_be_negative():
    r = clean_report(2019)
    set_cell(r, "table2", "licensing", "change", -2)
    assert run(r, "T2-TYPES") == []
    set_cell(r, "table2", "licensing", "previous_items", -2)
    assert len(run(r, "T2-TYPES")) == 1


def test_r7_more_made_than_in_force_plus_repealed():
    r = clean_report()
    set_cell(r, "table2", "normative_documents", "issued", 12)
    (f,) = run(r, "T2-R7")
    assert f.severity == "warning" and (f.expected, f.actual) == ("≤10", 12)


def test_r7_blank_is_not_zero():
    r = clean_report()
    set_cell(r, "table2", "regulations", "in_force", None, "blank")
    (f,) = run(r, "T2-R7")
    assert f.severity == "info" and f.details["skipped"][0]["column"] == "in_force"


def test_allzero():
    r = clean_report(2019)
    (f,) = run(r, "T2-ALLZERO")
    assert f.severity == "info"


def test_t4_layout_missing_cells():
    r = clean_report()
    set_cell(r, "table4", "suit_after_review", "total", None, "missing")
    (f,) = run(r, "T4-LAYOUT")
    assert f.severity == "error" and f.location["row"] == "suit_after_review"


def test_t4_types_negative():
    r = clean_report()
    set_cell(r, "table4", "review", "corrected", -1)
    assert [f.severity for f in run(r, "T4-TYPES")] == ["error"]


def test_t4_r4_totals_zero_with_outcomes():
    r = clean_report()
    set_cell(r, "table4", "review", "total", 0)
    (f,) = run(r, "T4-R4")
    assert (f.expected, f.actual) == (2, 0) and f.location["row"] == "review"
    assert f.quote  # the printed data row


def test_labels_header_words_glued_to_row_label_are_not_a_variant():
    r = clean_report()
    r.table2.row_labels["regulations"] = "本年制发件数本年废止件数现行有效件数规章"
    r.table2.col_labels["issued"] = "制发"  # only the keyword was kept: wording unknown
    assert run(r, "T2-LABELS") == []


def test_unit_header_found_in_table_text_when_only_keyword_kept():
    r = clean_report()
    r.table2.col_labels["amount_wan"] = "收费金额"
    assert run(r, "T2-UNIT") == []
    r.document.text = r.text.replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）")
    (f,) = run(r, "T2-UNIT")
    assert f.severity == "warning" and f.actual == "本年收费金额（单位：元）"


def test_t4_keyword_only_column_label_is_not_judged():
    r = clean_report()
    r.table4.col_labels["upheld"] = "维持"
    assert run(r, "T4-LAYOUT") == []
    r.table4.col_labels["upheld"] = "结果维护"
    assert [f.severity for f in run(r, "T4-LAYOUT")] == ["warning"]
