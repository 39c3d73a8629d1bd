"""Web pages: the report's article body, out of the site chrome, as paragraphs and tables.

A government page is mostly not the report: menus, breadcrumbs, share buttons, footers. The
article body is found as the element that holds most of the page's (non-link) Chinese text — the
report dwarfs the chrome — and the report title, usually printed just above the body, is kept as
the first line. Tables are Word exports: numbers split over nested ``<span>``s (``<span>1</span>
<span>2</span>`` is 12, so pieces are joined without spaces), ``&nbsp;`` padding in cells,
header text stacked one character per ``<p>``, rowspan/colspan. Each ``<tr>`` becomes one line
with its cells joined by a tab, a merged cell printed once (where the source row has it), which
is how Word flattens a table to text; the spans stay on the ``TableCell``s.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path

from lxml import etree

from .. import limits
from ..document import Block, Document, TableCell
from ..errors import InputError
from ..textnorm import label_key
from .cells import join_pieces
from .text import iso_date

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
         "select", "button", "input", "textarea", "nav", "head", "title", "map", "audio", "video"}
_CHROME = {"a", "header", "footer", "aside"}  # not counted when looking for the article body
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "blockquote", "section", "article", "main", "pre", "center", "address", "figure",
          "figcaption", "hr", "form", "fieldset", "table", "tbody", "thead", "tfoot", "tr", "td",
          "th", "caption", "body", "html", "header", "footer", "aside"}

_CJK_CHAR = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<={_CJK_CHAR})[ \t\r]*\n\s*(?={_CJK_CHAR})")
_SPACE = re.compile(r"\s+")  # str \s includes the no-break and ideographic spaces
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_DOWNLEVEL = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
#: The file being read, for the one-line message of a limit met deep in a table.
_PATH: ContextVar[str] = ContextVar("nianbao_html_path", default="")

_META_KEYS = {
    "articletitle": "title", "title": "title", "dc.title": "title",
    "pubdate": "published", "publishdate": "published", "firstpublishedtime": "published",
    "publishtime": "published", "dc.date": "published", "dcterms.issued": "published",
    "article:published_time": "published",
    "sitename": "site", "og:site_name": "site", "columnname": "column",
    "description": "description", "url": "source_url", "og:url": "source_url",
    "contentsource": "publisher",
}


def norm(s: str) -> str:
    """Whitespace as a browser shows it: runs collapsed, ends stripped; a source line break
    between two Chinese characters is dropped (it was only the editor wrapping the line)."""
    s = _INVISIBLE.sub("", s)
    if "\n" in s:
        s = _WRAP_BETWEEN_CJK.sub("", s)
    return _SPACE.sub(" ", s).strip()


def _tag(el) -> str | None:
    t = el.tag
    return t if isinstance(t, str) else None  # None: comment, processing instruction, entity


def _prune(root) -> None:
    """Remove what a reader never sees — scripts, styles, form controls, hidden elements — once,
    up front, keeping the text that follows each removed element."""
    etree.strip_elements(root, etree.Comment, *_DROP, with_tail=False)
    for el in root.xpath("//*[contains(@style, 'none') or contains(@style, 'NONE')]"):
        if "display:none" in el.get("style").replace(" ", "").lower():
            _drop_tree(el)


def _drop_tree(el) -> None:
    """Remove ``el`` but keep its tail text in place (lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# ---------------------------------------------------------------- finding the article body
_string = etree.XPath("string()", smart_strings=False)
_PARSER = etree.HTMLParser(remove_pis=True, no_network=True, huge_tree=True)


def _weight(s: str | None) -> int:
    """How much Chinese text: UTF-8 spends two extra bytes on each CJK character and none on
    ASCII, so this is about twice the CJK count, without a regex over the page."""
    return len(s.encode("utf-8")) - len(s) if s else 0


def _weights(root) -> dict:
    """Chinese text under each element, bottom-up in one pass; link text counts nothing
    (menus, breadcrumbs and lists of related articles are links)."""
    w: dict = {}
    for _, el in etree.iterwalk(root, events=("end",)):
        if el.tag == "a" or not isinstance(el.tag, str):
            w[el] = 0
            continue
        n = _weight(el.text)
        for child in el:
            n += w.get(child, 0) + _weight(child.tail)
        w[el] = n
    return w


def article_root(root):
    """The deepest element that still holds most (≥ 60 %) of its parent's counted text."""
    w = _weights(root)
    node = root
    while w[node]:
        kids = [c for c in node if _tag(c) and _tag(c) not in _CHROME]
        best = max(kids, key=w.__getitem__, default=None)
        if best is None or w[best] < 0.6 * w[node] or _tag(best) in ("tr", "td", "th", "tbody", "table"):
            return node
        node = best
    return node


def _title_before(root, body, title: str | None):
    """The printed report title just above the article body (outside it), if any."""
    if not title:
        return None
    key = norm(title)
    found = None
    for el in root.iter():
        if el is body:
            break
        if _tag(el) in (None, "a") or not el.text:
            continue
        text = norm(el.text)
        if key in text and len(text) <= len(key) + 20:
            found = text
    return found


# ---------------------------------------------------------------- rendering
class _Walker:
    """Flattens an element into paragraph lines and table blocks, in document order."""

    def __init__(self):
        self.items: list[tuple] = []  # ("para", text) | ("table", lines, rows)
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            text = norm("".join(self.buf))
            self.buf = []
            if text:
                self.items.append(("para", text))

    def walk(self, root) -> None:
        """Depth-first over ``root`` with an explicit stack (pages can nest deeper than
        Python's recursion limit): strings are text to append, ``(el, True)`` closes a block."""
        stack: list = [(root, False)]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.buf.append(item)
                continue
            el, closing = item
            tag = _tag(el)
            if closing or tag == "br":
                self.flush()
                continue
            if tag is None:
                continue
            if tag == "table" and not _is_layout(el):
                self.flush()
                self.items.append(_table(el))
                continue
            if tag in _BLOCK:
                self.flush()
                stack.append((el, True))
            pending: list = [el.text] if el.text else []
            for child in el:
                pending.append((child, False))
                if child.tail:
                    pending.append(child.tail)
            stack.extend(reversed(pending))


def _is_layout(table) -> bool:
    """A table used for page layout (it nests tables, or is a single cell) is walked as a
    container rather than read as data."""
    if table.find(".//table") is not None:
        return True
    cells = table.xpath(".//td|.//th")
    return len(cells) <= 1


def _rows(table):
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if _tag(tr) == "tr")


def _span(el, attr: str) -> int:
    """The cell's rowspan/colspan; one past ``limits.max_span`` refuses the input (the digits
    are measured before they are converted: a 5,000-digit span is not a number to build)."""
    m = _DIGITS.search(el.get(attr) or "")
    if not m:
        return 1
    digits = m.group().lstrip("0") or "0"
    lim = limits.current().max_span
    if len(digits) > len(str(lim)) or int(digits) > lim:
        raise limits.LimitError(_PATH.get(), "max_span", f"{attr}={digits[:12]}"
                                + ("…" if len(digits) > 12 else ""), lim)
    return max(1, int(digits))


def cell_text(cell) -> str:
    w = _Walker()
    w.walk(cell)
    w.flush()
    return join_pieces(t for kind, t in w.items if kind == "para")


def _table(table) -> tuple:
    rows: list[list[TableCell]] = []
    for tr in _rows(table):
        cells = [TableCell(cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                 for td in tr if _tag(td) in ("td", "th")]
        if cells:
            rows.append(cells)
    lines = ["\t".join(c.text for c in r) for r in rows]
    caption = next((c for c in table if _tag(c) == "caption"), None)
    return ("table", lines, rows, norm(_string(caption)) if caption is not None else None)


def _assemble(items: list[tuple]) -> tuple[str, list[Block]]:
    lines: list[str] = []
    blocks: list[Block] = []
    for item in items:
        if item[0] == "para":
            lines.append(item[1])
            blocks.append(Block("para", len(lines), item[1]))
            continue
        _, rows_text, rows, caption = item
        if caption:
            lines.append(caption)
            blocks.append(Block("para", len(lines), caption))
        if rows_text:
            blocks.append(Block("table", len(lines) + 1, "\n".join(rows_text), rows))
            lines.extend(rows_text)
    return "\n".join(lines), blocks


# ---------------------------------------------------------------- metadata and entry point
def page_meta(root) -> dict:
    meta: dict = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        key = _META_KEYS.get(name)
        content = norm(m.get("content") or "")
        if not key or not content or key in meta:
            continue
        if key == "published":
            content = iso_date(content)
            if not content:
                continue
        meta[key] = content
    t = root.find(".//title")
    if t is not None and _string(t).strip():
        meta["page_title"] = norm(_string(t))
        meta.setdefault("title", re.split(r"\s*[_|]\s*|\s+-\s+", meta["page_title"])[0])
    return meta


def parse_html(path, text: str):
    text = _DOWNLEVEL.sub("", _XML_DECL.sub("", text, count=1))
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise InputError(path, f"HTML无法解析 / unparseable HTML ({type(e).__name__})") from None
    if root is None:
        raise InputError(path, "HTML页面没有内容 / HTML page without content")
    return root


def html_document(path: Path, text: str, sha: str, meta: dict, notes: list[str]) -> Document:
    root = parse_html(path, text)
    # before the walk: the walk's work and memory grow with the tables and their rows
    limits.check(path, "max_tables", int(root.xpath("count(//table)")))
    limits.check(path, "max_rows", int(root.xpath("count(//tr)")))
    token = _PATH.set(str(path))
    try:
        return _html_document(path, root, sha, meta, notes)
    finally:
        _PATH.reset(token)


def _html_document(path: Path, root, sha: str, meta: dict, notes: list[str]) -> Document:
    meta.update({k: v for k, v in page_meta(root).items() if k not in meta})
    _prune(root)
    body = root.find("body")
    start = body if body is not None else root
    art = article_root(start)
    w = _Walker()
    w.walk(art)
    w.flush()
    title = _title_before(start, art, meta.get("title"))
    head = label_key("".join(t for kind, t, *_ in w.items[:3] if kind == "para"))
    if title and label_key(title) not in head:  # unless the body prints it (maybe over two lines)
        w.items.insert(0, ("para", title))
    if art is not start:
        notes.append(f"正文取自 <{_tag(art)} class='{art.get('class') or ''}'>，已去除网站导航、页头页脚")
    out_text, blocks = _assemble(w.items)
    return Document(path=str(path), format="html", sha256=sha, text=out_text, blocks=blocks,
                    meta=meta, notes=notes)


def read_html(path: Path, text: str, encoding: str, sha: str) -> Document:
    return html_document(path, text, sha, {"encoding": encoding}, [f"文本编码：{encoding}"])
