"""Every report of ../shared/corpus/real gives exactly the error findings its entry in
tests/corpus_expectations.yaml lists (rule and place, each with a verdict), and none of the
findings judged false and fixed comes back. Nothing here assumes a report is clean: a report's
defects are what the triage found in it (skipped where the corpus is absent)."""
from __future__ import annotations

import pytest

import corpus_expect as E
from nianbao.engine import audit

_RESULTS: dict = {}


def _findings(corpus_dir, name, severity="error"):
    if name not in _RESULTS:
        _RESULTS[name] = audit(corpus_dir / name).findings
    return {E.finding_key(f): f for f in _RESULTS[name] if f.severity == severity}


def _errors(corpus_dir, name):
    return _findings(corpus_dir, name)


def test_every_report_has_an_entry(full_manifest):
    reports = {m["file"] for m in full_manifest if not m["notes"].startswith("FRAGMENT")}
    assert reports == set(E.load())
    assert len(reports) == 71


def test_every_entry_has_a_verdict():
    for name, ent in E.load().items():
        for group in ("errors", "known_false", "fixed", "warnings"):
            for e in ent.get(group) or []:
                assert e.get("verdict") and "TODO" not in e["verdict"], (name, e)


@pytest.mark.parametrize("name", sorted(E.load()) if E.EXPECTATIONS.exists() else [])
def test_report_gives_exactly_its_expected_errors(corpus_dir, name):
    ent = E.load()[name]
    got = _errors(corpus_dir, name)
    want = [E.entry_key(e) for e in (ent.get("errors") or []) + (ent.get("known_false") or [])]
    unexpected = [(k, got[k].message) for k in got if k not in want]
    missing = [k for k in want if k not in got]
    assert unexpected == [] and missing == []
    for e in ent.get("fixed") or []:
        k = E.entry_key(e)
        assert not [g for g in got if g[0] == k[0] and set(k[1:]) <= set(g[1:])], e["verdict"]


WARNED = sorted(n for n, e in E.load().items() if e.get("warnings")) if E.EXPECTATIONS.exists() else []


@pytest.mark.parametrize("name", WARNED)
def test_defects_found_as_warnings_are_found(corpus_dir, name):
    """HAND-CHECKED defects a rule reports as a warning (the text hedges, so not an error) are
    found at their place; other warnings are not asserted."""
    got = _findings(corpus_dir, name, "warning")
    for e in E.load()[name]["warnings"]:
        assert E.entry_key(e) in got, e["verdict"]
