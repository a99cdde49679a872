"""JSON: the register as one object that validates against resources/register.schema.json."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from docmine import __version__
from docmine.config import RESOURCES_DIR, read_data
from docmine.export.register import Register

SCHEMA_PATH = RESOURCES_DIR / "register.schema.json"
SCHEMA_ID = "https://docmine.example/register.schema.json"


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = read_data(SCHEMA_PATH)
    return schema


def register_document(register: Register) -> dict[str, Any]:
    """The JSON object: header, the documents cited, and one object per row in column order."""
    return {
        "$schema": SCHEMA_ID,
        "title": register.title,
        "scope": register.scope,
        "generator": f"docmine {__version__}",
        "generated_at": register.generated_at,
        "columns": list(register.columns),
        "documents": [asdict(d) for d in register.documents],
        "obligations": [{c: row.get(c) for c in register.columns} for row in register.rows],
    }


def write_json(register: Register, path: Path) -> None:
    path.write_text(
        json.dumps(register_document(register), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
