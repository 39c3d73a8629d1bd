"""Copy rules: text repeated from the agency's previous report, or shared with another agency.

Both measure only what is left after the batch's common text is removed (``copyindex``): the
format's phrases and a region's template are printed by everyone and prove nothing. What is left
and repeated is shown side by side (``details.passages``: this report's sentence, the other's).

A passage shared between two agencies is suspicious in both reports, but it is the report that
carries the *other* agency's name or place in the shared text that was copied with the name left
in — that report gets an error; the other a warning.
"""
from __future__ import annotations

from ..findings import Finding
from ..prose.places import prefix_names
from ..rules.registry import rule
from .continuity import ALIASES, _prev_ref

COMMON = ("thresholds.copy_common_share", "thresholds.copy_common_min")
MAX_PASSAGES = 12
MIN_SECTION = 60  # remaining characters below which a section's share is not judged
SECTION_NAMES = {0: "标题与引言", 1: "一、总体情况", 2: "二、主动公开", 3: "三、依申请公开",
                 4: "四、复议诉讼", 5: "五、问题及改进", 6: "六、其他事项"}


def _index(batch, ctx):
    return batch.copy_index(ctx.option(ALIASES), *(ctx.option(k) for k in COMMON))


def section_shares(idx, al) -> dict[int, tuple[int, int]]:
    """section -> (repeated characters, remaining characters) of report ``al.a``."""
    units = idx.units[al.a]
    hit = al.matched()
    out: dict[int, list[int]] = {}
    for i in idx.remaining(al.a):
        n = len(units.norms[i])
        acc = out.setdefault(units.sections[i], [0, 0])
        acc[1] += n
        if i in hit:
            acc[0] += n
    return {s: (a, b) for s, (a, b) in sorted(out.items())}


def passages(idx, al, limit: int = MAX_PASSAGES) -> list[dict]:
    ua, ub = idx.units.get(al.a, []), idx.units.get(al.b, [])
    return [{"section": ua[m.mine].section, "mine": ua[m.mine].raw, "theirs": ub[m.theirs].raw,
             "score": round(m.score)} for m in al.matches[:limit]]


@rule("COPY-PREV", title="与本机关上一年度报告文字大量重复", severity="warning", basis="HEUR",
      source="spec/annual-report-format.md §5 COPY-PREV；跨年度文字比对", family="crossreport",
      config=(ALIASES, *COMMON, "thresholds.copy_prev_share"), scope="batch")
def copy_prev(batch, ctx):
    """How much of each section repeats the agency's report of the year before, after removing
    the text every report in the batch shares (learned from the batch: a sentence printed by
    ``copy_common_share`` of the agencies, and by at least ``copy_common_min`` of them, is the
    genre's, not the agency's). Sentences are compared with numbers, years and the agency's own
    name masked, so a report re-issued with only the year changed repeats 100%. A warning when
    the whole report repeats at least ``copy_prev_share``; info when only some section
    (of at least 60 remaining characters) does. The repeated sentences are in
    ``details.passages``, each beside last year's."""
    share = ctx.option("thresholds.copy_prev_share")
    idx = _index(batch, ctx)
    for prev, cur in batch.consecutive(ctx.option(ALIASES)):
        if cur.id not in idx.units or prev.id not in idx.units:
            continue
        al = idx.align(cur.id, prev.id)
        secs = section_shares(idx, al)
        rep = sum(a for a, _ in secs.values())
        total = sum(b for _, b in secs.values())
        if not total or not rep:
            continue
        whole = rep / total
        high = {s: a / b for s, (a, b) in secs.items() if b >= MIN_SECTION and a / b >= share}
        if whole < share and not high:
            continue
        worst = max(high or secs, key=lambda s: secs[s][0] / max(secs[s][1], 1))
        parts = "，".join(f"{SECTION_NAMES.get(s, s)} {a / b:.0%}" for s, (a, b) in secs.items()
                         if b >= MIN_SECTION)
        yield Finding(
            message=f"与{prev.year}年报告相比，全文 {whole:.0%} 的文字重复（已除去批次共有文字）"
                    + (f"；各部分：{parts}" if parts else ""),
            severity=None if whole >= share else "info",
            location={"report": cur.id, "section": worst or None},
            expected=f"< {share:.0%}", actual=round(whole, 3),
            quote=al.matches and idx.units[cur.id][al.matches[0].mine].raw or None,
            details={"previous": _prev_ref(prev), "share": round(whole, 3),
                     "sections": {str(s): round(a / b, 3) for s, (a, b) in secs.items() if b},
                     "passages": passages(idx, al)})


def distinctive_names(other, mine, mine_key: str = "") -> list[str]:
    """Names of ``other``'s agency that ``mine`` would not print of itself: its full name, its
    name without places, and its places outside ``mine``'s own (its printed name, its identity
    key — 公安局 of 平潭县 — and its region)."""
    if not other.agency:
        return []
    own = (mine.agency or "") + "|" + mine_key + "|" + (mine.region or "")
    places = prefix_names(other.agency)
    rest = other.agency[sum(len(p) for p in places):]
    names = [other.agency] if other.agency not in own else []
    if len(rest) >= 3 and rest not in own:
        names.append(rest)
    mine_places = {p for n in own.split("|") for p in prefix_names(n)}
    names += [p for p in places if p not in mine_places and p not in own and len(p) >= 3]
    return names


@rule("COPY-PEER", title="与其他机关的报告有相同段落", severity="warning", basis="HEUR",
      source="spec/annual-report-format.md §5；跨机关文字比对（MinHash LSH 索引）",
      family="crossreport",
      config=(ALIASES, *COMMON, "thresholds.copy_peer_chars"), scope="batch")
def copy_peer(batch, ctx):
    """Passages this report shares with another agency's report in the batch (common text
    removed; numbers, years and each report's own name masked; near-identical sentences count),
    when they amount to at least ``copy_peer_chars`` characters. The other report is named and
    linked (``details.other``) and the passages are shown side by side. An error when the shared
    text in this report carries the other agency's name or one of its places — copied with the
    name left in; otherwise a warning (the same finding appears on the other report). Candidate
    pairs come from the copy index (an inverted index of sentences and datasketch MinHash LSH),
    so a batch never compares every pair."""
    least = ctx.option("thresholds.copy_peer_chars")
    aliases = ctx.option(ALIASES)
    idx = _index(batch, ctx)
    agency = batch.agency_of(aliases)
    for rid, others in sorted(idx.by_report().items()):
        me = batch.by_id[rid]
        for oid in others:
            other = batch.by_id[oid]
            if agency.get(rid, rid) == agency.get(oid, oid):
                continue  # the same agency: COPY-PREV's business
            pair = (rid, oid) if rid < oid else (oid, rid)
            if idx.shared.get(pair, 0) < 0.75 * least and pair not in idx.near:
                continue  # a sentence in common by chance: a copied passage keeps more
            al = idx.align(rid, oid)
            chars = sum(len(idx.units[rid][m.mine].norm) for m in al.matches)
            if chars < least:
                continue
            names = distinctive_names(other, me, agency.get(rid, ""))
            carried = [(m, n) for m in al.matches for n in names
                       if n in idx.units[rid][m.mine].raw]
            quote = idx.units[rid][(carried[0][0] if carried else al.matches[0]).mine].raw
            msg = (f"与{other.label}的报告有 {len(al.matches)} 句相同或近似（{chars} 字，已除去批次共有文字）")
            if carried:
                msg += f"，其中写有对方的名称或地名“{carried[0][1]}”"
            yield Finding(
                message=msg, severity="error" if carried else None,
                location={"report": rid, "section": idx.units[rid][al.matches[0].mine].section},
                expected=f"< {least} 字", actual=chars, quote=quote,
                details={"other": {"id": oid, "label": other.label, "href": other.href,
                                   "agency": other.agency, "year": other.year},
                         "names_carried": sorted({n for _, n in carried}),
                         "near_duplicate": tuple(sorted((rid, oid))) in idx.near,
                         "passages": passages(idx, al)})
