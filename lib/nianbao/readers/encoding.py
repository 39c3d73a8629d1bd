"""Turning the bytes of a text or HTML file into text, without assuming the encoding.

Chinese government files come in UTF-8 (with or without a BOM), GBK/GB2312 from older sites and
Windows Notepad, and now and then UTF-16 from Word's "save as Unicode text". We try, in order:
a byte-order mark, strict UTF-8, strict GB18030 (a superset of GBK and GB2312, so one decoder
covers all three), then charset-normalizer as the last resort. Strict decoding matters: a lenient
decoder would "succeed" on the wrong encoding and hand the parser mojibake. Bytes that decode to
control characters are binary, not text, and are refused.
"""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, newline, form feed, carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>`` or ``http-equiv`` (first 4 KB)."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def decode_text(path, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for the bytes of a text file; ``declared`` (an HTML ``<meta
    charset>``) is tried right after a BOM. Raises ``InputError`` for binary data."""
    text, encoding = _decode(data, declared)
    if text is None or _is_binary(text):
        raise InputError(path, "不是文本文件（二进制内容或无法识别的编码） / binary data or unknown text encoding")
    return text, encoding


def _decode(data: bytes, declared: str | None) -> tuple[str | None, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None, enc
    if _looks_like_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    candidates = ["utf-8", "gb18030"]
    if declared:
        declared = _canonical(declared)
        if declared:
            candidates.insert(0, declared)
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            if enc == "utf-8":
                damaged = _damaged_utf8(data)
                if damaged:
                    return damaged
            continue
    return _guess(data)


def _damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes (a truncated download, one corrupted byte) is still UTF-8:
    GB18030 would accept most UTF-8 byte pairs and turn the whole file into mojibake, so a
    handful of errors among many valid multi-byte characters keeps UTF-8, with U+FFFD marks."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if wide >= 20 and bad <= max(3, wide // 200):
        return text, f"utf-8 ({bad} undecodable bytes replaced)"
    return None


def _canonical(name: str) -> str | None:
    """A Python codec for a declared charset; GBK and GB2312 widen to GB18030."""
    try:
        name = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "gb18030" if name in ("gbk", "gb2312", "gb18030", "hz") else name


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: about every other byte is NUL in ASCII-heavy text. Chinese text in
    UTF-16 has few NULs, but then it nearly always has a BOM (Notepad, Word write one)."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def _guess(data: bytes) -> tuple[str | None, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, "unknown"
    return str(best), f"{best.encoding} (guessed)"


def _is_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)
