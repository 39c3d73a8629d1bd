"""The rule registry: every check is a registered function with its catalogue metadata.

A rule's id, title, default severity and basis come from the catalogue in
``spec/annual-report-format.md`` §5. ``docs/rules.md`` is generated from this registry
(``python -m nianbao rules --markdown``), and a test keeps the two in step.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from ..findings import SEVERITIES, Finding

BASES = ("OFFICIAL", "STRUCT", "HEUR")
SCOPES = ("report", "batch")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # Chinese, one line
    severity: str  # default severity: error | warning | info
    basis: str  # OFFICIAL | STRUCT | HEUR
    source: str  # where the rule comes from (spec section, document, source id)
    family: str  # meta | structure | table2 | table3 | table4 | text | narrative
    func: Callable[..., Iterable[Finding]]
    doc: str = ""
    config: tuple[str, ...] = ()  # the configuration keys it reads (dotted: thresholds.x)
    #: "report": ``func(report, ctx)``, run by the engine on each report; "batch":
    #: ``func(batch, ctx)`` over a ``nianbao.crossreport.CrossBatch``, run by the cross-report
    #: step after the per-report audits (its findings name their report in ``location``).
    scope: str = "report"


RULES: dict[str, Rule] = {}


def rule(id: str, *, title: str, severity: str, basis: str, source: str, family: str,
         config: tuple[str, ...] = (), scope: str = "report"):
    """Register ``func(report, ctx) -> iterable of Finding`` as rule ``id``.

    ``ctx`` is a ``nianbao.engine.RuleContext``: the publication date and the configuration keys
    listed in ``config`` (``ctx.option("thresholds.label_similarity")``); reading a key the rule
    did not declare raises. The engine stamps each finding with this id and family, and with
    this default severity unless the rule set one where the catalogue says so (e.g. a warning
    for a label variant under an error rule); the configuration may override it.
    """
    assert severity in SEVERITIES, severity
    assert basis in BASES, basis
    assert family in FAMILY_LABELS, family
    assert scope in SCOPES, scope
    prefix = id.split("-")[0]
    assert _PREFIX_FAMILY.get(prefix) == family, f"rule {id}: prefix {prefix} is not family {family}"

    def deco(func):
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(id, title, severity, basis, source, family, func,
                         inspect.cleandoc(func.__doc__ or ""), tuple(config), scope)
        return func

    return deco


_loaded = False


def report_rules() -> list[Rule]:
    """The rules the engine runs on one report (``all_rules`` also has the batch rules)."""
    return [r for r in all_rules() if r.scope == "report"]


def batch_rules() -> list[Rule]:
    """The cross-report rules (``scope="batch"``), run by ``nianbao.crossreport``."""
    return [r for r in all_rules() if r.scope == "batch"]


def all_rules() -> list[Rule]:
    global _loaded
    if not _loaded:  # importing the rule modules registers them; once is enough
        from . import load_all

        load_all()
        _loaded = True
    global _sorted
    if _sorted is None or _sorted[0] is not RULES or len(_sorted[1]) != len(RULES):
        _sorted = (RULES, sorted(RULES.values(), key=lambda r: (FAMILY_ORDER.index(r.family), r.id)))
    return list(_sorted[1])


_sorted: tuple[dict, list[Rule]] | None = None  # (the registry it was made from, the order)


#: The rule families in display order, with the names the pages show.
FAMILY_LABELS = {"meta": "元数据", "structure": "结构", "table2": "表二", "table3": "表三",
                 "table4": "表四", "legacy": "旧版统计表", "text": "文字", "narrative": "叙述与表格一致性",
                 "crossreport": "跨报告"}
FAMILY_ORDER = list(FAMILY_LABELS)
#: A rule id's prefix names its family; ``rule()`` refuses an id whose prefix disagrees.
_PREFIX_FAMILY = {"META": "meta", "STRUCT": "structure", "T2": "table2", "T3": "table3",
                  "T4": "table4", "LEGACY": "legacy", "TEXT": "text", "NARR": "narrative",
                  "CROSS": "crossreport", "COPY": "crossreport"}
#: Ids that earlier versions wrote, and the rule that carries them now (results and
#: configurations that name the old id keep working).
ALIASES = {"ALLZERO-CONSIST": "NARR-ALLZERO"}


def canonical_id(rule_id: str | None) -> str | None:
    """The current id of ``rule_id`` (itself unless it is an old alias)."""
    return ALIASES.get(rule_id, rule_id) if rule_id else rule_id


def family_of(rule_id: str) -> str:
    """A rule's family: the registry's; for an id this version does not register (a result
    written by another version), its prefix decides; otherwise "other"."""
    all_rules()
    rule = RULES.get(canonical_id(rule_id) or "")
    if rule is not None:
        return rule.family
    return _PREFIX_FAMILY.get((rule_id or "").split("-")[0], "other")
