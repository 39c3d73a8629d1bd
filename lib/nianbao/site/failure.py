"""The page of a report that could not be audited: what, why, and the traceback if any."""
from __future__ import annotations

import re
from pathlib import Path

from ..atomic import write_atomic
from ..batchfolder import STATUS_LABELS
from .pages import asset, render


def _traceback(nb) -> str:
    if nb is None:
        return ""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
    return ""


def write_failure_page(path: Path, task: dict, status: str, reason: str | None, nb) -> None:
    """``path``: the page for ``task`` (its ``file`` and ``sha256``) that ended in ``status``."""
    write_atomic(path, render("failure.html.j2", css=asset("site.css"), file=task["file"],
                              status_label=STATUS_LABELS[status], reason=reason or "",
                              notebook=nb is not None, sha256=task["sha256"],
                              traceback=_traceback(nb)))
