"""findings.csv and findings.xlsx: every finding of a batch, one row each.

The CSV is UTF-8 with a BOM (so Excel reads the Chinese) and both are guarded against spreadsheet
formula injection: text that a spreadsheet would run as a formula gets a leading apostrophe.
``evidence_span`` is the character range of the report text the finding rests on (as resolved at
audit time), so a reader can find the quoted text without searching for it again.
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
               "actual", "quote"]


def _cell(v):
    """A CSV/XLSX cell: scalars as they are, structures as JSON, formulas defused."""
    if v is None or isinstance(v, (int, float)):
        return v
    if not isinstance(v, str):
        v = json.dumps(v, ensure_ascii=False)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def finding_rows(batch: BatchFolder) -> list[list]:
    out = []
    for e in batch.reports:
        for f in (*e.findings, *e.cross):  # the cross-report findings on it too
            loc = f.get("location") or {}
            out.append([_cell(v) for v in (
                e.id, e.agency or "", e.file, e.year, f.get("rule"), finding_family(f),
                f.get("severity"), f.get("message"), loc.get("table"), loc.get("row"),
                loc.get("column"), loc.get("section"), loc.get("line"), loc.get("span"),
                f.get("evidence_span"), f.get("expected"), f.get("actual"), f.get("quote"))])
    return out


def write_findings(out_dir: Path, batch: BatchFolder) -> None:
    """findings.csv and findings.xlsx in ``out_dir``, each written atomically."""
    table = finding_rows(batch)
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
    with replacing(Path(out_dir) / "findings.xlsx") as tmp:
        wb.save(tmp)
