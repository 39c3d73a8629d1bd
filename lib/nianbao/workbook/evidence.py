"""Each finding with its evidence, and the report's six parts with the evidence highlighted.

The span a finding rests on is resolved at audit time (``nianbao.spans``) and recorded in the
result; these views only mark it. Report text is escaped before any mark is added.
"""
from __future__ import annotations

import json

from .. import schema
from ..model import HOW_LABELS
from ..spans import evidence_span, line_starts
from .tables import cell_anchor
from .views import (View, _col_label, _fmt, _row_label, esc, location_label, severity_badge,
                    table_format)


def marked(text: str, base: int, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` (which starts at offset ``base`` of the document) escaped, with each
    ``(start, end, title, css_class)`` mark wrapped in ``<mark>``; overlapping marks after the
    first are dropped so the HTML stays well-formed."""
    out, pos = [], 0
    for start, end, title, cls in sorted(marks):
        s, e = max(start - base, pos), min(end - base, len(text))
        if e <= s:
            continue
        out.append(esc(text[pos:s]))
        out.append(f'<mark class="{esc(cls)}" title="{esc(title)}">{esc(text[s:e])}</mark>')
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def context(report, span: tuple[int, int] | None, line: int | None, title: str = "",
            cls: str = "nb-hit", around: int = 1, max_lines: int = 8) -> str:
    """The lines around ``span`` (or ``line``) with line numbers, the span in ``<mark>``."""
    text = report.text
    starts = line_starts(text)
    lines = text.split("\n")
    if span:
        first = report.document.line_of(span[0])
        last = report.document.line_of(max(span[1] - 1, span[0]))
    elif line:
        first = last = line
    else:
        return ""
    lo, hi = max(1, first - around), min(len(lines), max(last, first) + around, first + max_lines)
    marks = [(span[0], span[1], title, cls)] if span else []
    rows = []
    for n in range(lo, hi + 1):
        a, b = _window(len(lines[n - 1]), starts[n - 1], span, n < first, n > last)
        body = ("…" if a else "") + marked(lines[n - 1][a:b], starts[n - 1] + a, marks) \
            + ("…" if b < len(lines[n - 1]) else "")
        focus = " nb-focus" if first <= n <= last else ""
        rows.append(f'<div class="nb-line{focus}"><span class="nb-ln">{n}</span>'
                    f'<span class="nb-lt">{body}</span></div>')
    return f'<div class="nb-context">{"".join(rows)}</div>'


CLIP = 160  # characters of context shown around a span on a very long line


def _window(length: int, start: int, span, before: bool, after: bool) -> tuple[int, int]:
    """What part of a line to show: all of it, unless it is very long (a crawler's body on one
    line), then the span with ``CLIP`` characters each side, or the end of the line before /
    the start of the line after."""
    if length <= 3 * CLIP:
        return 0, length
    if before:
        return length - CLIP, length
    if after or not span:
        return 0, min(length, 2 * CLIP)
    a = max(0, span[0] - start - CLIP)
    return a, min(length, span[1] - start + CLIP, a + 8 * CLIP)


def evidence(result) -> View:
    """Each finding with its evidence: expected vs actual, the quote in its context with the
    span highlighted, and a link to the cell in the rendered table."""
    rep = result.report
    parts = []
    for i, f in enumerate(result.findings, 1):
        loc = f.location
        span = evidence_span(f, rep)
        kv = []
        if f.expected is not None or f.actual is not None:
            kv.append(f"应为 <b>{_value(f.expected)}</b>，实为 <b>{_value(f.actual)}</b>")
        if loc.get("table") in schema.TABLE_NAMES and loc.get("row") and loc.get("column"):
            kv.append(f'<a href="#{cell_anchor(loc["table"], loc["row"], loc["column"])}">'
                      f"在表中查看该单元格</a>")
        for key, label in (("skipped", "跳过的空单元格"), ("recovered", "使用的恢复单元格")):
            if f.details.get(key):
                kv.append(f"{label}：{esc(_cells_text(f.details[key], loc.get('table'), rep))}")
        ctx = context(rep, span, loc.get("line"), f.message,
                      f"nb-hit nb-hit-{f.severity}")
        quote = ""
        if f.quote and not ctx:
            quote = f'<blockquote class="nb-quote">{esc(f.quote)}</blockquote>'
        parts.append(
            f'<section class="nb-finding nb-finding-{esc(f.severity)}" id="nb-finding-{i}">'
            f'<h4>{i}. {severity_badge(f.severity)} <code>{esc(f.rule)}</code> {esc(f.message)}</h4>'
            f'<p class="nb-where">位置：{esc(location_label(loc, rep))}</p>'
            + (f'<p class="nb-kv">{"；".join(kv)}</p>' if kv else "") + quote + ctx + "</section>")
    if not parts:
        return View('<p class="nb-ok">没有需要举证的发现。</p>', "no findings")
    return View("".join(parts), f"{len(parts)} findings with evidence")


def _cells_text(cells, table: str | None, report) -> str:
    """``details["skipped"]``-style cell lists in labels: ``（一）予以公开/商业企业（空白）``."""
    if not isinstance(cells, list):
        return _plain(cells)
    out = []
    for c in cells:
        if isinstance(c, dict) and table in schema.TABLE_NAMES and c.get("row") and c.get("column"):
            fmt = table_format(report, table)
            how = HOW_LABELS.get(c.get("how"), c.get("how") or "")
            out.append(f"{_row_label(table, fmt, c['row'])}/"
                       f"{_col_label(table, fmt, c['row'], c['column'])}"
                       + (f"（{how}）" if how else ""))
        else:
            out.append(_plain(c))
    return "、".join(out)


def _value(v) -> str:
    if isinstance(v, (list, tuple)) and all(isinstance(x, (str, int, float)) for x in v):
        return esc("、".join(str(x) for x in v)) or "—"
    return _fmt(v) if v is None or isinstance(v, (int, float)) else esc(_plain(v))


def _plain(v) -> str:
    """A value from findings/details as short text (lists and dicts as compact JSON)."""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return "" if v is None else str(v)


def _prose(text: str, lo: int, hi: int, tables, shown: set, marks) -> str | None:
    """The text ``[lo, hi)`` of one line, marked, with the parts that belong to a table left out
    (the table is rendered above; its flattened text would only be noise) and a note in their
    place, once per table (None for a line that is all table, after the note). A crawler's body is one line holding prose and tables: only the
    tables' own extent is left out, the prose around them stays with its highlights."""
    out, pos = [], lo
    inside = sorted(t for t in tables if t[0] < hi and t[1] > lo)
    for a, b, line, end_line, label in inside:
        a, b = max(a, lo), min(b, hi)
        if a > pos:
            out.append(marked(text[pos:a], pos, marks))
        if label not in shown:
            shown.add(label)
            out.append(f'<span class="nb-note">〔{esc(label)}，原文第{line}–{end_line}行，'
                       f"见上方统计表〕</span>")
        pos = max(pos, b)
    if pos < hi:
        out.append(marked(text[pos:hi], pos, marks))
    return "".join(out) if out or not inside else None


def sections(result) -> View:
    """The six parts as printed, with the spans that findings rest on highlighted."""
    rep = result.report
    marks = []
    for i, f in enumerate(result.findings, 1):
        span = evidence_span(f, rep)
        if span:
            marks.append((span[0], span[1], f"{i}. {f.rule}：{f.message}",
                          f"nb-hit nb-hit-{f.severity}"))
    starts = line_starts(rep.text)
    lines = rep.text.split("\n")
    tables = []  # (start, end) in the text, label: what to leave out of the prose
    for t in (rep.table2, rep.table3, rep.table4):
        if not (t.found and t.line):
            continue
        if t.span:
            a, b = t.span
        else:  # no extent recorded: the table's lines
            end = min(t.end_line or t.line, len(lines))
            a, b = starts[t.line - 1], starts[end - 1] + len(lines[end - 1])
        tables.append((a, b, t.line, t.end_line or t.line, schema.TABLE_SHORT[t.name]))
    parts = []
    for s in rep.sections:
        b0, b1 = s.body_span
        first = rep.document.line_of(b0)
        last = rep.document.line_of(max(b1 - 1, b0))
        out, shown = [], set()
        for n in range(first, min(last, len(lines)) + 1):
            lo, hi = max(starts[n - 1], b0), min(starts[n - 1] + len(lines[n - 1]), b1)
            if n == first and lo >= hi:
                continue  # the body starts after the heading's line
            piece = _prose(rep.text, lo, hi, tables, shown, marks)
            if piece is not None:
                out.append(piece)
        body = "\n".join(out).strip("\n")
        h0, h1 = s.span
        head = marked(rep.text[h0:h1], h0, marks) if 0 <= h0 < h1 else esc(s.heading)
        parts.append(f'<details class="nb-section" open><summary>{head}'
                     f'<span class="nb-note"> 第{s.line}行</span></summary>'
                     f'<div class="nb-text">{body}</div></details>')
    if not parts:
        return View('<p class="nb-note">未识别出报告的六个部分。</p>', "no sections")
    return View("".join(parts), f"{len(parts)} sections")
