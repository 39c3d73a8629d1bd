"""findings.csv and findings.xlsx: every finding of a batch, one row each.

The CSV is UTF-8 with a BOM (so Excel reads the Chinese) and both are guarded against spreadsheet
formula injection: text that a spreadsheet would run as a formula gets a leading apostrophe.
``evidence_span`` is the character range of the report text the finding rests on (as resolved at
audit time), so a reader can find the quoted text without searching for it again.

The review columns (``nianbao.review``): ``report_key`` and ``fingerprint`` name the finding for
its decision, ``review`` is its state (new, open, confirmed, ask, accepted, dismissed; resolved
rows are confirmed findings that no longer fire), and ``decision``/``reason``/``reviewer`` are
for the auditor to fill in and hand back (``nianbao review import``); the .xlsx offers the
decisions as a drop-down. The cross-report findings about a report follow its own findings and
carry their review columns too.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..atomic import replacing, write_atomic
from ..batchfolder import BatchFolder, finding_family

CSV_COLUMNS = ["report_id", "agency", "file", "year", "rule", "family", "severity", "message",
               "table", "row", "column", "section", "line", "span", "evidence_span", "expected",
               "actual", "quote", "report_key", "fingerprint", "review", "decision", "reason",
               "reviewer", "date"]


def _cell(v):
    """A CSV/XLSX cell: scalars as they are, structures as JSON, formulas defused."""
    if v is None or isinstance(v, (int, float)):
        return v
    if not isinstance(v, str):
        v = json.dumps(v, ensure_ascii=False)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def finding_rows(batch: BatchFolder, reviews: dict | None = None) -> list[list]:
    """One row per finding (with its review state from ``reviews``, report id → ReportReview),
    then one per resolved decision."""
    from ..review import DECISION_LABELS

    reviews = reviews or {}
    out = []
    for e in batch.reports:
        rv = reviews.get(e.id)
        # then the cross-report findings about it (crossreport.json), reviewed with it
        for i, f in enumerate((*e.findings, *e.cross)):
            loc = f.get("location") or {}
            r = rv.findings[i] if rv and i < len(rv.findings) else None
            d = r.decision if r else None
            out.append([_cell(v) for v in (
                e.id, e.agency or "", e.file, e.year, f.get("rule"), finding_family(f),
                f.get("severity"), f.get("message"), loc.get("table"), loc.get("row"),
                loc.get("column"), loc.get("section"), loc.get("line"), loc.get("span"),
                f.get("evidence_span"), f.get("expected"), f.get("actual"), f.get("quote"),
                rv.key if rv else None, r.fingerprint if r else None, r.state if r else None,
                DECISION_LABELS[d.status] if d and d.status != "open" else None,
                d.reason if d else None, d.reviewer if d else None, d.date if d else None)])
        for d in (rv.resolved if rv else []):
            out.append([_cell(v) for v in (
                e.id, e.agency or "", e.file, e.year, d.rule, finding_family({"rule": d.rule}),
                d.severity, d.message, None, None, None, None, None, None, None, None, None,
                d.quote, rv.key, d.fingerprint, "resolved", DECISION_LABELS[d.status],
                d.reason, d.reviewer, d.date)])
    return out


def write_findings(out_dir: Path, batch: BatchFolder, reviews: dict | None = None) -> None:
    """findings.csv and findings.xlsx in ``out_dir``, each written atomically."""
    table = finding_rows(batch, reviews)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(table)
    write_atomic(Path(out_dir) / "findings.csv", "\ufeff" + buf.getvalue())

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("findings")
    ws.append(CSV_COLUMNS)
    for row in table:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    if table:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        from ..review import DECISION_LABELS

        col = get_column_letter(CSV_COLUMNS.index("decision") + 1)
        dv = DataValidation(type="list", allow_blank=True,
                            formula1='"' + ",".join(DECISION_LABELS.values()) + '"')
        dv.add(f"{col}2:{col}{len(table) + 1}")
        ws.data_validations.dataValidation.append(dv)
    with replacing(Path(out_dir) / "findings.xlsx") as tmp:
        wb.save(tmp)
