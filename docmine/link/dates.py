"""Deadlines: dates and periods as written, normalised to an ISO date or interval with their
relation (by, before, from, during)."""

from __future__ import annotations

import calendar
import re

from docmine.model import Deadline

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_RELATION = (
    r"(?:by(?: the)?(?: end of)?|before|from|during|throughout|until|no later than|in|on|ahead of)"
)
_PATTERN = re.compile(
    rf"\b(?P<rel>{_RELATION})?\s*(?P<when>"
    rf"(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH})\s+(?P<year>20\d\d)"
    rf"|(?:end of |the end of )?Q(?P<q>[1-4])(?:\s+(?P<qyear>20\d\d(?:/\d\d)?))?"
    rf"|(?P<fy1>20\d\d)\s*(?:/|to|-|–)\s*(?P<fy2>(?:20)?\s?\d\d)"
    rf"|(?P<lone>20\d\d)(?![/\d])"
    r")",
    re.IGNORECASE,
)
_RELATION_NAMES = {
    "by": "by",
    "before": "before",
    "from": "from",
    "during": "during",
    "throughout": "during",
    "until": "by",
    "no later than": "by",
    "in": "during",
    "on": "on",
    "ahead of": "before",
}


def _month_interval(year: int, month: int, day: str | None) -> tuple[str, str]:
    if day:
        iso = f"{year:04d}-{month:02d}-{int(day):02d}"
        return iso, iso
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def _financial_year(first: int) -> tuple[str, str]:
    """UK financial years run 1 April to 31 March."""
    return f"{first:04d}-04-01", f"{first + 1:04d}-03-31"


def _quarter(q: int, year_text: str | None, default_year: int | None) -> tuple[str, str]:
    if year_text:
        first = int(year_text[:4])
    elif default_year:
        first = default_year
    else:
        return "", ""
    start_month = 4 + 3 * (q - 1)  # financial-year quarters, as the NHS uses them
    year = first + (start_month - 1) // 12
    month = (start_month - 1) % 12 + 1
    end_month = month + 2
    return f"{year:04d}-{month:02d}-01", _month_interval(year, end_month, None)[1]


def _interval(match: re.Match[str], default_year: int | None) -> tuple[str, str]:
    if match.group("month"):
        month = _MONTHS[match.group("month").lower()]
        return _month_interval(int(match.group("year")), month, match.group("day"))
    if match.group("q"):
        return _quarter(int(match.group("q")), match.group("qyear"), default_year)
    if match.group("fy1"):
        return _financial_year(int(match.group("fy1")))
    year = int(match.group("lone"))
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def find_deadline(text: str, default_year: int | None = None) -> Deadline | None:
    """The first date or period in the clause, preferring one with a relation word."""
    matches = list(_PATTERN.finditer(text))
    if not matches:
        return None
    match = next((m for m in matches if m.group("rel")), matches[0])
    relation = _RELATION_NAMES.get(
        re.sub(r"\s+(?:the\s+)?(?:end of)?$", "", (match.group("rel") or "").lower()).strip(), ""
    )
    start, end = _interval(match, default_year)
    return Deadline(text=match.group(0).strip(), relation=relation, start=start, end=end)
