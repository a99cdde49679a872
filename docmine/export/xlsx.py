"""XLSX (openpyxl): a filterable Register sheet, a Summary of counts by duty-holder and force, and
the Sources it cites with versions and hashes: a workbook people can hand to a board."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docmine.export.register import Register
from docmine.export.safety import looks_like_formula, xlsx_text
from docmine.model import FORCE_ORDER

FORCE_COLOURS = {
    "mandatory": "F4B6B6",
    "expectation": "FCE4B0",
    "suggestion": "CFE8CF",
    "none": "E7E7E7",
}
CHANGE_COLOURS = {"added": "CFE8CF", "removed": "F4B6B6", "changed": "FCE4B0"}
WIDTHS = {
    "clause_text": 80,
    "previous_text": 60,
    "change_detail": 36,
    "section_path": 40,
    "clause_ref": 12,
    "other_bodies": 30,
    "document_title": 36,
    "source_location": 40,
    "condition": 28,
    "deadline": 20,
    "deadline_normalised": 24,
    "deadline_period": 10,
    "deadline_anchor": 24,
    "duty": 24,
    "duty_law": 24,
    "cue": 20,
    "duty_holder": 26,
    "obligation_id": 15,
    "page": 7,
    "version": 9,
}
HEADER_FILL = PatternFill("solid", start_color="DDE3EA", end_color="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
NO_HOLDER = "(no duty-holder named)"


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell; text is stored as a string and never evaluated as a formula."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"  # openpyxl would otherwise read "=..." as a formula
        if looks_like_formula(value):
            cell.quotePrefix = True  # stays text even when a user edits the cell
    else:
        cell.value = value
    return cell


def row_height(values: list[Any], widths: list[int]) -> float:
    """Points for a row whose wrapped text fills `widths` (characters): spreadsheets do not
    grow rows to fit wrapped text written by openpyxl, so long clauses would overlap."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and value:
            per_line = max(int(width * 1.1), 1)
            wrapped = sum(math.ceil(max(len(part), 1) / per_line) for part in value.split("\n"))
            lines = max(lines, wrapped)
    return min(15.0 * lines + 2, 409.0)  # 409 pt is Excel's maximum row height


def write_table(
    sheet: Worksheet, header: tuple[str, ...], rows: list[list[Any]], widths: dict[str, int]
) -> None:
    """A header row (bold, frozen, filterable) and wrapped, top-aligned body rows."""
    for column, name in enumerate(header, start=1):
        cell = put(sheet, 1, column, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(name, 14)
    column_widths = [widths.get(name, 14) for name in header]
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, row_number, column, value).alignment = WRAP
        sheet.row_dimensions[row_number].height = row_height(values, column_widths)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    last = f"{get_column_letter(len(header))}{max(len(rows) + 1, 1)}"
    sheet.auto_filter.ref = f"A1:{last}"


def write_register_sheet(sheet: Worksheet, register: Register) -> None:
    columns = register.columns
    write_table(sheet, columns, [[row.get(c) for c in columns] for row in register.rows], WIDTHS)
    force_column = columns.index("force") + 1
    link_column = columns.index("source_location") + 1
    change_column = columns.index("change") + 1 if "change" in columns else 0
    for row_number, row in enumerate(register.rows, start=2):
        force_cell = sheet.cell(row_number, force_column)
        force_cell.fill = fill(FORCE_COLOURS.get(str(row["force"]), "FFFFFF"))
        location = str(row.get("source_location") or "")
        if location.startswith(("http://", "https://", "file:")):
            link = sheet.cell(row_number, link_column)
            link.hyperlink = location
            link.font = Font(color="0563C1", underline="single")
        if change_column and row.get("change") in CHANGE_COLOURS:
            sheet.cell(row_number, change_column).fill = fill(CHANGE_COLOURS[row["change"]])


def summary_counts(register: Register) -> list[list[Any]]:
    """One row per duty-holder (most obligations first): counts per force and a total."""
    counts: Counter[tuple[str, str]] = Counter(
        (row["duty_holder"] or NO_HOLDER, row["force"]) for row in register.rows
    )
    holders = Counter(row["duty_holder"] or NO_HOLDER for row in register.rows)
    forces = [f.value for f in FORCE_ORDER if any(f.value == k[1] for k in counts)]
    table = [
        [holder, *(counts[(holder, f)] for f in forces), total]
        for holder, total in sorted(holders.items(), key=lambda item: (-item[1], item[0]))
    ]
    table.append(
        ["Total", *(sum(counts[(h, f)] for h in holders) for f in forces), len(register.rows)]
    )
    return [["duty_holder", *forces, "total"], *table]


def write_summary_sheet(sheet: Worksheet, register: Register) -> None:
    header, *rows = summary_counts(register)
    write_table(sheet, tuple(header), rows, {"duty_holder": 40})
    for column, force in enumerate(header[1:-1], start=2):
        sheet.cell(1, column).fill = fill(FORCE_COLOURS.get(force, "FFFFFF"))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


SOURCE_COLUMNS = (
    "document_id",
    "title",
    "version",
    "published",
    "authority",
    "content_hash",
    "ingested_at",
    "source",
    "origin",
    "obligations",
)


def write_sources_sheet(sheet: Worksheet, register: Register) -> None:
    cited = Counter(
        (row["document_title"], row["version"]) for row in register.rows if "document_title" in row
    )
    rows = [
        [
            d.id,
            d.title,
            d.version,
            d.published,
            d.authority,
            d.content_hash,
            d.ingested_at,
            d.source,
            d.origin,
            cited[(d.title, d.version)],
        ]
        for d in register.documents
    ]
    write_table(
        sheet,
        SOURCE_COLUMNS,
        rows,
        {"title": 50, "source": 60, "content_hash": 24, "ingested_at": 26},
    )


def write_xlsx(register: Register, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Register"
    write_register_sheet(sheet, register)
    write_summary_sheet(workbook.create_sheet("Summary"), register)
    write_sources_sheet(workbook.create_sheet("Sources"), register)
    workbook.properties.title = register.title
    workbook.properties.creator = "docmine"
    workbook.save(path)
