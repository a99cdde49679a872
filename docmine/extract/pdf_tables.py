"""Ruled tables found from the page's own line and rectangle objects, read cell by cell.

A ruled grid is a set of thin horizontal and vertical strokes that touch each other; the rows
are the gaps between horizontal strokes and the columns the gaps between vertical ones. That is
enough for the tables guidance is written with, costs a few milliseconds, and keeps pdfplumber
(70 ms a page for its table finder) out of the hot path."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points

THIN = 2.5  # a stroke drawn as a rectangle is at most this thick
TOUCH = 2.0  # strokes this close are taken to meet
MAX_PATHS = 4000  # drawings with more objects than this are not tables worth finding
MAX_DEPTH = 3  # form XObjects can nest (or refer to themselves); look only this deep
# a line-end hyphen pdfium removed: U+FFFE in the page's text, U+0002 in a bounded part of it
_BREAK = re.compile("[\ufffe\x02]\r?\n|[\ufffe\x02]")
_NEWLINE = re.compile(r"\s*\r?\n\s*")
# a word too wide for a narrow cell is broken between letters ("N" / "o."): a line that is one
# or two characters followed by a lower-case line is such a break
_CHAR_WRAP = re.compile(r"(?:(?<=\n)|^)(\S{1,2})\r?\n(?=[a-z.])([a-z.])", re.MULTILINE)


@dataclass
class Table:
    bbox: Box
    rows: list[list[Box]]  # top row first; cells left to right


def _strokes(page: pdfium.PdfPage) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical thin strokes among the page's path objects."""
    horizontal: list[Box] = []
    vertical: list[Box] = []
    objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=MAX_DEPTH)
    for obj in itertools.islice(objects, MAX_PATHS):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= THIN and width > 3 * THIN:
            horizontal.append((left, bottom, right, top))
        elif width <= THIN and height > THIN:
            vertical.append((left, bottom, right, top))
    return horizontal, vertical


def _touches(a: Box, b: Box) -> bool:
    return (
        a[0] - TOUCH <= b[2]
        and b[0] - TOUCH <= a[2]
        and a[1] - TOUCH <= b[3]
        and b[1] - TOUCH <= a[3]
    )


def _groups(boxes: list[Box]) -> list[list[Box]]:
    """Connected sets of strokes (each stroke joins the first group it touches; groups merge)."""
    groups: list[list[Box]] = []
    for box in boxes:
        hits = [g for g in groups if any(_touches(box, other) for other in g)]
        merged = [box, *itertools.chain.from_iterable(hits)]
        groups = [g for g in groups if not any(g is h for h in hits)]
        groups.append(merged)
    return groups


def _positions(values: list[float]) -> list[float]:
    """Distinct coordinates, strokes within TOUCH of each other counted once."""
    distinct: list[float] = []
    for value in sorted(values):
        if not distinct or value - distinct[-1] > TOUCH:
            distinct.append(value)
    return distinct


def _grid(group: list[Box]) -> Table | None:
    """The table a group of strokes rules, if it has at least two columns and one row. A ruled
    box of one column is a text box (a "Key actions" panel, a callout): its text is read as the
    page's own lines, so its heading stays a heading and its bullets list items."""
    xs = _positions([(b[0] + b[2]) / 2 for b in group if b[2] - b[0] <= THIN])
    ys = _positions([(b[1] + b[3]) / 2 for b in group if b[3] - b[1] <= THIN])
    if len(xs) < 3 or len(ys) < 2:
        return None
    verticals = [b for b in group if b[2] - b[0] <= THIN]
    rows = [
        _spanned([(x0, y0, x1, y1) for x0, x1 in itertools.pairwise(xs)], verticals)
        for y0, y1 in reversed(list(itertools.pairwise(ys)))
    ]
    return Table((xs[0], ys[0], xs[-1], ys[-1]), rows)


def _spanned(cells: list[Box], verticals: list[Box]) -> list[Box]:
    """A row's cells, those that no ruled line divides in this row merged: a section row set
    across the table ("SC5 Patient Safety") is one cell, not its words cut at the column lines."""
    merged = [cells[0]]
    for cell in cells[1:]:
        left, bottom, _, top = cell
        middle = (bottom + top) / 2
        divided = any(
            abs((b[0] + b[2]) / 2 - left) <= TOUCH and b[1] - TOUCH <= middle <= b[3] + TOUCH
            for b in verticals
        )
        if divided:
            merged.append(cell)
        else:
            merged[-1] = (merged[-1][0], merged[-1][1], cell[2], merged[-1][3])
    return merged


def find_tables(page: pdfium.PdfPage) -> list[Table]:
    """Ruled tables on the page, top first."""
    horizontal, vertical = _strokes(page)
    if len(horizontal) < 2 or not vertical:
        return []
    tables = [t for g in _groups(horizontal + vertical) if (t := _grid(g)) is not None]
    return sorted(tables, key=lambda t: -t.bbox[3])


def cell_text(textpage: pdfium.PdfTextPage, box: Box) -> str:
    """The text inside one cell, its wrapped lines joined; a line-end hyphen pdfium removed is
    marked U+FFFE, as in body text, for normalisation to restore or close up
    (`restore_compound_hyphens`: "step-" / "down" is step-down, "prema-" / "ture" premature)."""
    left, bottom, right, top = box
    text = textpage.get_text_bounded(left + 0.5, bottom + 0.5, right - 0.5, top - 0.5)
    text = _CHAR_WRAP.sub(r"\1\2", _BREAK.sub("\ufffe", text).strip())
    return _NEWLINE.sub(" ", text)
