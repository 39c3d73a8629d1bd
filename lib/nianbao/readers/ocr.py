"""Scanned PDFs and page images, read by OCR into the Document the PDF reader would produce.

Agencies also publish the scan of the signed and stamped paper report, or its pages as images.
Each page is rendered (pypdfium2) or opened (Pillow; every frame of a TIFF), normalised
(``ocr_image``: one resolution, red seal washed out, grey, deskewed), read by RapidOCR (PP-OCRv4
Chinese detection and recognition, the models shipped inside the wheel, nothing downloaded at
run time, run by OpenVINO — three times faster here than onnxruntime on the same models; the
engine and runtime choices are measured in docs/ocr.md), and laid out (``ocr_layout``: ruled
tables from their lines, text lines from the boxes; ``ocr_table``: a second look at weak
table readings, and each data cell held to a number, a blank mark or ``UNREAD``). The page
items then go through the PDF
reader's own steps — page furniture dropped, broken lines joined, tables one row per line with
cells joined by a tab — so the parser reads 表二/表三/表四 from a scan as from a text layer.

Every piece keeps where it came from (``OcrRead``: page, box, recognition score), and a reading
the reader does not trust — a low score, a box across a rule, two numbers in one cell, a glyph
or ink without a confident digit where a number belongs — carries a ``doubt``; the parser turns
a table cell holding such a reading into a doubtful cell (``how="ambiguous"``) instead of a
silent number or a silent blank.
Progress goes to the ``nianbao.ocr`` logger (a batch shows it; a notebook stays clean).
"""
from __future__ import annotations

import io
import logging
import re
import time
from pathlib import Path

import numpy as np

from ..document import Document, OcrRead
from ..errors import InputError
from .ocr_image import DPI, normalise, source_dpi
from .ocr_layout import Box, find_tables, join_line, split_at_rules, text_lines
from .ocr_table import DOUBT_SCORE, grid_rows, low_score, pt, second_look

log = logging.getLogger("nianbao.ocr")

#: Pages beyond this are not read (a report is a few pages; a 300-page scan is not a report).
MAX_PAGES = 60
_PT = 72 / DPI  # page pixels → points

_ENGINE = None


def engine_name() -> str:
    try:
        from importlib.metadata import version

        return f"RapidOCR {version('rapidocr-openvino')} (PP-OCRv4, OpenVINO)"
    except Exception:
        return "RapidOCR (PP-OCRv4)"


def _engine(path: Path):
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_openvino import RapidOCR
        except ImportError:
            raise InputError(path, "扫描件/图片需要OCR，但未安装rapidocr-openvino（bash scripts/setup.sh 会安装）"
                                   " / OCR needed but rapidocr-openvino is not installed (run scripts/setup.sh)") from None
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        _ENGINE = RapidOCR()
    return _ENGINE


# ---------------------------------------------------------------- entry points
def read_scanned_pdf(path: Path, data: bytes, sha: str, why: str) -> Document:
    """A PDF without a usable text layer (``why`` says what the text layer lacked)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise InputError(path, "扫描件PDF需要OCR，但未安装pypdfium2 / scanned PDF needs pypdfium2 (run scripts/setup.sh)") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:
        raise InputError(path, f"PDF文件已损坏或无法解析 / corrupt or unreadable PDF ({type(e).__name__})") from None
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise InputError(path, f"扫描件共{n}页，超过{MAX_PAGES}页上限 / scanned PDF has {n} pages (limit {MAX_PAGES})")

        def pages():
            for i in range(n):
                page = pdf[i]
                yield page.render(scale=DPI / 72).to_pil(), DPI
                page.close()

        doc = _read_pages(path, sha, "pdf", pages(), n, f"PDF ({why.split(' / ')[-1]})")
    finally:
        pdf.close()
    doc.notes.insert(0, f"{why.split(' / ')[0]}：已按扫描件逐页OCR识别（{engine_name()}）")
    return doc


def read_image(path: Path, data: bytes, sha: str) -> Document:
    """A page image (PNG, JPEG, TIFF with one frame per page, BMP)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)][:MAX_PAGES + 1]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise InputError(path, f"图片文件已损坏或无法解析 / corrupt or unreadable image ({type(e).__name__})") from None
    if len(frames) > MAX_PAGES:
        raise InputError(path, f"图片超过{MAX_PAGES}页 / image has more than {MAX_PAGES} pages")
    kind = (img.format or "image").upper()
    doc = _read_pages(path, sha, "image", ((f, source_dpi(img if i == 0 else f)) for i, f in enumerate(frames)),
                      len(frames), kind)
    doc.notes.insert(0, f"{kind}图片：已逐页OCR识别（{engine_name()}）")
    return doc


# ---------------------------------------------------------------- pages
def _read_pages(path: Path, sha: str, fmt: str, pages, n: int, kind: str = "PDF") -> Document:
    from .pdf import _Item, lay_out

    ocr = _engine(path)
    items: list[list[_Item]] = []
    notes: list[str] = []
    skews = []
    for index, (img, dpi) in enumerate(pages):
        t = time.perf_counter()
        grey, angle = normalise(img, dpi)
        if abs(angle) >= 0.1:
            skews.append(f"第{index + 1}页{angle:+.2f}°")
        page_items, nboxes = _page(ocr, grey, index)
        items.append(page_items)
        log.info("OCR %s: page %d/%d, %d boxes, skew %.2f°, %.1f s", path.name, index + 1, n, nboxes,
                 angle, time.perf_counter() - t)
    if not any(it.text.strip() or any(c.text for c in it.cells) for p in items for it in p):
        raise InputError(path, f"OCR未识别出文字（{kind}） / OCR found no text in this {kind}")
    if skews:
        notes.append("已校正倾斜：" + "、".join(skews))
    text, blocks, kept = lay_out(items, notes)
    reads = _place_reads(text, blocks, kept)
    doubtful = sum(1 for r in reads if r.doubt)
    notes.append(f"OCR共{n}页，{len(reads)}处文字；{doubtful}处识读存疑（置信度低于{DOUBT_SCORE}等），表格中存疑的单元格按存疑处理")
    return Document(path=str(path), format=fmt, sha256=sha, text=text, blocks=blocks,
                    meta={"ocr_engine": engine_name(), "ocr_dpi": DPI}, notes=notes, ocr=reads)


def _recognise(ocr, grey: np.ndarray) -> list[Box]:
    result, _ = ocr(_rgb(grey), use_cls=False, text_score=0.0)
    boxes = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        text = text.strip()
        if text:
            boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def _rgb(grey: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.stack([grey] * 3, axis=-1))


def _page(ocr, grey: np.ndarray, index: int):
    from .pdf import _Item

    if int((grey < 160).sum()) < 50:  # a blank page: nothing to recognise
        return [], 0
    grids, rules = find_tables(grey)
    clean = grey.copy()
    clean[rules > 0] = 255  # rules washed out: a character touching one is misread
    boxes = _recognise(ocr, clean)
    loose: list[Box] = []
    for b in boxes:
        grid = next((g for g in grids if g.holds(b)), None)
        if grid is None:
            loose.append(b)
            continue
        for piece in split_at_rules(b, grid):
            cell = grid.cell_at(piece.cx, piece.cy)
            (cell.boxes if cell is not None else loose).append(piece)
    second_look(ocr, clean, [c for g in grids for c in g.cells])
    items: list[_Item] = []
    for grid in grids:
        loose.extend(grid_rows(grid, index, items))
    h = grey.shape[0]
    for line in text_lines(loose):
        if _folio(line, h):
            continue
        top, bottom = min(b.y0 for b in line), max(b.y1 for b in line)
        reads = [OcrRead(index + 1, pt((b.x0, b.y0, b.x1, b.y1)), b.score, b.text,
                         doubt=low_score(b.score), ruled=False) for b in line]
        items.append(_Item("line", index, top * _PT, bottom * _PT, join_line(line),
                           x1=max(b.x1 for b in line) * _PT, ocr=reads))
    from .pdf import _right_margin

    right = _right_margin([it for it in items if it.kind == "line"], grey.shape[1] * _PT)
    for it in items:
        it.right = right
        it.top_share, it.bottom_share = it.top / (h * _PT), it.bottom / (h * _PT)
    items.sort(key=lambda it: it.top)
    return items, len(boxes)


def _folio(line: list[Box], h: float) -> bool:
    """A page number in the bottom or top margin whose dashes OCR lost in part (``- 3 -`` read
    as ``-3``); the PDF reader's furniture step drops the intact forms."""
    text = "".join(b.text for b in line).replace(" ", "")
    margin = min(b.y0 for b in line) > 0.9 * h or max(b.y1 for b in line) < 0.1 * h
    return margin and re.fullmatch(r"[-–—－_~一]?\d{1,3}[-–—－_~一]?", text) is not None


# ---------------------------------------------------------------- offsets
def _place_reads(text: str, blocks, items) -> list[OcrRead]:
    """Give every read its offsets in the assembled text: a table cell its own characters in
    its row's line, a text line's boxes the whole line (lines were joined and respaced)."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    reads: list[OcrRead] = []
    paras = iter(it for it in items if it.kind == "line")
    for block in blocks:
        if block.kind == "table":
            for k, row in enumerate(block.rows or []):
                pos = starts[block.line - 1 + k]
                for cell in row:
                    if cell.ocr is not None:
                        cell.ocr.start, cell.ocr.end = pos, pos + len(cell.text)
                        reads.append(cell.ocr)
                    pos += len(cell.text) + 1
        else:
            it = next(paras)
            s = starts[block.line - 1]
            for r in it.ocr:
                r.start, r.end = s, s + len(block.text)
                reads.append(r)
    reads.sort(key=lambda r: (r.start, r.end))
    return reads
