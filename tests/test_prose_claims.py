"""Claim extraction: one regression sentence per phrasing (all sentences written for these tests)
and the linking rules (新收 or 新收+结转, blanks, lower bounds, scope)."""
from __future__ import annotations

import pytest

from nianbao import schema
from nianbao.document import Document
from nianbao.model import Cell, Report, Table
from nianbao.prose import claims as C
from nianbao.prose import links as L
from nianbao.prose.sentences import Sentence


def claims_of(text: str, agency: str = "青岚市某局"):
    return [(c.metric, c.value) for c in C.extract_sentence(Sentence(0, len(text), text, 1, None), agency)
            if not c.demoted]


@pytest.mark.parametrize("text,expected", [
    ("2023年本局共收到政府信息公开申请12件。", [("apply.new", 12)]),
    ("全年受理依申请公开事项十七件，均按期答复。", [("apply.new", 17)]),
    ("本年度新收申请5件，上年结转申请1件。", [("apply.new", 5), ("apply.carry_in", 1)]),
    ("办结申请6件，另有2件申请顺延到下年度办理。", [("result.total", 6), ("apply.carry_out", 2)]),
    ("结转至2024年继续办理3件。", [("apply.carry_out", 3)]),
    ("其中予以公开及部分公开8件，不予公开1件，无法提供2件，不予处理0件，其他处理1件。",
     [("result.granted_partial", 8), ("result.withheld", 1), ("result.unavailable", 2),
      ("result.rejected", 0), ("result.other", 1)]),
    ("同意公开答复4件，部分公开答复1件，不予公开答复0件。",
     [("result.granted", 4), ("result.partial", 1), ("result.withheld", 0)]),
    ("全年发生政府信息公开行政复议3起、行政诉讼2起。", [("review.total", 3), ("suit.total", 2)]),
    ("本年度有1件涉及政府信息公开的行政复议。", [("review.total", 1)]),
    ("本年制发行政规范性文件4件，废止规范性文件2件，现行有效规范性文件30件。",
     [("docs.issued", 4), ("docs.repealed", 2), ("docs.in_force", 30)]),
    ("办理行政许可事项236件，作出行政处罚决定15件。", [("licensing", 236), ("penalty", 15)]),
    ("行政事业性收费金额1234元。", [("fee", 0.1234)]),
    ("通过接收邮寄、在线提交等渠道的各类政府信息公开申请共计9件。", [("apply.new", 9)]),
])
def test_phrasings(text, expected):
    got = claims_of(text)
    assert [(m, pytest.approx(v)) for m, v in expected] == got


@pytest.mark.parametrize("text,expected", [
    ("本局没有因政府信息公开引发行政复议和诉讼。", [("review.total", 0), ("suit.total", 0)]),
    ("全年未收到政府信息公开申请。", [("apply.new", 0)]),
    ("本年度未发生政府信息公开行政诉讼。", [("suit.total", 0)]),
    ("无法提供2件，不予公开1件。", [("result.unavailable", 2), ("result.withheld", 1)]),
    ("申请人无正当理由逾期不补正的申请不再处理。", []),
    ("未经复议直接起诉的案件依法办理。", []),
])
def test_zero_claims(text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text", [
    "申请量较上年增加6件。",
    "答复群众咨询86件。",
    "收到行政复议申请3件。",
    "共收到咨询投诉件320件。",
    "新增公开市政府规章1件。",
    "梳理历年印发的行政规范性文件120份。",
])
def test_noise_is_not_a_claim(text):
    assert [m for m, _ in claims_of(text) if m.startswith(("apply", "result", "docs"))] == []


def test_subset_and_scope():
    s = "其中，通过网络收到申请8件。"
    cs = C.extract_sentence(Sentence(0, len(s), s, 1, None), "")
    assert cs and cs[0].subset and cs[0].demoted
    s = "区政府办代表区政府受理政府信息公开申请17件。"
    cs = C.extract_sentence(Sentence(0, len(s), s, 1, None), "青岚市澜溪区人民政府")
    assert cs[0].scope == "sub-unit"
    cs = C.extract_sentence(Sentence(0, len(s), s, 1, None), "青岚市澜溪区人民政府办公室")
    assert cs[0].scope == "sub-unit"  # 代表 still speaks for another body
    s = "管委会办公室共受理申请9件。"
    cs = C.extract_sentence(Sentence(0, len(s), s, 1, None), "青岚市管委会办公室")
    assert cs[0].scope == "report"


def _report(text, t3=None, t4=None, fmt=schema.FORMAT_2021):
    r = Report(Document("x.txt", "txt", "", text), format_version=fmt)
    r.table3 = Table("table3", found=True)
    for (row, col), v in (t3 or {}).items():
        r.table3.cells[(row, col)] = Cell(v, "read" if v is not None else "blank", str(v))
    r.table4 = Table("table4", found=True)
    for (row, col), v in (t4 or {}).items():
        r.table4.cells[(row, col)] = Cell(v, "read" if v is not None else "blank", str(v))
    return r


def _links(r):
    return [(lk.claim.metric, lk.status, lk.expected, lk.matched) for lk in L.check(r)]


def test_received_may_include_carried_over():
    r = _report("全年收到政府信息公开申请11件，均已办结。",
                {("new_received", "total"): 10, ("carried_over", "total"): 1})
    assert _links(r) == [("apply.new", "match", 11, "新收+上年结转")]
    r = _report("全年收到政府信息公开申请12件，均已办结。",
                {("new_received", "total"): 10, ("carried_over", "total"): 1})
    assert _links(r) == [("apply.new", "mismatch", 10, None)]


def test_blank_cells_give_a_lower_bound_not_zero():
    cells = {("granted", k): None for k in schema.T3_COLUMN_KEYS}
    cells[("granted", "natural_person")] = 30
    cells[("partially_granted", "total")] = 5
    r = _report("予以公开及部分公开40件。", cells)
    assert _links(r) == [("result.granted_partial", "null", None, None)]
    r = _report("予以公开及部分公开20件。", cells)
    lk = L.check(r)[0]
    assert (lk.status, lk.expected, lk.lower) == ("mismatch", 35, True)


def test_all_upheld_against_table4():
    t4 = {("review", c): v for c, v in zip(schema.T4_COLUMN_KEYS, (3, 0, 0, 1, 4))}
    r = _report("本年行政复议4件，均获维持。", t4=t4)
    assert ("review.all_upheld", "mismatch", 0, None) in _links(r)
    assert ("review.total", "match", 4, "表格") in _links(r)


# ---- what a number counts (issue 9): the object of the counted phrase decides, not the verb
@pytest.mark.parametrize("text,counted", [
    ("政务大厅窗口日均办理业务210件。", "rate"),
    ("全年办理各类审批业务1800件。", "business"),
    ("通过网站处理网民留言75件，回复率100%。", "petition"),
    ("受理群众来信12件。", "petition"),
    ("全年接听热线电话40件，已办结40件。", "call"),
    ("共收到咨询类诉求9件，均已答复9件。", "petition"),
])
def test_other_objects_are_extracted_not_compared(text, counted):
    cs = [c for c in C.extract_sentence(Sentence(0, len(text), text, 1, None), "")
          if C.METRIC[c.metric].family == "apps"]
    assert cs, "the number is still extracted"
    assert {c.counted for c in cs} == {counted} and all(c.demoted for c in cs)


@pytest.mark.parametrize("text,expected", [
    ("区分处理后部分公开3件，予以公开4件。", [("result.partial", 3), ("result.granted", 4)]),
    ("经区分处理后公开1件。", [("result.partial", 1)]),
    ("因无法提供相关政府信息答复2件。", [("result.unavailable", 2)]),
    ("因本机关不掌握相关信息答复1件。", [("result.not_held", 1)]),
    ("办结申请6件。", [("result.total", 6)]),
])
def test_sub_outcomes_are_not_the_total(text, expected):
    assert claims_of(text) == [(m, pytest.approx(v)) for m, v in expected]


@pytest.mark.parametrize("text,expected", [
    ("全年没有因政府信息公开被纠错的行政复议和行政诉讼案件。", [("review.corrected", 0), ("suit.corrected", 0)]),
    ("本年度未出现行政复议被撤销的情形。", [("review.corrected", 0)]),
    ("本年度未出现行政复议的情形。", [("review.total", 0)]),
    ("本年度未发生政府信息公开行政诉讼。", [("suit.total", 0)]),
])
def test_negation_binds_to_what_it_negates(text, expected):
    assert claims_of(text) == expected


def test_no_corrections_is_compared_with_the_corrected_column():
    t4 = {("review", c): v for c, v in zip(schema.T4_COLUMN_KEYS, (3, 0, 0, 0, 3))}
    r = _report("没有被纠错的行政复议案件。", t4=t4)
    assert _links(r) == [("review.corrected", "match", 0, "表格")]
    t4 = {("review", c): v for c, v in zip(schema.T4_COLUMN_KEYS, (2, 1, 0, 0, 3))}
    r = _report("没有被纠错的行政复议案件。", t4=t4)
    assert _links(r) == [("review.corrected", "mismatch", 1, None)]
