"""Numbers as printed in prose: Arabic, full-width, Chinese numerals, with units and "余/多".

Why span by span: whole-text converters (``cn2an.transform``) rewrite 统一→统1 and silently
"repair" 第七11号→第711号, hiding defects; so a regex isolates each numeral span first and only
that span goes to ``cn2an``. The input is expected to be ``to_halfwidth`` text (same length as
the original), so the offsets returned are offsets into ``Document.text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_NUM = "零〇一二两三四五六七八九十百千万亿"
UNITS = ("件次", "人次", "万元", "件", "条", "起", "次", "项", "个", "篇", "场", "期", "份", "批",
         "家", "元", "%")
_UNIT_RE = "|".join(map(re.escape, UNITS))
#: After 个, a span of time (7个工作日, 3个月, 24个小时): a duration, not a count of anything.
DURATION = r"[多半]?(?:工作日|自然日|自然月|月|小时|钟头|季度|星期|礼拜|周|年(?!度)|日|天)"
#: A quantity: a number (not an ordinal — never after 第), an optional "余/多", a unit.
#: A Chinese numeral may not start with 百/千/万/亿 (单位:万元 is not the number 万).
QTY_RE = re.compile(
    r"(?<![第\d.零〇一二两三四五六七八九十百千万亿])"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[万亿](?=余|多|件|条|个|项|次|人))?"
    r"|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)"
    r"(?P<approx>余|多)?"
    r"(?P<unit>" + _UNIT_RE + r")"
    r"(?!(?<=个)" + DURATION + r")"
    r"(?P<approx2>左右)?")


@dataclass(frozen=True)
class Quantity:
    start: int  # offset of the numeral
    end: int  # offset after the unit (and 余/左右)
    value: float | None  # None: a span that is not a well-formed number (e.g. 七11)
    unit: str
    approx: bool
    raw: str


@lru_cache(maxsize=4096)
def parse_number(span: str) -> float | None:
    """The value of an isolated numeral span, or None if it is malformed."""
    s = span.replace(",", "")
    mult = 1
    if s and s[-1] in "万亿" and s[0].isdigit():
        mult = 10_000 if s[-1] == "万" else 100_000_000
        s = s[:-1]
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s) * mult
    if re.search(r"\d", s):
        return None  # mixed scripts (七11): a defect, never repaired
    try:
        import cn2an

        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


def quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every number-with-unit in ``text`` (half-width), offsets shifted by ``offset``."""
    out = []
    for m in QTY_RE.finditer(text):
        raw = m.group("num")
        out.append(Quantity(offset + m.start(), offset + m.end(), parse_number(raw),
                            m.group("unit"), bool(m.group("approx") or m.group("approx2")),
                            m.group(0)))
    return out


def as_wan(value: float, unit: str) -> float:
    """Money in 万元, the unit of 表二 (八)."""
    return value / 10_000 if unit == "元" else value
