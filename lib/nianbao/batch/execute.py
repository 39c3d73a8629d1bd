"""One report: execute the audit notebook in a fresh kernel, keep the executed notebook as the
record (parameters, tool version, commit, input hash, errors), export its page, and never raise
for a bad report — the record says ``failed``/``timeout`` with a one-line reason."""
from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

from ..atomic import temp_name, write_atomic
from ..batchfolder import FAILED_STATUSES
from ..site.failure import write_failure_page
from .kernels import kernel_manager_class, kernel_name


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


def execute(notebook, output: Path, parameters: dict, cwd: Path, timeout: int,
            fork: bool = False) -> None:
    """papermill in the project's kernel, with two timeouts: papermill's per cell, and a
    watchdog that kills the kernel when the whole notebook exceeds ``timeout`` (raises
    ``TimeoutError`` then), so one stuck report cannot hold a worker for ever."""
    import papermill as pm

    pids: list[int] = []
    km = type("WatchedKernelManager", (kernel_manager_class(),), {"pids": pids, "fork": fork})
    timed_out = threading.Event()

    def kill_kernel():
        timed_out.set()
        for pid in pids:
            try:
                os.kill(pid, 9)
            except OSError:
                pass

    watchdog = threading.Timer(timeout, kill_kernel)
    watchdog.daemon = True
    watchdog.start()
    try:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters,
                            kernel_name=kernel_name(), language="python", progress_bar=False,
                            request_save_on_cell_execute=False, cwd=str(cwd),
                            execution_timeout=timeout, start_timeout=120,
                            kernel_manager_class=km,
                            extra_arguments=["--HistoryManager.enabled=False"],
                            shutdown_kernel="immediate")
    except Exception:
        if timed_out.is_set():
            raise TimeoutError(f"timed out after {timeout} s") from None
        raise
    finally:
        watchdog.cancel()


def run_report(task: dict) -> dict:
    """Execute the audit notebook for one report; write its notebook, HTML page and JSON.

    Never raises for a bad report: the record says ``failed``/``timeout`` with a one-line reason
    (the notebook raises ``InputError``; papermill wraps it; we keep its message). The executed
    notebook is kept in every case, with ``metadata.nianbao`` saying what produced it.
    """
    import nbformat

    from ..site.export import export_html

    t0 = time.monotonic()
    rdir = Path(task["out_dir"]) / task["id"]
    rdir.mkdir(parents=True, exist_ok=True)
    final = {"ipynb": rdir / "audit.ipynb", "html": rdir / "audit.html",
             "json": rdir / "result.json"}
    # the notebook writes result.json itself, atomically, at its final path (the page shows
    # that path); the executed notebook goes through a temporary name here, the page through
    # export_html, which writes atomically too
    tmp = {"ipynb": temp_name(final["ipynb"])}
    # the notebook's convention: "" for "not given"
    params = {"report_path": task["input"], "published": task.get("published") or "",
              "config_path": task.get("config_path") or "", "result_path": str(final["json"])}
    params_record = params
    status, error, summary, failure = "ok", None, None, None
    try:
        try:
            execute(task["notebook"], tmp["ipynb"], params, rdir, task["timeout"],
                    fork=task.get("fork", False))
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
        nb = None
        if tmp["ipynb"].exists():
            nb = nbformat.read(str(tmp["ipynb"]), as_version=4)
            nb.metadata["nianbao"] = {
                "tool_version": task["tool_version"], "git_commit": task.get("git_commit"),
                "input_sha256": task["sha256"], "config_hash": task["config_hash"],
                "parameters": params_record, "status": status, "errors": [error] if error else []}
            nb.metadata.setdefault("papermill", {})["output_path"] = str(final["ipynb"])
            nb.metadata["papermill"]["parameters"] = params_record
            write_atomic(final["ipynb"], nbformat.writes(nb))
        else:
            final["ipynb"].unlink(missing_ok=True)
        if status not in FAILED_STATUSES:
            try:
                export_html(final["ipynb"], final["html"], title=f"{task['file']} — 审计",
                            back_link="../index.html")
            except Exception as exc:  # noqa: BLE001  (e.g. ExportError: the page would leak)
                status, error = "failed", _one_line(f"HTML export: {type(exc).__name__}: {exc}")
                failure = "internal"
        if status in FAILED_STATUSES:
            final["json"].unlink(missing_ok=True)
            write_failure_page(final["html"], task, status, error, nb)
    finally:
        for p in tmp.values():
            p.unlink(missing_ok=True)
    outputs = {k: f"{task['id']}/{v.name}" for k, v in final.items() if v.exists()}
    return {"id": task["id"], "file": task["file"], "input": task["input"], "status": status,
            "error": error, "failure": failure, "summary": summary, "duration": round(time.monotonic() - t0, 3),
            "sha256": task["sha256"], "config_hash": task["config_hash"],
            "tool": task["tool"], "tool_version": task["tool_version"],
            "git_commit": task.get("git_commit"), "timeout": task["timeout"],
            "parameters": params_record, "outputs": outputs}
