"""Review decisions applied to a batch: each finding's review state, and the resolved ones.

A current finding is ``confirmed``/``dismissed``/``accepted``/``ask`` as decided, ``open`` when
it was seen in a review without a decision or its report was never reviewed, and ``new`` when
its report was reviewed and it was not among the findings then. A decision ``confirmed`` or
``ask`` whose finding no longer fires in the report's latest audit is ``resolved``: what the
re-audit of a corrected report is for. Everything here reads ``result.json``-form dicts, so the
index, the CSV, the letters and the notebook all compute the same states.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import schema
from .fingerprint import fingerprints, report_key
from .store import Decision, ReviewStore, today

#: the states shown, in the order shown
STATES = ("new", "open", "confirmed", "ask", "accepted", "dismissed", "resolved")
STATE_LABELS = {"new": "新出现", "open": "待审", "confirmed": "已确认", "ask": "待询问",
                "accepted": "已接受", "dismissed": "非问题", "resolved": "已解决"}
#: decisions that ask the agency for something: when their finding is gone, it is resolved
RESOLVABLE = ("confirmed", "ask")


@dataclass
class Reviewed:
    """One finding of the latest audit with its fingerprint, state and decision (if any)."""

    no: int  # 1-based, the audit's order (the notebook's numbering)
    finding: dict
    fingerprint: str
    state: str
    decision: Decision | None = None


@dataclass
class ReportReview:
    key: str
    findings: list[Reviewed]
    resolved: list[Decision]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for r in self.findings:
            out[r.state] += 1
        out["resolved"] = len(self.resolved)
        return out


def review_report(result: dict, store: ReviewStore) -> ReportReview:
    """The review state of every finding of ``result`` (``result.json`` form)."""
    key = report_key(result)
    decided = store.for_report(key)
    reviewed = bool(decided)
    fps = fingerprints(result)
    out = []
    for i, (f, fp) in enumerate(zip(result.get("findings") or [], fps), 1):
        d = decided.get(fp)
        state = d.status if d else ("new" if reviewed else "open")
        out.append(Reviewed(i, f, fp, state, d))
    current = set(fps)
    resolved = [d for fp, d in sorted(decided.items())
                if d.status in RESOLVABLE and fp not in current]
    return ReportReview(key, out, resolved)


def location_text(loc: dict, fmt: str | None) -> str:
    """A finding's location in words, from its ``result.json`` form (no parsed report needed)."""
    parts = []
    t = loc.get("table")
    if t in schema.TABLE_NAMES:
        parts.append(schema.TABLE_SHORT[t])
        if loc.get("row"):
            parts.append(schema.short_label(schema.row_label(t, loc["row"], fmt)))
        if loc.get("column"):
            parts.append(schema.col_label(t, loc["column"], loc.get("row"), fmt))
    if loc.get("section"):
        parts.append(f"第{loc['section']}部分")
    if loc.get("line"):
        parts.append(f"第{loc['line']}行")
    return " · ".join(parts) or "全文"


def describe(d: Decision, f: dict, result: dict) -> Decision:
    """``d`` with the human columns filled from the finding it is about."""
    fmt = (result.get("report") or {}).get("format_version")
    d.rule, d.severity = str(f.get("rule") or ""), str(f.get("severity") or "")
    d.location = location_text(f.get("location") or {}, fmt)
    d.message, d.quote = _one_line(f.get("message")), _one_line(f.get("quote"))[:200]
    return d


def _one_line(text) -> str:
    """One line per decision in the file, whatever the quote spans."""
    return " ".join(str(text or "").split())


def record(store: ReviewStore, result: dict, decisions: dict[int, tuple[str, str, str]],
           date: str | None = None) -> list[Decision]:
    """Record ``decisions`` (finding number → (status, reason, reviewer)) for one report, and
    every other finding of it as seen (``open``, unless already decided). Returns the decisions
    recorded; the caller saves the store."""
    key = report_key(result)
    findings = result.get("findings") or []
    fps = fingerprints(result)
    date = date or today()
    out = []
    for no, (status, reason, reviewer) in sorted(decisions.items()):
        if not 1 <= no <= len(findings):
            raise ValueError(f"no finding {no} (this report has {len(findings)})")
        if status == "accepted" and not reason.strip():
            raise ValueError("an accepted finding needs a reason")
        d = describe(Decision(key, fps[no - 1], status, reason.strip(), reviewer.strip(), date),
                     findings[no - 1], result)
        store.put(d)
        out.append(d)
    for f, fp in zip(findings, fps):
        store.put(describe(Decision(key, fp, "open", date=date), f, result), overwrite=False)
    return out


def review_batch(batch, store: ReviewStore) -> dict[str, ReportReview]:
    """Report id → its review, for every audited report of a ``BatchFolder``."""
    return {e.id: review_report(e.result, store) for e in batch.reports if e.audited}
