"""TEXT-CITATION: the 条例's order number and the format/fee documents, checked on the raw text.

The 2019 revision of the 条例 is 国务院令第711号 (effective 2019-05-15); the original was
第492号. Only citations that follow the 条例's name are judged, since a report may cite other
国务院令 legitimately. Document numbers use the 〔〕 brackets of official style; other
brackets are a style warning (not on a scan: OCR reads 〔〕 as [] or （）), a wrong number for a
document identified by its name an error.
"""
from __future__ import annotations

import re

import cn2an

from ..findings import Finding
from ..textnorm import to_halfwidth
from .registry import rule

_ORDER = re.compile(r"国(?:务院)?令\s*第\s*([0-9０-９〇零一二三四五六七八九十百千]{1,8})\s*号")
_REG_NAME = re.compile(r"《([^《》]{0,20}信息公开条例)》")
_REG_OK = ("中华人民共和国政府信息公开条例", "政府信息公开条例")
_DOC = re.compile(r"国办(公开办)?函\s*([〔\[［(（【{｛<＜〈]?)\s*(\d{4}|[０-９]{4})\s*"
                  r"([〕\]］)）】}｝>＞〉]?)\s*([0-9０-９]+)\s*号")
#: (kind, year) -> (expected number, keywords near the citation that identify the document)
_KNOWN = {("公开办", "2021"): ("30", ("年度报告格式", "报告格式")),
          ("公开办", "2019"): ("60", ("年度报告", "报告格式")),
          ("", "2020"): ("109", ("信息处理费",))}
_CN_DIGITS = set("〇零一二三四五六七八九十百千")


def _near(text: str, start: int, end: int, width: int = 40) -> str:
    return text[max(0, start - width):end + width]


def _loc(report, start: int, end: int) -> dict:
    return {"line": report.document.line_of(start), "span": (start, end)}


@rule("TEXT-CITATION", title="条例及格式、收费文件文号引用正确", severity="error",
      basis="OFFICIAL", source="spec §5.5; §1.1 (国务院令第711号); §2.1; §1.5",
      family="text")
def text_citation(report, ctx):
    """条例 order number after the 条例's name: must be 711 for report years ≥ 2019 (mixed
    numerals such as "第七11号" or another number: error; 492 alone: warning; all-Chinese
    numerals for 711: style warning). 30号/60号/109号 with a wrong number: error; brackets
    other than 〔〕: style warning. A misspelt 条例 name: warning."""
    text = report.text
    from .meta import title_year

    year = title_year(report)
    current = year is None or year >= 2019
    for m in _ORDER.finditer(text):
        ctxt = text[max(0, m.start() - 30):m.start()]
        if "信息公开条例" not in ctxt:
            continue
        raw = m.group(1)
        hw = to_halfwidth(raw)
        has_cn = any(ch in _CN_DIGITS for ch in hw)
        has_digit = any(ch.isdigit() and ch.isascii() for ch in hw) or any(
            "０" <= ch <= "９" for ch in raw)
        loc = _loc(report, m.start(), m.end())
        quote = m.group(0)
        if has_cn and has_digit:
            yield Finding(severity="error", message=f"条例文号“{quote}”混用汉字与阿拉伯数字，应为“国务院令第711号”",
                          location=loc, expected="国务院令第711号", actual=quote,
                          quote=_near(text, m.start(), m.end()))
            continue
        try:
            num = int(cn2an.cn2an(hw, "smart")) if has_cn else int(hw)
        except (ValueError, TypeError):
            num = None
        if num == 711:
            if has_cn or hw != raw:
                yield Finding(severity="warning", message=f"条例文号“{quote}”应使用半角阿拉伯数字“国务院令第711号”",
                              location=loc, expected="国务院令第711号", actual=quote,
                              quote=_near(text, m.start(), m.end()))
        elif num == 492:
            if current and "711" not in _near(text, m.start(), m.end(), 80) \
                    and "修订" not in _near(text, m.start(), m.end(), 30):
                yield Finding(severity="warning",
                              message=f"引用“{quote}”（2007年原条例）作为现行依据；2019年修订后为国务院令第711号",
                              location=loc, expected="国务院令第711号", actual=quote,
                              quote=_near(text, m.start(), m.end()))
        elif current:
            yield Finding(severity="error", message=f"条例文号“{quote}”有误，应为“国务院令第711号”", location=loc,
                          expected="国务院令第711号", actual=quote, quote=_near(text, m.start(), m.end()))
    for m in _REG_NAME.finditer(text):
        name = re.sub(r"\s+", "", m.group(1))
        local = "中华人民共和国" not in name and re.search(r"[省市县]|自治区", name)
        if name not in _REG_OK and not local:  # a province's own 条例 is another regulation
            yield Finding(severity="warning", message=f"条例名称“《{m.group(1)}》”应为“《中华人民共和国政府信息公开条例》”",
                          location=_loc(report, m.start(), m.end()), expected="中华人民共和国政府信息公开条例",
                          actual=m.group(1), quote=_near(text, m.start(), m.end()))
    yield from _documents(report, text)


def _documents(report, text: str):
    for m in _DOC.finditer(text):
        kind = m.group(1) or ""
        year = to_halfwidth(m.group(3))
        num = to_halfwidth(m.group(5))
        quote = m.group(0)
        loc = _loc(report, m.start(), m.end())
        known = _KNOWN.get((kind, year))
        if known and num != known[0] and any(k in _near(text, m.start(), m.end())
                                             for k in known[1]):
            right = f"国办{kind}函〔{year}〕{known[0]}号"
            yield Finding(severity="error", message=f"文号“{quote}”有误，应为“{right}”", location=loc,
                          expected=right, actual=quote, quote=_near(text, m.start(), m.end()))
        elif (m.group(2), m.group(4)) != ("〔", "〕") and not report.document.ocr:
            # a scan's brackets are what OCR guessed (〔〕 is read as [] or （）): style not judged
            right = f"国办{kind}函〔{year}〕{num}号"
            yield Finding(severity="warning", message=f"文号“{quote}”的年份括号应为六角括号“〔〕”：“{right}”",
                          location=loc, expected=right, actual=quote,
                          quote=_near(text, m.start(), m.end()))
