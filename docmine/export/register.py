"""The register's columns, in the documented order, built from stored obligation rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docmine.search import Hit

RegisterRow = dict[str, Any]

COLUMNS: tuple[str, ...] = (
    "obligation_id",
    "force",
    "polarity",
    "duty_holder",
    "other_bodies",
    "duty",
    "duty_law",
    "deadline",
    "deadline_normalised",
    "condition",
    "clause_text",
    "document_title",
    "version",
    "authority",
    "page",
    "section_path",
    "source_location",
    "confidence",
    "cue",
)


def source_location(source: str, page: int | None) -> str:
    """A path or URL a user can open; PDFs get a #page= anchor."""
    if source.startswith(("http://", "https://")):
        location = source
    else:
        location = Path(source).resolve().as_uri() if Path(source).is_absolute() else source
    if page and source.lower().endswith(".pdf"):
        location += f"#page={page}"
    return location


def normalised_deadline(row: dict[str, Any]) -> str:
    start, end, relation = row["deadline_start"], row["deadline_end"], row["deadline_relation"]
    if not start:
        return ""
    span = start if start == end else f"{start}/{end}"
    return f"{relation} {span}".strip()


def register_row(row: dict[str, Any]) -> RegisterRow:
    return {
        "obligation_id": row["id"],
        "force": row["force"],
        "polarity": row["polarity"],
        "duty_holder": row["holder"],
        "other_bodies": "; ".join(json.loads(row["bodies"])),
        "duty": row["duty"],
        "duty_law": row["duty_law"],
        "deadline": row["deadline"],
        "deadline_normalised": normalised_deadline(row),
        "condition": row["condition"],
        "clause_text": row["text"],
        "document_title": row["title"],
        "version": row["version"],
        "authority": row["authority"],
        "page": row["page"] if row["page"] is not None else "",
        "section_path": " > ".join(json.loads(row["section"])),
        "source_location": source_location(row["source"], row["page"]),
        "confidence": row["confidence"],
        "cue": row["cue"],
    }


def register_rows(hits: Sequence[Hit]) -> list[RegisterRow]:
    return [register_row(hit.row) for hit in hits]
