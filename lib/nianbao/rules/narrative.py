"""Narrative vs tables (spec annual-report-format.md §5.5): what the prose claims must agree with
the tables, and the parts the 30号 format asks the prose to cover must be there.

Why severities differ: a prose number that contradicts 表三/表四 is an error the publisher must
fix; the same mismatch in a sentence that speaks for one office (代表…受理) may be a scope
difference, so it is only a question (info). Claims are found by ``nianbao.prose.claims``; a
claim whose cells are null is reported as not comparable instead of being compared with 0.
"""
from __future__ import annotations

import re

from ..findings import Finding
from ..prose import claims as C
from ..prose import links as L
from ..prose.sentences import sentences
from .registry import rule

_CN = {"table2": "表二", "table3": "表三", "table4": "表四"}
_COL_CN = {"total": "总计", "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
           "made": "本年新制作数量", "decisions": "处理决定数量", "amount_wan": "本年收费金额",
           "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, int):  # float() of a long integer overflows
        return str(v)
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _cells_text(cells: list[dict]) -> str:
    """The compared cells for a message: the known ones, then how many were blank."""
    known = [c for c in cells if c["value"] is not None]
    parts = [f"{_CN.get(c['table'], c['table'])}·{c['row']}·{_COL_CN.get(c['column'], c['column'])}"
             f"={_fmt(c['value'])}" for c in known[:6]]
    text = "、".join(parts) + ("…" if len(known) > 6 else "")
    blanks = len(cells) - len(known)
    return text + (f"；另有{blanks}个空白单元格" if blanks else "")


def _location(claim: C.Claim, extra: dict | None = None) -> dict:
    loc = {"section": claim.sentence.section, "line": claim.line, "span": (claim.start, claim.end)}
    if extra:
        loc.update(extra)
    return loc


def _first_cell(cells: list[dict]) -> dict:
    if not cells:
        return {}
    c = cells[0]
    return {"table": c["table"], "row": c["row"], "column": c["column"]}


def _claim_findings(report, family: str, mismatch_severity: str):
    """Findings of one claim family: mismatches, null cells, scope questions, 新收+结转 notes."""
    links = [L.link(c, report) for c in C.extract(report)
             if not c.demoted and C.METRIC.get(c.metric.replace(".all_upheld", ".total")) is not None
             and C.METRIC[c.metric.replace(".all_upheld", ".total")].family == family]
    for lk in links:
        cl = lk.claim
        m = C.METRIC[cl.metric.replace(".all_upheld", ".total")]
        what = "均获维持" if cl.metric.endswith(".all_upheld") else m.label
        details = {"metric": cl.metric, "cells": lk.cells, "scope": cl.scope, "approx": cl.approx,
                   "zero_claim": cl.zero}
        stated = cl.raw
        if lk.status == "null":
            details["skipped"] = lk.skipped
            yield Finding(severity="info", message=f"正文称“{stated}”，但对应单元格为空，未作比较（空白不等于0）",
                          location=_location(cl, _first_cell(lk.skipped)), expected=None,
                          actual=cl.value, quote=cl.sentence.quote(), details=details)
        elif lk.status == "match" and lk.matched == "新收+上年结转":
            details["matched"] = lk.matched
            yield Finding(severity="info",
                          message=f"正文“{stated}”等于表三新收与上年结转之和（{_fmt(lk.expected)}），"
                          "按“新收+上年结转”口径理解",
                          location=_location(cl, _first_cell(lk.cells)), expected=lk.expected,
                          actual=cl.value, quote=cl.sentence.quote(), details=details)
        elif lk.status == "mismatch":
            sev = "info" if cl.scope == "sub-unit" else mismatch_severity
            if lk.doubt and sev == "error":
                sev = "warning"
                lk.note = (lk.note + "；" if lk.note else "") + "表格该处读数存疑（行总计与各列不符或缺列），请核对原表"
            details["doubt"] = lk.doubt
            if cl.metric.endswith(".all_upheld"):
                msg = f"正文称{('复议' if cl.metric.startswith('review') else '诉讼')}“{stated}”，但表四显示：{_cells_text(lk.cells)}"
            else:
                rel = "不少于" if cl.approx else "为"
                tv = ("至少" if lk.lower else "") + _fmt(lk.expected)
                msg = (f"正文称{what}{rel}{_fmt(cl.value)}（“{stated}”），表格为{tv}"
                       f"（{_cells_text(lk.cells)}）")
            if lk.note:
                msg += f"；{lk.note}"
            if sev == "info":
                msg += "；该句说的是某一内设机构（如“代表…受理”），口径可能不同，请核实"
            yield Finding(severity=sev, message=msg, location=_location(cl, _first_cell(lk.cells)),
                          expected=lk.expected, actual=cl.value, quote=cl.sentence.quote(),
                          details=details)
        if family == "apps" and cl.percent is not None and cl.value is not None:
            yield from _percent(report, cl, lk)
    yield from _contradictions(report, [lk for lk in links if lk.status in ("null", "nocell")])


def _percent(report, cl: C.Claim, lk: L.Link):
    base = L.percent_denominator(report)
    if not base:
        return
    stated = cl.percent
    ratio = 100.0 * cl.value / base
    table_ratio = 100.0 * lk.expected / base if lk.expected is not None else None
    tol = 0.06 + 0.5 * 10 ** -_decimals(stated)
    if abs(ratio - stated) <= tol or (table_ratio is not None and abs(table_ratio - stated) <= tol):
        return
    yield Finding(severity="warning",
                  message=f"正文“{cl.raw}”占比{stated:g}%，按表三办理总数{_fmt(base)}计算应为{ratio:.2f}%",
                  location=_location(cl), expected=round(ratio, 2), actual=stated,
                  quote=cl.sentence.quote(),
                  details={"metric": cl.metric, "denominator": base, "table_ratio": table_ratio})


def _decimals(x: float) -> int:
    s = f"{x:g}"
    return len(s.split(".")[1]) if "." in s else 0


def _contradictions(report, links: list[L.Link]):
    """The same metric stated twice with different values, where no table settles it."""
    seen: dict[str, C.Claim] = {}
    for lk in links:
        cl = lk.claim
        if cl.value is None or cl.scope != "report" or cl.approx:
            continue
        prev = seen.setdefault(cl.metric, cl)
        if prev is not cl and prev.value != cl.value:
            yield Finding(severity="warning",
                          message=f"正文两处所述{C.METRIC[cl.metric].label}不一致："
                          f"“{prev.raw}”与“{cl.raw}”",
                          location=_location(cl), expected=prev.value, actual=cl.value,
                          quote=cl.sentence.quote(),
                          details={"metric": cl.metric, "first_line": prev.sentence.line})


@rule("NARR-APPS", title="正文所述依申请公开数字与表三一致", severity="error", basis="STRUCT",
      source="spec §5.5 NARR-APPS; R11", family="narrative")
def narr_apps(report, ctx):
    """Prose figures on applications (收到/受理/新收, 上年结转, 办结, 予以公开…, 结转下年度) and
    zero claims (未收到申请) must equal the 表三 totals they name."""
    return list(_claim_findings(report, "apps", "error"))


@rule("NARR-REVIEW", title="正文所述行政复议、诉讼与表四一致", severity="error", basis="STRUCT",
      source="spec §5.5 NARR-REVIEW; R11", family="narrative")
def narr_review(report, ctx):
    """"没有…行政复议和诉讼" needs 表四 totals of 0; "复议N件/诉讼N件" must equal the totals
    (诉讼 = 直接起诉 + 复议后起诉); "均获维持" needs no 纠正/其他/尚未审结."""
    return list(_claim_findings(report, "review", "error"))


@rule("NARR-DOCS", title="正文所述规范性文件、许可、处罚数与表二一致", severity="warning", basis="STRUCT",
      source="spec §5.5 NARR-DOCS; R11", family="narrative")
def narr_docs(report, ctx):
    """制发/废止/现行有效规范性文件 and 行政许可/处罚/强制 counts in the prose vs 表二."""
    return list(_claim_findings(report, "docs", "warning"))


_FEE_WORDS = re.compile(r"信息处理费|处理费|收费|收取|费用")


@rule("NARR-FEE", title="第六部分说明信息处理费收取情况", severity="warning", basis="HEUR",
      source="spec §5.5 NARR-FEE; 国办函〔2020〕109号", family="narrative")
def narr_fee(report, ctx):
    """From 2021 the 109号 fee measures apply, so part 六 should say whether 信息处理费 was
    charged; a fee amount in the prose must match 表二 (八)."""
    out = list(_claim_findings(report, "fee", "warning"))
    sec = report.section(6)
    if report.year and report.year >= 2021 and sec is not None:
        body = report.text[sec.body_span[0]:sec.body_span[1]]
        if not _FEE_WORDS.search(body):
            out.append(Finding(severity="warning", message="第六部分未说明信息处理费的收取情况（2021年起应说明）",
                               location={"section": 6, "line": sec.line, "span": sec.span},
                               expected="说明信息处理费收取情况", actual=_short(body), quote=sec.heading))
    return out


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 1] + "…"


_EMPTY6 = re.compile(r"(?:无|暂无|没有|本年度无|无其他需要报告的事项|无需要报告的事项)[。.]?")


@rule("NARR-EMPTY6", title="第六部分不应只写“无”", severity="warning", basis="HEUR",
      source="spec §5.5 NARR-EMPTY6", family="narrative")
def narr_empty6(report, ctx):
    """Part 六 that only says 无 in a year where the fee statement is expected."""
    sec = report.section(6)
    if not (report.year and report.year >= 2021 and sec is not None):
        return []
    body = report.text[sec.body_span[0]:sec.body_span[1]]
    first = re.split(r"(?<=[。.])|\n", body.strip(), maxsplit=1)[0].strip()
    if first and _EMPTY6.fullmatch(first) and len("".join(body.split())) < 60:
        return [Finding(severity="warning", message=f"第六部分仅写“{first}”，未说明信息处理费等事项",
                        location={"section": 6, "line": sec.line, "span": sec.span},
                        expected="说明其他需要报告的事项", actual=first, quote=sec.heading)]
    return []


ASPECTS = (
    ("主动公开", r"主动公开"),
    ("依申请公开", r"依申请公开|依申请|政府信息公开申请"),
    ("政府信息管理", r"政府信息管理|信息管理|文件管理|规范性文件|公开属性|发布审查|保密审查|信息发布"),
    ("平台建设", r"平台|网站|新媒体|公开栏|公开专栏|政务公开专区"),
    ("监督保障", r"监督|保障|考核|培训|评议|责任追究|组织领导"),
)
GOVERNMENT_ASPECTS = (("考核", r"考核"), ("社会评议", r"社会评议|评议"), ("责任追究", r"责任追究|追责|问责"))


def _is_government(report, ctx) -> bool:
    """The 本级政府 report (configured, or guessed from the agency name by the configuration)."""
    if ctx is not None:
        return ctx.agency_kind(report)[0] == "government"
    return bool(report.agency and re.search(r"(?:人民政府|政府|管委会|管理委员会)$", report.agency))


_ORD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}是|[一二三四五六七八九十]{1,2}、|\d{1,2}[.、．])?"
                  r"(?:加强|强化|做好|推进|深化|规范|持续|不断|积极|严格|切实|全面|进一步|坚持|抓好|优化|扎实|着力|"
                  r"完善|健全|狠抓|聚焦|注重|提升|关于)*")


@rule("NARR-OVERALL5", title="总体情况涵盖五个方面", severity="warning", basis="OFFICIAL",
      source="国办公开办函〔2021〕30号 (一); 条例第五十条", family="narrative",
      config=("agency_kind", "government_suffixes"))
def narr_overall5(report, ctx):
    """From 2021 part 一 must cover 主动公开, 依申请公开, 政府信息管理, 平台建设 and 监督保障
    (and, in a government's own report, 考核, 社会评议 and 责任追究).
    An aspect counts as covered when a clause or sub-heading is *about* it (the keyword opens the
    clause, after an ordinal such as （一）/一是), not when the word merely occurs in passing."""
    sec = report.section(1)
    if not (report.year and report.year >= 2021 and sec is not None):
        return []
    body = report.text[sec.body_span[0]:sec.body_span[1]]
    clauses = [_ORD.sub("", c.strip().lstrip("#").strip()) for c in re.split(r"[。；;，,：:！？\n]", body)]
    missing = [name for name, rx in ASPECTS
               if not any(re.match(r"(?:政府信息公开|政务公开|政府信息|信息公开|工作)?(?:" + rx + ")", c)
                          for c in clauses if c)]
    if _is_government(report, ctx):  # 条例第五十条: a government's report also covers these
        missing += [name for name, rx in GOVERNMENT_ASPECTS if not re.search(rx, body)]
    if not missing:
        return []
    # expected and actual over the same list: what this report must cover (a government's adds
    # its own aspects), so that a missing government aspect shows as a difference
    required = [a for a, _ in ASPECTS] + ([a for a, _ in GOVERNMENT_ASPECTS]
                                          if _is_government(report, ctx) else [])
    return [Finding(severity="warning", message="总体情况未分述：" + "、".join(missing),
                    location={"section": 1, "line": sec.line, "span": sec.span},
                    expected=required,
                    actual=[a for a in required if a not in missing], quote=sec.heading,
                    details={"missing": missing})]


_VAGUE = re.compile(r"进一步|加强|有待|不足|差距|不够")
_CONCRETE = re.compile(r"\d|《|上年度|上一年度|[（(][一二三四五六七八九十][）)]|[一二三四五六七八九十]是|整改")


@rule("NARR-PROBLEMS", title="存在的主要问题及改进情况应具体", severity="warning", basis="HEUR",
      source="条例第五十条; spec §5.5 NARR-PROBLEMS", family="narrative")
def narr_problems(report, ctx):
    """Part 五 that is short, or only says 进一步加强 without any concrete problem or measure
    (no figure, no named measure, no enumeration, no 整改 of last year's problems)."""
    sec = report.section(5)
    if sec is None:
        return []
    body = report.text[sec.body_span[0]:sec.body_span[1]]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", body))
    if cjk >= 80 and _CONCRETE.search(body):
        return []
    why = "内容过短" if cjk < 80 else "只有笼统表述（" + "、".join(sorted(set(_VAGUE.findall(body)))[:4]) + "），无具体问题或措施"
    return [Finding(severity="warning", message=f"第五部分{why}",
                    location={"section": 5, "line": sec.line, "span": sec.span},
                    expected="具体问题与可衡量的改进措施", actual=_short(body), quote=sec.heading,
                    details={"cjk_chars": cjk})]


def _all_zero(report) -> bool:
    vals = [c.value for t in (report.table2, report.table3, report.table4) if t.found
            for c in t.cells.values() if c.value is not None]
    return bool(vals) and not any(vals)


@rule("NARR-ALLZERO", title="表格全为零而正文称有业务量", severity="warning", basis="HEUR",
      source="spec §5.5 ALLZERO-CONSIST; R11", family="narrative")
def allzero_consist(report, ctx):
    """Every table cell is 0 while the prose states non-zero applications, cases or decisions."""
    if not _all_zero(report):
        return []
    active = [c for c in C.extract(report) if not c.demoted and c.value and not c.zero
              and C.METRIC.get(c.metric) and C.METRIC[c.metric].family in ("apps", "review", "docs")]
    if not active:
        return []
    c = active[0]
    return [Finding(severity="warning", message=f"表二、表三、表四全为0，但正文有{len(active)}处非零业务数（如“{c.raw}”）",
                    location=_location(c), expected=0, actual=c.value, quote=c.sentence.quote(),
                    details={"claims": [x.to_json() for x in active[:10]]})]


_COMPILED_BY = re.compile(r"(?:由|(?:^|(?<=[，,；;。]))(?!由))([^，。,；;由]{2,40}?)(?:负责)?编制(?:了|完成了)?(?:本|此)?(?:年度)?(?:报告|年报|(?=[。；;！!]|$))")
_SELF = {"局": "我局", "委": "我委", "办": "我办", "厅": "我厅"}
_SELF_RE = re.compile(r"我(局|委|办|厅)")
_SUBJECT = re.compile(r"(?:^|[，。；,;])(?:我|本)?(?:区|县|市)?([\u4e00-\u9fff]{1,6}?(?:局|委|办))"
                      r"(?=坚持|以|认真|按照|严格|高度|没有|未|共|全年|今年|进一步)")


#: Who may compile a report besides the agency itself: its own office (a government's report is
#: compiled by its 办公室/管委会办公室), or the agency speaking of itself (我区, 本机关).
_OWN_OFFICE = re.compile(r"(?:我|本)?(?:区|县|市|州|省|机关|单位|部门|局|委|办)?(?:人民政府|政府|管委会|管理委员会)?"
                         r"(?:办公室|办公厅|办)?(?:政务公开办公室|信息公开办公室)?")
_TERRITORIAL = re.compile(r"(?:人民政府|政府|管委会|管理委员会|区|县|市|旗|州|省|盟)$")


#: Never an agency name: a self-reference (我局, 本机关, 全局) anywhere in the phrase, or a clause
#: citing a rule (根据《…》规定, 按照…要求).
_NOT_A_NAME = re.compile(r"(?:我|本|全)(?:局|委|办|厅|机关|单位|部门)|《|^(?:根据|按照|依据|依照|结合|对照|为)")


def _sloc(report, s, a: int, b: int) -> dict:
    span = s.doc_span(a, b)
    return {"section": s.section, "line": report.document.line_of(span[0]), "span": span}


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@rule("META-AGENCY", title="正文所用机关名称与标题一致", severity="warning", basis="HEUR",
      source="spec §5.1 META-AGENCY", family="meta")
def meta_agency(report, ctx):
    """The body names the title's agency: the 编制 body, self-references (我局 in a 局's
    report) and abbreviations in subject position (区科工局 ⊂ 科技和工业信息化局)."""
    from ..prose.places import agency_name, own_area

    agency = agency_name(report)
    if not agency:
        return []
    own = own_area(agency)
    core = agency
    for n in sorted(own.names, key=len, reverse=True):
        core = core.replace(n, "")
    out = []
    kind = next((k for k in ("局", "委员会", "委", "办公室", "办公厅", "厅", "办") if agency.endswith(k)), None)
    for s in sentences(report):
        m = _COMPILED_BY.search(s.text)
        if m and not _NOT_A_NAME.search(m.group(1)):
            body = m.group(1)
            from rapidfuzz import fuzz

            if not (body in agency or agency in body or core and core in body
                    or _OWN_OFFICE.fullmatch(re.sub("|".join(map(re.escape, own.names)) or "^$", "", body))
                    or fuzz.partial_ratio(body, agency) >= 80):
                out.append(Finding(severity="warning", message=f"报告称由“{body}”编制，与标题机关“{agency}”不一致",
                                   location=_sloc(report, s, m.start(1), m.end(1)), expected=agency,
                                   actual=body, quote=s.quote()))
        if kind:
            own_self = _SELF.get(kind[0])
            for sm in _SELF_RE.finditer(s.text):
                if own_self and sm.group(0) != own_self and not (kind == "办公厅" and sm.group(0) == "我厅"):
                    out.append(Finding(severity="warning",
                                       message=f"“{sm.group(0)}”与标题机关“{agency}”的类型不符",
                                       location=_sloc(report, s, sm.start(), sm.end()),
                                       expected=own_self, actual=sm.group(0), quote=s.quote()))
        for sm in _SUBJECT.finditer(s.text) if not _TERRITORIAL.search(agency) else ():
            if _NOT_A_NAME.search(sm.group(1)):
                continue  # 今年我局, 结合我局, 在全局: a self-reference after a word, not a name
            abbr = re.sub(r"^[我本]", "", sm.group(1))
            for n in own.names:
                abbr = abbr.replace(n, "")
            if len(abbr) >= 2 and not _subsequence(abbr, core or agency):
                out.append(Finding(severity="warning",
                                   message=f"正文主语“{sm.group(1)}”不是标题机关“{agency}”的简称",
                                   location=_sloc(report, s, sm.start(1), sm.end(1)),
                                   expected=agency, actual=sm.group(1), quote=s.quote()))
    return out
