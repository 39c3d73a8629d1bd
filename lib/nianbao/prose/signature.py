"""The signature (落款) at the end of a report: the signing agency and the date, and 印发 dates.

Why a module of its own: the date rules (META-DATES) and the agency rule (META-SIGNER) both need
the 落款, and it is found the same way in every input — web pages and crawler text end the article
with "机关名称 2024年1月20日" (on one line, or on two, sometimes followed by page chrome such as
附件下载), PDFs and Word files put the name and the date on the last lines. It is read from the
end of the text backwards and never guessed: no date at the end, no signature.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..parsing.meta import DATE, date_of

#: What may follow the 落款 on a saved page: chrome, never a sentence.
_CHROME_AFTER = re.compile(r"^[\s　]*(?:(?:附件下载|附件[:：]?|相关附件|【?打印本页】?|【?关闭(?:窗口)?】?|"
                           r"分享到[:：]?|扫一扫[^\n]{0,20}|责任编辑[^\n]{0,20}|来源[:：][^\n]{0,30}|"
                           r"[\(（]?此页无正文[\)）]?|印发)[\s　]*)*$")
#: The end of an agency name.
AGENCY_END = r"(?:人民政府|政府|管理委员会|管委会|委员会|办公室|办公厅|局|委|办|厅|署|中心|院|所|站|处|部|会)"
_SIGNER = re.compile(r"([\u4e00-\u9fff（）()]{2,40}?" + AGENCY_END + r")[\s　]*$")
_ISSUED = re.compile(DATE + r"\s*(?:印发|成文|签发)")
_TAIL_CHARS = 400


@dataclass(frozen=True)
class Dated:
    date: dt.date
    start: int  # offsets into Document.text of the date
    end: int
    raw: str


@dataclass(frozen=True)
class Signature:
    agency: str | None  # the signing agency as printed (spaces removed), None if only a date
    agency_span: tuple[int, int] | None
    date: Dated


def find_signature(text: str, body_start: int = 0) -> Signature | None:
    """The 落款 of ``text``: the last date in the closing ``_TAIL_CHARS`` characters that only
    page chrome follows, and the agency name right before it (same line, or the line above)."""
    lo = max(body_start, len(text) - _TAIL_CHARS)
    tail = text[lo:]
    for m in reversed(list(re.finditer(DATE, tail))):
        if not _CHROME_AFTER.match(tail[m.end():]):
            continue
        d = date_of(m)
        if d is None:
            return None
        dated = Dated(d, lo + m.start(), lo + m.end(), m.group(0))
        before = tail[:m.start()]
        line = before.rsplit("\n", 1)[-1]
        if not line.strip() and "\n" in before:  # the name on the line above the date
            prev = before.rstrip().rsplit("\n", 1)
            line = prev[-1] if prev else ""
        seg = re.split(r"[。！？；;，,：:\d\s　]+(?=[^\s　]*$)", line.rstrip())[-1]
        sm = _SIGNER.search(seg)
        if sm:
            name = re.sub(r"[\s　]", "", sm.group(1))
            end = lo + before.rstrip().__len__()
            start = max(lo, end - len(sm.group(1)))
            return Signature(name, (start, end), dated)
        return Signature(None, None, dated)
    return None


def issued_dates(text: str) -> list[Dated]:
    """Dates printed with 印发/成文/签发 (a report issued as a document)."""
    out = []
    for m in _ISSUED.finditer(text):
        d = date_of(m)
        if d:
            out.append(Dated(d, m.start(), m.end(), m.group(0)))
    return out
