"""docs/rules.md is generated from the registry and must stay current; every rule is documented."""
from __future__ import annotations

from pathlib import Path

from nianbao.rules.docs import rules_markdown, rules_table_text
from nianbao.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]


def test_rules_md_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), \
        "regenerate: python -m nianbao rules --markdown > docs/rules.md"


def test_every_rule_has_title_source_and_doc():
    for r in all_rules():
        assert r.title and r.source and r.doc, r.id
        assert f"### {r.id} " in rules_markdown()
        assert r.id in rules_table_text()
