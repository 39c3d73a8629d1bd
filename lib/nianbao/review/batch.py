"""What the batch asks of the review: where the decisions are, whether a report's changed, and
which of them a worker that does not share the batch's disk is given.

A report's page shows its review states, so a report whose decisions changed since its page was
made is run again even when its input is unchanged. The report identity is only known from an
audit; the previous run's result gives it. The review file is read once, when the run is
planned: the digest that decides a rerun and the decisions a task carries to a Dask worker
(``BatchReview.text``) come from that one reading, so the page shows what its digest says.
"""
from __future__ import annotations

import json
from pathlib import Path

from .fingerprint import report_key
from .store import ReviewStore, review_path_for


class BatchReview:
    """The review file of one batch run (``review_path``, else ``OUT/review.csv``)."""

    def __init__(self, out_dir, review_path=None):
        self.out_dir = Path(out_dir)
        self.path = review_path_for(out_dir, review_path).resolve()
        self.store = ReviewStore.load(self.path)

    def key(self, rec) -> str | None:
        """The report identity of a previous record's result (a ``ReportRecord`` or its dict);
        None without one, or when nothing is decided at all (no result is read then)."""
        outputs = (rec.get("outputs") if isinstance(rec, dict) else getattr(rec, "outputs", None))
        rel = (outputs or {}).get("json")
        if not rel or not self.store.decisions:
            return None
        try:
            result = json.loads((self.out_dir / rel).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return report_key(result)

    def digest(self, key: str | None) -> str | None:
        """What the decisions of report ``key`` amount to (the manifest's ``review``); None for
        a report without decisions, or whose identity is not known before its audit."""
        return self.store.digest(key) if key is not None and self.store.reviewed(key) else None

    def text(self, key: str | None) -> bytes:
        """The review file as a task carries it to a worker without this disk: the decisions of
        report ``key`` (those ``digest`` sums up) — or, for a report whose identity is not known
        before its audit (no previous result), every decision, as the audit notebook would read
        the file itself on a local pool."""
        decisions = self.store.decisions if key is None else \
            {k: d for k, d in self.store.decisions.items() if k[0] == key}
        return ReviewStore(self.path, decisions).text().encode("utf-8")
