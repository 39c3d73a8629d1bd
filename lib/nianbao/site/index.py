"""What the batch writes beside the per-report folders: index.html, findings.csv/.xlsx, pages for
failed reports — and the atomic write every output goes through.

Report text is untrusted (an agency name can hold ``<script>``): every value is HTML-escaped
where it lands (element text and attributes alike), links are built only from our own ASCII ids,
and the page's script reads ``textContent``/numeric ``data-*`` attributes, never ``innerHTML``.
The CSV is guarded against spreadsheet formula injection the same way.
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import threading
import time
from pathlib import Path

FAILED_STATUSES = ("failed", "timeout")
STATUSES = ("ok", "findings", "failed", "timeout")
SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_LABELS = {"ok": "通过", "findings": "有问题", "failed": "失败", "timeout": "超时"}
_TEMP = re.compile(r"^\..+\.tmp(\.[a-z]+)?$")


# ---------------------------------------------------------------- atomic writes


def temp_name(final: Path) -> Path:
    """A temporary sibling of ``final``: same folder (so ``os.replace`` is atomic), hidden, unique
    per process and thread, recognisable by ``remove_stale_temp_files``, and with the same
    suffix (papermill and openpyxl look at it)."""
    final = Path(final)
    return final.with_name(f".{final.name}.{os.getpid()}-{threading.get_ident()}.tmp{final.suffix}")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    tmp = temp_name(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temp_files(out_dir: Path) -> None:
    """Remove temporary files an interrupted run (a killed worker) left behind."""
    for d in [out_dir, *(p for p in out_dir.iterdir() if p.is_dir())]:
        for p in d.iterdir():
            if p.is_file() and _TEMP.match(p.name):
                p.unlink(missing_ok=True)


# ---------------------------------------------------------------- per report data


def family_labels() -> dict[str, str]:
    from .rules.registry import FAMILY_LABELS

    return {**FAMILY_LABELS, "other": "其他"}


def _load_result(out_dir: Path, rec: dict) -> dict:
    rel = (rec.get("outputs") or {}).get("json")
    if not rel:
        return {}
    try:
        return json.loads((out_dir / rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _row(rec: dict, res: dict, families) -> dict:
    rep = res.get("report") or {}
    sev = {s: 0 for s in SEVERITIES}
    fam: dict[str, int] = {}
    for f in res.get("findings") or []:
        sev[f.get("severity")] = sev.get(f.get("severity"), 0) + 1
        k = families(f.get("rule"))
        fam[k] = fam.get(k, 0) + 1
    fmt = (res.get("source") or {}).get("format") or Path(rec["file"]).suffix.lstrip(".").lower()
    return {"id": rec["id"], "file": rec["file"], "input": rec.get("input"),
            "agency": rep.get("agency") or "",
            "year": rep.get("year") if isinstance(rep.get("year"), int) else None,
            "format": fmt, "status": rec["status"], "error": rec.get("error") or "",
            "severity": sev, "families": fam, "duration": rec.get("duration"),
            "html": (rec.get("outputs") or {}).get("html"), "findings": res.get("findings") or []}


# ---------------------------------------------------------------- findings.csv / .xlsx

CSV_COLUMNS = ["report_id", "agency", "file", "year", "rule", "family", "severity", "message",
               "table", "row", "column", "section", "line", "span", "expected", "actual", "quote"]


def _cell(v):
    """A CSV/XLSX cell: scalars as they are, structures as JSON; text that a spreadsheet would
    run as a formula gets a leading apostrophe."""
    if v is None or isinstance(v, (int, float)):
        return v
    if not isinstance(v, str):
        v = json.dumps(v, ensure_ascii=False)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def finding_rows(rows: list[dict], families) -> list[list]:
    out = []
    for r in rows:
        for f in r["findings"]:
            loc = f.get("location") or {}
            out.append([_cell(v) for v in (
                r["id"], r["agency"], r["file"], r["year"], f.get("rule"),
                families(f.get("rule")), f.get("severity"), f.get("message"),
                loc.get("table"), loc.get("row"), loc.get("column"), loc.get("section"),
                loc.get("line"), loc.get("span"), f.get("expected"), f.get("actual"),
                f.get("quote"))])
    return out


def write_findings(out_dir: Path, table: list[list]) -> None:
    """findings.csv (UTF-8 with BOM, so Excel reads the Chinese) and findings.xlsx."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(table)
    write_atomic(out_dir / "findings.csv", "\ufeff" + buf.getvalue())

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("findings")
    ws.append(CSV_COLUMNS)
    for row in table:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    tmp = temp_name(out_dir / "findings.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, out_dir / "findings.xlsx")
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- index.html

e = html.escape  # quote=True: safe in text and in quoted attributes alike

CSS = """
:root{--ink:#1f2933;--mute:#616e7c;--line:#d9e2ec;--bg:#f5f7fa;--accent:#1f4e79;
--err:#b42318;--warn:#b54708;--info:#175cd3;--ok:#067647}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.55 "Noto Sans CJK SC",
"Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
header{background:var(--accent);color:#fff;padding:18px 28px}
header h1{margin:0;font-size:21px;font-weight:600}
header p{margin:4px 0 0;opacity:.85;font-size:13px}
main{padding:18px 28px 40px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:22px}
.card span{color:var(--mute);font-size:12px}
.links a{margin-right:16px;color:var(--accent)}
.links .muted{color:var(--mute)}
.tools{display:flex;gap:18px;align-items:center;flex-wrap:wrap;margin:14px 0 10px;
background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
.tools input[type=search]{width:280px;padding:6px 9px;border:1px solid #bcccdc;border-radius:4px;font:inherit}
.tools fieldset{border:0;margin:0;padding:0;display:flex;gap:10px;align-items:center}
.tools legend{float:left;margin-right:6px;color:var(--mute)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f7;position:sticky;top:0;font-weight:600;white-space:nowrap}
th button{all:unset;cursor:pointer}
th button::after{content:" ↕";color:#9aa5b1;font-size:11px}
th[aria-sort=ascending] button::after{content:" ▲";color:var(--accent)}
th[aria-sort=descending] button::after{content:" ▼";color:var(--accent)}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#bcccdc}
tbody tr:hover{background:#f0f4f8}
.st{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;
white-space:nowrap}
.st-ok{background:var(--ok)}.st-findings{background:var(--warn)}
.st-failed{background:var(--err)}.st-timeout{background:#6b21a8}
.reason{color:var(--err);font-size:12px;max-width:420px;word-break:break-all}
.e{color:var(--err);font-weight:600}.w{color:var(--warn);font-weight:600}.i{color:var(--info)}
.file{color:var(--mute);font-size:12px;word-break:break-all}
footer{color:var(--mute);font-size:12px;margin-top:14px}
"""

JS = """
(function () {
  var table = document.getElementById('reports');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var box = document.getElementById('filter');
  var sevs = Array.prototype.slice.call(document.querySelectorAll('input[data-sev]'));
  var stats = Array.prototype.slice.call(document.querySelectorAll('input[data-status]'));
  function apply() {
    var q = box.value.trim().toLowerCase();
    var on = sevs.filter(function (c) { return c.checked; }).map(function (c) { return c.dataset.sev; });
    var okStatus = {};
    stats.forEach(function (c) { okStatus[c.dataset.status] = c.checked; });
    var shown = 0;
    rows.forEach(function (r) {
      var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      if (ok && on.length < sevs.length) {
        ok = on.some(function (s) { return Number(r.dataset[s]) > 0; });
      }
      ok = ok && okStatus[r.dataset.status] !== false;
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    document.getElementById('shown').textContent = String(shown);
  }
  function key(r, i, num) {
    var c = r.cells[i];
    if (num) { var v = c.getAttribute('data-v'); return v === null || v === '' ? null : Number(v); }
    return c.textContent.trim();
  }
  var ths = Array.prototype.slice.call(table.tHead.rows[0].cells);
  ths.forEach(function (th, i) {
    th.querySelector('button').addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      ths.forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var num = th.dataset.type === 'num';
      rows.sort(function (a, b) {
        var x = key(a, i, num), y = key(b, i, num);
        if (x === y) { return 0; }
        if (x === null || x === '') { return 1; }
        if (y === null || y === '') { return -1; }
        var c = num ? x - y : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  box.addEventListener('input', apply);
  sevs.concat(stats).forEach(function (c) { c.addEventListener('change', apply); });
  apply();
}());
"""


def _num_td(v, cls: str = "") -> str:
    """A count cell; ``None`` (a report that could not be audited has no counts) is blank, not 0."""
    if v is None:
        return '<td class="n zero" data-v="">—</td>'
    zero = " zero" if not v else ""
    return f'<td class="n {cls}{zero}" data-v="{int(v)}">{int(v)}</td>'


def _short_reason(row: dict) -> str:
    """The reason without the input's folder (the row already names the file)."""
    reason, inp = row["error"], row.get("input") or ""
    return reason[len(inp) + 2:] if inp and reason.startswith(inp + ": ") else reason


def index_html(data: dict, rows: list[dict], overview: bool) -> str:
    """The batch index: one row per report, sortable and filterable, offline, all text escaped."""
    labels = family_labels()
    fams = [f for f in labels if any(r["families"].get(f) for r in rows)]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    run = data.get("run") or {}
    head = ['<th data-type="text"><button type="button">机关</button></th>',
            '<th data-type="num"><button type="button">年度</button></th>',
            '<th data-type="text"><button type="button">格式</button></th>',
            '<th data-type="text"><button type="button">状态</button></th>']
    head += [f'<th data-type="num"><button type="button">{SEVERITY_LABELS[s]}</button></th>'
             for s in SEVERITIES]
    head += [f'<th data-type="num"><button type="button">{e(labels[f])}</button></th>'
             for f in fams]
    reasons = any(r["error"] for r in rows)  # the column only when something failed
    if reasons:
        head.append('<th data-type="text"><button type="button">说明</button></th>')
    body = []
    for r in rows:
        name = r["agency"] or Path(r["file"]).stem
        link = (f'<a href="{e(r["html"])}">{e(name)}</a>' if r["html"] else e(name))
        cells = [f'<td>{link}<div class="file">{e(r["file"])}</div></td>',
                 f'<td class="n" data-v="{r["year"] if r["year"] is not None else ""}">'
                 f'{r["year"] if r["year"] is not None else ""}</td>',
                 f'<td>{e(r["format"])}</td>',
                 f'<td><span class="st st-{e(r["status"])}">'
                 f'{e(STATUS_LABELS.get(r["status"], r["status"]))}</span></td>']
        audited = r["status"] not in FAILED_STATUSES
        cells += [_num_td(r["severity"][s] if audited else None, s[0]) for s in SEVERITIES]
        cells += [_num_td(r["families"].get(f, 0) if audited else None) for f in fams]
        if reasons:
            cells.append(f'<td class="reason">{e(_short_reason(r))}</td>')
        attrs = " ".join(f'data-{s}="{int(r["severity"][s])}"' for s in SEVERITIES)
        body.append(f'<tr data-status="{e(r["status"])}" {attrs}>{"".join(cells)}</tr>')
    cards = "".join(f'<div class="card"><b>{counts[s]}</b><span>{STATUS_LABELS[s]}</span></div>'
                    for s in STATUSES)
    cards = f'<div class="card"><b>{len(rows)}</b><span>报告</span></div>' + cards
    total = {s: sum(r["severity"][s] for r in rows) for s in SEVERITIES}
    cards += "".join(f'<div class="card"><b>{total[s]}</b><span>{SEVERITY_LABELS[s]}（条）</span>'
                     f'</div>' for s in SEVERITIES)
    links = ['<a href="overview.html">批量概览</a>' if overview else
             '<span class="muted">批量概览未生成</span>',
             '<a href="findings.csv">findings.csv</a>', '<a href="findings.xlsx">findings.xlsx</a>',
             '<a href="manifest.json">manifest.json</a>']
    sev_boxes = "".join(f'<label><input type="checkbox" data-sev="{s}" checked> '
                        f'{SEVERITY_LABELS[s]}</label>' for s in SEVERITIES)
    stat_boxes = "".join(f'<label><input type="checkbox" data-status="{s}" checked> '
                         f'{STATUS_LABELS[s]}</label>' for s in STATUSES)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(data.get("finished") or time.time()))
    commit = (run.get("git_commit") or "")[:10]
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开年度报告 · 批量审计</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>政府信息公开工作年度报告 · 批量审计</h1>
<p>{len(rows)} 份报告 · 生成于 {e(when)} · nianbao {e(str(run.get("tool_version", "")))}
{e(commit)}</p></header>
<main>
<div class="cards">{cards}</div>
<div class="links">{"".join(links)}</div>
<div class="tools">
<label>筛选 <input id="filter" type="search" placeholder="机关、文件名、格式……" autocomplete="off"></label>
<fieldset><legend>含问题级别</legend>{sev_boxes}</fieldset>
<fieldset><legend>状态</legend>{stat_boxes}</fieldset>
<span>显示 <b id="shown">{len(rows)}</b> / {len(rows)}</span>
</div>
<table id="reports">
<thead><tr>{"".join(head)}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<footer>点击列标题排序；“含问题级别”只保留含所选级别问题的报告（全选时不筛选）。
失败与超时的原因见“说明”列与 manifest.json。</footer>
</main>
<script>{JS}</script>
</body>
</html>
"""


def write_site(out_dir: Path, data: dict, overview: bool) -> None:
    """index.html, findings.csv and findings.xlsx for the whole batch (from the manifest and each
    report's result.json)."""
    from .rules.registry import family_of  # the families the overview counts too

    rows = [_row(rec, _load_result(out_dir, rec), family_of) for rec in data["reports"]]
    write_findings(out_dir, finding_rows(rows, family_of))
    write_atomic(out_dir / "index.html", index_html(data, rows, overview))


# ---------------------------------------------------------------- a failed report's page


def _traceback(nb) -> str:
    if nb is None:
        return ""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
    return ""


def write_failure_page(path: Path, task: dict, status: str, reason: str | None, nb) -> None:
    """A small page for a report that could not be audited: what, why, and the traceback."""
    tb = _traceback(nb)
    tb_html = f"<details><summary>Traceback</summary><pre>{e(tb)}</pre></details>" if tb else ""
    nb_link = ' · <a href="audit.ipynb">audit.ipynb</a>' if nb is not None else ""
    write_atomic(path, f"""<!DOCTYPE html>
<html lang="zh">
<head><meta charset="utf-8"><title>{e(task["file"])} — {STATUS_LABELS[status]}</title>
<style>{CSS} pre{{white-space:pre-wrap;background:#fff;border:1px solid var(--line);padding:10px}}
</style></head>
<body><header><h1>{e(task["file"])}</h1><p>未能审计（{STATUS_LABELS[status]}）</p></header>
<main><p class="reason" style="font-size:15px;max-width:none">{e(reason or "")}</p>
<p class="links"><a href="../index.html">返回索引</a>{nb_link}</p>
<p class="file">sha256 {e(task["sha256"])}</p>{tb_html}</main></body></html>
""")
