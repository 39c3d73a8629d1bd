"""Joining the pieces of one table cell, shared by the HTML, PDF and DOCX readers.

A cell's text arrives in pieces: one ``<p>`` per stacked header character, one PDF line per
wrapped label, one Word paragraph per line. Chinese pieces join without a space (``结果`` +
``维持`` is ``结果维持``); only two Latin/digit pieces keep a space between them, so that two
numbers printed as separate paragraphs do not fuse into one.
"""
from __future__ import annotations


def join_pieces(pieces, numbers_apart: bool = True) -> str:
    """``numbers_apart=False`` for lines that wrapped inside one paragraph (a PDF cell), where
    a number cut by the wrap is still one number; only Latin words keep a space then."""
    def word(c: str) -> bool:
        return c.isascii() and (c.isalnum() if numbers_apart else c.isalpha())

    out = ""
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        if out and word(out[-1]) and word(p[0]):
            out += " "
        out += p
    return out.replace("\t", " ")
