"""The parser on the seed and on small synthetic reports with planted damage.

The synthetic reports are written here for these tests (a made-up agency, 岚桥市望川区财政局,
on the official 2021 template); ``report_text`` builds the text in the layouts the readers
produce: tab rows (seed, DOCX, HTML) and one flattened crawler line.
"""
from __future__ import annotations

import pytest

import nianbao
from nianbao import schema
from nianbao.document import Document, blocks_from_text
from nianbao.errors import InputError
from nianbao.model import ALIGNED, AMBIGUOUS, BLANK, MISSING, READ, RECOVERED
from nianbao.parsing import parse

AGENCY = "岚桥市望川区财政局"
INTRO = ("本报告按照条例要求编写，共分总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
         "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
         "所列数据的统计期限为2023年1月1日至2023年12月31日。")

# 表三 values, R1–R3 hold: row -> 7 numbers (total last)
T3 = {r.key: [0] * 7 for r in schema.t3_rows("2021")}
T3.update({
    "new_received": [5, 1, 0, 0, 0, 0, 6],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [3, 1, 0, 0, 0, 0, 4],
    "unavailable_not_held": [2, 0, 0, 0, 0, 0, 2],
    "total_processed": [5, 1, 0, 0, 0, 0, 6],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
})
T4 = [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
T2 = [("第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
       [("规章", ["0", "0", "0"]), ("行政规范性文件", ["2", "1", "9"])]),
      ("第二十条第（五）项", "信息内容\t本年处理决定数量", [("行政许可", ["35"])]),
      ("第二十条第（六）项", "信息内容\t本年处理决定数量", [("行政处罚", ["4"]), ("行政强制", ["0"])]),
      ("第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", [("行政事业性收费", ["1.25"])])]
T3_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
             "自然人\t法人或其他组织\t总计",
             "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
T4_HEADER = ["行政复议\t行政诉讼",
             "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
             "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
GROUP = {"granted": "三、本年度办理结果", "withheld_state_secret": "（三）不予公开",
         "unavailable_not_held": "（四）无法提供", "rejected_complaint": "（五）不予处理",
         "other_no_correction": "（六）其他处理"}


def t3_lines(values=None, cells=None, labels=None, header=None) -> list[str]:
    """Tab rows of 表三; ``cells[row]`` replaces a row's printed cells, ``labels[row]`` its label."""
    values = values or T3
    out = list(header or T3_HEADER)
    for spec in schema.t3_rows("2021"):
        label = (labels or {}).get(spec.key, spec.label)
        printed = (cells or {}).get(spec.key, [str(v) for v in values[spec.key]])
        prefix = GROUP[spec.key] + "\t" if spec.key in GROUP else ""
        out.append(prefix + label + "\t" + "\t".join(printed))
    return out


def report_text(t3=None, t4=None, t2=None, title=None, tail="2024年1月20日") -> str:
    t2_lines = []
    for caption, head, rows in t2 or T2:
        t2_lines += [caption, head] + [label + "\t" + "\t".join(v) for label, v in rows]
    lines = [title or f"{AGENCY}2023年政府信息公开工作年度报告", "", INTRO, "",
             "一、总体情况", "本局全年按时更新公开目录，完善了依申请公开的登记和答复流程。", "",
             "二、主动公开政府信息情况", *t2_lines, "",
             "三、收到和处理政府信息公开申请情况", *(t3 or t3_lines()), "",
             "四、政府信息公开行政复议、行政诉讼情况", *T4_HEADER,
             *(t4 or ["\t".join(map(str, T4))]), "",
             "五、存在的主要问题及改进情况", "解读材料形式单一，下一步增加图表解读。", "",
             "六、其他需要报告的事项", "本年度未收取信息处理费。", "", AGENCY, tail]
    return "\n".join(lines) + "\n"


def doc_of(text: str, path="synthetic.txt") -> Document:
    return Document(path, "txt", "0" * 64, text, blocks_from_text(text))


def values(table, row) -> list:
    return [table.value(row, c) for c in table.columns]


# ---------------------------------------------------------------- the seed
def test_seed(seed_path):
    r = parse(seed_path)
    assert (r.year, r.format_version) == (2021, "2021")
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 5, 6]
    assert r.period[0].isoformat() == "2021-01-01" and r.period[1].isoformat() == "2021-12-31"
    assert r.agency and r.agency.endswith("科技和工业信息化局") and r.region and r.region.endswith("区")
    for t, n in ((r.table2, 10), (r.table3, 175), (r.table4, 15)):
        assert len(t.cells) == n, t.name
    missing = {k for k, c in r.table3.cells.items() if c.value is None}
    assert missing == {("new_received", "total"), ("carried_over", "total")}
    for k in missing:
        assert r.table3.cells[k].how == MISSING and "总计" in r.table3.cells[k].reason
    for t in (r.table2, r.table3, r.table4):
        assert all(c.value == 0 for k, c in t.cells.items() if k not in missing), t.name
    # the repeated title and heading are both recorded, the section is the one with a body
    texts = [t for t, _ in r.headings]
    assert texts.count("一、总体情况") == 2 and texts.count(r.title) == 2
    assert r.section(1).line == 9
    assert r.table3.col_labels["social_welfare"] == "社会组织"
    assert r.table3.col_labels["total"] is None
    assert r.table3.row_labels["withheld_prohibited"] == "2.其他法律法规禁止公开"


# ---------------------------------------------------------------- clean synthetic report
def test_clean_tab_report_reads_every_cell():
    r = parse(doc_of(report_text()))
    assert (r.agency, r.region, r.year, r.format_version) == (AGENCY, "岚桥市望川区", 2023, "2021")
    assert r.published.isoformat() == "2024-01-20"
    for key, vals in T3.items():
        assert values(r.table3, key) == vals, key
    assert [r.table4.value(row, c) for row in schema.T4_ROW_KEYS for c in schema.T4_COLUMN_KEYS] == T4
    assert r.table2.value("normative_documents", "in_force") == 9
    assert r.table2.value("fees", "amount_wan") == 1.25
    assert all(c.how == READ for t in (r.table2, r.table3, r.table4) for c in t.cells.values())
    # spans point at the printed token
    cell = r.table2.cell("licensing", "decisions")
    assert r.text[cell.span[0]:cell.span[1]] == "35" and r.document.line_text(cell.line).startswith("行政许可")
    # the table extents bracket the rows, so prose checks can skip them
    assert r.table3.line < r.table3.row_lines["carried_forward"] <= r.table3.end_line


def test_to_json_is_the_schema_report_object():
    r = parse(doc_of(report_text()))
    j = r.to_json()
    assert set(j) >= {"title", "agency", "region", "year", "period", "format_version", "published",
                      "sections", "tables"}
    assert j["tables"]["table3"]["new_received"]["total"] == 6
    assert j["period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    assert [s["number"] for s in j["sections"]] == [1, 2, 3, 4, 5, 6]


# ---------------------------------------------------------------- planted damage
def test_merged_cell_shift_right_aligned_and_marked():
    # leading empty cells (a flattened merged label cell) are padding; a row of six values that
    # reads as five applicant columns + their total is right-aligned, and says so
    cells = {"granted": ["", "", "3", "1", "0", "0", "0", "0", "4", ""],
             "rejected_repeat": ["1", "0", "0", "0", "0", "1"]}
    t3 = dict(T3, rejected_repeat=[0, 1, 0, 0, 0, 0, 1], unavailable_not_held=[2, -1, 0, 0, 0, 0, 1])
    r = parse(doc_of(report_text(t3=t3_lines(values=t3, cells=cells))))
    assert values(r.table3, "granted") == [3, 1, 0, 0, 0, 0, 4]
    row = [r.table3.cell("rejected_repeat", c) for c in schema.T3_COLUMN_KEYS]
    assert row[0].how == MISSING and row[0].value is None and "右对齐" in row[0].reason
    assert [c.value for c in row[1:]] == [1, 0, 0, 0, 0, 1] and all(c.how == ALIGNED for c in row[1:])
    assert any("右对齐" in n for n in r.table3.notes)


def test_six_values_that_are_not_five_plus_total_lack_the_total():
    cells = {"new_received": ["5", "1", "0", "0", "0", "0"]}
    r = parse(doc_of(report_text(t3=t3_lines(cells=cells))))
    assert values(r.table3, "new_received") == [5, 1, 0, 0, 0, 0, None]
    assert r.table3.cell("new_received", "total").how == MISSING


def test_full_grid_layout_and_trailing_padding():
    # a TSV export of the whole grid: every row has three label cells (empty where merged)
    grid = []
    for line in t3_lines()[3:]:
        cells = line.split("\t")
        labels, vals = cells[:-7], cells[-7:]
        grid.append("\t".join(labels + [""] * (3 - len(labels)) + vals))
    grid[0] = "\t".join(grid[0].split("\t")[:-1])  # row 一 without its 总计 cell
    r = parse(doc_of(report_text(t3=T3_HEADER + grid)))
    assert values(r.table3, "new_received") == [5, 1, 0, 0, 0, 0, None]
    assert values(r.table3, "granted") == T3["granted"]
    # rows padded with empty cells after the values: trailing empties are layout
    padded = [ln + "\t\t" for ln in t3_lines()[3:]]
    padded[1] = "\t".join(padded[1].split("\t")[:-3]) + "\t"  # row 二: six values, then padding
    r = parse(doc_of(report_text(t3=T3_HEADER + padded)))
    assert values(r.table3, "granted") == T3["granted"]
    assert values(r.table3, "carried_over") == [1, 0, 0, 0, 0, 0, None]


def test_six_value_rows_without_total_header():
    header = [T3_HEADER[0], "自然人\t法人或其他组织", T3_HEADER[2]]
    cells = {"new_received": ["5", "1", "0", "0", "0", "0"]}
    r = parse(doc_of(report_text(t3=t3_lines(cells=cells, header=header))))
    assert values(r.table3, "new_received") == [5, 1, 0, 0, 0, 0, None]
    assert r.table3.cell("new_received", "total").how == MISSING
    assert r.table3.cell("new_received", "natural_person").how == READ


def test_table_split_by_blank_lines_and_page_break():
    lines = t3_lines()
    i = next(k for k, ln in enumerate(lines) if "国家秘密" in ln)
    j = next(k for k, ln in enumerate(lines) if "不掌握" in ln)
    lines = lines[:i] + ["", ""] + lines[i:j] + ["", "- 3 -", "\f第 4 页", *T3_HEADER] + lines[j:]
    r = parse(doc_of(report_text(t3=lines)))
    for key, vals in T3.items():
        assert values(r.table3, key) == vals, key
    assert all(c.how == READ for c in r.table3.cells.values())


def test_brackets_and_label_variants():
    labels = {"granted": "(一) 予以公开", "partially_granted": "(二)部分公开(区分处理的, 只计这一情形, 不计其他情形)",
              "withheld_prohibited": "2.其他法律法规禁止公开", "total_processed": "（ 七 ）总 计"}
    header = [T3_HEADER[0], T3_HEADER[1], "商业企业\t科研机构\t社会组织\t法律服务机构\t其他"]
    r = parse(doc_of(report_text(t3=t3_lines(labels=labels, header=header))))
    for key, vals in T3.items():
        assert values(r.table3, key) == vals, key
    assert r.table3.row_labels["withheld_prohibited"] == "2.其他法律法规禁止公开"
    assert r.table3.row_labels["granted"] == "(一) 予以公开"
    assert r.table3.col_labels["social_welfare"] == "社会组织"


@pytest.mark.parametrize("mark", ["", "/", "—", "-", "无", "／", "－"])
def test_blank_markers_are_null_never_zero(mark):
    cells = {"rejected_repeat": ["0", "0", "0", mark, "0", "0", "0"]}
    r = parse(doc_of(report_text(t3=t3_lines(cells=cells))))
    c = r.table3.cell("rejected_repeat", "social_welfare")
    assert c.value is None and c.how == BLANK and c.reason
    assert r.table3.value("rejected_repeat", "legal_service") == 0


def test_fullwidth_digits_thousands_decimals_signs_units():
    t2 = [("第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
           [("规章", ["０", "０", "１２"]), ("行政规范性文件", ["2", "1", "9"])]),
          ("第二十条第（五）项", "信息内容\t本年处理决定数量", [("行政许可", ["1,234"])]),
          ("第二十条第（六）项", "信息内容\t本年处理决定数量", [("行政处罚", ["4"]), ("行政强制", ["0"])]),
          ("第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", [("行政事业性收费", ["0.3125"])])]
    r = parse(doc_of(report_text(t2=t2)))
    assert r.table2.value("regulations", "in_force") == 12
    assert r.table2.value("licensing", "decisions") == 1234
    assert r.table2.value("fees", "amount_wan") == 0.3125


def test_2019_table2_signs_and_units():
    t2 = [("第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
           [("规章", ["0", "0", "3"]), ("规范性文件", ["2", "2", "40"])]),
          ("第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
           [("行政许可", ["12", "-3", "80"]), ("其他对外管理服务事项", ["4", "+1", "7"])]),
          ("第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
           [("行政处罚", ["2", "0", "5"]), ("行政强制", ["0", "0", "0"])]),
          ("第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", [("行政事业性收费", ["1", "0"])]),
          ("第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额", [("政府集中采购", ["6", "251000元"])])]
    text = report_text(t2=t2).replace("2023", "2020").replace("2024年1月", "2021年1月")
    r = parse(doc_of(text))
    assert r.format_version == "2019" and r.year == 2020
    assert len(r.table2.cells) == schema.t2_cell_count("2019")
    assert r.table2.value("licensing", "change") == -3
    assert r.table2.value("other_services", "change") == 1
    assert r.table2.value("procurement", "amount") == 251000


# ---------------------------------------------------------------- flattened crawler text
def flat_text(t3_runs: dict[str, str], t4_run: str, t2_runs: dict[str, str]) -> str:
    """One long line as a crawler saves it: labels and digit runs with no separators."""
    parts = [f"{AGENCY}2023年政府信息公开工作年度报告 {INTRO}一、总体情况本局全年按时更新公开目录。",
             "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数",
             f"规章{t2_runs['regulations']}行政规范性文件{t2_runs['normative_documents']}",
             "第二十条第（五）项信息内容本年处理决定数量行政许可35",
             "第二十条第（六）项信息内容本年处理决定数量行政处罚4行政强制0",
             "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费1.25",
             "三、收到和处理政府信息公开申请情况", "".join(T3_HEADER).replace("\t", "")]
    for spec in schema.t3_rows("2021"):
        group = GROUP.get(spec.key, "")
        parts.append(group + spec.label + t3_runs.get(spec.key, "".join(map(str, T3[spec.key]))))
    parts += [" 四、政府信息公开行政复议、行政诉讼情况 ", "".join(T4_HEADER).replace("\t", ""), t4_run,
              "五、存在的主要问题及改进情况解读材料形式单一。六、其他需要报告的事项本年度未收取信息处理费。"]
    return "".join(parts) + "\n"


def test_flat_crawler_line_with_unique_readings():
    runs = {"new_received": "510000 6", "granted": "310000 4"}
    text = flat_text(runs, "10012 01001 00000", {"regulations": "000", "normative_documents": "2 1 9"})
    r = parse(doc_of(text))
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 5, 6]
    for key, vals in T3.items():
        assert values(r.table3, key) == vals, key
    c = r.table3.cell("new_received", "natural_person")
    assert c.how == RECOVERED and "510000" in c.raw and c.reason
    assert r.table3.cell("new_received", "total").how == READ  # the "6" stood alone
    assert [r.table4.value(row, c) for row in schema.T4_ROW_KEYS for c in schema.T4_COLUMN_KEYS] == T4
    assert r.table2.value("regulations", "in_force") == 0
    assert r.table2.cell("regulations", "issued").how == RECOVERED
    assert values(r.table2, "normative_documents")[:3] == [2, 1, 9]


def test_flat_table2_labels_are_the_rows_own_words_and_prose_is_not_a_row():
    """Crawler text runs 表二's header into its first row label; the label is the row's own
    words. A report that leaves out the 规章 row but names 规章 in the prose after the table: the
    prose is not the row (its label would hold sentence punctuation), so the row is absent."""
    text = flat_text({}, "100110100100000", {"regulations": "000", "normative_documents": "219"})
    r = parse(doc_of(text))
    assert r.table2.row_labels["regulations"] == "规章"
    assert r.table2.row_labels["licensing"] == "行政许可"
    fee = "行政事业性收费1.25"
    cut = (text.replace("规章000行政规范性文件219", "规范性文件219")
           .replace(fee, fee + "本年度主动公开信息120条，其中，重点公开部门规章、规范性文件。"))
    r = parse(doc_of(cut))
    assert r.table2.row_labels["regulations"] is None
    assert r.table2.row_labels["normative_documents"] == "规范性文件"
    assert values(r.table2, "normative_documents")[:3] == [2, 1, 9]
    msgs = [f.message for f in nianbao.audit(doc_of(cut)).findings if f.rule == "T2-LABELS"]
    assert "表二第二十条第（一）项缺少“规章”行" in msgs
    assert "表二行名“规范性文件”应为“行政规范性文件”" in msgs
    for prose in ("本年未制定规章。", "本年度重点公开规章，也无新增文件。"):  # a sentence ends after it
        r = parse(doc_of(text.replace("规章000行政规范性文件219", "规范性文件219").replace(fee, fee + prose)))
        assert r.table2.row_labels["regulations"] is None, prose


@pytest.mark.parametrize("printed, own", [
    ("本年制发件数本年废止件数现行有效件数规章", "规章"),
    ("本年废止件现行有效件数规范性文件", "规范性文件"),  # a header that dropped its 数
    ("减处理决定数量行政许可", "行政许可"),  # 2019 flat text: the label starts after 本年增/
    ("本年收费金额(单位:万元)行政事业性收费", "行政事业性收费"),  # half-width brackets
    ("第二十条第（五）项信息内容本年处理决定数量行政许可", "行政许可"),
    ("其他对外管理服务事项", "其他对外管理服务事项")])
def test_table2_row_label_without_the_header_run_into_it(printed, own):
    from nianbao.parsing.table2 import _without_header

    assert _without_header(printed) == own


def test_run_together_digits_unique_by_row_total():
    t3 = dict(T3)
    t3.update({"new_received": [71, 3, 0, 0, 0, 0, 74], "granted": [71, 3, 0, 0, 0, 0, 74],
               "total_processed": [71, 3, 0, 0, 0, 0, 74], "carried_forward": [1, 0, 0, 0, 0, 0, 1],
               "unavailable_not_held": [0] * 7, "carried_over": [1, 0, 0, 0, 0, 0, 1]})
    runs = {k: "".join(map(str, v)) for k, v in t3.items()}
    text = flat_text(runs, "100110100100000", {"regulations": "000", "normative_documents": "219"})
    old = dict(T3)
    try:
        T3.update(t3)
        r = parse(doc_of(text))
    finally:
        T3.clear()
        T3.update(old)
    assert values(r.table3, "new_received") == [71, 3, 0, 0, 0, 0, 74]
    assert r.table3.cell("new_received", "total").how == RECOVERED
    assert "总计" in r.table3.cell("new_received", "total").reason
    # 表四: 15 cells in one run, R4 per block decides
    assert [r.table4.value("review", c) for c in schema.T4_COLUMN_KEYS] == [1, 0, 0, 1, 1]


def test_run_together_digits_with_several_readings_stay_null():
    text = flat_text({}, "10012 01001 00000", {"regulations": "000", "normative_documents": "693665"})
    r = parse(doc_of(text))
    cells = [r.table2.cell("normative_documents", c) for c in ("issued", "repealed", "in_force")]
    assert all(c.value is None and c.how == AMBIGUOUS for c in cells)
    assert "69/3/665" in cells[0].reason and "693665" in cells[0].reason


# ---------------------------------------------------------------- metadata and structure
def test_title_variants_and_region():
    r = parse(doc_of(report_text(title="2023年度岚桥市望川区财政局政府信息公开工作年度报告")))
    assert (r.agency, r.year) == (AGENCY, 2023)
    r = parse(doc_of(report_text(title=f"{AGENCY}二〇二三年政府信息公开工作年度报告")))
    assert r.year == 2023 and r.agency == AGENCY
    text = report_text(title=f"{AGENCY}2023年政府信息公开工作\n年度报告")
    r = parse(doc_of(text))
    assert r.year == 2023 and r.agency == AGENCY and r.title_line == 1
    r = parse(Document("x.txt", "txt", "0" * 64, report_text(), [], {"title": "岚桥市教育局2023年度政府信息公开工作年度报告",
                                                                     "published": "2024-01-15"}))
    assert (r.agency, r.region) == ("岚桥市教育局", "岚桥市")
    assert r.published.isoformat() == "2024-01-15"


def test_period_variants():
    for sentence in ("本报告统计时限自2023年1月1日起至2023年12月31日止。", "统计周期为2023年1月1日到12月31日。",
                     "本年报中所列数据的统计时间为 2023 年 1 月 1 日至 2023 年 12 月 31 日。"):
        r = parse(doc_of(report_text().replace(INTRO, sentence)))
        assert [d.isoformat() for d in r.period] == ["2023-01-01", "2023-12-31"], sentence
        assert "2023" in r.text[r.period_span[0]:r.period_span[1]]


def test_intro_enumeration_is_not_a_heading_but_inline_headings_are():
    text = report_text()
    r = parse(doc_of(text))
    assert all(s.line > 3 for s in r.sections)
    assert not any(t.startswith("总体情况") for t, _ in r.headings)
    flat = text.replace("\n二、主动公开", "作用。二、主动公开")
    r = parse(doc_of(flat))
    assert r.section(2) is not None and r.section(2).heading.startswith("二、主动公开政府信息情况")


def test_missing_section_and_no_published_date():
    text = report_text(tail="")
    text = text.replace("五、存在的主要问题及改进情况", "下一步工作打算")
    r = parse(doc_of(text))
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 6]
    assert r.published is None


def test_legacy_report_has_metadata_and_no_tables():
    text = (f"{AGENCY}2017年政府信息公开工作年度报告\n\n一、概述\n本局按照要求推进公开工作。\n"
            "二、主动公开政府信息情况\n全年主动公开信息120条。\n三、依申请公开政府信息情况\n全年未收到申请。\n")
    r = parse(doc_of(text))
    assert (r.year, r.format_version) == (2017, "legacy")
    assert not (r.table2.found or r.table3.found or r.table4.found)
    assert r.table3.notes


@pytest.mark.parametrize("text", ["", "   \n\n", "今天天气很好，我们去公园散步。\n明天可能下雨。\n"])
def test_not_a_report_is_one_line_input_error(text):
    with pytest.raises(InputError) as e:
        parse(doc_of(text, "notes.txt"))
    assert "\n" not in str(e.value) and str(e.value).startswith("notes.txt: ")


def test_input_is_not_modified(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(report_text(), encoding="utf-8")
    before = p.read_bytes()
    r = parse(p)
    assert r.table3.value("new_received", "total") == 6 and p.read_bytes() == before


def test_unofficial_row_is_an_extra_label_not_values_of_the_row_above():
    lines = t3_lines()
    i = next(k for k, ln in enumerate(lines) if "行政查询" in ln)
    lines.insert(i + 1, "\t9.其他不予公开情形\t1\t0\t0\t0\t0\t0\t1")
    r = parse(doc_of(report_text(t3=lines)))
    assert r.table3.extra_labels == ["9.其他不予公开情形"]
    assert values(r.table3, "withheld_query_matter") == [0] * 7
    assert values(r.table3, "unavailable_not_held") == T3["unavailable_not_held"]


def test_package_functions_are_not_shadowed_by_their_modules():
    """``nianbao.parse``/``nianbao.audit`` are the public functions whatever was imported first
    (the implementing modules are ``nianbao.parsing`` and ``nianbao.engine``)."""
    import nianbao
    import nianbao.engine
    import nianbao.parsing

    assert callable(nianbao.parse) and callable(nianbao.audit)
    r1 = nianbao.parse(doc_of(report_text()))
    r2 = nianbao.parsing.parse(doc_of(report_text()))
    assert r1.table3.value("new_received", "total") == r2.table3.value("new_received", "total") == 6


def test_published_from_a_header_line():
    text = "发布日期：2024-01-12\n" + report_text(tail="")
    r = parse(doc_of(text))
    assert r.published.isoformat() == "2024-01-12"


def test_blank_markers_inside_run_together_digits():
    runs = {"withheld_state_secret": "00/0000", "unavailable_unclear": "0000-00",
            "rejected_publication": "0 0000无0", "rejected_repeat": "0 0 0 — 000"}
    r = parse(doc_of(flat_text(runs, "10012 01001 00000", {"regulations": "000",
                                                          "normative_documents": "2 1 9"})))
    for row, col in (("withheld_state_secret", "research"), ("unavailable_unclear", "legal_service"),
                     ("rejected_publication", "other_org"), ("rejected_repeat", "social_welfare")):
        row_vals = values(r.table3, row)
        assert row_vals[schema.T3_COLUMN_KEYS.index(col)] is None, (row, row_vals)
        assert [v for v in row_vals if v is not None] == [0] * 6, (row, row_vals)
        assert r.table3.cell(row, col).how == BLANK


def test_last_row_digits_glued_to_the_next_paragraphs_year():
    """Flattened text: 结转下年度 "1000001" runs into "2023年，…" of the paragraph after the table;
    the year is prose, not a value (issue 9: a real report read as a row without cells)."""
    runs = {"carried_forward": "10000012023年，本局继续做好申请办理和答复工作。"}
    r = parse(doc_of(flat_text(runs, "10012 01001 00000", {"regulations": "000",
                                                            "normative_documents": "2 1 9"})))
    assert values(r.table3, "carried_forward") == [1, 0, 0, 0, 0, 0, 1]
    assert "2023" not in (r.table3.cell("carried_forward", "total").raw or "")


def test_a_number_before_a_unit_word_is_still_not_a_value():
    runs = {"carried_forward": "1000001 共计2023件申请。"}
    r = parse(doc_of(flat_text(runs, "10012 01001 00000", {"regulations": "000",
                                                            "normative_documents": "2 1 9"})))
    assert values(r.table3, "carried_forward") == [1, 0, 0, 0, 0, 0, 1]


def test_enforcement_file_row_printed_as_case_is_found():
    """7.属于行政执法案件 (a real wording) is the 案卷 row, read with its values."""
    r = parse(doc_of(report_text(t3=t3_lines(labels={"withheld_enforcement_file": "7.属于行政执法案件"}))))
    assert r.table3.row_labels["withheld_enforcement_file"] == "7.属于行政执法案件"
    assert values(r.table3, "withheld_enforcement_file") == [0] * 7
