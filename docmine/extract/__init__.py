"""Extraction: any supported file -> `Document` with blocks and provenance.

One reader per format, chosen by magic bytes first (a PDF named .txt is still a PDF) and then by
suffix."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from docmine.errors import EmptyDocument, NotFound, TooLarge, UnsupportedFormat
from docmine.extract.builder import RawBlock, assemble_document, file_hash
from docmine.extract.docx import read_docx
from docmine.extract.furniture import is_furniture
from docmine.extract.html import read_html
from docmine.extract.pdf import MAX_PAGES, MAX_SECONDS, metadata_title, read_pdf
from docmine.extract.text import read_text
from docmine.model import BlockKind, Document
from docmine.normalise import normalise

Reader = Callable[[Path, bytes], tuple[list[RawBlock], str]]


def _untitled(read: Callable[[Path, bytes], list[RawBlock]]) -> Reader:
    return lambda path, data: (read(path, data), "")


READERS: dict[str, Reader] = {
    "pdf": _untitled(read_pdf),  # extract() passes the page and time limits
    "html": read_html,
    "docx": read_docx,
    "text": read_text,
}
SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
}


def sniff_format(path: Path, head: bytes) -> str:
    """The format by content where it is unambiguous, else by suffix."""
    if head.startswith(b"%PDF"):
        return "pdf"
    suffix_format = SUFFIXES.get(path.suffix.lower())
    if head.startswith(b"PK\x03\x04") and suffix_format in (None, "docx"):
        return "docx"
    lowered = head[:512].lstrip().lower()
    if suffix_format in (None, "text") and lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix_format is None:
        raise UnsupportedFormat(
            f"unsupported file type {path.suffix or '(none)'}: use .txt, .md, .html, .pdf or .docx",
            str(path),
        )
    return suffix_format


TITLE_BLOCKS = 20  # a title the file's properties give is printed among its first blocks
TITLE_WORDS = 3  # shorter, it is a name or a section's heading Word took for the title


def _folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _confirmed_title(title: str, blocks: list[RawBlock]) -> str:
    """A PDF's own title ("Winter discharge: actions for systems") where its first blocks print
    it, so a letterhead's lines above it are not taken for it; a title the text does not print
    ("Microsoft Word - draft3.docx", "intelligentwatchreview") is no title."""
    folded = _folded(title)
    if len(folded.split()) < TITLE_WORDS or is_furniture(title):
        return ""  # "NHS England", "Executive summary", "Classification: Official"
    printed = any(
        b.kind != BlockKind.FURNITURE and _folded(b.text) == folded for b in blocks[:TITLE_BLOCKS]
    )
    return title if printed else ""


def read_document(
    path: Path,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    max_seconds: float | None = None,
    ocr: str = "auto",
) -> Document:
    """The extract stage: one file read into a Document as its reader saw it (not yet
    normalised); raises a DocmineError naming the file on bad input. `ocr` ("auto", "force" or
    "off") says when a PDF's pages are read by OCR."""
    if not path.is_file():
        if path.exists():  # a pipe, a socket, a device: nothing docmine can read as a document
            raise UnsupportedFormat("not a regular file (a pipe, socket or device?)", str(path))
        raise NotFound("not found: no such file", str(path))
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument("empty: the file has 0 bytes", str(path))
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(
            f"too large: {size / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            "(raise DOCMINE_MAX_FILE_MB to allow it)",
            str(path),
        )
    data = path.read_bytes()
    fmt = sniff_format(path, data[:1024])
    reader = READERS[fmt]
    if fmt == "pdf":
        reader = _untitled(
            partial(
                read_pdf,
                max_pages=max_pages or MAX_PAGES,
                max_seconds=max_seconds or MAX_SECONDS,
                ocr=ocr,
            )
        )
    raw_blocks, title = reader(path, data)
    if fmt == "pdf":
        title = _confirmed_title(metadata_title(data), raw_blocks)
    document = assemble_document(str(path), fmt, raw_blocks, file_hash(path), title)
    if not document.text.strip():
        raise EmptyDocument("empty: no text after extraction", str(path))
    return document


def extract(
    path: Path,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    max_seconds: float | None = None,
    ocr: str = "auto",
) -> Document:
    """One file read and normalised: the Document as analysis sees it (`read_document`, then
    `docmine.normalise.normalise`)."""
    return normalise(read_document(path, max_bytes, max_pages, max_seconds, ocr))
