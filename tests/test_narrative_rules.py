"""The narrative and text rules on synthetic reports: each planted defect is found by its rule,
and the clean reports stay clean (no error or warning from these rules).

Reports are built from ``tests/synth.py`` specs without the parser: the text is the synth's
seed-like rendering, the tables are read from the synth's grids (after the defect is applied),
and the sections are located by their printed headings. This keeps these tests independent of
the parser; ``test_narrative_corpus.py`` runs the same rules through ``nianbao.parsing``.
"""
from __future__ import annotations

import pytest

import synth
from nianbao import schema
from nianbao.document import Document, blocks_from_text
from nianbao.model import Cell, Report, Section, Table
from nianbao.engine import run_rule
from nianbao.rules.registry import RULES, all_rules, family_of

all_rules()  # registers the rules

MY_RULES = ("NARR-APPS", "NARR-REVIEW", "NARR-DOCS", "NARR-FEE", "NARR-OVERALL5", "NARR-PROBLEMS",
            "NARR-EMPTY6", "NARR-ALLZERO", "META-AGENCY", "TEXT-YEAR", "TEXT-DEIXIS",
            "TEXT-REGION", "TEXT-TYPO")


def report_from_spec(spec: synth.Spec) -> Report:
    doc = synth.build(spec)
    text = synth.render_text(doc)
    document = Document("synth.txt", "txt", "0" * 64, text, blocks_from_text(text))
    r = Report(document, title=spec.title, agency=spec.agency, year=spec.year,
               format_version=spec.format)
    for name in ("table2", "table3", "table4"):
        t = Table(name, found=True)
        for c in doc.grid(name).cells():
            if c.key:
                raw = c.text.strip()
                t.cells[c.key] = Cell(float(raw) if raw else None, "read" if raw else "blank", raw)
        setattr(r, name, t)
    lines = text.split("\n")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    found = []
    for i, ln in enumerate(lines):
        for sec in schema.SECTIONS:
            if ln.strip() == sec.heading and all(n != sec.number for n, _ in found):
                found.append((sec.number, i))
    for k, (n, i) in enumerate(found):
        end = starts[found[k + 1][1]] if k + 1 < len(found) else len(text)
        a, b = starts[i], starts[i] + len(lines[i])
        r.sections.append(Section(n, lines[i], i + 1, (a, b), (b + 1, end), text[b + 1:end]))
    return r


def run(report: Report, rules=MY_RULES):
    out = []
    for rid in rules:
        out.extend(run_rule(RULES[rid], report))
    return out


def serious(findings):
    return [f for f in findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize("kw", [
    {},
    {"year": 2020},
    {"kind": "government"},
    {"new": [5, 2, 0, 0, 0, 0], "carried": [1, 0, 0, 0, 0, 0],
     "results": {"granted": [3, 1, 0, 0, 0, 0], "unavailable_not_held": [2, 0, 0, 0, 0, 0]},
     "t4": synth.table4(review=(1, 0, 0, 1), direct=(0, 1, 0, 0))},
])
def test_clean_synthetic_reports_stay_clean(kw):
    findings = run(report_from_spec(synth.make_report(**kw)))
    assert serious(findings) == [], [(f.rule, f.message) for f in serious(findings)]


DEFECTS = ["narr-apps", "narr-review", "narr-docs", "narr-empty6", "narr-overall5", "narr-problems",
           "text-region", "text-year-prior", "text-year-future", "text-deixis", "text-typo",
           "meta-agency", "allzero-consist"]


@pytest.mark.parametrize("name", DEFECTS)
def test_each_planted_defect_is_found_by_its_rule(name):
    d = synth.DEFECTS[name]
    kw = {}
    if name in ("narr-apps", "allzero-consist"):
        kw = {"new": [4, 1, 0, 0, 0, 0],
              "results": {"granted": [3, 1, 0, 0, 0, 0], "unavailable_not_held": [1, 0, 0, 0, 0, 0]}}
    if name in ("narr-docs", "allzero-consist"):
        kw["table2_rows"] = {"normative_documents": (2, 1, 9), "licensing": 12}
    findings = run(report_from_spec(synth.make_report(defects=[name], **kw)))
    fired = {f.rule for f in findings}
    for rid in d.rules:
        assert rid in fired, (name, rid, [(f.rule, f.severity, f.message) for f in findings])


def test_changed_claim_number_is_an_error_with_cells_and_span():
    spec = synth.make_report(new=[6, 1, 0, 0, 0, 0], results={"granted": [6, 1, 0, 0, 0, 0]},
                             defects=["narr-apps"])
    r = report_from_spec(spec)
    f = next(f for f in run(r, ["NARR-APPS"]) if f.severity == "error")
    assert f.expected == 7 and f.actual == 9
    a, b = f.location["span"]
    assert "9件" in r.text[a:b]
    assert f.location["line"] == r.document.line_of(a)
    assert f.details["cells"][0]["table"] == "table3"
    assert f.quote and "9件" in f.quote


def test_foreign_place_is_an_error_and_own_places_are_not():
    r = report_from_spec(synth.make_report(defects=["text-region"]))
    fs = run(r, ["TEXT-REGION"])
    assert [(f.actual, f.severity) for f in fs] == [(synth.FOREIGN_DISTRICT, "error")]


def test_an_agency_named_without_its_place_takes_it_from_the_publisher():
    """A portal page titled just 市场监督管理局…年度报告 whose prose names a real district: with
    the area unknown that name is flagged (a warning); when the page's publisher (发布机构) is
    that district's bureau, the district is the agency's own and nothing is flagged."""
    spec = synth.make_report(defects=["text-region"])
    r = report_from_spec(spec)
    r.agency = spec.agency.replace(spec.region, "")
    assert [(f.actual, f.severity) for f in run(r, ["TEXT-REGION"])] == [(synth.FOREIGN_DISTRICT, "warning")]
    r.document.meta["publisher"] = f"呼伦贝尔市{synth.FOREIGN_DISTRICT}{r.agency}办公室"
    assert run(r, ["TEXT-REGION"]) == []
    r.document.meta["publisher"] = f"呼伦贝尔市{synth.FOREIGN_DISTRICT}人民政府"  # not this agency
    assert [f.actual for f in run(r, ["TEXT-REGION"])] == [synth.FOREIGN_DISTRICT]


def test_wrong_year_found_in_prose():
    fs = run(report_from_spec(synth.make_report(year=2023, defects=["text-year-future"])), ["TEXT-YEAR"])
    assert any(f.severity == "error" and f.actual == 2025 for f in fs)
    fs = run(report_from_spec(synth.make_report(year=2023, defects=["text-year-prior"])), ["TEXT-YEAR"])
    assert any(f.severity == "warning" and f.actual == 2022 for f in fs)


def test_null_cell_is_not_compared_with_zero():
    r = report_from_spec(synth.make_report(defects=["narr-apps"], new=[4, 0, 0, 0, 0, 0],
                                           results={"granted": [4, 0, 0, 0, 0, 0]}))
    for col in schema.T3_COLUMN_KEYS:
        r.table3.cells[("new_received", col)] = Cell(None, "blank", "")
    fs = run(r, ["NARR-APPS"])
    assert not [f for f in fs if f.severity == "error" and f.details.get("metric") == "apply.new"]
    assert any(f.severity == "info" and f.details.get("skipped") for f in fs)


def test_rules_are_registered_with_catalogue_metadata():
    for rid in MY_RULES:
        r = RULES[rid]
        assert r.family in ("narrative", "text", "meta") and r.doc
        assert r.family == family_of(rid)


# ---------------------------------------------------------------- the committed fixture files
def _index():
    import csv

    from conftest import FIXTURES

    path = FIXTURES / "reports" / "INDEX.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _parsed_findings(name):
    from conftest import FIXTURES
    from nianbao.parsing import parse

    return run(parse(FIXTURES / "reports" / name))


@pytest.mark.parametrize("row", [r for r in _index() if r["file"].startswith("clean")], ids=lambda r: r["file"])
def test_clean_fixture_files_stay_clean_through_the_parser(row):
    assert serious(_parsed_findings(row["file"])) == []


@pytest.mark.parametrize("row", [r for r in _index() if r["defect"] and not set(r["rules"].split(";")) & set(MY_RULES)
                                 and not set(r["also"].split(";")) & set(MY_RULES)], ids=lambda r: r["file"])
def test_table_defects_are_not_narrative_errors(row):
    """A defect planted in a table makes the prose disagree with it, but the table contradicts
    itself too, so the narrative rules only warn; the table rules carry the error."""
    assert [f for f in _parsed_findings(row["file"]) if f.severity == "error"] == []


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("kw", [{}, {"kind": "government"}, {"year": 2020}])
def test_clean_reports_stay_clean_across_prose_variants(seed, kw):
    assert serious(run(report_from_spec(synth.make_report(seed=seed, **kw)))) == []


def test_government_report_must_cover_assessment_review_and_accountability():
    r = report_from_spec(synth.make_report(kind="government"))
    sec = r.section(1)
    body = r.text[sec.body_span[0]:sec.body_span[1]]
    for word, same_length in (("考核", "工作"), ("社会评议", "工作安排"), ("评议", "工作"), ("责任追究", "工作安排")):
        body = body.replace(word, same_length)  # keep the offsets of the other sections
    r.document.text = r.text[:sec.body_span[0]] + body + r.text[sec.body_span[1]:]
    fs = run(r, ["NARR-OVERALL5"])
    assert fs and set(fs[0].details["missing"]) >= {"考核", "社会评议", "责任追究"}
    dept = report_from_spec(synth.make_report())
    assert run(dept, ["NARR-OVERALL5"]) == []
