"""Prose sentences with offsets into ``Document.text``, table regions and page chrome excluded.

Why a prose filter and not just "non-table lines": crawler text flattens whole tables into the
middle of a prose line, and PDF text mixes label runs into paragraphs. A sentence counts as prose
only when it is mostly characters, not digits, and does not string together table-only labels
(the filter of spec/narrative-checks.md §1.5). Claim extraction on table labels gave false
claims before this filter existed (无正当理由…申请, 单位:万元).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import to_halfwidth

_SPLIT = re.compile(r"[。！!？?\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
#: a table row of numbers; it starts only where a number starts (not inside a digit run, where
#: every start would rescan the run: quadratic in its length)
_NUM_ROW = re.compile(r"(?<![\d.])(?:\d+(?:\.\d+)?[ \t]+){3,}\d")
#: Labels that belong to the statistical tables and hardly ever to a sentence.
TABLE_TERMS = ("申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
               "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "信息内容",
               "结果维持", "结果纠正", "其他结果", "尚未审结", "第二十条第", "本年新收",
               "本年新制作", "对外公开总数量", "上一年项目数量", "采购总金额", "本年收费金额",
               "逾期不补正", "三安全一稳定", "重新出具", "未经复议直接起诉")
#: The end of a crawler header block (``标题: …`` lines, then a separator line).
_HEADER_END = re.compile(r"^=+\s*正文\s*=+\s*$", re.M)


@dataclass(frozen=True)
class Sentence:
    """A prose sentence. ``text`` is half-width and *compacted*: PDF line breaks inside the
    sentence and spaces around digits (2024 年, 申请 2 件) are dropped, so the claim patterns
    see one run of text; ``index[i]`` is the ``Document.text`` offset of ``text[i]``."""

    start: int
    end: int
    text: str
    line: int
    section: int | None  # 1..6 from ``report.sections``, None before the first or if unknown
    index: tuple[int, ...] = ()

    def doc_offset(self, i: int) -> int:
        """``Document.text`` offset of compact position ``i`` (``i == len(text)`` → ``end``)."""
        if not self.index:
            return self.start + i
        return self.end if i >= len(self.index) else self.index[i]

    def doc_span(self, a: int, b: int) -> tuple[int, int]:
        return self.doc_offset(a), (self.doc_offset(b - 1) + 1 if b > a else self.doc_offset(a))

    def quote(self, limit: int = 160) -> str:
        t = self.text.strip()
        return t if len(t) <= limit else t[: limit - 1] + "…"


def body_start(text: str) -> int:
    """Offset where the report body begins: after a crawler header, if there is one."""
    m = _HEADER_END.search(text[:4000])
    return m.end() if m else 0


def _excluded(report) -> list[tuple[int, int]]:
    spans = []
    for t in (report.table2, report.table3, report.table4):
        if t.span:
            spans.append(tuple(t.span))
    text = report.document.text
    pos = 0
    for line in text.split("\n"):  # tab-joined rows are table rows, whatever the parser found
        if "\t" in line and line.count("\t") >= 2:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return sorted(spans)


def is_prose(s: str) -> bool:
    """True if a (half-width) sentence reads as prose rather than table residue."""
    if len(_CJK.findall(s)) < 6 or _NUM_ROW.search(s):
        return False
    digits = len(_DIGIT.findall(s)) / max(1, len(s))
    terms = sum(1 for t in TABLE_TERMS if t in s)
    # table residue strings labels together; prose that names a few outcomes has commas
    clauses = len(re.findall(r"[，,；;]", s))
    if terms >= 5 or terms >= 2 and (digits > 0.25 or clauses == 0):
        return False
    return digits <= 0.5 and not (len(s) > 300 and digits > 0.15)


def _section_of(report, offset: int) -> int | None:
    for sec in report.sections:
        lo = sec.span[0]
        hi = sec.body_span[1]
        if lo <= offset < hi:
            return sec.number
    return None


def sentences(report) -> list[Sentence]:
    """The prose sentences of a report, in text order (cached per report object)."""
    key = id(report)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is report:
        return cached[1]
    out = _sentences(report)
    _CACHE.clear()  # keep one report only: rules of one audit share it, batches move on
    _CACHE[key] = (report, out)
    return out


_CACHE: dict[int, tuple[object, list[Sentence]]] = {}


def _sentences(report) -> list[Sentence]:
    doc = report.document
    text = doc.text
    norm = to_halfwidth(text)
    excl = _excluded(report)
    out: list[Sentence] = []
    for lo, hi in _gaps(body_start(text), len(text), excl):
        pos = lo
        for m in _SPLIT.finditer(norm, lo, hi):
            if m.group() == "\n" and not _line_break_ends(norm, m.start()):
                continue  # a PDF line break inside a sentence
            _add(out, report, doc, norm, pos, m.end() if m.group() != "\n" else m.start())
            pos = m.end()
        _add(out, report, doc, norm, pos, hi)
    return out


_HEADING_START = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、]"
                            r"|#|\|)")


def _line_break_ends(norm: str, i: int) -> bool:
    """Does the newline at ``i`` end a sentence? Yes after sentence punctuation, before a
    heading or a table row, at a blank line, and around table-like lines."""
    prev_start = norm.rfind("\n", 0, i) + 1
    prev = norm[prev_start:i].rstrip()
    nxt_end = norm.find("\n", i + 1)
    nxt = norm[i + 1: nxt_end if nxt_end >= 0 else len(norm)]
    if not prev.strip() or not nxt.strip():
        return True
    if prev[-1] in "。!?！？;；:：)）" or prev.endswith("报告"):
        return True
    if _HEADING_START.match(nxt) or prev.lstrip().startswith(("|", "#")):
        return True
    return bool(_NUM_ROW.search(prev) or _NUM_ROW.search(nxt))


_SPACE_AROUND = re.compile(r"[ \t\n]+")


def _compact(norm: str, a: int, b: int) -> tuple[str, tuple[int, ...]]:
    """Drop line breaks and the spaces next to CJK or digits; keep the offsets (an empty index
    means the text is the slice itself, the common case for crawler and HTML text)."""
    piece = norm[a:b]
    if " " not in piece and "\t" not in piece and "\n" not in piece:
        return piece, ()
    chars, index = [], []
    for i in range(a, b):
        ch = norm[i]
        if ch in " \t\n":
            left = norm[i - 1] if i > a else ""
            right = norm[i + 1] if i + 1 < b else ""
            if ch == "\n" or _joins(left) or _joins(right):
                continue
        chars.append(ch)
        index.append(i)
    return "".join(chars), tuple(index)


def _joins(ch: str) -> bool:
    return bool(ch) and (ch.isdigit() or "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：（）《》“”%")


def _gaps(lo: int, hi: int, excl: list[tuple[int, int]]):
    for a, b in excl:
        if b <= lo:
            continue
        if a > lo:
            yield lo, min(a, hi)
        lo = max(lo, b)
        if lo >= hi:
            return
    if lo < hi:
        yield lo, hi


def _add(out, report, doc, norm, a, b):
    if not norm[a:b].strip():
        return
    text, index = _compact(norm, a, b)
    stripped = text.strip()
    if not stripped or not is_prose(stripped):
        return
    lead = len(text) - len(text.lstrip())
    if index:
        index = index[lead:lead + len(stripped)]
        start, end = index[0], index[-1] + 1
    else:
        start, end = a + lead, a + lead + len(stripped)
    text = stripped
    out.append(Sentence(start, end, text, doc.line_of(start), _section_of(report, start), index))
