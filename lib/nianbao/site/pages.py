"""The Jinja environment the batch's own pages are rendered with (index, failure pages).

Autoescaping is on for every template: report text is untrusted (an agency name can hold
``<script>``), and values land in element text and quoted attributes alike. Only our own
stylesheet and script are marked safe.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A static file of the templates folder (CSS, JS) as text."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(template: str, **values) -> str:
    return environment().get_template(template).render(**values)
