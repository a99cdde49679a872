"""Neutralise spreadsheet formula injection: a cell starting with = + - @ (or a control
character) is prefixed with an apostrophe so Excel and LibreOffice show it as text."""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
