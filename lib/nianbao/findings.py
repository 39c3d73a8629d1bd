"""A finding: what is wrong, where, by how much, and the text that shows it (schema.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese, for the auditor
    location: dict[str, Any] = field(default_factory=dict)  # table,row,column | section,line,span
    expected: Any = None
    actual: Any = None
    quote: str | None = None  # the printed text the finding rests on
    details: dict[str, Any] = field(default_factory=dict)  # e.g. skipped/recovered cells

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
        return d
