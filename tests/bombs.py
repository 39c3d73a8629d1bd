"""Hostile inputs built by hand: .docx and PDF files made to be too big for a reader.

One home for the builders that the hardening tests (tests/test_hardening.py, small bombs just
over a lowered limit) and the fuzz run (benchmarks/fuzz.py, the full-size bombs of issue 10)
both use. Large parts are written streaming and stored deflated, so a bomb that declares 1 GB
is a few MB on disk and in memory.
"""
from __future__ import annotations

import io
import zipfile
import zlib

#: The WordprocessingML namespace declaration, for hand-written ``document.xml`` bodies.
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def deflated_zeros(size: int, fill: bytes = b" ") -> bytes:
    """A raw deflate stream that inflates to ``size`` bytes of ``fill`` (whole MiB)."""
    z = zlib.compressobj(9)
    chunk = fill * (2**20 // len(fill))
    parts = [z.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + z.flush()


def gridspan_document(span: str) -> str:
    """A ``document.xml`` of one table cell spanning ``span`` grid columns."""
    return (f'<w:document {W}><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/>'
            '</w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')


def paragraphs_document(n: int) -> str:
    """A ``document.xml`` of ``n`` short paragraphs."""
    return f'<w:document {W}><w:body>' + "<w:p><w:r><w:t>段落</w:t></w:r></w:p>" * n + "</w:body></w:document>"


def docx_with(document_xml: str | bytes | None = None, big_part: int | None = None) -> bytes:
    """A small valid .docx (python-docx's template) with its body replaced, or with its styles
    part ``big_part`` bytes large (written streaming, stored deflated: 1 GB of spaces is 1 MB)."""
    import docx

    if isinstance(document_xml, str):
        document_xml = document_xml.encode()
    buf = io.BytesIO()
    docx.Document().save(buf)
    zin = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info.filename)
            if info.filename == "word/document.xml" and document_xml is not None:
                blob = document_xml
            if info.filename == "word/styles.xml" and big_part:
                zi = zipfile.ZipInfo("word/styles.xml")
                zi.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(zi, "w", force_zip64=True) as f:
                    chunk = b" " * 2**20
                    for _ in range(big_part // len(chunk)):
                        f.write(chunk)
                    f.write(b" " * (big_part % len(chunk)))
                continue
            zout.writestr(info, blob)
    return out.getvalue()


def pdf(pages_content: list[bytes], compress: bool = True, raw_streams: dict | None = None) -> bytes:
    """A minimal PDF by hand: one page per content stream (Flate), Helvetica; ``raw_streams``
    replaces objects by number (``{4: b"<< … >>\\nstream…"}``)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for content in pages_content:
        body = zlib.compress(content) if compress else content
        objs.append(b"<< /Length %d%s >>\nstream\n" % (len(body), b" /Filter /FlateDecode" if compress else b"")
                    + body + b"\nendstream")
        cid = len(objs)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> >>" % cid)
        kids.append(len(objs))
    for pid, body in (raw_streams or {}).items():
        objs[pid - 1] = body
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def pdf_big_stream(size: int) -> bytes:
    """One page whose content stream (object 4) inflates to ``size`` bytes of spaces."""
    body = deflated_zeros(size)
    big = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return pdf([b""], raw_streams={4: big})
