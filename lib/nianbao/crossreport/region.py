"""The region at a glance, as DataFrames: coverage, lateness, the evaluators' indicators, outliers.

What evaluators score, per report (blank cells are left out of a sum, never read as 0; an
indicator whose denominator is 0 or blank is missing, not 0%):

- 申请量: 表三 本年新收 (总计), and its change from the agency's previous report in the batch;
- 实质公开率 = (予以公开 + 部分公开) / 办结 (表三 （七）总计, i.e. ``total_processed``);
- 不予公开 and 无法提供 shares of 办结 (the sums of their rows);
- 纠错率 = 复议和诉讼中被纠正的比例: 表四 结果纠正 / (总计 − 尚未审结), over 复议 and both 诉讼 rows.

Outliers are marked with Tukey's fences (beyond 1.5 × IQR from the quartiles) over the reports
of the batch that have the indicator, once there are at least ``MIN_FOR_OUTLIERS`` of them.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schema
from ..config import agency_kind
from .batch import CrossBatch, Entry

INDICATORS = {"applications": "申请量", "applications_change": "申请量较上年",
              "disclosure_rate": "实质公开率", "withheld_share": "不予公开占比",
              "unavailable_share": "无法提供占比", "correction_rate": "纠错率"}
RATES = ("disclosure_rate", "withheld_share", "unavailable_share", "correction_rate")
MIN_FOR_OUTLIERS = 5


def _sum(e: Entry, table: str, rows, col: str):
    vals = [e.value(table, r, col) for r in rows]
    vals = [v for v in vals if v is not None]
    return sum(vals) if vals else None


def _ratio(a, b):
    return None if a is None or not b else a / b


def indicators(e: Entry) -> dict:
    """The indicators of one report (None where the report does not allow them)."""
    t3 = "table3"
    done = e.value(t3, "total_processed", "total")
    withheld = [r for r in (e.tables.get(t3) or {}) if r.startswith("withheld_")]
    unavailable = [r for r in (e.tables.get(t3) or {}) if r.startswith("unavailable_")]
    granted = _sum(e, t3, ("granted", "partially_granted"), "total")
    corrected = _sum(e, "table4", schema.T4_ROW_KEYS, "corrected")
    total4 = _sum(e, "table4", schema.T4_ROW_KEYS, "total")
    pending = _sum(e, "table4", schema.T4_ROW_KEYS, "pending") or 0
    closed = None if total4 is None else total4 - pending
    return {"applications": e.value(t3, "new_received", "total"),
            "disclosure_rate": _ratio(granted, done),
            "withheld_share": _ratio(_sum(e, t3, withheld, "total"), done),
            "unavailable_share": _ratio(_sum(e, t3, unavailable, "total"), done),
            "correction_rate": _ratio(corrected, closed)}


def indicator_frame(batch: CrossBatch, aliases=None) -> pd.DataFrame:
    """One row per report with an agency and a year: agency (key and name), year, indicators,
    the change of 申请量 from the agency's previous report, and an ``outliers`` list."""
    agencies = batch.agencies(aliases)
    rows = []
    for a in agencies.values():
        last = None
        for y in sorted(a.years):
            for rid in a.years[y]:
                e = batch.by_id[rid]
                ind = indicators(e)
                change = None
                if last is not None and ind["applications"] is not None \
                        and last["applications"] is not None:
                    change = ind["applications"] - last["applications"]
                rows.append({"report": rid, "agency_key": a.key, "agency": a.name, "year": y,
                             **ind, "applications_change": change, "href": e.href})
                last = ind
    cols = ["report", "agency_key", "agency", "year", *INDICATORS, "href"]
    df = pd.DataFrame(rows, columns=cols)
    df["outliers"] = [[] for _ in range(len(df))]
    for k in ("applications", *RATES):
        vals = pd.to_numeric(df[k], errors="coerce")
        have = vals.dropna()
        if len(have) < MIN_FOR_OUTLIERS:
            continue
        q1, q3 = have.quantile(0.25), have.quantile(0.75)
        iqr = q3 - q1
        lo, hi = q1 - 1.5 * iqr, q3 + 1.5 * iqr
        for i, v in vals.items():
            if pd.notna(v) and (v < lo or v > hi) and iqr > 0:
                df.at[i, "outliers"] = df.at[i, "outliers"] + [k]
    return df.sort_values(["agency", "year"]).reset_index(drop=True)


def coverage(batch: CrossBatch, aliases=None) -> pd.DataFrame:
    """Agency × year: the number of reports the batch holds (0 where it has none inside or
    around the agency's run)."""
    agencies = batch.agencies(aliases)
    years = sorted({y for a in agencies.values() for y in a.years})
    data = {a.name: [len(a.years.get(y, ())) for y in years]
            for a in sorted(agencies.values(), key=lambda a: a.name)}
    df = pd.DataFrame.from_dict(data, orient="index", columns=years)
    df.index.name = "agency"
    return df


def lateness(batch: CrossBatch, config: dict) -> pd.DataFrame:
    """Per report with a publication date: the deadline for its agency kind (条例 第四十九条;
    ``deadlines`` and ``agency_kind`` of the configuration) and the days after it (negative:
    early)."""
    rows = []
    for e in batch.entries:
        if not e.published or e.year is None:
            continue
        try:
            pub = dt.date.fromisoformat(str(e.published)[:10])
        except ValueError:
            continue
        kind, _why = agency_kind(e.agency, config)
        mmdd = config["deadlines"].get(kind or "department", "01-31")
        due = dt.date(e.year + 1, int(mmdd[:2]), int(mmdd[3:]))
        rows.append({"report": e.id, "agency": e.agency, "year": e.year, "kind": kind,
                     "published": pub, "deadline": due, "days_late": (pub - due).days,
                     "href": e.href})
    return pd.DataFrame(rows, columns=["report", "agency", "year", "kind", "published",
                                       "deadline", "days_late", "href"])


def copy_edges(cross: dict | None) -> list[dict]:
    """The copy network from ``crossreport.json``: one edge per pair of reports of different
    agencies with a COPY-PEER finding, with the characters shared and the worst severity."""
    edges: dict[tuple, dict] = {}
    for f in (cross or {}).get("findings") or []:
        if f.get("rule") != "COPY-PEER":
            continue
        a = (f.get("location") or {}).get("report")
        b = ((f.get("details") or {}).get("other") or {}).get("id")
        if not a or not b:
            continue
        key = tuple(sorted((a, b)))
        e = edges.setdefault(key, {"a": key[0], "b": key[1], "chars": 0, "severity": "info"})
        e["chars"] = max(e["chars"], int(f.get("actual") or 0))
        if f.get("severity") == "error" or (f.get("severity") == "warning"
                                           and e["severity"] == "info"):
            e["severity"] = f["severity"]
    return list(edges.values())
