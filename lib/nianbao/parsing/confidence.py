"""How sure a table reading is: exact, recovered, a recognised layout, or doubtful.

The rules can only be as right as the reading under them. A table whose cells were printed one
per cell is ``exact``; one where some cells were split out of run-together digits, each with a
unique reading, is ``recovered``; one the parser read through a layout it recognises (values
placed by position, a full-grid export, scrambled labels mapped by line order, sub-tables with
placeholder headers) is ``layout``. A reading with signs that the parser misunderstood the
table — a row whose values are 1, 2, 3 … (column numbers read as data), placeholder column names
left among the values, many rows with values to spare, or most of the table's own identities
failing — is ``doubtful``: the audit then says once that the table could not be read reliably
and reports no arithmetic error about the report (``rules.structure.STRUCT-READ``, the engine).
A real defect breaks one or two identities, not most of them, so it stays an error.
"""
from __future__ import annotations

import re

from .. import schema
from ..model import ALIGNED, RECOVERED, Table
from .scan import COLUMN_NUMBERS_LINE, PLACEHOLDER, PLACEHOLDER_LINE

EXACT, RECOVERED_CELLS, LAYOUT, DOUBTFUL = "exact", "recovered", "layout", "doubtful"
LEVELS = (EXACT, RECOVERED_CELLS, LAYOUT, DOUBTFUL)

#: A table is doubtful when at least this many of its identities fail and they are at least
#: half of those that could be checked.
MIN_FAILED = 4
#: … or when this many rows printed more values than the table has columns.
MIN_OVERFULL_ROWS = 3
_LAYOUT_NOTES = (("行标签与数值错位", "行标签错位，按数值行顺序对应"),
                 ("只印了一行", "（六）其他处理只印一行"))
_PLACEHOLDER_LINE = re.compile(PLACEHOLDER_LINE)
_COLUMN_NUMBERS_LINE = re.compile(COLUMN_NUMBERS_LINE)
_PLACEHOLDER = re.compile(PLACEHOLDER)
_HEADER_WORDS = re.compile(r"申请人情况|自然人")


def assess(table: Table, text: str) -> None:
    """Set ``table.confidence``, ``table.doubts`` and ``table.layouts`` from its cells, notes
    and the printed text of its extent."""
    table.confidence, table.doubts, table.layouts = None, [], []
    if not table.found:
        return
    printed = text[table.span[0]:table.span[1]] if table.span else ""
    layouts = _layouts(table, printed)
    doubts = _doubts(table, printed)
    hows = {c.how for c in table.cells.values()}
    if doubts:
        level = DOUBTFUL
    elif layouts or ALIGNED in hows:
        level = LAYOUT
    elif RECOVERED in hows:
        level = RECOVERED_CELLS
    else:
        level = EXACT
    table.confidence, table.doubts, table.layouts = level, doubts, layouts


def _layouts(table: Table, printed: str) -> list[str]:
    out = [name for key, name in _LAYOUT_NOTES if any(key in n for n in table.notes)]
    if _PLACEHOLDER_LINE.search(printed):
        out.append("占位列名（如“数据1…数据6”）：已略去，按列位置读取")
    if _COLUMN_NUMBERS_LINE.search(printed):
        out.append("列序号行（1、2、3…）：已略去")
    lines = printed.split("\n")
    rows = sum(1 for ln in lines if "\t" in ln and re.search(r"\d", ln))
    gaps = sum(1 for a, b in zip(lines, lines[1:]) if not a.strip() and "\t" in b)
    if rows >= 4 and gaps * 2 >= rows:
        out.append("每行一个子表（PDF转markdown）")
    first_row = min((ln for ln in table.row_lines.values()), default=None)
    if table.name == "table3" and first_row is not None and table.line is not None:
        k = first_row - table.line
        if k >= 0 and _HEADER_WORDS.search("\n".join(lines[k + 1:])):
            out.append("表头在表中重复出现（分页或分表）：已略去")
    return out


def _doubts(table: Table, printed: str) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        vals = [table.value(row, c) for c in table.columns]
        vals = [v for v in vals if v is not None]
        if len(vals) >= 5 and vals == list(range(1, len(vals) + 1)):
            label = table.row_labels.get(row) or row
            out.append(f"“{label}”行的数值是1、2、3…{len(vals)}：像是列序号或表头编号，不是数据")
    stray = [m.group() for ln in printed.split("\n") if not _PLACEHOLDER_LINE.fullmatch(ln)
             for m in _PLACEHOLDER.finditer(ln)]
    if len(stray) >= 2:
        out.append(f"表中夹有占位列名（{'、'.join(dict.fromkeys(stray[:6]))}）：表头未能读出")
    # 表三's rows have seven distinct cells; in 表二 a markdown converter repeats a merged
    # value cell across the columns it spans ("58 | 58 | 58"), which is layout, not doubt
    overfull = [n for n in table.notes if "多出的" in n] if table.name == "table3" else []
    if len(overfull) >= MIN_OVERFULL_ROWS:
        out.append(f"{len(overfull)}行读到的数值多于列数（多出的数值未计入）：行列可能错位")
    failed, checked, worst = _identities(table)
    if failed >= MIN_FAILED and failed * 2 >= checked:
        out.append(f"表内勾稽关系{checked}处中有{failed}处不成立（最大相差{worst:g}）：多半是读错而非报告错")
    return out


def _identities(table: Table) -> tuple[int, int, float]:
    """(failed, checked, largest difference) over the table's own identities: 表三 R1 and R3
    per column and R2 per row, 表四 R4 per block. 表二 has none."""
    eqs: list[tuple[list, list]] = []
    if table.name == "table3":
        leaves = schema.T3_LEAVES[schema.FORMAT_2019 if table.format_version == schema.FORMAT_2019
                                  else schema.FORMAT_2021]
        for c in schema.T3_COLUMN_KEYS:
            eqs.append(([("new_received", c), ("carried_over", c)],
                        [("total_processed", c), ("carried_forward", c)]))
            eqs.append(([(r, c) for r in leaves], [("total_processed", c)]))
        for r in table.rows:
            eqs.append(([(r, c) for c in schema.T3_APPLICANT_KEYS], [(r, "total")]))
    elif table.name == "table4":
        for r in schema.T4_ROW_KEYS:
            eqs.append(([(r, c) for c in schema.T4_COLUMN_KEYS if c != "total"], [(r, "total")]))
    failed = checked = 0
    worst = 0.0
    for lhs, rhs in eqs:
        a = [table.value(*k) for k in lhs]
        b = [table.value(*k) for k in rhs]
        if any(v is None for v in a + b):
            continue
        checked += 1
        d = abs(sum(a) - sum(b))
        if d > 1e-9:
            failed += 1
            worst = max(worst, d)
    return failed, checked, worst
