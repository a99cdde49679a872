"""XLSX (openpyxl): a filterable Register sheet people can hand to a board."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from docmine.export.register import COLUMNS, RegisterRow
from docmine.export.safety import safe_cell

FORCE_COLOURS = {
    "mandatory": "F4B6B6",
    "expectation": "FCE4B0",
    "suggestion": "CFE8CF",
    "none": "E7E7E7",
}
WIDTHS = {
    "clause_text": 80,
    "section_path": 40,
    "other_bodies": 30,
    "document_title": 36,
    "source_location": 40,
    "condition": 28,
    "cue": 20,
    "duty_holder": 26,
}


def write_xlsx(rows: Sequence[RegisterRow], path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(row[c]) for c in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    force_column = COLUMNS.index("force") + 1
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
        force_cell = cells[force_column - 1]
        colour = FORCE_COLOURS.get(str(force_cell.value), "FFFFFF")
        force_cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)
