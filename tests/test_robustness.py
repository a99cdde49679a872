"""Every file of the shared robustness corpus behaves as MANIFEST.tsv's `expected` column says:
the right error type for encrypted and corrupt files, text where there is text, and NoTextLayer
or EmptyDocument where there is none, each within a time guard (no hangs on hostile files).
The manifest describes text layers, so files are read with OCR off (tests/test_ocr.py reads the
scans)."""

from __future__ import annotations

import csv
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from docmine.errors import (
    CorruptDocument,
    DocmineError,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
)
from docmine.extract.builder import RawBlock
from docmine.extract.pdf import read_pdf

ROBUSTNESS = Path(__file__).resolve().parents[2] / "shared" / "robustness"
MANIFEST = ROBUSTNESS / "MANIFEST.tsv"
GUARD_SECONDS = 30  # far above the slowest file (about 0.5 s); a hang fails instead of blocking CI


def _manifest() -> list[tuple[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8") as handle:
        return [(row["file"], row["expected"]) for row in csv.DictReader(handle, delimiter="\t")]


pytestmark = pytest.mark.skipif(
    not MANIFEST.is_file(), reason=f"robustness corpus not found at {ROBUSTNESS} (../shared)"
)


@pytest.fixture
def time_guard() -> Iterator[None]:
    """Fail the test, rather than hang the run, if one file takes far too long."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _outcome(path: Path) -> list[RawBlock] | DocmineError:
    try:
        return read_pdf(path, path.read_bytes(), max_seconds=GUARD_SECONDS / 2, ocr="off")
    except DocmineError as exc:
        return exc


def _has_text(outcome: list[RawBlock] | DocmineError) -> bool:
    return isinstance(outcome, list) and any(block.text.strip() for block in outcome)


def _check(expected: str, outcome: list[RawBlock] | DocmineError) -> None:
    if expected.startswith("error: encrypted"):
        assert isinstance(outcome, EncryptedDocument), outcome
    elif expected.startswith("error: corrupt"):
        assert isinstance(outcome, CorruptDocument), outcome
    elif expected.startswith("no-text"):
        assert isinstance(outcome, NoTextLayer | EmptyDocument), outcome
    elif expected.startswith("libraries disagree"):
        # pdfium refuses the file and pdfminer reads it: either answer is honest, a crash is not
        assert _has_text(outcome) or isinstance(outcome, EncryptedDocument), outcome
    else:
        assert expected.startswith("text"), f"unknown expectation {expected!r}"
        assert _has_text(outcome), outcome


@pytest.mark.slow
@pytest.mark.parametrize(("name", "expected"), _manifest(), ids=[n for n, _ in _manifest()])
def test_file_behaves_as_manifest_says(name: str, expected: str, time_guard: None) -> None:
    _check(expected, _outcome(ROBUSTNESS / "pdfs" / name))


def test_error_messages_are_one_line() -> None:
    outcome = _outcome(ROBUSTNESS / "pdfs" / "ours__random-bytes.pdf")
    assert isinstance(outcome, CorruptDocument)
    assert "\n" not in str(outcome) and outcome.message.startswith("corrupt:")


def test_lying_page_count_reads_the_one_real_page() -> None:
    outcome = _outcome(ROBUSTNESS / "pdfs" / "ours__lying-page-count.pdf")
    assert isinstance(outcome, list)
    assert [block.page for block in outcome] == [1]


def test_scanned_pdf_with_ocr_off_says_how_to_read_it() -> None:
    outcome = _outcome(ROBUSTNESS / "pdfs" / "ours__scanned-guidance.pdf")
    assert isinstance(outcome, NoTextLayer)
    assert outcome.message == (
        "no text layer: scanned PDF; OCR is off (--ocr auto reads scanned pages)"
    )


def test_a_page_pdfium_reads_as_glyph_numbers_is_read_by_pdfminer() -> None:
    # a font without a usable map to Unicode: pdfium gives '3HQČåQt\x03SURVWĜHGN...'
    outcome = _outcome(ROBUSTNESS / "pdfs" / "pdfminersix__issue-791-non-unicode-cmap.pdf")
    assert isinstance(outcome, list)
    assert [(b.text, b.page) for b in outcome] == [("Peněžní prostředky na účtech", 1)]


def test_garbled_text_is_told_from_real_text() -> None:
    from docmine.extract.pdf import garbled
    from docmine.extract.pdf_lines import Line

    def line(text: str) -> Line:
        return Line(text, 0.0, 0.0, 0.0, 0.0, 10.0, False, 1)

    assert garbled([line("3HQČåQt\x03SURVWĜHGN\\\x03QD\x03~þWHFK")])
    assert garbled([line("\ue001\ue002\ue003 text")])
    assert not garbled([line("Peněžní prostředky\tna účtech"), line("ICBs must publish")])
    assert not garbled([])


def test_a_rescued_page_keeps_its_lines_boxes_sizes_and_order() -> None:
    # pdfminer's lines go through pdfium's layout (furniture bands, headings): they need their
    # boxes in PDF points (y upwards) and printed sizes, not zeros
    import pdfplumber

    from docmine.extract.pdf import _pdfplumber_laid_lines

    path = ROBUSTNESS / "pdfs" / "pdfminersix__issue-791-non-unicode-cmap.pdf"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        (line,) = _pdfplumber_laid_lines(page, 1)
        height = float(page.height)
    assert line.text == "Peněžní prostředky na účtech" and line.page == 1
    assert 0 < line.bottom < line.top <= height and line.x0 < line.x1 and line.size > 4
