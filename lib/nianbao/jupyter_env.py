"""The Jupyter environment of this checkout: its one kernelspec, and the server hook that keeps
the template notebooks free of outputs.

**Kernelspec.** The notebooks must run in THIS interpreter (the one nianbao is installed in); the
stock ``python3`` spec starts whatever ``python`` is found first. So the project writes one spec
whose argv names ``sys.executable``, inside the environment itself (``sys.prefix/share/jupyter``,
first on Jupyter's search path for that environment's Lab and papermill), named after the
checkout — ``nianbao-wt-12`` shown as "nianbao (wt-12)" — so two checkouts are told apart in the
kernel picker and nothing piles up in the user's folder. Specs that earlier versions wrote to the
user's folder (``nianbao-<hash>``) for this interpreter, or for one that no longer exists, are
removed. Only where the environment is read-only does the spec go to the user's folder (or, if
that is read-only too, a temp dir put on ``JUPYTER_PATH``).

**Templates stay clean.** ``notebooks/*.ipynb`` are templates: committed without outputs, and a
test checks it. JupyterLab's autosave would write a Run All's outputs into them, so the server
runs ``strip_template_outputs`` before every save (a ``ContentsManager.pre_save_hook`` set in
``sys.prefix/etc/jupyter/jupyter_server_config.json`` by ``install()``, which ``scripts/setup.sh``
runs; not in the ``jupyter_server_config.d`` folder, from which the server reads only the
extensions to enable): a template is saved with its code and without outputs, any
other notebook as it is. Per-report work goes to ``nianbao notebook REPORT`` copies in outputs/.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

#: the checkout this package lives in (lib/nianbao/ → the repository root), if it is one
CHECKOUT = Path(__file__).resolve().parents[2]
TEMPLATES = (CHECKOUT / "notebooks", Path(__file__).resolve().parent / "notebooks")
SERVER_CONFIG = {"ContentsManager": {"pre_save_hook": "nianbao.jupyter_env.strip_template_outputs"}}


def checkout_name() -> str:
    """What the kernel is named after: the checkout's folder (``main``, ``wt-12``), else the
    environment's."""
    base = CHECKOUT if (CHECKOUT / "lib" / "nianbao").is_dir() else Path(sys.prefix).parent
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base.name).strip("-") or "env"


def spec() -> dict:
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"nianbao ({checkout_name()})", "language": "python",
            "metadata": {"debugger": True, "nianbao_checkout": str(CHECKOUT)}}


def _write_json(target: Path, data: dict) -> None:
    """Write ``data`` to ``target`` unless it already holds it; atomic, so that parallel batch
    workers can race safely."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if json.loads(target.read_text(encoding="utf-8")) == data:
            return
    except (OSError, ValueError):
        pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nianbao.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, target)


def _user_kernels() -> Path:
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "kernels"


def remove_stale_user_specs() -> list[Path]:
    """Remove user-level ``nianbao-*`` specs that start this interpreter (the environment's own
    spec replaces them) or an interpreter that no longer exists; returns what was removed."""
    import shutil

    removed = []
    try:
        dirs = list(_user_kernels().glob("nianbao-*"))
    except OSError:
        return removed
    for d in dirs:
        try:
            argv = json.loads((d / "kernel.json").read_text(encoding="utf-8")).get("argv") or [""]
        except (OSError, ValueError):
            continue
        exe = argv[0]
        if exe == sys.executable or not Path(exe).exists():
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


_NAME: str | None = None


def kernel_name() -> str:
    """Ensure this checkout's kernelspec exists; return its name."""
    global _NAME
    name = f"nianbao-{checkout_name()}".lower()
    if _NAME == name:
        return name
    for kernels in (Path(sys.prefix) / "share" / "jupyter" / "kernels", None):
        try:
            if kernels is None:  # a read-only environment: the user's folder
                kernels = _user_kernels()
            _write_json(kernels / name / "kernel.json", spec())
            break
        except OSError:
            continue
    else:
        base = Path(tempfile.gettempdir()) / f"nianbao-jupyter-{os.getuid()}"
        _write_json(base / "kernels" / name / "kernel.json", spec())
        paths = os.environ.get("JUPYTER_PATH", "")
        if str(base) not in paths.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(base), paths) if p)
    if kernels != _user_kernels():
        remove_stale_user_specs()
    _NAME = name
    return name


def is_template(path) -> bool:
    """Whether ``path`` is one of the template notebooks (the checkout's or the package's)."""
    p = Path(path).resolve()
    return p.suffix == ".ipynb" and any(p.parent == t.resolve() for t in TEMPLATES)


def strip_outputs(nb: dict) -> dict:
    """A notebook (JSON form) without outputs, execution counts and the kernel's
    ``language_info`` (which a run adds): as committed."""
    (nb.get("metadata") or {}).pop("language_info", None)
    for cell in nb.get("cells") or []:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        (cell.get("metadata") or {}).pop("execution", None)
    return nb


def strip_template_outputs(model, path, contents_manager=None, **kwargs):
    """jupyter_server's pre-save hook: a template notebook is saved without outputs."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = getattr(contents_manager, "root_dir", None) or os.getcwd()
    if is_template(Path(root) / path.lstrip("/")):
        strip_outputs(model["content"])


def server_config_path() -> Path:
    return Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"


def install() -> list[Path]:
    """Write the kernelspec and the server configuration into this environment (the hook is
    merged into the environment's server configuration, whatever else it holds)."""
    kernel_name()
    target = server_config_path()
    try:
        cfg = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cfg = {}
    cfg = cfg if isinstance(cfg, dict) else {}
    for section, values in SERVER_CONFIG.items():
        cfg.setdefault(section, {}).update(values)
    _write_json(target, cfg)
    (target.parent / "jupyter_server_config.d" / "nianbao.json").unlink(missing_ok=True)
    return [target]


if __name__ == "__main__":
    for p in install():
        print(f"nianbao: {p}")
    print(f"nianbao: kernel {kernel_name()}")
