"""Sentences (prose filter, offsets, PDF reflow), years and wording slips."""
from __future__ import annotations

from nianbao.document import Document, blocks_from_text
from nianbao.model import Report, Table
from nianbao.prose import typos, years
from nianbao.prose.sentences import sentences


def report(text: str, **kw) -> Report:
    return Report(Document("x.txt", "txt", "", text, blocks_from_text(text)), **kw)


def test_sentences_skip_header_tables_and_keep_offsets():
    text = ("标题: 青岚市某局2023年政府信息公开工作年度报告\n发布机构: 某局\n==================== 正文 ====================\n"
            "本局全年共收到政府信息公开申请12件，均已按期答复。\n"
            "一、本年新收政府信息公开申请数量\t12\t0\t0\t0\t0\t0\t12\n"
            "本局将持续完善公开平台，提升服务水平。")
    r = report(text)
    ss = sentences(r)
    assert [s.text for s in ss] == ["本局全年共收到政府信息公开申请12件,均已按期答复。", "本局将持续完善公开平台,提升服务水平。"]
    for s in ss:
        assert r.text[s.start:s.end].replace("，", ",") == s.text


def test_sentences_exclude_the_parsed_table_span():
    text = "本局收到申请3件，已全部办结。表格：本年新收申请3件，自然人3件，商业企业0件，科研机构0件。"
    t = Table("table3", found=True)
    t.span = (text.index("表格"), len(text))
    ss = sentences(report(text, table3=t))
    assert [s.text for s in ss] == ["本局收到申请3件,已全部办结。"]


def test_pdf_line_breaks_inside_a_sentence_are_joined():
    text = "全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件，均已办结。\n二、主动公开"
    ss = sentences(report(text))
    s = ss[0]
    assert s.text == "全年收到政府信息公开申请34件,上年结转政府信息公开申请2件,均已办结。"
    i = s.text.index("2件")
    a, b = s.doc_span(i, i + 2)
    assert text[a:b] == "2 件"


def _sent(text, section=None):
    from nianbao.prose.sentences import Sentence

    return Sentence(0, len(text), text, 1, section)


def test_years_future_stale_and_plans():
    assert [m.year for m in years.future_years(_sent("上述措施将于2026年底完成。"), 2023)] == [2026]
    assert years.future_years(_sent("落实规划纲要到2035年的目标。"), 2023) == []
    assert years.future_years(_sent("转发《某市行动方案(2024-2027年)》。"), 2023) == []
    assert [m.year for m in years.stale_years(_sent("2022年制作政府信息总数300条。", 2), 2023)] == [2022]
    assert years.stale_years(_sent("较2022年增加5件。", 2), 2023) == []
    assert years.stale_years(_sent("2022年度部门决算已公开。", 2), 2023) == []
    assert [m.group(0) for m in years.deixis(_sent("今年以来，本局持续推进公开。"))] == ["今年以来"]


def test_typos():
    found = {(s.found, s.suggestion) for s in typos.slips("不子公开信息5条，做为平台，截止2023年底，的的确")}
    assert {("不子", "不予"), ("做为", "作为"), ("截止", "截至"), ("的的", "的")} <= found
    assert typos.slips("截止日期已明确，天天更新，部分公开") == []
    assert typos.traditional_chars("瀘河区政务公开") == {"瀘": "泸"}
    assert len(typos.half_width_punct("公开,申请；办理")) == 1


def test_plan_dated_with_the_report_year():
    assert [m.group(1) for m in years.plan_with_report_year(_sent("2023年，我们将采取以下措施。"), 2023)] == ["2023"]
    assert years.plan_with_report_year(_sent("2023年，我局将政务公开纳入绩效考核。"), 2023) == []
    assert years.plan_with_report_year(_sent("2024年，我们将继续加强公开。"), 2023) == []
