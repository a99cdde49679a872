"""Scanned pages -> text lines by OCR, in the same `Line` shape a text layer gives, so running
headers, headings, lists and footnotes are found from the same evidence.

Tesseract (Debian's `tesseract-ocr` + `tesseract-ocr-eng`) through pytesseract, the maintained
wrapper, rather than our own subprocess code. Its hOCR output gives each line a box, a baseline
and a line height (`x_size`), and each word a confidence; the line height stands in for the font
size (headings are larger, footnotes smaller), the baseline places the line."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from statistics import fmean, median

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from docmine.config import OCR_MODES
from docmine.extract.ocr_tables import find_grids, read_grid
from docmine.extract.pdf_lines import Line

__all__ = ["OCR_MODES", "OcrFailed", "OcrPage", "hocr_lines", "ocr_page", "ocr_unavailable"]

OCR_DPI = 300
OCR_LANGUAGE = "eng"
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-eng"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINE_CLASSES = {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"}
_PROPERTY = re.compile(r"(\w+)\s+([^;]+)")
_BROKEN_WORD = re.compile(r"[a-z]-$")
_ENUMERATOR = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-z]\)|\(?[ivx]{1,5}\))$")
MARKER_CONFIDENCE = 50.0
_ASCENT, _DESCENT = 0.85, 0.25  # of the type size, about the baseline
# Tesseract's commonest misreading: the pronoun "I" as a bar ("| am writing")
_PIPE_FOR_I = re.compile(r"(?<!\S)\|(?= [a-z])")
# what Tesseract reads a bullet glyph as, at the start of a line
_BULLET_READING = re.compile(r"^[¢*«»©°®·●▪•e](?:\s+|$)(?=\S|$)")


class OcrFailed(Exception):
    """Tesseract ran but could not read the page (its message says why)."""


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its lines and the mean word confidence (0-1)."""

    lines: list[Line]
    confidence: float


@cache
def ocr_unavailable() -> str:
    """Why OCR cannot run here ('' when it can)."""
    try:
        import pytesseract
    except ImportError:
        return "OCR needs the pytesseract package (pip install pytesseract)"
    try:
        pytesseract.get_tesseract_version()
    except Exception:  # pytesseract raises its own error or OSError when the program is missing
        return f"OCR needs the Tesseract program; {INSTALL_HINT}"
    return ""


def _properties(title: str) -> dict[str, list[float]]:
    """hOCR's title attribute ('bbox 1 2 3 4; x_wconf 96') as numbers by name."""
    found: dict[str, list[float]] = {}
    for name, values in _PROPERTY.findall(title):
        try:
            found[name] = [float(v) for v in values.split()]
        except ValueError:
            continue  # image file names and other text properties
    return found


def _line(element: ET.Element, page: int, page_height: float, scale: float) -> Line | None:
    """One hOCR line in PDF points (y up, as pdfium gives), with its words' mean confidence."""
    words = [
        (" ".join("".join(w.itertext()).split()), _properties(w.get("title", "")))
        for w in element.iter(f"{_XHTML}span")
        if w.get("class") == "ocrx_word"
    ]
    words = [(text, props) for text, props in words if text]
    if not words:
        return None
    props = _properties(element.get("title", ""))
    left, top_px, right, bottom_px = props["bbox"]
    size = props.get("x_size", [bottom_px - top_px])[0] * scale  # ascender to descender: ~1 em
    baseline = page_height - (bottom_px + props.get("baseline", [0.0, 0.0])[1]) * scale
    confidences = [p["x_wconf"][0] / 100 for _, p in words if "x_wconf" in p]
    text = _BULLET_READING.sub("• ", " ".join(text for text, _ in words))
    text = _PIPE_FOR_I.sub("I", text)
    return Line(
        text=text,
        x0=left * scale,
        x1=right * scale,
        # the box a text layer gives (the font's ascent and descent about the baseline), so
        # line gaps compare with the type size the same way
        top=baseline + _ASCENT * size,
        bottom=baseline - _DESCENT * size,
        size=round(size, 1),
        bold=False,
        page=page,
        confidence=fmean(confidences) if confidences else 0.0,
    )


def _join_hyphens(lines: list[Line]) -> list[Line]:
    """A word broken at a line end ('communit-' / 'ies') is joined as pdfium joins it: the
    hyphen goes and the line is marked hyphenated. A hyphen before a capital or a number stays."""
    for line, following in pairwise(lines):
        if line.is_table_row or following.is_table_row:
            continue
        if _BROKEN_WORD.search(line.text) and following.text[:1].islower():
            line.text = line.text[:-1]
            line.hyphenated = True
    return lines


def hocr_regions(
    hocr: bytes, page: int, page_height: float, dpi: int = OCR_DPI
) -> list[list[Line]]:
    """The lines of one page's hOCR, one list per text region Tesseract found (a column's
    block of paragraphs), in Tesseract's order."""
    root = ET.fromstring(hocr)
    scale = 72 / dpi
    regions = []
    for area in root.iter(f"{_XHTML}div"):
        if area.get("class") != "ocr_carea":
            continue
        lines = [
            line
            for element in area.iter(f"{_XHTML}span")
            if element.get("class") in _LINE_CLASSES
            if (line := _line(element, page, page_height, scale)) is not None
        ]
        if lines:
            regions.append(lines)
    return regions


def hocr_lines(hocr: bytes, page: int, page_height: float, dpi: int = OCR_DPI) -> list[Line]:
    """The lines of one page's hOCR, in Tesseract's order."""
    return [line for region in hocr_regions(hocr, page, page_height, dpi) for line in region]


def reading_order(regions: list[list[Line]], page_width: float) -> list[Line]:
    """Regions (text blocks and tables) in the order a reader takes them: top to bottom, and
    between two full-width regions the left column before the right. Tesseract orders blocks by
    position alone, so a column whose top is a table (painted out for its own reading) or a
    figure could start after the other column's first paragraph."""
    middle, slack = page_width / 2, 0.02 * page_width
    ordered: list[list[Line]] = []
    left: list[list[Line]] = []
    right: list[list[Line]] = []

    def flush() -> None:
        ordered.extend(left + right)
        left.clear()
        right.clear()

    for region in sorted(regions, key=lambda r: -max(line.top for line in r)):
        x0, x1 = min(line.x0 for line in region), max(line.x1 for line in region)
        if x1 <= middle + slack:
            left.append(region)
        elif x0 >= middle - slack:
            right.append(region)
        else:
            flush()
            ordered.append(region)
    flush()
    return [line for region in ordered for line in region]


def _word_boxes(hocr: bytes) -> list[tuple[int, int, int, int]]:
    root = ET.fromstring(hocr)
    boxes = []
    for word in root.iter(f"{_XHTML}span"):
        if word.get("class") == "ocrx_word" and "".join(word.itertext()).strip():
            x0, y0, x1, y1 = _properties(word.get("title", ""))["bbox"]
            boxes.append((int(x0), int(y0), int(x1), int(y1)))
    return boxes


@dataclass(frozen=True)
class _Marker:
    """A list marker Tesseract's layout analysis left out or read as a line of its own, in
    page pixels."""

    text: str
    x0: float
    x1: float
    middle: float  # vertical centre

    @classmethod
    def of_line(cls, line: Line, page_height: float, dpi: int) -> _Marker:
        """A line that is only an enumerator ('2.' hanging left of its heading), in pixels."""
        middle = (page_height - (line.top + line.bottom) / 2) * dpi / 72
        return cls(line.text, line.x0 * dpi / 72, line.x1 * dpi / 72, middle)


def _leftover_ink(image: Image.Image, words: list[tuple[int, int, int, int]]) -> Image.Image:
    """The page in black and white with every word Tesseract read painted out."""
    ink = image.point(lambda v: 0 if v < 128 else 255)
    draw = ImageDraw.Draw(ink)
    for x0, y0, x1, y1 in words:
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill=255)
    return ink


def _numbered_markers(ink: Image.Image, language: str) -> list[_Marker]:
    """Enumerators ('1.', '(a)', 'iv)') among what is left of the page: read as one block."""
    import pytesseract

    data = pytesseract.image_to_data(
        ink, lang=language, config="--psm 6", output_type=pytesseract.Output.DICT
    )
    markers = []
    for index, text in enumerate(data["text"]):
        text = text.strip()
        if _ENUMERATOR.match(text) and float(data["conf"][index]) >= MARKER_CONFIDENCE:
            left, top = data["left"][index], data["top"][index]
            width, height = data["width"][index], data["height"][index]
            markers.append(_Marker(text, left, left + width, top + height / 2))
    return markers


def _bullets(ink: Image.Image, size_px: float) -> list[_Marker]:
    """Round blobs the size of a bullet (0.2-0.6 of the type size), which Tesseract drops as
    noise when they hang left of the text."""
    from scipy import ndimage

    dark = np.asarray(ink) < 128
    labels, _ = ndimage.label(dark)
    found = []
    for box in ndimage.find_objects(labels):
        if box is None:
            continue
        rows, cols = box
        height, width = rows.stop - rows.start, cols.stop - cols.start
        if not (0.2 * size_px <= height <= 0.6 * size_px and 0.7 <= width / height <= 1.4):
            continue
        if dark[box].mean() >= 0.6:  # a disc fills about 0.79 of its box; a ring or tick less
            found.append(_Marker("•", cols.start, cols.stop, (rows.start + rows.stop) / 2))
    return found


def _attach_markers(
    lines: list[Line], markers: list[_Marker], page_height: float, dpi: int
) -> None:
    """Put each marker in front of the line it stands beside: same height, text to its right
    within four ems."""
    scale = 72 / dpi
    for marker in markers:
        middle = page_height - marker.middle * scale
        left, right = marker.x0 * scale, marker.x1 * scale
        beside = [
            line
            for line in lines
            if not line.is_table_row
            and line.bottom <= middle <= line.top
            and 0 <= line.x0 - right <= 4 * line.size
        ]
        if beside:
            line = min(beside, key=lambda ln: ln.x0 - right)
            line.text = f"{marker.text} {line.text}"
            line.x0 = left


def ocr_page(
    page: pdfium.PdfPage, number: int, dpi: int = OCR_DPI, language: str = OCR_LANGUAGE
) -> OcrPage:
    """Render one page at `dpi` and read it with Tesseract; then read the list markers its
    layout analysis left out (hanging bullets and numbers) from what is left of the page."""
    import pytesseract

    # Tesseract's OpenMP threads fight each other on a small machine (a page took 3x longer
    # with them); one thread per page is the setting its own documentation advises for batches
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    grids = find_grids(image)
    text_image = image.copy()
    for grid in grids:
        ImageDraw.Draw(text_image).rectangle(
            (grid.left - 4, grid.top - 4, grid.right + 4, grid.bottom + 4), fill=255
        )
    try:
        hocr = pytesseract.image_to_pdf_or_hocr(
            text_image, lang=language, extension="hocr", config="--psm 3"
        )
        height = page.get_height()
        regions = hocr_regions(hocr, number, height, dpi)
        lines = [line for region in regions for line in region]
        lone = [_Marker.of_line(ln, height, dpi) for ln in lines if _ENUMERATOR.match(ln.text)]
        regions = [[ln for ln in r if not _ENUMERATOR.match(ln.text)] for r in regions]
        regions = [region for region in regions if region]
        lines = [line for region in regions for line in region]
        if lines:
            ink = _leftover_ink(text_image, _word_boxes(hocr))
            size_px = median(line.size for line in lines) * dpi / 72
            markers = lone + _numbered_markers(ink, language) + _bullets(ink, size_px)
            _attach_markers(lines, markers, height, dpi)
        for grid in grids:
            rows = read_grid(image, grid, number, height, dpi, language)
            if rows:
                regions.append(rows)
        lines = reading_order(regions, page.get_width())
    except (pytesseract.TesseractError, ET.ParseError, KeyError) as exc:
        message = str(exc).strip().splitlines()
        raise OcrFailed(message[-1] if message else type(exc).__name__) from exc
    lines = _join_hyphens(lines)
    confidences = [line.confidence for line in lines if line.confidence is not None]
    return OcrPage(lines, fmean(confidences) if confidences else 0.0)
