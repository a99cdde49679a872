"""What changed between two documents (or two versions of one): obligations added, removed and
changed (force, polarity, holder, deadline or wording), matched by meaning, not only by text.

Matching runs in three passes: identical text (after case and whitespace folding); then sentence
embeddings (cosine >= EMBEDDING_THRESHOLD), with token overlap (Dice >= OVERLAP_THRESHOLD) as a
fallback that also works when no embedding model is installed. Pairs are taken greedily, best
first, each clause at most once."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from docmine.errors import BadInput, ModelMissing, NotFound
from docmine.export.register import (
    CHANGE_COLUMNS,
    COLUMNS,
    Register,
    RegisterRow,
    register_row,
)
from docmine.model import DocumentRef, Filters
from docmine.search import select
from docmine.store import Store

# Measured with tests/fixtures/diff/measure_thresholds.py on the five seed texts: edited
# obligations (modal swapped, 20% of words dropped, words inserted, year changed, 12 rewordings by
# hand) against each obligation's nearest *other* clause in its document. cosine >= 0.85 or
# overlap >= 0.80 keeps 96% of edited pairs (11 of 12 rewordings) and admits 10% of nearest
# other clauses; at 0.80 / 0.70 it is 99% and 21%. A false pair hides a removal, so we take the
# stricter bar; pairing best-first means a near neighbour only matters once its true partner is
# gone.
EMBEDDING_THRESHOLD = 0.85
OVERLAP_THRESHOLD = 0.80

Embedder = Callable[[Sequence[str]], np.ndarray]
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the their them these "
    "this those to was were which with".split()
)
COMPARED = ("force", "polarity", "duty_holder", "deadline")


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """One obligation's fate: its old and new rows (one may be None) and what differs."""

    kind: ChangeKind
    old: RegisterRow | None
    new: RegisterRow | None
    fields: tuple[str, ...] = ()  # among force, polarity, duty_holder, deadline, wording
    similarity: float = 1.0
    matched_by: str = ""  # exact | meaning | overlap


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in _WORD.findall(text.casefold()) if t not in _STOPWORDS)


def overlap(a: str, b: str) -> float:
    """Dice coefficient of content-word sets: 1.0 for the same words, 0.0 for none shared."""
    first, second = tokens(a), tokens(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def changed_fields(old: RegisterRow, new: RegisterRow) -> tuple[str, ...]:
    found = [
        name
        for name in COMPARED
        if (old[name] or "") != (new[name] or "")
        and not (
            name == "deadline"
            and old["deadline_normalised"] == new["deadline_normalised"]
            and old["deadline_normalised"]
            and fold(old[name]) == fold(new[name])
        )
    ]
    if fold(old["clause_text"]) != fold(new["clause_text"]):
        found.append("wording")
    return tuple(found)


def paired(old: RegisterRow, new: RegisterRow, similarity: float, matched_by: str) -> Change:
    fields = changed_fields(old, new)
    kind = ChangeKind.CHANGED if fields else ChangeKind.UNCHANGED
    return Change(kind, old, new, fields, similarity, matched_by)


def exact_pairs(old: Sequence[RegisterRow], new: Sequence[RegisterRow]) -> dict[int, int]:
    """new index -> old index for clauses with identical folded text, first come first served."""
    waiting: dict[str, list[int]] = {}
    for index, row in enumerate(old):
        waiting.setdefault(fold(row["clause_text"]), []).append(index)
    pairs: dict[int, int] = {}
    for index, row in enumerate(new):
        queue = waiting.get(fold(row["clause_text"]))
        if queue:
            pairs[index] = queue.pop(0)
    return pairs


def similarity_matrices(
    old_texts: Sequence[str], new_texts: Sequence[str], embedder: Embedder | None
) -> tuple[np.ndarray | None, np.ndarray]:
    """Cosine (None without an embedder or model) and token-overlap matrices, old x new."""
    overlaps = np.array([[overlap(a, b) for b in new_texts] for a in old_texts], dtype=np.float32)
    overlaps = overlaps.reshape(len(old_texts), len(new_texts))
    if embedder is None or not old_texts or not new_texts:
        return None, overlaps
    try:
        vectors = embedder([*old_texts, *new_texts])
    except ModelMissing:
        return None, overlaps
    return vectors[: len(old_texts)] @ vectors[len(old_texts) :].T, overlaps


def meaning_pairs(
    old_texts: Sequence[str], new_texts: Sequence[str], embedder: Embedder | None
) -> list[tuple[int, int, float, str]]:
    """(old, new, similarity, how) for the best-first greedy pairing above the thresholds."""
    cosine, overlaps = similarity_matrices(old_texts, new_texts, embedder)
    candidates: list[tuple[float, int, int, str]] = []
    for i in range(len(old_texts)):
        for j in range(len(new_texts)):
            if cosine is not None and cosine[i, j] >= EMBEDDING_THRESHOLD:
                candidates.append((float(cosine[i, j]), i, j, "meaning"))
            elif overlaps[i, j] >= OVERLAP_THRESHOLD:
                candidates.append((float(overlaps[i, j]), i, j, "overlap"))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for score, i, j, how in sorted(candidates, key=lambda c: -c[0]):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j, score, how))
    return pairs


def diff_rows(
    old: Sequence[RegisterRow], new: Sequence[RegisterRow], embedder: Embedder | None = None
) -> list[Change]:
    """Every clause of `old` and `new` paired or not: new-document order, removed ones last."""
    exact = exact_pairs(old, new)
    old_left = [i for i in range(len(old)) if i not in set(exact.values())]
    new_left = [j for j in range(len(new)) if j not in exact]
    by_new: dict[int, Change] = {j: paired(old[i], new[j], 1.0, "exact") for j, i in exact.items()}
    matched_old = set(exact.values())
    for a, b, score, how in meaning_pairs(
        [old[i]["clause_text"] for i in old_left],
        [new[j]["clause_text"] for j in new_left],
        embedder,
    ):
        i, j = old_left[a], new_left[b]
        by_new[j] = paired(old[i], new[j], score, how)
        matched_old.add(i)
    changes = [by_new.get(j) or Change(ChangeKind.ADDED, None, new[j]) for j in range(len(new))]
    changes += [
        Change(ChangeKind.REMOVED, old[i], None) for i in range(len(old)) if i not in matched_old
    ]
    return changes


def is_obligation(change: Change) -> bool:
    """True when either side carries an instruction (force other than none)."""
    return any(row is not None and row["force"] != "none" for row in (change.old, change.new))


def describe(change: Change) -> str:
    """change_detail: which fields moved, old -> new, and how the pair was matched."""
    if change.old is None or change.new is None:
        return ""
    parts = [
        f"{name}: {change.old[name] or '-'} -> {change.new[name] or '-'}"
        for name in change.fields
        if name != "wording"
    ]
    if "wording" in change.fields:
        parts.append("wording")
    parts.append(f"matched by {change.matched_by} ({change.similarity:.2f})")
    return "; ".join(parts)


def change_row(change: Change) -> RegisterRow:
    """A register row with the change columns in front: the new row, or the old one if removed."""
    row = change.new if change.new is not None else change.old
    assert row is not None
    previous = ""
    if change.old is not None and change.new is not None and "wording" in change.fields:
        previous = change.old["clause_text"]
    return {
        "change": change.kind.value,
        "change_detail": describe(change),
        "previous_text": previous,
        **row,
    }


def diff_register(
    changes: Sequence[Change],
    old_doc: DocumentRef,
    new_doc: DocumentRef,
    include_unchanged: bool = False,
) -> Register:
    rows = tuple(
        change_row(c) for c in changes if include_unchanged or c.kind != ChangeKind.UNCHANGED
    )
    documents = (old_doc,) if old_doc.id == new_doc.id else (old_doc, new_doc)
    return Register(
        rows=rows,
        documents=documents,
        title=f"Changes: {old_doc.title} v{old_doc.version} -> {new_doc.title} v{new_doc.version}",
        scope=f"old {old_doc.source} v{old_doc.version}; new {new_doc.source} v{new_doc.version}",
        columns=CHANGE_COLUMNS + COLUMNS,
    )


# Finding the two documents in the store ---------------------------------------------------


def resolve_document(store: Store, ref: str, version: int | None = None) -> DocumentRef:
    """A stored document by id (or unique prefix), path or source, at `version` or the latest."""
    documents = [d.document for d in store.documents(all_versions=True)]
    source = str(Path(ref).resolve()) if Path(ref).exists() else ref
    found = [d for d in documents if d.source == source] or [
        d for d in documents if d.id == ref or (len(ref) >= 4 and d.id.startswith(ref))
    ]
    if version is not None:
        found = [d for d in found if d.version == version]
    if not found:
        at = f" at version {version}" if version is not None else ""
        raise NotFound(f"no ingested document{at}: run `docmine ingest` on it or use an id", ref)
    if len({d.source for d in found}) > 1:
        raise BadInput("id prefix matches several documents: give more characters", ref)
    return max(found, key=lambda d: d.version)


def previous_version(store: Store, document: DocumentRef) -> DocumentRef:
    older = [
        d.document
        for d in store.documents(all_versions=True)
        if d.document.source == document.source and d.document.version < document.version
    ]
    if not older:
        raise NotFound(
            "only one version is ingested: ingest the edited file again, or name two documents",
            document.source,
        )
    return max(older, key=lambda d: d.version)


def document_rows(store: Store, document: DocumentRef) -> list[RegisterRow]:
    """Every clause of one document version (force none included), in document order."""
    hits = select(store, Filters(document=document.id, version=document.version))
    return [register_row(h.obligation) for h in hits if h.obligation.document.id == document.id]


def resolve_pair(
    store: Store, old: str, new: str | None, versions: tuple[int, int] | None
) -> tuple[DocumentRef, DocumentRef]:
    """OLD NEW, or one source with two versions, or one source: its last two versions."""
    if versions is not None:
        if new is not None:
            raise BadInput("give one document with --versions, or two documents without it", old)
        return resolve_document(store, old, versions[0]), resolve_document(store, old, versions[1])
    if new is not None:
        return resolve_document(store, old), resolve_document(store, new)
    latest = resolve_document(store, old)
    return previous_version(store, latest), latest


def diff_documents(
    store: Store,
    old: str,
    new: str | None = None,
    versions: tuple[int, int] | None = None,
    embedder: Embedder | None = None,
    include_unchanged: bool = False,
    include_none: bool = False,
) -> tuple[Register, list[Change]]:
    """The one call behind `docmine diff`: resolve, pair every clause, build the register."""
    old_doc, new_doc = resolve_pair(store, old, new, versions)
    changes = diff_rows(document_rows(store, old_doc), document_rows(store, new_doc), embedder)
    if not include_none:
        changes = [c for c in changes if is_obligation(c)]
    return diff_register(changes, old_doc, new_doc, include_unchanged), changes


def default_embedder(model: str) -> Embedder:
    """`embed` bound to a model name; loading waits until the first call."""

    def run(texts: Sequence[str]) -> Any:
        from docmine.language.embed import embed

        return embed(texts, model, backend="torch")  # the thresholds were measured on torch

    return run
