"""A batch output folder as data: the one reader that the index page and the overview share.

The folder is what ``nianbao.batch`` writes: ``manifest.json`` (``run``, ``reports``: per report
``id``, ``file``, ``input``, ``status``, ``error``, ``duration``, ``outputs`` with the paths of
``json`` and ``html`` relative to the folder) and one ``result.json`` per audited report
(schema.md), and ``crossreport.json`` once the cross-report step ran (its findings are attached to
the reports they name). Without a manifest every ``**/result.json`` and ``**/*.result.json`` is a report.

The status values and their labels live here because a report's status is a fact of the batch
record, whoever displays it. A finding's family is the one its result.json records (the
registry's at audit time); only results written before families were recorded fall back to the
current registry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .findings import SEVERITIES

#: ok: audited, no finding; findings: audited with findings; failed: could not be audited
#: (unreadable input or a bug, the reason recorded); timeout: stopped at the time limit.
STATUSES = ("ok", "findings", "failed", "timeout")
FAILED_STATUSES = ("failed", "timeout")
STATUS_LABELS = {"ok": "通过", "findings": "有问题", "failed": "失败", "timeout": "超时"}
MANIFEST = "manifest.json"
CROSS_FILE = "crossreport.json"  # written by nianbao.crossreport after the per-report audits


@dataclass
class ReportEntry:
    """One report of a batch: its manifest record and its result (None if it has none)."""

    id: str
    file: str
    status: str
    input: str | None = None
    error: str = ""
    duration: float | None = None
    html: str | None = None  # relative to the batch folder
    result_path: Path | None = None
    result: dict | None = None
    record: dict = field(default_factory=dict)  # the manifest entry as written
    #: the cross-report findings on this report (``crossreport.json``; ``location.report``)
    cross: list[dict] = field(default_factory=list)

    @property
    def audited(self) -> bool:
        return self.status not in FAILED_STATUSES and self.result is not None

    @property
    def report(self) -> dict:
        return (self.result or {}).get("report") or {}

    @property
    def agency(self) -> str | None:
        return self.report.get("agency") or None

    @property
    def year(self) -> int | None:
        y = self.report.get("year")
        return y if isinstance(y, int) and not isinstance(y, bool) else None

    @property
    def format(self) -> str:
        return ((self.result or {}).get("source") or {}).get("format") \
            or Path(self.file).suffix.lstrip(".").lower()

    @property
    def findings(self) -> list[dict]:
        fs = (self.result or {}).get("findings") or []
        return [f for f in fs if isinstance(f, dict)]

    def severity_counts(self) -> dict[str, int]:
        """Findings per severity, the cross-report ones included (as in ``family_counts``)."""
        out = {s: 0 for s in SEVERITIES}
        for f in (*self.findings, *self.cross):
            out[f.get("severity")] = out.get(f.get("severity"), 0) + 1
        return out

    def family_counts(self) -> dict[str, int]:
        """Findings per family, the cross-report ones (family ``crossreport``) included."""
        out: dict[str, int] = {}
        for f in (*self.findings, *self.cross):
            k = finding_family(f)
            out[k] = out.get(k, 0) + 1
        return out


def finding_family(f: dict) -> str:
    """The family a result recorded for a finding; for older results, the registry's."""
    if f.get("family"):
        return f["family"]
    from .rules.registry import family_of

    return family_of(f.get("rule") or "")


@dataclass
class BatchFolder:
    folder: Path
    run: dict  # the manifest's run record (tool version, commit, parameters…); {} without one
    reports: list[ReportEntry]
    finished: float | None = None
    cross: dict | None = None  # crossreport.json as written (None: the step has not run)


def read_manifest(folder: Path) -> dict | None:
    """The manifest as written, None if there is none; an unreadable one is an ``InputError``."""
    mpath = Path(folder) / MANIFEST
    if not mpath.exists():
        return None
    try:
        data = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(mpath, f"not a readable JSON manifest: {e}") from None
    if isinstance(data, list):  # an early form: the list of reports alone
        data = {"reports": data}
    if not isinstance(data, dict) or not isinstance(data.get("reports", []), list):
        raise InputError(mpath, "manifest has no list of reports")
    return data


def _load_json(path: Path | None) -> dict | None:
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _status_of(result: dict | None) -> str:
    """A result without a manifest record: audited (ok) if it can be read, else failed."""
    return "failed" if result is None else "ok"


def read_batch(batch_dir) -> BatchFolder:
    """Read a batch folder (see the module docstring); an unusable folder is an ``InputError``."""
    folder = Path(batch_dir)
    if not folder.is_dir():
        raise InputError(folder, "not a batch folder")
    data = read_manifest(folder)
    if data is None:
        found = sorted(set(folder.glob("**/result.json")) | set(folder.glob("**/*.result.json")))
        records = [{"id": str(p.relative_to(folder).parent), "file": p.parent.name,
                    "outputs": {"json": str(p.relative_to(folder))}} for p in found]
        data = {"reports": records}
    entries = []
    for i, rec in enumerate(r for r in data.get("reports", []) if isinstance(r, dict)):
        outputs = rec.get("outputs") or {}
        rel = outputs.get("json") or rec.get("result")
        rpath = None
        if rel:
            p = Path(rel)
            rpath = p if p.is_absolute() else folder / p
        result = _load_json(rpath)
        status = rec.get("status") or _status_of(result)
        name = str(rec.get("file") or ((result or {}).get("source") or {}).get("path") or i)
        entries.append(ReportEntry(
            id=str(rec.get("id") or i), file=name, status=status, input=rec.get("input"),
            error=rec.get("error") or "", duration=rec.get("duration"),
            html=outputs.get("html"), result_path=rpath, result=result, record=rec))
    cross = _load_json(folder / CROSS_FILE)
    by_id = {e.id: e for e in entries}
    for f in (cross or {}).get("findings") or []:
        e = by_id.get(str((f.get("location") or {}).get("report")))
        if e is not None and isinstance(f, dict):
            e.cross.append(f)
    return BatchFolder(folder, data.get("run") or {}, entries, data.get("finished"), cross)
