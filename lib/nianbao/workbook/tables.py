"""表二/表三/表四 rendered with the official labels of the detected format: failing cells marked,
null cells shown as "—" with the reason (a blank is not a zero), recovered digits marked."""
from __future__ import annotations

from .. import schema
from ..findings import severity_rank
from ..model import HOW_LABELS
from .views import View, _fmt, esc, table_format


def cell_anchor(table: str, row: str, col: str) -> str:
    return f"nb-cell-{table}-{row}-{col}"


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
        worst = min(fs, key=lambda f: severity_rank(f.severity)).severity
        classes.append(f"nb-fail nb-fail-{worst}")
        tips += [f"{f.rule}：{f.message}" for f in fs]
    if cell is not None and cell.line:
        tips.append(f"第{cell.line}行")
    value = _fmt(None if cell is None else cell.value)
    return (f'<td id="{cell_anchor(table, row, col)}" class="{" ".join(classes)}" '
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
        rows.append(f'<tr><th class="nb-rl nb-indent{indent}">{esc(schema.short_label(spec.label))}</th>'
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
