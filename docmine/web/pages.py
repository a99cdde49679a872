"""What each page and API answer shows, built from the store: plain data, no HTML, no FastAPI.

The routes in app.py call one function here; the templates and the JSON API render its result."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docmine.errors import DocmineError
from docmine.export import build_register, describe_filters, export
from docmine.model import ForceDecision
from docmine.search import (
    Hit,
    highlight_parts,
    query_terms,
    read_as,
    search,
    select,
    snippet,
)
from docmine.store import Store
from docmine.web.query import View


@dataclass(frozen=True)
class Results:
    """The hits a view shows, how many matched in all, and any note for the user."""

    hits: list[Hit]
    total: int
    mode: str
    terms: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def run_view(store: Store, view: View) -> Results:
    """Ranked hits for a query, else the filtered register in document order."""
    limit = view.limit
    if not view.q:
        register = select(store, view.filters)
        return Results(register[:limit], len(register), view.mode, ())
    notes: list[str] = []
    mode = view.mode
    try:
        hits = search(store, view.q, view.filters, limit, mode)
    except (DocmineError, sqlite3.OperationalError) as error:
        # dense ranking needs a model and stored vectors; a read-only store cannot add them
        reason = error.message if isinstance(error, DocmineError) else str(error)
        notes.append(f"{mode} search is unavailable ({reason}); showing lexical results")
        mode = "lexical"
        hits = search(store, view.q, view.filters, limit, mode)
    if not query_terms(view.q):
        notes.append("the query has only common words; try naming a body, duty or action")
    elif hits and (also := read_as(store, view.q)):
        notes.append(f"also searched: {also}")
    terms = tuple(dict.fromkeys(t for h in hits for t in h.matched_terms)) or tuple(
        query_terms(view.q)
    )
    return Results(hits, len(hits), mode, terms, notes)


def snippet_parts(text: str, terms: Sequence[str], width: int = 260) -> list[tuple[str, bool]]:
    """The snippet around the first matched term, as (text, is_match) pieces to render escaped."""
    if not terms:
        shown = text if len(text) <= width else text[:width] + "…"
        return [(shown, False)]
    shown, spans = snippet(text, tuple(terms), width)
    return highlight_parts(shown, spans)


def hit_json(hit: Hit) -> dict[str, Any]:
    """One obligation as the API returns it."""
    return hit.to_json()


@dataclass(frozen=True)
class Detail:
    """One obligation with the clauses around it and the same clause in other versions."""

    hit: Hit
    context: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    clause_parts: list[tuple[str, str]]  # the clause as (piece, "cue" | "condition" | "")


def explained_parts(text: str, decision: ForceDecision) -> list[tuple[str, str]]:
    """The clause text cut at its force cue and condition spans, to render escaped and marked
    (a span that overlaps an earlier one, or falls outside the text, is left unmarked)."""
    spans = sorted(
        (span.start, span.end, kind)
        for span, kind in ((decision.cue, "cue"), (decision.condition, "condition"))
        if span is not None
    )
    parts: list[tuple[str, str]] = []
    last = 0
    for start, end, kind in spans:
        if start < last or end <= start or end > len(text):
            continue
        parts += [(text[last:start], ""), (text[start:end], kind)]
        last = end
    parts.append((text[last:], ""))
    return [p for p in parts if p[0]]


def obligation_detail(
    store: Store, obligation_id: str, width: int = 2, version: int | None = None
) -> Detail | None:
    """The obligation (id or unique prefix), its neighbours in the source and other versions."""
    stored = store.obligation(obligation_id, version)
    if stored is None:
        return None
    doc, clause = stored.document, stored.clause
    context = [
        {
            "id": c.id,
            "ordinal": c.clause.ordinal,
            "text": c.clause.text,
            "force": c.decision.force.value,
        }
        for c in store.neighbours(doc.id, clause.ordinal, width)
    ]
    # clause ids are stable across versions of a source: the same id is the same clause
    versions = [
        {"id": v.id, "version": v.document.version, "force": v.decision.force.value}
        for v in store.versions_of(stored.id, doc.source)
        if v.document.version != doc.version
    ]
    return Detail(Hit(stored), context, versions, explained_parts(clause.text, stored.decision))


def detail_json(detail: Detail) -> dict[str, Any]:
    return {
        **hit_json(detail.hit),
        "lead_in": detail.hit.obligation.clause.lead_in,
        "context": detail.context,
        "other_versions": detail.versions,
    }


def documents(store: Store) -> list[dict[str, Any]]:
    """Ingested documents, newest version first within each source, with clause counts."""
    rows = [d.listing() for d in store.documents(all_versions=True)]
    latest: dict[str, int] = {}
    for row in rows:
        latest[row["source"]] = max(latest.get(row["source"], 0), row["version"])
    for row in rows:
        row["latest"] = row["version"] == latest[row["source"]]
    return sorted(rows, key=lambda r: (r["title"].lower(), r["source"], -r["version"]))


def export_view(store: Store, view: View, fmt: str, directory: Path) -> Path:
    """Write the view (every filtered row, or the ranked hits of a query) with `docmine export`'s
    code; returns the file."""
    hits = run_view(store, view).hits if view.q else select(store, view.filters)
    register = build_register(
        hits, store.documents(all_versions=True), scope=describe_filters(view.filters, view.q)
    )
    return export(register, directory / f"docmine-register.{fmt}", fmt)
