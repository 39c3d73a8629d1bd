"""What the cross-report rules read: the batch's audit results, lined up by agency and year.

Built from result JSON (schema.md, as the batch writes them), never by re-reading the reports:
on Dask the client has the results and nothing else. The section texts come from
``report.sections[].text`` (written since this step exists); an older result without them still
takes part in the table rules and is simply absent from the copy rules.

Rules get a ``CrossBatch`` and the ``RuleContext`` of the engine, so they read configuration only
through ``ctx.option`` of the keys they declare, exactly like single-report rules. Whatever
depends on the configuration (agency identity, the copy index) is computed on first use with the
values a rule read, and cached by those values.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import identity


@dataclass
class Entry:
    """One audited report of the batch, as the cross-report step sees it."""

    id: str
    agency: str | None
    year: int | None
    format_version: str | None = None
    published: str | None = None
    region: str | None = None
    title: str | None = None
    tables: dict = field(default_factory=dict)  # {"table2": {row: {col: v}}, ...}
    sections: list[dict] = field(default_factory=list)  # [{number, heading, text}]
    href: str | None = None  # the audit page, relative to the batch folder
    file: str | None = None

    @property
    def label(self) -> str:
        return f"{self.agency or self.file or self.id} {self.year or ''}".strip()

    def value(self, table: str, row: str, col: str):
        v = ((self.tables.get(table) or {}).get(row) or {}).get(col)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    @property
    def has_text(self) -> bool:
        return any(s.get("text") for s in self.sections)

    @classmethod
    def from_result(cls, rid: str, result: dict, href: str | None = None,
                    file: str | None = None) -> "Entry":
        rep = result.get("report") or {}
        year = rep.get("year")
        return cls(id=str(rid), agency=rep.get("agency") or None,
                   year=year if isinstance(year, int) and not isinstance(year, bool) else None,
                   format_version=rep.get("format_version"), published=rep.get("published"),
                   region=rep.get("region"), title=rep.get("title"),
                   tables=rep.get("tables") or {},
                   sections=[s for s in rep.get("sections") or [] if isinstance(s, dict)],
                   href=href, file=file)


class CrossBatch:
    """The entries of a batch and what is derived from them (agencies, the copy index)."""

    def __init__(self, entries: list[Entry]):
        self.entries = list(entries)
        self.by_id = {e.id: e for e in self.entries}
        self._agencies: dict = {}
        self._copy: dict = {}

    def agencies(self, aliases: dict | None) -> dict[str, identity.Agency]:
        key = tuple(sorted((aliases or {}).items()))
        if key not in self._agencies:
            self._agencies[key] = identity.group(self.entries, dict(aliases or {}))
        return self._agencies[key]

    def agency_of(self, aliases: dict | None) -> dict[str, str]:
        """entry id -> agency key."""
        return {rid: a.key for a in self.agencies(aliases).values()
                for ids in a.years.values() for rid in ids}

    def consecutive(self, aliases: dict | None):
        """(previous, current) entry pairs of the same agency in consecutive years; where an
        agency has two reports for one year (a re-issue), each is paired."""
        for a in self.agencies(aliases).values():
            for y in sorted(a.years):
                if y - 1 in a.years:
                    for p in a.years[y - 1]:
                        for c in a.years[y]:
                            yield self.by_id[p], self.by_id[c]

    def previous(self, aliases: dict | None) -> dict[str, Entry]:
        """entry id -> the agency's report of the year before, where the batch has it."""
        return {c.id: p for p, c in self.consecutive(aliases)}

    def copy_index(self, aliases: dict | None, common_share: float, common_min: int):
        """The copy index (``nianbao.crossreport.copy.CopyIndex``) for these settings."""
        from .copyindex import CopyIndex

        key = (tuple(sorted((aliases or {}).items())), common_share, common_min)
        if key not in self._copy:
            self._copy[key] = CopyIndex.build(self, self.agency_of(aliases),
                                              common_share, common_min)
        return self._copy[key]
