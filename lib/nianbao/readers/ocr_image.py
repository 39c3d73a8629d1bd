"""Page images made fit for OCR: one resolution, no red seal, no colour, no skew.

Scans arrive at 150–300 dpi, in colour or grey, a degree or two askew, with the agency's red
seal stamped across the signature and sometimes across a table. The recogniser reads best at
the resolution it is tuned for and the layout step needs horizontal rows, so every page is
brought to ``DPI`` (the 2× rendering of a PDF page), red ink is washed out (black text printed
under a seal stays dark and is kept), the page goes to grey, and a small rotation found by a
projection profile is undone. Coordinates after this step are page pixels at ``DPI``.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

#: The working resolution: a PDF page rendered at scale 2 (144 dpi), where the recogniser reads
#: a 10.5 pt table digit as a 20-pixel-high glyph.
DPI = 144
#: A4 width in inches: the page size assumed for an image that does not state its resolution.
_A4_WIDTH_IN = 8.27
#: Largest rotation looked for, in degrees (a scan fed askew; a page turned 90° is not handled).
MAX_SKEW = 3.0
#: A red pixel this much darker than the seal on bare paper (grey levels) starts to count as ink
#: under the seal, and ``_SEAL_EDGE + _SEAL_SPAN`` darker is black. Measured on a seal drawn at
#: 80 % opacity over rendered corpus pages and saved as JPEG: the seal on paper spreads about 20
#: levels around its median, black text under it is 35–65 darker; a seal printed over black ink
#: in a real scan is darker still.
_SEAL_EDGE = 15
_SEAL_SPAN = 40


def source_dpi(img: Image.Image) -> float:
    """The image's resolution: as stated in the file when plausible, else from an A4 width."""
    dpi = img.info.get("dpi")
    if dpi:
        try:
            d = float(dpi[0])
        except (TypeError, ValueError, IndexError):
            d = 0.0
        if 70 <= d <= 1200:
            return d
    return img.width / _A4_WIDTH_IN


def normalise(img: Image.Image, dpi: float) -> tuple[np.ndarray, float]:
    """``img`` (any mode, at ``dpi``) as a grey uint8 array at ``DPI`` with red washed out and
    the skew undone; returns the array and the rotation applied (degrees, counter-clockwise)."""
    rgb = np.asarray(img.convert("RGB"))
    grey = _without_red(rgb)
    scale = DPI / dpi
    if abs(scale - 1) > 0.05:
        import cv2

        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    angle = skew_angle(grey)
    if abs(angle) >= 0.1:
        grey = rotate(grey, angle)
    return grey, angle


def _without_red(rgb: np.ndarray) -> np.ndarray:
    """Grey, with a red seal (or a red heading rule) washed out but what is printed under it
    kept. A seal on bare paper has one brightness (its ink's); where black text or a table rule
    lies under it the pixel is clearly darker than that, so red pixels near the seal's own
    brightness become white and darker ones are stretched back towards the grey they had
    without the seal. Whitening every red pixel instead cut the black rules under a seal and
    the table grid fell apart there. Brightness, not the red channel, is compared: a JPEG keeps
    brightness at full resolution but halves the colour, which smears the red channel at every
    edge of the seal."""
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    lum = 0.299 * r + 0.587 * g + 0.114 * b
    grey = lum.astype(np.uint8)
    tint = r - np.maximum(g, b)
    red = (tint > 60) & (r > 110)
    if red.sum() < 50:
        grey[red] = 255
        return grey
    seal = float(np.median(lum[red]))  # the seal over bare paper: most of its pixels
    reddish = (tint > 30) & (r > 110)  # also the seal's fringe, paler where colour was smeared
    darker = seal - lum[reddish]
    grey[reddish] = np.clip(255 - (darker - _SEAL_EDGE) * (255 / _SEAL_SPAN), 0, 255).astype(np.uint8)
    return grey


def skew_angle(grey: np.ndarray) -> float:
    """The rotation that makes text rows horizontal: the angle whose row profile of dark pixels
    is sharpest (largest variance of the row sums), searched on a reduced copy, coarse then fine."""
    import cv2

    small_w = 800
    f = small_w / grey.shape[1]
    small = cv2.resize(grey, (small_w, max(1, round(grey.shape[0] * f))), interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 50:
        return 0.0

    def sharpness(a: float) -> float:
        prof = rotate(ink, a, border=0.0).sum(axis=1)
        return float(np.var(prof))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.05), key=sharpness)
    return round(float(best), 2)


def rotate(arr: np.ndarray, angle: float, border: float = 255.0) -> np.ndarray:
    """``arr`` turned ``angle`` degrees counter-clockwise about its centre, same size."""
    import cv2

    h, w = arr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border)
