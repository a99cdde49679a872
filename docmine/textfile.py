"""Reading the small text inputs users hand us (gold, query and clause JSONL files) with errors
that name the file instead of a traceback."""

from __future__ import annotations

from pathlib import Path

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
