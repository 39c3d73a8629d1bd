"""Canonical keys and official labels of the three statistical tables.

Everything that names a table cell (the parser, the rules, the JSON result, the notebooks) uses
these keys, which follow ``spec/schema.md``. Labels are the official wording of the format
documents (国办公开办函〔2021〕30号 and the 2019 trial format 〔2019〕60号); ``keywords`` are the
normalized fragments the parser matches on, because printed labels vary in brackets, spacing and
small wording (see ``nianbao.textnorm.label_key``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMAT_LEGACY = "legacy"
FORMAT_UNKNOWN = "unknown"
FORMAT_VERSIONS = (FORMAT_2021, FORMAT_2019, FORMAT_LEGACY, FORMAT_UNKNOWN)


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # the official label, as printed in the format document
    keywords: tuple[str, ...]  # normalized fragments that identify the row when printed
    group: str | None = None  # the parent group (表三 （三）…（六）), for display
    formats: tuple[str, ...] = (FORMAT_2021, FORMAT_2019)


@dataclass(frozen=True)
class ColSpec:
    key: str
    label: str
    keywords: tuple[str, ...] = ()


# ---------------------------------------------------------------- 表三
T3_COLUMNS: tuple[ColSpec, ...] = (
    ColSpec("natural_person", "自然人", ("自然人",)),
    ColSpec("commercial", "商业企业", ("商业企业",)),
    ColSpec("research", "科研机构", ("科研机构",)),
    ColSpec("social_welfare", "社会公益组织", ("社会公益组织", "社会组织")),
    ColSpec("legal_service", "法律服务机构", ("法律服务机构",)),
    ColSpec("other_org", "其他", ("其他",)),
    ColSpec("total", "总计", ("总计",)),
)
T3_COLUMN_KEYS = tuple(c.key for c in T3_COLUMNS)
T3_APPLICANT_KEYS = T3_COLUMN_KEYS[:6]

_BOTH = (FORMAT_2021, FORMAT_2019)
_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"

T3_ROWS: tuple[RowSpec, ...] = (
    RowSpec("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    RowSpec("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    RowSpec("granted", "（一）予以公开", ("予以公开",), "三、本年度办理结果"),
    RowSpec("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ("部分公开",), "三、本年度办理结果"),
    RowSpec("withheld_state_secret", "1.属于国家秘密", ("国家秘密",), _G3),
    RowSpec("withheld_prohibited", "2.其他法律行政法规禁止公开", ("禁止公开",), _G3),
    RowSpec("withheld_security_stability", "3.危及“三安全一稳定”", ("三安全一稳定", "危及"), _G3),
    RowSpec("withheld_third_party", "4.保护第三方合法权益", ("第三方合法权益", "第三方"), _G3),
    RowSpec("withheld_internal_affairs", "5.属于三类内部事务信息", ("内部事务",), _G3),
    RowSpec("withheld_process_info", "6.属于四类过程性信息", ("过程性信息", "过程性"), _G3),
    RowSpec("withheld_enforcement_file", "7.属于行政执法案卷", ("执法案卷", "行政执法案"), _G3),
    RowSpec("withheld_query_matter", "8.属于行政查询事项", ("行政查询", "查询事项"), _G3),
    RowSpec("unavailable_not_held", "1.本机关不掌握相关政府信息", ("不掌握",), _G4),
    RowSpec("unavailable_needs_creation", "2.没有现成信息需要另行制作", ("另行制作", "没有现成"), _G4),
    RowSpec("unavailable_unclear", "3.补正后申请内容仍不明确", ("仍不明确", "补正后"), _G4),
    RowSpec("rejected_complaint", "1.信访举报投诉类申请", ("信访举报", "投诉类"), _G5),
    RowSpec("rejected_repeat", "2.重复申请", ("重复申请",), _G5),
    RowSpec("rejected_publication", "3.要求提供公开出版物", ("公开出版物", "出版物"), _G5),
    RowSpec("rejected_excessive", "4.无正当理由大量反复申请", ("大量反复",), _G5),
    RowSpec("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息",
            ("重新出具", "确认或"), _G5),
    RowSpec("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ("逾期不补正",), _G6, (FORMAT_2021,)),
    RowSpec("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ("收费通知", "缴纳费用"), _G6, (FORMAT_2021,)),
    RowSpec("other_other", "3.其他", ("其他",), _G6, (FORMAT_2021,)),
    RowSpec("other", "（六）其他处理", ("其他处理",), "三、本年度办理结果", (FORMAT_2019,)),
    RowSpec("total_processed", "（七）总计", ("总计",), "三、本年度办理结果"),
    RowSpec("carried_forward", "四、结转下年度继续办理", ("结转下年度", "继续办理")),
)

#: Leaf rows whose sum is （七）总计 (relation R3), per format.
T3_LEAVES = {
    FORMAT_2021: tuple(r.key for r in T3_ROWS if r.key not in
                       ("new_received", "carried_over", "other", "total_processed", "carried_forward")),
    FORMAT_2019: tuple(r.key for r in T3_ROWS if r.key not in
                       ("new_received", "carried_over", "other_no_correction", "other_no_fee",
                        "other_other", "total_processed", "carried_forward")),
}


def t3_rows(fmt: str) -> tuple[RowSpec, ...]:
    """The 表三 rows of a format; 2021 rows for an unknown or legacy format."""
    f = FORMAT_2019 if fmt == FORMAT_2019 else FORMAT_2021
    return tuple(r for r in T3_ROWS if f in r.formats)


# ---------------------------------------------------------------- 表四
T4_ROWS: tuple[RowSpec, ...] = (
    RowSpec("review", "行政复议", ("行政复议",)),
    RowSpec("suit_direct", "行政诉讼·未经复议直接起诉", ("未经复议直接起诉", "直接起诉")),
    RowSpec("suit_after_review", "行政诉讼·复议后起诉", ("复议后起诉",)),
)
T4_COLUMNS: tuple[ColSpec, ...] = (
    ColSpec("upheld", "结果维持", ("结果维持", "维持")),
    ColSpec("corrected", "结果纠正", ("结果纠正", "纠正")),
    ColSpec("other", "其他结果", ("其他结果",)),
    ColSpec("pending", "尚未审结", ("尚未审结",)),
    ColSpec("total", "总计", ("总计",)),
)
T4_ROW_KEYS = tuple(r.key for r in T4_ROWS)
T4_COLUMN_KEYS = tuple(c.key for c in T4_COLUMNS)


# ---------------------------------------------------------------- 表二
@dataclass(frozen=True)
class T2Row:
    key: str
    label: str
    keywords: tuple[str, ...]
    item: str  # 第二十条第（X）项
    columns: tuple[ColSpec, ...]


_C21_DOCS = (ColSpec("issued", "本年制发件数", ("制发",)),
             ColSpec("repealed", "本年废止件数", ("废止",)),
             ColSpec("in_force", "现行有效件数", ("现行有效",)))
_C21_DEC = (ColSpec("decisions", "本年处理决定数量", ("处理决定",)),)
_C19_DOCS = (ColSpec("made", "本年新制作数量", ("新制作",)),
             ColSpec("published", "本年新公开数量", ("新公开",)),
             ColSpec("total_published", "对外公开总数量", ("对外公开总",)))
_C19_ITEMS = (ColSpec("previous_items", "上一年项目数量", ("上一年项目",)),
              ColSpec("change", "本年增/减", ("增/减", "增减")),
              ColSpec("decisions", "处理决定数量", ("处理决定",)))

T2_ROWS = {
    FORMAT_2021: (
        T2Row("regulations", "规章", ("规章",), "（一）", _C21_DOCS),
        T2Row("normative_documents", "行政规范性文件", ("规范性文件",), "（一）", _C21_DOCS),
        T2Row("licensing", "行政许可", ("行政许可",), "（五）", _C21_DEC),
        T2Row("penalty", "行政处罚", ("行政处罚",), "（六）", _C21_DEC),
        T2Row("coercion", "行政强制", ("行政强制",), "（六）", _C21_DEC),
        T2Row("fees", "行政事业性收费", ("行政事业性收费",), "（八）",
              (ColSpec("amount_wan", "本年收费金额（单位：万元）", ("收费金额",)),)),
    ),
    FORMAT_2019: (
        T2Row("regulations", "规章", ("规章",), "（一）", _C19_DOCS),
        T2Row("normative_documents", "规范性文件", ("规范性文件",), "（一）", _C19_DOCS),
        T2Row("licensing", "行政许可", ("行政许可",), "（五）", _C19_ITEMS),
        T2Row("other_services", "其他对外管理服务事项", ("其他对外管理服务",), "（五）", _C19_ITEMS),
        T2Row("penalty", "行政处罚", ("行政处罚",), "（六）", _C19_ITEMS),
        T2Row("coercion", "行政强制", ("行政强制",), "（六）", _C19_ITEMS),
        T2Row("fees", "行政事业性收费", ("行政事业性收费",), "（八）", _C19_ITEMS[:2]),
        T2Row("procurement", "政府集中采购", ("政府集中采购",), "（九）",
              (ColSpec("items", "采购项目数量", ("采购项目",)),
               ColSpec("amount", "采购总金额", ("采购总金额",)))),
    ),
}


def t2_rows(fmt: str) -> tuple[T2Row, ...]:
    return T2_ROWS[FORMAT_2019 if fmt == FORMAT_2019 else FORMAT_2021]


def t2_cell_count(fmt: str) -> int:
    return sum(len(r.columns) for r in t2_rows(fmt))


# ---------------------------------------------------------------- the six parts
@dataclass(frozen=True)
class SectionSpec:
    number: int
    heading: str  # the heading as compliant reports print it
    pattern: str  # regex on normalized text that recognises the heading's keywords


#: Each part's keywords as a class of wordings, not one string: agencies shorten or reorder the
#: official heading ("一、概述", "五、存在的问题及改进措施", "六、其他需报告的事项",
#: "六、需要说明的其他事项"). The parser still requires a heading numeral before the keywords
#: (parsing/sections.py), which is what keeps the introduction's list of parts out.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "一、总体情况", r"总体情况|概述|概况"),
    SectionSpec(2, "二、主动公开政府信息情况", r"主动公开政府信息(?:情况)?|主动公开(?:信息)?(?:情况|工作)"),
    SectionSpec(3, "三、收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请"),
    SectionSpec(4, "四、政府信息公开行政复议、行政诉讼情况", r"行政(?:法)?复议.{0,6}行政诉讼"),
    SectionSpec(5, "五、存在的主要问题及改进情况",
                r"存在的?(?:主要)?问题|主要问题(?:及|和|与)(?:改进|整改)"),
    SectionSpec(6, "六、其他需要报告的事项",
                r"其他(?:需要?|应当?|需予)(?:报告|说明)|需要?(?:报告|说明)的其他事项|其他(?:有关)?事项"),
)


TABLE_NAMES = {"table2": "表二 主动公开政府信息情况", "table3": "表三 收到和处理政府信息公开申请情况",
               "table4": "表四 政府信息公开行政复议、行政诉讼情况"}


def expected_cells(table: str, fmt: str) -> int:
    """How many numeric cells a complete table of this format has (175/161 表三, 15 表四)."""
    if table == "table3":
        return len(t3_rows(fmt)) * len(T3_COLUMNS)
    if table == "table4":
        return len(T4_ROWS) * len(T4_COLUMNS)
    return t2_cell_count(fmt)


# ---------------------------------------------------------------- labels, one home
#: 表二/表三/表四 as the pages and messages name them.
TABLE_SHORT = {k: v.split(" ")[0] for k, v in TABLE_NAMES.items()}


def short_label(label: str) -> str:
    """A 表三 label without its printed explanation (（区分处理的…）), for charts and tables."""
    return label.split("（区分")[0]


def _formats(fmt: str | None) -> tuple[str, ...]:
    return (fmt,) if fmt in (FORMAT_2021, FORMAT_2019) else (FORMAT_2021, FORMAT_2019)


@lru_cache(maxsize=4096)  # pure, and called for every cell a rule looks at
def row_label(table: str, row: str, fmt: str | None = None) -> str:
    """The official label of a row key (of ``fmt``, else of either format); the key if unknown."""
    if table == "table3":
        rows = T3_ROWS
    elif table == "table4":
        rows = T4_ROWS
    elif table == "table2":
        rows = tuple(r for f in _formats(fmt) for r in t2_rows(f))
    else:
        return row
    return next((r.label for r in rows if r.key == row), row)


@lru_cache(maxsize=4096)
def col_label(table: str, col: str, row: str | None = None, fmt: str | None = None) -> str:
    """The official label of a column key; for 表二 the column of ``row`` where given."""
    if table == "table3":
        cols = T3_COLUMNS
    elif table == "table4":
        cols = T4_COLUMNS
    elif table == "table2":
        rows = [r for f in _formats(fmt) for r in t2_rows(f)]
        mine = [r for r in rows if r.key == row]
        cols = tuple(c for r in (mine or rows) for c in r.columns)
    else:
        return col
    return next((c.label for c in cols if c.key == col), col)
