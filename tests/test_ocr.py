"""OCR of scanned PDFs and page images: the tables read from the image equal the text layer's.

Scans are made at run time from PDFs with a text layer (a synthetic fixture, and the real
reports in ../shared/corpus where present): pages rendered with pypdfium2 and saved as an
image-only PDF or a TIFF — at 2× (144 dpi), at 150 dpi, 1.5° askew with noise, with a red seal
stamped over 表三. Each is read by OCR and parsed, and compared cell by cell with the parse of
the same pages' text layer: at least 99.5 % of the cells of 表二/表三/表四 must be equal, and
every cell that differs must be a doubtful reading (ambiguous or unreadable), never a silent
wrong number. OCR costs seconds per page, so only the pages holding the tables are used.
"""
from __future__ import annotations

import logging

import numpy as np
import pytest
from conftest import FIXTURES
from PIL import Image, ImageDraw

import synth

import nianbao
from nianbao.errors import InputError
from nianbao.model import AMBIGUOUS, UNREADABLE

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("rapidocr_openvino")

CLEAN_PDF = FIXTURES / "reports" / "clean.pdf"
#: the table pages of the corpus PDFs (0-based), so a test OCRs 3–4 pages, not the whole report
CORPUS_PAGES = {
    "jiangsu-huaian-hongze-district-gov-2024.pdf": [1, 2, 3, 4],
    "jiangsu-huaian-hongze-district-gov-2023.pdf": [1, 2, 3],
    "jiangsu-huaian-city-gov-2024.pdf": [2, 3, 4],
}


# ---------------------------------------------------------------- making scans
def render(src, pages=None, dpi=144) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(src))
    idx = range(len(pdf)) if pages is None else pages
    return [pdf[i].render(scale=dpi / 72).to_pil() for i in idx]


def text_subset(src, pages, out):
    """The same pages with their text layer: the reference reading."""
    pdf = pdfium.PdfDocument(str(src))
    sub = pdfium.PdfDocument.new()
    sub.import_pages(pdf, pages)
    sub.save(str(out))
    return out


def image_pdf(images: list[Image.Image], out, dpi=144):
    synth.save_image_pdf(images, out, dpi=dpi)
    return out


skewed = synth.scan_noise
stamped = synth.stamp_seal


# ---------------------------------------------------------------- comparing
def compare(ocr_report, ref_report):
    """(cells, equal, differing cells that are not doubtful)."""
    total = equal = 0
    silent = []
    for name in ("table2", "table3", "table4"):
        ref, got = ref_report.table(name), ocr_report.table(name)
        for key, want in ref.cells.items():
            total += 1
            cell = got.cells.get(key)
            if cell is not None and cell.value == want.value and cell.how == want.how:
                equal += 1
            elif cell is None or cell.how not in (AMBIGUOUS, UNREADABLE):
                silent.append((name, key, want.value, None if cell is None else (cell.value, cell.how, cell.raw)))
    return total, equal, silent


def assert_reads_like_text_layer(scan, reference):
    doc = nianbao.read(scan)
    assert doc.ocr, "read without OCR"
    got, ref = nianbao.parse(doc), nianbao.parse(reference)
    total, equal, silent = compare(got, ref)
    assert ref.table3.found and total >= 100
    assert equal >= 0.995 * total, f"{equal}/{total} cells equal"
    assert not silent, f"cells that differ without being marked doubtful: {silent}"
    return got


# ---------------------------------------------------------------- fast: no recognition
def test_red_seal_is_washed_out_and_black_text_kept():
    from nianbao.readers.ocr_image import normalise

    img = Image.new("RGB", (600, 400), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((100, 100, 200, 120), fill=(0, 0, 0))
    d.ellipse((80, 60, 260, 240), outline=(220, 30, 40), width=12)
    grey, _ = normalise(img, 144)
    assert grey[110, 150] < 60  # black text under the seal stays black
    assert grey[150, 86] > 240  # the ring is gone


def test_rule_under_a_translucent_seal_is_kept():
    """A seal printed over a table: where it covers a black rule the pixel is dark red, not
    black; it must stay dark (the grid needs the rule) while the seal on bare paper goes."""
    from nianbao.readers.ocr_image import normalise
    from nianbao.readers.ocr_layout import find_tables

    img = Image.new("RGB", (1000, 700), "white")
    d = ImageDraw.Draw(img)
    for y in range(100, 601, 50):
        d.line((100, y, 900, y), fill=0, width=2)
    for x in range(100, 901, 100):
        d.line((x, 100, x, 600), fill=0, width=2)
    sealed = synth.stamp_seal(img, (0.5, 0.5))
    grey, _ = normalise(sealed, 144)
    assert np.asarray(sealed)[350, 365, 1] < 100 and grey[350, 365] < 110  # the rule under the ring stays dark
    ring = np.asarray(sealed)[:, :, 0].astype(int) - np.asarray(sealed)[:, :, 1]
    ys, xs = np.nonzero(ring > 100)
    assert grey[ys, xs].mean() > 200  # the seal itself is washed out
    grids = find_tables(grey)[0]
    assert len(grids) == 1 and len(grids[0].cells) == 80  # 10 rows x 8 columns, none merged by the seal


def test_skew_is_estimated_from_the_rows():
    from nianbao.readers.ocr_image import normalise, skew_angle

    page = render(CLEAN_PDF, [0])[0].convert("L")
    assert abs(skew_angle(np.asarray(page))) < 0.15
    for angle in (1.5, -1.2):
        grey = np.asarray(page.rotate(angle, resample=Image.BICUBIC, fillcolor=255))
        assert abs(skew_angle(grey) + angle) <= 0.15
        _, applied = normalise(Image.fromarray(grey), 144)
        assert abs(applied + angle) <= 0.15


def test_ruled_table_grid_has_merged_cells():
    from nianbao.readers.ocr_image import normalise
    from nianbao.readers.ocr_layout import find_tables

    grids = []
    for page in render(CLEAN_PDF):
        grey, _ = normalise(page, 144)
        grids.extend(find_tables(grey)[0])
    assert grids, "no ruled table found on the rendered fixture"
    spans = [(c.r1 - c.r0, c.c1 - c.c0) for g in grids for c in g.cells]
    assert any(r > 1 for r, _ in spans) and any(c > 1 for _, c in spans)


def test_table_cut_by_a_page_break_keeps_its_last_row():
    """A table continued on the next page has no closing rule at the cut: its column rules
    still make the grid, and the last row is closed at their common end."""
    from nianbao.readers.ocr_layout import find_tables

    img = Image.new("L", (1000, 700), 255)
    d = ImageDraw.Draw(img)
    for y in range(100, 551, 50):  # no rule at 600, where the columns end
        d.line((100, y, 900, y), fill=0, width=2)
    for x in range(100, 901, 100):
        d.line((x, 100, x, 600), fill=0, width=2)
    grids = find_tables(np.asarray(img))[0]
    assert len(grids) == 1
    assert len(grids[0].ys) == 11 and len(grids[0].cells) == 80  # 10 rows (the open one too) x 8


def _grid(rows: list[list[str | tuple[str, float] | None]]):
    """A ruled grid of 40×100-pixel cells holding the given readings (text, or (text, score));
    None is an empty cell."""
    from nianbao.readers.ocr_layout import Box, Grid, GridCell

    cells = []
    for i, row in enumerate(rows):
        for j, read in enumerate(row):
            x0, y0 = j * 100, i * 40
            cell = GridCell(i, j, i + 1, j + 1, (x0, y0, x0 + 100, y0 + 40))
            if read is not None:
                text, score = read if isinstance(read, tuple) else (read, 0.99)
                cell.boxes = [Box(x0 + 30, y0 + 10, x0 + 60, y0 + 30, text, score)]
            cells.append(cell)
    return Grid([j * 100 for j in range(len(rows[0]) + 1)], [i * 40 for i in range(len(rows) + 1)], cells)


def _rows(grid):
    from nianbao.readers.ocr_table import grid_rows

    items = []
    grid_rows(grid, 0, items)
    return [[(c.text, c.ocr.doubt if c.ocr else None) for c in it.cells] for it in items]


def test_a_data_cell_holds_a_number_or_is_doubtful():
    """What OCR makes of a lone digit on a poor scan — a letter, a box glyph, a CJK glyph, junk
    around a digit, ink with nothing recognised — is an unreadable, doubtful cell where a number
    belongs; a number with a speck beside it is the number; labels and headers stay as read."""
    from nianbao.document import UNREAD

    grid = _grid([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                  ["规章", "0", "U", "7."],
                  ["行政规范性文件", "口", "1□", None],
                  ["其他", "03", "—", "Ⅱ"],
                  ["合计", "1 2", "12", "0"]])
    grid.cells[11].doubts = ["格内有墨迹但未识别出文字"]  # ink, nothing recognised
    header, r1, r2, r3, r4 = _rows(grid)
    assert [t for t, _ in header] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert r1[:2] == [("规章", None), ("0", None)] and r1[3] == ("7.", None)
    assert r1[2][0] == UNREAD and "U" in r1[2][1]
    assert r2[0] == ("行政规范性文件", None)
    assert all(t == UNREAD and d for t, d in r2[1:])
    assert r3[0] == ("其他", None) and r3[2] == ("—", None)
    assert r3[1][0] == UNREAD and "03" in r3[1][1] and r3[3][0] == UNREAD
    assert r4[1][0] == UNREAD and r4[2:] == [("12", None), ("0", None)]  # "1 2" is two numbers


def test_a_doubtful_word_where_a_number_surely_belongs_is_unreadable():
    """A poor second look may read a digit as a word (``国家``): where a number surely belongs
    (numbers in its row and its column) a doubtful word is unreadable; a label (left of the
    numbers) or a header (a row of words) that scores low stays as read."""
    from nianbao.document import UNREAD

    grid = _grid([[("总计", 0.3), "自然人", "商业企业", "科研机构"],
                  [("属于国家秘密", 0.2), "2", ("国家", 0.1), "0"],
                  ["重复申请", "1", "0", "0"]])
    header, row, _ = _rows(grid)
    assert header[0][0] == "总计" and row[0][0] == "属于国家秘密"
    assert row[2][0] == UNREAD and "国家" in row[2][1]


def test_faint_digit_is_ink_and_grain_is_not():
    from nianbao.readers.ocr_table import _has_ink

    cell = np.full((30, 60), 250, np.uint8)
    rng = np.random.default_rng(1)
    ys, xs = rng.integers(1, 29, 6), rng.integers(1, 59, 6)
    cell[ys, xs] = 120  # specks of grain
    assert not _has_ink(cell)
    cell[10:19, 30] = 185  # a faint, thin "1": no pixel below 160
    assert _has_ink(cell)


def test_unread_cell_is_one_unreadable_cell_of_its_row():
    """The parser reads ``UNREAD`` in a table row as one cell without a value, so the row keeps
    its columns (text it skipped would shift them) and the cell is not a blank."""
    from nianbao.document import UNREAD
    from nianbao.model import READ
    from nianbao.parsing.rows import resolve_row
    from nianbao.parsing.scan import chunks

    h = f"行政许可\t3\t{UNREAD}\t5\n"
    cells = resolve_row(chunks(h, 4, len(h) - 1, to_anchor=False), 3, lambda i: 1).cells
    assert [(c.value, c.how) for c in cells] == [(3, READ), (None, UNREADABLE), (5, READ)]


def test_blank_image_is_one_line_error(tmp_path):
    p = tmp_path / "blank.png"
    Image.new("RGB", (800, 1100), "white").save(p)
    with pytest.raises(InputError) as exc:
        nianbao.read(p)
    assert "no text" in str(exc.value) and "\n" not in str(exc.value)


def test_corrupt_image_is_one_line_error(tmp_path):
    p = tmp_path / "broken.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    with pytest.raises(InputError) as exc:
        nianbao.read(p)
    assert "image" in str(exc.value) and "\n" not in str(exc.value)


# ---------------------------------------------------------------- synthetic, with recognition
@pytest.mark.slow
def test_scanned_synthetic_pdf_reads_like_its_text_layer(tmp_path, caplog):
    scan = image_pdf(render(CLEAN_PDF), tmp_path / "scan.pdf")
    with caplog.at_level(logging.INFO, logger="nianbao.ocr"):
        report = assert_reads_like_text_layer(scan, CLEAN_PDF)
    assert any("page 1/" in r.getMessage() for r in caplog.records)  # progress goes to the logger
    doc = report.document
    assert doc.format == "pdf" and "OCR" in doc.notes[0]
    cell = report.table3.cell("new_received", "total")
    assert cell.ocr and cell.ocr["page"] >= 1 and len(cell.ocr["box"]) == 4 and 0 < cell.ocr["score"] <= 1
    assert "ocr" in cell.to_json()
    for r in doc.ocr:  # every read points at its own text
        assert 0 <= r.start <= r.end <= len(doc.text)


@pytest.mark.slow
def test_page_images_150dpi_tiff_read_like_text_layer(tmp_path):
    pages = render(CLEAN_PDF, dpi=150)
    tif = tmp_path / "scan.tif"
    pages[0].convert("L").save(tif, save_all=True, append_images=[p.convert("L") for p in pages[1:]],
                               dpi=(150, 150), compression="tiff_lzw")
    report = assert_reads_like_text_layer(tif, CLEAN_PDF)
    assert report.document.format == "image"


@pytest.mark.slow
def test_a_low_score_cell_is_doubtful_not_a_number(tmp_path, monkeypatch):
    """With the doubt threshold above every score, every OCR'd number is doubtful: none may
    pass into the table as a value."""
    from nianbao.readers import ocr_table

    monkeypatch.setattr(ocr_table, "DOUBT_SCORE", 1.01)
    scan = image_pdf(render(CLEAN_PDF), tmp_path / "scan.pdf")
    report = nianbao.parse(scan)
    read = [c for c in report.table3.cells.values() if c.ocr is not None]
    assert read and all(c.value is None and c.how == AMBIGUOUS and "OCR" in c.reason for c in read)


@pytest.mark.slow
def test_a_letter_where_a_digit_was_printed_is_doubtful_and_the_row_keeps_its_columns(tmp_path):
    """A scan where a table digit came out as something else (here a ``W`` painted over 表三's
    second value of its first row): the cell is a doubtful reading, never text the parser skips
    (which would shift the row) nor a blank, and the row's other cells read as printed."""
    import pdfplumber
    from PIL import ImageFont

    with pdfplumber.open(CLEAN_PDF) as pdf:
        hits = [(k, w, p.extract_words()) for k, p in enumerate(pdf.pages) for w in p.extract_words()
                if w["text"].startswith("一、本年新收")]
    k, label, words = hits[0]
    mid = (label["top"] + label["bottom"]) / 2
    row = sorted((w for w in words if w["x0"] > label["x1"] and abs((w["top"] + w["bottom"]) / 2 - mid) < 4),
                 key=lambda w: w["x0"])
    target = row[1]
    pages = render(CLEAN_PDF)
    x0, y0, x1, y1 = (round(v * 2) for v in (target["x0"], target["top"], target["x1"], target["bottom"]))
    d = ImageDraw.Draw(pages[k])
    d.rectangle((x0 - 1, y0 - 1, x1 + 1, y1 + 1), fill="white")
    d.text((x0, y0), "W", fill="black", font=ImageFont.load_default(size=y1 - y0 + 2))
    report = nianbao.parse(image_pdf(pages, tmp_path / "scan.pdf"))
    ref = nianbao.parse(CLEAN_PDF)
    cols = ref.table3.columns
    cell = report.table3.cell("new_received", cols[1])
    assert cell.value is None and cell.how in (AMBIGUOUS, UNREADABLE) and "OCR" in cell.reason
    for c in cols[:1] + cols[2:]:
        got, want = report.table3.cell("new_received", c), ref.table3.cell("new_received", c)
        assert (got.value, got.how) == (want.value, want.how)
    assert compare(report, ref)[2] == []


@pytest.mark.slow
def test_small_print_at_150dpi_never_passes_a_misreading_as_a_value(tmp_path):
    """The synthetic report's compact print (7.5 pt table text) scanned at 150 dpi, askew with
    grain: small digits are often misread (lone glyphs, specks, nothing framed), and every cell
    that differs from the text layer must be a doubtful reading (docs/ocr.md has the counts)."""
    spec = synth.make_report()
    synth.render_pdf(spec, tmp_path / "print.pdf", compact=True)
    synth.render_scan(spec, tmp_path / "scan.pdf", dpi=150)
    total, equal, silent = compare(nianbao.parse(tmp_path / "scan.pdf"), nianbao.parse(tmp_path / "print.pdf"))
    assert total >= 100 and not silent, silent
    assert equal >= 0.8 * total, f"{equal}/{total} cells equal"


@pytest.mark.slow
def test_a_table_printed_without_ruling_lines_is_doubtful_not_silent(tmp_path):
    """The clean fixture scanned with every table rule painted white: OCR sees no table, so the
    figures come from text lines and their columns are guessed from spacing (rows run together
    and stack their figures). No such cell may pass as a number: each is doubtful, saying why,
    and none differs silently from the text layer."""
    from nianbao.parsing.ocr_cells import UNRULED

    pages = [synth.without_rules(im) for im in render(CLEAN_PDF)]
    report = nianbao.parse(image_pdf(pages, tmp_path / "scan.pdf"))
    assert report.document.ocr and not any(r.ruled for r in report.document.ocr)
    total, equal, silent = compare(report, nianbao.parse(CLEAN_PDF))
    assert total >= 100 and not silent, silent
    cells = [c for t in (report.table2, report.table3, report.table4) for c in t.cells.values()]
    assert not [c for c in cells if c.value is not None]
    unruled = [c for c in cells if c.reason and UNRULED in c.reason]
    assert len(unruled) >= 0.9 * total and all(c.how == AMBIGUOUS for c in unruled)


# ---------------------------------------------------------------- the real corpus
def _corpus_case(corpus_dir, tmp_path, name):
    src = corpus_dir / name
    if not src.exists():
        pytest.skip(f"{name} not in the corpus")
    pages = CORPUS_PAGES[name]
    return src, pages, text_subset(src, pages, tmp_path / "text.pdf")


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_PAGES))
def test_corpus_scan_2x_reads_like_text_layer(corpus_dir, tmp_path, name):
    src, pages, ref = _corpus_case(corpus_dir, tmp_path, name)
    assert_reads_like_text_layer(image_pdf(render(src, pages), tmp_path / "scan.pdf"), ref)


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_scan_150dpi_skewed_noisy(corpus_dir, tmp_path):
    src, pages, ref = _corpus_case(corpus_dir, tmp_path, "jiangsu-huaian-hongze-district-gov-2024.pdf")
    images = [skewed(im, 1.5 if k % 2 else -1.2, seed=k) for k, im in enumerate(render(src, pages, dpi=150))]
    report = assert_reads_like_text_layer(image_pdf(images, tmp_path / "scan.pdf", dpi=150), ref)
    assert any("倾斜" in n for n in report.document.notes)


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_scan_with_red_seal_over_table(corpus_dir, tmp_path):
    src, pages, ref = _corpus_case(corpus_dir, tmp_path, "jiangsu-huaian-hongze-district-gov-2024.pdf")
    images = render(src, pages)
    images[1] = stamped(images[1], (0.6, 0.7))  # over 表三's numbers
    assert_reads_like_text_layer(image_pdf(images, tmp_path / "scan.pdf"), ref)


@pytest.mark.slow
def test_the_cli_audits_a_scan_under_the_default_memory_ceiling():
    """The OCR engine reserves gigabytes of address space (OpenVINO: ~2.4 GB for a 3–5 page
    scan); the default ``limits.max_memory_mb`` must leave room for it, or every scan is refused
    as "over the memory limit" on the command line and in a batch kernel alike."""
    import subprocess
    import sys

    sample = FIXTURES.parent.parent / "data" / "samples" / "bailu-water-2023-scan.pdf"
    proc = subprocess.run([sys.executable, "-m", "nianbao", "audit", str(sample), "--json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    assert "memory" not in proc.stderr
