"""Reading the small text inputs users hand us (gold, query and clause JSONL files) with errors
that name the file instead of a traceback."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docmine.errors import BadInput, NotFound


def read_text(path: Path) -> str:
    """The UTF-8 text of `path`; a missing, unreadable or non-UTF-8 file is a DocmineError."""
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark is not text
    except FileNotFoundError:
        raise NotFound("not found: no such file", str(path)) from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"not UTF-8 text (byte {exc.start}): save it as UTF-8", str(path)) from None
    except OSError as exc:
        raise BadInput(f"unreadable: {exc.strerror}", str(path)) from None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is too large for a JSON number")
    return value


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; every row needs a `text`."""
    rows = []
    # lines end at newlines only: str.splitlines() would also break inside a JSON string at
    # U+2028, U+0085 and the other separators json.dumps leaves as they are
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line, parse_constant=_not_json, parse_float=_finite)
        except json.JSONDecodeError as exc:
            raise BadInput(f"line {number} is not JSON ({exc.msg})", str(path)) from exc
        except ValueError as exc:
            raise BadInput(f"line {number} is not JSON ({exc})", str(path)) from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise BadInput(f'line {number} has no "text" string', str(path))
        try:
            json.dumps(row, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            reason = f"line {number} holds a lone surrogate (\\ud800-\\udfff)"
            raise BadInput(reason, str(path)) from None
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
