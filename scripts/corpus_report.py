"""Write the corpus results table of ``docs/parsing.md``: per real report, how its cells were
obtained (read / recovered / aligned / null by reason) and the parse time.

The table sits between ``<!-- corpus-table -->`` and ``<!-- /corpus-table -->`` in the doc and
is regenerated in place (written to a temp file, then ``os.replace``), so the prose around it
stays hand-written. Parse time is CPU time (``time.process_time``) of ``parse(document)`` on an
already read document, median of several runs, so it does not depend on the machine's load or
on reading the file.

    .venv/bin/python scripts/corpus_report.py [--corpus ../shared/corpus/real] [--out docs/parsing.md]
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from nianbao.model import NULL_HOWS  # noqa: E402
from nianbao.parsing import parse  # noqa: E402
from nianbao.readers import read  # noqa: E402

START, END = "<!-- corpus-table -->", "<!-- /corpus-table -->"


def _cpu_ms(doc, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        parse(doc)
        times.append(time.process_time() - t0)
    return statistics.median(times) * 1000


def _counts(table) -> str:
    if not table.found and not table.cells:
        return "—"
    c = table.counts()
    parts = [f"{c[h]} {h}" for h in ("read", "recovered", "aligned") if c.get(h)]
    parts += [f"**{c[h]} {h}**" for h in NULL_HOWS if c.get(h)]
    return f"{len(table.cells)}: " + ", ".join(parts) if parts else "0"


def rows(corpus: Path, repeat: int) -> list[str]:
    with open(corpus / "manifest.csv", encoding="utf-8") as f:
        manifest = {r["file"]: r for r in csv.DictReader(f)}
    out = ["| report | year / format | sections | 表二 | 表三 | 表四 | parse (CPU ms) |",
           "|---|---|---|---|---|---|---|"]
    reasons: dict[str, set[str]] = {}
    for name in sorted(manifest):
        doc = read(corpus / name)
        r = parse(doc)
        ms = _cpu_ms(doc, repeat)
        secs = "".join("一二三四五六"[s.number - 1] for s in r.sections) or "—"
        out.append(f"| `{name}` | {r.year} / {r.format_version} | {secs} | {_counts(r.table2)} | "
                   f"{_counts(r.table3)} | {_counts(r.table4)} | {ms:.1f} |")
        for t in (r.table2, r.table3, r.table4):
            for cell in t.cells.values():
                if cell.how in NULL_HOWS and cell.reason:
                    reasons.setdefault(name, set()).add(f"{t.name} {cell.how}: {_short(cell.reason)}")
    out += ["", "Null cells by reason (one line per distinct reason):", ""]
    for name, rs in reasons.items():
        out.append(f"- `{name}`")
        out += [f"  - {x}" for x in sorted(rs)]
    return out


def _short(reason: str, width: int = 90) -> str:
    return reason if len(reason) <= width else reason[:width] + "…"


def write(out: Path, table: list[str]) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else f"{START}\n{END}\n"
    a, b = text.index(START) + len(START), text.index(END)
    new = text[:a] + "\n" + "\n".join(table) + "\n" + text[b:]
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".parsing-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "parsing.md"))
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "manifest.csv").exists():
        print(f"corpus_report: {corpus}: no manifest.csv (corpus absent)", file=sys.stderr)
        return 2
    write(Path(args.out), rows(corpus, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
