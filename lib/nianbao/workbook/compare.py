"""“与上年比较”: one report beside the same agency's report of the year before.

The same view in two places. In the audit notebook, the ``previous_path`` parameter (an auditor
working on one agency points it at last year's report or its result JSON) fills the section at
once. In a batch the notebook runs without it and leaves a placeholder: the agency of a report is
known only once it is parsed, and the text common to the whole batch only once every report is
audited, so the batch's cross-report step (``write_compare_sections``) fills the section of each
audit page afterwards — the comparison where the batch holds the agency's previous year, a short
note where it does not — with a line saying where it came from. The executed notebooks, the
records, are not changed. Shows the table deltas, the 表三 carry-over check column by column, and
the repeated text side by side. Report text is escaped like everywhere else.

The section sits between ``BEGIN`` and ``END`` (HTML comments: escaped report text can never
produce one), so filling it again replaces it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .. import schema
from ..crossreport.batch import CrossBatch, Entry
from ..crossreport.continuity import carry_check
from ..crossreport.copy import SECTION_NAMES, passages, section_shares
from .views import View, css, esc, html_table, safe_href

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


#: The section's id: the index links to ``<page>#nb-compare``.
SECTION_ID = "nb-compare"
BEGIN, END = "<!-- nianbao-compare:begin -->", "<!-- nianbao-compare:end -->"
PENDING = ("未指定上一年度报告（参数 <code>previous_path</code>），不作比较。批量审核时，"
           "批次中有同一机关上一年度报告的，由批次的跨报告步骤在此填入比较。")
NONE_IN_BATCH = "本批次中没有同一机关上一年度的报告，不作比较。"


def section(body: str, state: str) -> str:
    """The section with its markers; ``state`` (``pending``, ``notebook``, ``batch``, ``none``)
    says who filled it."""
    return (f'{BEGIN}<section id="{SECTION_ID}" class="nb-compare" '
            f'data-nianbao-compare="{esc(state)}">{body}</section>{END}')


def compare(result, previous_path: str = "") -> View:
    """The notebook cell: this report against ``previous_path`` (last year's report file or
    its result JSON); without one, the placeholder the batch's cross-report step fills."""
    if not previous_path:
        return View(section(f'<p class="nb-note">{PENDING}</p>', "pending"),
                    "no previous report")
    cur = entry_of(result, "current")
    prev = entry_of(previous_path, "previous")
    return View(f"<style>{css()}</style>" + section(compare_html(cur, prev), "notebook"),
                f"compared with {previous_path}")


def _provenance(cur: Entry, prev: Entry, n: int) -> str:
    from ..version import __version__

    link = safe_href(prev.href)
    up = Path(os.path.relpath(link, Path(cur.href or ".").parent)).as_posix() if link else None
    page = f'（<a href="{esc(up)}">上年审核页</a>）' if up else ""
    return (f'<p class="nb-note nb-provenance">本节由批次的跨报告步骤（nianbao {esc(__version__)}）'
            f"根据本批次的审核结果加入：本年 {esc(cur.file or cur.id)}（审核结果 {esc(cur.id)}），"
            f"上年 {esc(prev.file or prev.id)}（审核结果 {esc(prev.id)}）{page}；"
            f"共有文字从本批次 {n} 份报告中学习。执行记录 audit.ipynb 不含本节。</p>")


def replace_section(page_path: Path, new: str) -> bool:
    """Put ``new`` in place of the page's section (atomically); False when the page has no
    section (a failure page, another notebook) or already shows exactly ``new``."""
    from ..atomic import write_atomic
    from ..site.export import ExportError, external_resources

    page = Path(page_path).read_text(encoding="utf-8")
    i = page.find(BEGIN)
    j = page.find(END, i)
    if i < 0 or j < 0 or page.count(BEGIN) != 1:
        return False
    out = page[:i] + new + page[j + len(END):]
    if out == page:
        return False
    problems = external_resources(new)
    if problems:
        raise ExportError(f"{page_path}: the section would load or run: {problems[0]}")
    write_atomic(Path(page_path), out)
    return True


def write_compare_sections(folder: Path, res) -> dict[str, str]:
    """Fill the 与上年比较 section of every audit page of the batch (``res``: the cross-report
    result): the comparison with each previous-year report of the agency the batch holds, else
    the note that it holds none. Returns report id → ``batch`` | ``none`` for the pages
    rewritten."""
    aliases = res.config.get("agency_aliases")
    common = (res.config["thresholds"]["copy_common_share"],
              res.config["thresholds"]["copy_common_min"])
    prevs: dict[str, list[Entry]] = {}
    for prev, cur in res.batch.consecutive(aliases):
        prevs.setdefault(cur.id, []).append(prev)
    n = len(res.batch.entries)
    done = {}
    for e in res.batch.entries:
        href = safe_href(e.href)
        if not href or not (Path(folder) / href).is_file():
            continue
        if e.id in prevs:
            state, body = "batch", "".join(
                compare_html(e, p, res.batch, common, aliases) + _provenance(e, p, n)
                for p in sorted(prevs[e.id], key=lambda p: p.id))
        else:
            state, body = "none", f'<p class="nb-note">{NONE_IN_BATCH}</p>'
        page = Path(folder) / href
        if replace_section(page, section(body, state)):
            done[e.id] = state
        (page.parent / "compare.html").unlink(missing_ok=True)  # an earlier version's own page
    return done
