"""Joining the pieces of one table cell, shared by the HTML, PDF and DOCX readers.

A cell's text arrives in pieces: one ``<p>`` per stacked header character, one PDF line per
wrapped label, one Word paragraph per line. Chinese pieces join without a space (``结果`` +
``维持`` is ``结果维持``); only two Latin/digit pieces keep a space between them, so that two
numbers printed on separate lines do not fuse into one.
"""
from __future__ import annotations


def _word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


def join_pieces(pieces) -> str:
    out = ""
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        if out and _word_char(out[-1]) and _word_char(p[0]):
            out += " "
        out += p
    return out.replace("\t", " ")
