"""Label wording: compare a printed table label with the official one, ignoring what does not
count as a wording difference (full/half-width, brackets, punctuation, spacing, the numbering
"（一）"/"1."/"一、", and group captions the extraction glued in front of an item).

What remains after that normalisation is real wording — "其他法律法规禁止公开" against
"其他法律行政法规禁止公开" — and is reported with the similarity so the auditor sees how close
it is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ..textnorm import label_key

_NUM = r"(?:[一二三四五六七八九十]+、?|[(（]?[一二三四五六七八九十]+[)）]|\d{1,2}[.．、]?)"
_GROUPS = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")
_LEAD = re.compile(rf"^(?:{_NUM}|{'|'.join(_GROUPS)})")
_NUM_ONLY = re.compile(rf"^{_NUM}")


@lru_cache(maxsize=8192)
def core(label: str, strip_groups: bool = False) -> str:
    """The label's wording key: ``label_key`` without leading numbering (and, for 表三 item
    rows, without the group caption printed before the item)."""
    k = label_key(label)
    pat = _LEAD if strip_groups else _NUM_ONLY
    prev = None
    while k and k != prev:
        prev = k
        m = pat.match(k)
        if m and m.end() < len(k):
            k = k[m.end():]
    return k


def same(printed: str, official: str, strip_groups: bool = False) -> bool:
    return core(printed, strip_groups) == core(official, strip_groups)


def similarity(printed: str, official: str, strip_groups: bool = False) -> float:
    return fuzz.ratio(core(printed, strip_groups), core(official, strip_groups))


def keyword_only(printed: str, col) -> bool:
    """The parser kept only the keyword it matched (flattened or re-flowed text has no cell
    borders), so the printed wording is unknown and cannot be judged."""
    return label_key(printed) in {label_key(k) for k in col.keywords}


def truncated(printed: str, official: str, strip_groups: bool = False) -> bool:
    """The printed label is the official one cut short, as a label wrapped onto a second line
    in a PDF's text layer reads: a wording difference only in appearance."""
    p, o = core(printed, strip_groups), core(official, strip_groups)
    return len(p) >= 4 and len(p) < len(o) and o.startswith(p)
