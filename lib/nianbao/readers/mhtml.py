"""Web archives (``.mht``/``.mhtml``): a saved page, or Word's "single file web page".

The file is a MIME message: the page's HTML is one ``text/html`` part, usually quoted-printable
and in the page's own charset, next to its images. We take that part, decode it as the MIME
headers say, and read it as HTML.
"""
from __future__ import annotations

import email
from email import policy
from pathlib import Path

from ..document import Document
from ..errors import InputError
from .encoding import decode_text
from .html import html_document


def read_mhtml(path: Path, data: bytes, sha: str) -> Document:
    try:
        message = email.message_from_bytes(data, policy=policy.compat32)
        part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        payload = part.get_payload(decode=True) if part is not None else None
    except Exception:  # noqa: BLE001 — the email package raises many classes on broken input
        payload = None
    if not payload:
        raise InputError(path, "MHTML网页存档中没有HTML部分 / web archive without an HTML part")
    text, encoding = decode_text(path, payload, part.get_content_charset())
    notes = [f"文本编码：{encoding}", "正文取自MHTML网页存档中的HTML部分"]
    return html_document(path, text, sha, {"encoding": encoding, "container": "mhtml"}, notes)
