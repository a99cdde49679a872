from docmine.search import Filters, search, snippet
from docmine.store import Store


def test_lexical_search_ranks_matching_clauses_first(corpus_store: Store) -> None:
    hits = search(corpus_store, "involve local Healthwatch integrated care strategy", limit=5)
    assert hits and "Healthwatch" in hits[0].row["text"]
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_filters_apply_inside_the_query(corpus_store: Store) -> None:
    hits = search(corpus_store, "strategy", Filters(force=("mandatory",)), limit=50)
    assert hits and all(h.row["force"] == "mandatory" for h in hits)
    holder = "integrated care partnership"
    assert all(
        h.row["holder"] == holder
        for h in search(corpus_store, "strategy", Filters(holder=holder), limit=50)
    )


def test_a_query_of_only_stopwords_or_symbols_finds_nothing(corpus_store: Store) -> None:
    assert search(corpus_store, "the of and") == []
    assert search(corpus_store, '"*) OR (') == []


def test_snippet_marks_the_terms() -> None:
    shown, spans = snippet("ICBs must publish a plan", ("publish",))
    assert [shown[a:b] for a, b in spans] == ["publish"]
