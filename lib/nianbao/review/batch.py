"""What the batch asks of the review: where the decisions are, and whether a report's changed.

A report's page shows its review states, so a report whose decisions changed since its page was
made is run again even when its input is unchanged. The report identity is only known from an
audit; the previous run's result gives it.
"""
from __future__ import annotations

import json
from pathlib import Path

from .fingerprint import report_key
from .store import ReviewStore, review_path_for


def review_digests(out_dir, review_path=None):
    """(the review file, ``digest(previous record) -> str | None``): None for a report
    without decisions (or without a previous result)."""
    path = review_path_for(out_dir, review_path).resolve()
    store = ReviewStore.load(path)

    def digest(rec) -> str | None:
        outputs = (rec.get("outputs") if isinstance(rec, dict) else getattr(rec, "outputs", None))
        rel = (outputs or {}).get("json")
        if not rel or not store.decisions:
            return None
        try:
            result = json.loads((Path(out_dir) / rel).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        key = report_key(result)
        return store.digest(key) if store.reviewed(key) else None

    return path, digest
