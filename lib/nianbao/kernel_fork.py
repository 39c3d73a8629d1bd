"""Start fresh kernels by forking a process that has already imported the heavy modules.

Why: the batch gives every report its own new kernel (no state can pass from one report to the
next), but most of a new kernel's start-up is importing the same modules again — ipykernel,
IPython, pandas, matplotlib, nianbao's readers/parser/rules/views — about two seconds per report
on the project's machine. A *zygote* process imports them once, never runs notebook code, and
forks one child per kernel. The child is a new process with its own memory and its own kernel;
it merely starts with those modules already loaded (copy-on-write), as if it had imported them.

The zygote is the child of one batch worker and lives as long as it: it reads one JSON request
per line on stdin (argv, env, cwd), forks, and answers the kernel's pid on stdout; it ignores
Ctrl-C and exits on end of input (its worker is gone), and its kernels (ipykernel polls its
parent, ``JPY_PARENT_PID``) exit with it. It ignores SIGCHLD, so
finished kernels are reaped by the system; a kernel restores the default SIGCHLD handling so
that the notebook's own subprocesses work normally.

On the jupyter_client side, ``ForkedProvisioner`` is a ``LocalProvisioner`` whose launch asks the
zygote instead of ``subprocess.Popen``; everything else (signals to the process group, kill,
polling) works on the pid. Where ``fork`` is missing, or the command is not an ipykernel launch,
the provisioner falls back to the normal launch.
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading

from jupyter_client.provisioning import LocalProvisioner

#: Imported once by the zygote: what a kernel running the audit notebook imports anyway. The
#: zygote also registers the rules and draws one throw-away chart (font parsing, Agg set-up):
#: process-wide caches that every kernel would otherwise rebuild; no report data is involved.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "numpy", "pandas",
           "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib_inline",
           "nianbao.views", "nianbao.audit", "nianbao.parse", "nianbao.readers",
           "nianbao.overview", "nianbao.rules")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets


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
        # the first chart of a process parses the CJK font and sets up Agg: do it once here
        from nianbao.charts import bar_chart

        bar_chart(["预热", "字体"], [1, 2], "预热")
    except Exception:  # noqa: BLE001
        pass


def _child(req: dict) -> None:
    """In the forked child: become the kernel described by ``req``."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # its own process group: interrupts and kills reach it and its children only
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel exits when the zygote is gone
    if req.get("cwd"):
        os.chdir(req["cwd"])
    sys.argv = ["ipykernel_launcher", *req["args"]]
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path.pop(0)  # as ipykernel_launcher does
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main() -> None:
    """``python -m nianbao.kernel_fork``: preload, say ready, then fork one kernel per line."""
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the batch; we end on EOF
    out = os.fdopen(os.dup(1), "w")
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                _child(req)
            finally:
                os._exit(0)
        out.write(f"{pid}\n")
        out.flush()


# ---------------------------------------------------------------- the client side (the worker)


class Zygote:
    """The worker's handle on its zygote process (one per worker, started on first use)."""

    def __init__(self):
        env = {**os.environ, "MPLBACKEND": os.environ.get("MPLBACKEND", INLINE_BACKEND)}
        self.proc = subprocess.Popen([sys.executable, "-m", "nianbao.kernel_fork"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True, env=env)
        self.lock = threading.Lock()
        self.ready = False  # it preloads while the worker does other things

    def spawn(self, args: list[str], env: dict, cwd: str | None) -> int:
        with self.lock:
            if not self.ready:
                if self.proc.stdout.readline().strip() != "ready":
                    raise OSError("the kernel zygote did not start")
                self.ready = True
            self.proc.stdin.write(json.dumps({"args": args, "env": env, "cwd": cwd}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            raise OSError("the kernel zygote did not answer")
        return int(line)

    def alive(self) -> bool:
        return self.proc.poll() is None


_ZYGOTE: Zygote | None = None
_LOCK = threading.Lock()


def zygote() -> Zygote | None:
    """This process's zygote, started on first use (None where fork is unavailable)."""
    global _ZYGOTE
    if not hasattr(os, "fork"):
        return None
    with _LOCK:
        if _ZYGOTE is None or not _ZYGOTE.alive():
            _ZYGOTE = Zygote()
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


class ForkedProvisioner(LocalProvisioner):
    """``LocalProvisioner`` launching ipykernel through the zygote."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        ours = cmd[:1] == [sys.executable] and cmd[1:3] == ["-m", "ipykernel_launcher"]
        zyg = zygote() if ours else None
        if zyg is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = kwargs.get("cwd")
        pid = zyg.spawn(cmd[3:], env, str(cwd) if cwd else None)
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid  # the child called setsid()
        self.cwd = cwd
        return self.connection_info


if __name__ == "__main__":
    main()
