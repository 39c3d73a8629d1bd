"""The batch at a glance: a batch output folder as DataFrames, and the overview notebook's cells.

``load_batch(batch_dir)`` is the aggregation (tested on its own) over ``nianbao.batchfolder``,
the same reader the index page uses; the other functions are the cells of
``batch_overview.ipynb``. Agency names and messages come from reports and are escaped like
everything else.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..batchfolder import STATUS_LABELS, STATUSES, finding_family, read_batch
from ..findings import SEVERITIES, SEVERITY_LABELS, severity_rank
from ..rules.registry import FAMILY_LABELS, all_rules
from . import charts
from .views import View, batch_href, css, esc, html_table, severity_badge

# the region's cells (across reports), shown by the same notebook: see ``workbook.region``
from .region import (applications_chart, copy_network, coverage, cross_findings,  # noqa: E402,F401
                     decide, indicators, lateness, rates_chart)


@dataclass
class Batch:
    folder: Path
    reports: pd.DataFrame  # one row per report: name, agency, year, status, counts, links
    findings: pd.DataFrame  # one row per finding: report, agency, rule, family, severity…
    #: the folder links are relative to (``views.batch_href``): None, the working directory
    base: Path | None = None


def _titles() -> dict[str, str]:
    """rule id -> its title, from the registry."""
    return {r.id: r.title for r in all_rules()}


def load_batch(batch_dir, base=None) -> Batch:
    """Read a batch folder into a ``Batch`` of two DataFrames (``nianbao.batchfolder``); the
    findings are the reports' own and the cross-report findings about them. Links in the views
    are relative to ``base`` (default: the working directory, the notebook's folder)."""
    folder = read_batch(batch_dir)
    reports, findings = [], []
    for e in folder.reports:
        res = e.result
        sev = e.severity_counts()
        reports.append({
            "id": e.id, "name": Path(e.file).name, "agency": e.agency, "year": e.year,
            "format_version": e.report.get("format_version"), "status": e.status,
            "reason": e.error or None,
            **{s: sev[s] if res else None for s in SEVERITIES},
            "findings": len(e.findings) + len(e.cross) if res else None, "html": e.html,
            "result": str(e.result_path) if e.result_path else None})
        for f in (*e.findings, *e.cross):  # the cross-report ones too, as on the index
            findings.append({"report": e.id, "agency": e.agency, "year": e.year,
                             "rule": f.get("rule"), "family": finding_family(f),
                             "severity": f.get("severity"), "message": f.get("message")})
    rcols = ["id", "name", "agency", "year", "format_version", "status", "reason", *SEVERITIES,
             "findings", "html", "result"]
    fcols = ["report", "agency", "year", "rule", "family", "severity", "message"]
    rdf = pd.DataFrame(reports, columns=rcols)
    for c in (*SEVERITIES, "findings", "year"):
        rdf[c] = rdf[c].astype("Int64")
    return Batch(folder.folder, rdf, pd.DataFrame(findings, columns=fcols),
                 Path(base) if base else None)


def _batch(b) -> Batch:
    return b if isinstance(b, Batch) else load_batch(b)


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _label(agency, year, name) -> str:
    if agency is None or pd.isna(agency):
        return str(name)
    return f"{agency} {'' if year is None or pd.isna(year) else year}".strip()


def _status(st) -> str:
    return STATUS_LABELS.get(st, str(st))


def batch_header(b) -> View:
    """How many reports, in what state, and the findings by severity."""
    b = _batch(b)
    st = b.reports["status"].value_counts()
    sev = b.findings["severity"].value_counts()
    status = "，".join(f"{esc(_status(k))} {v}" for k, v in st.items()) or "无"
    badges = " ".join(f'{severity_badge(s)} <b class="nb-count">{int(sev.get(s, 0))}</b>'
                      for s in SEVERITIES)
    return View(f"<style>{css()}</style>"
                f'<h1 class="nb-title">批量审核概览</h1>'
                f'<p>报告 {len(b.reports)} 份（{status}）；发现：{badges}</p>',
                f"{len(b.reports)} reports")


def family_matrix(b) -> pd.DataFrame:
    """Reports × rule families: number of findings (0 where none), in catalogue order."""
    b = _batch(b)
    labels = [_label(a, y, n) for a, y, n in
              zip(b.reports["agency"], b.reports["year"], b.reports["name"])]
    fams = [f for f in FAMILY_LABELS if f in set(b.findings["family"])]
    fams += sorted(set(b.findings["family"]) - set(fams))
    m = pd.DataFrame(0, index=pd.Index(b.reports["id"], name="report"), columns=fams)
    for (rep, fam), n in b.findings.groupby(["report", "family"]).size().items():
        if rep in m.index:
            m.loc[rep, fam] = n
    m.insert(0, "label", labels)
    return m


def family_heatmap(b) -> View:
    """The heat-map-like table: one row per report, one column per rule family."""
    b = _batch(b)
    m = family_matrix(b)
    fams = [c for c in m.columns if c != "label"]
    top = max([int(m[f].max()) for f in fams] + [1])
    rows = []
    for rid, row in m.iterrows():
        st = b.reports.loc[b.reports["id"] == rid, "status"].iloc[0]
        cells = [esc(row["label"]), esc(_status(st))]
        for f in fams:
            n = int(row[f])
            alpha = 0 if n == 0 else 0.15 + 0.75 * n / top
            cells.append(f'<span class="nb-h" style="display:block;text-align:center;'
                         f'background:rgba(198,40,40,{alpha:.2f})">{n or ""}</span>')
        rows.append(cells)
    return View(html_table(["报告", "状态"] + [FAMILY_LABELS.get(f, f) for f in fams], rows,
                           "nb-table nb-heat"), "family heat map")


def top_findings(b, n: int = 15) -> View:
    """The most frequent rules: how many findings and in how many reports."""
    b = _batch(b)
    if b.findings.empty:
        return View('<p class="nb-ok">批次中没有发现。</p>', "no findings")
    titles = _titles()
    g = (b.findings.groupby("rule")
         .agg(findings=("rule", "size"), reports=("report", "nunique"),
              severity=("severity", lambda s: min(s, key=severity_rank)))
         .sort_values(["reports", "findings"], ascending=False).head(n))
    rows = [[f"<code>{esc(rule)}</code>", esc(titles.get(rule, "")),
             severity_badge(r.severity), str(r.findings), str(r.reports)]
            for rule, r in g.iterrows()]
    return View(html_table(["规则", "检查内容", "最高严重程度", "发现条数", "涉及报告数"], rows),
                "top findings")


def reports_table(b) -> View:
    """Every report with its counts and a link to its page."""
    b = _batch(b)
    rows = []
    for r in b.reports.itertuples():
        href = batch_href(b.folder, r.html, b.base)
        name = (f'<a href="{html.escape(href, quote=True)}">{esc(r.name)}</a>' if href
                else esc(r.name))
        counts = ["" if pd.isna(getattr(r, s)) else str(getattr(r, s)) for s in SEVERITIES]
        rows.append([name, esc(_label(r.agency, r.year, "")), esc(_text(r.format_version)),
                     esc(_status(r.status)), *counts,
                     esc(_text(r.reason))])
    return View(html_table(["文件", "机关·年度", "格式", "状态",
                            *(SEVERITY_LABELS[s] for s in SEVERITIES), "原因"],
                           rows), "reports")


def status_counts(b) -> View:
    """How many reports ended in each state (ok, findings, failed, timeout)."""
    b = _batch(b)
    st = b.reports["status"].value_counts()
    order = [k for k in STATUSES if k in st] + sorted(k for k in st.index if k not in STATUSES)
    rows = [[esc(_status(k)), str(st[k])] for k in order]
    return View(html_table(["状态", "报告数"], rows), f"{dict(st)}")


def findings_histogram(b) -> charts.Chart:
    b = _batch(b)
    vals = [int(v) for v in b.reports["findings"].dropna()]
    return charts.histogram(vals, "每份报告的发现条数", "发现条数")


def family_chart(b) -> charts.Chart:
    b = _batch(b)
    fams = [f for f in FAMILY_LABELS if f in set(b.findings["family"])]
    fams += sorted(set(b.findings["family"]) - set(fams))
    counts = {s: [int(((b.findings["family"] == f) & (b.findings["severity"] == s)).sum())
                  for f in fams] for s in SEVERITIES}
    return charts.severity_bars([FAMILY_LABELS.get(f, f) for f in fams], counts,
                                "各类规则的发现条数")


def batch_overview(batch_dir) -> View:
    """The whole overview as one view (for the batch index page)."""
    b = _batch(batch_dir)
    parts = [batch_header(b)._repr_html_(), "<h2>报告 × 规则类别</h2>", family_heatmap(b)._repr_html_(),
             "<h2>最常见的问题</h2>", top_findings(b)._repr_html_(), "<h2>分布</h2>",
             status_counts(b)._repr_html_(), findings_histogram(b)._repr_html_()]
    if not b.findings.empty:
        parts.append(family_chart(b)._repr_html_())
    parts += ["<h2>全部报告</h2>", reports_table(b)._repr_html_()]
    return View("".join(parts), f"batch overview of {b.folder}")
