"""Scanned PDFs and page images, read by OCR into the Document the PDF reader would produce.

Agencies also publish the scan of the signed and stamped paper report, or its pages as images.
Each page is rendered (pypdfium2) or opened (Pillow; every frame of a TIFF), normalised
(``ocr_image``: one resolution, red seal washed out, grey, deskewed), read by RapidOCR (PP-OCRv4
Chinese detection and recognition, the models shipped inside the wheel, nothing downloaded at
run time, run by OpenVINO — three times faster here than onnxruntime on the same models; the
engine and runtime choices are measured in docs/ocr.md), and laid out (``ocr_layout``: ruled
tables from their lines, text lines from the boxes). The page items then go through the PDF
reader's own steps — page furniture dropped, broken lines joined, tables one row per line with
cells joined by a tab — so the parser reads 表二/表三/表四 from a scan as from a text layer.

Every piece keeps where it came from (``OcrRead``: page, box, recognition score), and a reading
the reader does not trust — a low score, a box across a rule, two numbers in one cell, ink in a
cell where nothing was recognised — carries a ``doubt``; the parser turns a table cell holding
such a reading into a doubtful cell (``how="ambiguous"``) instead of a silent number.
Progress goes to the ``nianbao.ocr`` logger (a batch shows it; a notebook stays clean).
"""
from __future__ import annotations

import io
import logging
import re
import time
from pathlib import Path

import numpy as np

from ..document import Document, OcrRead, TableCell
from ..errors import InputError
from .ocr_image import DPI, normalise, source_dpi
from .ocr_layout import Box, Grid, find_tables, join_line, split_at_rules, text_lines

log = logging.getLogger("nianbao.ocr")

#: A box the recogniser scores below this is a doubtful reading. Set by measurement on rendered
#: corpus pages (docs/ocr.md): correct table digits score ≥ 0.7 after the second look below,
#: the misreadings seen scored lower.
DOUBT_SCORE = 0.6
#: Below this a box is re-read from a padded crop of its own (single digits between rules score
#: low in the page pass: the crop is tight and a rule touches it).
REREAD_SCORE = 0.9
#: Pages beyond this are not read (a report is a few pages; a 300-page scan is not a report).
MAX_PAGES = 60
_PT = 72 / DPI  # page pixels → points
_NUMERIC = re.compile(r"^[\d.,，．%％\s-]+$")
#: What the recogniser returns for a lone digit it sees badly: a cell holding only these (and
#: digits) is taken as that number, marked doubtful.
_LOOKALIKE = {"。": "0", "o": "0", "O": "0", "〇": "0", "D": "0", "Q": "0", "○": "0",
              "）": "0", ")": "0", "l": "1", "I": "1", "|": "1", "]": "1", "[": "1", "i": "1"}
_CJK = re.compile(r"[\u3400-\u9fff]")

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


def _reread(ocr, grey: np.ndarray, regions: list[tuple[float, float, float, float]]) -> list[tuple[str, float] | None]:
    """Recognise regions again, each from a crop of its own padded with white, without
    detection; one batch for the page."""
    h, w = grey.shape
    crops, where = [], []
    for k, (x0, y0, x1, y1) in enumerate(regions):
        a, b = max(0, int(y0)), min(h, int(np.ceil(y1)))
        c, d = max(0, int(x0)), min(w, int(np.ceil(x1)))
        if b - a < 4 or d - c < 2:
            continue
        crop = grey[a:b, c:d]
        ys, xs = np.nonzero(crop < 160)  # tight around the ink: a small digit must fill the line height
        if len(ys) < 3:
            continue
        crop = crop[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        pad = max(3, crop.shape[0] // 4)
        crops.append(_rgb(np.pad(crop, pad, constant_values=255)))
        where.append(k)
    out: list[tuple[str, float] | None] = [None] * len(regions)
    if crops:
        results, _ = ocr.text_rec(crops)
        for k, (text, score) in zip(where, results):
            if text.strip():
                out[k] = (text.strip(), float(score))
    return out


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
    _second_look(ocr, clean, [c for g in grids for c in g.cells])
    items: list[_Item] = []
    for grid in grids:
        loose.extend(_grid_rows(grid, index, items))
    h = grey.shape[0]
    for line in text_lines(loose):
        if _folio(line, h):
            continue
        top, bottom = min(b.y0 for b in line), max(b.y1 for b in line)
        reads = [OcrRead(index + 1, _pt((b.x0, b.y0, b.x1, b.y1)), b.score, b.text,
                         doubt=_low(b.score)) for b in line]
        items.append(_Item("line", index, top * _PT, bottom * _PT, join_line(line),
                           x1=max(b.x1 for b in line) * _PT, ocr=reads))
    from .pdf import _right_margin

    right = _right_margin([it for it in items if it.kind == "line"], grey.shape[1] * _PT)
    for it in items:
        it.right = right
        it.top_share, it.bottom_share = it.top / (h * _PT), it.bottom / (h * _PT)
    items.sort(key=lambda it: it.top)
    return items, len(boxes)


def _second_look(ocr, clean: np.ndarray, cells) -> None:
    """Table cells read again where the page pass is weak: a number scored below
    ``REREAD_SCORE`` (single digits between rules score low: the crop is tight), and a cell with
    ink where the detector framed nothing. The better reading of a number wins; a cell read only
    by the second look stays marked."""
    regions, targets = [], []
    for cell in cells:
        x0, y0, x1, y1 = cell.box
        if not cell.boxes:
            inner = clean[int(y0) + 5:int(y1) - 4, int(x0) + 5:int(x1) - 4]
            if inner.size and (inner < 160).sum() >= 8:  # ink, yet no text framed
                regions.append((x0 + 3, y0 + 3, x1 - 3, y1 - 3))
                targets.append((cell, None))
                cell.doubts = ["格内有墨迹但未识别出文字"]
            continue
        for k, b in enumerate(cell.boxes):
            if b.split and _NUMERIC.match(b.text):  # cut out of a longer box: read the cell alone
                regions.append((x0 + 3, b.y0 - 2, x1 - 3, b.y1 + 2))
                targets.append((cell, k))
            elif ((_NUMERIC.match(b.text) and b.score < REREAD_SCORE) or _lookalike(b.text)
                  or (len(b.text) <= 2 and not _CJK.search(b.text))):  # a stray mark where a digit may be
                regions.append((b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2))
                targets.append((cell, k))
    for (cell, k), again in zip(targets, _reread(ocr, clean, regions)):
        if again is None:
            continue
        if k is None:
            x0, y0, x1, y1 = cell.box
            cell.boxes = [Box(x0, y0, x1, y1, again[0], again[1])]
            # the detector misses small lone digits; a confident reading of the cell alone stands
            firm = _NUMERIC.match(again[0]) and again[1] >= REREAD_SCORE
            cell.doubts = [] if firm else ["检测未框出文字，按整格重新识别"]
        elif cell.boxes[k].split:  # the cell read alone replaces a split it confirms or overrules firmly
            b = cell.boxes[k]
            text = again[0].replace(" ", "")
            agrees = text == b.text.replace(" ", "") and again[1] >= DOUBT_SCORE
            if agrees or (_NUMERIC.match(text) and again[1] >= REREAD_SCORE):
                cell.boxes[k] = Box(b.x0, b.y0, b.x1, b.y1, text, again[1])
        elif again[1] > cell.boxes[k].score:
            b = cell.boxes[k]
            cell.boxes[k] = Box(b.x0, b.y0, b.x1, b.y1, again[0], again[1], b.split)


def _grid_rows(grid: Grid, index: int, items: list) -> list[Box]:
    """The grid's rows with two or more cells become table rows (as ``pdf._table_rows`` does);
    a row that is one cell across the table is a caption or a framed paragraph, and its boxes
    are returned to be read as text lines."""
    from .pdf import _NUMBER, _Item

    left_over: list[Box] = []
    rows: dict[int, list] = {}
    for cell in grid.cells:
        rows.setdefault(cell.r0, []).append(cell)
    for r0 in sorted(rows):
        cells = sorted(rows[r0], key=lambda c: c.c0)
        texts = [_cell_reading(c, index) for c in cells]
        if len(cells) < 2 or not any(t.text for t in texts):
            for c in cells:
                left_over.extend(c.boxes)
            continue
        first = next((i for i, t in enumerate(texts) if t.text), 0)
        if first and not _NUMBER.match(texts[first].text):
            del cells[:first], texts[:first]  # merged labels cut by a page break
        top = min(c.box[1] for c in cells) * _PT
        bottom = max(c.box[3] for c in cells) * _PT
        items.append(_Item("row", index, top, bottom, cells=texts))
    return left_over


def _cell_reading(cell, index: int) -> TableCell:
    from .pdf import cell_text

    doubts = list(cell.doubts)
    lines = text_lines(cell.boxes)
    text = cell_text("\n".join("".join(b.text for b in ln) for ln in lines))
    score = min((b.score for b in cell.boxes), default=1.0)
    low = _low(score)
    if low:
        doubts.append(low)
    digits = _lookalike(text)
    if digits:
        doubts.append(f"识别为“{text}”，疑为{digits}")
        text = digits
    numeric = _NUMERIC.match(text.replace(" ", "")) is not None
    if numeric and sum(1 for b in cell.boxes if _NUMERIC.match(b.text)) > 1:
        doubts.append("一格内识别出多个数字")
    if numeric and any(b.split for b in cell.boxes):
        doubts.append("文字框跨越表格线，按位置拆分")
    if not text and not doubts:
        return TableCell("", cell.r1 - cell.r0, cell.c1 - cell.c0)
    read = OcrRead(index + 1, _pt(cell.box), score, text, doubt="；".join(doubts) or None)
    return TableCell(text, cell.r1 - cell.r0, cell.c1 - cell.c0, ocr=read)


def _lookalike(text: str) -> str | None:
    """``text`` as a number when it is a number with look-alike characters (``。`` for 0)."""
    t = text.replace(" ", "")
    if t and len(t) <= 6 and any(ch in _LOOKALIKE for ch in t) and all(ch in _LOOKALIKE or ch.isdigit() for ch in t):
        return "".join(_LOOKALIKE.get(ch, ch) for ch in t)
    return None


def _folio(line: list[Box], h: float) -> bool:
    """A page number in the bottom or top margin whose dashes OCR lost in part (``- 3 -`` read
    as ``-3``); the PDF reader's furniture step drops the intact forms."""
    text = "".join(b.text for b in line).replace(" ", "")
    margin = min(b.y0 for b in line) > 0.9 * h or max(b.y1 for b in line) < 0.1 * h
    return margin and re.fullmatch(r"[-–—－_~一]?\d{1,3}[-–—－_~一]?", text) is not None


def _low(score: float) -> str | None:
    return f"识别置信度低（{score:.2f}）" if score < DOUBT_SCORE else None


def _pt(box) -> tuple[float, float, float, float]:
    return tuple(round(v * _PT, 1) for v in box)  # type: ignore[return-value]


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
