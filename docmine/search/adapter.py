"""A query adapter: a linear map, learned on judged queries, that moves a query's vector toward
the passages it should find. The stored passage vectors stay as ingest made them, so there is
no second encoder and nothing to re-embed; a search pays one 384 x 384 product.

MiniLM places "which council picks up the tab" far from "the local authority is liable for the
cost": a policy lead's words and the guidance's are different registers. The adapter learns
the shift from query to passage on the `tune` halves of the query sets (`docmine
train-rerank`): q' = normalise(q + W q), W fitted to put each query's judged clauses first in a
softmax over every stored passage (temperature 0.05, each clause weighted by its gain 2^grade
- 1), with an L2 penalty that keeps W small (0.1; W starts at zero, full batch, Adam, 100 steps:
deterministic). Measured in 5-fold cross-validation over the independent set's tune queries,
dense nDCG@10 0.517 -> 0.538 (paraphrases 0.231 -> 0.352); trained there and applied to the
demo set's other documents, 0.541 -> 0.540 (README, docs/measurements.md).

An adapter is for the embedding model it was fitted on; under another model it is not used."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from docmine.errors import ModelMissing

FORMAT = "docmine-query-adapter-1"
L2 = 0.1
TEMPERATURE = 0.05
STEPS = 100
LEARNING_RATE = 0.001


@dataclass(frozen=True)
class Judged:
    """One training query: its vector, and the passages it should find as rows of the matrix of
    its store's passage vectors, each with its weight (gain)."""

    vector: np.ndarray
    rows: dict[int, float]


@dataclass(frozen=True)
class QueryAdapter:
    model: str  # the embedding model whose query vectors it maps
    matrix: np.ndarray  # W, (d, d), float32
    about: str = ""

    def apply(self, vector: np.ndarray) -> np.ndarray:
        moved = vector + self.matrix @ vector
        norm = float(np.linalg.norm(moved))
        return (moved / norm).astype(np.float32) if norm else vector

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "model": self.model,
            "dimensions": int(self.matrix.shape[0]),
            "about": self.about,
            # float16: the map is a small correction (|W| ~ 0.1), well inside its precision
            "matrix": base64.b64encode(self.matrix.astype("<f2").tobytes()).decode("ascii"),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        # no name, mtime 0: the same adapter writes the same bytes
        payload = (json.dumps(data, indent=1) + "\n").encode("utf-8")
        path.write_bytes(gzip.compress(payload, mtime=0))


def fit_query_adapter(
    sets: Sequence[tuple[np.ndarray, Sequence[Judged]]], model: str, about: str = ""
) -> QueryAdapter:
    """W fitted on (passage matrix, judged queries) per store; each query's softmax runs over
    every passage of its own store."""
    import torch

    dimensions = next(len(p[0]) for p, _ in sets if len(p))
    weights = torch.zeros(dimensions, dimensions, requires_grad=True)
    optimiser = torch.optim.Adam([weights], lr=LEARNING_RATE)
    problems = []
    for passages, judged in sets:
        judged = [j for j in judged if j.rows]
        if not judged or not len(passages):
            continue
        target = torch.zeros(len(judged), len(passages))
        for i, query in enumerate(judged):
            for row, gain in query.rows.items():
                target[i, row] = gain
        target = target / target.sum(1, keepdim=True)
        queries = torch.tensor(np.stack([j.vector for j in judged]), dtype=torch.float32)
        problems.append((torch.tensor(passages, dtype=torch.float32), queries, target))
    if not problems:
        raise ValueError("no judged query has a stored passage: nothing to fit")
    for _ in range(STEPS):
        loss = L2 * (weights**2).sum()
        for passages_t, queries, target in problems:
            moved = queries + queries @ weights.T
            moved = moved / moved.norm(dim=1, keepdim=True)
            logits = moved @ passages_t.T / TEMPERATURE
            loss = loss - (target * torch.log_softmax(logits, dim=1)).sum(1).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    count = sum(len(q) for _, q, _ in problems)
    return QueryAdapter(
        model,
        weights.detach().numpy().astype(np.float32),
        about or f"{count} judged queries; L2 {L2}, temperature {TEMPERATURE}, {STEPS} steps",
    )


@cache
def _load(path: Path, mtime_ns: int) -> QueryAdapter:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        size = int(data["dimensions"])
        raw = np.frombuffer(base64.b64decode(data["matrix"]), dtype="<f2")
        if raw.size != size * size or not np.isfinite(raw).all():
            raise ValueError("its matrix is not square and finite")
        matrix = raw.astype(np.float32).reshape(size, size)
        return QueryAdapter(str(data["model"]), matrix, str(data.get("about", "")))
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise ModelMissing(
            f"{path}: not a usable query adapter ({exc}); run docmine train-rerank"
        ) from None


def load_query_adapter(path: Path | None, model: str) -> QueryAdapter | None:
    """The adapter at `path` for `model` (None: no file there, or fitted for another model)."""
    if path is None or not path.is_file():
        return None
    adapter = _load(path, path.stat().st_mtime_ns)
    return adapter if adapter.model == model else None
