"""What a batch is made of: the report files of a folder, their stable ids, and the hashes that
decide whether a report must be audited again (input, configuration, tool)."""
from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import subprocess
import unicodedata
from pathlib import Path

from ..errors import InputError

#: Scans (.pdf, page images) are read by OCR, .doc/.wps through LibreOffice (docs/readers.md).
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".js", ".docx", ".pdf", ".doc", ".wps",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff")
#: The checkout the package runs from, when it runs from one (for the commit in the record).
ROOT = Path(__file__).resolve().parents[3]


def discover(input_dir: Path, only: str | None = None, limit: int | None = None) -> list[Path]:
    """The report files directly in ``input_dir`` (sorted, so ids and order are stable); hidden
    files and a folder's README are not reports."""
    if not input_dir.is_dir():
        raise InputError(input_dir, "not a folder")
    files = sorted(p for p in input_dir.iterdir()
                   if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                   and not p.name.startswith(".") and p.stem.upper() != "README")
    if only:
        files = [p for p in files if fnmatch.fnmatch(p.name, only)]
    return files[:limit] if limit is not None else files


def slug(stem: str) -> str:
    """An ASCII-safe, stable id for a file stem: the ASCII letters and digits, lower-cased and
    joined by ``-``; a stem with other characters (Chinese) gets a short hash of the whole stem,
    so that two Chinese names never collapse to the same id."""
    ascii_part = unicodedata.normalize("NFKC", stem).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:60].strip("-")
    if not stem.isascii() or not s:
        h = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
        s = f"{s}-{h}" if s else f"report-{h}"
    return s


def assign_ids(files: list[Path]) -> dict[Path, str]:
    """Unique ids within the batch: the stem slug; files sharing one (``a.txt``, ``a.pdf``) add
    their suffix, then a counter."""
    by_slug: dict[str, list[Path]] = {}
    for p in files:
        by_slug.setdefault(slug(p.stem), []).append(p)
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for s, group in by_slug.items():
        for p in group:
            rid = s if len(group) == 1 else f"{s}-{p.suffix.lower().lstrip('.')}"
            base, n = rid, 2
            while rid in taken:
                rid, n = f"{base}-{n}", n + 1
            taken.add(rid)
            ids[p] = rid
    return ids


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_commit() -> str | None:
    """The checkout's commit, for the record (None outside a git checkout)."""
    if not (ROOT / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def canonical_hash(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()
