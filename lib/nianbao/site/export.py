"""An executed notebook → one self-contained, offline HTML page.

The page is what an auditor opens from the batch index or mails on: it must work from a USB
stick with no network, so it has no code cells, no prompts, no scripts, no CDN (require.js,
MathJax, mermaid), no web fonts, and every image inline as a data URI. nbconvert's ``lab``
layout renders the cells; our template (``templates/nianbao``) replaces its head and adds a
header linking back to the batch index. After rendering, the page is parsed and any element or
style that would load something from elsewhere makes the export fail (``ExportError``) — a leak
would be a bug in the template or a view, and must not pass silently.

Interface for ``nianbao.batch``::

    from nianbao.batch.kernels import execute_notebook, kernel_name
    from nianbao.notebooks import AUDIT_NOTEBOOK
    from nianbao.site.export import export_html
    execute_notebook(AUDIT_NOTEBOOK, out / "audit.ipynb",
                     {"report_path": str(src.resolve()), "published": "", "config_path": "",
                      "result_path": str((out / "result.json").resolve())})
    export_html(out / "audit.ipynb", out / "audit.html", title="…")   # or a NotebookNode

The audit notebook's parameters are all strings (None is taken as empty): ``report_path``,
``published`` (YYYY-MM-DD), ``config_path``, ``result_path``; a bad input makes the notebook
raise ``nianbao.InputError`` (papermill reports ``ename == "InputError"``, ``evalue`` the one
line). The overview notebook takes ``batch_dir``.
"""
from __future__ import annotations

import functools
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

from ..version import __version__
from ..atomic import write_atomic

TEMPLATES = Path(__file__).parent / "templates"
#: ``workbook.views.CSS_PATH``: read here directly, so that exporting (in a batch worker) does not
#: import ``nianbao.workbook`` and with it matplotlib and pandas, which only the kernels need.
WORKBOOK_CSS = Path(__file__).parents[1] / "workbook" / "workbook.css"
NOTEBOOK_ONLY = "notebook-only"  # cell tag: shown in JupyterLab, left out of the page
PAGE_CSS = TEMPLATES / "page.css"

# Attributes that make a browser fetch something, and CSS that does.
_FETCH_ATTRS = {"src", "srcset", "data", "poster", "background", "action", "formaction"}
_CSS_FETCH = re.compile(r"@import|url\(\s*['\"]?\s*(?!data:|#)", re.I)
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)


class ExportError(RuntimeError):
    """The page would not be self-contained (names what would be fetched)."""


class _Resources(HTMLParser):
    """Collects everything in a page that would be fetched or executed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.problems.append("<script>")
        if tag == "style":
            self._in_style = True
        for k, v in attrs:
            v = v or ""
            if k in _FETCH_ATTRS and _EXTERNAL.match(v) and not v.startswith("data:"):
                self.problems.append(f"{tag} {k}={v[:80]}")
            elif k == "href" and tag == "link":
                self.problems.append(f"link href={v[:80]}")
            elif k == "href" and re.match(r"^\s*(?:javascript|vbscript|data):", v, re.I):
                self.problems.append(f"{tag} href={v[:80]}")
            elif k.startswith("on"):
                self.problems.append(f"{tag} {k}=")
            elif k == "style" and _CSS_FETCH.search(v):
                self.problems.append(f"{tag} style={v[:80]}")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style and _CSS_FETCH.search(data):
            self.problems.append(f"<style> {_CSS_FETCH.search(data).group(0)}")


def external_resources(page: str) -> list[str]:
    """What in ``page`` would be fetched from elsewhere or run (empty = self-contained)."""
    p = _Resources()
    p.feed(page)
    p.close()
    return p.problems


_EXPORTER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _exporter():
    """The page exporter, built once per process: building it (traitlets, the Jinja environment,
    the template's loaders) costs about 0.1 s, which a batch worker would otherwise pay for every
    report. It holds no per-notebook state: everything that varies is passed in ``resources``."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="nianbao", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    # cells that only make sense in the notebook (how to set parameters) stay out of the page
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY}),
                                   enabled=True)
    return exporter


def warm_up() -> None:
    """Build the exporter and render one throw-away page: the first page a process renders
    also compiles the templates and loads nbconvert's filters (~0.2 s), which a batch worker
    should pay before its first report, not during it."""
    import nbformat

    v4 = nbformat.v4
    out = v4.new_output("display_data", data={"text/html": "<p>预热</p>", "text/plain": "预热"})
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 预热\n\n*预热*"),
                                v4.new_code_cell("1", outputs=[out])])
    render_html(nb, "预热", None)


def render_html(nb, title: str, back_link: str | None = "../index.html") -> str:
    """Render a notebook node to the page (no file I/O)."""
    resources = {"nianbao": {"title": title, "back": back_link, "version": __version__,
                             "css": WORKBOOK_CSS.read_text(encoding="utf-8"),
                             "page_css": PAGE_CSS.read_text(encoding="utf-8")}}
    with _EXPORTER_LOCK:  # one exporter per process; a render at a time
        page, _ = _exporter().from_notebook_node(nb, resources=resources)
    return page


def export_html(executed_notebook, html_path, title: str | None = None,
                back_link: str | None = "auto") -> Path:
    """Write the self-contained page of an executed notebook (atomically); return its path.

    ``executed_notebook`` is a path or an ``nbformat`` node. ``title`` defaults to the
    notebook's file stem. ``back_link`` is the "返回索引" target: ``"auto"`` means
    ``index.html`` when the page sits in the batch folder itself (a ``manifest.json`` beside
    it, as for ``overview.html``) and ``../index.html`` otherwise (a report's own folder);
    None leaves the link out. Raises ``ExportError`` if the page would fetch or run anything.
    """
    import nbformat

    dest = Path(html_path)
    if isinstance(executed_notebook, (str, Path)):
        src = Path(executed_notebook)
        nb, name = nbformat.read(src, as_version=4), str(src)
    else:
        nb, name = executed_notebook, dest.name
    if back_link == "auto":
        back_link = "index.html" if (dest.parent / "manifest.json").exists() else "../index.html"
    page = render_html(nb, title or Path(name).stem, back_link)
    problems = external_resources(page)
    if problems:
        raise ExportError(f"{name}: the page would load or run: {'; '.join(problems[:5])}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, page)
    return dest
