"""Text normalisation that keeps offsets: evidence spans must point into the original text.

``to_halfwidth`` maps full-width ASCII (U+FF01–FF5E) and the ideographic space one character to
one character, unlike NFKC, which changes lengths (①→1, …→...). ``label_key`` is the lossy key the
parser and the wording checks match labels on.
"""
from __future__ import annotations

import re

_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FW[0x3000] = 0x20
_FW[0x00A0] = 0x20  # no-break space, as left by &nbsp;


def to_halfwidth(s: str) -> str:
    """Full-width ASCII → ASCII, ideographic and no-break spaces → space; same length."""
    return s.translate(_FW)


_LABEL_DROP = re.compile(r"[\s\u3000()（）\[\]【】〔〕,，、.．。:：;；“”\"'‘’《》<>·\-—_/]")


def label_key(s: str) -> str:
    """A matching key for a printed label: half-width, no spaces, brackets or punctuation."""
    return _LABEL_DROP.sub("", to_halfwidth(s))


# ---------------------------------------------------------------- radicals → ideographs
# A PDF printed by a browser (Chromium "Save as PDF") or by some office suites writes the
# ToUnicode map of a CJK font by glyph: where a font draws 一 and ⼀ with one glyph, the text
# layer may spell 一 as U+2F00 KANGXI RADICAL ONE. The text then looks right and reads wrong
# (no label, agency or year matches). Every reader's text is folded here, one character to one
# character, so offsets are kept.
#
# Kangxi radicals (U+2F00–U+2FD5) carry a compatibility decomposition: NFKC maps each to its
# ideograph, and the table below is built from ``unicodedata`` at import. The CJK Radicals
# Supplement (U+2E80–U+2EF3) has none except ⺟ and ⻳, and Python's ``unicodedata`` does not
# ship Unicode's EquivalentUnifiedIdeograph.txt, so the supplement's equivalents are listed by
# hand from that file — only radicals that stand for a whole character in running Chinese text
# (the C-SIMPLIFIED forms among them); component-only forms (⺅ 亻, ⺡ 氵 …) are mapped to the
# component ideograph the same file gives. Only these code points are touched: NFKC is never
# applied to the text as a whole (it would fold full-width digits and brackets, ①, ㈠ …, whose
# printed form the parser and the evidence quotes rely on).
_SUPPLEMENT = {
    0x2E81: "厂", 0x2E84: "乙", 0x2E85: "亻", 0x2E86: "冂", 0x2E89: "刂", 0x2E8A: "卜",
    0x2E8B: "㔾", 0x2E8C: "小", 0x2E8D: "小", 0x2E8E: "尢", 0x2E8F: "尣", 0x2E90: "尢",
    0x2E92: "巳", 0x2E93: "幺", 0x2E94: "彑", 0x2E96: "忄", 0x2E97: "㣺", 0x2E98: "扌",
    0x2E99: "攵", 0x2E9B: "旡", 0x2E9C: "日", 0x2E9D: "月", 0x2E9E: "歺", 0x2EA0: "民",
    0x2EA1: "氵", 0x2EA2: "氺", 0x2EA3: "灬", 0x2EA4: "爫", 0x2EA5: "爫", 0x2EA6: "丬",
    0x2EA7: "牛", 0x2EA8: "犭", 0x2EA9: "王", 0x2EAA: "疋", 0x2EAC: "示", 0x2EAD: "礻",
    0x2EAF: "糹", 0x2EB0: "纟", 0x2EB2: "罒", 0x2EB3: "㓁", 0x2EB4: "罒", 0x2EB6: "羊",
    0x2EB7: "羊", 0x2EB9: "耂", 0x2EBA: "肀", 0x2EBB: "聿", 0x2EBC: "月", 0x2EBD: "臼",
    0x2EBE: "艹", 0x2EBF: "艹", 0x2EC0: "艹", 0x2EC1: "虎", 0x2EC2: "衤", 0x2EC3: "覀",
    0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECA: "足",
    0x2ECB: "车", 0x2ECC: "辶", 0x2ECD: "辶", 0x2ECE: "辶", 0x2ECF: "阝", 0x2ED0: "钅",
    0x2ED1: "長", 0x2ED2: "镸", 0x2ED3: "长", 0x2ED4: "门", 0x2ED5: "阜", 0x2ED6: "阝",
    0x2ED7: "雨", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页", 0x2EDB: "风", 0x2EDC: "飞",
    0x2EDD: "食", 0x2EDF: "飠", 0x2EE0: "饣", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼",
    0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾",
    0x2EEB: "斉", 0x2EEC: "齐", 0x2EED: "歯", 0x2EEE: "齿", 0x2EEF: "竜", 0x2EF0: "龙",
    0x2EF1: "龜", 0x2EF2: "亀",
}
#: A Kangxi radical whose NFKC ideograph is the traditional form while simplified-Chinese fonts
#: draw (and so a browser's PDF spells) the simplified one with that glyph: ⼾ is 户, not 戶.
_SIMPLIFIED_GLYPH = {0x2F3E: "户"}


def _radical_table() -> dict[int, str]:
    import unicodedata

    table: dict[int, str] = {}
    for cp in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if len(mapped) == 1 and mapped != chr(cp):
            table[cp] = mapped
    table.update(_SUPPLEMENT)
    table.update(_SIMPLIFIED_GLYPH)
    return table


RADICALS = _radical_table()
HAS_RADICAL = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5]")


def fold_radicals(s: str) -> str:
    """Kangxi and CJK-supplement radicals → the ideographs they stand for; same length."""
    return s.translate(RADICALS) if HAS_RADICAL.search(s) else s
