"""Which Jupyter kernel runs the notebooks, how it is started, and the one papermill wrapper.

The notebooks must execute in THIS interpreter (the one with nianbao installed). The stock
``python3`` kernelspec does not guarantee that: it starts whatever ``python`` the kernelspec
search finds first, and a user-level ``python3`` spec (``~/.local/share/jupyter``) shadows the
venv's. So ``kernel_name()`` is the checkout's kernelspec, whose argv names ``sys.executable``
explicitly, written into the environment by ``nianbao.jupyter_env`` (JupyterLab lists it, named
after the checkout). Specs are written with ``os.replace`` so parallel workers can race safely.

``execute_notebook`` (the tests, the batch, the overview) runs a notebook through jupyter_client's
documented extension points: two kernelspecs of its own, kept apart from the ones JupyterLab
lists, name a *kernel provisioner* (registered under the ``jupyter_client.kernel_provisioners``
entry point in pyproject.toml): ``nianbao-local`` (``ProjectProvisioner``: an ordinary launch,
quiet, dying with the process that started it, noticing a killed kernel's end within
milliseconds) or ``nianbao-zygote`` (``nianbao.batch.zygote.ForkedProvisioner``: the kernel is
forked from a preloaded process). Both cap the kernel's address space (``max_memory_mb``).
The kernel manager and client are configured through their public traits (``client_factory``,
``kernel_spec_manager``, ``context``).

One private jupyter_client method is still called, because no documented alternative exists and
it is measured worth it (docs/batch.md): ``ProjectKernelClient.wait_for_ready`` ends at the
kernel's "idle" instead of 0.2 s of silence and calls ``_handle_kernel_info_reply``, as the stock
one does. pyproject.toml pins jupyter_client to the range this was checked against (8.x).
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Type, default

from .lifeline import preexec

log = logging.getLogger("nianbao.batch")

#: The environment of the batch's kernels (variables already set win). A kernel's address space
#: is capped (``max_memory_mb``), and most of it is reserved, not used: glibc reserves 64 MB per
#: thread that allocates (an "arena"; a kernel has about a dozen threads) and OpenBLAS a buffer
#: per core. The audit runs on one thread, so two arenas and one BLAS thread cost it nothing and
#: keep its virtual size small and independent of the machine's core count (docs/limits.md).
KERNEL_ENV = {"MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}

#: The provisioners' names under the ``jupyter_client.kernel_provisioners`` entry point.
LOCAL_PROVISIONER = "nianbao-local"
ZYGOTE_PROVISIONER = "nianbao-zygote"


# ---------------------------------------------------------------- kernelspecs


def _spec(provisioner: str | None = None) -> dict:
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"nianbao ({Path(sys.prefix).name})", "language": "python",
            "metadata": {"debugger": True}}
    if provisioner:
        spec["metadata"]["kernel_provisioner"] = {"provisioner_name": provisioner}
    return spec


def _write_spec(kernels_dir: Path, name: str, spec: dict) -> None:
    d = kernels_dir / name
    d.mkdir(parents=True, exist_ok=True)
    target = d / "kernel.json"
    if target.exists():
        try:
            if json.loads(target.read_text(encoding="utf-8")) == spec:
                return
        except (OSError, ValueError):
            pass
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".kernel.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    os.replace(tmp, target)


def _interpreter_tag() -> str:
    return hashlib.sha256(sys.executable.encode()).hexdigest()[:10]


def kernel_name() -> str:
    """The kernelspec JupyterLab lists for this checkout (``nianbao.jupyter_env``: written into
    the environment, named after the checkout); return its name."""
    from ..jupyter_env import kernel_name as checkout_kernel

    return checkout_kernel()


@functools.lru_cache(maxsize=None)
def batch_kernel_dir() -> Path:
    """Where the batch's kernelspecs live: apart from the ones JupyterLab lists (they name
    provisioners that only this environment has)."""
    from jupyter_core.paths import jupyter_data_dir

    for base in (Path(jupyter_data_dir()) / "nianbao-kernels",
                 Path(tempfile.gettempdir()) / f"nianbao-jupyter-{os.getuid()}" / "batch-kernels"):
        try:
            base.mkdir(parents=True, exist_ok=True)
            if os.access(base, os.W_OK):
                return base
        except OSError:
            continue
    raise OSError("no writable folder for the batch's kernelspecs")


def batch_kernel_name(fork: bool = False) -> str:
    """The batch's kernelspec for this interpreter: started by ``ProjectProvisioner``, or forked
    from the zygote (``fork``)."""
    kind = "fork" if fork else "local"
    name = f"nianbao-{kind}-{_interpreter_tag()}"
    _write_spec(batch_kernel_dir(), name, _spec(ZYGOTE_PROVISIONER if fork else LOCAL_PROVISIONER))
    return name


# ---------------------------------------------------------------- provisioner, client, manager


class ProjectProvisioner(LocalProvisioner):
    """jupyter_client's ``LocalProvisioner`` for the batch: the kernel's console chatter
    (transport warnings, the interrupt on shutdown) goes nowhere — it would garble the progress
    bar, and what matters is in the executed notebook; the kernel's pid is handed to the
    per-notebook watchdog; a killed kernel is waited for every 5 ms (jupyter_client's manager
    polls every 0.1 s, and the kernel is gone within milliseconds — paid once per report)."""

    async def pre_launch(self, **kwargs):
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        # the kernel leaves our process group (jupyter_client starts a new session): it must
        # die with this process however it ends (``lifeline``); its address space is capped
        kwargs.setdefault("preexec_fn", preexec(self.max_memory_mb))
        kwargs = await super().pre_launch(**kwargs)
        kwargs["env"] = {**KERNEL_ENV, **kwargs.get("env", {})}
        return kwargs

    @property
    def max_memory_mb(self) -> int:
        """The kernel's address-space ceiling in MB (0: none), from the manager."""
        return getattr(self.parent, "max_memory_mb", 0) or 0

    async def launch_kernel(self, cmd: list[str], **kwargs):
        info = await self.launch(cmd, **kwargs)
        pids = getattr(self.parent, "pids", None)
        if self.pid and pids is not None:
            pids.append(self.pid)
        return info

    async def launch(self, cmd: list[str], **kwargs):
        """Start the kernel process (here: as jupyter_client does)."""
        return await super().launch_kernel(cmd, **kwargs)

    async def kill(self, restart: bool = False) -> None:
        await super().kill(restart=restart)
        deadline = time.monotonic() + 1
        while self.process is not None and self.process.poll() is None \
                and time.monotonic() < deadline:
            await asyncio.sleep(0.005)


class ProjectKernelClient(AsyncKernelClient):
    """The kernel client papermill talks through: jupyter_client's ``AsyncKernelClient`` with two
    waits of its start-up shortened (each was paid once per report, ~0.3 s together):

    - its sockets retry connecting every 10 ms, not zmq's default 100 ms: they are created the
      moment the kernel is launched, usually before the kernel has bound its ports, and the
      first retry then came 100 ms later (the ``context`` trait's default);
    - ``wait_for_ready`` ends when the kernel has published its "idle" status for the
      ``kernel_info`` request it answered (the last message it sends for it), instead of
      draining IOPub until 0.2 s have passed with no message. Nothing is lost either way:
      papermill keeps only the messages that answer a cell's own request.
    """

    @default("context")
    def _context_default(self):
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, 10)  # default for the sockets it creates
        return context

    async def wait_for_ready(self, timeout=None):
        # as jupyter_client 8's (our parent is always a KernelManager, so its heartbeat wait
        # does not apply), except for the last wait
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
                        self._handle_kernel_info_reply(msg)  # private: see the module
                        break
            if not await self.is_alive():
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


class ProjectKernelManager(AsyncKernelManager):
    """The kernel manager for papermill: the batch's kernelspecs (``batch_kernel_name``), the
    project's kernel client, and ``pids`` (set per notebook: where the provisioner records the
    kernel's pid for the watchdog)."""

    client_factory = Type(ProjectKernelClient, config=True)
    pids: list[int] | None = None
    max_memory_mb: int = 0

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self):
        return KernelSpecManager(parent=self, kernel_dirs=[str(batch_kernel_dir())])


# ---------------------------------------------------------------- the one papermill wrapper


#: What nbclient logs (through papermill's logger, on the console) when the kernel is gone while
#: a cell runs — every time the watchdog kills a timed-out kernel. The caller gets the exception
#: (``TimeoutError``, or nbclient's ``DeadKernelError``) and the batch records it; the line on
#: the console only garbled the summary.
_DEAD_KERNEL_MESSAGE = "Kernel died while waiting for execute reply."


def _drop_dead_kernel_message(record) -> bool:
    return record.getMessage() != _DEAD_KERNEL_MESSAGE


def _quiet_dead_kernel_message() -> None:
    papermill_log = logging.getLogger("papermill")
    if _drop_dead_kernel_message not in papermill_log.filters:
        papermill_log.addFilter(_drop_dead_kernel_message)


#: A kernel that dies before it answers its first message ran none of the notebook (seen once, in
#: the first batch of a fresh clone; not reproduced in five runs after): it is started again
#: this many times before the report is recorded as failed.
START_RETRIES = 1


def died_at_start(exc: BaseException) -> bool:
    """jupyter_client's error for a kernel that exited before replying to ``kernel_info``: no
    cell ran, so running the notebook again repeats nothing."""
    return isinstance(exc, RuntimeError) and "died before replying to kernel_info" in str(exc)


def _started_again(run, name: str, timed_out: threading.Event) -> None:
    """``run()``, and again (up to ``START_RETRIES`` times) while its kernel dies at start."""
    for attempt in range(1 + START_RETRIES):
        try:
            return run()
        except RuntimeError as exc:
            if attempt == START_RETRIES or timed_out.is_set() or not died_at_start(exc):
                raise
            log.warning("%s: the kernel died before it started (%s); starting another", name, exc)


def execute_notebook(notebook, output, parameters: dict, *, cwd=None, timeout: int = 600,
                     fork: bool = False, max_memory_mb: int = 0) -> Path:
    """Run ``notebook`` with papermill into ``output`` (written atomically); return its path.

    ``parameters`` replace the notebook's ``parameters`` cell; give paths absolute, or relative
    to ``cwd`` (default: the notebook's folder), where the kernel runs. The kernel runs this
    interpreter, started by ``ProjectProvisioner`` or forked from the zygote (``fork``; in
    ``cwd`` too, wherever the zygote started). Two timeouts: papermill's per
    cell, and a watchdog that kills the kernel when the whole notebook exceeds ``timeout``
    (raises ``TimeoutError`` then), so one stuck notebook cannot hold a worker for ever.
    ``max_memory_mb`` caps the kernel's address space (``RLIMIT_AS``; 0: no cap): past it the
    notebook's code gets a ``MemoryError``, which fails the cell like any other exception. A
    failing cell raises papermill's ``PapermillExecutionError``; the partial output notebook is
    still written so the failure can be inspected and exported."""
    import papermill as pm

    from ..atomic import temp_name

    _quiet_dead_kernel_message()

    notebook, output = Path(notebook), Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(output)
    pids: list[int] = []
    km = type("WatchedKernelManager", (ProjectKernelManager,),
              {"pids": pids, "max_memory_mb": max_memory_mb})
    timed_out = threading.Event()

    def kill_kernel():
        timed_out.set()
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)

    watchdog = threading.Timer(timeout, kill_kernel)
    watchdog.daemon = True
    watchdog.start()
    cwd = str(Path(cwd or notebook.parent).resolve())
    try:  # the kernel is told its cwd (nbclient: resources' path), not only papermill's process
        run = functools.partial(
            pm.execute_notebook, str(notebook), str(tmp), parameters=parameters,
            kernel_name=batch_kernel_name(fork), language="python", progress_bar=False,
            log_output=False, request_save_on_cell_execute=False, cwd=cwd,
            resources={"metadata": {"path": cwd}}, execution_timeout=timeout, start_timeout=120,
            kernel_manager_class=km, extra_arguments=["--HistoryManager.enabled=False"],
            shutdown_kernel="immediate")
        _started_again(run, notebook.name, timed_out)
    except Exception:
        if timed_out.is_set():
            raise TimeoutError(f"timed out after {timeout} s") from None
        raise
    finally:
        watchdog.cancel()
        if tmp.exists() and tmp.stat().st_size:
            os.replace(tmp, output)
        else:
            tmp.unlink(missing_ok=True)
    return output
