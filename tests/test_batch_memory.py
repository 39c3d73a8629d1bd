"""Memory bounded per report (issue 10): the batch caps each kernel's address space
(``--max-memory``, else ``limits.max_memory_mb``); a report whose audit goes past it is recorded
as failed with ``failure: memory``, and the other reports of the batch go on.

A stand-in notebook with the audit notebook's parameters tells the reports apart by name: for
``bomb`` it asks for 3 GB (past a 1,500 MB ceiling), for the others it records the ceiling it
runs under and writes a result like the real notebook's.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"

pytestmark = pytest.mark.slow


def _notebook(path: Path) -> Path:
    import nbformat

    params = nbformat.v4.new_code_cell(
        'report_path = ""\npublished = ""\nconfig_path = ""\nresult_path = ""')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell('''import json, resource, nianbao
print("RLIMIT_AS", resource.getrlimit(resource.RLIMIT_AS)[0])
if "bomb" in report_path:
    hog = bytearray(3 * 2**30)
doc = nianbao.read(report_path)
json.dump({"source": {"path": report_path, "format": doc.format}, "report": {},
           "findings": [], "summary": {"error": 0, "warning": 0, "info": 0}},
          open(result_path, "w", encoding="utf-8"))''')
    nbformat.write(nbformat.v4.new_notebook(cells=[params, body]), str(path))
    return path


@pytest.mark.parametrize("fork", [True, False], ids=["forked-kernels", "no-fork"])
def test_a_report_past_the_memory_ceiling_is_recorded_and_the_batch_goes_on(tmp_path, fork):
    sample = SAMPLES / "lanxi-market-2023.txt"
    if not sample.is_file():
        pytest.skip("needs data/samples")
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    shutil.copy2(sample, inp / "a-ok.txt")
    shutil.copy2(sample, inp / "bomb.txt")
    proc = subprocess.run(
        [sys.executable, "-m", "nianbao", "batch", str(inp), "--out", str(out), "--jobs", "1",
         "--no-progress", "--no-overview", "--max-memory", "1500",
         "--notebook", str(_notebook(tmp_path / "nb.ipynb")), *([] if fork else ["--no-fork"])],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recs = {r["file"]: r for r in data["reports"]}
    assert recs["bomb.txt"]["status"] == "failed" and recs["bomb.txt"]["failure"] == "memory"
    assert "MemoryError" in recs["bomb.txt"]["error"]
    assert recs["a-ok.txt"]["status"] == "ok", recs["a-ok.txt"]
    assert data["run"]["config"]["limits"]["max_memory_mb"] == 1500  # the effective config
    # the report that passed ran under the ceiling too
    nb = json.loads((out / recs["a-ok.txt"]["outputs"]["ipynb"]).read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert f"RLIMIT_AS {1500 * 2**20}" in printed
