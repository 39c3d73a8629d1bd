"""Acceptance of issue 12: the auditor's loop in a real JupyterLab, driven through headless
Chromium.

Audit a batch; open a report's audit notebook in the Lab (it must be trusted: its styles kept)
and dismiss one finding with ``nb.decide``; confirm two others through findings.xlsx and
``nianbao review import``; correct the report so that one confirmed finding disappears and a new
one appears; run the batch again: the index and the report's page show exactly one dismissed,
one confirmed, one resolved and one new finding. Then the template notebook, run and saved in
the Lab, is still without outputs on disk (the server's pre-save hook), and the kernel picker
offers this checkout's kernel under its own name.

The batch output goes under the checkout's git-ignored outputs/ (the Lab's root is the checkout,
so the templates can be opened too) and is removed afterwards; the template is restored
byte for byte whatever happens.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lhtml

import chromium
from chromium import ARTIFACTS
from conftest import ROOT
from test_review import V1, V2, _no, write_version

pytestmark = [pytest.mark.slow, pytest.mark.browser]
chromium.require()

STEP = 120_000  # ms: a generous bound for any one step in the Lab (2 shared cores)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _batch(inp: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "nianbao", "batch", str(inp), "--out", str(out),
                           "--jobs", "1", "--no-progress", "--no-overview"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 rooted at the checkout; yields its base URL and token."""
    from nianbao import jupyter_env

    jupyter_env.install()  # what scripts/setup.sh does: the kernelspec and the pre-save hook
    tmp = tmp_path_factory.mktemp("lab")
    port, token = _free_port(), secrets.token_hex(16)
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         *(["--allow-root"] if os.geteuid() == 0 else []),
         f"--ServerApp.root_dir={ROOT}", f"--LabApp.workspaces_dir={tmp / 'ws'}",
         f"--LabApp.user_settings_dir={tmp / 'settings'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.expose_app_in_browser=True"],  # window.jupyterapp: its commands
        cwd=tmp, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("jupyter lab did not start: "
                                       + (tmp / "lab.log").read_text()[-2000:])
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium.persistent_context(tmp_path_factory, {"width": 1400, "height": 1000}, STEP)


def open_in_lab(browser, lab, rel: str):
    base, token = lab
    page = browser.new_page()
    page.goto(f"{base}/lab/tree/{rel}?reset&token={token}")  # reset: no tabs restored
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_function(CURRENT + "return nb && nb.context.path === path; }", arg=rel)
    # its kernel is up
    page.wait_for_function(CURRENT + "const k = nb.sessionContext.session"
                           " && nb.sessionContext.session.kernel;"
                           " return k && k.status === 'idle'; }")
    return page


#: the notebook in the Lab's current tab (a page function's prologue)
CURRENT = ("(path) => { const app = window.jupyterapp;"
           " const nb = app && app.shell.currentWidget;"
           " if (!nb || !nb.sessionContext || !nb.content) return false; ")


def last_output(page, text: str = "") -> None:
    """Wait until the current notebook's last cell has an output (containing ``text``)."""
    page.wait_for_function(
        CURRENT + "const cells = nb.content.widgets; const out = cells[cells.length - 1]"
        ".model.outputs; return out.length > 0 && JSON.stringify(out.toJSON()).includes(path); }",
        arg=text)


def command(page, name: str) -> None:
    """Run a JupyterLab command (what the menu item of that name does); not awaited, as a
    command that opens a dialog would only return once someone answers it."""
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands")
    page.evaluate("name => { window.jupyterapp.commands.execute(name); }", name)


def run_all(page) -> None:
    command(page, "notebook:run-all-cells")


def add_cell_and_run(page, code: str) -> None:
    """A new cell at the end of the current notebook, holding ``code``, run — through the Lab's
    own commands (insert below the last cell, run the active cell), as its menus do."""
    page.evaluate("""async (code) => {
        const app = window.jupyterapp, nb = app.shell.currentWidget.content;
        nb.activeCellIndex = nb.widgets.length - 1;
        await app.commands.execute('notebook:insert-cell-below');
        nb.activeCell.model.sharedModel.setSource(code);
        app.commands.execute('notebook:run-cell');
    }""", code)


def states_on(doc, selector: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for el in doc.xpath(selector):
        out[el.get("data-review")] = out.get(el.get("data-review"), 0) + 1
    return out


def test_the_auditors_loop_in_jupyterlab(lab, browser):
    (ROOT / "outputs").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="e2e-review-", dir=ROOT / "outputs"))
    template = ROOT / "notebooks" / "audit_report.ipynb"
    template_bytes = template.read_bytes()
    paired = template.with_suffix(".py")  # jupytext saves the pair too
    paired_bytes = paired.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        inp, out = work / "in", work / "out"
        src = write_version(inp / "r1.txt", V1)
        _batch(inp, out)
        result = json.loads((out / "r1" / "result.json").read_text(encoding="utf-8"))
        typo, cit, apps = (_no(result, "TEXT-TYPO"), _no(result, "TEXT-CITATION"),
                           _no(result, "NARR-APPS"))

        # 1. the notebook in the Lab: trusted (styles kept), then one decision by one call
        rel = (out / "r1" / "audit.ipynb").relative_to(ROOT).as_posix()
        page = open_in_lab(browser, lab, rel)
        page.wait_for_selector(".jp-OutputArea-output .nb-title")
        page.screenshot(path=str(ARTIFACTS / "lab-opened.png"))
        styled = page.evaluate("""() => {
            const b = document.querySelector('.jp-OutputArea-output .nb-sev');
            return b ? getComputedStyle(b).backgroundColor : null; }""")
        assert styled not in (None, "rgba(0, 0, 0, 0)", "transparent"), styled
        assert page.locator(".jp-OutputArea-output style").count() > 0  # not sanitised away
        run_all(page)
        add_cell_and_run(page, f'nb.decide(result, {typo}, "dismissed", '
                               f'reason="方言用法，不是错字", reviewer="张三")')
        # runs after Run All in the kernel's queue; its output needs `result` from it
        try:
            last_output(page, "已记录")
        finally:
            page.screenshot(path=str(ARTIFACTS / "lab-decide.png"))
        page.close()

        # 2. two confirmed through findings.xlsx, handed back
        from openpyxl import load_workbook

        wb = load_workbook(out / "findings.xlsx")
        ws = wb["findings"]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[head.index("rule")].value in ("TEXT-CITATION", "NARR-APPS"):
                row[head.index("decision")].value = "确认"
                row[head.index("reviewer")].value = "李四"
        wb.save(work / "handed-back.xlsx")
        proc = subprocess.run([sys.executable, "-m", "nianbao", "review", "import",
                               str(work / "handed-back.xlsx"), "--batch", str(out)],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert proc.returncode == 0 and "2 decisions recorded" in proc.stdout, proc.stdout + proc.stderr

        # 3. the agency corrects the citation and adds a wrong place name; the batch runs again
        write_version(src, V2)
        _batch(inp, out)
        want = {"dismissed": 1, "confirmed": 1, "resolved": 1, "new": 1}

        # the index
        ipage = browser.new_page()
        ipage.goto((out / "index.html").as_uri())
        ipage.screenshot(path=str(ARTIFACTS / "review-index.png"), full_page=True)
        index = lhtml.fromstring(ipage.content())
        cards = {c.get("data-review"): int(c.find("b").text)
                 for c in index.xpath("//div[@data-review]")}
        assert {k: v for k, v in cards.items() if k != "open"} == want
        heads = [th.text_content() for th in index.xpath("//table[@id='reports']//th")]
        cells = [td.text_content() for td in index.xpath("//table[@id='reports']//tbody/tr[1]/td")]
        row = dict(zip(heads, cells))
        assert (row["审核·非问题"], row["审核·已确认"], row["审核·已解决"], row["审核·新出现"]) \
            == ("1", "1", "1", "1")
        # the report's page
        ipage.goto((out / "r1" / "audit.html").as_uri())
        ipage.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=True)
        doc = lhtml.fromstring(ipage.content())
        shown = states_on(doc, "//table[contains(@class,'nb-review')]//span[@data-review]")
        assert {k: v for k, v in shown.items() if k != "open"} == want
        table = doc.xpath("//table[contains(@class,'nb-review')]")[0].text_content()
        assert "TEXT-CITATION" in table and "TEXT-REGION" in table
        ipage.close()
        assert cit and apps

        # 4. the template run and saved in the Lab stays without outputs on disk
        page = open_in_lab(browser, lab, "notebooks/audit_report.ipynb")
        run_all(page)
        last_output(page, "结果 JSON 已写入")  # the Lab holds the outputs…
        command(page, "docmanager:save")
        before = template.stat().st_mtime_ns
        deadline = time.monotonic() + STEP / 1000
        while template.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.5)
        page.screenshot(path=str(ARTIFACTS / "lab-template-saved.png"))
        assert template.stat().st_mtime_ns != before, "the Lab did not save the template"
        saved = json.loads(template.read_text(encoding="utf-8"))  # …the file does not
        code = [c for c in saved["cells"] if c["cell_type"] == "code"]
        assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        page.close()
        # the kernel picker: this checkout's kernel, named after it, once
        base, token = lab
        with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}") as r:
            specs = json.load(r)["kernelspecs"]
        names = [s["spec"]["display_name"] for s in specs.values()]
        mine = f"nianbao ({ROOT.name})"
        assert names.count(mine) == 1, names
        # one spec of ours for this interpreter (other checkouts keep their own, by their names)
        ours = [k for k, s in specs.items()
                if k.startswith("nianbao") and s["spec"]["argv"][0] == sys.executable]
        assert ours == [f"nianbao-{ROOT.name}".lower()], ours
        assert saved["metadata"]["kernelspec"]["name"] in specs
    finally:
        template.write_bytes(template_bytes)
        paired.write_bytes(paired_bytes)
        shutil.rmtree(work, ignore_errors=True)
