"""Property test (hypothesis): whatever the bytes, reading, parsing and auditing end in a result
or an ``InputError`` — never another exception — and within the limits.

A bounded number of examples runs in CI (``max_examples`` below, about 20 s on two cores); the
long run over mutated corpus files and bombs is ``benchmarks/fuzz.py`` (docs/fuzz.md).
Examples are built from the synthetic reports (tests/synth.py), so they look like reports
before hypothesis damages them: the interesting inputs are near-valid ones.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.engine import audit
from nianbao.errors import InputError
from synth import random_spec, render_html, render_text

SEED_TEXT = render_text(random_spec(3))
SEED_HTML = render_html(random_spec(4))
SUFFIXES = (".txt", ".md", ".html", ".js", ".json", ".docx", ".pdf", ".mht", "")
ALPHABET = list("0123456789 \t\n一二三四五六、（）。：年月日件报告申请总计-—/|<>\"'\\%.\u2f00\ud800")
PIECES = st.lists(st.one_of(st.sampled_from(ALPHABET), st.sampled_from(
    ["<td>", "<tr>", "</table>", 'rowspan="', "colspan=9", "9" * 120, "\t0\t"])), max_size=30).map("".join)

PROFILE = settings(max_examples=100, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _audit_or_refuse(path) -> None:
    try:
        result = audit(path)
    except InputError as e:
        assert "\n" not in str(e)
        return
    assert set(result.summary) >= {"error", "warning", "info"}


@st.composite
def damaged(draw, seed: str):
    """The seed text with a few slices replaced by hypothesis' text."""
    text = seed
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 40))
        text = text[:at] + draw(PIECES) + text[at + cut:]
    return text


@PROFILE
@given(text=damaged(SEED_TEXT), suffix=st.sampled_from((".txt", ".md", ".html")))
def test_damaged_text_reports(tmp_path_factory, text, suffix):
    p = tmp_path_factory.mktemp("t") / f"r{suffix}"
    p.write_bytes(text.encode("utf-8", "surrogatepass"))
    _audit_or_refuse(p)


@PROFILE
@given(html=damaged(SEED_HTML), wrap=st.booleans())
def test_damaged_web_pages(tmp_path_factory, html, wrap):
    p = tmp_path_factory.mktemp("h") / ("r.js" if wrap else "r.html")
    body = ('var content = "' + html.replace('"', '\\"').replace("\n", "\\n") + '";') if wrap else html
    p.write_text(body, encoding="utf-8", errors="surrogatepass")
    _audit_or_refuse(p)


@PROFILE
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES),
       head=st.sampled_from((b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"<html>")))
def test_random_bytes_under_every_name(tmp_path_factory, data, suffix, head):
    p = tmp_path_factory.mktemp("b") / f"r{suffix}"
    p.write_bytes(head + data)
    _audit_or_refuse(p)


@PROFILE
@given(xml=damaged(  # a merged table and a title, then damaged'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   '<w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>'
                   '</w:tcPr><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr>'
                   '<w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'
                   '<w:p><w:r><w:t>2023年某局政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>'))
def test_damaged_docx_body(tmp_path_factory, xml):
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    zin = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            blob = zin.read(info.filename)
            zout.writestr(info.filename, xml.encode("utf-8", "surrogatepass")
                          if info.filename == "word/document.xml" else blob)
    p = tmp_path_factory.mktemp("d") / "r.docx"
    p.write_bytes(out.getvalue())
    _audit_or_refuse(p)


def test_the_harness_can_fail(tmp_path, monkeypatch):
    """A reader that raises something other than InputError is caught by the property."""
    from nianbao.readers import dispatch

    monkeypatch.setattr(dispatch, "decode_text", lambda *a: 1 / 0)
    p = tmp_path / "r.txt"
    p.write_text(SEED_TEXT, encoding="utf-8")
    with pytest.raises(ZeroDivisionError):
        _audit_or_refuse(p)
