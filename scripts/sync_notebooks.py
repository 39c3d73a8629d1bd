"""Write the repository's notebooks/ from the package's notebooks (the source of truth).

The package ships the audit and overview notebooks (``lib/nianbao/notebooks``) so that an
installed nianbao can run them; ``notebooks/`` holds the same files for the auditor to open in
JupyterLab. Edit the package copies (or their jupytext ``.py`` pairs), then run this;
``tests/test_notebooks.py`` fails while the two differ. ``--check`` only reports.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from nianbao.notebooks import NOTEBOOK_FILES, path  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in NOTEBOOK_FILES:
        src, dst = path(name), ROOT / "notebooks" / name
        if dst.exists() and dst.read_bytes() == src.read_bytes():
            continue
        stale.append(name)
        if not check:
            dst.parent.mkdir(exist_ok=True)
            shutil.copyfile(src, dst)
    if stale:
        print(("differ: " if check else "written: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
