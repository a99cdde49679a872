"""The learned reranker of hybrid search: its features, its artefact, and that search uses it."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from docmine.config import Settings, load_settings, shipped_reranker
from docmine.errors import ModelMissing
from docmine.measure.search_eval import evaluate_search, load_queries
from docmine.measure.train_rerank import tune_cases
from docmine.search import search
from docmine.search.rerank import FEATURES, Reranker, candidates, load_reranker
from docmine.store import Store

QUERIES = Path(__file__).parent / "queries.jsonl"


def test_candidates_are_the_fused_list_topped_up_from_either_ranking() -> None:
    fused = [(1, 0.3), (2, 0.2)]
    found = candidates(fused, lexical=[(2, 9.0), (3, 5.0)], dense=[(4, 0.8), (1, 0.7)], depth=3)
    assert found.rowids == (1, 2, 3)
    assert found.lexical[3] == (1, 5.0) and found.dense[1] == (1, 0.7)


def test_the_reranker_orders_by_its_weighted_standardised_features() -> None:
    model = Reranker(("cos", "mand"), (0.5, 0.0), (0.1, 1.0), (1.0, 2.0))
    order = model.order([(7, {"cos": 0.6, "mand": 0.0}), (8, {"cos": 0.5, "mand": 1.0})])
    assert [rowid for rowid, _ in order] == [8, 7]  # 1.0 + 0 < 0 + 2.0


def test_the_shipped_reranker_reads_every_feature_search_computes() -> None:
    model = load_reranker(shipped_reranker())
    assert model is not None and model.names == FEATURES
    assert "tune halves" in model.about


def test_a_broken_reranker_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "rerank.json"
    path.write_text(json.dumps({"format": "docmine-rerank-1", "names": ["cos"]}))
    with pytest.raises(ModelMissing, match="not a usable reranker"):
        load_reranker(path)
    assert load_reranker(tmp_path / "absent.json") is None


def test_training_sees_only_the_tune_half() -> None:
    cases = load_queries(QUERIES)
    assert [c.query for c in tune_cases(cases)] == [c.query for c in cases[::2]]


@pytest.mark.slow
def test_hybrid_search_with_the_reranker_holds_its_quality_on_the_demo_set(
    corpus_store: Store, settings: Settings
) -> None:
    """The reranker was fitted on every other query of this set, so its other half is held out:
    on it, reranked hybrid must not fall below rank fusion alone."""
    held_out = load_queries(QUERIES)[1::2]
    plain = replace(settings, rerank_model=Path("/nonexistent/rerank.json"))
    (fused,) = evaluate_search(corpus_store, held_out, plain, modes=["hybrid"])
    (reranked,) = evaluate_search(corpus_store, held_out, settings, modes=["hybrid"])
    assert reranked.ndcg >= fused.ndcg - 0.01
    hits = search(corpus_store, "what must the integrated care board publish", settings=settings)
    assert hits and all(h.matched_by for h in hits)


def test_search_gives_the_reranker_the_words_of_each_candidates_whole_document(
    corpus_store: Store, settings: Settings
) -> None:
    from docmine.language.overlap import content_terms
    from docmine.model import Filters
    from docmine.search import lexical_ranking, parse_query, rerank_candidates

    query = "joint forward plan healthwatch annual report"
    parsed = parse_query(query, settings)
    lexical = lexical_ranking(corpus_store, parsed, Filters(), 50)
    rows = dict(rerank_candidates(corpus_store, parsed, lexical, []))
    stored = corpus_store.obligations_by_rowid(list(rows))
    terms = content_terms(query)
    shares = {}
    for rowid, named in rows.items():
        document = corpus_store.document(stored[rowid].document.id)
        assert document is not None
        held = content_terms(document.document.title + "\n" + document.text)
        assert named["cover_document"] == pytest.approx(len(terms & held) / len(terms))
        shares[document.document.id] = named["cover_document"]
    assert len(shares) > 1 and len(set(shares.values())) > 1  # documents that differ


def test_settings_name_the_shipped_reranker() -> None:
    assert load_settings().rerank_model == shipped_reranker()


def test_term_coverage_and_a_query_no_candidate_shares_words_with() -> None:
    from types import SimpleNamespace

    from docmine.model import Force
    from docmine.search.rerank import features

    def stored(text: str, section: tuple[str, ...] = (), doc: str = "care") -> SimpleNamespace:
        return SimpleNamespace(
            decision=SimpleNamespace(force=Force.MANDATORY),
            obligation=SimpleNamespace(links=SimpleNamespace(holder="")),
            other_bodies=(),
            clause=SimpleNamespace(text=text, provenance=SimpleNamespace(section=section)),
            document=SimpleNamespace(id=doc, title="Care and support statutory guidance"),
        )

    found = candidates([(1, 0.3), (2, 0.2)], lexical=[(1, 4.0)], dense=[(2, 0.6), (1, 0.5)])
    clauses = {
        1: stored("Councils must publish charging policies."),
        2: stored("Local authorities set out what people pay.", ("Charging", "Policy")),
    }
    rows = dict(features("publish charging policy", set(), found, clauses))  # type: ignore[arg-type]
    assert rows[1]["cover"] == 1.0 and rows[2]["cover"] == 0.0  # "policies" holds "policy"
    assert rows[2]["cos&weak"] == 0.0  # candidate 1 holds every word: the query is not weak
    # the words its headings and document title hold count apart
    assert rows[2]["cover_context"] == pytest.approx(2 / 3) and rows[1]["cover_context"] == 0.0
    paraphrase = dict(features("who foots the bill", set(), found, clauses))  # type: ignore[arg-type]
    assert paraphrase[2]["cos&weak"] == pytest.approx(0.6)  # no word shared: the cosine counts
    # its document: shares the best candidate's, and the best cosine of its other candidates
    # (the fused leader is candidate 1; candidate 9, fused first, is not stored)
    found = candidates(
        [(9, 0.4), (1, 0.3), (2, 0.2), (3, 0.1), (4, 0.05)],
        [],
        dense=[(2, 0.7), (1, 0.5), (3, 0.4), (4, 0.3)],
    )
    clauses = {
        1: stored("Councils must publish charging policies."),
        2: stored("Local authorities set out what people pay.", doc="other"),
        3: stored("Charges are reviewed each year."),
        4: stored("Charges are published.", doc="other"),
    }
    rows = dict(features("charging", set(), found, clauses))  # type: ignore[arg-type]
    assert [rows[r]["doc_top"] for r in (1, 2, 3, 4)] == [1.0, 0.0, 1.0, 0.0]
    assert [rows[r]["doc_cos"] for r in (1, 2, 3, 4)] == pytest.approx([0.4, 0.3, 0.5, 0.7])
    # the share of the query's words each candidate's whole document holds
    terms = {"care": frozenset({"charging", "policy"}), "other": frozenset({"charging"})}  # held
    rows = dict(features("charging policies", set(), found, clauses, terms))  # type: ignore[arg-type]
    assert [rows[r]["cover_document"] for r in (1, 2, 3, 4)] == [1.0, 0.5, 1.0, 0.5]
    rows = dict(features("charging policies", set(), found, clauses))  # type: ignore[arg-type]
    assert {rows[r]["cover_document"] for r in (1, 2, 3, 4)} == {0.0}  # no terms given


def test_training_pairs_order_one_querys_candidates_and_weigh_each_query_alike() -> None:
    import numpy as np

    from docmine.measure.train_rerank import pairs

    one = ([[3.0], [1.0], [0.0]], [2, 1, 0])  # three grades: three ordered pairs
    two = ([[1.0], [0.0]], [1, 0])  # one pair
    flat = ([[5.0], [4.0]], [0, 0])  # one grade: nothing to order
    empty: tuple[list[list[float]], list[int]] = ([], [])  # its filters kept nothing
    diffs, labels, weights = pairs([one, empty, two, flat], np.zeros(1), np.ones(1))
    assert len(diffs) == 4
    # the better minus the worse is labelled 1, the pair turned round 0
    assert all((d[0] > 0) == bool(y) for d, y in zip(diffs, labels, strict=True))
    assert set(labels.tolist()) == {0, 1}  # turned round on a coin: both classes
    assert weights.mean() == pytest.approx(1.0)
    assert weights[:3].sum() == pytest.approx(weights[3])  # each query weighs the same


def test_a_feature_the_tune_queries_never_vary_keeps_a_usable_scale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No tune query names a body, say: its column is constant, and the saved reranker must
    still score (a rounded 1e-9 scale once divided by zero at search time)."""
    import docmine.measure.train_rerank as train

    constant = FEATURES.index("body_match")

    def rows(seed: int) -> tuple[list[list[float]], list[int]]:
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(6, len(FEATURES)))
        x[:, constant] = 0.0
        return x.tolist(), [2, 1, 0, 0, 1, 0]

    monkeypatch.setattr(train, "examples", lambda store, cases, settings: [rows(0), rows(1)])
    model = train.fit_reranker([([], None)], Settings())  # type: ignore[list-item]
    assert model.scale[constant] == 1.0 and all(s > 0 for s in model.scale)
    model.save(tmp_path / "rerank.json")
    loaded = load_reranker(tmp_path / "rerank.json")
    assert loaded is not None and math.isfinite(loaded.score({name: 1.0 for name in FEATURES}))


def test_a_reranker_file_with_a_zero_scale_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rerank.json"
    model = Reranker(("cos", "mand"), (0.5, 0.0), (0.1, 0.0), (1.0, 2.0))
    model.save(path)
    with pytest.raises(ModelMissing, match="scale is not positive"):
        load_reranker(path)


def test_a_reranker_fitted_on_a_feature_search_no_longer_computes_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rerank.json"
    Reranker(("cos", "both"), (0.5, 0.5), (0.1, 0.5), (1.0, 0.4)).save(path)
    with pytest.raises(ModelMissing, match="no longer computes: \\['both'\\]"):
        load_reranker(path)
