"""表二: the rows of 第二十条 (一)(五)(六)(八) — and (九) in the 2019 format — found by their labels
in any order, each read with the columns its block prints."""
from __future__ import annotations

import re

from .. import schema
from ..model import Table
from .rows import resolve_row
from .scan import Anchor, Squeezed, label_end, label_start, place_anchors
from .tables import alt, extent, fill_missing, delimiters, own_format, segments

_T2_GROUPS = [re.compile(r"第二十条(?:第[一二三四五六七八九十\d]{1,3}项)?"), re.compile("信息内容")]


def parse_table2(doc, h: str, lo: int, hi: int, fmt: str) -> Table:
    table = Table("table2")
    sq = Squeezed(h, lo, hi)
    fmt = own_format(table, sq, fmt)
    specs = schema.t2_rows(fmt)
    caps = [m for m in (sq.find(g) for g in _T2_GROUPS) if m]
    after = min(m[2] for m in caps) if caps else 0
    rows = []  # 表二's rows are distinct words; a PDF conversion may print its blocks out of order
    for r in specs:
        for m in sq.finditer(alt(r.keywords), after):
            if _in_sentence(h, m[0], m[1], lo, hi):
                continue  # the word in the prose around the table (…相关规章、规范性文件；…)
            if not any(m[0] < a.kw_end and a.kw_start < m[1] for a in rows):
                rows.append(Anchor(r.key, m[0], m[1]))
            break
    for r in specs:
        table.row_labels[r.key] = None
        for c in r.columns:
            table.col_labels.setdefault(c.key, None)
    if not rows:
        table.notes.append("未找到表二的行标签")
        for r in specs:
            fill_missing(table, r.key, [c.key for c in r.columns], "报告中没有表二")
        return table
    table.found = True
    groups = delimiters(sq, _T2_GROUPS, rows, lo)
    anchors = place_anchors(h, rows + groups, lo, hi)
    start = min(a.start for a in anchors)
    by_key = {r.key: r for r in specs}
    end = start
    for a, pieces, _ in segments(doc, h, anchors, hi, table):
        spec = by_key[a.key]
        n = len(spec.columns)
        row_line = doc.line_of(a.start)
        res = resolve_row(pieces, n, doc.line_of, row_line=row_line)
        label = _without_header(doc.text[a.start:a.end])
        table.row_labels[a.key] = label
        table.row_lines[a.key] = row_line
        table.notes += [f"{label}：{x}" for x in res.notes]
        for c, cell in zip(spec.columns, res.cells):
            table.cells[(a.key, c.key)] = cell
        end = max(end, res.pieces[-1].end if res.pieces else a.end)
    for r in specs:
        if (r.key, r.columns[0].key) not in table.cells:
            fill_missing(table, r.key, [c.key for c in r.columns], f"报告中没有“{r.label}”这一行")
    # keep the format's cell order
    table.cells = {(r.key, c.key): table.cells[(r.key, c.key)] for r in specs for c in r.columns}
    for c in {c.key: c for r in specs for c in r.columns}.values():
        m = sq.find(alt(c.keywords))
        table.col_labels[c.key] = _printed_label(doc.text, h, m[0], m[1]) if m else None
    table.header_text = doc.text[start:end].split("\n")[0].strip() or None
    extent(doc, table, start, end)
    return table


_WIDTHS = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "：": "[：:]", ":": "[：:]"}


def _loose(label: str) -> str:
    """A header as a pattern: brackets and colon in either width, the closing 数/数量 may be
    left off (本年废止件 for 本年废止件数), and a header with a slash (本年增/减) may be only its
    tail — a label is walked back no further than a slash."""
    def pat(text: str) -> str:
        return "".join(_WIDTHS.get(ch) or re.escape(ch) for ch in text)

    for tail in ("数量", "数"):
        if label.endswith(tail):
            return pat(label[:-len(tail)]) + f"(?:{tail})?"
    if "/" in label:
        return f"(?:{pat(label)}|{pat(label.rsplit('/', 1)[1])})"
    return pat(label)


#: 表二's captions and column headers: flattened text (a crawler's page text, cells with no
#: borders) runs them into the first row label (…现行有效件数规范性文件), which is not what the row
#: prints.
_HEADER_WORDS = re.compile(
    r"^(?:\s*(?:第二十条(?:第[（(]?[一二三四五六七八九十\d]{1,3}[)）]?项)?|信息内容|"
    + "|".join(sorted({_loose(c.label) for f in ("2019", "2021") for r in schema.t2_rows(f)
                       for c in r.columns}, key=len, reverse=True))
    + r"))+\s*")
#: Sentence punctuation: a label holding it is prose, not a row of the table.
_SENTENCE = re.compile(r"[，,；;。！？]")


def _without_header(label: str) -> str:
    """The row's own label, without header words run into it (keeps it if nothing is left)."""
    rest = _HEADER_WORDS.sub("", label, count=1)
    return rest if rest.strip() else label


def _in_sentence(h: str, kw_start: int, kw_end: int, lo: int, hi: int) -> bool:
    """A row word inside a sentence: the label it would have (walked back to the previous
    number, tab or line, and on to the next) holds sentence punctuation, or a sentence ends right
    after it (本年未制定规章。) — 表二's labels never do; a table row's label is followed by its
    figures, a tab or the line's end."""
    a, b = label_start(h, kw_start, lo), label_end(h, kw_end, hi)
    return _SENTENCE.search(h, a, b) is not None or h[b:b + 1] in ("。", "！", "？")


def _printed_label(text: str, h: str, s: int, e: int) -> str:
    """The header cell around a keyword match ``h[s:e]``: between tabs/line ends; in flattened
    text, where cells have no borders, just the matched words."""
    a = max(h.rfind("\t", 0, s), h.rfind("\n", 0, s)) + 1
    b = min(x for x in (h.find("\t", e), h.find("\n", e), len(h)) if x >= 0)
    return text[a:b].strip() if b - a <= 40 else text[s:e]


