"""nianbao packaged like a library: its dependencies are declared in pyproject.toml and locked
in requirements.lock, and a non-editable install into a fresh virtual environment — nothing but
the declared dependencies — audits a report and runs a batch from outside the checkout."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """The normalised project name of a requirement (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", line)
        if m:
            pins[_name(m.group(1))] = m.group(2)
    return pins


def test_every_declared_dependency_is_locked_with_an_exact_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    locked = _locked()
    missing = sorted({_name(r) for r in declared} - set(locked))
    assert not missing, f"not in requirements.lock (run scripts/lock.sh): {missing}"
    from packaging.requirements import Requirement

    for r in map(Requirement, declared):  # the lock satisfies what pyproject.toml asks for
        assert r.specifier.contains(locked[_name(r.name)], prereleases=True), (r, locked[_name(r.name)])


def test_requirements_txt_points_at_the_lock_instead_of_repeating_it():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8")
             .splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert "-r requirements.lock" in lines
    assert all(ln.startswith(("-r ", "-e .")) for ln in lines), lines


def test_the_kernel_provisioners_are_registered():
    from importlib.metadata import entry_points

    from nianbao.batch.kernels import LOCAL_PROVISIONER, ZYGOTE_PROVISIONER

    eps = {ep.name: ep for ep in entry_points(group="jupyter_client.kernel_provisioners")}
    assert eps[LOCAL_PROVISIONER].load().__name__ == "ProjectProvisioner"
    assert eps[ZYGOTE_PROVISIONER].load().__name__ == "ForkedProvisioner"


def _copy_checkout(dest: Path) -> Path:
    """The checkout's files as they are now (committed or not), without its environment and
    outputs: what ``pip install .`` builds from."""
    ignore = shutil.ignore_patterns(".git", ".venv", "outputs", "__pycache__", "*.egg-info",
                                    "build", "dist", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.mark.slow
def test_non_editable_install_audits_and_runs_a_batch(tmp_path):
    """One test, about a minute or two: ``pip install .`` of a copy of the checkout into a fresh
    venv (the declared dependencies only, at the locked versions, from pip's cache when it has
    them), then, from a folder outside the checkout, ``nianbao audit`` and a two-report batch."""
    import synth

    src = _copy_checkout(tmp_path / "src")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    pip = subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(src),
                          "-c", str(src / "requirements.lock")],
                         capture_output=True, text=True, timeout=1200)
    assert pip.returncode == 0, pip.stderr[-3000:]
    shutil.rmtree(src)  # nothing may come from the copy: the package is in site-packages now

    work = tmp_path / "elsewhere"
    (work / "in").mkdir(parents=True)
    for i, kind in enumerate(("department", "government")):
        synth.write_report(synth.make_report(kind=kind), work / "in" / f"report{i}.txt")

    def nianbao(*args, timeout=600):
        return subprocess.run([str(py), "-m", "nianbao", *map(str, args)], cwd=work,
                              capture_output=True, text=True, timeout=timeout)

    where = subprocess.run([str(py), "-c", "import nianbao; print(nianbao.__file__)"],
                           cwd=work, capture_output=True, text=True, check=True).stdout
    assert "site-packages" in where and str(ROOT) not in where

    audit = nianbao("audit", work / "in" / "report0.txt", "--json")
    assert audit.returncode in (0, 1), audit.stderr
    result = json.loads(audit.stdout)
    assert result["summary"] and "findings" in result

    batch = nianbao("batch", "in", "--out", "out", "--jobs", 2, "--no-progress")
    assert batch.returncode == 0, batch.stdout + batch.stderr
    data = json.loads((work / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["file"] for r in data["reports"]) == ["report0.txt", "report1.txt"]
    for rec in data["reports"]:
        assert rec["status"] in ("ok", "findings"), rec
        for rel in ("ipynb", "html", "json"):
            assert (work / "out" / rec["outputs"][rel]).is_file()
    assert data["run"]["overview_error"] is None and (work / "out" / "overview.html").is_file()
    assert (work / "out" / "index.html").is_file()
