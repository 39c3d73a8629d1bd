"""Word (.docx) reports: paragraphs and tables in body order, merged cells counted once.

python-docx opens the package; the body is then walked directly (``document.element.body``),
because its paragraph and table objects do not interleave the two and re-read the XML on every
access. Text is the ``<w:t>`` runs of a paragraph (inserted-but-tracked text included, deleted
text and field codes not); a soft line break starts a new line. Table cells carry their
``gridSpan`` as colspan; a ``vMerge`` continuation cell is not printed again but adds one to the
rowspan of the cell it continues, as in the HTML and PDF readers. Numbers that Word draws from
its list definitions ("一、", "（一）") are put back in front of their paragraphs
(``docx_numbering``).
"""
from __future__ import annotations

import bisect
import io
import zipfile
from pathlib import Path

from .. import limits
from ..document import Block, Document, TableCell
from ..errors import InputError
from .cells import join_pieces
from .docx_numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR = (f"{_W}{t}" for t in ("t", "tab", "br", "cr"))
_VAL = f"{_W}val"
_GRID_SPAN, _GRID_BEFORE = f"{_W}gridSpan", f"{_W}gridBefore"


def read_docx(path: Path, data: bytes, sha: str) -> Document:
    import docx

    _check_package(path, data)
    try:
        d = docx.Document(io.BytesIO(data))
        body = d.element.body
        _check_body(path, body)
        items = list(_body_items(body, Numbering(d)))
        meta = _core_meta(d)
    except InputError:
        raise
    except Exception as e:  # zipfile, lxml and python-docx each raise their own classes
        raise InputError(path, f"DOCX文件已损坏或无法解析 / corrupt or unreadable DOCX ({type(e).__name__})") from None
    text, blocks = _assemble(items)
    return Document(path=str(path), format="docx", sha256=sha, text=text, blocks=blocks,
                    meta=meta, notes=["按Word正文顺序读取段落和表格，合并单元格只记一次"])


def _check_package(path: Path, data: bytes) -> None:
    """The declared unpacked sizes, before python-docx unpacks anything: zipfile never
    inflates a member past its declared size, so these bound what reading can allocate."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except Exception:  # noqa: BLE001 — zipfile raises several classes on a damaged directory
        raise InputError(path, "DOCX文件已损坏，无法打开 / corrupt DOCX (ZIP directory)") from None
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            limits.check(path, "max_part_mb", info.file_size, scale=2**20)
    limits.check(path, "max_unpacked_mb", sum(i.file_size for i in infos), scale=2**20)


def _check_body(path: Path, body) -> None:
    """Counts of the parsed XML, before the walk whose work grows with them."""
    limits.check(path, "max_lines", sum(1 for _ in body.iter(_P)))
    limits.check(path, "max_tables", sum(1 for _ in body.iter(_TBL)))
    limits.check(path, "max_rows", sum(1 for _ in body.iter(_TR)))
    lim = limits.current().max_span
    for el in body.iter(_GRID_SPAN, _GRID_BEFORE):
        _span_value(path, el.get(_VAL), lim)


def _span_value(path, raw: str | None, lim: int) -> int:
    """A ``w:gridSpan``/``w:gridBefore`` value: an integer up to ``limits.max_span`` (measured
    as text first: a 5,000-digit value is not converted), junk read as 1 as Word does."""
    raw = (raw or "").strip()
    if not raw.isdigit():
        return 1
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(lim)) or int(digits) > lim:
        raise limits.LimitError(path, "max_span", digits[:12] + ("…" if len(digits) > 12 else ""), lim)
    return int(digits)


def _core_meta(d) -> dict:
    """Package dates are when the file was saved, not when the report was published, so
    they are kept under their own names and never as ``published``."""
    meta: dict = {}
    cp = d.core_properties
    for attr, key in (("created", "docx_created"), ("modified", "docx_modified")):
        value = getattr(cp, attr, None)
        if value is not None:
            meta[key] = value.date().isoformat()
    if cp.title:
        meta["docx_title"] = cp.title.strip()
    return meta


def _body_items(container, numbering):
    for el in container:
        if el.tag == _P:
            for line in paragraph_lines(el, numbering):
                yield ("para", line)
        elif el.tag == _TBL:
            yield ("table", table_rows(el, numbering))
        elif el.tag == _SDT:
            content = el.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content, numbering)


def paragraph_lines(p, numbering=None) -> list[str]:
    """The paragraph's text split at soft line breaks, whitespace runs collapsed, with the list
    number Word draws in front of it (``docx_numbering``)."""
    lines, cur = [], [numbering.prefix(p) if numbering is not None else ""]
    for el in p.iter(_T, _TAB, _BR, _CR):
        if _in_fallback(el, p):
            continue
        if el.tag == _T:
            cur.append(el.text or "")
        elif el.tag == _TAB:
            cur.append(" ")
        elif el.get(f"{_W}type") in (None, "textWrapping"):
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    return [t for t in (" ".join(s.split()) for s in lines) if t]


def _in_fallback(el, stop) -> bool:
    """Text inside ``mc:Fallback`` repeats the ``mc:Choice`` (a text box drawn twice)."""
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _cell_text(tc, numbering) -> str:
    pieces: list[str] = []
    for el in tc:
        if el.tag == _P:
            pieces.extend(paragraph_lines(el, numbering))
        elif el.tag == _TBL:  # a table nested in a cell: its text, row by row
            pieces.extend(c.text for row in table_rows(el, numbering) for c in row)
        elif el.tag == _SDT:
            content = el.find(_SDT_CONTENT)
            if content is not None:
                pieces.append(_cell_text(content, numbering))
    return join_pieces(pieces)


def _prop(el, *path) -> str | None:
    node = el
    for name in path:
        node = node.find(f"{_W}{name}") if node is not None else None
    if node is None:
        return None
    return node.get(_VAL, "continue") if path[-1] == "vMerge" else node.get(_VAL)


def _children(el, tag):
    """Direct children with ``tag``, looking through content controls (``w:sdt``) but not
    into nested tables."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)


def table_rows(tbl, numbering=None) -> list[list[TableCell]]:
    rows: list[list[TableCell]] = []
    origin = _Origins()  # the cell a vMerge continues, by the grid columns it covers
    for tr in _children(tbl, _TR):
        col = _span_value(None, _prop(tr, "trPr", "gridBefore") or "0", 10**9)
        row: list[TableCell] = []
        for tc in _children(tr, _TC):
            span = max(1, _span_value(None, _prop(tc, "tcPr", "gridSpan"), 10**9))
            merge = _prop(tc, "tcPr", "vMerge")
            above = origin.at(col)
            if merge == "continue" and above is not None:
                above.rowspan += 1
            else:
                cell = TableCell(_cell_text(tc, numbering), 1, span)
                row.append(cell)
                origin.put(col, cell)
            col += span
        if row:
            rows.append(row)
    return rows


class _Origins:
    """Grid columns → the cell that starts a vertical merge there, one entry per cell (not
    per column it spans: a row of wide spans must not cost its width in entries or time)."""

    def __init__(self):
        self.starts: list[int] = []
        self.cells: dict[int, TableCell] = {}

    def at(self, col: int) -> TableCell | None:
        k = bisect.bisect_right(self.starts, col) - 1
        if k < 0:
            return None
        start = self.starts[k]
        cell = self.cells[start]
        return cell if col < start + cell.colspan else None

    def put(self, col: int, cell: TableCell) -> None:
        """``cell`` covers ``col`` … ``col + colspan - 1``: cells it overlaps are replaced there
        (a cell partly overlapped keeps the columns before the new one)."""
        end = col + cell.colspan
        lo = bisect.bisect_left(self.starts, col)
        hi = bisect.bisect_left(self.starts, end)
        for start in self.starts[lo:hi]:
            del self.cells[start]
        del self.starts[lo:hi]
        self.starts.insert(lo, col)
        self.cells[col] = cell


def _assemble(items) -> tuple[str, list[Block]]:
    lines: list[str] = []
    blocks: list[Block] = []
    for kind, value in items:
        if kind == "para":
            lines.append(value)
            blocks.append(Block("para", len(lines), value))
        elif value:
            row_text = ["\t".join(c.text for c in r) for r in value]
            blocks.append(Block("table", len(lines) + 1, "\n".join(row_text), value))
            lines.extend(row_text)
    return "\n".join(lines), blocks
