"""Metadata: the report year against the statistics period, and the publication deadline.

条例 第四十九条 makes the deadline depend on who reports: a 县级以上人民政府部门 publishes by
1月31日 of the next year, the 本级政府 report (compiled by the 主管部门) by 3月31日. Before the
2019 revision (report years ≤ 2018) the deadline was 3月31日 for everyone. The agency kind is
configured or guessed from the agency name (``nianbao.config.agency_kind``).
"""
from __future__ import annotations

import datetime as dt
import re

from ..findings import Finding
from ..model import PUBLISHED_SOURCE_LABELS
from .registry import rule

_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")


def title_year(report) -> int | None:
    m = _TITLE_YEAR.search(report.title or "")
    return int(m.group(1)) if m else report.year


def uses_tables(report) -> bool:
    """Whether the six-part structure and 表二/表三/表四 apply: report years from 2019 (the
    revised 条例 and 60号); earlier reports followed the old 条例 and have no 表三. With no
    year, the detected format decides."""
    year = title_year(report)
    if year is not None:
        return year >= 2019
    return report.format_version in ("2019", "2021")


@rule("META-YEAR", title="标题年度与统计期限一致", severity="error", basis="OFFICIAL",
      source="spec §5.1; 条例第四十九条（上一年度）", family="meta")
def meta_year(report, ctx):
    """The year in the title must be the year the statistics period covers (N年1月1日 to
    N年12月31日); a missing period sentence is shown as info."""
    year = title_year(report)
    text = report.text
    quote = text[report.period_span[0]:report.period_span[1]] if report.period_span else None
    loc = {"line": report.title_line} if report.title_line else {}
    if year is None:
        yield Finding(severity="info", message="未能从标题识别报告年度，无法核对统计期限", location=loc)
        return
    if not report.period or report.period == (None, None):
        yield Finding(severity="info", message=f"未找到统计期限说明（应为{year}年1月1日至{year}年12月31日）",
                      location=loc, expected=f"{year}-01-01至{year}-12-31", actual=None)
        return
    start, end = report.period
    want = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if (start, end) != want:
        ploc = {"line": report.document.line_of(report.period_span[0])} if report.period_span \
            else loc
        if report.period_span:
            ploc["span"] = tuple(report.period_span)
        got = f"{start or '?'}至{end or '?'}"
        why = _part_year_reason(report, year)
        if why:
            yield Finding(severity="info",
                          message=f"统计期限为{got}，不足{year}全年；报告说明了原因（{why}），请核实",
                          location=ploc, expected=f"{want[0]}至{want[1]}", actual=got, quote=quote,
                          details={"explained_by": why})
            return
        yield Finding(severity="error",
                      message=f"标题年度为{year}年，但统计期限为{got}（应为{year}年1月1日至{year}年12月31日）",
                      location=ploc, expected=f"{want[0]}至{want[1]}", actual=got, quote=quote)


#: Why an agency may report part of a year: it was set up (or its disclosure work began) after
#: 1月1日, or it was abolished / merged before 12月31日. A closed class of event words.
_PART_YEAR_CUE = re.compile(r"成立|组建|挂牌|设立|新设|机构改革|启动|开始运行|正式运行|开始履职|履职"
                            r"|撤销|撤并|合并|划转|移交|更名")


_SENTENCE_END = re.compile(r"[。！？\n]")


def _part_year_reason(report, year: int) -> str | None:
    """The report's own explanation of a part-year period, or None. Accepted only for a period
    inside the title year that keeps one end on the year boundary (it starts later because the
    agency began then, or ends earlier because it ceased), and only when the sentence stating
    the period, or the one before it, names such an event. The cue words are read from the text
    around the period, not looked up by report (the sentence before counts only within the paragraph)."""
    start, end = report.period
    if not (start and end and start.year == end.year == year and start <= end):
        return None
    if (start.month, start.day) != (1, 1) and (end.month, end.day) != (12, 31):
        return None
    if not report.period_span:
        return None
    text = report.text
    a, b = report.period_span
    ends = [-1, -1] + [m.start() for m in _SENTENCE_END.finditer(text, 0, a)]
    lo = (ends[-1] if text[ends[-1]:ends[-1] + 1] == "\n" else ends[-2]) + 1
    m_hi = _SENTENCE_END.search(text, b)
    window = text[lo:m_hi.start() if m_hi else len(text)]
    m = _PART_YEAR_CUE.search(window)
    if not m:
        return None
    stops = "，。；,;"
    c0 = max(window.rfind(ch, 0, m.start()) for ch in stops) + 1
    ends = [i for i in (window.find(ch, m.end()) for ch in stops) if i >= 0]
    return window[c0:min(ends) if ends else len(window)].strip()[:40]


def deadline(year: int, kind: str, deadlines: dict) -> dt.date:
    if year <= 2018:  # old 第三十一条: 3月31日 for every agency
        return dt.date(year + 1, 3, 31)
    month, day = (int(x) for x in deadlines[kind].split("-"))
    return dt.date(year + 1, month, day)


@rule("META-DEADLINE", title="在法定期限内公布", severity="error", basis="OFFICIAL",
      source="spec §5.1; 条例第四十九条; S7（地方可更严）", family="meta",
      config=("agency_kind", "government_suffixes", "deadlines"))
def meta_deadline(report, ctx):
    """Publication date (input metadata or the caller's) against the statutory deadline for the
    agency kind; late is an error. An unknown date is an info finding, not silence, and every
    finding says where the date came from and which kind of agency was assumed."""
    year = title_year(report)
    if year is None:
        return
    kind, why = ctx.agency_kind(report)
    assumed = kind is None
    kind = kind or "department"
    due = deadline(year, kind, ctx.option("deadlines"))
    kind_cn = {"department": "政府部门", "government": "本级人民政府"}[kind]
    basis = f"按{kind_cn}报告（{'机关名称未识别，按较早期限' if assumed else why}）"
    loc = {"line": report.title_line} if report.title_line else {}
    if ctx.published is None:
        yield Finding(severity="info",
                      message=f"发布日期未知，无法核对是否在{due.isoformat()}前公布（{basis}）；"
                      f"可用--published提供",
                      location=loc, expected=f"≤{due.isoformat()}", actual=None, quote=None,
                      details={"deadline": due.isoformat(), "agency_kind": kind,
                             "published_source": ctx.published_source})
        return
    src = PUBLISHED_SOURCE_LABELS.get(ctx.published_source, ctx.published_source)
    details = {"deadline": due.isoformat(), "agency_kind": kind, "kind_basis": why,
               "published_source": ctx.published_source}
    if ctx.published > due:
        days = (ctx.published - due).days
        yield Finding(severity="warning" if assumed else "error",
                      message=f"发布日期{ctx.published.isoformat()}（{src}）晚于法定期限"
                      f"{due.isoformat()}{days}天（{basis}）",
                      location=loc, expected=f"≤{due.isoformat()}",
                      actual=ctx.published.isoformat(), quote=None, details=details)
    elif ctx.published <= dt.date(year, 12, 31):
        yield Finding(severity="info",
                      message=f"发布日期{ctx.published.isoformat()}（{src}）早于统计期末{year}-12-31，"
                      f"请核实日期来源",
                      location=loc, expected=f"{year + 1}-01-01至{due.isoformat()}",
                      actual=ctx.published.isoformat(), quote=None, details=details)


# ------------------------------------------------------------------ dates that cannot be right
_PERIOD_NO_YEAR = re.compile(r"统计(?:期限|时限|周期|时间|区间|范围|期间|日期)?[^。；;]{0,8}?(?:自|从|为)?\s*"
                             r"(?P<bad>(?:19|20)\d{2}\s*月\s*\d{1,2}\s*日)")
_SELF_REPORT = re.compile(r"(?:本|此|现将|现予|特此|现)[^。；;，,将]{0,16}?(?P<y>(?:19|20)\d{2})\s*年度?"
                          r"[^。；;，,]{0,24}?政府信息公开(?:工作)?年度报告")


def body_start(report) -> int:
    """Offset where the report body starts: after a crawler header (``body_start_line``)."""
    line = int(report.document.meta.get("body_start_line") or 1)
    if line <= 1:
        return 0
    pos = 0
    for _ in range(line - 1):
        nxt = report.text.find("\n", pos)
        if nxt == -1:
            return 0
        pos = nxt + 1
    return pos


def _year_quote(text: str, a: int, b: int) -> str:
    lo = max(text.rfind("。", 0, a) + 1, a - 60)
    hi = text.find("。", b)
    return " ".join(text[lo:(hi + 1 if hi != -1 and hi - b < 80 else b + 40)].split())


@rule("META-DATES", title="落款、印发日期与统计期限不能早于报告年度结束", severity="error", basis="OFFICIAL",
      source="条例第四十九条（上一年度报告）; issue 9", family="meta")
def meta_dates(report, ctx):
    """A report on year N can only be signed or issued after N ended: a 落款 or 印发 date before
    N-12-01 is an error (a January date of the report year is the usual slip for N+1); a date in
    December of N is a warning (signed before the period closed). A statistics period printed
    without its year (自2018月1日) and a report that calls itself another year's report
    (本…2025年度…年度报告 in the 2024 report) are errors."""
    from ..prose.signature import find_signature, issued_dates

    year = title_year(report)
    if year is None:
        return
    text = report.text
    body = body_start(report)
    dated = []
    sig = find_signature(text, body)
    if sig is not None:
        dated.append(("落款日期", sig.date))
    dated += [("印发日期", d) for d in issued_dates(text[body:]) if sig is None or d.start + body != sig.date.start]
    seen = set()
    for what, d in dated:
        start = d.start + (body if what == "印发日期" else 0)
        if d.date in seen:
            continue
        seen.add(d.date)
        if d.date >= dt.date(year + 1, 1, 1):
            continue
        sev = "warning" if d.date >= dt.date(year, 12, 1) else "error"
        loc = {"line": report.document.line_of(start), "span": (start, start + len(d.raw))}
        yield Finding(severity=sev,
                      message=f"{year}年度报告的{what}为{d.date.isoformat()}，在报告年度结束（统计期至{year}-12-31）之前"
                      + ("，疑为" + str(year + 1) + "年之误" if d.date.month <= 3 else ""),
                      location=loc, expected=f"≥{year + 1}-01-01", actual=d.date.isoformat(),
                      quote=_year_quote(text, start, start + len(d.raw)), details={"kind": what})
    if not report.period or report.period == (None, None):
        m = _PERIOD_NO_YEAR.search(text)
        if m:
            a, b = m.span("bad")
            yield Finding(message=f"统计期限日期不完整：“{m.group('bad')}”缺少年份或月份（应为{year}年1月1日）",
                          location={"line": report.document.line_of(a), "span": (a, b)},
                          expected=f"{year}年1月1日", actual=m.group("bad"), quote=_year_quote(text, a, b))
    for m in _SELF_REPORT.finditer(text[body:]):
        y = int(m.group("y"))
        if y != year:
            a, b = body + m.start("y"), body + m.end("y")
            yield Finding(message=f"{year}年度报告自称“{y}年度”报告",
                          location={"line": report.document.line_of(a), "span": (a, b)},
                          expected=year, actual=y, quote=_year_quote(text, a, b))


# ------------------------------------------------------------------ who signs the report
#: Self-references are never an agency name (我局, 本机关, 全局…).
SELF_REFERENCE = re.compile(r"^(?:我|本|全)(?:局|委|办|厅|机关|单位|部门|中心|区|县|市|府)")
_GOV = re.compile(r"(?:人民政府|政府|管理委员会|管委会)$")
_OFFICE = re.compile(r"(?:办公室|办公厅|办)$")
_SYNONYMS = (("管理委员会", "管委会"), ("人民政府", "政府"))
_OWN_GUIDE = re.compile(r"(?:编制|编写|制定|修订|更新|完善)(?:了)?《(?P<name>[\u4e00-\u9fff（）()]{2,30}?"
                        + r"(?:局|委员会|委|办公室|厅|人民政府|政府|管委会))政府信息公开(?:指南|目录)")


def _norm_agency(name: str) -> str:
    for a, b in _SYNONYMS:
        name = name.replace(a, b)
    return re.sub(r"[（(][^）)]*[）)]", "", name)


def same_agency(a: str, b: str, regions: set[str] = frozenset()) -> str:
    """"same", "typo" (one character differs: 财政全融局/财政金融局) or "other". Same: equal
    after region prefixes and 管委会/政府 synonyms are dropped, one an abbreviation (a
    subsequence: 科委 ⊂ 科学技术委员会) of the other, or one the other's office (a government's
    办公室 signs the government's report; a bureau's 办公室 issues its documents)."""
    a, b = _norm_agency(a), _norm_agency(b)
    for r in sorted(regions, key=len, reverse=True):
        a, b = a.replace(r, ""), b.replace(r, "")
    if not a or not b or a == b:
        return "same"
    for x, y in ((a, b), (b, a)):
        if _OFFICE.search(x) and (x.startswith(y) or _OFFICE.sub("", x) == y or _GOV.search(y) and
                                  _OFFICE.sub("", x) in ("", "政府", "管委会")):
            return "same"
        it = iter(y)
        if len(x) < len(y) and all(ch in it for ch in x) and x[-1] == y[-1]:
            return "same"
    if len(a) == len(b) and sum(p != q for p, q in zip(a, b)) == 1:
        return "typo"
    return "other"


def _clearly_agency(name: str | None) -> bool:
    from ..prose.signature import AGENCY_END

    return bool(name) and not SELF_REFERENCE.match(name) and "《" not in name \
        and re.search(AGENCY_END + "$", name) is not None and 3 <= len(name) <= 40


@rule("META-SIGNER", title="落款机关与标题机关一致", severity="error", basis="HEUR",
      source="issue 9; spec §5.1 META-AGENCY", family="meta")
def meta_signer(report, ctx):
    """The agency that signs the report (落款 at the end) and the agency whose own documents it
    says it compiled (编制《XX局政府信息公开指南》) must be the title's agency. Error only when
    both are clearly agency names and differ; a government's 办公室 signing the government's
    report, an abbreviation, or the agency's own office issuing it is the same agency; a name that
    differs in one character is a typo (warning)."""
    from ..prose.places import agency_name, own_area
    from ..prose.signature import find_signature

    agency = agency_name(report)
    if not _clearly_agency(agency):
        return
    regions = set(own_area(agency).names)
    text = report.text
    body = body_start(report)
    sig = find_signature(text, body)
    named = []
    if sig is not None and sig.agency:
        named.append(("落款", sig.agency, sig.agency_span))
    for m in _OWN_GUIDE.finditer(text, body):
        named.append(("自编文件", m.group("name"), m.span("name")))
    for what, name, span in named:
        if not _clearly_agency(name):
            continue
        verdict = same_agency(name, agency, regions)
        if verdict == "same":
            continue
        loc = {"line": report.document.line_of(span[0]), "span": span}
        label = "落款机关" if what == "落款" else "报告称编制的《…政府信息公开指南/目录》所属机关"
        yield Finding(severity="warning" if verdict == "typo" else "error",
                      message=f"{label}“{name}”与标题机关“{agency}”不一致"
                      + ("（仅一字之差，疑为错字）" if verdict == "typo" else ""),
                      location=loc, expected=agency, actual=name,
                      quote=" ".join(text[max(0, span[0] - 40):span[1] + 20].split()),
                      details={"kind": what})
