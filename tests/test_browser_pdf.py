"""Real report pages from the corpus printed to PDF by headless Chromium read like their HTML.

What many auditors do with a web page is "Save as PDF". Such a PDF spells ideographs with
Kangxi-radical code points, carries the site's navigation and footer around the report, and
sets a font pdfminer complains about on every page. The PDF is made at run time from each
``.html`` report in ``../shared/corpus/real`` with the Chromium the browser tests use; the test
asserts the same agency, year and table cells as the HTML, no error the HTML does not have,
and nothing printed on stderr.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import chromium
from chromium import CHROMIUM, FLAGS

import nianbao

pytestmark = [pytest.mark.slow, pytest.mark.browser]
sync_api = chromium.require()
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
PAGES = sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else []
if not PAGES:
    pytest.skip("../shared/corpus/real with .html reports is absent", allow_module_level=True)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("printed")
    pdfs = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        page = browser.new_page()
        for src in PAGES:
            # offline: the saved page's outside resources are not fetched
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(src.as_uri(), wait_until="load")
            pdf = out / f"{src.stem}.pdf"
            page.pdf(path=str(pdf), format="A4")
            pdfs[src.name] = pdf
        browser.close()
    return pdfs


@pytest.mark.parametrize("name", [p.name for p in PAGES])
def test_printed_page_reads_like_the_html(printed, name):
    html, pdf = nianbao.audit(CORPUS / name), nianbao.audit(printed[name])
    assert pdf.report.document.format == "pdf"
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in pdf.report.text)  # radicals folded
    assert (pdf.report.agency, pdf.report.year) == (html.report.agency, html.report.year)
    for t in ("table2", "table3", "table4"):
        a, b = html.report.table(t), pdf.report.table(t)
        assert b.found == a.found
        diff = {k: (c.value, b.cells[k].value if k in b.cells else "absent")
                for k, c in a.cells.items() if k not in b.cells or b.cells[k].value != c.value}
        assert diff == {}, (t, list(diff.items())[:5])
        assert b.confidence != "doubtful", b.doubts
    # no error the page itself does not have (the site's chrome, the reader's artefacts)
    errors = lambda r: sorted((f.rule, f.message) for f in r.findings if f.severity == "error")
    assert errors(pdf) == errors(html)


def test_printed_page_audit_prints_nothing_on_stderr(printed):
    pdf = next(iter(printed.values()))
    proc = subprocess.run([sys.executable, "-m", "nianbao", "audit", str(pdf)],
                          capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
