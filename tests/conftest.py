"""Shared test fixtures: where the real corpus and the seed are, and the synthetic generator.

The real corpus lives outside the repo, in ``../shared`` beside the checkout; tests that need it
skip cleanly where it is absent (a fresh clone elsewhere).
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
SEED = SHARED / "seed" / "luhe-keji-2021.txt"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "data" / "samples"

sys.path.insert(0, str(ROOT / "tests"))  # so tests can `import synth`


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "manifest.csv").exists():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture(scope="session")
def full_manifest(corpus_dir) -> list[dict]:
    """Every row of the corpus manifest."""
    with open(corpus_dir / "manifest.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    return SEED
