"""Neutralise spreadsheet formula injection (OWASP "CSV injection").

In CSV a cell starting with = + - @ (or tab / carriage return) is prefixed with an apostrophe so
Excel and LibreOffice show it as text. XLSX keeps the text exact: the exporter stores such cells
as strings with the quote-prefix style, which spreadsheets never evaluate."""

from __future__ import annotations

import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids; openpyxl refuses them, and PDFs do produce them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CELL_LIMIT = 32767


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """The CSV form of a value: formula-looking text gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: no XML-illegal characters, within Excel's cell limit."""
    clean = _XML_ILLEGAL.sub(" ", value)
    if len(clean) > XLSX_CELL_LIMIT:
        clean = clean[: XLSX_CELL_LIMIT - 1] + "…"
    return clean
