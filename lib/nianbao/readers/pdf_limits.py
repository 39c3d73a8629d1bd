"""The limits of a PDF, checked before any page is laid out (``nianbao.limits``).

pdfminer lays out a page by making an object per glyph, at about 0.2 ms each, after inflating
its content streams whole; a 2,000-page file or a 1 GB content stream (1 MB packed) took
minutes and gigabytes. What drives that work can be seen cheaply first: the page count in the
page tree, the content streams (inflated at most as far as the limit), and the strings the text
operators show in them, which estimate the characters drawn.
"""
from __future__ import annotations

import itertools
import re
import zlib
from pathlib import Path

from pdfminer.pdftypes import resolve1

from .. import limits


def check_pages(path: Path, pdf) -> None:
    """Page count, unpacked page content and the characters it draws, before any page is laid
    out: they drive the time and memory of the extraction (pdfminer makes an object per glyph,
    at about 0.2 ms each). Characters are estimated from the content streams — the bytes of
    the strings that text operators show (a two-byte font counts each glyph twice), the strings
    of a form XObject once per ``Do`` that draws it."""
    from pdfminer.pdfpage import PDFPage

    lim = limits.current()
    n = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), lim.max_pages + 1))
    limits.check(path, "max_pages", n)
    budget = lim.max_content_mb * 2**20
    used = chars = 0
    for page in itertools.islice(PDFPage.create_pages(pdf.doc), lim.max_pages):
        forms = _forms(page)
        for stream in page.contents:
            data = _unpacked(resolve1(stream), budget - used + 1)
            used += len(data)
            limits.check(path, "max_content_mb", used, scale=2**20)
            chars += _shown_bytes(data)
            for m in _DO.finditer(data):
                name = m.group(1).decode("latin-1")
                if name in forms:
                    form = forms[name]
                    used += len(form[0])
                    limits.check(path, "max_content_mb", used, scale=2**20)
                    chars += form[1]
            limits.check(path, "max_pdf_chars", chars)


#: Strings shown by text operators, read in one pass: a literal ``(…)`` (stopping at any
#: parenthesis: nested ones are rare and only make the estimate smaller) or a hex ``<…>``.
_LITERAL = re.compile(rb"\(([^()\\]*(?:\\.[^()\\]*)*)\)")
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


def _shown_bytes(data: bytes) -> int:
    return (sum(len(m) for m in _LITERAL.findall(data))
            + sum(len(m) for m in _HEX.findall(data)) // 2)


def _forms(page) -> dict[str, tuple[bytes, int]]:
    """The page's form XObjects by resource name: (content, shown string bytes)."""
    out: dict[str, tuple[bytes, int]] = {}
    try:
        xobjects = resolve1((page.resources or {}).get("XObject")) or {}
        for name, ref in dict(xobjects).items():
            obj = resolve1(ref)
            if getattr(obj, "attrs", {}).get("Subtype") is not None and \
                    str(resolve1(obj.attrs.get("Subtype"))).endswith("Form"):
                data = _unpacked(obj, 2**24)
                out[str(name)] = (data, _shown_bytes(data))
    except Exception:  # noqa: BLE001 — damaged resources: pdfminer's own reading decides
        return out
    return out


def _unpacked(stream, cap: int) -> bytes:
    """A stream's content, inflating at most ``cap`` bytes (a 1 GB stream packs into 1 MB: it
    is measured, not unpacked). Filters other than Flate give the raw bytes."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    if not isinstance(stream, PDFStream):
        return b""
    if stream.data is not None:
        return stream.data[:cap]
    data = stream.rawdata or b""
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return data[:cap]
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    try:
        return zlib.decompressobj().decompress(data, cap)
    except zlib.error:
        return data[:cap]  # damaged: pdfminer's own recovery decides
