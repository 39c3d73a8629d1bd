"""Run the registered rules over a parsed report and hold the result with its evidence.

``audit(path_or_report, published=None, config=None)`` parses a file if needed, builds the
``Context`` (effective configuration, publication date and where it came from) and runs every
enabled rule from the registry. A rule that raises is a bug in nianbao, not a property of the
report: the exception propagates (wrapped in ``RuleError`` naming the rule), so tests see it and
the batch, which catches per report, records it as that report's failure instead of dying.
Swallowing it into an "internal" finding would let a broken rule look like a clean report.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .version import __version__
from .config import agency_kind, load_config
from .errors import InputError
from .findings import SEVERITIES, Finding, severity_counts, severity_rank
from .model import PUBLISHED_SOURCE_LABELS, Report
from .schema import TABLE_SHORT
from .rules.registry import report_rules
from .spans import resolve as resolve_spans

SCHEMA_VERSION = 1
TABLE_ORDER = ("table2", "table3", "table4")


class RuleError(RuntimeError):
    """A rule raised: a bug in nianbao. Carries the rule id and the report path."""

    def __init__(self, rule_id: str, path: str, exc: BaseException):
        self.rule_id = rule_id
        super().__init__(f"rule {rule_id} failed on {path}: {type(exc).__name__}: {exc}")


class UndeclaredOption(KeyError):
    """A rule read a configuration key it did not declare in ``@rule(config=...)``."""


@dataclass
class Context:
    """What the audit knows besides the report. ``published`` is the effective publication date
    (the caller's, else the input's); ``published_source`` says which (input | caller | unknown).
    Rules do not see it: each gets a ``RuleContext`` made by ``for_rule``."""

    config: dict
    published: _dt.date | None = None
    published_source: str = "unknown"

    def for_rule(self, rule) -> "RuleContext":
        return RuleContext(self, rule)


class RuleContext:
    """What one rule may know: the publication date and the configuration keys it declared.

    Reading any other key raises ``UndeclaredOption``, so the declarations in the registry (from
    which the configuration's validation and docs/rules.md are derived) cannot drift from what
    the rules really read. ``reads`` records what was read (the test of "declared but never
    read" uses it).
    """

    __slots__ = ("published", "published_source", "rule_id", "_declared", "_config", "reads")

    def __init__(self, ctx: Context, rule):
        self.published = ctx.published
        self.published_source = ctx.published_source
        self.rule_id = rule.id
        self._declared = frozenset(rule.config)
        self._config = ctx.config
        self.reads: set[str] = set()

    def option(self, key: str):
        """The value of the dotted configuration key ``key`` (e.g. ``thresholds.fee_decimals``)."""
        if key not in self._declared:
            raise UndeclaredOption(f"rule {self.rule_id} reads configuration key {key!r} "
                                   "that it does not declare")
        self.reads.add(key)
        value = self._config
        for part in key.split("."):
            value = value[part]
        return value

    def agency_kind(self, report: Report) -> tuple[str | None, str]:
        """The agency kind from the configuration (``agency_kind``, ``government_suffixes``)."""
        return agency_kind(report.agency, {"agency_kind": self.option("agency_kind"),
                                           "government_suffixes":
                                               self.option("government_suffixes")})


_DATE = re.compile(r"\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*")


def parse_date(value, what: str = "published") -> _dt.date | None:
    """A date from a ``date`` or a string in the forms people type: ``2024-01-20``,
    ``2024-1-20``, ``2024/1/20``, ``2024.1.20``, ``2024年1月20日``; an empty string is no date.
    Anything else is an ``InputError`` naming ``what`` (the parameter, in the caller's words)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if value is None or isinstance(value, _dt.date):
        return value
    text = str(value)
    if not text.strip():
        return None
    m = _DATE.fullmatch(text)
    try:
        if m:
            return _dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        pass
    raise InputError(what, f"not a date (e.g. 2024-01-20, 2024/1/20 or 2024年1月20日): {value!r}")


def _sort_key(f: Finding):
    loc = f.location
    line = loc.get("line")
    tbl = loc.get("table")
    return (severity_rank(f.severity),
            line if isinstance(line, int) else 10**9,
            TABLE_ORDER.index(tbl) if tbl in TABLE_ORDER else 9,
            str(loc.get("row") or ""), str(loc.get("column") or ""), f.rule)


@dataclass
class AuditResult:
    source: dict
    report: Report
    findings: list[Finding]
    config: dict
    rules_run: list[str]
    rules_disabled: list[str]
    published: _dt.date | None = None
    published_source: str = "unknown"
    tool_version: str = __version__
    families: dict[str, str] = field(default_factory=dict)  # rule id -> family

    @property
    def summary(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def to_json(self) -> dict:
        """The audit result of schema.md, plus ``config``, ``rules_run``, ``rules_disabled``
        and ``published_source``; ``report.published`` is the effective date."""
        rep = self.report.to_json()
        rep["published"] = self.published.isoformat() if self.published else None
        return {
            "schema_version": SCHEMA_VERSION,
            "tool_version": self.tool_version,
            "source": dict(self.source),
            "report": rep,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
            "published_source": self.published_source,
            "config": self.config,
            "rules_run": list(self.rules_run),
            "rules_disabled": list(self.rules_disabled),
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2, default=str)

    def findings_frame(self):
        import pandas as pd

        cols = ["rule", "severity", "family", "message", "table", "row", "column", "section",
                "line", "expected", "actual", "quote"]
        rows = []
        for f in self.findings:
            loc = f.location
            rows.append({"rule": f.rule, "severity": f.severity,
                         "family": self.families.get(f.rule), "message": f.message,
                         "table": loc.get("table"), "row": loc.get("row"),
                         "column": loc.get("column"), "section": loc.get("section"),
                         "line": loc.get("line"), "expected": f.expected,
                         "actual": f.actual, "quote": f.quote})
        df = pd.DataFrame(rows, columns=cols)
        df["line"] = df["line"].astype("Int64")
        df["section"] = df["section"].astype("Int64")
        return df

    def to_text(self) -> str:
        """One line per finding: severity, rule, location, message (for the CLI)."""
        r = self.report
        s = self.summary
        head = [f"{self.source.get('path')}",
                f"  {r.agency or '(机关未识别)'} · {r.year or '(年度未识别)'}年 · 格式 {r.format_version}"
                f" · 发布日期 {self.published or '未知'}"
                + (f"（{PUBLISHED_SOURCE_LABELS[self.published_source]}）" if self.published else ""),
                f"  {s['error']} error · {s['warning']} warning · {s['info']} info"
                f" · {len(self.rules_run)} rules run"]
        lines = [f"{f.severity:<7} {f.rule:<18} {location_text(f.location):<28} {f.message}"
                 for f in self.findings]
        return "\n".join(head + ([""] + lines if lines else ["", "no findings"]))

    def _repr_html_(self) -> str:
        e = html.escape
        s = self.summary
        r = self.report
        rows = "".join(
            f"<tr class='sev-{e(f.severity)}'><td>{e(f.severity)}</td><td>{e(f.rule)}</td>"
            f"<td>{e(location_text(f.location))}</td><td>{e(f.message)}</td>"
            f"<td>{e(str(f.quote or ''))}</td></tr>" for f in self.findings)
        return (f"<div class='nianbao-audit'><p><b>{e(str(r.title or self.source.get('path')))}"
                f"</b> — {s['error']} error, {s['warning']} warning, {s['info']} info</p>"
                "<table><thead><tr><th>severity</th><th>rule</th><th>location</th>"
                f"<th>message</th><th>quote</th></tr></thead><tbody>{rows}</tbody></table></div>")


def location_text(loc: dict[str, Any]) -> str:
    """A short human location: ``table3/new_received/total L43`` or ``§2 L21``."""
    parts = []
    if loc.get("table"):
        parts.append("/".join(str(loc[k]) for k in ("table", "row", "column") if loc.get(k)))
    elif loc.get("section"):
        parts.append(f"§{loc['section']}")
    if loc.get("line"):
        parts.append(f"L{loc['line']}")
    return " ".join(parts) or "-"


def audit(path_or_report, published=None, config=None) -> AuditResult:
    """Audit a report file or a parsed ``Report``; see the module docstring for rule errors."""
    cfg = load_config(config)
    caller_date = parse_date(published)
    if isinstance(path_or_report, Report):
        report = path_or_report
    else:
        from .parsing import parse

        report = parse(path_or_report, limits=cfg["limits"])
    ctx = context_for(report, cfg, caller_date)
    pub, pub_src = ctx.published, ctx.published_source
    disabled = set(cfg["disabled"])
    overrides = cfg["severity"]
    findings: list[Finding] = []
    run, skipped, families = [], [], {}
    doc = report.document
    for r in report_rules():
        families[r.id] = r.family
        if r.id in disabled:
            skipped.append(r.id)
            continue
        if report.body_missing and not runs_without_body(r):
            skipped.append(r.id)
            continue
        run.append(r.id)
        findings.extend(run_rule(r, report, ctx, overrides.get(r.id)))
    _lower_on_doubtful_tables(report, findings)
    findings.sort(key=_sort_key)
    resolve_spans(findings, report)
    source = {"path": doc.path, "sha256": doc.sha256 or _sha256(doc.path), "format": doc.format}
    return AuditResult(source, report, findings, cfg, run, skipped, pub, pub_src,
                       families=families)


def _lower_on_doubtful_tables(report: Report, findings: list[Finding]) -> None:
    """An error that rests on a table read in doubt (a table rule's, or a narrative comparison
    with its cells) is lowered to info naming the doubt: STRUCT-READ has said the table could
    not be read reliably, and a misreading must not reach the auditor as an error."""
    for f in findings:
        name = f.location.get("table")
        if f.severity != "error" or name not in TABLE_ORDER or not report.table(name).doubtful:
            continue
        f.severity = "info"
        f.message = f"（{TABLE_SHORT[name]}读取存疑，降为提示）{f.message}"
        f.details = {**f.details, "lowered_from": "error", "doubts": list(report.table(name).doubts)}



#: Rules that still mean something when the input has no report body: the metadata ones (title,
#: year, agency, date) and the finding that says the body is missing.
BODYLESS_RULES = ("STRUCT-EMPTY",)


def runs_without_body(r) -> bool:
    return r.family == "meta" or r.id in BODYLESS_RULES


def context_for(report: Report, cfg: dict, published=None) -> Context:
    """The ``Context`` an audit of ``report`` runs its rules in: the effective configuration
    ``cfg`` (from ``load_config``) and the publication date (the caller's ``published``, else
    the report's own, else unknown). ``audit`` builds it here, and so does anything that runs
    single rules the way an audit would (the rule cases in tests/rule_cases)."""
    caller_date = parse_date(published)
    if caller_date is not None:
        return Context(cfg, caller_date, "caller")
    if report.published is not None:
        return Context(cfg, report.published, "input")
    return Context(cfg, None, "unknown")


def run_rule(r, report: Report, ctx: Context | None = None,
             override: str | None = None) -> list[Finding]:
    """Run one registered rule and stamp its findings; ``ctx`` defaults to the packaged
    configuration with no publication date (tests and benchmarks run single rules this way)."""
    ctx = ctx or Context(load_config(None))
    try:
        out = list(r.func(report, ctx.for_rule(r)) or ())
        for f in out:
            _stamp(f, r, override)
    except Exception as exc:  # a bug: name the rule, keep the cause
        raise RuleError(r.id, report.document.path, exc) from exc
    return out


def _stamp(f: Finding, r, override: str | None) -> None:
    """Give a rule's finding its id, family and severity (default, or the configured override);
    a finding that names another rule, or is not a ``Finding``, is a bug in that rule."""
    if not isinstance(f, Finding):
        raise TypeError(f"yielded {type(f).__name__}, not a Finding")
    if f.rule not in (None, r.id):
        raise ValueError(f"a finding of rule {r.id} names rule {f.rule}")
    if f.severity is not None and f.severity not in SEVERITIES:
        raise ValueError(f"severity {f.severity!r} is not one of {SEVERITIES}")
    f.rule, f.family = r.id, r.family
    f.severity = override or f.severity or r.severity


def _sha256(path: str) -> str | None:
    p = Path(path)
    if not p.is_file():
        return None
    return hashlib.sha256(p.read_bytes()).hexdigest()
