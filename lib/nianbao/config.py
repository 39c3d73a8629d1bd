"""The audit configuration: packaged defaults (``default_config.yaml``) with a user file merged over.

Validation is strict on purpose: an unknown key or a bad value raises ``ConfigError`` (one line,
CLI exit 2) instead of being ignored, so that a run never claims a setting it did not use. The
effective configuration is recorded in every ``AuditResult``.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import InputError
from .findings import SEVERITIES

AGENCY_KINDS = ("department", "government", "auto")
#: Keys the engine itself reads; every other key must be declared by a rule (``@rule(config=)``).
ENGINE_KEYS = ("severity", "disabled")
#: Keys the readers read (``nianbao.limits``): no rule declares them, the engine hands them on.
READER_KEYS = ("limits",)
#: Mappings that a user file merges key by key.
NESTED_KEYS = ("deadlines", "thresholds", "limits")


class ConfigError(InputError):
    """A configuration that cannot be used: its path (or ``<dict>``) and the one-line reason."""


@lru_cache(maxsize=1)
def _defaults() -> dict:
    text = resources.files("nianbao").joinpath("default_config.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def defaults() -> dict:
    """A fresh copy of the packaged defaults (parsed once per process)."""
    return copy.deepcopy(_defaults())


def load_config(source=None) -> dict:
    """The effective configuration: defaults, with ``source`` (a YAML path, a dict, or None)
    merged over them one level deep (``deadlines``, ``thresholds`` merge key by key)."""
    where = "<dict>"
    if source is None:
        user: dict = {}
    elif isinstance(source, dict):
        user = copy.deepcopy(source)
    else:
        where = str(source)
        path = Path(source)
        try:
            user = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise ConfigError(where, "configuration file not found") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(where, f"cannot read configuration: {e}") from None
        except yaml.YAMLError as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else "syntax error"
            raise ConfigError(where, f"not valid YAML: {first}") from None
        if not isinstance(user, dict):
            raise ConfigError(where, "configuration must be a YAML mapping")
    cfg = defaults()
    declared = declared_keys()
    for key, val in user.items():
        if key not in cfg or not (key in ENGINE_KEYS or key in READER_KEYS or key in declared
                                  or any(d.startswith(key + ".") for d in declared)):
            raise ConfigError(where, f"unknown configuration key {key!r} "
                                     f"(known: {', '.join(sorted(cfg))})")
        if isinstance(cfg[key], dict) and key in NESTED_KEYS:
            if not isinstance(val, dict):
                raise ConfigError(where, f"{key} must be a mapping")
            for k in val:
                if k not in cfg[key] or not (key in READER_KEYS or key in declared
                                             or f"{key}.{k}" in declared):
                    raise ConfigError(where, f"unknown key {key}.{k} "
                                             f"(known: {', '.join(sorted(cfg[key]))})")
            cfg[key].update(val)
        else:
            cfg[key] = val
    _validate(cfg, where)
    from .rules.registry import canonical_id  # results and files may name an old rule id

    cfg["severity"] = {canonical_id(k): v for k, v in cfg["severity"].items()}
    cfg["disabled"] = [canonical_id(k) for k in cfg["disabled"]]
    return cfg


#: The cross-report thresholds: key, lower and upper bound, type.
_CROSS_THRESHOLDS = (("jump_ratio", 1, 10**6, (int, float)), ("jump_floor", 0, 10**9, (int, float)),
                     ("copy_common_share", 0, 1, (int, float)), ("copy_common_min", 2, 10**6, int),
                     ("copy_prev_share", 0, 1, (int, float)), ("copy_peer_chars", 1, 10**6, int))
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _validate(cfg: dict, where: str) -> None:
    def bad(reason: str):
        raise ConfigError(where, reason)

    if cfg["agency_kind"] not in AGENCY_KINDS:
        bad(f"agency_kind must be one of {', '.join(AGENCY_KINDS)}, not {cfg['agency_kind']!r}")
    sfx = cfg["government_suffixes"]
    if not isinstance(sfx, list) or not all(isinstance(s, str) and s for s in sfx):
        bad("government_suffixes must be a list of non-empty strings")
    for kind, val in cfg["deadlines"].items():
        if not isinstance(val, str) or not _MMDD.match(val):
            bad(f"deadlines.{kind} must be a quoted MM-DD string such as \"01-31\", not {val!r}")
    known = _known_rule_ids()
    sev = cfg["severity"]
    if not isinstance(sev, dict):
        bad("severity must be a mapping RULE-ID: error|warning|info")
    for rid, s in sev.items():
        if rid not in known:
            bad(f"severity: unknown rule id {rid!r}")
        if s not in SEVERITIES:
            bad(f"severity.{rid} must be error, warning or info, not {s!r}")
    dis = cfg["disabled"]
    if not isinstance(dis, list):
        bad("disabled must be a list of rule ids")
    for rid in dis:
        if rid not in known:
            bad(f"disabled: unknown rule id {rid!r}")
    for k, v in cfg["limits"].items():
        if not isinstance(v, int) or isinstance(v, bool) or v < (0 if k == "max_memory_mb" else 1):
            bad(f"limits.{k} must be a positive integer, not {v!r}")
    th = cfg["thresholds"]
    ls = th["label_similarity"]
    if not isinstance(ls, (int, float)) or isinstance(ls, bool) or not 0 <= ls <= 100:
        bad(f"thresholds.label_similarity must be a number 0–100, not {ls!r}")
    for key, lo, hi, kind in _CROSS_THRESHOLDS:
        v = th[key]
        if not isinstance(v, kind) or isinstance(v, bool) or not lo <= v <= hi:
            bad(f"thresholds.{key} must be a number {lo}–{hi}, not {v!r}")
    al = cfg["agency_aliases"]
    if not isinstance(al, dict) or not all(isinstance(k, str) and isinstance(v, str) and v
                                           for k, v in al.items()):
        bad("agency_aliases must be a mapping of agency name -> canonical name")
    fd = th["fee_decimals"]
    if fd is not None and (not isinstance(fd, int) or isinstance(fd, bool) or not 0 <= fd <= 6):
        bad(f"thresholds.fee_decimals must be null or an integer 0–6, not {fd!r}")


def _known_rule_ids() -> set[str]:
    from .rules.registry import ALIASES, all_rules

    return {r.id for r in all_rules()} | set(ALIASES)


def declared_keys() -> set[str]:
    """Every configuration key some rule declares it reads (dotted for nested keys)."""
    from .rules.registry import all_rules

    return {k for r in all_rules() for k in r.config}


def setting_keys(cfg: dict | None = None) -> set[str]:
    """The leaf keys of a configuration other than the engine's own, dotted for nested
    mappings (``thresholds.fee_decimals``); whole mappings such as ``deadlines`` count once."""
    cfg = defaults() if cfg is None else cfg
    out = set()
    for k, v in cfg.items():
        if k in ENGINE_KEYS or k in READER_KEYS:
            continue
        if k == "thresholds":
            out.update(f"{k}.{sub}" for sub in v)
        else:
            out.add(k)
    return out


def agency_kind(agency: str | None, cfg: dict) -> tuple[str | None, str]:
    """``(kind, why)``: the configured kind, or the name-suffix guess (None if no agency name)."""
    kind = cfg["agency_kind"]
    if kind != "auto":
        return kind, "配置指定"
    if not agency:
        return None, "机关名称未识别"
    name = agency.strip()
    for s in cfg["government_suffixes"]:
        if name.endswith(s):
            return "government", f"机关名称以“{s}”结尾"
    return "department", "机关名称不是本级政府或地名"
