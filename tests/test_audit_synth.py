"""End to end on synthetic files (tests/synth.py): file → read → parse → audit.

A clean report gets no error or warning from the table/structure/metadata/citation rules, and
each planted defect of those families makes its named rule fire, and nothing else of those
families at error/warning level beyond what the defect declares as a consequence.
"""
from __future__ import annotations

import pytest
import synth

from reportbuilder import my_rule_ids, only_my_rules

from nianbao.engine import audit

MY_IDS = my_rule_ids()
MY_DEFECTS = sorted(n for n, d in synth.DEFECTS.items() if d.rules and set(d.rules) <= MY_IDS)


def _audit_text(tmp_path, spec, name="r.txt"):
    p = tmp_path / name
    p.write_text(synth.render_text(spec), encoding="utf-8")
    return audit(p)


def _loud(res):
    return sorted({(f.rule, f.severity) for f in res.findings
                   if f.rule in MY_IDS and f.severity != "info"})


@pytest.mark.parametrize("year,kind", [(2023, "department"), (2021, "government"),
                                       (2020, "department"), (2019, "government")])
def test_clean_synthetic_report_is_quiet(tmp_path, year, kind):
    spec = synth.make_report(year=year, kind=kind, new=[5, 1, 0, 0, 0, 0], carried=[1, 0, 0, 0, 0, 0],
                             results={"granted": [4, 1, 0, 0, 0, 0], "unavailable_not_held": [1, 0, 0, 0, 0, 0]},
                             )
    res = _audit_text(tmp_path, spec)
    assert _loud(res) == [], res.to_text()


@pytest.mark.parametrize("name", MY_DEFECTS)
def test_planted_defect_fires_its_rule(tmp_path, name):
    d = synth.DEFECTS[name]
    year = 2020 if name.endswith("in-2019") else 2023  # such defects need a 2019-format year
    spec = synth.make_report(year=year, new=[5, 1, 0, 0, 0, 0],
                             results={"granted": [4, 1, 0, 0, 0, 0], "unavailable_not_held": [1, 0, 0, 0, 0, 0]},
                             defects=[name])
    res = _audit_text(tmp_path, spec)
    fired = {f.rule for f in res.findings}
    for rid in d.rules:
        assert rid in fired, f"{name}: {rid} did not fire\n{res.to_text()}"
    allowed = set(d.rules) | set(d.also)
    extra = [(r, s) for r, s in _loud(res) if r not in allowed]
    assert extra == [], f"{name}: unexpected {extra}\n{res.to_text()}"


def test_cli_exit_codes_and_json(tmp_path, capsys):
    import json

    import yaml

    from nianbao import cli

    cfg = tmp_path / "mine.yaml"
    cfg.write_text(yaml.safe_dump(only_my_rules()), encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(synth.render_text(synth.make_report()), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(synth.render_text(synth.make_report(defects=["t3-r1"])), encoding="utf-8")
    assert cli.main(["audit", str(good), "--config", str(cfg)]) == 0
    assert cli.main(["audit", str(bad), "--config", str(cfg)]) == 1
    capsys.readouterr()
    assert cli.main(["audit", str(bad), "--json", "--config", str(cfg),
                     "--published", "2024-01-02"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["published_source"] == "caller" and d["summary"]["error"] >= 1
    assert any(f["rule"] == "T3-R1" for f in d["findings"])
    assert cli.main(["audit", str(tmp_path / "absent.txt")]) == 2


def test_every_finding_carries_evidence():
    """On every committed fixture: each finding of these rules has a location with a line or
    a part, and each finding about something printed (``actual`` set) quotes it — except the
    publication date, which comes from metadata, not from the text."""
    from conftest import FIXTURES

    files = sorted((FIXTURES / "reports").glob("*.*"))
    files = [p for p in files if p.suffix in (".txt", ".html", ".md", ".docx", ".pdf")
             and p.name != "README.md"]
    assert files
    mine = my_rule_ids()
    for p in files:
        for f in audit(p).findings:
            if f.rule not in mine:
                continue
            assert f.location.get("line") or f.location.get("section"), (p.name, f)
            if f.actual is not None and f.rule != "META-DEADLINE":
                assert f.quote, (p.name, f)
