"""Text normalisation that keeps offsets: evidence spans must point into the original text.

``to_halfwidth`` maps full-width ASCII (U+FF01–FF5E) and the ideographic space one character to
one character, unlike NFKC, which changes lengths (①→1, …→...). ``label_key`` is the lossy key the
parser and the wording checks match labels on.
"""
from __future__ import annotations

import re

_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FW[0x3000] = 0x20
_FW[0x00A0] = 0x20  # no-break space, as left by &nbsp;


def to_halfwidth(s: str) -> str:
    """Full-width ASCII → ASCII, ideographic and no-break spaces → space; same length."""
    return s.translate(_FW)


_LABEL_DROP = re.compile(r"[\s\u3000()（）\[\]【】〔〕,，、.．。:：;；“”\"'‘’《》<>·\-—_/]")


def label_key(s: str) -> str:
    """A matching key for a printed label: half-width, no spaces, brackets or punctuation."""
    return _LABEL_DROP.sub("", to_halfwidth(s))
