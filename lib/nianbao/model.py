"""The parsed report: metadata, the six sections and the three tables, with provenance.

A ``Report`` is what the parser makes of a ``Document`` and what every rule reads. Each table
cell is a ``Cell``: a number or ``None``, never a silent 0 for a blank, and always with where it
came from and how it was read, because a finding is only as good as its evidence.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import schema
from .document import Document

# How a cell value was obtained.
READ = "read"  # the printed token, as is
ALIGNED = "aligned"  # read, but placed by right-alignment because the row had fewer cells
RECOVERED = "recovered"  # split out of run-together digits; exactly one reading fits the table
BLANK = "blank"  # printed blank, "/", "—", "-", "无": null
MISSING = "missing"  # the report has no cell there (a row or column is absent): null
AMBIGUOUS = "ambiguous"  # more than one reading fits: null, with the readings in ``reason``
UNREADABLE = "unreadable"  # a token that is not a number: null

NULL_HOWS = (BLANK, MISSING, AMBIGUOUS, UNREADABLE)
#: How a cell was read, in the auditor's words (pages) and as one mark (the text form).
HOW_LABELS = {READ: "读取", ALIGNED: "按右对齐补位读取", RECOVERED: "由粘连数字恢复",
              BLANK: "空白", MISSING: "缺失（报告无此单元格）", AMBIGUOUS: "有歧义",
              UNREADABLE: "无法读取"}
HOW_MARKS = {ALIGNED: "→", RECOVERED: "*", BLANK: "空", MISSING: "缺", AMBIGUOUS: "?",
             UNREADABLE: "!"}

#: Where the effective publication date came from.
PUBLISHED_SOURCE_LABELS = {"input": "取自报告文件（页面元数据或正文落款）", "caller": "由调用方提供",
                           "unknown": "未知"}


@dataclass
class Cell:
    value: int | float | None
    how: str = READ
    raw: str | None = None  # the printed token(s) the value came from
    line: int | None = None  # 1-based line in Document.text
    span: tuple[int, int] | None = None  # character offsets in Document.text
    reason: str | None = None  # why it is null, or how it was recovered
    ocr: dict | None = None  # read by OCR: page, box (points), score, doubt, ruled (``OcrRead.to_json``)

    @property
    def is_null(self) -> bool:
        return self.value is None

    def to_json(self) -> dict:
        d: dict[str, Any] = {"value": self.value, "how": self.how}
        for k in ("raw", "line", "reason"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.span is not None:
            d["span"] = list(self.span)
        if self.ocr is not None:
            d["ocr"] = self.ocr
        return d


@dataclass
class Table:
    """One of 表二/表三/表四. ``cells[(row, col)]`` holds every cell the format defines for the
    detected version (null ones included); ``row_labels``/``col_labels`` keep the labels as
    printed (None where the report has no such row or column), for the wording checks."""

    name: str  # table2 | table3 | table4
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    row_labels: dict[str, str | None] = field(default_factory=dict)
    col_labels: dict[str, str | None] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)  # row key -> line of its label
    header_text: str | None = None  # the printed header block, verbatim
    extra_labels: list[str] = field(default_factory=list)  # printed rows matching no official row
    line: int | None = None  # first line of the table in Document.text
    end_line: int | None = None
    span: tuple[int, int] | None = None  # the table's extent in Document.text (prose excluded)
    found: bool = False
    notes: list[str] = field(default_factory=list)  # parser remarks (split table, shifted cells)
    # the layout this table prints (2021/2019); can differ from Report.format_version when a
    # report mixes the two formats — the cells follow what is printed
    format_version: str | None = None
    # how sure the reading is (parsing/confidence.py): exact | recovered | layout | doubtful;
    # None for a table not found. ``doubts`` says why a reading is doubtful, ``layouts`` which
    # recognised layouts the parser read through
    confidence: str | None = None
    doubts: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)

    @property
    def doubtful(self) -> bool:
        return self.confidence == "doubtful"

    def reading_json(self) -> dict:
        return {"confidence": self.confidence, "doubts": list(self.doubts),
                "layouts": list(self.layouts)}

    def value(self, row: str, col: str):
        c = self.cells.get((row, col))
        return None if c is None else c.value

    def cell(self, row: str, col: str) -> Cell | None:
        return self.cells.get((row, col))

    @property
    def rows(self) -> list[str]:
        return list(dict.fromkeys(r for r, _ in self.cells))

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(c for _, c in self.cells))

    def to_frame(self) -> pd.DataFrame:
        """Values as a DataFrame indexed by the canonical row keys, columns by column keys.
        Nulls are ``pd.NA``; cells the format does not define for a row are ``pd.NA`` too (see
        ``cells`` for the difference)."""
        rows, cols = self.rows, self.columns
        data = {c: [self.value(r, c) for r in rows] for c in cols}
        df = pd.DataFrame(data, index=pd.Index(rows, name="row"), dtype="object")
        vals = [v for v in (c.value for c in self.cells.values()) if v is not None]
        if all(float(v).is_integer() for v in vals):
            df = df.astype("Int64")
        else:
            df = df.astype("Float64")
        df.columns.name = "column"
        return df

    def to_json(self) -> dict:
        """``{row: {col: value}}`` as in schema.md."""
        out: dict[str, dict] = {}
        for (r, c), cell in self.cells.items():
            v = cell.value
            if isinstance(v, float) and v.is_integer() and self.name != "table2":
                v = int(v)
            out.setdefault(r, {})[c] = v
        return out

    def provenance_json(self) -> dict:
        out: dict[str, dict] = {}
        for (r, c), cell in self.cells.items():
            out.setdefault(r, {})[c] = cell.to_json()
        return out

    def counts(self) -> dict[str, int]:
        """How many cells were read, recovered, null… (for the completeness acceptance)."""
        out: dict[str, int] = {}
        for cell in self.cells.values():
            out[cell.how] = out.get(cell.how, 0) + 1
        return out


@dataclass
class Section:
    number: int  # 1..6
    heading: str  # as printed
    line: int
    span: tuple[int, int]  # the heading's offsets in Document.text
    body_span: tuple[int, int]  # from after the heading to the next section (or end)
    text: str = ""  # the body text (tables included, as extracted)


@dataclass
class Report:
    document: Document
    title: str | None = None
    agency: str | None = None
    region: str | None = None
    year: int | None = None
    period: tuple[_dt.date | None, _dt.date | None] | None = None
    period_span: tuple[int, int] | None = None
    published: _dt.date | None = None
    format_version: str = schema.FORMAT_UNKNOWN
    format_markers: dict[str, list[str]] = field(default_factory=dict)  # version -> markers seen
    sections: list[Section] = field(default_factory=list)
    headings: list[tuple[str, int]] = field(default_factory=list)  # every heading-like line seen
    table2: Table = field(default_factory=lambda: Table("table2"))
    table3: Table = field(default_factory=lambda: Table("table3"))
    table4: Table = field(default_factory=lambda: Table("table4"))
    title_line: int | None = None
    notes: list[str] = field(default_factory=list)
    # why the input has no report body (a page saved with only its title), else None: the
    # audit then says that once instead of reporting every part and table as missing
    body_missing: str | None = None

    @property
    def text(self) -> str:
        return self.document.text

    def table(self, name: str) -> Table:
        return {"table2": self.table2, "table3": self.table3, "table4": self.table4}[name]

    def layout(self, name: str) -> str:
        """The format (2019 or 2021) whose rows and columns table ``name`` was read in: the
        layout it prints when the parser found it, else the report's. A 2021 report may print a
        2019 表二 beside a 2021 表三; every rule that walks a table's rows asks this, never
        ``format_version``, so it looks for the rows the table has."""
        t = self.table(name)
        fmt = t.format_version if t.found and t.format_version else self.format_version
        return schema.FORMAT_2019 if fmt == schema.FORMAT_2019 else schema.FORMAT_2021

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def prose(self, section: Section) -> str:
        """A part's body text without the statistical tables printed in it (their extents):
        the words the agency wrote, which is what copies are measured on."""
        start, end = section.body_span
        cut = sorted(t.span for t in (self.table2, self.table3, self.table4)
                     if t.span and t.span[0] < end and t.span[1] > start)
        if not cut:
            return section.text
        text, pos, out = self.document.text, start, []
        for a, b in cut:
            out.append(text[pos:max(a, pos)])
            pos = max(pos, b)
        out.append(text[pos:end])
        return "".join(out).strip()

    def to_json(self, provenance: bool = False) -> dict:
        """The ``report`` object of schema.md (``provenance`` adds per-cell detail)."""
        start, end = self.period or (None, None)
        d = {
            "title": self.title,
            "agency": self.agency,
            "region": self.region,
            "year": self.year,
            "period": {"start": start.isoformat() if start else None,
                       "end": end.isoformat() if end else None},
            "format_version": self.format_version,
            "published": self.published.isoformat() if self.published else None,
            # the body text of each part: what the cross-report step compares (it reads
            # results, never the reports again)
            "sections": [{"number": s.number, "heading": s.heading, "line": s.line,
                          "text": self.prose(s)} for s in self.sections],
            "tables": {t.name: t.to_json() for t in (self.table2, self.table3, self.table4)},
            # an extension of schema.md: how sure each table reading is
            "readings": {t.name: t.reading_json() for t in (self.table2, self.table3, self.table4)},
        }
        if self.body_missing:
            d["body_missing"] = self.body_missing
        if provenance:
            d["provenance"] = {t.name: t.provenance_json()
                               for t in (self.table2, self.table3, self.table4)}
        return d
