"""The rule API keeps its word: the engine stamps ids, families and severities; a rule reads only
the configuration it declares and declares only what it reads; old ids still load."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLES
from nianbao import audit
from nianbao.config import ConfigError, declared_keys, load_config, setting_keys
from nianbao.engine import Context, RuleError, run_rule
from nianbao.findings import Finding
from nianbao.parsing import parse
from nianbao.rules import registry
from nianbao.rules.registry import RULES, all_rules, family_of, report_rules, rule


@pytest.fixture
def temp_rule():
    """Register rules for one test and remove them afterwards (the registry is global)."""
    added = []

    def make(rid, func, **kw):
        meta = dict(title="测试", severity="warning", basis="HEUR", source="test",
                    family=family_of(rid))
        meta.update(kw)
        rule(rid, **meta)(func)
        added.append(rid)
        return RULES[rid]

    all_rules()
    yield make
    for rid in added:
        RULES.pop(rid, None)


@pytest.fixture(scope="module")
def clean_report():
    return parse(FIXTURES / "reports" / "clean.txt")


def test_engine_stamps_id_family_and_default_severity(temp_rule, clean_report):
    r = temp_rule("TEXT-ZZSTAMP", lambda rep, ctx: [Finding(message="m"),
                                                    Finding(message="n", severity="error")])
    out = run_rule(r, clean_report)
    assert [(f.rule, f.family, f.severity) for f in out] == [
        ("TEXT-ZZSTAMP", "text", "warning"), ("TEXT-ZZSTAMP", "text", "error")]
    assert out[0].to_json()["family"] == "text"


def test_configured_severity_overrides_every_finding_of_the_rule(clean_report):
    res = audit(clean_report, published="2099-06-01",
                config={"severity": {"META-DEADLINE": "warning"}})
    got = [f for f in res.findings if f.rule == "META-DEADLINE"]
    assert got and all(f.severity == "warning" for f in got)


def test_a_finding_naming_another_rule_is_a_bug(temp_rule, clean_report):
    r = temp_rule("TEXT-ZZOTHER", lambda rep, ctx: [Finding(message="m", rule="T3-R1")])
    with pytest.raises(RuleError, match="TEXT-ZZOTHER"):
        run_rule(r, clean_report)


def test_a_bad_severity_or_a_non_finding_is_a_bug(temp_rule, clean_report):
    bad = temp_rule("TEXT-ZZSEV", lambda rep, ctx: [Finding(message="m", severity="fatal")])
    with pytest.raises(RuleError, match="fatal"):
        run_rule(bad, clean_report)
    odd = temp_rule("TEXT-ZZTYPE", lambda rep, ctx: ["not a finding"])
    with pytest.raises(RuleError, match="not a Finding"):
        run_rule(odd, clean_report)


def test_finding_fields_are_keyword_only():
    with pytest.raises(TypeError):
        Finding("T3-R1", "error", "m")  # noqa


def test_reading_an_undeclared_key_fails(temp_rule, clean_report):
    def sneaky(rep, ctx):
        ctx.option("thresholds.label_similarity")
        return []

    r = temp_rule("TEXT-ZZSNEAK", sneaky)
    with pytest.raises(RuleError, match="does not declare"):
        run_rule(r, clean_report)
    ok = temp_rule("TEXT-ZZOK", sneaky, config=("thresholds.label_similarity",))
    assert run_rule(ok, clean_report) == []


def test_rule_ids_match_their_family_prefix():
    with pytest.raises(AssertionError, match="prefix"):
        rule("META-ZZWRONG", title="t", severity="info", basis="HEUR", source="s",
             family="narrative")
    for r in all_rules():
        assert registry._PREFIX_FAMILY[r.id.split("-")[0]] == r.family, r.id


def _reports() -> list[Path]:
    files = sorted((FIXTURES / "reports").glob("*.txt")) + sorted(SAMPLES.glob("*.txt"))
    return [p for p in files if p.name != "INDEX.csv"]


def test_every_declared_key_is_read_and_every_setting_is_declared():
    """Run each rule over the fixtures with a context that records reads: a rule that declares
    a key it never reads (on reports where it runs to the end) fails here, as does a setting in
    the packaged configuration that no rule declares."""
    ctx = Context(load_config(None))
    reads: dict[str, set[str]] = {r.id: set() for r in report_rules()}
    for path in _reports():
        report = parse(path)
        for r in report_rules():
            rctx = ctx.for_rule(r)
            list(r.func(report, rctx) or ())
            reads[r.id] |= rctx.reads
    # the batch rules (scope="batch") keep the same contract: tests/test_crossreport.py
    for r in report_rules():
        assert reads[r.id] == set(r.config), f"{r.id} declares {r.config}, reads {reads[r.id]}"
    assert setting_keys() == declared_keys()


def test_configuration_refuses_a_setting_no_rule_reads():
    with pytest.raises(ConfigError, match="blank_list_max"):
        load_config({"thresholds": {"blank_list_max": 3}})


def test_old_rule_ids_still_load(clean_report):
    cfg = load_config({"disabled": ["ALLZERO-CONSIST"], "severity": {"ALLZERO-CONSIST": "info"}})
    assert cfg["disabled"] == ["NARR-ALLZERO"] and cfg["severity"] == {"NARR-ALLZERO": "info"}
    res = audit(clean_report, config=cfg)
    assert "NARR-ALLZERO" in res.rules_disabled
    assert family_of("ALLZERO-CONSIST") == "narrative"
    old = {"rule": "ALLZERO-CONSIST", "severity": "warning", "message": "m",
           "location": {"line": 3, "span": [1, 2]}}
    f = Finding.from_json(old)
    assert f.location["span"] == (1, 2) and f.rule == "ALLZERO-CONSIST"


def test_rules_markdown_lists_each_rules_settings():
    from nianbao.rules.docs import rules_markdown

    md = rules_markdown()
    row = next(line for line in md.splitlines() if line.startswith("| META-DEADLINE |"))
    assert "`deadlines`" in row and "`agency_kind`" in row
