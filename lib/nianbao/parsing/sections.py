"""The six parts: headings found by number + keywords, at a line start or inside a flattened line.

A heading is a numeral ("二、", "（二）") followed, within a few characters, by the part's
keywords (``schema.SECTIONS``). Requiring the numeral keeps the introduction's list of the six
parts ("报告全文由总体情况、主动公开政府信息情况、…组成") from being taken for headings, and
lets "…作用。二、主动公开政府信息情况 第二十条…" in crawler text be found. Every heading-like
match is kept in ``Report.headings`` (a repeated title or heading is a defect to report); the
section itself is the last repetition before the next part begins, the one with a body.
"""
from __future__ import annotations

import re

from .. import schema
from ..model import Section
from .scan import is_cjk

_CN = "一二三四五六七八九十"
_NUM = rf"(?:[{_CN}]{{1,2}}\s*[、.．]|[(（]\s*[{_CN}]{{1,2}}\s*[)）])"
_AFTER = set("。：:；;！!？?”\"）)】>」")


_NUM_RE = re.compile(_NUM)
_HEADINGS = [(s, re.compile(rf"\s*[^\n。；，,：:\d]{{0,14}}?{s.pattern}")) for s in schema.SECTIONS]
_HEADING_TAIL = re.compile(r"[^\n。：:\t\d]{0,16}?(?:情况|事项|措施)")


def _heading_end(h: str, m_end: int) -> int:
    """Extend a keyword match to the end of the printed heading (情况/事项 and what precedes
    the body)."""
    m = _HEADING_TAIL.match(h, m_end)
    return m.end() if m else m_end


def _is_heading_start(h: str, pos: int) -> bool:
    if pos == 0:
        return True
    prev = h[pos - 1]
    return not is_cjk(prev) or prev in _AFTER


def _numeral(s: str) -> int:
    """The value of a heading numeral such as "三、" or "（三）" (1–10; 0 if not one of those)."""
    core = s.strip(" 、.．(（)）")
    return _CN.index(core) + 1 if len(core) == 1 and core in _CN else 0


def find_headings(h: str, lo: int = 0) -> list[tuple[int, int, int, bool]]:
    """All heading-like matches: (section number, start, end, bracketed numeral)."""
    out = []
    for n in _NUM_RE.finditer(h, lo):
        for spec, pat in _HEADINGS:
            m = pat.match(h, n.end())
            if not m:
                continue
            if _is_heading_start(h, n.start()) or _numeral(n.group()) == spec.number:
                bracket = n.group()[:1] in "(（"
                out.append((spec.number, n.start(), _heading_end(h, m.end()), bracket))
            break
    return out


def parse_sections(doc, h: str, lo: int = 0) -> tuple[list[Section], list[tuple[int, int, int, bool]]]:
    """The six parts in order, and every heading-like match used for ``Report.headings``.
    Bracketed numerals ("（二）主动公开政府信息的数量") count only where the plain form is
    absent, because sub-headings inside a part often reuse the keywords."""
    found = find_headings(h, lo)
    plain = [f for f in found if not f[3]]
    chosen: list[tuple[int, int, int, bool]] = []
    cursor = lo
    for spec in schema.SECTIONS:
        for pool in (plain, found):
            cands = [f for f in pool if f[0] == spec.number and f[1] >= cursor]
            if cands:
                break
        if not cands:
            continue
        later = [f[1] for f in plain if f[0] > spec.number and f[1] > cands[0][1]]
        stop = min(later) if later else len(h)
        pick = [f for f in cands if f[1] < stop][-1] if any(f[1] < stop for f in cands) else cands[0]
        chosen.append(pick)
        cursor = pick[2]
    sections = []
    text = doc.text
    for k, (num, s, e, _) in enumerate(chosen):
        body_end = chosen[k + 1][1] if k + 1 < len(chosen) else len(text)
        sections.append(Section(num, text[s:e].strip(), doc.line_of(s), (s, e), (e, body_end),
                                text[e:body_end].strip()))
    used = {(f[1]) for f in chosen}
    listed = [f for f in found if not f[3] or f[1] in used]
    return sections, listed
