import os
import signal
from pathlib import Path

import numpy as np
import pytest

from docmine import search as search_module
from docmine.config import Settings, load_settings
from docmine.language.embed import model_key
from docmine.pipeline import ingest
from docmine.search import (
    Filters,
    defined_acronyms,
    fuse,
    parse_query,
    search,
    snippet,
)
from docmine.store import Store

GUIDANCE = """Duties of boards

Integrated care boards must publish a joint forward plan before April 2023.

The local authority should share its joint strategic needs assessment (JSNA) with partners.

Partners may wish to meet every quarter to review progress on the plan.
"""


@pytest.fixture()
def small_store(tmp_path: Path, store: Store, settings: Settings) -> Store:
    path = tmp_path / "guidance.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    ingest([path], store, settings, embed_vectors=False)
    return store


def test_lexical_search_ranks_matching_clauses_first(corpus_store: Store) -> None:
    hits = search(corpus_store, "involve local Healthwatch integrated care strategy", limit=5)
    assert hits and "Healthwatch" in hits[0].obligation.clause.text
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_filters_apply_inside_the_query(corpus_store: Store) -> None:
    hits = search(corpus_store, "strategy", Filters(force=("mandatory",)), limit=50)
    assert hits and all(h.obligation.decision.force == "mandatory" for h in hits)
    holder = "integrated care partnership"
    assert all(
        h.obligation.links.holder == holder
        for h in search(corpus_store, "strategy", Filters(holder=holder), limit=50)
    )


def test_a_query_of_only_stopwords_or_symbols_finds_nothing(corpus_store: Store) -> None:
    assert search(corpus_store, "the of and") == []
    assert search(corpus_store, '"*) OR (') == []


def test_snippet_marks_the_terms() -> None:
    shown, spans = snippet("ICBs must publish a plan", ("publish",))
    assert [shown[a:b] for a, b in spans] == ["publish"]


def test_acronyms_and_body_names_expand_in_queries(settings: Settings) -> None:
    parsed = parse_query("what must ICBs publish", settings)
    assert any('"integrated care board"' in g and '"ICB"' in g for g in parsed.groups)
    assert '"publish"' in parsed.groups and '"what"' not in parsed.groups
    lowercase = parse_query("icb duties", settings)
    assert any('"integrated care board"' in g for g in lowercase.groups)
    # a generic word that only sometimes names a body is searched as a word, never expanded
    assert parse_query("system leaders", settings).groups == ('"system"', '"leaders"')


def test_acronym_query_finds_the_spelled_out_body(small_store: Store) -> None:
    hits = search(small_store, "ICB forward plan", mode="lexical")
    assert hits and hits[0].obligation.clause.text.startswith("Integrated care boards must publish")
    shown, spans = snippet(hits[0].obligation.clause.text, hits[0].matched_terms)
    assert "Integrated care boards" in [shown[a:b] for a, b in spans]


def test_acronyms_the_documents_define_expand_too(small_store: Store) -> None:
    assert defined_acronyms([GUIDANCE])["JSNA"] == "joint strategic needs assessment"
    assert defined_acronyms(["the Care Quality Commission (CQC) said"]) == {
        "CQC": "care quality commission"
    }
    hits = search(small_store, "JSNA", mode="lexical")
    assert [h.obligation.decision.force for h in hits] == ["expectation"]


def test_a_query_spelling_out_a_defined_acronym_matches_the_acronym(settings: Settings) -> None:
    defined = {"SAB": "safeguarding adults boards"}
    parsed = parse_query("who must be members of a safeguarding adults board", settings, defined)
    assert '("safeguarding adults board" OR "safeguarding adults boards" OR "SAB")' in (
        parsed.groups
    )
    assert not any(
        "SAB" in group for group in parse_query("safeguarding children", settings, defined).groups
    )


def test_very_common_words_are_not_scored_on_every_match(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tiny threshold every word here is "common": rarer words decide, and a query of
    only common words is ANDed and scored over its newest matches, filters still applied."""
    monkeypatch.setattr(search_module, "COMMON_MATCHES", 2)
    lexical = search(small_store, "plan quarter", mode="lexical")
    assert [h.obligation.decision.force for h in lexical] == ["suggestion"]
    hits = search(small_store, "plan", Filters(force=("mandatory",)), mode="lexical")
    assert [h.obligation.decision.force for h in hits] == ["mandatory"]


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    lexical = [(1, 9.0), (2, 5.0), (3, 1.0)]
    dense = [(3, 0.9), (1, 0.8)]
    fused = fuse([lexical, dense], [1.0, 0.5], k=5)
    assert [rowid for rowid, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 6 + 0.5 / 7)


def test_unknown_mode_is_a_user_error(small_store: Store) -> None:
    from docmine.errors import BadInput

    with pytest.raises(BadInput, match="lexical, dense, hybrid"):
        search(small_store, "plan", mode="fuzzy")


def test_search_works_while_another_connection_is_ingesting(
    small_store: Store, settings: Settings, tmp_path: Path
) -> None:
    """WAL: a reader is never blocked by an open write transaction and sees only commits."""
    writer = Store(settings.db)
    before = search(small_store, "forward plan")
    with writer.transaction() as db:
        db.execute("UPDATE obligations SET force = 'none'")
        during = search(small_store, "forward plan")
        assert [h.obligation.decision.force for h in during] == [
            h.obligation.decision.force for h in before
        ]
        db.execute("SELECT 1")  # still inside the uncommitted transaction
    after = search(small_store, "forward plan")
    assert {h.obligation.decision.force for h in after} == {"none"}
    writer.close()


@pytest.mark.slow
def test_dense_search_embeds_missing_vectors_and_finds_paraphrases(
    small_store: Store, settings: Settings
) -> None:
    hits = search(small_store, "meet regularly to check how things are going", mode="dense")
    assert hits[0].obligation.clause.text.startswith("Partners may wish to meet every quarter")
    key = model_key(settings.embedding_model, settings.embedding_backend)
    assert small_store.missing_embeddings(key) == []


@pytest.mark.slow
def test_dense_and_hybrid_apply_filters_before_ranking(corpus_store: Store) -> None:
    for mode in ("dense", "hybrid"):
        hits = search(corpus_store, "carers", Filters(force=("mandatory",)), 20, mode)
        assert len(hits) == 20 and all(h.obligation.decision.force == "mandatory" for h in hits)


@pytest.mark.slow
def test_dense_index_sees_documents_committed_by_another_connection(
    small_store: Store, settings: Settings, tmp_path: Path
) -> None:
    search(small_store, "forward plan", mode="dense")  # loads and caches the matrix
    other = tmp_path / "more.txt"
    other.write_text("Carers\n\nHospitals should offer respite breaks to carers.\n", "utf-8")
    with Store(settings.db) as second:
        ingest([other], second, settings)
    hits = search(small_store, "short breaks for people who care for relatives", mode="dense")
    assert hits[0].obligation.clause.text.startswith("Hospitals should offer respite")


@pytest.mark.slow
def test_the_vector_memo_never_evicts_what_the_same_call_needs() -> None:
    from docmine.language.embed import Encoder

    encoder = Encoder(load_settings().embedding_model, "onnx-int8", memo_size=3)
    first = encoder.embed(["a", "b", "c"])
    again = encoder.embed(["a", "d", "e"])
    assert again.shape == (3, 384) and np.allclose(first[0], again[0], atol=1e-6)
    assert encoder.embed(list("abcde")).shape == (5, 384)


@pytest.mark.slow
def test_a_texts_vector_does_not_depend_on_the_texts_embedded_beside_it() -> None:
    """The int8 export quantises a run's activations over the whole batch: a clause must get
    the same vector whatever document (batch) it is embedded with."""
    from docmine.language.embed import Encoder

    encoder = Encoder(load_settings().embedding_model, "onnx-int8")
    clause = "However, we expect that investment in ICPs will improve partnerships."
    alone = encoder.embed([clause], memo=False)[0]
    beside = [
        "ICBs must publish a joint forward plan before the start of each financial year, and "
        "share it with every health and wellbeing board in their area, with its annexes.",
        "Engagement should be broad.",
    ]
    batched = encoder.embed([*beside, clause], memo=False)[-1]
    assert np.array_equal(alone, batched)


def test_a_span_vector_is_the_mean_state_of_the_tokens_it_overlaps() -> None:
    from docmine.language.embed import span_vector

    offsets = [(0, 0), (0, 4), (5, 8), (8, 9), (0, 0)]  # [CLS] ICBs may . [SEP]
    hidden = np.array([[9, 9], [1, 0], [0, 3], [2, 2], [9, 9]], dtype=np.float32)
    assert np.allclose(span_vector(offsets, hidden, (5, 8)), [0, 1])
    assert np.allclose(span_vector(offsets, hidden, (2, 7)), np.array([1, 3]) / np.sqrt(10))
    assert not span_vector(offsets, hidden, (20, 30)).any()  # cut off: zeros, not [CLS]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["onnx-int8", "torch"])
def test_a_modals_vector_carries_its_sense_in_context(backend: str) -> None:
    """The force model reads the deontic marker's own contextual vector: "may" of permission
    and "may" of possibility get different vectors, the same clause always the same one."""
    from docmine.language.embed import Encoder

    encoder = Encoder(load_settings().embedding_model, backend)
    texts = [
        "ICBs may delegate functions to a joint committee.",
        "This may reflect pressures on local services.",
        "ICBs may delegate functions to a joint committee.",
        "No marker here.",
    ]
    vectors = encoder.span_vectors(texts, [(5, 8), (5, 8), (5, 8), None])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1, atol=1e-5)
    assert not vectors[3].any()
    assert np.array_equal(vectors[0], vectors[2])
    assert float(vectors[0] @ vectors[1]) < 0.95
    fresh = Encoder(load_settings().embedding_model, backend)
    alone = fresh.span_vectors(texts[:1], [(5, 8)])
    assert np.allclose(alone[0], vectors[0], atol=1e-6)
    if backend == "onnx-int8":  # its marker's run also gave the sentence vector: the same one
        assert np.array_equal(encoder.embed(texts[:2]), fresh.embed(texts[:2], memo=False))


@pytest.mark.parametrize("backend", ["onnx-int8", "torch"])
def test_layer_pools_average_every_layer_and_share_the_markers_run(backend: str) -> None:
    """The force model's second block: each layer's mean token state (embeddings first), the
    same for a text whether its marker's run made it or a run of its own."""
    from docmine.language.embed import Encoder

    model = load_settings().embedding_model
    texts = ["ICBs may delegate functions to a joint committee.", "No marker here."]
    encoder = Encoder(model, backend)
    encoder.span_vectors(texts[:1], [(5, 8)])  # the first text's run, made for its marker
    pools = encoder.layer_pools(texts)
    assert pools.shape == (2, 7 * 384) and pools.dtype == np.float32
    fresh = Encoder(model, backend).layer_pools(texts[::-1])[::-1]
    assert np.allclose(pools, fresh, atol=1e-5)
    assert not np.allclose(pools[:, :384], pools[:, -384:])  # the layers differ
    if backend == "onnx-int8":  # the last layer's mean is the sentence vector, unnormalised
        last = pools[:, -384:] / np.linalg.norm(pools[:, -384:], axis=1, keepdims=True)
        assert np.allclose(last, encoder.embed(texts, memo=False), atol=1e-6)


@pytest.mark.slow
def test_hybrid_is_the_default_and_each_hit_says_why_it_matched(corpus_store: Store) -> None:
    hits = search(corpus_store, "duty to involve carers")
    assert hits and all(h.matched_by for h in hits)
    assert {why for h in hits for why in h.matched_by} <= {"words", "meaning"}
    assert search(corpus_store, "carers", mode="lexical")[0].why == "words"
    assert search(corpus_store, "carers", mode="dense")[0].why == "meaning"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_hybrid_search_works_in_a_process_forked_after_one(corpus_store: Store) -> None:
    # the dense half runs on a worker thread, which a forked child does not inherit
    expected = [h.obligation.clause.id for h in search(corpus_store, "duty to involve carers")]
    child = os.fork()
    if child == 0:  # the child: a hybrid search that hung would be killed by the alarm
        signal.alarm(60)
        try:  # its own connection: an SQLite connection is not carried across a fork
            with Store(corpus_store.path, read_only=True) as own:
                found = [h.obligation.clause.id for h in search(own, "duty to involve carers")]
            os._exit(0 if found == expected else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_same_clause_text_in_two_documents_is_one_hit_listing_both(
    tmp_path: Path, settings: Settings
) -> None:
    text = "ICBs must publish a joint forward plan before April 2023.\n"
    # two documents (the same file twice is one document: ingest stores a copy once)
    for name, title in (("a.txt", "Duties"), ("b.txt", "Duties of boards")):
        (tmp_path / name).write_text(f"{title}\n\n{text}", encoding="utf-8")
    with Store(settings.db) as store:
        ingest([tmp_path], store, settings, embed_vectors=False)
        (hit,) = search(store, "joint forward plan", mode="lexical")
        other = hit.to_json()["also_in"]
    assert len(other) == 1 and other[0]["source"] != hit.obligation.document.source
