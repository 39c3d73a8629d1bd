"""Report text as comparable units: sentences, normalised so that a copy compares equal.

A copied sentence differs from its source in what changes every year or every agency: the
numbers, the year, the spacing and punctuation of the page it was scraped from, and the agency's
own name. Normalisation drops whitespace and punctuation, writes every digit run as ``0`` and
replaces the report's own agency name (and its name without the place) with one mark, so that
"本局2023年共主动公开信息152条" and last year's "本局2022年共主动公开信息98条" are the same unit
while the raw sentence is kept for display and for the name checks.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_ENDS = "。！？；;!?"  # a sentence ends after one of these (or at a line break)
#: What a normalised unit drops: whitespace and the punctuation and symbol blocks reports use
#: (ASCII, Latin-1, general punctuation, arrows and shapes, CJK symbols, full-width forms). An
#: explicit class rather than ``\W``: several times faster over millions of sentences.
_DROP = re.compile(r"[\s!-/:-@\[-`{-~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u27bf"
                   r"\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40"
                   r"\uff5b-\uff65]+")
_DIGITS = re.compile(r"\d+")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}年")
_SEP = "\ua66e"  # a letter (kept by the normalisation) that no report prints
OWN = "〇"  # stands for the report's own agency in a normalised unit
#: Units shorter than this (normalised characters) are left out: headings, table cells,
#: "无。" — they repeat everywhere and say nothing about copying.
MIN_UNIT = 10


class Unit(NamedTuple):
    section: int  # 1–6; 0 before the first section
    raw: str  # the sentence as printed (stripped)
    norm: str  # normalised (see the module docstring)


class Units:
    """A report's units as three parallel lists (a batch of 100k reports has millions of
    sentences: objects are made only for the ones looked at, ``units[i]``)."""

    __slots__ = ("sections", "raws", "norms")

    def __init__(self, sections: list[int], raws: list[str], norms: list[str]):
        self.sections, self.raws, self.norms = sections, raws, norms

    def __len__(self) -> int:
        return len(self.norms)

    def __getitem__(self, i: int) -> Unit:
        return Unit(self.sections[i], self.raws[i], self.norms[i])

    def __iter__(self):
        return map(Unit, self.sections, self.raws, self.norms)


def normalise(text: str, own_names: tuple[str, ...] = ()) -> str:
    s = _CN_YEAR.sub("0年", text) if ("〇" in text or "○" in text or "零" in text) else text
    for n in own_names:
        if n:
            s = s.replace(n, OWN)
    s = _DROP.sub("", s)
    return _DIGITS.sub("0", s)


def own_names(agency: str | None) -> tuple[str, ...]:
    """The agency's name and its name without the leading places, longest first."""
    if not agency:
        return ()
    from ..prose.places import prefix_names

    places = prefix_names(agency)
    rest = agency[sum(len(p) for p in places):]
    names = {agency}
    if len(rest) >= 2:
        names.add(rest)
    return tuple(sorted(names, key=len, reverse=True))


def units(sections: list[dict], agency: str | None = None) -> Units:
    """The sentences of a report's sections (``[{number, text}]``), in order, normalised."""
    names = own_names(agency)
    nums, raws = [], []
    for s in sections:
        num = s.get("number") if isinstance(s.get("number"), int) else 0
        text = s.get("text") or ""
        for p in _ENDS:  # a line break after each sentence end, then split (fast, in C)
            if p in text:
                text = text.replace(p, p + "\n")
        for piece in text.split("\n"):
            raw = piece.strip()
            if raw:
                raws.append(raw)
                nums.append(num)
    if not raws:
        return Units([], [], [])
    # one normalisation pass per report, the sentences joined by a letter that the
    # normalisation keeps (much faster than one pass per sentence)
    norms = normalise(_SEP.join(raws), names).split(_SEP)
    if len(norms) != len(raws):  # the separator occurs in the text itself
        norms = [normalise(r, names) for r in raws]
    keep = [i for i, m in enumerate(norms) if len(m) >= MIN_UNIT]
    return Units([nums[i] for i in keep], [raws[i] for i in keep], [norms[i] for i in keep])
