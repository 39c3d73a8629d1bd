"""The cross-report step inside a real batch (papermill audits, then crossreport.json, the
与上年比较 section of each audit page, the index's list, and the region overview rendered in
headless Chromium)."""
from __future__ import annotations

import dataclasses
import importlib
import json
import subprocess
from pathlib import Path

import pytest

import synthbatch as sb
from test_batch import elements, notebook_args, run_cli
from test_compare_section import HOSTILE, plant

pytestmark = [pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crossbatch")
    inp, out = tmp / "in", tmp / "out"
    inp.mkdir()
    ms = sb.members(5, years=(2022, 2023))
    ms[4] = dataclasses.replace(ms[4], years=(2023,))  # an agency alone in the batch
    texts = sb.batch_texts(ms)
    a, b, c = ms[0], ms[1], ms[2]
    texts[f"{a.seed}-2022.txt"] = plant(texts[f"{a.seed}-2022.txt"], HOSTILE)
    texts[f"{a.seed}-2023.txt"] = sb.reissue(texts[f"{a.seed}-2022.txt"], 2022, 2023)
    texts[f"{b.seed}-2023.txt"] = sb.lift_paragraph(texts[f"{b.seed}-2023.txt"],
                                                    texts[f"{c.seed}-2023.txt"], c.place)
    for name, text in texts.items():
        (inp / name).write_text(text, encoding="utf-8")
    proc, _ = run_cli(inp, "--out", out, "--jobs", 2, "--no-progress", *notebook_args(tmp))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"out": out, "members": ms}


def _section(page: str) -> str:
    cmp = importlib.import_module("nianbao.workbook.compare")
    assert page.count(cmp.BEGIN) == page.count(cmp.END) == 1
    return page[page.index(cmp.BEGIN):page.index(cmp.END)]


def _pages(o: Path, ids: dict) -> dict[str, str]:
    return {rid: (o / rec["outputs"]["html"]).read_text(encoding="utf-8")
            for rid, rec in ids.items()}


def test_batch_writes_crossreport_and_compare_sections(out):
    o, ms = out["out"], out["members"]
    m = json.loads((o / "manifest.json").read_text(encoding="utf-8"))
    assert m["run"]["crossreport_error"] is None
    cross = json.loads((o / "crossreport.json").read_text(encoding="utf-8"))
    rules = {(f["rule"], f["severity"], f["location"]["report"]) for f in cross["findings"]}
    ids = {r["id"]: r for r in m["reports"]}
    a23 = next(i for i, r in ids.items() if r["file"] == f"{ms[0].seed}-2023.txt")
    b23 = next(i for i, r in ids.items() if r["file"] == f"{ms[1].seed}-2023.txt")
    assert ("COPY-PREV", "warning", a23) in rules
    assert ("COPY-PEER", "error", b23) in rules
    assert len(cross["carry"]) == 4
    # the section in every audit page: filled for the 2023 reports of the four agencies with
    # a 2022 report; a note on the 2022 pages and the lone agency's
    pages = _pages(o, ids)
    for rid, rec in ids.items():
        later = rec["file"].endswith("2023.txt") and not rec["file"].startswith(str(ms[4].seed))
        sec = _section(pages[rid])
        assert ('data-nianbao-compare="batch"' in sec) == later, rid
        assert ("统计表的变化" in sec and "结转核对" in sec and "文字重复" in sec) == later, rid
        assert ('data-nianbao-compare="none"' in sec) != later, rid
        assert not [t for t, _ in elements(pages[rid]) if t == "script"], rid
    sec = _section(pages[a23])
    assert 'class="nb-carry-mismatch"' in sec and "重复的文字（左：本年；右：上年）" in sec
    assert sec.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # escaped, both sides
    assert "跨报告步骤" in sec and f"{ms[0].seed}-2022.txt" in sec
    assert "<th>变化</th>" in _section(pages[b23])  # written afresh: the tables changed
    # the executed notebooks, the records, keep the placeholder their kernel wrote
    nb = (o / ids[a23]["outputs"]["ipynb"]).read_text(encoding="utf-8")
    assert 'data-nianbao-compare=\\"pending\\"' in nb and "nb-provenance" not in nb
    # no separate page; the index links to the section
    assert not list(o.glob("*/compare.html"))
    index = (o / "index.html").read_text(encoding="utf-8")
    assert 'id="cross"' in index and "COPY-PEER" in index
    assert f'href="{ids[a23]["outputs"]["html"]}#nb-compare"' in index


def test_running_the_cross_step_again_keeps_one_section(out):
    from nianbao.crossreport import run_folder

    o = out["out"]
    ids = {r["id"]: r for r in json.loads((o / "manifest.json").read_text())["reports"]}
    before = _pages(o, ids)
    run_folder(o)
    run_folder(o)
    after = _pages(o, ids)
    assert after == before
    assert all(p.count('id="nb-compare"') == 1 for p in after.values())


def test_region_overview_shows_the_region(out):
    o = out["out"]
    if not (o / "overview.ipynb").is_file():
        pytest.skip("no overview notebook run")
    nb = (o / "overview.ipynb").read_text(encoding="utf-8")
    assert "missing from font" not in nb  # matplotlib drew every CJK label (no tofu)
    html = (o / "overview.html").read_text(encoding="utf-8")
    for text in ("跨报告核对", "覆盖情况", "实质公开率", "共用段落网络", "COPY-PEER"):
        assert text in html, text


def _links(page: str) -> list[str]:
    from lxml import html as lhtml

    return [h for h in lhtml.fromstring(page).xpath("//a/@href") if not h.startswith("#")]


def test_overview_links_resolve_in_the_page_and_in_the_lab(out, tmp_path):
    """overview.html (beside the pages) and the overview notebook run as JupyterLab runs it —
    the kernel in the notebook's folder, ``batch_dir`` relative to it — link to files that
    exist, each from where it is shown."""
    import os
    from urllib.parse import unquote

    from nianbao.batch.kernels import execute_notebook
    from nianbao.notebooks import BATCH_NOTEBOOK

    o = out["out"]
    if not (o / "overview.html").is_file():
        pytest.skip("no overview page")
    links = _links((o / "overview.html").read_text(encoding="utf-8"))
    assert sum("audit.html" in h for h in links) > 8  # the region's tables link the reports
    for h in links:
        assert (o / unquote(h)).is_file(), h
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    done = execute_notebook(BATCH_NOTEBOOK, nbdir / "batch_overview.ipynb",
                            {"batch_dir": os.path.relpath(o, nbdir)}, cwd=nbdir, timeout=300)
    nb = json.loads(done.read_text(encoding="utf-8"))
    page = "".join("".join(x.get("data", {}).get("text/html", ""))
                   for c in nb["cells"] for x in c.get("outputs", []))
    links = _links(f"<div>{page}</div>")
    assert sum("audit.html" in h for h in links) > 8
    for h in links:
        assert (nbdir / unquote(h)).resolve().is_file(), h


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
def test_region_overview_in_chromium(out):
    o = out["out"]
    if not (o / "overview.html").is_file():
        pytest.skip("no overview page")
    sync_api = pytest.importorskip("playwright.sync_api")
    fc = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    assert fc.stdout.strip(), "no CJK font for Chromium: the page text would be tofu"
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((o / "overview.html").as_uri())
        page.wait_for_load_state("load")
        # every chart image decoded (a broken data: URI has naturalWidth 0)
        widths = page.evaluate("() => [...document.images].map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        # the CJK text is drawn with glyphs: a Chinese character and an unassigned code point
        # (always tofu) rasterise to different pixels in the page's font
        same = page.evaluate("""() => {
          const font = getComputedStyle(document.querySelector('h2') || document.body).font;
          const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 40; c.height = 40;
            const x = c.getContext('2d'); x.font = font; x.fillText(ch, 4, 30);
            return Array.from(x.getImageData(0, 0, 40, 40).data).join(',');
          };
          return ['实', '质', '率', '网'].map(ch => draw(ch) === draw('\\u0378'));
        }""")
        assert same == [False, False, False, False]
        page.screenshot(path=str(ARTIFACTS / "region-overview.png"), full_page=True)
        # the 与上年比较 section inside a later year's audit page (report text escaped in it)
        ms = out["members"]
        rec = next(r for r in json.loads((o / "manifest.json").read_text())["reports"]
                   if r["file"] == f"{ms[0].seed}-2023.txt")
        page.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))
        page.goto((o / rec["outputs"]["html"]).as_uri() + "#nb-compare")
        page.wait_for_load_state("load")
        section = page.locator("#nb-compare")
        assert section.is_visible() and "重复的文字" in section.inner_text()
        assert "<script>alert(1)</script>" in section.inner_text()  # shown as text
        # what the index's link shows: the section's heading below the sticky page header
        top = page.evaluate("() => document.querySelector('#nb-compare h2')"
                            ".getBoundingClientRect().top")
        header = page.evaluate("() => document.querySelector('.nb-page-header')"
                               ".getBoundingClientRect().bottom")
        assert top >= header
        page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=False)
        browser.close()
    assert errors == []


def test_on_dask_the_cross_step_runs_in_the_client(tmp_path):
    """Same step on Dask: the workers audit, the client compares their results."""
    pytest.importorskip("dask.distributed")
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    member = sb.members(1, years=(2022, 2023))[0]
    texts = sb.batch_texts([member])
    texts[f"{member.seed}-2023.txt"] = sb.reissue(texts[f"{member.seed}-2022.txt"], 2022, 2023)
    for name, text in texts.items():
        (inp / name).write_text(text, encoding="utf-8")
    proc, _ = run_cli(inp, "--out", out, "--executor", "dask", "--jobs", 2, "--no-progress",
                      "--no-overview", *notebook_args(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cross = json.loads((out / "crossreport.json").read_text(encoding="utf-8"))
    warnings = {f["rule"] for f in cross["findings"] if f["severity"] == "warning"}
    # the re-issue repeats last year's text, and last year's 表二 stock without this year's
    assert warnings == {"COPY-PREV", "CROSS-STOCK"}
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["run"]["executor"] == "dask"
    # the client filled the pages the workers sent back
    states = {r["file"]: _section((out / r["outputs"]["html"]).read_text(encoding="utf-8"))
              for r in m["reports"]}
    assert 'data-nianbao-compare="batch"' in states[f"{member.seed}-2023.txt"]
    assert 'data-nianbao-compare="none"' in states[f"{member.seed}-2022.txt"]
