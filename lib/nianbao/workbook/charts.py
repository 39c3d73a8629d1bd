"""Charts of one report (表三 outcomes, applicant mix) and of a batch, as embedded PNG.

Charts are drawn on a bare ``matplotlib.figure.Figure`` (not pyplot, and without touching the
backend, which stays the user's in JupyterLab) so that nothing is shown
twice by the inline backend and no figure lingers in a long batch. The PNG is embedded as a
base64 ``data:`` URI because the exported HTML must work offline, copied anywhere, with no
side files. A null cell is left out of a sum and the chart says so; it is never drawn as 0.
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import schema
from ..findings import SEVERITY_LABELS
from . import fonts

# One colour per outcome group, so the same group looks the same in every report.
PALETTE = ["#2e7d32", "#81c784", "#c62828", "#ef6c00", "#6a1b9a", "#546e7a", "#1565c0"]
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


@dataclass
class Chart:
    """A rendered chart: displays itself as an ``<img>`` with the PNG inline."""

    png: bytes
    alt: str
    note: str = ""  # e.g. which null cells were left out

    def _repr_html_(self) -> str:
        b64 = base64.b64encode(self.png).decode("ascii")
        note = f'<p class="nb-note">{html.escape(self.note)}</p>' if self.note else ""
        return (f'<figure class="nb-chart"><img alt="{html.escape(self.alt, quote=True)}" '
                f'src="data:image/png;base64,{b64}"/>{note}</figure>')

    def __repr__(self) -> str:
        return f"<Chart {self.alt}>"


def _render(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def bar_chart(labels: list[str], values: list[float], title: str, *, xlabel: str = "件数",
              colours: list[str] | None = None, note: str = "") -> Chart:
    """A horizontal bar chart with the value printed at each bar (labels read top-down)."""
    fonts.setup()
    fig = Figure(figsize=(7, 0.45 * max(len(labels), 3) + 1.0))
    ax = fig.subplots()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=colours or PALETTE[0])
    ax.set_yticks(ys, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    top = max(values, default=0) or 1
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, v in zip(ys, values):
        ax.text(v + top * 0.01, y, f"{v:g}", va="center", fontsize=9)
    ax.set_xlim(0, top * 1.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return Chart(_render(fig), title, note)


def _sum(table, rows, col: str) -> tuple[float, list[str]]:
    """Sum the non-null cells; return the total and the keys of the null cells left out."""
    total, nulls = 0.0, []
    for r in rows:
        v = table.value(r, col)
        if v is None:
            nulls.append(r)
        else:
            total += v
    return total, nulls


def outcome_groups(fmt: str) -> list[tuple[str, list[str]]]:
    """表三 三、本年度办理结果 as its six printed groups: (label, leaf row keys)."""
    leaves = schema.T3_LEAVES[schema.FORMAT_2019 if fmt == schema.FORMAT_2019
                              else schema.FORMAT_2021]
    groups: dict[str, list[str]] = {}
    for row in schema.t3_rows(fmt):
        if row.key not in leaves:
            continue
        name = row.label if row.group == "三、本年度办理结果" else row.group
        groups.setdefault(schema.short_label(name), []).append(row.key)
    return list(groups.items())


def _null_note(nulls: list[str]) -> str:
    return f"空白或无法读取的单元格未计入：{len(nulls)} 个" if nulls else ""


def outcomes_chart(report) -> Chart:
    """表三 办理结果 by group, from the 总计 column."""
    t3 = report.table3
    labels, values, nulls = [], [], []
    for label, rows in outcome_groups(t3.format_version or report.format_version):
        v, n = _sum(t3, rows, "total")
        labels.append(label)
        values.append(v)
        nulls += n
    return bar_chart(labels, values, "表三 本年度办理结果（总计列）",
                     colours=PALETTE[:len(labels)], note=_null_note(nulls))


def applicants_chart(report) -> Chart:
    """表三 一、本年新收申请 by applicant column (the 总计 column is left out)."""
    t3 = report.table3
    labels, values, nulls = [], [], []
    for col in schema.T3_COLUMNS[:6]:
        v = t3.value("new_received", col.key)
        labels.append(col.label)
        values.append(0 if v is None else v)
        if v is None:
            nulls.append(col.key)
    return bar_chart(labels, values, "表三 本年新收申请的申请人构成",
                     colours=[PALETTE[6]] * len(labels), note=_null_note(nulls))


def histogram(values: list[int], title: str, xlabel: str) -> Chart:
    """Distribution of a count over reports (e.g. findings per report)."""
    fonts.setup()
    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    if values:
        hi = max(values)
        ax.hist(values, bins=range(0, hi + 2), color=PALETTE[6], edgecolor="white", align="left")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("报告数")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return Chart(_render(fig), title)


def severity_bars(labels: list[str], counts: dict[str, list[int]], title: str) -> Chart:
    """Stacked horizontal bars: one bar per label, one segment per severity."""
    fonts.setup()
    fig = Figure(figsize=(7, 0.4 * max(len(labels), 3) + 1.2))
    ax = fig.subplots()
    ys = list(range(len(labels)))[::-1]
    left = [0] * len(labels)
    for sev in ("error", "warning", "info"):
        vals = counts.get(sev, [0] * len(labels))
        ax.barh(ys, vals, left=left, color=SEVERITY_COLOURS[sev], label=SEVERITY_LABELS[sev])
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(ys, labels)
    ax.set_title(title)
    ax.set_xlabel("条数")
    ax.legend(loc="lower right", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return Chart(_render(fig), title)
