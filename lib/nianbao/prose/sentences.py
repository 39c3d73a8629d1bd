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
_NUM_ROW = re.compile(r"(?:\d+(?:\.\d+)?[ \t]+){3,}\d")  # a table row of numbers
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
    start: int
    end: int
    text: str  # half-width, same length as the original slice
    line: int
    section: int | None  # 1..6 from ``report.sections``, None before the first or if unknown

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
    if terms >= 3 or terms == 2 and digits > 0.25:
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
    start0 = body_start(text)
    out: list[Sentence] = []
    for lo, hi in _gaps(start0, len(text), excl):
        pos = lo
        for m in _SPLIT.finditer(norm, lo, hi):
            _add(out, report, doc, norm, pos, m.end() if m.group() != "\n" else m.start())
            pos = m.end()
        _add(out, report, doc, norm, pos, hi)
    return out


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
    s = norm[a:b]
    stripped = s.strip()
    if not stripped or not is_prose(stripped):
        return
    a += len(s) - len(s.lstrip())
    b = a + len(stripped)
    out.append(Sentence(a, b, stripped, doc.line_of(a), _section_of(report, a)))


