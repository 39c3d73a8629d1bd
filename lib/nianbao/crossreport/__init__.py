"""The audit across reports: the same agency year over year, text copied from elsewhere.

Runs after the per-report audits, from their results (``result.json``; never by re-reading the
reports), in the process that drives the batch — on Dask the client. ``run(entries, config)``
runs every enabled cross-report rule (``scope="batch"`` in the registry: identity, continuity,
copy) over ``Entry`` objects; ``run_folder(batch_dir)`` does it for a batch output folder and
writes ``crossreport.json`` beside ``manifest.json`` and the 与上年比较 section into each audit
page (``workbook.compare``). Findings are the ordinary ``Finding``
with the report they concern in ``location.report``; severities and ``disabled`` come from the
same configuration as the single-report rules.
"""
from __future__ import annotations

from .batch import CrossBatch, Entry
from .runner import CROSS_FILE, CrossResult, entries_from_folder, run, run_folder

__all__ = ["CROSS_FILE", "CrossBatch", "CrossResult", "Entry", "entries_from_folder", "run",
           "run_folder"]
