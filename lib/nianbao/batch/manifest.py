"""The batch's manifest: what the previous run did (to skip what is unchanged) and the summary
printed at the end. The manifest is rewritten after every report, so an interrupted run is
resumable; it is read back by ``nianbao.batchfolder`` for the index and the overview."""
from __future__ import annotations

import json
from pathlib import Path

from ..batchfolder import FAILED_STATUSES, MANIFEST, STATUSES
from .records import ReportRecord, ReportTask
from .tasks import REPORT_SUFFIXES


def _load_manifest(out_dir: Path) -> tuple[dict[str, ReportRecord], dict]:
    """(records by id, run info) of the previous run; empty when there is none. An entry that is
    not a record is left out (its report is then simply run again)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        reports = data.get("reports", [])
        run = data.get("run") or {}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}, {}
    records = {}
    for r in reports if isinstance(reports, list) else []:
        try:
            rec = ReportRecord.from_dict(r)
        except (KeyError, TypeError, AttributeError):
            continue
        records[rec.id] = rec
    return records, run if isinstance(run, dict) else {}


def _up_to_date(prev: ReportRecord | None, task: ReportTask, out_dir: Path) -> bool:
    """Unchanged input, configuration and tool, outputs present; a timed-out report is retried
    when the timeout has been raised since."""
    if not prev or prev.input != task.input:
        return False
    if (prev.sha256, prev.config_hash, prev.tool) != (task.sha256, task.config_hash, task.tool):
        return False
    if prev.status == "timeout" and task.timeout > (prev.timeout or 0):
        return False
    return _has_outputs(prev, out_dir)


def _has_outputs(rec: ReportRecord, out_dir: Path) -> bool:
    need = ("html",) if rec.status in FAILED_STATUSES else ("ipynb", "html", "json")
    return all(k in rec.outputs and (out_dir / rec.outputs[k]).is_file() for k in need)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"


def summary_text(data: dict, out_dir: Path) -> str:
    """The one screen shown at the end: counts by status, failures with their reasons, paths."""
    reports = data["reports"]
    if not reports:
        return (f"nianbao batch: no report files ({' '.join(REPORT_SUFFIXES)}) in "
                f"{data['run']['input_dir']}\nindex: {out_dir / 'index.html'}")
    counts: dict[str, int] = {}
    for r in reports:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    skipped = sum(1 for r in reports if r.get("skipped"))
    lines = [f"nianbao batch: {len(reports)} reports — "
             + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
             + (f" ({skipped} up to date, not rerun)" if skipped else "")]
    bad = [r for r in reports if r["status"] in FAILED_STATUSES]
    for r in bad[:15]:
        lines.append(f"  {r['status']:<7} {r['id']}: {r.get('error')}")
    if len(bad) > 15:
        lines.append(f"  … and {len(bad) - 15} more (see manifest.json)")
    if data["run"].get("overview_error") not in (None, "not requested"):
        lines.append(f"  overview not written: {data['run']['overview_error']}")
    lines.append(f"index: {out_dir / 'index.html'}")
    return "\n".join(lines)
