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

import io
from pathlib import Path

from ..document import Block, Document, TableCell
from ..errors import InputError
from .cells import join_pieces
from .docx_numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR = (f"{_W}{t}" for t in ("t", "tab", "br", "cr"))
_VAL = f"{_W}val"


def read_docx(path: Path, data: bytes, sha: str) -> Document:
    import docx

    try:
        d = docx.Document(io.BytesIO(data))
        body = d.element.body
        items = list(_body_items(body, Numbering(d)))
        meta = _core_meta(d)
    except InputError:
        raise
    except Exception as e:  # zipfile, lxml and python-docx each raise their own classes
        raise InputError(path, f"DOCX文件已损坏或无法解析 / corrupt or unreadable DOCX ({type(e).__name__})") from None
    text, blocks = _assemble(items)
    return Document(path=str(path), format="docx", sha256=sha, text=text, blocks=blocks,
                    meta=meta, notes=["按Word正文顺序读取段落和表格，合并单元格只记一次"])


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
    origin: dict[int, TableCell] = {}  # grid column → the cell a vMerge continues
    for tr in _children(tbl, _TR):
        col = int(_prop(tr, "trPr", "gridBefore") or 0)
        row: list[TableCell] = []
        for tc in _children(tr, _TC):
            span = max(1, int(_prop(tc, "tcPr", "gridSpan") or 1))
            merge = _prop(tc, "tcPr", "vMerge")
            if merge == "continue" and col in origin:
                origin[col].rowspan += 1
            else:
                cell = TableCell(_cell_text(tc, numbering), 1, span)
                row.append(cell)
                for c in range(col, col + span):
                    origin[c] = cell
            col += span
        if row:
            rows.append(row)
    return rows


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
