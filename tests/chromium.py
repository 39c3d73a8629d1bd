"""Debian's headless Chromium for the browser tests, driven by Playwright: one way to find it,
the one set of flags, and the one launch of a browser with a profile of its own.

A test module starts with ``sync_api = chromium.require()`` (it skips the module where Chromium
or Playwright is missing) and gets its browser from ``chromium.persistent_context``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # screenshots, git-ignored
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require():
    """Playwright's sync API; skips the calling test module where Chromium or Playwright is absent."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


def persistent_context(tmp_path_factory, viewport: dict, timeout_ms: float | None = None):
    """Yields a browser context on a fresh profile (a fixture's body: ``yield from`` it); closes
    the browser and removes the profile afterwards. ``timeout_ms``: each step's default bound."""
    sync_api = require()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, viewport=viewport)
        if timeout_ms is not None:
            ctx.set_default_timeout(timeout_ms)
        yield ctx
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)
