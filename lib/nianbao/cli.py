"""Command line: ``python -m nianbao {parse,audit,rules,batch,review,letters,notebook} …``.

Exit statuses (``nianbao.errors``), one meaning each: 0 no error-severity finding; 1 the audit
found error findings (``audit``) or a report failed (``batch``); 2 the input cannot be read — a
bad file, a limit passed (``nianbao.limits``), a wrong command line or configuration — told in
one line naming the file and the reason; 3 an internal failure of nianbao (a bug): one line on
stderr naming the log file that holds the traceback, never the traceback itself.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import sys
import tempfile
import traceback
from pathlib import Path

from .errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, InputError

#: Lone surrogates: undecodable bytes of a file name (``surrogateescape``) or a ``\\ud800``
#: unescaped from a script. They cannot be written as UTF-8, so they are shown escaped.
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(s: str) -> str:
    """``s`` with undecodable file-name bytes shown as ``\\xff`` (and other lone surrogates as
    ``\\udxxx``), so that stdout and stderr stay valid UTF-8 whatever the file is called."""
    def esc(m: re.Match) -> str:
        c = ord(m.group())
        return f"\\x{c - 0xdc00:02x}" if 0xdc80 <= c <= 0xdcff else f"\\u{c:04x}"

    return _SURROGATE.sub(esc, s)


def _json_text(obj) -> str:
    """JSON with non-ASCII text as is, and lone surrogates as ``\\uXXXX`` escapes (valid JSON,
    and the output stays valid UTF-8)."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _print_json(obj) -> None:
    sys.stdout.write(_json_text(obj) + "\n")


def _config_and_memory(args) -> dict:
    """The effective configuration, and the address-space ceiling applied to this process
    (``--max-memory`` MB, else ``limits.max_memory_mb``) before the input is touched."""
    from .config import load_config
    from .limits import cap_memory

    cfg = load_config(getattr(args, "config", None))
    mb = args.max_memory if args.max_memory is not None else cfg["limits"]["max_memory_mb"]
    args.restore_memory = cap_memory(mb)
    args.memory_mb = mb
    return cfg


def cmd_parse(args) -> int:
    from .parsing import parse

    cfg = _config_and_memory(args)
    report = parse(args.file, limits=cfg["limits"])
    if args.json:
        _print_json(report.to_json(provenance=args.provenance))
    else:
        from .textreport import report_text

        sys.stdout.write(printable(report_text(report)) + "\n")
    return EXIT_OK


def cmd_audit(args) -> int:
    from .engine import audit

    cfg = _config_and_memory(args)
    result = audit(args.file, published=args.published, config=cfg)
    if args.json:
        _print_json(result.to_json())
    else:
        sys.stdout.write(printable(result.to_text()) + "\n")
    return EXIT_FINDINGS if result.summary.get("error") else EXIT_OK


def cmd_rules(args) -> int:
    from .rules.docs import rules_markdown, rules_table_text

    sys.stdout.write(rules_markdown() if args.markdown else rules_table_text())
    return EXIT_OK


def cmd_batch(args) -> int:
    from .batch import run_batch_cli

    return run_batch_cli(args)


def cmd_review_import(args) -> int:
    from .review.excel import import_xlsx

    rep = import_xlsx(args.xlsx, args.batch, args.review)
    for line in rep.problems:
        sys.stderr.write(f"nianbao: {line}\n")
    sys.stdout.write(f"{rep.recorded} decisions recorded, {rep.unchanged} unchanged, "
                     f"{len(rep.problems)} rows skipped → {rep.path}\n"
                     "run the batch again to see them on the index and the pages\n")
    return 1 if rep.problems else 0


def cmd_letters(args) -> int:
    from .review.letters import write_letters

    written = write_letters(args.batch, args.out, args.review)
    for p in written:
        sys.stdout.write(f"{p}\n")
    return 0


def cmd_notebook(args) -> int:
    from .review.notebook import write_notebook

    path, how = write_notebook(args.report, out_dir=args.out, batch=args.batch,
                               published=args.published, config=args.config)
    sys.stdout.write(how + "\n")
    return 0


def _add_review_commands(sub) -> None:
    """The auditor's loop after the audit: ``review import``, ``letters``, ``notebook``."""
    sv = sub.add_parser("review", help="review decisions: import a filled-in findings.xlsx")
    vsub = sv.add_subparsers(dest="review_command", required=True)
    vi = vsub.add_parser("import", help="record the decision column of findings.xlsx")
    vi.add_argument("xlsx", help="findings.xlsx of the batch, with decisions filled in")
    vi.add_argument("--batch", required=True, help="the batch output folder")
    vi.add_argument("--review", help="the review decisions file (default BATCH/review.csv)")
    vi.set_defaults(func=cmd_review_import)

    sl = sub.add_parser("letters", help="反馈意见 per agency and the batch summary (Word)")
    sl.add_argument("batch", help="the batch output folder")
    sl.add_argument("--out", help="where to write them (default BATCH/letters)")
    sl.add_argument("--review", help="the review decisions file (default BATCH/review.csv)")
    sl.set_defaults(func=cmd_letters)

    sn = sub.add_parser("notebook", help="a parameterised audit notebook for one report, "
                                         "under outputs/, to open in JupyterLab")
    sn.add_argument("report")
    sn.add_argument("--out", help="folder (default outputs/notebooks)")
    sn.add_argument("--batch", help="the batch folder whose review file decisions go to")
    sn.add_argument("--published", help="publication date, if the input lacks it")
    sn.add_argument("--config", help="a YAML configuration file")
    sn.set_defaults(func=cmd_notebook)


class _Parser(argparse.ArgumentParser):
    """argparse, with a hint when a file name starting with "-" was taken for an option."""

    def error(self, message: str):
        dashed = [a for a in _ARGV if a.startswith("-") and len(a) > 1 and Path(a).exists()]
        if dashed:
            message += (f"; a file name starting with '-' ({printable(dashed[0])}) is read as an "
                        f"option: put it after '--', e.g. nianbao audit -- {printable(dashed[0])}")
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {printable(message)}\n")


_ARGV: list[str] = []


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nianbao", description="Audit 政府信息公开工作年度报告.",
                epilog="exit status: 0 no error finding, 1 error findings (batch: a report "
                       "failed), 2 input cannot be read, 3 internal failure (see the log named)")
    sub = p.add_subparsers(dest="command", required=True)

    def memory(sp):
        sp.add_argument("--max-memory", type=int, metavar="MB", default=None,
                        help="address-space ceiling of this run in MB (default limits.max_memory_mb; 0: none)")

    sp = sub.add_parser("parse", help="read and parse one report; print the Report")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true", help="print the report object of schema.md")
    sp.add_argument("--provenance", action="store_true", help="with --json: per-cell provenance")
    sp.add_argument("--config", help="a YAML configuration file (its limits: apply)")
    memory(sp)
    sp.set_defaults(func=cmd_parse)

    sa = sub.add_parser("audit", help="audit one report; print its findings")
    sa.add_argument("file")
    sa.add_argument("--json", action="store_true", help="print the whole result (schema.md)")
    sa.add_argument("--config", help="a YAML configuration file (see nianbao/default_config.yaml)")
    sa.add_argument("--published", help="publication date YYYY-MM-DD, if the input lacks it")
    memory(sa)
    sa.set_defaults(func=cmd_audit)

    sr = sub.add_parser("rules", help="list the rules")
    sr.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    sr.set_defaults(func=cmd_rules)

    sb = sub.add_parser("batch", help="audit a folder of reports with papermill")
    sb.add_argument("input_dir", help="folder of reports (txt md html htm js docx pdf)")
    sb.add_argument("--out", required=True, help="output folder (index.html, manifest.json, …)")
    sb.add_argument("--jobs", type=int, default=None, help="parallel reports (default: cores)")
    sb.add_argument("--only", help="glob pattern on file names")
    sb.add_argument("--limit", type=int, help="only the first N files (by name)")
    sb.add_argument("--config", help="a YAML configuration file")
    sb.add_argument("--executor", choices=["local", "dask"], default="local")
    sb.add_argument("--scheduler", help="dask scheduler address (with --executor dask)")
    sb.add_argument("--timeout", type=int, default=600, help="seconds per report")
    sb.add_argument("--force", action="store_true", help="rerun reports that are up to date")
    sb.add_argument("--no-progress", action="store_true", help="no progress bar")
    sb.add_argument("--notebook", help="the audit notebook (default notebooks/audit_report.ipynb)")
    sb.add_argument("--no-overview", action="store_true", help="skip the batch overview page")
    sb.add_argument("--no-fork", action="store_true",
                    help="start each kernel from scratch instead of forking a preloaded one")
    sb.add_argument("--review", help="the review decisions file (default OUT/review.csv)")
    sb.add_argument("--max-memory", type=int, metavar="MB", default=None,
                    help="address-space ceiling of each report's kernel in MB "
                         "(default limits.max_memory_mb; 0: none)")
    sb.set_defaults(func=cmd_batch)

    _add_review_commands(sub)
    return p


def crash_log(exc: BaseException, argv: list[str]) -> Path:
    """Write the traceback of an internal failure to a log file and return its path:
    ``$NIANBAO_LOG_DIR``, else ``<temp dir>/nianbao-logs``, one file per crash."""
    folder = Path(os.environ.get("NIANBAO_LOG_DIR") or Path(tempfile.gettempdir()) / "nianbao-logs")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    from . import __version__

    text = (f"nianbao {__version__} internal failure\nargv: {printable(repr(argv))}\n\n"
            + "".join(traceback.format_exception(exc)))
    path.write_text(printable(text), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _ARGV[:] = argv
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as e:
        sys.stderr.write(f"nianbao: {printable(str(e))}\n")
        return EXIT_INPUT
    except MemoryError:  # the address-space ceiling: this input needs more than allowed
        mb = getattr(args, "memory_mb", None)
        where = printable(str(getattr(args, "file", None) or getattr(args, "input_dir", "")))
        sys.stderr.write(f"nianbao: {where}: 超出内存上限 / over the memory limit "
                         f"limits.max_memory_mb={mb} (--max-memory)\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("nianbao: interrupted\n")
        return 130
    except Exception as e:  # a bug in nianbao: a distinct status, the traceback in a log
        try:
            log = crash_log(e, argv)
            where = f"traceback in {printable(str(log))}"
        except OSError as log_error:
            where = f"no log written ({log_error})"
        sys.stderr.write(f"nianbao: internal error ({type(e).__name__}: "
                         f"{printable(' '.join(str(e).split()))[:300]}); {where}\n")
        return EXIT_INTERNAL
    finally:
        getattr(args, "restore_memory", lambda: None)()
