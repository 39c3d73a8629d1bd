"""The rule catalogue as documentation, generated from the registry so it cannot go stale:
``docs/rules.md`` (``python -m nianbao rules --markdown``) and the CLI table (``rules``)."""
from __future__ import annotations

from .registry import FAMILY_ORDER, all_rules

FAMILY_CN = {"meta": "元数据 meta", "structure": "结构 structure", "table2": "表二 table2",
             "table3": "表三 table3", "table4": "表四 table4", "text": "文字 text",
             "narrative": "叙述 narrative"}


def _cell(s: str) -> str:
    return " ".join(s.split()).replace("|", "\\|")


def rules_markdown() -> str:
    rules = all_rules()
    out = ["# Rules", "",
           "Generated from the rule registry by `python -m nianbao rules --markdown`; do not edit",
           "by hand (a test compares this file with the registry). Severity is the default; a",
           "rule may emit another where its description says so, and the configuration",
           "(`severity:`) can override it. Basis: OFFICIAL = printed in the format or the 条例,",
           "STRUCT = implied by the table design, HEUR = a plausibility heuristic.", "",
           "An error is meant to be a defect of the report itself. Where the evidence may be the",
           "extraction's fault the same check reports a warning and says so: a broken relation",
           "resting on cells the parser placed by position (`aligned`), a header or row label",
           "broken up by line wraps, a part whose content is present without its heading. Blank",
           "cells are never read as 0: a relation that needs one is reported as not evaluable",
           "(info, `details.skipped`); values split out of run-together digits are used and",
           "named (`details.recovered`). A rule that raises stops the audit with `RuleError`",
           "naming the rule (a bug, never a silent pass); the batch records it per report.", "",
           f"{len(rules)} rules.", ""]
    for fam in FAMILY_ORDER:
        rs = [r for r in rules if r.family == fam]
        if not rs:
            continue
        out += [f"## {FAMILY_CN.get(fam, fam)}", "",
                "| id | title | severity | basis | source |", "|---|---|---|---|---|"]
        out += [f"| {r.id} | {_cell(r.title)} | {r.severity} | {r.basis} | {_cell(r.source)} |"
                for r in rs]
        out.append("")
        for r in rs:
            out += [f"### {r.id} — {r.title}", "", r.doc or "(no description)", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def rules_table_text() -> str:
    rules = all_rules()
    w = max(len(r.id) for r in rules) if rules else 10
    lines = [f"{'id':<{w}}  {'severity':<8} {'basis':<8} {'family':<10} title"]
    lines += [f"{r.id:<{w}}  {r.severity:<8} {r.basis:<8} {r.family:<10} {r.title}"
              for r in rules]
    return "\n".join(lines) + "\n"
