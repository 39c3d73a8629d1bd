"""Which reader gets a file: decided by its bytes first, its suffix second.

Agencies and crawlers mislabel files (an ``.html`` that is a PDF, a ``.txt`` that is a saved web
page), so the signature wins over the name. Everything that is not a report we can read — an
image, a spreadsheet, random bytes, an empty file — is refused here with one ``InputError`` line
naming the file and the reason, before any reader can turn it into nonsense.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from .. import limits
from ..document import Document
from ..errors import InputError
from ..textnorm import HAS_RADICAL as _RADICAL
from ..textnorm import fold_radicals
from .encoding import declared_charset, decode_text

#: Signatures of files that are certainly not a report we can read, with the reason we give.
_REFUSED_SIGNATURES = (
    (b"GIF8", "这是GIF图片，不是年度报告文本 / GIF image, not a report"),
    (b"{\\rtf", "RTF文档暂不支持，请另存为.docx或PDF / RTF document, not supported (save as .docx or PDF)"),
    (b"Rar!", "RAR压缩包，不是年度报告 / RAR archive, not a report"),
    (b"\x1f\x8b", "gzip压缩文件，不是年度报告 / gzip archive, not a report"),
    (b"7z\xbc\xaf", "7z压缩包，不是年度报告 / 7z archive, not a report"),
)

_TAG = re.compile(r"<[a-zA-Z!/]")  # an .html file without a single tag is plain text (its lines matter)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|!--)[\s>/]",
                         re.IGNORECASE)


def read(path: Path) -> Document:
    """Read ``path`` with the reader its content calls for; the text comes back with radicals
    folded to ideographs (``textnorm.fold_radicals``) whatever the reader, before anything
    parses it, and checked against the limits in force (``nianbao.limits``)."""
    doc = _fold(_read(path))
    limits.check_text(path, doc.text)
    rows = sum(len(b.rows or ()) for b in doc.blocks if b.kind == "table")
    limits.check(path, "max_rows", rows)
    return doc


def _fold(doc: Document) -> Document:
    """Kangxi/CJK-supplement radicals → ideographs in the text, the blocks and the metadata
    (one character for one, so every offset and line stays where it was)."""
    if not _RADICAL.search(doc.text) and not any(
            isinstance(v, str) and _RADICAL.search(v) for v in doc.meta.values()):
        return doc
    doc.text = fold_radicals(doc.text)
    for b in doc.blocks:
        b.text = fold_radicals(b.text)
        for row in b.rows or ():
            for cell in row:
                cell.text = fold_radicals(cell.text)
    doc.meta = {k: fold_radicals(v) if isinstance(v, str) else v for k, v in doc.meta.items()}
    doc.notes.append("已将康熙部首/CJK部首补充字符（如“⼀”“⺠”）换成对应汉字")
    return doc


def _read(path: Path) -> Document:
    data = _load(path)
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(path, data)
    if kind == "pdf":
        from .pdf import NoTextLayer, read_pdf

        try:
            return read_pdf(path, data, sha)
        except NoTextLayer as e:  # a scan: read it by OCR
            from .ocr import read_scanned_pdf

            return read_scanned_pdf(path, data, sha, e.reason)
    if kind == "image":
        from .ocr import read_image

        return read_image(path, data, sha)
    if kind == "ole":
        from .legacy_word import read_legacy_word

        return read_legacy_word(path, data, sha)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(path, data, sha)
    if kind == "mhtml":
        from .mhtml import read_mhtml

        return read_mhtml(path, data, sha)
    if kind == "text":  # a text file's characters are its lines: no need to decode a bomb
        limits.check(path, "max_text_chars", len(data) // 4)
    text, encoding = decode_text(path, data, declared_charset(data))
    if kind == "text":
        limits.check(path, "max_text_chars", len(text))
    if kind == "js":
        from .script import read_script

        return read_script(path, text, encoding, sha)
    if (kind == "html" and _TAG.search(text)) or _looks_like_html(text):
        from .html import read_html

        return read_html(path, text, encoding, sha)
    from .text import read_text

    return read_text(path, text, encoding, sha, "md" if path.suffix.lower() == ".md" else "txt")


def _load(path: Path) -> bytes:
    """The file's bytes, read once (the input is never opened for writing)."""
    if not path.exists():
        raise InputError(path, "文件不存在 / file not found")
    if path.is_dir():
        raise InputError(path, "这是一个目录，不是文件 / is a directory, not a file")
    if not path.is_file():  # a FIFO or a device would block or never end
        raise InputError(path, "不是普通文件（管道或设备） / not a regular file")
    try:
        limits.check(path, "max_file_mb", path.stat().st_size, scale=2**20)
        with path.open("rb") as f:  # a file growing while read is cut at the limit
            data = f.read(limits.current().max_file_mb * 2**20 + 1)
        limits.check(path, "max_file_mb", len(data), scale=2**20)
    except OSError as e:
        raise InputError(path, f"无法读取文件 / cannot read file ({e.strerror or e})") from None
    if not data.strip():
        raise InputError(path, "文件为空 / empty file")
    return data


#: Page images read by OCR (a scanned report saved page by page).
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes) -> str:
    """``pdf``, ``docx``, ``image``, ``ole`` (legacy Word/WPS), ``mhtml``, ``js``, ``html`` or
    ``text`` from the content, else the suffix."""
    at = data.find(b"%PDF-", 0, 1024)  # the spec lets junk precede the header
    if at == 0 or (at > 0 and (not data[:at].strip() or path.suffix.lower() == ".pdf"
                               or b"%%EOF" in data[-2048:])):
        return "pdf"
    if data[:4] == b"PK\x03\x04" or data[:2] == b"PK":
        return _zip_kind(path, data)
    if data.startswith(_IMAGE_SIGNATURES) or _is_bmp(data):
        return "image"
    if data.startswith(_OLE):
        return _ole_kind(path, data)
    _refuse_signature(path, data)
    head = data[:4096].lower()
    if b"mime-version:" in head and b"multipart/related" in head:
        return "mhtml"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise InputError(path, "扩展名为.pdf但内容不是PDF（缺少%PDF文件头） / .pdf file without a PDF header")
    if suffix == ".docx":
        raise InputError(path, "扩展名为.docx但内容不是Word文档（不是ZIP包） / .docx file that is not a ZIP package")
    if suffix in (".js", ".json"):
        return "js"
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    return "text"


def _zip_kind(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except Exception:  # BadZipFile, NotImplementedError (unknown zip version), OSError …
        raise InputError(path, "ZIP/DOCX文件已损坏，无法打开 / corrupt ZIP or DOCX file") from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return _refuse(path, "这是Excel表格(.xlsx)，不是年度报告文档 / spreadsheet (.xlsx), not a report")
    if "OFD.xml" in names:
        return _refuse(path, "这是OFD版式文件，暂不支持，请提供PDF或DOCX / OFD document, not supported (use PDF or DOCX)")
    if any(n.startswith("ppt/") for n in names):
        return _refuse(path, "这是PowerPoint演示文稿，不是年度报告文档 / presentation (.pptx), not a report")
    return _refuse(path, "ZIP压缩包中没有word/document.xml，不是.docx文档 / ZIP without word/document.xml")


def _refuse(path: Path, reason: str):
    raise InputError(path, reason)


def _is_bmp(data: bytes) -> bool:
    """'BM' could start a text line; a BMP also names its own size."""
    return data[:2] == b"BM" and len(data) > 14 and int.from_bytes(data[2:6], "little") == len(data)


def _ole_kind(path: Path, data: bytes) -> str:
    """An OLE compound file: a Word or WPS document (it has a ``WordDocument`` stream) is
    converted; a spreadsheet, a presentation or an encrypted OOXML package is refused."""
    if "WordDocument".encode("utf-16-le") in data:
        return "ole"
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _refuse(path, "加密的Office文档，请解除密码后另存为.docx或PDF / encrypted Office file (remove the password)")
    return _refuse(path, "旧版Office二进制文件（.xls/.ppt等），不是Word文档 / legacy Office file (.xls/.ppt), not a Word document")


def _refuse_signature(path: Path, data: bytes) -> None:
    for sig, reason in _REFUSED_SIGNATURES:
        if data.startswith(sig):
            raise InputError(path, reason)


def _looks_like_html(text: str) -> bool:
    """A page saved under another name starts with markup; a plain-text report that merely
    quotes a stray tag (crawler artefacts) does not, so it stays text with its line numbers."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.lower().startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip()
    return bool(_HTML_START.match(head))
