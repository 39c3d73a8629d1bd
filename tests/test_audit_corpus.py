"""Acceptance on the seed and the real corpus (../shared; skipped where absent).

The seed's known defects (spec §6) under these rules must be found, with no arithmetic error;
the hand-checked defects in the corpus manifest must be found; and every error-severity finding
on the corpus is listed, with its verdict, in tests/corpus_expectations.yaml.
"""
from __future__ import annotations

import pytest

from nianbao.engine import audit

ARITH = {"T3-R1", "T3-R2", "T3-R3", "T4-R4", "T2-R7"}


@pytest.fixture(scope="module")
def seed_result(seed_path):
    return audit(seed_path)


def _find(res, rule, severity=None, **loc):
    return [f for f in res.findings if f.rule == rule
            and (severity is None or f.severity == severity)
            and all(f.location.get(k) == v for k, v in loc.items())]


def test_seed_citation(seed_result):
    (f,) = _find(seed_result, "TEXT-CITATION", "error")
    assert f.actual == "国务院令第七11号" and f.location["line"] == 11


def test_seed_missing_total_column(seed_result):
    assert _find(seed_result, "T3-HEADER", "error", column="total")
    rows = {r for f in _find(seed_result, "T3-CELLCOUNT", "error")
            for r in f.details.get("rows", [f.location["row"]])}
    assert {"new_received", "carried_over"} <= rows


def test_seed_wording(seed_result):
    (f,) = _find(seed_result, "T3-HEADER", "warning", column="social_welfare")
    assert f.actual == "社会组织"
    assert _find(seed_result, "T3-ROWS", "warning", row="withheld_prohibited")


def test_seed_duplicates(seed_result):
    lines = sorted(f.location["line"] for f in _find(seed_result, "STRUCT-DUP"))
    assert lines == [7, 9]


def test_seed_fee_header(seed_result):
    fs = _find(seed_result, "T2-UNIT")
    assert sorted(f.severity for f in fs) == ["info", "warning"]
    assert next(f for f in fs if f.severity == "warning").actual == "0"


def test_seed_no_arithmetic_error_and_unknown_date(seed_result):
    assert not [f for f in seed_result.findings if f.rule in ARITH and f.severity == "error"]
    (f,) = _find(seed_result, "META-DEADLINE")
    assert f.severity == "info" and "2022-01-31" in f.message


# ------------------------------------------------------------------ the real corpus
def _audit_file(corpus_dir, name):
    p = corpus_dir / name
    if not p.exists():
        pytest.skip(f"{name} absent")
    return audit(p)


def test_pingtan_2020_r3(corpus_dir):
    res = _audit_file(corpus_dir, "fujian-pingtan-zone-2020.txt")
    (f,) = _find(res, "T3-R3", "error", column="total")
    assert (f.expected, f.actual) == (27, 21)


def test_hongze_2023_r4_totals_zero(corpus_dir):
    res = _audit_file(corpus_dir, "jiangsu-huaian-hongze-district-gov-2023.pdf")
    got = {(f.location["row"], f.expected, f.actual) for f in _find(res, "T4-R4", "error")}
    assert ("review", 11, 0) in got
    assert any(r == "suit_after_review" and a == 0 and e >= 5 for r, e, a in got)


def test_hongze_2023_label_typo(corpus_dir):
    res = _audit_file(corpus_dir, "jiangsu-huaian-hongze-district-gov-2023.pdf")
    assert [f for f in _find(res, "T3-ROWS") if "其他法律行政止公开" in f.message]


# Which error findings each corpus report gives (and that none is false) is asserted report by
# report from tests/corpus_expectations.yaml in test_corpus_expectations.py.
