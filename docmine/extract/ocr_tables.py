"""Ruled tables on a scanned page: found from their rules, read cell by cell.

Tesseract's page layout reads a ruled table across its columns and out of order, so tables are
found first, from long horizontal and vertical rules (a morphological opening per axis, as
table-finding tools such as img2table do), painted out of the page, and read as one block whose
words are put into the cells the rules draw. A filled header row (white type on a dark fill)
is inverted before reading."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean
from typing import Any

import numpy as np
from PIL import Image

from docmine.extract.pdf_lines import Line

INK = 200  # grey level below which a pixel is ink (rules are often grey)
H_RULE = 0.06  # of the page width: the shortest horizontal rule
V_RULE = 0.02  # of the page width: the shortest vertical rule
MIN_RULES = 2  # a table has at least this many horizontal and this many vertical rules
FILL_ROWS = 12  # pixel rows: a filled header is at least this tall, a rule thinner


@dataclass(frozen=True)
class Grid:
    """One ruled table in page pixels: its box and the rules' positions."""

    left: int
    top: int
    right: int
    bottom: int
    rows: tuple[int, ...]  # y of each horizontal rule, top to bottom
    columns: tuple[int, ...]  # x of each vertical rule, left to right


def _opening(ink: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Runs of ink at least `size` long along `axis` (erode then dilate, O(n) per pass); none
    when `size` is under two pixels (a page too small to hold a rule: a 4-point image page)."""
    from scipy import ndimage

    if size < 2:
        return np.zeros(ink.shape, dtype=bool)

    eroded = ndimage.minimum_filter1d(ink, size, axis=axis)
    return ndimage.maximum_filter1d(eroded, size, axis=axis).astype(bool)


def _positions(mask: np.ndarray) -> tuple[int, ...]:
    """The middle of each run of True in a 1-D mask (a rule); both edges of a long run (a filled
    header row is a band of "rule", and its text lies inside it)."""
    found: list[int] = []
    start = None
    for index, value in enumerate([*mask.tolist(), False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            if index - start >= FILL_ROWS:
                found.extend((start, index - 1))
            else:
                found.append((start + index - 1) // 2)
            start = None
    return tuple(found)


def find_grids(image: Image.Image) -> list[Grid]:
    """Ruled tables: connected rules with two or more horizontal and vertical rules."""
    from scipy import ndimage

    pixels = np.asarray(image)
    ink = (pixels < INK).astype(np.uint8)
    width = pixels.shape[1]
    horizontal = _opening(ink, int(width * H_RULE), axis=1)
    vertical = _opening(ink, int(width * V_RULE), axis=0)
    labels, _ = ndimage.label(horizontal | vertical, structure=np.ones((3, 3), bool))
    grids = []
    for box in ndimage.find_objects(labels):
        if box is None:
            continue
        ys, xs = box
        rows = _positions(horizontal[box].mean(axis=1) > 0.5)
        columns = _positions(vertical[box].mean(axis=0) > 0.5)
        if len(rows) >= MIN_RULES and len(columns) >= MIN_RULES:
            grids.append(
                Grid(
                    xs.start,
                    ys.start,
                    xs.stop,
                    ys.stop,
                    tuple(ys.start + r for r in rows),
                    tuple(xs.start + c for c in columns),
                )
            )
    return grids


def _lightened(crop: Image.Image, page_width: int) -> Image.Image:
    """The table's text alone: filled rows (a dark header) inverted so every cell is dark on
    light, and the rules painted out (Tesseract reads a rule through a word as letters)."""
    pixels = np.asarray(crop).copy()
    filled = _runs_of(np.asarray((pixels < INK).mean(axis=1) > 0.5), FILL_ROWS)
    if filled.any():
        # light type on the fill becomes black, the fill white
        light = (int(np.median(pixels[filled])) + 255) // 2
        pixels[filled] = np.where(pixels[filled] >= light, 0, 255).astype(np.uint8)
    ink = (pixels < INK).astype(np.uint8)
    rules = _opening(ink, int(page_width * H_RULE), axis=1)
    rules |= _opening(ink, int(page_width * V_RULE), axis=0)
    pixels[rules] = 255
    return Image.fromarray(pixels)


def _runs_of(mask: np.ndarray, length: int) -> np.ndarray:
    """The True runs of a 1-D mask that are at least `length` long (a fill, not a rule)."""

    return _opening(mask.astype(np.uint8), length, axis=0) if len(mask) >= length else mask & False


def _bands(rules: tuple[int, ...], start: int, stop: int) -> list[tuple[int, int]]:
    """The spaces between rules (and the table's edges), wider than a few pixels."""
    edges = sorted({start, *rules, stop})
    return [(a, b) for a, b in pairwise(edges) if b - a > 6]


def read_grid(
    image: Image.Image, grid: Grid, page: int, page_height: float, dpi: int, language: str
) -> list[Line]:
    """The table's rows as table-row lines (cells in order, empty cells left out), in points."""
    import pytesseract

    crop = _lightened(image.crop((grid.left, grid.top, grid.right, grid.bottom)), image.width)
    data: dict[str, list[Any]] = pytesseract.image_to_data(
        crop, lang=language, config="--psm 6", output_type=pytesseract.Output.DICT
    )
    rows = _bands(tuple(r - grid.top for r in grid.rows), 0, grid.bottom - grid.top)
    columns = _bands(tuple(c - grid.left for c in grid.columns), 0, grid.right - grid.left)
    cells: dict[tuple[int, int], list[tuple[tuple[int, int, int, int], str, float]]] = {}
    for index, text in enumerate(data["text"]):
        if not text.strip():
            continue
        x = data["left"][index] + data["width"][index] / 2
        y = data["top"][index] + data["height"][index] / 2
        row = next((i for i, (a, b) in enumerate(rows) if a <= y < b), None)
        column = next((i for i, (a, b) in enumerate(columns) if a <= x < b), None)
        if row is None or column is None:
            continue
        order = (
            data["block_num"][index],
            data["par_num"][index],
            data["line_num"][index],
            data["word_num"][index],
        )
        cells.setdefault((row, column), []).append(
            (order, text.strip(), float(data["conf"][index]))
        )
    scale = 72 / dpi
    lines = []
    for r, (top, bottom) in enumerate(rows):
        texts = []
        confidences: list[float] = []
        for c in range(len(columns)):
            words = sorted(cells.get((r, c), []))
            if words:
                texts.append(" ".join(w for _, w, _ in words))
                confidences.extend(conf / 100 for _, _, conf in words if conf >= 0)
        if texts:
            lines.append(
                Line(
                    "\t".join(texts),
                    grid.left * scale,
                    grid.right * scale,
                    page_height - (grid.top + top) * scale,
                    page_height - (grid.top + bottom) * scale,
                    0.0,
                    False,
                    page,
                    cells=tuple(texts),
                    confidence=fmean(confidences) if confidences else 0.0,
                )
            )
    return lines
