"""Build clean ``Report`` objects directly (no parser) so rule tests do not depend on parsing.

``clean_report(year)`` writes a synthetic agency's report on the official template (2021 format
for year ≥ 2021, the 2019 trial format for 2019/2020): title, statistics period, the six parts,
表二/表三/表四 as tab-separated lines, and the ``Report`` that a perfect parser would make of it,
with every cell's line and raw token. Non-zero 表三/表四 numbers satisfy R1–R4, so arithmetic
rules stay quiet. Tests then plant exactly one defect with ``set_cell`` or by editing the report.
All prose is written for these tests (the agency is fictitious).
"""
from __future__ import annotations

import datetime as dt

from nianbao import schema
from nianbao.document import Document, blocks_from_text
from nianbao.model import Cell, Report, Section, Table

AGENCY = "青禾县农业农村局"

# 表三 clean values: applicant column -> {row: value}; 总计 is computed. R1/R3 hold.
_T3_NONZERO = {
    "natural_person": {"new_received": 10, "carried_over": 2, "granted": 5, "partially_granted": 1,
                       "withheld_state_secret": 1, "unavailable_not_held": 2,
                       "rejected_repeat": 1, "total_processed": 10, "carried_forward": 2},
    "commercial": {"new_received": 3, "granted": 2, "unavailable_not_held": 1,
                   "total_processed": 3},
}
_T4_NONZERO = {("review", "upheld"): 1, ("review", "pending"): 1, ("review", "total"): 2,
               ("suit_direct", "corrected"): 1, ("suit_direct", "total"): 1}
_T2_VALUES_2021 = {("regulations", "issued"): 0, ("regulations", "repealed"): 0,
                   ("regulations", "in_force"): 0, ("normative_documents", "issued"): 2,
                   ("normative_documents", "repealed"): 1, ("normative_documents", "in_force"): 9,
                   ("licensing", "decisions"): 35, ("penalty", "decisions"): 4,
                   ("coercion", "decisions"): 0, ("fees", "amount_wan"): 1.25}


def _t3_value(fmt: str, row: str, col: str) -> int:
    if col == "total":
        return sum(_t3_value(fmt, row, c) for c in schema.T3_APPLICANT_KEYS)
    v = _T3_NONZERO.get(col, {}).get(row, 0)
    return v


class _Writer:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, s: str = "") -> int:
        self.lines.append(s)
        return len(self.lines)

    def offset(self, line: int) -> int:
        return sum(len(x) + 1 for x in self.lines[:line - 1])


def _fmt_num(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def clean_report(year: int = 2021, agency: str = AGENCY, published: dt.date | None = None,
                 citation: str = "国务院令第711号", intro_extra: str = "") -> Report:
    fmt = schema.FORMAT_2021 if year >= 2021 else schema.FORMAT_2019
    w = _Writer()
    title = f"{agency}{year}年政府信息公开工作年度报告"
    title_line = w.add(title)
    w.add()
    intro = (f"本报告依据《中华人民共和国政府信息公开条例》（{citation}）编制，"
             f"统计期限为{year}年1月1日至{year}年12月31日。{intro_extra}")
    w.add(intro)
    headings: list[tuple[str, int]] = [(title, title_line)]
    sec_lines: dict[int, int] = {}
    report = Report(Document("synthetic.txt", "txt", "0" * 64, ""), title=title, agency=agency,
                    year=year, period=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
                    published=published, format_version=fmt, title_line=title_line)
    report.format_markers = {fmt: ["本年制发件数", "本年收费金额"] if fmt == "2021"
                             else ["本年新制作数量", "政府集中采购"]}

    def heading(n: int):
        w.add()
        sec_lines[n] = w.add(schema.SECTIONS[n - 1].heading)
        headings.append((schema.SECTIONS[n - 1].heading, sec_lines[n]))
        w.add()

    heading(1)
    w.add("本局围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障开展工作。")
    heading(2)
    report.table2 = _table2(w, fmt)
    heading(3)
    report.table3 = _table3(w, fmt)
    heading(4)
    report.table4 = _table4(w)
    heading(5)
    w.add("本年度存在栏目更新不及时的问题，下一步将建立月度检查制度。")
    heading(6)
    w.add("本年度未收取信息处理费。")
    text = "\n".join(w.lines)
    report.document = Document("synthetic.txt", "txt", "0" * 64, text, blocks_from_text(text))
    report.headings = headings
    numbers = sorted(sec_lines)
    for i, n in enumerate(numbers):
        ln = sec_lines[n]
        start = w.offset(ln)
        end = start + len(w.lines[ln - 1])
        body_end = w.offset(sec_lines[numbers[i + 1]]) if i + 1 < len(numbers) else len(text)
        report.sections.append(Section(n, w.lines[ln - 1], ln, (start, end), (end + 1, body_end),
                                       text[end + 1:body_end]))
    ps = text.index(f"{year}年1月1日")
    report.period_span = (ps, text.index("31日", ps) + 3)
    for t in (report.table2, report.table3, report.table4):
        t.span = (w.offset(t.line), w.offset(t.end_line) + len(w.lines[t.end_line - 1]))
    return report


def _cell(w: _Writer, line: int, v) -> Cell:
    return Cell(v, "read", _fmt_num(v), line)


def _table2(w: _Writer, fmt: str) -> Table:
    t = Table("table2", found=True)
    first, item = None, None
    for r in schema.t2_rows(fmt):
        if r.item != item:  # one caption and header per 第二十条 item, as the template prints
            item = r.item
            ln = w.add(f"第二十条第{r.item}项")
            first = first or ln
            w.add("\t".join(["信息内容"] + [c.label for c in r.columns]))
        for c in r.columns:
            t.col_labels[c.key] = c.label
        vals = [(_T2_VALUES_2021.get((r.key, c.key), 0) if fmt == "2021" else 0)
                for c in r.columns]
        ln = w.add("\t".join([r.label] + [_fmt_num(v) for v in vals]))
        t.row_labels[r.key] = r.label
        t.row_lines[r.key] = ln
        for c, v in zip(r.columns, vals):
            t.cells[(r.key, c.key)] = _cell(w, ln, v)
    t.line, t.end_line = first, len(w.lines)
    t.header_text = "第二十条第（一）项"
    return t


T3_HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
             "\t自然人\t法人或其他组织\t\t\t\t\t总计",
             "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t")


def _table3(w: _Writer, fmt: str) -> Table:
    t = Table("table3", found=True)
    t.line = w.add(T3_HEADER[0])
    w.add(T3_HEADER[1])
    w.add(T3_HEADER[2])
    t.header_text = "\n".join(T3_HEADER)
    for c in schema.T3_COLUMNS:
        t.col_labels[c.key] = c.label
    for r in schema.t3_rows(fmt):
        vals = [_t3_value(fmt, r.key, c) for c in schema.T3_COLUMN_KEYS]
        ln = w.add("\t".join([r.label] + [str(v) for v in vals]))
        t.row_labels[r.key] = r.label
        t.row_lines[r.key] = ln
        for c, v in zip(schema.T3_COLUMN_KEYS, vals):
            t.cells[(r.key, c)] = _cell(w, ln, v)
    t.end_line = len(w.lines)
    return t


def _table4(w: _Writer) -> Table:
    t = Table("table4", found=True)
    t.line = w.add("行政复议\t\t\t\t\t行政诉讼")
    w.add("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉")
    w.add("\t\t\t\t\t" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
    t.header_text = "\n".join(w.lines[-3:])
    vals = [_T4_NONZERO.get((r, c), 0) for r in schema.T4_ROW_KEYS for c in schema.T4_COLUMN_KEYS]
    ln = w.add("\t".join(str(v) for v in vals))
    i = 0
    for r in schema.T4_ROWS:
        t.row_labels[r.key] = r.label
        t.row_lines[r.key] = ln
        for c in schema.T4_COLUMNS:
            t.cells[(r.key, c.key)] = _cell(w, ln, vals[i])
            i += 1
    for c in schema.T4_COLUMNS:
        t.col_labels[c.key] = c.label
    t.end_line = ln
    return t


def set_cell(report: Report, table: str, row: str, col: str, value, how: str = "read",
             raw: str | None = None, reason: str | None = None) -> Cell:
    """Plant a cell: keeps the row's line; ``raw`` defaults to the printed value ('' if null)."""
    t = report.table(table)
    old = t.cells.get((row, col))
    line = old.line if old else t.row_lines.get(row)
    if raw is None:
        raw = "" if value is None else _fmt_num(value)
    c = Cell(value, how, raw if how != "missing" else None, line, None, reason)
    t.cells[(row, col)] = c
    return c


#: The rule modules these tests cover (the narrative/prose rules are tested by their own suite).
MY_RULE_MODULES = {f"nianbao.rules.{m}" for m in ("meta", "structure", "table2", "table3",
                                                  "table4", "citation")}


def my_rule_ids() -> set[str]:
    from nianbao.rules.registry import all_rules

    return {r.id for r in all_rules() if r.func.__module__ in MY_RULE_MODULES}


def only_my_rules() -> dict:
    """A configuration that disables every other rule, so counts here do not depend on them."""
    from nianbao.rules.registry import report_rules

    mine = my_rule_ids()
    return {"disabled": sorted(r.id for r in report_rules() if r.id not in mine)}
