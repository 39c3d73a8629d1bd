"""``python -m nianbao parse FILE [--json]``: the readable text, the JSON report object, and
one-line errors with exit code 2 for inputs that are not reports."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nianbao.cli import main
from test_parse import flat_text, report_text


@pytest.fixture()
def crawl_file(tmp_path):
    p = tmp_path / "crawl.txt"
    text = flat_text({"new_received": "510000 6"}, "10012 01001 00000",
                     {"regulations": "000", "normative_documents": "693665"})
    p.write_text(text, encoding="utf-8")
    return p


def test_text_output_marks_recovered_ambiguous_and_missing(crawl_file, capsys):
    assert main(["parse", str(crawl_file)]) == 0
    out = capsys.readouterr().out
    for want in ("岚桥市望川区财政局", "2023", "格式 2021", "2023-01-01 至 2023-12-31",
                 "一  第1行", "表二", "表三", "表四"):
        assert want in out, want
    assert "5*" in out  # a cell recovered from "510000"
    assert "[ambiguous]" in out and "69/3/665" in out
    assert "[recovered]" in out


def test_text_output_of_the_seed_shows_missing_totals_and_duplicates(seed_path, capsys):
    assert main(["parse", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert "缺" in out and "表头无“总计”列" in out
    assert "重复：“一、总体情况”" in out
    assert "发布日期 未知" in out


def test_json_is_the_report_object(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text(report_text(), encoding="utf-8")
    assert main(["parse", str(p), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["year"] == 2023 and j["format_version"] == "2021"
    assert j["tables"]["table4"]["review"] == {"upheld": 1, "corrected": 0, "other": 0,
                                               "pending": 1, "total": 2}
    assert len(j["tables"]["table3"]) == 25
    assert main(["parse", str(p), "--json", "--provenance"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["provenance"]["table3"]["new_received"]["total"]["how"] == "read"


@pytest.mark.parametrize("content", [b"", "\u4eca\u5929\u5929\u6c14\u5f88\u597d\u3002\n".encode()])
def test_bad_input_exits_2_with_one_line(tmp_path, content):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    run = subprocess.run([sys.executable, "-m", "nianbao", "parse", str(p)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().split("\n")
    assert len(lines) == 1 and str(p) in lines[0] and "Traceback" not in run.stderr
