"""Command line: ``python -m nianbao {parse,audit,rules,batch} …``.

Exit codes: 0 fine; 1 the audit found error-severity findings (``audit``) or a report failed
(``batch``); 2 the input could not be read or the command line is wrong. An unreadable input is
reported as one line naming the file and the reason, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from .errors import InputError


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def cmd_parse(args) -> int:
    from .parsing import parse

    report = parse(args.file)
    if args.json:
        _print_json(report.to_json(provenance=args.provenance))
    else:
        from .textreport import report_text

        sys.stdout.write(report_text(report) + "\n")
    return 0


def cmd_audit(args) -> int:
    from .engine import audit

    result = audit(args.file, published=args.published, config=args.config)
    if args.json:
        _print_json(result.to_json())
    else:
        sys.stdout.write(result.to_text() + "\n")
    return 1 if result.summary.get("error") else 0


def cmd_rules(args) -> int:
    from .rules.docs import rules_markdown, rules_table_text

    sys.stdout.write(rules_markdown() if args.markdown else rules_table_text())
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch_cli

    return run_batch_cli(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nianbao", description="Audit 政府信息公开工作年度报告.")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="read and parse one report; print the Report")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true", help="print the report object of schema.md")
    sp.add_argument("--provenance", action="store_true", help="with --json: per-cell provenance")
    sp.set_defaults(func=cmd_parse)

    sa = sub.add_parser("audit", help="audit one report; print its findings")
    sa.add_argument("file")
    sa.add_argument("--json", action="store_true", help="print the whole result (schema.md)")
    sa.add_argument("--config", help="a YAML configuration file (see nianbao/default_config.yaml)")
    sa.add_argument("--published", help="publication date YYYY-MM-DD, if the input lacks it")
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
    sb.set_defaults(func=cmd_batch)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as e:
        sys.stderr.write(f"nianbao: {e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("nianbao: interrupted\n")
        return 130
