"""CSV: RFC 4180 quoting, UTF-8 with a BOM so Excel reads the encoding right."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from docmine.export.register import COLUMNS, RegisterRow
from docmine.export.safety import safe_cell


def write_csv(rows: Sequence[RegisterRow], path: Path, bom: bool = True) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
