"""The readable text form of a parsed report (``python -m nianbao parse FILE``).

An auditor uses it to see at a glance what the parser made of a file before trusting any
finding: the metadata, where the six parts start, and the three tables with every cell that was
not simply read marked — blank, missing, recovered from run-together digits, ambiguous — and the
reasons listed below each table, because a number of uncertain origin must never look certain.
"""
from __future__ import annotations

import unicodedata

from . import schema
from .model import BLANK, HOW_MARKS, NULL_HOWS, READ, Report, Table

MARK = {k: v for k, v in HOW_MARKS.items() if k not in NULL_HOWS}  # after a value
NULL_TEXT = {k: HOW_MARKS[k] for k in NULL_HOWS}  # instead of a value
LEGEND = "图例：* 由连写数字恢复  → 右对齐/按顺序放置  空 空白（不计为0）  缺 报告中没有  ? 多种读法，未取值  ! 无法识别"
_CN = "一二三四五六七八九十"


def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _w(s))
    return gap + s if right else s + gap


def _cut(s: str, width: int) -> str:
    out = ""
    for ch in s:
        if _w(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if cell.value is None:
        return NULL_TEXT.get(cell.how, "?")
    v = cell.value
    return str(v) + MARK.get(cell.how, "")


def table_text(table: Table, fmt: str, label_width: int = 28) -> list[str]:
    title = schema.TABLE_NAMES[table.name]
    if not table.found:
        notes = "；".join(table.notes) or "未找到"
        return [f"{title}：未找到（{notes}）"]
    where = f"第{table.line}–{table.end_line}行" if table.line else ""
    out = [f"{title}  {where}"]
    rows, cols = table.rows, table.columns
    labels = _col_labels(table.name, fmt, cols)
    widths = [max(6, _w(labels[c]) + 1) for c in cols]
    out.append("  " + _pad("", label_width) + "".join(_pad(labels[c], w, True) for c, w in
                                                       zip(cols, widths)))
    for r in rows:
        printed = table.row_labels.get(r) or _row_label(table.name, fmt, r)
        out.append("  " + _pad(_cut(printed.replace("\n", " "), label_width), label_width) +
                   "".join(_pad(cell_text(table.cells.get((r, c))), w, True)
                           for c, w in zip(cols, widths)))
    out += _reasons(table)
    return out


def _col_labels(name: str, fmt: str, cols: list[str]) -> dict[str, str]:
    if name == "table3":
        return {c.key: c.label for c in schema.T3_COLUMNS}
    if name == "table4":
        return {c.key: c.label for c in schema.T4_COLUMNS}
    labels = {}
    for r in schema.t2_rows(fmt):
        for c in r.columns:
            labels.setdefault(c.key, c.label.split("（")[0])
    return {c: labels.get(c, c) for c in cols}


def _row_label(name: str, fmt: str, key: str) -> str:
    if name == "table3":
        return next((r.label for r in schema.T3_ROWS if r.key == key), key)
    if name == "table4":
        return next((r.label for r in schema.T4_ROWS if r.key == key), key)
    return next((r.label for r in schema.t2_rows(fmt) if r.key == key), key)


def _reasons(table: Table, limit: int = 12) -> list[str]:
    """Non-read cells grouped by reason: "行/列… ：reason"."""
    groups: dict[tuple[str, str], list[str]] = {}
    for (r, c), cell in table.cells.items():
        if cell.how == READ or (cell.how == BLANK and cell.reason == "空白单元格"):
            continue
        groups.setdefault((cell.how, cell.reason or ""), []).append(f"{r}/{c}")
    blanks = sum(1 for cell in table.cells.values() if cell.how == BLANK)
    out = []
    for (how, reason), where in list(groups.items())[:limit]:
        cells = "、".join(where[:4]) + (f" 等{len(where)}格" if len(where) > 4 else "")
        out.append(f"    [{how}] {cells}：{reason}")
    if len(groups) > limit:
        out.append(f"    …另有{len(groups) - limit}类")
    if blanks:
        out.append(f"    空白单元格{blanks}个，按空值处理（不计为0）")
    out += [f"    注：{n}" for n in table.notes]
    return out


def report_text(report: Report) -> str:
    doc = report.document
    start, end = report.period or (None, None)
    markers = "；".join(f"{v}版标签：{'、'.join(m)}" for v, m in report.format_markers.items())
    lines = [
        f"文件    {doc.path}（{doc.format}，sha256 {doc.sha256[:12]}）",
        f"标题    {report.title or '未找到'}" + (f"（第{report.title_line}行）" if report.title_line else ""),
        f"机关    {report.agency or '未找到'}    地区 {report.region or '未识别'}",
        f"年度    {report.year or '未知'}    格式 {report.format_version}" + (f"（{markers}）" if markers else ""),
        f"统计期限 {start or '?'} 至 {end or '?'}" if report.period else "统计期限 未找到",
        f"发布日期 {report.published or '未知'}",
        "",
        "六个部分",
    ]
    have = {s.number for s in report.sections}
    for s in report.sections:
        lines.append(f"  {_CN[s.number - 1]}  第{s.line}行  {s.heading}")
    missing = [n for n in range(1, 7) if n not in have]
    if missing:
        lines.append("  缺少：" + "、".join(_CN[n - 1] for n in missing))
    seen: dict[str, list[int]] = {}
    for text, line in report.headings:
        seen.setdefault(text, []).append(line)
    for text, where in seen.items():
        if len(where) > 1:
            lines.append(f"  重复：“{text}”出现于第{'、'.join(map(str, where))}行")
    for t in (report.table2, report.table3, report.table4):
        lines.append("")
        lines += table_text(t, report.format_version)
    lines += ["", LEGEND]
    lines += [f"说明：{n}" for n in report.notes + doc.notes]
    return "\n".join(lines)
