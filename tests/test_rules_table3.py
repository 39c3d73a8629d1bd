"""表三 rules on built reports: each fires on one planted defect and stays quiet on a clean one."""
from __future__ import annotations

import datetime as dt

import pytest
from reportbuilder import clean_report, set_cell

from nianbao.engine import audit


def run(report, rule_id):
    return [f for f in audit(report, published=dt.date(2022, 1, 20)).findings if f.rule == rule_id]


T3_RULES = ["T3-HEADER", "T3-ROWS", "T3-CELLCOUNT", "T3-BLANK", "T3-TYPES", "T3-R1", "T3-R2",
            "T3-R3"]


@pytest.mark.parametrize("year", [2021, 2019])
@pytest.mark.parametrize("rule_id", T3_RULES)
def test_quiet_on_clean_report(year, rule_id):
    assert run(clean_report(year), rule_id) == []


def test_header_missing_total_column_is_error():
    r = clean_report()
    r.table3.col_labels["total"] = None
    r.table3.header_text = r.table3.header_text.replace("总计", "")
    (f,) = run(r, "T3-HEADER")
    assert f.severity == "error" and "总计" in f.message
    assert f.location["column"] == "total" and f.location["line"] == r.table3.line


def test_header_social_organisation_label_is_warning():
    r = clean_report()
    r.table3.col_labels["social_welfare"] = "社会组织"
    (f,) = run(r, "T3-HEADER")
    assert f.severity == "warning"
    assert (f.expected, f.actual) == ("社会公益组织", "社会组织")


def test_header_label_broken_by_extraction_is_warning():
    r = clean_report()
    r.table3.col_labels["commercial"] = None
    r.table3.header_text = r.table3.header_text.replace("商业企业", "商业企\n业")
    (f,) = run(r, "T3-HEADER")
    assert f.severity == "warning" and f.location["column"] == "commercial"


def test_header_missing_table_is_error():
    r = clean_report()
    r.table3.found = False
    (f,) = run(r, "T3-HEADER")
    assert f.severity == "error" and "未找到表三" in f.message


def test_rows_wording_difference_is_warning_with_both_wordings():
    r = clean_report()
    r.table3.row_labels["withheld_prohibited"] = "(三) 不予公开 2.其他法律法规禁止公开"
    (f,) = run(r, "T3-ROWS")
    assert f.severity == "warning"
    assert "其他法律法规禁止公开" in f.message and "其他法律行政法规禁止公开" in f.message
    assert f.location["row"] == "withheld_prohibited"


def test_rows_normalised_differences_are_not_reported():
    r = clean_report()
    r.table3.row_labels["partially_granted"] = "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)"
    r.table3.row_labels["granted"] = "三、本年度办理结果 (一) 予以公开"
    assert run(r, "T3-ROWS") == []


def test_rows_missing_row_is_error():
    r = clean_report()
    r.table3.row_labels["rejected_repeat"] = None
    for c in r.table3.columns:
        set_cell(r, "table3", "rejected_repeat", c, None, "missing")
    (f,) = [f for f in run(r, "T3-ROWS")]
    assert f.severity == "error" and "重复申请" in f.message


def test_rows_values_read_but_label_unrecognised_is_warning():
    r = clean_report()
    r.table3.row_labels["rejected_repeat"] = None
    (f,) = run(r, "T3-ROWS")
    assert f.severity == "warning" and "行名未能识别" in f.message


def test_rows_unplaced_typo_row_is_matched_fuzzily():
    r = clean_report()
    r.table3.row_labels["withheld_prohibited"] = None
    r.table3.extra_labels.append("2.其他法律行政止公开")
    (f,) = run(r, "T3-ROWS")
    assert f.severity == "warning" and "其他法律行政止公开" in f.message


@pytest.mark.parametrize("into", ["other_other", "other"])
def test_rows_2019_structure_in_2021_report_is_one_error(into):
    r = clean_report(2021)
    for k in ("other_no_correction", "other_no_fee", "other_other"):
        r.table3.row_labels[k] = None
        for c in r.table3.columns:
            set_cell(r, "table3", k, c, None, "missing")
    r.table3.row_labels[into] = "（六）其他处理"
    (f,) = run(r, "T3-ROWS")
    assert f.severity == "error" and "2019年试行格式" in f.message
    assert f.details["missing_rows"] == ["other_no_correction", "other_no_fee"]


def test_cellcount_row_without_total_is_error():
    r = clean_report()
    set_cell(r, "table3", "new_received", "total", None, "missing")
    (f,) = run(r, "T3-CELLCOUNT")
    assert f.severity == "error" and (f.expected, f.actual) == (7, 6)
    assert f.location == {"table": "table3", "row": "new_received", "column": "total",
                          "line": r.table3.row_lines["new_received"]}
    assert f.quote.startswith("一、本年新收政府信息公开申请数量")


def test_blank_cells_listed_as_warning_not_zero():
    r = clean_report()
    set_cell(r, "table3", "granted", "total", None, "blank", raw="")
    (f,) = run(r, "T3-BLANK")
    assert f.severity == "warning" and f.details["cells"][0]["column"] == "total"
    # the relations needing the cell are not evaluated, and say so
    r1 = run(r, "T3-R2")
    assert [x.severity for x in r1] == ["info"]
    assert r1[0].details["skipped"][0] == {"row": "granted", "column": "total", "how": "blank",
                                           "reason": "空白或缺失，不按0计"}


@pytest.mark.parametrize("value,sev", [(-1, "error"), (1.5, "error")])
def test_types_negative_or_fraction(value, sev):
    r = clean_report()
    set_cell(r, "table3", "carried_forward", "research", value)
    fs = run(r, "T3-TYPES")
    assert [f.severity for f in fs] == [sev] and fs[0].location["column"] == "research"


def test_types_unreadable_token_is_warning_with_token():
    r = clean_report()
    set_cell(r, "table3", "granted", "research", None, "unreadable", raw="若干")
    (f,) = run(r, "T3-TYPES")
    assert f.severity == "warning" and f.actual == "若干"


def test_r1_broken_column_reports_both_sides():
    r = clean_report()
    set_cell(r, "table3", "new_received", "natural_person", 11)  # also breaks R2 of that row
    (f,) = run(r, "T3-R1")
    assert f.severity == "error" and f.location["column"] == "natural_person"
    assert (f.expected, f.actual) == (13, 12)
    assert "一+二=13" in f.message and "（七）+四=12" in f.message and "相差1" in f.message


def test_r2_row_total_mismatch():
    r = clean_report()
    set_cell(r, "table3", "carried_forward", "total", 5)
    fs = run(r, "T3-R2")
    assert len(fs) == 1 and fs[0].location["row"] == "carried_forward"
    assert (fs[0].expected, fs[0].actual) == (2, 5)


def test_r3_leaf_sum_mismatch_2019():
    r = clean_report(2019)
    set_cell(r, "table3", "other", "natural_person", 4)
    (f,) = run(r, "T3-R3")
    assert (f.expected, f.actual) == (14, 10) and f.location["row"] == "total_processed"


def test_broken_relation_on_position_placed_cells_is_warning():
    r = clean_report()
    set_cell(r, "table3", "granted", "natural_person", 6, "aligned")
    (f,) = run(r, "T3-R3")
    assert f.severity == "warning" and f.details["aligned"][0]["row"] == "granted"


def test_cellcount_on_position_placed_row_is_warning():
    r = clean_report()
    set_cell(r, "table3", "granted", "natural_person", 5, "aligned")
    set_cell(r, "table3", "granted", "total", None, "missing")
    (f,) = run(r, "T3-CELLCOUNT")
    assert f.severity == "warning"


def test_recovered_cell_is_used_and_said():
    r = clean_report()
    set_cell(r, "table3", "granted", "natural_person", 6, "recovered", raw="61",
             reason="split from run-together digits")
    (f,) = run(r, "T3-R3")
    assert f.details["recovered"][0]["raw"] == "61"
    assert "拆分恢复" in f.message


def test_cellcount_whole_column_missing_is_one_finding():
    r = clean_report()
    for row in r.table3.rows:
        set_cell(r, "table3", row, "total", None, "missing")
    (f,) = run(r, "T3-CELLCOUNT")
    assert len(f.details["rows"]) == 25 and f.details["missing"] == ["total"]


def test_rows_label_cut_by_line_wrap_is_info():
    r = clean_report()
    r.table3.row_labels["withheld_internal_affairs"] = "5.属于三类内部事务信"
    (f,) = run(r, "T3-ROWS")
    assert f.severity == "info"
