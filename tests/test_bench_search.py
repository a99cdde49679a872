from pathlib import Path

from docmine.measure.bench_search import (
    FILTERS,
    IndexRow,
    Latency,
    benchmark_queries,
    build_synthetic,
    format_report,
)
from docmine.model import Filters
from docmine.search import MODES, search
from docmine.store import Store

TEXTS = [
    "Integrated care boards must publish a joint forward plan before April 2023.",
    "Local authorities should share the needs assessment with the partnership.",
    "Partners may meet every quarter.",
]


def test_a_synthetic_store_has_the_clauses_vectors_and_filters_asked_for(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        build_synthetic(store, 1500, TEXTS, "model-x")
        assert store.clause_count() == 1500
        assert store.missing_embeddings("model-x") == []
        assert len(store.documents()) == 2  # documents of 1000 clauses
        hits = search(store, "forward plan", FILTERS["force+holder"], 10, "lexical")
        assert hits
        assert all(
            (h.obligation.decision.force, h.obligation.links.holder)
            == ("mandatory", "integrated care board")
            for h in hits
        )
        assert search(store, "forward plan", Filters(), 5, "lexical")


def test_the_report_is_a_table_with_every_mode_and_the_numpy_ratio() -> None:
    row = IndexRow(10000, 1.5, 27.0, 0.3, numpy_top10=Latency(0.5, 0.9))
    for mode in MODES:
        for name in FILTERS:
            row.latency[(mode, name)] = Latency(1.0, 2.0)
    report = format_report([row], [], [])
    assert "numpy top10" in report and "hybrid+filt" in report
    assert "10000: 2.0x" in report


def test_benchmark_queries_add_very_common_words() -> None:
    queries = benchmark_queries(Path(__file__).resolve().parent / "queries.jsonl")
    assert "care" in queries and len(queries) > 30
