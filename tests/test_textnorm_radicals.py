"""Radical code points folded to ideographs in every reader, and the PDF libraries kept quiet.

A browser's "Save as PDF" spells many ideographs with Kangxi-radical code points (⼀ for 一,
⺠ for 民); the text looks right and matches nothing. Every reader's text is folded, one
character for one, before the parser sees it. pdfminer logs a line per font it cannot measure;
none of that may reach the auditor's terminal.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import unicodedata

import pytest

from conftest import FIXTURES
from nianbao.readers import read
from nianbao.textnorm import RADICALS, fold_radicals

R = FIXTURES / "readers"
# "中华人民共和国 … 一、总体情况 … 长 见 门 飞 户" spelt with radical code points
SPELT = "中华\u2f08\u2ea0共和国\u2f00、总体情况\u2ed3\u2ec5\u2ed4\u2edc\u2f3e"
PLAIN = "中华人民共和国一、总体情况长见门飞户"


def test_fold_maps_kangxi_by_nfkc_and_the_supplement_by_table():
    assert fold_radicals(SPELT) == PLAIN
    # every Kangxi radical is mapped, each to the ideograph NFKC gives (户 by glyph, see textnorm)
    for cp in range(0x2F00, 0x2FD6):
        assert cp in RADICALS, hex(cp)
        if cp != 0x2F3E:
            assert RADICALS[cp] == unicodedata.normalize("NFKC", chr(cp))
    for cp, ideograph in RADICALS.items():
        assert len(ideograph) == 1 and unicodedata.category(ideograph) == "Lo", hex(cp)
        assert not 0x2E80 <= ord(ideograph) <= 0x2FDF


def test_fold_keeps_lengths_and_leaves_fullwidth_forms_alone():
    s = "（七）总计　１２３①" + SPELT
    out = fold_radicals(s)
    assert len(out) == len(s)
    assert out.startswith("（七）总计　１２３①")  # NFKC would fold these; the parser keeps them


@pytest.mark.parametrize("suffix, body", [
    (".txt", "{t}\n\n一、总体情况\n根据《中华{r}共和国政府信息公开条例》，现公布本报告。\n"),
    (".md", "# {t}\n\n一、总体情况\n\n根据《中华{r}共和国政府信息公开条例》，现公布本报告。\n"),
    (".html", "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>一、总体情况</p>"
              "<p>根据《中华{r}共和国政府信息公开条例》，现公布本报告。</p></body></html>"),
])
def test_every_reader_folds_radicals(tmp_path, suffix, body):
    title = "XX市数据局2023年政府信息公开工作年度报告"
    spelt_title = title.replace("工", "\u2f2f")  # 工 spelt ⼯
    p = tmp_path / f"report{suffix}"
    p.write_text(body.format(t=spelt_title, r="\u2f08\u2ea0"), encoding="utf-8")
    doc = read(p)
    assert "\u2f2f" not in doc.text and "\u2ea0" not in doc.text
    assert "《中华人民共和国政府信息公开条例》" in doc.text
    assert all("\u2f2f" not in b.text for b in doc.blocks)
    assert all("\u2f2f" not in v for v in doc.meta.values() if isinstance(v, str))
    import nianbao

    report = nianbao.parse(doc)
    assert report.year == 2023 and report.title == title


def _bad_fontbbox_pdf(tmp_path):
    """The committed PDF fixture with its font's FontBBox made unparseable (same length, so
    the xref stays valid): pdfminer logs "Could not get FontBBox" for it, as for every font of
    a page Chromium printed."""
    data = (R / "report.pdf").read_bytes()
    old = b"/FontBBox [ -25 -254 1000 880 ]"
    assert old in data
    p = tmp_path / "bad-fontbbox.pdf"
    p.write_bytes(data.replace(old, b"/FontBBox [ /a /b /c /d ]".ljust(len(old))))
    return p


def test_pdfminer_warnings_stay_off_the_terminal(tmp_path):
    pdf = _bad_fontbbox_pdf(tmp_path)
    # the warning is real: pdfminer on its own prints it
    probe = subprocess.run([sys.executable, "-c",
                            "import pdfplumber,sys\n"
                            f"with pdfplumber.open({str(pdf)!r}) as p: p.pages[0].extract_text()"],
                           capture_output=True, text=True)
    assert "FontBBox" in probe.stderr
    for cmd in (["-c", f"import nianbao; nianbao.read({str(pdf)!r})"],
                ["-m", "nianbao", "audit", str(pdf)]):
        proc = subprocess.run([sys.executable, *cmd], capture_output=True, text=True)
        assert proc.stderr == "", proc.stderr[:300]


def test_pdf_reads_in_threads_print_nothing(tmp_path, capfd):
    """Reads in threads (a Dask worker): no thread's read unmutes another's."""
    pdf = _bad_fontbbox_pdf(tmp_path)
    errors = []

    def work():
        try:
            for _ in range(5):
                read(pdf)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert capfd.readouterr().err == ""
