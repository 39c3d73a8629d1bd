"""Fuzz the command line with hostile inputs; write the figures to docs/fuzz.md.

    .venv/bin/python benchmarks/fuzz.py --inputs 10000 --jobs 2 [--seed 1] [--timeout 10]

Inputs are built from the real corpus (``../shared/corpus/real``, where present), the samples
and the test fixtures: mutations (byte flips, truncations, inserted and repeated bytes, random
bytes under every extension, damaged .docx parts), the bombs of issue 10 (a 5,000-digit number,
a 5,000-digit rowspan, a gridSpan of 10^9, a 1 GB .docx part, a 1 GB PDF content stream, a
2,000-page PDF, 10,000 HTML tables, a truncated .json, a 50 MB text, a 5 MB line, a 100k-digit
date in a crawler header, 200k paragraphs, an encrypted PDF; the .docx and PDF builders are
tests/bombs.py, shared with tests/test_hardening.py) and odd file names (undecodable bytes, a
leading "-").

Each input is audited as ``nianbao audit --json FILE`` in a process of its own, forked from a
parent that has imported nianbao once (a fresh interpreter per input would spend most of the run
importing). The child runs the real ``nianbao.cli.main`` — exit statuses, limits, the memory
ceiling and the crash log are the command's own — with stdout and stderr in files; the parent
kills it at the timeout and reads its peak RSS from ``wait4``. Counted as failures: a traceback
on stderr, an exit status outside 0/1/2, exit 3 (internal failure), a timeout, a peak RSS over
``limits.max_memory_mb``. Nothing here is a test: the suite's property test
(tests/test_fuzz_property.py) runs a bounded number of examples in CI.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests"))

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".js", ".json", ".mht", ".docx", ".pdf", ".doc", "")
DOCUMENTED = {0, 1, 2}


# ---------------------------------------------------------------- seeds and mutations
def seeds() -> list[Path]:
    found = []
    corpus = ROOT.parent / "shared" / "corpus" / "real"
    for folder in (corpus, ROOT / "data" / "samples", ROOT / "tests" / "fixtures" / "reports"):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir()
                            if p.is_file() and p.suffix.lower() not in (".csv",) and p.name != "README.md")
    return found


def _flip(rng, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 64))):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _truncate(rng, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _insert(rng, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    junk = rng.choice((os.urandom(rng.randrange(1, 64)), b"\x00" * 50, b"<table><tr><td>",
                       b"9" * rng.randrange(50, 400), b"\xff\xfe", b"\\u{110000}", b'"', b"'"))
    return data[:at] + junk + data[at:]


def _repeat(rng, data: bytes) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randrange(1, 2000))
    return data[:b] + data[a:b] * rng.randrange(2, 50) + data[b:]


def _docx_part(rng, data: bytes) -> bytes:
    """Mutate one part inside a .docx (the ZIP stays valid, the XML does not)."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return _flip(rng, data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        victim = rng.choice([n for n in names if n.endswith(".xml")] or names)
        for n in names:
            blob = zin.read(n)
            if n == victim:
                blob = rng.choice((_flip, _truncate, _insert, _repeat))(rng, blob)
            zout.writestr(n, blob)
    return out.getvalue()


MUTATIONS = {"flip": _flip, "truncate": _truncate, "insert": _insert, "repeat": _repeat}


def mutant(rng, seed_files: list[Path], k: int, work: Path) -> tuple[str, Path]:
    """The k-th mutated input: (kind, path)."""
    if k % 11 == 0:  # random bytes under every extension
        ext = EXTENSIONS[(k // 11) % len(EXTENSIONS)]
        data = rng.choice((os.urandom(rng.randrange(1, 20000)),
                           b"%PDF-1.4\n" + os.urandom(rng.randrange(1, 5000)),
                           b"PK\x03\x04" + os.urandom(rng.randrange(1, 5000)),
                           bytes(rng.randrange(0x20, 0x7f) for _ in range(rng.randrange(1, 3000)))))
        kind = "random"
    else:
        src = seed_files[k % len(seed_files)]
        data = src.read_bytes()
        ext = src.suffix
        if ext.lower() == ".docx" and rng.random() < 0.5:
            kind, data = "docx-part", _docx_part(rng, data)
        else:
            kind = rng.choice(tuple(MUTATIONS))
            data = MUTATIONS[kind](rng, data)
            if rng.random() < 0.1:
                ext = rng.choice(EXTENSIONS)  # the right bytes under the wrong name
    path = work / f"m{k:06d}{ext}"
    path.write_bytes(data)
    return kind, path


# ---------------------------------------------------------------- bombs
def bombs(work: Path) -> list[tuple[str, Path]]:
    from bombs import docx_with, gridspan_document, paragraphs_document, pdf, pdf_big_stream
    from synth import random_spec, render_html, render_text

    spec = random_spec(7)
    text = render_text(spec)
    out: list[tuple[str, bytes | None, str]] = []
    lines = text.split("\n")
    # a number of 5,000 digits in a 表三 cell
    out.append(("number-5000-digits", text.replace("\t0\t", "\t" + "7" * 5000 + "\t", 1).encode(), ".txt"))
    # a 表二 value of 400 digits (past float's range, within the default digit limit? no: refused)
    out.append(("table2-400-digits", text.replace("\t0\t", "\t" + "9" * 400 + "\t", 1).encode(), ".txt"))
    # a value of 100 digits: within the limit, so it is audited (float() of it overflows nothing)
    out.append(("table-100-digits", text.replace("\t0\t", "\t" + "9" * 100 + "\t", 1).encode(), ".txt"))
    html = render_html(spec).encode("utf-8")
    out.append(("rowspan-5000-digits", html.replace(b"<td", b'<td rowspan="' + b"9" * 5000 + b'"', 1), ".html"))
    out.append(("colspan-10^9", html.replace(b"<td", b'<td colspan="1000000000"', 1), ".html"))
    out.append(("html-10000-tables", b"<html><body>" + b"<table><tr><td>1</td><td>2</td></tr></table>" * 10000
                + b"</body></html>", ".html"))
    js = b'var content = "' + html.replace(b'"', b'\\"').replace(b"\n", b"\\n") * 40
    out.append(("json-truncated-270kb", (b'{"content": "' + js[: 270_000]), ".json"))
    out.append(("js-quotes-300kb", b"'\"`" * 100_000, ".js"))
    out.append(("text-50mb", (text.encode() * (50 * 2**20 // len(text.encode()) + 1))[: 50 * 2**20], ".txt"))
    out.append(("line-5mb", ("2023年某某局政府信息公开" * 200_000)[: 5 * 2**20 // 3].encode(), ".txt"))
    out.append(("line-5mb-digits-spaces", ("1 " * (2 * 2**20)).encode(), ".txt"))
    out.append(("crawler-date-100k-digits", ("标题: 某局2023年政府信息公开工作年度报告\n发布时间: " + "2" * 100_000
                                             + "年1月1日\n==== 正文 ====\n" + text).encode(), ".txt"))
    out.append(("digits-100k-line", ("1" * 100_000 + "\n" + text).encode(), ".txt"))
    out.append(("cjk-run-150k", ("某" * 150_000 + "\n" + text).encode(), ".txt"))
    out.append(("docx-gridspan-10^9", docx_with(gridspan_document("1000000000")), ".docx"))
    out.append(("docx-gridspan-5000-digits", docx_with(gridspan_document("9" * 5000)), ".docx"))
    out.append(("docx-200k-paragraphs", docx_with(paragraphs_document(200_000)), ".docx"))
    out.append(("docx-1gb-part", docx_with(big_part=2**30), ".docx"))
    out.append(("pdf-1gb-content-stream", pdf_big_stream(2**30), ".pdf"))
    page = b"BT /F1 10 Tf 72 800 Td " + b"(2023 report line of text 0123456789) Tj 0 -12 Td " * 60 + b"ET"
    out.append(("pdf-2000-pages", pdf([page] * 2000), ".pdf"))
    out.append(("pdf-50-pages", pdf([page] * 50), ".pdf"))
    out.append(("pdf-big-page-text", pdf([b"BT /F1 1 Tf " + b"(x) Tj " * 1_500_000 + b"ET"]), ".pdf"))
    try:
        from reportlab.lib import pdfencrypt
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="o", strength=128))
        for i, ln in enumerate(lines[:40]):
            c.drawString(40, 800 - 14 * i, ln.encode("ascii", "replace").decode())
        c.save()
        out.append(("pdf-encrypted-empty-password", buf.getvalue(), ".pdf"))
    except ImportError:
        pass
    out.append(("mhtml-no-html", b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n--x\n", ".mht"))
    files = []
    for name, data, ext in out:
        p = work / f"bomb-{name}{ext}"
        p.write_bytes(data)
        files.append((f"bomb:{name}", p))
    odd = [(b"bad\xff\xfename.txt", text.encode()), (b"-leading-dash.txt", text.encode()),
           (b"space and \xe4\xb8\xad.html", html), ("n" * 200 + ".txt", text.encode())]
    for raw, data in odd:
        name = raw if isinstance(raw, bytes) else raw.encode()
        p = Path(os.fsdecode(os.fsencode(work) + b"/" + name))
        p.write_bytes(data)
        files.append((f"name:{os.fsencode(p.name)[:20]!r}", p))
    fifo = work / "bomb-fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    files.append(("special:fifo", fifo))
    files.append(("special:directory", work))
    return files


# ---------------------------------------------------------------- running one input
def preload() -> None:
    """Import what an audit imports, once, in the parent (the children fork from it)."""
    import nianbao.cli  # noqa: F401
    from nianbao.engine import audit

    for p in (ROOT / "data" / "samples").iterdir():
        if p.suffix in (".pdf", ".docx", ".html", ".txt", ".js"):
            try:
                audit(p)
            except Exception:  # noqa: BLE001 — warming up only
                pass


def start(path: Path, outdir: Path, k: int) -> int:
    """Fork a child that runs ``nianbao audit --json PATH``; return its pid."""
    pid = os.fork()
    if pid:
        return pid
    try:
        os.setpgid(0, 0)
        out = os.open(outdir / f"{k}.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        err = os.open(outdir / f"{k}.err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), encoding="utf-8",
                                      errors="backslashreplace")
        from nianbao.cli import main

        arg = str(path)
        code = main(["audit", "--json", "--", arg])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    except SystemExit as e:
        os._exit(e.code if isinstance(e.code, int) else 98)
    except BaseException:  # noqa: BLE001 — an exception escaping the CLI: that is the failure
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(99)


def run_all(items: list[tuple[str, Path]], jobs: int, timeout: float, outdir: Path):
    """Run the inputs, ``jobs`` at a time; yield one record per input."""
    pending = list(enumerate(items))
    running: dict[int, tuple[int, str, Path, float]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            k, (kind, path) = pending.pop(0)
            pid = start(path, outdir, k)
            running[pid] = (k, kind, path, time.monotonic())
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for cpid, (k, kind, path, t0) in list(running.items()):
                if now - t0 > timeout:
                    try:
                        os.killpg(cpid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            time.sleep(0.005)
            continue
        k, kind, path, t0 = running.pop(pid)
        elapsed = time.monotonic() - t0
        err = (outdir / f"{k}.err").read_text(encoding="utf-8", errors="replace")
        code = os.waitstatus_to_exitcode(status)
        yield {"k": k, "kind": kind, "path": os.fsencode(path.name)[:60].decode("utf-8", "replace"),
               "exit": code, "seconds": round(elapsed, 3), "rss_mb": round(usage.ru_maxrss / 1024, 1),
               "traceback": "Traceback" in err, "stderr": err.strip().splitlines()[-1][:200] if err.strip() else "",
               "timeout": code == -signal.SIGKILL and elapsed >= timeout}
        (outdir / f"{k}.out").unlink(missing_ok=True)
        (outdir / f"{k}.err").unlink(missing_ok=True)


# ---------------------------------------------------------------- report
def write_report(records: list[dict], args, ceiling: int, path: Path, wall: float) -> None:
    n = len(records)
    codes: dict = {}
    for r in records:
        codes[r["exit"]] = codes.get(r["exit"], 0) + 1
    tb = [r for r in records if r["traceback"]]
    outside = [r for r in records if r["exit"] not in DOCUMENTED]
    slow = [r for r in records if r["seconds"] > args.timeout or r["timeout"]]
    over = [r for r in records if r["rss_mb"] > ceiling]
    secs = sorted(r["seconds"] for r in records)
    kinds: dict = {}
    for r in records:
        kinds.setdefault(r["kind"].split(":")[0], []).append(r)
    lines = [
        "# Fuzzing the command line",
        "",
        "Generated by `benchmarks/fuzz.py` (see its docstring for what it builds and how each input",
        "runs: `nianbao audit --json FILE` in a process of its own, killed at the timeout, peak RSS",
        "from `wait4`). The property test `tests/test_fuzz_property.py` runs a bounded number of",
        "examples in CI; this is the long run.",
        "",
        f"Run: `python benchmarks/fuzz.py --inputs {args.inputs} --jobs {args.jobs} --seed {args.seed} "
        f"--timeout {args.timeout:g}` on {os.cpu_count()} shared cores, {wall / 60:.1f} min wall clock.",
        "",
        "| acceptance (issue 10) | result |",
        "|---|---|",
        f"| inputs run | {n} |",
        f"| tracebacks | {len(tb)} |",
        f"| exits outside the documented statuses 0/1/2 (3 = internal failure counts here) | {len(outside)} |",
        f"| inputs not answered within {args.timeout:g} s | {len(slow)} |",
        f"| slowest input | {secs[-1]:.2f} s |" if secs else "| slowest input | — |",
        f"| median / 99th percentile time | {statistics.median(secs):.2f} s / {secs[int(0.99 * (n - 1))]:.2f} s |" if secs else "",
        f"| peak RSS, largest (ceiling `limits.max_memory_mb` = {ceiling} MB address space) | "
        f"{max((r['rss_mb'] for r in records), default=0):.0f} MB |",
        f"| inputs over the memory ceiling | {len(over)} |",
        "",
        "Exit statuses: " + ", ".join(f"{c}: {codes[c]}" for c in sorted(codes)) + ".",
        "",
        "| kind of input | inputs | exit 0 | exit 1 | exit 2 | other | slowest (s) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, rs in sorted(kinds.items()):
        c = lambda v: sum(1 for r in rs if r["exit"] == v)  # noqa: E731
        lines.append(f"| {kind} | {len(rs)} | {c(0)} | {c(1)} | {c(2)} | {len(rs) - c(0) - c(1) - c(2)} | "
                     f"{max(r['seconds'] for r in rs):.2f} | {max(r['rss_mb'] for r in rs):.0f} |")
    lines += ["", "The bombs and odd names, one by one (the message is the one line on stderr):", "",
              "| input | exit | seconds | peak RSS (MB) | stderr |", "|---|---|---|---|---|"]
    for r in records:
        if r["kind"].split(":")[0] in ("bomb", "name", "special"):
            msg = r["stderr"].replace("|", "\\|")
            lines.append(f"| {r['kind']} | {r['exit']} | {r['seconds']:.2f} | {r['rss_mb']:.0f} | {msg} |")
    bad = tb + outside + slow + over
    if bad:
        lines += ["", "Failures:", ""] + [f"- {json.dumps(r, ensure_ascii=False)}" for r in bad[:50]]
    path.write_text("\n".join(x for x in lines if x is not None) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=1000, help="mutated inputs (the bombs come on top)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per input before it is killed")
    ap.add_argument("--work", default=str(ROOT / "outputs" / "fuzz"), help="folder for the inputs")
    ap.add_argument("--out", default=str(ROOT / "docs" / "fuzz.md"))
    ap.add_argument("--records", help="also write every record as JSON lines here")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    outdir = work / "io"
    outdir.mkdir(exist_ok=True)
    os.environ.setdefault("NIANBAO_LOG_DIR", str(work / "crash-logs"))
    rng = random.Random(args.seed)
    from nianbao.limits import default

    ceiling = default().max_memory_mb
    print("building bombs …", file=sys.stderr)
    items = bombs(work)
    seed_files = seeds()
    preload()
    t0 = time.monotonic()
    records: list[dict] = []
    rec_file = open(args.records, "w", encoding="utf-8") if args.records else None
    batch = 200  # inputs are made as they are run, so the folder never holds more than a batch

    def report_progress():
        bad = sum(1 for r in records if r["traceback"] or r["exit"] not in DOCUMENTED or r["timeout"])
        print(f"{len(records)} inputs, {bad} failures, {time.monotonic() - t0:.0f} s", file=sys.stderr)

    for r in run_all(items, args.jobs, args.timeout, outdir):
        records.append(r)
    for lo in range(0, args.inputs, batch):
        chunk = [mutant(rng, seed_files, k, work) for k in range(lo, min(args.inputs, lo + batch))]
        for r in run_all(chunk, args.jobs, args.timeout, outdir):
            r["k"] += len(items) + lo
            records.append(r)
            if rec_file:
                rec_file.write(json.dumps(r, ensure_ascii=False) + "\n")
        for _, p in chunk:
            p.unlink(missing_ok=True)
        report_progress()
    write_report(records, args, ceiling, Path(args.out), time.monotonic() - t0)
    report_progress()
    bad = sum(1 for r in records if r["traceback"] or r["exit"] not in DOCUMENTED or r["timeout"]
              or r["rss_mb"] > ceiling)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
