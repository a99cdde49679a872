"""Search quality on a judged query set: graded nDCG@10, Recall@10 and MRR per search mode, per
query type and half, beside plain BM25 over the gold clauses in the same run.

A query file is JSONL, one object a line: `query`, optional `filters` (the fields of
`search.Filters`), and `relevant`: either strings (clause texts or substrings of them, which
survive re-segmentation, or obligation ids; grade 1) or judgements `{"id", "grade", "text"}` as
in `../shared/gold/train-queries.jsonl` (optional `qid`, `type`, `half`). A stored clause meets a
judgement when it has the judgement's id, contains its text, or is a part of it (at least half of
it: docmine split the judged clause). Each judgement is credited once, at the first clause of the
ranking that meets it; the ideal ranking is the judgements by grade, so a judged clause docmine
never stored still counts against it."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from docmine.config import Settings
from docmine.errors import BadInput
from docmine.measure.textfile import read_text
from docmine.model import Filters
from docmine.search import MODES, search, select
from docmine.store import Store

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_FILTER_FIELDS = {f.name for f in fields(Filters)}
BASELINE = "bm25 (gold clauses)"


@dataclass(frozen=True)
class Judgement:
    """One relevant clause of a query: its text (or a substring), grade and id."""

    text: str
    grade: int = 1
    id: str = ""


@dataclass(frozen=True)
class QueryCase:
    query: str
    relevant: tuple[Judgement, ...]
    filters: Filters = field(default_factory=Filters)
    qid: str = ""
    kind: str = ""  # keyword | question | paraphrase
    half: str = ""  # tune | test


@dataclass(frozen=True)
class ModeScores:
    """Scores of one mode: (nDCG@k, Recall@k, reciprocal rank) per query, in query order."""

    mode: str
    per_query: tuple[tuple[float, float, float], ...]

    def mean(self, keep: Sequence[bool] | None = None) -> tuple[float, float, float]:
        rows = [
            r
            for r, k in zip(self.per_query, keep or [True] * len(self.per_query), strict=True)
            if k
        ]
        if not rows:
            return 0.0, 0.0, 0.0
        ndcg, recall, mrr = (sum(column) / len(rows) for column in zip(*rows, strict=True))
        return ndcg, recall, mrr

    @property
    def ndcg(self) -> float:
        return self.mean()[0]

    @property
    def mrr(self) -> float:
        return self.mean()[2]


def _judgement(item: Any) -> Judgement:
    if isinstance(item, Mapping):
        return Judgement(str(item["text"]), int(item.get("grade", 1)), str(item.get("id", "")))
    return Judgement(str(item), 1, str(item))


def load_queries(path: Path) -> list[QueryCase]:
    """Read a query file; a malformed line is a BadInput naming the line."""
    cases = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            filters = dict(data.get("filters") or {})
            unknown = set(filters) - _FILTER_FIELDS
            if unknown or not data["query"] or not data["relevant"]:
                raise ValueError(f"unknown filters {sorted(unknown)}" if unknown else "empty")
            if "force" in filters:
                filters["force"] = tuple(filters["force"])
            cases.append(
                QueryCase(
                    str(data["query"]),
                    tuple(_judgement(r) for r in data["relevant"]),
                    Filters(**filters),
                    qid=str(data.get("qid", "")),
                    kind=str(data.get("type", "")),
                    half=str(data.get("half", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BadInput(
                f"line {number}: needs `query` and `relevant` (texts, ids or "
                f"{{id, grade, text}}), optional `filters`: {error}",
                str(path),
            ) from None
    if not cases:
        raise BadInput("no queries: the file has no JSON lines", str(path))
    return cases


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def meets(clause_id: str, clause_text: str, judgement: Judgement) -> bool:
    """Whether a stored clause is the judged one (see the module docstring)."""
    if judgement.id and judgement.id == clause_id:
        return True
    wanted, found = _normal(judgement.text), _normal(clause_text)
    if not wanted or not found:
        return False
    return wanted in found or (found in wanted and 2 * len(found) >= len(wanted))


def judged_rows(store: Store, case: QueryCase) -> dict[int, tuple[int, ...]]:
    """rowid -> the indices of the case's judgements the clause meets (clauses passing the
    case's filters)."""
    found: dict[int, tuple[int, ...]] = {}
    for hit in select(store, case.filters):
        stored = hit.obligation
        met = tuple(
            i for i, j in enumerate(case.relevant) if meets(stored.id, stored.clause.text, j)
        )
        if met:
            found[stored.rowid] = met
    return found


def relevant_rowids(store: Store, case: QueryCase) -> set[int]:
    """Clauses passing the case's filters that meet one of its judgements."""
    return set(judged_rows(store, case))


def score_ranking(
    ranked: Sequence[Any],
    credits: Mapping[Any, Sequence[int]] | set[Any],
    grades: Sequence[int] | None = None,
    k: int = 10,
) -> tuple[float, float, float]:
    """(graded nDCG@k, Recall@k, reciprocal rank) of one ranking. `credits` maps a ranked item
    to the judgements it meets (a set: each item is its own grade-1 judgement); each judgement
    counts once, at its first item."""
    if isinstance(credits, set):
        order = {item: i for i, item in enumerate(sorted(credits, key=str))}
        credits = {item: (i,) for item, i in order.items()}
        grades = [1] * len(order)
    grades = list(grades or [])
    if not grades:
        return 0.0, 0.0, 0.0
    credited: set[int] = set()
    dcg, first = 0.0, None
    for rank, item in enumerate(ranked):
        fresh = [j for j in credits.get(item, ()) if j not in credited]
        if not fresh:
            continue
        if first is None:
            first = rank
        if rank < k:
            best = max(fresh, key=lambda j: grades[j])
            credited.add(best)
            dcg += grades[best] / math.log2(rank + 2)
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(grades, reverse=True)[:k]))
    recall = len(credited) / len(grades)
    return dcg / ideal, recall, 0.0 if first is None or first >= k else 1.0 / (first + 1)


def evaluate_search(
    store: Store,
    cases: Sequence[QueryCase],
    settings: Settings,
    modes: Sequence[str] = MODES,
    k: int = 10,
) -> list[ModeScores]:
    """Graded nDCG@k, Recall@k and MRR@k of each mode, per query (each searched for its top k)."""
    judged = [judged_rows(store, c) for c in cases]
    if missing := [c.query for c, r in zip(cases, judged, strict=True) if not r]:
        raise BadInput(f"no stored clause is relevant to: {'; '.join(missing[:3])}")
    results = []
    for mode in modes:
        rows = []
        for case, credits in zip(cases, judged, strict=True):
            hits = search(store, case.query, case.filters, k, mode, settings)
            grades = [j.grade for j in case.relevant]
            rows.append(score_ranking([h.obligation.rowid for h in hits], credits, grades, k))
        results.append(ModeScores(mode, tuple(rows)))
    return results


def gold_clauses(path: Path, documents: Iterable[str]) -> list[tuple[str, str]]:
    """(id, text) of the gold clauses (train.jsonl) of the given documents (file stems)."""
    wanted = set(documents)
    found = []
    for line in read_text(path).splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("doc") in wanted:
                found.append((str(row["id"]), str(row["text"])))
    return found


def bm25_baseline(
    cases: Sequence[QueryCase], clauses: Sequence[tuple[str, str]], k: int = 10
) -> ModeScores:
    """Plain BM25 (SQLite FTS5, an OR of the query's words, no expansion, no filters) over
    perfectly split clauses: the yardstick the modes are read against."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE clauses USING fts5(id UNINDEXED, text)")
    db.executemany("INSERT INTO clauses (id, text) VALUES (?, ?)", clauses)
    rows = []
    for case in cases:
        words = " OR ".join(f'"{w}"' for w in _WORD.findall(case.query.lower()))
        ranked = [
            r[0]
            for r in db.execute(
                "SELECT id FROM clauses WHERE clauses MATCH ? ORDER BY rank LIMIT ?", (words, k)
            )
        ]
        credits = {
            clause_id: tuple(i for i, j in enumerate(case.relevant) if j.id == clause_id)
            for clause_id in ranked
        }
        rows.append(score_ranking(ranked, credits, [j.grade for j in case.relevant], k))
    db.close()
    return ModeScores(BASELINE, tuple(rows))


def _shares_a_clause(case: QueryCase, ids: set[str], texts: Sequence[str]) -> bool:
    """Whether a stored clause could meet one of the case's judgements and one of the others
    (given by their ids and normalised texts), the ways `meets` credits: the same id, or one
    text inside the other."""
    for judgement in case.relevant:
        if judgement.id and judgement.id in ids:
            return True
        mine = _normal(judgement.text)
        if mine and any(mine in other or other in mine for other in texts if other):
            return True
    return False


def subsets(cases: Sequence[QueryCase]) -> list[tuple[str, list[bool]]]:
    """(name, mask) of every query subset worth its own line: all, each half, each type, and
    the test queries that share no judged clause with a tune query ("test unshared"): a model
    fitted on the tune half can learn where those clauses are, so a gain only on the shared
    ones is memory, not search."""
    found = [("all", [True] * len(cases))]
    for attribute in ("half", "kind"):
        for value in sorted({getattr(c, attribute) for c in cases} - {""}):
            found.append((value, [getattr(c, attribute) == value for c in cases]))
    tuned = [j for c in cases if c.half == "tune" for j in c.relevant]
    ids, texts = {j.id for j in tuned if j.id}, [_normal(j.text) for j in tuned]
    unshared = [c.half == "test" and not _shares_a_clause(c, ids, texts) for c in cases]
    if tuned and any(unshared):
        after = next(i for i, (name, _) in enumerate(found) if name == "test") + 1
        found.insert(after, ("test unshared", unshared))
    return found


def scores_table(
    scores: Sequence[ModeScores], cases: Sequence[QueryCase], k: int = 10
) -> list[dict[str, Any]]:
    """One row per subset and mode: queries, nDCG@k, Recall@k and MRR."""
    rows = []
    for name, mask in subsets(cases):
        for s in scores:
            ndcg, recall, mrr = s.mean(mask)
            rows.append(
                {
                    "queries": name,
                    "n": sum(mask),
                    "mode": s.mode,
                    f"nDCG@{k}": ndcg,
                    f"Recall@{k}": recall,
                    "MRR": mrr,
                }
            )
    return rows
