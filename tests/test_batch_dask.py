"""The batch on Dask: the same code path through ``concurrent.futures`` (the client's
executor), on a LocalCluster of two worker processes, and on a cluster of a scheduler and two
workers started apart, each in its own empty folder (the tasks carry their files, the workers
hand their outputs back, the client writes the batch folder)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch import hashes, make_inputs, manifest, notebook_args, run_cli

pytest.importorskip("dask.distributed")
pytestmark = pytest.mark.slow


def test_dask_local_cluster(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    good = make_inputs(inp, n_good=1, hostile=False, garbage=False)
    (inp / "broken.pdf").write_bytes(b"not a pdf at all")
    before = hashes(inp)
    proc, _ = run_cli(inp, "--out", out, "--executor", "dask", "--jobs", 2, "--no-progress",
                      "--no-overview", *notebook_args(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    m = manifest(out)
    assert m[good[0]]["status"] in ("ok", "findings")
    assert (out / m[good[0]]["outputs"]["html"]).is_file()
    assert m["broken.pdf"]["status"] == "failed" and "broken.pdf" in m["broken.pdf"]["error"]
    run = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run"]
    assert run["executor"] == "dask"
    assert hashes(inp) == before
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]


# ---------------------------------------------------------------- a real cluster, no shared disk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes started on their own (127.0.0.1
    only), each worker in an empty working directory of its own with a temp folder of its own:
    they share nothing with the batch but the network (and the installed nianbao)."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")  # the CLI of the installed dask
    procs, dirs = [], []

    def start(cmd, name):
        cwd, tmp = tmp_path / name, tmp_path / f"{name}-tmp"
        cwd.mkdir()
        tmp.mkdir()
        log = open(tmp_path / f"{name}.log", "wb")
        procs.append(subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "TMPDIR": str(tmp)}))
        return cwd, tmp

    start([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
          "scheduler")
    for i in range(2):
        dirs.append(start([dask, "worker", address,
                           "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                           "--no-dashboard", "--local-directory", str(tmp_path / f"w{i}-tmp")],
                          f"w{i}"))
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, dirs
    finally:
        for p in reversed(procs):  # only the processes this fixture started
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_dask_cluster_without_shared_disk(tmp_path, cluster):
    address, workers = cluster
    inp, out = tmp_path / "in", tmp_path / "out"
    good = make_inputs(inp, n_good=2, hostile=False, garbage=False)
    (inp / "broken.pdf").write_bytes(b"not a pdf at all")
    before = hashes(inp)
    proc, _ = run_cli(inp, "--out", out, "--executor", "dask", "--scheduler", address,
                      "--no-progress", "--no-overview", *notebook_args(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    m = manifest(out)
    assert m["broken.pdf"]["status"] == "failed" and "broken.pdf" in m["broken.pdf"]["error"]
    assert (out / m["broken.pdf"]["outputs"]["html"]).is_file()
    worker_tmps = [str(tmp) for _, tmp in workers]
    for name in good:
        rec = m[name]
        assert rec["status"] in ("ok", "findings"), rec
        assert rec["input"] == str(inp / name) and rec["sha256"] == before[name]
        assert set(rec["outputs"]) == {"ipynb", "html", "json"}
        result = json.loads((out / rec["outputs"]["json"]).read_text(encoding="utf-8"))
        assert result["summary"] == rec["summary"]
        page = (out / rec["outputs"]["html"]).read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html")
        nb = json.loads((out / rec["outputs"]["ipynb"]).read_text(encoding="utf-8"))
        # the worker audited its own copy of the input, in a scratch folder of its own
        used = nb["metadata"]["nianbao"]["parameters"]["report_path"]
        assert any(used.startswith(t) for t in worker_tmps), used
        assert not used.startswith(str(inp)) and used.endswith(name)
        assert nb["metadata"]["nianbao"]["input_sha256"] == before[name]
    for cwd, tmp in workers:  # nothing written where a worker runs, its scratch cleaned up
        assert list(cwd.iterdir()) == []
        assert not list(tmp.glob("nianbao-report-*"))
    assert hashes(inp) == before
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    assert "index.html" in {p.name for p in out.iterdir()}
