"""The batch on Dask: the same code path through ``concurrent.futures`` (the client's
executor), on a LocalCluster of two worker processes, and on a cluster of a scheduler and two
workers started apart, each in its own empty folder (the tasks carry their files and their
report's review decisions, the workers hand their outputs back, the client writes the batch
folder)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch import (hashes, make_inputs, manifest, notebook_args, real_notebook_ready,
                        run_cli)

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


def _can_hide_folders() -> bool:
    """Whether this machine lets a process have a mount namespace of its own (unprivileged
    user namespaces), in which a tmpfs hides a folder from it."""
    try:
        return subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _without(folders: list[Path], cmd: list[str]) -> list[str]:
    """``cmd`` run where each of ``folders`` looks empty (a tmpfs over it, in a mount namespace
    of its own), as on a machine that does not have the client's disk."""
    mounts = " && ".join(f'mount -t tmpfs nianbao-hidden "${{{i}}}"'
                         for i in range(1, len(folders) + 1))
    return ["unshare", "-rm", "sh", "-c", f'{mounts} && shift {len(folders)} && exec "$@"',
            "sh", *map(str, folders), *cmd]


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes started on their own (127.0.0.1
    only), each worker in an empty working directory of its own with a temp folder of its own:
    they share nothing with the batch but the network (and the installed nianbao). Where the
    machine allows it, the batch's input and output folders (``tmp_path/in``, ``tmp_path/out``)
    are hidden from the workers too, so that reading one of the client's files fails there."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")  # the CLI of the installed dask
    procs, dirs = [], []
    hidden = [tmp_path / "in", tmp_path / "out"]
    for folder in hidden:
        folder.mkdir()
    hide = _can_hide_folders()

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
        cmd = [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
               "--nworkers", "1", "--no-dashboard",
               "--local-directory", str(tmp_path / f"w{i}-tmp")]
        dirs.append(start(_without(hidden, cmd) if hide else cmd, f"w{i}"))
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
    _nothing_left_on_workers(workers)
    assert hashes(inp) == before
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    assert "index.html" in {p.name for p in out.iterdir()}

    # a decision recorded on the client (review.csv, on its disk only): the re-run page made by
    # a worker shows it, as a local pool's would
    assert real_notebook_ready(), "the review cell is the real audit notebook's"
    reviewed = next(n for n in good if m[n]["status"] == "findings")
    others = [n for n in good if n != reviewed]
    decision = _dismiss_first_finding(out, m[reviewed])
    proc, _ = run_cli(inp, "--out", out, "--executor", "dask", "--scheduler", address,
                      "--no-progress", "--no-overview")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    m2 = manifest(out)
    assert not m2[reviewed]["skipped"] and m2[reviewed]["review"]  # its decisions changed
    assert all(m2[n]["skipped"] and m2[n]["review"] is None for n in others)
    nb = json.loads((out / m2[reviewed]["outputs"]["ipynb"]).read_text(encoding="utf-8"))
    used = nb["metadata"]["nianbao"]["parameters"]["review_path"]
    _page_shows(out / m2[reviewed]["outputs"]["html"], decision, used)
    # read from the task's copy in the worker's scratch folder, not from the client's file
    # (which the workers may still see where the machine cannot hide the batch's folder)
    assert any(used.startswith(t) for t in worker_tmps) and not used.startswith(str(out)), used
    _nothing_left_on_workers(workers)
    # the digest the page was made with is the one the next run plans with: nothing to redo
    proc, _ = run_cli(inp, "--out", out, "--executor", "dask", "--scheduler", address,
                      "--no-progress", "--no-overview")
    assert all(manifest(out)[n]["skipped"] for n in good), proc.stdout + proc.stderr


def _nothing_left_on_workers(workers) -> None:
    for cwd, tmp in workers:  # nothing written where a worker runs, its scratch cleaned up
        assert list(cwd.iterdir()) == []
        assert not list(tmp.glob("nianbao-report-*"))


def _dismiss_first_finding(out: Path, rec: dict):
    """Dismiss finding 1 of a report in the batch's review.csv, as ``nb.decide`` does."""
    from nianbao.review import ReviewStore, record, review_path_for

    result = json.loads((out / rec["outputs"]["json"]).read_text(encoding="utf-8"))
    store = ReviewStore.load(review_path_for(out))
    (decision,) = record(store, result, {1: ("dismissed", "合成用例：不是问题", "测试员甲")})
    store.save()
    return decision


def _page_shows(page: Path, decision, review_path: str) -> None:
    """The page's review cell (审核结论) read ``review_path`` and lists the decision, with its
    reason and reviewer, on finding 1."""
    from lxml import html as lhtml

    doc = lhtml.fromstring(page.read_text(encoding="utf-8"))
    (note,) = doc.xpath("//p[@class='nb-note'][contains(., '审核记录')]/code")
    assert note.text_content() == review_path
    (table,) = doc.xpath("//table[contains(@class,'nb-review')]")
    first = table.xpath(".//tbody/tr")[0]
    assert first.xpath(".//span[@data-review]/@data-review") == ["dismissed"]
    assert decision.reason in first.text_content() and decision.reviewer in first.text_content()
    assert [s.get("data-review") for s in table.xpath(".//span[@data-review]")].count(
        "dismissed") == 1
    assert decision.rule in first.text_content()
