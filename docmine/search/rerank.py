"""A learned reranker over hybrid search's fused candidates.

Reciprocal rank fusion sees only ranks; the reranker also weighs the BM25 score against the best
one, the cosine, the share of the query's words the clause holds, the share its headings and
document title hold and the share its whole document holds (and, for a query whose words no
candidate holds, the cosine again: a paraphrase leans on meaning), the clause's length, its
document (relevant clauses cluster: whether it shares the document of the best fused candidate,
and the best cosine among the other candidates of its document), and what the query asks for: a
"must"/"duty" question toward mandatory clauses, a "should" question toward expectations, a body
named in the query toward clauses it holds or is named in. A linear score over those features
(`docmine train-rerank`: a logistic regression on pairs of one query's candidates, the
better-judged against the worse, on the `tune` halves of the query sets only) orders the top 50;
it is a few multiplications per candidate, so it costs no measurable time beside the searches it
combines.

Whether both rankings found a clause was a feature until it failed across corpora: fitted on the
independent set's short pages alone, the reranker ranked the demo set's long documents below
rank fusion (tune half 0.618 against 0.719), and without that feature 0.687, while its
cross-validation on the independent set rose 0.585 -> 0.595 (docs/measurements.md)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docmine.errors import ModelMissing
from docmine.language.overlap import content_terms
from docmine.model import Force, StoredObligation

FORMAT = "docmine-rerank-1"
RERANK_DEPTH = 50  # candidates reordered: the fused list, then the rest of either ranking
RRF_K = 20
_MANDATORY_QUESTION = re.compile(
    r"\b(?:must|required?|requirements?|duty|duties|obliged|statutory|legal(?:ly)?)\b", re.I
)
_EXPECTATION_QUESTION = re.compile(r"\b(?:should|expected|expectations?)\b", re.I)
FEATURES = (
    "body_match",
    "cos",
    "cos&weak",
    "cover",
    "cover_context",
    "cover_document",
    "den_rr",
    "doc_cos",
    "doc_top",
    "expect",
    "fused_rr",
    "holder_match",
    "instruction",
    "len",
    "lex_norm",
    "lex_rr",
    "mand",
    "sugg",
    "want_mand&mand",
    "want_should&expect",
)


@dataclass(frozen=True)
class Candidates:
    """One query's candidates in fused order, with what each ranking said of them."""

    rowids: tuple[int, ...]
    lexical: dict[int, tuple[int, float]]  # rowid -> (rank from 0, BM25 score)
    dense: dict[int, tuple[int, float]]  # rowid -> (rank from 0, cosine)


def candidates(
    fused: Sequence[tuple[int, float]],
    lexical: Sequence[tuple[int, float]],
    dense: Sequence[tuple[int, float]],
    depth: int = RERANK_DEPTH,
) -> Candidates:
    """The fused list, topped up from either ranking, `depth` long."""
    ids = [rowid for rowid, _ in fused][:depth]
    seen = set(ids)
    for rowid, _ in [*lexical, *dense]:
        if len(ids) >= depth:
            break
        if rowid not in seen:
            ids.append(rowid)
            seen.add(rowid)
    return Candidates(
        tuple(ids),
        {r: (i, s) for i, (r, s) in enumerate(lexical)},
        {r: (i, s) for i, (r, s) in enumerate(dense)},
    )


# One concept of a query: the content words it was typed with, then the words of each other
# way of saying it (a lay phrase's formal terms); a clause covers it by any of them.
Concept = tuple[frozenset[str], ...]


def word_concepts(query: str) -> list[Concept]:
    """Each content word of the query a concept of its own."""
    return [(frozenset({term}),) for term in sorted(content_terms(query))]


def concept_terms(concepts: Sequence[Concept]) -> set[str]:
    """Every word any concept may be covered by."""
    return {term for concept in concepts for words in concept for term in words}


def coverage(concepts: Sequence[Concept], held: set[str] | frozenset[str]) -> float:
    """The share of the query's words a text covers: each concept weighs as many words as it
    was typed with and counts the best share of any of its ways of saying it."""
    total = sum(len(concept[0]) for concept in concepts)
    if not total:
        return 0.0
    return (
        sum(
            len(concept[0]) * max(len(words & held) / len(words) for words in concept)
            for concept in concepts
        )
        / total
    )


def features(
    query: str,
    query_bodies: set[str],
    found: Candidates,
    obligations: dict[int, StoredObligation],
    document_words: dict[str, frozenset[str]] | None = None,
    concepts: Sequence[Concept] | None = None,
) -> list[tuple[int, dict[str, float]]]:
    """(rowid, named features) of each candidate that is stored, in fused order.
    `document_words`: which of the concepts' words each candidate's document holds, by
    document id; `concepts`: what the query is about (default: each of its content words)."""
    best = max((s for _, s in found.lexical.values()), default=0.0)
    concepts = word_concepts(query) if concepts is None else concepts
    covers = {
        rowid: coverage(concepts, content_terms(stored.clause.text))
        for rowid, stored in obligations.items()
    }
    context = {
        rowid: coverage(
            concepts,
            content_terms(" ".join((*stored.clause.provenance.section, stored.document.title))),
        )
        for rowid, stored in obligations.items()
    }
    # the share of the query's words its whole document holds: a clause that answers a query
    # need not repeat every word of it when its document does (document evidence for passages)
    in_document = {
        document: coverage(concepts, words) for document, words in (document_words or {}).items()
    }
    # how far the query's own words are from every candidate: a paraphrase leans on meaning
    weak = 1.0 - max(covers.values(), default=0.0)
    # the cluster hypothesis: relevant clauses come in documents, so a candidate whose document
    # holds the best fused candidate, or another close match, is likelier relevant
    leader = next((obligations[r] for r in found.rowids if r in obligations), None)
    close: dict[str, list[float]] = {}
    for rowid in found.dense.keys() & obligations.keys():
        close.setdefault(obligations[rowid].document.id, []).append(found.dense[rowid][1])
    wants_mandatory = bool(_MANDATORY_QUESTION.search(query))
    wants_expectation = bool(_EXPECTATION_QUESTION.search(query))
    rows = []
    for rank, rowid in enumerate(found.rowids):
        stored = obligations.get(rowid)
        if stored is None:
            continue
        force = stored.decision.force
        holder = stored.obligation.links.holder
        named = set(stored.other_bodies) | ({holder} if holder else set())
        lexical, dense = found.lexical.get(rowid), found.dense.get(rowid)
        mates = sorted(close.get(stored.document.id, ()), reverse=True)
        if dense is not None:  # the others: drop this candidate's own cosine once
            mates.remove(dense[1])
        rows.append(
            (
                rowid,
                {
                    "fused_rr": 1 / (RRF_K + rank + 1),
                    "lex_rr": 1 / (RRF_K + lexical[0] + 1) if lexical else 0.0,
                    "den_rr": 1 / (RRF_K + dense[0] + 1) if dense else 0.0,
                    "lex_norm": lexical[1] / best if lexical and best else 0.0,
                    "cos": dense[1] if dense else 0.0,
                    "cover": covers.get(rowid, 0.0),
                    "cover_context": context.get(rowid, 0.0),
                    "cover_document": in_document.get(stored.document.id, 0.0),
                    "cos&weak": (dense[1] if dense else 0.0) * weak,
                    "doc_top": float(
                        leader is not None and stored.document.id == leader.document.id
                    ),
                    "doc_cos": mates[0] if mates else 0.0,
                    "instruction": float(force != Force.NONE),
                    "mand": float(force == Force.MANDATORY),
                    "expect": float(force == Force.EXPECTATION),
                    "sugg": float(force == Force.SUGGESTION),
                    "want_mand&mand": float(wants_mandatory and force == Force.MANDATORY),
                    "want_should&expect": float(wants_expectation and force == Force.EXPECTATION),
                    "holder_match": float(bool(query_bodies) and holder in query_bodies),
                    "body_match": float(bool(query_bodies & named)),
                    "len": math.log(1 + len(stored.clause.text)),
                },
            )
        )
    return rows


@dataclass(frozen=True)
class Reranker:
    """Standardised features times weights: a higher score ranks first."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float = 0.0
    about: str = ""  # how and on what it was fitted

    def score(self, named: dict[str, float]) -> float:
        return self.intercept + sum(
            w * (named.get(n, 0.0) - m) / s
            for n, m, s, w in zip(self.names, self.mean, self.scale, self.weights, strict=True)
        )

    def order(self, rows: Sequence[tuple[int, dict[str, float]]]) -> list[tuple[int, float]]:
        """(rowid, score) best first; ties keep the fused order."""
        scored = [(rowid, self.score(named)) for rowid, named in rows]
        return sorted(scored, key=lambda item: -item[1])

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


@cache
def _load(path: Path, mtime_ns: int) -> Reranker:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        model = Reranker(
            names=tuple(data["names"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
            intercept=float(data.get("intercept", 0.0)),
            about=str(data.get("about", "")),
        )
        sizes = {len(model.names), len(model.mean), len(model.scale), len(model.weights)}
        if len(sizes) != 1 or not all(math.isfinite(v) for v in model.weights):
            raise ValueError("its columns do not line up")
        if not all(s > 0 and math.isfinite(s) for s in model.scale) or not all(
            math.isfinite(m) for m in model.mean
        ):
            raise ValueError("a feature's scale is not positive and finite")
        if unknown := sorted(set(model.names) - set(FEATURES)):
            # a reranker fitted on features search no longer computes: its other weights were
            # fitted beside them
            raise ValueError(f"it reads features search no longer computes: {unknown}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelMissing(
            f"{path}: not a usable reranker ({exc}); run docmine train-rerank"
        ) from None
    return model


def load_reranker(path: Path | None) -> Reranker | None:
    """The reranker at `path` (None: no file there, search fuses ranks alone)."""
    if path is None or not path.is_file():
        return None
    return _load(path, path.stat().st_mtime_ns)
