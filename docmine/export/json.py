"""JSON: {"schema": ..., "obligations": [...]} following resources/register.schema.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docmine import __version__
from docmine.export.register import RegisterRow

SCHEMA_ID = "https://docmine.example/register.schema.json"


def register_document(rows: Sequence[RegisterRow]) -> dict[str, object]:
    return {
        "$schema": SCHEMA_ID,
        "generator": f"docmine {__version__}",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "obligations": list(rows),
    }


def write_json(rows: Sequence[RegisterRow], path: Path) -> None:
    path.write_text(
        json.dumps(register_document(rows), ensure_ascii=False, indent=2), encoding="utf-8"
    )
