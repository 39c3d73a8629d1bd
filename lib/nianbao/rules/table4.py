"""表四 政府信息公开行政复议、行政诉讼情况: layout, types and R4 (block totals).

The table is one data row of 15 cells: 行政复议, 未经复议直接起诉 and 复议后起诉, each as
结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计.
"""
from __future__ import annotations

from .. import schema
from ..findings import Finding
from ..model import MISSING
from .evidence import (Relation, absent_table, cell_loc, check_relations, check_types, col_cn,
                       row_cn, row_quote)
from .registry import rule
from .wording import keyword_only, same

T = "table4"


@rule("T4-LAYOUT", title="表四15个数值分3组且列名为官方名称", severity="error",
      basis="OFFICIAL", source="spec §5.4; §2.5", family="table4")
def t4_layout(report, ctx):
    """All 15 cells present (a missing block or cell: error); column names other than the
    official ones: warning."""
    t = report.table4
    if not t.found:
        yield from absent_table(report, t)
        return
    header = " ".join((t.header_text or "").split()) or None
    for r in () if t.doubtful else schema.T4_ROWS:  # a misread table: STRUCT-READ says so
        missing = [c for c in schema.T4_COLUMN_KEYS
                   if t.cell(r.key, c) is None or t.cell(r.key, c).how == MISSING]
        if missing:
            names = "、".join(f"“{col_cn(T, c)}”" for c in missing)
            n = len(schema.T4_COLUMN_KEYS) - len(missing)
            yield Finding(severity="error", message=f"表四“{r.label}”组只有{n}个数值，缺少{names}",
                          location=cell_loc(t, r.key, missing[0]),
                          expected=len(schema.T4_COLUMN_KEYS), actual=n,
                          quote=row_quote(report, t, r.key), details={"missing": missing})
    for c in schema.T4_COLUMNS:
        printed = t.col_labels.get(c.key)
        if printed and not same(printed, c.label) and not keyword_only(printed, c):
            yield Finding(severity="warning", message=f"表四列名“{printed}”应为“{c.label}”",
                          location=cell_loc(t, None, c.key, t.line), expected=c.label,
                          actual=printed, quote=header)


@rule("T4-TYPES", title="表四数值为非负整数", severity="error", basis="STRUCT",
      source="spec §5.4; R5", family="table4")
def t4_types(report, ctx):
    """Case counts are whole, non-negative numbers."""
    yield from check_types(report, T)


@rule("T4-R4", title="表四各组：总计=维持+纠正+其他+尚未审结", severity="error", basis="STRUCT",
      source="spec §3 R4", family="table4")
def t4_r4(report, ctx):
    """In each of the three blocks the 总计 is the sum of the four outcomes."""
    if not report.table4.found:
        return []
    parts = [c for c in schema.T4_COLUMN_KEYS if c != "total"]
    rels = [Relation(f"“{row_cn(T, r)}”：总计=结果维持+结果纠正+其他结果+尚未审结",
                     [(r, c) for c in parts], [(r, "total")], (r, "total"), "四项之和", "总计")
            for r in schema.T4_ROW_KEYS]
    return check_relations(report, report.table4, rels, "合计关系R4")
