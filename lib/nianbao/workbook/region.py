"""The region's report: the overview notebook's cells for what is seen only across reports.

Coverage (agency × year), lateness, the evaluators' indicators per agency with charts, outliers,
the cross-report findings and the copy network. Data come from ``nianbao.crossreport.region``
over the batch folder's results and ``crossreport.json`` (written by the batch's cross-report
step); nothing here re-reads a report. Agency names and messages are escaped; links are only
our own paths into the batch folder, made relative to where the view is shown
(``views.batch_href``: the notebook's folder, or the ``base`` of an overview ``Batch``), so they
work in overview.html beside the pages and in JupyterLab alike.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..crossreport import region as rg
from ..crossreport.batch import CrossBatch
from ..crossreport.runner import entries_from_folder, load
from ..findings import SEVERITY_LABELS, severity_rank
from . import charts, fonts
from .views import View, batch_href, esc, html_table, severity_badge


@dataclass
class Region:
    folder: Path
    batch: CrossBatch
    config: dict
    cross: dict | None  # crossreport.json as written, None without one


@lru_cache(maxsize=4)
def _region(folder: str, stamp: float) -> Region:
    from ..batchfolder import read_manifest
    from ..config import load_config

    run = (read_manifest(Path(folder)) or {}).get("run") or {}
    try:
        cfg = load_config(run.get("config"))
    except Exception:  # noqa: BLE001  (an older manifest's settings: show with the defaults)
        cfg = load_config(None)
    return Region(Path(folder), CrossBatch(entries_from_folder(folder)), cfg, load(folder))


def region(b) -> Region:
    folder = Path(getattr(b, "folder", b))
    mpath = folder / "manifest.json"
    stamp = mpath.stat().st_mtime if mpath.exists() else 0.0
    cpath = folder / "crossreport.json"
    stamp += cpath.stat().st_mtime if cpath.exists() else 0.0
    return _region(str(folder.resolve()), stamp)


def _aliases(r: Region):
    return r.config.get("agency_aliases")


def _linker(b, r: Region):
    """``link(href, text)``: a link to a page of the batch (``href`` relative to its folder), from
    where this view is shown."""
    base = getattr(b, "base", None)

    def link(href, text: str) -> str:
        h = batch_href(r.folder, href, base)
        return f'<a href="{html.escape(h, quote=True)}">{esc(text)}</a>' if h else esc(text)

    return link


def _pct(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0%}"


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:g}"


# ------------------------------------------------------------------ cross-report findings
def _cross_review(folder: Path):
    """(the ``BatchFolder``, its review store, [(entry, ``Reviewed``)] of every cross-report
    finding in the order shown: most serious first) — the list ``decide`` numbers."""
    from ..review import load_reviews

    batch, store, reviews = load_reviews(folder)
    items = [(e, x) for e in batch.reports if e.id in reviews
             for x in reviews[e.id].findings if x.cross]
    items.sort(key=lambda it: (severity_rank(it[1].finding.get("severity")),
                               it[1].finding.get("rule") or ""))
    return batch, store, items


def cross_findings(b) -> View:
    """Every cross-report finding, numbered: report, rule, severity, message, the other report
    linked; once anything is decided in the review file, each one's review state."""
    from ..review import other_report
    from .review import state_badge

    r = region(b)
    if r.cross is None:
        return View('<p class="nb-note">本批次没有跨报告核对结果（crossreport.json）。</p>',
                    "no cross-report results")
    _, store, items = _cross_review(r.folder)
    if not items:
        return View('<p class="nb-ok">跨报告核对没有发现。</p>', "no cross findings")
    link, decided = _linker(b, r), bool(store.decisions)
    rows, counts = [], {}
    for no, (entry, x) in enumerate(items, 1):
        f, e = x.finding, r.batch.by_id.get(entry.id)
        other = other_report(f) or {}
        counts[f.get("severity")] = counts.get(f.get("severity"), 0) + 1
        d = x.decision if x.decision and x.decision.status != "open" else None
        rows.append([str(no), *([state_badge(x.state) + (f" {esc(d.reason)}" if d else "")]
                                if decided else []),
                     link(e.href if e else None, e.label if e else entry.id),
                     f"<code>{esc(f.get('rule'))}</code>", severity_badge(f.get("severity")),
                     esc(f.get("message")),
                     link(other.get("href"), other.get("label") or "") if other else ""])
    head = "，".join(f"{SEVERITY_LABELS.get(k, k)} {v}" for k, v in counts.items())
    return View(f"<p>跨报告发现 {len(items)} 条（{esc(head)}）。</p>"
                + html_table(["#", *(["审核状态"] if decided else []), "报告", "规则", "级别",
                              "说明", "对照报告"], rows),
                f"{len(items)} cross-report findings")


def decide(b, finding_no: int, status: str, reason: str = "", reviewer: str = "") -> View:
    """Record the decision on cross-report finding ``finding_no`` (the number in
    ``cross_findings``) in the batch's review file, as ``nb.decide`` does for a report's own
    findings: ``confirmed``, ``dismissed``, ``accepted`` (with a reason) or ``ask``."""
    from ..errors import InputError
    from ..review import batch_keys, cross_of, decision_status, record
    from .review import state_badge

    folder = Path(getattr(b, "folder", b))
    batch, store, items = _cross_review(folder)
    try:
        st = decision_status(status)
        if not 1 <= int(finding_no) <= len(items):
            raise ValueError(f"no cross-report finding {finding_no} (the batch has {len(items)})")
        entry, x = items[int(finding_no) - 1]
        (d,) = record(store, entry.result, {x.no: (st, reason, reviewer)},
                      cross=cross_of(batch, entry), keys=batch_keys(batch))
    except ValueError as e:
        raise InputError(f"cross-report finding {finding_no}", str(e)) from None
    store.save()
    return View(f'<p class="nb-written">已记录：跨报告第{int(finding_no)}条 <code>{esc(d.rule)}</code>'
                f"（{esc(d.location)}）→ {state_badge(d.status)}（{esc(d.reason)}）写入 "
                f"<code>{esc(str(store.path))}</code>。</p>",
                f"recorded {d.status} for cross-report finding {finding_no} in {store.path}")


# ------------------------------------------------------------------ coverage and lateness
def coverage(b) -> View:
    """Agency × year: ✓ where the batch holds the report, a red gap inside an agency's run."""
    r = region(b)
    df = rg.coverage(r.batch, _aliases(r))
    if df.empty:
        return View('<p class="nb-note">没有可识别机关与年度的报告。</p>', "no coverage")
    rows = []
    for name, vals in df.iterrows():
        have = [y for y, n in vals.items() if n]
        cells = []
        for y, n in vals.items():
            inside = have and have[0] < y < have[-1]
            cells.append("✓" * int(n) if n else
                         ('<span class="nb-gap" style="color:#c62828">缺</span>' if inside else ""))
        rows.append([esc(name)] + cells)
    return View(html_table(["机关"] + [str(y) for y in df.columns], rows, "nb-table nb-coverage"),
                f"coverage {df.shape}")


def lateness(b) -> View:
    """Publication date against the deadline, latest first; late reports marked."""
    r = region(b)
    df = rg.lateness(r.batch, r.config)
    if df.empty:
        return View('<p class="nb-note">没有报告载明发布日期。</p>', "no dates")
    df = df.sort_values("days_late", ascending=False)
    link = _linker(b, r)
    rows = [[link(x.href, f"{x.agency or x.report} {x.year}"), esc(str(x.published)),
             esc(str(x.deadline)),
             (f'<b style="color:#c62828">逾期 {x.days_late} 天</b>' if x.days_late > 0
              else "按时")] for x in df.itertuples()]
    late = int((df["days_late"] > 0).sum())
    return View(f"<p>载明发布日期的报告 {len(df)} 份，其中逾期 {late} 份。</p>"
                + html_table(["报告", "发布日期", "截止日期", "是否逾期"], rows), f"{late} late")


# ------------------------------------------------------------------ indicators
def indicators(b) -> View:
    """Per agency and year: 申请量 (and its change), 实质公开率, 不予公开/无法提供 shares, 纠错率;
    outliers (Tukey's fences over the batch) in red."""
    r = region(b)
    df = rg.indicator_frame(r.batch, _aliases(r))
    if df.empty:
        return View('<p class="nb-note">没有可计算指标的报告。</p>', "no indicators")
    rows, link = [], _linker(b, r)
    for x in df.itertuples():
        out = set(x.outliers)

        def mark(key, text):
            return (f'<b class="nb-outlier" style="color:#c62828" title="离群值">{text}</b>'
                    if key in out else text)

        change = x.applications_change
        rows.append([link(x.href, x.agency), str(x.year),
                     mark("applications", _num(x.applications)),
                     "" if change is None or pd.isna(change) else f"{change:+g}",
                     mark("disclosure_rate", _pct(x.disclosure_rate)),
                     mark("withheld_share", _pct(x.withheld_share)),
                     mark("unavailable_share", _pct(x.unavailable_share)),
                     mark("correction_rate", _pct(x.correction_rate))])
    n_out = sum(1 for o in df["outliers"] if o)
    return View(f'<p class="nb-note">红色为离群值（超出四分位距 1.5 倍，至少 {rg.MIN_FOR_OUTLIERS} 份报告有该指标时判断），'
                f"共 {n_out} 份报告有离群指标。“—”为无法计算（分母为 0 或空白）。</p>"
                + html_table(["机关", "年度", "申请量", "较上年", "实质公开率", "不予公开占比",
                              "无法提供占比", "纠错率"], rows), f"indicators {len(df)}")


def _latest(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("year").groupby("agency_key", as_index=False).tail(1) \
        .sort_values("agency")


def _latest_bars(b, column: str, value, none: View, title: str, **kw) -> charts.Chart | View:
    """A bar per agency: ``value(column)`` of its latest report, that report left out where the
    column is blank; ``none`` where no agency has one."""
    r = region(b)
    df = _latest(rg.indicator_frame(r.batch, _aliases(r)))
    df = df[df[column].notna()]
    if df.empty:
        return none
    labels = [f"{a} {y}" for a, y in zip(df["agency"], df["year"])]
    return charts.bar_chart(labels, [value(float(v)) for v in df[column]], title, **kw)


def applications_chart(b) -> charts.Chart | View:
    """申请量 of each agency's latest report in the batch."""
    return _latest_bars(b, "applications", float,
                        View('<p class="nb-note">没有可用的申请量。</p>', "no applications"),
                        "各机关最近一年的政府信息公开申请量（表三 本年新收）")


def rates_chart(b) -> charts.Chart | View:
    """实质公开率 of each agency's latest report (reports without 办结 are left out)."""
    return _latest_bars(b, "disclosure_rate", lambda v: round(100 * v, 1),
                        View('<p class="nb-note">没有可计算的实质公开率（办结为 0 或空白）。</p>', "no rates"),
                        "各机关最近一年的实质公开率（%）", xlabel="%")


# ------------------------------------------------------------------ copy network
def copy_network(b) -> View:
    """Reports that share text with another agency's report (COPY-PEER), drawn on a circle:
    an edge per pair, red where a report carries the other's name or place; with the list."""
    r = region(b)
    edges = rg.copy_edges(r.cross)
    if not edges:
        return View('<p class="nb-ok">没有发现机关之间共用的段落。</p>', "no copy network")
    nodes = sorted({e["a"] for e in edges} | {e["b"] for e in edges})
    fonts.setup()
    from matplotlib.figure import Figure

    n = len(nodes)
    fig = Figure(figsize=(7.5, 7.5))
    ax = fig.subplots()
    pos = {k: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n))
           for i, k in enumerate(nodes)}
    top = max(e["chars"] for e in edges) or 1
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        ax.plot([x1, x2], [y1, y2], color=charts.SEVERITY_COLOURS.get(e["severity"], "#999"),
                linewidth=0.8 + 3 * e["chars"] / top, alpha=0.7, zorder=1)
    for k, (x, y) in pos.items():
        ent = r.batch.by_id.get(k)
        ax.scatter([x], [y], s=60, color="#37474f", zorder=2)
        ax.text(x * 1.08, y * 1.08, ent.label if ent else k, fontsize=8,
                ha="left" if x >= 0 else "right", va="center")
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(-1.4, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("机关之间共用段落的报告（线宽：共用字数；红：写有对方名称或地名）")
    chart = charts.Chart(charts._render(fig), "copy network")
    rows, link = [], _linker(b, r)
    for e in sorted(edges, key=lambda e: (severity_rank(e["severity"]), -e["chars"])):
        a, c = r.batch.by_id.get(e["a"]), r.batch.by_id.get(e["b"])
        rows.append([link(a.href if a else None, a.label if a else e["a"]),
                     link(c.href if c else None, c.label if c else e["b"]),
                     str(e["chars"]), severity_badge(e["severity"])])
    return View(chart._repr_html_() + html_table(["报告", "共用段落的报告", "共用字数", "最高级别"], rows),
                f"{len(edges)} copy edges")
