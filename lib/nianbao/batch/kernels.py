"""Which Jupyter kernel runs the notebooks, and running a notebook with papermill.

The notebooks must execute in THIS interpreter (the one with nianbao installed). The stock
``python3`` kernelspec does not guarantee that: it starts whatever ``python`` the kernelspec
search finds first, and a user-level ``python3`` spec (``~/.local/share/jupyter``) shadows the
venv's. So ``kernel_name()`` writes a kernelspec whose argv names ``sys.executable`` explicitly,
under a name derived from that path, in the user's Jupyter data dir (no root needed); if that dir
is not writable it uses a temp dir and puts it on ``JUPYTER_PATH`` for this process and its
children. The spec is written with ``os.replace`` so parallel batch workers can race safely.

``execute_notebook`` is what both the tests and ``nianbao.batch`` call: papermill with that
kernel, the notebook's folder as working directory (so the default relative parameters work),
and the output notebook written atomically.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path



def _spec() -> dict:
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"nianbao ({Path(sys.prefix).name})", "language": "python",
            "metadata": {"debugger": True}}


def _write_spec(kernels_dir: Path, name: str) -> None:
    d = kernels_dir / name
    d.mkdir(parents=True, exist_ok=True)
    target = d / "kernel.json"
    spec = _spec()
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


def kernel_name() -> str:
    """Ensure a kernelspec that runs ``sys.executable`` exists; return its name."""
    from jupyter_core.paths import jupyter_data_dir

    name = "nianbao-" + hashlib.sha256(sys.executable.encode()).hexdigest()[:10]
    try:
        _write_spec(Path(jupyter_data_dir()) / "kernels", name)
    except OSError:
        base = Path(tempfile.gettempdir()) / f"nianbao-jupyter-{os.getuid()}"
        _write_spec(base / "kernels", name)
        paths = os.environ.get("JUPYTER_PATH", "")
        if str(base) not in paths.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(base), paths) if p)
    return name


def execute_notebook(notebook, output, parameters: dict, *, cwd=None,
                     timeout: int | None = 600) -> Path:
    """Run ``notebook`` with papermill into ``output`` (written atomically); return its path.

    ``parameters`` replace the notebook's ``parameters`` cell; give paths absolute, or relative
    to ``cwd`` (default: the notebook's folder). A failing cell raises papermill's
    ``PapermillExecutionError``; the partial output notebook is still written so the failure
    can be inspected and exported.
    """
    import papermill as pm

    notebook, output = Path(notebook), Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.stem}.", suffix=".ipynb")
    os.close(fd)
    try:
        pm.execute_notebook(str(notebook), tmp, parameters=parameters, kernel_name=kernel_name(),
                            cwd=str(cwd or notebook.parent), execution_timeout=timeout,
                            progress_bar=False, log_output=False)
    finally:
        if os.path.getsize(tmp):
            os.replace(tmp, output)
        else:
            os.unlink(tmp)
    return output


# ---------------------------------------------------------------- the batch's kernels


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
        fork: bool = False  # start the kernel from the preloaded zygote (nianbao.batch.zygote)

        async def _async_pre_start_kernel(self, **kw):
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            if self.fork:
                from .zygote import ForkedProvisioner

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

        from ..site import export

        export.warm_up()  # nbconvert, the template: built and compiled once per worker
        kernel_manager_class()
        from jupyter_client.kernelspec import KernelSpecManager


        KernelSpecManager().get_kernel_spec(kernel_name())  # jupyter paths, the kernelspec
    if fork:
        from .zygote import use_zygote, zygote

        use_zygote(zygote_address)
        zygote()


# ---------------------------------------------------------------- one report (in a worker)
