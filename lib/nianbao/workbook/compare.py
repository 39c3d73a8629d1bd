"""“与上年比较”: one report beside the same agency's report of the year before.

The same view in two places: the audit notebook's ``previous_path`` parameter (an auditor working
on one agency points it at last year's report or its result JSON), and the batch, which writes
``<id>/compare.html`` beside each audit page whose agency's previous year is in the batch (the
batch's copy index then removes the text common to the whole batch; a lone pair has no batch to
learn from, and says so). Shows the table deltas, the 表三 carry-over check column by column, and
the repeated text side by side. Report text is escaped like everywhere else.
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import schema
from ..crossreport.batch import CrossBatch, Entry
from ..crossreport.continuity import carry_check
from ..crossreport.copy import SECTION_NAMES, passages, section_shares
from .views import View, css, esc, html_table

STATUS_TEXT = {"ok": "一致", "mismatch": "不一致", "partial": "部分列空白，其余一致",
               "not-comparable": "无法核对"}


def entry_of(source, rid: str = "current") -> Entry:
    """An ``Entry`` from an ``AuditResult``, a result dict, a result JSON path or a report."""
    if isinstance(source, Entry):
        return source
    if hasattr(source, "to_json_text"):
        return Entry.from_result(rid, json.loads(source.to_json_text()))
    if isinstance(source, dict):
        return Entry.from_result(rid, source)
    path = Path(source)
    if path.suffix == ".json":
        return Entry.from_result(rid, json.loads(path.read_text(encoding="utf-8")))
    from .. import audit

    return Entry.from_result(rid, json.loads(audit(path).to_json_text()))


def _deltas(prev: Entry, cur: Entry) -> str:
    rows = []
    for table in ("table2", "table3", "table4"):
        for row, cols in (cur.tables.get(table) or {}).items():
            for col in cols or {}:
                if table == "table3" and col != "total":
                    continue  # 表三: the 总计 column; the applicant columns are in the table view
                if table == "table4" and col != "total":
                    continue
                a, b = prev.value(table, row, col), cur.value(table, row, col)
                if a is None and b is None or a == b:
                    continue
                d = "" if a is None or b is None else f"{b - a:+g}"
                rows.append([esc(schema.TABLE_SHORT.get(table, table)),
                             esc(schema.row_label(table, row)),
                             esc(schema.col_label(table, col, row)),
                             "—" if a is None else esc(f"{a:g}"), "—" if b is None else esc(f"{b:g}"),
                             esc(d)])
    if not rows:
        return '<p class="nb-ok">三张统计表的数值与上年相同。</p>'
    return html_table(["表", "行", "列", f"{prev.year}年", f"{cur.year}年", "变化"], rows)


def _carry(prev: Entry, cur: Entry) -> str:
    chk = carry_check(prev, cur)
    head = (f'<p>表三“上年结转”与{esc(str(prev.year))}年“结转下年度继续办理”：'
            f'<b class="nb-carry-{esc(chk.status)}">{esc(STATUS_TEXT[chk.status])}</b>'
            + (f"（{esc(chk.why)}）" if chk.why else "") + "</p>")
    if not chk.columns:
        return head
    rows = []
    for col, (a, b) in chk.columns.items():
        mark = "" if a is None or b is None else ("✓" if a == b else "✗")
        rows.append([esc(schema.col_label("table3", col)), "—" if a is None else esc(str(a)),
                     "—" if b is None else esc(str(b)), mark])
    return head + html_table(["列", f"{prev.year}年结转下年度", f"{cur.year}年上年结转", "核对"], rows)


def _text(idx, al, learned: bool) -> str:
    secs = section_shares(idx, al)
    rep = sum(a for a, _ in secs.values())
    total = sum(b for _, b in secs.values())
    note = ("已除去批次中各报告共有的文字。" if learned
            else "只有两份报告，无从学习共有文字：格式用语也计入重复。")
    if not total:
        return f'<p class="nb-note">没有可比较的文字。{note}</p>'
    rows = [[esc(str(SECTION_NAMES.get(s, s))), f"{a / b:.0%}", str(b)]
            for s, (a, b) in secs.items() if b]
    parts = [f"<p>全文 <b>{rep / total:.0%}</b> 的文字与上年重复。{esc(note)}</p>",
             html_table(["部分", "重复比例", "比较字数"], rows)]
    ps = passages(idx, al, limit=30)
    if ps:
        side = [[esc(str(SECTION_NAMES.get(p["section"], p["section"]))), esc(p["mine"]),
                 esc(p["theirs"])] for p in ps]
        parts.append("<h3>重复的文字（左：本年；右：上年）</h3>"
                     + html_table(["部分", "本年", "上年"], side, "nb-table nb-side"))
    return "".join(parts)


def compare_html(cur: Entry, prev: Entry, batch: CrossBatch | None = None,
                 common: tuple = (0.3, 5), aliases: dict | None = None) -> str:
    """The comparison as HTML (tables, carry-over, text)."""
    learned = batch is not None
    if batch is None:
        batch = CrossBatch([prev, cur])
    idx = batch.copy_index(aliases, *common) if learned else \
        batch.copy_index(None, 1.0, 10**6)  # two reports: nothing is common
    al = idx.align(cur.id, prev.id)
    return (f'<h2 class="nb-title">与上年比较：{esc(prev.label)} → {esc(cur.label)}</h2>'
            "<h3>统计表的变化</h3>" + _deltas(prev, cur)
            + "<h3>结转核对</h3>" + _carry(prev, cur)
            + "<h3>文字重复</h3>" + _text(idx, al, learned))


def compare(result, previous_path: str = "") -> View:
    """The notebook cell: this report against ``previous_path`` (last year's report file or
    its result JSON); says so when no previous report is given."""
    if not previous_path:
        return View('<p class="nb-note">未指定上一年度报告（参数 <code>previous_path</code>），'
                    "不作比较。</p>", "no previous report")
    cur = entry_of(result, "current")
    prev = entry_of(previous_path, "previous")
    return View(f"<style>{css()}</style>" + compare_html(cur, prev),
                f"compared with {previous_path}")


def write_compare_pages(folder: Path, res) -> list[Path]:
    """``<id>/compare.html`` beside each audit page whose previous year the batch holds."""
    from ..atomic import write_atomic

    aliases = res.config.get("agency_aliases")
    common = (res.config["thresholds"]["copy_common_share"],
              res.config["thresholds"]["copy_common_min"])
    written = []
    for prev, cur in res.batch.consecutive(aliases):
        if not cur.href:
            continue
        out = Path(folder) / Path(cur.href).parent / "compare.html"
        back = Path(cur.href).name
        body = compare_html(cur, prev, res.batch, common, aliases)
        page = ("<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
                f"<title>与上年比较 · {esc(cur.label)}</title><style>{css()}</style></head>"
                f"<body class='nb-page'><p><a href='{esc(back)}'>← 本年审核页</a> · "
                f"<a href='../index.html'>批量索引</a></p>{body}</body></html>")
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, page)
        written.append(out)
    return written
