"""The learned choice of linking: which candidate is the duty-holder (link/holder.py
`holder_candidates`).

A conditional logit: each candidate's score is a weighted sum of its features, and the
probabilities of one choice's candidates are the softmax of their scores, so "no holder" competes
with every body on equal terms and the chosen candidate's probability is its confidence. Fitted
by L-BFGS with an L2 penalty (deterministic), the penalty chosen on held-out documents of the
training rows (`select_penalty`); stored as gzipped JSON like the force model."""

from __future__ import annotations

import gzip
import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from docmine.errors import ModelMissing
from docmine.model import Mention

FORMAT = "docmine-links-1"
PENALTY = 1.0  # L2 on the weights, in units of one choice's log-likelihood, when none is chosen
# The penalties `select_penalty` tries, and the folds (grouped by document) it scores them on.
PENALTIES = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
INNER_FOLDS = 5


@dataclass(frozen=True)
class Candidate:
    """One option of a choice ("" = no holder / not a body), with the mention that names it in
    the clause, if any, and its features."""

    canonical: str
    mention: Mention | None
    features: dict[str, float]


@dataclass(frozen=True)
class ChoiceModel:
    vocabulary: dict[str, int]
    weights: np.ndarray

    def scores(self, candidates: Sequence[Candidate]) -> np.ndarray:
        out = np.zeros(len(candidates))
        for row, candidate in enumerate(candidates):
            for name, value in candidate.features.items():
                column = self.vocabulary.get(name)
                if column is not None:
                    out[row] += self.weights[column] * value
        return out

    def probabilities(self, candidates: Sequence[Candidate]) -> np.ndarray:
        scores = self.scores(candidates)
        exp = np.exp(scores - scores.max())
        return exp / exp.sum()

    def choose(self, candidates: Sequence[Candidate]) -> tuple[Candidate, float]:
        """The most probable candidate and its probability."""
        probabilities = self.probabilities(candidates)
        best = int(np.argmax(probabilities))
        return candidates[best], float(probabilities[best])


def _matrix(
    groups: Sequence[Sequence[Candidate]], vocabulary: dict[str, int]
) -> tuple[Any, np.ndarray]:
    from scipy.sparse import csr_matrix

    data, rows, columns, starts = [], [], [], [0]
    row = 0
    for candidates in groups:
        for candidate in candidates:
            for name, value in candidate.features.items():
                if name in vocabulary:
                    data.append(value)
                    rows.append(row)
                    columns.append(vocabulary[name])
            row += 1
        starts.append(row)
    matrix = csr_matrix((data, (rows, columns)), shape=(row, len(vocabulary)))
    return matrix, np.array(starts)


def fit_choice_model(
    groups: Sequence[Sequence[Candidate]], gold: Sequence[str], penalty: float = PENALTY
) -> ChoiceModel:
    """Fit on the choices whose gold answer is among their candidates."""
    from scipy.optimize import minimize

    usable = [
        (candidates, [c.canonical for c in candidates].index(answer))
        for candidates, answer in zip(groups, gold, strict=True)
        if answer in {c.canonical for c in candidates}
    ]
    if not usable:
        raise ModelMissing("no gold answer is among the candidates: nothing to learn from")
    names = sorted({n for candidates, _ in usable for c in candidates for n in c.features})
    vocabulary = {name: i for i, name in enumerate(names)}
    matrix, starts = _matrix([c for c, _ in usable], vocabulary)
    target = np.zeros(matrix.shape[0])
    target[starts[:-1] + np.array([answer for _, answer in usable])] = 1.0
    sizes = np.diff(starts)
    group_of = np.repeat(np.arange(len(usable)), sizes)

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ weights
        peak = np.maximum.reduceat(scores, starts[:-1])
        exp = np.exp(scores - peak[group_of])
        totals = np.add.reduceat(exp, starts[:-1])
        probabilities = exp / totals[group_of]
        log_likelihood = float((scores - peak[group_of] - np.log(totals[group_of])) @ target)
        value = -log_likelihood + 0.5 * penalty * float(weights @ weights)
        gradient = matrix.T @ (probabilities - target) + penalty * weights
        return value, np.asarray(gradient).ravel()

    result = minimize(
        loss, np.zeros(len(vocabulary)), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return ChoiceModel(vocabulary, np.round(result.x, 6))


def log_loss(
    model: ChoiceModel, groups: Sequence[Sequence[Candidate]], gold: Sequence[str]
) -> float:
    """Summed negative log-probability of the gold answers (choices without one are skipped)."""
    total = 0.0
    for candidates, answer in zip(groups, gold, strict=True):
        names = [c.canonical for c in candidates]
        if answer in names:
            probability = model.probabilities(candidates)[names.index(answer)]
            total -= math.log(max(float(probability), 1e-12))
    return total


def select_penalty(
    groups: Sequence[Sequence[Candidate]],
    gold: Sequence[str],
    documents: Sequence[str],
    penalties: Sequence[float] = PENALTIES,
    folds: int = INNER_FOLDS,
) -> float:
    """The L2 penalty whose models best predict documents they were not fitted on: the least
    held-out log-loss over `folds` folds grouped by document (CRC32 of its name, so the same
    rows always give the same folds). The log-loss, a proper scoring rule, rewards calibrated
    probabilities as well as right answers. A fold with nothing to fit or to score is skipped;
    with fewer documents than folds, or no fold scored: `PENALTY`."""
    names = sorted(set(documents))
    if len(names) < folds:
        return PENALTY
    fold_of = [zlib.crc32(d.encode("utf-8")) % folds for d in documents]
    losses = dict.fromkeys(penalties, 0.0)
    scored = 0
    for fold in range(folds):
        fit = [i for i, f in enumerate(fold_of) if f != fold]
        held = [i for i, f in enumerate(fold_of) if f == fold]
        if not held or not fit:
            continue
        try:
            models = {
                p: fit_choice_model([groups[i] for i in fit], [gold[i] for i in fit], p)
                for p in penalties
            }
        except ModelMissing:
            continue
        scored += 1
        for penalty, model in models.items():
            losses[penalty] += log_loss(model, [groups[i] for i in held], [gold[i] for i in held])
    if not scored:
        return PENALTY
    return min(penalties, key=lambda p: (losses[p], p))


@dataclass(frozen=True)
class LinkModels:
    """The learned parts of linking; a part that is None falls back to the parse rules. (A
    learned yes/no body model was measured and not kept: with a publisher group held out it lost
    to the gazetteer rules, micro-F1 0.854 against 0.878.)"""

    holder: ChoiceModel | None = None
    holder_penalty: float | None = None  # the L2 penalty it was fitted with, when known


def _weights(model: ChoiceModel | None) -> dict[str, float] | None:
    if model is None:
        return None
    names = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    return {n: float(model.weights[model.vocabulary[n]]) for n in names}


def _model(weights: dict[str, Any] | None) -> ChoiceModel | None:
    if weights is None:
        return None
    names = sorted(weights)
    if not all(math.isfinite(float(weights[n])) for n in names):
        raise ValueError("a weight is not a finite number")
    return ChoiceModel(
        {n: i for i, n in enumerate(names)}, np.array([float(weights[n]) for n in names])
    )


def save_link_models(models: LinkModels, path: Path, meta: dict[str, Any]) -> None:
    payload = {
        "format": FORMAT,
        "meta": meta,
        "holder": _weights(models.holder),
        "holder_penalty": models.holder_penalty,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, sort_keys=True, indent=0).encode("utf-8")
    path.write_bytes(gzip.compress(text, mtime=0))


def load_link_models(path: Path) -> LinkModels | None:
    """The models at `path`, None if there is no file; a one-line error if it is unreadable.
    Read once while the file is unchanged (ingest asks once per document)."""
    if not path.is_file():
        return None
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, mtime_ns: int, size: int) -> LinkModels:
    try:
        payload = json.loads(gzip.decompress(path.read_bytes()))
        if payload.get("format") != FORMAT:
            raise ValueError(f"format {payload.get('format')!r}")
        penalty = payload.get("holder_penalty")
        return LinkModels(_model(payload["holder"]), None if penalty is None else float(penalty))
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        EOFError,
        zlib.error,
    ) as error:
        raise ModelMissing(
            f"{path}: unreadable link models ({error}); run `docmine train` to rebuild them"
        ) from None
