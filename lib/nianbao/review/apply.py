"""Review decisions applied to a batch: each finding's review state, and the resolved ones.

A current finding is ``confirmed``/``dismissed``/``accepted``/``ask`` as decided, ``open`` when
it was seen in a review without a decision or its report was never reviewed, and ``new`` when
its report was reviewed and it was not among the findings then. A decision ``confirmed`` or
``ask`` whose finding no longer fires in the report's latest audit is ``resolved``: what the
re-audit of a corrected report is for. Everything here reads ``result.json``-form dicts, so the
index, the CSV, the letters and the notebook all compute the same states.

The cross-report findings about a report (``crossreport.json``) are reviewed with it: numbered
after its own findings, filed in the same review file under the same report identity. Where the
cross-report results are not at hand (``cross=None``: the audit notebook, a batch whose
cross-report step did not run) their decisions are left alone — never taken for resolved. A
cross-report finding is ``new`` once any cross-report finding of its report was reviewed (the
audit notebook, which does not know them, records only the report's own findings as seen).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import schema
from .fingerprint import fingerprints, other_report, report_key
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
    cross: bool = False  # a cross-report finding (crossreport.json) about this report


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


def is_cross(d: Decision) -> bool:
    """Whether a decision is about a cross-report finding (by its rule's family)."""
    from ..rules.registry import family_of

    return family_of(d.rule) == "crossreport"


def review_report(result: dict, store: ReviewStore, cross: list | None = None,
                  keys: dict[str, str] | None = None) -> ReportReview:
    """The review state of every finding of ``result`` (``result.json`` form), then of each of
    ``cross`` (its cross-report findings; None: not known here); ``keys``: ``batch_keys``."""
    key = report_key(result)
    decided = store.for_report(key)
    own = result.get("findings") or []
    fps = fingerprints(result, cross, keys)
    seen = {False: bool(decided), True: any(is_cross(d) for d in decided.values())}
    out = []
    for i, (f, fp) in enumerate(zip([*own, *(cross or ())], fps), 1):
        d, c = decided.get(fp), i > len(own)
        state = d.status if d else ("new" if seen[c] else "open")
        out.append(Reviewed(i, f, fp, state, d, c))
    current = set(fps)
    resolved = [d for fp, d in sorted(decided.items())
                if d.status in RESOLVABLE and fp not in current
                and (cross is not None or not is_cross(d))]
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


def where(f: dict, fmt: str | None) -> str:
    """Where a finding is, in words; for a cross-report finding, the other report too."""
    text = location_text(f.get("location") or {}, fmt)
    other = other_report(f)
    return f"{text} · 对照 {other.get('label') or other.get('id')}" if other else text


def describe(d: Decision, f: dict, result: dict) -> Decision:
    """``d`` with the human columns filled from the finding it is about."""
    fmt = (result.get("report") or {}).get("format_version")
    d.rule, d.severity = str(f.get("rule") or ""), str(f.get("severity") or "")
    d.location = where(f, fmt)
    d.message, d.quote = _one_line(f.get("message")), _one_line(f.get("quote"))[:200]
    return d


def _one_line(text) -> str:
    """One line per decision in the file, whatever the quote spans."""
    return " ".join(str(text or "").split())


def record(store: ReviewStore, result: dict, decisions: dict[int, tuple[str, str, str]],
           date: str | None = None, cross: list | None = None,
           keys: dict[str, str] | None = None) -> list[Decision]:
    """Record ``decisions`` (finding number → (status, reason, reviewer)) for one report, and
    every other finding of it as seen (``open``, unless already decided). The numbers run over
    the report's findings, then its cross-report findings ``cross`` (``review_report``'s
    numbering). Returns the decisions recorded; the caller saves the store."""
    key = report_key(result)
    findings = [*(result.get("findings") or []), *(cross or ())]
    fps = fingerprints(result, cross, keys)
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


def batch_keys(batch) -> dict[str, str]:
    """Report id → report identity, for every audited report of a ``BatchFolder``."""
    return {e.id: report_key(e.result) for e in batch.reports if e.audited}


def cross_of(batch, entry) -> list | None:
    """The cross-report findings about ``entry`` (None when the batch's step has not run)."""
    return None if batch.cross is None else list(entry.cross)


def review_batch(batch, store: ReviewStore) -> dict[str, ReportReview]:
    """Report id → its review (its cross-report findings included), for every audited report
    of a ``BatchFolder``."""
    keys = batch_keys(batch)
    return {e.id: review_report(e.result, store, cross_of(batch, e), keys)
            for e in batch.reports if e.audited}


def load_reviews(batch_dir, review_path=None):
    """(the ``BatchFolder``, its ``ReviewStore``, ``review_batch``): the batch folder with the
    decisions of its review file (``review_path``, else the one its run used, else
    ``BATCH/review.csv``)."""
    from ..batchfolder import read_batch
    from .store import review_path_for

    batch = read_batch(batch_dir)
    store = ReviewStore.load(review_path_for(batch_dir, review_path or batch.run.get("review_path")))
    return batch, store, review_batch(batch, store)
