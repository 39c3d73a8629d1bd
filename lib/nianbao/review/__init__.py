"""The auditor's loop after the audit: decisions per finding that survive re-runs, and the
feedback letters that follow from them.

- ``fingerprint``: the stable name of a finding (report identity, rule, location, quote; for a
  cross-report finding, the other report instead of the quote);
- ``store``: ``review.csv`` beside the batch, one line per finding looked at;
- ``apply``: each finding's review state (new, open, confirmed, ask, accepted, dismissed) and
  the resolved ones, for the index, the CSV, the notebook and the letters alike;
- ``excel``: decisions handed back in findings.xlsx;
- ``letters``: the 反馈意见 per agency and the region's summary, as Word documents.
"""
from __future__ import annotations

from .apply import (RESOLVABLE, STATE_LABELS, STATES, ReportReview, Reviewed, batch_keys,
                    cross_of, load_reviews, location_text, record, review_batch, review_report,
                    where)
from .fingerprint import fingerprints, normalise_quote, other_report, report_key
from .store import (DECISION_LABELS, DECISIONS, REVIEW_FILE, Decision, ReviewStore,
                    decision_status, review_path_for)

__all__ = ["DECISIONS", "DECISION_LABELS", "Decision", "RESOLVABLE", "REVIEW_FILE",
           "ReportReview", "ReviewStore", "Reviewed", "STATES", "STATE_LABELS", "batch_keys",
           "cross_of", "decision_status", "fingerprints", "load_reviews", "location_text",
           "normalise_quote", "other_report", "record", "report_key", "review_batch",
           "review_path_for", "review_report", "where"]
