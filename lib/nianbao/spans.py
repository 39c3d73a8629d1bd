"""Where in the report text a finding's evidence is: resolved once, at audit time.

A finding may point at a span (prose findings), a table cell (whose span the reader recorded) or
only quote the text it rests on (a header, a whole row). The engine resolves each finding's
``evidence_span`` here, so that result.json, findings.csv and every page highlight the same
characters, and nobody has to search the text for the quote again.
"""
from __future__ import annotations

import re

from . import schema


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts (index 0 is line 1)."""
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def evidence_span(f, report, starts: list[int] | None = None) -> tuple[int, int] | None:
    """The character span ``f`` rests on: already resolved, else its own location's, else its
    cell's, else where its quote is printed (at or just after its line)."""
    if getattr(f, "evidence_span", None):
        return tuple(f.evidence_span)
    loc = f.location
    if loc.get("span"):
        return tuple(loc["span"])
    if loc.get("table") in schema.TABLE_NAMES and loc.get("row") and loc.get("column"):
        cell = report.table(loc["table"]).cell(loc["row"], loc["column"])
        if cell is not None and cell.span:
            return tuple(cell.span)
    text = report.text
    if f.quote and 2 <= len(f.quote) <= 2000:
        # quotes are often whitespace-normalized (a table row's tabs printed as spaces)
        pattern = re.compile(r"\s+".join(re.escape(t) for t in f.quote.split()))
        line = loc.get("line")
        m = None
        if not line:
            m = pattern.search(text)
        else:
            starts = starts if starts is not None else line_starts(text)
            if 1 <= line <= len(starts):
                m = pattern.search(text, starts[line - 1])
                if m and report.document.line_of(m.start()) > line + 2:  # some later repeat
                    m = None
        if m:
            return _narrow(text, m.span(), f.actual)
    return None


def _narrow(text: str, span: tuple[int, int], actual) -> tuple[int, int]:
    """Within a quoted block (a table header, a whole row), the printed ``actual`` wording is
    what the finding is about: mark that when it occurs there exactly once."""
    if isinstance(actual, str) and len(actual) >= 2:
        block = text[span[0]:span[1]]
        if block.count(actual) == 1:
            i = span[0] + block.index(actual)
            return (i, i + len(actual))
    return span


def resolve(findings, report) -> None:
    """Set ``evidence_span`` on every finding that has one (the engine calls this once)."""
    starts = None
    for f in findings:
        if f.evidence_span is None:
            if starts is None and f.quote and f.location.get("line"):
                starts = line_starts(report.text)
            f.evidence_span = evidence_span(f, report, starts)
