"""The batch: run the audit notebook with papermill over a folder of reports.

One report = one fresh kernel executing ``notebooks/audit_report.ipynb`` (so every report has an
executed notebook as its record, exactly as an auditor would have run it by hand), in parallel on
a process pool or a Dask cluster. Both go through one ``concurrent.futures`` code path: the Dask
client's ``get_executor()`` is a ``concurrent.futures`` executor too.

Why it is fast: pool workers live for the whole run, so papermill, nbformat and nbconvert are
imported once per worker (not once per report, as a shell loop of ``papermill`` and
``jupyter nbconvert`` does); the HTML is exported in the worker with an in-process exporter; and
the kernel is started directly from this interpreter (``ProjectKernelManager``) without a kernelspec
lookup. The cost left per report is the kernel start and the notebook's own work.

Why it is safe to rerun: ``OUT_DIR/manifest.json`` records per report the input sha256, the
configuration hash and the tool fingerprint; a rerun skips what is unchanged and whose outputs
exist. Every file is written to a temporary name in its folder and renamed into place, and the
manifest is rewritten after every report, so an interrupted run loses at most the reports in
flight and never leaves a half-written file behind.
"""
from __future__ import annotations

import concurrent.futures as cf
import fnmatch
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

from . import __version__
from .errors import InputError
from .site import (FAILED_STATUSES, remove_stale_temp_files, temp_name, write_atomic,
                   write_failure_page, write_site)

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".js", ".docx", ".pdf")
ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "manifest.json"


# ---------------------------------------------------------------- discovery and ids


def discover(input_dir: Path, only: str | None = None, limit: int | None = None) -> list[Path]:
    """The report files directly in ``input_dir`` (sorted, so ids and order are stable); hidden
    files and a folder's README are not reports."""
    if not input_dir.is_dir():
        raise InputError(input_dir, "not a folder")
    files = sorted(p for p in input_dir.iterdir()
                   if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                   and not p.name.startswith(".") and p.stem.upper() != "README")
    if only:
        files = [p for p in files if fnmatch.fnmatch(p.name, only)]
    return files[:limit] if limit is not None else files


def slug(stem: str) -> str:
    """An ASCII-safe, stable id for a file stem: the ASCII letters and digits, lower-cased and
    joined by ``-``; a stem with other characters (Chinese) gets a short hash of the whole stem,
    so that two Chinese names never collapse to the same id."""
    ascii_part = unicodedata.normalize("NFKC", stem).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:60].strip("-")
    if not stem.isascii() or not s:
        h = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
        s = f"{s}-{h}" if s else f"report-{h}"
    return s


def assign_ids(files: list[Path]) -> dict[Path, str]:
    """Unique ids within the batch: the stem slug; files sharing one (``a.txt``, ``a.pdf``) add
    their suffix, then a counter."""
    by_slug: dict[str, list[Path]] = {}
    for p in files:
        by_slug.setdefault(slug(p.stem), []).append(p)
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for s, group in by_slug.items():
        for p in group:
            rid = s if len(group) == 1 else f"{s}-{p.suffix.lower().lstrip('.')}"
            base, n = rid, 2
            while rid in taken:
                rid, n = f"{base}-{n}", n + 1
            taken.add(rid)
            ids[p] = rid
    return ids


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_commit() -> str | None:
    """The checkout's commit, for the record (None outside a git checkout)."""
    if not (ROOT / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def canonical_hash(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the kernel


@functools.lru_cache(maxsize=1)
def project_kernel_client_class():
    """The kernel client papermill talks through: jupyter_client's ``AsyncKernelClient`` with two
    waits of its start-up shortened (each was paid once per report, ~0.3 s together):

    - its sockets retry connecting every 10 ms, not zmq's default 100 ms: they are created the
      moment the kernel is launched, usually before the kernel has bound its ports, and the
      first retry then came 100 ms later;
    - ``wait_for_ready`` ends when the kernel has published its "idle" status for the
      ``kernel_info`` request it answered (the last message it sends for it), instead of
      draining IOPub until 0.2 s have passed with no message. Nothing is lost either way:
      papermill keeps only the messages that answer a cell's own request.
    """
    import time
    from queue import Empty

    import zmq
    import zmq.asyncio
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import default

    class ProjectKernelClient(AsyncKernelClient):
        @default("context")
        def _context_default(self):
            self._created_context = True
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.RECONNECT_IVL, 10)  # default for the sockets it creates
            return context

        async def _async_wait_for_ready(self, timeout=None):
            # as jupyter_client 8's KernelClient._async_wait_for_ready (our parent is always
            # a KernelManager, so its heartbeat wait does not apply), except for the last wait
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected? If not, start over
                            first = await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            answered = msg["parent_header"].get("msg_id")

            def last(m) -> bool:
                return (m["msg_type"] == "status"
                        and m["content"].get("execution_state") == "idle"
                        and m["parent_header"].get("msg_id") == answered)

            if last(first):
                return
            while True:  # flush IOPub up to that "idle" (0.2 s of silence, as before, ends it)
                try:
                    if last(await self.iopub_channel.get_msg(timeout=0.2)):
                        return
                except Empty:
                    return

        wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the name to its own

    return ProjectKernelClient


@functools.lru_cache(maxsize=1)
def kernel_manager_class():
    """The kernel manager for papermill: the project's kernel (``nianbao.kernel.kernel_name()``,
    a kernelspec naming this interpreter), started quietly, remembering the kernel's pid so that
    the per-report watchdog can kill it."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type

    class ProjectKernelManager(AsyncKernelManager):
        client_factory = Type(project_kernel_client_class(), config=True)
        pids: list[int] | None = None  # set per report: where to record the kernel pid
        fork: bool = False  # start the kernel from the preloaded zygote (nianbao.kernel_fork)

        async def _async_pre_start_kernel(self, **kw):
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            if self.fork:
                from .kernel_fork import ForkedProvisioner

                self.provisioner.__class__ = ForkedProvisioner  # same state, forked launch
            return cmd, kw

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # after killing the kernel (every report) jupyter_client polls for its end every
            # 0.1 s; it is gone within milliseconds, so poll more often
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        async def start_kernel(self, **kw):
            # the kernel's console chatter (transport warnings, the interrupt on shutdown)
            # would garble the progress bar; what matters is in the executed notebook
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_start_kernel(**kw)
            pid = getattr(self.provisioner, "pid", None)
            if pid and self.pids is not None:
                self.pids.append(pid)

    return ProjectKernelManager


def _skip_iri_format_check() -> None:
    """jsonschema (imported by nbformat) imports ``rfc3987_syntax`` when it is installed, only to
    offer an "iri" format check, and that import builds a Lark grammar: about 1 s of CPU in
    every process that imports nbformat. Nothing in the batch checks formats (nbformat validates
    notebooks with a plain ``Draft4Validator``), so the batch's own processes (its workers, and
    the parent when run from the command line) go without that optional check. A process that
    has already imported jsonschema is left as it is."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # "import rfc3987_syntax" now fails


def warm_worker(fork: bool = False, zygote_address: str | None = None,
                warm_up_slots=None) -> None:
    """Pool initializer: import the heavy modules once per worker process, not per report, and
    say where kernels come from: the batch's zygote (``zygote_address``) or one of its own.

    ``warm_up_slots`` (a semaphore shared by the pool's workers) bounds how many workers import
    at the same time: the zygote's preload, which every first report waits for, then keeps a core
    to itself instead of sharing it with every worker's imports."""
    import contextlib
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)  # "unknown parameter" chatter
    _skip_iri_format_check()
    with warm_up_slots or contextlib.nullcontext():
        import nbformat  # noqa: F401
        import papermill  # noqa: F401

        from . import export

        export.warm_up()  # nbconvert, the template: built and compiled once per worker
        kernel_manager_class()
        from jupyter_client.kernelspec import KernelSpecManager

        from .kernel import kernel_name

        KernelSpecManager().get_kernel_spec(kernel_name())  # jupyter paths, the kernelspec
    if fork:
        from .kernel_fork import use_zygote, zygote

        use_zygote(zygote_address)
        zygote()


# ---------------------------------------------------------------- one report (in a worker)


def _one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _error_reason(exc: BaseException) -> tuple[str, str]:
    """(status, one-line reason) for an exception raised while executing a report."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        if exc.ename == "InputError":  # the reason users see: "path: what is wrong"
            return "failed", _one_line(exc.evalue)
        return "failed", _one_line(f"{exc.ename}: {exc.evalue}")
    name = type(exc).__name__
    if isinstance(exc, TimeoutError) or name == "CellTimeoutError":
        return "timeout", _one_line(f"timed out: {exc}")
    return "failed", _one_line(f"{name}: {exc}")


def execute(notebook, output: Path, parameters: dict, cwd: Path, timeout: int,
            fork: bool = False) -> None:
    """papermill in the project's kernel, with two timeouts: papermill's per cell, and a
    watchdog that kills the kernel when the whole notebook exceeds ``timeout`` (raises
    ``TimeoutError`` then), so one stuck report cannot hold a worker for ever."""
    import papermill as pm

    from .kernel import kernel_name

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

    from .export import export_html

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
    status, error, summary = "ok", None, None
    try:
        try:
            execute(task["notebook"], tmp["ipynb"], params, rdir, task["timeout"],
                    fork=task.get("fork", False))
        except Exception as exc:  # noqa: BLE001  (a bad report must never stop the others)
            status, error = _error_reason(exc)
        if status == "ok":
            try:
                summary = json.loads(final["json"].read_text(encoding="utf-8")).get("summary") or {}
            except (OSError, ValueError) as exc:
                status, error = "failed", _one_line(f"the notebook wrote no result: {exc}")
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
        if status in FAILED_STATUSES:
            final["json"].unlink(missing_ok=True)
            write_failure_page(final["html"], task, status, error, nb)
    finally:
        for p in tmp.values():
            p.unlink(missing_ok=True)
    outputs = {k: f"{task['id']}/{v.name}" for k, v in final.items() if v.exists()}
    return {"id": task["id"], "file": task["file"], "input": task["input"], "status": status,
            "error": error, "summary": summary, "duration": round(time.monotonic() - t0, 3),
            "sha256": task["sha256"], "config_hash": task["config_hash"],
            "tool": task["tool"], "tool_version": task["tool_version"],
            "git_commit": task.get("git_commit"), "timeout": task["timeout"],
            "parameters": params_record, "outputs": outputs}


# ---------------------------------------------------------------- the run (in the parent)


def _load_manifest(out_dir: Path) -> tuple[dict, dict]:
    """(records by id, run info) of the previous run; empty when there is none."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return ({r["id"]: r for r in data.get("reports", []) if isinstance(r, dict) and "id" in r},
                data.get("run") or {})
    except (OSError, ValueError, AttributeError, TypeError):
        return {}, {}


def _up_to_date(prev: dict | None, task: dict, out_dir: Path) -> bool:
    """Unchanged input, configuration and tool, outputs present; a timed-out report is retried
    when the timeout has been raised since."""
    if not prev or prev.get("input") != task["input"]:
        return False
    if any(prev.get(k) != task[k] for k in ("sha256", "config_hash", "tool")):
        return False
    if prev.get("status") == "timeout" and task["timeout"] > (prev.get("timeout") or 0):
        return False
    return _has_outputs(prev, out_dir)


def _has_outputs(rec: dict, out_dir: Path) -> bool:
    outs = rec.get("outputs") or {}
    need = ("html",) if rec.get("status") in FAILED_STATUSES else ("ipynb", "html", "json")
    return all(k in outs and (out_dir / outs[k]).is_file() for k in need)


def _executor(executor: str, jobs: int, scheduler: str | None, fork: bool,
              address: str | None):
    """(executor, closer): a process pool, or a Dask client's concurrent.futures executor.

    With ``fork``, the workers fork kernels from the batch's zygote at ``address`` (remote Dask
    workers, which cannot reach it, start their own).
    """
    address = None if scheduler else address
    if executor == "local":
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        # with a zygote preloading, the workers warm up on the other cores, one per core
        slots = ctx.BoundedSemaphore(max(1, min(jobs, os.cpu_count() or 1) - 1)) \
            if fork and jobs > 1 else None
        pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx,
                                      initializer=warm_worker, initargs=(fork, address, slots))

        def close(cancel=False):
            if cancel:  # interrupted: stop now; the running kernels follow the zygote
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.kill()
            pool.shutdown(wait=True, cancel_futures=cancel)

        return pool, close
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--executor dask", "needs dask.distributed: pip install "
                                            "'dask[distributed]'") from None
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    client.run(warm_worker, fork, address)

    def close(cancel=False):
        client.close()
        if cluster is not None:
            cluster.close()

    return client.get_executor(pure=False), close


def run_overview(out_dir: Path, timeout: int, zygote_address: str | None = None) -> str | None:
    """Execute the batch overview notebook on OUT_DIR and export ``overview.html``; returns the
    reason when it cannot (the index then says so instead of linking to a missing page). With a
    zygote address, its kernel is forked from the batch's zygote like the reports'."""
    from .kernel import BATCH_NOTEBOOK

    if not BATCH_NOTEBOOK.is_file():
        return "notebooks/batch_overview.ipynb is missing"
    import papermill as pm

    from .export import export_html

    names = pm.inspect_notebook(str(BATCH_NOTEBOOK))
    name = next((n for n in names if "dir" in n or "out" in n), None)
    final = out_dir / "overview.ipynb"
    tmp = temp_name(final)
    try:
        if zygote_address:
            from .kernel_fork import use_zygote

            use_zygote(zygote_address)
        execute(BATCH_NOTEBOOK, tmp, {name: str(out_dir)} if name else {}, out_dir, timeout,
                fork=zygote_address is not None)
        os.replace(tmp, final)
        export_html(final, out_dir / "overview.html", title="批量审计概览",
                    back_link="index.html")
        return None
    except Exception as exc:  # noqa: BLE001  (the per-report results stand without it)
        return _error_reason(exc)[1]
    finally:
        tmp.unlink(missing_ok=True)


def run_batch(input_dir, out_dir, *, jobs: int | None = None, only: str | None = None,
              limit: int | None = None, config: str | None = None, executor: str = "local",
              scheduler: str | None = None, timeout: int = 600, force: bool = False,
              progress: bool = True, notebook: str | Path | None = None,
              overview: bool = True, fork_kernels: bool = True) -> dict:
    """Audit every report in ``input_dir`` into ``out_dir``; returns the manifest (a dict)."""
    from .config import load_config

    input_dir, out_dir = Path(input_dir).resolve(), Path(out_dir).resolve()
    from .kernel import AUDIT_NOTEBOOK

    notebook = Path(notebook or AUDIT_NOTEBOOK).resolve()
    if not notebook.is_file():
        raise InputError(notebook, "the audit notebook is missing")
    files = discover(input_dir, only, limit)
    cfg = load_config(config)  # validates early: a bad configuration stops the run (exit 2)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out_dir)
    started = time.time()
    commit = git_commit()
    run_info = {"tool_version": __version__, "git_commit": commit,
                "notebook": str(notebook), "notebook_sha256": sha256_file(notebook),
                "config_path": str(Path(config).resolve()) if config else None,
                "config": cfg, "config_hash": canonical_hash(cfg), "input_dir": str(input_dir),
                "executor": executor, "jobs": jobs, "timeout": timeout,
                "fork_kernels": fork_kernels}
    tool = canonical_hash([__version__, run_info["notebook_sha256"]])
    prev, prev_run = _load_manifest(out_dir)
    records: dict[str, dict] = {}
    tasks = []
    for path, rid in assign_ids(files).items():
        task = {"id": rid, "file": path.name, "input": str(path), "out_dir": str(out_dir),
                "notebook": str(notebook), "config_path": run_info["config_path"],
                "published": None, "timeout": timeout, "sha256": sha256_file(path),
                "config_hash": run_info["config_hash"], "tool": tool,
                "tool_version": __version__, "git_commit": commit, "fork": fork_kernels}
        if not force and _up_to_date(prev.get(rid), task, out_dir):
            records[rid] = {**prev[rid], "skipped": True}
        else:
            tasks.append(task)
    # reports of earlier runs left out of this one (--only, --limit) stay listed while their
    # input is still there: the index describes the whole output folder
    for rid, rec in prev.items():
        if rid not in records and rid not in {t["id"] for t in tasks} \
                and Path(rec.get("input", "")).is_file() and _has_outputs(rec, out_dir):
            records[rid] = {**rec, "skipped": True}
    order = sorted({*records, *(t["id"] for t in tasks)})

    def manifest(final: bool) -> dict:
        return {"schema_version": 1, "complete": final, "started": started,
                "finished": time.time() if final else None, "run": run_info,
                "reports": [records[r] for r in order if r in records]}

    jobs = jobs or os.cpu_count() or 1
    zyg = None
    if tasks and fork_kernels and hasattr(os, "fork"):
        from .kernel_fork import start_zygote

        zyg = start_zygote()  # first, so that it preloads while the workers start
    address = zyg[1] if zyg else None
    try:
        if tasks:
            _run_reports(tasks, records, lambda: manifest(False), out_dir, progress,
                         _executor(executor, min(jobs, len(tasks)), scheduler, fork_kernels,
                                   address))
        write_atomic(out_dir / MANIFEST, _dumps(manifest(True)))  # the overview reads it
        if not overview:
            overview_error = "not requested"
        elif not tasks and prev_run.get("overview_error") is None \
                and set(prev) == set(records) and (out_dir / "overview.html").is_file():
            overview_error = None  # nothing changed since it was made
        else:
            overview_error = run_overview(out_dir, timeout, address)
    finally:
        if zyg:
            from .kernel_fork import stop_zygote

            stop_zygote(*zyg)
    run_info["overview_error"] = overview_error
    data = manifest(True)
    write_site(out_dir, data, overview=overview_error is None)
    write_atomic(out_dir / MANIFEST, _dumps(data))
    return data


def _run_reports(tasks: list[dict], records: dict, manifest, out_dir: Path, progress: bool,
                 executor) -> None:
    """Run the tasks on ``executor`` (pool, closer), recording each report as it completes and
    rewriting the manifest after each one (what makes an interrupted run resumable)."""
    from tqdm import tqdm

    pool, close = executor
    bar = tqdm(total=len(tasks), unit="report", desc="nianbao batch",
               disable=not (progress and sys.stderr.isatty()))
    cancel = True
    try:
        # largest inputs first: the long reports do not end up alone at the end of the run
        # while the other workers have nothing left to do
        order = sorted(tasks, key=lambda t: -_size(t["input"]))
        futures = {pool.submit(run_report, t): t for t in order}
        for fut in cf.as_completed(futures):
            t = futures[fut]
            try:
                rec = fut.result()
            except Exception as exc:  # noqa: BLE001  (a dead worker: this report failed)
                rec = {"id": t["id"], "file": t["file"], "input": t["input"],
                       "status": "failed", "error": _one_line(f"worker: {exc!r}"),
                       "sha256": t["sha256"], "config_hash": t["config_hash"],
                       "tool": t["tool"], "tool_version": __version__, "outputs": {}}
            records[rec["id"]] = {**rec, "skipped": False}
            write_atomic(out_dir / MANIFEST, _dumps(manifest()))
            bar.set_postfix_str(f"{rec['file']}: {rec['status']}", refresh=False)
            bar.update()
        cancel = False
    finally:
        bar.close()
        close(cancel)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


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
             + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "findings", "failed",
                                                               "timeout"))
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


def run_batch_cli(args) -> int:
    """``python -m nianbao batch``: exit 1 when a report failed or timed out, else 0."""
    _skip_iri_format_check()  # our own process: see there
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs", "must be at least 1")
    if args.timeout is not None and args.timeout < 1:
        raise InputError("--timeout", "must be at least 1 second")
    data = run_batch(args.input_dir, args.out, jobs=args.jobs, only=args.only, limit=args.limit,
                     config=args.config, executor=args.executor, scheduler=args.scheduler,
                     timeout=args.timeout, force=args.force, progress=not args.no_progress,
                     notebook=getattr(args, "notebook", None),
                     overview=not getattr(args, "no_overview", False),
                     fork_kernels=not getattr(args, "no_fork", False))
    out_dir = Path(args.out).resolve()
    sys.stdout.write(summary_text(data, out_dir) + "\n")
    return 1 if any(r["status"] in FAILED_STATUSES for r in data["reports"]) else 0
