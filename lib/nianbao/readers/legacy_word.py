"""Legacy Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read as DOCX.

The binary Word format has no well-kept pure-Python reader, and LibreOffice's import filters are
the reference outside Microsoft's. It runs headless as a real process with a time limit, a fresh
user profile in a temporary directory (so neither a running LibreOffice nor the user's settings
are touched, and parallel conversions do not share a profile lock), on a copy of the input in
that directory; the converted .docx goes to the DOCX reader. The Document keeps the original
file's path, sha256 and format, and says in ``notes`` that it was converted.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import InputError

#: Seconds LibreOffice gets for one file (a report converts in 2–5 s; a cold start on a busy
#: machine takes longer).
TIMEOUT = 120
_HOW_TO = ("安装LibreOffice后可自动转换（Debian: apt-get install libreoffice-writer-nogui），或另存为.docx/PDF"
           " / install LibreOffice (apt-get install libreoffice-writer-nogui) or save as .docx/PDF")


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(path: Path, data: bytes, sha: str) -> Document:
    from .docx import read_docx

    kind = "wps" if path.suffix.lower() == ".wps" else "doc"
    exe = soffice()
    if exe is None:
        raise InputError(path, f"旧版Word/WPS文件（.{kind}）需要LibreOffice转换：{_HOW_TO}")
    docx = convert_to_docx(path, data, exe)
    doc = read_docx(path, docx, sha)
    doc.format = kind
    doc.notes.insert(0, f".{kind}文件已由LibreOffice转换为.docx后读取")
    return doc


def convert_to_docx(path: Path, data: bytes, exe: str) -> bytes:
    """``data`` (a .doc/.wps file's bytes) as .docx bytes, converted in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        work = Path(tmp)
        src = work / "in" / "report.doc"  # the Word binary filter is chosen by content; the name only hints
        src.parent.mkdir()
        src.write_bytes(data)
        out = work / "out"
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT,
                                  cwd=work)
        except subprocess.TimeoutExpired:
            raise InputError(path, f"LibreOffice转换超时（{TIMEOUT}秒） / LibreOffice conversion timed out") from None
        except OSError as e:
            raise InputError(path, f"无法启动LibreOffice / cannot start LibreOffice ({e.strerror or e})") from None
        result = out / "report.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            tail = f"：{detail[-1][:120]}" if detail else ""
            raise InputError(path, f"LibreOffice无法转换此文件（已损坏或不是Word文档）{tail}"
                                   " / LibreOffice could not convert this file (corrupt or not a Word document)")
        return result.read_bytes()
