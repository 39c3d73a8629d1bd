"""Start fresh kernels by forking a process that has already imported the heavy modules.

Why: the batch gives every report its own new kernel (no state can pass from one report to the
next), but most of a new kernel's start-up is importing the same modules again — ipykernel,
IPython, pandas, matplotlib, nianbao's readers/parser/rules/views — about two seconds per report
on the project's machine. A *zygote* process imports them once, never runs notebook code, and
forks one child per kernel. The child is a new process with its own memory and its own kernel;
it merely starts with those modules already loaded (copy-on-write), as if it had imported them.

The batch starts one zygote for the whole run (a worker on another machine starts its own); it
listens on a Unix socket in a private temp folder, and forks a kernel for each request line
(argv, env, cwd), answering its pid. It ignores Ctrl-C and exits when its stdin closes (its owner
is gone) or, on Linux, the moment its owner dies; its kernels die with it (``lifeline``: a
parent-death signal, and ipykernel's poll of its parent where there is none). It ignores
SIGCHLD, so finished kernels are reaped by the system; a kernel restores the default handling so
that the notebook's own subprocesses work normally.

On the jupyter_client side, ``ForkedProvisioner`` is a kernel provisioner (jupyter_client's
documented extension point, registered in pyproject.toml) whose launch asks the zygote instead of
``subprocess.Popen``; everything else (signals to the process group, kill,
polling) works on the pid. Where ``fork`` is missing, or the command is not an ipykernel launch,
the provisioner falls back to the normal launch.
"""
from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading

from ..limits import address_space_limit
from . import lifeline
from .kernels import KERNEL_ENV, ProjectProvisioner
from .lifeline import die_with_parent

#: Imported once by the zygote: what a kernel running the audit notebook imports anyway. The
#: zygote also registers the rules and draws one throw-away chart (font parsing, Agg set-up):
#: process-wide caches that every kernel would otherwise rebuild; no report data is involved.
#: ``ipykernel.debugger`` (debugpy, ~0.13 s) and ``psutil``/``pdb`` are imported by every
#: kernel's start-up; the readers of each format, their libraries and the prose checks' helpers
#: by the notebook's first cells (measured with ``sys.modules`` before and after a kernel ran).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "psutil", "pdb",
           "IPython", "numpy", "pandas",
           "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib_inline",
           "nianbao.workbook", "nianbao.workbook.views", "nianbao.engine", "nianbao.parsing",
           "nianbao.readers",
           "nianbao.readers.dispatch", "nianbao.readers.text", "nianbao.readers.encoding",
           "nianbao.readers.html", "nianbao.readers.mhtml", "nianbao.readers.script",
           "nianbao.readers.docx", "nianbao.readers.pdf", "pdfplumber", "docx",
           "charset_normalizer", "opencc", "ahocorasick", "nianbao.atomic", "nianbao.batch.kernels",
           "nianbao.prose.typos", "nianbao.prose.places", "nianbao.workbook.overview", "nianbao.rules")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets
_FOLDER_PREFIX = "nianbao-zygote-"


# ---------------------------------------------------------------- the zygote process


def _preload() -> None:
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  (a module that fails here fails in the kernel, visibly)
            pass
    try:
        from nianbao.rules import load_all

        load_all()
        # static lookup tables the prose checks build on first use (package data only)
        from nianbao.prose import places, typos

        typos._t2s()
        places._automaton()
        # the first chart of a process parses the CJK font and sets up Agg: do it once here
        from nianbao.workbook.charts import bar_chart

        bar_chart(["预热", "字体"], [1, 2], "预热")
    except Exception:  # noqa: BLE001
        pass


def _child(req: dict, zygote_pid: int) -> None:
    """In the forked child: become the kernel described by ``req``; die with the zygote."""
    die_with_parent(zygote_pid)  # it leaves the process group below: a group kill misses it
    limit = address_space_limit(req.get("max_memory_mb"))
    if limit is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, limit)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # its own process group: interrupts and kills reach it and its children only
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ["JPY_PARENT_PID"] = str(zygote_pid)
    if req.get("cwd"):
        os.chdir(req["cwd"])
    # ipykernel read JPY_PARENT_PID when the zygote imported it: name the parent it must poll
    # (it exits when the zygote is gone; the parent-death signal does it sooner, where it exists)
    sys.argv = ["ipykernel_launcher", *req["args"], f"--IPKernelApp.parent_handle={zygote_pid}"]
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path.pop(0)  # as ipykernel_launcher does
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def _serve(listener: socket.socket) -> None:
    """Fork one kernel per request line from any connected client, until stdin closes."""
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    buffers: dict[socket.socket, bytes] = {}
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                if not sys.stdin.buffer.read1(4096):
                    return  # the owner is gone
            elif key.data == "accept":
                conn, _ = listener.accept()
                buffers[conn] = b""
                sel.register(conn, selectors.EVENT_READ, "client")
            else:
                conn = key.fileobj
                chunk = conn.recv(65536)
                if not chunk:
                    sel.unregister(conn)
                    buffers.pop(conn, None)
                    conn.close()
                    continue
                buffers[conn] += chunk
                while b"\n" in buffers[conn]:
                    line, buffers[conn] = buffers[conn].split(b"\n", 1)
                    req = json.loads(line)
                    me = os.getpid()
                    pid = os.fork()
                    if pid == 0:
                        try:
                            for sock in (listener, *buffers):  # the kernel needs none of ours
                                sock.close()
                            _child(req, me)
                        finally:
                            os._exit(0)
                    conn.sendall(f"{pid}\n".encode())


def main() -> None:
    """``python -m nianbao.batch.zygote SOCKET``: preload, listen, fork kernels on request."""
    path = sys.argv[1]
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the batch; we end on EOF
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = f"{path}~"  # the folder is this zygote's own
    listener.bind(tmp)
    listener.listen(64)
    os.replace(tmp, path)  # appears only once it accepts
    try:
        _serve(listener)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        if os.path.basename(os.path.dirname(path)).startswith(_FOLDER_PREFIX):
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
    # nothing to save or flush (it never ran notebook code): skip the interpreter's teardown of
    # the preloaded stack, which took ~0.3 s that the batch spent waiting for it at the end
    os._exit(0)


# ---------------------------------------------------------------- the client side (the worker)


def start_zygote() -> tuple[subprocess.Popen, str]:
    """Start a zygote (it preloads in the background); returns it and its socket path. It lives
    until its stdin is closed — by ``stop_zygote`` or by the death of this process — and, on
    Linux, dies with this process at once. Its socket folder is named with this process's pid;
    the folders of zygotes whose owner died without removing them are removed first."""
    remove_stale_folders()
    folder = tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-")
    # short names: a Unix socket's whole path must fit in 107 bytes, and TMPDIR may be deep
    path = os.path.join(folder, "s")
    # its kernels may be capped in address space: the settings that keep their virtual size
    # small must be there before the zygote loads numpy and starts its threads
    env = {**KERNEL_ENV, **os.environ,
           "MPLBACKEND": os.environ.get("MPLBACKEND", INLINE_BACKEND)}
    # the parent-death signal is tied to the thread that starts the child: only from the main
    # thread, which lives as long as the process (a worker's thread may end before its zygote)
    tied = threading.current_thread() is threading.main_thread()
    proc = subprocess.Popen([sys.executable, "-m", "nianbao.batch.zygote", path],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env,
                            preexec_fn=lifeline.preexec() if tied else None)
    return proc, path


def remove_stale_folders(tmp: str | None = None) -> list[str]:
    """Remove the socket folders of zygotes whose owner died without removing them (a batch
    killed with SIGKILL, which its zygote cannot outlive to clean up); returns them. A folder
    of an older version (no pid in its name, the socket ``sock``) goes when nobody listens on
    its socket."""
    return lifeline.remove_orphaned_folders(
        _FOLDER_PREFIX, tmp, legacy=lambda folder: lifeline.refused(os.path.join(folder, "sock")))


def stop_zygote(proc: subprocess.Popen, path: str) -> None:
    with contextlib.suppress(OSError):
        proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(os.path.dirname(path), ignore_errors=True)


class Zygote:
    """A connection to a zygote: the batch's shared one (``address``), or one of our own."""

    def __init__(self, address: str | None = None):
        self.own = None
        if address is None:
            self.own = start_zygote()
            address = self.own[1]
            atexit.register(self.close)
        self.address = address
        self.sock: socket.socket | None = None
        self.lock = threading.Lock()

    def _connect(self, timeout: float = 300) -> socket.socket:
        """Wait for the zygote to finish preloading (its socket appears) and connect."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self.address)
                return sock
            except OSError:
                sock.close()
                if (self.own and self.own[0].poll() is not None) or time.monotonic() > deadline:
                    raise OSError("the kernel zygote did not start") from None
                time.sleep(0.05)

    def spawn(self, args: list[str], env: dict, cwd: str | None, max_memory_mb: int = 0) -> int:
        with self.lock:
            if self.sock is None:
                self.sock = self._connect()
            req = {"args": args, "env": env, "cwd": cwd, "max_memory_mb": max_memory_mb}
            self.sock.sendall((json.dumps(req) + "\n").encode())
            line = b""
            while not line.endswith(b"\n"):
                chunk = self.sock.recv(64)
                if not chunk:
                    self.sock = None
                    raise OSError("the kernel zygote did not answer")
                line += chunk
        return int(line)

    def close(self) -> None:
        """Drop the connection; stop the zygote if it is ours."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.own:
            stop_zygote(*self.own)

    def alive(self) -> bool:
        if self.own is None:
            return os.path.exists(self.address)  # the batch's zygote removes it when it ends
        return self.own[0].poll() is None


_ZYGOTE: Zygote | None = None
_ADDRESS: str | None = None
_LOCK = threading.Lock()


def use_zygote(address: str | None) -> None:
    """Make this process fork its kernels from the zygote at ``address`` (None: its own)."""
    global _ADDRESS, _ZYGOTE
    with _LOCK:
        if address != _ADDRESS:
            if _ZYGOTE is not None:
                _ZYGOTE.close()
            _ADDRESS, _ZYGOTE = address, None


def zygote() -> Zygote | None:
    """This process's zygote connection, made on first use (None where fork is unavailable)."""
    global _ZYGOTE
    if not hasattr(os, "fork"):
        return None
    with _LOCK:
        if _ZYGOTE is None or not _ZYGOTE.alive():
            if _ZYGOTE is not None:
                _ZYGOTE.close()
            _ZYGOTE = Zygote(_ADDRESS)
        return _ZYGOTE


class ForkedProcess:
    """The ``Popen`` surface jupyter_client uses, for a kernel forked by the zygote (not our
    child: it is reaped by the system, so liveness is checked with signal 0)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # the pid was reused by someone else's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(ProjectProvisioner):
    """The batch's provisioner (registered as ``nianbao-zygote`` under jupyter_client's
    ``jupyter_client.kernel_provisioners`` entry point, named by the kernelspec that
    ``kernels.batch_kernel_name(fork=True)`` writes): launches ipykernel through the zygote."""

    async def launch(self, cmd: list[str], **kwargs):
        ours = cmd[:1] == [sys.executable] and cmd[1:3] == ["-m", "ipykernel_launcher"]
        zyg = zygote() if ours else None
        if zyg is None:
            return await super().launch(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = kwargs.get("cwd")
        pid = zyg.spawn(cmd[3:], env, str(cwd) if cwd else None, self.max_memory_mb)
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid  # the child called setsid()
        self.cwd = cwd
        return self.connection_info


if __name__ == "__main__":
    main()
