"""CSV: RFC 4180 (comma, double-quote escaping, CRLF), UTF-8, with a BOM by default so Excel
reads the encoding right (`bom=False` for tools that choke on one)."""

from __future__ import annotations

import csv
from pathlib import Path

from docmine.export.register import Register
from docmine.export.safety import safe_cell


def write_csv(register: Register, path: Path, bom: bool = True) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(register.columns)
        for row in register.rows:
            writer.writerow(
                ["" if row.get(c) is None else safe_cell(row[c]) for c in register.columns]
            )
