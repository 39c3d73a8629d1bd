"""Text quality of the prose: years, in-year deixis, other areas' names, wording slips.

Why these belong together: none of them needs the tables, all of them scan prose sentences
(``nianbao.prose.sentences``: table regions and the crawler header excluded), and together they
are the usual traces of a report assembled from last year's text or another agency's report.
"""
from __future__ import annotations

from ..findings import Finding
from ..prose import places as P
from ..prose import typos as T
from ..prose import years as Y
from ..prose.sentences import Sentence, sentences
from .registry import rule


def _loc(report, s: Sentence, a: int, b: int) -> dict:
    """Section, line and ``Document.text`` span of sentence positions ``a:b`` (a PDF sentence
    spans lines, so the line is that of the span, not of the sentence start)."""
    span = s.doc_span(a, b)
    return {"section": s.section, "line": report.document.line_of(span[0]), "span": span}


@rule("TEXT-YEAR", title="正文年份与报告年度相符", severity="warning", basis="HEUR",
      source="spec §5.5 TEXT-YEAR", family="text")
def text_year(report, ctx):
    """A year after N+1 that is not a plan is an error; N−1 stated with a figure and no cue
    that it means last year is a warning (a paragraph kept from last year's report); "N年，我们将"
    in the improvement plans is a warning (next year's plan dated with the report year)."""
    n = report.year
    if not n:
        return []
    out = []
    for s in sentences(report):
        for m in Y.future_years(s, n):
            out.append(Finding(severity="error", message=f"正文出现{m.year}年，晚于报告年度{n}年的次年",
                               location=_loc(report, s, m.start, m.end), expected=f"≤{n + 1}",
                               actual=m.year, quote=s.quote()))
        for m in Y.stale_years(s, n):
            out.append(Finding(severity="warning", message=f"{n}年度报告中以“{m.year}年”陈述本年数字，疑为沿用上年报告文字",
                               location=_loc(report, s, m.start, m.end), expected=n, actual=m.year,
                               quote=s.quote()))
        for m in Y.plan_with_report_year(s, n):
            out.append(Finding(severity="warning", message=f"改进计划写作“{m.group(0)}”，计划年份应为{n + 1}年",
                               location=_loc(report, s, m.start(), m.end()), expected=n + 1,
                               actual=n, quote=s.quote()))
    return out


@rule("TEXT-DEIXIS", title="年度报告中的时间指代（今年以来等）", severity="info", basis="HEUR",
      source="spec §5.5 TEXT-DEIXIS", family="text")
def text_deixis(report, ctx):
    """今年以来, 上半年, 截至目前 are in-year phrasings: in a report written after the year they
    hint at a copied mid-year summary. One finding per phrase, listing every place it occurs
    (``details["occurrences"]``): a report that says 今年 six times has one habit, not six."""
    found: dict[str, Finding] = {}
    for s in sentences(report):
        for m in Y.deixis(s):
            word, loc = m.group(0), _loc(report, s, m.start(), m.end())
            occ = {"line": loc["line"], "section": loc["section"], "span": loc["span"]}
            if word in found:
                f = found[word]
                f.details["occurrences"].append(occ)
                f.message = f"年度报告中使用“{word}”（{len(f.details['occurrences'])}处），时间指代不明确"
                continue
            found[word] = Finding(severity="info", message=f"年度报告中使用“{word}”，时间指代不明确",
                                  location=loc, expected=None, actual=word, quote=s.quote(),
                                  details={"occurrences": [occ]})
    return list(found.values())


@rule("TEXT-REGION", title="正文出现其他地区名称", severity="error", basis="HEUR",
      source="spec §5.5 TEXT-REGION; S13b 跨区域抄袭", family="text")
def text_region(report, ctx):
    """A county- or prefecture-level name that is neither the agency's area nor an ancestor or
    descendant of it. Error when an institutional word follows (…政府网, …人民政府, …局): the
    text speaks as another area. Warning otherwise, and inside a document title 《…》, for
    provinces and for retired names. One finding per name, with every occurrence listed."""
    agency = P.agency_name(report)
    if not agency:
        return []
    own = P.agency_area(report, agency)
    found: dict[str, Finding] = {}
    for s in sentences(report):
        for m in P.mentions(s.text):
            if not P.foreign(m, own):
                continue
            in_title = s.text.rfind("《", 0, m.start) > s.text.rfind("》", 0, m.start)
            level = min(p.level for p in m.places)
            if level == 1 and not m.institutional:
                continue  # a province named in passing (对口帮扶, 省外) is not a defect sign
            sev = "error" if m.institutional and level >= 2 and not in_title and not m.retired else "warning"
            if not own.names:
                sev = "warning"  # the agency's name holds no place (公安局): its area is unknown
            prev = found.get(m.name)
            if prev is not None:
                prev.details["occurrences"].append(_occ(report, s, m))
                if sev == "error" and prev.severity != "error":
                    prev.severity = "error"
                continue
            where = "/".join(sorted({_chain(p) for p in m.places}))
            msg = f"正文出现其他地区名称“{m.name}”（{where}），不属于{agency}所在地区"
            if m.institutional:
                msg += f"，且后接“{m.institutional}”"
            if m.retired:
                msg += "；该名称已撤销，疑为沿用旧文本"
            found[m.name] = Finding(severity=sev, message=msg,
                                    location=_loc(report, s, m.start, m.end),
                                    expected=sorted(own.names), actual=m.name, quote=s.quote(),
                                    details={"own": sorted(own.allowed)[:20],
                                                        "occurrences": [_occ(report, s, m)],
                                                        "retired": m.retired, "in_title": in_title})
    return list(found.values())


def _occ(report, s: Sentence, m: P.Mention) -> dict:
    loc = _loc(report, s, m.start, m.end)
    return {"line": loc["line"], "span": list(loc["span"])}


def _chain(p: P.Place) -> str:
    g = P.gazetteer()
    return "".join(a.name for a in reversed(g.ancestors(p.code))) + p.name


@rule("TEXT-TYPO", title="错别字、重复字词、繁体字、半角标点", severity="info", basis="HEUR",
      source="spec §5.5 TEXT-TYPO; narrative-checks §3.5", family="text")
def text_typo(report, ctx):
    """A short list of confusions with context (不子公开, 做为, 截止+date), doubled words (的的),
    traditional characters in simplified text (瀘), half-width , ; : between Chinese characters."""
    out = []
    trad: dict[str, str] = {}
    first_trad = None
    for s in sentences(report):
        for sl in T.slips(s.text):
            msg = (f"疑似错别字“{sl.found}”，应为“{sl.suggestion}”" if sl.kind == "confusion"
                   else f"重复字词“{sl.found}”")
            out.append(Finding(severity="info", message=msg,
                               location=_loc(report, s, sl.start, sl.end), expected=sl.suggestion,
                               actual=sl.found, quote=s.quote(), details={"kind": sl.kind}))
        tc = T.traditional_chars(s.text)
        if tc:
            if first_trad is None:
                ch = next(iter(tc))
                i = s.text.find(ch)
                first_trad = (s, i)
            trad.update(tc)
    if trad:
        s, i = first_trad
        out.append(Finding(severity="info",
                           message="简体文本中出现繁体字：" + "、".join(f"{k}→{v}" for k, v in sorted(trad.items())),
                           location=_loc(report, s, i, i + 1),
                           expected="".join(sorted(trad.values())), actual="".join(sorted(trad)),
                           quote=s.quote(), details={"kind": "traditional", "chars": trad}))
    hw = [(s, m) for s in sentences(report) for m in T.half_width_punct(report.text[s.start:s.end])]
    if hw:
        s0, m0 = hw[0]
        out.append(Finding(severity="info", message=f"中文句中使用半角标点 {len(hw)} 处（如“{m0.group(0)}”）",
                           location={"section": s0.section, "line": report.document.line_of(s0.start + m0.start()),
                            "span": (s0.start + m0.start(), s0.start + m0.end())},
                           expected="，", actual=m0.group(0), quote=s0.quote(),
                           details={"kind": "half-width", "count": len(hw)}))
    return out
