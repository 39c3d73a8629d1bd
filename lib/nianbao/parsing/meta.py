"""Title, agency, region, year, statistics period and publication date.

The title is the one line a reader checks first, so it comes from the page metadata when the
reader found one, else from the first lines of the text — joined, because PDF titles are set on
two lines ("2024年XX政府信息公开工作" / "年度报告"), and skipping crawler headers and page
chrome. Years may be printed in Chinese numerals (二〇二一年).
"""
from __future__ import annotations

import datetime as dt
import re

_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
_YEAR = r"(?:\d\s*\d\s*\d\s*\d|[〇○零O一二三四五六七八九]{4})"
_TAIL = r"\s*年\s*度?\s*政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?年\s*度?\s*报\s*告"
_TITLE_A = re.compile(rf"(?P<agency>[^\s：:，。、]{{2,40}}?)\s*(?P<year>{_YEAR}){_TAIL}")
_TITLE_B = re.compile(rf"(?P<year>{_YEAR})\s*年\s*度?\s*(?P<agency>[^\s：:，。、\d]{{2,40}}?)\s*"
                      r"政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?年\s*度?\s*报\s*告")
_CHROME = re.compile(r"^(?:标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|本地目录|页面链接|来源|"
                     r"当前位置|索引号|信息来源)\s*[:：]|^=+|^正文$|^\s*$")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|旗|区)"
                     r"(?!场|直|属|级|域|划|长|县|区))+")
_NOT_REGION = ("城市", "市区", "地区")


def cn_year(s: str) -> int | None:
    s = re.sub(r"\s+", "", s)
    if s.isdigit():
        return int(s)
    if all(ch in _DIGIT for ch in s):
        return int("".join(str(_DIGIT[ch]) for ch in s))
    return None


#: A title is one printed line of a few dozen characters; a candidate looks at most this far
#: into a line (a crawler line holding the whole report would otherwise be searched whole,
#: three times over, for every window it starts).
TITLE_SCAN = 300


def title_candidates(text: str, meta: dict, max_lines: int = 12):
    """(title text, line) candidates: metadata first, then the first content lines joined in
    windows of one to three lines, each line cut at ``TITLE_SCAN`` characters."""
    if meta.get("title"):
        yield meta["title"][:TITLE_SCAN], None
    pdf_title = re.split(r"\s*[_|]\s*|\s+-\s+", meta["pdf_title"])[0] if meta.get("pdf_title") else None
    if pdf_title and meta.get("printed_by_browser"):
        # a page a browser printed to PDF keeps the page <title> ("报告名_栏目_网站"), more
        # reliable than lines that may join the title to the breadcrumb above it
        yield pdf_title, None
    lines = text.split("\n")
    seen = 0
    start = int(meta.get("body_start_line") or 1) if meta.get("body_start_line") else 1
    for i in range(start - 1, len(lines)):
        line = lines[i].strip()[:TITLE_SCAN]
        if _CHROME.search(line):
            if line.startswith("标题") and not meta.get("title"):
                yield re.sub(r"^标题\s*[:：]\s*", "", line), i + 1
            continue
        for k in range(1, 4):
            yield "".join(x.strip()[:TITLE_SCAN] for x in lines[i:i + k]), i + 1
        seen += 1
        if seen >= max_lines:
            break
    if pdf_title:  # a Word PDF's Title is often a file name: only when the lines give none
        yield pdf_title, None


def find_title(text: str, meta: dict):
    """(title, agency, year, line) of the report, or Nones."""
    for cand, line in title_candidates(text, meta):
        for pat in (_TITLE_A, _TITLE_B):
            m = pat.search(cand)
            if m:
                year = cn_year(m.group("year"))
                agency = _clean_agency(m.group("agency"))
                if year and 1990 <= year <= 2100 and agency:
                    title = cand[m.start():m.end()]
                    if line is None:
                        line = _line_of_title(text, title)
                    return re.sub(r"\s+", "", title), agency, year, line
    return None, None, None, None


def _clean_agency(s: str) -> str | None:
    s = re.sub(r"^(?:关于|.*?[:：])", "", s).strip("《》“”\"' ")
    s = re.sub(r"\s+", "", s)
    return s or None


def _line_of_title(text: str, title: str) -> int | None:
    key = re.sub(r"\s+", "", title)[:8]
    for i, line in enumerate(text.split("\n")[:60], start=1):
        if key and key in re.sub(r"\s+", "", line):
            return i
    return None


def region_of(agency: str | None) -> str | None:
    """The administrative prefix of an agency name ("某某市某某区" of "某某市某某区财政局")."""
    if not agency:
        return None
    m = _REGION.match(agency)
    if not m:
        return None
    region = m.group()
    for bad in _NOT_REGION:
        if region.endswith(bad) and len(region) > len(bad):
            region = region[: -len(bad)]
    return region if len(region) >= 2 else None


_DATE = r"(?P<{p}y>\d\s*\d\s*\d\s*\d)\s*年\s*(?P<{p}m>\d{{1,2}})\s*月\s*(?P<{p}d>\d{{1,2}})\s*日"
_PERIOD = re.compile(
    r"统计(?:期限|时限|周期|时间|区间|范围|期间|日期|截止时间)?[^。]{0,24}?"
    + _DATE.format(p="a")
    + r"\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
    + r"(?:(?P<by>\d\s*\d\s*\d\s*\d)\s*年\s*)?(?P<bm>\d{1,2})\s*月\s*(?P<bd>\d{1,2})\s*日\s*(?:止)?")


def _date(y, m, d) -> dt.date | None:
    try:
        return dt.date(int(re.sub(r"\s", "", y)), int(m), int(d))
    except (TypeError, ValueError):
        return None


def find_period(h: str):
    """((start, end), span) of the statistics-period sentence, or (None, None)."""
    m = _PERIOD.search(h)
    if not m:
        return None, None
    start = _date(m.group("ay"), m.group("am"), m.group("ad"))
    end = _date(m.group("by") or m.group("ay"), m.group("bm"), m.group("bd"))
    return (start, end), (m.start(), m.end())


#: A date printed 年月日 in Arabic or Chinese numerals (2024年1月20日, 二〇二四年一月二十日); its
#: groups ``y``, ``m`` and ``d`` are read by ``date_of``. The signature (prose.signature) uses it too.
DATE = (r"(?P<y>\d{4}|[〇○零O一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})"
        r"\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_SIGN_DATE = re.compile(r"^\s*" + DATE + r"\s*$")


def cn_small(s: str) -> int | None:
    """A month or day in Arabic or Chinese numerals (12, 十二, 二十一)."""
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _DIGIT.get(s[1], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return _DIGIT.get(a, 0) * 10 + (_DIGIT.get(b, 0) if b else 0)
    return _DIGIT.get(s)


def date_of(m: re.Match) -> dt.date | None:
    """The date a ``DATE`` match names, None where it is no calendar date (2月30日)."""
    try:
        return dt.date(cn_year(m.group("y")), cn_small(m.group("m")), cn_small(m.group("d")))
    except (TypeError, ValueError):
        return None


_HEADER_DATE = re.compile(r"(?m)^\s*(?:发布日期|发布时间|成文日期)\s*[:：]\s*(\d{4})\s*[-年./]\s*(\d{1,2})"
                          r"\s*[-月./]\s*(\d{1,2})")


def find_published(text: str, meta: dict, after: int) -> dt.date | None:
    """Publication date: page metadata, else a "发布日期：…" line at the top (pages saved with
    their header), else a signature date (a line that is only a date) after the last section
    heading."""
    p = meta.get("published")
    if p:
        try:
            return dt.date.fromisoformat(str(p)[:10])
        except ValueError:
            pass
    m = _HEADER_DATE.search("\n".join(text.split("\n")[:15]))
    if m:
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            return d
    found = None
    for line in text[after:].split("\n"):
        m = _SIGN_DATE.match(line)
        if m:
            found = date_of(m) or found
    return found
