"""表三, and the machinery every table parser shares: find the official row labels in order and
read the values between them (表二 in ``table2.py``, 表四 in ``table4.py``).

Each parser gets the stretch of text where its table can be (from the section heading to the
next table or section) and fills a ``Table`` with every cell the detected format defines — a
row that is not printed gives null cells with how=missing, so completeness is visible. 表三 rows
that stay ambiguous after their own identity (R2) are settled jointly by the column identities
R1 and R3 where exactly one combination fits.
"""
from __future__ import annotations

import re

from .. import schema
from ..model import ALIGNED, MISSING, READ, Cell, Table
from ..textnorm import label_key
from .digits import group_sum_check, row_choices, solve_jointly
from .rows import (RowResult, fmt_reading, leading_aligned, resolve_row, right_aligned, set_reading,
                   trims_padding)
from .scan import Anchor, Squeezed, chunks, is_cjk, place_anchors
from .version import table_format


def alt(words) -> re.Pattern:
    return re.compile("|".join(re.escape(label_key(w)) for w in words))


_T3_OVERRIDES = {
    "withheld_prohibited": re.compile("禁止公开|止公开"),  # a real report prints "行政止公开"
    "other_other": re.compile("其他(?!处理|结果|法律|组织|对外)"),
    "total_processed": re.compile("总计"),
    "other": re.compile("其他处理"),
}
T3_PATTERNS = {r.key: _T3_OVERRIDES.get(r.key) or alt(r.keywords) for r in schema.T3_ROWS}
_T3_GROUPS = [re.compile(p) for p in ("本年度办理结果", "不予公开", "无法提供", "不予处理")]
_T3_GROUP6 = re.compile("其他处理")
_T3_HEADER = re.compile("本列数据|勾稽关系|申请人情况")
_PROSE = re.compile(r"[\u4e00-\u9fff]{6,}")

COLLAPSED_6 = "（六）其他处理只印了一行：数值记入“3.其他”，1、2两个子项缺失"
R2_GROUPS = [(tuple(range(6)), 6)]


def own_format(table: Table, sq: Squeezed, report_fmt: str) -> str:
    fmt = table_format(table.name, sq.s, report_fmt)
    table.format_version = schema.FORMAT_2019 if fmt == schema.FORMAT_2019 else schema.FORMAT_2021
    if fmt != report_fmt and report_fmt in (schema.FORMAT_2021, schema.FORMAT_2019):
        table.notes.append(f"本表按{fmt}版格式印制，与全文判定的{report_fmt}版不同：按印制的行列读取")
    return fmt


def _find_rows(sq: Squeezed, specs, patterns) -> list[Anchor]:
    anchors, cursor = [], 0
    for spec in specs:
        m = sq.find(patterns[spec.key], cursor)
        if m:
            anchors.append(Anchor(spec.key, m[0], m[1]))
            cursor = m[3]
    return anchors


def delimiters(sq: Squeezed, pats, rows: list[Anchor], after: int) -> list[Anchor]:
    """Delimiting labels (group headings, captions) that do not overlap a row label."""
    out = []
    for pat in pats:
        for s, e, _, _ in sq.finditer(pat, sq.pos(after)):
            if not any(s < a.kw_end and a.kw_start < e for a in rows):
                out.append(Anchor(None, s, e))
    return out


def _last_row_end(h: str, lo: int, hi: int) -> int:
    """The last row of a table runs to the region end; stop it at the prose that follows."""
    m = re.search(r"\d", h[lo:hi])
    if not m:
        return hi
    p = _PROSE.search(h, lo + m.start(), hi)
    return p.start() if p else hi


def segments(doc, h: str, anchors: list[Anchor], hi: int, table: Table):
    """(anchor, pieces, segment end) for each row anchor. A later line of the segment that is
    a table row with a label of its own (not an official one) ends the segment; its label goes
    to ``table.extra_labels`` and its values are not given to the row above."""
    for k, a in enumerate(anchors):
        if a.key is None:
            continue
        if k + 1 < len(anchors):
            end, to_anchor = anchors[k + 1].start, True
        else:
            end, to_anchor = _last_row_end(h, a.end, hi), False
        cut = _extra_rows(doc, h, a.end, end, table)
        if cut is not None:
            end, to_anchor = cut, False
        yield a, chunks(h, a.end, end, to_anchor=to_anchor), end


def _extra_rows(doc, h: str, lo: int, hi: int, table: Table) -> int | None:
    """Offset of the first unofficial labelled row in ``h[lo:hi]`` (after the first line)."""
    first = None
    pos = h.find("\n", lo)
    while 0 <= pos < hi:
        a, b = pos + 1, h.find("\n", pos + 1)
        b = hi if b < 0 or b > hi else b
        cells = [c.strip() for c in h[a:b].split("\t")]
        label = next((c for c in cells if c), "")
        if "\t" in h[a:b] and sum(is_cjk(ch) for ch in label) >= 2 and \
                any(re.fullmatch(r"[+-]?\d[\d,.]*", c) for c in cells):
            table.extra_labels.append(doc.text[a:b].split("\t")[cells.index(label)].strip())
            first = a if first is None else first
        pos = b if b > pos else hi
    return first


def extent(doc, table: Table, start: int, end: int) -> None:
    table.span = (start, end)
    table.line = doc.line_of(start)
    table.end_line = doc.line_of(max(start, end - 1))


def fill_missing(table: Table, row: str, cols, reason: str) -> None:
    for c in cols:
        table.cells[(row, c)] = Cell(None, MISSING, None, None, None, reason)


# ---------------------------------------------------------------- 表三
def parse_table3(doc, h: str, lo: int, hi: int, fmt: str) -> Table:
    """表三 in ``h[lo:hi]``: its row labels in order, the header before them, each row's values
    (run-together digits settled by R2, then jointly by R1/R3), and, when the labels were
    scrambled, the rows mapped by the order of their value lines."""
    table = Table("table3")
    sq = Squeezed(h, lo, hi)
    fmt = own_format(table, sq, fmt)
    specs = schema.t3_rows(fmt)
    rows = _find_rows(sq, specs, T3_PATTERNS)
    if not rows:
        _not_found(table, specs)
        return table
    table.found = True
    anchors = place_anchors(h, rows + _t3_delimiters(sq, specs, rows, table), lo, hi)
    first = min(a.start for a in anchors if a.key)
    hm = sq.find(_T3_HEADER, 0, sq.pos(first))
    start = first if hm is None else hm[0]
    table.header_text = doc.text[start:first].strip() or None
    _t3_col_labels(table, doc.text, start, h[start:first])
    short_for = _short_reader(doc, table.col_labels.get("total") is not None)
    results, row_notes, end = _read_rows(doc, h, anchors, hi, table, short_for)
    end = max(end, first)
    _joint(results, fmt, doc.line_of, table)
    if any(k not in results or results[k].trouble for k in (s.key for s in specs)):
        ordered = _by_value_lines(doc, h, first, hi, specs, fmt, short_for)
        if ordered:
            results, row_notes = ordered, []
            table.notes.append("行标签与数值错位（如PDF转换把标签折行打乱）：按数值行的先后对应到表三各行，"
                               "已用R3（按列）核对")
            end = max(end, max(r.pieces[-1].end for r in results.values() if r.pieces))
    table.notes += row_notes
    for spec in specs:
        res = results.get(spec.key)
        if res is None:
            table.row_labels[spec.key] = None
            fill_missing(table, spec.key, schema.T3_COLUMN_KEYS,
                         COLLAPSED_6 if COLLAPSED_6 in table.notes and spec.key.startswith("other_")
                         else f"报告中没有“{spec.label}”这一行")
            continue
        for c, cell in zip(schema.T3_COLUMN_KEYS, res.cells):
            table.cells[(spec.key, c)] = cell
    extent(doc, table, start, end)
    return table


def _not_found(table: Table, specs) -> None:
    table.notes.append("未找到表三的行标签")
    for spec in specs:
        fill_missing(table, spec.key, schema.T3_COLUMN_KEYS, "报告中没有表三")
        table.row_labels[spec.key] = None
    for c in schema.T3_COLUMNS:
        table.col_labels[c.key] = None


def _t3_delimiters(sq: Squeezed, specs, rows: list[Anchor], table: Table) -> list[Anchor]:
    """The group headings that delimit rows; when a 2021 table prints （六）其他处理 as one row,
    that heading becomes the row 3.其他 (appended to ``rows``) and the table says so."""
    groups = delimiters(sq, _T3_GROUPS, rows, rows[0].kw_start)
    six = [k for k in ("other_no_correction", "other_no_fee", "other_other") if k in
           {s.key for s in specs}]
    if six and not {a.key for a in rows} & set(six):
        m = sq.find(_T3_GROUP6, sq.pos(rows[0].kw_start))
        if m:  # （六）其他处理 printed as one row in a 2021-format table
            rows.append(Anchor("other_other", m[0], m[1]))
            table.notes.append(COLLAPSED_6)
    elif six:
        groups += delimiters(sq, [_T3_GROUP6], rows, rows[0].kw_start)
    return groups


def _short_reader(doc, has_total: bool):
    """How a row with fewer than seven values is read: six values are the applicant columns
    with 总计 missing when the header has no 总计 or they cannot be five columns and their
    total; otherwise the values are right-aligned."""
    def short_for(row_line):
        def short(ps):
            if len(ps) == 6:
                vals = [p.chunk.value for p in ps]
                if not has_total:
                    return leading_aligned(ps, 7, doc.line_of, row_line,
                                           "表头无“总计”列，本行只有6个数：按申请人六列读取，总计缺失")
                if None in vals or vals[5] != sum(vals[:5]) or not any(vals):
                    return leading_aligned(ps, 7, doc.line_of, row_line,
                                           "本行只有6个数，且末位不是前五个数之和（不像缺了“自然人”）："
                                           "按申请人六列读取，总计缺失")
            return right_aligned(ps, 7, doc.line_of, row_line)
        return short
    return short_for


def _read_rows(doc, h: str, anchors: list[Anchor], hi: int, table: Table, short_for):
    """(results per row, notes per row, end of the last value) — each labelled row read from
    its segment; a full-grid layout's label cells and a heading row with values are noted."""
    has_total = table.col_labels.get("total") is not None
    grid = _grid_start(h, [a for a in anchors if a.key], 7 if has_total else 6)
    if grid is not None:
        table.notes.append(f"表格按完整网格输出（合并单元格留空）：每行前{grid}格为标签区")
    for k, a in enumerate(anchors[:-1]):
        if a.key is None and any(not p.empty for p in chunks(h, a.end, anchors[k + 1].start,
                                                             to_anchor=True)):
            table.extra_labels.append(doc.text[a.start:a.end])  # a heading row with values
    segs = []
    for a, pieces, _ in segments(doc, h, anchors, hi, table):
        if grid is not None:
            pieces = _after_cell(h, a.start, grid, pieces)
        segs.append((a, pieces))
    padded = trims_padding([p for _, p in segs], 7)
    results: dict[str, RowResult] = {}
    row_notes: list[str] = []
    end = 0
    for a, pieces in segs:
        row_line = doc.line_of(a.start)
        res = _t3_row(pieces, doc, row_line, short_for(row_line), padded)
        if a.key in results:
            continue
        results[a.key] = res
        table.row_labels[a.key] = doc.text[a.start:a.end]
        table.row_lines[a.key] = row_line
        row_notes += [f"{doc.text[a.start:a.end]}：{n}" for n in res.notes]
        end = max(end, res.pieces[-1].end if res.pieces else a.end)
    return results, row_notes, end


def _line_cells(h: str, pos: int) -> tuple[int, list[str]]:
    """(offset of the line start, the tab cells of the line holding ``pos``)."""
    a = h.rfind("\n", 0, pos) + 1
    b = h.find("\n", pos)
    return a, h[a:len(h) if b < 0 else b].split("\t")


def _grid_start(h: str, rows: list[Anchor], n: int) -> int | None:
    """The number of label cells per row when the table is printed on its full grid (merged
    positions as empty cells, the way a spreadsheet or a TSV export prints it): then the values
    of every row start at the same cell, and an empty cell before them is layout, not a blank.
    None when the rows do not share one layout (Word-style text prints a merged cell once)."""
    layouts = []
    for a in rows:
        _, cells = _line_cells(h, a.start)
        if len(cells) < 2:
            return None
        layouts.append(cells)
    widths = [len(c) for c in layouts]
    width = max(set(widths), key=widths.count)
    start = width - n
    if start < 1:
        return None
    full = [c for c in layouts if len(c) == width]
    if len(full) < 0.8 * len(layouts):
        return None
    for cells in full:
        if any(re.search(r"\d", c) and not re.match(r"\s*\d\s*[.、．]", c) for c in cells[:start]):
            return None  # a value among the label cells: not a grid layout
        if any(re.search(r"[\u4e00-\u9fff]", c) for c in cells[start:]):
            return None
    return start


def _after_cell(h: str, label_start: int, k: int, pieces):
    """Drop the pieces that lie in the first ``k`` cells of the label's line (layout cells)."""
    line_lo, cells = _line_cells(h, label_start)
    cut = line_lo + sum(len(c) + 1 for c in cells[:k])
    line_hi = line_lo + len("\t".join(cells))
    return [p for p in pieces if not (line_lo <= p.start < line_hi and p.start < cut)]


def _t3_row(pieces, doc, row_line, short, padded=False) -> RowResult:
    return resolve_row(pieces, 7, doc.line_of, check=group_sum_check(R2_GROUPS),
                       check_name="“总计=六类申请人之和”", short=short, row_line=row_line,
                       padded=padded)


def _by_value_lines(doc, h: str, lo: int, hi: int, specs, fmt: str,
                    short_for) -> dict[str, RowResult] | None:
    """Map the table's full value lines (six or seven values each) to the rows in order — the
    fallback for a conversion that scrambled the labels but kept the numbers' order. Used only
    when there is exactly one such line per row and the result satisfies R3 in every column."""
    lines, pos = [], lo
    for line in h[lo:hi].split("\n"):
        ps = [p for p in chunks(h, pos, pos + len(line), to_anchor=False)]
        pos += len(line) + 1
        if sum(1 for p in ps if not p.empty) >= 6 and len(ps) <= 8:
            lines.append(ps)
    if len(lines) != len(specs):
        return None
    out = {}
    for spec, ps in zip(specs, lines):
        line = doc.line_of(ps[0].start)
        res = _t3_row(ps, doc, line, short_for(line))
        for c in res.cells:
            if c.how == READ:
                c.how, c.reason = ALIGNED, "行标签错位：按数值行的先后对应到本行"
        out[spec.key] = res
    leaves = schema.T3_LEAVES[schema.FORMAT_2019 if fmt == schema.FORMAT_2019 else schema.FORMAT_2021]
    for i in range(7):
        vals = [out[k].cells[i].value for k in leaves]
        total = out["total_processed"].cells[i].value
        if total is not None and sum(v or 0 for v in vals) != total:
            return None
    return out


def _t3_col_labels(table: Table, text: str, start: int, header: str) -> None:
    sq = Squeezed(header, 0, len(header))
    cursor = 0
    for c in schema.T3_COLUMNS:
        pat = alt(c.keywords)
        m = sq.find(pat, 0 if c.key == "total" else cursor)
        if c.key != "total" and m:
            cursor = m[3]
        table.col_labels[c.key] = text[start + m[0]:start + m[1]] if m else None


def _joint(results: dict[str, RowResult], fmt: str, line_of, table: Table) -> None:
    """Settle rows still ambiguous with the column identities R1 and R3 (per column), trying
    both together first and each alone if the printed table breaks one of them."""
    open_rows = {k: r.options for k, r in results.items() if r.ambiguous}
    if not open_rows:
        return
    fixed = {k: tuple(c.value for c in r.cells) for k, r in results.items() if not r.ambiguous}
    leaves = [k for k in schema.T3_LEAVES[schema.FORMAT_2019 if fmt == schema.FORMAT_2019
                                           else schema.FORMAT_2021]]
    for k in (*leaves, "new_received", "carried_over", "total_processed", "carried_forward"):
        if k not in fixed and k not in open_rows:
            fixed[k] = (None,) * 7
    r1 = (("new_received", "carried_over"), ("total_processed", "carried_forward"))
    r3 = (tuple(leaves), ("total_processed",))
    for idents, name in (((r1, r3), "R1和R3"), ((r1,), "R1"), ((r3,), "R3")):
        sols, cut = solve_jointly(fixed, open_rows, idents, 7)
        if sols and not cut:
            break
    else:
        table.notes.append("表三连写数字：列间勾稽关系无法唯一确定，相关行留空")
        return
    for k in open_rows:
        choices = row_choices(sols, k)
        if len(choices) == 1:
            raw = results[k].cells[0].raw
            set_reading(results[k], choices[0], line_of,
                        f"连写数字“{raw}”有多种读法，只有 {fmt_reading(choices[0])} "
                        f"使表三{name}（按列）成立")
        else:
            for cell in results[k].cells:
                cell.reason = (cell.reason or "") + f"（按{name}仍有{len(choices)}种可能）"
