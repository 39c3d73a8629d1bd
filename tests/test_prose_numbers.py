"""Numeral spans: Arabic, full-width, Chinese numerals, units, 余/左右, never ordinals."""
from __future__ import annotations

import pytest

from nianbao.prose.numbers import as_wan, parse_number, quantities
from nianbao.textnorm import to_halfwidth


@pytest.mark.parametrize("text,value,unit,approx", [
    ("共受理申请12件", 12, "件", False),
    ("受理申请十七件", 17, "件", False),
    ("收到两件申请", 2, "件", False),
    ("发布信息1,204条", 1204, "条", False),
    ("发布信息3万余条", 30000, "条", True),
    ("发布信息600多条", 600, "条", True),
    ("收费0.2345万元", 0.2345, "万元", False),
    ("收费1200元", 1200, "元", False),
    ("占比12.5%", 12.5, "%", False),
    ("处理二〇件", 20, "件", False),
])
def test_quantity_values(text, value, unit, approx):
    q = quantities(text)
    assert len(q) == 1
    assert q[0].value == pytest.approx(value) and q[0].unit == unit and q[0].approx == approx
    assert text[q[0].start:q[0].end] == q[0].raw


def test_full_width_digits_keep_offsets():
    raw = "本年度受理申请１２件。"
    norm = to_halfwidth(raw)
    assert len(norm) == len(raw)
    q = quantities(norm)[0]
    assert q.value == 12 and raw[q.start:q.end] == "１２件"


@pytest.mark.parametrize("text", ["依据条例第二十条", "单位：万元", "统一17件", "第三条"])
def test_ordinals_and_unit_labels_are_not_numbers(text):
    assert quantities(to_halfwidth(text)) == []


@pytest.mark.parametrize("text", ["作出决定之日起7个工作日内公开", "办理期限延长3个月", "二十四个小时内答复",
                                  "每2个季度通报", "历时3个多月", "用时一个半小时", "2个自然月内"])
def test_a_span_of_time_is_not_a_count(text):
    """个 before a time noun measures a duration (a real report's 7个工作日 was read as 7
    penalty decisions and compared with 表二)."""
    assert quantities(to_halfwidth(text)) == []


def test_a_count_in_ge_is_still_a_count():
    assert [(q.value, q.unit) for q in quantities("制发规范性文件2个，覆盖5个单位")] == [(2, "个"), (5, "个")]
    assert [q.value for q in quantities("发布3个年度报告，涉及2个人")] == [3, 2]


def test_mixed_script_numeral_is_not_repaired():
    assert parse_number("七11") is None
    assert parse_number("七一一") == 711


def test_money_in_wan():
    assert as_wan(12345, "元") == pytest.approx(1.2345)
    assert as_wan(1.5, "万元") == 1.5
