"""The batch pages in a real browser: Debian's headless Chromium driven by Playwright.

Opens ``index.html`` and the audit pages from ``file://`` and checks what only a browser can:
no console errors, no request leaves ``file://``, the filter and the sorting work, the link
opens the audit page, and the hostile report (``<script>``, ``onerror``, ``javascript:``) runs
nothing. Screenshots go to ``tests/artifacts/`` (git-ignored) for a human look.
"""
from __future__ import annotations

import json

import pytest

import chromium
from chromium import ARTIFACTS
from test_batch import HOSTILE_FILE, make_inputs, manifest, notebook_args, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.browser]
chromium.require()

# Runs before any page script: a tripwire for anything the hostile text could execute.
TRIPWIRE = """
window.__fired = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = function (m) { window.__fired.push(name + ':' + m); };
}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    inp, out = tmp / "in", tmp / "out"
    make_inputs(inp, n_good=2)
    proc, _ = run_cli(inp, "--out", out, "--jobs", 2, "--no-progress", *notebook_args(tmp))
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the garbage failed, as planned
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium.persistent_context(tmp_path_factory, {"width": 1400, "height": 900})


class Watch:
    """A page with everything it does recorded: console errors, requests, dialogs."""

    def __init__(self, ctx):
        self.page = ctx.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.add_init_script(TRIPWIRE)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def assert_clean(self):
        assert self.errors == []
        assert self.dialogs == []
        assert [u for u in self.requests if not u.startswith(("file://", "data:"))] == []
        assert self.page.evaluate("window.__fired") == []
        # nothing from the report became markup: no image, no handler attribute, no foreign link
        bad = self.page.evaluate("""() => {
          const out = [];
          for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
              if (a.name.startsWith('on')) out.push(el.tagName + ' ' + a.name);
              if ((a.name === 'href' || a.name === 'src') && /^\\s*javascript:/i.test(a.value))
                out.push(el.tagName + ' ' + a.value);
            }
            if (el.tagName === 'IMG' && !el.src.startsWith('data:')) out.push('IMG ' + el.src);
          }
          return out;
        }""")
        assert bad == []


def visible_rows(page) -> int:
    return page.locator("#reports tbody tr:not([hidden])").count()


def column(page, i: int) -> list:
    return page.eval_on_selector_all(
        f"#reports tbody tr:not([hidden]) td:nth-child({i})",
        "els => els.map(e => e.dataset.v === undefined ? e.textContent.trim() : e.dataset.v)")


def test_index_filter_sort_and_safety(out, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    w = Watch(browser)
    page = w.page
    page.goto((out / "index.html").as_uri())
    page.wait_for_load_state("load")
    n = len(manifest(out))
    assert visible_rows(page) == n == 5
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)

    page.fill("#filter", "garbage")
    assert visible_rows(page) == 1 and page.locator("#shown").text_content() == "1"
    page.fill("#filter", "")
    assert visible_rows(page) == n

    page.uncheck("input[data-status=failed]")  # status boxes
    assert visible_rows(page) == n - 2
    page.check("input[data-status=failed]")
    page.uncheck("input[data-sev=info]")  # severity boxes: keep reports with errors/warnings
    counts = page.eval_on_selector_all(
        "#reports tbody tr:not([hidden])", "rs => rs.map(r => [r.dataset.error, r.dataset.warning])")
    assert all(int(e) + int(wn) > 0 for e, wn in counts)
    page.check("input[data-sev=info]")

    header = page.locator("#reports thead th", has_text="错误")
    header.locator("button").click()
    col = column(page, 5)
    errs = [int(v) for v in col if v != ""]
    assert col == [str(v) for v in sorted(errs)] + [""] * (n - len(errs))  # blanks last
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    col = column(page, 5)
    assert col == [str(v) for v in sorted(errs, reverse=True)] + [""] * (n - len(errs))
    page.locator("#reports thead th", has_text="机关").locator("button").click()
    names = column(page, 1)
    assert len(names) == n
    w.assert_clean()

    # the hostile report's name and agency are on the page, as text
    shown = page.locator("#reports tbody").text_content()
    assert HOSTILE_FILE in shown
    res = json.loads((out / manifest(out)[HOSTILE_FILE]["outputs"]["json"]).read_text("utf-8"))
    assert res["report"]["agency"] in shown

    # the link opens the audit page
    rec = next(r for r in manifest(out).values() if r["status"] in ("ok", "findings")
               and r["file"] != HOSTILE_FILE)
    page.locator(f'#reports a[href="{rec["outputs"]["html"]}"]').click()  # the table row
    page.wait_for_load_state("load")
    assert page.url.endswith(rec["outputs"]["html"])
    page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=False)
    w.assert_clean()


@pytest.mark.parametrize("which", [HOSTILE_FILE, "garbage.pdf"])
def test_report_pages_run_nothing(out, browser, which):
    rec = manifest(out)[which]
    w = Watch(browser)
    w.page.goto((out / rec["outputs"]["html"]).as_uri())
    w.page.wait_for_load_state("load")
    w.page.screenshot(path=str(ARTIFACTS / f"page-{rec['id']}.png"), full_page=False)
    w.assert_clean()
    assert w.page.locator("script").count() == 0  # the audit and failure pages need no script


def test_overview_page(out, browser):
    if not (out / "overview.html").is_file():
        pytest.skip("no overview page (notebooks/batch_overview.ipynb missing)")
    w = Watch(browser)
    w.page.goto((out / "overview.html").as_uri())
    w.page.wait_for_load_state("load")
    w.page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=False)
    w.assert_clean()
