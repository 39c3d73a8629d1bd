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


def fingerprints(result: dict) -> list[str]:
    """The fingerprint of every finding of ``result`` (``result.json`` form), in its order."""
    key = report_key(result)
    seen: dict[str, int] = {}
    out = []
    for f in result.get("findings") or []:
        base = "\x1f".join(_parts(f if isinstance(f, dict) else {}, key))
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            base += f"\x1f#{seen[base]}"
        out.append(hashlib.sha256(base.encode("utf-8")).hexdigest()[:16])
    return out
