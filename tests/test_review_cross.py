"""Cross-report findings in the auditor's loop and on the batch's pages: their fingerprints, the
decisions on them (findings.xlsx, the overview's ``ov.decide``) shown on the index, in
findings.csv, in the overview and in the letter of the agency they are about, carried by a
re-audit; the index's severity filter counting them; and the overview's links, which must
resolve from wherever the overview is shown (overview.html in the batch folder, the notebook
in JupyterLab).

The batch folders are written as ``nianbao batch`` writes them (result.json, manifest,
crossreport.json through ``crossreport.run_folder``, the index through ``write_site``), without
papermill; tests/test_crossreport_batch.py runs the real thing."""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import html as lhtml

import synthbatch as sb
from nianbao import cli
from nianbao.crossreport import run_folder
from nianbao.engine import audit
from nianbao.review import (ReviewStore, batch_keys, fingerprints, load_reviews, record,
                            report_key, review_report)
from nianbao.review.letters import write_letters
from nianbao.site.index import write_site
from nianbao.workbook import overview as ov

CHROMIUM = Path("/usr/bin/chromium")


# ---------------------------------------------------------------- the batch
def planted_texts(ms) -> dict[str, str]:
    """a 2023 re-issues a 2022 (COPY-PREV); b 2023 lifts a paragraph of c 2023 with c's place
    left in (COPY-PEER: an error on b, a warning on c)."""
    texts = sb.batch_texts(ms)
    a, b, c = ms
    texts[f"{a.seed}-2023.txt"] = sb.reissue(texts[f"{a.seed}-2022.txt"], 2022, 2023)
    texts[f"{b.seed}-2023.txt"] = sb.lift_paragraph(texts[f"{b.seed}-2023.txt"],
                                                    texts[f"{c.seed}-2023.txt"], c.place)
    return texts


def make_batch(out: Path, texts: dict[str, str], prefix: str = "r") -> Path:
    """A batch folder as ``nianbao batch`` writes it (audit pages are placeholders); run again
    on the same folder, it is the re-audit (the review file stays)."""
    inp = out.parent / f"{out.name}-in"
    shutil.rmtree(inp, ignore_errors=True)
    inp.mkdir(parents=True)
    recs = []
    for name, text in sorted(texts.items()):
        rid = prefix + Path(name).stem
        (inp / name).write_text(text, encoding="utf-8")
        res = audit(inp / name).to_json()
        (out / rid).mkdir(parents=True, exist_ok=True)
        (out / rid / "result.json").write_text(json.dumps(res, ensure_ascii=False), "utf-8")
        (out / rid / "audit.html").write_text("<!DOCTYPE html><title>audit</title>", "utf-8")
        recs.append({"id": rid, "file": name, "input": str(inp / name),
                     "status": "findings" if res["findings"] else "ok",
                     "outputs": {"json": f"{rid}/result.json", "html": f"{rid}/audit.html"}})
    (out / "manifest.json").write_text(json.dumps({"run": {}, "reports": recs}), "utf-8")
    run_folder(out)
    write_site(out, overview=False)
    return out


@pytest.fixture(scope="module")
def members():
    return sb.members(3, years=(2022, 2023))


@pytest.fixture(scope="module")
def texts(members):
    return planted_texts(members)


@pytest.fixture(scope="module")
def batch(texts, tmp_path_factory):
    return make_batch(tmp_path_factory.mktemp("crossreview") / "out", texts)


def rid_of(out: Path, member, year: int) -> str:
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return next(r["id"] for r in m["reports"] if r["file"] == f"{member.seed}-{year}.txt")


def cross_fps(out: Path) -> dict[tuple, str]:
    """(report identity, rule, other report's identity) -> fingerprint, over the batch."""
    b, _, _ = load_reviews(out)
    keys = batch_keys(b)
    got = {}
    for e in b.reports:
        fps = fingerprints(e.result, e.cross, keys)[len(e.findings):]
        for f, fp in zip(e.cross, fps):
            d = f.get("details") or {}
            other = (d.get("other") or d.get("previous") or {}).get("id")
            got[(keys[e.id], f["rule"], keys.get(other))] = fp
    return got


def csv_rows(out: Path) -> list[dict]:
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- fingerprints
def test_cross_fingerprints_name_the_pair_not_the_batch_ids_or_the_sentence(batch, texts,
                                                                           tmp_path):
    fps = cross_fps(batch)
    rules = {r for _, r, _ in fps}
    assert {"COPY-PREV", "COPY-PEER"} <= rules
    assert len(set(fps.values())) == len(fps)  # distinct
    # the same batch under other file ids (another folder, files renamed) gives the same names
    again = make_batch(tmp_path / "again", texts, prefix="x")
    assert cross_fps(again) == fps
    # not the quoted sentence or the part: a copy finding is the pair of reports
    b, _, _ = load_reviews(batch)
    e = next(e for e in b.reports if any(f["rule"] == "COPY-PEER" for f in e.cross))
    keys = batch_keys(b)
    base = fingerprints(e.result, e.cross, keys)
    edited = json.loads(json.dumps(e.cross))
    for f in edited:
        f["quote"], f["message"] = "另一句话。", f["message"] + "（改写）"
        f["location"]["section"] = 6
    assert fingerprints(e.result, edited, keys) == base
    # another other report is another finding
    peer = next(i for i, f in enumerate(edited) if f["rule"] == "COPY-PEER")
    edited[peer]["details"]["other"]["id"] = next(k for k in keys if k != e.id and
                                                  k != e.cross[peer]["details"]["other"]["id"])
    assert fingerprints(e.result, edited, keys)[len(e.findings) + peer] != \
        base[len(e.findings) + peer]
    # the report's own findings keep the fingerprints they had without the cross findings
    assert base[:len(e.findings)] == fingerprints(e.result)


# ---------------------------------------------------------------- the loop
def _decide_in_excel(out: Path, tmp: Path, picks: dict[tuple[str, str], tuple[str, str]]) -> Path:
    """Fill findings.xlsx: (report id, rule) -> (decision, reason), reviewer 李四."""
    from openpyxl import load_workbook

    wb = load_workbook(out / "findings.xlsx")
    ws = wb["findings"]
    head = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(head)}
    for row in ws.iter_rows(min_row=2):
        pick = picks.get((row[col["report_id"]].value, row[col["rule"]].value))
        if pick:
            assert row[col["fingerprint"]].value, "a cross finding without a fingerprint"
            row[col["decision"]].value, row[col["reason"]].value = pick
            row[col["reviewer"]].value = "李四"
    wb.save(tmp / "handed-back.xlsx")
    return tmp / "handed-back.xlsx"


def test_cross_decisions_persist_show_everywhere_and_follow_a_reaudit(members, texts, tmp_path):
    a, b, c = members
    out = make_batch(tmp_path / "out", texts)
    a23, b23, c23 = (rid_of(out, m, 2023) for m in (a, b, c))
    # every cross row of findings.csv has its review columns, open before any decision
    cross_rows = [r for r in csv_rows(out) if r["family"] == "crossreport"]
    assert cross_rows and all(r["fingerprint"] and r["review"] == "open" for r in cross_rows)

    xlsx = _decide_in_excel(out, tmp_path, {(b23, "COPY-PEER"): ("确认", ""),
                                            (a23, "COPY-PREV"): ("不是问题", "上级统一要求的模板")})
    assert cli.main(["review", "import", str(xlsx), "--batch", str(out)]) == 0
    # from the overview notebook: ask c about the passage it shares with b
    shown = lhtml.fromstring(ov.cross_findings(out)._repr_html_())
    peer_c = next(int(tr.xpath("td")[0].text) for tr in shown.xpath("//tbody/tr")
                  if "COPY-PEER" in tr.text_content() and "警告" in tr.text_content()
                  and "#" not in tr.text_content())
    ov.decide(out, peer_c, "ask", reason="请说明共用段落的来源", reviewer="王五")
    write_site(out, overview=False)

    states = {(r["report_id"], r["rule"]): r["review"] for r in csv_rows(out)
              if r["family"] == "crossreport"}
    assert states[(b23, "COPY-PEER")] == "confirmed"
    assert states[(a23, "COPY-PREV")] == "dismissed"
    assert states[(c23, "COPY-PEER")] == "ask"
    # the index: cards and the cross list carry the states
    index = lhtml.parse(str(out / "index.html")).getroot()
    cards = {d.get("data-review"): int(d.find("b").text) for d in index.xpath("//div[@data-review]")}
    assert cards["confirmed"] >= 1 and cards["dismissed"] >= 1 and cards["ask"] >= 1
    listed = {(tr.xpath("td/code")[0].text, tr.xpath(".//span[@data-review]/@data-review")[0])
              for tr in index.xpath("//section[@id='cross']//tbody/tr")}
    assert {("COPY-PEER", "confirmed"), ("COPY-PREV", "dismissed"), ("COPY-PEER", "ask")} <= listed
    # the overview shows them, with the reason
    text = ov.cross_findings(out)._repr_html_()
    assert "已确认" in text and "非问题" in text and "上级统一要求的模板" in text

    # letters: b's names the copied passage and c, a's (dismissed) is not written, c's asks
    written = {p.name for p in write_letters(out)}
    assert f"{b23}.docx" in written and f"{c23}.docx" in written
    assert f"{a23}.docx" not in written or "COPY-PREV" not in _letter_text(out / "letters" /
                                                                          f"{a23}.docx")
    letter = _letter_text(out / "letters" / f"{b23}.docx")
    result_b = json.loads((out / b23 / "result.json").read_text(encoding="utf-8"))
    peer = next(f for f in _cross(out, b23) if f["rule"] == "COPY-PEER")
    assert peer["message"] in letter and c.agency in letter
    assert "上一年度报告" in letter  # the cross-report correction asked
    assert result_b["report"]["agency"] in letter
    assert "请说明共用段落的来源" in _letter_text(out / "letters" / f"{c23}.docx")

    # b corrected: its 2023 report no longer lifts c's paragraph, but re-issues its 2022 one
    fixed = dict(texts)
    fixed[f"{b.seed}-2023.txt"] = sb.reissue(texts[f"{b.seed}-2022.txt"], 2022, 2023)
    make_batch(out, fixed)
    rows = [r for r in csv_rows(out) if r["report_id"] == b23 and r["family"] == "crossreport"]
    got = {(r["rule"], r["review"]) for r in rows}
    assert ("COPY-PEER", "resolved") in got
    assert ("COPY-PREV", "new") in got  # b's cross findings were reviewed: this one is new
    assert ("COPY-PREV", "dismissed") in {(r["rule"], r["review"]) for r in csv_rows(out)
                                          if r["report_id"] == a23}


def _letter_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


def _cross(out: Path, rid: str) -> list[dict]:
    cross = json.loads((out / "crossreport.json").read_text(encoding="utf-8"))
    return [f for f in cross["findings"] if f["location"]["report"] == rid]


def test_the_audit_notebook_neither_resolves_nor_renews_cross_decisions(members, texts,
                                                                         tmp_path):
    """The audit page knows only the report's own findings: a cross-report decision is not
    'resolved' there, and a decision made there does not make the cross findings 'new'."""
    a, b, c = members
    out = make_batch(tmp_path / "out", texts)
    b23 = rid_of(out, b, 2023)
    batch, store, _ = load_reviews(out)
    e = next(x for x in batch.reports if x.id == b23)
    keys = batch_keys(batch)
    peer = len(e.findings) + 1 + next(i for i, f in enumerate(e.cross) if f["rule"] == "COPY-PEER")
    record(store, e.result, {peer: ("confirmed", "", "李四")}, cross=e.cross, keys=keys)
    rv = review_report(e.result, store)  # as the audit notebook sees it
    assert rv.resolved == [] and all(not x.cross for x in rv.findings)
    assert review_report(e.result, store, [], keys).resolved  # the batch: it no longer fires

    # another report reviewed only in its notebook: its cross findings stay open, not new
    c23 = rid_of(out, c, 2023)
    ec = next(x for x in batch.reports if x.id == c23)
    assert ec.cross and ec.findings
    record(store, ec.result, {1: ("dismissed", "不是问题", "张三")})
    states = {x.state for x in review_report(ec.result, store, ec.cross, keys).findings if x.cross}
    assert states == {"open"}
    assert report_key(ec.result) in {d.report for d in store.decisions.values()}


# ---------------------------------------------------------------- the index's severity filter
def test_index_counts_cross_findings_by_severity(batch, members):
    b23 = rid_of(batch, members[1], 2023)
    cross = json.loads((batch / "crossreport.json").read_text(encoding="utf-8"))["findings"]
    own = {}
    for rec in json.loads((batch / "manifest.json").read_text(encoding="utf-8"))["reports"]:
        res = json.loads((batch / rec["outputs"]["json"]).read_text(encoding="utf-8"))
        own[rec["id"]] = [f["severity"] for f in res["findings"]]
    index = lhtml.parse(str(batch / "index.html")).getroot()
    for sev in ("error", "warning", "info"):
        want = sum(s.count(sev) for s in own.values()) + sum(f["severity"] == sev for f in cross)
        card = index.xpath(f"//div[@class='cards']/div[span[starts-with(text(), "
                           f"'{dict(error='错误', warning='警告', info='提示')[sev]}')]]/b")
        assert int(card[0].text) == want, sev
    row = next(tr for tr in index.xpath("//table[@id='reports']/tbody/tr")
               if tr.xpath(f".//a[@href='{b23}/audit.html']"))
    b_err = own[b23].count("error") + sum(f["severity"] == "error" and
                                          f["location"]["report"] == b23 for f in cross)
    assert b_err >= 1 and int(row.get("data-error")) == b_err
    sevs = [tr.get("data-severity") for tr in index.xpath("//section[@id='cross']//tbody/tr")]
    assert sorted(sevs) == sorted(f["severity"] for f in cross)
    assert all(tr.get("data-status") for tr in index.xpath("//section[@id='cross']//tbody/tr"))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
def test_index_filters_cross_findings_in_chromium(batch):
    sync_api = pytest.importorskip("playwright.sync_api")
    cross = json.loads((batch / "crossreport.json").read_text(encoding="utf-8"))["findings"]
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((batch / "index.html").as_uri())
        page.wait_for_load_state("load")
        shown = "#cross tbody tr:not([hidden])"
        assert page.locator(shown).count() == len(cross)
        page.uncheck("input[data-sev=warning]")
        page.uncheck("input[data-sev=info]")
        sevs = page.eval_on_selector_all(shown, "rs => rs.map(r => r.dataset.severity)")
        assert sevs and set(sevs) == {"error"}
        assert page.locator("#cross-shown").text_content() == str(len(sevs))
        # every report row left has an error (its own or a cross-report one)
        errs = page.eval_on_selector_all("#reports tbody tr:not([hidden])",
                                         "rs => rs.map(r => Number(r.dataset.error))")
        assert errs and all(n > 0 for n in errs)
        page.check("input[data-sev=warning]")
        page.check("input[data-sev=info]")
        page.fill("#filter", "COPY-PREV")
        assert page.locator(shown).count() == sum(f["rule"] == "COPY-PREV" for f in cross)
        browser.close()
    assert errors == []


# ---------------------------------------------------------------- the overview's links
REGION_CELLS = ("cross_findings", "coverage", "lateness", "indicators", "copy_network",
                "reports_table")


def hrefs(page: str) -> list[str]:
    return [h for h in lhtml.fromstring(f"<div>{page}</div>").xpath("//a/@href")
            if not h.startswith("#")]


def _cells(b) -> str:
    return "".join(getattr(ov, name)(b)._repr_html_() for name in REGION_CELLS)


def test_overview_links_resolve_beside_the_pages_and_from_the_notebook(batch, tmp_path,
                                                                      monkeypatch):
    # as the batch runs it: in the batch folder, overview.html written there
    monkeypatch.chdir(batch)
    page = _cells(ov.load_batch(str(batch)))
    links = hrefs(page)
    assert len(links) > 6
    for h in links:
        assert (batch / unquote(h)).is_file(), h
    # as JupyterLab runs it: the kernel in the notebook's folder, batch_dir relative to it
    nbdir = tmp_path / "checkout" / "notebooks"
    nbdir.mkdir(parents=True)
    monkeypatch.chdir(nbdir)
    rel = os.path.relpath(batch, nbdir)
    page = _cells(ov.load_batch(rel))
    links = hrefs(page)
    assert len(links) > 6 and all(h.startswith("../") for h in links)
    for h in links:
        assert (nbdir / unquote(h)).resolve().is_file(), h
    # a base given explicitly wins over the working directory
    page = _cells(ov.load_batch(rel, base=batch))
    assert all((batch / unquote(h)).is_file() for h in hrefs(page))
