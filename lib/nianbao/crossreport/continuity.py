"""Continuity rules: what one year's report owes the year before.

表三's 上年结转 (``carried_over``) of year N is year N−1's 结转下年度继续办理 (``carried_forward``),
column by column: the same applications, counted twice. 表二's 现行有效 stock of 规章 and
行政规范性文件 follows from last year's plus this year's 制发 minus 废止 — but agencies restate
their stock after a clean-up, so a difference is a warning, not an error. Jumps and gaps are
information for the reviewer, not defects. A blank cell is never a zero: a relation with a blank
side is not checked (and ``carry_checks`` says so).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import schema
from ..findings import Finding
from ..rules.registry import rule

ALIASES = "agency_aliases"
FORMATS_WITH_T3 = (schema.FORMAT_2021, schema.FORMAT_2019)


@dataclass
class CarryCheck:
    """One consecutive pair's 表三 carry-over: per column (previous 结转下年度, this 上年结转)."""

    previous: object  # Entry
    current: object  # Entry
    status: str  # ok | mismatch | partial | not-comparable
    columns: dict[str, tuple] = field(default_factory=dict)
    why: str = ""

    @property
    def mismatched(self) -> list[str]:
        return [c for c, (a, b) in self.columns.items()
                if a is not None and b is not None and a != b]


def carry_check(prev, cur) -> CarryCheck:
    """Compare ``cur``'s 上年结转 with ``prev``'s 结转下年度, column by column."""
    if prev.format_version not in FORMATS_WITH_T3 or cur.format_version not in FORMATS_WITH_T3:
        return CarryCheck(prev, cur, "not-comparable",
                          why=f"格式 {prev.format_version}/{cur.format_version} 无新版表三")
    if not prev.tables.get("table3") or not cur.tables.get("table3"):
        return CarryCheck(prev, cur, "not-comparable", why="表三未读出")
    cols = {c: (prev.value("table3", "carried_forward", c), cur.value("table3", "carried_over", c))
            for c in schema.T3_COLUMN_KEYS}
    both = {c: v for c, v in cols.items() if v[0] is not None and v[1] is not None}
    if not both:
        return CarryCheck(prev, cur, "not-comparable", cols, "结转单元格空白或未读出")
    chk = CarryCheck(prev, cur, "ok", cols)
    if chk.mismatched:
        chk.status = "mismatch"
    elif len(both) < len(cols):
        chk.status = "partial"
        chk.why = "部分列空白，未核对：" + "、".join(schema.col_label("table3", c)
                                           for c in cols if c not in both)
    return chk


def carry_checks(batch, aliases) -> list[CarryCheck]:
    """Every consecutive pair of the same agency, checked (for the rule and the region report)."""
    return [carry_check(p, c) for p, c in batch.consecutive(aliases)]


def _prev_ref(prev) -> dict:
    return {"id": prev.id, "label": prev.label, "year": prev.year, "href": prev.href}


@rule("CROSS-CARRY", title="表三“上年结转”与上年报告“结转下年度”逐列一致", severity="error",
      basis="OFFICIAL", source="annual-report-format.md §3（表三）；跨年度核对", family="crossreport",
      config=(ALIASES,), scope="batch")
def carry_over(batch, ctx):
    """For each agency with reports of consecutive years in the batch: year N's 上年结转 in each
    column of 表三 equals year N−1's 结转下年度继续办理 in the same column (the applications still
    open at the end of a year are the ones carried into the next). One finding per column that
    differs, on the later report, naming the earlier one (``details.previous``). Columns blank on
    either side are not compared; pairs in a format without the 2019/2021 表三 are skipped."""
    for chk in carry_checks(batch, ctx.option(ALIASES)):
        for col in chk.mismatched:
            before, now = chk.columns[col]
            label = schema.col_label("table3", col)
            yield Finding(
                message=f"表三“{label}”列：本年“上年结转”为 {now}，"
                        f"{chk.previous.year}年报告“结转下年度继续办理”为 {before}",
                location={"report": chk.current.id, "table": "table3", "row": "carried_over",
                          "column": col},
                expected=before, actual=now,
                details={"previous": _prev_ref(chk.previous)})


STOCK_ROWS = ("regulations", "normative_documents")


@rule("CROSS-STOCK", title="表二现行有效件数 = 上年现行有效 + 本年制发 − 本年废止", severity="warning",
      basis="STRUCT", source="annual-report-format.md §3（表二，2021 格式）；跨年度核对",
      family="crossreport", config=(ALIASES,), scope="batch")
def stock(batch, ctx):
    """For consecutive reports in the 2021 format: 现行有效件数 of 规章 and of 行政规范性文件 in
    year N is year N−1's plus N's 本年制发 minus N's 本年废止. A warning, because agencies
    restate their stock after a clean-up of their documents; any blank cell skips the row."""
    for prev, cur in batch.consecutive(ctx.option(ALIASES)):
        if prev.format_version != schema.FORMAT_2021 or cur.format_version != schema.FORMAT_2021:
            continue
        for row in STOCK_ROWS:
            before = prev.value("table2", row, "in_force")
            issued = cur.value("table2", row, "issued")
            repealed = cur.value("table2", row, "repealed")
            now = cur.value("table2", row, "in_force")
            if None in (before, issued, repealed, now):
                continue
            want = before + issued - repealed
            if want != now:
                yield Finding(
                    message=f"表二“{schema.row_label('table2', row)}”现行有效件数为 {now}，"
                            f"按{prev.year}年的 {before} + 本年制发 {issued} − 本年废止 {repealed}"
                            f" 应为 {want}",
                    location={"report": cur.id, "table": "table2", "row": row,
                              "column": "in_force"},
                    expected=want, actual=now, details={"previous": _prev_ref(prev)})


@rule("CROSS-JUMP", title="同一单元格较上年大幅变化", severity="info", basis="HEUR",
      source="跨年度核对（比值阈值与下限见配置）", family="crossreport",
      config=(ALIASES, "thresholds.jump_ratio", "thresholds.jump_floor"), scope="batch")
def jumps(batch, ctx):
    """For consecutive reports in the same format: any cell of 表二/表三/表四 whose larger value
    is at least ``thresholds.jump_floor`` and at least ``thresholds.jump_ratio`` times the
    smaller (or the smaller is 0). Information for the reviewer: a real change or a misplaced
    number — the page says which cell, both values and the ratio."""
    ratio = ctx.option("thresholds.jump_ratio")
    floor = ctx.option("thresholds.jump_floor")
    for prev, cur in batch.consecutive(ctx.option(ALIASES)):
        if prev.format_version != cur.format_version:
            continue
        for table in ("table2", "table3", "table4"):
            for row, cols in (cur.tables.get(table) or {}).items():
                for col in cols or {}:
                    a, b = prev.value(table, row, col), cur.value(table, row, col)
                    if a is None or b is None:
                        continue
                    hi, lo = max(a, b), min(a, b)
                    if hi < floor or (lo > 0 and hi / lo < ratio):
                        continue
                    times = "∞" if lo == 0 else f"{hi / lo:.1f}"
                    yield Finding(
                        message=f"{schema.TABLE_SHORT.get(table, table)}“{schema.row_label(table, row)}”"
                                f"/“{schema.col_label(table, col, row)}”：{prev.year}年 {a}，本年 {b}"
                                f"（{times} 倍）",
                        location={"report": cur.id, "table": table, "row": row, "column": col},
                        expected=a, actual=b,
                        details={"previous": _prev_ref(prev), "ratio": None if lo == 0 else hi / lo})


@rule("CROSS-GAP", title="机关的年度序列中缺少某一年的报告", severity="info", basis="HEUR",
      source="跨报告核对（批次覆盖）", family="crossreport", config=(ALIASES,), scope="batch")
def gaps(batch, ctx):
    """An agency whose reports in the batch span years with one or more missing in between:
    the batch lacks those years (not published, not collected, or filed under another name —
    an alias in ``agency_aliases`` joins renamed agencies). Reported on the first report after
    the gap."""
    for a in batch.agencies(ctx.option(ALIASES)).values():
        missing = a.missing_years()
        if not missing:
            continue
        years = sorted(a.years)
        for y in years:
            gap = [m for m in missing if m < y and not any(m < z < y for z in years)]
            if gap:
                rid = a.years[y][0]
                yield Finding(
                    message=f"{a.name}：批次中缺少 {'、'.join(str(g) for g in gap)} 年度报告",
                    location={"report": rid}, expected=gap, actual=None,
                    details={"agency": a.key, "years": years})
