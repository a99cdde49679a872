"""Search benchmark: synthetic stores of N clauses (build time, size, p50/p95 latency of each
mode with and without filters, beside a bare numpy top-k in the same run), embedding backends
(clauses/s, retrieval quality against torch fp32) and end-to-end ingest throughput by stage.

Synthetic clauses reuse the words of the demo corpus with its clause lengths; their vectors are
random unit vectors (the latency of a matrix product does not depend on what the vectors mean)."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from docmine.config import Settings
from docmine.extract import extract
from docmine.language.embed import clear_vectors, embed, model_key
from docmine.language.nlp import clear_parses
from docmine.measure.bench import wall_times
from docmine.measure.search_eval import evaluate_search, load_queries
from docmine.model import (
    Authority,
    Clause,
    Document,
    Filters,
    Force,
    ForceDecision,
    Links,
    Obligation,
    Provenance,
)
from docmine.pipeline import collect_files, ingest
from docmine.search import MODES, search
from docmine.search.dense import query_vector, to_blobs, vector_index
from docmine.segment import segment
from docmine.store import Store

CLAUSES_PER_DOCUMENT = 1000
HOLDERS = ("integrated care board", "local authority", "integrated care partnership", "")
FILTERS = {"none": Filters(), "force+holder": Filters(("mandatory",), holder=HOLDERS[0])}


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float


@dataclass
class IndexRow:
    """One synthetic store size."""

    size: int
    build_s: float
    store_mb: float
    load_s: float
    latency: dict[tuple[str, str], Latency] = field(default_factory=dict)
    numpy_top10: Latency = Latency(0, 0)


def corpus_clauses(folder: Path) -> list[str]:
    return [c.text for path in collect_files([folder]) for c in segment(extract(path))]


def _percentiles(samples: Sequence[float]) -> Latency:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Latency(statistics.median(ordered) * 1000, p95 * 1000)


def _timed(function: Callable[[], object], repeats: int) -> Latency:
    return _percentiles(wall_times(function, repeats))


def build_synthetic(store: Store, size: int, texts: Sequence[str], key: str, seed: int = 7) -> None:
    """`size` clauses in documents of 1000, words and lengths drawn from `texts`."""
    rng = random.Random(seed)
    words = [w for t in texts for w in t.split()]
    lengths = [len(t.split()) for t in texts]
    forces = list(Force)
    vectors_rng = np.random.default_rng(seed)
    for number in range(0, size, CLAUSES_PER_DOCUMENT):
        count = min(CLAUSES_PER_DOCUMENT, size - number)
        digest = hashlib.sha256(f"{seed}-{number}".encode()).hexdigest()
        drawn = []  # (text, force, holder) of each clause, drawn in the order they always were
        for _ in range(count):
            text = " ".join(rng.choices(words, k=rng.choice(lengths)))
            drawn.append((text, rng.choice(forces), rng.choice(HOLDERS)))
        document = Document(  # its text, as a real one's, holds its clauses (and their words)
            f"synthetic://{number}",
            f"Synthetic {number}",
            "text",
            digest,
            "\n\n".join(text for text, _, _ in drawn),
            (),
            Authority.GUIDANCE,
        )
        obligations = []
        for ordinal, (text, force, holder) in enumerate(drawn):
            # random texts may repeat: the occurrence keeps ids unique, as segmentation does
            clause = Clause(
                document.id,
                text,
                Provenance(1, ("Section",), 0, 0),
                ordinal=ordinal,
                occurrence=ordinal,
            )
            obligations.append(Obligation(clause, ForceDecision(force), Links(holder=holder)))
        hashes = [hashlib.sha256(o.clause.text.encode()).hexdigest()[:16] for o in obligations]
        matrix = vectors_rng.standard_normal((count, 384)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        store.add_document(
            document, obligations, hashes, dict(zip(hashes, to_blobs(matrix), strict=True)), key
        )


def bench_index(
    size: int, texts: Sequence[str], queries: Sequence[str], settings: Settings, repeats: int
) -> IndexRow:
    """Build a store of `size` clauses, then time every mode with and without filters."""
    key = model_key(settings.embedding_model, settings.embedding_backend)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        with Store(path) as store:
            started = time.perf_counter()
            build_synthetic(store, size, texts, key)
            build_s = time.perf_counter() - started
            size_mb = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
            started = time.perf_counter()
            index = vector_index(store, settings.embedding_model, settings.embedding_backend)
            row = IndexRow(size, build_s, size_mb, time.perf_counter() - started)
            for query in queries:  # query vectors are timed apart (embedding, not search)
                query_vector(query, settings.embedding_model, settings.embedding_backend)
            for mode in MODES:
                for name, filters in FILTERS.items():
                    search(store, queries[0], filters, 10, mode, settings)  # warm filter cache
                    row.latency[(mode, name)] = _time_queries(
                        store, queries, filters, mode, settings, repeats
                    )
            row.latency[("hybrid", "+embed")] = _time_queries(
                store, queries, Filters(), "hybrid", settings, repeats, embed_query=True
            )
            vector = query_vector(queries[0], settings.embedding_model, settings.embedding_backend)
            row.numpy_top10 = _timed(lambda: _numpy_top10(index.matrix, vector), repeats)
    return row


def _time_queries(
    store: Store,
    queries: Sequence[str],
    filters: Filters,
    mode: str,
    settings: Settings,
    repeats: int,
    embed_query: bool = False,
) -> Latency:
    """p50/p95 of `repeats` searches cycling through the queries; with `embed_query` each
    search embeds its query afresh (what a user's first search of a query pays)."""
    samples = []
    for number in range(repeats):
        if embed_query:  # forget the query vector everywhere it is remembered
            query_vector.cache_clear()
            clear_vectors()
        started = time.perf_counter()
        search(store, queries[number % len(queries)], filters, 10, mode, settings)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _numpy_top10(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    scores = matrix @ vector
    best = np.argpartition(-scores, 9)[:10]
    return best[np.argsort(-scores[best])]


@dataclass(frozen=True)
class BackendRow:
    backend: str
    clauses_per_s: float
    mean_cosine_to_torch: float
    dense_ndcg: float
    hybrid_ndcg: float


def bench_backends(
    corpus: Path, queries_file: Path, settings: Settings, backends: Sequence[str]
) -> list[BackendRow]:
    """Embedding speed (median of 3 runs over the corpus clauses) and retrieval quality."""
    texts = corpus_clauses(corpus)
    reference = embed(texts, settings.embedding_model, backend="torch", memo=False)
    cases = load_queries(queries_file)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "quality.db"
        with Store(store_path) as store:
            ingest([corpus], store, settings, embed_vectors=False)
            for backend in backends:
                embed(texts[:8], settings.embedding_model, backend=backend)  # load, export
                seconds = []
                for _ in range(3):
                    started = time.perf_counter()
                    vectors = embed(texts, settings.embedding_model, backend=backend, memo=False)
                    seconds.append(time.perf_counter() - started)
                chosen = dataclasses.replace(settings, embedding_backend=backend)
                scores = {s.mode: s.ndcg for s in evaluate_search(store, cases, chosen)}
                rows.append(
                    BackendRow(
                        backend,
                        len(texts) / statistics.median(seconds),
                        float(np.mean(np.sum(vectors * reference, axis=1))),
                        scores["dense"],
                        scores["hybrid"],
                    )
                )
    return rows


@dataclass(frozen=True)
class IngestRow:
    corpus: str
    files: int
    pages: int
    clauses: int
    seconds: float
    stage_seconds: dict[str, float]

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def clauses_per_s(self) -> float:
        return self.clauses / self.seconds if self.seconds else 0.0


def bench_ingest(folder: Path, settings: Settings, pattern: str = "") -> IngestRow:
    """Ingest a folder (only files matching `pattern`, e.g. "*.pdf", if given) into a fresh
    store with vectors, the model already loaded; seconds by stage."""
    embed(["warm up"], settings.embedding_model, backend=settings.embedding_backend)
    clear_vectors()  # no clause text starts out parsed or embedded by an earlier benchmark
    clear_parses()
    paths = sorted(folder.glob(pattern)) if pattern else [folder]
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "i.db") as store:
        started = time.perf_counter()
        results = ingest(paths, store, settings)
        seconds = time.perf_counter() - started
    stages: dict[str, float] = {}
    for result in results:
        for stage, spent in result.stage_seconds:
            stages[stage] = stages.get(stage, 0.0) + spent
    return IngestRow(
        str(folder),
        len(results),
        sum(r.pages for r in results),
        sum(r.clauses for r in results),
        seconds,
        stages,
    )


# very common words: the case that makes plain BM25 score every match
COMMON_QUERIES = ("care", "health and care services")


def format_report(
    indexes: Sequence[IndexRow], backends: Sequence[BackendRow], ingests: Sequence[IngestRow]
) -> str:
    """Plain-text tables to paste into a note."""
    lines = []
    if indexes:
        lines.append(
            "search latency (ms, p50/p95 over the query set; query embedding excluded except in "
            "hybrid+embed)"
        )
    header = f"{'clauses':>9} {'build s':>8} {'MB':>7} {'load s':>7} {'numpy top10':>12}"
    columns = [(m, f) for m in MODES for f in FILTERS] + [("hybrid", "+embed")]
    header += "".join(
        f" {m + {'none': '', '+embed': '+embed'}.get(f, '+filt'):>15}" for m, f in columns
    )
    if indexes:
        lines.append(header)
    for row in indexes:
        line = (
            f"{row.size:>9} {row.build_s:>8.1f} {row.store_mb:>7.0f} {row.load_s:>7.2f} "
            f"{row.numpy_top10.p50_ms:>5.1f}/{row.numpy_top10.p95_ms:<6.1f}"
        )
        for key in columns:
            latency = row.latency.get(key)
            line += f" {latency.p50_ms:>7.1f}/{latency.p95_ms:<7.1f}" if latency else f" {'-':>15}"
        lines.append(line)
    if indexes:
        lines.append(
            "dense/numpy p50 ratio: "
            + ", ".join(
                f"{r.size}: {r.latency[('dense', 'none')].p50_ms / r.numpy_top10.p50_ms:.1f}x"
                for r in indexes
                if r.numpy_top10.p50_ms
            )
        )
    if backends:
        lines += ["embedding backends (demo corpus clauses; nDCG@10 on the query set)"]
        lines.append(
            f"{'backend':<10} {'clauses/s':>10} {'cos-torch':>10} {'dense':>7} {'hybrid':>7}"
        )
        for b in backends:
            lines.append(
                f"{b.backend:<10} {b.clauses_per_s:>10.0f} {b.mean_cosine_to_torch:>10.4f} "
                f"{b.dense_ndcg:>7.3f} {b.hybrid_ndcg:>7.3f}"
            )
    if ingests:
        lines += ["ingest (fresh store, vectors included; seconds by stage)"]
        lines.append(
            f"{'corpus':<28} {'files':>5} {'pages':>5} {'clauses':>7} {'s':>6} {'pages/s':>8} "
            f"{'clauses/s':>9}  stages"
        )
        for i in ingests:
            stages = " ".join(f"{k}={v:.1f}" for k, v in i.stage_seconds.items())
            lines.append(
                f"{Path(i.corpus).name:<28} {i.files:>5} {i.pages:>5} {i.clauses:>7} "
                f"{i.seconds:>6.1f} {i.pages_per_s:>8.1f} {i.clauses_per_s:>9.0f}  {stages}"
            )
    return "\n".join(lines)


def benchmark_queries(queries_file: Path) -> list[str]:
    return [c.query for c in load_queries(queries_file)] + list(COMMON_QUERIES)
