"""The audit notebook's views: loading, header, verdict, findings list, what was checked.

The audit notebook is meant to read like a report and to stay thin, so every cell is a single
call returning an object with ``_repr_html_``; all layout lives in this package where it is
tested (evidence and report text in ``evidence``, the statistics tables in ``tables``).
Everything that came from the report (agency, quotes, labels as printed, section text, even file
names) is untrusted and goes through ``html.escape`` — no view ever passes report text to
``Markdown`` or raw HTML. Styles use ``nb-`` classes defined in ``workbook.css``, which the
header view inlines (for JupyterLab) and the HTML export inlines again (for the page).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..version import __version__
from .. import schema
from ..errors import InputError
from ..findings import SEVERITIES, SEVERITY_LABELS
from ..model import PUBLISHED_SOURCE_LABELS
from ..rules.registry import FAMILY_LABELS, family_of

if TYPE_CHECKING:
    from . import charts

esc = html.escape
CSS_PATH = Path(__file__).parent / "workbook.css"
#: The repository's notebooks folder, where JupyterLab runs the kernel in a checkout; relative
#: report paths are also tried from there (the default parameters point at ../data/samples).
REPO_NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


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


def safe_href(href) -> str | None:
    """Only relative links into the batch folder (no scheme, no ``..``): the manifest is ours,
    but an entry name can come from a report file name."""
    if not href:
        return None
    h = str(href)
    if ":" in h or h.startswith(("/", "\\")) or ".." in Path(h).parts:
        return None
    return h


def batch_href(folder, href, base=None) -> str | None:
    """A link to ``href`` (a path inside the batch folder ``folder``, checked by ``safe_href``)
    from the page that shows it, whose folder is ``base`` — by default the working directory,
    i.e. the notebook's own folder: the batch folder when the batch runs the overview (and
    writes overview.ipynb and overview.html there), ``notebooks/`` when an auditor opens the
    overview in JupyterLab (which resolves relative links from the notebook's folder)."""
    import os

    h = safe_href(href)
    if h is None:
        return None
    return Path(os.path.relpath(Path(folder).resolve() / h,
                                Path(base or Path.cwd()).resolve())).as_posix()


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return esc(str(v))


# ------------------------------------------------------------------ loading and writing
def load(report_path: str, published: str = "", config_path: str = ""):
    """Audit ``report_path`` (the notebook parameters as given: empty strings mean "none").

    A relative path is taken from where the auditor may be: the working directory (JupyterLab
    runs the kernel in the notebook's folder), the notebooks folder (where the default sample
    path points) or the repository root (where the auditor's shell is).
    """
    from ..engine import audit

    if not str(report_path or "").strip():
        raise InputError("report_path", "no report given")
    path = Path(report_path).expanduser()
    if not path.is_absolute() and not path.exists():
        path = next((base / path for base in (REPO_NOTEBOOKS, REPO_NOTEBOOKS.parent)
                     if (base / path).exists()), path)
    if not path.exists():
        raise InputError(path, "no such file")
    return audit(path, published=published or None, config=config_path or None)


def default_result_path(result) -> Path:
    """``outputs/<stem>.result.json`` beside the working directory; run from ``notebooks/``
    (JupyterLab) that is the repository's git-ignored ``outputs/``."""
    base = Path.cwd()
    if REPO_NOTEBOOKS.is_dir() and base.resolve() == REPO_NOTEBOOKS.resolve():
        base = REPO_NOTEBOOKS.parent
    return base / "outputs" / f"{Path(result.source['path']).stem}.result.json"


def write_result(result, result_path: str = "") -> View:
    """Write the result JSON (schema.md) atomically; empty ``result_path`` = ``outputs/``."""
    from ..atomic import write_atomic

    path = Path(result_path).expanduser() if result_path else default_result_path(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, result.to_json_text() + "\n")
    shown = str(path.resolve())
    return View(f'<p class="nb-written">结果 JSON 已写入：<code>{esc(shown)}</code>'
                f"（{len(result.findings)} 条发现）</p>", f"result written to {shown}")


# ------------------------------------------------------------------ header and summary
def _published_text(result) -> str:
    date = result.published.isoformat() if result.published else "未知"
    src = PUBLISHED_SOURCE_LABELS.get(result.published_source, result.published_source)
    return f"{date}（来源：{src}）"


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
                      for k in SEVERITIES)
    fams: dict[str, dict[str, int]] = {}
    for f in result.findings:
        d = fams.setdefault(_family(result, f.rule), {})
        d[f.severity] = d.get(f.severity, 0) + 1
    order = {k: i for i, k in enumerate(FAMILY_LABELS)}
    rows = [[esc(FAMILY_LABELS.get(fam, fam))] +
            [str(d.get(k, 0)) for k in SEVERITIES] + [str(sum(d.values()))]
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
    return schema.short_label(schema.row_label(table, row, fmt))


def _col_label(table: str, fmt: str, row: str | None, col: str) -> str:
    return schema.col_label(table, col, row, fmt)


def table_format(report, name: str) -> str:
    """The layout a table prints (a report may mix 2019 and 2021 tables)."""
    return report.table(name).format_version or report.format_version


def location_label(loc: dict, report) -> str:
    """A location in the auditor's words: ``表三 · （一）予以公开 · 总计 · 第43行``."""
    parts = []
    t = loc.get("table")
    if t in schema.TABLE_NAMES:
        fmt = table_format(report, t)
        parts.append(schema.TABLE_SHORT[t])
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


# ------------------------------------------------------------------ charts
def _no_table3(result) -> View | None:
    if result.report.table3.found:
        return None
    return View('<p class="nb-note">报告中未找到表三，无法作图。</p>', "no table3")


def outcomes_chart(result) -> "charts.Chart | View":
    """表三 办理结果 by group (a note instead when the report has no 表三)."""
    from . import charts

    return _no_table3(result) or charts.outcomes_chart(result.report)


def applicants_chart(result) -> "charts.Chart | View":
    """表三 一、本年新收 by applicant (a note instead when the report has no 表三)."""
    from . import charts

    return _no_table3(result) or charts.applicants_chart(result.report)


# ------------------------------------------------------------------ what was checked
def checked(result) -> View:
    """The rules run (id, title, severity, basis), rules disabled, the configuration, version."""
    import yaml

    from ..rules.registry import RULES, all_rules

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
