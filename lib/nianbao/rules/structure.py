"""Structure: the six parts, repeated headings, the format version, and where the tables sit.

条例 第五十条 lists the content and 30号 says it must not be left out ("不能遗漏"); the six
parts are recognised by keywords (the parser's ``Section``s), because compliant reports vary
the wording slightly.
"""
from __future__ import annotations

import re

from .. import schema
from ..findings import Finding
from ..textnorm import label_key
from .registry import rule

_CN = "一二三四五六"


@rule("STRUCT-EMPTY", title="有报告正文", severity="error", basis="STRUCT",
      source="条例第五十条; issue 9 (页面只剩标题)", family="structure")
def struct_empty(report, ctx):
    """A page whose text is only the title — the body failed to load or was not saved — is one
    finding, "no report text", not nine missing parts and tables: the engine runs only the
    metadata rules besides this one on such a report (``Report.body_missing``)."""
    if report.body_missing:
        yield Finding(message=f"没有报告正文：{report.body_missing}（页面正文可能未加载或未保存）",
                      location={"line": report.title_line} if report.title_line else {},
                      expected="报告正文（六个部分和统计表）", actual=report.body_missing,
                      quote=report.title)


@rule("STRUCT-READ", title="统计表读取可靠", severity="warning", basis="STRUCT",
      source="issue 9 (读表置信度)", family="structure")
def struct_read(report, ctx):
    """A table the parser could not read reliably (``Table.confidence == "doubtful"``: column
    numbers read as values, placeholder headers among the values, rows with values to spare,
    most of its own identities failing) is one warning saying what was seen and where. The
    table's arithmetic is then not reported (evidence.check_relations) and any other error
    resting on it is lowered to info by the engine: a reader's misreading must never reach
    the auditor as an error about the report."""
    from .evidence import TABLE_CN

    for t in (report.table2, report.table3, report.table4):
        if not t.doubtful:
            continue
        yield Finding(message=f"{TABLE_CN[t.name]}未能可靠读取（{'；'.join(t.doubts)}），"
                      "未据此报告表内算术错误，请对照原文核对",
                      location={"table": t.name, "line": t.line}, expected="可靠读取的表格",
                      actual="；".join(t.doubts),
                      quote=_table_head(report, t), details={"doubts": list(t.doubts),
                                                             "layouts": list(t.layouts)})


def _table_head(report, t) -> str | None:
    if t.line is None:
        return None
    lines = report.document.lines[t.line - 1:(t.end_line or t.line)]
    return "\n".join(lines[:3])[:200] or None


@rule("STRUCT-SECTIONS", title="六个部分齐全且顺序正确", severity="error", basis="OFFICIAL",
      source="spec §5.1; 条例第五十条; 30号“不能遗漏”", family="structure")
def struct_sections(report, ctx):
    """A missing part is an error; parts printed out of order are a warning. A part whose
    heading is missing but whose content is headed by its keywords (e.g. "（一）主要问题"
    between parts 四 and 六) is a warning: the content is there, the heading is not. Reports
    before 2019 followed the old 条例 and are not held to the six parts."""
    from .meta import uses_tables

    if not uses_tables(report):
        return
    found = {s.number for s in report.sections}
    for spec in schema.SECTIONS:
        if spec.number in found:
            continue
        hit = _content_heading(report, spec.number)
        if hit:
            line, text = hit
            yield Finding(severity="warning",
                          message=f"未找到第{_CN[spec.number - 1]}部分标题“{spec.heading}”，但第{line}行"
                          f"“{text}”似为该部分内容（标题缺失或编号不规范）",
                          location={"section": spec.number, "line": line}, expected=spec.heading,
                          actual=text, quote=text)
        else:
            yield Finding(severity="error", message=f"缺少第{_CN[spec.number - 1]}部分“{spec.heading}”",
                          location={"section": spec.number}, expected=spec.heading, actual=None)
    seq = [s for s in sorted(report.sections, key=lambda s: s.line)]
    for prev, cur in zip(seq, seq[1:]):
        if cur.number < prev.number:
            yield Finding(severity="warning",
                          message=f"第{_CN[cur.number - 1]}部分“{cur.heading}”排在第{_CN[prev.number - 1]}部分之后",
                          location={"section": cur.number, "line": cur.line, "span": tuple(cur.span)},
                          expected=f"第{_CN[cur.number - 1]}部分在第{_CN[prev.number - 1]}部分之前",
                          actual=cur.heading, quote=cur.heading)


#: Keywords of a part's content, looked for in short lines where its heading should be.
_CONTENT = {1: "总体情况", 2: "主动公开", 3: "依申请公开|政府信息公开申请", 4: "行政复议|行政诉讼",
            5: "主要问题|改进情况", 6: "其他需要报告|其他事项"}


def _content_heading(report, number: int) -> tuple[int, str] | None:
    """A short line between the neighbouring parts that carries this part's keywords."""
    before = [s.line for s in report.sections if s.number < number]
    after = [s.line for s in report.sections if s.number > number]
    lo, hi = max(before, default=0), min(after, default=10**9)
    pat = re.compile(_CONTENT[number])
    for i, text in enumerate(report.document.lines, start=1):
        if lo < i < hi and len(text.strip()) <= 30 and "\t" not in text and pat.search(text):
            return i, text.strip()
    return None


_NUMBERED = re.compile(rf"^\s*[{_CN}]\s*[、.．]")
_TITLE = "政府信息公开工作年度报告"


def _dup_kind(text: str, title_key: str | None) -> str | None:
    k = label_key(text)
    if title_key and k == title_key or _TITLE in k and len(k) <= 60:
        return "标题"
    if _NUMBERED.match(text) and any(re.search(s.pattern, k) for s in schema.SECTIONS):
        return "部分标题"
    return None


@rule("STRUCT-DUP", title="标题或部分标题重复", severity="warning", basis="STRUCT",
      source="spec §5.1 (D-FORMAT); 种子报告第3/7、5/9行", family="structure")
def struct_dup(report, ctx):
    """The title or a part heading printed twice is a copy/paste or extraction artefact; each
    repeat is reported at its second line with the first line in the details."""
    title_key = label_key(report.title) if report.title else None
    first: dict[str, int] = {}
    for text, line in report.headings:
        kind = _dup_kind(text, title_key)
        if kind is None:
            continue
        k = label_key(text)
        if k in first:
            yield Finding(severity="warning",
                          message=f"{kind}“{text.strip()}”重复出现（第{first[k]}行与第{line}行）",
                          location={"line": line}, expected=1, actual=2, quote=text.strip(),
                          details={"first_line": first[k]})
        else:
            first[k] = line


def required_version(year: int | None) -> str | None:
    if year is None or year < 2019:
        return None
    return schema.FORMAT_2021 if year >= 2021 else schema.FORMAT_2019


_VERSION_CN = {schema.FORMAT_2021: "2021年格式（国办公开办函〔2021〕30号）",
               schema.FORMAT_2019: "2019年试行格式（国办公开办函〔2019〕60号）"}


@rule("STRUCT-VERSION", title="表格格式版本与报告年度相符", severity="error", basis="OFFICIAL",
      source="spec §5.1; §2.1 (2020年对应2019格式为推定[U])", family="structure")
def struct_version(report, ctx):
    """Report year ≥ 2021 must use the 2021 format, 2019–2020 the 2019 trial format; labels of
    both formats in one report are flagged too. Decided on the label markers the parser saw."""
    from .meta import title_year

    year = title_year(report)
    need = required_version(year)
    markers = {v: m for v, m in (report.format_markers or {}).items()
               if v in _VERSION_CN and m}
    if need is None:
        return
    other = schema.FORMAT_2019 if need == schema.FORMAT_2021 else schema.FORMAT_2021
    if not markers:
        yield Finding(severity="info", message=f"未识别到表格格式标志，无法核对是否使用{_VERSION_CN[need]}",
                      location={}, expected=need, actual=None)
        return
    if other in markers:
        quote = "、".join(markers[other][:4])
        mixed = need in markers
        msg = (f"{year}年报告应使用{_VERSION_CN[need]}，"
               + (f"但同时出现了{_VERSION_CN[other]}的标志：{quote}" if mixed
                  else f"实际使用了{_VERSION_CN[other]}（标志：{quote}）"))
        yield Finding(severity="error", message=msg, location=_marker_loc(report, markers[other]),
                      expected=need, actual="mixed" if mixed else other, quote=quote,
                      details={"markers": markers})


def _marker_loc(report, markers: list[str]) -> dict:
    """Where the first marker of the wrong version is printed (if it is found verbatim)."""
    hits = [(i, m) for m in markers if (i := report.text.find(m)) >= 0]
    if not hits:
        return {}
    i, m = min(hits)
    return {"line": report.document.line_of(i), "span": (i, i + len(m))}


@rule("STRUCT-PARTS-ORDER", title="表二、表三、表四位于对应部分之下", severity="warning",
      basis="STRUCT", source="spec §5.1; §2.2", family="structure")
def struct_parts_order(report, ctx):
    """表二 belongs under part 二, 表三 under 三, 表四 under 四; a table elsewhere usually
    means a mis-numbered heading or a table pasted in the wrong place."""
    secs = sorted(report.sections, key=lambda s: s.span[0])
    for name, want in (("table2", 2), ("table3", 3), ("table4", 4)):
        t = report.table(name)
        start = _table_start(report, t)
        if not t.found or start is None or not secs:
            continue
        under = None
        for s in secs:
            if s.span[0] <= start:
                under = s
        if under is None or under.number != want:
            where = f"第{_CN[under.number - 1]}部分“{under.heading}”之下" if under else "第一部分之前"
            quote = report.document.line_text(t.line).replace("\t", " ").strip()[:80] or None
            yield Finding(severity="warning",
                          message=f"{schema.TABLE_NAMES[name].split()[0]}位于{where}，应在第{_CN[want - 1]}部分",
                          location={"table": name, "line": t.line, "section": under.number if under else None},
                          expected=want, actual=under.number if under else None, quote=quote)


def _table_start(report, t) -> int | None:
    """Where the table starts in the text: its span, else the start of its first line. Offsets,
    not lines, because crawler text puts a whole report on one line."""
    if t.span:
        return t.span[0]
    if t.line is None:
        return None
    lines = report.document.lines
    return sum(len(x) + 1 for x in lines[:t.line - 1])
