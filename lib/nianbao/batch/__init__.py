"""The papermill batch: the audit notebook over a folder of reports, one fresh kernel each.

``tasks`` finds the reports and their ids, ``records`` holds the task a worker is given and the
record it hands back, ``execute`` runs one report, ``kernels`` (the one papermill wrapper, the
kernel provisioner) and ``zygote`` start kernels quickly, ``manifest`` records the run, ``run``
drives it on a process pool or Dask. See docs/batch.md.
"""
from __future__ import annotations

from .execute import run_report
from .kernels import execute_notebook
from .records import ReportRecord, ReportTask
from .run import run_batch, run_batch_cli
from .tasks import REPORT_SUFFIXES, assign_ids, discover, sha256_file, slug

__all__ = ["REPORT_SUFFIXES", "ReportRecord", "ReportTask", "assign_ids", "discover",
           "execute_notebook", "run_batch", "run_batch_cli", "run_report", "sha256_file", "slug"]
