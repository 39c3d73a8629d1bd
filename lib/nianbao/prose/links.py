"""Each prose claim compared with the table cells it speaks of (``link``, ``check``).

Why apart from the extraction (``claims.py``): what a sentence says is grammar; which cells a
metric maps to, how blank, missing and misread cells change the comparison, and when the table
contradicts itself are table matters. The narrative rules read the ``Link`` of each claim.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .claims import Claim, extract

@dataclass
class Link:
    """A claim compared with the table: ``status`` is match | mismatch | null | nocell."""

    claim: Claim
    status: str
    expected: float | None = None  # the table value (or the matching alternative)
    cells: list[dict] = field(default_factory=list)
    matched: str | None = None  # which reading matched ("新收" or "新收+上年结转")
    skipped: list[dict] = field(default_factory=list)  # null cells
    note: str = ""
    doubt: bool = False  # the table cells look misread: report as a warning, not an error
    lower: bool = False  # ``expected`` is a lower bound (blank cells left out)


def _cell_info(table, row, col) -> dict:
    c = table.cell(row, col)
    d = {"table": table.name, "row": row, "column": col, "value": None if c is None else c.value}
    if c is not None:
        d["how"] = c.how
        if c.line is not None:
            d["line"] = c.line
    return d


@dataclass
class Side:
    """The table side of a metric: ``value`` (None if a cell is null), ``lower`` (the sum of the
    known cells — blanks are unknown but not negative, so the true value is at least this),
    the cells used, the null cells, and ``doubt``: the cells look misread (a row whose total
    disagrees with its columns, or values placed by alignment into a row missing cells)."""

    value: float | None
    lower: float
    cells: list[dict]
    nulls: list[dict]
    doubt: bool = False


_DOUBT_HOWS = ("missing", "ambiguous", "unreadable")


def _row_total(table, row: str, cols: tuple[str, ...]) -> Side:
    """A row's total: the printed 总计 cell, else the sum of its other columns."""
    parts = [_cell_info(table, row, c) for c in cols]
    known = [p["value"] for p in parts if p["value"] is not None]
    doubt = any(p.get("how") in _DOUBT_HOWS for p in parts)
    tot = table.cell(row, "total")
    if tot is not None and tot.value is not None:
        if (len(known) == len(parts) and abs(sum(known) - tot.value) > 1e-6
                or sum(known) > tot.value + 1e-6):
            doubt = True  # the printed total disagrees with its own columns
        return Side(tot.value, tot.value, [_cell_info(table, row, "total")], [], doubt)
    if not parts or all(p.get("how") is None for p in parts):
        return Side(None, 0.0, [], [_cell_info(table, row, "total")], True)
    nulls = [p for p in parts if p["value"] is None]
    return Side(None if nulls else sum(known), sum(known), parts, nulls, doubt)


def _sum_rows(table, rows, cols) -> Side:
    sides = [_row_total(table, r, cols) for r in rows]
    value = None if any(x.value is None for x in sides) else sum(x.value for x in sides)
    return Side(value, sum(x.lower for x in sides), [c for x in sides for c in x.cells],
                [c for x in sides for c in x.nulls], any(x.doubt for x in sides))


def _t3(report, rows) -> Side:
    from .. import schema

    side = _sum_rows(report.table3, rows, schema.T3_APPLICANT_KEYS)
    if set(rows) & _t3_broken_rows(report):
        side.doubt = True
    return side


def _t3_broken_rows(report) -> set[str]:
    """Rows of 表三 in an identity the table itself breaks (R1: 一+二 = 七+四; R3: 七 = Σ
    results, on the 总计 column): when the table contradicts itself, a prose mismatch on those
    rows cannot say which side is wrong."""
    from .. import schema

    t = report.table3

    def v(row):
        c = t.cell(row, "total")
        return None if c is None else c.value

    out: set[str] = set()
    r1 = [v("new_received"), v("carried_over"), v("total_processed"), v("carried_forward")]
    if None not in r1 and abs(r1[0] + r1[1] - r1[2] - r1[3]) > 1e-6:
        out |= {"new_received", "carried_over", "total_processed", "carried_forward"}
    fmt = report.layout("table3")
    leaves = [v(r) for r in schema.T3_LEAVES[fmt]]
    if r1[2] is not None and None not in leaves and abs(sum(leaves) - r1[2]) > 1e-6:
        out |= {"total_processed", *schema.T3_LEAVES[fmt]}
    return out


def _t4(report, rows) -> Side:
    return _sum_rows(report.table4, rows, ("upheld", "corrected", "other", "pending"))


def _t3_group(report, prefix) -> Side:
    from .. import schema

    rows = [r.key for r in schema.t3_rows(report.layout("table3")) if r.key.startswith(prefix)]
    if prefix == "other" and report.layout("table3") == schema.FORMAT_2019:
        rows = ["other"]
    return _t3(report, rows)


_NONE = Side(None, 0.0, [], [])


def _t2(report, row, col21, col19=None) -> Side:
    from .. import schema

    col = col19 if report.layout("table2") == schema.FORMAT_2019 else col21
    c = report.table2.cell(row, col) if col else None
    if c is None:
        return _NONE
    info = _cell_info(report.table2, row, col)
    return Side(c.value, c.value or 0.0, [info], [] if c.value is not None else [info],
                c.how in _DOUBT_HOWS)


_T3_ROWS = {"apply.new": ["new_received"], "apply.carry_in": ["carried_over"],
            "apply.carry_out": ["carried_forward"], "result.total": ["total_processed"],
            "result.granted": ["granted"], "result.partial": ["partially_granted"],
            "result.granted_partial": ["granted", "partially_granted"],
            "result.not_held": ["unavailable_not_held"]}
_T3_GROUPS = {"result.withheld": "withheld_", "result.unavailable": "unavailable_",
              "result.rejected": "rejected_", "result.other": "other"}
_T2_CELLS = {"docs.issued": ("normative_documents", "issued", "made"),
             "docs.repealed": ("normative_documents", "repealed", None),
             "docs.in_force": ("normative_documents", "in_force", None),
             "licensing": ("licensing", "decisions", "decisions"),
             "penalty": ("penalty", "decisions", "decisions"),
             "coercion": ("coercion", "decisions", "decisions"),
             "fee": ("fees", "amount_wan", None)}


def table_value(report, metric: str) -> Side:
    """The table side of ``metric`` (``_NONE`` when the table or the cell does not exist)."""
    if metric in _T3_ROWS:
        return _t3(report, _T3_ROWS[metric]) if report.table3.found else _NONE
    if metric in _T3_GROUPS:
        return _t3_group(report, _T3_GROUPS[metric]) if report.table3.found else _NONE
    if metric in ("review.total", "suit.total"):
        rows = ["review"] if metric == "review.total" else ["suit_direct", "suit_after_review"]
        return _t4(report, rows) if report.table4.found else _NONE
    if metric in ("review.corrected", "suit.corrected"):
        rows = ["review"] if metric == "review.corrected" else ["suit_direct", "suit_after_review"]
        return _column(report.table4, rows, "corrected") if report.table4.found else _NONE
    if metric in _T2_CELLS and report.table2.found:
        return _t2(report, *_T2_CELLS[metric])
    return _NONE


def _column(table, rows, col) -> Side:
    """One column over some rows (表四 结果纠正 of 复议, or of both kinds of suit)."""
    cells = [_cell_info(table, r, col) for r in rows]
    known = [c["value"] for c in cells if c["value"] is not None]
    nulls = [c for c in cells if c["value"] is None]
    return Side(None if nulls else sum(known), sum(known), cells, nulls,
                any(c.get("how") in _DOUBT_HOWS for c in cells))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)) or abs(a - b) < 5e-5


def _agrees(claim: Claim, v: float) -> bool:
    if claim.approx:
        return v >= claim.value - 1e-9
    return _close(claim.value, v)


def link(claim: Claim, report) -> Link:
    """Compare one claim with its table cells."""
    if claim.metric.endswith(".all_upheld"):
        return _link_upheld(claim, report)
    side = table_value(report, claim.metric)
    if not side.cells and not side.nulls:
        return Link(claim, "nocell")
    v = side.value
    if claim.value is None:
        return Link(claim, "mismatch", v, side.cells, note="数字格式有误", doubt=side.doubt)
    if v is None:
        if not claim.approx and claim.value < side.lower - 1e-9:  # contradicted even with blanks
            return Link(claim, "mismatch", side.lower, side.cells, skipped=side.nulls,
                        note=f"空白单元格之外的数已合计{side.lower:g}", doubt=side.doubt, lower=True)
        return Link(claim, "null", None, side.cells, skipped=side.nulls)
    if _agrees(claim, v):
        return Link(claim, "match", v, side.cells, matched="表格")
    if claim.metric == "apply.new":  # 收到…N件 may count 上年结转 too
        carry = table_value(report, "apply.carry_in")
        if carry.value is not None and _agrees(claim, v + carry.value):
            return Link(claim, "match", v + carry.value, side.cells + carry.cells, matched="新收+上年结转")
    return Link(claim, "mismatch", v, side.cells, doubt=side.doubt)


def _link_upheld(claim: Claim, report) -> Link:
    """"均获维持": no 纠正/其他/尚未审结 in the blocks the sentence speaks of. A non-zero cell
    contradicts it whatever the blank cells hold."""
    if not report.table4.found:
        return Link(claim, "nocell")
    rows = ["review"] if claim.metric.startswith("review") else ["suit_direct", "suit_after_review"]
    t = report.table4
    cells = [_cell_info(t, r, c) for r in rows for c in ("corrected", "other", "pending")]
    bad = [c for c in cells if c["value"]]
    if bad:
        return Link(claim, "mismatch", 0, bad)
    nulls = [c for c in cells if c["value"] is None]
    if nulls:
        return Link(claim, "null", None, cells, skipped=nulls)
    return Link(claim, "match", 0, cells)


def percent_denominator(report):
    """The base of "占P%" shares of results: 表三（七）总计."""
    return table_value(report, "result.total").value if report.table3.found else None


def check(report) -> list[Link]:
    """Every claim of the report linked to its cells (demoted claims are left out)."""
    return [link(c, report) for c in extract(report) if not c.demoted]
