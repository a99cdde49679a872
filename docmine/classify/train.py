"""Training and leave-one-document-out evaluation of the force model from gold files.

Gold rows carry only `doc` and `text`; their section path and list lead-in are recovered by
aligning each row to the clauses segmentation produces for `corpus/<doc>` (text overlap only, no
label is read). Embeddings of gold texts are cached for the run, so cross-validation embeds each
text once."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from docmine.classify.authority import detect_authority
from docmine.classify.features import ClauseContext, clause_features
from docmine.classify.model import ForceModel, decide, save_artefact
from docmine.config import Settings
from docmine.model import Authority, ForceDecision
from docmine.overlap import dice, word_counts

SEED = 0
MIN_ALIGNMENT = 0.6  # token overlap below which a gold row takes no section from the corpus


class EmbeddingCache:
    """Sentence embeddings computed once per text for the life of the cache."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        from docmine.embed import embed

        missing = sorted({t for t in texts if t not in self.vectors})
        if missing:
            model, backend = self.settings.embedding_model, self.settings.embedding_backend
            for text, vector in zip(missing, embed(missing, model, backend=backend), strict=True):
                self.vectors[text] = vector
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


def _corpus_clauses(path: Path) -> tuple[Authority, list[Any]]:
    from docmine.extract import extract
    from docmine.segment import segment

    document = extract(path)
    return detect_authority(document.text)[0], segment(document)


def _aligned(text: str, clauses: Sequence[Any], tokens: Sequence[Counter[str]]) -> Any | None:
    own = word_counts(text)
    scored = [(dice(own, t), i) for i, t in enumerate(tokens)]
    score, index = max(scored, default=(0.0, -1))
    return clauses[index] if score >= MIN_ALIGNMENT else None


def gold_contexts(rows: Sequence[dict[str, Any]], corpus: Path | None) -> list[ClauseContext]:
    """A ClauseContext per gold row: authority given in the row, else detected from the corpus
    document (else from the rows' joined text); section and lead-in from the aligned clause."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[str(row.get("doc", ""))].append(index)
    contexts: list[ClauseContext] = [ClauseContext("") for _ in rows]
    for doc, indices in groups.items():
        path = corpus / doc if corpus and doc else None
        if path is not None and path.is_file():
            authority, clauses = _corpus_clauses(path)
        else:
            joined = "\n\n".join(rows[i]["text"] for i in indices)
            authority, clauses = detect_authority(joined)[0], []
        tokens = [word_counts(c.text) for c in clauses]
        for i in indices:
            text = rows[i]["text"]
            given = rows[i].get("authority")
            match = _aligned(text, clauses, tokens)
            lead_in = match.lead_in if match and text.startswith(match.lead_in) else ""
            contexts[i] = ClauseContext(
                text,
                lead_in,
                Authority(given) if given else authority,
                match.provenance.section if match else (),
            )
    return contexts


@dataclass
class Featurised:
    features: list[dict[str, float]]
    embeddings: np.ndarray


def featurise(
    contexts: Sequence[ClauseContext], settings: Settings, cache: EmbeddingCache | None = None
) -> Featurised:
    embedder = cache or EmbeddingCache(settings)
    features = clause_features(contexts, settings.spacy_model)
    return Featurised(features, embedder([c.text for c in contexts]))


def fit_model(data: Featurised, labels: Sequence[str]) -> ForceModel:
    return ForceModel(seed=SEED).fit(data.features, data.embeddings, labels)


def cross_validate_by_doc(
    rows: Sequence[dict[str, Any]], contexts: Sequence[ClauseContext], data: Featurised
) -> list[ForceDecision]:
    """Leave-one-document-out: each document is predicted by a model trained on the others."""
    docs = [str(r.get("doc", "")) for r in rows]
    labels = [str(r["force"]) for r in rows]
    out: list[ForceDecision | None] = [None] * len(rows)
    for held_out in sorted(set(docs)):
        train = [i for i, d in enumerate(docs) if d != held_out]
        test = [i for i, d in enumerate(docs) if d == held_out]
        if len({labels[i] for i in train}) < 2:
            raise ValueError("cross-validation needs at least two labels in every training fold")
        model = fit_model(_subset(data, train), [labels[i] for i in train])
        held = _subset(data, test)
        decisions = decide(model, [contexts[i] for i in test], held.features, held.embeddings)
        for i, decision in zip(test, decisions, strict=True):
            out[i] = decision
    return [d for d in out if d is not None]


def _subset(data: Featurised, indices: Sequence[int]) -> Featurised:
    return Featurised([data.features[i] for i in indices], data.embeddings[list(indices)])


@dataclass(frozen=True)
class TrainResult:
    path: Path
    clauses: int
    documents: int
    labels: dict[str, int]
    sha256: str


def train(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    corpus: Path | None,
    output: Path,
    sources: Sequence[str] = (),
) -> TrainResult:
    """Fit the force model on gold rows and write the artefact; same rows, same artefact."""
    contexts = gold_contexts(rows, corpus)
    labels = [str(r["force"]) for r in rows]
    model = fit_model(featurise(contexts, settings), labels)
    meta = {
        "sources": list(sources),
        "clauses": len(rows),
        "seed": SEED,
        "embedding": f"{settings.embedding_model}/{settings.embedding_backend}",
    }
    save_artefact(model, output, meta)
    return TrainResult(
        output,
        len(rows),
        len({r.get("doc", "") for r in rows}),
        dict(sorted(Counter(labels).items())),
        hashlib.sha256(output.read_bytes()).hexdigest(),
    )


def train_from_files(
    gold_files: Sequence[Path], settings: Settings, corpus: Path | None, output: Path
) -> TrainResult:
    """`docmine train`: read gold JSONL files (labelled by ANNOTATION.md) and write the model."""
    from docmine.errors import BadInput
    from docmine.evaluate import load_jsonl

    rows = [row for path in gold_files for row in load_jsonl(path)]
    if not rows or any("force" not in r for r in rows):
        raise BadInput("every gold row needs a `force` label", ", ".join(map(str, gold_files)))
    return train(rows, settings, corpus, output, [p.name for p in gold_files])
