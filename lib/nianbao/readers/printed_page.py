"""A web page printed to PDF by a browser: the report inside the site's navigation and footer.

Many auditors keep a report page with the browser's "Save as PDF". The PDF then holds the
whole page — the site's navigation above the report, link lists and the footer below it —
which the HTML reader would have left out by finding the article. The PDF reader marks such
files (Creator/Producer of a browser) and calls ``drop_site_chrome`` on its lines.
"""
from __future__ import annotations

import re

_LAST_PARTS = re.compile(r"^\s*[五六]\s*[、.．]")
#: short non-sentence lines in a row that mark the site's footer below a printed report
CHROME_RUN = 4
_SENTENCE_END = re.compile(r"[。；！？.!?]\s*$|^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def drop_site_chrome(items: list, pdf_title: str | None, notes: list[str]) -> list:
    """A web page printed by a browser carries the site around the report: navigation above
    the title, link lists and the footer below the body. Keep from the line that prints the
    page title (the PDF's Title is the page's <title>, "报告名_栏目_网站") to the end of the
    body (below); what lies outside is the site's."""
    lines = [k for k, it in enumerate(items) if it.kind == "line"]
    key = re.sub(r"\s+", "", re.split(r"\s*[_|]\s*|\s+-\s+", pdf_title or "")[0])
    first = next((k for k in lines if key and len(key) >= 8 and
                  key[:12] in re.sub(r"\s+", "", items[k].text)), None)
    if first is None:
        return items
    # the body ends before the site's link lists: after the last part heading (六、, else 五、),
    # the first run of CHROME_RUN short lines that are neither sentences nor dates (a 落款 is
    # two or three short lines: agency, office, date)
    last = len(items) - 1
    part = max((k for k in lines if k >= first and _LAST_PARTS.match(items[k].text)), default=None)
    if part is not None:
        run: list[int] = []
        for k in range(part + 1, len(items)):
            it = items[k]
            short = it.kind == "line" and len(it.text.strip()) <= 15 and \
                not _SENTENCE_END.search(it.text)
            run = run + [k] if short else []
            if len(run) >= CHROME_RUN:
                last = run[0] - 1
                break
    dropped = first + len(items) - 1 - last
    if dropped:
        notes.append(f"浏览器打印的网页：已删除报告标题之前和正文之后的网站导航、链接和页脚{dropped}行")
    return items[first:last + 1]
