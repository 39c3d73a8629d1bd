"""表四: fifteen numbers in three blocks (行政复议, 未经复议直接起诉, 复议后起诉), each 维持, 纠正,
其他, 尚未审结, 总计; read from the header word before the first number until prose begins."""
from __future__ import annotations

import re

from .. import schema
from ..model import Table
from .digits import group_sum_check
from .rows import resolve_row
from .scan import Squeezed, blank_furniture, chunks, is_cjk
from .tables import alt, extent, fill_missing

_T4_HEADER = re.compile("未经复议直接起诉|复议后起诉|行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结"
                        "|总计|维持|纠正|其他|尚未|审结|结果|总|计")
R4_GROUPS = [(tuple(range(b * 5, b * 5 + 4)), b * 5 + 4) for b in range(3)]


def parse_table4(doc, h: str, lo: int, hi: int, fmt: str) -> Table:
    table = Table("table4", format_version=fmt)
    rows, cols = schema.T4_ROW_KEYS, schema.T4_COLUMN_KEYS
    sq = Squeezed(h, lo, hi)
    for r in schema.T4_ROWS:
        m = sq.find(alt(r.keywords))
        table.row_labels[r.key] = doc.text[m[0]:m[1]] if m else None
    for c in schema.T4_COLUMNS:
        m = sq.find(alt(c.keywords))
        table.col_labels[c.key] = doc.text[m[0]:m[1]] if m else None
    heads = list(sq.finditer(_T4_HEADER))
    pieces = []
    if heads:
        pieces = _t4_pieces(h, heads, hi)
    if not heads or not pieces:
        table.notes.append("未找到表四" if not heads else "表四没有数值")
        for r in rows:
            fill_missing(table, r, cols, "报告中没有表四" if not heads else "表四没有数值")
        table.found = bool(heads)
        return table
    table.found = True
    start = heads[0][0]
    res = resolve_row(pieces, 15, doc.line_of, check=group_sum_check(R4_GROUPS),
                      check_name="“总计=维持+纠正+其他+尚未审结”（三块）",
                      row_line=doc.line_of(pieces[0].start))
    table.notes += res.notes
    for i, cell in enumerate(res.cells):
        table.cells[(rows[i // 5], cols[i % 5])] = cell
        table.row_lines.setdefault(rows[i // 5], cell.line or doc.line_of(start))
    table.header_text = doc.text[start:pieces[0].start].strip() or None
    extent(doc, table, start, res.pieces[-1].end if res.pieces else pieces[-1].end)
    return table


def _t4_pieces(h: str, heads, hi: int):
    """The value pieces of 表四: from the header word right before the first number, as long as
    only header words, spaces and empty cells separate them (prose ends the table)."""
    first_head_end = heads[0][1]
    probe = [p for p in chunks(h, first_head_end, hi, to_anchor=False) if not p.empty]
    if not probe:
        return []
    p0 = probe[0].start
    start = max(e for s, e, _, _ in heads if e <= p0) if any(e <= p0 for _, e, _, _ in heads) \
        else first_head_end
    pieces = chunks(h, start, hi, to_anchor=False)
    out, prev = [], start
    for p in pieces:
        gap = _T4_HEADER.sub("", blank_furniture(h, prev, p.start))
        if any(is_cjk(ch) for ch in gap) and out:
            break
        out.append(p)
        prev = p.end
    return out
