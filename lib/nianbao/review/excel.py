"""Decisions handed back in findings.xlsx: ``nianbao review import findings.xlsx --batch OUT``.

findings.xlsx (``nianbao.site.findings_table``) has, per finding, its ``report_key`` and
``fingerprint``, its current ``review`` state and three columns for the auditor: ``decision``
(a drop-down of ``DECISION_LABELS``; the ids ``confirmed``… work too), ``reason`` and
``reviewer``. Import reads the rows whose decision differs from what the review file holds and
records them against the batch's latest results, so a finding is described from the audit, not
from a cell someone may have edited. Rows that name a finding the batch no longer has are
reported and skipped (the spreadsheet is older than the last run). A blank decision cell is no
opinion, and a cell still holding the state the sheet was written with does not undo a decision
made since (in the notebook or another sheet): only what the auditor typed is recorded.
The cross-report rows (family ``crossreport``) are decided the same way, filed under the report
they are about.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..batchfolder import read_batch
from ..errors import InputError
from .apply import batch_keys, cross_of, record
from .fingerprint import fingerprints, report_key
from .store import ReviewStore, decision_status, review_path_for


@dataclass
class ImportReport:
    recorded: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def _rows(xlsx: Path) -> list[dict]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(xlsx, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001  (zip, XML, not a workbook: one line)
        raise InputError(xlsx, f"not a readable .xlsx workbook: {type(e).__name__}: {e}") from None
    ws = wb["findings"] if "findings" in wb.sheetnames else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(it, ())]
    need = {"report_key", "fingerprint", "decision"}
    if not need <= set(header):
        raise InputError(xlsx, "no columns " + ", ".join(sorted(need - set(header)))
                         + " (a findings.xlsx written by nianbao batch has them)")
    out = [dict(zip(header, row)) for row in it]
    wb.close()
    return out


def import_xlsx(xlsx, batch_dir, review_path=None) -> ImportReport:
    """Record the decisions of a filled-in findings.xlsx into the batch's review file."""
    xlsx = Path(xlsx)
    if not xlsx.is_file():
        raise InputError(xlsx, "no such file")
    rows = _rows(xlsx)
    batch = read_batch(batch_dir)
    store = ReviewStore.load(review_path_for(batch_dir, review_path))
    keys = batch_keys(batch)
    found = {}  # report identity -> (result, its cross-report findings, all fingerprints)
    for e in batch.reports:
        if e.audited:
            cross = cross_of(batch, e)
            found[report_key(e.result)] = (e.result, cross, fingerprints(e.result, cross, keys))
    rep = ImportReport(path=store.path)
    wanted: dict[str, dict[int, tuple[str, str, str]]] = {}
    for n, row in enumerate(rows, 2):
        key, fp = str(row.get("report_key") or "").strip(), str(row.get("fingerprint") or "").strip()
        if not key or not fp or row.get("review") == "resolved":
            continue
        if row.get("decision") is None or not str(row.get("decision")).strip():
            continue  # left blank: no opinion (never undoes a decision made elsewhere)
        try:
            status = decision_status(row.get("decision"))
        except ValueError as e:
            rep.problems.append(f"{xlsx.name} row {n}: {e}")
            continue
        reason = str(row.get("reason") or "").strip()
        reviewer = str(row.get("reviewer") or "").strip()
        old = store.decisions.get((key, fp))
        if old and (old.status, old.reason, old.reviewer) == (status, reason, reviewer):
            rep.unchanged += 1
            continue
        if status == row.get("review") and old and old.status != status:
            # the sheet still shows what it was written with, and the decision has been
            # changed since (in the notebook, or another sheet): the newer one stands
            rep.unchanged += 1
            continue
        fps = found[key][2] if key in found else []
        if fp not in fps:
            rep.problems.append(f"{xlsx.name} row {n}: finding {fp} of {key} is not in the "
                                "batch's latest results (skipped)")
            continue
        if status == "accepted" and not reason:
            rep.problems.append(f"{xlsx.name} row {n}: an accepted finding needs a reason "
                                "(skipped)")
            continue
        wanted.setdefault(key, {})[fps.index(fp) + 1] = (status, reason, reviewer)
    for key, decisions in wanted.items():
        result, cross, _ = found[key]
        rep.recorded += len(record(store, result, decisions, cross=cross, keys=keys))
    if rep.recorded:
        store.save()
    return rep
