"""The audit notebooks, shipped with the package so that an installed nianbao (not only a git
checkout) can run them: ``audit_report.ipynb`` (one report) and ``batch_overview.ipynb`` (a batch
folder). Each is paired with a jupytext ``.py`` file that a test keeps in step.

These are the source of truth. The repository's ``notebooks/`` folder holds copies for the
auditor to open in JupyterLab, written by ``scripts/sync_notebooks.py``; a test fails when they
differ.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

NOTEBOOK_FILES = ("audit_report.ipynb", "audit_report.py", "batch_overview.ipynb",
                  "batch_overview.py")


def path(name: str) -> Path:
    """The installed file ``name`` of this package (a real file: papermill needs a path)."""
    return Path(str(resources.files(__name__).joinpath(name)))


AUDIT_NOTEBOOK = path("audit_report.ipynb")
BATCH_NOTEBOOK = path("batch_overview.ipynb")
