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

_STRING = r"""(["'`])((?:\\.|(?!\1)[^\\])*)\1"""
_CONTENT = re.compile(r"\b(?:let|var|const)?\s*content[\"']?\s*[=:]\s*" + _STRING, re.DOTALL)
_ANY_STRING = re.compile(_STRING, re.DOTALL)
_MARKUP = re.compile(r"<(?:p|div|table|span|br|h\d)\b", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
           "\n": "", "\r\n": "", "\r": ""}


def unescape_js(s: str) -> str:
    def repl(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:].strip("{}"), 16))
        return _SIMPLE.get(e, e)

    return _ESCAPE.sub(repl, s)


def embedded_html(text: str) -> str | None:
    """The report HTML held in the script, or None."""
    for m in _CONTENT.finditer(text):
        if _MARKUP.search(m.group(2)):
            return unescape_js(m.group(2))
    best = max((m.group(2) for m in _ANY_STRING.finditer(text) if _MARKUP.search(m.group(2))),
               key=len, default=None)
    return unescape_js(best) if best else None


def read_script(path: Path, text: str, encoding: str, sha: str) -> Document:
    html = embedded_html(text)
    if html is None:
        raise InputError(path, "脚本/JSON文件中没有找到报告HTML字符串 / no report HTML string in this script or JSON file")
    notes = [f"文本编码：{encoding}", "正文取自脚本/JSON文件中的HTML字符串"]
    return html_document(path, html, sha, {"encoding": encoding, "container": "js"}, notes)
