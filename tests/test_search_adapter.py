"""The query adapter of dense and hybrid search: what it learns, its artefact, and that search
uses it."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from docmine.config import Settings, load_settings, shipped_query_adapter
from docmine.errors import ModelMissing
from docmine.model import Filters
from docmine.search import dense_ranking, parse_query
from docmine.search.adapter import Judged, QueryAdapter, fit_query_adapter, load_query_adapter
from docmine.search.dense import query_vector, vector_index
from docmine.store import Store


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def test_the_adapter_learns_a_shift_it_then_applies_to_queries_it_never_saw() -> None:
    """Queries written in another "register": each is its passage seen through a fixed linear
    distortion. Fitted on 45 of them, the adapter brings the other 15 to their passages."""
    rng = np.random.default_rng(0)
    passages = _unit(rng.normal(size=(60, 16)))
    distortion = np.linalg.inv(np.eye(16) + 0.9 * rng.normal(size=(16, 16)) / 4)

    def query(j: int) -> np.ndarray:
        return _unit(distortion @ passages[j])

    adapter = fit_query_adapter(
        [(passages, [Judged(query(j), {j: 1.0}) for j in range(45)])], "some-model"
    )

    def rank(vector: np.ndarray, j: int) -> int:  # passages scored above the right one
        return int((passages @ vector > passages[j] @ vector).sum())

    before = np.mean([rank(query(j), j) for j in range(45, 60)])
    after = np.mean([rank(adapter.apply(query(j)), j) for j in range(45, 60)])
    assert before > 3 and after < before / 3
    assert np.linalg.norm(adapter.apply(query(50))) == pytest.approx(1.0, abs=1e-5)


def test_a_zero_map_leaves_the_query_as_it_is() -> None:
    vector = _unit(np.arange(1.0, 5.0))
    assert np.allclose(QueryAdapter("m", np.zeros((4, 4), np.float32)).apply(vector), vector)


def test_the_artefact_round_trips_is_repeatable_and_belongs_to_its_model(tmp_path: Path) -> None:
    matrix = np.random.default_rng(1).normal(scale=0.1, size=(8, 8)).astype(np.float32)
    first, second = tmp_path / "a" / "query_adapter.json.gz", tmp_path / "b.json.gz"
    QueryAdapter("model-a", matrix, "made here").save(first)
    QueryAdapter("model-a", matrix, "made here").save(second)
    assert first.read_bytes() == second.read_bytes()
    loaded = load_query_adapter(first, "model-a")
    assert loaded is not None and loaded.about == "made here"
    assert np.allclose(loaded.matrix, matrix, atol=1e-3)  # stored as float16
    assert load_query_adapter(first, "model-b") is None  # fitted for another encoder
    assert load_query_adapter(tmp_path / "absent.json.gz", "model-a") is None


def test_a_broken_adapter_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "query_adapter.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "docmine-query-adapter-1"}).encode()))
    with pytest.raises(ModelMissing, match="not a usable query adapter"):
        load_query_adapter(path, "m")
    path.write_bytes(b"not gzip at all")
    with pytest.raises(ModelMissing, match="not a usable query adapter"):
        load_query_adapter(path, "m")


def test_the_adapter_pairs_with_the_reranker_it_was_fitted_with(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert load_settings().query_adapter == shipped_query_adapter()
    monkeypatch.setenv("DOCMINE_RERANK_MODEL", str(tmp_path / "rerank.json"))
    assert load_settings().query_adapter == tmp_path / "query_adapter.json.gz"
    monkeypatch.setenv("DOCMINE_QUERY_ADAPTER", str(tmp_path / "other.json.gz"))
    assert load_settings().query_adapter == tmp_path / "other.json.gz"


def test_the_shipped_adapter_maps_the_default_encoders_queries() -> None:
    settings = load_settings()
    adapter = load_query_adapter(settings.query_adapter, settings.embedding_model)
    assert adapter is not None and "tune halves" in adapter.about
    assert adapter.matrix.shape == (384, 384) and 0 < np.abs(adapter.matrix).max() < 1


def test_dense_search_ranks_with_the_adapted_query(corpus_store: Store, settings: Settings) -> None:
    parsed = parse_query("who pays when someone leaves a psychiatric ward", settings)
    adapted = dense_ranking(corpus_store, parsed, Filters(), 10, settings)
    plain = replace(settings, query_adapter=Path("/nonexistent/query_adapter.json.gz"))
    own = dense_ranking(corpus_store, parsed, Filters(), 10, plain)
    assert adapted and own and adapted != own
    adapter = load_query_adapter(settings.query_adapter, settings.embedding_model)
    assert adapter is not None
    # each cosine is the adapted query against the passage's stored vector
    index = vector_index(corpus_store, settings.embedding_model, settings.embedding_backend)
    query = query_vector(parsed.dense_text, settings.embedding_model, settings.embedding_backend)
    row = {int(r): i for i, r in enumerate(index.rowids)}
    for rowid, cosine in adapted[:3]:
        expected = float(index.matrix[row[rowid]] @ adapter.apply(query))
        assert cosine == pytest.approx(expected, abs=1e-5)


@pytest.mark.slow
def test_train_rerank_fits_the_adapter_and_a_reranker_on_cross_fitted_candidates(
    corpus_store: Store, settings: Settings, tmp_path: Path
) -> None:
    from docmine.measure.search_eval import load_queries
    from docmine.measure.train_rerank import cross_fitted_examples, train_reranker, tune_cases
    from docmine.search.rerank import FEATURES, load_reranker

    queries = Path(__file__).parent / "queries.jsonl"
    # the demo store's passage vectors are made by its first dense search
    dense_ranking(corpus_store, parse_query("joint forward plan", settings), Filters(), 1, settings)
    tune = tune_cases(load_queries(queries))
    folded = cross_fitted_examples([(tune, corpus_store)], settings, tmp_path)
    assert len(folded) == len(tune)  # each tune query once, from the fold that left it out
    output = tmp_path / "out" / "rerank.json"
    reranker, adapter = train_reranker([(queries, Path(corpus_store.path))], settings, output)
    assert load_reranker(output) == reranker and reranker.names == FEATURES
    shipped = load_query_adapter(output.with_name("query_adapter.json.gz"), adapter.model)
    assert shipped is not None and adapter.model == settings.embedding_model
    assert np.abs(shipped.matrix).max() > 0
