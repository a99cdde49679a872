"""Word files (python-docx): headings by style, list items by numbering, tables as rows."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from docx import Document as open_docx
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from lxml import etree

from docmine.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from docmine.extract.builder import RawBlock, nest_bold_headings
from docmine.extract.text import provision_block, reads_as_heading
from docmine.model import BlockKind

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)", re.IGNORECASE)


def _paragraph_block(paragraph: Paragraph) -> RawBlock:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = paragraph.text
    if m := _HEADING_STYLE.match(style):
        return RawBlock(BlockKind.HEADING, text, level=int(m.group(1)))
    if style.lower() == "title":
        return RawBlock(BlockKind.HEADING, text, level=1)
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if numbered or "list" in style.lower():
        return RawBlock(BlockKind.LIST_ITEM, text, level=_list_level(paragraph, style), marker="•")
    if _set_in_bold(paragraph) and reads_as_heading(text):
        # a heading typed in bold rather than given a heading style: level 0 until
        # `nest_bold_headings` puts it under the styled heading before it
        return RawBlock(BlockKind.HEADING, text, level=0)
    return provision_block(text)


def _list_level(paragraph: Paragraph, style: str) -> int:
    """A list paragraph's depth: its numbering level (w:ilvl, 0 at the top) plus one, else the
    number its list style ends in ("List Bullet 2"), else 1."""
    level = paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    if level and str(level[0]).isdigit():
        return int(level[0]) + 1
    number = re.search(r"\s(\d)$", style)
    return int(number.group(1)) if number else 1


def _set_in_bold(paragraph: Paragraph) -> bool:
    """Whether every run with words is bold (directly or through its character style), the
    runs of its hyperlinks included."""
    runs = [
        run
        for item in paragraph.iter_inner_content()
        for run in (item.runs if isinstance(item, Hyperlink) else [item])
        if run.text.strip()
    ]
    return bool(runs) and all(
        run.bold or (run.style is not None and run.style.font.bold) for run in runs
    )


def _table_blocks(table: Table) -> list[RawBlock]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = cell.text.strip()
            if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                cells.append(value)
        rows.append(RawBlock(BlockKind.TABLE_ROW, "\t".join(cells)))
    return rows


# What a damaged archive raises from zipfile, zlib and lxml: a bad directory, a truncated or
# corrupt member (EOFError, zlib.error), an unsupported zip version or compression
# (NotImplementedError), an encrypted member (RuntimeError), broken XML
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    etree.LxmlError,
)


def read_docx(path: Path, data: bytes) -> tuple[list[RawBlock], str]:
    """Blocks of a .docx in body order, and its core-properties title."""
    if data.startswith(_OLE_MAGIC):
        # Word wraps a password-protected .docx in an OLE container (so does a legacy .doc)
        raise EncryptedDocument(
            "encrypted: a password is needed (or it is a legacy .doc: save it as .docx)",
            str(path),
        )
    try:
        document = open_docx(io.BytesIO(data))
        blocks: list[RawBlock] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(_paragraph_block(item))
            else:
                blocks.extend(_table_blocks(item))
        title = document.core_properties.title or ""
    except _BROKEN_ZIP as exc:
        reason = str(exc) or type(exc).__name__
        raise CorruptDocument(f"corrupt: not a readable Word file ({reason})", str(path)) from exc
    if not any(b.text.strip() for b in blocks):
        raise EmptyDocument("empty: the Word file has no text", str(path))
    return nest_bold_headings(blocks), title
