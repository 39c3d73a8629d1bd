"""Precision and recall of prose claim extraction against the hand labels in tests/claims_gold/.

Why labels and not just the acceptance tests: each new batch of phrasings costs recall
(spec/narrative-checks.md §1.4), so the extractor is measured on every claim of the real corpus,
labelled by hand as JSONL (doc, line, a ≤12-character anchor, metric, value). A prediction
matches a label when the document, metric and value agree, the anchor lies in the claim's
sentence and the label's line lies within the sentence. Proactive-publication counts (no table
cell since 2021) are not labelled and not scored.

Run: ``.venv/bin/python scripts/eval_claims.py [--verbose]``. Skips (exit 0) without the corpus.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
GOLD = ROOT / "tests" / "claims_gold"


def family(metric: str) -> str:
    return metric.split(".")[0] if metric.startswith(("apply", "result", "review", "suit", "docs")) else metric


def load_gold() -> list[dict]:
    out = []
    for p in [GOLD / "corpus.jsonl"]:
        with open(p, encoding="utf-8") as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def labelled_docs() -> list[str]:
    """The corpus files whose every claim was labelled (``labelled_docs.txt``): the corpus has
    grown since, and an unlabelled file's claims are not false positives."""
    with open(GOLD / "labelled_docs.txt", encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def predictions(doc: str):
    from nianbao.parsing import parse
    from nianbao.prose import claims as C

    r = parse(CORPUS / doc)
    out = []
    for c in C.extract(r):
        if c.demoted or c.metric.endswith(".all_upheld") or c.metric == "proactive.items":
            continue
        end_line = r.document.line_of(max(c.sentence.start, c.sentence.end - 1))
        out.append({"doc": doc, "metric": c.metric, "value": c.value, "zero": c.zero,
                    "sentence": c.sentence.text, "lines": (c.sentence.line, end_line), "raw": c.raw})
    return out


def matches(p: dict, g: dict) -> bool:
    from nianbao.textnorm import to_halfwidth

    return (p["metric"] == g["metric"] and p["value"] is not None and abs(p["value"] - g["value"]) < 1e-6
            and to_halfwidth(g["anchor"]) in p["sentence"] and p["lines"][0] <= g["line"] <= p["lines"][1])


def evaluate(verbose: bool = False) -> dict:
    gold = load_gold()
    with open(CORPUS / "manifest.csv", encoding="utf-8") as f:
        present = {row["file"] for row in csv.DictReader(f)}
    docs = [d for d in labelled_docs() if d in present]
    stats = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    misses, false = [], []
    for doc in docs:
        preds = predictions(doc)
        golds = [g for g in gold if g["doc"] == doc]
        used = set()
        for p in preds:
            hit = next((i for i, g in enumerate(golds) if i not in used and matches(p, g)), None)
            kind = ("zero" if p["zero"] else "numeric")
            key = (family(p["metric"]), kind)
            if hit is None:
                stats[key]["fp"] += 1
                false.append(p)
            else:
                used.add(hit)
                stats[key]["tp"] += 1
        for i, g in enumerate(golds):
            if i not in used:
                stats[(family(g["metric"]), "zero" if g.get("zero") else "numeric")]["fn"] += 1
                misses.append(g)
    return {"stats": stats, "misses": misses, "false": false, "gold": len(gold)}


def heldout() -> dict:
    """Score ``heldout_sentences.jsonl``: synthetic sentences in phrasings the extractor was
    not developed on (written down, with their labels, before the extractor first saw them)."""
    from nianbao.prose import claims as C
    from nianbao.prose.sentences import Sentence
    from nianbao.textnorm import to_halfwidth

    s = {"tp": 0, "fp": 0, "fn": 0}
    wrong = []
    path = GOLD / "heldout_sentences.jsonl"
    if not path.exists():
        return s | {"wrong": wrong}
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        item = json.loads(line)
        text = to_halfwidth(item["text"])
        got = [(c.metric, c.value) for c in C.extract_sentence(Sentence(0, len(text), text, 1, None), "")
               if not c.demoted and c.metric != "proactive.items" and not c.metric.endswith("all_upheld")]
        want = [tuple(x) for x in item["claims"]]
        left = list(want)
        for m, v in got:
            hit = next((w for w in left if w[0] == m and v is not None and abs(w[1] - v) < 1e-6), None)
            if hit:
                left.remove(hit)
                s["tp"] += 1
            else:
                s["fp"] += 1
                wrong.append(("FALSE", item["text"], m, v))
        s["fn"] += len(left)
        wrong += [("MISS", item["text"], m, v) for m, v in left]
    return s | {"wrong": wrong}


def _pr(s):
    tp, fp, fn = s["tp"], s["fp"], s["fn"]
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true", help="list every miss and false claim")
    args = ap.parse_args(argv)
    if not (CORPUS / "manifest.csv").exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0
    res = evaluate(args.verbose)
    stats = res["stats"]
    print(f"{res['gold']} labelled claims in {GOLD.relative_to(ROOT)}")
    print(f"{'claim type':<22}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    total = {"numeric": {"tp": 0, "fp": 0, "fn": 0}, "zero": {"tp": 0, "fp": 0, "fn": 0}}
    for key in sorted(stats):
        s = stats[key]
        for k in ("tp", "fp", "fn"):
            total[key[1]][k] += s[k]
        p, r = _pr(s)
        print(f"{key[0] + ' (' + key[1] + ')':<22}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{p:>11.3f}{r:>8.3f}")
    for kind, s in total.items():
        p, r = _pr(s)
        print(f"{'ALL ' + kind:<22}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{p:>11.3f}{r:>8.3f}")
    h = heldout()
    p, r = _pr(h)
    print(f"{'held-out sentences':<22}{h['tp']:>5}{h['fp']:>5}{h['fn']:>5}{p:>11.3f}{r:>8.3f}")
    if args.verbose:
        for kind, text, m, v in h["wrong"]:
            print(f"{kind:<5} held-out {m}={v} | {text}")
        for g in res["misses"]:
            print(f"MISS  {g['doc']} L{g['line']} {g['metric']}={g['value']} [{g['anchor']}]")
        for p in res["false"]:
            print(f"FALSE {p['doc']} L{p['lines'][0]} {p['metric']}={p['value']} [{p['raw'][:12]}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
