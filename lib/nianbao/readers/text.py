"""Plain-text and Markdown reports: the file's lines, unchanged in number.

Findings quote line numbers, and an auditor checks them with an editor or ``cat -n``; so the
text reader never drops or adds a line. It only normalises newlines, turns Markdown pipe tables
into tab-separated rows (the table's ``|---|`` separator line becomes an empty line rather than
disappearing), and reads the header block that the web crawler writes above the body
(``标题:`` … ``==== 正文 ====``) into ``meta`` — the lines themselves stay, the parser skips them.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, TableCell, blocks_from_text
from .cells import join_pieces

# ---------------------------------------------------------------- crawler header
_HEADER_END = re.compile(r"^\s*={3,}\s*正文\s*={3,}\s*$")
_HEADER_FIELD = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*?)\s*$")
_HEADER_KEYS = {"标题": "title", "发布时间": "published", "原文链接": "source_url",
                "发布机构": "publisher", "栏目": "column", "文号": "doc_number"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def iso_date(s: str) -> str | None:
    """``2023-02-20 15:07``, ``2023/2/20`` or ``2023年2月20日`` → ``2023-02-20``."""
    m = _DATE.search(s or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def crawler_header(lines: list[str]) -> tuple[dict, int] | None:
    """The metadata of a crawler header and the 1-based line of its ``正文`` rule, or None when
    the file does not start with such a header (a header is short: 30 lines at most)."""
    meta: dict = {}
    for i, line in enumerate(lines[:30], start=1):
        if _HEADER_END.match(line):
            return (meta, i) if meta else None
        m = _HEADER_FIELD.match(line)
        if m and m.group(1) in _HEADER_KEYS and m.group(2):
            key = _HEADER_KEYS[m.group(1)]
            value = m.group(2)
            if key == "published":
                value = iso_date(value)
                if not value:
                    continue
            meta[key] = value
    return None


# ---------------------------------------------------------------- markdown pipe tables
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NUMERIC = re.compile(r"^[\d.,%\s-]+$")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[TableCell]:
    """Cells of a pipe row; ``\\|`` is a literal bar, ``<br>`` a line break inside the cell
    (joined like any wrapped cell: ``三、本年度<br>办理结果`` is ``三、本年度办理结果``)."""
    body = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return _merge_repeats([join_pieces(_BR.split(c.replace("\\|", "|"))) for c in cells])


def _merge_repeats(cells: list[str]) -> list[TableCell]:
    """A pipe table cannot span columns, so converters repeat a merged label in every column
    it covers; print it once, with its colspan, as the other readers do. Numbers and blanks
    are never merged (two equal values are two cells)."""
    out: list[TableCell] = []
    for c in cells:
        if out and c and c == out[-1].text and not _NUMERIC.match(c):
            out[-1].colspan += 1
        else:
            out.append(TableCell(c))
    return out


def convert_pipe_tables(lines: list[str]) -> tuple[list[str], dict[int, list[TableCell] | None]]:
    """Rewrite pipe tables in place (same number of lines): rows → tab-joined cells, the
    separator → ``""``. Returns the new lines and, per 1-based table line, its cells (None for
    the separator line)."""
    out = list(lines)
    rows: dict[int, list[TableCell] | None] = {}

    def convert(j: int) -> None:
        cells = _pipe_cells(lines[j])
        out[j] = "\t".join(c.text for c in cells)
        rows[j + 1] = cells

    i, n = 0, len(lines)
    while i < n - 1:
        if _PIPE_ROW.match(lines[i]) and _PIPE_SEP.match(lines[i + 1]):
            convert(i)
            out[i + 1] = ""
            rows[i + 2] = None
            j = i + 2
            while j < n and _PIPE_ROW.match(lines[j]):
                convert(j)
                j += 1
            i = j
        else:
            i += 1
    return out, rows


def text_blocks(text: str, pipe_rows: dict[int, list[TableCell] | None]):
    """Blocks of the text: tab-separated runs and converted pipe tables are tables; a pipe
    table's blank separator line stays in the block's text but not in its rows."""
    lines = text.split("\n")
    tables = set(pipe_rows) | {i for i, ln in enumerate(lines, start=1) if "\t" in ln}
    blocks = blocks_from_text(text, tables)
    for b in blocks:
        if b.kind == "table" and pipe_rows:
            n = b.line
            b.rows = [pipe_rows.get(n + k, row) for k, row in enumerate(b.rows)]
            b.rows = [r for r in b.rows if r is not None]
    return blocks


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` end lines; the form feeds and vertical tabs that PDF-to-text
    tools put between pages are removed (they are not line ends for ``cat -n`` either)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "").replace("\v", "")


def read_text(path: Path, text: str, encoding: str, sha: str, fmt: str) -> Document:
    text = normalize_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    notes = [f"文本编码：{encoding}"]
    lines = text.split("\n")
    meta: dict = {"encoding": encoding}
    header = crawler_header(lines)
    if header:
        meta.update(header[0])
        meta["body_start_line"] = header[1] + 1
        notes.append(f"第1–{header[1]}行是采集程序写的头信息：已读取标题、发布时间、原文链接（行保留）")
    lines, pipe_rows = convert_pipe_tables(lines)
    if pipe_rows:
        text = "\n".join(lines)
        notes.append("Markdown表格已转为制表符分隔的行（分隔线行留空）")
    return Document(path=str(path), format=fmt, sha256=sha, text=text,
                    blocks=text_blocks(text, pipe_rows), meta=meta, notes=notes)
