"""Fit hybrid search's reranker (docmine/search/rerank.py) on the `tune` half of query sets.

Each query's candidates are built exactly as search builds them and graded by the best judgement
that credits them (0 when none does). The model learns to order: a logistic regression, without
intercept, on the differences of standardised features between two candidates of one query with
different grades (a pairwise ranking objective, as RankSVM and RankNet), each query weighing the
same however many pairs it has (nDCG is a mean over queries), L2 with C = 0.3. Fitting each
candidate alone against "credited or not" (what the first version did) ranked worse in 5-fold
cross-validation over the independent set's tune queries (0.562 against 0.576, same features).
The `test` halves are never seen here.

The query adapter (search/adapter.py) is fitted here too, on the same tune queries, and the
reranker reads the cosines it makes. So that the reranker does not learn to trust cosines the
adapter fitted to its own queries, each query's candidates come from an adapter fitted on the
other folds of the tune queries (5 folds, cross-fitting); the adapter written beside the
reranker is then fitted on them all."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from docmine.config import QUERY_ADAPTER_ARTEFACT, Settings
from docmine.errors import BadInput
from docmine.measure.search_eval import QueryCase, judged_rows
from docmine.search import (
    dense_ranking,
    lexical_ranking,
    parse_query,
    rerank_candidates,
    store_acronyms,
)
from docmine.search.adapter import Judged, QueryAdapter, fit_query_adapter
from docmine.search.dense import query_vector, vector_index
from docmine.search.rerank import FEATURES, RERANK_DEPTH, Reranker
from docmine.store import Store

C = 0.3
ADAPTER_FOLDS = 5


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


def judged_queries(
    store: Store, cases: Sequence[QueryCase], settings: Settings
) -> tuple[np.ndarray, list[Judged]]:
    """The store's passage vectors, and per case its query's own vector (no adapter) with the
    passages its judgements credit, each weighted by its gain (2^grade - 1)."""
    model, backend = settings.embedding_model, settings.embedding_backend
    index = vector_index(store, model, backend)
    position = {int(rowid): i for i, rowid in enumerate(index.rowids)}
    acronyms = store_acronyms(store)
    judged = []
    for case in cases:
        parsed = parse_query(case.query, settings, acronyms)
        if not parsed.groups:  # nothing search would embed: nothing to learn from
            judged.append(Judged(np.zeros(index.matrix.shape[1], dtype=np.float32), {}))
            continue
        grades = [j.grade for j in case.relevant]
        rows = {
            position[rowid]: float(2 ** max(grades[j] for j in met) - 1)
            for rowid, met in judged_rows(store, case).items()
            if rowid in position
        }
        rows = {row: gain for row, gain in rows.items() if gain > 0}
        judged.append(Judged(query_vector(parsed.dense_text, model, backend), rows))
    return index.matrix, judged


def fit_adapter(
    sets: Sequence[tuple[Sequence[QueryCase], Store]],
    settings: Settings,
    keep: Sequence[set[int]] | None = None,
) -> QueryAdapter:
    """The query adapter fitted on the given cases of each set (`keep`: their indices; all)."""
    problems = []
    for number, (cases, store) in enumerate(sets):
        matrix, judged = judged_queries(store, cases, settings)
        chosen = [j for i, j in enumerate(judged) if keep is None or i in keep[number]]
        problems.append((matrix, chosen))
    return fit_query_adapter(problems, settings.embedding_model)


def cross_fitted_examples(
    sets: Sequence[tuple[Sequence[QueryCase], Store]], settings: Settings, folder: Path
) -> list[tuple[list[list[float]], list[int]]]:
    """Every case's candidates and grades, its dense ranking by an adapter fitted on the cases of
    the other folds (case i of each set is in fold i mod ADAPTER_FOLDS)."""
    found: list[tuple[list[list[float]], list[int]]] = []
    for fold in range(ADAPTER_FOLDS):
        keep = [{i for i in range(len(cases)) if i % ADAPTER_FOLDS != fold} for cases, _ in sets]
        path = folder / f"fold{fold}-{QUERY_ADAPTER_ARTEFACT}"
        fit_adapter(sets, settings, keep).save(path)
        folded = replace(settings, query_adapter=path)
        for cases, store in sets:
            held = [c for i, c in enumerate(cases) if i % ADAPTER_FOLDS == fold]
            found.extend(examples(store, held, folded))
    return found


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
    sets: Sequence[tuple[Sequence[QueryCase], Store]],
    settings: Settings,
    about: str = "",
    adapted: bool = False,
) -> Reranker:
    """The reranker fitted on the tune halves of every (queries, store) pair; `adapted`: on
    candidates whose dense rankings come from cross-fitted query adapters, else from
    `settings` as they are."""
    from sklearn.linear_model import LogisticRegression

    tune = [(tune_cases(queries), store) for queries, store in sets]
    if adapted:
        with tempfile.TemporaryDirectory() as folder:
            cases = cross_fitted_examples(tune, settings, Path(folder))
    else:
        cases = [case for queries, store in tune for case in examples(store, queries, settings)]
    x = np.array([row for rows, _ in cases for row in rows], dtype=float)
    if not len(x):
        raise BadInput("no tune query has a candidate in these stores: nothing to learn")
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
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
) -> tuple[Reranker, QueryAdapter]:
    """Fit the query adapter and the reranker on (queries file, ingested database) pairs; write
    the reranker to `output` and the adapter beside it (QUERY_ADAPTER_ARTEFACT)."""
    from docmine.measure.search_eval import load_queries

    stores = [Store(db, read_only=True) for _, db in pairs]
    try:
        sets = [(load_queries(q), s) for (q, _), s in zip(pairs, stores, strict=True)]
        names = ", ".join(q.name for q, _ in pairs)
        tune = [(tune_cases(queries), store) for queries, store in sets]
        adapter = fit_adapter(tune, settings)
        adapter = replace(adapter, about=f"tune halves of {names}: {adapter.about}")
        reranker = fit_reranker(sets, settings, adapted=True)
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
    adapter.save(output.with_name(QUERY_ADAPTER_ARTEFACT))
    return reranker, adapter
