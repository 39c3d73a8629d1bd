"""Review decisions as data (nianbao.review): fingerprints that hold across re-runs and edits,
the review file, the states applied to a batch (index, findings.csv/xlsx), decisions from the
notebook and from Excel, and the feedback letters (python-docx; PDF through LibreOffice)."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import synth
from lxml import html as lhtml

from nianbao import cli
from nianbao import workbook as nb
from nianbao.engine import audit
from nianbao.review import (ReviewStore, fingerprints, normalise_quote, record, report_key,
                            review_report)
from nianbao.review.excel import import_xlsx
from nianbao.review.letters import write_letters
from nianbao.site.index import write_site

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
V1 = ["text-typo", "citation", "narr-apps"]
V2 = ["text-typo", "narr-apps", "text-region"]  # the citation corrected, a wrong place added


def write_version(path: Path, defects, **kw) -> Path:
    kw = {"new": [6, 1, 0, 0, 0, 0], "results": {"granted": [6, 1, 0, 0, 0, 0]}, **kw}
    path.parent.mkdir(parents=True, exist_ok=True)
    synth.write_report(synth.make_report(defects=list(defects), **kw), path)
    return path


def result_of(path: Path) -> dict:
    return audit(path).to_json()


def make_batch(out: Path, inputs: dict[str, Path]) -> Path:
    """A batch folder as nianbao.batch writes it (manifest + result.json), without papermill."""
    out.mkdir(parents=True, exist_ok=True)
    recs = []
    for rid, path in inputs.items():
        (out / rid).mkdir(exist_ok=True)
        (out / rid / "result.json").write_text(json.dumps(result_of(path), ensure_ascii=False),
                                               encoding="utf-8")
        recs.append({"id": rid, "file": path.name, "input": str(path), "status": "findings",
                     "outputs": {"json": f"{rid}/result.json"}})
    (out / "manifest.json").write_text(json.dumps({"reports": recs}), encoding="utf-8")
    write_site(out, overview=False)
    return out


def _no(result: dict, rule: str, k: int = 0) -> int:
    return [i for i, f in enumerate(result["findings"], 1) if f["rule"] == rule][k]


# ---------------------------------------------------------------- fingerprints
def test_fingerprints_hold_across_reruns_tool_versions_and_unrelated_edits(tmp_path):
    a = result_of(write_version(tmp_path / "a.txt", V1))
    again = result_of(tmp_path / "a.txt")
    assert fingerprints(a) == fingerprints(again)
    assert len(set(fingerprints(a))) == len(a["findings"])  # distinct within a report
    # a new tool version words its messages differently and numbers lines differently
    reworded = json.loads(json.dumps(a))
    for f in reworded["findings"]:
        f["message"] += "（新版说明）"
        f["severity"] = "info"
        if f["location"].get("line"):
            f["location"]["line"] += 7
    reworded["tool_version"] = "9.9.9"
    assert fingerprints(reworded) == fingerprints(a)
    # the report edited elsewhere (a defect added in another part, the file renamed)
    b = result_of(write_version(tmp_path / "renamed.txt", V1 + ["text-region"]))
    fa = dict(zip(fingerprints(a), (f["rule"] for f in a["findings"])))
    fb = dict(zip(fingerprints(b), (f["rule"] for f in b["findings"])))
    assert set(fa) <= set(fb)
    assert {fb[k] for k in set(fb) - set(fa)} == {"TEXT-REGION"}
    assert report_key(a) == report_key(b) == f"{a['report']['agency']}|{a['report']['year']}"


def test_fingerprint_parts():
    base = {"report": {"agency": "甲局", "year": 2023}, "source": {"path": "x/甲.txt"},
            "findings": [{"rule": "TEXT-TYPO", "location": {"section": 1, "line": 3},
                          "quote": "做为 主渠道。"}]}
    fp = fingerprints(base)[0]
    spaced = json.loads(json.dumps(base))
    spaced["findings"][0]["quote"] = "做为主渠道，"  # white space and punctuation do not count
    assert fingerprints(spaced)[0] == fp
    for change in ({"rule": "TEXT-DEIXIS"}, {"location": {"section": 2}}, {"quote": "作为主渠道"}):
        other = json.loads(json.dumps(base))
        other["findings"][0].update(change)
        assert fingerprints(other)[0] != fp, change
    other = json.loads(json.dumps(base))
    other["report"]["year"] = 2024
    assert fingerprints(other)[0] != fp
    anonymous = {"report": {}, "source": {"path": "x/甲.txt"}, "findings": base["findings"]}
    assert report_key(anonymous) == "甲"  # the input's name, never its hash
    assert normalise_quote("ＡＢ，c d") == "abcd"


# ---------------------------------------------------------------- the review file
def test_states_new_open_confirmed_dismissed_resolved(tmp_path):
    a = result_of(write_version(tmp_path / "r.txt", V1))
    store = ReviewStore(tmp_path / "review.csv")
    assert {r.state for r in review_report(a, store).findings} == {"open"}  # never reviewed
    cit, typo = _no(a, "TEXT-CITATION"), _no(a, "TEXT-TYPO")
    record(store, a, {cit: ("confirmed", "", "张三"), typo: ("dismissed", "方言用法", "张三")})
    store.save()
    lines = store.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(a["findings"])  # a header, one line per finding seen
    assert lines[1:] == sorted(lines[1:])  # sorted: merge-friendly
    store = ReviewStore.load(store.path)
    states = [r.state for r in review_report(a, store).findings]
    assert states.count("confirmed") == 1 and states.count("dismissed") == 1
    assert set(states) == {"confirmed", "dismissed", "open"}

    b = result_of(write_version(tmp_path / "r.txt", V2))
    rv = review_report(b, store)
    by_rule = {}
    for r in rv.findings:
        by_rule.setdefault(r.finding["rule"], set()).add(r.state)
    assert by_rule["TEXT-REGION"] == {"new"}
    assert "TEXT-CITATION" not in by_rule
    assert [d.rule for d in rv.resolved] == ["TEXT-CITATION"]
    assert rv.counts()["resolved"] == 1 and rv.counts()["dismissed"] == 1


def test_bad_review_file_and_bad_decisions_are_one_line_errors(tmp_path):
    from nianbao.errors import InputError

    bad = tmp_path / "review.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        ReviewStore.load(bad)
    assert str(bad) in str(e.value) and "\n" not in str(e.value)
    bad.write_text("report,fingerprint,status\nx,y,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        ReviewStore.load(bad)
    r = nb.load(str(write_version(tmp_path / "r.txt", V1)))
    with pytest.raises(InputError, match="needs a reason"):
        nb.decide(r, 1, "accepted", review_path=str(tmp_path / "x.csv"))
    with pytest.raises(InputError, match="no finding 99"):
        nb.decide(r, 99, "confirmed", review_path=str(tmp_path / "x.csv"))
    with pytest.raises(InputError, match="unknown decision"):
        nb.decide(r, 1, "perhaps", review_path=str(tmp_path / "x.csv"))


# ---------------------------------------------------------------- the loop on a batch folder
def test_notebook_and_excel_decisions_show_on_index_csv_and_letters(tmp_path):
    src = write_version(tmp_path / "in" / "r1.txt", V1)
    write_version(tmp_path / "in" / "r2.txt", ["t3-negative"], agency="青岚市澜溪区农业农村局")
    out = make_batch(tmp_path / "out", {"r1": src, "r2": tmp_path / "in" / "r2.txt"})
    review_csv = out / "review.csv"
    # from the notebook: dismiss a typo
    res = nb.load(str(src))
    typo = _no(res.to_json(), "TEXT-TYPO")
    view = nb.review(res, str(review_csv))
    assert "待审" in view._repr_html_()
    nb.decide(res, typo, "dismissed", reason="不是错字", reviewer="张三")  # review() remembered
    # from Excel: confirm the citation finding
    from openpyxl import load_workbook

    wb = load_workbook(out / "findings.xlsx")
    ws = wb["findings"]
    head = [c.value for c in ws[1]]
    assert ws.data_validations.dataValidation  # the decision drop-down
    rows = list(ws.iter_rows(min_row=2))
    (row,) = [r for r in rows if r[head.index("rule")].value == "TEXT-CITATION"]
    row[head.index("decision")].value = "确认"
    row[head.index("reviewer")].value = "李四"
    wb.save(tmp_path / "handed-back.xlsx")
    assert cli.main(["review", "import", str(tmp_path / "handed-back.xlsx"),
                     "--batch", str(out)]) == 0
    # a second import of the same sheet changes nothing
    assert import_xlsx(tmp_path / "handed-back.xlsx", out).recorded == 0

    write_site(out, overview=False)
    index = lhtml.parse(str(out / "index.html")).getroot()
    cards = {c.get("data-review"): int(c.find("b").text)
             for c in index.xpath("//div[@data-review]")}
    assert cards["confirmed"] == 1 and cards["dismissed"] == 1 and "new" not in cards
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    states = {(r["report_id"], r["rule"], r["review"]) for r in table}
    assert ("r1", "TEXT-CITATION", "confirmed") in states
    assert ("r1", "TEXT-TYPO", "dismissed") in states
    assert {r["review"] for r in table if r["report_id"] == "r2"} == {"open"}

    # the report corrected and re-audited: the citation is resolved, a new finding appears
    write_version(src, V2)
    make_batch(out, {"r1": src, "r2": tmp_path / "in" / "r2.txt"})
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        table = [r for r in csv.DictReader(fh) if r["report_id"] == "r1"]
    got = sorted((r["rule"], r["review"]) for r in table if r["review"] != "open")
    assert got == [("TEXT-CITATION", "resolved"), ("TEXT-REGION", "new"),
                   ("TEXT-TYPO", "dismissed")]

    # letters: nothing confirmed is left for r1 once resolved; confirm the new one and write
    res2 = nb.load(str(src))
    nb.decide(res2, _no(res2.to_json(), "TEXT-REGION"), "confirmed", reviewer="王五",
              review_path=str(review_csv))
    nb.decide(res2, _no(res2.to_json(), "NARR-APPS"), "ask", reason="请说明申请数",
              reviewer="王五", review_path=str(review_csv))
    written = write_letters(out)
    assert [p.name for p in written] == ["r1.docx", "批次汇总.docx"]
    check_letter(written[0], res2.to_json())


def check_letter(path: Path, result: dict) -> None:
    import docx

    doc = docx.Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    region = next(f for f in result["findings"] if f["rule"] == "TEXT-REGION")
    assert result["report"]["agency"] in text and region["message"] in text
    from nianbao.rules.registry import RULES, all_rules

    all_rules()
    assert RULES["TEXT-REGION"].source in text  # the official basis
    assert "整改要求" in text and "请说明的事项" in text
    typo = next(f for f in result["findings"] if f["rule"] == "TEXT-TYPO")
    assert typo["message"] not in text  # dismissed: not sent


def test_a_task_carries_the_decisions_its_digest_sums_up(tmp_path):
    """What a batch task carries to a Dask worker without the batch's disk (``BatchReview.text``):
    its report's decisions, which the notebook reads back to the same states and digest as the
    batch's own file; every decision for a report not audited in this folder before."""
    from nianbao.review.batch import BatchReview

    r1 = write_version(tmp_path / "in" / "r1.txt", V1)
    r2 = write_version(tmp_path / "in" / "r2.txt", ["t3-negative"], agency="青岚市澜溪区农业农村局")
    out = make_batch(tmp_path / "out", {"r1": r1, "r2": r2})
    prev = {"outputs": {"json": "r1/result.json"}}  # r1's record in the manifest
    assert BatchReview(out).key(prev) is None  # nothing decided yet: no result read
    a, b = (json.loads((out / rid / "result.json").read_text(encoding="utf-8"))
            for rid in ("r1", "r2"))
    store = ReviewStore(out / "review.csv")
    record(store, a, {1: ("dismissed", "理由甲", "张三")})
    record(store, b, {1: ("confirmed", "", "李四")})
    store = ReviewStore.load(store.save())
    reviews = BatchReview(out)
    key = reviews.key(prev)
    assert key == report_key(a) != report_key(b)
    shipped = tmp_path / "worker" / "review.csv"
    shipped.parent.mkdir()
    shipped.write_bytes(reviews.text(key))
    got = ReviewStore.load(shipped)
    assert {k for k, _ in got.decisions} == {key}
    assert got.digest(key) == reviews.digest(key) == store.digest(key)
    assert [(r.state, r.decision) for r in review_report(a, got).findings] \
        == [(r.state, r.decision) for r in review_report(a, store).findings]
    shipped.write_bytes(reviews.text(None))  # identity unknown before the audit: the whole file
    assert ReviewStore.load(shipped).decisions == store.decisions
    assert reviews.digest(None) is None


# ---------------------------------------------------------------- the letters as PDF
@pytest.mark.slow
def test_letters_render_chinese_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it as root)")
    src = write_version(tmp_path / "in" / "r1.txt", V1)
    out = make_batch(tmp_path / "out", {"r1": src})
    res = nb.load(str(src))
    for rule in ("TEXT-CITATION", "TEXT-TYPO", "NARR-APPS"):
        nb.decide(res, _no(res.to_json(), rule), "confirmed", reviewer="张三",
                  review_path=str(out / "review.csv"))
    letters = write_letters(out)
    pdf_dir = tmp_path / "pdf"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, letters)],
                   check=True, capture_output=True, timeout=180)
    import pdfplumber

    for p in letters:
        pdf = pdf_dir / (p.stem + ".pdf")
        with pdfplumber.open(pdf) as doc:
            chars = [c for page in doc.pages for c in page.chars]
            text = "".join(c["text"] for c in chars)
        cjk = [c for c in chars if "\u4e00" <= c["text"] <= "\u9fff"]
        assert len(cjk) > 50
        # no tofu: every Chinese character is drawn with a font that has CJK glyphs
        fonts = {c["fontname"].split("+")[-1] for c in cjk}
        assert fonts and all("CJK" in f for f in fonts), fonts
        assert ("反馈意见" if p.stem == "r1" else "审核情况汇总") in text
    import pypdfium2

    ARTIFACTS.mkdir(exist_ok=True)
    page = pypdfium2.PdfDocument(str(pdf_dir / "r1.pdf"))[0]
    page.render(scale=1.4).to_pil().save(ARTIFACTS / "feedback-letter.png")


# ---------------------------------------------------------------- nianbao notebook REPORT
def test_notebook_command_writes_a_parameterised_copy(tmp_path, capsys):
    import nbformat

    from nianbao.notebooks import AUDIT_NOTEBOOK

    src = write_version(tmp_path / "报告.txt", V1)
    template = AUDIT_NOTEBOOK.read_bytes()
    assert cli.main(["notebook", str(src), "--out", str(tmp_path / "nbs"), "--batch",
                     str(tmp_path / "batch"), "--published", "2024/1/20"]) == 0
    said = capsys.readouterr().out
    target = tmp_path / "nbs" / "报告.ipynb"
    assert f"lab {target}" in said and str(tmp_path / "batch" / "review.csv") in said
    nb = nbformat.read(str(target), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    params: dict = {}
    exec(injected[0].source, params)  # what the kernel will see
    assert params["report_path"] == str(src.resolve()) and params["published"] == "2024/1/20"
    assert params["review_path"] == str((tmp_path / "batch" / "review.csv").resolve())
    assert all(c.get("outputs", []) == [] for c in nb.cells)  # prepared, not executed
    assert nb.metadata.kernelspec.name.startswith("nianbao-")
    assert AUDIT_NOTEBOOK.read_bytes() == template  # the template untouched
    assert not list(tmp_path.glob("nbs/.*"))  # no temporary file left
    # a bad date is refused before anything is written, naming the parameter
    assert cli.main(["notebook", str(src), "--out", str(tmp_path / "nbs2"),
                     "--published", "2024-13-01"]) == 2
    assert "published:" in capsys.readouterr().err and not (tmp_path / "nbs2").exists()
