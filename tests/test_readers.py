"""The readers on their synthetic fixtures: text encodings, HTML, JS, DOCX, PDF and bad inputs.

Fixtures live in ``tests/fixtures/readers`` (generated once by ``make_reader_fixtures.py`` and
committed); the expectations below are written from what each fixture prints, not from reader
output.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil

import pytest

from conftest import FIXTURES
from nianbao.errors import InputError
from nianbao.readers import read

R = FIXTURES / "readers"

BODY_LINES = (R / "report-utf8.txt").read_text(encoding="utf-8").split("\n")


def assert_blocks_match_text(doc) -> None:
    """The Document contract: every block's text is the text at its lines."""
    lines = doc.lines
    for b in doc.blocks:
        assert "\n".join(lines[b.line - 1:b.end_line]) == b.text, (b.kind, b.line)


# ---------------------------------------------------------------- text
@pytest.mark.parametrize("name, encoding", [
    ("report-utf8.txt", "utf-8"),
    ("report-utf8-bom.txt", "utf-8-sig"),
    ("report-gb18030.txt", "gb18030"),
    ("report-utf16le.txt", "utf-16"),
    ("report-utf16be.txt", "utf-16"),
    ("report-crlf.txt", "utf-8"),
    ("report-cr.txt", "utf-8"),
])
def test_text_encodings_give_the_same_lines(name, encoding):
    doc = read(R / name)
    assert doc.format == "txt"
    assert doc.meta["encoding"] == encoding
    assert any(encoding in n for n in doc.notes)
    assert doc.lines == BODY_LINES
    assert "䶮山路" in doc.text  # a GB18030-only character survives
    assert "\r" not in doc.text and "\ufeff" not in doc.text


def test_gbk_file_is_read_as_gb18030():
    doc = read(R / "report-gbk.txt")
    assert doc.meta["encoding"] == "gb18030"
    assert doc.lines == [ln.replace("䶮", "岩") for ln in BODY_LINES]


def test_text_lines_and_table_blocks():
    doc = read(R / "report-utf8.txt")
    assert doc.line_text(1).endswith("年度报告")
    assert doc.line_text(3) == "一、总体情况"
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(t.line, t.end_line) for t in tables] == [(7, 9), (11, 12)]
    assert [c.text for c in tables[1].rows[0]] == ["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"]
    assert_blocks_match_text(doc)


def test_sha256_is_of_the_input_bytes():
    path = R / "report-gb18030.txt"
    assert read(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_crawler_header_goes_to_meta_and_lines_stay():
    doc = read(R / "crawler.txt")
    raw_lines = (R / "crawler.txt").read_text(encoding="utf-8").split("\n")
    assert doc.lines == raw_lines  # cat -n line numbers hold
    assert doc.meta["title"].startswith("澜石县数据资源局2023年")
    assert doc.meta["published"] == "2024-01-19"
    assert doc.meta["source_url"].startswith("https://www.example.gov.cn/")
    assert doc.meta["body_start_line"] == 8
    assert "doc_number" not in doc.meta  # an empty header field is not recorded


def test_markdown_pipe_table_keeps_line_numbers():
    doc = read(R / "pipe-table.md")
    raw = (R / "pipe-table.md").read_text(encoding="utf-8").split("\n")
    assert doc.format == "md"
    assert len(doc.lines) == len(raw)
    assert doc.line_text(5) == "本列数据\t自然人\t商业企业\t总计"
    assert doc.line_text(6) == ""  # the |---| separator
    assert doc.line_text(7) == "一、本年新收政府信息公开申请数量\t5\t1\t6"
    assert doc.line_text(9) == "含|竖线\t\t0\t0\t0"
    table = next(b for b in doc.blocks if b.kind == "table")
    assert (table.line, table.end_line) == (5, 9)
    assert len(table.rows) == 4  # separator not a row
    assert [(c.text, c.colspan) for c in table.rows[1]][:2] == [("一、本年新收政府信息公开申请数量", 2), ("5", 1)]
    assert doc.line_text(11) == "表后的一段说明文字。"
    assert_blocks_match_text(doc)


def test_text_that_is_not_a_report_is_read_not_refused():
    doc = read(R / "not-a-report.txt")
    assert doc.lines[0] == "周末采购清单"


# ---------------------------------------------------------------- HTML
PAGE_LINES = [
    "澜石县数据资源局2023年政府信息公开工作年度报告",
    "本报告由本局办公室编制，统计期限为2023年1月1日至12月31日。",
    "一、总体情况",
    "2023年，本局主动公开政府信息86条，办理依申请公开6件。",
    "第二行在换行之后。",
    "三、收到和处理政府信息公开申请情况",
    "（表三节选）",
    "（本列数据的勾稽关系）\t申请人情况",
    "自然人\t商业企业\t总计",
    "一、本年新收政府信息公开申请数量\t12\t3\t15",
    "三、本年度办理结果\t（一）予以公开\t7\t0\t7",
    "（二）部分公开\t\t2\t2",
    "六、其他需要报告的事项",
    "本局本年度未收取信息处理费。",
]


@pytest.mark.parametrize("name", ["page.html", "page-gbk.html", "page-undeclared-gbk.htm", "page-as.txt"])
def test_html_article_body_tables_and_encodings(name):
    doc = read(R / name)
    assert doc.format == "html"
    assert doc.lines == PAGE_LINES
    for chrome in ("首页", "网站地图", "统计代码", "办事服务", "color", "[if", "endif", "note"):
        assert chrome not in doc.text
    assert_blocks_match_text(doc)


def test_html_encoding_recorded():
    assert read(R / "page-gbk.html").meta["encoding"] == "gb18030"
    assert read(R / "page-undeclared-gbk.htm").meta["encoding"] == "gb18030"
    assert read(R / "page.html").meta["encoding"] == "utf-8"


def test_html_meta():
    meta = read(R / "page.html").meta
    assert meta["published"] == "2024-01-19"
    assert meta["title"] == "澜石县数据资源局2023年政府信息公开工作年度报告"
    assert meta["site"] == "澜石县人民政府"
    assert meta["column"] == "政府信息公开年报"


def test_html_table_cells_spans_and_blanks():
    doc = read(R / "page.html")
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.line == 8
    cells = [[(c.text, c.rowspan, c.colspan) for c in r] for r in table.rows]
    assert cells[0] == [("（本列数据的勾稽关系）", 2, 2), ("申请人情况", 1, 3)]
    assert cells[1][0] == ("自然人", 1, 1)  # stacked one character per <p>
    assert cells[2] == [("一、本年新收政府信息公开申请数量", 1, 2), ("12", 1, 1), ("3", 1, 1), ("15", 1, 1)]
    assert cells[3][0] == ("三、本年度办理结果", 2, 1)
    assert cells[4][1] == ("", 1, 1)  # an &nbsp; cell is blank, not 0


# ---------------------------------------------------------------- JS
def test_report_html_inside_js():
    doc = read(R / "report.js")
    assert doc.format == "html"
    assert doc.meta["container"] == "js"
    assert doc.lines == ["澜石县数据资源局2023年政府信息公开工作年度报告", "一、总体情况",
                         "本局主动公开政府信息86条。", "信息内容\t本年制发件数", "规章\t0",
                         "六、其他需要报告的事项", "无。"]
    assert "政策文件" not in doc.text  # the other variables of the script


# ---------------------------------------------------------------- DOCX
def test_docx_body_order_runs_and_merged_cells():
    doc = read(R / "report.docx")
    assert doc.format == "docx"
    assert doc.lines == [
        "澜石县数据资源局2023年政府信息公开工作年度报告", "一、总体情况",
        "2023年，本局主动公开政府信息86条。", "换行后的第二行。",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况\t自然人\t总计",
        "三、本年度办理结果\t（一）予以公开\t12\t12",
        "（二）部分公开\t3\t3",
        "（七）总计\t15\t",
        "六、其他需要报告的事项", "本局本年度未收取信息处理费。",
    ]
    table = next(b for b in doc.blocks if b.kind == "table")
    assert [(c.text, c.rowspan, c.colspan) for c in table.rows[0]][0] == ("申请人情况", 1, 2)
    assert (table.rows[1][0].text, table.rows[1][0].rowspan) == ("三、本年度办理结果", 2)
    assert table.rows[3][-1].text == ""  # blank stays blank
    assert_blocks_match_text(doc)


def test_docx_dates_are_not_publication_dates():
    meta = read(R / "report.docx").meta
    assert meta["docx_modified"] == "2024-01-18"
    assert meta["docx_created"] == "2024-01-10"
    assert "published" not in meta


# ---------------------------------------------------------------- PDF
def test_pdf_text_tables_and_page_furniture():
    doc = read(R / "report.pdf")
    assert doc.format == "pdf"
    assert doc.lines[0] == "澜石县数据资源局2023年政府信息公开工作年度报告"
    # the paragraph wrapped at the margin is one line again, and "2023 年" lost its spaces
    assert doc.lines[2].startswith("本局在2023年依照条例") and doc.lines[2].endswith("争议事项。")
    assert "共计86条，答复依申请公开事项6件" in doc.lines[2]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", ln) for ln in doc.lines)
    assert "政务公开专栏" not in doc.text
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1  # continued across the page break as one run of rows
    rows = tables[0].text.split("\n")
    assert rows[0] == "申请人情况\t自然人\t商业企业\t总计"
    assert rows[1] == "一、本年新收政府信息公开申请数量\t5\t1\t6"
    assert rows[2] == "三、本年度办理结果\t（一）予以公开\t4\t1\t5"
    assert rows[-1] == "6.属于四类过程性信息\t0\t0\t0"
    assert len(rows) == 9
    assert tables[0].rows[2][0].rowspan == 7
    assert doc.lines[-2:] == ["六、其他需要报告的事项", "本局本年度未收取信息处理费。"]
    assert any("断行" in n for n in doc.notes) and any("页码" in n for n in doc.notes)
    assert_blocks_match_text(doc)


# ---------------------------------------------------------------- bad inputs
BAD = [
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("random.bin", "binary"),
    ("image.png", "PNG"),
    ("image-named.txt", "PNG"),
    ("sheet.xlsx", "xlsx"),
    ("archive.zip", "word/document.xml"),
    ("corrupt.docx", "corrupt"),
    ("legacy.doc", "not a Word document"),
    ("fake.pdf", "PDF header"),
    ("encrypted.pdf", "encrypted"),
    ("scanned.pdf", "no text layer"),
    ("corrupt.pdf", "corrupt"),
    ("nohtml.js", "no report HTML"),
]


def _one_line_error(path, reason_word):
    with pytest.raises(InputError) as exc:
        read(path)
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith(str(path))
    assert reason_word.lower() in msg.lower()
    assert exc.value.path == str(path)


@pytest.mark.parametrize("name, reason_word", BAD)
def test_bad_inputs_are_refused_in_one_line(name, reason_word):
    _one_line_error(R / name, reason_word)


def test_missing_file_and_directory(tmp_path):
    _one_line_error(tmp_path / "nope.txt", "not found")
    _one_line_error(tmp_path, "directory")


def test_unreadable_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("一、总体情况\n", encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user that can read mode-000 files")
        _one_line_error(p, "cannot read")
    finally:
        p.chmod(0o644)


def test_inputs_are_never_modified(tmp_path):
    for src in sorted(R.iterdir()):
        if src.suffix == ".py":
            continue
        dst = tmp_path / src.name
        shutil.copy2(src, dst)
        before = (hashlib.sha256(dst.read_bytes()).hexdigest(), dst.stat().st_mtime_ns)
        try:
            read(dst)
        except InputError:
            pass
        assert (hashlib.sha256(dst.read_bytes()).hexdigest(), dst.stat().st_mtime_ns) == before, src.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in R.iterdir() if p.suffix != ".py")


def test_damaged_inputs_read_or_refuse_but_never_crash(tmp_path):
    """Truncated and bit-flipped copies of every fixture: a Document or a one-line InputError,
    never another exception (a corrupt upload must not show the user a traceback)."""
    import random

    rng = random.Random(7)
    for src in sorted(R.iterdir()):
        if src.suffix == ".py":
            continue
        data = src.read_bytes()
        flipped = bytearray(data)
        for _ in range(max(1, len(data) // 100)):
            if flipped:
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        for k, variant in enumerate([data[:len(data) // 3], data[:len(data) * 9 // 10], bytes(flipped)]):
            path = tmp_path / f"{k}-{src.name}"
            path.write_bytes(variant)
            try:
                read(path)
            except InputError as e:
                assert "\n" not in str(e) and str(e).startswith(str(path))


def test_deeply_nested_html_does_not_hit_the_recursion_limit(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 1200 + "一、总体情况" + "</div>" * 1200 + "</body></html>",
                    encoding="utf-8")
    assert read(path).text == "一、总体情况"


@pytest.mark.parametrize("printed, expected", [
    ("本局在 2023 年依照", "本局在2023年依照"),
    ("共计 86 条，答复", "共计86条，答复"),
    ("2024 年，全区", "2024年，全区"),
    ("占 15.4% 。", "占15.4%。"),
    ("号 ， 邮 编 ： 223100 ， 电", "号，邮编：223100，电"),
    ("总 计", "总计"),
    # a label and its numbers, and two words of a header row, keep their separating space
    ("行政许可 550", "行政许可 550"),
    ("规章 0 0 0", "规章 0 0 0"),
    ("（一）予以公开 0 0 0 0 0 0 0", "（一）予以公开 0 0 0 0 0 0 0"),
    ("信息内容 本年处理决定数量", "信息内容 本年处理决定数量"),
])
def test_pdf_justification_spaces(printed, expected):
    from nianbao.readers.pdf import pdf_spacing

    assert pdf_spacing(printed) == expected


def test_content_beats_suffix(tmp_path):
    plain = tmp_path / "plain.html"  # an .html name on plain text: lines must survive
    plain.write_text("一、总体情况\n二、主动公开政府信息情况\n", encoding="utf-8")
    doc = read(plain)
    assert doc.format == "txt" and doc.lines[:2] == ["一、总体情况", "二、主动公开政府信息情况"]
    mention = tmp_path / "mention.txt"  # a text that merely mentions a PDF header is text
    mention.write_text("说明：附件格式为%PDF-1.7。\n一、总体情况\n", encoding="utf-8")
    assert read(mention).format == "txt"
    pdf_named_txt = tmp_path / "report.txt"
    pdf_named_txt.write_bytes((R / "report.pdf").read_bytes())
    assert read(pdf_named_txt).format == "pdf"
    docx_named_bin = tmp_path / "report.bin"
    docx_named_bin.write_bytes((R / "report.docx").read_bytes())
    assert read(docx_named_bin).format == "docx"


def test_ofd_is_refused_by_name(tmp_path):
    import zipfile

    path = tmp_path / "report.ofd"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    _one_line_error(path, "OFD")


def test_utf8_with_a_damaged_byte_stays_utf8(tmp_path):
    data = bytearray((R / "report-utf8.txt").read_bytes())
    data[data.index("总体".encode()) + 1] = 0xFF  # break one character
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    doc = read(path)
    assert doc.meta["encoding"].startswith("utf-8") and "replaced" in doc.meta["encoding"]
    assert doc.lines[0] == BODY_LINES[0]  # not GB18030 mojibake
    assert "\ufffd" in doc.lines[2]


def test_truncated_utf8_stays_utf8(tmp_path):
    data = (R / "report-utf8.txt").read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:data.index("。".encode()) + 1])  # cut inside the next character
    assert read(path).lines[0] == BODY_LINES[0]


def test_pdf_fake_bold_glyphs_are_read_once():
    doc = read(R / "fake-bold.pdf")
    assert doc.lines == ["澜石县数据资源局2023年政府信息公开工作年度报告", "一、总体情况"]


@pytest.mark.parametrize("body_title, first_lines", [
    ("<h2>澜石县数据资源局2023年政府信息公开工作年度报告</h2>",
     ["澜石县数据资源局2023年政府信息公开工作年度报告", PAGE_LINES[1]]),
    ("<p>澜石县数据资源局</p><p>2023年政府信息公开工作年度报告</p>",
     ["澜石县数据资源局", "2023年政府信息公开工作年度报告", PAGE_LINES[1]]),
    ("<p> 澜石县数据资源局 2023年政府信息公开工作年度报告 </p>",
     ["澜石县数据资源局 2023年政府信息公开工作年度报告", PAGE_LINES[1]]),
])
def test_html_title_is_not_doubled_when_the_body_prints_it(tmp_path, body_title, first_lines):
    page = (R / "page.html").read_text(encoding="utf-8")
    page = page.replace('<div class="TRS_Editor">', '<div class="TRS_Editor">' + body_title)
    path = tmp_path / "titled.html"
    path.write_text(page, encoding="utf-8")
    assert read(path).lines[:len(first_lines)] == first_lines


def test_pdf_cell_lines_join():
    from nianbao.readers.pdf import cell_text

    assert cell_text("商业\n企业") == "商业企业"
    assert cell_text("结 果\n维持") == "结果维持"
    assert cell_text("96171.\n6") == "96171.6"  # a number wrapped in a narrow column
    assert cell_text("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）") == \
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def test_docx_automatic_list_numbers_are_printed():
    doc = read(R / "numbered.docx")
    assert doc.lines == [
        "澜石县数据资源局2023年政府信息公开工作年度报告",
        "一、总体情况", "本局依照条例推进政务公开。", "（一）主动公开", "（二）依申请公开",
        "二、主动公开政府信息情况", "（一）规章",  # a new level-0 item restarts level 1
        "三、收到和处理政府信息公开申请情况",  # numbered by its paragraph style
        "四、政府信息公开行政复议、行政诉讼情况",  # by the style its style is based on
        "要点一条",  # bullets print nothing
        "3.属于国家秘密\t0", "4.其他法律行政法规禁止公开\t1",  # startOverride 3, inside a table
    ]


@pytest.mark.parametrize("n, fmt, printed", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (35, "chineseCounting", "三十五"),
    (3, "chineseLegalSimplified", "叁"), (2, "ideographTraditional", "乙"),
    (3, "decimalEnclosedCircle", "③"), (12, "decimalFullWidth", "１２"), (4, "upperRoman", "IV"),
    (28, "lowerLetter", "bb"), (7, "decimal", "7"),
])
def test_docx_number_formats(n, fmt, printed):
    from nianbao.readers.docx_numbering import format_number

    assert format_number(n, fmt) == printed


def test_report_html_inside_json(tmp_path):
    import json

    path = tmp_path / "article.json"
    path.write_text(json.dumps({"title": "年报", "content": "<p>一、总体情况</p><p>本局公开信息86条。</p>"}),
                    encoding="utf-8")  # ensure_ascii: the Chinese arrives as \uXXXX escapes
    assert read(path).lines == ["一、总体情况", "本局公开信息86条。"]


def test_mhtml_web_archive():
    doc = read(R / "report.mht")
    assert doc.format == "html" and doc.meta["container"] == "mhtml"
    assert doc.meta["encoding"] == "gb18030"  # the part's charset="gb2312", widened
    assert doc.lines == PAGE_LINES


def test_mhtml_without_html_part(tmp_path):
    path = tmp_path / "empty.mht"
    path.write_text('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
                    '--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n', encoding="ascii")
    _one_line_error(path, "without an HTML part")


def test_rtf_is_refused_by_name(tmp_path):
    path = tmp_path / "report.rtf"
    path.write_text("{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}\\f0 \\'d2\\'bb}", encoding="ascii")
    _one_line_error(path, "RTF")


def test_special_and_oversized_files(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _one_line_error(fifo, "not a regular file")  # must not block
    from nianbao import limits

    with limits.applied(limits.replace(limits.default(), max_file_mb=0)):
        _one_line_error(R / "report-utf8.txt", "limits.max_file_mb")


def test_pdf_joins_prose_lines_but_not_table_lines():
    from nianbao.readers.pdf import _Item, _join_broken_lines

    def line(text, x1=500.0):  # a line that reaches the right margin (500) unless x1 says not
        return _Item("line", 0, 0.0, 12.0, text, x1=x1, right=500.0)

    items = [line("本局在政府网站主动公开政府信息，全年共计"), line("86条。"),
             line("结果 结果 其他 尚未 总计"), line("维持 纠正 结果 审结"),
             line("一、本年新收政府信息公开申请数量 7 2 0"), line("1 0 0 10"),
             line("短行不到右边", x1=300.0), line("下一段。")]
    out = [it.text for it in _join_broken_lines(items, [])]
    assert out == ["本局在政府网站主动公开政府信息，全年共计86条。", "结果 结果 其他 尚未 总计",
                   "维持 纠正 结果 审结", "一、本年新收政府信息公开申请数量 7 2 0", "1 0 0 10",
                   "短行不到右边", "下一段。"]


def test_html_with_a_wrong_charset_declaration(tmp_path):
    page = (R / "page.html").read_text(encoding="utf-8")  # declares utf-8 …
    path = tmp_path / "wrong.html"
    path.write_bytes(page.encode("gbk"))  # … but the server wrote GBK
    doc = read(path)
    assert doc.meta["encoding"] == "gb18030"
    assert doc.lines == PAGE_LINES


def test_markdown_br_in_cells_and_form_feeds(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("| 三、本年度<br>办理结果 | 数量 |\n|---|---|\n| 予以<br/>公开 | 5 |\n\f第二页的第一行\n",
                    encoding="utf-8")
    doc = read(path)
    assert doc.lines == ["三、本年度办理结果\t数量", "", "予以公开\t5", "第二页的第一行", ""]
