"""表二 主动公开政府信息情况: labels, the fee unit, types, R7 and the all-zero display.

The 2021 format has 10 cells in four 第二十条 blocks; the 2019 trial format has 19 cells and a
第（九）项 政府集中采购 block. Only the 2019 "本年增/减" may be negative, and only money
(the 2021 fee in 万元, the 2019 采购总金额) may have decimals.
"""
from __future__ import annotations

import re

from .. import schema
from ..findings import Finding
from ..textnorm import to_halfwidth
from .evidence import (absent_table, cell_loc, check_types, fmt_num, row_quote, total,
                       unevaluated)
from .registry import rule
from .wording import core, keyword_only, same, similarity

T = "table2"
FEE_COL = schema.t2_rows(schema.FORMAT_2021)[-1].columns[0]
FEE_LABEL = FEE_COL.label  # 本年收费金额（单位：万元）


@rule("T2-LABELS", title="表二分项与行名符合所用格式", severity="error", basis="OFFICIAL",
      source="spec §5.2; §2.3", family="table2")
def t2_labels(report, ctx):
    """Each 第二十条 block of the detected format must be there (a missing block or row:
    error); row and column names that differ from the official ones (e.g. 规范性文件 in a
    2021 report): warning."""
    t = report.table2
    if not t.found:
        yield from absent_table(report, t)
        return
    rows = schema.t2_rows(report.layout("table2"))
    items: dict[str, list] = {}
    for r in rows:
        items.setdefault(r.item, []).append(r)
    for item, rs in items.items():
        absent = [r for r in rs if not t.row_labels.get(r.key)]
        if len(absent) == len(rs):
            yield Finding(severity="error",
                          message=f"表二缺少第二十条第{item}项（"
                          f"{'、'.join(r.label for r in rs)}）",
                          location=cell_loc(t, rs[0].key), expected=f"第二十条第{item}项", actual=None)
            continue
        for r in absent:
            yield Finding(severity="error", message=f"表二第二十条第{item}项缺少“{r.label}”行",
                          location=cell_loc(t, r.key), expected=r.label, actual=None)
    for r in rows:
        printed = t.row_labels.get(r.key)
        if printed and not _same_label(printed, r.label):
            yield Finding(severity="warning", message=f"表二行名“{printed}”应为“{r.label}”",
                          location=cell_loc(t, r.key), expected=r.label, actual=printed,
                          quote=row_quote(report, t, r.key),
                          details={"similarity": round(similarity(printed, r.label), 1)})
    seen = set()
    for r in rows:
        for c in r.columns:
            printed = t.col_labels.get(c.key)
            if c.key == "amount_wan" or c.key in seen or not printed or keyword_only(printed, c):
                continue  # the fee header is T2-UNIT's
            seen.add(c.key)
            if not _same_label(printed, c.label):
                yield Finding(severity="warning", message=f"表二列名“{printed}”应为“{c.label}”",
                              location=cell_loc(t, r.key, c.key), expected=c.label, actual=printed,
                              quote=row_quote(report, t, r.key))


def _same_label(printed: str, official: str) -> bool:
    """Same wording, or the official label with header words glued in front of it (flattened
    text runs a table's header into its first row label: "…现行有效件数规章")."""
    return same(printed, official) or core(printed).endswith(core(official))


_FEE_HEADER = re.compile(r"(?:本年)?收费金额\s*[（(][^（()）]{0,30}[)）]")
_DECIMALS = re.compile(r"保留\s*(\d|[一二三四五六])\s*位小数")
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


@rule("T2-UNIT", title="表二收费金额表头为“本年收费金额（单位：万元）”", severity="info",
      basis="OFFICIAL", source="spec §5.2; §2.3 (30号表二；“保留4位小数”非全国格式)",
      family="table2", config=("thresholds.fee_decimals",))
def t2_unit(report, ctx):
    """The national header is 本年收费金额（单位：万元）. A local qualifier such as "保留4位小数"
    is shown (info); a different unit, or a value not written with the decimals its own header
    asks for, is self-inconsistent (warning, quoting the printed token)."""
    t = report.table2
    if not t.found or report.layout("table2") == schema.FORMAT_2019:
        return
    printed = t.col_labels.get("amount_wan")
    cell = t.cell("fees", "amount_wan")
    if printed and t.span and keyword_only(printed, FEE_COL):
        m = _FEE_HEADER.search(report.text, *t.span)
        printed = m.group(0) if m else None  # the header as printed, or unknown
    if not printed:
        return
    loc = cell_loc(t, "fees", "amount_wan")
    hw = to_halfwidth(printed)
    if same(printed, FEE_LABEL):
        pass
    elif "万元" not in hw:
        yield Finding(severity="warning", message=f"表二收费金额表头“{printed}”的单位不是万元", location=loc,
                      expected=FEE_LABEL, actual=printed, quote=printed)
    else:
        yield Finding(severity="info", message=f"表二收费金额表头“{printed}”带有全国格式以外的限定（应为“{FEE_LABEL}”）",
                      location=loc, expected=FEE_LABEL, actual=printed, quote=printed)
    want = ctx.option("thresholds.fee_decimals")
    m = _DECIMALS.search(hw)
    if want is None and m:
        want = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGIT[m.group(1)]
    if want is None or cell is None or cell.value is None or not cell.raw:
        return
    raw = to_halfwidth(cell.raw).strip()
    shown = len(raw.split(".", 1)[1]) if "." in raw else 0
    if shown != want:
        yield Finding(severity="warning",
                      message=f"表二收费金额表头要求保留{want}位小数，但数值写作“{cell.raw}”"
                      f"（{shown}位小数）",
                      location=loc, expected=f"{want}位小数", actual=cell.raw,
                      quote=row_quote(report, t, "fees"), details={"header": printed})


@rule("T2-TYPES", title="表二数值类型：件数为非负整数，金额非负", severity="error",
      basis="STRUCT", source="spec §5.2; R5", family="table2")
def t2_types(report, ctx):
    """Counts are whole and non-negative; money may have decimals; only the 2019 本年增/减
    may be negative."""
    yield from check_types(report, T, may_be_negative=("change",),
                           may_be_decimal=("amount_wan", "amount"))


@rule("T2-R7", title="表二：本年制发件数≤现行有效件数+本年废止件数", severity="warning",
      basis="HEUR", source="spec §3 R7", family="table2")
def t2_r7(report, ctx):
    """A document made this year is either still in force or was repealed; more made than in
    force plus repealed is suspicious (it can legitimately fail when a document expired
    without formal repeal, hence a warning)."""
    t = report.table2
    if not t.found or report.layout("table2") == schema.FORMAT_2019:
        return
    blocked, skipped = [], []
    for row in ("regulations", "normative_documents"):
        label = "规章" if row == "regulations" else "行政规范性文件"
        made, rest = total(t, [(row, "issued")]), total(t, [(row, "in_force"), (row, "repealed")])
        if made.value is None or rest.value is None:
            blocked.append(f"“{label}”制发≤现行有效+废止")
            skipped += made.skipped + rest.skipped
        elif made.value > rest.value:
            yield Finding(severity="warning",
                          message=f"表二“{label}”本年制发{fmt_num(made.value)}件，多于现行有效件数与"
                          f"本年废止件数之和{fmt_num(rest.value)}件",
                          location=cell_loc(t, row, "issued"), expected=f"≤{fmt_num(rest.value)}",
                          actual=made.value, quote=row_quote(report, t, row))
    if blocked:
        yield unevaluated(report, t, blocked, skipped, "关系R7")


@rule("T2-ALLZERO", title="表二全部为0", severity="info", basis="HEUR",
      source="spec §5.2", family="table2")
def t2_allzero(report, ctx):
    """Every 表二 cell is 0: plausible for a small agency, shown for the reviewer's attention."""
    t = report.table2
    vals = [c.value for c in t.cells.values()]
    if t.found and vals and all(v == 0 for v in vals):
        # deduplicated: flattened text prints every row on one line
        quotes = dict.fromkeys(row_quote(report, t, r) for r, _ in t.cells)
        quote = " / ".join(q for q in quotes if q)[:300]
        yield Finding(severity="info", message=f"表二{len(vals)}个数值全部为0，请核实是否属实",
                      location={"table": T, "line": t.line}, expected=None, actual=0,
                      quote=quote or None)

