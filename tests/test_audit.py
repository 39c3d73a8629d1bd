"""The audit API: result shape (schema.md), ordering, severity overrides, disabled rules,
publication date handling, renderings, and rule failures surfacing."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from reportbuilder import clean_report, my_rule_ids, only_my_rules, set_cell

from nianbao import cli
from nianbao.engine import AuditResult, RuleError, audit
from nianbao.errors import InputError
from nianbao.findings import Finding
from nianbao.rules import registry


ONLY_MINE = only_my_rules()


def defective():
    r = clean_report()
    set_cell(r, "table3", "new_received", "natural_person", 11)  # R1 + R2 errors
    r.table3.col_labels["social_welfare"] = "社会组织"  # warning
    r.agency = "青禾县<b>农业</b>局"
    return r


def test_json_matches_schema_and_is_serialisable():
    res = audit(defective(), published="2022-01-10", config=ONLY_MINE)
    d = json.loads(res.to_json_text())
    assert d["schema_version"] == 1 and d["tool_version"]
    assert set(d) >= {"schema_version", "tool_version", "source", "report", "findings",
                      "summary", "config", "rules_run", "rules_disabled", "published_source"}
    assert set(d["source"]) == {"path", "sha256", "format"}
    assert d["report"]["published"] == "2022-01-10" and d["published_source"] == "caller"
    assert d["report"]["tables"]["table3"]["new_received"]["natural_person"] == 11
    f = d["findings"][0]
    assert set(f) >= {"rule", "severity", "message", "location", "expected", "actual", "quote"}
    assert d["summary"] == {"error": 2, "warning": 1, "info": 0}
    assert d["summary"]["error"] == sum(x["severity"] == "error" for x in d["findings"])
    assert "T3-R1" in d["rules_run"] and sorted(d["rules_disabled"]) == ONLY_MINE["disabled"]
    assert d["config"]["deadlines"]["department"] == "01-31"


def test_findings_sorted_by_severity_then_line():
    fs = audit(defective(), published="2022-01-10", config=ONLY_MINE).findings
    keys = [("error", "warning", "info").index(f.severity) for f in fs]
    assert keys == sorted(keys)
    errs = [f.location.get("line") for f in fs if f.severity == "error"]
    assert errs == sorted(errs)


def test_severity_override_and_disabled_rules():
    res = audit(defective(), published="2022-01-10",
                config={"severity": {"T3-R2": "info"}, "disabled": ["T3-R1"]})
    assert {f.rule for f in res.findings} >= {"T3-R2", "T3-HEADER"}
    rules = {f.rule: f.severity for f in res.findings}
    assert rules["T3-R2"] == "info" and "T3-R1" not in rules
    assert res.rules_disabled == ["T3-R1"] and "T3-R1" not in res.rules_run
    assert len(res.rules_run) == len(registry.report_rules()) - 1
    assert res.config["disabled"] == ["T3-R1"]


def test_published_precedence():
    r = clean_report(published=dt.date(2022, 1, 5))
    assert audit(r).published_source == "input" and audit(r).published == dt.date(2022, 1, 5)
    res = audit(r, published=dt.date(2022, 1, 7))
    assert (res.published_source, res.published) == ("caller", dt.date(2022, 1, 7))
    assert audit(clean_report()).published_source == "unknown"
    assert audit(r, published=dt.datetime(2022, 1, 7, 9, 30)).published == dt.date(2022, 1, 7)


def test_bad_published_is_one_line_input_error():
    with pytest.raises(InputError) as e:
        audit(clean_report(), published="2022-13-45")
    assert "2024-01-20" in str(e.value) and "\n" not in str(e.value)
    # the notebook passes its parameter: the message names it, not a command-line flag
    assert str(e.value).startswith("published:") and "--" not in str(e.value)


@pytest.mark.parametrize("typed", ["2024-01-20", "2024-1-20", "2024/1/20", "2024.1.20",
                                   "2024年1月20日", " 2024 年 1 月 20 日 "])
def test_published_in_the_forms_people_type(typed):
    assert audit(clean_report(), published=typed).published == dt.date(2024, 1, 20)


@pytest.mark.parametrize("bad", ["2024-1", "20/1/2024", "2024-02-30", "2024年13月1日", "yesterday"])
def test_published_nonsense_is_refused(bad):
    with pytest.raises(InputError):
        audit(clean_report(), published=bad)


def test_cli_bad_published_and_bad_config_exit_2(tmp_path, capsys):
    assert cli.main(["audit", str(tmp_path / "x.txt"), "--published", "yesterday"]) == 2
    bad = tmp_path / "c.yaml"
    bad.write_text("severityy: {}\n", encoding="utf-8")
    assert cli.main(["audit", str(tmp_path / "x.txt"), "--config", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "severityy" in err[1]


def test_text_one_line_per_finding():
    res = audit(defective(), published="2022-01-10", config=ONLY_MINE)
    lines = res.to_text().splitlines()
    body = [ln for ln in lines if ln.startswith(("error", "warning", "info"))]
    assert len(body) == len(res.findings)
    assert body[0].split()[1] == res.findings[0].rule


def test_html_is_escaped():
    r = defective()
    r.title = "<script>alert(1)</script>"
    r.table3.col_labels["social_welfare"] = "社会<img src=x>组织"
    out = audit(r, published="2022-01-10", config=ONLY_MINE)._repr_html_()
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x&gt;" in out


def test_findings_frame_columns():
    df = audit(defective(), published="2022-01-10", config=ONLY_MINE).findings_frame()
    assert list(df.columns) == ["rule", "severity", "family", "message", "table", "row",
                                "column", "section", "line", "expected", "actual", "quote"]
    assert len(df) == 3 and set(df["family"]) == {"table3"}
    assert audit(clean_report(), published="2022-01-10", config=ONLY_MINE).findings_frame().empty


def test_clean_report_has_no_findings_from_these_rules():
    res = audit(clean_report(), published="2022-01-10")
    assert [f for f in res.findings if f.rule in my_rule_ids()] == []
    assert isinstance(res, AuditResult)


def test_rule_that_raises_names_the_rule(monkeypatch):
    def broken(report, ctx):
        raise KeyError("boom")

    rules = dict(registry.RULES)
    rules["ZZ-BROKEN"] = registry.Rule("ZZ-BROKEN", "t", "error", "HEUR", "test", "text", broken)
    monkeypatch.setattr(registry, "RULES", rules)
    with pytest.raises(RuleError) as e:
        audit(clean_report())
    assert "ZZ-BROKEN" in str(e.value) and e.value.rule_id == "ZZ-BROKEN"


def test_finding_json_span_is_list():
    f = Finding(rule="X", severity="info", message="m", location={"line": 1, "span": (0, 3)})
    assert f.to_json()["location"]["span"] == [0, 3]
