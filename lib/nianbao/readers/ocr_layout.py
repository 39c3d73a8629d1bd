"""The layout of an OCR'd page: ruled tables found from their lines, text boxes placed in cells.

The recogniser returns loose boxes of text. A report's tables are drawn with ruling lines (the
same lines pdfplumber uses for a text-layer PDF), so the lines are found in the image — long
horizontal and vertical runs of dark pixels, kept only where a vertical run meets horizontal ones
at both ends (or, for a table cut by a page break, at one end and across two more), which no
character stroke does — and give each table its grid: the x of every
vertical rule, the y of every horizontal rule, and a cell wherever rules close a rectangle; a
cell without an inner rule spans several grid columns or rows, as a merged cell does. Boxes go to
the cell holding their centre; boxes outside tables are grouped into text lines by vertical
overlap. The result has the shape the PDF reader gives (``pdf._Item`` rows and lines), so both
go through the same furniture, join and assembly steps.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Box:
    """One recognised piece of text, in page pixels."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float
    split: bool = False  # cut out of a box that ran across a rule

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class GridCell:
    r0: int
    c0: int
    r1: int  # exclusive
    c1: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
    boxes: list[Box] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # why the cell's reading is not trusted


@dataclass
class Grid:
    """One ruled table: rule positions and its cells (merged cells span several grid steps)."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def holds(self, b: Box) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= b.cx <= x1 and y0 <= b.cy <= y1

    def cell_at(self, x: float, y: float) -> GridCell | None:
        for c in self.cells:
            if c.box[0] <= x <= c.box[2] and c.box[1] <= y <= c.box[3]:
                return c
        return None


def find_tables(grey: np.ndarray) -> tuple[list[Grid], np.ndarray]:
    """The ruled tables on a grey page image, and a mask of their rules (to be washed out
    before recognition: a character touching a rule, ``一`` above all, is misread)."""
    import cv2

    h, w = grey.shape
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    # a rule may be broken by noise or a slight residual tilt: close small gaps along it first
    # (3 px: wider would weld the strokes of neighbouring characters into a rule)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 18), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 20)))
    hsegs = _segments(horiz, horizontal=True)
    vsegs = [v for v in _segments(vert, horizontal=False) if _joins(v, hsegs)]
    hsegs += _closing_rules(vsegs, hsegs)
    lines = np.zeros_like(ink)
    if len(hsegs) < 2 or len(vsegs) < 2:
        return [], lines
    for x0, y0, x1, y1 in hsegs + vsegs:
        lines[int(y0):int(y1) + 1, int(x0):int(x1) + 1] = 255
    vmask = np.zeros_like(ink)
    for x0, y0, x1, y1 in vsegs:
        vmask[int(y0):int(y1) + 1, int(x0):int(x1) + 1] = 255
    hmask = np.zeros_like(ink)
    for x0, y0, x1, y1 in hsegs:
        hmask[int(y0):int(y1) + 1, int(x0):int(x1) + 1] = 255
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(lines, np.ones((5, 5), np.uint8)))
    grids = []
    rules = np.zeros_like(ink)
    for k in range(1, n):
        x, y, bw, bh = stats[k, :4]
        hs = [s for s in hsegs if _within(s, (x, y, x + bw, y + bh))]
        vs = [s for s in vsegs if _within(s, (x, y, x + bw, y + bh))]
        if len(hs) < 2 or len(vs) < 2 or bw < w // 5:
            continue
        grid = _grid(hs, vs, hmask, vmask)
        if grid is not None:
            grids.append(grid)
            for x0, y0, x1, y1 in hs + vs:
                rules[int(y0):int(y1) + 1, int(x0):int(x1) + 1] = 255
    return grids, cv2.dilate(rules, np.ones((5, 5), np.uint8))


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, float, float, float]]:
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    out = []
    for k in range(1, n):
        x, y, bw, bh = (float(v) for v in stats[k, :4])
        if (horizontal and bh <= 12) or (not horizontal and bw <= 12):
            out.append((x, y, x + bw - 1, y + bh - 1))
    return out


def _meets(v, h, y: float, tol: float = 6) -> bool:
    return h[0] - tol <= v[2] and v[0] <= h[2] + tol and h[1] - tol <= y <= h[3] + tol


def _joins(v, hsegs, tol: float = 6) -> bool:
    """A vertical run is a rule when horizontal rules meet it at its top and at its bottom, or
    at one end and at two more places along it: a table cut by a page break has no closing rule
    at the cut, yet its column rules cross every row rule. A character stroke does neither."""
    x0, y0, x1, y1 = v
    top = any(_meets(v, h, y0) for h in hsegs)
    bottom = any(_meets(v, h, y1) for h in hsegs)
    if top and bottom:
        return True
    crossed = sum(1 for h in hsegs if h[0] - tol <= x1 and x0 <= h[2] + tol and y0 + tol < (h[1] + h[3]) / 2 < y1 - tol)
    return (top or bottom) and crossed >= 2


def _closing_rules(vsegs, hsegs, tol: float = 6) -> list[tuple[float, float, float, float]]:
    """The edge a page break left open: where two or more column rules end at the same height
    with no horizontal rule there, a rule is assumed across them, so the last (or first) row of
    the cut table is closed like the others."""
    ends = [(v[3], v) for v in vsegs if not any(_meets(v, h, v[3]) for h in hsegs)]
    ends += [(v[1], v) for v in vsegs if not any(_meets(v, h, v[1]) for h in hsegs)]
    out = []
    for y in _cluster([e for e, _ in ends], tol):
        group = [v for e, v in ends if abs(e - y) <= tol]
        if len(group) >= 2:
            out.append((min(v[0] for v in group), y, max(v[2] for v in group), y))
    return out


def _within(seg, box, tol: float = 3) -> bool:
    return seg[0] >= box[0] - tol and seg[1] >= box[1] - tol and seg[2] <= box[2] + tol and seg[3] <= box[3] + tol


def _cluster(values: list[float], tol: float = 10) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _grid(hs, vs, hmask: np.ndarray, vmask: np.ndarray) -> Grid | None:
    ys = _cluster([(s[1] + s[3]) / 2 for s in hs])
    xs = _cluster([(s[0] + s[2]) / 2 for s in vs])
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def vborder(j: int, i: int) -> bool:  # the rule at xs[j] between ys[i] and ys[i+1]
        x = int(round(xs[j]))
        a, b = int(ys[i]) + 3, int(ys[i + 1]) - 3
        if b <= a:
            return True  # a sliver between double rules
        strip = vmask[a:b, max(0, x - 6):x + 7].any(axis=1)
        return strip.mean() >= 0.6

    def hborder(i: int, j: int) -> bool:  # the rule at ys[i] between xs[j] and xs[j+1]
        y = int(round(ys[i]))
        a, b = int(xs[j]) + 3, int(xs[j + 1]) - 3
        if b <= a:
            return True
        strip = hmask[max(0, y - 6):y + 7, a:b].any(axis=0)
        return strip.mean() >= 0.6

    parent = list(range(nr * nc))

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not vborder(j + 1, i):
                parent[find(i * nc + j)] = find(i * nc + j + 1)
            if i + 1 < nr and not hborder(i + 1, j):
                parent[find(i * nc + j)] = find((i + 1) * nc + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i in range(nr):
        for j in range(nc):
            groups.setdefault(find(i * nc + j), []).append((i, j))
    cells = []
    for members in groups.values():
        r0, r1 = min(i for i, _ in members), max(i for i, _ in members) + 1
        c0, c1 = min(j for _, j in members), max(j for _, j in members) + 1
        cells.append(GridCell(r0, c0, r1, c1, (xs[c0], ys[r0], xs[c1], ys[r1])))
    cells.sort(key=lambda c: (c.r0, c.c0))
    return Grid(xs, ys, cells)


def split_at_rules(b: Box, grid: Grid) -> list[Box]:
    """A box the detector ran across a vertical rule (text in two narrow cells side by side)
    cut at the rule; its characters are shared out by position, as Chinese characters and digits
    are about equally wide. Each piece keeps the box's score."""
    inner = [x for x in grid.xs if b.x0 + 4 < x < b.x1 - 4
             and grid.cell_at(x - 4, b.cy) is not grid.cell_at(x + 4, b.cy)]
    if not inner or len(b.text) < 2:
        return [b]
    n, w = len(b.text), b.x1 - b.x0
    edges = [b.x0] + inner + [b.x1]
    out = []
    for lo, hi in zip(edges, edges[1:]):
        chars = "".join(ch for i, ch in enumerate(b.text) if lo <= b.x0 + (i + 0.5) * w / n < hi)
        if chars.strip():
            out.append(Box(lo, b.y0, hi, b.y1, chars.strip(), b.score, split=True))
    return out or [b]


def text_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines: a box joins the line it overlaps vertically by at least half
    of the smaller height; each line ordered left to right, lines top to bottom."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in lines:
            top = min(x.y0 for x in line)
            bottom = max(x.y1 for x in line)
            overlap = min(bottom, b.y1) - max(top, b.y0)
            if overlap >= 0.5 * min(b.height, bottom - top):
                line.append(b)
                break
        else:
            lines.append([b])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: min(b.y0 for b in ln))
    return lines


def join_line(line: list[Box]) -> str:
    """A line's boxes as text: a gap wider than a character is a space (two words, a label and
    its number), a narrower one is not (a Chinese sentence cut by the detector)."""
    out = line[0].text
    for prev, b in zip(line, line[1:]):
        out += (" " if b.x0 - prev.x1 > 0.8 * max(b.height, prev.height) else "") + b.text
    return out
