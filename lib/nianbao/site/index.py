"""The batch index page: one row per report, sortable and filterable, offline, all text escaped.

Links are built only from our own ASCII ids; the page's script reads ``textContent`` and numeric
``data-*`` attributes, never ``innerHTML``. The rows come from ``nianbao.batchfolder``, the reader
the overview notebook uses too.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..atomic import write_atomic
from ..batchfolder import STATUS_LABELS, STATUSES, BatchFolder, ReportEntry
from ..findings import SEVERITIES, SEVERITY_LABELS
from ..rules.registry import FAMILY_LABELS
from .findings_table import write_findings
from .pages import asset, render

FAMILY_NAMES = {**FAMILY_LABELS, "other": "其他"}


def _short_reason(entry: ReportEntry) -> str:
    """The reason without the input's folder (the row already names the file)."""
    reason, inp = entry.error, entry.input or ""
    return reason[len(inp) + 2:] if inp and reason.startswith(inp + ": ") else reason


def index_html(batch: BatchFolder, overview: bool, reviews: dict | None = None) -> str:
    """The index page of ``batch`` (``overview``: whether overview.html was written;
    ``reviews``: report id → ``nianbao.review.ReportReview``, the review states' columns)."""
    from ..review import STATE_LABELS, STATES

    reviews = reviews or {}
    entries = batch.reports
    rcounts = {rid: rv.counts() for rid, rv in reviews.items()}
    shown_states = [s for s in STATES if any(c[s] for c in rcounts.values())]
    fams = {e.id: e.family_counts() for e in entries}
    sevs = {e.id: e.severity_counts() for e in entries}
    shown_fams = [f for f in FAMILY_NAMES if any(fams[e.id].get(f) for e in entries)]
    reasons = any(e.error for e in entries)  # the column only when something failed
    headers = [("机关", "text"), ("年度", "num"), ("格式", "text"), ("状态", "text")]
    headers += [(SEVERITY_LABELS[s], "num") for s in SEVERITIES]
    headers += [(FAMILY_NAMES[f], "num") for f in shown_fams]
    headers += [(f"审核·{STATE_LABELS[s]}", "num") for s in shown_states]
    if reasons:
        headers.append(("说明", "text"))
    rows = []
    for e in entries:
        audited = e.status not in ("failed", "timeout")
        counts = [(sevs[e.id][s] if audited else None, s[0]) for s in SEVERITIES]
        counts += [(fams[e.id].get(f, 0) if audited else None, "") for f in shown_fams]
        counts += [(rcounts[e.id][s] if e.id in rcounts else None, f"rv rv-{s}")
                   for s in shown_states]
        rows.append({"name": e.agency or Path(e.file).stem, "file": e.file, "html": e.html,
                     "year": e.year, "format": e.format, "status": e.status,
                     "severity": sevs[e.id], "counts": counts, "reason": _short_reason(e)})
    cross = _cross_rows(batch, reviews)
    run = batch.run
    return render(
        "batch_index.html.j2", css=asset("site.css"), js=asset("batch_index.js"), rows=rows,
        headers=headers, reasons=reasons, overview=overview, statuses=STATUSES, cross=cross,
        cross_ran=batch.cross is not None, cross_review=bool(reviews),
        status_labels=STATUS_LABELS, severities=SEVERITIES, severity_labels=SEVERITY_LABELS,
        status_counts={s: sum(1 for e in entries if e.status == s) for s in STATUSES},
        severity_totals={s: sum(sevs[e.id][s] for e in entries) for s in SEVERITIES},
        review_states=shown_states, review_labels=STATE_LABELS,
        review_totals={s: sum(c[s] for c in rcounts.values()) for s in shown_states},
        when=time.strftime("%Y-%m-%d %H:%M", time.localtime(batch.finished or time.time())),
        tool_version=str(run.get("tool_version", "")), commit=(run.get("git_commit") or "")[:10])


def _cross_rows(batch: BatchFolder, reviews: dict) -> list[dict]:
    """The cross-report findings for the list under the table, most serious first, with their
    report's status (the page's filters apply to them too) and review state (``reviews``, once
    anything is decided); links only to our own pages (the report's audit page, the other
    report's, the 与上年比较 section of the report's page, ``#nb-compare``)."""
    from ..findings import severity_rank

    by_id = {e.id: e for e in batch.reports}
    rows = []
    for e in batch.reports:
        rv = reviews.get(e.id)
        states = iter([x.state for x in rv.findings if x.cross] if rv else [])
        for f in e.cross:
            state = next(states, None)
            d = f.get("details") or {}
            other = d.get("other") or d.get("previous") or {}
            o = by_id.get(str(other.get("id")))
            compare = f"{e.html}#nb-compare" if d.get("previous") and e.html else None
            rows.append({"name": f"{e.agency or Path(e.file).stem} {e.year or ''}".strip(),
                         "html": e.html, "rule": f.get("rule"), "severity": f.get("severity"),
                         "message": f.get("message"), "status": e.status, "review": state,
                         "other": (f"{o.agency or Path(o.file).stem} {o.year or ''}".strip()
                                   if o else ""),
                         "other_html": o.html if o else None, "compare": compare})
    rows.sort(key=lambda r: (severity_rank(r["severity"]), r["rule"] or "", r["name"]))
    return rows


def write_site(out_dir: Path, overview: bool) -> None:
    """index.html, findings.csv and findings.xlsx for the whole batch folder ``out_dir``, with
    the review decisions of its review file applied (``nianbao.review``)."""
    from ..review import load_reviews

    batch, store, reviews = load_reviews(out_dir)
    write_findings(out_dir, batch, reviews)
    write_atomic(Path(out_dir) / "index.html",
                 index_html(batch, overview, reviews if store.decisions else None))
