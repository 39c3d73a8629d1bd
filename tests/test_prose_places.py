"""The vendored gazetteer and the own-area logic behind TEXT-REGION."""
from __future__ import annotations

import pytest

from nianbao.prose import places as P


def test_gazetteer_known_entries():
    g = P.gazetteer()
    suxian = g.by_name["苏仙区"]
    assert len(suxian) == 1
    chain = [a.name for a in g.ancestors(suxian[0].code)]
    assert chain == ["郴州市", "湖南省"]
    assert any(not p.retired for p in g.by_name["临平区"])
    assert all(p.retired for p in g.by_name["崇文区"])
    assert len(g.by_name) > 3000


@pytest.mark.parametrize("agency,names", [
    ("淮安市洪泽区人民政府", ["淮安市", "洪泽区"]),
    ("青岚市澜溪区市场监督管理局", ["青岚市", "澜溪区"]),
    ("瀘河回族区科技和工业信息化局", ["瀘河回族区"]),
])
def test_prefix_split_works_for_fictitious_names(agency, names):
    assert P.prefix_names(agency) == names


def test_own_area_has_ancestors_descendants_and_old_names():
    own = P.own_area("淮安市洪泽区人民政府")
    assert {"淮安市", "江苏省", "洪泽区", "洪泽县"} <= own.allowed
    city = P.own_area("淮安市人民政府")
    assert "洪泽区" in city.allowed and "清江浦区" in city.allowed


def _foreign(text, agency="淮安市洪泽区人民政府"):
    own = P.own_area(agency)
    return [(m.name, m.institutional) for m in P.mentions(text) if P.foreign(m, own)]


def test_foreign_name_with_institutional_word():
    assert _foreign("充分利用好苏仙区政府网这一平台") == [("苏仙区", "政府网")]
    assert _foreign("由鼓楼区人民法院集中管辖") == [("鼓楼区", None)]


@pytest.mark.parametrize("text", [
    "推进中心城区和老城区改造", "市和县两级政府", "加强和平区域合作", "沿洪泽湖大道设置公开栏",
    "淮安市洪泽区人民政府网站", "市场主体登记", "嘉兴市场监管经验",
])
def test_no_false_alarm_on_generic_words(text):
    assert _foreign(text) == []


def test_agency_from_title_when_parser_gave_none():
    from nianbao.document import Document
    from nianbao.model import Report

    text = "正文\n2024 年青岚市科委政府信息公开工作\n年度报告\n根据条例……"
    r = Report(Document("x.txt", "txt", "", text))
    assert P.agency_name(r) == "青岚市科委"
