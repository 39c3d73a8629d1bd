"""The rule catalogue as documentation, generated from the registry so it cannot go stale:
``docs/rules.md`` (``python -m nianbao rules --markdown``) and the CLI table (``rules``)."""
from __future__ import annotations

from .registry import ALIASES, FAMILY_LABELS, FAMILY_ORDER, all_rules


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
           "A rule reads only the configuration keys it declares (column *settings*); the",
           "configuration accepts no other key, so a setting that no rule reads cannot exist.",
           "Renamed rules: " + (", ".join(f"{old} → {new}" for old, new in sorted(ALIASES.items()))
                                or "none") + " (configurations and results naming the old id",
           "still load).", "",
           f"{len(rules)} rules.", ""]
    for fam in FAMILY_ORDER:
        rs = [r for r in rules if r.family == fam]
        if not rs:
            continue
        out += [f"## {FAMILY_LABELS[fam]} {fam}", ""]
        if fam == "crossreport":
            out += ["Run over a whole batch after the per-report audits, from their results",
                    "(`scope=\"batch\"`, `nianbao.crossreport`; see docs/crossreport.md). A",
                    "finding names its report in `location.report`.", ""]
        out += [
                "| id | title | severity | basis | source | settings |",
                "|---|---|---|---|---|---|"]
        out += [f"| {r.id} | {_cell(r.title)} | {r.severity} | {r.basis} | {_cell(r.source)} "
                f"| {', '.join(f'`{k}`' for k in r.config)} |" for r in rs]
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
