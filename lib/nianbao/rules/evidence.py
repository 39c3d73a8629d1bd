"""Shared evidence helpers for the table rules: locations, quotes, and null-aware sums.

Every table finding must point at a cell (table/row/column keys and the line) and quote the
printed row, and every arithmetic check must say which null cells it could not use and which
recovered cells it did use. Keeping that in one place keeps the rules short and consistent.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import schema
from ..findings import Finding
from ..model import ALIGNED, RECOVERED, UNREADABLE, Cell, Report, Table

TABLE_CN = schema.TABLE_SHORT


def row_cn(table: str, row: str) -> str:
    """The official Chinese label of a row key (for messages)."""
    return schema.row_label(table, row)


def col_cn(table: str, col: str) -> str:
    return schema.col_label(table, col)


def row_line(t: Table, row: str) -> int | None:
    line = t.row_lines.get(row)
    if line is None:
        c = next((c for (r, _), c in t.cells.items() if r == row and c.line), None)
        line = c.line if c else None
    return line


def row_quote(report: Report, t: Table, row: str) -> str | None:
    """The printed row (label and raw values) as it stands in the text, tabs shown as spaces."""
    line = row_line(t, row)
    if line is None:
        return None
    return " ".join(x for x in report.document.line_text(line).split("\t") if x.strip()) or None


def cell_loc(t: Table, row: str | None, col: str | None = None, line: int | None = None) -> dict:
    loc = {"table": t.name}
    if row:
        loc["row"] = row
    if col:
        loc["column"] = col
    if line is None and row:
        c = t.cells.get((row, col)) if col else None
        line = c.line if c is not None and c.line else row_line(t, row)
    if line is None:
        line = t.line  # a row the report lacks: point at the table it should be in
    if line is not None:
        loc["line"] = line
    return loc


def cell_ref(row: str, col: str, c: Cell | None) -> dict:
    d = {"row": row, "column": col, "how": c.how if c else "missing"}
    if c is not None and c.raw:
        d["raw"] = c.raw
    if c is not None and c.reason:
        d["reason"] = c.reason
    return d


@dataclass
class Sum:
    """A null-aware sum: ``value`` is None when any term is null (listed in ``skipped``)."""

    value: int | float | None = 0
    skipped: list[dict] = field(default_factory=list)
    recovered: list[dict] = field(default_factory=list)
    aligned: list[dict] = field(default_factory=list)


def total(t: Table, terms: list[tuple[str, str]]) -> Sum:
    s = Sum()
    acc = 0
    for row, col in terms:
        c = t.cells.get((row, col))
        if c is None or c.value is None:
            ref = cell_ref(row, col, c)
            ref["reason"] = ref.get("reason") or "空白或缺失，不按0计"
            s.skipped.append(ref)
            continue
        if c.how == RECOVERED:
            s.recovered.append(cell_ref(row, col, c))
        elif c.how == ALIGNED:
            s.aligned.append(cell_ref(row, col, c))
        acc += c.value
    s.value = None if s.skipped else acc
    return s


def fmt_num(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def recovered_phrase(recovered: list[dict]) -> str:
    """Says in the message that some values were split out of run-together digits."""
    if not recovered:
        return ""
    raws = list(dict.fromkeys(r.get("raw", "") for r in recovered))
    shown = "、".join(f"“{x}”" for x in raws[:2]) + ("等" if len(raws) > 2 else "")
    return f"（其中{len(recovered)}个数值由连写数字{shown}拆分恢复）"


@dataclass
class Relation:
    """One equation ``lhs = rhs`` over cells of a table, with where to report it."""

    desc: str  # e.g. "“自然人”列：一+二 = （七）+四"
    lhs: list[tuple[str, str]]
    rhs: list[tuple[str, str]]
    at: tuple[str, str]  # the (row, col) the finding points at
    lhs_name: str = "左边"
    rhs_name: str = "右边"


def check_relations(report: Report, t: Table, rels: list[Relation],
                    what: str) -> list:
    """Evaluate each relation: an error per broken one (expected = lhs, actual = rhs), and one
    info finding listing the relations nulls kept from being evaluated. ``what`` names the
    relation family in messages (e.g. "勾稽关系R1").

    A broken relation that rests on cells the parser placed by position (``aligned``: the row
    printed fewer values than columns) is a warning, not an error: with a mangled text layer the
    placement itself may be what is wrong, and an error must be a defect of the report."""
    if t.doubtful:  # a misread table says so once (STRUCT-READ); its sums are not the report's
        return []
    out, blocked, skipped_all, seen = [], [], [], set()
    for rel in rels:
        a, b = total(t, rel.lhs), total(t, rel.rhs)
        rec = a.recovered + b.recovered
        if a.value is None or b.value is None:
            blocked.append(rel.desc)
            for x in a.skipped + b.skipped:
                if (x["row"], x["column"]) not in seen:
                    seen.add((x["row"], x["column"]))
                    skipped_all.append(x)
            continue
        if abs(a.value - b.value) < 1e-9:
            continue
        row, col = rel.at
        diff = fmt_num(abs(a.value - b.value))
        msg = (f"{TABLE_CN[t.name]}{rel.desc}不成立：{rel.lhs_name}={fmt_num(a.value)}，"
               f"{rel.rhs_name}={fmt_num(b.value)}，相差{diff}{recovered_phrase(rec)}")
        details = {"relation": rel.desc}
        if rec:
            details["recovered"] = rec
        aligned = a.aligned + b.aligned
        if aligned:
            details["aligned"] = aligned
            msg += f"；其中{len(aligned)}个数值按位置推断所在列，请对照原文核实"
        out.append(Finding(severity="warning" if aligned else "error", message=msg,
                           location=cell_loc(t, row, col), expected=a.value, actual=b.value,
                           quote=row_quote(report, t, row), details=details))
    if blocked:
        out.append(unevaluated(report, t, blocked, skipped_all, what))
    return out


def unevaluated(report: Report, t: Table, blocked: list[str], skipped: list[dict],
                what: str):
    """The info finding for relations that null cells kept from being checked (not silence,
    not an error), listing the cells in ``details["skipped"]``."""
    first = skipped[0]
    names = "、".join(f"{row_cn(t.name, s['row'])}/{col_cn(t.name, s['column'])}"
                     for s in skipped[:6])
    more = f"等{len(skipped)}个" if len(skipped) > 6 else ""
    msg = (f"{TABLE_CN[t.name]}有{len(blocked)}处{what}无法核对：单元格{names}{more}"
           f"为空白或缺失（不按0计）")
    return Finding(severity="info", message=msg,
                   location=cell_loc(t, first["row"], first["column"]), expected=None, actual=None,
                   quote=row_quote(report, t, first["row"]),
                   details={"skipped": skipped, "relations": blocked})


def check_types(report, table: str, may_be_negative=(), may_be_decimal=()):
    """Integers ≥ 0 (R5): a negative or fractional value is an error; a token that is not a
    number at all is a warning (it may be the extraction's fault), quoting the token."""
    t = report.table(table)
    if t.doubtful:
        return
    tcn = TABLE_CN[table]
    for (row, col), c in t.cells.items():
        if c.how != UNREADABLE and (c.value is None or c.value >= 0 and (
                isinstance(c.value, int) or c.value.is_integer())):
            continue  # the common case, settled before any label is looked up
        where = f"{tcn}“{row_cn(table, row)}”行“{col_cn(table, col)}”列"
        if c.how == UNREADABLE:
            yield Finding(severity="warning", message=f"{where}的“{c.raw}”不是数字",
                          location=cell_loc(t, row, col), expected="非负整数", actual=c.raw,
                          quote=row_quote(report, t, row), details={"cell": cell_ref(row, col, c)})
            continue
        v = c.value
        if v is None:
            continue
        if v < 0 and col not in may_be_negative:
            yield Finding(severity="error", message=f"{where}为负数{fmt_num(v)}",
                          location=cell_loc(t, row, col), expected="≥0", actual=v,
                          quote=row_quote(report, t, row))
        elif isinstance(v, float) and not v.is_integer() and col not in may_be_decimal:
            yield Finding(severity="error", message=f"{where}为非整数{c.raw or fmt_num(v)}",
                          location=cell_loc(t, row, col), expected="整数", actual=v,
                          quote=row_quote(report, t, row))


_TABLE_TITLE = {"table2": (2, "主动公开政府信息情况"), "table3": (3, "收到和处理政府信息公开申请情况"),
                "table4": (4, "政府信息公开行政复议、行政诉讼情况")}


def absent_table(report: Report, t: Table) -> list:
    """The error for a table the report lacks, in a year whose format requires it (none before
    2019, when the old 条例 had no such tables)."""
    from .meta import uses_tables

    if t.found or not uses_tables(report):
        return []
    part, title = _TABLE_TITLE[t.name]
    return [Finding(severity="error", message=f"未找到{TABLE_CN[t.name]}（{title}）",
                    location={"table": t.name, "section": part})]
