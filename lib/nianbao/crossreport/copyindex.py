"""The copy index of a batch: which reports share which sentences, without comparing every pair.

Three steps, each linear in the batch:

1. Every report's sentences are normalised (``units``) and hashed. A sentence printed by many
   agencies is the genre's common text — the format's own phrases, the region's template — and
   is *learned from the batch*, not listed by hand: it is common when at least
   ``max(common_min, ceil(common_share × agencies))`` agencies print it (never more than
   ``COMMON_CAP`` agencies are required, so a huge batch still recognises its template). Common
   sentences are removed before anything is measured.
2. An inverted index of the remaining sentences gives the pairs of reports that share at least
   one of them (each posting list is short by construction: a long one would be common).
3. datasketch ``MinHashLSH`` over signatures of each report's remaining text (``sketch``) adds
   the pairs of reports that are largely the same text even where every sentence was touched.

Only those candidate pairs are aligned (``align``): exact matches of normalised sentences, then,
for texts related at all (an exact match or an LSH near-duplicate), near matches (rapidfuzz ratio
≥ ``FUZZY``) among the rest.
"""
from __future__ import annotations

import contextlib
import gc
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from . import sketch
from .units import Units, units

COMMON_CAP = 100
#: Jaccard similarity (5-character shingles of the remaining text) from which two reports are
#: candidates as a whole: reports of one genre share much vocabulary, so lower thresholds
#: return most of the batch as "candidates"; partial copies are found by the sentence index.
NEAR_THRESHOLD = 0.7
FUZZY = 90  # rapidfuzz ratio for a near match of two sentences


@contextlib.contextmanager
def no_cyclic_gc():
    """Pause Python's cyclic garbage collector while the index is built: a batch of 100k reports
    makes millions of small lists and strings, none in a reference cycle, and every full
    collection would walk all of them again (reference counting still frees everything)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class Match:
    mine: int  # unit index in the first report
    theirs: int  # unit index in the second report
    score: float  # 100 for an exact match of the normalised sentences


@dataclass
class Alignment:
    """The sentences of report ``a`` that repeat sentences of report ``b`` (common text excluded)."""

    a: str
    b: str
    matches: list[Match] = field(default_factory=list)

    def matched(self) -> set[int]:
        return {m.mine for m in self.matches}


class CopyIndex:
    def __init__(self):
        self.units: dict[str, Units] = {}
        self.common: set[str] = set()  # normalised sentences common to the batch
        self.common_min_agencies = 0
        self.pairs: set[tuple[str, str]] = set()  # candidate pairs (sorted ids)
        self.shared: dict[tuple[str, str], int] = {}  # pair -> exactly shared characters
        self.near: set[tuple[str, str]] = set()  # of which: from the LSH
        self._hash_pos: dict[str, dict[str, list[int]]] = {}

    # ---------------------------------------------------------------- building
    @classmethod
    def build(cls, batch, agency_of: dict[str, str], common_share: float,
              common_min: int) -> "CopyIndex":
        with no_cyclic_gc():
            return cls._build(batch, agency_of, common_share, common_min)

    @classmethod
    def _build(cls, batch, agency_of: dict[str, str], common_share: float,
               common_min: int) -> "CopyIndex":
        idx = cls()
        ids = [e.id for e in batch.entries if e.has_text]
        for e in batch.entries:
            if e.has_text:
                idx.units[e.id] = units(e.sections, e.agency)
        agency = {rid: agency_of.get(rid, f"#{rid}") for rid in ids}
        n_agencies = len(set(agency.values()))
        need = max(common_min, min(math.ceil(common_share * n_agencies), COMMON_CAP))
        idx.common_min_agencies = need
        # 1. who prints each normalised sentence
        postings: dict[str, list[str]] = defaultdict(list)
        for rid in ids:
            for norm in set(idx.units[rid].norms):
                postings[norm].append(rid)
        # 2. common sentences; pairs sharing one that is not common, with the characters
        shared = idx.shared
        for norm, rids in postings.items():
            if len(rids) < 2:
                continue
            if len(rids) >= need and len({agency[r] for r in rids}) >= need:
                idx.common.add(norm)
                continue
            rids = sorted(rids)
            size = len(norm)
            for i in range(len(rids)):
                for j in range(i + 1, len(rids)):
                    pair = (rids[i], rids[j])
                    shared[pair] = shared.get(pair, 0) + size
        idx.pairs.update(shared)
        # 3. near-duplicate texts
        common = idx.common
        texts = ["".join(n for n in idx.units[rid].norms if n not in common) for rid in ids]
        if len(texts) > 1:
            sig = sketch.signatures(texts)
            for i, j in sketch.near_pairs(sig, NEAR_THRESHOLD):
                pair = tuple(sorted((ids[i], ids[j])))
                idx.near.add(pair)
                idx.pairs.add(pair)
        return idx

    # ---------------------------------------------------------------- queries
    def remaining(self, rid: str) -> list[int]:
        """Indexes of the report's units that are not common text."""
        u = self.units.get(rid)
        return [] if u is None else [i for i, n in enumerate(u.norms) if n not in self.common]

    def align(self, a: str, b: str) -> Alignment:
        """Which remaining sentences of ``a`` repeat remaining sentences of ``b``."""
        from rapidfuzz import fuzz, process

        al = Alignment(a, b)
        if a not in self.units or b not in self.units:  # a result without text
            return al
        ua, ub = self.units[a].norms, self.units[b].norms
        ra, rb = self.remaining(a), self.remaining(b)
        pos_b: dict[str, int] = {}
        for j in rb:
            pos_b.setdefault(ub[j], j)
        rest_a = []
        for i in ra:
            j = pos_b.get(ua[i])
            if j is not None:
                al.matches.append(Match(i, j, 100.0))
            else:
                rest_a.append(i)
        used = {m.theirs for m in al.matches}
        rest_b = [j for j in rb if j not in used]
        # near matches only where the two texts are related at all (an exact sentence in
        # common, or near-duplicates by the LSH): a copy edited throughout is the latter, and
        # unrelated reports would otherwise cost a full comparison for nothing
        related = bool(al.matches) or tuple(sorted((a, b))) in self.near
        if rest_a and rest_b and related:
            scores = process.cdist([ua[i] for i in rest_a], [ub[j] for j in rest_b],
                                   scorer=fuzz.ratio, score_cutoff=FUZZY, dtype=np.uint8)
            for r, i in enumerate(rest_a):
                c = int(np.argmax(scores[r]))
                if scores[r, c] >= FUZZY:
                    al.matches.append(Match(i, rest_b[c], float(scores[r, c])))
        al.matches.sort(key=lambda m: m.mine)
        return al

    def partners(self, rid: str) -> list[str]:
        """The reports that share text with ``rid`` (candidate pairs)."""
        return sorted({b if a == rid else a for a, b in self.pairs if rid in (a, b)})

    def by_report(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for a, b in sorted(self.pairs):
            out[a].append(b)
            out[b].append(a)
        return out
