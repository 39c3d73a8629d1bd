"""The label-anchored scan: find official labels in a stretch of text and cut the values between.

One code path serves every input form — tab rows from HTML/DOCX/PDF tables, PDF text lines, and
crawler text where a whole table is one line with no separators. Labels are matched on a
"squeezed" copy of the text (spaces, brackets and punctuation dropped, full-width folded), so
"(一) 予以公开", "（一）予以公开" and a label broken over two PDF lines all match; every match is
mapped back to offsets in ``Document.text`` because evidence must point into the real text.

Between one label's end and the next label's start lies the row's value segment; ``chunks`` turns
it into value chunks (numbers, blank markers, empty tab cells), skipping prose and page furniture.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..document import UNREAD
from ..textnorm import _LABEL_DROP
from .digits import Chunk

_NUMBERING = re.compile(r"[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}\s*、"
                        r"|\d\s*[.．、]")
#: characters a printed label may contain besides CJK (walked over when extending a label)
_LABEL_PUNCT = set("、.()（）“”\"'‘’，,：:；;《》<>〈〉 ·")
_STOP = set("\t\n/-—–－")
#: a number (a sign only before a digit that can start a number: "-00" is a dash and "00"),
#: a dash or slash, or 无 not inside words
_TOKEN = re.compile(r"(?:[+-](?=[1-9]|0(?![\d])))?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*万?元)?|[—–\-]+|/"
                    r"|(?<![\u4e00-\u9fff])无(?![\u4e00-\u9fff])")
_BLANK_RE = re.compile(r"[—–\-]+|/|无")
_UNIT_AFTER = re.compile(r"\s*[年月日件条项个次家人%％号页]")
#: A table's last digits glued to the year that opens the next paragraph of flattened text
#: ("…结转下年度继续办理2000002" + "2025年，我局…"): the year is prose, the digits before it are
#: the row's.
_GLUED_YEAR = re.compile(r"(\d+?)((?:19[5-9]|20\d)\d)")
#: A converter's placeholder column headers ("数据1 … 数据6", "列1", "Column 1"), on a line of
#: their own: a PDF→markdown tool that could not read the header prints them over every
#: sub-table. Their digits are names, not values.
PLACEHOLDER = r"(?:数据|列|字段|栏|[Cc]ol(?:umn)?)[ _]?\d{1,2}"
PLACEHOLDER_LINE = rf"(?m:^[ \t|]*{PLACEHOLDER}(?:[ \t|]+{PLACEHOLDER})+[ \t|]*$)"
#: A row of column numbers under the header ("1 2 3 4 5 6 7", maybe after 栏次/序号).
COLUMN_NUMBERS_LINE = (r"(?m:^[ \t|]*(?:(?:栏次|序号|列号|编号)[ \t|]*)?1[ \t|]+2[ \t|]+3[ \t|]+4[ \t|]+5"
                       r"(?:[ \t|]+6(?:[ \t|]+7(?:[ \t|]+8)?)?)?[ \t|]*$)")
_FURNITURE = re.compile(r"第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?"
                        r"|(?m:^[ \t]*[-—–][ \t]*\d+[ \t]*[-—–][ \t]*$)"  # within a line: linear
                        r"|(?m:^[ \t]*\d+[ \t]*/[ \t]*\d+[ \t]*$)"       # in runs of blank lines
                        r"|(?m:^[ \t|:]*-{3,}(?:[ \t|:]+-{3,})*[ \t|:]*$)"  # markdown table rule
                        rf"|{PLACEHOLDER_LINE}|{COLUMN_NUMBERS_LINE}")


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _label_char(ch: str) -> bool:
    return is_cjk(ch) or ch in _LABEL_PUNCT


class Squeezed:
    """``text[lo:hi]`` without spaces and label punctuation, with a map back to offsets."""

    def __init__(self, h: str, lo: int, hi: int):
        keep = [i for i in range(lo, hi) if not _LABEL_DROP.match(h[i])]
        self.s = "".join(h[i] for i in keep)
        self.idx = keep
        self.hi = hi

    def pos(self, offset: int) -> int:
        """The squeezed position of the first kept character at or after ``offset``."""
        import bisect

        return bisect.bisect_left(self.idx, offset)

    def find(self, pattern: re.Pattern, start: int = 0, end: int | None = None):
        """First match at squeezed position ≥ start: (orig_start, orig_end, sq_start, sq_end)."""
        m = pattern.search(self.s, start, len(self.s) if end is None else end)
        if not m:
            return None
        return self.idx[m.start()], self.idx[m.end() - 1] + 1, m.start(), m.end()

    def finditer(self, pattern: re.Pattern, start: int = 0):
        for m in pattern.finditer(self.s, start):
            yield self.idx[m.start()], self.idx[m.end() - 1] + 1, m.start(), m.end()


@dataclass
class Anchor:
    """A label found in the text: ``key`` is a row key (None for a group heading or caption
    that only delimits). ``start``/``end`` are the printed label's extent."""

    key: str | None
    kw_start: int
    kw_end: int
    start: int = 0
    end: int = 0


def label_start(h: str, kw_start: int, bound: int) -> int:
    """Walk back from a keyword over label text to the label's numbering ("（三）", "二、", "3.").
    A single digit followed by "." right before the label is its number, even when it is glued
    to the previous row's digits ("00000003.危及…")."""
    i = kw_start
    while i > bound:
        ch = h[i - 1]
        if ch.isdigit():
            if h[i] in ".．、" and i - 1 >= bound:
                i -= 1
            break
        if not _label_char(ch) or ch in _STOP:
            break
        i -= 1
    last = None
    for m in _NUMBERING.finditer(h, i, kw_start):
        last = m.start()
    start = i if last is None else last
    while start < kw_start and h[start] == " ":
        start += 1
    return start


def label_end(h: str, kw_end: int, bound: int) -> int:
    """Extend a keyword forward over the rest of the printed label (same line, no digits)."""
    i = kw_end
    while i < bound and _label_char(h[i]) and h[i] not in _STOP:
        i += 1
    seg = h[kw_end:i]
    m = re.search(r"(?:\s+无)+\s*$|\s+$", seg)
    if m:
        i = kw_end + m.start()
    return i


def place_anchors(h: str, anchors: list[Anchor], lo: int, hi: int) -> list[Anchor]:
    """Sort anchors and fix each one's printed extent between its neighbours."""
    anchors = sorted(anchors, key=lambda a: a.kw_start)
    prev_kw_end = lo
    for a in anchors:
        a.start = label_start(h, a.kw_start, prev_kw_end)
        prev_kw_end = a.kw_end
    for k, a in enumerate(anchors):
        nxt = anchors[k + 1].start if k + 1 < len(anchors) else hi
        a.end = label_end(h, a.kw_end, nxt)
    return anchors


@dataclass
class Piece:
    """A value chunk with where it was printed."""

    chunk: Chunk
    start: int
    end: int
    empty: bool = False  # an empty tab cell (a blank, or layout padding to be trimmed)


def make_chunk(tok: str) -> Chunk:
    """One printed token → Chunk. A bare digit run may hold several cells; anything with a
    decimal point, thousands separator or unit is exactly one number."""
    t = tok.strip()
    if _BLANK_RE.fullmatch(t) or t == "":
        return Chunk(t, None, None)
    num = re.sub(r"\s*万?元$", "", t)
    m = re.fullmatch(r"([+-]?\d+)(?:\.(\d+))?", num)
    if m:
        run, frac = m.group(1), m.group(2) or ""
        if len(run.lstrip("+-")) > 1:
            return Chunk(t, run, None, frac)
        return Chunk(t, None, float(num) if frac else int(num))
    plain = num.replace(",", "")
    v = float(plain)
    return Chunk(t, None, int(v) if "." not in plain else v)


def _tokens(h: str, lo: int, hi: int) -> list[Piece]:
    """Value tokens in ``h[lo:hi]`` (no tabs there): numbers not followed by a unit like 年/件,
    and free-standing blank markers."""
    out: list[Piece] = []
    seg = h[lo:hi]
    for m in _TOKEN.finditer(seg):
        tok = m.group()
        end = m.end()
        if tok[0].isdigit() or (tok[0] in "+-" and len(tok) > 1 and tok[1].isdigit()):
            if _UNIT_AFTER.match(seg, m.end()) and not tok.endswith("元"):
                glued = _GLUED_YEAR.fullmatch(tok) if seg[m.end():m.end() + 1] == "年" else None
                if not glued:
                    continue
                tok, end = glued.group(1), m.start() + len(glued.group(1))
            if re.match(r"[.、]\s*[\u4e00-\u9fff“\"]", seg[m.end():m.end() + 3]) and tok.isdigit():
                continue  # a label's numbering ("1.属于国家秘密"), not a value
            if m.start() > 0 and seg[m.start() - 1] == "第":
                continue
        elif tok != "无" and not _standalone(seg, m.start(), m.end()):
            continue
        out.append(Piece(make_chunk(tok), lo + m.start(), lo + end))
    return out


def _standalone(seg: str, a: int, b: int) -> bool:
    before = seg[a - 1] if a > 0 else " "
    after = seg[b] if b < len(seg) else " "
    return not (is_cjk(before) and is_cjk(after))


def blank_furniture(h: str, lo: int, hi: int) -> str:
    """``h[lo:hi]`` with page numbers ("第 2 页", "- 3 -", "2/5") and markdown table rules
    ("---\t---") replaced by spaces, so they give neither values nor empty cells."""
    a = h.rfind("\n", 0, lo) + 1  # whole lines, so "^…$" means a line of the document,
    b = h.find("\n", hi)         # not the edge of a segment cut out of a flattened line
    b = len(h) if b < 0 else b
    return _blanked_lines(h, a, b)[lo - a:hi - a]


@lru_cache(maxsize=16)  # a few lines of the report being parsed, not every report's text
def _blanked_lines(h: str, a: int, b: int) -> str:
    """Cached: a crawler's flattened report is one long line that every row segment of a table
    lies in, so without the cache each row re-scans the whole report (a third of parse time)."""
    return _FURNITURE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), h[a:b])


def chunks(h: str, lo: int, hi: int, *, to_anchor: bool) -> list[Piece]:
    """The value pieces of a row segment ``h[lo:hi]``.

    Lines with tabs are table cells: each tab starts a cell, an empty cell is kept as an empty
    piece (a blank, unless trimmed as padding later), and so is a cell holding only ``无`` or
    ``UNREAD`` (what the reader could not read: an unreadable cell); the first piece of the label's own line
    is the rest of the label cell. When the segment ends at the next label (``to_anchor``), the
    last partial line holds that label's leading cells, not values."""
    seg = blank_furniture(h, lo, hi)
    view = h[:lo] + seg + h[hi:]
    out: list[Piece] = []
    pos = lo
    lines = seg.split("\n")
    for n, line in enumerate(lines):
        line_lo = pos
        pos += len(line) + 1
        last_partial = to_anchor and n == len(lines) - 1 and n > 0
        if "\t" not in line:
            if not last_partial:
                out.extend(_tokens(view, line_lo, line_lo + len(line)))
            continue
        cells = line.split("\t")
        cpos = line_lo
        for k, cell in enumerate(cells):
            c_lo, c_hi = cpos, cpos + len(cell)
            cpos = c_hi + 1
            if k == 0 and (n == 0 or last_partial):
                # the rest of the label cell, or a label-leading cell of the next row
                if not last_partial:
                    out.extend(_tokens(view, c_lo, c_hi))
                continue
            if last_partial:
                continue
            toks = _tokens(view, c_lo, c_hi)
            if toks:
                out.extend(toks)
            elif not cell.strip():
                out.append(Piece(Chunk("", None, None), c_lo, c_lo, empty=True))
            elif cell.strip() in ("无", UNREAD):  # a blank mark; a cell the reader could not read
                i = c_lo + cell.index(cell.strip())
                out.append(Piece(Chunk(cell.strip(), None, None), i, i + 1))
    return out
