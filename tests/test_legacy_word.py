"""Legacy Word (.doc) and WPS (.wps) reports: converted by LibreOffice headless, then read as DOCX.

The .doc is made at run time from the synthetic DOCX fixture by LibreOffice itself; the .wps is
the same Word-binary file under the WPS name (WPS Office saves its .wps in that format). Both
must parse and audit as the DOCX does. Without LibreOffice the tests that convert skip with the
reason, and the reader's refusal says how to enable the conversion.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from conftest import FIXTURES

import nianbao
from nianbao.errors import InputError
from nianbao.readers import legacy_word

DOCX = FIXTURES / "reports" / "clean.docx"
needs_soffice = pytest.mark.skipif(legacy_word.soffice() is None,
                                   reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory):
    if legacy_word.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("doc")
    profile = (out / "profile").as_uri()
    subprocess.run([legacy_word.soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out), str(DOCX)],
                   check=True, capture_output=True, timeout=180)
    return out / "clean.doc"


def _values(report):
    return {t: report.table(t).to_json() for t in ("table2", "table3", "table4")}


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_audit_like_the_docx(doc_file, tmp_path, suffix):
    src = tmp_path / f"report{suffix}"
    shutil.copyfile(doc_file, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    doc = nianbao.read(src)
    assert doc.format == suffix[1:] and "LibreOffice" in doc.notes[0]
    assert doc.sha256 == before and hashlib.sha256(src.read_bytes()).hexdigest() == before  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]  # nothing written beside it
    want, got = nianbao.audit(DOCX), nianbao.audit(src)
    assert _values(got.report) == _values(want.report)
    assert got.report.table3.found
    assert sorted((f.rule, f.severity) for f in got.findings) == sorted((f.rule, f.severity) for f in want.findings)


@needs_soffice
def test_corrupt_doc_is_one_line_error(tmp_path):
    p = tmp_path / "broken.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "WordDocument".encode("utf-16-le") + bytes(300))
    with pytest.raises(InputError) as exc:
        nianbao.read(p)
    assert "\n" not in str(exc.value) and "LibreOffice" in str(exc.value)


def test_without_libreoffice_the_refusal_says_how_to_enable_it(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy_word, "soffice", lambda: None)
    p = tmp_path / "report.wps"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "WordDocument".encode("utf-16-le") + bytes(300))
    with pytest.raises(InputError) as exc:
        nianbao.read(p)
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith(str(p)) and "libreoffice-writer-nogui" in msg and ".wps" in msg
