"""Reports published inside a JavaScript or JSON file: the page's HTML sits in a string literal.

Some portals ship the article as ``let content = "<p>…</p>"`` in a data script (or as
``"content": "<p>…</p>"`` in an API response) that the page renders client-side; saving the page
gives the script, not the report. We take the string assigned to ``content`` (or, failing that,
the longest string literal that holds markup), undo the JavaScript/JSON escapes, and read it as
HTML.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..document import Document
from ..errors import InputError
from .html import html_document

_CONTENT_BEFORE = re.compile(r"\bcontent[\"']?\s*[=:]\s*\Z")
_QUOTES = "\"'`"
_BODY = {q: re.compile(rf"[^{q}\\]*(?:\\.[^{q}\\]*)*", re.DOTALL) for q in _QUOTES}
_MARKUP = re.compile(r"<(?:p|div|table|span|br|h\d)\b", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
           "\n": "", "\r\n": "", "\r": ""}


def unescape_js(s: str) -> str:
    def repl(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "ux" and len(e) > 1:
            code = int(e[1:].strip("{}"), 16)
            return chr(code) if code <= 0x10FFFF else "\ufffd"  # \u{110000} and up: no character
        return _SIMPLE.get(e, e)

    return _ESCAPE.sub(repl, s)


def string_literals(text: str):
    """``(start, body)`` of each string literal, left to right, in one pass: a backslash
    escapes the next character; a literal left open (a truncated file) ends the search for
    that kind of quote, so a cut-off file costs one scan, not one scan per quote after the cut."""
    kinds = _QUOTES
    i, n = 0, len(text)
    while kinds:
        m = re.compile(f"[{re.escape(kinds)}]").search(text, i)
        if not m:
            return
        i, q = m.start(), m.group()
        end = _BODY[q].match(text, i + 1).end()  # unrolled loop: each character read once
        if end >= n or text[end] != q:  # never closed: no later literal of this kind either
            kinds = kinds.replace(q, "")
            i += 1
            continue
        yield i, text[i + 1:end]
        i = end + 1


def embedded_html(text: str) -> str | None:
    """The report HTML held in the script, or None: the string assigned to ``content``, else
    the longest string literal with markup."""
    best = None
    for start, body in string_literals(text):
        if not _MARKUP.search(body):
            continue
        if _CONTENT_BEFORE.search(text, max(0, start - 80), start):
            return unescape_js(body)
        if best is None or len(body) > len(best):
            best = body
    return unescape_js(best) if best else None


def read_script(path: Path, text: str, encoding: str, sha: str) -> Document:
    html = embedded_html(text)
    if html is None:
        raise InputError(path, "脚本/JSON文件中没有找到报告HTML字符串 / no report HTML string in this script or JSON file")
    notes = [f"文本编码：{encoding}", "正文取自脚本/JSON文件中的HTML字符串"]
    return html_document(path, html, sha, {"encoding": encoding, "container": "js"}, notes)
