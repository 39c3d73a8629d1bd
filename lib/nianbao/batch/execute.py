"""One report, in a worker: execute the audit notebook in a fresh kernel, keep the executed
notebook as the record (parameters, tool version, commit, input hash, errors), export its page,
and never raise for a bad report — the record says ``failed``/``timeout`` with a one-line reason.

Where the worker writes: into the batch folder itself when it shares the client's disk (the
local process pool), or — for a task that carries its files (``ReportTask.payload``, a Dask
worker that may be on another machine) — into a scratch folder of its own, from which the
outputs go back to the client in ``ReportRecord.files`` and the scratch folder is removed. Such a
task carries its report's review decisions too: the notebook's review cell reads them from a
``review.csv`` in that scratch folder, where it would read the batch's own on a shared disk.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ..atomic import temp_name, write_atomic
from ..batchfolder import FAILED_STATUSES
from ..site.failure import write_failure_page
from .kernels import execute_notebook
from .records import OUTPUT_FILES, ReportRecord, ReportTask


def _one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


#: Exceptions of an audit that mean "this input cannot be read" (the CLI's exit 2).
_UNREADABLE = ("InputError", "LimitError", "ConfigError")


def failure_kind(exc: BaseException) -> str:
    """What kind of failure a report's exception is — ``unreadable`` (a bad input or a limit
    passed, the CLI's exit 2), ``memory`` (the worker's memory ceiling), ``timeout``, or
    ``internal`` (a bug in nianbao or its kernel, the CLI's exit 3) — so that a batch never
    records a crash as if the report were at fault."""
    from papermill.exceptions import PapermillExecutionError

    name = exc.ename if isinstance(exc, PapermillExecutionError) else type(exc).__name__
    if name in _UNREADABLE:
        return "unreadable"
    if name == "MemoryError":
        return "memory"
    if isinstance(exc, TimeoutError) or name == "CellTimeoutError":
        return "timeout"
    return "internal"


def _error_reason(exc: BaseException) -> tuple[str, str]:
    """(status, one-line reason) for an exception raised while executing a report."""
    from papermill.exceptions import PapermillExecutionError

    kind = failure_kind(exc)
    if kind == "timeout":
        return "timeout", _one_line(f"timed out: {exc}")
    if isinstance(exc, PapermillExecutionError):
        if kind == "unreadable":  # the reason users see: "path: what is wrong"
            return "failed", _one_line(exc.evalue)
        return "failed", _one_line(f"{kind}: {exc.ename}: {exc.evalue}")
    return "failed", _one_line(f"{kind}: {type(exc).__name__}: {exc}")


def run_report(task: ReportTask) -> ReportRecord:
    """Audit one report; write (or, for a shipped task, return) its notebook, page and JSON."""
    if not task.shipped:
        return _audit(task, Path(task.out_dir) / task.id, Path(task.input),
                      Path(task.notebook), task.config_path)
    scratch = Path(tempfile.mkdtemp(prefix="nianbao-report-"))
    try:
        (scratch / "input").mkdir()
        src = scratch / "input" / task.file
        src.write_bytes(task.payload["input"])
        notebook = scratch / "audit_report.ipynb"
        notebook.write_bytes(task.payload["notebook"])
        config = None
        if "config" in task.payload:
            config = scratch / ("config" + Path(task.config_path or "c.yaml").suffix)
            config.write_bytes(task.payload["config"])
        if task.review_path:  # the decisions it carries, where the review cell will read them
            review = scratch / "review.csv"
            if "review" in task.payload:
                review.write_bytes(task.payload["review"])
            task = replace(task, review_path=str(review))
        rdir = scratch / task.id
        rec = _audit(task, rdir, src, notebook, str(config) if config else None)
        rec.files = {name: (rdir / name).read_bytes() for name in OUTPUT_FILES.values()
                     if (rdir / name).is_file()}
        return rec
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _audit(task: ReportTask, rdir: Path, src: Path, notebook: Path,
           config_path: str | None) -> ReportRecord:
    """Execute the audit notebook for ``src`` into ``rdir``.

    Never raises for a bad report: the record says ``failed``/``timeout`` with a one-line reason
    (the notebook raises ``InputError``; papermill wraps it; we keep its message). The executed
    notebook is kept in every case, with ``metadata.nianbao`` saying what produced it.
    """
    from ..site.export import export_html

    t0 = time.monotonic()
    rdir.mkdir(parents=True, exist_ok=True)
    final = {k: rdir / name for k, name in OUTPUT_FILES.items()}
    # the notebook writes result.json itself, atomically, at its final path (the page shows
    # that path); the executed notebook goes through a temporary name here, the page through
    # export_html, which writes atomically too
    tmp = temp_name(final["ipynb"])
    # the notebook's convention: "" for "not given"
    params = {"report_path": str(src), "published": task.published or "",
              "config_path": config_path or "", "result_path": str(final["json"])}
    if task.review_path:
        params["review_path"] = task.review_path
    status, error, summary, failure = "ok", None, None, None
    try:
        try:
            execute_notebook(notebook, tmp, params, cwd=rdir, timeout=task.timeout,
                             fork=task.fork, max_memory_mb=task.max_memory_mb)
        except Exception as exc:  # noqa: BLE001  (a bad report must never stop the others)
            status, error = _error_reason(exc)
            failure = failure_kind(exc)
        if status == "ok":
            try:
                summary = json.loads(final["json"].read_text(encoding="utf-8")).get("summary") or {}
            except (OSError, ValueError) as exc:
                status, error = "failed", _one_line(f"the notebook wrote no result: {exc}")
                failure = "internal"
        if status == "ok" and (summary.get("error") or summary.get("warning")):
            status = "findings"
        nb = _keep_notebook(tmp, final["ipynb"], task, params, status, error)
        if status not in FAILED_STATUSES:
            try:
                export_html(final["ipynb"], final["html"], title=f"{task.file} — 审计",
                            back_link="../index.html")
            except Exception as exc:  # noqa: BLE001  (e.g. ExportError: the page would leak)
                status, error = "failed", _one_line(f"HTML export: {type(exc).__name__}: {exc}")
                failure = "internal"
        if status in FAILED_STATUSES:
            final["json"].unlink(missing_ok=True)
            write_failure_page(final["html"], {"file": task.file, "sha256": task.sha256}, status,
                               error, nb)
    finally:
        tmp.unlink(missing_ok=True)
    outputs = {k: f"{task.id}/{v.name}" for k, v in final.items() if v.exists()}
    return ReportRecord(
        id=task.id, file=task.file, input=task.input, status=status, error=error, failure=failure,
        summary=summary, duration=round(time.monotonic() - t0, 3), sha256=task.sha256,
        config_hash=task.config_hash, tool=task.tool, tool_version=task.tool_version,
        git_commit=task.git_commit, timeout=task.timeout, parameters=params, outputs=outputs,
        review=task.review)


def _keep_notebook(tmp: Path, final: Path, task: ReportTask, params: dict, status: str,
                   error: str | None):
    """Write the executed notebook (at ``tmp``, if the kernel got that far) to ``final`` with
    ``metadata.nianbao`` saying what produced it; return it (None when there is none)."""
    import nbformat

    if not tmp.exists():
        final.unlink(missing_ok=True)
        return None
    nb = nbformat.read(str(tmp), as_version=4)
    nb.metadata["nianbao"] = {
        "tool_version": task.tool_version, "git_commit": task.git_commit,
        "input_sha256": task.sha256, "config_hash": task.config_hash,
        "parameters": params, "status": status, "errors": [error] if error else []}
    nb.metadata.setdefault("papermill", {})["output_path"] = str(final)
    nb.metadata["papermill"]["parameters"] = params
    from ..jupyter_env import kernel_name, spec

    # opened in the Lab it starts this checkout's kernel (not the batch's own kernelspec, which
    # the Lab does not list); signed: trusted where it was made, so its styles stay
    nb.metadata["kernelspec"] = {"name": kernel_name(), "language": "python",
                                 "display_name": spec()["display_name"]}
    sign(nb)
    write_atomic(final, nbformat.writes(nb))
    return nb


def sign(nb) -> None:
    """Sign a notebook with this user's notary key (the batch produced its outputs, so they are
    as trusted as if the auditor had run it). Never fails a report: an unusable key store only
    leaves the notebook untrusted."""
    from nbformat.sign import NotebookNotary

    try:
        NotebookNotary().sign(nb)
    except Exception:  # noqa: BLE001  (e.g. a read-only data dir: untrusted, still correct)
        pass


def sign_file(path: Path) -> None:
    """Sign the notebook at ``path`` in place."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    sign(nb)
    write_atomic(Path(path), nbformat.writes(nb))
