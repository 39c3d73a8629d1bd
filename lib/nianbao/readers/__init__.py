"""Readers: one per input format, each returning a ``Document`` (see ``nianbao.document``).

``read(path)`` picks the reader from the file's content first (a PDF or ZIP signature, HTML
markup) and its suffix second, so a mislabelled file is still read, and a binary or empty file
is refused with a one-line ``InputError`` rather than parsed into nonsense.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..errors import InputError


def read(path) -> Document:
    from . import dispatch

    return dispatch.read(Path(path))


__all__ = ["read", "Document", "InputError"]
