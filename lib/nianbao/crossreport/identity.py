"""Which reports of a batch belong to the same agency: one key per agency, reports lined up by year.

Why this is not string equality: the same body prints its name in several ways from year to
year — with or without the higher-level place (洪泽区人民政府 / 淮安市洪泽区人民政府), with the
common short forms (管委会 / 管理委员会, 科委 / 科学技术委员会), or without any place at all on a
crawled page (公安局 beside 平潭县公安局) — and renamed bodies keep their history. The key is
the innermost administrative place (``nianbao.prose.places.prefix_names``, a regex split, so
fictitious names work) followed by the rest of the name with the short forms expanded; a name
with no place joins the one agency of the batch with the same rest, if there is exactly one;
and the configuration's ``agency_aliases`` (name as printed or key → canonical name) settles
renames and anything else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..prose.places import prefix_names

#: Standard short forms of agency names, expanded before comparing (full form is the key).
SHORT_FORMS = (("管委会", "管理委员会"), ("科委", "科学技术委员会"), ("发改委", "发展和改革委员会"),
               ("工商局", "工商行政管理局"), ("安监局", "安全生产监督管理局"),
               ("市监局", "市场监督管理局"), ("卫健委", "卫生健康委员会"))
_NOISE = re.compile(r"[\s\u3000（）()【】\[\]<>《》“”\"'·,，、]")


def _clean(name: str) -> str:
    s = _NOISE.sub("", name or "")
    for short, full in SHORT_FORMS:
        if short in s and full not in s:
            s = s.replace(short, full)
    return s


def split_name(name: str) -> tuple[str, str]:
    """(innermost place, the rest) of a cleaned agency name: 淮安市洪泽区人民政府 → (洪泽区, 人民政府)."""
    s = _clean(name)
    places = prefix_names(s)
    rest = s[sum(len(p) for p in places):]
    return (places[-1] if places else ""), rest


def agency_key(name: str, aliases: dict[str, str] | None = None) -> str:
    """The identity key of one printed name (aliases applied first, to the printed and the
    cleaned form, so an alias may be written either way)."""
    aliases = aliases or {}
    target = aliases.get(name) or aliases.get(_clean(name)) or name
    place, rest = split_name(target)
    return place + rest


@dataclass
class Agency:
    """One agency of the batch: its key, the names it printed, its reports by year."""

    key: str
    names: list[str] = field(default_factory=list)  # as printed, most recent last
    years: dict[int, list[str]] = field(default_factory=dict)  # year -> entry ids

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else self.key

    def missing_years(self) -> list[int]:
        """Years inside the agency's run that the batch has no report for."""
        ys = sorted(self.years)
        return [y for y in range(ys[0], ys[-1] + 1) if y not in self.years] if ys else []


def group(entries, aliases: dict[str, str] | None = None) -> dict[str, Agency]:
    """Agencies of ``entries`` (objects with ``id``, ``agency``, ``year``), keyed by identity.
    Entries without an agency name or a year are left out (they cannot be lined up)."""
    keyed = []
    for e in entries:
        if not e.agency or e.year is None:
            continue
        keyed.append((agency_key(e.agency, aliases), e))
    # a name without a place joins the one placed agency with the same rest
    placed: dict[str, set[str]] = {}
    for k, e in keyed:
        place, rest = split_name(k)
        if place:
            placed.setdefault(rest, set()).add(k)
    out: dict[str, Agency] = {}
    for k, e in sorted(keyed, key=lambda ke: (ke[1].year, ke[1].id)):
        place, rest = split_name(k)
        if not place and len(placed.get(rest, ())) == 1:
            k = next(iter(placed[rest]))
        a = out.setdefault(k, Agency(k))
        if e.agency not in a.names:
            a.names.append(e.agency)
        elif a.names[-1] != e.agency:
            a.names.remove(e.agency)
            a.names.append(e.agency)
        a.years.setdefault(e.year, []).append(e.id)
    return out
