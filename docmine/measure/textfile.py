"""Reading the small text inputs users hand us (gold, query and clause JSONL files) with errors
that name the file instead of a traceback."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docmine.errors import BadInput, NotFound


def read_text(path: Path) -> str:
    """The UTF-8 text of `path`; a missing, unreadable or non-UTF-8 file is a DocmineError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound("not found: no such file", str(path)) from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"not UTF-8 text (byte {exc.start}): save it as UTF-8", str(path)) from None
    except OSError as exc:
        raise BadInput(f"unreadable: {exc.strerror}", str(path)) from None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; every row needs a `text`."""
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"line {number} is not JSON ({exc.msg})", str(path)) from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise BadInput(f'line {number} has no "text" string', str(path))
        rows.append(row)
    return rows


_SUFFIXES = ("", ".md", ".txt", ".html", ".pdf", ".docx")


def find_document(doc: str, corpora: Sequence[Path]) -> Path | None:
    """The file of a gold `doc` in the first corpus folder that has it."""
    for folder in corpora:
        for suffix in _SUFFIXES:
            path = folder / f"{doc}{suffix}"
            if doc and path.is_file():
                return path
    return None
