"""表三 rules on built reports: what the cases in tests/rule_cases/T3-*.yml do not say (unplaced
labels, the 2019 structure in a 2021 report, the details of aligned and recovered cells)."""
from __future__ import annotations

import datetime as dt

import pytest
from reportbuilder import clean_report, set_cell

from nianbao.engine import audit


def run(report, rule_id):
    return [f for f in audit(report, published=dt.date(2022, 1, 20)).findings if f.rule == rule_id]


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


def test_broken_relation_on_position_placed_cells_is_warning():
    r = clean_report()
    set_cell(r, "table3", "granted", "natural_person", 6, "aligned")
    (f,) = run(r, "T3-R3")
    assert f.severity == "warning" and f.details["aligned"][0]["row"] == "granted"


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
