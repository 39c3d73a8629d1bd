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
        yield Finding(severity="error",
                      message=f"标题年度为{year}年，但统计期限为{got}（应为{year}年1月1日至{year}年12月31日）",
                      location=ploc, expected=f"{want[0]}至{want[1]}", actual=got, quote=quote)


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
