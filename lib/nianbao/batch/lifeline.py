"""Processes of a batch die with the process that started them, however it ends.

Why: a batch is a tree — the batch process, its pool workers and the kernel zygote, the kernels
the zygote forks or a worker starts. Kernels leave the batch's process group (``setsid``: an
interrupt or a kill meant for a kernel must reach it and its children only), so a ``kill -9`` of
the group, or of the batch alone, used to leave them running for ever. Each child therefore asks
the kernel (Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to be killed when its parent dies, then
checks that its parent is still the one it had (the parent may have died before the request).

``PR_SET_PDEATHSIG`` fires when the *thread* that forked the child ends, not the process: a
child started from a short-lived thread would be killed with that thread. The callers here start
their children from threads that outlive them (the batch's main thread, a worker's thread that
runs the notebook, the zygote's only thread). Elsewhere (no ``prctl``) this does nothing: the
zygote still ends when its stdin closes and its kernels poll for their parent (ipykernel's
``parent_handle``).
"""
from __future__ import annotations

import functools
import os
import signal
import sys

from ..limits import address_space_limit

PR_SET_PDEATHSIG = 1  # <sys/prctl.h>


def _prctl():
    """libc's ``prctl``, resolved once (None where there is none: not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.prctl
        fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                       ctypes.c_ulong]
        fn.restype = ctypes.c_int
        return fn
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def die_with_parent(parent: int) -> None:
    """Call in a child, first thing: be killed (SIGKILL) when the parent thread that started it
    ends; exit now if ``parent`` is already gone (the child was reparented before the request)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def preexec(max_memory_mb: int | None = None):
    """A ``preexec_fn`` for ``subprocess.Popen`` (run in the child between fork and exec): the
    child dies with this process (the parent death signal survives ``exec``) and, with
    ``max_memory_mb``, has its address space capped. Everything it needs is resolved here, in
    the parent, so that the child only makes system calls."""
    parent = os.getpid()
    limit = address_space_limit(max_memory_mb)
    cap = None
    if limit is not None:
        import resource

        cap = functools.partial(resource.setrlimit, resource.RLIMIT_AS, limit)

    def child() -> None:
        die_with_parent(parent)
        if cap is not None:
            cap()

    return child


# ---------------------------------------------------------------- what a killed run left


def remove_orphaned_folders(prefix: str, tmp: str | None = None, legacy=None) -> list[str]:
    """Remove this user's folders ``<tmp>/<prefix><pid>-<random>`` whose owner ``pid`` is dead
    (a pid reused since by a live process keeps its folder until a later run); ``legacy(path)``
    decides for folders with the prefix but no pid. Returns the folders removed."""
    import re
    import shutil
    import tempfile

    tmp = tmp or tempfile.gettempdir()
    try:
        entries = list(os.scandir(tmp))
    except OSError:
        return []
    removed = []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) \
                    or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        m = re.fullmatch(re.escape(prefix) + r"(\d+)-\w+", entry.name)
        stale = _dead(int(m.group(1))) if m else bool(legacy and legacy(entry.path))
        if not stale:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.path)
    return removed


def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # someone else's process: alive
        pass
    return False


def refused(path: str) -> bool:
    """A Unix socket file that nobody listens on (a missing one is not: its owner may still be
    starting)."""
    import socket

    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)  # a full backlog would block a connect
        try:
            sock.connect(path)
        except ConnectionRefusedError:
            return True
        except OSError:
            return False
    return False
