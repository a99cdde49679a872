"""Finding obligations: filters applied inside the query, then lexical (FTS5 BM25), dense
(MiniLM cosine) or hybrid (both, fused by reciprocal rank) ranking.

`select` returns the filtered register (no query); `search` ranks it against a query. Body
names and acronyms in a query are expanded with the gazetteer, so "ICB" finds "integrated care
board"."""

from __future__ import annotations

import os
import re
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from docmine.config import Settings, load_settings
from docmine.errors import BadInput
from docmine.language.overlap import content_terms
from docmine.link.bodies import Gazetteer, find_bodies, load_gazetteer
from docmine.link.duties import load_duties
from docmine.model import (
    Deadline,
    DocumentRef,
    Filters,
    Force,
    Mention,
    Polarity,
    StoredObligation,
)
from docmine.search.dense import query_vector, top_k, vector_index
from docmine.search.rerank import (
    RERANK_DEPTH,
    Concept,
    candidates,
    concept_terms,
    features,
    load_reranker,
    word_concepts,
)
from docmine.search.thesaurus import LayTerm, load_thesaurus
from docmine.store import Store, like_escaped

_TOKEN = re.compile(r"[\w][\w'-]*")
_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how in is it its of on or that the their them "
    "this to was what when where which who will with".split()
)
_GENERIC_WORDS = frozenset({"system", "systems", "council", "councils", "voluntary", "partnership"})


@dataclass(frozen=True)
class Hit:
    """One stored obligation with its rank score and the query words it matched."""

    obligation: StoredObligation
    score: float = 0.0
    matched_terms: tuple[str, ...] = field(default_factory=tuple)
    # which ranking found it: "words" (BM25), "meaning" (the sentence vectors) or both
    matched_by: tuple[str, ...] = ()
    # the same clause text in other documents or versions, folded into this hit
    also_in: tuple[DocumentRef, ...] = ()

    @property
    def why(self) -> str:
        """One line on why the hit matched, e.g. "words and meaning"."""
        return " and ".join(self.matched_by)

    def to_json(self) -> dict[str, Any]:
        """The obligation as the CLI's --json and the web API return it."""
        stored = self.obligation
        clause, decision, links = stored.clause, stored.decision, stored.links
        deadline = links.deadline or Deadline("")
        return {
            "id": stored.id,
            "force": decision.force.value,
            "polarity": decision.polarity.value,
            "holder": links.holder,
            "duty": links.duty.id if links.duty else "",
            "duty_law": links.duty.law if links.duty else "",
            "deadline": deadline.text,
            "deadline_start": deadline.start,
            "deadline_end": deadline.end,
            "condition": decision.condition_text,
            "text": clause.text,
            "cue": decision.cue_text,
            "confidence": decision.confidence,
            "score": round(self.score, 4),
            "matched_by": list(self.matched_by),
            "also_in": [
                {"document_id": d.id, "document": d.title, "version": d.version, "source": d.source}
                for d in self.also_in
            ],
            "bodies": list(stored.other_bodies),
            "document_id": stored.document.id,
            "document": stored.document.title,
            "source": stored.document.source,
            "version": stored.document.version,
            "page": clause.provenance.page,
            "section": list(clause.provenance.section),
            "clause_ref": clause.ref,
            "span": [clause.provenance.start, clause.provenance.end],
        }


def where_clause(filters: Filters) -> tuple[str, list[Any]]:
    """SQL WHERE text and parameters for the filters (o = obligations, d = documents)."""
    conditions: list[str] = ["1=1"]
    params: list[Any] = []
    if filters.force:
        conditions.append(f"o.force IN ({','.join('?' * len(filters.force))})")
        params.extend(filters.force)
    for column, value in (
        ("o.polarity", filters.polarity),
        ("o.holder", filters.holder),
        ("o.duty", filters.duty),
    ):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if filters.body:
        conditions.append(
            "(o.holder = ? OR EXISTS (SELECT 1 FROM json_each(o.bodies) WHERE json_each.value = ?))"
        )
        params.extend([filters.body, filters.body])
    if filters.document:
        # the user's words, not LIKE patterns: "_" and "%" match themselves
        conditions.append(
            "(d.id LIKE ? ESCAPE '\\' OR d.source LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\')"
        )
        words = like_escaped(filters.document)
        params.extend([f"{words}%", f"%{words}%", f"%{words}%"])
    if filters.version is not None:
        conditions.append("d.version = ?")
        params.append(filters.version)
    elif not filters.all_versions:
        conditions.append(
            "d.version = (SELECT MAX(version) FROM documents x WHERE x.source = d.source)"
        )
    if filters.deadline_from:
        conditions.append("o.deadline_end != '' AND o.deadline_end >= ?")
        params.append(filters.deadline_from)
    if filters.deadline_to:
        conditions.append("o.deadline_start != '' AND o.deadline_start <= ?")
        params.append(filters.deadline_to)
    return " AND ".join(conditions), params


def checked_filters(filters: Filters, settings: Settings, store: Store | None = None) -> Filters:
    """The filters a user typed, checked, with body names made canonical ("ICBs", "ICB" and
    "Integrated Care Board" -> "integrated care board"). With the `store`, a holder, body or duty
    that neither the gazetteer nor the store knows is a BadInput, not an empty register (a body
    from a user's own file at ingest is one the store knows)."""
    _check_values(filters)
    stored = store.stored_names() if store is not None else None
    if store is not None and stored is not None:
        _check_stored(filters, settings, store, stored)
    gazetteer = _gazetteer(settings)
    names = {name.lower(): name for name in gazetteer.canonical_names}

    def canonical(name: str, value: str) -> str:
        if not value:
            return value
        found = names.get(value.strip().lower()) or gazetteer.canonical_for(value)
        if found is not None or stored is None:
            return found or value.strip()
        known = {v.lower(): v for v in stored["holder"] | stored["body"]}
        if value.strip().lower() in known:
            return known[value.strip().lower()]
        raise BadInput(
            f"{name} {value!r}: no body of that name in the gazetteer or the store; use a "
            "canonical name such as 'integrated care board' or an acronym such as 'ICB'"
        )

    return replace(
        filters,
        holder=canonical("holder", filters.holder),
        body=canonical("body", filters.body),
    )


def _check_values(filters: Filters) -> None:
    for value in filters.force:
        if value not in {f.value for f in Force}:
            raise BadInput(f"force {value!r}: use mandatory, expectation, suggestion or none")
    if filters.polarity and filters.polarity not in {p.value for p in Polarity}:
        raise BadInput(f"polarity {filters.polarity!r}: use positive or prohibition")
    dates = {"deadline-from": filters.deadline_from, "deadline-to": filters.deadline_to}
    for name, value in dates.items():
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"{name} {value!r}: give a date as YYYY-MM-DD") from None
    if all(dates.values()) and filters.deadline_from > filters.deadline_to:
        raise BadInput(f"deadline-from {filters.deadline_from} is after deadline-to")
    if filters.version is not None and filters.version < 1:
        raise BadInput(f"version {filters.version}: versions count from 1")


def _check_stored(
    filters: Filters, settings: Settings, store: Store, stored: dict[str, set[str]]
) -> None:
    """A duty, version or document the store does not hold is a BadInput."""
    duties = {d.id for d in load_duties(settings.duties)} | stored["duty"]
    if filters.duty and filters.duty not in duties:
        raise BadInput(f"duty {filters.duty!r}: not a duty id in {settings.duties.name}")
    if filters.version is not None and not store.matches(
        *where_clause(Filters(version=filters.version))
    ):
        raise BadInput(f"version {filters.version}: no document in the store has it")
    if filters.document and not store.matches(
        *where_clause(Filters(document=filters.document, all_versions=True))
    ):
        raise BadInput(f"document {filters.document!r}: no id, source or title in the store has it")


def select(store: Store, filters: Filters = Filters()) -> list[Hit]:
    """The filtered register in document order."""
    sql, params = where_clause(filters)
    return [Hit(stored) for stored in store.query(sql, params)]


def query_terms(query: str) -> list[str]:
    return [t for t in _TOKEN.findall(query.lower()) if t not in _STOPWORDS]


def fts_expression(terms: list[str]) -> str:
    """An FTS5 OR-query of quoted terms, so that BM25 ranks partial matches too."""
    return " OR ".join(_phrase(t) for t in terms)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Query:
    """A query as the searchers use it: one FTS5 group per concept (a body named in the query
    becomes all of its names: "ICB" -> ICB | integrated care board | ...), the words to mark in
    snippets, and the text to embed."""

    groups: tuple[str, ...]
    highlight: tuple[str, ...]
    dense_text: str
    lays: tuple[LayTerm, ...] = ()  # everyday phrases also searched as the guidance's terms
    text: str = ""  # as typed
    bodies: frozenset[str] = frozenset()  # the bodies (and defined acronyms) it names, canonical


def parse_query(query: str, settings: Settings, acronyms: dict[str, str] | None = None) -> Query:
    """Expand body names and acronyms with the gazetteer (read-only), with `acronyms` the
    documents define ("JSNA" -> "joint strategic needs assessment") and everyday phrases with the
    thesaurus ("bed sores" -> "pressure ulcer"); drop stopwords."""
    gazetteer = _gazetteer(settings)
    groups: list[str] = []
    highlight: list[str] = []
    rest = query
    spelled = _acronyms_of(acronyms or {})
    concepts: list[tuple[int, int, list[str]]] = []
    mentions = _query_mentions(query, gazetteer, acronyms or {})
    for mention in mentions:
        alternatives = [
            mention.text,
            *_names_of(gazetteer, mention.canonical),
            *spelled.get(mention.canonical, ()),
        ]
        concepts.append((mention.start, mention.end, alternatives))
    lays = _lay_terms(query, settings, mentions)
    concepts.extend((lay.start, lay.end, [lay.text, *lay.formal]) for lay in lays)
    for start, end, said in sorted(concepts, key=lambda c: -c[0]):
        names = dict.fromkeys(said)
        groups.insert(0, "(" + " OR ".join(_phrase(n) for n in names) + ")")
        highlight.extend(n.lower() for n in names)
        rest = rest[:start] + " " + rest[end:]
    terms = query_terms(rest)
    groups.extend(_phrase(t) for t in terms)
    highlight.extend(terms)
    # the dense side embeds the query as typed, then the formal terms of its lay phrases
    # ("bed sores (pressure ulcer)"); appending the expanded body names measured worse
    formal = dict.fromkeys(term for lay in lays for term in lay.formal)
    dense_text = f"{query} ({'; '.join(formal)})" if formal else query
    return Query(
        tuple(dict.fromkeys(groups)),
        tuple(dict.fromkeys(highlight)),
        dense_text,
        tuple(lays),
        query,
        frozenset(m.canonical for m in mentions),
    )


def _lay_terms(query: str, settings: Settings, mentions: list[Mention]) -> list[LayTerm]:
    """The query's everyday phrases the thesaurus knows, outside the bodies it names (a body
    keeps the gazetteer's names): one list for the lexical groups, the embedded text, the
    reranker's concepts and what the user is told."""
    return [
        lay
        for lay in load_thesaurus(settings.thesaurus).find(query)
        if not any(m.start < lay.end and lay.start < m.end for m in mentions)
    ]


@cache
def _gazetteer_from(paths: tuple[Path, ...]) -> Gazetteer:
    return load_gazetteer(paths)


def _gazetteer(settings: Settings) -> Gazetteer:
    return _gazetteer_from(tuple(settings.bodies_files))


def _query_bodies(query: str, gazetteer: Gazetteer) -> list[Mention]:
    """Bodies named in a query; acronyms in any case ("icbs"), generic words ("system") never."""
    found = find_bodies(query, gazetteer)
    covered = [(m.start, m.end) for m in found]
    acronyms = _acronyms(gazetteer)
    for match in _TOKEN.finditer(query):
        word = match.group(0).upper()
        bare = word[:-1] if word.endswith("S") and word[:-1] in acronyms else word
        if bare in acronyms and not any(s <= match.start() < e for s, e in covered):
            found.append(Mention(acronyms[bare], match.group(0), *match.span()))
    return [m for m in found if m.canonical and m.text.lower() not in _GENERIC_WORDS]


def _query_mentions(query: str, gazetteer: Gazetteer, defined: dict[str, str]) -> list[Mention]:
    """Bodies, then acronyms the documents define, named in the query (never overlapping), by
    the acronym ("SABs") or by what it stands for ("safeguarding adults board": the documents
    may say "SAB" only)."""
    found = _query_bodies(query, gazetteer)
    for match in _TOKEN.finditer(query):
        word = match.group(0)
        bare = word[:-1] if word.endswith("s") and word[:-1] in defined else word
        if bare in defined and not any(m.start <= match.start() < m.end for m in found):
            found.append(Mention(defined[bare], word, *match.span()))
    folded = query.lower()
    for phrase in set(defined.values()):
        stem = phrase[:-1] if phrase.endswith("s") else phrase
        if stem not in folded:  # most phrases: one substring test
            continue
        for match in re.finditer(rf"\b{re.escape(stem)}s?\b", folded):
            if not any(m.start < match.end() and match.start() < m.end for m in found):
                found.append(Mention(phrase, query[match.start() : match.end()], *match.span()))
    return found


def _acronyms_of(defined: dict[str, str]) -> dict[str, list[str]]:
    """What each phrase the documents define stands for: phrase -> its acronyms."""
    spelled: dict[str, list[str]] = {}
    for acronym, phrase in defined.items():
        spelled.setdefault(phrase, []).append(acronym)
    return spelled


_DEFINITION = re.compile(r"([A-Za-z][\w'-]*(?:[ -]+[A-Za-z][\w'-]*){1,7})\s*\(([A-Z]{2,8})s?\)")


def defined_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronyms the texts define: "joint strategic needs assessment (JSNA)" -> JSNA: phrase,
    where the initials of the phrase's last words spell the acronym."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _DEFINITION.finditer(text):
            words, acronym = match.group(1).split(), match.group(2)
            for n in range(min(len(words), len(acronym)), 1, -1):
                if "".join(w[0] for w in words[-n:]).upper() == acronym:
                    found.setdefault(acronym, " ".join(words[-n:]).lower())
                    break
    return found


_DEFINED: weakref.WeakKeyDictionary[Store, tuple[int, dict[str, str]]] = weakref.WeakKeyDictionary()


def store_acronyms(store: Store) -> dict[str, str]:
    """Acronyms the stored documents define, recomputed when a document is added."""
    documents = store.document_count()
    cached = _DEFINED.get(store)
    if cached is None or cached[0] != documents:
        cached = (documents, defined_acronyms(store.document_texts()))
        _DEFINED[store] = cached
    return cached[1]


@cache
def _acronyms(gazetteer: Gazetteer) -> dict[str, str]:
    """Acronyms of three letters or more (two-letter ones, "LA", are too often words)."""
    return {a: c for a, c in gazetteer.aliases if a.isupper() and len(a) >= 3}


@cache
def _names_of(gazetteer: Gazetteer, canonical: str) -> tuple[str, ...]:
    """A body's canonical name and its acronyms (other aliases, "NHS body", are too loose)."""
    acronyms = [a for a, c in gazetteer.aliases if c == canonical and a.replace("/", "").isupper()]
    return (canonical, *sorted(acronyms, key=len))


# lexical ------------------------------------------------------------------------------------
# A group matching more clauses than this is "common": scoring every match of such a word is
# what makes BM25 slow on big stores (880 ms for one common word at 1M clauses).
COMMON_MATCHES = 5000


def lexical_ranking(
    store: Store, parsed: Query, filters: Filters, limit: int
) -> list[tuple[int, float]]:
    """(rowid, BM25) best first. Common groups are dropped when rarer ones exist; a query of
    only common words is ANDed and, if still common, only its newest matches are scored."""
    if not parsed.groups:
        return []
    sql, params = where_clause(filters)
    try:
        rare = [g for g in parsed.groups if store.match_count(g, COMMON_MATCHES) < COMMON_MATCHES]
        if rare:
            return store.lexical_rowids(" OR ".join(rare), sql, params, limit)
        together = " AND ".join(parsed.groups)
        cap = (
            COMMON_MATCHES
            if store.match_count(together, COMMON_MATCHES) >= COMMON_MATCHES
            else None
        )
        return store.lexical_rowids(together, sql, params, limit, scan_cap=cap)
    except sqlite3.OperationalError:  # an expression FTS5 refuses: no lexical matches
        return []


def search_lexical(
    store: Store,
    query: str,
    filters: Filters = Filters(),
    limit: int = 10,
    settings: Settings | None = None,
    fold: bool = True,
) -> list[Hit]:
    """BM25 over clause text and section headings, best first."""
    settings = settings or load_settings()
    parsed = parse_query(query, settings, store_acronyms(store))
    ranking = lexical_ranking(store, parsed, filters, limit + DUPLICATES_SLACK)
    return _hits(store, ranking, parsed, limit, fold, words=ranking)


# dense and hybrid ---------------------------------------------------------------------------
def _prepare(store: Store, query: str, settings: Settings | None) -> tuple[Settings, Query]:
    """The settings to use (the caller's, else the defaults: once per query) and the parsed,
    expanded query."""
    chosen = settings or load_settings()
    return chosen, parse_query(query, chosen, store_acronyms(store))


def dense_ranking(
    store: Store, parsed: Query, filters: Filters, limit: int, settings: Settings
) -> list[tuple[int, float]]:
    """(rowid, cosine) best first over the filtered clauses; missing vectors are made first."""
    return _dense_task(store, parsed, filters, limit, settings)()


def _dense_task(
    store: Store, parsed: Query, filters: Filters, limit: int, settings: Settings
) -> Callable[[], list[tuple[int, float]]]:
    """The dense ranking in two halves: what needs the store (the vectors, the filtered rows)
    now, and the query's embedding and the product, which touch no store, as a function to run
    on another thread."""
    model, backend = settings.embedding_model, _backend(settings)
    index = vector_index(store, model, backend)
    sql, params = where_clause(filters)
    positions = index.positions(store, sql, params)

    def rank() -> list[tuple[int, float]]:
        return top_k(index, query_vector(parsed.dense_text, model, backend), positions, limit)

    return rank


# The query embedding and the vector product run on this thread while the lexical query runs on
# the calling one: SQLite and numpy both release the GIL, and with the product single-threaded
# (dense.top_k) each has a core. Measured on the 100k-clause benchmark store, the two rankings
# together: p50 25.4 -> 14.1 ms, p95 35.9 -> 25.2 ms (one run of the 42 benchmark queries x3).
_DENSE_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docmine-dense")


def _new_dense_worker() -> None:
    """A forked child inherits the executor but not its thread: give it its own, or its first
    hybrid search would wait forever."""
    global _DENSE_WORKER
    _DENSE_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docmine-dense")


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_dense_worker)


def search_dense(
    store: Store,
    query: str,
    filters: Filters = Filters(),
    limit: int = 10,
    settings: Settings | None = None,
    fold: bool = True,
) -> list[Hit]:
    """Cosine similarity of MiniLM vectors, best first."""
    settings, parsed = _prepare(store, query, settings)
    if not parsed.groups:  # only common words or symbols: nothing to mean
        return []
    ranking = dense_ranking(store, parsed, filters, limit + DUPLICATES_SLACK, settings)
    return _hits(store, ranking, parsed, limit, fold, meaning=ranking)


# Fusion settings measured with `docmine eval-search` (graded nDCG@10), chosen on the mean of
# the `tune` halves of ../shared/gold/train-queries.jsonl (246 short documents) and of
# tests/queries.jsonl (odd lines; 5 long documents), then read on the other halves. Weighted RRF
# over the top 30 of each ranking, k=20, equal weights: tune 0.418 and 0.642, test 0.474 and
# 0.546 (lexical alone: 0.340 / 0.677 tune, 0.410 / 0.616 test). The earlier setting for clause-
# only vectors (k=5, dense weight 0.5, top 20) scored 0.372 / 0.684 tune, 0.440 / 0.594 test; the
# setting best on the independent set alone (k=60, dense 1.5, top 50) dropped the long documents
# to 0.575 / 0.471.
RRF_K = 20
FUSION_DEPTH = 30
DENSE_WEIGHT = 1.0


def fuse(
    rankings: list[list[tuple[int, float]]],
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: score = sum over rankings of weight / (k + rank)."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, (rowid, _) in enumerate(ranking, start=1):
            fused[rowid] = fused.get(rowid, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def search_hybrid(
    store: Store,
    query: str,
    filters: Filters = Filters(),
    limit: int = 10,
    settings: Settings | None = None,
    fold: bool = True,
) -> list[Hit]:
    """Lexical and dense rankings fused by RRF: exact terms ("section 75") and paraphrases."""
    settings, parsed = _prepare(store, query, settings)
    if not parsed.groups:  # only common words or symbols: nothing to mean
        return []
    depth = max(FUSION_DEPTH, limit)
    reranker = load_reranker(settings.rerank_model)
    pool = max(depth, RERANK_DEPTH) if reranker else depth
    dense_later = _DENSE_WORKER.submit(_dense_task(store, parsed, filters, pool, settings))
    try:
        lexical = lexical_ranking(store, parsed, filters, pool)
    except BaseException:  # an error or Ctrl-C: do not leave the dense half queued behind
        dense_later.cancel()
        raise
    dense = dense_later.result()
    fused = fuse([lexical[:depth], dense[:depth]], [1.0, DENSE_WEIGHT])
    stored: dict[int, StoredObligation] = {}
    if reranker is not None:
        rows, stored = candidate_features(store, parsed, lexical, dense)
        ordered = reranker.order(rows)
        placed = {rowid for rowid, _ in ordered}
        fused = ordered + [item for item in fused if item[0] not in placed]
    fused = fused[: limit + DUPLICATES_SLACK]
    return _hits(store, fused, parsed, limit, fold, words=lexical, meaning=dense, known=stored)


def rerank_candidates(
    store: Store,
    parsed: Query,
    lexical: list[tuple[int, float]],
    dense: list[tuple[int, float]],
) -> list[tuple[int, dict[str, float]]]:
    """The reranker's candidates, each with its features (`candidate_features` without the
    obligations)."""
    return candidate_features(store, parsed, lexical, dense)[0]


def candidate_features(
    store: Store,
    parsed: Query,
    lexical: list[tuple[int, float]],
    dense: list[tuple[int, float]],
) -> tuple[list[tuple[int, dict[str, float]]], dict[int, StoredObligation]]:
    """The reranker's candidates, each with its features, and their obligations by rowid (search
    shows them without reading them again). The candidates: the fusion of both rankings' top
    `FUSION_DEPTH` (whatever the page size), topped up from either ranking. Search and `docmine
    train-rerank` both build them here, from the query `parse_query` read."""
    fused = fuse([lexical[:FUSION_DEPTH], dense[:FUSION_DEPTH]], [1.0, DENSE_WEIGHT])
    found = candidates(fused, lexical, dense)
    stored = store.obligations_by_rowid(list(found.rowids))
    concepts = query_concepts(parsed.text, parsed.lays)
    held = store.words_in_documents(
        {o.document.id for o in stored.values()}, concept_terms(concepts)
    )
    return features(parsed.text, set(parsed.bodies), found, stored, held, concepts), stored


def read_as(store: Store, query: str, settings: Settings | None = None) -> str:
    """What the query's everyday phrases were also searched as, for the user ("" if none):
    '"bed sores" as pressure ulcer'."""
    parsed = parse_query(query, settings or load_settings(), store_acronyms(store))
    return "; ".join(f'"{lay.text}" as {" / ".join(lay.formal)}' for lay in parsed.lays)


def query_concepts(query: str, lays: Sequence[LayTerm]) -> list[Concept]:
    """What the reranker counts a query's coverage by: each lay phrase, as typed or as any of
    its formal terms (a phrase of short words, "AI", weighs one word), and each other content
    word."""
    concepts: list[Concept] = []
    rest = query
    for lay in sorted(lays, key=lambda t: -t.start):
        typed = frozenset(content_terms(lay.text) or {lay.text.lower()})
        others = (frozenset(content_terms(term)) for term in lay.formal)
        concepts.append((typed, *(words for words in others if words)))
        rest = rest[: lay.start] + " " + rest[lay.end :]
    return [*word_concepts(rest), *concepts]


def _backend(settings: Settings) -> str:
    return settings.embedding_backend


# extra ranks fetched so that folding repeated clause texts still fills the page
DUPLICATES_SLACK = 10


def _hits(
    store: Store,
    ranking: list[tuple[int, float]],
    parsed: Query,
    limit: int,
    fold: bool = True,
    words: Sequence[tuple[int, float]] = (),
    meaning: Sequence[tuple[int, float]] = (),
    known: dict[int, StoredObligation] | None = None,
) -> list[Hit]:
    """The ranked obligations, each saying which ranking found it; with `fold`, one per clause
    text (the same sentence in other documents or versions is listed on the first hit).
    `known`: obligations already fetched (the reranker's candidates), not read again."""
    known = known or {}
    found = {**known, **store.obligations_by_rowid([r for r, _ in ranking if r not in known])}
    lexical, dense = {r for r, _ in words}, {r for r, _ in meaning}
    first: dict[str, int] = {}
    hits: list[Hit] = []
    for rowid, score in ranking:
        if rowid not in found:
            continue
        stored = found[rowid]
        key = " ".join(stored.clause.text.casefold().split()) if fold else str(rowid)
        if key in first:
            kept = hits[first[key]]
            if stored.document not in (kept.obligation.document, *kept.also_in):
                hits[first[key]] = replace(kept, also_in=(*kept.also_in, stored.document))
            continue
        if len(hits) == limit:
            continue  # still fold later copies into the hits shown
        why = tuple(name for name, ids in (("words", lexical), ("meaning", dense)) if rowid in ids)
        first[key] = len(hits)
        hits.append(Hit(stored, score, parsed.highlight, why))
    return hits


Searcher = Callable[..., list[Hit]]
SEARCHERS: dict[str, Searcher] = {
    "lexical": search_lexical,
    "dense": search_dense,
    "hybrid": search_hybrid,
}
MODES = tuple(SEARCHERS)


def search(
    store: Store,
    query: str,
    filters: Filters = Filters(),
    limit: int = 10,
    # hybrid leads on the independent query set (graded nDCG@10, test half: hybrid 0.457,
    # lexical 0.410, dense 0.425; README); lexical stays one option away and needs no model
    mode: str = "hybrid",
    settings: Settings | None = None,
    fold: bool = True,
) -> list[Hit]:
    """Ranked obligations for a free-text query (mode: lexical, dense or hybrid); with `fold`
    (the default) the same clause text in several documents or versions is one hit."""
    if mode not in SEARCHERS:
        raise BadInput(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
    return SEARCHERS[mode](store, query, filters, limit, settings, fold=fold)


def snippet(
    text: str, terms: tuple[str, ...], width: int = 220
) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around the first matched term, and the spans of every term in it."""
    lowered = text.lower()
    first = min((i for t in terms if (i := lowered.find(t)) >= 0), default=0)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    shown = prefix + window + suffix
    spans = [
        (m.start(), m.end())
        for t in terms
        for m in re.finditer(rf"\b{re.escape(t)}\w*", shown, re.IGNORECASE)
    ]
    return shown, sorted(spans)


def highlight_parts(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) pieces at the given spans, overlaps ignored."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for start, end in spans:
        if start < last:
            continue
        parts += [(text[last:start], False), (text[start:end], True)]
        last = end
    parts.append((text[last:], False))
    return [p for p in parts if p[0]]
