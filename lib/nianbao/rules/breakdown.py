"""Stated totals in the prose against their own listed breakdown (NARR-BREAKDOWN).

Why a module of its own: unlike the other narrative rules it needs no table — the prose
contradicts itself ("主动公开47条，其中…5条、38条…" adding to 76), which is what the legacy
reports without a 表三 most often get wrong. Completeness is read from the sentence, because a
其中 list is often partial (docs/narrative.md).
"""
from __future__ import annotations

import re

from ..findings import Finding
from ..prose.sentences import sentences
from .registry import rule

#: The stated total, in either word order: 主动公开(政府)信息N条 or (政府)信息主动公开N条.
_TOTAL = (r"(?:(?:主动公开|公开)(?:了)?(?:当年生成的|本年度)?(?:各类|各种)?(?:政府|政务)?信息"
          r"|(?:政府|政务)?信息主动公开(?:了)?)(?:共|共计|合计|总数)?")
_BD_TOTAL = re.compile(_TOTAL + r"(?P<n>\d+)(?P<u>条|件|份|篇)(?P<tail>[,，]?\s*其中[,，:：]?)")
_BD_HEADER = re.compile(r"在[^，。,；;]{0,24}?公开的(?:政府|政务)?(?:信息)?(?P<n>\d+)(?P<u>条|件|份|篇)(?:政府|政务)?(?:信息)?中[,，]?")
_BD_ITEM = re.compile(r"(?P<label>[\u4e00-\u9fff“”、]{2,32}?)(?:信息)?(?:共|有)?(?P<n>\d+)(?P<u>条|件|份|篇)")
#: An item that names the whole again (with a property) is not one of its parts.
_RESTATED = re.compile(r"^(?!.*其[他它]).*(?:信息数|电子化|总数)")
_BD_COMPLETE = re.compile(r"分别(?:为|是)|依次为|具体为|共分为")


def _items(s: str, pos: int, unit: str):
    """The list items "label N unit" from ``pos``: (parts, shares, end)."""
    parts, shares = [], 0
    while True:
        im = _BD_ITEM.match(s, pos)
        if im is None or im.group("u") != unit:
            break
        label = im.group("label").strip("、“”")
        if not _RESTATED.search(label):  # 全文电子化的主动公开信息数N: a property of the whole
            parts.append((label, int(im.group("n")), im.span("n")))
        pos = im.end()
        sh = re.match(r"[,，]?\s*(?:占|约占)(?:比)?\d+(?:\.\d+)?%", s[pos:])
        if sh:
            shares += 1
            pos += sh.end()
        if pos < len(s) and s[pos] in "，,；;、":
            pos += 1
    return parts, shares, pos


_BD_PLAIN = re.compile(r"(?<!累计)(?<!历年)(?:主动公开(?:了)?(?:各类)?(?:政府|政务)?信息|(?:政府|政务)?信息主动公开)"
                       r"(?:共|共计|合计)?(?P<n>\d+)(?P<u>条|件|份|篇)")
#: A sentence naming the categories of what was published ("主动公开类别主要涉及A、B、C。"): a
#: later 其中 list whose items are exactly those categories presents itself as the whole.
_BD_KINDS = re.compile(r"(?:类别|类型|种类|内容)(?:主要)?(?:涉及|包括|包含|有|为|是)[:：]?"
                       r"(?P<kinds>[\u4e00-\u9fff]{2,12}(?:[、，,][\u4e00-\u9fff]{2,12}){1,15})")
_BD_LEAD = re.compile(r"其中[,，:：]?")


#: ``complete`` when the list is the whole because its items are the categories named before.
NAMED = "named"


def _names_every_kind(parts, kinds: list[str]) -> bool:
    """Whether the items are exactly the categories named before: one item per category, each
    item's label holding its category (公示公告类159条 for 公示公告) or the reverse."""
    if len(parts) != len(kinds):
        return False
    labels = [p[0] for p in parts]
    return all(any(k in lab or lab.rstrip("类信息") in k for lab in labels) for k in kinds)


def breakdowns(sent_text: str, previous: tuple[int, str] | None = None,
               kinds: list[str] | None = None):
    """(total, unit, parts, complete, span) for each "N条，其中a条、b条…" or "在公开的N条信息中，
    a条…" in a sentence; with ``previous`` (a total stated in the sentence before), also a
    sentence of its own that opens the list with 其中. ``parts`` is [(label, value, span)];
    ``complete`` says the sentence presents the list as the whole: a header "在…N条…中", 分别为, a
    catch-all 其他 item, or a share (占P%) on every item; a 其中 sentence of its own also when its
    items are exactly the ``kinds`` an earlier sentence named ("类别涉及A、B、C"). A plain 其中
    list is often partial."""
    s = sent_text
    found = False
    for rx, header in ((_BD_TOTAL, False), (_BD_HEADER, True)):
        for m in rx.finditer(s):
            total, unit = int(m.group("n")), m.group("u")
            parts, shares, pos = _items(s, m.end(), unit)
            if len(parts) < 2:
                continue
            found = True
            complete = header or bool(_BD_COMPLETE.search(s[m.start():pos])) or shares == len(parts) \
                or any(p[0].startswith(("其他", "其它")) for p in parts)
            if s.startswith("等", pos) or s.startswith("等", pos - 1):
                complete = False  # "…51条等": the list says itself it is not the whole
            yield total, unit, parts, complete, (m.start(), pos)
    if not found and previous is not None and not _BD_PLAIN.search(s):
        lead = _BD_LEAD.search(s)
        if lead:
            total, unit = previous
            parts, shares, pos = _items(s, lead.end(), unit)
            if len(parts) >= 2:
                complete = shares == len(parts) or any(p[0].startswith(("其他", "其它")) for p in parts) \
                    or (NAMED if kinds is not None and _names_every_kind(parts, kinds) else False)
                if s.startswith("等", pos) or s.startswith("等", pos - 1):
                    complete = False
                yield total, unit, parts, complete, (lead.start(), pos)


@rule("NARR-BREAKDOWN", title="正文所列分项之和等于所述总数", severity="error", basis="STRUCT",
      source="issue 9 (HAND-CHECKED corpus defects); R11", family="narrative")
def narr_breakdown(report, ctx):
    """A total stated with its own breakdown ("主动公开N条，其中a条、b条…") must equal the sum of
    the items when the sentence presents the list as complete (在公开的N条信息中…, 分别为, a
    catch-all 其他 item, a share on every item): error. A plain 其中 list may be partial, so a sum
    that differs is a warning (above the total) or left alone (below it)."""
    out = []
    previous, left, kinds = None, 0, None
    for sent in sentences(report):
        for total, unit, parts, complete, (a, b) in breakdowns(sent.text, previous,
                                                               kinds and kinds[0]):
            got = sum(v for _, v, _ in parts)
            if got == total or (not complete and got < total):
                continue
            # categories named as the "main" ones (主要涉及…) make the list the whole, hedged
            hedged = complete == NAMED and kinds is not None and kinds[1]
            sev = "error" if complete and not hedged else "warning"
            items = "+".join(f"{lab}{v}" for lab, v, _ in parts[:12])
            span = sent.doc_span(a, b)
            out.append(Finding(severity=sev,
                               message=f"正文所述总数{total}{unit}与所列分项之和{got}{unit}不符（{items}）"
                               + ("" if complete else "；“其中”所列可能不全，请核实"),
                               location={"section": sent.section, "line": report.document.line_of(span[0]),
                                         "span": span},
                               expected=total, actual=got, quote=sent.quote(),
                               details={"parts": [{"label": lab, "value": v} for lab, v, _ in parts],
                                        "complete": bool(complete),
                                        **({"categories": kinds[0]} if complete == NAMED else {})}))
        plain = list(_BD_PLAIN.finditer(sent.text))
        named = _BD_KINDS.search(sent.text) if previous is not None and not plain else None
        if plain:  # a total stays the referent of a later 其中 for two sentences (a sub-heading between)
            previous, left, kinds = (int(plain[-1].group("n")), plain[-1].group("u")), 2, None
        elif named:  # the categories of that total: the 其中 list may follow in the next sentence
            kinds = ([k for k in re.split(r"[、，,]", named.group("kinds")) if k],
                     "主要" in sent.text[max(0, named.start() - 4):named.end()])
            left = 2
        elif previous is not None:
            left -= 1
            previous = previous if left > 0 else None
            kinds = kinds if left > 0 else None
    return out
