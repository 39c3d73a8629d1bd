"""nianbao — the audit workbook for 政府信息公开工作年度报告.

Data flows one way: ``read`` (a file → ``Document``) → ``parse`` (→ ``Report``) → ``audit``
(→ ``AuditResult`` with findings) → render (notebook views, HTML pages, batch index).
"""
from __future__ import annotations

from .version import __version__


def read(path):
    """Read an input file into a ``Document`` (raises ``InputError`` with a one-line reason)."""
    from .readers import read as _read

    return _read(path)


def parse(path_or_document, **kwargs):
    """Parse a file or a ``Document`` into a ``Report``."""
    from .parsing import parse as _parse

    return _parse(path_or_document, **kwargs)


def audit(path_or_report, **kwargs):
    """Audit a report file (or a parsed ``Report``); returns an ``AuditResult``."""
    from .engine import audit as _audit

    return _audit(path_or_report, **kwargs)


from .errors import InputError  # noqa: E402

__all__ = ["read", "parse", "audit", "InputError", "__version__"]
