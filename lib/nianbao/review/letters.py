"""The 反馈意见 per agency, and the region's one-page summary, as Word documents (python-docx).

Chinese government offices work in Word, so the letters are .docx. One letter per audited report
that has confirmed findings (or questions for the agency): each confirmed finding with its
evidence (where, the quoted text, expected and actual), the official basis of its rule (the
registry's ``source`` and ``basis``) and what to correct, in the order of the report (its place in
the text; the whole-report findings first, the cross-report findings — against last year's
report or another agency's — last); then the questions (``ask``). Dismissed and accepted
findings are not sent. ``批次汇总.docx`` is one page for the region: per report, how many findings
are confirmed, asked, accepted, dismissed, still open or new, and resolved.

Everything comes from the batch's ``result.json`` files and the review file through
``nianbao.review.apply``, the same states the index shows. Files are written atomically.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ..atomic import replacing
from ..findings import SEVERITY_LABELS
from .apply import STATE_LABELS, load_reviews, where
from .fingerprint import other_report

BASIS_LABELS = {"OFFICIAL": "官方格式与条例规定", "STRUCT": "报告结构要求",
                "HEUR": "审核经验（供参考）"}
#: what the agency is asked to do, by rule family
CORRECTIONS = {
    "meta": "请核对报告的标题、机关名称、年度与发布日期，按规定时限发布并更正有关信息。",
    "structure": "请按国办公开办函〔2021〕30号规定的格式补齐或调整报告的组成部分。",
    "table2": "请核对表二“主动公开政府信息情况”的有关数据，更正后重新发布。",
    "table3": "请核对表三“收到和处理政府信息公开申请情况”的有关数据，使各项合计关系成立，更正后重新发布。",
    "table4": "请核对表四“政府信息公开行政复议、行政诉讼情况”的有关数据，更正后重新发布。",
    "text": "请修改正文中的有关文字。",
    "narrative": "请使正文表述与统计表一致、内容具体，并更正有关文字。",
    "crossreport": "请对照上一年度报告和有关机关的报告核实：数据应与上年衔接，正文应如实反映本机关本年度的工作，"
                   "更正后重新发布。",
}
BODY_FONT, HEAD_FONT = "宋体", "黑体"


def _set_font(run_or_style, name: str, size: float | None = None, bold: bool | None = None):
    """Latin and East Asian font both (python-docx sets only the Latin one by itself)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _document():
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    for sec in doc.sections:
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)  # A4
        sec.top_margin = sec.bottom_margin = Cm(2.5)
        sec.left_margin = sec.right_margin = Cm(2.6)
    _set_font(doc.styles["Normal"], BODY_FONT, 12)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_font(doc.styles[name], HEAD_FONT, bold=True)
        doc.styles[name].font.color.rgb = None
    return doc


def _order(item) -> tuple:
    """The order of the report: whole-report findings first, then by line, then by place in
    the line; the cross-report findings last."""
    f = item.finding
    if item.cross:
        return (2, 0, 0, item.no)
    span = f.get("evidence_span") or (f.get("location") or {}).get("span")
    line = (f.get("location") or {}).get("line")
    if not isinstance(line, int) and not span:
        return (0, 0, 0, item.no)
    return (1, line if isinstance(line, int) else 10**9, span[0] if span else 0, item.no)


def _value(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v) or "—"
    if isinstance(v, dict):
        return "；".join(f"{k}：{x}" for k, x in v.items())
    return str(v)


def _finding_block(doc, n: int, item, result: dict, rules: dict) -> None:
    f = item.finding
    rule = rules.get(f.get("rule"))
    fmt = (result.get("report") or {}).get("format_version")
    p = doc.add_paragraph()
    _set_font(p.add_run(f"{n}. {f.get('message') or ''}"), HEAD_FONT, bold=True)
    rows = [("位置", where(f, fmt))]
    if f.get("quote"):
        rows.append(("原文", str(f["quote"])))
    other, passages = other_report(f), (f.get("details") or {}).get("passages") or []
    if other and passages and isinstance(passages[0], dict) and passages[0].get("theirs"):
        rows.append(("对照原文", f"{passages[0]['theirs']}（{other.get('label') or '对照报告'}）"))
    if f.get("expected") is not None or f.get("actual") is not None:
        rows.append(("应为 / 实为", f"应为 {_value(f.get('expected'))}；实为 {_value(f.get('actual'))}"))
    if rule:
        rows.append(("依据", f"{rule.source}（{BASIS_LABELS.get(rule.basis, rule.basis)}；"
                             f"规则 {rule.id}：{rule.title}）"))
    rows.append(("严重程度", SEVERITY_LABELS.get(f.get("severity"), f.get("severity") or "")))
    family = f.get("family") or (rule.family if rule else "")
    rows.append(("整改要求", CORRECTIONS.get(family, "请核对并更正。")))
    if item.decision and item.decision.reason:
        rows.append(("审核意见", item.decision.reason))
    for label, text in rows:
        q = doc.add_paragraph(style="List Bullet")
        _set_font(q.add_run(f"{label}："), BODY_FONT, bold=True)
        q.add_run(_clean(text))


_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """Report text as Word accepts it (no control characters, which XML cannot hold)."""
    return _CTRL.sub("", str(text))


def letter(entry, review, reviewers: str, when: str):
    """The 反馈意见 of one report (a python-docx ``Document``), or None when nothing is to be sent."""
    from ..rules.registry import RULES, all_rules

    all_rules()
    result = entry.result
    confirmed = sorted((r for r in review.findings if r.state == "confirmed"), key=_order)
    asked = sorted((r for r in review.findings if r.state == "ask"), key=_order)
    if not confirmed and not asked:
        return None
    rep = result.get("report") or {}
    agency = _clean(rep.get("agency") or Path(entry.file).stem)
    year = rep.get("year")
    title = f"{year}年度" if year else ""
    doc = _document()
    doc.add_heading(f"关于{agency}{title}政府信息公开工作年度报告的反馈意见", level=0)
    doc.add_paragraph(f"{agency}：")
    doc.add_paragraph(
        f"经对你单位发布的{title}政府信息公开工作年度报告（{_clean(entry.file)}）进行审核，"
        f"发现以下问题{len(confirmed)}项" + (f"、需要说明的事项{len(asked)}项" if asked else "")
        + "，请对照《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号的规定逐项核实，"
          "更正后重新发布，并将整改情况反馈。")
    if confirmed:
        doc.add_heading("一、需要更正的问题", level=1)
        for n, item in enumerate(confirmed, 1):
            _finding_block(doc, n, item, result, RULES)
    if asked:
        doc.add_heading(("二、" if confirmed else "一、") + "请说明的事项", level=1)
        for n, item in enumerate(asked, 1):
            _finding_block(doc, n, item, result, RULES)
    doc.add_paragraph()
    sig = doc.add_paragraph(f"审核人：{_clean(reviewers) or '—'}　　日期：{when}")
    sig.alignment = 2  # right
    src = result.get("source") or {}
    foot = doc.add_paragraph(f"审核所依据的报告文件：{_clean(entry.file)}，SHA-256 "
                             f"{src.get('sha256') or '—'}；nianbao {result.get('tool_version') or ''}")
    _set_font(foot.runs[0], BODY_FONT, 9)
    return doc


def summary(batch, reviews: dict, when: str):
    """The region's one-page summary of the batch (a python-docx ``Document``)."""
    from docx.shared import Pt

    doc = _document()
    doc.add_heading("政府信息公开工作年度报告审核情况汇总", level=0)
    audited = [e for e in batch.reports if e.id in reviews]
    failed = [e for e in batch.reports if e.id not in reviews]
    totals = {s: sum(reviews[e.id].counts()[s] for e in audited) for s in STATE_LABELS}
    letters = sum(1 for e in audited if reviews[e.id].counts()["confirmed"]
                  or reviews[e.id].counts()["ask"])
    doc.add_paragraph(
        f"本批次共{len(batch.reports)}份报告，完成审核{len(audited)}份"
        + (f"、无法读取{len(failed)}份" if failed else "")
        + f"。经复核确认的问题{totals['confirmed']}项，需向机关询问{totals['ask']}项，"
          f"已解决{totals['resolved']}项；尚待复核{totals['open'] + totals['new']}项。"
          f"需发送反馈意见的机关{letters}个。")
    cols = ["报告", "已确认", "待询问", "已接受", "非问题", "待审", "新出现", "已解决"]
    keys = ["confirmed", "ask", "accepted", "dismissed", "open", "new", "resolved"]
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, cols):
        cell.text = text
    for e in audited:
        c = reviews[e.id].counts()
        rep = e.report
        name = f"{rep.get('agency') or Path(e.file).stem} {rep.get('year') or ''}".strip()
        row = table.add_row().cells
        row[0].text = _clean(name)
        for cell, k in zip(row[1:], keys):
            cell.text = str(c[k])
    for e in failed:
        row = table.add_row().cells
        row[0].text = _clean(e.file)
        row[1].merge(row[-1]).text = f"未审核：{_clean(e.error or e.status)}"
    from docx.shared import Cm

    table.autofit = False
    for i, col in enumerate(table.columns):  # LibreOffice reads the grid, Word the cells
        col.width = Cm(5.2) if i == 0 else Cm(1.55)
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(5.2) if i == 0 else Cm(1.55)
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(10)
    doc.add_paragraph(f"汇总日期：{when}。各项含义：已确认——审核人确认的问题，列入反馈意见；"
                      "待询问——需机关说明；已接受——确有出入但有合理理由；非问题——复核后不属问题；"
                      "待审——尚未复核；新出现——上次复核后新出现；已解决——已确认的问题在更正后的报告中不再出现。")
    return doc


def write_letters(batch_dir, out_dir=None, review_path=None) -> list[Path]:
    """Write ``<report id>.docx`` for each report with something to send, and ``批次汇总.docx``,
    into ``out_dir`` (default ``BATCH/letters``); returns the paths written."""
    batch, _, reviews = load_reviews(batch_dir, review_path)
    out = Path(out_dir) if out_dir else Path(batch_dir) / "letters"
    out.mkdir(parents=True, exist_ok=True)
    when = _dt.date.today().isoformat()
    written = []
    for e in batch.reports:
        rv = reviews.get(e.id)
        if rv is None:
            continue
        names = sorted({r.decision.reviewer for r in rv.findings
                        if r.decision and r.decision.reviewer and r.state in ("confirmed", "ask")})
        doc = letter(e, rv, "、".join(names), when)
        if doc is None:
            continue
        written.append(_save(doc, out / f"{e.id}.docx"))
    written.append(_save(summary(batch, reviews, when), out / "批次汇总.docx"))
    return written


def _save(doc, path: Path) -> Path:
    with replacing(path) as tmp:
        doc.save(tmp)
    return path
