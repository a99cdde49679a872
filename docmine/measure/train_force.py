"""Training the force model from gold files, and cross-validation grouped by document or by
publisher group.

Gold rows carry `doc` and `text` (and, for list items, `lead_in`); the document's title, authority
and each row's section path are recovered from `<corpus>/<doc>` (with or without a `.md`/`.txt`
suffix) by aligning the row to the clauses segmentation produces (text overlap only; no label is
read). Embeddings of gold texts are cached for the run, so cross-validation embeds each text
once."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from docmine.classify import after_the_model, follows_a_speaker
from docmine.classify.authority import detect_authority
from docmine.classify.features import (
    ClauseContext,
    Featurised,
    featurise,
)
from docmine.classify.model import (
    LABELS,
    ForceModel,
    grouped_folds,
    predict,
    save_artefact,
)
from docmine.config import LINKS_ARTEFACT, Settings, load_settings
from docmine.language.overlap import dice, word_counts
from docmine.link import owned_rows
from docmine.measure.textfile import find_document
from docmine.model import Authority, ForceDecision

SEED = 0
FOLDS = 5
MIN_ALIGNMENT = 0.6  # token overlap below which a gold row takes no section from the corpus


def _aligned(text: str, clauses: Sequence[Any], tokens: Sequence[Counter[str]]) -> Any | None:
    own = word_counts(text)
    scored = [(dice(own, t), i) for i, t in enumerate(tokens)]
    score, index = max(scored, default=(0.0, -1))
    return clauses[index] if score >= MIN_ALIGNMENT else None


def _lead_in(row: dict[str, Any], match: Any | None) -> str:
    """The row's own lead-in if it gives one, else the aligned clause's."""
    text = row["text"]
    given = row.get("lead_in")
    if isinstance(given, str) and "lead_in" in row:
        return given if text.startswith(given) else ""
    return match.lead_in if match and text.startswith(match.lead_in) else ""


def gold_contexts(
    rows: Sequence[dict[str, Any]], corpora: Sequence[Path] = ()
) -> list[ClauseContext]:
    """A ClauseContext per gold row: title, authority and sections from the row's document in
    `corpora` (authority from the row if it gives one; without the document, detected from the
    rows' joined text)."""
    from docmine.extract import extract
    from docmine.segment import segment

    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[str(row.get("doc", ""))].append(index)
    contexts: list[ClauseContext] = [ClauseContext("") for _ in rows]
    owned = owned_rows([str(r["text"]) for r in rows], load_settings())
    for doc, indices in groups.items():
        path = find_document(doc, corpora)
        if path is not None:
            document = extract(path)
            title, authority = document.title, detect_authority(document.text)[0]
            clauses, text = segment(document), document.text
        else:
            joined = "\n\n".join(rows[i]["text"] for i in indices)
            title, authority, clauses, text = "", detect_authority(joined)[0], [], ""
        tokens = [word_counts(c.text) for c in clauses]
        for i in indices:
            row = rows[i]
            match = _aligned(row["text"], clauses, tokens)
            given = row.get("authority")
            contexts[i] = ClauseContext(
                row["text"],
                _lead_in(row, match),
                Authority(given) if given else authority,
                match.provenance.section if match else (),
                title,
                owned[i],
                match is not None and follows_a_speaker(text, match.provenance.start),
            )
    return contexts


def fit_model(
    data: Featurised, labels: Sequence[str], groups: Sequence[str] | None = None
) -> ForceModel:
    return ForceModel(seed=SEED).fit(
        data.features, data.texts, data.embeddings, labels, groups, data.layers
    )


Split = tuple[str, np.ndarray, np.ndarray]  # name, train rows, test rows


def document_folds(rows: Sequence[dict[str, Any]], k: int = FOLDS) -> list[Split]:
    """K folds grouped by document (`doc`), stratified by force."""
    labels = [str(r["force"]) for r in rows]
    docs = [str(r.get("doc", "")) for r in rows]
    return [
        (f"fold {n + 1}", train, test)
        for n, (train, test) in enumerate(grouped_folds(labels, docs, k, SEED))
    ]


def group_folds(rows: Sequence[dict[str, Any]]) -> list[Split]:
    """Leave one publisher group (`group`) out at a time; a document must sit in one group."""
    seen: dict[str, str] = {}
    for row in rows:
        doc, group = str(row.get("doc", "")), str(row.get("group", ""))
        if seen.setdefault(doc, group) != group:
            raise ValueError(f"document {doc!r} is in groups {seen[doc]!r} and {group!r}")
    groups = np.array([str(r.get("group", "")) for r in rows])
    return [
        (name, np.flatnonzero(groups != name), np.flatnonzero(groups == name))
        for name in sorted(set(groups))
    ]


@dataclass
class CrossValidated:
    decisions: list[ForceDecision]
    probabilities: np.ndarray
    fold_of: list[str]


def cross_validate(
    rows: Sequence[dict[str, Any]],
    contexts: Sequence[ClauseContext],
    data: Featurised,
    splits: Sequence[Split],
    calibrate: bool = True,
) -> CrossValidated:
    """Each test fold predicted by a model fitted (and calibrated) on its training folds only."""
    labels = [str(r["force"]) for r in rows]
    docs = [str(r.get("doc", "")) for r in rows]
    decisions: list[ForceDecision | None] = [None] * len(rows)
    probabilities = np.zeros((len(rows), len(LABELS)))
    fold_of = [""] * len(rows)
    for name, train, test in splits:
        if len({labels[i] for i in train}) < len(LABELS):
            raise ValueError(f"{name}: every label needs training examples outside the fold")
        groups = [docs[i] for i in train] if calibrate else None
        model = fit_model(data.subset(train), [labels[i] for i in train], groups)
        held_out = data.subset(test)
        tested = [contexts[i] for i in test]
        fold_decisions, fold_probabilities = predict(model, tested, held_out)
        fold_decisions = after_the_model(
            tested, fold_decisions, fold_probabilities, held_out.evidence
        )
        for i, decision, row in zip(test, fold_decisions, fold_probabilities, strict=True):
            decisions[i], probabilities[i], fold_of[i] = decision, row, name
    return CrossValidated([d for d in decisions if d is not None], probabilities, fold_of)


@dataclass(frozen=True)
class TrainResult:
    path: Path
    clauses: int
    documents: int
    labels: dict[str, int]
    temperature: float
    sha256: str
    links_path: Path | None = None
    links_sha256: str = ""
    holder_penalty: float | None = None  # the holder model's L2 penalty, chosen on held-out docs


def train(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    corpora: Sequence[Path],
    output: Path,
    sources: Sequence[str] = (),
) -> TrainResult:
    """Fit the force model on gold rows and write the artefact; same rows, same artefact."""
    contexts = gold_contexts(rows, corpora)
    labels = [str(r["force"]) for r in rows]
    docs = [str(r.get("doc", "")) for r in rows]
    data = featurise(contexts, settings)
    model = fit_model(data, labels, docs)
    meta = {
        "sources": list(sources),
        "clauses": len(rows),
        "documents": len(set(docs)),
        "seed": SEED,
        "embedding": f"{settings.embedding_model}/{settings.embedding_backend}",
        "spacy": settings.spacy_model,
    }
    save_artefact(model, output, meta)
    links = output.with_name(LINKS_ARTEFACT)
    penalty = train_links(rows, predict(model, contexts, data)[0], settings, corpora, links, meta)
    return TrainResult(
        output,
        len(rows),
        len(set(docs)),
        dict(sorted(Counter(labels).items())),
        model.temperature_,
        hashlib.sha256(output.read_bytes()).hexdigest(),
        links,
        hashlib.sha256(links.read_bytes()).hexdigest(),
        penalty,
    )


def train_links(
    rows: Sequence[dict[str, Any]],
    decisions: Sequence[ForceDecision],
    settings: Settings,
    corpora: Sequence[Path],
    output: Path,
    meta: dict[str, Any],
) -> float | None:
    """Fit the holder choice on the gold rows (cues from `decisions`) and write it; the L2
    penalty it chose."""
    from docmine.link.choice import save_link_models
    from docmine.measure.train_links import fit_link_models, link_examples

    examples = link_examples(rows, decisions, settings, corpora)
    models = fit_link_models(rows, examples, range(len(rows)))
    save_link_models(models, output, meta)
    return models.holder_penalty


def load_gold(gold_files: Sequence[Path]) -> list[dict[str, Any]]:
    """Rows of gold JSONL files; a row without a `group` takes its file's name as its group."""
    from docmine.errors import BadInput
    from docmine.measure.textfile import read_jsonl as load_jsonl

    rows = []
    for path in gold_files:
        for row in load_jsonl(path):
            row.setdefault("group", path.stem)
            rows.append(row)
    if not rows or any(r.get("force") not in LABELS for r in rows):
        raise BadInput(
            f"every gold row needs a `force` label, one of {', '.join(LABELS)}",
            ", ".join(map(str, gold_files)),
        )
    return rows


def train_from_files(
    gold_files: Sequence[Path], settings: Settings, corpora: Sequence[Path], output: Path
) -> TrainResult:
    """`docmine train`: read gold JSONL files (labelled by ANNOTATION.md) and write the model."""
    from docmine.errors import BadInput

    rows = load_gold(gold_files)
    missing = sorted(set(LABELS) - {str(r["force"]) for r in rows})
    if missing:
        raise BadInput(f"no gold row is labelled {', '.join(missing)}: the model needs all four")
    return train(rows, settings, corpora, output, [p.name for p in gold_files])
