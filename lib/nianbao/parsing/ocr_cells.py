"""Table cells read from an OCR'd page: each keeps the image it came from, and a doubtful
reading is never passed on as a number.

The OCR reader records, for every table cell it read, the page, the box, the recognition score
and — where it does not trust the reading — why (``Document.ocr``, offsets into the text). Here
each parsed cell is matched to those reads by its character span: the cell gets ``ocr`` (page,
box, score, so the audit can show the cropped image beside the value), and a cell whose reading
is doubtful becomes ``how="ambiguous"`` with a null value and the reason, the same notion of a
doubtful cell the arithmetic rules already skip and report — whatever the parser made of it: a
number, a blank mark (a doubtful ``—`` is not a silent blank) or a cell the reader could not
read at all (``UNREAD``, whose reason then says what was recognised instead). A cell read from
a text line rather than from a ruled table cell is doubtful too: without ruling lines the
columns are guessed.
"""
from __future__ import annotations

from bisect import bisect_right

from ..document import UNREAD
from ..model import AMBIGUOUS, MISSING, Report

#: Why a cell read from a text line, not from a ruled cell, is not trusted: OCR sees no table
#: there, so the parser split the line's figures into columns by spacing — rows printed close
#: together run into one line and their figures stack (measured in docs/ocr.md).
UNRULED = "扫描件此处未识别出表格线，列按文字间距推断"


def mark_ocr_cells(report: Report) -> None:
    reads = report.document.ocr
    if not reads:
        return
    starts = [r.start for r in reads]
    longest = max((r.end - r.start for r in reads), default=0)
    doubtful = 0
    for table in (report.table2, report.table3, report.table4):
        from_lines = from_grid = 0  # cells read from text lines / from ruled cells
        for cell in table.cells.values():
            if cell.span is None:
                continue
            lo, hi = cell.span
            first = bisect_right(starts, lo - longest - 1)
            hits = [r for r in reads[first:bisect_right(starts, hi)]
                    if r.start < hi and r.end > lo and r.start >= 0]
            if not hits:
                continue
            worst = min(hits, key=lambda r: (r.doubt is None, r.score))
            cell.ocr = worst.to_json()
            ruled = any(r.ruled for r in hits)
            from_grid += ruled
            from_lines += not ruled
            doubt = worst.doubt or (None if ruled else UNRULED)
            if doubt and cell.how not in (AMBIGUOUS, MISSING):
                shown = "" if cell.raw == UNREAD else f"；读作“{cell.raw}”"
                cell.reason = f"OCR识读存疑：{doubt}{shown}，不作数字使用"
                cell.how, cell.value = AMBIGUOUS, None
                doubtful += 1
        if from_lines and not from_grid:
            # a table OCR saw no ruling lines in at all: a row run into its neighbour's line
            # lost its cells, which is the reading's fault, not a short row of the report (in a
            # ruled table a missing cell stays missing, for the cell-count rules to report)
            for cell in table.cells.values():
                if cell.how == MISSING:
                    cell.how, cell.reason = AMBIGUOUS, f"OCR识读存疑：{UNRULED}，此格未能按列读出"
                    doubtful += 1
    if doubtful:
        report.notes.append(f"OCR识读存疑的表格单元格{doubtful}个：按存疑处理，不参与计算")
