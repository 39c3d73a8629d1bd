"""Issue 10: each failure found by probing, as a case that failed before the fix.

Exit statuses that mean one thing each, limits checked before the work they bound, numbers too
long to convert, undecodable and dash-led file names, encrypted PDFs, and parsing that stays
linear in the input. Linearity is shown by structure where it can be (a candidate's size, a
scan that reads each character once); where only timing can show it, by the ratio of two runs
on inputs 4× apart with a generous bound (quadratic is 16×), never by a wall-clock limit.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nianbao import limits
from nianbao.cli import main
from nianbao.config import ConfigError, READER_KEYS, defaults, load_config
from nianbao.engine import audit
from nianbao.errors import EXIT_INPUT, EXIT_INTERNAL, InputError
from nianbao.limits import LimitError
from nianbao.readers import read
from bombs import W, docx_with, gridspan_document, paragraphs_document, pdf
from synth import random_spec, render_html, render_text

ROOT = Path(__file__).resolve().parents[1]
SPEC = random_spec(7)


def _txt(tmp_path, text: str, name: str = "r.txt") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------- exit statuses
def test_internal_failure_exits_3_with_the_traceback_in_a_log(tmp_path, monkeypatch, capsys):
    """A crash used to exit 1, the status of "error findings"."""
    from nianbao import engine

    def broken(*a, **k):
        raise ZeroDivisionError("a bug")

    monkeypatch.setenv("NIANBAO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(engine, "load_config", broken)
    code = main(["audit", str(ROOT / "data" / "samples" / "lanxi-gov-2023.html")])
    assert code == EXIT_INTERNAL == 3
    line = _one_line(capsys.readouterr().err)
    assert "internal error" in line and "ZeroDivisionError" in line
    log = Path(line.split("traceback in ")[1].strip())
    assert log.parent == tmp_path / "logs"
    assert "Traceback" in log.read_text(encoding="utf-8") and "a bug" in log.read_text(encoding="utf-8")


def test_error_findings_and_unreadable_input_keep_1_and_2(tmp_path, capsys):
    defects = ROOT / "data" / "samples" / "bailu-agriculture-2023-defects.html"
    assert main(["audit", str(defects)]) == 1
    assert main(["audit", str(tmp_path / "missing.txt")]) == 2
    assert "file not found" in _one_line(capsys.readouterr().err)


# ---------------------------------------------------------------- numbers too long to convert
def test_a_5000_digit_number_is_refused_by_the_digit_limit(tmp_path, capsys):
    """int() of more than 4,300 digits raised ValueError in parsing/rows.py."""
    text = render_text(SPEC).replace("\t0\t", "\t" + "7" * 5000 + "\t", 1)
    code = main(["audit", str(_txt(tmp_path, text))])
    assert code == EXIT_INPUT
    assert "limits.max_number_digits=100" in _one_line(capsys.readouterr().err)


def test_a_400_digit_table2_value_is_audited_when_the_limit_allows_it(tmp_path):
    """float() of a 309+ digit value overflowed in rules/evidence.py (a RuleError)."""
    text = render_text(SPEC).replace("\t0\t", "\t" + "9" * 400 + "\t", 1)
    result = audit(_txt(tmp_path, text), config={"limits": {"max_number_digits": 500}})
    assert any(c.value == int("9" * 400) for c in result.report.table2.cells.values())


def test_a_5000_digit_rowspan_is_refused_by_the_span_limit(tmp_path):
    """int() of the rowspan raised ValueError in readers/html.py ``_span``."""
    html = render_html(SPEC).replace("<td", '<td rowspan="' + "9" * 5000 + '"', 1)
    p = tmp_path / "r.html"
    p.write_text(html, encoding="utf-8")
    with pytest.raises(LimitError) as e:
        read(p)
    assert e.value.limit == "max_span" and "\n" not in str(e.value)


# ---------------------------------------------------------------- file names
def test_undecodable_file_name_gives_valid_utf8_json(tmp_path, capfdbinary):
    import os

    src = ROOT / "data" / "samples" / "lanxi-gov-2023.html"
    name = os.fsdecode(os.fsencode(tmp_path) + b"/bad\xff\xfe.html")
    Path(name).write_bytes(src.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "nianbao", "audit", "--json", name],
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8:surrogateescape"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")  # raw bytes in the output would fail here
    assert json.loads(out)["source"]["path"].endswith("bad\udcff\udcfe.html")
    proc = subprocess.run([sys.executable, "-m", "nianbao", "audit", name], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert "bad\\xff\\xfe.html" in proc.stdout.decode("utf-8")


def test_a_file_name_starting_with_a_dash_is_told_to_follow_double_dash(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _txt(tmp_path, render_text(SPEC), "-report.txt")
    with pytest.raises(SystemExit) as e:
        main(["audit", "-report.txt"])
    assert e.value.code == EXIT_INPUT
    assert "after '--'" in capsys.readouterr().err
    assert main(["audit", "--", "-report.txt"]) in (0, 1)


# ---------------------------------------------------------------- limits: configuration
def test_limits_are_the_readers_keys_validated_and_mergeable():
    assert "limits" in READER_KEYS
    assert set(defaults()["limits"]) == set(limits.keys())
    cfg = load_config({"limits": {"max_pages": 3}})
    assert cfg["limits"]["max_pages"] == 3 and cfg["limits"]["max_tables"] == defaults()["limits"]["max_tables"]
    with pytest.raises(ConfigError, match="limits.max_pagez"):
        load_config({"limits": {"max_pagez": 3}})
    with pytest.raises(ConfigError, match="positive integer"):
        load_config({"limits": {"max_pages": 0}})
    with pytest.raises(ConfigError, match="positive integer"):
        load_config({"limits": {"max_pages": "many"}})


def test_a_configured_limit_is_the_one_in_force(tmp_path):
    p = _txt(tmp_path, render_text(SPEC))
    audit(p)
    with pytest.raises(LimitError, match="limits.max_lines=5"):
        audit(p, config={"limits": {"max_lines": 5}})


# ---------------------------------------------------------------- limits: .docx
def test_docx_gridspan_of_a_billion_is_refused_before_the_walk(tmp_path):
    """readers/docx.py built every column of the span (5.3 GB)."""
    p = tmp_path / "r.docx"
    p.write_bytes(docx_with(gridspan_document("1000000000")))
    with pytest.raises(LimitError) as e:
        read(p)
    assert e.value.limit == "max_span"


def test_docx_part_is_refused_by_its_declared_size(tmp_path):
    """A 1 GB styles part was read whole; its declared size is checked first (here 3 MB over
    a 2 MB limit, the same check)."""
    p = tmp_path / "r.docx"
    p.write_bytes(docx_with(big_part=3 * 2**20))
    with limits.applied(limits.replace(limits.default(), max_part_mb=2)):
        with pytest.raises(LimitError, match="max_part_mb"):
            read(p)


def test_docx_paragraph_count_is_checked_before_the_walk(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(docx_with(paragraphs_document(300)))
    with limits.applied(limits.replace(limits.default(), max_lines=200)):
        with pytest.raises(LimitError, match="max_lines"):
            read(p)


def test_docx_vertical_merge_still_counts_rows_under_a_wide_cell():
    """The grid keeps one entry per cell, not per spanned column: merges still resolve."""
    from lxml import etree

    from nianbao.readers.docx import table_rows

    tbl = etree.fromstring(
        f'<w:tbl {W}><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge w:val="restart"/></w:tcPr>'
        '<w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
        '<w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    rows = table_rows(tbl)
    assert [[(c.text, c.rowspan, c.colspan) for c in r] for r in rows] == [
        [("A", 2, 3), ("B", 1, 1)], [("C", 1, 1)]]


# ---------------------------------------------------------------- limits: HTML, PDF, text
def test_html_table_count_is_checked_before_the_walk(tmp_path):
    p = tmp_path / "r.html"
    p.write_text("<html><body>" + "<table><tr><td>1</td><td>2</td></tr></table>" * 600 + "</body></html>")
    with pytest.raises(LimitError, match="limits.max_tables=500"):
        read(p)


def test_pdf_page_count_is_checked_before_layout(tmp_path):
    """A 2,000-page PDF took 305 s and 7 GB; the count comes from the page tree first."""
    p = tmp_path / "r.pdf"
    p.write_bytes(pdf([b"BT /F1 12 Tf 72 720 Td (x) Tj ET"] * 60))
    with pytest.raises(LimitError, match="limits.max_pages=50"):
        read(p)


def test_pdf_content_stream_is_measured_not_unpacked(tmp_path):
    """A 1 GB content stream was inflated whole (2.1 GB); here 12 MB of spaces packed to a
    few KB, over the 8 MB limit."""
    from nianbao.readers.pdf_limits import _unpacked

    p = tmp_path / "r.pdf"
    p.write_bytes(pdf([b" " * (12 * 2**20)]))
    with pytest.raises(LimitError, match="max_content_mb"):
        read(p)
    assert p.stat().st_size < 100_000
    assert _unpacked.__doc__ and "at most" in _unpacked.__doc__


def test_pdf_characters_are_estimated_before_layout(tmp_path):
    p = tmp_path / "r.pdf"
    p.write_bytes(pdf([b"BT /F1 1 Tf " + b"(xxxxxxxxxx) Tj " * 5000 + b"ET"]))
    with pytest.raises(LimitError, match="max_pdf_chars"):
        read(p)


def test_text_bigger_than_the_character_limit_is_refused_before_decoding(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"a" * 100)
    with limits.applied(limits.replace(limits.default(), max_text_chars=10)):
        with pytest.raises(LimitError, match="max_text_chars"):
            read(p)


# ---------------------------------------------------------------- encrypted PDFs
def _encrypted_pdf(path: Path, user_password: str) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(
        user_password, ownerPassword="owner", strength=128))
    c.drawString(72, 720, "hello 2023")
    c.save()


def test_pdf_with_an_empty_user_password_opens(tmp_path):
    p = tmp_path / "enc.pdf"
    _encrypted_pdf(p, "")
    assert "hello 2023" in read(p).text


def test_pdf_with_a_user_password_says_so(tmp_path):
    p = tmp_path / "enc.pdf"
    _encrypted_pdf(p, "secret")
    with pytest.raises(InputError, match="user password"):
        read(p)


def test_encryption_errors_are_not_all_called_password_required():
    from nianbao.readers.pdf import _open_failure

    class PDFEncryptionError(Exception):
        pass

    assert "not supported" in _open_failure(PDFEncryptionError("Unknown algorithm: param={'V': 9}"))
    assert "password" not in _open_failure(PDFEncryptionError("Unknown algorithm"))


# ---------------------------------------------------------------- memory ceiling
def test_an_audit_over_the_memory_ceiling_exits_2_naming_it(tmp_path):
    """The address-space cap turns runaway memory into a one-line refusal, not a kill."""
    code = ("import nianbao.cli as c, nianbao.parsing as p\n"
            "def hog(*a, **k):\n    return bytearray(10**10)\n"
            "p.parse = hog\n"
            "raise SystemExit(c.main(['parse', '--max-memory', '1500', %r]))"
            % str(ROOT / "data" / "samples" / "lanxi-gov-2023.html"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == EXIT_INPUT, proc.stderr
    assert "limits.max_memory_mb=1500" in _one_line(proc.stderr)


# ---------------------------------------------------------------- linear parsing
def test_title_candidates_look_a_bounded_way_into_a_line():
    """find_title took 59 s on a 5 MB line: every candidate was the whole line."""
    from nianbao.parsing.meta import TITLE_SCAN, find_title, title_candidates

    line = "某" * 2_000_000
    cands = list(title_candidates(line + "\n2023年某局政府信息公开工作年度报告", {}))
    assert cands and max(len(c) for c, _ in cands) <= 3 * TITLE_SCAN
    assert find_title("2023年某局政府信息公开工作年度报告" + line, {})[0] == "2023年某局政府信息公开工作年度报告"


def test_script_strings_are_scanned_once_even_when_cut_off():
    """A truncated 270 KB .json took 30 s: every quote after the cut restarted a scan to the end."""
    from nianbao.readers.script import embedded_html, string_literals

    cut = '{"content": "<p>' + 'x\\"y' * 50_000
    assert list(string_literals(cut)) == [(1, "content")]  # the key; the value never closes
    assert embedded_html(cut) is None
    assert [b for _, b in string_literals('a = "<p>1</p>"; b = \'x\\\'y\'; c = `z`')] == [
        "<p>1</p>", "x\\'y", "z"]
    assert embedded_html('var content = "<p>\\u{110000}</p>"') == "<p>\ufffd</p>"
    _linear(lambda n: list(string_literals('"' + "'\"" * n)))


def _linear(run, n: int = 20_000) -> None:
    """``run(4n)`` costs about 4× ``run(n)``, not 16×: best of three, bound 9×."""
    def best(k):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            run(k)
            times.append(time.perf_counter() - t)
        return min(times)

    small, big = best(n), best(4 * n)
    assert big < max(9 * small, 0.02), (small, big)


def test_number_row_pattern_is_linear_in_a_digit_run():
    """A 100k-digit date in a crawler header ran for minutes (prose/sentences.py)."""
    from nianbao.prose.sentences import _NUM_ROW, is_prose

    assert _NUM_ROW.search("共 1 2 3 4 件") and not _NUM_ROW.search("1" * 50)
    _linear(lambda n: _NUM_ROW.search("1" * n), n=5_000)
    assert is_prose("本机关全年共收到申请" + "2" * 20_000 + "件。") in (True, False)


def test_limit_check_is_one_pass():
    text = ("1" * 100 + "\n") * 10_000
    limits.check_text("x", text)  # 100 digits each: within the limit
    _linear(lambda n: limits.check_text("x", ("1" * 100 + "\n") * (n // 10)), n=20_000)


def test_the_cli_in_process_leaves_no_memory_cap_behind(capsys):
    """Tests run the CLI in-process; a cap left on pytest broke the browsers it starts."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    assert main(["audit", "--max-memory", "4000", str(ROOT / "data" / "samples" / "lanxi-gov-2023.html")]) == 0
    assert resource.getrlimit(resource.RLIMIT_AS) == before


# ---------------------------------------------------------------- the batch's record of a failure
def test_batch_tells_a_crash_from_an_unreadable_input_and_a_timeout():
    """Every failed report was recorded alike; a bug must not look like a bad input."""
    from papermill.exceptions import PapermillExecutionError

    from nianbao.batch.execute import _error_reason, failure_kind

    def nb_error(ename, evalue):
        return PapermillExecutionError(0, 1, "audit(...)", ename, evalue, [])

    assert failure_kind(nb_error("InputError", "r.pdf: corrupt")) == "unreadable"
    assert failure_kind(nb_error("LimitError", "r.pdf: over the limit")) == "unreadable"
    assert failure_kind(nb_error("RuleError", "rule T2 failed")) == "internal"
    assert failure_kind(nb_error("MemoryError", "")) == "memory"
    assert failure_kind(TimeoutError("after 5 s")) == "timeout"
    assert failure_kind(RuntimeError("Kernel died")) == "internal"
    assert _error_reason(nb_error("RuleError", "rule T2 failed"))[1].startswith("internal: RuleError")
    assert _error_reason(nb_error("InputError", "r.pdf: corrupt"))[1] == "r.pdf: corrupt"
