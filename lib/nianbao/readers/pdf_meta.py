"""A PDF's document information dictionary, decoded: who made it, its title, its dates."""
from __future__ import annotations

import re


def pdf_meta(info: dict) -> dict:
    """What a PDF's document information says: printed by a browser (its Creator/Producer), its
    Title, its creation and modification dates."""
    meta: dict = {}
    creator = f"{_pdf_string(info.get('Creator'))} {_pdf_string(info.get('Producer'))}"
    if re.search(r"Chrome|Chromium|Mozilla|Skia/PDF|WebKit", creator):
        meta["printed_by_browser"] = True
    title = _pdf_string(info.get("Title"))
    if title:
        meta["pdf_title"] = title
    for key, name in (("CreationDate", "pdf_created"), ("ModDate", "pdf_modified")):
        m = re.search(r"(\d{4})(\d{2})(\d{2})", str(info.get(key) or ""))
        if m:
            meta[name] = "-".join(m.groups())
    return meta


def _pdf_string(value) -> str:
    """A document-info string. pdfminer decodes a UTF-16 string (BOM and all) as if it were
    PDFDocEncoding, so such text starts with "ÿþ"/"þÿ": map it back to bytes, then decode."""
    if isinstance(value, str) and value[:2] in ("\xff\xfe", "\xfe\xff"):
        from pdfminer.utils import PDFDocEncoding

        back: dict[str, int] = {}
        for i, ch in enumerate(PDFDocEncoding):
            back.setdefault(ch, i)
        value = bytes(back.get(ch, 0x3F) for ch in value)
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "gb18030"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            return ""
    value = str(value or "").strip().strip("\x00")
    return "" if any(ord(ch) < 0x20 or ch == "\ufffd" for ch in value) else value  # undecodable
