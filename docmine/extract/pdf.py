"""PDF: pdfium for text and layout (fast, columns in order, line-end hyphens joined); Tesseract
OCR for scanned pages (`ocr`); pdfplumber only as a fallback for files pdfium refuses but
pdfminer can read, and for pages whose text pdfium garbles (a font without a usable map to
Unicode).

Hostile files are expected: page counts can lie, page trees can loop, form XObjects can refer to
themselves. Reading is bounded in pages, in consecutive page failures and in wall time."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from docmine.errors import (
    CorruptDocument,
    DocmineError,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    OcrUnavailable,
    TimedOut,
    TooLarge,
)
from docmine.extract.builder import RawBlock
from docmine.extract.ocr import OCR_MODES, OcrFailed, ocr_page, ocr_unavailable
from docmine.extract.pdf_layout import PageLines, assemble
from docmine.extract.pdf_lines import Line, invisible_text, page_lines
from docmine.model import BlockKind

MAX_PAGES = 5000
MAX_SECONDS = 300.0
# the per-file time limit buys this many pages of reading; a longer PDF gets the limit once per
# started PAGES_PER_LIMIT pages (OCR reads about 3 s a page on 2 cores, so a long scan is not cut
# off for being long; it still has a bound)
PAGES_PER_LIMIT = 50
MAX_PAGE_FAILURES = 3  # consecutive pages that will not load: the page tree is lying or broken
SCANNED = "no text layer: scanned PDF"
SCAN_COVER = 0.5  # an image over this share of the page makes it a scan
SCAN_TEXT_CHARS = 20  # a scan's own text layer may hold a stamp or page number, no more
# a text layer whose characters are this share control or private-use codes is glyph numbers
# read without the font's map to Unicode (mojibake: "3HQČåQt\x03SURVWĜHGN")
GARBLED_SHARE = 0.02


def seconds_for(pages: int, max_seconds: float) -> float:
    """The time reading a PDF of `pages` pages may take: `max_seconds` per started
    PAGES_PER_LIMIT pages."""
    return max_seconds * max(1, -(-pages // PAGES_PER_LIMIT))


def page_count(path: Path) -> int:
    """The pages a PDF says it has (0 when it cannot be opened: the reader then says why)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError):
        return 0
    try:
        return len(document)
    finally:
        document.close()


class _Budget:
    """Pages and seconds left for one file; checked once per page."""

    def __init__(self, path: Path, max_pages: int, max_seconds: float) -> None:
        self.path = path
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.deadline = time.monotonic() + max_seconds

    def check(self, index: int) -> None:
        if index >= self.max_pages:
            raise TooLarge(
                f"too large: more than {self.max_pages} pages "
                "(raise DOCMINE_MAX_PAGES to allow it)",
                str(self.path),
            )
        if time.monotonic() > self.deadline:
            raise TimedOut(
                f"timed out: reading stopped at page {index + 1} after {self.max_seconds:.0f} s "
                "(raise DOCMINE_MAX_SECONDS_PER_FILE to allow more)",
                str(self.path),
            )


def _open_error(path: Path, exc: Exception) -> DocmineError:
    message = str(exc).lower()
    if "password" in message:
        return EncryptedDocument("encrypted: a password is needed", str(path))
    return CorruptDocument(f"corrupt: not a readable PDF ({exc})", str(path))


def _image_cover(page: pdfium.PdfPage) -> float:
    """The largest share of the page one image covers."""
    area = page.get_width() * page.get_height() or 1.0
    cover = 0.0
    for image in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = image.get_bounds()
        cover = max(cover, (right - left) * (top - bottom) / area)
    return cover


def _is_scan(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, lines: list[Line]) -> bool:
    """A page that shows a scan: an image over most of it, and no text layer of its own beyond a
    stamp, or only an invisible one (an OCR layer some other tool laid over the image)."""
    chars = sum(len(line.text) for line in lines)
    if chars > SCAN_TEXT_CHARS and not invisible_text(textpage):
        return False
    return _image_cover(page) >= SCAN_COVER


class _Ocr:
    """The OCR mode of one file, and what happened to its scanned pages."""

    def __init__(self, path: Path, mode: str) -> None:
        if mode not in OCR_MODES:
            raise ValueError(f"ocr mode {mode!r} is not one of {', '.join(OCR_MODES)}")
        self.path = path
        self.mode = mode
        self.skipped = 0  # scanned pages left unread (OCR off or unavailable)

    def wanted(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, lines: list[Line]) -> bool:
        if self.mode == "force":
            if reason := ocr_unavailable():
                raise OcrUnavailable(f"--ocr force: {reason}", str(self.path))
            return True
        scan = self.mode == "auto" and _is_scan(page, textpage, lines)
        if scan and ocr_unavailable():
            self.skipped += 1
            return False
        if self.mode == "off" and not lines and _image_cover(page) >= SCAN_COVER:
            self.skipped += 1
        return scan

    def read(self, page: pdfium.PdfPage, number: int) -> list[Line]:
        try:
            return ocr_page(page, number).lines
        except OcrFailed as exc:
            raise CorruptDocument(f"OCR failed on page {number}: {exc}", str(self.path)) from exc

    def reason(self) -> str:
        if self.mode == "off":
            return "OCR is off (--ocr auto reads scanned pages)"
        return ocr_unavailable()


def garbled(lines: list[Line]) -> bool:
    """Whether a page's text is glyph numbers rather than characters: C0 controls (other than
    tabs) or private-use codes make up a share of it no real text has."""
    text = "".join(line.text for line in lines)
    odd = sum(1 for c in text if (c < " " and c != "\t") or "\ue000" <= c <= "\uf8ff")
    return bool(text) and odd >= GARBLED_SHARE * len(text)


class _Rescue:
    """pdfminer's reading of the pages whose text pdfium garbles (it applies the font's own
    encoding where the map to Unicode is missing or wrong), opened once, when first needed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf: Any = None
        self.unreadable = False  # pdfminer could not open the file: not tried again per page

    def lines(self, index: int, number: int) -> list[Line] | None:
        import pdfplumber  # imported late: slow to import and rarely needed

        if self.unreadable:
            return None
        try:
            self.pdf = self.pdf or pdfplumber.open(io.BytesIO(self.data))
        except Exception:  # pdfminer raises many types for a file it cannot read
            self.unreadable = True
            return None
        try:
            lines = _pdfplumber_laid_lines(self.pdf.pages[index], number)
        except Exception:  # nor can it always read a page of one it opened
            return None
        return lines if lines and not garbled(lines) else None

    def close(self) -> None:
        if self.pdf is not None:
            with suppress(Exception):
                self.pdf.close()


def _bold(char: dict[str, Any]) -> bool:
    return "bold" in str(char.get("fontname", "")).lower()


def _pdfplumber_laid_lines(page: Any, number: int) -> list[Line]:
    """pdfminer's lines with their boxes (in PDF points, y upwards, as pdfium gives them), the
    size their characters are printed at, and whether they are set in bold, so they go through
    the same layout as pdfium's: furniture bands, headings, paragraphs."""
    height = float(page.height)
    lines = []
    for row in page.extract_text_lines(return_chars=True):
        chars = [c for c in row["chars"] if str(c.get("text", "")).strip()]
        if not chars or not row["text"].strip():
            continue
        sizes = sorted(float(c.get("size", 0.0)) for c in chars)
        words = [c for c in chars if str(c["text"]).isalnum()] or chars
        lines.append(
            Line(
                row["text"].strip(),
                float(row["x0"]),
                float(row["x1"]),
                height - float(row["top"]),
                height - float(row["bottom"]),
                sizes[len(sizes) // 2] or 10.0,
                _bold(words[0]) and _bold(words[-1]),
                number,
            )
        )
    return lines


def _pdfium_pages(
    document: pdfium.PdfDocument, budget: _Budget, ocr: _Ocr, rescue: _Rescue
) -> Iterator[PageLines | None]:
    """Each page's lines, or None for a page that failed to load; stops at a run of failures.
    A page whose text comes out garbled is read by pdfminer instead, when it does better."""
    failures = 0
    for index in range(len(document)):
        budget.check(index)
        try:
            page = document[index]
        except pdfium.PdfiumError:
            failures += 1
            if failures >= MAX_PAGE_FAILURES:
                return
            yield None
            continue
        failures = 0
        try:
            textpage = page.get_textpage()
            lines = page_lines(page, index + 1, textpage)
            if garbled(lines):
                lines = rescue.lines(index, index + 1) or lines
            if ocr.wanted(page, textpage, lines):
                # OCR that reads nothing keeps the page's own text (a caption over an image)
                lines = ocr.read(page, index + 1) or lines
            yield PageLines(index + 1, page.get_height(), lines)
        finally:
            page.close()


def _has_images(document: pdfium.PdfDocument, pages: int) -> bool:
    """Does any of the first pages hold an image (so no text means a scan, not an empty page)?"""
    for index in range(min(pages, 20, len(document))):
        page = document[index]
        try:
            if any(
                True for _ in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3)
            ):
                return True
        finally:
            page.close()
    return False


def _zero_pages(path: Path, data: bytes) -> DocmineError:
    """No page: a file cut short (no "%%EOF" near its end, as a broken download) is corrupt; a
    whole file with no page is empty."""
    if b"%%EOF" not in data[-2048:]:
        return CorruptDocument(
            "corrupt: the PDF is cut short (no end-of-file marker) and no page could be read",
            str(path),
        )
    return EmptyDocument("empty: the PDF has zero pages", str(path))


def _no_text_error(
    path: Path, data: bytes, document: pdfium.PdfDocument, pages: int, ocr: _Ocr
) -> DocmineError:
    if pages == 0:
        return _zero_pages(path, data)
    if ocr.skipped or _has_images(document, pages):
        return NoTextLayer(f"{SCANNED}; {ocr.reason() or 'OCR found no text'}", str(path))
    return EmptyDocument("empty: no text on any page (blank or vector-only pages)", str(path))


def _read_with_pdfium(
    path: Path, data: bytes, document: pdfium.PdfDocument, budget: _Budget, ocr: _Ocr
) -> list[RawBlock]:
    pages: list[PageLines] = []
    failed = 0
    rescue = _Rescue(data)
    try:
        for page in _pdfium_pages(document, budget, ocr, rescue):
            if page is None:
                failed += 1
            else:
                pages.append(page)
    finally:
        rescue.close()
    if any(p.lines for p in pages):
        return assemble(pages)
    if failed:
        return _read_with_pdfplumber(path, data, budget, pdfium_error=None)
    raise _no_text_error(path, data, document, len(pages), ocr)


def _pdfplumber_lines(page: object, number: int) -> list[Line]:
    """Plain lines from pdfplumber: no fonts needed, it only rescues what pdfium cannot open."""
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    return [
        Line(row.strip(), 0.0, 0.0, 0.0, 0.0, 10.0, False, number)
        for row in text.splitlines()
        if row.strip()
    ]


def _read_with_pdfplumber(
    path: Path, data: bytes, budget: _Budget, pdfium_error: Exception | None
) -> list[RawBlock]:
    """Read what pdfminer can; pdfium's own error stands if pdfminer cannot open the file."""
    import pdfplumber  # imported late: slow to import and rarely needed

    try:
        paragraphs, pages = _pdfplumber_paragraphs(pdfplumber.open(io.BytesIO(data)), budget)
    except DocmineError:
        raise
    except Exception as exc:  # pdfminer raises many types for a broken file, even mid-page
        raise _open_error(path, pdfium_error or exc) from exc
    if not pages:
        raise _zero_pages(path, data)
    if not paragraphs:
        raise EmptyDocument("empty: no text on any page", str(path))
    return paragraphs


def _pdfplumber_paragraphs(pdf: Any, budget: _Budget) -> tuple[list[RawBlock], int]:
    """One paragraph per page of text, and the page count; the file is closed whatever happens
    (closing a broken file can raise too)."""
    try:
        paragraphs: list[RawBlock] = []
        for index, page in enumerate(pdf.pages):
            budget.check(index)
            lines = _pdfplumber_lines(page, index + 1)
            if lines:
                text = " ".join(line.text for line in lines)
                paragraphs.append(RawBlock(BlockKind.PARAGRAPH, text, page=index + 1))
        return paragraphs, len(pdf.pages)
    finally:
        with suppress(Exception):
            pdf.close()


def metadata_title(data: bytes) -> str:
    """The title in a PDF's document information ("" if none or unreadable)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return ""
    try:
        return str(document.get_metadata_dict().get("Title") or "").strip()
    finally:
        document.close()


def read_pdf(
    path: Path,
    data: bytes,
    max_pages: int = MAX_PAGES,
    max_seconds: float = MAX_SECONDS,
    ocr: str = "auto",
) -> list[RawBlock]:
    """Blocks in reading order, each with its page; raises a DocmineError for unreadable files.

    `ocr`: "auto" reads scanned pages with Tesseract, "force" reads every page so, "off" never."""
    reader = _Ocr(path, ocr)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        budget = _Budget(path, max_pages, max_seconds)
        return _read_with_pdfplumber(path, data, budget, pdfium_error=exc)
    budget = _Budget(path, max_pages, seconds_for(len(document), max_seconds))
    try:
        return _read_with_pdfium(path, data, document, budget, reader)
    finally:
        document.close()
