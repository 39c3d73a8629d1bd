"""The fixes of issue 12 that are not the review loop: 报告正文 of one-line crawler bodies,
NARR-OVERALL5's expected/actual, report paths relative to the repository root, the overview's
links, the checkout's kernelspec, the pre-save hook that keeps templates clean, signed pages."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import synth
from lxml import html as lhtml

from conftest import CORPUS, ROOT
from nianbao import workbook as nb
from nianbao.engine import audit
from nianbao.spans import evidence_span


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _section_texts(view_html: str) -> list[str]:
    """Each part's shown text, without the notes that stand for tables."""
    doc = lhtml.fromstring(f"<div>{view_html}</div>")
    out = []
    for body in doc.xpath("//div[@class='nb-text']"):
        for note in body.xpath(".//span[@class='nb-note']"):
            note.drop_tree()
        out.append(body.text_content())
    return out


def _expected_prose(rep, sec) -> str:
    """The part's body with the tables' extents left out."""
    b0, b1 = sec.body_span
    keep = [True] * (b1 - b0)
    for t in (rep.table2, rep.table3, rep.table4):
        if t.found and t.span:
            for i in range(max(t.span[0], b0), min(t.span[1], b1)):
                keep[i - b0] = False
    return "".join(ch for ch, k in zip(rep.text[b0:b1], keep) if k)


def check_sections_show_prose(result) -> None:
    rep = result.report
    view = nb.sections(result)._repr_html_()
    shown = _section_texts(view)
    assert len(shown) == len(rep.sections)
    for sec, text in zip(rep.sections, shown):
        assert _norm(_expected_prose(rep, sec)) == _norm(text), f"part {sec.number}"
    # every finding whose evidence lies in a part's prose is highlighted there
    doc = lhtml.fromstring(f"<div>{view}</div>")
    marked = _norm("".join(m.text_content() for m in doc.xpath("//mark")))
    for f in result.findings:
        span = evidence_span(f, rep)
        if not span:
            continue
        inside = any(s.body_span[0] <= span[0] and span[1] <= s.body_span[1]
                     for s in rep.sections)
        in_table = any(t.found and t.span and t.span[0] < span[1] and span[0] < t.span[1]
                       for t in (rep.table2, rep.table3, rep.table4))
        if inside and not in_table:
            assert _norm(rep.text[span[0]:span[1]])[:20] in marked, f.rule


def test_crawler_one_line_body_shows_its_prose_and_highlights(tmp_path):
    """A crawler's body is one line holding prose and tables; the part's prose and the typo
    marks must stay (before the fix every part read only 〔表二，原文第10–10行…〕)."""
    spec = synth.make_report(defects=["text-typo"])
    path = tmp_path / "crawl.txt"
    synth.write_report(spec, path, form="flat")
    result = nb.load(str(path))
    assert len(result.report.text.split("\n")) < 15  # really one body line
    assert any(f.rule == "TEXT-TYPO" for f in result.findings)
    check_sections_show_prose(result)
    shown = _section_texts(nb.sections(result)._repr_html_())
    assert "做为" in shown[0] and len(_norm(shown[0])) > 100
    html = nb.sections(result)._repr_html_()
    assert 'class="nb-hit nb-hit-info"' in html and "见上方统计表" in html


def _corpus_files():
    if not (CORPUS / "manifest.csv").exists():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.name != "manifest.csv" and p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("path", _corpus_files() or [None], ids=lambda p: p.name if p else "none")
def test_corpus_sections_show_prose_of_every_part(path):
    if path is None:
        pytest.skip("../shared/corpus is absent")
    from nianbao.errors import InputError

    try:
        result = audit(path)
    except InputError as e:  # scanned PDFs and the like: nothing to show
        pytest.skip(str(e))
    if not result.report.sections:
        pytest.skip("no parts recognised")
    check_sections_show_prose(result)


def test_overall5_government_aspects_show_in_expected_and_actual(tmp_path):
    """A government report that covers the five aspects but not 考核/社会评议/责任追究: expected
    and actual must differ (they read 应为 X，实为 X before)."""
    def strip_government_aspects(doc, spec):
        for b in doc.blocks:
            if isinstance(b, synth.Para) and b.section == 1:
                b.text = re.sub(r"考核|社会评议|评议|责任追究|追责|问责", "", b.text)

    spec = synth.make_report(kind="government", defects=[strip_government_aspects])
    path = tmp_path / "gov.txt"
    synth.write_report(spec, path)
    res = audit(path, config={"agency_kind": "government"})
    (f,) = [f for f in res.findings if f.rule == "NARR-OVERALL5"]
    assert f.expected != f.actual
    assert set(f.expected) - set(f.actual) == set(f.details["missing"])
    ev = nb.evidence(res)._repr_html_()
    assert re.search(r"应为 <b>([^<]*)</b>，实为 <b>\1</b>", ev) is None


def test_report_path_relative_to_the_repository_root(monkeypatch):
    """The kernel runs in notebooks/; the auditor types the path from the repository root."""
    monkeypatch.chdir(ROOT / "notebooks")
    res = nb.load("data/samples/lanxi-market-2023.txt")
    assert res.report.agency
    monkeypatch.chdir(ROOT)
    assert nb.load("../data/samples/lanxi-market-2023.txt").report.agency


def test_overview_links_work_from_where_the_notebook_runs(tmp_path, monkeypatch):
    """Links to audit pages are relative to the kernel's folder: the batch folder when the batch
    exports overview.html, notebooks/ in the Lab (they were relative to the batch folder, 404)."""
    from nianbao.workbook import overview as ov

    batch = tmp_path / "out"
    (batch / "r1").mkdir(parents=True)
    (batch / "r1" / "audit.html").write_text("<p>x</p>", encoding="utf-8")
    (batch / "r1" / "result.json").write_text(json.dumps(
        {"report": {"agency": "甲局", "year": 2023}, "source": {"path": "r1.txt"},
         "findings": []}), encoding="utf-8")
    (batch / "manifest.json").write_text(json.dumps({"reports": [
        {"id": "r1", "file": "r1.txt", "status": "ok",
         "outputs": {"json": "r1/result.json", "html": "r1/audit.html"}}]}), encoding="utf-8")

    def href(cwd):
        monkeypatch.chdir(cwd)
        doc = lhtml.fromstring(ov.reports_table(str(cwd / os.path.relpath(batch, cwd)))._repr_html_())
        (a,) = doc.xpath("//a")
        return a.get("href")

    assert href(batch) == "r1/audit.html"
    lab = tmp_path / "notebooks"
    lab.mkdir()
    h = href(lab)
    assert h == "../out/r1/audit.html" and (lab / h).resolve() == (batch / "r1/audit.html")


def test_one_kernelspec_per_checkout_in_the_environment(tmp_path, monkeypatch):
    import sys

    from nianbao import jupyter_env

    monkeypatch.setattr(jupyter_env.sys, "prefix", str(tmp_path / "env"))
    monkeypatch.setattr(jupyter_env, "_NAME", None)
    user = tmp_path / "user" / "kernels"
    monkeypatch.setattr(jupyter_env, "_user_kernels", lambda: user)
    # what earlier versions left in the user's folder: one for this interpreter, one for a
    # deleted environment, one for another environment that still exists
    for name, exe in (("nianbao-aaaa", sys.executable), ("nianbao-bbbb", "/nonexistent/python"),
                      ("nianbao-cccc", "/bin/sh")):
        (user / name).mkdir(parents=True)
        (user / name / "kernel.json").write_text(json.dumps({"argv": [exe]}), encoding="utf-8")
    name = jupyter_env.kernel_name()
    assert name == f"nianbao-{ROOT.name}".lower()
    spec = json.loads((tmp_path / "env/share/jupyter/kernels" / name / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable and ROOT.name in spec["display_name"]
    assert sorted(p.name for p in user.iterdir()) == ["nianbao-cccc"]


def test_pre_save_hook_strips_templates_only(tmp_path):
    from nianbao.jupyter_env import strip_template_outputs

    def model():
        return {"type": "notebook", "content": {"metadata": {"language_info": {"name": "python"}},
                                                "cells": [
            {"cell_type": "code", "source": "1", "execution_count": 3, "metadata": {},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}]}]}}

    class CM:
        root_dir = str(ROOT)

    m = model()
    strip_template_outputs(m, "notebooks/audit_report.ipynb", contents_manager=CM())
    cell = m["content"]["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None and cell["source"] == "1"
    assert m["content"]["metadata"] == {}
    m = model()
    strip_template_outputs(m, "outputs/notebooks/x.ipynb", contents_manager=CM())
    assert m["content"]["cells"][0]["outputs"]  # a working copy keeps its outputs


def test_setup_configures_the_hook_in_the_environment():
    import sys

    import subprocess

    cfg = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.json"
    if not cfg.exists():
        pytest.skip("not set up by scripts/setup.sh in this environment")
    data = json.loads(cfg.read_text())
    assert data["ContentsManager"]["pre_save_hook"] == "nianbao.jupyter_env.strip_template_outputs"
    # and the server really reads it (it ignores such keys in jupyter_server_config.d/)
    shown = subprocess.run([sys.executable, "-m", "jupyter_server", "--show-config"],
                           capture_output=True, text=True, timeout=120).stdout
    assert "nianbao.jupyter_env.strip_template_outputs" in shown
