"""The batch: run the audit notebook with papermill over a folder of reports.

One report = one fresh kernel executing the audit notebook (``nianbao.notebooks``) (so every report has an
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
import dataclasses
import os
import sys
import time
from pathlib import Path

from ..version import __version__
from ..atomic import remove_stale_temp_files, temp_name, write_atomic
from ..batchfolder import FAILED_STATUSES, MANIFEST
from ..errors import InputError
from ..site.index import write_site
from .execute import _error_reason, _one_line, run_report
from .kernels import execute_notebook
from .worker import _skip_iri_format_check, warm_worker
from .manifest import _dumps, _has_outputs, _load_manifest, _up_to_date, summary_text
from .records import OUTPUT_FILES, ReportRecord, ReportTask
from .tasks import assign_ids, canonical_hash, discover, git_commit, sha256_file


def _executor(executor: str, jobs: int, scheduler: str | None, fork: bool,
              address: str | None):
    """(executor, closer, slots): a process pool, or a Dask client's concurrent.futures
    executor, and how many reports it runs at once.

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
                                      initializer=warm_worker,
                                      initargs=(fork, address, slots, True))

        def close(cancel=False):
            if cancel:  # interrupted: stop now; the running kernels follow the zygote
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.kill()
            pool.shutdown(wait=True, cancel_futures=cancel)

        return pool, close, jobs
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
    slots = sum(client.nthreads().values()) or jobs

    def close(cancel=False):
        client.close()
        if cluster is not None:
            cluster.close()

    return client.get_executor(pure=False), close, slots


def run_overview(out_dir: Path, timeout: int, zygote_address: str | None = None) -> str | None:
    """Execute the batch overview notebook on OUT_DIR and export ``overview.html``; returns the
    reason when it cannot (the index then says so instead of linking to a missing page). With a
    zygote address, its kernel is forked from the batch's zygote like the reports'."""
    from ..notebooks import BATCH_NOTEBOOK

    if not BATCH_NOTEBOOK.is_file():
        return f"{BATCH_NOTEBOOK} is missing"
    import papermill as pm

    from ..site.export import export_html

    names = pm.inspect_notebook(str(BATCH_NOTEBOOK))
    name = next((n for n in names if "dir" in n or "out" in n), None)
    final = out_dir / "overview.ipynb"
    tmp = temp_name(final)
    try:
        if zygote_address:
            from .zygote import use_zygote

            use_zygote(zygote_address)
        execute_notebook(BATCH_NOTEBOOK, tmp, {name: str(out_dir)} if name else {},
                         cwd=out_dir, timeout=timeout, fork=zygote_address is not None)
        from .execute import sign_file

        sign_file(tmp)  # trusted where it was made, like the reports' notebooks
        os.replace(tmp, final)
        export_html(final, out_dir / "overview.html", title="批量审计概览",
                    back_link="index.html")
        return None
    except Exception as exc:  # noqa: BLE001  (the per-report results stand without it)
        return _error_reason(exc)[1]
    finally:
        tmp.unlink(missing_ok=True)


def run_crossreport(out_dir: Path, cfg: dict) -> str | None:
    """The cross-report step (``nianbao.crossreport``), here in the driving process — on Dask
    the client — from the results just written; returns the reason when it failed (the
    per-report results stand without it, and the index says so)."""
    from ..crossreport import run_folder

    try:
        run_folder(out_dir, cfg)
        return None
    except Exception as exc:  # noqa: BLE001
        return _error_reason(exc)[1]


def _effective_config(config: str | None, max_memory_mb: int | None) -> dict:
    """The configuration (validated early: a bad one stops the run, exit 2), with
    ``--max-memory`` written into it: the ceiling is part of the effective configuration, of its
    hash, and of the manifest."""
    from ..config import load_config

    cfg = load_config(config)
    if max_memory_mb is not None:
        cfg["limits"]["max_memory_mb"] = max_memory_mb
    return cfg


def run_batch(input_dir, out_dir, *, jobs: int | None = None, only: str | None = None,
              limit: int | None = None, config: str | None = None, executor: str = "local",
              scheduler: str | None = None, timeout: int = 600, force: bool = False,
              progress: bool = True, notebook: str | Path | None = None,
              overview: bool = True, fork_kernels: bool = True, review_path=None,
              max_memory_mb: int | None = None) -> dict:
    """Audit every report in ``input_dir`` into ``out_dir`` (decisions: ``review_path``); returns
    the manifest (a dict). ``max_memory_mb`` overrides ``limits.max_memory_mb``, each kernel's
    address-space ceiling."""
    from ..notebooks import AUDIT_NOTEBOOK

    input_dir, out_dir = Path(input_dir).resolve(), Path(out_dir).resolve()
    notebook = Path(notebook or AUDIT_NOTEBOOK).resolve()
    if not notebook.is_file():
        raise InputError(notebook, "the audit notebook is missing")
    files = discover(input_dir, only, limit)
    cfg = _effective_config(config, max_memory_mb)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out_dir)
    started = time.time()
    run_info = {"tool_version": __version__, "git_commit": git_commit(),
                "notebook": str(notebook), "notebook_sha256": sha256_file(notebook),
                "config_path": str(Path(config).resolve()) if config else None,
                "config": cfg, "config_hash": canonical_hash(cfg), "input_dir": str(input_dir),
                "executor": executor, "jobs": jobs, "timeout": timeout,
                "fork_kernels": fork_kernels, "review_path": review_path and str(Path(review_path).resolve())}
    tool = canonical_hash([__version__, run_info["notebook_sha256"]])
    prev, prev_run = _load_manifest(out_dir)
    records, tasks, reviews = _plan(files, prev, run_info, out_dir, notebook, tool, force)
    order = sorted({*records, *(t.id for t in tasks)})

    def manifest(final: bool) -> dict:
        return {"schema_version": 1, "complete": final, "started": started,
                "finished": time.time() if final else None, "run": run_info,
                "reports": [records[r].to_dict() for r in order if r in records]}

    jobs = jobs or os.cpu_count() or 1
    from .zygote import start_zygote, stop_zygote

    # first, so that it preloads while the workers start
    zyg = start_zygote() if tasks and fork_kernels and hasattr(os, "fork") else None
    address = zyg[1] if zyg else None
    try:
        if tasks:
            _run_reports(tasks, records, lambda: manifest(False), out_dir, progress,
                         _executor(executor, min(jobs, len(tasks)), scheduler, fork_kernels,
                                   address), ship=_shipper(executor, reviews))
        write_atomic(out_dir / MANIFEST, _dumps(manifest(True)))  # the overview reads it
        run_info["crossreport_error"] = run_crossreport(out_dir, cfg)
        unchanged = not tasks and prev_run.get("overview_error") is None \
            and set(prev) == set(records)
        overview_error = _overview_step(out_dir, overview, unchanged, timeout, address)
    finally:
        if zyg:
            stop_zygote(*zyg)
    run_info["overview_error"] = overview_error
    write_atomic(out_dir / MANIFEST, _dumps(data := manifest(True)))
    write_site(out_dir, overview=overview_error is None)  # from the manifest just written
    return data


def _overview_step(out_dir: Path, wanted: bool, unchanged: bool, timeout: int,
                   address: str | None) -> str | None:
    """Run the overview notebook unless it is not wanted or nothing changed since it was made;
    the reason it was not written, or None."""
    if not wanted:
        return "not requested"
    if unchanged and (out_dir / "overview.html").is_file():
        return None
    return run_overview(out_dir, timeout, address)


def _plan(files: list[Path], prev: dict[str, ReportRecord], run_info: dict, out_dir: Path,
          notebook: Path, tool: str, force: bool):
    """(records kept from the previous run, tasks to run, the run's ``BatchReview``): a report
    is rerun unless it is up to date, its review decisions included; reports of earlier runs
    left out of this one (--only, --limit) stay listed while their input is still there — the
    index describes the whole output folder."""
    from ..review.batch import BatchReview

    reviews = BatchReview(out_dir, run_info.get("review_path"))
    records: dict[str, ReportRecord] = {}
    tasks: list[ReportTask] = []
    for path, rid in assign_ids(files).items():
        key = reviews.key(prev.get(rid))  # the report identity its decisions are filed under
        task = ReportTask(id=rid, file=path.name, input=str(path), out_dir=str(out_dir),
                          notebook=str(notebook), config_path=run_info["config_path"],
                          timeout=run_info["timeout"], sha256=sha256_file(path),
                          config_hash=run_info["config_hash"], tool=tool,
                          tool_version=run_info["tool_version"],
                          git_commit=run_info["git_commit"], fork=run_info["fork_kernels"],
                          review_path=str(reviews.path), review=reviews.digest(key),
                          review_key=key,
                          max_memory_mb=run_info["config"]["limits"]["max_memory_mb"])
        if not force and _up_to_date(prev.get(rid), task, out_dir) \
                and prev[rid].review == task.review:
            records[rid] = dataclasses.replace(prev[rid], skipped=True)
        else:
            tasks.append(task)
    queued = {t.id for t in tasks}
    for rid, rec in prev.items():
        if rid not in records and rid not in queued and Path(rec.input or "").is_file() \
                and _has_outputs(rec, out_dir):
            records[rid] = dataclasses.replace(rec, skipped=True)
    return records, tasks, reviews


def _shipper(executor: str, reviews):
    """How a task goes to a worker: as it is to the local pool, whose workers share this disk
    (None); to Dask, whose workers may not, with the bytes of its files and its report's review
    decisions as this run read them (those its digest sums up: ``BatchReview.text``)."""
    if executor != "dask":
        return None
    return lambda task: task.with_payload(reviews.text(task.review_key))


def _run_reports(tasks: list[ReportTask], records: dict, manifest, out_dir: Path,
                 progress: bool, executor, ship) -> None:
    """Run the tasks on ``executor`` (pool, closer, slots), recording each report as it completes
    and rewriting the manifest after each one (what makes an interrupted run resumable).

    With ``ship`` (Dask: the workers may not share this disk; ``_shipper``) each task goes out
    carrying its files' bytes and its report's decisions, and the worker hands its outputs back,
    which are written here. Tasks are submitted as slots free up (twice the workers' count in
    flight), so that the inputs' bytes are read and held for the reports in flight only."""
    from tqdm import tqdm

    pool, close, slots = executor
    bar = tqdm(total=len(tasks), unit="report", desc="nianbao batch",
               disable=not (progress and sys.stderr.isatty()))
    cancel = True
    # largest inputs first: the long reports do not end up alone at the end of the run
    # while the other workers have nothing left to do
    waiting = sorted(tasks, key=lambda t: -_size(t.input))[::-1]
    running: dict[cf.Future, ReportTask] = {}

    def finish(rec: ReportRecord) -> None:
        records[rec.id] = dataclasses.replace(rec, skipped=False, files={})
        write_atomic(out_dir / MANIFEST, _dumps(manifest()))
        bar.set_postfix_str(f"{rec.file}: {rec.status}", refresh=False)
        bar.update()

    try:
        while waiting or running:
            while waiting and len(running) < 2 * slots:
                t = waiting.pop()
                try:
                    item = ship(t) if ship else t
                except OSError as exc:  # the input went away since it was hashed
                    finish(ReportRecord.worker_died(t, _one_line(f"{t.input}: {exc.strerror}")))
                    continue
                try:
                    running[pool.submit(run_report, item)] = t
                except Exception as exc:  # noqa: BLE001  (a broken pool: this report failed)
                    finish(ReportRecord.worker_died(t, _one_line(f"worker: {exc!r}")))
            if not running:
                continue
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                t = running.pop(fut)
                try:
                    rec = fut.result()
                    if ship:
                        _write_outputs(out_dir, rec)
                except Exception as exc:  # noqa: BLE001  (a dead worker: this report failed)
                    rec = ReportRecord.worker_died(t, _one_line(f"worker: {exc!r}"))
                finish(rec)
        cancel = False
    finally:
        bar.close()
        close(cancel)


def _write_outputs(out_dir: Path, rec: ReportRecord) -> None:
    """Write a worker's outputs (``rec.files``) into ``OUT_DIR/<id>/``, atomically, and remove
    those of an earlier run that this one did not make (a result.json after a failure)."""
    rdir = out_dir / rec.id
    rdir.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES.values():
        if name in rec.files:
            write_atomic(rdir / name, rec.files[name])
        else:
            (rdir / name).unlink(missing_ok=True)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def run_batch_cli(args) -> int:
    """``python -m nianbao batch``: exit 1 when a report failed or timed out, else 0."""
    _skip_iri_format_check()  # our own process: see there
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs", "must be at least 1")
    if args.timeout is not None and args.timeout < 1:
        raise InputError("--timeout", "must be at least 1 second")
    if getattr(args, "max_memory", None) is not None and args.max_memory < 0:
        raise InputError("--max-memory", "must be 0 (no ceiling) or a number of MB")
    data = run_batch(args.input_dir, args.out, jobs=args.jobs, only=args.only, limit=args.limit,
                     config=args.config, executor=args.executor, scheduler=args.scheduler,
                     timeout=args.timeout, force=args.force, progress=not args.no_progress,
                     notebook=getattr(args, "notebook", None),
                     overview=not getattr(args, "no_overview", False),
                     fork_kernels=not getattr(args, "no_fork", False),
                     review_path=getattr(args, "review", None),
                     max_memory_mb=getattr(args, "max_memory", None))
    out_dir = Path(args.out).resolve()
    sys.stdout.write(summary_text(data, out_dir) + "\n")
    return 1 if any(r["status"] in FAILED_STATUSES for r in data["reports"]) else 0
