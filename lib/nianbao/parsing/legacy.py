"""The statistics table of a pre-2019 report (政府信息公开情况统计表, the old 条例's form).

Why a model of its own: the old form is a list of indicators — 指标名称, 计量单位, this year's value
and often 历年累计 — with "其中：1.… 2.…" rows under a total (主动公开信息数, 受理…申请总数,
对申请的答复总数). It has none of 表二/表三/表四's cells, but its totals and their parts can be
checked against each other. Values are read only where each printed number stands apart: a
run of digits that must hold two columns ("212210037" under 2017年度 and 历年累计) has several
readings and is left unread (None), never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..textnorm import to_halfwidth

_START = re.compile(r"指\s*标\s*名\s*称")
_END = re.compile(r"附件下载|附件[:：]|\n\s*\n")
_UNIT = r"(?:条|件|个|人次|次|元|万元)"
#: a value, not the numbering of the next item ("418 1509 2.政府公报公开", glued: "1382．政府…")
_NUM = r"\d+(?:(?=\d[.．、]\D)|(?![\d.．、]))"
_ROW = re.compile(r"(?P<label>(?:其中[:：]?\s*)?(?:\d\s*[.．、]\s*)?[\u4e00-\u9fff][\u4e00-\u9fff、，,（）()“”]*?)\s*"
                  rf"(?P<unit>{_UNIT})\s*(?P<vals>{_NUM}(?:[ \t\u3000]+{_NUM})*)")
_COLUMN_WORD = re.compile(r"\d{4}\s*年\s*度?|历\s*年\s*累\s*计|年\s*末\s*统\s*计")
_ITEM = re.compile(r"^(?:其中[:：]?\s*)?\d\s*[.．、]")


@dataclass
class LegacyRow:
    label: str  # as printed, without the 其中/numbering
    unit: str
    values: list[int | None]  # one per value column; None where the print cannot be split
    line: int
    span: tuple[int, int]
    raw: str
    items: list["LegacyRow"] = field(default_factory=list)  # the "其中" rows under a total


@dataclass
class LegacyTable:
    columns: list[str]  # e.g. ["2017年度", "历年累计"] or ["年末统计"]
    rows: list[LegacyRow]  # the top-level indicators, each with its items
    span: tuple[int, int]
    line: int


def parse_legacy_table(doc) -> LegacyTable | None:
    """The old statistics table of ``doc``, or None when it prints none."""
    h = to_halfwidth(doc.text)
    m = _START.search(h)
    if not m:
        return None
    end = _END.search(h, m.end())
    hi = end.start() if end else min(len(h), m.end() + 3000)
    first = _ROW.search(h, m.end(), hi)
    if not first:
        return None
    # the header (计量单位 2017年度 历年累计) ends at its last column word, which flattened text
    # glues to the first indicator's label
    words = list(_COLUMN_WORD.finditer(h, m.end(), first.end()))
    body = words[-1].end() if words else m.end()
    columns = [re.sub(r"\s+", "", w.group()) for w in words] or ["本年"]
    rows: list[LegacyRow] = []
    for r in _ROW.finditer(h, body, hi):
        label = re.sub(r"\s+", "", r.group("label"))
        is_item = bool(_ITEM.match(label))
        label = _ITEM.sub("", label)
        row = LegacyRow(label, r.group("unit"), _values(r.group("vals"), columns),
                        doc.line_of(r.start()), (r.start(), r.end()), doc.text[r.start():r.end()])
        if is_item and rows:
            rows[-1].items.append(row)
        else:
            rows.append(row)
    if not rows:
        return None
    return LegacyTable(columns, rows, (m.start(), rows[-1].span[1] if not rows[-1].items
                                      else rows[-1].items[-1].span[1]), doc.line_of(m.start()))


def _values(printed: str, columns: list[str]) -> list[int | None]:
    """One number per column when the print separates them (or a single column), or when a
    glued run of this year and 历年累计 has exactly one split without leading zeros ("00" is 0
    and 0; "740" is 7/40 or 74/0, so None — the cumulative is not assumed to be the larger,
    reports get that wrong too); else None."""
    n = len(columns)
    toks = printed.split()
    if len(toks) == n:
        return [int(t) for t in toks]
    if n == 2 and len(toks) == 1:
        run = toks[0]
        splits = [(int(run[:i]), int(run[i:])) for i in range(1, len(run))
                  if (run[i] != "0" or i == len(run) - 1) and (run[0] != "0" or i == 1)]
        if len(splits) == 1:
            return list(splits[0])
    return [None] * n
