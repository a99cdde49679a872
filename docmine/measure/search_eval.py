"""Search quality on a query set: nDCG@10, Recall@10 and MRR per search mode, side by side.

A query file is JSONL, one object a line: `query`, optional `filters` (the fields of
`search.Filters`), and `relevant`: clause texts or substrings of them (they survive
re-segmentation) or obligation ids. A clause is relevant when it is one of the ids or contains
one of the texts (case and whitespace ignored). Gains are binary."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from docmine.config import Settings
from docmine.errors import BadInput
from docmine.model import Filters
from docmine.search import MODES, search, select
from docmine.store import Store
from docmine.textfile import read_text

_SPACE = re.compile(r"\s+")
_FILTER_FIELDS = {f.name for f in fields(Filters)}


@dataclass(frozen=True)
class QueryCase:
    query: str
    relevant: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class ModeScores:
    """Mean scores of one mode over the query set, and nDCG@k per query."""

    mode: str
    ndcg: float
    recall: float
    mrr: float
    per_query: tuple[float, ...] = field(default_factory=tuple)


def load_queries(path: Path) -> list[QueryCase]:
    """Read a query file; a malformed line is a BadInput naming the line."""
    cases = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            filters = dict(data.get("filters") or {})
            unknown = set(filters) - _FILTER_FIELDS
            if unknown or not data["query"] or not data["relevant"]:
                raise ValueError(f"unknown filters {sorted(unknown)}" if unknown else "empty")
            if "force" in filters:
                filters["force"] = tuple(filters["force"])
            cases.append(
                QueryCase(str(data["query"]), tuple(map(str, data["relevant"])), Filters(**filters))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BadInput(
                f"line {number}: needs `query` and `relevant` (texts or ids), "
                f"optional `filters`: {error}",
                str(path),
            ) from None
    if not cases:
        raise BadInput("no queries: the file has no JSON lines", str(path))
    return cases


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def relevant_rowids(store: Store, case: QueryCase) -> set[int]:
    """Clauses passing the case's filters that are relevant to it."""
    wanted = [_normal(r) for r in case.relevant]
    ids = set(case.relevant)
    return {
        hit.obligation.rowid
        for hit in select(store, case.filters)
        if hit.obligation.id in ids or any(w in _normal(hit.obligation.clause.text) for w in wanted)
    }


def score_ranking(ranked: Sequence[int], relevant: set[int], k: int = 10) -> tuple[float, ...]:
    """(nDCG@k, Recall@k, reciprocal rank) of one ranking with binary gains."""
    if not relevant:
        return 0.0, 0.0, 0.0
    gains = [1.0 if r in relevant else 0.0 for r in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    first = next((i for i, r in enumerate(ranked) if r in relevant), None)
    return dcg / ideal, sum(gains) / len(relevant), 0.0 if first is None else 1.0 / (first + 1)


def evaluate_search(
    store: Store,
    cases: Sequence[QueryCase],
    settings: Settings,
    modes: Sequence[str] = MODES,
    k: int = 10,
) -> list[ModeScores]:
    """Mean nDCG@k, Recall@k and MRR@k of each mode (each query searched for its top k)."""
    relevant = [relevant_rowids(store, c) for c in cases]
    if missing := [c.query for c, r in zip(cases, relevant, strict=True) if not r]:
        raise BadInput(f"no stored clause is relevant to: {'; '.join(missing[:3])}")
    results = []
    for mode in modes:
        rows: list[tuple[float, ...]] = []
        for case, wanted in zip(cases, relevant, strict=True):
            hits = search(store, case.query, case.filters, k, mode, settings)
            rows.append(score_ranking([h.obligation.rowid for h in hits], wanted, k))
        ndcg, recall, mrr = (sum(column) / len(rows) for column in zip(*rows, strict=True))
        results.append(ModeScores(mode, ndcg, recall, mrr, tuple(r[0] for r in rows)))
    return results


def scores_table(scores: Sequence[ModeScores], k: int = 10) -> list[dict[str, Any]]:
    return [
        {"mode": s.mode, f"nDCG@{k}": s.ndcg, f"Recall@{k}": s.recall, "MRR": s.mrr} for s in scores
    ]
