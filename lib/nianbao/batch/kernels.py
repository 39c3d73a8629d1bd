"""Which Jupyter kernel runs the notebooks, and running a notebook with papermill.

The notebooks must execute in THIS interpreter (the one with nianbao installed). The stock
``python3`` kernelspec does not guarantee that: it starts whatever ``python`` the kernelspec
search finds first, and a user-level ``python3`` spec (``~/.local/share/jupyter``) shadows the
venv's. So ``kernel_name()`` writes a kernelspec whose argv names ``sys.executable`` explicitly,
under a name derived from that path, in the user's Jupyter data dir (no root needed); if that dir
is not writable it uses a temp dir and puts it on ``JUPYTER_PATH`` for this process and its
children. The spec is written with ``os.replace`` so parallel batch workers can race safely.

``execute_notebook`` is what both the tests and ``nianbao.batch`` call: papermill with that
kernel, the notebook's folder as working directory (so the default relative parameters work),
and the output notebook written atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

#: The notebooks, beside the package in the repository checkout.
NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
AUDIT_NOTEBOOK = NOTEBOOK_DIR / "audit_report.ipynb"
BATCH_NOTEBOOK = NOTEBOOK_DIR / "batch_overview.ipynb"


def _spec() -> dict:
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"nianbao ({Path(sys.prefix).name})", "language": "python",
            "metadata": {"debugger": True}}


def _write_spec(kernels_dir: Path, name: str) -> None:
    d = kernels_dir / name
    d.mkdir(parents=True, exist_ok=True)
    target = d / "kernel.json"
    spec = _spec()
    if target.exists():
        try:
            if json.loads(target.read_text(encoding="utf-8")) == spec:
                return
        except (OSError, ValueError):
            pass
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".kernel.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    os.replace(tmp, target)


def kernel_name() -> str:
    """Ensure a kernelspec that runs ``sys.executable`` exists; return its name."""
    from jupyter_core.paths import jupyter_data_dir

    name = "nianbao-" + hashlib.sha256(sys.executable.encode()).hexdigest()[:10]
    try:
        _write_spec(Path(jupyter_data_dir()) / "kernels", name)
    except OSError:
        base = Path(tempfile.gettempdir()) / f"nianbao-jupyter-{os.getuid()}"
        _write_spec(base / "kernels", name)
        paths = os.environ.get("JUPYTER_PATH", "")
        if str(base) not in paths.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(base), paths) if p)
    return name


def execute_notebook(notebook, output, parameters: dict, *, cwd=None,
                     timeout: int | None = 600) -> Path:
    """Run ``notebook`` with papermill into ``output`` (written atomically); return its path.

    ``parameters`` replace the notebook's ``parameters`` cell; give paths absolute, or relative
    to ``cwd`` (default: the notebook's folder). A failing cell raises papermill's
    ``PapermillExecutionError``; the partial output notebook is still written so the failure
    can be inspected and exported.
    """
    import papermill as pm

    notebook, output = Path(notebook), Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.stem}.", suffix=".ipynb")
    os.close(fd)
    try:
        pm.execute_notebook(str(notebook), tmp, parameters=parameters, kernel_name=kernel_name(),
                            cwd=str(cwd or notebook.parent), execution_timeout=timeout,
                            progress_bar=False, log_output=False)
    finally:
        if os.path.getsize(tmp):
            os.replace(tmp, output)
        else:
            os.unlink(tmp)
    return output
