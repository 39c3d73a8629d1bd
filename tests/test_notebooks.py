"""The two notebooks: committed clean, paired with their jupytext scripts, thin, and — for real —
executed by papermill in a fresh kernel of this interpreter and exported to an offline page."""
from __future__ import annotations

import ast
import json
import shutil

import jupytext
import nbformat
import pytest
from lxml import html as lhtml

from conftest import ROOT
from nianbao.batch.kernels import execute_notebook
from nianbao.notebooks import AUDIT_NOTEBOOK, BATCH_NOTEBOOK
from nianbao.site.export import export_html, external_resources

NOTEBOOKS = [AUDIT_NOTEBOOK, BATCH_NOTEBOOK]
PARAMETERS = {AUDIT_NOTEBOOK: {"report_path", "published", "config_path", "result_path",
                               "previous_path", "review_path"},
              BATCH_NOTEBOOK: {"batch_dir"}}
MODULE_ALIAS = {AUDIT_NOTEBOOK: "nb", BATCH_NOTEBOOK: "ov"}


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in _code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupytext_pair_in_sync(path):
    def cells(p):
        return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
                for c in jupytext.read(p).cells]

    assert cells(path) == cells(path.with_suffix(".py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_json_scalars(path):
    params = [c for c in _code_cells(path) if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = set()
    for stmt in ast.parse(params[0].source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
        assert isinstance(stmt.value, ast.Constant)
        json.dumps(stmt.value.value)
        names.add(stmt.targets[0].id)
    assert names == PARAMETERS[path]


def test_default_report_exists():
    src = next(c.source for c in _code_cells(AUDIT_NOTEBOOK)
               if "parameters" in c.metadata.get("tags", []))
    default = ast.literal_eval(next(s.value for s in ast.parse(src).body
                                    if s.targets[0].id == "report_path"))
    assert (ROOT / "notebooks" / default).is_file()


def test_repository_notebooks_are_the_package_notebooks():
    """notebooks/ (what an auditor opens) is written from the package's notebooks (the ones an
    installed nianbao runs) by scripts/sync_notebooks.py; the two never differ."""
    from nianbao.notebooks import NOTEBOOK_FILES, path

    for name in NOTEBOOK_FILES:
        assert (ROOT / "notebooks" / name).read_bytes() == path(name).read_bytes(), \
            f"notebooks/{name} differs: run scripts/sync_notebooks.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_thin(path):
    """After the parameters: one import, then each cell is one library call (no logic)."""
    cells = [c for c in _code_cells(path) if "parameters" not in c.metadata.get("tags", [])]
    imports = [c for c in cells if c.source.startswith(("import", "from"))]
    assert len(imports) == 1
    alias = MODULE_ALIAS[path]
    for cell in cells:
        if cell is imports[0]:
            continue
        body = ast.parse(cell.source).body
        assert len(body) == 1, cell.source
        call = body[0].value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        assert isinstance(call.func.value, ast.Name) and call.func.value.id == alias, cell.source
        assert all(isinstance(a, (ast.Name, ast.Constant)) for a in call.args), cell.source


# ------------------------------------------------------------------ real runs
SAMPLE = ROOT / "data" / "samples" / "lanxi-science-2021-defects.txt"


@pytest.fixture(scope="module")
def audit_run(tmp_path_factory):
    """Run the audit notebook on a copy of a defect sample in a temp dir, export the page."""
    if not SAMPLE.exists():
        pytest.skip("data/samples is absent")
    tmp = tmp_path_factory.mktemp("audit")
    report = tmp / "input" / SAMPLE.name
    report.parent.mkdir()
    shutil.copy(SAMPLE, report)
    before = report.read_bytes()
    out = tmp / "out"
    executed = execute_notebook(AUDIT_NOTEBOOK, out / "audit.ipynb",
                                {"report_path": str(report), "published": "",
                                 "config_path": "", "result_path": str(out / "result.json")},
                                timeout=300)
    page = export_html(executed, out / "audit.html", title="测试")
    assert report.read_bytes() == before  # the input is never modified
    return out, json.loads((out / "result.json").read_text(encoding="utf-8")), \
        page.read_text(encoding="utf-8")


def test_audit_notebook_writes_a_valid_result(audit_run):
    _, res, _ = audit_run
    assert res["schema_version"] == 1
    assert res["source"]["path"].endswith(SAMPLE.name) and len(res["source"]["sha256"]) == 64
    counts = {s: sum(f["severity"] == s for f in res["findings"]) for s in res["summary"]}
    assert counts == res["summary"]
    assert res["findings"], "the defect sample should produce findings"
    assert set(res["report"]["tables"]) == {"table2", "table3", "table4"}


def test_audit_page_shows_the_report_without_code(audit_run):
    out, res, page = audit_run
    doc = lhtml.fromstring(page)
    text = doc.text_content()
    assert doc.get("lang") == "zh"
    assert external_resources(page) == []
    assert "from nianbao import" not in page and "nb.header" not in page
    assert res["report"]["agency"] and res["report"]["agency"] in text
    for f in res["findings"]:
        assert f["message"] in text
    assert len(doc.xpath("//img[starts-with(@src, 'data:image/png;base64,')]")) == 2
    assert "结果 JSON 已写入" in text


def test_overview_notebook_runs_on_a_batch_folder(audit_run, tmp_path):
    out, res, _ = audit_run
    (tmp_path / "r1").mkdir()
    shutil.copy(out / "result.json", tmp_path / "r1" / "result.json")
    manifest = {"reports": [{"id": "r1", "file": SAMPLE.name, "status": "findings",
                             "outputs": {"json": "r1/result.json", "html": "r1/audit.html"}}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    # run in the batch folder, as the batch does: the links are relative to where it runs
    executed = execute_notebook(BATCH_NOTEBOOK, tmp_path / "overview.ipynb",
                                {"batch_dir": str(tmp_path)}, cwd=tmp_path, timeout=300)
    page = export_html(executed, tmp_path / "overview.html").read_text(encoding="utf-8")
    doc = lhtml.fromstring(page)
    assert external_resources(page) == []
    assert doc.xpath("//a[@class='nb-back']/@href") == ["index.html"]
    assert res["report"]["agency"] in doc.text_content()
    assert doc.xpath("//a[@href='r1/audit.html']")


HOSTILE = ('<script>alert(1)</script><img src=x onerror=alert(1)>'
           '<a href="javascript:alert(1)">点此</a>')


def test_a_hostile_report_shows_its_markup_as_text(tmp_path):
    """End to end: markup inside a report is printed literally in the page, never run."""
    from reportbuilder import clean_report

    text = clean_report(2021).text.replace("一、总体情况\n", f"一、总体情况\n{HOSTILE}\n", 1)
    assert HOSTILE in text
    report = tmp_path / "hostile.txt"
    report.write_text(text, encoding="utf-8")
    executed = execute_notebook(AUDIT_NOTEBOOK, tmp_path / "audit.ipynb",
                                {"report_path": str(report), "published": "2022-01-20",
                                 "config_path": "", "result_path": str(tmp_path / "r.json")},
                                timeout=300)
    page = export_html(executed, tmp_path / "audit.html").read_text(encoding="utf-8")
    doc = lhtml.fromstring(page)
    assert external_resources(page) == []
    assert not doc.xpath("//script") and not doc.xpath("//img[@src='x']")
    assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
    assert HOSTILE in doc.text_content()
    assert "2022-01-20（来源：由调用方提供）" in doc.text_content()
