"""The papermill batch: the audit notebook over a folder of reports, one fresh kernel each.

``tasks`` finds the reports and their ids, ``execute`` runs one report, ``kernels`` and
``zygote`` start kernels quickly, ``manifest`` records the run, ``run`` drives it on a process
pool or Dask. See docs/batch.md.
"""
from __future__ import annotations

from .execute import execute, run_report
from .run import run_batch, run_batch_cli
from .tasks import REPORT_SUFFIXES, assign_ids, discover, sha256_file, slug

__all__ = ["REPORT_SUFFIXES", "assign_ids", "discover", "execute", "run_batch", "run_batch_cli",
           "run_report", "sha256_file", "slug"]
