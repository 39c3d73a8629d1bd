"""Years in prose: future years, last year's figures reused, and in-year deixis (今年以来).

Why: a report is about year N and is written early in N+1, so a year after N+1 cannot be a fact
(unless it is a plan: 到2035年), and "N−1年 … 467条" in the report's own section is the mark of a
paragraph copied from last year's report (the Pingtan finance 2025 case). Phrases like 今年以来
or 截至目前 come from in-year summaries and only hint at copying: they are info.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import quantities
from .sentences import Sentence

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})年")
_RANGE = re.compile(r"(?:19|20)\d{2}年?\s*[-—–~至到]\s*$")
#: Words near a year that make a future year legitimate (a plan or a target).
_FUTURE_OK = re.compile(r"到|至|力争|规划|纲要|远景|目标|方案|展望|届时|十四五|十五五")
#: Words near N−1 that make it a legitimate reference to last year.
_PAST_OK = re.compile(r"较|比|同比|上年|去年|结转|决算|以来|截至|截止|自|起|从|至|到|与|相比|以前|之前|前|底|末|年度报告|"
                      r"工作年度|年报|延续|跨年|上一|同期|增长|下降|增加|减少|批复|印发|发布的|出台的|制定的")
DEIXIS = re.compile(r"今年以来|今年上半年|上半年|截至目前|截止目前|截至发文之日|截止发文之日|今年(?!度)")


@dataclass
class YearMention:
    year: int
    start: int  # compact offsets in the sentence
    end: int
    in_title: bool  # inside 《…》 (a document's name can carry any year)


def mentions(sent: Sentence) -> list[YearMention]:
    s = sent.text
    out = []
    for m in YEAR.finditer(s):
        if _RANGE.search(s[max(0, m.start() - 12):m.start()]) or re.match(r"\s*[-—–~]", s[m.end():]):
            continue  # a range (2021-2035年): read as a span, not a date
        out.append(YearMention(int(m.group(1)), m.start(), m.end(), _inside_title(s, m.start())))
    return out


def _inside_title(s: str, i: int) -> bool:
    return s.rfind("《", 0, i) > s.rfind("》", 0, i)


def future_years(sent: Sentence, year: int) -> list[YearMention]:
    """Years after N+1 that are not plans or document names."""
    s = sent.text
    return [m for m in mentions(sent) if m.year > year + 1 and not m.in_title
            and not _FUTURE_OK.search(s[max(0, m.start - 8):m.end + 8])]


def stale_years(sent: Sentence, year: int) -> list[YearMention]:
    """N−1 where year N is meant: it opens the sentence as its time (2022年，…) or states a
    figure of the same clause, with no cue that it means last year; only in parts 一–四 (or
    where sections are unknown), which report on year N."""
    if sent.section not in (None, 1, 2, 3, 4):
        return []
    s = sent.text
    out = []
    for m in mentions(sent):
        if m.year != year - 1 or m.in_title:
            continue
        if _PAST_OK.search(s[max(0, m.start - 8):m.end + 10]):
            continue
        clause_end = min([i for i in (s.find(ch, m.end) for ch in "；;。") if i >= 0] or [len(s)])
        opens = re.fullmatch(r"[（(][一二三四五六七八九十\d][）)]|", s[:m.start].strip()) is not None \
            and s[m.end:m.end + 2].startswith(("，", ",", "度，", "度,"))
        if opens or any(q.unit != "%" for q in quantities(s[m.end:clause_end])):
            out.append(m)
    return out


#: "N年，我们将采取…": 将 as future tense (not the 将 = 把 of 我局将…纳入考核).
_PLAN_WITH_N = re.compile(r"((?:19|20)\d{2})年[,，]?(?:我们|我区|我局|我办|我委|我市|我县|本机关)?将"
                          r"(?:采取|继续|进一步|从以下|在以下|重点做好|着力|围绕以下)")


#: In the parts on problems and plans (五, 六): "N年[，我局]将 + verb" — 将 as future tense, the
#: verb right after it (将…纳入考核, 将 = 把, has a noun there and is not matched).
_PLAN_IN_PLANS = re.compile(r"((?:19|20)\d{2})年(?:度)?[,，]?(?:我们|我区|我局|我办|我委|我市|我县|本局|本委|本机关|本单位)?"
                            r"(?:还)?将(?:继续|进一步|持续|着力|重点|围绕|不断|全面|深入|推进|做好|以|按照|从|在|采取|"
                            r"认真|切实|积极|坚持|聚焦|强化|提升|完善|严格|加强|加大|紧紧|扎实|大力|统筹|抓好)")


def plan_with_report_year(sent: Sentence, year: int) -> list[re.Match]:
    """"N年，我们将采取…": next year's plan dated with the report year (a stale copy). In parts
    五 and 六 (where the plans are) any "N年…将 + verb" counts; elsewhere only the fixed
    openings of a plan paragraph, because part 一 may say what the year's rules "将" do."""
    rx = _PLAN_IN_PLANS if sent.section in (5, 6) else _PLAN_WITH_N
    return [m for m in rx.finditer(sent.text) if int(m.group(1)) == year]


def deixis(sent: Sentence) -> list[re.Match]:
    return list(DEIXIS.finditer(sent.text))
