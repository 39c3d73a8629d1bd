"""The cross-report step (nianbao.crossreport): identity, continuity and copy rules over a batch of
results — synthetic batches with planted defects (tests/synthbatch.py) and the real corpus."""
from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

import synthbatch as sb
from conftest import ROOT
from nianbao import audit
from nianbao.config import ConfigError, load_config
from nianbao.crossreport import Entry, run
from nianbao.crossreport.identity import agency_key, group
from nianbao.engine import Context
from nianbao.rules.registry import batch_rules, family_of

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def _entries(texts: dict[str, str], tmp: Path) -> list[Entry]:
    out = []
    for name, text in texts.items():
        p = tmp / name
        p.write_text(text, encoding="utf-8")
        res = json.loads(audit(p).to_json_text())
        out.append(Entry.from_result(p.stem, res, href=f"{p.stem}/audit.html", file=name))
    return out


@pytest.fixture(scope="module")
def members():
    return sb.members(6)


@pytest.fixture(scope="module")
def clean(members, tmp_path_factory):
    return _entries(sb.batch_texts(members), tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="module")
def planted(members, tmp_path_factory):
    texts = sb.batch_texts(members)
    a, b, c = members[0], members[1], members[2]
    # a's 2023 report is its 2022 report with only the year changed
    texts[f"{a.seed}-2023.txt"] = sb.reissue(texts[f"{a.seed}-2022.txt"], 2022, 2023)
    # b's 2023 report carries a paragraph of c's 2023 report, c's place name left in
    texts[f"{b.seed}-2023.txt"] = sb.lift_paragraph(texts[f"{b.seed}-2023.txt"],
                                                    texts[f"{c.seed}-2023.txt"], c.place)
    return _entries(texts, tmp_path_factory.mktemp("planted"))


def test_places_of_the_generator_are_fictitious():
    from nianbao.prose.places import gazetteer

    g = gazetteer()
    for p in sb.PLACES:
        assert p[3:] not in g.by_name and p[:3] not in g.by_name, p


def test_clean_independent_reports_raise_nothing_above_info(clean):
    res = run(clean)
    assert [f for f in res.findings if f.severity != "info"] == []
    # every consecutive pair was checked and carries over
    assert len(res.carry) == 6 * 2 and {c.status for c in res.carry} == {"ok"}


def test_reissued_report_is_caught_by_copy_prev(planted, members):
    res = run(planted)
    rid = f"{members[0].seed}-2023"
    fs = [f for f in res.for_report(rid) if f.rule == "COPY-PREV"]
    assert len(fs) == 1 and fs[0].severity == "warning" and fs[0].family == "crossreport"
    assert fs[0].actual >= 0.95
    assert fs[0].details["previous"]["id"] == f"{members[0].seed}-2022"
    p = fs[0].details["passages"][0]
    assert p["mine"] and p["theirs"]  # shown side by side
    # no other report of the batch repeats its predecessor
    others = [f for f in res.findings if f.rule == "COPY-PREV" and f.location["report"] != rid]
    assert others == []


def test_lifted_paragraph_with_the_other_place_is_an_error_linked_to_the_source(planted, members):
    res = run(planted)
    b, c = members[1], members[2]
    mine = [f for f in res.for_report(f"{b.seed}-2023") if f.rule == "COPY-PEER"]
    assert len(mine) == 1 and mine[0].severity == "error"
    assert mine[0].details["other"]["id"] == f"{c.seed}-2023"
    assert mine[0].details["other"]["href"] == f"{c.seed}-2023/audit.html"
    assert c.place in mine[0].details["names_carried"][0]
    theirs = [f for f in res.for_report(f"{c.seed}-2023") if f.rule == "COPY-PEER"]
    assert len(theirs) == 1 and theirs[0].severity == "warning"
    # nothing else in the batch is a copy between agencies
    assert {f.location["report"] for f in res.findings if f.rule == "COPY-PEER"} == \
        {f"{b.seed}-2023", f"{c.seed}-2023"}


def test_common_text_is_learned_from_the_batch(members, tmp_path):
    """A region's template printed by every agency is learned as common text and proves
    nothing; with a threshold no sentence reaches, the same batch is full of 'copies'."""
    texts = {k: sb.add_template(t) for k, t in sb.batch_texts(members).items()}
    entries = _entries(texts, tmp_path)
    res = run(entries)
    from nianbao.crossreport.units import normalise

    idx = next(iter(res.batch._copy.values()))
    assert normalise(sb.TEMPLATE) in idx.common
    assert [f for f in res.findings if f.severity != "info"] == []
    loose = run(entries, {"thresholds": {"copy_common_min": 1000}})
    assert any(f.rule == "COPY-PEER" for f in loose.findings)


def _tweak(entries, rid, table, row, col, value):
    out = copy.deepcopy(entries)
    e = next(x for x in out if x.id == rid)
    e.tables[table][row][col] = value
    return out


def test_carry_over_mismatch_is_an_error_per_column(clean, members):
    rid = f"{members[3].seed}-2022"
    prev = next(e for e in clean if e.id == f"{members[3].seed}-2021")
    was = prev.value("table3", "carried_forward", "natural_person")
    res = run(_tweak(clean, rid, "table3", "carried_over", "natural_person", was + 4))
    fs = [f for f in res.findings if f.rule == "CROSS-CARRY"]
    assert len(fs) == 1 and fs[0].severity == "error"
    assert fs[0].location == {"report": rid, "table": "table3", "row": "carried_over",
                              "column": "natural_person"}
    assert (fs[0].expected, fs[0].actual) == (was, was + 4)


def test_a_blank_is_not_a_zero_in_the_carry_over(clean, members):
    rid = f"{members[3].seed}-2022"
    res = run(_tweak(clean, rid, "table3", "carried_over", "natural_person", None))
    assert not [f for f in res.findings if f.rule == "CROSS-CARRY"]
    chk = next(c for c in res.carry if c.current.id == rid)
    assert chk.status == "partial" and "自然人" in chk.why


def test_stock_and_jump_and_gap(clean, members):
    rid = f"{members[4].seed}-2022"
    es = _tweak(clean, rid, "table2", "normative_documents", "in_force", 500)
    es = [e for e in es if e.id != f"{members[5].seed}-2022"]  # a hole in agency 5's run
    res = run(es)
    stock = [f for f in res.findings if f.rule == "CROSS-STOCK"]
    assert [(f.location["report"], f.expected, f.actual, f.severity) for f in stock] == \
        [(rid, 11, 500, "warning"), (f"{members[4].seed}-2023", 501, 12, "warning")]
    jumps = [f for f in res.findings if f.rule == "CROSS-JUMP"]
    assert {(f.location["report"], f.location["row"], f.severity) for f in jumps} >= \
        {(rid, "normative_documents", "info")}
    gap = [f for f in res.findings if f.rule == "CROSS-GAP"]
    assert [(f.location["report"], f.expected, f.severity) for f in gap] == \
        [(f"{members[5].seed}-2023", [2022], "info")]


def test_configured_severity_and_disabled_apply(planted):
    res = run(planted, {"severity": {"COPY-PEER": "info"}, "disabled": ["COPY-PREV"]})
    assert "COPY-PREV" in res.rules_disabled and not any(f.rule == "COPY-PREV" for f in res.findings)
    assert {f.severity for f in res.findings if f.rule == "COPY-PEER"} == {"info"}


def test_batch_rules_read_exactly_what_they_declare(planted):
    """The rule-API contract of tests/test_rule_api.py, for the batch rules."""
    from nianbao.crossreport.batch import CrossBatch

    ctx = Context(load_config(None))
    for r in batch_rules():
        rctx = ctx.for_rule(r)
        list(r.func(CrossBatch(planted), rctx))
        assert rctx.reads == set(r.config), f"{r.id} declares {r.config}, reads {rctx.reads}"
        assert family_of(r.id) == "crossreport"


def test_cross_settings_are_validated():
    with pytest.raises(ConfigError, match="copy_common_share"):
        load_config({"thresholds": {"copy_common_share": 3}})
    with pytest.raises(ConfigError, match="agency_aliases"):
        load_config({"agency_aliases": ["x"]})


# ------------------------------------------------------------------ identity
def test_agency_identity_joins_forms_of_one_name():
    assert agency_key("淮安市洪泽区人民政府") == agency_key("洪泽区人民政府")
    assert agency_key("平潭综合实验区管委会办公室") == agency_key("平潭综合实验区管理委员会办公室")
    assert agency_key("青岚市澜溪区财政局") != agency_key("青岚市白鹭县财政局")
    assert agency_key("青岚市人民政府") != agency_key("青岚市澜溪区人民政府")
    aliases = {"澜溪区综合执法局": "青岚市澜溪区综合执法与应急管理局"}
    assert agency_key("澜溪区综合执法局", aliases) == agency_key("澜溪区综合执法与应急管理局")


def test_a_name_without_place_joins_the_one_agency_with_that_rest():
    class E:
        def __init__(self, i, a, y):
            self.id, self.agency, self.year = i, a, y

    g = group([E("a", "公安局", 2009), E("b", "青岚市白鹭县公安局", 2010), E("c", "白鹭县财政局", 2010)])
    assert sorted(len(a.years) for a in g.values()) == [1, 2]
    assert next(a for a in g.values() if len(a.years) == 2).name == "青岚市白鹭县公安局"


# ------------------------------------------------------------------ the real corpus
def _corpus_entries(names):
    out = []
    for name in names:
        res = json.loads(audit(CORPUS / name).to_json_text())
        out.append(Entry.from_result(Path(name).stem, res, file=name))
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/real is absent")
def test_2009_county_reports_sharing_another_bureaus_text_are_linked():
    names = ["fujian-pingtan-county-public-security-bureau-2009.txt",
             "fujian-pingtan-county-transport-bureau-2009.txt",
             "fujian-pingtan-county-work-safety-bureau-2009.txt",
             "fujian-pingtan-county-food-drug-administration-2010.txt",
             "fujian-pingtan-zone-2021.txt", "fujian-pingtan-finance-bureau-2021.txt",
             "fujian-pingtan-social-affairs-bureau-2021.txt",
             "fujian-pingtan-admin-office-2021.txt", "fujian-pingtan-zone-2022.txt"]
    res = run(_corpus_entries(names))
    linked = {}
    for f in res.findings:
        if f.rule == "COPY-PEER":
            linked.setdefault(f.location["report"], set()).add(f.details["other"]["id"])
    county = [Path(n).stem for n in names[:4]]
    for rid in county:
        assert set(county) - {rid} <= linked.get(rid, set()), rid


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/real is absent")
def test_every_consecutive_pair_of_the_corpus_is_checked():
    rows = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")))
    names = [r["file"] for r in rows]
    res = run(_corpus_entries(names))
    # consecutive years of one agency by the manifest's own agency names and years
    by = {}
    for r in rows:
        by.setdefault(r["agency_name"], set()).add(int(r["report_year"]))
    expected_years = {(a, y) for a, ys in by.items() for y in ys if y - 1 in ys}
    checked = {(c.current.year, c.previous.year) for c in res.carry}
    for a, y in expected_years:
        assert (y, y - 1) in checked, (a, y)
    assert all(c.status in ("ok", "partial", "mismatch", "not-comparable") for c in res.carry)
