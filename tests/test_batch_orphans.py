"""No orphans (issue 10): a batch killed with SIGKILL — its whole process group, while kernels
are running — leaves no process of it alive, and the next run removes what the killed one left
in the temp folder (the zygote's socket folder).

The batch runs in a session of its own with a unique token in its environment, which every
process it starts inherits (pool workers, the zygote, kernels — forked ones show the zygote's
environment in /proc, which carries it too), so its processes can be found however they detach.
The batch gets a private TMPDIR, so that other batches on the machine do not disturb the count.
Waits are polls with a bounded deadline.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
TOKEN_VAR = "NIANBAO_ORPHAN_TEST_TOKEN"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]


def _processes(token: str) -> list[psutil.Process]:
    """Live (not zombie) processes whose environment carries ``token``."""
    found = []
    needle = f"{TOKEN_VAR}={token}"
    for p in psutil.process_iter(["pid", "status"]):
        if p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                env = f.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if needle in env:
            found.append(p)
    return found


def _poll(predicate, deadline: float, step: float = 0.05):
    """``predicate()`` until it is truthy or ``deadline`` (monotonic) passes; its last value."""
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def _describe(procs) -> str:
    out = []
    for p in procs:
        try:
            out.append(f"{p.pid} {' '.join(p.cmdline())[:120]}")
        except psutil.Error:
            pass
    return "; ".join(out)


@pytest.mark.parametrize("fork, group", [(True, True), (False, True), (True, False)],
                         ids=["forked-kernels", "no-fork", "forked-kernels-batch-only"])
def test_sigkill_of_the_process_group_leaves_no_orphan_and_rerun_cleans(tmp_path, fork, group):
    """``group``: kill -9 of the batch's whole process group (the batch, its workers and its
    zygote at once); else of the batch process alone (its children must follow it)."""
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
    if len(samples) < 3:
        pytest.skip("needs the samples in data/samples")
    inp, out, tmp = tmp_path / "in", tmp_path / "out", tmp_path / "tmp"
    inp.mkdir()
    tmp.mkdir()
    for p in samples[:4]:
        shutil.copy2(p, inp / p.name)
    token = uuid.uuid4().hex
    env = {**os.environ, TOKEN_VAR: token, "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "nianbao", "batch", str(inp), "--out", str(out), "--jobs", "2",
           "--no-progress", "--no-overview", *([] if fork else ["--no-fork"])]
    batch = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        # kernels (forked or not) are in sessions of their own: wait until one is running
        def kernels():
            return [p for p in _processes(token) if p.pid != batch.pid
                    and _sid(p.pid) == p.pid]

        running = _poll(kernels, time.monotonic() + 240)
        assert running, "no kernel started within 240 s"
        assert batch.poll() is None, "the batch ended before it could be killed mid-run"
        if group:
            os.killpg(batch.pid, signal.SIGKILL)
        else:
            os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=30)
        gone = _poll(lambda: not _processes(token), time.monotonic() + 20)
        assert gone, f"alive after kill -9 of the batch ({'group' if group else 'alone'}): " \
                     f"{_describe(_processes(token))}"
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
            batch.wait()
        for p in _processes(token):  # do not leave them to the next test if it failed
            try:
                p.kill()
            except psutil.Error:
                pass

    # the next run (a new token: its own processes are not the killed one's) starts, cleans what
    # the killed one left in the temp folder, and finishes the reports
    env[TOKEN_VAR] = uuid.uuid4().hex
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    leftovers = sorted(p.name for p in tmp.iterdir() if p.name.startswith("nianbao-"))
    assert leftovers == []
    assert _poll(lambda: not _processes(env[TOKEN_VAR]), time.monotonic() + 20), \
        _describe(_processes(env[TOKEN_VAR]))


def _sid(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


# ---------------------------------------------------------------- the parts, fast


def test_a_child_started_with_the_lifeline_dies_with_its_parent():
    """``lifeline.preexec``: a child (here ``sleep``) of a process killed with SIGKILL is killed
    too, though it is in a session of its own (as kernels are)."""
    code = ("import subprocess, sys, time\n"
            "from nianbao.batch.lifeline import preexec\n"
            "p = subprocess.Popen(['sleep', '60'], preexec_fn=preexec(), start_new_session=True)\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        assert psutil.pid_exists(child)
        parent.kill()
        parent.wait()

        def gone():
            try:
                return psutil.Process(child).status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                return True

        assert _poll(gone, time.monotonic() + 10)
    finally:
        if not _poll(lambda: not psutil.pid_exists(child), time.monotonic()):
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                pass


def test_stale_zygote_folders_are_removed_only_when_their_owner_is_dead(tmp_path):
    from nianbao.batch import zygote

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid nobody has (until reused, which the next lines would notice)
    gone = tmp_path / f"nianbao-zygote-{dead.pid}-abc123"
    mine = tmp_path / f"nianbao-zygote-{os.getpid()}-def456"
    other = tmp_path / "nianbao-zygote-x7y8"  # an older version's name: no listener, no socket
    for d in (gone, mine, other):
        d.mkdir()
    (gone / "sock").write_bytes(b"")
    removed = zygote.remove_stale_folders(str(tmp_path))
    assert removed == [str(gone)] and not gone.exists() and mine.is_dir() and other.is_dir()
