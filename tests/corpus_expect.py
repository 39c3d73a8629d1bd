"""The per-report expectations of the real corpus (``tests/corpus_expectations.yaml``): how a
finding's place is keyed, and how the file is read. Shared by ``test_corpus_expectations.py`` and
``scripts/corpus_triage.py`` (which prints the differences when rules or readers change).

Each report lists ``errors`` — every error finding it must produce, keyed by rule and place
(table/row/column for a cell or row, section/line for text), each with a one-line ``verdict`` —
and ``fixed`` — findings judged false and fixed, which must not come back. ``known_false`` are
error findings judged false whose fix belongs to the reader/parser half of issue 9 (they are
asserted as present so the file stays exact, and listed as open in docs/precision.md).
``not_ruled`` lists HAND-CHECKED defects no rule covers, with why.
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "corpus_expectations.yaml"
PLACE_KEYS = ("table", "row", "column", "section", "line")


def place(location: dict) -> dict:
    """The place of a finding: a cell/row of a table, else section and line."""
    if location.get("table") and location.get("row"):
        keys = ("table", "row", "column")
    elif location.get("table"):
        keys = ("table",)
    else:
        keys = ("section", "line")
    return {k: location.get(k) for k in keys if location.get(k) is not None}


def key(rule: str, where: dict) -> tuple:
    return (rule, *sorted((k, where[k]) for k in PLACE_KEYS if where.get(k) is not None))


def finding_key(f) -> tuple:
    return key(f.rule, place(f.location))


def entry_key(e: dict) -> tuple:
    return key(e["rule"], e)


def load() -> dict:
    with open(EXPECTATIONS, encoding="utf-8") as f:
        return yaml.safe_load(f)["reports"]
