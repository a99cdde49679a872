"""OCR of scanned PDF pages: hOCR to lines, tables found from their rules, hanging list markers
rescued, and scans of the PDF corpus read back against the text a perfect extractor returns."""

from __future__ import annotations

import csv
import ctypes
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from docmine.cli import app
from docmine.errors import NoTextLayer, OcrUnavailable
from docmine.extract.ocr import _join_hyphens, hocr_lines, ocr_unavailable, reading_order
from docmine.extract.ocr_tables import find_grids
from docmine.extract.pdf import read_pdf
from docmine.extract.pdf_layout import PageLines, remove_furniture
from docmine.extract.pdf_lines import Line
from docmine.measure.bench import (
    body_text,
    char_accuracy,
    leaked_furniture,
    load_meta,
    rasterise,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHORT = SHARED / "corpus-pdf-short"
SCANNED_GUIDANCE = SHARED / "robustness" / "pdfs" / "ours__scanned-guidance.pdf"
needs_tesseract = pytest.mark.skipif(bool(ocr_unavailable()), reason=ocr_unavailable())
needs_short = pytest.mark.skipif(not SHORT.is_dir(), reason=f"{SHORT} not found (../shared)")

HOCR = b"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body>
<div class='ocr_page' title='bbox 0 0 2480 3508'>
 <div class='ocr_carea' title='bbox 300 400 1200 520'>
  <p class='ocr_par'>
   <span class='ocr_line' title='bbox 300 400 1200 442; baseline 0 -10; x_size 42; x_descenders 10'>
    <span class='ocrx_word' title='bbox 300 400 420 442; x_wconf 96'>The</span>
    <span class='ocrx_word' title='bbox 440 400 700 442; x_wconf 90'>board</span>
    <span class='ocrx_word' title='bbox 720 400 1200 442; x_wconf 84'>must pub-</span>
   </span>
   <span class='ocr_line' title='bbox 300 460 900 502; baseline 0 -10; x_size 42; x_descenders 10'>
    <span class='ocrx_word' title='bbox 300 460 900 502; x_wconf 70'>lish a plan.</span>
   </span>
  </p>
 </div>
</div></body></html>"""


def test_hocr_lines_are_placed_in_points_with_their_confidence() -> None:
    lines = _join_hyphens(hocr_lines(HOCR, page=3, page_height=842.0, dpi=300))
    assert [line.text for line in lines] == ["The board must pub", "lish a plan."]
    first = lines[0]
    assert first.page == 3 and first.hyphenated
    assert first.size == pytest.approx(42 * 72 / 300, abs=0.1)
    assert first.x0 == pytest.approx(300 * 72 / 300)
    # y grows upwards, as pdfium gives it: the first line stands above the second
    assert first.bottom > lines[1].top > lines[1].bottom
    assert first.confidence == pytest.approx((0.96 + 0.90 + 0.84) / 3)


def test_a_hyphen_before_a_capital_or_a_number_stays() -> None:
    lines = [_line("the NHS-", 700), _line("England board", 686)]
    assert [line.text for line in _join_hyphens(lines)] == ["the NHS-", "England board"]


def test_what_tesseract_reads_a_bullet_as_becomes_a_bullet() -> None:
    hocr = HOCR.replace(b">The<", b">\xc2\xa2<")  # the cent sign, a common reading of a bullet
    assert hocr_lines(hocr, 1, 842.0)[0].text.startswith("• board")


def _line(text: str, bottom: float, x0: float = 72.0, size: float = 10.0) -> Line:
    return Line(text, x0, x0 + 200, bottom + size, bottom, size, False, 1)


def test_a_ruled_table_is_found_with_its_rows_and_columns() -> None:
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for y in (1000, 1100, 1200, 1300):
        draw.line((300, y, 1200, y), fill=90, width=3)
    for x in (300, 420, 1200):
        draw.line((x, 1000, x, 1300), fill=90, width=3)
    draw.line((300, 2000, 2200, 2000), fill=0, width=3)  # a rule under a header: no table
    (grid,) = find_grids(image)
    assert (grid.left, grid.right) == pytest.approx((299, 1202), abs=3)
    assert len(grid.rows) == 4 and len(grid.columns) == 3


def test_a_page_too_small_for_a_rule_has_no_table() -> None:
    """A 4-point image page is 17 pixels wide at 300 dpi: no rule fits (it crashed the OCR)."""
    assert find_grids(Image.new("L", (17, 17), 0)) == []


@pytest.mark.skipif(bool(ocr_unavailable()), reason="needs Tesseract")
def test_a_tiny_image_only_pdf_is_one_clear_error() -> None:
    path = SHARED / "robustness" / "pdfs" / "pypdf__imagemagick-lzw.pdf"
    if not path.exists():
        pytest.skip("../shared/robustness is not beside the project")
    with pytest.raises(NoTextLayer, match="OCR found no text"):
        read_pdf(path, path.read_bytes(), ocr="auto")
    # image pages with a word of text layer each: OCR reads nothing, the words are kept
    captioned = path.with_name("pypdf__imagemagick-images.pdf")
    blocks = read_pdf(captioned, captioned.read_bytes(), ocr="auto")
    assert "Background" in " ".join(b.text for b in blocks)


def test_regions_are_read_column_by_column_between_full_width_ones() -> None:
    title = [_line("A title across the page", 780, x0=72, size=14)]
    title[0].x1 = 520
    table = [Line("1\tOfsted", 72, 280, 700, 680, 0.0, False, 1, cells=("1", "Ofsted"))]
    left = [_line("Dear colleagues,", 600)]
    right = [_line("I want to thank you", 720, x0=320)]  # higher on the page than the left text
    footnote = [_line("1 Health and Care Act 2022", 90, x0=72, size=8)]
    footnote[0].x1 = 500
    order = reading_order([right, footnote, left, title, table], page_width=595.0)
    assert [line.text for line in order] == [
        "A title across the page",
        "1\tOfsted",
        "Dear colleagues,",
        "I want to thank you",
        "1 Health and Care Act 2022",
    ]


def test_a_short_line_beside_a_page_number_in_the_margin_is_furniture() -> None:
    # OCR reads a footer 'publisher ... Page 2 of 2' as two lines on one baseline
    page = PageLines(
        2,
        842.0,
        [
            _line("Body text that stays here.", 600),
            _line("docmine test corpus", 35, x0=65, size=8),
            _line("Page 2 of 2", 35, x0=480, size=8),
        ],
    )
    remove_furniture([page])
    assert [line.text for line in page.lines] == ["Body text that stays here."]


def _scan_of(pdf: Path, folder: Path) -> Path:
    scan = folder / pdf.name
    rasterise(pdf, scan)
    return scan


@needs_tesseract
@needs_short
@pytest.mark.parametrize(
    "name",
    [
        "t129_govuk_jtai_domestic_abuse.mixed.pdf",  # two columns, footnote, two ruled tables
        "t163_la_transparency_code_2015.twocol.pdf",  # hanging bullets and numbers
    ],
)
def test_a_scan_of_a_short_pdf_reads_back(name: str, tmp_path: Path) -> None:
    pdf = SHORT / name
    blocks = read_pdf(_scan_of(pdf, tmp_path), _scan_of(pdf, tmp_path).read_bytes())
    expected = pdf.with_name(name.removesuffix(".pdf") + ".expected.txt").read_text("utf-8")
    body = body_text(blocks)
    assert char_accuracy(body, expected) >= 0.97
    assert leaked_furniture(body, load_meta(pdf, expected)) == 0
    confidences = [b.confidence for b in blocks]
    assert all(c is not None and 0 <= c <= 1 for c in confidences)
    assert sum(c for c in confidences if c is not None) / len(confidences) > 0.85
    assert {b.page for b in blocks} == {1, 2}


@needs_tesseract
def test_a_skewed_jpeg_scan_reads_in_words_the_source_has() -> None:
    if not SCANNED_GUIDANCE.is_file():
        pytest.skip("robustness corpus not found (../shared)")
    blocks = read_pdf(SCANNED_GUIDANCE, SCANNED_GUIDANCE.read_bytes())
    source = (SHARED / "corpus-pdf" / "lga-cwb-ics-update.base.expected.txt").read_text("utf-8")
    known = set(re.findall(r"[a-z]+", source.lower()))
    words = re.findall(r"[a-z]+", " ".join(b.text for b in blocks).lower())
    assert len(words) > 500
    assert sum(w in known for w in words) / len(words) >= 0.95


def _image_pdf(path: Path, image: Image.Image, invisible_text: str = "") -> None:
    """A one-page PDF showing `image` over the page, with an invisible text layer if given."""
    document = pdfium.PdfDocument.new()
    width, height = 595.0, 842.0
    page = document.new_page(width, height)
    picture = pdfium.PdfImage.new(document)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(image.convert("RGB")))
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    if invisible_text:
        font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
        text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, 12.0)
        encoded = (invisible_text + "\0").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(encoded)
        pdfium_c.FPDFText_SetText(text, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFTextObj_SetTextRenderMode(text, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 72, 700)
        pdfium_c.FPDFPage_InsertObject(page.raw, text)
    page.gen_content()
    document.save(path)


def _printed(text: str) -> Image.Image:
    """A page image with one large line of type, as a scanner would capture it."""
    from PIL import ImageFont

    image = Image.new("L", (1240, 1754), 255)
    font = ImageFont.load_default(size=48)
    ImageDraw.Draw(image).text((150, 300), text, fill=0, font=font)
    return image


@needs_tesseract
def test_an_invisible_text_layer_over_a_scan_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "layered.pdf"
    _image_pdf(path, _printed("The board must publish a plan."), invisible_text="zz qq garbage")
    seen = " ".join(b.text for b in read_pdf(path, path.read_bytes()))
    assert "publish a plan" in seen and "garbage" not in seen
    kept = " ".join(b.text for b in read_pdf(path, path.read_bytes(), ocr="off"))
    assert "garbage" in kept


def test_without_tesseract_a_scan_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scan.pdf"
    _image_pdf(path, _printed("The board must publish a plan."))
    missing = "OCR needs the Tesseract program; install it with: apt-get install tesseract-ocr"
    monkeypatch.setattr("docmine.extract.pdf.ocr_unavailable", lambda: missing)
    with pytest.raises(NoTextLayer) as error:
        read_pdf(path, path.read_bytes())
    assert str(error.value) == f"{path}: no text layer: scanned PDF; {missing}"
    with pytest.raises(OcrUnavailable, match="--ocr force: OCR needs the Tesseract program"):
        read_pdf(path, path.read_bytes(), ocr="force")


def test_a_page_with_text_is_not_read_by_ocr_in_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    if not SHORT.is_dir():
        pytest.skip("../shared not found")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR ran on a page with a text layer")

    monkeypatch.setattr("docmine.extract.pdf.ocr_page", refuse)
    pdf = SHORT / "t163_la_transparency_code_2015.twocol.pdf"
    assert all(b.confidence is None for b in read_pdf(pdf, pdf.read_bytes()))


@needs_tesseract
@needs_short
def test_ingest_stores_and_shows_the_ocr_confidence(tmp_path: Path) -> None:
    scan = _scan_of(SHORT / "t163_la_transparency_code_2015.twocol.pdf", tmp_path)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(scan), "--db", db, "--no-embed"]).exit_code == 0
    out = tmp_path / "register.csv"
    assert runner.invoke(app, ["export", "--db", db, "-o", str(out)]).exit_code == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(0.5 < float(row["ocr_confidence"]) <= 1 for row in rows)
    shown = runner.invoke(app, ["show", rows[0]["obligation_id"], "--db", db])
    assert re.search(r"ocr_confidence 0\.\d+", shown.output)
    off = runner.invoke(app, ["extract", str(scan), "--ocr", "off"])
    assert off.exit_code == 1 and "OCR is off (--ocr auto reads scanned pages)" in off.output


def test_an_unknown_ocr_mode_is_one_line() -> None:
    result = CliRunner().invoke(app, ["extract", "x.pdf", "--ocr", "sometimes"])
    assert result.exit_code != 0
    assert "ocr mode 'sometimes' is not one of auto, off, force" in result.output
    assert "Traceback" not in result.output


def test_grid_positions_are_runs() -> None:
    from docmine.extract.ocr_tables import _positions

    assert _positions(np.array([0, 1, 1, 0, 0, 1, 0], bool)) == (1, 5)
