"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every output of nianbao (result.json, pages, the manifest, spreadsheets) goes through here, so
that an interrupted run leaves no half-written file; a killed worker's temporary files are
recognisable and removed by the next run.
"""
from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

_TEMP = re.compile(r"^\..+\.tmp(\.[a-z]+)?$")


def temp_name(final: Path) -> Path:
    """A temporary sibling of ``final``: same folder (so ``os.replace`` is atomic), hidden, unique
    per process and thread, recognisable by ``remove_stale_temp_files``, and with the same
    suffix (papermill and openpyxl look at it)."""
    final = Path(final)
    return final.with_name(f".{final.name}.{os.getpid()}-{threading.get_ident()}.tmp{final.suffix}")


@contextmanager
def replacing(path: Path):
    """Yield a temporary path to write; on success it replaces ``path`` atomically, on failure
    it is removed (for writers that want a file name, such as openpyxl or papermill)."""
    path = Path(path)
    tmp = temp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    with replacing(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)


def remove_stale_temp_files(out_dir: Path) -> None:
    """Remove temporary files an interrupted run (a killed worker) left behind."""
    for d in [out_dir, *(p for p in out_dir.iterdir() if p.is_dir())]:
        for p in d.iterdir():
            if p.is_file() and _TEMP.match(p.name):
                p.unlink(missing_ok=True)
