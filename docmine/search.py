"""Finding obligations: filters applied inside the SQL query, lexical ranking with FTS5 BM25.

`select` returns the filtered register (no query); `search` ranks it against a query."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from docmine.store import Store

_TOKEN = re.compile(r"[\w][\w'-]*")
_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how in is it its of on or that the their them "
    "this to was what when where which who will with".split()
)


@dataclass(frozen=True)
class Filters:
    """Register filters shared by search, export and the web page."""

    force: tuple[str, ...] = ()
    polarity: str = ""
    holder: str = ""
    body: str = ""
    duty: str = ""
    document: str = ""
    version: int | None = None
    deadline_from: str = ""
    deadline_to: str = ""
    all_versions: bool = False


@dataclass(frozen=True)
class Hit:
    """One obligation row with its rank score and the row's stored fields."""

    row: dict[str, Any]
    score: float = 0.0
    matched_terms: tuple[str, ...] = field(default_factory=tuple)

    @property
    def section(self) -> list[str]:
        return list(json.loads(self.row["section"]))

    @property
    def bodies(self) -> list[str]:
        return list(json.loads(self.row["bodies"]))


def where_clause(filters: Filters) -> tuple[str, list[Any]]:
    """SQL WHERE text and parameters for the filters (o = obligations, d = documents)."""
    conditions: list[str] = ["1=1"]
    params: list[Any] = []
    if filters.force:
        conditions.append(f"o.force IN ({','.join('?' * len(filters.force))})")
        params.extend(filters.force)
    for column, value in (
        ("o.polarity", filters.polarity),
        ("o.holder", filters.holder),
        ("o.duty", filters.duty),
    ):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if filters.body:
        conditions.append(
            "(o.holder = ? OR EXISTS (SELECT 1 FROM json_each(o.bodies) WHERE json_each.value = ?))"
        )
        params.extend([filters.body, filters.body])
    if filters.document:
        conditions.append("(d.id LIKE ? OR d.source LIKE ? OR d.title LIKE ?)")
        params.extend([f"{filters.document}%", f"%{filters.document}%", f"%{filters.document}%"])
    if filters.version is not None:
        conditions.append("d.version = ?")
        params.append(filters.version)
    elif not filters.all_versions:
        conditions.append(
            "d.version = (SELECT MAX(version) FROM documents x WHERE x.source = d.source)"
        )
    if filters.deadline_from:
        conditions.append("o.deadline_end != '' AND o.deadline_end >= ?")
        params.append(filters.deadline_from)
    if filters.deadline_to:
        conditions.append("o.deadline_start != '' AND o.deadline_start <= ?")
        params.append(filters.deadline_to)
    return " AND ".join(conditions), params


def select(store: Store, filters: Filters = Filters()) -> list[Hit]:
    """The filtered register in document order."""
    sql, params = where_clause(filters)
    return [Hit(dict(row)) for row in store.query(sql, params)]


def query_terms(query: str) -> list[str]:
    return [t for t in _TOKEN.findall(query.lower()) if t not in _STOPWORDS]


def fts_expression(terms: list[str]) -> str:
    """An FTS5 OR-query of quoted terms, so that BM25 ranks partial matches too."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def search_lexical(
    store: Store, query: str, filters: Filters = Filters(), limit: int = 10
) -> list[Hit]:
    """BM25 over clause text and section headings, best first."""
    terms = query_terms(query)
    if not terms:
        return []
    sql, params = where_clause(filters)
    try:
        rows = store.query(
            f"obligations_fts MATCH ? AND {sql}",
            [fts_expression(terms), *params],
            order="score",
            limit=limit,
            fts=query,
        )
    except sqlite3.OperationalError:
        return []
    return [Hit(dict(r), -float(r["score"]), tuple(terms)) for r in rows]


SEARCHERS = {"lexical": search_lexical}


def search(
    store: Store, query: str, filters: Filters = Filters(), limit: int = 10, mode: str = "lexical"
) -> list[Hit]:
    """Ranked obligations for a free-text query."""
    return SEARCHERS[mode](store, query, filters, limit)


def snippet(
    text: str, terms: tuple[str, ...], width: int = 220
) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around the first matched term, and the spans of every term in it."""
    lowered = text.lower()
    first = min((i for t in terms if (i := lowered.find(t)) >= 0), default=0)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    shown = prefix + window + suffix
    spans = [
        (m.start(), m.end())
        for t in terms
        for m in re.finditer(rf"\b{re.escape(t)}\w*", shown, re.IGNORECASE)
    ]
    return shown, sorted(spans)
