"""Audit every report of ../shared/corpus/real and compare its error findings with
tests/corpus_expectations.yaml: what is new (to triage), what is gone, and the totals per rule.

Run after a rule or reader change: ``.venv/bin/python scripts/corpus_triage.py [--draft]``;
``--draft`` prints YAML entries (verdict TODO) for the new findings, to be judged by reading the
report. Skips (exit 0) without the corpus.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def main(argv=None) -> int:
    import corpus_expect as E

    from nianbao.engine import audit
    from nianbao.errors import InputError

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draft", action="store_true")
    args = ap.parse_args(argv)
    if not (CORPUS / "manifest.csv").exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0
    exp = E.load()
    true_, false_ = Counter(), Counter()
    new = 0
    with open(CORPUS / "manifest.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for m in rows:
        if m["notes"].startswith("FRAGMENT"):
            continue
        try:
            res = audit(CORPUS / m["file"])
        except InputError as e:
            print(f"{m['file']}: unreadable: {e}")
            continue
        want = exp.get(m["file"]) or {}
        listed = {E.entry_key(e): e for e in want.get("errors") or []}
        known_false = {E.entry_key(e): e for e in want.get("known_false") or []}
        got = {E.finding_key(f): f for f in res.findings if f.severity == "error"}
        for k, f in got.items():
            if k in listed:
                true_[f.rule] += 1
            elif k in known_false:
                false_[f.rule] += 1
            else:
                new += 1
                print(f"NEW   {m['file']} {k} :: {f.message[:120]}")
                if args.draft:
                    where = ", ".join(f"{a}: {b!r}" for a, b in E.place(f.location).items())
                    print(f"      - {{rule: {f.rule}, {where}, verdict: \"TODO\"}}")
        for k in [*listed, *known_false]:
            if k not in got:
                print(f"GONE  {m['file']} {k}")
    print(f"\n{'rule':<16}{'true':>6}{'false':>7}")
    for r in sorted(set(true_) | set(false_)):
        print(f"{r:<16}{true_[r]:>6}{false_[r]:>7}")
    print(f"{'ALL':<16}{sum(true_.values()):>6}{sum(false_.values()):>7}   new (untriaged): {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
