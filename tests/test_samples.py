"""The committed samples and fixtures are exactly what ``scripts/make_samples.py`` writes, every
listed file exists, and every one of them can be read.

Why: the samples are the project's demo inputs and the fixtures carry known defects; if someone
edits the generator without regenerating (or edits a sample by hand), the files and the
generator's claims about them (INDEX.csv, README.md) drift apart. Regenerating into a temporary
directory and comparing bytes catches that.
"""
from __future__ import annotations

import csv
import importlib.util
import sys

import pytest

from conftest import FIXTURES, ROOT, SAMPLES
from nianbao.readers import legacy_word

_spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
make_samples = importlib.util.module_from_spec(_spec)
sys.modules["make_samples"] = make_samples
_spec.loader.exec_module(make_samples)

REPORTS = FIXTURES / "reports"


#: The .doc sample needs LibreOffice to be written, and its bytes depend on LibreOffice's version:
#: it is compared by what it reads as (``test_doc_sample_reads_like_its_word_rendering``).
HAS_SOFFICE = legacy_word.soffice() is not None


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    make_samples.write_all(out, legacy_word=HAS_SOFFICE)
    return out


def _generated_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_committed_outputs_equal_regenerated(regenerated):
    files = [f for f in _generated_files(regenerated) if f.suffix != ".doc"]
    assert len(files) > 60
    differ = [str(f) for f in files if not (ROOT / f).exists() or (ROOT / f).read_bytes() != (regenerated / f).read_bytes()]
    assert differ == [], "run `python scripts/make_samples.py` and commit the result"


def test_no_stray_files_in_generated_folders(regenerated):
    for folder in (make_samples.SAMPLES_DIR, make_samples.FIXTURES_DIR):
        committed = {p.name for p in (ROOT / folder).iterdir() if p.is_file()}
        generated = {p.name for p in (regenerated / folder).iterdir() if p.is_file()}
        if not HAS_SOFFICE:
            generated |= {it.file for it in make_samples.samples() if it.form == "doc"} & committed
        assert committed == generated, folder


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
@pytest.mark.slow
def test_doc_sample_reads_like_its_word_rendering(regenerated, tmp_path):
    """The committed .doc and a fresh one both read as the Word rendering of the same spec."""
    import synth

    import nianbao

    item = next(it for it in make_samples.samples() if it.form == "doc")
    docx = tmp_path / "same.docx"
    synth.render_docx(item.spec, docx)
    want = nianbao.parse(docx)
    for path in (SAMPLES / item.file, regenerated / make_samples.SAMPLES_DIR / item.file):
        got = nianbao.parse(path)
        assert got.document.format == "doc"
        for t in ("table2", "table3", "table4"):
            assert got.table(t).to_json() == want.table(t).to_json(), (path, t)


def test_every_sample_exists_and_is_in_the_readme():
    items = make_samples.samples()
    assert 8 <= len(items) <= 12
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for it in items:
        assert (SAMPLES / it.file).stat().st_size > 1000, it.file
        assert f"`{it.file}`" in readme
        assert it.file.isascii()
        for rule in it.rules:
            assert rule in readme
    forms = {it.form for it in items}
    assert forms == {"txt", "flat", "md", "html", "docx", "pdf", "scan", "doc"}
    assert all((SAMPLES / it.file).stat().st_size < 1_000_000 for it in items)  # the repo stays lean
    assert sum(1 for it in items if it.defects) >= 2
    assert any(it.spec.format == "2019" for it in items)
    assert any(it.spec.kind == "government" for it in items)


def test_index_lists_every_fixture_with_rules():
    with open(REPORTS / "INDEX.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    files = {p.name for p in REPORTS.iterdir()} - {"INDEX.csv"}
    assert {r["file"] for r in rows} == files
    import synth
    planted = {d for r in rows for d in r["defect"].split(";") if d}
    assert set(synth.DEFECTS) <= planted  # every defect has a fixture
    for r in rows:
        if r["defect"] and not r["defect"].startswith("dmg-"):
            assert r["rules"], r["file"]
            assert r["rules"].split(";") == synth.defect_rules(r["defect"].split(";"))


def _input(p):
    """An input file as a test parameter: OCR and LibreOffice take seconds, so those are slow."""
    marks = []
    if "-scan" in p.name or p.suffix == ".doc":
        marks.append(pytest.mark.slow)
    if p.suffix == ".doc":
        marks.append(pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed"))
    return pytest.param(p, marks=marks, id=p.name)


ALL_INPUTS = [_input(p) for p in sorted(list(SAMPLES.iterdir()) + list(REPORTS.iterdir()))
              if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf", ".doc") and p.name != "README.md"]


@pytest.mark.parametrize("path", ALL_INPUTS)
def test_every_input_reads(path):
    read = pytest.importorskip("nianbao.readers").read
    doc = read(path)
    assert "政府信息公开工作年度报告" in doc.text
    if not doc.text.startswith("标题:"):  # crawler text has its tables flattened into the body line
        assert sum(1 for b in doc.blocks if b.kind == "table") >= 3, "tables not found"
