"""A finding: what is wrong, where, by how much, and the text that shows it (schema.md).

This module is also the one home of the severity scale: its values, their order and their
Chinese labels. Everything that sorts, counts or prints severities imports them from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The severities, most serious first.
SEVERITIES = ("error", "warning", "info")
#: What the pages and letters call them.
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def severity_counts(findings) -> dict[str, int]:
    """How many findings of each severity (every severity present, 0 where none)."""
    out = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def severity_rank(severity: str | None) -> int:
    """0 for error, 1 warning, 2 info; anything else sorts last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


@dataclass(kw_only=True)
class Finding:
    """One finding of one rule.

    A rule builds it with keyword arguments and leaves ``rule`` and ``family`` unset: the engine
    stamps them from the registry, so a finding can never claim another rule's id. ``severity``
    left unset means the rule's default severity; a rule sets it only where the catalogue gives
    a case its own severity (e.g. a label variant is a warning under an error rule). The
    configuration's per-rule override is applied by the engine after that.
    """

    message: str  # Chinese, for the auditor
    severity: str | None = None  # error | warning | info; None: the rule's default
    location: dict[str, Any] = field(default_factory=dict)  # table,row,column | section,line,span
    expected: Any = None
    actual: Any = None
    quote: str | None = None  # the printed text the finding rests on
    details: dict[str, Any] = field(default_factory=dict)  # e.g. skipped/recovered cells
    rule: str | None = None  # stamped by the engine
    family: str | None = None  # stamped by the engine
    evidence_span: tuple[int, int] | None = None  # resolved by the engine (nianbao.spans)

    def to_json(self) -> dict:
        d: dict[str, Any] = {"rule": self.rule, "severity": self.severity,
                             "message": self.message, "location": dict(self.location)}
        if "span" in d["location"] and d["location"]["span"] is not None:
            d["location"]["span"] = list(d["location"]["span"])
        d["expected"] = self.expected
        d["actual"] = self.actual
        d["quote"] = self.quote
        if self.details:
            d["details"] = self.details
        if self.family:
            d["family"] = self.family
        if self.evidence_span is not None:
            d["evidence_span"] = list(self.evidence_span)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Finding":
        """The inverse of ``to_json`` (for results read back from disk)."""
        loc = dict(d.get("location") or {})
        if isinstance(loc.get("span"), list):
            loc["span"] = tuple(loc["span"])
        return cls(rule=d.get("rule"), severity=d.get("severity"), message=d.get("message", ""),
                   location=loc, expected=d.get("expected"), actual=d.get("actual"),
                   quote=d.get("quote"), details=dict(d.get("details") or {}),
                   family=d.get("family"),
                   evidence_span=tuple(d["evidence_span"]) if d.get("evidence_span") else None)
