"""Narrative and text rules on the seed and the real corpus (read from ``../shared``; skipped
where it is absent). The expectations are the hand-checked defects of ``manifest.csv`` and
spec §6: each must be found, and no other finding of these rules may be an error.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from nianbao.parsing import parse
from nianbao.prose import claims as C
from nianbao.prose import links as L
from nianbao.rules.registry import RULES, all_rules
from nianbao.engine import run_rule

MY_RULES = ("NARR-APPS", "NARR-REVIEW", "NARR-DOCS", "NARR-FEE", "NARR-OVERALL5", "NARR-PROBLEMS",
            "NARR-EMPTY6", "NARR-ALLZERO", "META-AGENCY", "TEXT-YEAR", "TEXT-DEIXIS",
            "TEXT-REGION", "TEXT-TYPO")


@lru_cache(maxsize=None)
def _findings(path: str):
    all_rules()
    r = parse(path)
    return r, [f for rid in MY_RULES for f in run_rule(RULES[rid], r)]


def findings(path):
    return _findings(str(path))


def test_seed(seed_path):
    report, fs = findings(seed_path)
    by = {}
    for f in fs:
        by.setdefault(f.rule, []).append(f)
    region = by["TEXT-REGION"]
    assert [(f.actual, f.severity) for f in region] == [("苏仙区", "error")]
    a, b = region[0].location["span"]
    assert report.text[a:b] == "苏仙区" and region[0].location["line"] == 79
    assert by["NARR-EMPTY6"][0].severity == "warning"
    assert by["NARR-FEE"][0].severity == "warning"
    assert by["NARR-OVERALL5"][0].severity == "warning"
    assert any(f.actual == "今年以来" for f in by["TEXT-DEIXIS"])
    assert "NARR-REVIEW" not in by  # 没有…行政复议和诉讼 agrees with 表四
    links = [L.link(c, report) for c in C.extract(report)]
    assert {(lk.claim.metric, lk.status) for lk in links} == {("review.total", "match"), ("suit.total", "match")}
    assert not [f for f in fs if f.severity == "error" and f.rule != "TEXT-REGION"]


def _corpus_files(corpus_dir, full_manifest):
    return [corpus_dir / row["file"] for row in full_manifest]


# Which error findings each corpus report gives is asserted report by report from
# tests/corpus_expectations.yaml (test_corpus_expectations.py); the tests below check the
# particulars of single findings.


def test_shanghai_review_mismatch_names_the_pending_cells(corpus_dir):
    _, fs = findings(corpus_dir / "shanghai-municipal-gov-office-2019.js")
    review = [f for f in fs if f.rule == "NARR-REVIEW" and f.severity == "error"]
    assert {c["column"] for f in review for c in f.details["cells"]} == {"pending"}


def test_pingtan_zone_2022_counts_carried_over(corpus_dir):
    _, fs = findings(corpus_dir / "fujian-pingtan-zone-2022.txt")
    apps = [f for f in fs if f.rule == "NARR-APPS"]
    assert [(f.severity, f.actual, f.details.get("matched")) for f in apps] == [("info", 75, "新收+上年结转")]


def test_hongze_2024_office_scope_is_a_question(corpus_dir):
    _, fs = findings(corpus_dir / "jiangsu-huaian-hongze-district-gov-2024.pdf")
    apps = [f for f in fs if f.rule == "NARR-APPS"]
    assert [(f.severity, f.actual, f.expected, f.details["scope"]) for f in apps] == [("info", 17, 95, "sub-unit")]


@pytest.mark.parametrize("name,stale", [("fujian-pingtan-finance-bureau-2025.txt", 2024),
                                        ("fujian-pingtan-finance-bureau-2024.html", 2023)])
def test_pingtan_finance_last_years_figures_and_typo(corpus_dir, name, stale):
    report, fs = findings(corpus_dir / name)
    years = [f for f in fs if f.rule == "TEXT-YEAR"]
    assert [(f.severity, f.actual) for f in years] == [("warning", stale)]
    a, b = years[0].location["span"]
    assert report.text[a:b].replace(" ", "") == f"{stale}年"
    assert any(f.rule == "TEXT-TYPO" and f.actual == "不子" for f in fs)


def test_no_region_errors_and_own_places_are_quiet_on_the_corpus(corpus_dir, full_manifest):
    for path in _corpus_files(corpus_dir, full_manifest):
        report, fs = findings(path)
        region = [f for f in fs if f.rule == "TEXT-REGION"]
        assert all(f.severity != "error" for f in region), (path.name, [f.message for f in region])
        if report.region is None:
            continue  # the title names no place (公安局…): no own area to keep quiet (warnings only)
        assert all(f.actual not in ("淮安市", "洪泽区", "上海市", "平潭县", "福州市") for f in region)


def test_pingtan_2016_plan_dated_with_the_report_year(corpus_dir):
    _, fs = findings(corpus_dir / "fujian-pingtan-zone-2016-legacy.txt")
    assert [(f.severity, f.expected) for f in fs if f.rule == "TEXT-YEAR"] == [("warning", 2017)]
