"""The batch, run for real: papermill executes the audit notebook per report, nbconvert exports
the pages, and the CLI writes the index, findings.csv and manifest.

One module-scoped run over a temp folder (the samples, or synthetic reports when there are none
yet, plus a hostile report and garbage) backs most assertions; reruns and the timeout have their
own runs. The helpers here are shared with test_batch_dask.py and test_browser.py.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import html
import html.parser
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nianbao import atomic, batch, batchfolder
from nianbao.site import findings_table


def escape(text: str) -> str:
    """Text as the pages escape it (Jinja's autoescape writes quotes as numeric references)."""
    from markupsafe import escape as _escape

    return str(_escape(text))

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
REAL_NOTEBOOK = ROOT / "notebooks" / "audit_report.ipynb"

pytestmark = pytest.mark.slow

HOSTILE = ('<script>alert(1)</script><img src=x onerror=alert(1)>'
           '<a href="javascript:alert(1)">javascript:alert(1)</a>"\'</td></tr>')
HOSTILE_AGENCY = f"青岚市{HOSTILE}局"
HOSTILE_FILE = "hostile \"<img src=x onerror=alert(2)>\".txt"  # file names reach the pages too


# ---------------------------------------------------------------- shared helpers


def stand_in_notebook(path: Path, sleep: float = 0) -> Path:
    """A minimal audit notebook with the real one's parameters, for use until (or besides)
    ``notebooks/audit_report.ipynb``: reads the report with nianbao (so garbage raises the real
    InputError), takes the agency from the title line, writes a result with one finding."""
    import nbformat

    params = nbformat.v4.new_code_cell(
        'report_path = ""\npublished = ""\nconfig_path = ""\nresult_path = ""')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(f'''import json, time, nianbao
time.sleep({sleep})
doc = nianbao.read(report_path)
title = doc.text.strip().splitlines()[0]
agency = title.split("20")[0]
res = {{"source": {{"path": report_path, "format": doc.format}},
       "report": {{"agency": agency, "year": 2023}},
       "findings": [{{"rule": "T3-R1", "severity": "error", "message": "表三不平：" + agency,
                     "location": {{"table": "table3", "row": "total_processed", "line": 3}},
                     "expected": 1, "actual": 2, "quote": title}}],
       "summary": {{"error": 1, "warning": 0, "info": 0}}}}
json.dump(res, open(result_path, "w", encoding="utf-8"), ensure_ascii=False)
print(agency)''')
    nb = nbformat.v4.new_notebook(cells=[params, body])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nbformat.write(nb, str(path))
    return path


def real_notebook_ready() -> bool:
    """The real audit notebook exists and the pipeline under it (the parser) is importable."""
    try:
        from nianbao.parsing import parse  # noqa: F401
    except ImportError:
        return False
    return REAL_NOTEBOOK.is_file()


def notebook_args(tmp: Path) -> list[str]:
    """The real notebook when it can run, else the stand-in (the batch code path is the same)."""
    if real_notebook_ready():
        return []
    return ["--notebook", str(stand_in_notebook(tmp / "stand_in.ipynb"))]


def hostile_text() -> str:
    import synth

    text = synth.render_text(synth.make_report(agency=HOSTILE_AGENCY, short="本局"))
    lines = text.splitlines()
    lines.insert(4, f"本局网站转载了题为“{HOSTILE}”的文章。")
    return "\n".join(lines) + "\n"


def make_inputs(folder: Path, n_good: int = 2, hostile: bool = True,
                garbage: bool = True) -> list[str]:
    """Fill ``folder`` with good reports (the samples, else synthetic ones), and optionally a
    hostile report and garbage; returns the names of the good reports."""
    import synth

    folder.mkdir(parents=True, exist_ok=True)
    good: list[str] = []
    samples = batch.discover(SAMPLES) if SAMPLES.is_dir() else []
    for p in samples[:n_good]:
        shutil.copy2(p, folder / p.name)
        good.append(p.name)
    agencies = ["青岚市澜溪区市场监督管理局", "青岚市白鹭县人民政府"]
    for i in range(n_good - len(good)):
        name = f"{agencies[i % 2]}2023年报告{i}.{'txt' if i % 2 == 0 else 'html'}"
        kind = "department" if i % 2 == 0 else "government"
        synth.write_report(synth.make_report(agency=agencies[i % 2] if i % 2 == 0 else None,
                                             kind=kind), folder / name)
        good.append(name)
    if hostile:
        (folder / HOSTILE_FILE).write_text(hostile_text(), encoding="utf-8")
        good.append(HOSTILE_FILE)
    if garbage:
        (folder / "garbage.pdf").write_bytes(os.urandom(4096))
        (folder / "empty.txt").write_bytes(b"")
    return good


def run_cli(*args, timeout: int = 600) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "nianbao", "batch", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    return proc, time.monotonic() - t0


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {r["file"]: r for r in data["reports"]}


class Elements(html.parser.HTMLParser):
    """Every element and attribute of a page, to assert what is (not) in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict]]:
    p = Elements()
    p.feed(page)
    return p.tags


# ---------------------------------------------------------------- the main run


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    inp, out = tmp / "in", tmp / "out"
    good = make_inputs(inp)
    before = hashes(inp)
    nb = notebook_args(tmp)
    proc, _ = run_cli(inp, "--out", out, "--jobs", 2, "--no-progress", *nb)
    return {"tmp": tmp, "in": inp, "out": out, "good": good, "before": before, "proc": proc,
            "nb": nb}


def test_exit_code_and_summary(run):
    proc = run["proc"]
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert "2 failed" in proc.stdout
    assert f"index: {run['out'] / 'index.html'}" in proc.stdout
    assert len(proc.stdout.splitlines()) < 25  # one screen


def test_every_good_report_has_its_pages(run):
    m = manifest(run["out"])
    for name in run["good"]:
        rec = m[name]
        assert rec["status"] in ("ok", "findings"), rec
        d = run["out"] / rec["id"]
        res = json.loads((d / "result.json").read_text(encoding="utf-8"))
        assert res["summary"] == rec["summary"]
        page = (d / "audit.html").read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html")
        # the page names the result file where it stays, not a temporary name
        assert html.escape(str((d / "result.json").resolve())) in page and ".tmp" not in page
        nb = json.loads((d / "audit.ipynb").read_text(encoding="utf-8"))
        meta = nb["metadata"]["nianbao"]
        assert meta["input_sha256"] == run["before"][name] == rec["sha256"]
        assert meta["parameters"]["report_path"] == str(run["in"] / name)
        assert meta["parameters"]["result_path"] == str(d / "result.json")
        assert meta["tool_version"] and meta["config_hash"] == rec["config_hash"]
        assert meta["errors"] == []
        assert rec["id"].isascii() and rec["id"] == batch.slug(Path(name).stem)


def test_garbage_is_failed_with_one_line_reason(run):
    m = manifest(run["out"])
    index = (run["out"] / "index.html").read_text(encoding="utf-8")
    for name, word in (("garbage.pdf", "PDF"), ("empty.txt", "")):
        rec = m[name]
        assert rec["status"] == "failed" and rec["failure"] == "unreadable"
        assert "\n" not in rec["error"] and name in rec["error"] and word in rec["error"]
        assert "Traceback" not in rec["error"]
        assert escape(rec["error"].split(": ", 1)[1]) in index  # shown without the folder
        page = (run["out"] / rec["outputs"]["html"]).read_text(encoding="utf-8")
        assert escape(rec["error"]) in page
        nb = json.loads((run["out"] / rec["outputs"]["ipynb"]).read_text(encoding="utf-8"))
        assert nb["metadata"]["nianbao"]["errors"] == [rec["error"]]
        assert "json" not in rec["outputs"]


def test_inputs_untouched_and_no_temp_files(run):
    assert hashes(run["in"]) == run["before"]
    leftovers = [p for p in run["out"].rglob("*") if ".tmp" in p.name]
    assert leftovers == []


def test_overview_page_is_made_and_linked(run):
    data = json.loads((run["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert data["run"]["overview_error"] is None
    page = (run["out"] / "overview.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert 'href="overview.html"' in (run["out"] / "index.html").read_text(encoding="utf-8")


def test_manifest_records_what_produced_each_result(run):
    data = json.loads((run["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert data["complete"] is True
    assert data["run"]["tool_version"] and len(data["run"]["config_hash"]) == 64
    assert data["run"]["config"]["deadlines"]  # the effective configuration itself
    for rec in data["reports"]:
        assert rec["status"] in batchfolder.STATUSES
        assert rec["duration"] > 0
        assert rec["sha256"] == run["before"][rec["file"]]
        assert set(rec["parameters"]) >= {"report_path", "published", "config_path",
                                          "result_path"}
        for rel in rec["outputs"].values():
            assert (run["out"] / rel).is_file()


def test_findings_csv(run):
    raw = (run["out"] / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    m = manifest(run["out"])
    expected = sum(sum(r["summary"].values()) for r in m.values() if r["summary"])
    cross = json.loads((run["out"] / "crossreport.json").read_text(encoding="utf-8"))
    assert len(rows) == expected + len(cross["findings"]) > 0
    assert sum(r["family"] == "crossreport" for r in rows) == len(cross["findings"])
    assert set(findings_table.CSV_COLUMNS) == set(rows[0])
    hostile_rows = [r for r in rows if r["file"] == HOSTILE_FILE]
    for r in hostile_rows:  # report text never becomes a spreadsheet formula
        assert not r["agency"].startswith(("=", "+", "-", "@"))
    assert (run["out"] / "findings.xlsx").stat().st_size > 0


def test_index_escapes_report_text(run):
    index = (run["out"] / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "<img" not in index
    tags = elements(index)
    assert [t for t, _ in tags].count("script") == 1  # ours, inline
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    for tag, attrs in tags:
        if tag == "a":
            href = attrs["href"]
            assert ":" not in href and not href.startswith("/"), href  # relative, no scheme
        assert tag not in ("img", "iframe", "object", "embed")
        assert not (tag == "link" or (tag == "script" and "src" in attrs))
    assert '<html lang="zh">' in index and '<meta charset="utf-8">' in index
    m = manifest(run["out"])
    rec = m[HOSTILE_FILE]
    assert escape(HOSTILE_FILE) in index
    page = (run["out"] / rec["outputs"]["html"]).read_text(encoding="utf-8")
    tags = elements(page)  # the report's page: no script, no handler, only inline images
    assert not [t for t, a in tags if t in ("script", "iframe")
                or (t == "img" and not (a.get("src") or "").startswith("data:"))
                or any(k.startswith("on") for k in a)]
    assert html.escape(HOSTILE_FILE, quote=False) in page  # shown, as text


def test_rerun_skips_everything_then_force_reruns(run):
    out = run["out"]
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*/audit.html")}
    proc, _ = run_cli(run["in"], "--out", out, "--no-progress", *run["nb"])
    assert proc.returncode == 1  # the garbage is still failed
    assert all(r["skipped"] for r in manifest(out).values())
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/audit.html")} == stamps  # nothing rerun
    assert "up to date" in proc.stdout

    proc, _ = run_cli(run["in"], "--out", out, "--no-progress", "--force", "--only", "hostile*",
                      "--no-overview", *run["nb"])
    m = manifest(out)
    assert not m[HOSTILE_FILE]["skipped"]
    assert all(r["skipped"] for n, r in m.items() if n != HOSTILE_FILE)  # still listed
    assert hashes(run["in"]) == run["before"]


def test_changed_input_is_rerun(tmp_path, run):
    inp, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inp, n_good=2, hostile=False, garbage=False)
    nb = stand_in_notebook(tmp_path / "stand_in.ipynb")  # batch mechanics only: keep it quick
    args = (inp, "--out", out, "--no-progress", "--jobs", 2, "--notebook", nb, "--no-overview")
    assert run_cli(*args)[0].returncode == 0
    first = manifest(out)
    victim = sorted(first)[0]
    p = inp / victim
    p.write_bytes(p.read_bytes() + b"\n")
    stale = out / first[victim]["id"] / ".audit.html.999-1.tmp.html"  # as a killed run leaves
    stale.write_text("half a page")
    proc, _ = run_cli(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not stale.exists()
    m = manifest(out)
    assert not m[victim]["skipped"] and m[victim]["sha256"] != first[victim]["sha256"]
    assert all(m[n]["skipped"] for n in m if n != victim)


def test_timeout_kills_one_report_not_the_batch(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inp, n_good=1, hostile=False, garbage=False)
    nb = stand_in_notebook(tmp_path / "slow.ipynb", sleep=60)
    proc, secs = run_cli(inp, "--out", out, "--no-progress", "--timeout", 3, "--notebook", nb,
                         "--no-overview")
    assert proc.returncode == 1
    (rec,) = manifest(out).values()
    assert rec["status"] == "timeout" and "3" in rec["error"]
    assert secs < 40
    # the record says it; nbclient's "Kernel died while waiting for execute reply." does not
    # reach the console (issue 10)
    assert "Kernel died" not in proc.stdout + proc.stderr
    assert "超时" in (out / "index.html").read_text(encoding="utf-8")


def test_bad_command_lines_are_one_line_errors(tmp_path):
    proc, _ = run_cli(tmp_path / "nope", "--out", tmp_path / "out")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "nope" in proc.stderr
    bad_cfg = tmp_path / "cfg.yaml"
    bad_cfg.write_text("no_such_key: 1\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    proc, _ = run_cli(tmp_path / "in", "--out", tmp_path / "out", "--config", bad_cfg)
    assert proc.returncode == 2 and "no_such_key" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- units (fast)


@pytest.mark.parametrize("stem", ["nb2023", "青禾县农业农村局2021", "Report (final) 2022"])
def test_slug_is_ascii_stable_and_distinguishes_chinese(stem):
    s = batch.slug(stem)
    assert s == batch.slug(stem) and s.isascii() and s.replace("-", "").isalnum()
    if not stem.isascii():
        assert batch.slug(stem) != batch.slug("青禾县林业局2021")


def test_ids_are_unique_within_a_batch(tmp_path):
    files = [tmp_path / n for n in ("a.txt", "a.pdf", "A.txt", "甲局.txt", "乙局.txt")]
    ids = batch.assign_ids(files)
    assert len(set(ids.values())) == len(files)
    assert ids[tmp_path / "a.pdf"] == "a-pdf"


def test_discover_filters_and_limits(tmp_path):
    for n in ("b.txt", "a.pdf", "c.docx", "notes.csv", ".hidden.txt", "README.md"):
        (tmp_path / n).write_text("x", encoding="utf-8")
    assert [p.name for p in batch.discover(tmp_path)] == ["a.pdf", "b.txt", "c.docx"]
    assert [p.name for p in batch.discover(tmp_path, only="*.txt")] == ["b.txt"]
    assert len(batch.discover(tmp_path, limit=2)) == 2


def test_spreadsheet_cells_never_become_formulas():
    assert findings_table._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert findings_table._cell("@SUM") == "'@SUM" and findings_table._cell(-3) == -3
    assert findings_table._cell({"a": 1}) == '{"a": 1}'


def test_write_atomic_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "x.json"
    atomic.write_atomic(target, "old")

    class Boom(str):
        def encode(self, *a):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_atomic(target, Boom("new"))
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_forked_kernels_are_fresh_processes(tmp_path):
    """Kernels forked from the preloaded zygote: a new process per report, nothing carried over
    from the previous report, the heavy modules already there."""
    import nbformat

    probe = nbformat.v4.new_code_cell(
        "import os, sys, json\n"
        "json.dump({'pid': os.getpid(), 'leak': 'LEAK' in globals(),\n"
        "           'preloaded': 'pandas' in sys.modules, 'cwd': os.getcwd()},\n"
        "          open(out_path, 'w'))\n"
        "LEAK = 1")
    params = nbformat.v4.new_code_cell('out_path = ""')
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, probe])
    nbformat.write(nb, str(tmp_path / "probe.ipynb"))
    seen = []
    for i in range(2):
        out = tmp_path / f"p{i}.json"
        (tmp_path / f"d{i}").mkdir()
        batch.execute_notebook(tmp_path / "probe.ipynb", tmp_path / f"o{i}.ipynb",
                               {"out_path": str(out)}, cwd=tmp_path / f"d{i}", timeout=60,
                               fork=True)
        seen.append(json.loads(out.read_text()))
    assert seen[0]["pid"] != seen[1]["pid"] and os.getpid() not in {s["pid"] for s in seen}
    assert not any(s["leak"] for s in seen)
    assert all(s["preloaded"] for s in seen)  # pandas came from the zygote, not the notebook
    # each runs where it was asked to, not where the zygote happened to start
    assert [s["cwd"] for s in seen] == [str(tmp_path / "d0"), str(tmp_path / "d1")]


def test_empty_folder_is_not_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "README.md").write_text("说明", encoding="utf-8")
    proc, _ = run_cli(tmp_path / "in", "--out", tmp_path / "out", "--no-overview")
    assert proc.returncode == 0 and "no report files" in proc.stdout
    assert (tmp_path / "out" / "index.html").is_file()


def test_changed_configuration_reruns_and_is_recorded(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inp, n_good=1, hostile=False, garbage=False)
    nb = stand_in_notebook(tmp_path / "stand_in.ipynb")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("disabled: [T3-R1]\n", encoding="utf-8")
    base = (inp, "--out", out, "--no-progress", "--no-overview", "--notebook", nb)
    assert run_cli(*base)[0].returncode == 0
    (first,) = manifest(out).values()
    assert run_cli(*base, "--config", cfg)[0].returncode == 0
    (rec,) = manifest(out).values()
    assert not rec["skipped"] and rec["config_hash"] != first["config_hash"]
    assert rec["parameters"]["config_path"] == str(cfg)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["run"]["config"]["disabled"] == ["T3-R1"]
    nbmeta = json.loads((out / rec["outputs"]["ipynb"]).read_text(encoding="utf-8"))["metadata"]
    assert nbmeta["nianbao"]["config_hash"] == rec["config_hash"]
    assert run_cli(*base, "--config", cfg)[0].returncode == 0
    assert all(r["skipped"] for r in manifest(out).values())


def test_task_and_record_round_trip_through_json(tmp_path):
    """The task a worker gets and the record it returns survive JSON unchanged; a manifest entry
    with keys the record does not know (a newer version's) keeps them; the manifest stays what
    nianbao.batchfolder reads."""
    from nianbao.batch import ReportRecord, ReportTask

    src = tmp_path / "报告.txt"
    src.write_bytes("青岚市".encode() + bytes(range(256)))
    (tmp_path / "nb.ipynb").write_text("{}", encoding="utf-8")
    task = ReportTask(id="r-1", file=src.name, input=str(src), out_dir=str(tmp_path),
                      notebook=str(tmp_path / "nb.ipynb"), timeout=60, sha256="0" * 64,
                      config_hash="c", tool="t", tool_version="1", fork=True)
    assert ReportTask.from_json(task.to_json()) == task and not task.shipped
    shipped = task.with_payload()
    assert shipped.shipped and shipped.payload["input"] == src.read_bytes()
    assert "config" not in shipped.payload and "review" not in shipped.payload
    assert ReportTask.from_json(shipped.to_json()) == shipped
    review = "report,fingerprint,status\n青岚市|2023,abc,dismissed\n".encode()
    shipped = dataclasses.replace(task, review_key="青岚市|2023").with_payload(review)
    assert shipped.payload["review"] == review
    assert ReportTask.from_json(shipped.to_json()) == shipped

    entry = {"id": "r-1", "file": src.name, "input": str(src), "status": "findings",
             "error": None, "summary": {"error": 1}, "duration": 0.5, "sha256": "0" * 64,
             "outputs": {"json": "r-1/result.json", "html": "r-1/audit.html"},
             "skipped": False, "reviewed_by": "someone"}  # a key this version does not know
    rec = ReportRecord.from_dict(entry)
    assert rec.status == "findings" and rec.extra == {"reviewed_by": "someone"}
    assert ReportRecord.from_json(rec.to_json()).to_dict() == rec.to_dict()
    assert rec.to_dict()["reviewed_by"] == "someone" and "files" not in rec.to_dict()
    with pytest.raises(TypeError):
        ReportRecord.from_dict({"file": "x"})  # no id, no status: not a record

    (tmp_path / "r-1").mkdir()
    (tmp_path / "r-1" / "result.json").write_text('{"findings": [], "summary": {"error": 1}}',
                                                  encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps({"reports": [rec.to_dict()]}),
                                            encoding="utf-8")
    (entry_read,) = batchfolder.read_batch(tmp_path).reports
    assert (entry_read.id, entry_read.status, entry_read.html) == ("r-1", "findings",
                                                                   "r-1/audit.html")
    assert entry_read.result == {"findings": [], "summary": {"error": 1}}


def test_a_kernel_that_dies_before_it_starts_is_started_once_more(tmp_path, caplog):
    """A kernel capped far below what Python needs to start dies before answering kernel_info:
    no cell ran, so it is started once more (logged), and the second death is the report's
    failure. A notebook whose cell fails is not run again."""
    import logging

    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    with caplog.at_level(logging.WARNING, logger="nianbao.batch"):
        with pytest.raises(RuntimeError, match="died before replying to kernel_info"):
            batch.execute_notebook(tmp_path / "nb.ipynb", tmp_path / "o.ipynb", {}, timeout=60,
                                   max_memory_mb=20)
    assert sum("died before it started" in r.getMessage() for r in caplog.records) == 1
    caplog.clear()
    from papermill.exceptions import PapermillExecutionError

    with caplog.at_level(logging.WARNING, logger="nianbao.batch"):
        with pytest.raises(PapermillExecutionError):
            batch.execute_notebook(tmp_path / "nb.ipynb", tmp_path / "o2.ipynb", {}, timeout=60)
    assert not [r for r in caplog.records if "died before it started" in r.getMessage()]
