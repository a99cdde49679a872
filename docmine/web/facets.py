"""Facet counts for the web page: how many obligations each filter value would give.

Each facet is counted under every filter except its own (the usual faceted-search convention),
so choosing a holder still shows how many obligations the other holders have."""

from __future__ import annotations

import dataclasses
from typing import Any

from docmine.model import FORCE_ORDER, FacetValue, Filters
from docmine.search import where_clause
from docmine.store import Store

FACETS: tuple[str, ...] = ("force", "holder", "body", "duty", "document", "deadline")


_CLEARED: dict[str, dict[str, Any]] = {
    "force": {"force": ()},
    "holder": {"holder": ""},
    "body": {"body": ""},
    "duty": {"duty": ""},
    "document": {"document": ""},
    "deadline": {"deadline_from": "", "deadline_to": ""},
}


def without_facet(filters: Filters, facet: str) -> Filters:
    """The filters with one facet's own filter cleared."""
    return dataclasses.replace(filters, **_CLEARED[facet])


def facet_counts(store: Store, filters: Filters) -> dict[str, list[FacetValue]]:
    """For each facet, its values with obligation counts, most frequent first."""
    counts: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        sql, params = where_clause(without_facet(filters, facet))
        counts[facet] = store.facet_counts(facet, sql, params)
    order = {force.value: rank for rank, force in enumerate(FORCE_ORDER)}
    counts["force"].sort(key=lambda v: order.get(v.value, len(order)))  # strongest first
    return counts


def holder_force_table(
    store: Store, filters: Filters = Filters()
) -> list[tuple[str, dict[str, int]]]:
    """Obligations per duty-holder and force (for the summary chart), largest holder first.

    Clauses without a holder are counted under "(no holder)"."""
    table: dict[str, dict[str, int]] = {}
    for force in ("mandatory", "expectation", "suggestion"):
        chosen = dataclasses.replace(filters, force=(force,))
        sql, params = where_clause(chosen)
        total = sum(v.count for v in store.facet_counts("force", sql, params))
        held = 0
        for holder in store.facet_counts("holder", sql, params):
            table.setdefault(holder.value, {})[force] = holder.count
            held += holder.count
        if total - held:
            table.setdefault("(no holder)", {})[force] = total - held
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))
