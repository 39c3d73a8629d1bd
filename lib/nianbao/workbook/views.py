"""One call per notebook cell: display objects built from an ``AuditResult``.

The audit notebook is meant to read like a report and to stay thin, so every cell is a single
call here returning an object with ``_repr_html_``; all layout lives in this module where it is
tested. Everything that came from the report (agency, quotes, labels as printed, section text,
even file names) is untrusted and goes through ``html.escape`` — no view ever passes report text
to ``Markdown`` or raw HTML. Styles use ``nb-`` classes defined in ``templates/workbook.css``,
which the header view inlines (for JupyterLab) and the HTML export inlines again (for the page).

The batch overview views live in ``nianbao.overview``; ``load_batch`` and ``batch_overview`` are
forwarded from here so the batch runner needs one documented entry point.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import __version__, charts, schema
from .errors import InputError
from .rules.registry import FAMILY_LABELS, family_of

esc = html.escape
CSS_PATH = Path(__file__).parent / "templates" / "workbook.css"

SEVERITY_LABELS = charts.SEVERITY_LABELS
HOW_LABELS = {"read": "读取", "aligned": "按右对齐补位读取", "recovered": "由粘连数字恢复",
              "blank": "空白", "missing": "缺失（报告无此单元格）", "ambiguous": "有歧义",
              "unreadable": "无法读取"}
PUBLISHED_SOURCES = {"input": "输入文件的元数据", "caller": "调用参数 published",
                     "unknown": "未知（输入无发布日期，也未提供参数）"}


@dataclass
class View:
    """An HTML fragment that displays itself in a notebook and in the exported page."""

    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return f'<div class="nb-view">{self.html}</div>'

    def __repr__(self) -> str:
        return self.text or "<View>"


def css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def severity_badge(sev: str) -> str:
    return f'<span class="nb-sev nb-sev-{esc(sev)}">{esc(SEVERITY_LABELS.get(sev, sev))}</span>'


def html_table(headers: list[str], rows: list[list[str]], cls: str = "nb-table") -> str:
    """A table from cells that are ALREADY HTML (callers escape); headers are escaped here."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return esc(str(v))


# ------------------------------------------------------------------ loading and writing
def load(report_path: str, published: str = "", config_path: str = ""):
    """Audit ``report_path`` (the notebook parameters as given: empty strings mean "none").

    A relative path is taken from the working directory (JupyterLab runs the kernel in the
    notebook's folder), else from the notebooks folder, where the default sample path points.
    """
    from .engine import audit
    from .kernel import NOTEBOOK_DIR

    if not str(report_path or "").strip():
        raise InputError("report_path", "no report given")
    path = Path(report_path).expanduser()
    if not path.is_absolute() and not path.exists() and (NOTEBOOK_DIR / path).exists():
        path = NOTEBOOK_DIR / path
    if not path.exists():
        raise InputError(path, "no such file")
    return audit(path, published=published or None, config=config_path or None)


def default_result_path(result) -> Path:
    """``outputs/<stem>.result.json`` beside the working directory; run from ``notebooks/``
    (JupyterLab) that is the repository's git-ignored ``outputs/``."""
    from .kernel import NOTEBOOK_DIR

    base = Path.cwd()
    if base.resolve() == NOTEBOOK_DIR.resolve():
        base = NOTEBOOK_DIR.parent
    return base / "outputs" / f"{Path(result.source['path']).stem}.result.json"


def write_result(result, result_path: str = "") -> View:
    """Write the result JSON (schema.md) atomically; empty ``result_path`` = ``outputs/``."""
    from .site import write_atomic  # (site imports overview, which imports this module)

    path = Path(result_path).expanduser() if result_path else default_result_path(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, result.to_json_text() + "\n")
    shown = str(path.resolve())
    return View(f'<p class="nb-written">结果 JSON 已写入：<code>{esc(shown)}</code>'
                f"（{len(result.findings)} 条发现）</p>", f"result written to {shown}")


# ------------------------------------------------------------------ header and summary
def _published_text(result) -> str:
    date = result.published.isoformat() if result.published else "未知"
    return f"{date}（来源：{PUBLISHED_SOURCES.get(result.published_source, result.published_source)}）"


def header(result) -> View:
    """Who, which year, which file (with its sha256), when published and by which tool."""
    r, src = result.report, result.source
    title = r.title or Path(src["path"]).name
    period = ""
    if r.period and all(r.period):
        period = f"{r.period[0].isoformat()} 至 {r.period[1].isoformat()}"
    rows = [("机关", r.agency or "（未识别）"), ("地区", r.region or "（未识别）"),
            ("年度", str(r.year) if r.year else "（未识别）"), ("统计期间", period or "（未识别）"),
            ("格式版本", r.format_version), ("源文件", src["path"]),
            ("文件格式", src.get("format") or ""), ("SHA-256", src.get("sha256") or ""),
            ("发布日期", _published_text(result)),
            ("工具版本", f"nianbao {result.tool_version}")]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return View(f"<style>{css()}</style>"
                f'<h1 class="nb-title">{esc(title)}</h1>'
                f'<table class="nb-meta">{body}</table>',
                f"{title} — {r.agency} {r.year}")


def _family(result, rule_id: str) -> str:
    return result.families.get(rule_id) or family_of(rule_id)


def summary(result) -> View:
    """Counts by severity, then a family × severity table (which kinds of problems)."""
    s = result.summary
    badges = " ".join(f'{severity_badge(k)} <b class="nb-count">{s.get(k, 0)}</b>'
                      for k in ("error", "warning", "info"))
    fams: dict[str, dict[str, int]] = {}
    for f in result.findings:
        d = fams.setdefault(_family(result, f.rule), {})
        d[f.severity] = d.get(f.severity, 0) + 1
    order = {k: i for i, k in enumerate(FAMILY_LABELS)}
    rows = [[esc(FAMILY_LABELS.get(fam, fam))] +
            [str(d.get(k, 0)) for k in ("error", "warning", "info")] + [str(sum(d.values()))]
            for fam, d in sorted(fams.items(), key=lambda kv: order.get(kv[0], 99))]
    table = (html_table(["规则类别", "错误", "警告", "提示", "合计"], rows) if rows
             else '<p class="nb-ok">未发现问题。</p>')
    verdict = ("存在错误，需要更正。" if s.get("error") else
               "无错误；请复核警告。" if s.get("warning") else "无错误、无警告。")
    return View(f'<p class="nb-summary">{badges}　<span>{esc(verdict)}</span>'
                f'　<span class="nb-note">共运行 {len(result.rules_run)} 条规则</span></p>{table}',
                f"{s}")


# ------------------------------------------------------------------ findings
def _row_label(table: str, fmt: str, row: str) -> str:
    if table == "table3":
        spec = next((r for r in schema.T3_ROWS if r.key == row), None)
        return schema_label(spec.label) if spec else row
    if table == "table4":
        return next((r.label for r in schema.T4_ROWS if r.key == row), row)
    if table == "table2":
        return next((r.label for r in schema.t2_rows(fmt) if r.key == row), row)
    return row


def _col_label(table: str, fmt: str, row: str | None, col: str) -> str:
    if table == "table3":
        cols = schema.T3_COLUMNS
    elif table == "table4":
        cols = schema.T4_COLUMNS
    else:
        cols = next((r.columns for r in schema.t2_rows(fmt) if r.key == row),
                    tuple(c for r in schema.t2_rows(fmt) for c in r.columns))
    return next((c.label for c in cols if c.key == col), col)


def schema_label(label: str) -> str:
    return label.split("（区分")[0]


def table_format(report, name: str) -> str:
    """The layout a table prints (a report may mix 2019 and 2021 tables)."""
    return report.table(name).format_version or report.format_version


def location_label(loc: dict, report) -> str:
    """A location in the auditor's words: ``表三 · （一）予以公开 · 总计 · 第43行``."""
    parts = []
    t = loc.get("table")
    if t in schema.TABLE_NAMES:
        fmt = table_format(report, t)
        parts.append(schema.TABLE_NAMES.get(t, t).split(" ")[0])
        if loc.get("row"):
            parts.append(_row_label(t, fmt, loc["row"]))
        if loc.get("column"):
            parts.append(_col_label(t, fmt, loc.get("row"), loc["column"]))
    if loc.get("section"):
        parts.append(f"第{loc['section']}部分")
    if loc.get("line"):
        parts.append(f"第{loc['line']}行")
    return " · ".join(parts) or "全文"


def findings_table(result) -> View:
    """All findings, one row each, linking to the evidence below."""
    rows = []
    for i, f in enumerate(result.findings, 1):
        rows.append([f'<a href="#nb-finding-{i}">{i}</a>', severity_badge(f.severity),
                     f"<code>{esc(f.rule)}</code>", esc(f.message),
                     esc(location_label(f.location, result.report))])
    if not rows:
        return View('<p class="nb-ok">未发现问题。</p>', "no findings")
    return View(html_table(["#", "严重程度", "规则", "说明", "位置"], rows, "nb-table nb-findings"),
                f"{len(rows)} findings")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def marked(text: str, base: int, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` (which starts at offset ``base`` of the document) escaped, with each
    ``(start, end, title, css_class)`` mark wrapped in ``<mark>``; overlapping marks after the
    first are dropped so the HTML stays well-formed."""
    out, pos = [], 0
    for start, end, title, cls in sorted(marks):
        s, e = max(start - base, pos), min(end - base, len(text))
        if e <= s:
            continue
        out.append(esc(text[pos:s]))
        out.append(f'<mark class="{esc(cls)}" title="{esc(title)}">{esc(text[s:e])}</mark>')
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def _evidence_span(f, report) -> tuple[int, int] | None:
    """The character span a finding rests on: its own, else its cell's, else its quote's."""
    loc = f.location
    if loc.get("span"):
        return tuple(loc["span"])
    if loc.get("table") in schema.TABLE_NAMES and loc.get("row") and loc.get("column"):
        cell = report.table(loc["table"]).cell(loc["row"], loc["column"])
        if cell is not None and cell.span:
            return cell.span
    text = report.text
    if f.quote and 2 <= len(f.quote) <= 2000:
        # quotes are often whitespace-normalized (a table row's tabs printed as spaces)
        pattern = re.compile(r"\s+".join(re.escape(t) for t in f.quote.split()))
        line = loc.get("line")
        m = None
        if not line:
            m = pattern.search(text)
        else:
            starts = _line_starts(text)
            if 1 <= line <= len(starts):
                m = pattern.search(text, starts[line - 1])
                if m and report.document.line_of(m.start()) > line + 2:  # some later repeat
                    m = None
        if m:
            return _narrow(text, m.span(), f.actual)
    return None


def _narrow(text: str, span: tuple[int, int], actual) -> tuple[int, int]:
    """Within a quoted block (a table header, a whole row), the printed ``actual`` wording is
    what the finding is about: mark that when it occurs there exactly once."""
    if isinstance(actual, str) and len(actual) >= 2:
        block = text[span[0]:span[1]]
        if block.count(actual) == 1:
            i = span[0] + block.index(actual)
            return (i, i + len(actual))
    return span


def context(report, span: tuple[int, int] | None, line: int | None, title: str = "",
            cls: str = "nb-hit", around: int = 1, max_lines: int = 8) -> str:
    """The lines around ``span`` (or ``line``) with line numbers, the span in ``<mark>``."""
    text = report.text
    starts = _line_starts(text)
    lines = text.split("\n")
    if span:
        first = report.document.line_of(span[0])
        last = report.document.line_of(max(span[1] - 1, span[0]))
    elif line:
        first = last = line
    else:
        return ""
    lo, hi = max(1, first - around), min(len(lines), max(last, first) + around, first + max_lines)
    marks = [(span[0], span[1], title, cls)] if span else []
    rows = []
    for n in range(lo, hi + 1):
        a, b = _window(len(lines[n - 1]), starts[n - 1], span, n < first, n > last)
        body = ("…" if a else "") + marked(lines[n - 1][a:b], starts[n - 1] + a, marks) \
            + ("…" if b < len(lines[n - 1]) else "")
        focus = " nb-focus" if first <= n <= last else ""
        rows.append(f'<div class="nb-line{focus}"><span class="nb-ln">{n}</span>'
                    f'<span class="nb-lt">{body}</span></div>')
    return f'<div class="nb-context">{"".join(rows)}</div>'


CLIP = 160  # characters of context shown around a span on a very long line


def _window(length: int, start: int, span, before: bool, after: bool) -> tuple[int, int]:
    """What part of a line to show: all of it, unless it is very long (a crawler's body on one
    line), then the span with ``CLIP`` characters each side, or the end of the line before /
    the start of the line after."""
    if length <= 3 * CLIP:
        return 0, length
    if before:
        return length - CLIP, length
    if after or not span:
        return 0, min(length, 2 * CLIP)
    a = max(0, span[0] - start - CLIP)
    return a, min(length, span[1] - start + CLIP, a + 8 * CLIP)


def _cell_anchor(table: str, row: str, col: str) -> str:
    return f"nb-cell-{table}-{row}-{col}"


def evidence(result) -> View:
    """Each finding with its evidence: expected vs actual, the quote in its context with the
    span highlighted, and a link to the cell in the rendered table."""
    rep = result.report
    parts = []
    for i, f in enumerate(result.findings, 1):
        loc = f.location
        span = _evidence_span(f, rep)
        kv = []
        if f.expected is not None or f.actual is not None:
            kv.append(f"应为 <b>{_value(f.expected)}</b>，实为 <b>{_value(f.actual)}</b>")
        if loc.get("table") in schema.TABLE_NAMES and loc.get("row") and loc.get("column"):
            kv.append(f'<a href="#{_cell_anchor(loc["table"], loc["row"], loc["column"])}">'
                      f"在表中查看该单元格</a>")
        for key, label in (("skipped", "跳过的空单元格"), ("recovered", "使用的恢复单元格")):
            if f.details.get(key):
                kv.append(f"{label}：{esc(_cells_text(f.details[key], loc.get('table'), rep))}")
        ctx = context(rep, span, loc.get("line"), f.message,
                      f"nb-hit nb-hit-{f.severity}")
        quote = ""
        if f.quote and not ctx:
            quote = f'<blockquote class="nb-quote">{esc(f.quote)}</blockquote>'
        parts.append(
            f'<section class="nb-finding nb-finding-{esc(f.severity)}" id="nb-finding-{i}">'
            f'<h4>{i}. {severity_badge(f.severity)} <code>{esc(f.rule)}</code> {esc(f.message)}</h4>'
            f'<p class="nb-where">位置：{esc(location_label(loc, rep))}</p>'
            + (f'<p class="nb-kv">{"；".join(kv)}</p>' if kv else "") + quote + ctx + "</section>")
    if not parts:
        return View('<p class="nb-ok">没有需要举证的发现。</p>', "no findings")
    return View("".join(parts), f"{len(parts)} findings with evidence")


def _cells_text(cells, table: str | None, report) -> str:
    """``details["skipped"]``-style cell lists in labels: ``（一）予以公开/商业企业（空白）``."""
    if not isinstance(cells, list):
        return _plain(cells)
    out = []
    for c in cells:
        if isinstance(c, dict) and table in schema.TABLE_NAMES and c.get("row") and c.get("column"):
            fmt = table_format(report, table)
            how = HOW_LABELS.get(c.get("how"), c.get("how") or "")
            out.append(f"{_row_label(table, fmt, c['row'])}/"
                       f"{_col_label(table, fmt, c['row'], c['column'])}"
                       + (f"（{how}）" if how else ""))
        else:
            out.append(_plain(c))
    return "、".join(out)


def _value(v) -> str:
    if isinstance(v, (list, tuple)) and all(isinstance(x, (str, int, float)) for x in v):
        return esc("、".join(str(x) for x in v)) or "—"
    return _fmt(v) if v is None or isinstance(v, (int, float)) else esc(_plain(v))


def _plain(v) -> str:
    """A value from findings/details as short text (lists and dicts as compact JSON)."""
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return "" if v is None else str(v)


# ------------------------------------------------------------------ tables
def _cell_findings(result, table: str) -> dict[tuple[str | None, str | None], list]:
    """Findings by the (row, column) they point at in ``table``; None = the whole row/column."""
    out: dict[tuple[str | None, str | None], list] = {}
    for f in result.findings:
        loc = f.location
        if loc.get("table") != table or not (loc.get("row") or loc.get("column")):
            continue
        out.setdefault((loc.get("row"), loc.get("column")), []).append(f)
    return out


def _td(result, table, row: str, col: str, hits) -> str:
    """One value cell: failing (finding), null (— with reason) or recovered, with a tooltip."""
    cell = result.report.table(table).cell(row, col)
    fs = hits.get((row, col), []) + hits.get((row, None), []) + hits.get((None, col), [])
    classes, tips = ["nb-v"], []
    if cell is None or cell.value is None:
        classes.append("nb-null")
        how = cell.how if cell is not None else "missing"
        tips.append(f"空值：{HOW_LABELS.get(how, how)}" +
                    (f"（{cell.reason}）" if cell is not None and cell.reason else ""))
    elif cell.how in ("recovered", "aligned"):
        classes.append(f"nb-{cell.how}")
        tips.append(f"{HOW_LABELS[cell.how]}：原文“{cell.raw or ''}”"
                    + (f"，{cell.reason}" if cell.reason else ""))
    if fs:
        worst = min(fs, key=lambda f: ("error", "warning", "info").index(f.severity)
                    if f.severity in ("error", "warning", "info") else 3).severity
        classes.append(f"nb-fail nb-fail-{worst}")
        tips += [f"{f.rule}：{f.message}" for f in fs]
    if cell is not None and cell.line:
        tips.append(f"第{cell.line}行")
    value = _fmt(None if cell is None else cell.value)
    return (f'<td id="{_cell_anchor(table, row, col)}" class="{" ".join(classes)}" '
            f'title="{esc(chr(10).join(tips))}">{value}</td>')


def _table_notes(result, name: str, hits) -> str:
    t = result.report.table(name)
    notes = []
    if not t.found:
        notes.append("报告中未找到此表。")
    notes += t.notes
    whole = [f for (r, c), fs in hits.items() if r is None and c is None for f in fs]
    notes += [f"{f.rule}：{f.message}" for f in whole]
    legend = ('<p class="nb-legend"><span class="nb-v nb-fail nb-fail-error">红</span> 有错误 '
              '<span class="nb-v nb-fail nb-fail-warning">橙</span> 有警告 '
              '<span class="nb-v nb-null">—</span> 空值（非零） '
              '<span class="nb-v nb-recovered">蓝</span> 恢复的数字；悬停可看原因</p>')
    return legend + "".join(f'<p class="nb-note">{esc(n)}</p>' for n in notes)


def _t3_html(result, hits) -> str:
    fmt = table_format(result.report, "table3")
    cols = schema.T3_COLUMNS
    head = ('<thead><tr><th rowspan="2">项目</th><th rowspan="2">自然人</th>'
            '<th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr><tr>'
            + "".join(f"<th>{esc(c.label)}</th>" for c in cols[1:6]) + "</tr></thead>")
    rows, cur_top, cur_sub = [], None, None
    for spec in schema.t3_rows(fmt):
        sub = spec.group if spec.group and spec.group.startswith("（") else None
        top = "三、本年度办理结果" if spec.group else None
        if top and top != cur_top:
            rows.append(f'<tr class="nb-group"><th colspan="8">{esc(top)}</th></tr>')
        if sub and sub != cur_sub:
            rows.append(f'<tr class="nb-group nb-sub"><th colspan="8">{esc(sub)}</th></tr>')
        cur_top, cur_sub = top, sub
        indent = 2 if sub else 1 if top else 0
        rows.append(f'<tr><th class="nb-rl nb-indent{indent}">{esc(schema_label(spec.label))}</th>'
                    + "".join(_td(result, "table3", spec.key, c.key, hits) for c in cols)
                    + "</tr>")
    return f'<table class="nb-table nb-stat">{head}<tbody>{"".join(rows)}</tbody></table>'


def _t4_html(result, hits) -> str:
    cols = schema.T4_COLUMNS
    head = ("<thead><tr><th>项目</th>" + "".join(f"<th>{esc(c.label)}</th>" for c in cols)
            + "</tr></thead>")
    rows = [f'<tr><th class="nb-rl">{esc(r.label)}</th>'
            + "".join(_td(result, "table4", r.key, c.key, hits) for c in cols) + "</tr>"
            for r in schema.T4_ROWS]
    return f'<table class="nb-table nb-stat">{head}<tbody>{"".join(rows)}</tbody></table>'


def _t2_html(result, hits) -> str:
    rows = []
    for r in schema.t2_rows(table_format(result.report, "table2")):
        for j, c in enumerate(r.columns):
            lead = (f'<th class="nb-rl" rowspan="{len(r.columns)}">{esc(r.label)}'
                    f'<br><span class="nb-note">第二十条第{esc(r.item)}项</span></th>') if j == 0 else ""
            rows.append(f"<tr>{lead}<td>{esc(c.label)}</td>"
                        f'{_td(result, "table2", r.key, c.key, hits)}</tr>')
    head = "<thead><tr><th>信息内容</th><th>指标</th><th>数值</th></tr></thead>"
    return f'<table class="nb-table nb-stat">{head}<tbody>{"".join(rows)}</tbody></table>'


def table(result, name: str) -> View:
    """表二/表三/表四 with the official labels of the detected format, failing cells marked."""
    hits = _cell_findings(result, name)
    if result.report.table(name).found:
        body = {"table2": _t2_html, "table3": _t3_html, "table4": _t4_html}[name](result, hits)
    else:  # an empty grid of "—" would only repeat the note
        body = ""
    title = schema.TABLE_NAMES[name]
    return View(f'<h3 class="nb-tname">{esc(title)}</h3>{_table_notes(result, name, hits)}{body}',
                title)


# ------------------------------------------------------------------ charts
def _no_table3(result) -> View | None:
    if result.report.table3.found:
        return None
    return View('<p class="nb-note">报告中未找到表三，无法作图。</p>', "no table3")


def outcomes_chart(result) -> charts.Chart | View:
    """表三 办理结果 by group (a note instead when the report has no 表三)."""
    return _no_table3(result) or charts.outcomes_chart(result.report)


def applicants_chart(result) -> charts.Chart | View:
    """表三 一、本年新收 by applicant (a note instead when the report has no 表三)."""
    return _no_table3(result) or charts.applicants_chart(result.report)


# ------------------------------------------------------------------ sections
def sections(result) -> View:
    """The six parts as printed, with the spans that findings rest on highlighted."""
    rep = result.report
    marks = []
    for i, f in enumerate(result.findings, 1):
        span = _evidence_span(f, rep)
        if span:
            marks.append((span[0], span[1], f"{i}. {f.rule}：{f.message}",
                          f"nb-hit nb-hit-{f.severity}"))
    tables = [(t.line, t.end_line or t.line, schema.TABLE_NAMES[t.name].split(" ")[0])
              for t in (rep.table2, rep.table3, rep.table4) if t.found and t.line]
    starts = _line_starts(rep.text)
    lines = rep.text.split("\n")
    parts = []
    for s in rep.sections:
        b0, b1 = s.body_span
        first = rep.document.line_of(b0)
        last = rep.document.line_of(max(b1 - 1, b0))
        out, shown = [], set()
        for n in range(first, min(last, len(lines)) + 1):
            lo, hi = max(starts[n - 1], b0), min(starts[n - 1] + len(lines[n - 1]), b1)
            if n == first and lo >= hi:
                continue  # the body starts after the heading's line
            tab = next((t for t in tables if t[0] <= n <= t[1]), None)
            if tab:  # the table is rendered above; its flattened text would only be noise
                if tab not in shown:
                    shown.add(tab)
                    out.append(f'<span class="nb-note">〔{esc(tab[2])}，原文第{tab[0]}–{tab[1]}行，'
                               f"见上方统计表〕</span>")
                continue
            out.append(marked(rep.text[lo:hi], lo, marks) if lo < hi else "")
        body = "\n".join(out).strip("\n")
        h0, h1 = s.span
        head = marked(rep.text[h0:h1], h0, marks) if 0 <= h0 < h1 else esc(s.heading)
        parts.append(f'<details class="nb-section" open><summary>{head}'
                     f'<span class="nb-note"> 第{s.line}行</span></summary>'
                     f'<div class="nb-text">{body}</div></details>')
    if not parts:
        return View('<p class="nb-note">未识别出报告的六个部分。</p>', "no sections")
    return View("".join(parts), f"{len(parts)} sections")


# ------------------------------------------------------------------ what was checked
def checked(result) -> View:
    """The rules run (id, title, severity, basis), rules disabled, the configuration, version."""
    import yaml

    from .rules.registry import RULES, all_rules

    all_rules()
    rows = []
    for rid in result.rules_run:
        r = RULES.get(rid)
        sev = result.config.get("severity", {}).get(rid) or (r.severity if r else "")
        rows.append([f"<code>{esc(rid)}</code>", esc(r.title if r else ""), severity_badge(sev),
                     esc(r.basis if r else ""), esc(FAMILY_LABELS.get(_family(result, rid), ""))])
    disabled = ", ".join(result.rules_disabled) or "无"
    cfg = yaml.safe_dump(result.config, allow_unicode=True, sort_keys=False)
    return View(html_table(["规则", "检查内容", "严重程度", "依据", "类别"], rows)
                + f'<p class="nb-note">停用的规则：{esc(disabled)}</p>'
                + f'<details class="nb-config"><summary>生效配置</summary><pre>{esc(cfg)}</pre></details>'
                + f'<p class="nb-note">nianbao {esc(result.tool_version)}（本机 {esc(__version__)}）</p>',
                f"{len(rows)} rules run")


# ------------------------------------------------------------------ the batch (see nianbao.overview)
def load_batch(batch_dir):
    """A batch output folder as DataFrames: ``nianbao.overview.load_batch``."""
    from .overview import load_batch as _load

    return _load(batch_dir)


def batch_overview(batch_dir) -> View:
    """The whole batch overview as one view: ``nianbao.overview.batch_overview``."""
    from .overview import batch_overview as _overview

    return _overview(batch_dir)
