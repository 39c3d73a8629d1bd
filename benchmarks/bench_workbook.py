"""Benchmark the workbook: how long the views take per report (in-process, warm) and how long
one real notebook run takes (papermill, fresh kernel) plus its HTML export.

    .venv/bin/python benchmarks/bench_workbook.py [--corpus ../shared/corpus/real] [--runs 3]
        [--write docs/benchmarks-workbook.md]

The views are rendered for every sample (and every corpus report when the corpus is present);
a view that raises is counted as a failure and named. The notebook runs use the bundled clean
sample. Figures are medians; the machine is stated in the output.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render_all(result) -> int:
    from nianbao import workbook as nb

    parts = [nb.header(result), nb.summary(result), nb.findings_table(result),
             nb.evidence(result), nb.table(result, "table2"), nb.table(result, "table3"),
             nb.table(result, "table4"), nb.outcomes_chart(result), nb.applicants_chart(result),
             nb.sections(result), nb.checked(result)]
    return sum(len(p._repr_html_()) for p in parts)


def bench_views(files: list[Path]) -> tuple[list[float], list[str], int]:
    from nianbao import InputError
    from nianbao.engine import audit

    times, failures, audited = [], [], 0
    for f in files:
        try:
            result = audit(f)
        except InputError:
            continue  # unreadable inputs are the readers' business, not the views'
        except Exception as e:  # noqa: BLE001
            failures.append(f"{f.name}: audit {type(e).__name__}: {e}")
            continue
        audited += 1
        t = time.perf_counter()
        try:
            render_all(result)
        except Exception as e:  # noqa: BLE001
            failures.append(f"{f.name}: views {type(e).__name__}: {e}")
            continue
        times.append(time.perf_counter() - t)
    return times, failures, audited


def bench_notebook(sample: Path, runs: int) -> tuple[list[float], list[float]]:
    from nianbao.batch.kernels import execute_notebook
    from nianbao.notebooks import AUDIT_NOTEBOOK
    from nianbao.site.export import export_html

    run_t, export_t = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            out = Path(tmp) / str(i)
            t = time.perf_counter()
            nbp = execute_notebook(AUDIT_NOTEBOOK, out / "audit.ipynb",
                                   {"report_path": str(sample), "published": "",
                                    "config_path": "", "result_path": str(out / "result.json")})
            t1 = time.perf_counter()
            export_html(nbp, out / "audit.html", title=sample.name)
            run_t.append(t1 - t)
            export_t.append(time.perf_counter() - t1)
    return run_t, export_t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", help="write the markdown report here")
    a = ap.parse_args(argv)

    samples = sorted(p for p in (ROOT / "data" / "samples").iterdir() if p.name != "README.md")
    corpus = Path(a.corpus)
    real = sorted(p for p in corpus.iterdir()
                  if p.is_file() and p.suffix not in (".csv", ".md")) if corpus.is_dir() else []
    render_all_warm = bench_views(samples[:1])  # warm imports, fonts, rule registry
    del render_all_warm
    s_t, s_fail, s_n = bench_views(samples)
    c_t, c_fail, c_n = bench_views(real) if real else ([], [], 0)
    run_t, exp_t = bench_notebook(ROOT / "data" / "samples" / "lanxi-market-2023.txt", a.runs)

    def med(xs):
        return f"{statistics.median(xs) * 1000:.0f} ms" if xs else "–"

    lines = [
        "# Workbook benchmark",
        "",
        f"`benchmarks/bench_workbook.py`, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}.",
        "",
        "| what | reports | median | max | failures |",
        "|---|---|---|---|---|",
        f"| all views of one report, in-process, warm (samples) | {s_n} | {med(s_t)} | "
        f"{max(s_t) * 1000:.0f} ms | {len(s_fail)} |" if s_t else "| samples | 0 | – | – | – |",
    ]
    if real:
        lines.append(f"| all views of one report, in-process, warm (real corpus) | {c_n} of "
                     f"{len(real)} | {med(c_t)} | {max(c_t, default=0) * 1000:.0f} ms | "
                     f"{len(c_fail)} |")
    lines += [f"| audit notebook run (papermill, fresh kernel, clean sample) | {a.runs} runs | "
              f"{med(run_t)} | {max(run_t) * 1000:.0f} ms | – |",
              f"| HTML export of the executed notebook | {a.runs} runs | {med(exp_t)} | "
              f"{max(exp_t) * 1000:.0f} ms | – |", ""]
    if s_fail or c_fail:
        lines += ["Failures:", ""] + [f"- {f}" for f in s_fail + c_fail] + [""]
    lines += ["The notebook run is dominated by the kernel start and the imports in the fresh "
              "kernel (pandas, matplotlib, the rules); the views themselves are the row above.",
              ""]
    text = "\n".join(lines)
    sys.stdout.write(text)
    if a.write:
        Path(a.write).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
