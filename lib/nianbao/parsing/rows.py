"""From a row's value pieces to its cells: direct reading, right-alignment, digit recovery.

A row printed with exactly as many values as the format has columns is read as is. A row with
fewer values is either a run-together digit string (crawler text: split it, keeping only the
readings the table's identities allow) or a row whose merged cells were flattened away (map it
right-aligned, or to the six applicant columns when the 总计 column is absent). Every cell says
which of these happened (``Cell.how``) and why (``Cell.reason``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..document import UNREAD
from ..model import ALIGNED, AMBIGUOUS, BLANK, MISSING, READ, RECOVERED, UNREADABLE, Cell
from .digits import readings
from .scan import Piece

#: readings listed in an ambiguity reason
SHOW_READINGS = 20


@dataclass
class RowResult:
    cells: list[Cell]
    options: list[tuple] = field(default_factory=list)  # ambiguous: every reading still in play
    pieces: list[Piece] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    trouble: bool = False  # values dropped or shifted without an explanation from the header

    @property
    def ambiguous(self) -> bool:
        return len(self.options) > 1


def fmt_reading(r: tuple) -> str:
    return "/".join("空" if v is None else _num(v) for v in r)


def _num(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def raw_of(pieces: list[Piece]) -> str:
    return " ".join(p.chunk.raw for p in pieces if p.chunk.raw)


def _counts(pieces: list[Piece], reading: tuple) -> list[int]:
    """How many of ``reading``'s values each piece produced (a digit run's values concatenate
    back to the run; other pieces give one value)."""
    out, k = [], 0
    for p in pieces:
        c = p.chunk
        if c.digits is None:
            out.append(1)
            k += 1
            continue
        body, got, n = c.digits.lstrip("+-"), "", 0
        while got != body:
            got += str(abs(int(reading[k])))  # a decimal last value: its integer part
            k += 1
            n += 1
        out.append(n)
    return out


def null_cell(p: Piece, line: int | None, reason: str) -> Cell:
    """The cell of a piece without a value: a blank, or one the reader could not read."""
    if p.chunk.raw == UNREAD:
        return Cell(None, UNREADABLE, p.chunk.raw, line, (p.start, p.end), "无法识别的单元格")
    return Cell(None, BLANK, p.chunk.raw, line, (p.start, p.end), reason)


def cells_from_reading(pieces: list[Piece], reading: tuple, line_of, reason: str | None,
                       direct: bool = False) -> list[Cell]:
    cells: list[Cell] = []
    for p, k in zip(pieces, [1] * len(pieces) if direct else _counts(pieces, reading)):
        for _ in range(k):
            v = reading[len(cells)]
            line = line_of(p.start)
            if v is None:
                cells.append(null_cell(p, line, "空白单元格" if p.empty else f"填写为“{p.chunk.raw}”，不计为0"))
            elif k > 1:
                cells.append(Cell(v, RECOVERED, p.chunk.raw, line, (p.start, p.end), reason))
            else:
                cells.append(Cell(v, READ, p.chunk.raw, line, (p.start, p.end)))
    return cells


def resolve_row(pieces: list[Piece], n: int, line_of, *,
                check: Callable[[list], bool] | None = None, check_name: str = "",
                short: Callable[[list[Piece]], RowResult] | None = None,
                row_line: int | None = None, padded: bool = False) -> RowResult:
    """Turn a row's value pieces into ``n`` cells.

    ``check`` is the row's own identity (表三 R2, 表四 R4) used to choose among digit splits;
    ``short`` maps a row that has fewer values than columns and cannot be split. ``padded``:
    the table pads rows with empty cells after the values (see ``trims_padding``), so trailing
    empty cells are layout, not blanks."""
    ps = trim_padding(pieces, n)
    notes: list[str] = []
    while ps and ps[-1].empty and (padded or len(ps) > n):
        ps.pop()
    if len(ps) > n:
        notes.append(f"本行有{len(ps)}个值（应为{n}个），多出的“{raw_of(ps[n:])}”未计入")
        ps = ps[:n]
        res = resolve_row(ps, n, line_of, check=check, check_name=check_name, short=short,
                          row_line=row_line)
        res.notes[:0] = notes
        res.trouble = True
        return res
    if not ps:
        return RowResult([Cell(None, MISSING, None, row_line, None, "本行没有数值") for _ in range(n)],
                         pieces=ps, notes=notes)
    chunks = [p.chunk for p in ps]
    if len(ps) == n:
        reading = tuple(c.value if c.digits is None else
                        float(f"{c.digits}.{c.frac}") if c.frac else int(c.digits) for c in chunks)
        return RowResult(cells_from_reading(ps, reading, line_of, None, direct=True),
                         pieces=ps, notes=notes)
    first, several = readings(chunks, n, limit=1)
    if not first and several:  # the search budget ran out before any reading: far too many
        return ambiguous_row(ps, n, [], True, line_of, "", notes)
    if not first:
        res = short(ps) if short else right_aligned(ps, n, line_of, row_line)
        res.notes[:0] = notes
        return res
    raw = raw_of(ps)
    if not several:
        reason = f"连写数字“{raw}”只有一种拆分：{fmt_reading(first[0])}"
        return RowResult(cells_from_reading(ps, first[0], line_of, reason), pieces=ps, notes=notes)
    fitting, fmore = readings(chunks, n, check) if check else ([], False)
    if check and len(fitting) == 1 and not fmore:
        reason = f"连写数字“{raw}”有多种拆分，只有 {fmt_reading(fitting[0])} 满足{check_name}"
        return RowResult(cells_from_reading(ps, fitting[0], line_of, reason), pieces=ps, notes=notes)
    if fitting:
        return ambiguous_row(ps, n, fitting, fmore, line_of, "", notes)
    if fmore:  # the identity search ran out of budget: too many readings to say which fit
        return ambiguous_row(ps, n, [], True, line_of, "", notes)
    every, more = readings(chunks, n)
    return ambiguous_row(ps, n, every, more, line_of,
                         f"（无一满足{check_name}）" if check else "", notes)


def trim_padding(pieces: list[Piece], n: int) -> list[Piece]:
    """A row with more cells than columns starts with layout cells (a merged label printed as
    empty cells): drop every empty cell before its first value."""
    ps = list(pieces)
    if len(ps) > n:
        while ps and ps[0].empty:
            ps.pop(0)
    return ps


def trims_padding(rows: list[list[Piece]], n: int) -> bool:
    """Whether the table pads rows with empty cells after their values: some row still has more
    than ``n`` cells once leading layout cells are gone, and only empty ones beyond the n-th."""
    for pieces in rows:
        ps = trim_padding(pieces, n)
        if len(ps) > n and all(p.empty for p in ps[n:]):
            return True
    return False


def ambiguous_row(ps: list[Piece], n: int, options: list[tuple], truncated: bool, line_of,
                  extra: str = "", notes: list[str] | None = None) -> RowResult:
    raw = raw_of(ps)
    shown = "；".join(fmt_reading(o) for o in options[:SHOW_READINGS])
    more = "…" if truncated or len(options) > SHOW_READINGS else ""
    count = f"{len(options)}{'+' if truncated else ''}"
    reason = f"连写数字“{raw}”有{count}种读法{extra}：{shown}{more}；无法确定，留空" if options else \
        f"连写数字“{raw}”的拆分方式过多，无法确定，留空"
    span = (ps[0].start, ps[-1].end)
    line = line_of(ps[0].start)
    cells = [Cell(None, AMBIGUOUS, raw, line, span, reason) for _ in range(n)]
    return RowResult(cells, options=[] if truncated else options, pieces=ps,
                     notes=list(notes or []))


def right_aligned(ps: list[Piece], n: int, line_of, row_line: int | None) -> RowResult:
    """Fewer values than columns, no split possible: the merged-cell flattening artefact. Map
    them to the last columns and say so in every cell (never a silent shift)."""
    k = len(ps)
    reason = f"本行只有{k}个值（应为{n}个），按右对齐读取"
    cells = [Cell(None, MISSING, None, row_line, None, reason) for _ in range(n - k)]
    for p in ps:
        c = p.chunk
        if c.value is None:
            cells.append(null_cell(p, line_of(p.start), reason))
        else:
            cells.append(Cell(c.value, ALIGNED, c.raw, line_of(p.start), (p.start, p.end), reason))
    return RowResult(cells, pieces=ps, notes=[reason], trouble=True)


def leading_aligned(ps: list[Piece], n: int, line_of, row_line: int | None, reason: str) -> RowResult:
    """Map the values to the first columns and mark the rest missing (a row known to lack its
    trailing cells, such as 表三 rows without 总计 when the header has no 总计 column)."""
    cells: list[Cell] = []
    for p in ps:
        c = p.chunk
        cells.append(Cell(c.value, READ, c.raw, line_of(p.start), (p.start, p.end)) if c.value is not None
                     else null_cell(p, line_of(p.start), "空白单元格"))
    cells += [Cell(None, MISSING, None, row_line, None, reason) for _ in range(n - len(ps))]
    return RowResult(cells, pieces=ps, notes=[reason])


def set_reading(res: RowResult, reading: tuple, line_of, reason: str) -> None:
    """Settle an ambiguous row on ``reading`` (chosen by the column identities)."""
    res.cells = cells_from_reading(res.pieces, reading, line_of, reason)
    res.options = []
