"""The offline page: no code, no prompts, no scripts, nothing fetched; escaped report text; the
back link; atomic writes; and the resource check itself (it must catch real leaks and must not
be fooled by escaped text)."""
from __future__ import annotations

import json
import sys

import nbformat
import pytest
from lxml import html as lhtml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nianbao import workbook as views
from nianbao.site.export import ExportError, export_html, external_resources
from nianbao.batch.kernels import kernel_name

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'


def _notebook(html_output: str) -> nbformat.NotebookNode:
    code = new_code_cell("SECRET_CODE_MARKER = nb.header(result)")
    code.execution_count = 7
    code.outputs = [new_output("execute_result", execution_count=7,
                               data={"text/html": html_output, "text/plain": "<View>"}),
                    new_output("stream", name="stderr", text="STDERR_MARKER warning\n")]
    hint = new_markdown_cell("NOTEBOOK_ONLY_MARKER: set the parameters below")
    hint.metadata["tags"] = ["notebook-only"]
    return new_notebook(cells=[hint, new_markdown_cell("## 审核结论"), code])


def _page(tmp_path, html_output, **kw) -> str:
    path = export_html(_notebook(html_output), tmp_path / "audit.html", **kw)
    return path.read_text(encoding="utf-8")


def test_page_is_self_contained_and_has_no_code(tmp_path):
    view = views.View(f"<p>{views.esc(HOSTILE)}</p>")
    page = _page(tmp_path, view._repr_html_(), title="甲局 <年报>")
    doc = lhtml.fromstring(page)
    assert doc.get("lang") == "zh"
    assert doc.xpath("//meta[@charset='utf-8']")
    assert "SECRET_CODE_MARKER" not in page and "STDERR_MARKER" not in page
    assert "NOTEBOOK_ONLY_MARKER" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert external_resources(page) == []
    assert not doc.xpath("//script") and not doc.xpath("//img")
    assert HOSTILE in doc.text_content()  # shown literally
    assert doc.xpath("//title")[0].text == "甲局 <年报>"
    assert doc.xpath("//a[@class='nb-back']/@href") == ["../index.html"]
    assert doc.xpath("//a[@class='nb-back']")[0].text == "返回索引"
    assert "审核结论" in doc.text_content()


def test_back_link_points_to_the_index_beside_a_batch_page(tmp_path):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    doc = lhtml.fromstring(_page(tmp_path, "<p>x</p>"))
    assert doc.xpath("//a[@class='nb-back']/@href") == ["index.html"]
    doc = lhtml.fromstring(_page(tmp_path, "<p>x</p>", back_link=None))
    assert not doc.xpath("//a[@class='nb-back']")


def test_export_from_a_path_writes_atomically(tmp_path):
    src = tmp_path / "run.ipynb"
    nbformat.write(_notebook("<p>甲</p>"), src)
    before = src.read_bytes()
    out = export_html(src, tmp_path / "site" / "page.html")
    assert out.exists() and src.read_bytes() == before  # input untouched
    assert sorted(p.name for p in out.parent.iterdir()) == ["page.html"]  # no temp left behind


@pytest.mark.parametrize("leak", [
    '<script src="https://cdn.example/require.js"></script>',
    '<img src="http://example.com/a.png">',
    '<link rel="stylesheet" href="https://fonts.example/css">',
    '<style>@import url("https://fonts.example/x.css");</style>',
    '<div style="background: url(http://example.com/bg.png)">x</div>',
    '<img src="//example.com/a.png">',
    '<a href="javascript:alert(1)">x</a>',
    '<p onclick="alert(1)">x</p>',
])
def test_resource_check_catches_leaks(leak, tmp_path):
    assert external_resources(f"<html><body>{leak}</body></html>")
    with pytest.raises(ExportError):
        _page(tmp_path, leak)
    assert not (tmp_path / "audit.html").exists()


def test_resource_check_is_not_fooled_by_escaped_text():
    text = views.esc('<img src=http://example.com/a.png> @import url(http://x) src="https://y"')
    page = (f"<html><body><p>{text}</p><a href='../index.html'>back</a>"
            "<img src='data:image/png;base64,AAAA'></body></html>")
    assert external_resources(page) == []


def test_kernel_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(kernel_name())
    assert spec.argv[0] == sys.executable
    assert spec.argv[1:3] == ["-m", "ipykernel_launcher"]
    assert kernel_name() == kernel_name()  # stable and idempotent
    assert json.loads((__import__("pathlib").Path(spec.resource_dir) / "kernel.json")
                      .read_text())["argv"][0] == sys.executable
