"""The cross-report rules (family ``crossreport``, ``scope="batch"``) live in
``nianbao.crossreport``; importing them here registers them with the other rules, so the
catalogue, the configuration's validation and docs/rules.md list them like any rule."""
from __future__ import annotations

from ..crossreport import continuity, copy  # noqa: F401  (registers the rules)
