"""High-precision wording slips: a short confusion list, doubled words, traditional characters,
half-width punctuation inside Chinese.

Why a list and not a corrector: the offline correctors either pull in torch and still try to
download models, or are a dictionary replace (spec/narrative-checks.md §3.5). A short list with
context catches the slips that actually occur (做为, 截止+date, 不子公开) without noise; grammar
slips such as a stray 的 are left to the human reviewer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: (pattern, correct form). Patterns carry their context so ordinary words stay unflagged.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    (r"截止(?=\s*(?:\d{4}\s*年|目前|\d{1,2}\s*月|发文))", "截至"),
    (r"做为", "作为"),
    (r"部份", "部分"),
    (r"登陆(?=[^。，,]{0,6}(?:网站|平台|系统|门户))", "登录"),
    (r"既使", "即使"),
    (r"帐号", "账号"),
    (r"按装", "安装"),
    (r"暴光", "曝光"),
    (r"侯选", "候选"),
    (r"再接再励", "再接再厉"),
    (r"一如继往", "一如既往"),
    (r"迫不急待", "迫不及待"),
    (r"不子(?=公开|处理|受理|答复)", "不予"),
    (r"给子(?=公开|答复|处理)", "给予"),
    (r"(?<=予以)公井", "公开"),
)
_CONF = [(re.compile(p), right) for p, right in CONFUSIONS]
#: A doubled word: 的的, or a repeated 2–4 character word (结果结果). Single-character
#: reduplication other than particles (天天, 常常) is normal Chinese.
_DOUBLED = re.compile(r"(的|了|和|在|是)\1|([\u4e00-\u9fff]{2,4})\2")
_DOUBLED_OK = {"研究研究", "学习学习", "谢谢"}
_HALF_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff])[,;:](?=[\u4e00-\u9fff])")


@dataclass
class Slip:
    start: int  # compact offsets in the sentence
    end: int
    found: str
    suggestion: str
    kind: str  # confusion | doubled


def slips(text: str) -> list[Slip]:
    out = []
    for rx, right in _CONF:
        for m in rx.finditer(text):
            out.append(Slip(m.start(), m.end(), m.group(0), right, "confusion"))
    for m in _DOUBLED.finditer(text):
        if m.group(0) not in _DOUBLED_OK:
            word = m.group(1) or m.group(2)
            out.append(Slip(m.start(), m.end(), m.group(0), word, "doubled"))
    return out


def half_width_punct(raw: str) -> list[re.Match]:
    """Half-width , ; : between Chinese characters in the *raw* text (not the normalized one)."""
    return list(_HALF_PUNCT.finditer(raw))


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def _is_traditional(ch: str) -> bool:
    return _t2s().convert(ch) != ch


def traditional_chars(text: str) -> dict[str, str]:
    """Traditional-only characters in a simplified text, with their simplified form (瀘→泸)."""
    out = {}
    for ch in set(text):
        if "\u4e00" <= ch <= "\u9fff" and _is_traditional(ch):
            out[ch] = _t2s().convert(ch)
    return out
