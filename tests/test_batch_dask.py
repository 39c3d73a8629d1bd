"""The batch on Dask: the same code path through ``concurrent.futures`` (the client's
executor), on a LocalCluster of two worker processes."""
from __future__ import annotations

import json

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
