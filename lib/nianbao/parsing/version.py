"""Which official format the report follows, from the labels it prints (spec §5.1 STRUCT-VERSION).

The 2021 format (国办公开办函〔2021〕30号) and the 2019 trial format (〔2019〕60号) share 表三 and
表四 almost entirely; 表二 and 表三 （六） tell them apart. The markers seen are kept on the
report, because a report that prints both kinds is itself a finding.
"""
from __future__ import annotations

from .. import schema
from ..textnorm import label_key

MARKERS = {
    schema.FORMAT_2021: ("本年制发件数", "本年收费金额", "申请人无正当理由逾期不补正"),
    schema.FORMAT_2019: ("本年新制作数量", "对外公开总数量", "上一年项目数量", "第二十条第（九）项",
                         "政府集中采购", "其他对外管理服务事项"),
}
_KEYS = {v: [(m, label_key(m)) for m in ms] for v, ms in MARKERS.items()}


def detect(h_key: str, year: int | None, has_table3: bool) -> tuple[str, dict[str, list[str]]]:
    """(format_version, markers seen per version). ``h_key`` is the label_key of the text."""
    seen = {v: [m for m, k in keys if k in h_key] for v, keys in _KEYS.items()}
    seen = {v: ms for v, ms in seen.items() if ms}
    if not has_table3 and year is not None and year < 2019:
        return schema.FORMAT_LEGACY, seen  # prose may use 2019 words; without 表三 it is legacy
    n21 = len(seen.get(schema.FORMAT_2021, ()))
    n19 = len(seen.get(schema.FORMAT_2019, ()))
    if n21 or n19:
        if n21 != n19:
            return (schema.FORMAT_2021 if n21 > n19 else schema.FORMAT_2019), seen
        return (schema.FORMAT_2021 if (year or 0) >= 2021 else schema.FORMAT_2019), seen
    return schema.FORMAT_UNKNOWN, seen


_T3_2021 = (label_key("逾期不补正"), label_key("收费通知"))


def table_format(name: str, region_key: str, report_fmt: str) -> str:
    """The layout one table prints, from the labels inside it: a report that mixes the formats
    (2019 表二 in a 2021 report) is still read cell for cell as printed. 表三 differs only in
    （六）: sub-items 1–3 (2021) or one row （六）其他处理 (2019). Falls back to the report's."""
    if name == "table3":
        if any(k in region_key for k in _T3_2021):
            return schema.FORMAT_2021
        if "其他处理" in region_key and report_fmt == schema.FORMAT_2019:
            return schema.FORMAT_2019
        return report_fmt
    if name == "table2":
        n21 = sum(k in region_key for _, k in _KEYS[schema.FORMAT_2021][:2])
        n19 = sum(k in region_key for _, k in _KEYS[schema.FORMAT_2019])
        if n21 != n19:
            return schema.FORMAT_2021 if n21 > n19 else schema.FORMAT_2019
    return report_fmt
