"""The audit notebook's cells: one call each, returning an object that displays itself.

``notebooks/audit_report.ipynb`` does ``from nianbao import workbook as nb`` and then one call per
cell (``nb.load``, ``nb.header``, ``nb.summary``, ``nb.findings_table``, ``nb.evidence``,
``nb.table``, ``nb.outcomes_chart``, ``nb.applicants_chart``, ``nb.sections``, ``nb.checked``,
``nb.compare``, ``nb.review``, ``nb.decide``, ``nb.write_result``). The batch overview's cells are in ``nianbao.workbook.overview``.
"""
from __future__ import annotations

from .compare import compare
from .evidence import CLIP, context, evidence, marked, sections
from .review import decide, review, state_badge
from .tables import table
from .views import (View, applicants_chart, checked, css, default_result_path, esc,
                    findings_table, header, html_table, load, location_label, outcomes_chart,
                    severity_badge, summary, write_result)

__all__ = ["CLIP", "View", "applicants_chart", "checked", "compare", "context", "css", "decide",
           "default_result_path", "esc", "evidence", "findings_table", "header", "html_table",
           "load", "location_label", "marked", "outcomes_chart", "review", "sections", "state_badge", "severity_badge",
           "summary", "table", "write_result"]
