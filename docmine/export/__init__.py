"""Exports of the obligation register: one function per format behind one dispatch table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from docmine.errors import BadInput
from docmine.export.csv import write_csv
from docmine.export.json import write_json
from docmine.export.register import RegisterRow, register_rows
from docmine.export.xlsx import write_xlsx
from docmine.search import Hit

Exporter = Callable[[Sequence[RegisterRow], Path], None]

EXPORTERS: dict[str, Exporter] = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


def format_for(path: Path, fmt: str | None) -> str:
    """The format named by `fmt`, else by the file suffix."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in EXPORTERS:
        raise BadInput(
            f"unknown export format {chosen or '(none)'}: use {', '.join(sorted(EXPORTERS))}",
            str(path),
        )
    return chosen


def export(hits: Sequence[Hit], path: Path, fmt: str | None = None) -> Path:
    """Write the register for `hits` to `path`; the file appears whole or not at all."""
    chosen = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    EXPORTERS[chosen](register_rows(hits), partial)
    partial.replace(path)
    return path
