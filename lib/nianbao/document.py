"""The document model every reader produces: the extracted text and its blocks.

Readers differ (a TSV text file, a Word-exported HTML page, a PDF text layer), but from here on the
pipeline sees one thing: ``Document.text``, the extracted text as lines, and ``Document.blocks``,
the paragraphs and tables in reading order, each knowing its 1-based line in that text. Findings
point into this text (``line`` and character ``span``), so the text must be deterministic for a
given input and must never be edited after the reader returns it.

Tables are rendered into the text one row per line, cells joined by a tab, each merged cell
printed once (the way Word flattens a table to text); the grid with its row and column spans is
kept on the block for display.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

#: The text of a table cell the reader saw something in but could not read as what the cell
#: holds (an OCR'd data cell whose reading is not a number): the parser reads it as one
#: unreadable cell, never as a number or a blank.
UNREAD = "\ufffd"


@dataclass
class OcrRead:
    """Where a piece of OCR'd text came from, so the audit can show the image it was read from
    and the parser can mark a doubtful reading instead of passing on a silent number.

    ``start``/``end`` are offsets in ``Document.text`` (set once the text is assembled); ``box``
    is (x0, top, x1, bottom) in points (1/72 inch) on ``page`` (1-based); ``score`` is the
    recogniser's confidence (the lowest of the boxes read into this piece); ``doubt`` says why the
    reader does not trust it (a low score, a box across a ruling line, two numbers in one cell)."""

    page: int
    box: tuple[float, float, float, float]
    score: float
    text: str  # what was recognised (a table cell: before look-alikes and specks were settled)
    start: int = -1
    end: int = -1
    doubt: str | None = None
    #: False for a piece of a text line: a table the parser builds from such lines (a scan whose
    #: table has no ruling lines) has its columns guessed from spacing, not seen.
    ruled: bool = True

    def to_json(self) -> dict:
        d = {"page": self.page, "box": [round(v, 1) for v in self.box], "score": round(self.score, 3)}
        if self.doubt:
            d["doubt"] = self.doubt
        if not self.ruled:
            d["ruled"] = False
        return d


@dataclass
class TableCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    ocr: OcrRead | None = None  # OCR'd tables only: the image the cell was read from


@dataclass
class Block:
    kind: str  # "para" | "table"
    line: int  # first line (1-based) of the block in Document.text
    text: str  # the block's text as it stands in Document.text (a table: its tab-joined rows)
    rows: list[list[TableCell]] | None = None  # tables only: the grid as the source printed it

    @property
    def end_line(self) -> int:
        return self.line + self.text.count("\n")


@dataclass
class Document:
    """A read input. ``meta`` carries what the source states besides the body, such as
    ``title`` or ``published`` (ISO date) from HTML ``<meta>`` or a crawler header."""

    path: str
    format: str  # txt | md | html | docx | pdf | image | doc | wps (``ocr`` non-empty: read by OCR)
    sha256: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the reader had to do (encoding, pages dropped)
    ocr: list[OcrRead] = field(default_factory=list)  # OCR'd input only: every piece, in text order
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_of(self, offset: int) -> int:
        """The 1-based line that holds character ``offset`` of ``text``."""
        if self._line_starts is None:
            starts = [0]
            for i, ch in enumerate(self.text):
                if ch == "\n":
                    starts.append(i + 1)
            self._line_starts = starts
        return bisect.bisect_right(self._line_starts, offset)

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 1 <= line <= len(lines) else ""


def blocks_from_text(text: str, table_lines: set[int] | None = None) -> list[Block]:
    """Split text into blocks: runs of tab-separated lines (or ``table_lines``) are tables,
    other non-empty lines are paragraphs. Used by the text reader and as a fallback."""
    blocks: list[Block] = []
    cur: list[str] = []
    cur_start = 0
    for i, line in enumerate(text.split("\n"), start=1):
        is_table = ("\t" in line) if table_lines is None else (i in table_lines)
        if is_table:
            if not cur:
                cur_start = i
            cur.append(line)
            continue
        if cur:
            blocks.append(_table_block(cur_start, cur))
            cur = []
        if line.strip():
            blocks.append(Block("para", i, line))
    if cur:
        blocks.append(_table_block(cur_start, cur))
    return blocks


def _table_block(start: int, lines: list[str]) -> Block:
    rows = [[TableCell(c) for c in ln.split("\t")] for ln in lines]
    return Block("table", start, "\n".join(lines), rows)
