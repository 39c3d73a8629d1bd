"""The cells of an OCR'd ruled table: a second look where the page pass is weak, and what a
data cell may hold.

A data cell of 表二/表三/表四 holds a number, a blank mark (``—``, ``/``, ``无``) or nothing.
The recogniser, on small print or a poor scan, also returns lone glyphs for a digit it sees
badly (``U``, ``□``, ``口``, ``Ⅱ``), specks beside a number (``0.``, ``0：``) and ink it cannot
read at all. A reading of a data cell that is not a number is therefore never passed on as text
(the parser would skip it and shift the row) nor as nothing (a silent blank): the cell's text
becomes ``UNREAD`` (one character the parser reads as an unreadable cell) and its ``OcrRead``
keeps what was recognised and why it is doubtful. Which cells are data cells is read off the
grid (``data_cells``): a number in the same row or the same columns; labels and headers hold
words and are left as read. A lone digit the second look read without confidence is read once
more with a wide margin, and two readings that agree make a confident digit (``_confirm``).
Measured in docs/ocr.md (``benchmarks/ocr_cells.py``).
"""
from __future__ import annotations

import re

import numpy as np

from ..document import UNREAD, OcrRead, TableCell
from .ocr_image import DPI
from .ocr_layout import Box, Grid, text_lines

#: A box the recogniser scores below this is a doubtful reading. Set by measurement on rendered
#: corpus pages (docs/ocr.md): correct table digits score ≥ 0.7 after the second look below,
#: the misreadings seen scored lower.
DOUBT_SCORE = 0.6
#: Below this a box is re-read from a padded crop of its own (single digits between rules score
#: low in the page pass: the crop is tight and a rule touches it).
REREAD_SCORE = 0.9
_PT = 72 / DPI  # page pixels → points
_CJK = re.compile(r"[\u3400-\u9fff]")
_CELL_ONLY = "检测未框出文字，按整格重新识别"
_OVER_MARK = "页面识别为"
_NUMERIC = re.compile(r"^[\d.,，．%％\s-]+$")
#: A clean number as the tables print one: a count without leading zeros, thousands grouped,
#: decimals, a percentage.
_CLEAN = re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?[%％]?")
_BLANK = re.compile(r"[—–\-－]+|/|无")
#: Specks a scan leaves beside a number (``0.``, ``0：``, ``'0``): the reading is taken as the
#: number (the parser reads the digits) — the digits were read, and the score still decides
#: whether they are trusted. Not a leading dot: ``.5`` may be 0.5 with its 0 lost.
_SPECK_LEAD = "'\"`‘’“”:：;；·、，,°º˚"
_SPECK_TRAIL = _SPECK_LEAD + ".．。"
#: Words printed in a data cell (不涉及, 未发生): kept as text, as the text layer has them; so is a
#: label cell (labels sit in the rows of numbers).
_WORD = re.compile(r"[\u3400-\u9fff].*[\u3400-\u9fff]")
#: What the recogniser returns for a lone digit it sees badly: a cell holding only these (and
#: digits) is taken as that number, marked doubtful.
_LOOKALIKE = {"。": "0", "o": "0", "O": "0", "〇": "0", "D": "0", "Q": "0", "○": "0",
              "）": "0", ")": "0", "l": "1", "I": "1", "|": "1", "]": "1", "[": "1", "i": "1"}


def low_score(score: float) -> str | None:
    return f"识别置信度低（{score:.2f}）" if score < DOUBT_SCORE else None


def pt(box) -> tuple[float, float, float, float]:
    """A box in page pixels → points."""
    return tuple(round(v * _PT, 1) for v in box)  # type: ignore[return-value]


def _reread(ocr, grey: np.ndarray, regions: list[tuple[float, float, float, float]],
            margin: float = 0.25) -> list[tuple[str, float] | None]:
    """Recognise regions again, each from a crop of its own ink padded with white (``margin``
    times its height on every side), without detection; one batch for the page."""
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
        pad = max(3, int(crop.shape[0] * margin))
        crop = np.pad(crop, pad, constant_values=255)
        crops.append(np.ascontiguousarray(np.stack([crop] * 3, axis=-1)))
        where.append(k)
    out: list[tuple[str, float] | None] = [None] * len(regions)
    if crops:
        results, _ = ocr.text_rec(crops)
        for k, (text, score) in zip(where, results):
            if text.strip():
                out[k] = (text.strip(), float(score))
    return out


def second_look(ocr, clean: np.ndarray, cells) -> None:
    """Table cells read again where the page pass is weak: a number scored below
    ``REREAD_SCORE`` (single digits between rules score low: the crop is tight), a short reading
    that is not a number (a stray mark or a lone glyph where a digit may be), and a cell with ink
    where the detector framed nothing. The better reading wins; a cell read only by the second
    look stays marked, and so does a mark replaced by a number read without confidence."""
    regions, targets = [], []
    for cell in cells:
        x0, y0, x1, y1 = cell.box
        if not cell.boxes:
            if _has_ink(clean[int(y0) + 5:int(y1) - 4, int(x0) + 5:int(x1) - 4]):  # yet no text framed
                regions.append((x0 + 3, y0 + 3, x1 - 3, y1 - 3))
                targets.append((cell, None))
                cell.doubts = ["格内有墨迹但未识别出文字"]
            continue
        for k, b in enumerate(cell.boxes):
            if b.split and _NUMERIC.match(b.text):  # cut out of a longer box: read the cell alone
                regions.append((x0 + 3, b.y0 - 2, x1 - 3, b.y1 + 2))
                targets.append((cell, k))
            elif ((_NUMERIC.match(b.text) and b.score < REREAD_SCORE) or _lookalike(b.text)
                  or len(b.text) == 1 or (len(b.text) == 2 and not _CJK.search(b.text))):
                regions.append((b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2))
                targets.append((cell, k))
    for (cell, k), again in zip(targets, _reread(ocr, clean, regions)):
        if again is not None:
            _take(cell, k, *again)
    _confirm(ocr, clean, cells)


def _confirm(ocr, clean: np.ndarray, cells) -> None:
    """A lone number the second look left unsure — read only from the whole cell, read over a
    mark, or scored below ``DOUBT_SCORE`` — read once more with a wide white margin round its
    ink (a lone small digit is recognised best with room round it; measured in docs/ocr.md).
    The same number again, the better of the two readings at least ``DOUBT_SCORE``, is a
    confident digit: the cell is no longer marked and keeps the better score."""
    unsure = [c for c in cells if len(c.boxes) == 1 and _CLEAN.fullmatch(c.boxes[0].text)
              and (c.doubts or c.boxes[0].score < DOUBT_SCORE)
              and all(d == _CELL_ONLY or d.startswith(_OVER_MARK) for d in c.doubts)]
    regions = [(b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2) for b in (c.boxes[0] for c in unsure)]
    for cell, again in zip(unsure, _reread(ocr, clean, regions, margin=1.0)):
        b = cell.boxes[0]
        if again is not None and again[0] == b.text and max(again[1], b.score) >= DOUBT_SCORE:
            cell.boxes[0] = Box(b.x0, b.y0, b.x1, b.y1, b.text, max(again[1], b.score), b.split)
            cell.doubts = []


def _has_ink(inner: np.ndarray) -> bool:
    """Whether a cell (inside its rules) holds ink: some dark pixels, or a faint mark as tall as
    a small digit clear of the cell's edge (a faint ``1`` or ``3`` on a poor scan has only a few
    pixels below 160; specks of grain are a pixel or two high)."""
    import cv2

    if inner.size == 0:
        return False
    if (inner < 160).sum() >= 8:
        return True
    h, w = inner.shape
    n, _, stats, _ = cv2.connectedComponentsWithStats((inner < 200).astype(np.uint8))
    return any(stats[k, 3] >= 6 and stats[k, 0] > 0 and stats[k, 1] > 0 and stats[k, 0] + stats[k, 2] < w
               and stats[k, 1] + stats[k, 3] < h for k in range(1, n))


def _take(cell, k: int | None, text: str, score: float) -> None:
    """The second look's reading of ``cell`` (its box ``k``, or the whole cell for None)."""
    if k is None:
        x0, y0, x1, y1 = cell.box
        cell.boxes = [Box(x0, y0, x1, y1, text, score)]
        # the detector misses small lone digits; a confident reading of the cell alone stands
        firm = _NUMERIC.match(text) and score >= REREAD_SCORE
        cell.doubts = [] if firm else [_CELL_ONLY]
        return
    b = cell.boxes[k]
    if b.split:  # the cell read alone replaces a split it confirms or overrules firmly
        text = text.replace(" ", "")
        agrees = text == b.text.replace(" ", "") and score >= DOUBT_SCORE
        if agrees or (_NUMERIC.match(text) and score >= REREAD_SCORE):
            cell.boxes[k] = Box(b.x0, b.y0, b.x1, b.y1, text, score)
    elif score > b.score and (_number(text) is not None or not (_number(b.text) or _lookalike(b.text))):
        # a better reading, unless it puts a mark where a number (or its look-alike) was read
        if _number(b.text) is None and score < REREAD_SCORE:
            cell.doubts.append(f"{_OVER_MARK}“{b.text}”，重新识别为“{text}”")
        cell.boxes[k] = Box(b.x0, b.y0, b.x1, b.y1, text, score, b.split)


def grid_rows(grid: Grid, index: int, items: list) -> list[Box]:
    """The grid's rows with two or more cells become table rows (as ``pdf._table_rows`` does);
    a row that is one cell across the table is a caption or a framed paragraph, and its boxes
    are returned to be read as text lines."""
    from .pdf import _NUMBER, _Item

    left_over: list[Box] = []
    rows: dict[int, list] = {}
    for cell in grid.cells:
        rows.setdefault(cell.r0, []).append(cell)
    data = data_cells(grid)
    for r0 in sorted(rows):
        cells = sorted(rows[r0], key=lambda c: c.c0)
        texts = [_cell_reading(c, index, data.get(id(c))) for c in cells]
        if len(cells) < 2 or not any(t.text for t in texts):
            for c in cells:
                left_over.extend(c.boxes)
            continue
        first = next((i for i, t in enumerate(texts) if t.text), 0)
        if first and not (_NUMBER.match(texts[first].text) or texts[first].text == UNREAD):
            del cells[:first], texts[:first]  # merged labels cut by a page break
        top = min(c.box[1] for c in cells) * _PT
        bottom = max(c.box[3] for c in cells) * _PT
        items.append(_Item("row", index, top, bottom, cells=texts))
    return left_over


def data_cells(grid: Grid) -> dict[int, bool]:
    """The cells where a number belongs, by id: a number (or a blank mark) was read in another
    cell of the same row (the cells with the same top and bottom rules) or of the same columns. True where that
    is sure — a number in its row and in its columns or to its left — which no label cell
    (left of the numbers, in columns of words) and no header cell (rows of words) is."""
    numbers = [c for c in grid.cells if _number(_joined(c)) is not None or _BLANK.fullmatch(_joined(c))]
    out = {}
    for c in grid.cells:
        row = [n for n in numbers if n is not c and (n.r0, n.r1) == (c.r0, c.r1)]
        column = any(n is not c and n.c0 < c.c1 and c.c0 < n.c1 for n in numbers)
        if row or column:
            out[id(c)] = bool(row) and (column or any(n.c0 < c.c0 for n in row))
    return out


def _joined(cell) -> str:
    return "".join(b.text for b in sorted(cell.boxes, key=lambda b: b.x0)).replace(" ", "")


def _number(t: str) -> str | None:
    """``t`` as a clean number, specks beside it dropped; None when it is not one."""
    core = t.lstrip(_SPECK_LEAD).rstrip(_SPECK_TRAIL)
    return core if core and _CLEAN.fullmatch(core) else None


def _as_data(text: str, doubtful: bool, sure: bool) -> tuple[str, str | None]:
    """A data cell's reading as what it may hold — a number (specks beside it are the
    parser's to skip), a blank mark, nothing, or ``UNREAD`` — and why it is doubtful, if it is.
    Words are kept, as the text layer has them, unless they are doubtful where a number surely
    belongs (a digit recognised as ``国家`` by a poor second look)."""
    t = text.replace(" ", "")
    if re.search(r"\d\s+\d", text):  # two numbers: the parser would read two cells
        return UNREAD, f"识别为“{text}”，一格内有多个数字"
    if not t or _BLANK.fullmatch(t) or _number(t) is not None:
        return text, None
    if _WORD.search(t) and not (doubtful and sure):
        return text, None
    return UNREAD, f"识别为“{text}”，不是数字"


def _cell_reading(cell, index: int, data: bool | None) -> TableCell:
    """A grid cell as a ``TableCell``: its text, and an ``OcrRead`` with what was recognised
    and, where the reading is doubtful, why. A data cell (``data`` not None: see
    ``data_cells``) holds a number, a blank mark, nothing, or ``UNREAD``."""
    from .pdf import cell_text

    doubts = list(cell.doubts)
    lines = text_lines(cell.boxes)
    text = recognised = cell_text("\n".join("".join(b.text for b in ln) for ln in lines))
    score = min((b.score for b in cell.boxes), default=1.0)
    low = low_score(score)
    if low:
        doubts.append(low)
    digits = _lookalike(text)
    if digits:
        doubts.append(f"识别为“{text}”，疑为{digits}")
        text = digits
    if data is not None:
        text, why = _as_data(text, bool(doubts), data)
        doubts += [why] if why else []
        text = text or (UNREAD if doubts else "")  # ink, or a doubtful reading, is never a blank
    numeric = _NUMERIC.match(text.replace(" ", "")) is not None
    if numeric and sum(1 for b in cell.boxes if _NUMERIC.match(b.text)) > 1:
        doubts.append("一格内识别出多个数字")
    if numeric and any(b.split for b in cell.boxes):
        doubts.append("文字框跨越表格线，按位置拆分")
    if not text and not doubts:
        return TableCell("", cell.r1 - cell.r0, cell.c1 - cell.c0)
    read = OcrRead(index + 1, pt(cell.box), score, recognised, doubt="；".join(doubts) or None)
    return TableCell(text, cell.r1 - cell.r0, cell.c1 - cell.c0, ocr=read)


def _lookalike(text: str) -> str | None:
    """``text`` as a number when it is a number with look-alike characters (``。`` for 0)."""
    t = text.replace(" ", "")
    if t and len(t) <= 6 and any(ch in _LOOKALIKE for ch in t) and all(ch in _LOOKALIKE or ch.isdigit() for ch in t):
        return "".join(_LOOKALIKE.get(ch, ch) for ch in t)
    return None
