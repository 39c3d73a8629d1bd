"""表三 收到和处理政府信息公开申请情况: header, rows, cell counts, blanks, types, R1–R3.

R1 is the one relation the format itself prints (per column: 一+二 = （七）+四); R2 (row total =
the six applicant columns) and R3 ((七)总计 = the leaf rows of 三) follow from the table design.
Blank cells are never read as 0: relations that need them are reported as not evaluable.
"""
from __future__ import annotations

from .. import schema
from ..findings import Finding
from ..model import ALIGNED, BLANK, MISSING
from .evidence import (Relation, absent_table, cell_loc, cell_ref, check_relations, check_types,
                       col_cn, fmt_num, row_cn, row_quote)
from .registry import rule
from .wording import core, same, similarity, truncated

T = "table3"
COLS = schema.T3_COLUMN_KEYS


def _found(report) -> bool:
    return report.table3.found


def _present_rows(report) -> list[str]:
    t = report.table3
    return [r.key for r in schema.t3_rows(report.layout("table3")) if t.row_labels.get(r.key)]


@rule("T3-HEADER", title="表三表头：7列且列名为官方名称", severity="error", basis="OFFICIAL",
      source="spec §5.3; §2.4 (国办公开办函〔2021〕30号表三)", family="table3")
def t3_header(report, ctx):
    """The 7 applicant columns must all be there (a missing one, typically 总计, is an error:
    R1/R2 cannot be checked) and carry the official names (社会公益组织, not 社会组织: warning).
    A column whose name was not recognised although the header text holds its beginning
    (a header broken up by the extraction) is a warning, not a missing column."""
    t = report.table3
    if not t.found:
        yield from absent_table(report, t)
        return
    line = t.line
    header = " ".join((t.header_text or "").split()) or None
    if not any(t.col_labels.get(c.key) for c in schema.T3_COLUMNS) and (t.doubtful or any(
            "占位列名" in x for x in t.layouts)):
        # the converter printed placeholders for the header (or the reading is in doubt): the
        # columns are read by position; one warning, not seven missing columns
        yield Finding(severity="warning", message="表三表头未印出列名（只有“数据1…”之类的占位列名），"
                      "各列按位置读取，请对照原文核实",
                      location=cell_loc(t, None, None, line), expected="官方列名", actual=header,
                      quote=header)
        return
    for c in schema.T3_COLUMNS:
        printed = t.col_labels.get(c.key)
        if not printed and c.label[:2] in (t.header_text or "").replace("\n", ""):
            yield Finding(severity="warning", message=f"表三表头未能识别“{c.label}”列名（表头文字似被拆分或错位，请对照原文）",
                          location=cell_loc(t, None, c.key, line), expected=c.label, actual=None,
                          quote=header)
        elif not printed:
            yield Finding(severity="error", message=f"表三表头缺少“{c.label}”列",
                          location=cell_loc(t, None, c.key, line), expected=c.label, actual=None,
                          quote=header)
        elif not same(printed, c.label):
            yield Finding(severity="warning", message=f"表三表头列名“{printed}”应为“{c.label}”",
                          location=cell_loc(t, None, c.key, line), expected=c.label, actual=printed,
                          quote=header,
                          details={"similarity": round(similarity(printed, c.label), 1)})


@rule("T3-ROWS", title="表三行项目齐全且措辞与官方一致", severity="error", basis="OFFICIAL",
      source="spec §5.3; §2.4", family="table3", config=("thresholds.label_similarity",))
def t3_rows(report, ctx):
    """Every row of the detected version must be present (missing: error) with the official
    wording after normalising brackets, punctuation and numbering (difference: warning, with
    the similarity). A printed row the parser could not place is matched fuzzily to the
    missing official row, so a typo is reported as a wording difference, not only as a gap.
    A row whose label was not recognised but whose values were read is a warning. In a 2021
    report, （六）其他处理 printed as one row (the 2019 structure) is one error."""
    t = report.table3
    if not t.found:
        return
    threshold = ctx.option("thresholds.label_similarity")
    extras = list(t.extra_labels)
    absent = []
    collapsed = _collapsed_six(report)
    if collapsed:
        yield collapsed
    for r in schema.t3_rows(report.layout("table3")):
        if collapsed and r.key in SIX_2021:
            continue
        printed = t.row_labels.get(r.key)
        if printed and truncated(printed, r.label, strip_groups=True):
            yield Finding(severity="info",
                          message=f"表三行名“{core(printed, True)}”似为“{core(r.label, True)}”换行后被截断",
                          location=cell_loc(t, r.key), expected=r.label, actual=printed,
                          quote=row_quote(report, t, r.key))
            continue
        if printed:
            if not same(printed, r.label, strip_groups=True):
                sim = similarity(printed, r.label, strip_groups=True)
                yield Finding(severity="warning",
                              message=f"表三行名“{core(printed, True)}”与官方“{core(r.label, True)}”不一致"
                              f"（相似度{sim:.0f}%）",
                              location=cell_loc(t, r.key), expected=r.label, actual=printed,
                              quote=row_quote(report, t, r.key),
                              details={"similarity": round(sim, 1)})
            continue
        best = max(extras, key=lambda x: similarity(x, r.label, True), default=None)
        if best is not None and similarity(best, r.label, True) >= threshold:
            extras.remove(best)
            sim = similarity(best, r.label, True)
            yield Finding(severity="warning",
                          message=f"表三行名“{core(best, True)}”应为“{core(r.label, True)}”"
                          f"（相似度{sim:.0f}%），该行未能按官方行识别",
                          location=cell_loc(t, r.key), expected=r.label, actual=best, quote=best,
                          details={"similarity": round(sim, 1)})
        elif any(not c.is_null for (row, _), c in t.cells.items() if row == r.key):
            yield Finding(severity="warning",
                          message=f"表三“{r.label}”行的数值已读取，但行名未能识别（可能被换行拆分），请对照原文",
                          location=cell_loc(t, r.key, COLS[0]), expected=r.label, actual=None,
                          quote=row_quote(report, t, r.key))
        else:
            absent.append(r)
    if absent:
        yield _absent_rows(t, absent)


def _absent_rows(t, absent) -> Finding:
    """One finding for the rows a table lacks (a cut-off table lacks its whole end)."""
    if len(absent) == 1:
        r = absent[0]
        return Finding(severity="error", message=f"表三缺少行“{r.label}”",
                       location=cell_loc(t, r.key), expected=r.label, actual=None, quote=None)
    shown = "、".join(f"“{r.label}”" for r in absent[:6]) + ("等" if len(absent) > 6 else "")
    return Finding(severity="error", message=f"表三缺少{len(absent)}行：{shown}",
                   location=cell_loc(t, absent[0].key), expected=absent[0].label, actual=None,
                   quote=None, details={"missing_rows": [r.key for r in absent]})


SIX_2021 = ("other_no_correction", "other_no_fee", "other_other")


def _collapsed_six(report) -> Finding | None:
    """The 2019 single-row （六）其他处理 in a 2021-format table, as one finding."""
    t = report.table3
    if report.layout("table3") != schema.FORMAT_2021:
        return None
    absent = [k for k in SIX_2021[:2] if not t.row_labels.get(k)]
    label = t.row_labels.get("other_other") or t.row_labels.get("other")
    if len(absent) < 2 or not label or "其他处理" not in core(label):
        return None
    key = "other_other" if t.row_labels.get("other_other") else "other"
    return Finding(severity="error",
                   message="表三“（六）其他处理”只印了一行（2019年试行格式），缺少2021年格式的"
                   "“1.申请人无正当理由逾期不补正…”和“2.申请人逾期未按收费通知要求缴纳费用…”两行",
                   location=cell_loc(t, key), expected="（六）其他处理下分1、2、3三行", actual=label,
                   quote=row_quote(report, t, key), details={"missing_rows": absent})


@rule("T3-CELLCOUNT", title="表三每行7个数值", severity="error", basis="OFFICIAL",
      source="spec §5.3; §2.4", family="table3")
def t3_cellcount(report, ctx):
    """A printed row with fewer than 7 values (e.g. the 总计 left out) cannot be reconciled;
    rows absent altogether are T3-ROWS' business. Where the parser had to place the row's
    values by position, the shortfall may be the extraction's: warning."""
    t = report.table3
    if not t.found or t.doubtful:
        return
    short: dict[tuple, list[str]] = {}
    for row in _present_rows(report):
        missing = tuple(c for c in COLS
                        if t.cell(row, c) is None or t.cell(row, c).how == MISSING)
        if missing and any(t.cell(row, c) is not None and t.cell(row, c).how == ALIGNED
                           for c in COLS):
            yield Finding(severity="warning",
                          message=f"表三“{row_cn(T, row)}”行读到{len(COLS) - len(missing)}个数值"
                          f"（按位置推断所在列），少于7个，请对照原文核实",
                          location=cell_loc(t, row, missing[0]), expected=len(COLS),
                          actual=len(COLS) - len(missing), quote=row_quote(report, t, row),
                          details={"missing": list(missing)})
        elif missing:
            short.setdefault(missing, []).append(row)
    for missing, rows in short.items():
        names = "、".join(f"“{col_cn(T, c)}”" for c in missing)
        n = len(COLS) - len(missing)
        if len(rows) > 1:  # one cause (a column absent, rows printed empty): one finding
            shown = "、".join(f"“{row_cn(T, r)}”" for r in rows[:6]) + ("等" if len(rows) > 6 else "")
            yield Finding(severity="error", message=f"表三有{len(rows)}行只有{n}个数值，均缺少{names}：{shown}",
                          location=cell_loc(t, rows[0], missing[0]), expected=len(COLS), actual=n,
                          quote=row_quote(report, t, rows[0]),
                          details={"missing": list(missing), "rows": rows})
            continue
        for row in rows:
            yield Finding(severity="error", message=f"表三“{row_cn(T, row)}”行只有{n}个数值，缺少{names}",
                          location=cell_loc(t, row, missing[0]), expected=len(COLS), actual=n,
                          quote=row_quote(report, t, row), details={"missing": list(missing)})


@rule("T3-BLANK", title="表三空白单元格（按缺失处理，不按0计）", severity="warning",
      basis="STRUCT", source="spec §5.3; §2.6", family="table3")
def t3_blank(report, ctx):
    """Blank, "/" or "—" cells: they are not zeros, and the relations that need them cannot be
    checked. One finding for the table (a table left blank in whole columns would otherwise
    bury the findings that matter under one warning per row), listing every blank cell in
    ``details["cells"]`` and the rows and columns in the message (capped)."""
    t = report.table3
    if not t.found or t.doubtful:
        return
    per_row = []
    for row in _present_rows(report):
        blanks = [c for c in COLS if t.cell(row, c) is not None and t.cell(row, c).how == BLANK]
        if blanks:
            per_row.append((row, blanks))
    if not per_row:
        return
    shown = "；".join(f"“{row_cn(T, row)}”行" + "、".join(f"“{col_cn(T, c)}”" for c in blanks) + "列"
                     for row, blanks in per_row[:_BLANK_ROWS_SHOWN])
    more = f"；另有{len(per_row) - _BLANK_ROWS_SHOWN}行" if len(per_row) > _BLANK_ROWS_SHOWN else ""
    n = sum(len(b) for _, b in per_row)
    row, blanks = per_row[0]
    yield Finding(severity="warning",
                  message=f"表三有{n}个空白单元格（按缺失处理，不按0计）：{shown}{more}",
                  location=cell_loc(t, row, blanks[0]), expected=None, actual=None,
                  quote=row_quote(report, t, row),
                  details={"cells": [cell_ref(r, c, t.cell(r, c)) for r, bs in per_row for c in bs],
                           "rows": [r for r, _ in per_row]})


_BLANK_ROWS_SHOWN = 5


@rule("T3-TYPES", title="表三数值为非负整数", severity="error", basis="STRUCT",
      source="spec §5.3; R5", family="table3")
def t3_types(report, ctx):
    """Application counts are whole, non-negative numbers."""
    yield from check_types(report, T)


@rule("T3-R1", title="表三各列：一+二=（七）总计+四", severity="error", basis="OFFICIAL",
      source="spec §3 R1 (表三表头“本列数据的勾稽关系”)", family="table3")
def t3_r1(report, ctx):
    """The relation printed in the table's own header, per column: applications received plus
    carried over equal those processed plus those carried forward."""
    if not _found(report):
        return []
    rels = [Relation(f"“{col_cn(T, c)}”列：一+二=（七）+四",
                     [("new_received", c), ("carried_over", c)],
                     [("total_processed", c), ("carried_forward", c)], ("total_processed", c),
                     "一+二", "（七）+四") for c in COLS]
    return check_relations(report, report.table3, rels, "勾稽关系R1（一+二=（七）+四）")


@rule("T3-R2", title="表三各行：总计=六类申请人之和", severity="error", basis="STRUCT",
      source="spec §3 R2", family="table3")
def t3_r2(report, ctx):
    """Each row's 总计 is the sum of the six applicant columns. Rows whose 总计 is printed 0
    beside applicants are one cause (the 总计 column was not filled in): one finding listing
    the rows, not one per row."""
    if not _found(report):
        return []
    rels = [Relation(f"“{row_cn(T, r)}”行：总计=各类申请人之和",
                     [(r, c) for c in schema.T3_APPLICANT_KEYS], [(r, "total")], (r, "total"),
                     "各类申请人之和", "总计")
            for r in _present_rows(report)]
    out = check_relations(report, report.table3, rels, "行合计R2")
    zero = [f for f in out if f.severity == "error" and f.actual == 0]
    if len(zero) < 2:
        return out
    rows = [f.location["row"] for f in zero]
    first = zero[0]
    merged = Finding(severity="error",
                     message=f"表三有{len(rows)}行“总计”为0，而各类申请人之和不为0（总计列未填？）："
                     + "、".join(f"“{row_cn(T, r)}”={fmt_num(f.expected)}" for r, f in zip(rows, zero)),
                     location=first.location, expected=first.expected, actual=0, quote=first.quote,
                     details={"rows": rows, "sums": [f.expected for f in zero],
                              "relation": "总计=各类申请人之和"})
    return [merged] + [f for f in out if f not in zero]


@rule("T3-R3", title="表三各列：（七）总计=办理结果各项之和", severity="error", basis="STRUCT",
      source="spec §3 R3", family="table3")
def t3_r3(report, ctx):
    """（七）总计 equals the sum of the leaf rows of 三、本年度办理结果 (21 rows in the 2021
    format, 19 in 2019), column by column."""
    if not _found(report):
        return []
    leaves = schema.T3_LEAVES[report.layout("table3")]
    rels = [Relation(f"“{col_cn(T, c)}”列：（七）总计=办理结果各项之和",
                     [(r, c) for r in leaves], [("total_processed", c)], ("total_processed", c),
                     "办理结果各项之和", "（七）总计") for c in COLS]
    return check_relations(report, report.table3, rels, "合计关系R3")
