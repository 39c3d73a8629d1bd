"""The statistics table of a pre-2019 report checked against itself (LEGACY-SUMS).

Why: reports of 2008–2018 followed the old 条例 and print no 表二/表三/表四, so the 2021 template's
table rules do not apply to them (``meta.uses_tables``); what they do print — the old form's
indicators with "其中" parts (``parsing.legacy``) — still has sums that must hold. The ways an
application arrived (当面/网上/信函…) and the kinds of reply (同意公开/部分公开/不予公开/其他) each
divide their total: when the list has its catch-all 其他 row the parts must add up to the
total (error); without it the list may leave kinds out, so parts above the total is an error
and below it is left alone. 主动公开's parts (网站/公报) overlap — one document is on both — so
there only a part above its total is an error.
"""
from __future__ import annotations

from ..findings import Finding
from ..parsing.legacy import parse_legacy_table
from .meta import uses_tables
from .registry import rule

_DIVIDED = ("申请", "答复")  # totals their items divide (each application one way, one reply)


@rule("LEGACY-SUMS", title="旧版统计表：总数与“其中”各项一致", severity="error", basis="STRUCT",
      source="issue 9（2019年以前的报告按其自身的统计表核对）", family="legacy")
def legacy_sums(report, ctx):
    """Each total of the old statistics table against its "其中" rows, per value column."""
    if uses_tables(report):
        return
    t = parse_legacy_table(report.document)
    if t is None:
        return
    for row in t.rows:
        if len(row.items) < 1:
            continue
        divided = any(w in row.label for w in _DIVIDED)
        whole = divided and any(i.label.startswith(("其他", "其它")) for i in row.items)
        for k, col in enumerate(t.columns):
            total = row.values[k]
            parts = [i.values[k] for i in row.items]
            if total is None or None in parts:
                continue
            got = sum(parts)
            names = "+".join(f"{i.label}{i.values[k]}" for i in row.items)
            loc = {"line": row.line, "span": row.span}
            if divided and len(row.items) >= 2 and (got > total or (whole and got != total)):
                yield Finding(severity="error",
                              message=f"旧版统计表“{row.label}”（{col}）为{total}，其中各项之和为{got}"
                              f"（{names}）" + ("" if whole else "，超过总数"),
                              location=loc, expected=total, actual=got, quote=row.raw,
                              details={"column": col, "parts": [i.label for i in row.items],
                                       "complete": whole})
            elif not divided:
                over = [i for i in row.items if i.values[k] > total]
                for i in over:
                    yield Finding(severity="error",
                                  message=f"旧版统计表“{i.label}”（{col}）为{i.values[k]}，"
                                  f"大于其所属总数“{row.label}”{total}",
                                  location={"line": i.line, "span": i.span}, expected=f"≤{total}",
                                  actual=i.values[k], quote=i.raw, details={"column": col})
