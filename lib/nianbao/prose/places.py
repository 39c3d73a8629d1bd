"""Administrative-area names: the gazetteer, the agency's own area, and foreign names in prose.

Why this shape (spec/narrative-checks.md §2.3): a name of another area in a report is the
commonest sign of a report copied from another agency (the seed's 苏仙区政府网). Address parsers
match short and generic names (城区, 和县, 朝阳) and flood prose with false hits, so the scan
here only takes names of three or more characters, longest first, drops generic words and
names that run into a longer word (和平区域), and counts as "own" the agency's area, its
ancestors and its descendants. The agency's area comes from the gazetteer *and* from a regex
split of the name's administrative prefix, so fictitious or pseudonymised names (瀘河回族区)
still work.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "gazetteer.csv"

#: Official names that are also ordinary words in reports.
GENERIC = frozenset({"新城区", "老城区", "市辖区", "市中区", "中心区", "城关区", "开发区", "高新区", "郊区",
                     "矿区", "新区", "城区", "东区", "西区", "南区", "北区", "中区", "县级市"})
#: Suffixes that end an area name; the stem before them identifies the area (平潭 → 平潭县).
SUFFIXES = ("特别行政区", "综合实验区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区", "地区", "省",
            "市", "区", "县", "旗", "盟")
_PREFIX = re.compile(r"(.+?(?:特别行政区|综合实验区|自治区|自治州|自治县|自治旗|新区|省|地区|盟|市|区|县|旗))")
#: After a name these characters make it part of a longer word (和平区域, 嘉兴市场).
_RIGHT_BLOCK = {"区": "域块间位别分划内外", "县": "域城级", "市": "场民值面容级"}
_NOT_PLACE_AFTER = re.compile(r"路|大道|大街|公司|银行|支行|分行")
#: An institutional word right after a name: the text speaks *as* that area.
INSTITUTIONAL = re.compile(r"(?:人民政府|政府网|政府|门户网站|区委|县委|市委|州委|党委|党工委|管委会|政务|信息公开|网站|本级|"
                           r"[\u4e00-\u9fff]{0,6}?(?:局|委员会|办公室))")
_TITLE = re.compile(r"(?P<agency>[^\s，。,；;《》“”:：]{2,40}?)(?:[（(]?(?:19|20)\d{2}[）)]?|[二〇一三四五六七八九零]{4})年度?"
                    r"(?:政府信息公开|政务公开|信息公开)")
_TITLE2 = re.compile(r"(?:19|20)\d{2}年度?(?P<agency>[^\s，。,；;《》“”:：]{2,40}?)(?:政府信息公开|政务公开)")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    type: str
    level: int  # 1 province, 2 prefecture, 3 county
    parent: str
    retired: bool


@dataclass
class Gazetteer:
    by_code: dict[str, Place]
    by_name: dict[str, list[Place]]
    children: dict[str, list[str]]

    def ancestors(self, code: str) -> list[Place]:
        out = []
        p = self.by_code.get(code)
        while p is not None and p.parent:
            p = self.by_code.get(p.parent)
            if p is not None:
                out.append(p)
        return out

    def descendants(self, code: str) -> list[Place]:
        out, todo = [], list(self.children.get(code, ()))
        while todo:
            c = todo.pop()
            out.append(self.by_code[c])
            todo.extend(self.children.get(c, ()))
        return out

    def with_stem(self, stem: str) -> list[Place]:
        return [p for s in SUFFIXES for p in self.by_name.get(stem + s, ())]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    by_code: dict[str, Place] = {}
    by_name: dict[str, list[Place]] = {}
    children: dict[str, list[str]] = {}
    with open(DATA, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            p = Place(row["code"], row["name"], row["type"], int(row["level"]), row["parent"],
                      row["status"] == "retired")
            key = p.code if p.code not in by_code else p.code + "/" + p.name
            by_code[key] = p
            by_name.setdefault(p.name, []).append(p)
            if p.parent and not p.retired:
                children.setdefault(p.parent, []).append(key)
    return Gazetteer(by_code, by_name, children)


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick

    a = ahocorasick.Automaton()
    for name in gazetteer().by_name:
        if len(name) >= 3 and name not in GENERIC:
            a.add_word(name, name)
    a.make_automaton()
    return a


# ------------------------------------------------------------------ own area
def agency_name(report) -> str:
    """The reporting agency: parsed ``agency``, else taken from the title or the first lines."""
    if report.agency:
        return report.agency
    for t in (report.title, report.document.meta.get("title"), _head(report.document.text)):
        if t:
            ms = [m for m in (_TITLE.search(t), _TITLE2.search(t)) if m]
            if ms:
                m = min(ms, key=lambda m: m.start("agency"))
                return _drop_noise(m.group("agency"))
    return ""


def _drop_noise(agency: str) -> str:
    return re.sub(r"^(?:正文|标题)", "", agency).strip(" 　:：")


def _head(text: str) -> str:
    """The first lines joined: PDF titles are split over two lines."""
    return "".join("".join(ln.split()) for ln in text[:600].split("\n")[:12])


def prefix_names(agency: str) -> list[str]:
    """Leading administrative names of an agency string: 淮安市洪泽区人民政府 → [淮安市, 洪泽区].
    A regex split, not a lookup, so fictitious or pseudonymised names (瀘河回族区) work too."""
    out, rest = [], agency
    while rest:
        m = _PREFIX.match(rest)
        if not m:
            break
        name = m.group(1)
        if len(name) > (12 if not out else 8) or name in GENERIC or name in ("城市", "人民政府"):
            break
        out.append(name)
        rest = rest[m.end():]
    return out


def _stem(name: str) -> str:
    for s in SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


@dataclass
class OwnArea:
    agency: str
    names: set[str]  # own names as printed (incl. fictitious ones)
    places: list[Place]  # gazetteer entries of the own area
    allowed: set[str]  # names that are not foreign: own, ancestors, descendants


@lru_cache(maxsize=256)
def own_area(agency: str) -> OwnArea:
    g = gazetteer()
    names = set(prefix_names(agency))
    for end, name in _automaton().iter(agency):  # gazetteer names inside the agency string
        names.add(name)
    cands: list[list[Place]] = []
    for n in sorted(names):
        found = list(g.by_name.get(n, ())) or g.with_stem(_stem(n))
        if found:
            cands.append(found)
    places = _resolve(cands, g)
    allowed = set(names)
    for p in places:
        allowed.add(p.name)
        allowed.update(a.name for a in g.ancestors(p.code))
        allowed.update(d.name for d in g.descendants(p.code))
        allowed.update(q.name for q in g.with_stem(_stem(p.name)))  # 洪泽县 → 洪泽区
    return OwnArea(agency, names, places, allowed)


def agency_area(report, agency: str) -> OwnArea:
    """The agency's area from its name; where the name holds no place (a title of just 公安局),
    from the publisher the page names (a portal's 发布机构: 平潭县公安局办公室) when that publisher
    is the agency or its office. Without either, the area is unknown (no names)."""
    own = own_area(agency)
    publisher = report.document.meta.get("publisher") or ""
    if own.names or not agency or agency not in publisher:
        return own
    theirs = own_area(publisher)
    return theirs if theirs.names else own


def _resolve(cands: list[list[Place]], g: Gazetteer) -> list[Place]:
    """Pick, for an ambiguous name (鼓楼区 ×4), the candidates whose chain meets the others."""
    out = []
    for group in cands:
        if len(group) == 1:
            out.extend(group)
            continue
        others = {p.code for grp in cands if grp is not group for p in grp}
        fit = [p for p in group if others & {a.code for a in g.ancestors(p.code)}]
        out.extend(fit or group)
    return out


# ------------------------------------------------------------------ scanning prose
@dataclass
class Mention:
    name: str
    start: int  # in the scanned string
    end: int
    places: list[Place]
    institutional: str | None  # the institutional word right after, if any
    retired: bool


def mentions(text: str) -> list[Mention]:
    """Gazetteer names (≥ 3 characters) in ``text``, longest first, without overlaps."""
    g = gazetteer()
    hits = sorted(((end - len(n) + 1, end + 1, n) for end, n in _automaton().iter(text)),
                  key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[Mention] = []
    last = -1
    for a, b, n in hits:
        if a < last:
            continue
        nxt = text[b:b + 1]
        if nxt and nxt in _RIGHT_BLOCK.get(n[-1], ""):
            continue
        if _NOT_PLACE_AFTER.match(text, b):
            continue
        longer = any(h[0] < a < h[1] or (h[0] <= a and h[1] > b) for h in hits if h[2] != n)
        if longer:
            continue
        inst = INSTITUTIONAL.match(text, b)
        ps = g.by_name[n]
        out.append(Mention(n, a, b, ps, inst.group(0) if inst else None,
                           all(p.retired for p in ps)))
        last = b
    return out


def foreign(mention: Mention, own: OwnArea) -> bool:
    """A name that is neither the agency's area nor an ancestor or descendant of it."""
    if mention.name in own.allowed or _stem(mention.name) in {_stem(n) for n in own.names}:
        return False
    return True
