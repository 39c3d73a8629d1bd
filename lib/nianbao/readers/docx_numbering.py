"""Word's automatic list numbers: the "一、", "（一）", "1." that Word draws but never stores.

A heading numbered with Word's list feature has no "一、" in its text runs — the number lives in
``numbering.xml`` and is computed when the page is drawn. Reading only the runs would turn
"一、总体情况" into "总体情况" and "（三）不予公开" into "不予公开". ``Numbering`` replays Word's
counters in document order (the reader walks the body in order) and returns each paragraph's
number as printed. Supported: direct and style-inherited ``numPr``, multi-level ``lvlText``
(``%1.%2``), ``start`` and ``startOverride``, and the number formats Chinese reports use; bullets
print nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_PLACEHOLDER = re.compile(r"%([1-9])")


def chinese(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """1–99 the way list numbers print them: 一 … 十, 十一, 二十, 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + ten + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese(n)
    if fmt == "chineseLegalSimplified":
        return chinese(n, _LEGAL, "拾")
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n > 0:
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


def _val(el, name: str, default=None):
    child = el.find(f"{_W}{name}") if el is not None else None
    return child.get(_VAL, default) if child is not None else default


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class Numbering:
    def __init__(self, document):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        self._load_numbering(document)
        self._load_styles(document)

    def _load_numbering(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: nothing is auto-numbered
        for an in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.iter(f"{_W}lvl"):
                levels[_int(lvl.get(f"{_W}ilvl"))] = _Level(
                    _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""), _int(_val(lvl, "start"), 1))
            self.levels[an.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for ov in num.iter(f"{_W}lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    overrides[_int(ov.get(f"{_W}ilvl"))] = _int(start, 1)
            self.nums[num.get(f"{_W}numId")] = (_val(num, "abstractNumId"), overrides)

    def _load_styles(self, document) -> None:
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        based: dict[str, str] = {}
        for st in styles.iter(f"{_W}style"):
            sid = st.get(f"{_W}styleId")
            numpr = st.find(f"{_W}pPr/{_W}numPr")
            if numpr is not None and _val(numpr, "numId") is not None:
                self.style_num[sid] = (_val(numpr, "numId"), _int(_val(numpr, "ilvl"), 0))
            parent = _val(st, "basedOn")
            if parent:
                based[sid] = parent
        for sid in list(based):  # a style inherits its parent's numbering
            seen, cur = set(), sid
            while cur not in self.style_num and cur in based and cur not in seen:
                seen.add(cur)
                cur = based[cur]
            if sid not in self.style_num and cur in self.style_num:
                self.style_num[sid] = self.style_num[cur]

    def prefix(self, p) -> str:
        """The number Word prints before paragraph ``p`` (advancing the counters), or ``""``."""
        ppr = p.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id = _val(numpr, "numId")
        ilvl = _int(_val(numpr, "ilvl"), 0)
        if num_id is None:
            style = _val(ppr, "pStyle")
            if style not in self.style_num:
                return ""
            num_id, style_lvl = self.style_num[style]
            ilvl = _int(_val(numpr, "ilvl"), style_lvl) if numpr is not None else style_lvl
        if num_id not in self.nums:
            return ""  # numId 0 (numbering removed) or undefined
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                if 0 <= level < 10:
                    counts[level] = start - 1
        current = counts[ilvl]
        counts[ilvl] = (levels[ilvl].start - 1 if current is None else current) + 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = None

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            n = counts[k] if counts[k] is not None else lvl.start
            return format_number(n, lvl.fmt)

        return _PLACEHOLDER.sub(number, levels[ilvl].text)
