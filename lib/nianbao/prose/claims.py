"""Numeric and zero claims in the prose, and the table cells each one speaks of.

Why a cue catalogue with "the nearest cue wins": a sentence such as 办理行政许可事项236件 holds
two cues (办理 → results, 行政许可 → 表二); the cue that starts closest before the number is the
one the number belongs to (spec/narrative-checks.md §1.3). Cues are data (``METRICS``) so adding
a phrasing is a one-line change with a regression sentence in ``tests/test_prose_claims.py``.

A claim is *demoted* (extracted, never compared) when it is comparative (较上年增加6件) or a
subset of a generic metric (其中…); its *scope* is ``sub-unit`` when the sentence speaks for one
office (区政府办代表区政府受理17件), which turns a mismatch into a question for the reviewer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import Quantity, as_wan, quantities
from .sentences import Sentence, sentences

_G = r"(?:政府信息公开|依申请公开|信息公开|公开)?"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Chinese, for messages
    cue: str  # regex; the number follows within GAP characters
    units: tuple[str, ...]
    family: str  # rule that compares it: apps | review | docs | fee | proactive
    generic: bool = False  # a 其中 before it makes it a subset (demoted)


COUNT = ("件", "起", "宗", "个", "项")
METRICS: tuple[Metric, ...] = (
    Metric("apply.new", "收到申请数", r"(?:收到|受理|新收|接收|接到|新增)了?(?:各类|各种)?" + _G
           + r"(?:申请|事项)?|申请(?:的)?(?:量|数|数量|总数|总量)", ("件",), "apps", True),
    Metric("apply.carry_in", "上年结转数", r"上一?年度?结转(?:的)?" + _G + r"(?:申请)?", ("件",), "apps"),
    Metric("apply.carry_out", "结转下年度数", r"(?:结转|转)(?:至|到|入)?(?:下一?年度?|\d{4}年度?)(?:继续办理|办理)?(?:答复)?(?:的)?(?:申请)?(?:有)?",
           ("件",), "apps"),
    Metric("result.total", "办结数", r"(?<!继续)(?:已办结|办结|办理完毕|办理完结|按时答复|按期答复|答复|办理|处理)了?"
           + _G + r"(?:申请|事项)?", ("件",), "apps", True),
    Metric("result.granted_partial", "予以公开及部分公开数",
           r"(?:予以公开|同意公开|全部公开)(?:及|和|与|、|或|以及)部分公开(?:答复)?", ("件",), "apps"),
    Metric("result.granted", "予以公开数", r"(?:予以公开|同意公开|全部公开)(?:答复)?|(?<!部分)(?<!不予)公开答复", ("件",), "apps"),
    Metric("result.partial", "部分公开数", r"(?:区分处理(?:后|的)?(?:部分)?)?部分公开(?:答复)?|区分处理(?:后|的)?公开(?:答复)?",
           ("件",), "apps"),
    Metric("result.withheld", "不予公开数", r"不予公开(?:答复)?", ("件",), "apps"),
    Metric("result.unavailable", "无法提供数", r"无法提供", ("件",), "apps"),
    Metric("result.not_held", "本机关不掌握数", r"(?:本机关|本单位|我局|本局)?不掌握(?:该|相关|所申请的?)?(?:政府)?信息",
           ("件",), "apps"),
    Metric("result.rejected", "不予处理数", r"不予处理", ("件",), "apps"),
    Metric("result.other", "其他处理数", r"其他处理", ("件",), "apps"),
    Metric("review.total", "行政复议数", r"(?:行政)?复议(?:案件|申请)?", COUNT, "review"),
    Metric("suit.total", "行政诉讼数", r"(?:行政)?诉讼(?:案件)?", COUNT, "review"),
    Metric("review.corrected", "复议被纠错数", r"复议(?:被|后)?(?:纠错|纠正)(?:案件)?", ("件", "起"), "review"),
    Metric("suit.corrected", "诉讼被纠错数", r"诉讼(?:被|后)?(?:纠错|纠正|败诉)(?:案件)?", ("件", "起"), "review"),
    Metric("docs.issued", "制发规范性文件数", r"(?:制发|制定|出台|印发)(?:了|的)?(?:行政)?规范性文件",
           ("件", "个", "份"), "docs"),
    Metric("docs.repealed", "废止规范性文件数", r"废止(?:了)?(?:行政)?(?:规范性)?文件", ("件", "个"), "docs"),
    Metric("docs.in_force", "现行有效规范性文件数", r"现行有效(?:的)?(?:行政)?规范性文件", ("件", "个"), "docs"),
    Metric("licensing", "行政许可数", r"行政许可(?:事项|决定|案件)?", COUNT, "docs"),
    Metric("penalty", "行政处罚数", r"行政处罚(?:案件|决定)?", COUNT, "docs"),
    Metric("coercion", "行政强制数", r"行政强制(?:案件|措施|决定)?", COUNT, "docs"),
    Metric("fee", "行政事业性收费金额", r"行政事业性收费(?:金额)?", ("元", "万元"), "fee"),
    Metric("proactive.items", "主动公开信息数", r"主动公开(?:各类)?(?:政府|政务)?信息", ("条", "件", "篇"),
           "proactive", True),
)
METRIC = {m.key: m for m in METRICS}
_CUES = [(m, re.compile(m.cue)) for m in METRICS]
GAP = 12
_BLOCK = re.compile(r"[，,。；;:：]")
#: The kinds of thing a counted phrase may count besides applications, by the nouns that head
#: or modify it (a closed class of objects, not a list of excluded sentences): see
#: ``counted_object`` and docs/narrative.md "What a number counts".
OBJECTS: tuple[tuple[str, str], ...] = (
    ("review", r"复议"), ("suit", r"诉讼"),
    ("petition", r"留言|来信|信访|诉求|建议|提案|投诉|举报"),
    ("consultation", r"咨询"),
    ("call", r"热线|电话|来电"),
    ("visit", r"来访|接待|人次|走访"),
    ("business", r"业务|办件|服务事项|审批"),
)
_OBJECT_RE = [(k, re.compile(rx)) for k, rx in OBJECTS]
#: A rate is not a total: 窗口日均办理业务N件.
_RATE = re.compile(r"日均|月均|周均|平均|每日|每天|每周|每月")
_APPLICATION_LIKE = ("apply.new", "apply.carry_in", "apply.carry_out", "result.total")
_COMPARATIVE = re.compile(r"同比|较上年|比上年|较去年|比去年|较20|比20|增长|下降|增加|减少|上升|累计|历年|环比|回落|提高|降低")
_SUBUNIT = ("代表", "政府办", "办公室", "办公厅")
_POSTFIX_CARRY = re.compile(r"(?:申请)?[^。；;，,\d]{0,10}?(?:顺延|结转|转入)(?:至|到)?下一?年度?")
_PERCENT_AFTER = re.compile(r"[,，]?\s*(?:占|占比|约占)(?:比)?(?:为)?")

# ---- zero claims: 没有…行政复议和诉讼, 未收到…申请, …为零
_NEG = r"(?:未曾|均未|并未|没有|未(?!经|按|能|予|及)|无(?!论|需|法|偿|纸|缝|障碍|关|效|误|一|私|形|限|理|正当))"
_NEG_VERB = r"(?:发生|收到|受理|产生|引发|引起|出现|涉及|接到|办理)?过?(?:任何|一起|一件|一例)?"
_ZERO_OBJS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"(?:行政)?复议[^。；;，,\d]{0,6}?(?:和|及|、|与|或|以及)[^。；;，,\d]{0,6}?(?:行政)?诉讼", ("review.total", "suit.total")),
    (r"行政复议", ("review.total",)),
    (r"行政诉讼", ("suit.total",)),
    (r"依申请公开(?:事项|申请)?|(?:政府)?信息公开申请|公开申请", ("apply.new",)),
)
_ZERO_RE = [(re.compile(_NEG + _NEG_VERB + r"[^。；;，,\n\d]{0,22}?(?:" + obj + ")"), keys)
            for obj, keys in _ZERO_OBJS]
_ZERO_SUFFIX = re.compile(r"(行政复议|行政诉讼|依申请公开|信息公开申请|申请)[^。；;，,\n\d]{0,10}?(?:均为|为|是)(?:零|0)(?![\d.])")
_SUFFIX_KEYS = {"行政复议": ("review.total",), "行政诉讼": ("suit.total",), "依申请公开": ("apply.new",),
                "信息公开申请": ("apply.new",), "申请": ("apply.new",)}
_MAYBE_ZERO = re.compile(r"未|没有|无|为零|为0|是零|维持|胜诉")
_ALL_UPHELD = re.compile(r"(?:均|全部|皆|都)(?:获|被|予以|得到)?(?:维持|胜诉)")


@dataclass
class Claim:
    metric: str
    value: float | None  # None: a malformed number; 万元 for fees
    unit: str
    start: int  # offsets into Document.text of the cue … number
    end: int
    sentence: Sentence
    approx: bool = False
    zero: bool = False  # stated by negation (未发生…), value 0
    comparative: bool = False
    subset: bool = False
    scope: str = "report"  # report | sub-unit
    counted: str | None = None  # None: the metric's own quantity; else what the number counts
    # instead (``counted_object``: petition, business, rate…) — extracted and shown, never compared
    percent: float | None = None  # "…N件，占P%"
    raw: str = ""

    line: int = 0  # line of ``start`` in Document.text

    @property
    def demoted(self) -> bool:
        return self.comparative or self.subset or self.counted is not None

    def to_json(self) -> dict:
        return {"metric": self.metric, "value": self.value, "unit": self.unit,
                "span": [self.start, self.end], "line": self.sentence.line,
                "approx": self.approx, "zero": self.zero, "comparative": self.comparative,
                "subset": self.subset, "scope": self.scope, "percent": self.percent,
                "counted": self.counted}


def extract_sentence(sent: Sentence, agency: str = "") -> list[Claim]:
    """The claims of one sentence (``sent.text`` is half-width, offsets from ``sent.start``)."""
    s = sent.text
    claims: list[Claim] = []
    qs = quantities(s)
    if not qs and not _MAYBE_ZERO.search(s):
        return claims
    cue_hits = _cue_hits(s)
    for q in qs:
        best, obj = _cue_of(s, q, cue_hits)
        if best is not None:
            claims.append(_claim(sent, q, qs, best, obj, agency))
    claims.extend(_zero_claims(sent, claims))
    claims.extend(_upheld_claims(sent))
    return claims


def _cue_hits(s: str) -> list[tuple[int, int, Metric]]:
    """Every cue of every metric in ``s``; a cue inside a longer cue of another metric (部分公开
    in 予以公开及部分公开) is not a cue."""
    hits = [(h.start(), h.end(), m) for m, rx in _CUES for h in rx.finditer(s) if h.end() > h.start()]
    return [c for c in hits if not any(o is not c and o[0] <= c[0] and c[1] <= o[1]
                                       and (o[1] - o[0]) > (c[1] - c[0]) for o in hits)]


def _cue_of(s: str, q: Quantity, cue_hits) -> tuple[tuple | None, str | None]:
    """(the cue the number belongs to, the object it counts when that is not the metric's).
    The cue that starts closest before the number wins; a cue whose counted phrase names another
    object (网民留言…) is kept aside and used only when no other reading exists, with its object,
    so the claim is shown and never compared."""
    best, aside = None, None
    for c in cue_hits:
        a, b, m = c
        if b > q.start or q.start - b > GAP or q.unit not in m.units:
            continue
        gap = s[b:q.start]
        if _BLOCK.search(gap) or re.search(r"\d", gap):
            continue
        if m.key == "apply.new" and s[a:b].startswith("新增") and "申请" not in s[a:a + 8]:
            continue
        if m.key in ("licensing", "penalty", "coercion") and _PUBLISHED.search(s[max(0, a - 3):a]):
            continue  # 发布行政处罚23件: published notices, not decisions
        if m.family == "apps" and counted_object(s, a, q, generic=m.key in _APPLICATION_LIKE) is not None:
            if aside is None or a > aside[0]:
                aside = c
            continue
        if best is None or a > best[0] or (a == best[0] and b > best[1]):
            best = c
    if best is None and q.unit == "件":
        best = _noun_application(s, q)
    if best is None:
        best = _postfix(s, q)
    obj = None
    if best is None and aside is not None:
        best, obj = aside, counted_object(s, aside[0], q, generic=aside[2].key in _APPLICATION_LIKE)
    if best is not None and obj is None and best[2].key in _APPLICATION_LIKE:
        best = _qualified(s, best, cue_hits, q)
    return best, obj


def _claim(sent: Sentence, q: Quantity, qs, best, obj: str | None, agency: str) -> Claim:
    """The claim of number ``q`` under cue ``best``, with what the sentence says about it:
    comparative, a subset (其中…), spoken for a sub-unit, a share (占P%) after it."""
    s = sent.text
    a, b, m = best
    value, unit = q.value, q.unit
    if m.key == "fee" and value is not None:
        value, unit = as_wan(value, q.unit), "万元"
    lo = min(a, q.start)
    claim = Claim(m.key, value, unit, *sent.doc_span(lo, max(b, q.end)), sent,
                  approx=q.approx, raw=s[lo:max(b, q.end)], counted=obj)
    clause_start = max(s.rfind(ch, 0, lo) for ch in "，,；;：:")
    before = s[max(0, lo - 20, clause_start + 1):q.start]
    claim.comparative = bool(_COMPARATIVE.search(before))
    part_start = max(s.rfind(ch, 0, lo) for ch in "；;")
    claim.subset = m.generic and "其中" in s[part_start + 1:lo]
    pre = s[max(0, lo - 14):lo]
    if any(w in pre and w not in agency for w in _SUBUNIT):
        claim.scope = "sub-unit"
    pm = _PERCENT_AFTER.match(s, q.end)
    if pm:
        pq = [p for p in qs if p.start == pm.end() and p.unit == "%"]
        if pq:
            claim.percent = pq[0].value
    return claim


_PUBLISHED = re.compile(r"(?:发布|公开|公示|公布)(?:了)?$")


def _previous_clause(s: str, i: int) -> str:
    """The clause before the one holding position ``i`` (within the sentence)."""
    cuts = [j for j, ch in enumerate(s[:i]) if ch in "，,；;"]
    if not cuts:
        return ""
    return s[(cuts[-2] + 1 if len(cuts) > 1 else 0):cuts[-1]]


def _object_in(text: str) -> str | None:
    for key, rx in _OBJECT_RE:
        if rx.search(text):
            return key
    return None


def counted_object(s: str, a: int, q: Quantity, generic: bool = True) -> str:
    """What the number ``q`` counts, from the grammar of its counted phrase: the noun phrase
    between the verb cue at ``a`` and the number (办理网民留言N件 → petition; 收到行政复议申请N件
    → review), the noun right after the number (N件留言), a rate word in the clause (日均 →
    rate); for a bare generic verb (已办结N件) the object of the clause before it (收到…咨询投诉件，
    已办结N件). None when nothing else is named: the verb's own object, an application, in a
    report on information disclosure."""
    clause_start = max(s.rfind(ch, 0, q.start) for ch in "，,；;：:。") + 1
    if _RATE.search(s[clause_start:q.start]):
        return "rate"
    obj = _object_in(s[a:q.start]) or _object_in(_FOLLOWING_NOUN.match(s, q.end).group(0))
    if obj:
        return obj
    if generic and not _APPLY_WORD.search(s[clause_start:q.start]):
        prev = _object_in(_previous_clause(s, a))
        if prev:
            return prev
    return None


_FOLLOWING_NOUN = re.compile(r"的?[\u4e00-\u9fff]{0,4}")
_APPLY_WORD = re.compile(r"申请")


def _qualified(s: str, best, cue_hits, q: Quantity):
    """A generic verb qualified by an outcome earlier in its clause counts that outcome:
    因无法提供相关信息答复2件 counts 无法提供 (a sub-outcome), not all answers."""
    a = best[0]
    clause_start = max(s.rfind(ch, 0, a) for ch in "，,；;：:。") + 1
    outcomes = [c for c in cue_hits if clause_start <= c[0] and c[1] <= a
                and c[2].key.startswith("result.") and c[2].key != "result.total"
                and not re.search(r"\d", s[c[1]:q.start]) and q.unit in c[2].units]
    if best[2].key == "result.total" and outcomes:
        c = max(outcomes, key=lambda c: c[0])
        return (c[0], best[1], c[2])
    return best


_APPLY_NOUN = re.compile(r"(?:政府信息公开|依申请公开|信息公开|公开)申请件?(?:共|共计|合计)?$")
_RECEIVE = re.compile(r"收到|受理|接收|接到|新收")


def _noun_application(s: str, q: Quantity):
    """收到…(long gap)…政府信息公开申请N件: the noun before the number, a receive verb earlier
    in the clause (接收通过邮寄、网络提交的各类政府信息公开申请21件)."""
    clause_start = max(s.rfind(ch, 0, q.start) for ch in "，,；;：:。") + 1
    head = s[clause_start:q.start]
    m = _APPLY_NOUN.search(head)
    v = _RECEIVE.search(head)
    if m and v and _object_in(head) is None:
        return (clause_start + v.start(), clause_start + m.end(), METRIC["apply.new"])
    return None


_POSTFIX_REVIEW = re.compile(r"[^。；;，,\d]{0,16}?的(行政复议|行政诉讼)")


def _postfix(s: str, q: Quantity):
    """The number before its cue: 另有72件申请…顺延到下年度, 有1件涉及…的行政复议."""
    if q.unit not in ("件", "起"):
        return None
    m = _POSTFIX_CARRY.match(s, q.end)
    if m and q.unit == "件":
        return (q.start, m.end(), METRIC["apply.carry_out"])
    m = _POSTFIX_REVIEW.match(s, q.end)
    if m:
        return (q.start, m.end(), METRIC["review.total" if m.group(1) == "行政复议" else "suit.total"])
    return None


#: An outcome that restricts a negated case noun: 没有被纠错的行政复议 negates corrections only.
_CORRECTION = re.compile(r"纠错|纠正|撤销|败诉|确认违法|责令")
_RELATIVE_HEAD = re.compile(r"[^。；;，,\d]{0,12}?的(?:情况|情形|案件|案例|事件|问题|现象)")


def _negated_outcome(s: str, m: re.Match) -> str:
    """What a negation binds to (its scope ends at the head noun of the negated phrase):
    "total" — the cases themselves (未发生行政复议); "corrected" — an outcome named inside the
    phrase, before the case noun (没有因信息公开被纠错的行政复议) or in a relative clause whose
    head noun follows it (没有出现行政复议被纠错的情况)."""
    if _CORRECTION.search(m.group(0)):
        return "corrected"
    rel = _RELATIVE_HEAD.match(s, m.end())
    if rel:
        return "corrected" if _CORRECTION.search(rel.group(0)) else "total"
    return "total"


def _zero_claims(sent: Sentence, numeric: list[Claim]) -> list[Claim]:
    s = sent.text
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for rx, keys in _ZERO_RE:
        for m in rx.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            bound = _negated_outcome(s, m)
            if bound == "other":
                continue  # the negation binds to something else (没有…建议…的复议…)
            for k in keys:
                if bound == "corrected":
                    k = k.replace(".total", ".corrected")
                out.append(Claim(k, 0.0, "件", *sent.doc_span(m.start(), m.end()), sent,
                                 zero=True, raw=m.group(0)))
    for m in _ZERO_SUFFIX.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        keys = {k for w, ks in _SUFFIX_KEYS.items() if w != "申请" and w in m.group(0) for k in ks}
        for k in sorted(keys) or _SUFFIX_KEYS[m.group(1)]:
            out.append(Claim(k, 0.0, "件", *sent.doc_span(m.start(), m.end()), sent,
                             zero=True, raw=m.group(0)))
    # a numeric claim of the same metric in the sentence wins over a loose negation
    have = {c.metric for c in numeric}
    return [c for c in out if c.metric not in have]


def _upheld_claims(sent: Sentence) -> list[Claim]:
    s = sent.text
    out = []
    for m in _ALL_UPHELD.finditer(s):
        head = s[:m.start()]
        for word, key in (("复议", "review.all_upheld"), ("诉讼", "suit.all_upheld")):
            if word in head:
                out.append(Claim(key, None, "", *sent.doc_span(m.start(), m.end()), sent,
                                 raw=m.group(0)))
    return out


def extract(report) -> list[Claim]:
    """Every claim in the report's prose, in text order (cached per report, like sentences)."""
    hit = _CACHE.get(id(report))
    if hit is not None and hit[0] is report:
        return hit[1]
    from .places import agency_name

    agency = agency_name(report)
    out: list[Claim] = []
    for sent in sentences(report):
        out.extend(extract_sentence(sent, agency))
    for c in out:
        c.line = report.document.line_of(c.start)
    _CACHE.clear()
    _CACHE[id(report)] = (report, out)
    return out


_CACHE: dict[int, tuple[object, list[Claim]]] = {}
