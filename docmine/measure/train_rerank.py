"""Fit hybrid search's reranker (docmine/search/rerank.py) on the `tune` half of query sets.

Each query's candidates are built exactly as search builds them; a candidate is positive when a
judgement credits it (any grade). Logistic regression on standardised features, L2 (C = 0.1,
chosen on the tune halves), deterministic. The `test` halves are never seen here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from docmine.config import Settings
from docmine.measure.search_eval import QueryCase, judged_rows
from docmine.search import (
    DENSE_WEIGHT,
    FUSION_DEPTH,
    _gazetteer,
    _query_mentions,
    dense_ranking,
    fuse,
    lexical_ranking,
    parse_query,
    store_acronyms,
)
from docmine.search.rerank import FEATURES, RERANK_DEPTH, Reranker, candidates, features
from docmine.store import Store

C = 0.1


def tune_cases(cases: Sequence[QueryCase]) -> list[QueryCase]:
    """The `tune` half; a set without halves gives every other query (the first, third...)."""
    if any(c.half for c in cases):
        return [c for c in cases if c.half == "tune"]
    return list(cases[::2])


def examples(
    store: Store, cases: Sequence[QueryCase], settings: Settings
) -> tuple[list[list[float]], list[int]]:
    """Feature rows and labels of every candidate of every case."""
    rows: list[list[float]] = []
    labels: list[int] = []
    acronyms = store_acronyms(store)
    gazetteer = _gazetteer(settings)
    for case in cases:
        parsed = parse_query(case.query, settings, acronyms)
        if not parsed.groups:
            continue
        lexical = lexical_ranking(store, parsed, case.filters, RERANK_DEPTH)
        dense = dense_ranking(store, parsed, case.filters, RERANK_DEPTH, settings)
        fused = fuse([lexical[:FUSION_DEPTH], dense[:FUSION_DEPTH]], [1.0, DENSE_WEIGHT])
        found = candidates(fused, lexical, dense)
        bodies = {m.canonical for m in _query_mentions(case.query, gazetteer, acronyms)}
        stored = store.obligations_by_rowid(list(found.rowids))
        credited = judged_rows(store, case)
        for rowid, named in features(case.query, bodies, found, stored):
            rows.append([named[name] for name in FEATURES])
            labels.append(int(rowid in credited))
    return rows, labels


def fit_reranker(
    sets: Sequence[tuple[Sequence[QueryCase], Store]], settings: Settings, about: str = ""
) -> Reranker:
    """The reranker fitted on the tune halves of every (queries, store) pair."""
    from sklearn.linear_model import LogisticRegression

    rows: list[list[float]] = []
    labels: list[int] = []
    for cases, store in sets:
        more_rows, more_labels = examples(store, tune_cases(cases), settings)
        rows.extend(more_rows)
        labels.extend(more_labels)
    x = np.array(rows, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=C, max_iter=3000).fit((x - mean) / scale, np.array(labels))
    return Reranker(
        names=FEATURES,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        weights=tuple(round(float(v), 6) for v in model.coef_[0]),
        intercept=round(float(model.intercept_[0]), 6),
        about=about or f"{len(labels)} candidates, {sum(labels)} credited; C={C}",
    )


def train_reranker(
    pairs: Sequence[tuple[Path, Path]], settings: Settings, output: Path
) -> Reranker:
    """Fit on (queries file, ingested database) pairs and write the artefact to `output`."""
    from docmine.measure.search_eval import load_queries

    stores = [Store(db, read_only=True) for _, db in pairs]
    try:
        sets = [(load_queries(q), s) for (q, _), s in zip(pairs, stores, strict=True)]
        names = ", ".join(q.name for q, _ in pairs)
        reranker = fit_reranker(sets, settings)
        reranker = Reranker(
            reranker.names,
            reranker.mean,
            reranker.scale,
            reranker.weights,
            reranker.intercept,
            f"tune halves of {names}: {reranker.about}",
        )
    finally:
        for store in stores:
            store.close()
    reranker.save(output)
    return reranker
