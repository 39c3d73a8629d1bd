"""``nianbao notebook REPORT``: a copy of the audit notebook for one report, to work in.

The templates in ``notebooks/`` are never the place to work on a report (they are committed, and
kept without outputs). This writes ``outputs/notebooks/<report>.ipynb``: the audit notebook with
its parameters filled in by papermill (``prepare_only``: parameterised, not executed), the
checkout's kernel set, the result and review paths pointing beside it (or into ``--batch``), and
says how to open it. Running it in the Lab shows the report; ``nb.decide`` cells record decisions.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..errors import InputError
from ..jupyter_env import CHECKOUT, kernel_name, spec
from .store import review_path_for


def outputs_dir() -> Path:
    """The checkout's git-ignored ``outputs/``, else ``./outputs``."""
    return CHECKOUT / "outputs" if (CHECKOUT / "lib" / "nianbao").is_dir() else Path("outputs")


def write_notebook(report, out_dir=None, batch=None, published=None, config=None):
    """Write the parameterised notebook; returns (its path, what to tell the user)."""
    import papermill as pm

    from ..engine import parse_date
    from ..notebooks import AUDIT_NOTEBOOK

    report = Path(report).expanduser()
    if not report.is_file():
        raise InputError(report, "no such file")
    if published:
        parse_date(published, "published")  # refuse a bad date now, not in the notebook
    if config and not Path(config).is_file():
        raise InputError(config, "no such configuration file")
    out = Path(out_dir) if out_dir else outputs_dir() / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{report.stem}.ipynb"
    review = review_path_for(batch) if batch else out / "review.csv"
    params = {"report_path": str(report.resolve()), "published": published or "",
              "config_path": str(Path(config).resolve()) if config else "",
              "result_path": str((out / f"{report.stem}.result.json").resolve()),
              "review_path": str(Path(review).resolve())}
    tmp = out / f".{target.stem}.tmp.ipynb"
    try:
        nb = pm.execute_notebook(str(AUDIT_NOTEBOOK), str(tmp), parameters=params,
                                 prepare_only=True, kernel_name=kernel_name(),
                                 language="python", progress_bar=False)
        nb.metadata["kernelspec"] = {"name": kernel_name(), "display_name": spec()["display_name"],
                                     "language": "python"}
        nb.metadata.pop("jupytext", None)  # a working copy, not paired with a script
        import nbformat

        nbformat.write(nb, str(tmp))
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    lab = Path(sys.executable).with_name("jupyter")
    lab = str(lab) if lab.exists() else (shutil.which("jupyter") or "jupyter")
    how = (f"written: {target}\n"
           f"open it in JupyterLab and Run All:\n  {lab} lab {target}\n"
           f"decisions (nb.decide) go to {params['review_path']}")
    return target, how
