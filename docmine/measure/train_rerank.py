"""Fit hybrid search's reranker (docmine/search/rerank.py) on the `tune` half of query sets.

Each query's candidates are built exactly as search builds them and graded by the best judgement
that credits them (0 when none does). The model learns to order: a logistic regression, without
intercept, on the differences of standardised features between two candidates of one query with
different grades (a pairwise ranking objective, as RankSVM and RankNet), each query weighing the
same however many pairs it has (nDCG is a mean over queries), L2 with C = 0.3. Fitting each
candidate alone against "credited or not" (what the first version did) ranked worse in 5-fold
cross-validation over the independent set's tune queries (0.562 against 0.576, same features).
The `test` halves are never seen here."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from docmine.config import Settings
from docmine.errors import BadInput
from docmine.measure.search_eval import QueryCase, judged_rows
from docmine.search import (
    dense_ranking,
    lexical_ranking,
    parse_query,
    rerank_candidates,
    store_acronyms,
)
from docmine.search.rerank import FEATURES, RERANK_DEPTH, Reranker
from docmine.store import Store

C = 0.3


def tune_cases(cases: Sequence[QueryCase]) -> list[QueryCase]:
    """The `tune` half; a set without halves gives every other query (the first, third...)."""
    if any(c.half for c in cases):
        return [c for c in cases if c.half == "tune"]
    return list(cases[::2])


def examples(
    store: Store, cases: Sequence[QueryCase], settings: Settings
) -> list[tuple[list[list[float]], list[int]]]:
    """Per case: the feature rows of its candidates and each one's grade."""
    found_rows: list[tuple[list[list[float]], list[int]]] = []
    acronyms = store_acronyms(store)
    for case in cases:
        parsed = parse_query(case.query, settings, acronyms)
        if not parsed.groups:
            continue
        lexical = lexical_ranking(store, parsed, case.filters, RERANK_DEPTH)
        dense = dense_ranking(store, parsed, case.filters, RERANK_DEPTH, settings)
        found = rerank_candidates(store, parsed, lexical, dense)
        credited = judged_rows(store, case)
        grades = [j.grade for j in case.relevant]
        rows, labels = [], []
        for rowid, named in found:
            rows.append([named[name] for name in FEATURES])
            labels.append(max((grades[j] for j in credited.get(rowid, ())), default=0))
        found_rows.append((rows, labels))
    return found_rows


def pairs(
    cases: Sequence[tuple[list[list[float]], list[int]]], mean: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Differences of standardised features between two candidates of one case with different
    grades, the better minus the worse labelled 1; each pair is turned round (labelled 0) on a
    fair coin of a fixed seed, so the two classes balance. Each pair's weight is one over its
    case's pairs, so every case weighs the same (the weights average 1)."""
    rng = np.random.default_rng(0)
    diffs: list[np.ndarray] = []
    labels: list[int] = []
    weights: list[float] = []
    for rows, grades in cases:
        if not rows:  # a query whose filters keep nothing in this store
            continue
        before = len(labels)
        x = (np.array(rows, dtype=float) - mean) / scale
        for a, b in itertools.permutations(range(len(rows)), 2):
            if grades[a] > grades[b]:
                flip = bool(rng.random() < 0.5)
                diffs.append(x[b] - x[a] if flip else x[a] - x[b])
                labels.append(0 if flip else 1)
        if made := len(labels) - before:  # none when every candidate has the same grade
            weights.extend([1.0 / made] * made)
    weight = np.array(weights)
    return np.array(diffs), np.array(labels), weight * len(weight) / max(weight.sum(), 1e-9)


def fit_reranker(
    sets: Sequence[tuple[Sequence[QueryCase], Store]], settings: Settings, about: str = ""
) -> Reranker:
    """The reranker fitted on the tune halves of every (queries, store) pair."""
    from sklearn.linear_model import LogisticRegression

    cases = [
        case for queries, store in sets for case in examples(store, tune_cases(queries), settings)
    ]
    x = np.array([row for rows, _ in cases for row in rows], dtype=float)
    if not len(x):
        raise BadInput("no tune query has a candidate in these stores: nothing to learn")
    # a feature the tune queries never vary (no query names a body, say) keeps scale 1: it
    # then adds nothing, where a rounded 1e-9 would divide by zero at search time
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    diffs, labels, weights = pairs(cases, mean, scale)
    if len(set(labels.tolist())) < 2:
        raise BadInput(
            "fewer than two classes of ordered pairs in the tune queries: nothing to learn"
        )
    model = LogisticRegression(C=C, max_iter=5000, fit_intercept=False)
    model.fit(diffs, labels, sample_weight=weights)
    credited = sum(g > 0 for _, grades in cases for g in grades)
    return Reranker(
        names=FEATURES,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        weights=tuple(round(float(v), 6) for v in model.coef_[0]),
        intercept=0.0,
        about=about
        or f"{len(x)} candidates ({credited} credited), {len(labels)} pairs; pairwise, C={C}",
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
