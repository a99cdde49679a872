"""PDF: text from pdfium (fast, reads columns in order, joins line-end hyphens)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from docmine.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from docmine.extract.builder import RawBlock
from docmine.model import BlockKind


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocument("encrypted: a password is needed", str(path)) from exc
        raise CorruptDocument(f"corrupt: not a readable PDF ({exc})", str(path)) from exc


def read_pdf(path: Path, data: bytes) -> list[RawBlock]:
    """One paragraph block per run of lines, with its page number."""
    document = _open(path, data)
    blocks: list[RawBlock] = []
    try:
        for index in range(len(document)):
            text = document[index].get_textpage().get_text_range()
            lines = [line.strip() for line in text.replace("\r", "").split("\n")]
            paragraph: list[str] = []
            for line in [*lines, ""]:
                if line:
                    paragraph.append(line)
                if paragraph and (not line or line.endswith((".", ":", "?"))):
                    blocks.append(RawBlock(BlockKind.PARAGRAPH, " ".join(paragraph),
                                           page=index + 1))
                    paragraph = []
    finally:
        document.close()
    if not blocks:
        raise NoTextLayer("no text layer: scanned PDF; OCR is not enabled", str(path))
    return blocks
