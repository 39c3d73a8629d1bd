"""Every registered rule has a cases file (tests/rule_cases/<ID>.yml) with at least one passing
and one failing case, and every case holds: the rule gives exactly the findings the case lists.

The rule list comes from the registry, so a new rule without cases fails here with a message
saying which file to write. The format is in tests/rule_cases/README.md; the machinery in
tests/rulecases.py.
"""
from __future__ import annotations

import pytest

from nianbao.findings import Finding
from nianbao.rules.registry import RULES, all_rules, report_rules
from rulecases import (CASES_DIR, Case, CaseError, case_file, describe, load_cases, mismatch,
                       run_case)


def single_report_rules():
    """The rules that run on one report. The cross-report rules (``scope="batch"``) need a
    batch as their base; their cases are synthetic batches in tests/test_crossreport.py."""
    return report_rules()


def problems_with_cases(rules) -> list[str]:
    """One line per rule whose cases file is missing, unreadable or lacks a passing or a
    failing case."""
    out = []
    for r in rules:
        path = case_file(r.id)
        if not path.is_file():
            out.append(f"{r.id}: no cases file tests/rule_cases/{path.name} "
                       "(see tests/rule_cases/README.md)")
            continue
        try:
            cases = load_cases(path)
        except CaseError as e:
            out.append(str(e))
            continue
        if not any(c.expect == [] for c in cases):
            out.append(f"{r.id}: {path.name} has no passing case (expect: [])")
        if not any(c.expect for c in cases):
            out.append(f"{r.id}: {path.name} has no failing case (expect: a list of findings)")
    return out


def test_every_rule_has_passing_and_failing_cases():
    problems = problems_with_cases(single_report_rules())
    assert not problems, "\n".join(problems)


def test_every_cases_file_names_a_registered_rule():
    ids = {r.id for r in all_rules()}
    strays = sorted(p.name for p in CASES_DIR.glob("*.yml") if p.stem not in ids)
    assert not strays, f"cases files for rules that are not registered: {strays}"


def _all_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        try:
            cases = load_cases(path)
        except CaseError as e:  # reported by the test above; keep collecting the others
            params.append(pytest.param(None, id=f"{path.stem}:<invalid>",
                                       marks=pytest.mark.skip(reason=str(e))))
            continue
        params += [pytest.param(c, id=f"{c.rule}:{c.name}") for c in cases]
    return params


@pytest.mark.parametrize("case", _all_cases())
def test_rule_case(case: Case):
    all_rules()
    rule = RULES.get(case.rule)
    if rule is None:
        pytest.skip(f"{case.rule} is not registered (see the test of stray files)")
    findings, text = run_case(case, rule)
    problem = mismatch(case.expect, findings, text)
    assert problem is None, f"{case.where}: {problem}; the rule gave:\n{describe(findings)}"


# ---------------------------------------------------------------- the machinery can fail
def test_a_rule_without_cases_is_named(tmp_path):
    class Fake:
        id = "T3-ZZNOCASES"

    (line,) = problems_with_cases([Fake])
    assert "T3-ZZNOCASES" in line and "T3-ZZNOCASES.yml" in line


def test_mismatch_counts_and_fields():
    f = Finding(message="表三“自然人”列相差1", severity="error", expected=13, actual=12,
                location={"table": "table3", "column": "natural_person", "line": 7})
    ok = {"severity": "error", "location": {"column": "natural_person"}, "expected": 13,
          "actual": 12, "message_contains": "相差1"}
    assert mismatch([ok], [f]) is None
    assert "expected 0" in mismatch([], [f])
    for wrong in ({"severity": "warning"}, {"location": {"column": "total"}}, {"actual": 11},
                  {"message_contains": ["相差2"]}, {"location": {"row": "granted"}}):
        assert mismatch([{**ok, **wrong}], [f]) is not None, wrong
    g = Finding(message="m", severity="warning", location={"column": "total"})
    assert mismatch([{"severity": "error"}, {"severity": "error"}], [f, g]) is not None
    assert mismatch([{"severity": "warning"}, {"severity": "error"}], [f, g]) is None
    h = Finding(message="m", location={"span": (2, 4)})
    assert mismatch([{"span_text": "cd"}], [h], "abcdef") is None
    assert mismatch([{"span_text": "bc"}], [h], "abcdef") is not None
    assert mismatch([{"span_text": "cd"}], [f], "abcdef") is not None  # no span at all


@pytest.mark.parametrize("text,msg", [
    ("rule: T3-R1\ncases: []\n", "non-empty"),
    ("rule: T3-R2\ncases:\n- {name: a, clean: 2021, expect: []}\n", "file name says"),
    ("rule: T3-R1\ncases:\n- {name: a, clean: 2021, expects: []}\n", "unknown keys"),
    ("rule: T3-R1\ncases:\n- {name: a, expect: []}\n", "exactly one base"),
    ("rule: T3-R1\ncases:\n- {name: a, clean: 2021, expect: []}\n- {name: a, clean: 2019, expect: []}\n",
     "used twice"),
    ("rule: T3-R1\ncases:\n- {name: a, clean: 2021, edits: [{sett: {}}], expect: []}\n", "each edit"),
])
def test_malformed_cases_files_are_refused(tmp_path, text, msg):
    path = tmp_path / "T3-R1.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match=msg):
        load_cases(path)


def test_an_edit_that_changes_nothing_is_refused(tmp_path):
    path = tmp_path / "T3-R1.yml"
    path.write_text("rule: T3-R1\ncases:\n- name: a\n  clean: 2021\n"
                    "  edits: [{replace: {old: 不存在的文字, new: x}}]\n  expect: []\n"
                    "- name: b\n  clean: 2021\n  edits: [{set: {table3.no_such: 1}}]\n  expect: []\n"
                    "- name: c\n  clean: 2021\n  edits: [{set_cell: {table: table3, row: no_row,"
                    " column: total, value: 1}}]\n  expect: []\n",
                    encoding="utf-8")
    a, b, c = load_cases(path)
    all_rules()
    for case, msg in ((a, "found 0"), (b, "cannot set"), (c, "no cell table3/no_row/total")):
        with pytest.raises(CaseError, match=msg):
            run_case(case, RULES["T3-R1"])
