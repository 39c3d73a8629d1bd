"""Run the cross-report rules over a batch and keep what they found (``crossreport.json``).

The runner is the engine's counterpart for ``scope="batch"`` rules: the same ``Context`` and
``RuleContext`` (so a rule reads only the keys it declares), the same stamping of id, family and
severity (configured overrides included), the same refusal to swallow a rule's exception
(``RuleError``). A batch folder's configuration is the one its manifest records for the run.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..findings import Finding, severity_counts, severity_rank
from .batch import CrossBatch, Entry

from ..batchfolder import CROSS_FILE  # noqa: E402
SCHEMA_VERSION = 1


@dataclass
class CrossResult:
    batch: CrossBatch
    findings: list[Finding]
    config: dict
    rules_run: list[str]
    rules_disabled: list[str]
    seconds: float = 0.0
    carry: list = field(default_factory=list)  # continuity.CarryCheck, every consecutive pair

    @property
    def summary(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def for_report(self, rid: str) -> list[Finding]:
        return [f for f in self.findings if f.location.get("report") == rid]

    def to_json(self) -> dict:
        aliases = self.config.get("agency_aliases") or {}
        agencies = [{"key": a.key, "name": a.name, "names": a.names,
                     "years": {str(y): ids for y, ids in sorted(a.years.items())},
                     "missing_years": a.missing_years()}
                    for a in sorted(self.batch.agencies(aliases).values(), key=lambda a: a.key)]
        carry = [{"previous": c.previous.id, "current": c.current.id,
                  "agency": c.current.agency, "years": [c.previous.year, c.current.year],
                  "status": c.status, "why": c.why,
                  "columns": {k: list(v) for k, v in c.columns.items()}} for c in self.carry]
        idx = next(iter(self.batch._copy.values()), None)
        copy = None if idx is None else {
            "common_sentences": len(idx.common), "common_min_agencies": idx.common_min_agencies,
            "pairs": [list(p) for p in sorted(idx.pairs)],
            "near_duplicates": [list(p) for p in sorted(idx.near)]}
        return {"schema_version": SCHEMA_VERSION, "tool_version": __version__,
                "reports": len(self.batch.entries), "seconds": round(self.seconds, 3),
                "agencies": agencies, "carry": carry, "copy": copy,
                "findings": [f.to_json() for f in self.findings], "summary": self.summary,
                "rules_run": self.rules_run, "rules_disabled": self.rules_disabled}


def run(entries: list[Entry], config=None) -> CrossResult:
    """Run every enabled cross-report rule over ``entries``."""
    from .copyindex import no_cyclic_gc

    with no_cyclic_gc():
        return _run(entries, config)


def _run(entries: list[Entry], config=None) -> CrossResult:
    from ..config import load_config
    from ..engine import Context, RuleError, _stamp
    from ..rules.registry import batch_rules
    from .continuity import ALIASES, carry_checks

    t0 = time.perf_counter()
    cfg = load_config(config)
    batch = CrossBatch(entries)
    ctx = Context(cfg)
    disabled = set(cfg["disabled"])
    findings: list[Finding] = []
    run_ids, skipped = [], []
    for r in batch_rules():
        if r.id in disabled:
            skipped.append(r.id)
            continue
        run_ids.append(r.id)
        try:
            out = list(r.func(batch, ctx.for_rule(r)) or ())
            for f in out:
                _stamp(f, r, cfg["severity"].get(r.id))
                if f.location.get("report") not in batch.by_id:
                    raise ValueError(f"finding names no report of the batch: {f.location}")
        except Exception as exc:  # a bug in the rule: name it
            raise RuleError(r.id, "<batch>", exc) from exc
        findings.extend(out)
    findings.sort(key=lambda f: (str(f.location.get("report")), severity_rank(f.severity),
                                 f.rule))
    carry = carry_checks(batch, cfg.get(ALIASES))
    return CrossResult(batch, findings, cfg, run_ids, skipped, time.perf_counter() - t0, carry)


def entries_from_folder(folder) -> list[Entry]:
    """The audited reports of a batch folder as ``Entry`` objects (``nianbao.batchfolder``)."""
    from ..batchfolder import read_batch

    return [Entry.from_result(e.id, e.result, e.html, e.file)
            for e in read_batch(folder).reports if e.audited]


def run_folder(batch_dir, config=None, write: bool = True) -> CrossResult:
    """Run the cross-report step on a batch folder; write ``crossreport.json`` and fill the
    与上年比较 section of each audit page (the comparison where the batch holds the agency's
    previous year, a note where it does not), all atomically; run again, it replaces them.
    ``config`` defaults to the configuration the manifest recorded."""
    from ..atomic import write_atomic
    from ..batchfolder import read_manifest

    folder = Path(batch_dir)
    if config is None:
        config = ((read_manifest(folder) or {}).get("run") or {}).get("config")
    res = run(entries_from_folder(folder), config)
    if write:
        write_atomic(folder / CROSS_FILE,
                     json.dumps(res.to_json(), ensure_ascii=False, indent=1, default=str) + "\n")
        from ..workbook.compare import write_compare_sections

        write_compare_sections(folder, res)
    return res


def load(batch_dir) -> dict | None:
    """``crossreport.json`` of a batch folder as written; None if absent or unreadable."""
    p = Path(batch_dir) / CROSS_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
