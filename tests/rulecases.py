"""Rule cases as data: read tests/rule_cases/<RULE-ID>.yml, build each case's report, run the
rule the way an audit would, and compare its findings with the case's expectations.

Why data and not one test function per case: a rule's behaviour is then written down in one
place a reviewer can read (what passes, what fails, with which severity, where, by how much),
and adding a rule is adding a function, a docstring and a cases file — the test module
(test_rule_cases.py) finds the file through the registry. The format is documented in
tests/rule_cases/README.md; every mistake in a file (an unknown key, an edit that changes
nothing) is reported with the file and case name rather than silently ignored.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nianbao.config import load_config
from nianbao.engine import context_for, run_rule
from nianbao.findings import Finding
from nianbao.model import Report
from nianbao.parsing import parse
from reportbuilder import clean_report, set_cell

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
FIXTURE_REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"

BASES = ("clean", "text", "fixture")
CASE_KEYS = {"name", "note", "edits", "published", "config", "expect", *BASES}
EXPECT_KEYS = {"severity", "location", "message_contains", "quote_contains", "span_text",
               "expected", "actual", "details"}
LOCATION_KEYS = {"table", "row", "column", "section", "line"}
TEXT_EDITS = ("replace",)
REPORT_EDITS = ("set_cell", "set")
TEXT_SUFFIXES = (".txt", ".md", ".html")
CLEAN_ARGS = {"year", "agency", "citation", "intro_extra"}


class CaseError(ValueError):
    """A cases file that does not follow the format (names the file and the case)."""


@dataclass
class Case:
    rule: str
    name: str
    file: Path
    spec: dict
    expect: list[dict] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file.name}: case {self.name!r}"


# ---------------------------------------------------------------- loading and validation
def case_file(rule_id: str) -> Path:
    return CASES_DIR / f"{rule_id}.yml"


def load_cases(path: Path) -> list[Case]:
    """The cases of one file, validated; a ``CaseError`` names what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise CaseError(f"{path.name}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict) or set(data) != {"rule", "cases"}:
        raise CaseError(f"{path.name}: needs exactly the keys 'rule' and 'cases'")
    if data["rule"] != path.stem:
        raise CaseError(f"{path.name}: names rule {data['rule']!r}, the file name says {path.stem}")
    if not isinstance(data["cases"], list) or not data["cases"]:
        raise CaseError(f"{path.name}: 'cases' must be a non-empty list")
    out, names = [], set()
    for i, spec in enumerate(data["cases"], 1):
        case = _validate(path, data["rule"], i, spec)
        if case.name in names:
            raise CaseError(f"{case.where}: the name is used twice")
        names.add(case.name)
        out.append(case)
    return out


def _validate(path: Path, rule_id: str, i: int, spec) -> Case:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise CaseError(f"{path.name}: case {i} needs a 'name'")
    case = Case(rule_id, spec["name"], path, spec)
    unknown = set(spec) - CASE_KEYS
    if unknown:
        raise CaseError(f"{case.where}: unknown keys {sorted(unknown)} (allowed: {sorted(CASE_KEYS)})")
    bases = [b for b in BASES if b in spec]
    if len(bases) != 1:
        raise CaseError(f"{case.where}: needs exactly one base of {BASES}, has {bases}")
    if "expect" not in spec or not isinstance(spec["expect"], list):
        raise CaseError(f"{case.where}: 'expect' must be a list ([] for a passing case)")
    for e in spec["expect"]:
        if not isinstance(e, dict) or set(e) - EXPECT_KEYS:
            raise CaseError(f"{case.where}: an expected finding may only have {sorted(EXPECT_KEYS)}")
        if set(e.get("location") or {}) - LOCATION_KEYS:
            raise CaseError(f"{case.where}: location keys are {sorted(LOCATION_KEYS)}")
    for edit in spec.get("edits") or []:
        if not (isinstance(edit, dict) and len(edit) == 1
                and next(iter(edit)) in TEXT_EDITS + REPORT_EDITS):
            raise CaseError(f"{case.where}: each edit is one of {TEXT_EDITS + REPORT_EDITS}: {edit!r}")
    case.expect = spec["expect"]
    return case


# ---------------------------------------------------------------- building the report
def build(case: Case) -> Report:
    """The case's report: its base, the text edits (then parsed), then the report edits."""
    spec = case.spec
    edits = spec.get("edits") or []
    text_edits = [e for e in edits if next(iter(e)) in TEXT_EDITS]
    report_edits = [e for e in edits if next(iter(e)) in REPORT_EDITS]
    if "clean" in spec and not text_edits:
        report = clean_report(**_clean_args(case))
    elif "fixture" in spec and _fixture(case).suffix not in TEXT_SUFFIXES:
        if text_edits:
            raise CaseError(f"{case.where}: 'replace' needs a text fixture ({TEXT_SUFFIXES})")
        report = parse(_fixture(case))  # a Word or PDF fixture is read from its file
    else:
        text, suffix = _base_text(case)
        for e in text_edits:
            text = _replace(case, text, e["replace"])
        report = _parse_text(text, suffix)
    for e in report_edits:
        (kind, arg), = e.items()
        if kind == "set_cell":
            _set_cell(case, report, arg)
        else:
            _set_paths(case, report, arg)
    return report


def _clean_args(case: Case) -> dict:
    arg = case.spec["clean"]
    args = {"year": arg} if isinstance(arg, int) else dict(arg or {})
    if not isinstance(args.get("year"), int) or set(args) - CLEAN_ARGS:
        raise CaseError(f"{case.where}: 'clean' is a year or a mapping of {sorted(CLEAN_ARGS)}")
    return args


def _fixture(case: Case) -> Path:
    path = FIXTURE_REPORTS / str(case.spec["fixture"])
    if not path.is_file():
        raise CaseError(f"{case.where}: no fixture {path.name} in tests/fixtures/reports")
    return path


def _base_text(case: Case) -> tuple[str, str]:
    """The base as text and the file suffix it is read as."""
    spec = case.spec
    if "text" in spec:
        return str(spec["text"]), ".txt"
    if "clean" in spec:
        return clean_report(**_clean_args(case)).text, ".txt"
    path = _fixture(case)
    return path.read_text(encoding="utf-8"), path.suffix


def _replace(case: Case, text: str, arg: dict) -> str:
    if not isinstance(arg, dict) or set(arg) - {"old", "new", "count"} or "old" not in arg:
        raise CaseError(f"{case.where}: replace takes old, new and optionally count")
    old, new = str(arg["old"]), str(arg.get("new") or "")
    n = text.count(old)
    want = arg.get("count", 1)
    if n != want:
        raise CaseError(f"{case.where}: replace expects {old!r} {want} time(s) in the text, found {n}")
    return text.replace(old, new)


def _parse_text(text: str, suffix: str) -> Report:
    """Parse through the real reader: the text is written to a file of the base's kind."""
    with tempfile.TemporaryDirectory(prefix="nianbao-case-") as tmp:
        path = Path(tmp) / f"case{suffix}"
        path.write_text(text, encoding="utf-8")
        return parse(path)


def _set_cell(case: Case, report: Report, arg: dict) -> None:
    keys = {"table", "row", "column", "value", "how", "raw", "reason"}
    if not isinstance(arg, dict) or set(arg) - keys or not {"table", "row", "column", "value"} <= set(arg):
        raise CaseError(f"{case.where}: set_cell takes table, row, column, value "
                        "and optionally how, raw, reason")
    t = report.table(arg["table"])
    if t is None or (arg["row"], arg["column"]) not in t.cells:
        raise CaseError(f"{case.where}: the report has no cell {arg['table']}/{arg['row']}/{arg['column']}")
    set_cell(report, arg["table"], arg["row"], arg["column"], arg["value"],
             arg.get("how", "read" if arg["value"] is not None else "blank"), arg.get("raw"),
             arg.get("reason"))


def _set_paths(case: Case, report: Report, arg: dict) -> None:
    """``set: {table3.col_labels.total: null, period: [2020-01-01, 2020-12-31]}``: each dotted
    path walks attributes, mapping keys and list indices from the report; the last part is set."""
    if not isinstance(arg, dict) or not arg:
        raise CaseError(f"{case.where}: set takes a mapping of dotted paths to values")
    for path, value in arg.items():
        *parents, last = str(path).split(".")
        obj: Any = report
        try:
            for part in parents:
                obj = _child(obj, part)
            if isinstance(value, list) and isinstance(_child(obj, last), tuple):
                value = tuple(value)  # e.g. period: YAML has lists, the model tuples
            if isinstance(obj, dict):
                if last not in obj:
                    raise KeyError(last)
                obj[last] = value
            elif isinstance(obj, list):
                obj[int(last)] = value
            else:
                getattr(obj, last)  # an attribute that does not exist is a typo in the case
                setattr(obj, last, value)
        except (AttributeError, KeyError, IndexError, ValueError) as e:
            raise CaseError(f"{case.where}: cannot set {path!r}: {e!r}") from None


def _child(obj, part: str):
    if isinstance(obj, dict):
        return obj[part]
    if isinstance(obj, list):
        return obj[int(part)]
    return getattr(obj, part)


# ---------------------------------------------------------------- running and matching
def run_case(case: Case, rule) -> tuple[list[Finding], str]:
    """Build the report and run ``rule`` in the context an audit would give it; the findings
    and the report's text (which their spans point into)."""
    report = build(case)
    cfg = load_config(case.spec.get("config"))
    ctx = context_for(report, cfg, case.spec.get("published"))
    return run_rule(rule, report, ctx, cfg["severity"].get(rule.id)), report.text


def mismatch(expect: list[dict], findings: list[Finding], text: str = "") -> str | None:
    """None when ``findings`` are exactly the expected ones (same number; each expectation
    matched by a different finding, in any order); otherwise what differs."""
    if len(expect) != len(findings):
        return f"expected {len(expect)} finding(s), got {len(findings)}"
    ok = [[_matches(e, f, text) for f in findings] for e in expect]
    if _assign(ok, 0, frozenset(range(len(findings)))):
        return None
    bad = [e for e, row in zip(expect, ok) if not any(row)]
    return f"no finding matches {bad[0] if bad else 'the expectations one-to-one'}"


def _assign(ok: list[list[bool]], i: int, free: frozenset) -> bool:
    """Whether expectations i… can each take a finding of their own (the lists are short)."""
    if i == len(ok):
        return True
    return any(ok[i][j] and _assign(ok, i + 1, free - {j}) for j in free)


def _matches(e: dict, f: Finding, text: str) -> bool:
    if "severity" in e and e["severity"] != f.severity:
        return False
    if "span_text" in e:
        span = f.location.get("span")
        if not span or text[span[0]:span[1]] != str(e["span_text"]):
            return False
    for k, v in (e.get("location") or {}).items():
        if f.location.get(k) != v:
            return False
    for k in ("expected", "actual"):
        if k in e and not _same(e[k], getattr(f, k)):
            return False
    for k, v in (e.get("details") or {}).items():
        if k not in f.details or not _same(v, f.details[k]):
            return False
    return (_contains(e.get("message_contains"), f.message)
            and _contains(e.get("quote_contains"), f.quote or ""))


def _same(want, got) -> bool:
    if isinstance(want, dt.date):
        want = want.isoformat()
    if isinstance(got, dt.date):
        got = got.isoformat()
    if isinstance(got, tuple):
        got = list(got)
    return want == got


def _contains(want, text: str) -> bool:
    if want is None:
        return True
    return all(str(w) in text for w in (want if isinstance(want, list) else [want]))


def describe(findings: list[Finding]) -> str:
    """The findings in the case format, for a failure message that shows what to write."""
    rows = [{"severity": f.severity,
             "location": {k: v for k, v in f.location.items() if k in LOCATION_KEYS and v is not None},
             "expected": f.expected, "actual": f.actual, "message": f.message}
            for f in findings]
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, default_flow_style=None)
