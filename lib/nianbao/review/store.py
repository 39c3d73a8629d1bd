"""The review file: one CSV line per finding an auditor has looked at, beside the batch.

``review.csv`` (UTF-8, a header line, sorted by report and fingerprint, one line per finding) is
meant to be diffed, merged and read by people: two auditors who review different reports add
different lines, and the line of a finding says in words what it is (rule, where, the quote).
Its columns are ``COLUMNS``; what the tool reads back is ``report``, ``fingerprint``,
``status``, ``reason``, ``reviewer`` and ``date``, the rest is there to be read and to describe a
finding that no longer fires (a *resolved* one).

``status`` is one of ``DECISIONS``. ``open`` means "seen in a review, not decided": recording a
decision for a report records every other finding of that report as seen, so that the next run
can tell a finding that was already there (open) from one that appeared since (new).
The file is written atomically; a file that cannot be read is an ``InputError`` naming it.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..atomic import write_atomic
from ..errors import InputError

REVIEW_FILE = "review.csv"
#: open: seen, not decided; confirmed: a defect the agency must correct; dismissed: not a defect;
#: accepted: a defect accepted with a reason (no correction asked); ask: ask the agency.
DECISIONS = ("open", "confirmed", "dismissed", "accepted", "ask")
DECISION_LABELS = {"open": "待定", "confirmed": "确认", "dismissed": "不是问题",
                   "accepted": "接受（说明理由）", "ask": "询问机关"}
#: what people type in the spreadsheet's decision column, besides the ids themselves
_ALIASES = {"确认": "confirmed", "确认问题": "confirmed", "不是问题": "dismissed", "非问题": "dismissed",
            "驳回": "dismissed", "排除": "dismissed", "接受": "accepted", "接受（说明理由）": "accepted",
            "询问": "ask", "询问机关": "ask", "待定": "open", "": "open"}


@dataclass
class Decision:
    report: str
    fingerprint: str
    status: str
    reason: str = ""
    reviewer: str = ""
    date: str = ""
    rule: str = ""
    severity: str = ""
    location: str = ""
    message: str = ""
    quote: str = ""


COLUMNS = [f.name for f in fields(Decision)]


def decision_status(value) -> str:
    """A decision as typed (``dismissed``, ``不是问题``…) → its id; unknown is a ``ValueError``."""
    v = str(value if value is not None else "").strip()
    if v.lower() in DECISIONS:
        return v.lower()
    if v in _ALIASES:
        return _ALIASES[v]
    raise ValueError(f"unknown decision {v!r} (one of: "
                     + ", ".join(f"{d}/{DECISION_LABELS[d]}" for d in DECISIONS) + ")")


def review_path_for(batch_dir, review_path=None) -> Path:
    """The review file of a batch: ``review_path`` if given, else ``BATCH/review.csv``."""
    return Path(review_path) if review_path else Path(batch_dir) / REVIEW_FILE


class ReviewStore:
    """The decisions of one review file, keyed by (report, fingerprint)."""

    def __init__(self, path, decisions: dict[tuple[str, str], Decision] | None = None):
        self.path = Path(path)
        self.decisions = decisions or {}

    @classmethod
    def load(cls, path) -> "ReviewStore":
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(path, f"review file cannot be read: {e}") from None
        rows = csv.DictReader(io.StringIO(text))
        if rows.fieldnames is None or not {"report", "fingerprint", "status"} <= set(rows.fieldnames):
            raise InputError(path, "not a review file (needs columns report, fingerprint, status)")
        out = {}
        for n, row in enumerate(rows, 2):
            try:
                status = decision_status(row.get("status"))
            except ValueError as e:
                raise InputError(path, f"line {n}: {e}") from None
            d = Decision(**{k: " ".join((row.get(k) or "").split())
                            for k in COLUMNS if k != "status"}, status=status)
            if d.report and d.fingerprint:
                out[(d.report, d.fingerprint)] = d
        return cls(path, out)

    def for_report(self, key: str) -> dict[str, Decision]:
        return {fp: d for (r, fp), d in self.decisions.items() if r == key}

    def reviewed(self, key: str) -> bool:
        return any(r == key for r, _ in self.decisions)

    def put(self, d: Decision, overwrite: bool = True) -> None:
        d.reason, d.reviewer = " ".join(d.reason.split()), " ".join(d.reviewer.split())
        k = (d.report, d.fingerprint)
        if overwrite or k not in self.decisions:
            self.decisions[k] = d

    def text(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
        w.writeheader()
        for k in sorted(self.decisions):
            w.writerow(asdict(self.decisions[k]))
        return buf.getvalue()

    def save(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, self.text())
        return self.path

    def digest(self, key: str) -> str:
        """What the decisions of one report amount to (a re-run redoes its page when it changes)."""
        import hashlib

        rows = sorted((fp, d.status, d.reason, d.reviewer, d.date)
                      for fp, d in self.for_report(key).items())
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:16]


def today() -> str:
    return _dt.date.today().isoformat()
