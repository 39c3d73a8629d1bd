"""PDF reports: the text layer, in reading order, with ruled tables read as tables.

Annual reports are Word documents printed to PDF, with the statistical tables drawn with ruling
lines. pdfplumber's table finder uses those lines, so each table row comes out as a row of cells
placed by their x-coordinates — reading the row as plain text loses which column a number sits
in (hongze 2023 表四 prints ``10 1 0 0 0 0 0 0 0 0 5 0 0 0 0``, and only the cell boxes say
which fifteen columns they are). Everything outside table rows is read as text lines.

Then the page furniture goes: page numbers (``- 2 -``, ``第 2 页``, ``2/5``) and running heads or
footers repeated on most pages, so that a table continued on the next page comes out as
continuous rows. Lines that a paragraph broke at the right margin are joined back (not after
。；：！？, not before a heading), and the spaces PDF justification puts around digits and
between single characters (``2024 年``, ``总 计``) are removed — both only for PDF text.
"""
from __future__ import annotations

import io
import logging
import re
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Block, Document, TableCell
from ..errors import InputError
from ..textnorm import fold_radicals
from .cells import join_pieces
from .pdf_limits import check_pages
from .pdf_meta import pdf_meta
from .printed_page import drop_site_chrome

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：！？（）《》“”‘’【】〔〕…—"
_C = f"[{_CJK}{_CJK_PUNCT}]"
_TERMINAL = tuple("。；：！？;:!?")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]"
                      r"|第[一二三四五六七八九十\d]+[条章节部分]|表[一二三四五六七八九十\d])")
#: A line of a table drawn without ruling lines: numbers spaced apart at its end, or three words
#: of two or more characters spaced apart (column headers). Justified prose spreads single
#: characters, not words, so it does not look like this; such lines are never joined.
_TABULAR_END = re.compile(r"(?:\s\d[\d.,]*){2,}\s*$")
#: (starts only where a CJK run starts: inside one, every start would rescan the run)
_TABULAR_WORDS = re.compile(rf"(?<![{_CJK}])(?:[{_CJK}]{{2,}} +){{2,}}[{_CJK}]{{2,}}")


def _tabular(text: str) -> bool:
    """Whether a line looks like a table row (see above). The numbers are looked for in the
    line's last 200 characters: searched whole, a long run of spaced digits that does not
    reach the end would be rescanned from each of its digits."""
    return bool(_TABULAR_END.search(text[-200:]) or _TABULAR_WORDS.search(text))
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—－_]\s*\d+\s*[-–—－_]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?"
                          r"|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)\s*$")
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_NUM_IN_PROSE = re.compile(rf"(?:(?<={_C})|^) *(\d[\d.,]*%?) +(?={_C})|(?<={_C}) +(\d[\d.,]*%?)(?= *{_C})")
_SPACE_AT_PUNCT = re.compile(rf"(?<! ) +(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) +")  # (?<! ): linear in a run of spaces
_SINGLE_CHAR_GAP = re.compile(rf"(?:(?<=^[{_CJK}])|(?<=[ {_CJK_PUNCT}][{_CJK}])) (?=[{_CJK}])"
                              rf"|(?<=[{_CJK}]) (?=[{_CJK}](?:[ {_CJK_PUNCT}]|$))")
_CJK_GAP = re.compile(f"(?<={_C}) +(?={_C})")
_NUMBER = re.compile(r"^[\d.,]+$")
#: Top and bottom share of the page height where running heads and folios sit; the body text of
#: Word's default 2.54 cm margin starts below it, so a repeated table header is never taken.
_MARGIN = 0.075


@dataclass
class _Item:
    kind: str  # "line" | "row"
    page: int
    top: float
    bottom: float
    text: str = ""
    x1: float = 0.0
    right: float = 0.0  # the right edge of this page's text column
    cells: list[TableCell] = field(default_factory=list)
    top_share: float = 0.0  # position on the page, 0 = top edge, 1 = bottom edge
    bottom_share: float = 1.0
    ocr: list = field(default_factory=list)  # OCR'd lines: the ``OcrRead`` of each box in it


#: Libraries whose warnings are about the file, not for the auditor's terminal: pdfminer logs
#: "Could not get FontBBox …" once per font of every page a browser printed, and one line per
#: damaged xref entry. What the reader had to work around goes into ``Document.notes`` instead.
_NOISY = ("pdfminer", "pdfplumber", "pypdfium2")


def quiet_pdf_libraries() -> None:
    """Raise the PDF libraries' loggers to ERROR once, for the life of the process, unless the
    application has set a level of its own; and ignore their Python warnings. Done once, not
    set and restored around each read: a save/restore is not thread-safe (a Dask worker reads
    in threads, and one thread's restore would unmute another's read)."""
    for name in _NOISY:
        log = logging.getLogger(name)
        if log.level == logging.NOTSET:
            log.setLevel(logging.ERROR)
    for name in _NOISY:
        warnings.filterwarnings("ignore", module=rf"{name}(\..*)?$")


quiet_pdf_libraries()


def read_pdf(path: Path, data: bytes, sha: str) -> Document:
    import pdfplumber

    return _read_pdf(path, data, sha, pdfplumber)


def _read_pdf(path: Path, data: bytes, sha: str, pdfplumber) -> Document:
    try:  # an empty user password is tried explicitly: such a file opens in any viewer
        pdf = pdfplumber.open(io.BytesIO(data), password="")
    except Exception as e:  # pdfminer raises many unrelated classes for bad files
        raise InputError(path, _open_failure(e)) from None
    notes: list[str] = []
    try:
        with pdf:
            check_pages(path, pdf)
            pages = [_page_items(p, i) for i, p in enumerate(pdf.pages)]
            meta = pdf_meta(pdf.metadata or {})
    except InputError:
        raise
    except Exception as e:
        raise InputError(path, _open_failure(e)) from None
    _check_text_layer(path, pages)
    text, blocks, _ = lay_out(pages, notes, meta)
    notes.append(f"PDF共{len(pages)}页；表格按表格线识别，逐行读取")
    return Document(path=str(path), format="pdf", sha256=sha, text=text, blocks=blocks,
                    meta=meta, notes=notes)


def _open_failure(e: Exception) -> str:
    """The reason for a PDF that does not open. Encryption with an empty user password is not
    a reason (such files open); a user password is, and an encryption pdfminer cannot undo is
    said as such, not as "password required"."""
    cause = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e  # pdfplumber wraps
    name = type(cause).__name__
    if name == "PDFPasswordIncorrect":
        return "PDF设置了打开密码，无法读取 / PDF protected by a user password (needed to open it)"
    if "encrypt" in f"{name} {cause}".lower():
        return f"PDF的加密方式无法解开 / PDF encryption not supported ({name}: {str(cause)[:80]})"
    return f"PDF文件已损坏或无法解析 / corrupt or unreadable PDF ({name})"


class NoTextLayer(InputError):
    """A PDF whose text cannot be taken from its text layer: the dispatcher reads it by OCR."""


def _check_text_layer(path: Path, pages: list[list[_Item]]) -> None:
    text = "".join(it.text + "".join(c.text for c in it.cells) for p in pages for it in p)
    if not text.strip():
        raise NoTextLayer(path, "PDF没有文本层（扫描件） / PDF has no text layer (scanned)")
    if text.count("(cid:") * 6 > len(text) / 2:
        raise NoTextLayer(path, "PDF文本层无法解码（字体缺少ToUnicode映射） / PDF text layer is not decodable (fonts without ToUnicode)")


# ---------------------------------------------------------------- one page
def _page_items(page, index: int) -> list[_Item]:
    # WPS and some printers fake bold by printing each glyph twice, a fraction of a point apart
    page = page.dedupe_chars(tolerance=1)
    rows, regions = [], []
    for table in page.find_tables():
        rows.extend(_table_rows(page, table, index, regions))

    def outside(obj) -> bool:
        return not any(_inside(obj, box) for box in regions)

    src = page.filter(outside) if regions else page
    lines = [_Item("line", index, ln["top"], ln["bottom"], fold_radicals(ln["text"]), x1=ln["x1"])
             for ln in src.extract_text_lines(strip=True, return_chars=False) if ln["text"].strip()]
    right = _right_margin(lines, page.width)
    for ln in lines:
        ln.right = right
    items = lines + rows
    items.sort(key=lambda it: it.top)
    for it in items:
        it.top_share = it.top / page.height if page.height else 0
        it.bottom_share = it.bottom / page.height if page.height else 1
    return items


def _inside(obj, box) -> bool:
    """Whether the centre of a pdfplumber object lies in ``box`` (x0, top, x1, bottom)."""
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _right_margin(lines: list[_Item], width: float) -> float:
    """Where full lines end: the furthest right edge shared by at least two lines (a single
    overlong line — a URL, a signature — does not move the margin)."""
    bins: dict[int, int] = {}
    for ln in lines:
        b = int(ln.x1 // 3)
        bins[b] = bins.get(b, 0) + 1
    shared = [b for b, n in bins.items() if n >= 2]
    return (max(shared) * 3 + 3) if shared else max((ln.x1 for ln in lines), default=width)


def _table_rows(pdf_page, table, page: int, regions: list) -> list[_Item]:
    """The rows of a ruled table that are table rows: at least two cells. A row that is one
    cell across the whole width is a paragraph inside a frame (some reports box whole pages),
    and a one-column "table" is such a frame; both are left to the text lines."""
    out: list[_Item] = []
    xs = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
    ys = sorted({round(c[1], 1) for c in table.cells} | {round(c[3], 1) for c in table.cells})
    if len(xs) < 3:
        return out
    for row, texts in zip(table.rows, table.extract()):
        present = [(bbox, t) for bbox, t in zip(row.cells, texts) if bbox is not None]
        if len(present) == 1:
            present = _with_open_cell(pdf_page, table, present)
        if len(present) < 2 or not any((t or "").strip() for _, t in present):
            continue
        cells = [TableCell(cell_text(fold_radicals(t or "")), _span(ys, b[1], b[3]), _span(xs, b[0], b[2]))
                 for b, t in present]
        first = next((i for i, c in enumerate(cells) if c.text), 0)
        if first and not _NUMBER.match(cells[first].text):
            del cells[:first]  # merged labels cut by a page break: printed once, on the page before
        x0, top = min(b[0] for b, _ in present), min(b[1] for b, _ in present)
        x1, bottom = max(b[2] for b, _ in present), max(b[3] for b, _ in present)
        regions.append((x0, top, x1, bottom))
        out.append(_Item("row", page, top, bottom, cells=cells))
    return out


def _with_open_cell(pdf_page, table, present: list) -> list:
    """A row whose left cell has no box: the first row on a page, under a cell whose top rule
    was drawn on the page before. Its text sits left of the one boxed cell, inside the table
    and in no cell; it is made the row's first cell (else it would come out as a text line)."""
    (bbox, text), = present
    left = table.bbox[0]
    if bbox[0] - left < 6:
        return present
    x0, top, x1, bottom = left, bbox[1], bbox[0], bbox[3]
    chars = [c for c in pdf_page.chars
             if _inside(c, (x0, top, x1, bottom)) and not any(_inside(c, b) for b in table.cells)]
    if not chars:
        return present
    chars.sort(key=lambda c: (round(c["top"]), c["x0"]))
    return [((x0, top, x1, bottom), fold_radicals("".join(c["text"] for c in chars))), (bbox, text)]


def _span(bounds: list[float], lo: float, hi: float, tol: float = 1.0) -> int:
    return max(1, bisect_right(bounds, hi + tol) - bisect_left(bounds, lo + tol))


#: A label cell whose item number landed inside it: "属于国家秘密1.", "其他法律行政2.法规禁止公开".
#: A browser prints the number vertically centred beside a label wrapped over two lines, so in
#: reading order it falls between (or after) the label's lines; read as is, "1." is a value.
_INNER_NUMBER = re.compile(rf"^(?P<a>[^\d]*?[{_CJK}][^\d]*?)(?P<n>\d[.．、])(?P<b>[^\d]*)$")


def cell_text(raw: str) -> str:
    """A PDF cell: its wrapped lines joined (a number wrapped in a narrow column is one number),
    no justification spaces inside the label, and an item number found inside a label put back
    in front of it ("属于国家秘密1." → "1.属于国家秘密")."""
    text = join_pieces(raw.split("\n"), numbers_apart=False)
    text = _NUM_IN_PROSE.sub(lambda m: m.group(1) or m.group(2), _CJK_GAP.sub("", text))
    # the pattern allows one digit only; checked first, as its two lazy runs are quadratic
    # in a line that has none
    m = _INNER_NUMBER.match(text) if sum(map(str.isdecimal, text)) == 1 else None
    if m:
        text = m.group("n") + m.group("a") + m.group("b")
    return text


def pdf_spacing(line: str) -> str:
    """Remove the spaces PDF justification leaves in prose: around CJK punctuation, between
    single characters spread across the line, and around numbers inside a sentence
    (``2024 年`` → ``2024年``). Spaces between two words (a header row outside a ruled table,
    ``信息内容 本年制发件数``) and between a label and its numbers (``行政许可 550``) stay."""
    line = _SPACE_AT_PUNCT.sub("", line)
    line = _SINGLE_CHAR_GAP.sub("", line)
    return _NUM_IN_PROSE.sub(lambda m: m.group(1) or m.group(2), line)


# ---------------------------------------------------------------- furniture, joins, assembly
def lay_out(pages: list[list[_Item]], notes: list[str],
            meta: dict | None = None) -> tuple[str, list[Block], list[_Item]]:
    """Pages of items (text lines and table rows, each page in reading order) → the text and its
    blocks; also returns the items kept, in text order. Shared with the OCR reader. A page a
    browser printed (``meta["printed_by_browser"]``) loses the site's navigation and footer."""
    items = _drop_furniture(pages, notes)
    items = _join_broken_lines(items, notes)
    if meta and meta.get("printed_by_browser"):
        items = drop_site_chrome(items, meta.get("pdf_title"), notes)
    text, blocks = _assemble(items)
    return text, blocks, items


def _drop_furniture(pages: list[list[_Item]], notes: list[str]) -> list[_Item]:
    """Page numbers, and lines in the top/bottom margin repeated on most pages."""
    def in_margin(it: _Item) -> bool:
        return it.kind == "line" and (it.top_share < _MARGIN or it.bottom_share > 1 - _MARGIN)

    def key(it: _Item) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", it.text))

    seen: dict[str, set[int]] = {}
    for p in pages:
        for it in p:
            if in_margin(it):
                seen.setdefault(key(it), set()).add(it.page)
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, pgs in seen.items() if len(pgs) >= need}
    out, dropped = [], 0
    for p in pages:
        for it in p:
            if it.kind == "line" and (_PAGE_NUMBER.match(it.text) or (in_margin(it) and (
                    _BARE_NUMBER.match(it.text) or key(it) in running))):
                dropped += 1
                continue
            out.append(it)
    if dropped:
        notes.append(f"已删除页码、页眉页脚{dropped}行")
    return out


def _join_broken_lines(items: list[_Item], notes: list[str]) -> list[_Item]:
    out: list[_Item] = []
    joined = 0
    for it in items:
        prev = out[-1] if out else None
        if (it.kind == "line" and prev is not None and prev.kind == "line"
                and not prev.text.rstrip().endswith(_TERMINAL)
                and prev.x1 >= prev.right - 1.5 * max(prev.bottom - prev.top, 6)
                and not _HEADING.match(it.text)
                and not _tabular(prev.text) and not _tabular(it.text)):
            # a Chinese line break is no space; only an English word wrapped at the margin is
            sep = " " if _latin(prev.text[-1:]) and _latin(it.text[:1]) else ""
            prev.text = prev.text.rstrip() + sep + it.text.lstrip()
            prev.x1, prev.right, prev.bottom = it.x1, it.right, it.bottom
            prev.ocr.extend(it.ocr)
            joined += 1
            continue
        out.append(it)
    if joined:
        notes.append(f"已合并PDF排版造成的句中断行{joined}处")
    for it in out:
        if it.kind == "line":
            it.text = pdf_spacing(it.text)
    return out


def _latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _assemble(items: list[_Item]) -> tuple[str, list[Block]]:
    lines: list[str] = []
    blocks: list[Block] = []
    table_rows: list[list[TableCell]] = []
    for it in items + [None]:
        if (it is None or it.kind == "line") and table_rows:
            row_text = ["\t".join(c.text for c in r) for r in table_rows]
            blocks.append(Block("table", len(lines) + 1, "\n".join(row_text), table_rows))
            lines.extend(row_text)
            table_rows = []
        if it is None:
            break
        if it.kind == "row":
            table_rows.append(it.cells)
        else:
            lines.append(it.text)
            blocks.append(Block("para", len(lines), it.text))
    return "\n".join(lines), blocks
