"""``parse(path_or_document) -> Report``: metadata, the six parts, the format and the three tables.

The parser works on ``Document.text`` only, so every input form (TSV text, HTML/DOCX tables,
PDF text, flattened crawler text) goes through the same scan; offsets stay valid because the
text is only ever folded character-for-character (``to_halfwidth``). Regions come from the
section headings: 表二 lies under part 二, 表三 under 三, 表四 under 四; where a heading is
missing the neighbouring table's labels bound the region instead.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import limits as _limits
from .. import schema
from ..document import Document
from ..errors import InputError
from ..model import Report
from ..textnorm import label_key, to_halfwidth
from . import meta as _meta
from .confidence import assess
from .ocr_cells import mark_ocr_cells
from .sections import parse_sections
from .table2 import parse_table2
from .table4 import parse_table4
from .tables import parse_table3
from .version import detect

__all__ = ["parse"]

_T3_START = re.compile(r"本列数据|申请人情况|本年新收")
_T4_START = re.compile(r"行政复议")
_T4_HEADER = re.compile(r"行政复议\s*\t|结果维持")


def parse(path_or_document, limits=None) -> Report:
    """Parse a file (read with ``nianbao.readers.read``) or an already read ``Document``.
    Raises ``InputError`` when the input is empty or is not an annual report at all, and
    ``LimitError`` when it passes one of ``limits`` (a ``limits:`` mapping or ``Limits``;
    default: those in force, see ``nianbao.limits``) — checked before the work they bound."""
    with _limits.applied(limits):
        if isinstance(path_or_document, Document):
            doc = path_or_document
            _limits.check_text(doc.path, doc.text)
        else:
            from ..readers import read

            doc = read(Path(path_or_document))
        return _parse(doc)


def _parse(doc: Document) -> Report:
    if not doc.text.strip():
        raise InputError(doc.path, "不是政府信息公开工作年度报告：文件没有文字内容")
    h = to_halfwidth(doc.text)
    report = Report(doc)
    report.title, report.agency, report.year, report.title_line = _meta.find_title(doc.text, doc.meta)
    report.region = _meta.region_of(report.agency)
    report.period, report.period_span = _meta.find_period(h)
    if report.year is None and report.period and report.period[0]:
        report.year = report.period[0].year
        report.notes.append("标题中没有年份：年份取自统计期限")

    sections, headings = parse_sections(doc, h)
    report.sections = sections
    report.headings = _headings(doc, report, headings)
    last = sections[-1].span[0] if sections else 0
    report.published = _meta.find_published(doc.text, doc.meta, last)

    key_text = label_key(doc.text)
    has_t3 = "本年新收" in key_text
    report.format_version, report.format_markers = detect(key_text, report.year, has_t3)
    _tables(report, h)
    in_tables = _table_text(report)
    if in_tables:  # markers count where the tables are, not in the prose (政府集中采购项目…N条)
        fmt, markers = detect(label_key(in_tables), report.year, has_t3)
        if fmt != report.format_version:
            report.format_version = fmt
            _tables(report, h)
        report.format_markers = markers
    if len(report.format_markers) > 1:
        report.notes.append("同时出现2021版和2019版格式的标签：" + "；".join(
            f"{v}版：{'、'.join(m)}" for v, m in report.format_markers.items()))
    mark_ocr_cells(report)  # before the confidence: a doubtful OCR reading is not a value
    for t in (report.table2, report.table3, report.table4):
        assess(t, doc.text)
    report.body_missing = _body_missing(report)
    if not (report.title or report.sections or report.table2.found or report.table3.found
            or report.table4.found):
        raise InputError(doc.path, "不是政府信息公开工作年度报告：没有找到标题、六个部分或统计表")
    return report


#: Fewer CJK characters than this outside the title lines, with no part heading and no table,
#: is a page whose body did not load (or was not saved), not a report with defects: a real
#: report's shortest part alone is longer. Page chrome ("来源：… 发布时间：… 浏览次数：") fits.
BODY_MIN_CJK = 80
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _body_missing(report: Report) -> str | None:
    """Why the report has no body text, or None. Only when nothing of a report was found — no
    part heading and no table — and what is left besides the title is a few words."""
    if report.sections or any(t.found for t in (report.table2, report.table3, report.table4)):
        return None
    doc = report.document
    title = re.sub(r"\s+", "", report.title or "")
    body = int(doc.meta.get("body_start_line") or 1)
    rest = [ln for i, ln in enumerate(doc.text.split("\n"), start=1)
            if i >= body and ln.strip() and (not title or title not in re.sub(r"\s+", "", ln))]
    n = sum(len(_CJK_CHAR.findall(ln)) for ln in rest)
    if n >= BODY_MIN_CJK:
        return None
    return (f"除标题外只有{n}个汉字（{len(rest)}行），没有任何部分标题或统计表"
            if rest else "除标题外没有任何文字")


def _table_text(report: Report) -> str:
    """The text of the tables the parser found (their spans, headers included), joined: where
    format markers are labels. Empty when no table was found."""
    spans = [t.span for t in (report.table2, report.table3, report.table4) if t.found and t.span]
    return "\n".join(report.text[a:b] for a, b in spans)


def _headings(doc: Document, report: Report, found) -> list[tuple[str, int]]:
    """Every heading-like occurrence, titles included, in text order (duplicates kept)."""
    out = [(doc.text[s:e].strip(), doc.line_of(s)) for _, s, e, _ in found]
    if report.title:
        body = int(doc.meta.get("body_start_line") or 1)
        for i, line in enumerate(doc.text.split("\n"), start=1):
            if i >= body and re.sub(r"\s+", "", line) == report.title:
                out.append((line.strip(), i))
        if report.title_line and not any(ln == report.title_line for _, ln in out):
            out.append((report.title, report.title_line))
    return sorted(out, key=lambda t: t[1])


def _tables(report: Report, h: str) -> None:
    doc, fmt = report.document, report.format_version
    n = len(h)
    sec = {s.number: s for s in report.sections}

    def start_of(k, default):
        return sec[k].span[0] if k in sec else default

    m3 = _T3_START.search(h, sec[3].span[1] if 3 in sec else 0)
    t3_lo = sec[3].span[1] if 3 in sec else (m3.start() if m3 else n)
    t2_lo = sec[2].span[1] if 2 in sec else 0
    t2_hi = max(t2_lo, start_of(3, m3.start() if m3 else n))
    after3 = [s.span[0] for k, s in sec.items() if k >= 4 and s.span[0] > t3_lo]
    t3_hi = min(after3) if after3 else n
    m4 = _T4_HEADER.search(h, m3.start() if m3 else t3_lo, t3_hi)
    if m4:  # 表四 printed inside part 三: 表三 ends where its header begins
        t3_hi = m4.start()

    if fmt == schema.FORMAT_LEGACY:
        for t in (report.table2, report.table3, report.table4):
            t.notes.append("2019年以前的旧格式报告：没有这种格式的表二/表三/表四")
        return
    report.table2 = parse_table2(doc, h, t2_lo, t2_hi, fmt)
    report.table3 = parse_table3(doc, h, t3_lo, t3_hi, fmt)
    t3_end = report.table3.span[1] if report.table3.span else t3_lo
    t4_lo = sec[4].span[1] if 4 in sec and sec[4].span[1] >= t3_end else t3_end
    after4 = [s.span[0] for k, s in sec.items() if k >= 5 and s.span[0] > t4_lo]
    t4_hi = min(after4) if after4 else n
    if not _T4_START.search(h, t4_lo, t4_hi) and 4 not in sec:
        t4_lo = t4_hi
    report.table4 = parse_table4(doc, h, t4_lo, t4_hi, fmt)
    if not report.table4.cells or all(c.value is None for c in report.table4.cells.values()):
        m4 = _T4_HEADER.search(h, t3_end)
        if m4:  # not under part 四: look where it is (STRUCT-PARTS-ORDER reports the place)
            after = [s.span[0] for s in report.sections if s.span[0] > m4.start()]
            elsewhere = parse_table4(doc, h, m4.start(), min(after) if after else n, fmt)
            if elsewhere.found and any(c.value is not None for c in elsewhere.cells.values()):
                elsewhere.notes.append("表四不在第四部分之下")
                report.table4 = elsewhere
