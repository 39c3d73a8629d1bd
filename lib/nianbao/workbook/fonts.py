"""A CJK font for matplotlib, on a fresh machine and without root.

matplotlib's default DejaVu Sans has no Chinese glyphs, so chart labels such as 自然人 or 予以公开
would render as empty boxes ("tofu") with a "missing from font" warning. The ``mplfonts`` package
(a plain PyPI dependency) ships Noto Sans CJK SC under the OFL; registering that file with the
font manager needs no system install and gives the same glyphs on every machine, which keeps the
exported HTML identical wherever the batch runs.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

FONT_FILE = "NotoSansCJKsc-Regular.otf"
_family: str | None = None


def font_path() -> Path:
    """The bundled Noto Sans CJK SC file (raises ``RuntimeError`` if ``mplfonts`` is absent)."""
    try:
        import mplfonts
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise RuntimeError("the mplfonts package is missing: pip install mplfonts") from e
    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.exists():  # pragma: no cover
        raise RuntimeError(f"{path} is missing from the mplfonts package")
    return path


def setup() -> str:
    """Register the CJK font and put it first in ``font.sans-serif``; returns its family name.

    Idempotent: the notebooks call it before every chart, so a kernel that reset rcParams still
    gets the font.
    """
    global _family
    if _family is None:
        path = font_path()
        fm = font_manager.fontManager
        fm.addfont(str(path))
        # A system may carry a font of the same family name (Debian's fonts-noto-cjk does): put
        # ours first so that equal scores resolve to it and every machine draws the same glyphs.
        ours = [e for e in fm.ttflist if e.fname == str(path)]
        fm.ttflist = ours + [e for e in fm.ttflist if e.fname != str(path)]
        fm._findfont_cached.cache_clear()
        _family = font_manager.FontProperties(fname=str(path)).get_name()
    rc = matplotlib.rcParams
    if rc["font.sans-serif"][:1] != [_family]:
        rc["font.sans-serif"] = [_family] + [f for f in rc["font.sans-serif"] if f != _family]
    rc["font.family"] = ["sans-serif"]
    rc["axes.unicode_minus"] = False  # the CJK font lacks U+2212; use a hyphen for negatives
    return _family
