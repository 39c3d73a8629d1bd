"""A finding's fingerprint: the name a review decision is filed under.

A decision must find its finding again after a re-run, a new tool version, or an edit of the
report elsewhere, so the fingerprint is built only from what those leave alone:

- the **report identity**: the agency and the year as the report states them (both needed),
  else the input file's name without its suffix — never the file's hash, which any edit changes;
- the **rule** id;
- the **location** in the report's own terms: table, row and column keys for a cell; the part
  (一…六) for text — never a line number or a character offset, which shift with every edit
  above them;
- the **quoted text**, normalised (NFKC, no white space, no punctuation), for findings located in
  text — for a table cell the cell is the identity (its value is what the agency corrects).

The message and the severity are left out: they are wording of the tool and change with it.
Two findings of one report with the same parts get ``#2``, ``#3``… in the order the audit gave.

A **cross-report** finding (``crossreport.json``, family ``crossreport``) is filed under the
report it is about (``location.report``), like that report's own findings, from: the report
identity, the rule, the **other report's identity** (``details.other`` / ``details.previous``,
named by its own report identity, not its batch id) and, for a table cell, the cell. Not the
part or the quoted sentence: a copy finding is the pair of reports, whichever of the shared
sentences happens to come first after an edit.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def report_key(result: dict) -> str:
    """The report identity of a result (``result.json`` form): ``agency|year`` or the file stem."""
    rep = result.get("report") or {}
    agency, year = (rep.get("agency") or "").strip(), rep.get("year")
    if agency and isinstance(year, int) and not isinstance(year, bool):
        return f"{agency}|{year}"
    path = (result.get("source") or {}).get("path") or ""
    return Path(str(path)).stem or "(unknown)"


def normalise_quote(text: str | None) -> str:
    """The quote as compared: NFKC (full-width forms folded), lower case, no spaces, no
    punctuation — so re-wrapped lines or a changed comma do not make it another finding."""
    if not text:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)).lower())


def _parts(finding: dict, key: str) -> list[str]:
    loc = finding.get("location") or {}
    parts = [key, str(finding.get("rule") or "")]
    if loc.get("table"):
        parts += [f"table={loc['table']}", f"row={loc.get('row') or ''}",
                  f"column={loc.get('column') or ''}"]
        if not (loc.get("row") or loc.get("column")):  # a whole-table finding: its text too
            parts.append(normalise_quote(finding.get("quote")))
    else:
        if loc.get("section"):
            parts.append(f"section={loc['section']}")
        parts.append(normalise_quote(finding.get("quote")))
    return parts


def _cross_parts(finding: dict, key: str, keys: dict[str, str]) -> list[str]:
    loc = finding.get("location") or {}
    parts = [key, str(finding.get("rule") or ""), "cross"]
    other = other_report(finding)
    if other:
        oid = str(other.get("id") or "")
        parts.append("other=" + keys.get(oid, str(other.get("label") or oid)))
    if loc.get("table"):
        parts += [f"table={loc['table']}", f"row={loc.get('row') or ''}",
                  f"column={loc.get('column') or ''}"]
    return parts


def other_report(finding: dict) -> dict | None:
    """The other report a cross-report finding names (``details.other`` or ``.previous``)."""
    if "report" not in (finding.get("location") or {}):
        return None  # a single-report finding
    d = finding.get("details") or {}
    other = d.get("other") or d.get("previous")
    return other if isinstance(other, dict) else None


def fingerprints(result: dict, cross=None, keys: dict[str, str] | None = None) -> list[str]:
    """The fingerprint of every finding of ``result`` (``result.json`` form), in its order, then
    of each of ``cross``, the cross-report findings about this report (``crossreport.json``);
    ``keys`` (batch report id → report identity) names a cross finding's other report."""
    key = report_key(result)
    seen: dict[str, int] = {}
    out = []
    items = [(f, False) for f in result.get("findings") or []]
    items += [(f, True) for f in cross or ()]
    for f, is_cross in items:
        f = f if isinstance(f, dict) else {}
        base = "\x1f".join(_cross_parts(f, key, keys or {}) if is_cross else _parts(f, key))
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            base += f"\x1f#{seen[base]}"
        out.append(hashlib.sha256(base.encode("utf-8")).hexdigest()[:16])
    return out
