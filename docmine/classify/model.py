"""The learned force classifier and its artefact.

A multinomial logistic regression over three blocks of a clause: its named features (deontic
markers, rule signals, parse and context: `docmine.classify.features`), its word uni- and bigrams
(tf-idf), and its MiniLM vectors: the sentence embedding beside the contextual vector of its
deontic marker (`Featurised`). Beside it, a second, strongly regularised logistic regression
reads the mean token state of every encoder layer (`Featurised.layers`); the force's
probabilities are the first model's, temperature-scaled, blended with the second's
(`layers_weight`). The model decides the force on its own; there are no rule gates. Confidence
is that blended probability, calibrated: the first model's temperature, and a second one of the
blend, are fitted on out-of-fold predictions grouped by document, so a 0.8 means right about
four times in five on documents the model has not seen (`docmine eval` reports the ECE).

The artefact is plain data, gzipped JSON (vocabularies, weights, temperature, provenance): it
pickles nothing, loads without scikit-learn (numpy and scipy only), and `docmine train` rewrites
it byte for byte from the same gold."""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from docmine.errors import ModelMissing
from docmine.model import FORCE_ORDER, Force, ForceDecision, Polarity, Span

if TYPE_CHECKING:
    from docmine.classify.features import ClauseContext, Featurised

ARTEFACT_FORMAT = 4  # 3: the marker's vector beside the sentence's; 4: the layer-pool model
LABELS = tuple(f.value for f in FORCE_ORDER)
_WORD = re.compile(r"(?u)\b\w\w+\b")
MIN_DF = 3  # an n-gram in fewer training clauses than this is noise
DIGITS = 6  # significant digits kept in the artefact: deterministic and ~1e-6 exact


def ngrams(text: str) -> Counter[str]:
    """Lower-cased word unigrams and bigrams (scikit-learn's default token pattern)."""
    words = _WORD.findall(text.lower())
    return Counter(words + [f"{a} {b}" for a, b in itertools.pairwise(words)])


@dataclass
class ForceModel:
    """Estimator in the scikit-learn manner: the constructor stores, `fit` learns (state ends in
    `_`), `predict_proba` before `fit` raises."""

    # C and the block weights were chosen holding out publisher groups and confirmed on 5 folds
    # grouped by document (README): the n-gram and embedding blocks count double against the
    # named features, under stronger regularisation
    c: float = 0.3
    ngram_weight: float = 2.0
    embedding_weight: float = 2.0
    seed: int = 0
    # the layer-pool model: its penalty and its share of the blended probabilities, chosen on 5
    # folds by document on the half of the documents read (0.3 of 0.2, 0.3, 0.5, 0.7; C 0.01 of
    # 0.01, 0.1), confirmed on the other half and holding out publisher groups (README)
    layers_c: float = 0.01
    layers_weight: float = 0.3
    features_: dict[str, int] = field(default_factory=dict, repr=False)
    ngrams_: dict[str, int] = field(default_factory=dict, repr=False)
    idf_: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    coef_: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    intercept_: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    temperature_: float = 1.0
    blend_temperature_: float = 1.0  # of the blend with the layer-pool model
    embedding_dim_: int = 0
    layers_mean_: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    layers_scale_: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    layers_coef_: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    layers_intercept_: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    # -- the design matrix ------------------------------------------------------------------
    def _named(self, features: Sequence[dict[str, float]]) -> Any:
        from scipy.sparse import csr_matrix

        rows, cols, values = [], [], []
        for row, named in enumerate(features):
            for name, value in sorted(named.items()):  # same order under any hash seed
                column = self.features_.get(name)
                if column is not None and value:
                    rows.append(row)
                    cols.append(column)
                    values.append(value)
        shape = (len(features), len(self.features_))
        return csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)

    def _tfidf(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix

        rows, cols, values = [], [], []
        for row, text in enumerate(texts):
            weights = {
                self.ngrams_[g]: (1 + math.log(n)) * self.idf_[self.ngrams_[g]]
                for g, n in ngrams(text).items()
                if g in self.ngrams_
            }
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for column, weight in weights.items():
                rows.append(row)
                cols.append(column)
                values.append(weight / norm)
        shape = (len(texts), len(self.ngrams_))
        return csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)

    def matrix(
        self, features: Sequence[dict[str, float]], texts: Sequence[str], embeddings: np.ndarray
    ) -> Any:
        from scipy.sparse import csr_matrix, hstack

        blocks = [
            self._named(features),
            self._tfidf(texts) * self.ngram_weight,
            csr_matrix(embeddings) * self.embedding_weight,
        ]
        return hstack(blocks, format="csr")

    # -- learning -----------------------------------------------------------------------------
    def _fit_vocabularies(self, features: Sequence[dict[str, float]], texts: Sequence[str]) -> None:
        names = sorted({name for named in features for name in named})
        self.features_ = {name: i for i, name in enumerate(names)}
        df: Counter[str] = Counter(g for text in texts for g in ngrams(text))
        kept = sorted(g for g, n in df.items() if n >= MIN_DF)
        self.ngrams_ = {g: i for i, g in enumerate(kept)}
        total = len(texts)
        self.idf_ = np.array([math.log((1 + total) / (1 + df[g])) + 1 for g in kept])

    def fit(
        self,
        features: Sequence[dict[str, float]],
        texts: Sequence[str],
        embeddings: np.ndarray,
        labels: Sequence[str],
        groups: Sequence[str] | None = None,
        layers: np.ndarray | None = None,
    ) -> ForceModel:
        """Learn the weights; with `groups` (the document of each clause), also the temperature,
        from 5-fold out-of-fold predictions grouped by document; with `layers` (the clauses'
        layer pools), the layer-pool model too."""
        from sklearn.linear_model import LogisticRegression

        missing = sorted(set(LABELS) - set(labels))
        if missing:
            raise ValueError(f"no training clause is labelled {', '.join(missing)}")
        self._fit_vocabularies(features, texts)
        self.embedding_dim_ = int(embeddings.shape[1])
        classifier = LogisticRegression(
            C=self.c, class_weight="balanced", max_iter=5000, random_state=self.seed
        ).fit(self.matrix(features, texts, embeddings), list(labels))
        order = [list(classifier.classes_).index(label) for label in LABELS]
        self.coef_ = _rounded(classifier.coef_[order])
        self.intercept_ = _rounded(classifier.intercept_[order])
        self.temperature_ = self.blend_temperature_ = 1.0
        # a refit without layer pools leaves no layer-pool model of an earlier fit behind
        self.layers_mean_ = self.layers_scale_ = self.layers_intercept_ = np.zeros(0)
        self.layers_coef_ = np.zeros((0, 0))
        if layers is not None and not layers.size:
            layers = None
        if groups is not None and len(set(groups)) >= 5:
            logits = out_of_fold_logits(self, features, texts, embeddings, labels, groups)
            scored = ~np.isnan(logits).any(axis=1)
            if scored.any():
                kept = [label for label, keep in zip(labels, scored, strict=True) if keep]
                self.temperature_ = fit_temperature(logits[scored], kept)
                if layers is not None:
                    # the blend of two calibrated-apart models is not calibrated: a second
                    # temperature, on the log of the held-out blend, restores it (argmax kept)
                    pooled = self._out_of_fold_layers(layers, labels, groups)
                    both = scored & ~np.isnan(pooled).any(axis=1)
                    blend = (1 - self.layers_weight) * softmax(logits[both] / self.temperature_)
                    blend += self.layers_weight * pooled[both]
                    held = [label for label, keep in zip(labels, both, strict=True) if keep]
                    self.blend_temperature_ = fit_temperature(np.log(blend + 1e-12), held)
        if layers is not None:
            self._fit_layers(layers, labels)
        return self

    def _out_of_fold_layers(
        self, layers: np.ndarray, labels: Sequence[str], groups: Sequence[str]
    ) -> np.ndarray:
        """The layer-pool model's probabilities of each clause from a fit that did not see its
        document (the folds of the temperature's logits); NaN where a fold could not be fitted."""
        out = np.full((len(labels), len(LABELS)), np.nan)
        for train, test in grouped_folds(labels, groups, seed=self.seed):
            if len({labels[i] for i in train}) < len(LABELS):
                continue
            fold = ForceModel(layers_c=self.layers_c, seed=self.seed)
            fold._fit_layers(layers[train], [labels[i] for i in train])
            out[test] = fold._layer_probabilities(layers[test])
        return out

    def _layer_probabilities(self, layers: np.ndarray) -> np.ndarray:
        return softmax(self._standardised(layers) @ self.layers_coef_.T + self.layers_intercept_)

    def _fit_layers(self, layers: np.ndarray, labels: Sequence[str]) -> None:
        from sklearn.linear_model import LogisticRegression

        self.layers_mean_ = _rounded(layers.mean(axis=0))
        spread = layers.std(axis=0)
        self.layers_scale_ = _rounded(np.where(spread > 1e-6, spread, 1))
        classifier = LogisticRegression(
            C=self.layers_c, class_weight="balanced", max_iter=5000, random_state=self.seed
        ).fit(self._standardised(layers), list(labels))
        order = [list(classifier.classes_).index(label) for label in LABELS]
        self.layers_coef_ = _rounded(classifier.coef_[order])
        self.layers_intercept_ = _rounded(classifier.intercept_[order])

    def _standardised(self, layers: np.ndarray) -> np.ndarray:
        return np.asarray((layers - self.layers_mean_) / self.layers_scale_)

    # -- prediction ---------------------------------------------------------------------------
    def logits(
        self, features: Sequence[dict[str, float]], texts: Sequence[str], embeddings: np.ndarray
    ) -> np.ndarray:
        if not self.coef_.size:
            raise RuntimeError("ForceModel used before fit")
        if embeddings.shape[1] != self.embedding_dim_:
            raise ModelMissing(
                f"the force model was trained on {self.embedding_dim_} vector columns (sentence "
                f"and marker), not {embeddings.shape[1]}: set DOCMINE_EMBEDDING_MODEL to the "
                "model it was trained with, or run `docmine train`"
            )
        matrix = self.matrix(features, texts, embeddings)
        return np.asarray(matrix @ self.coef_.T) + self.intercept_

    def predict_proba(
        self,
        features: Sequence[dict[str, float]],
        texts: Sequence[str],
        embeddings: np.ndarray,
        layers: np.ndarray | None = None,
    ) -> np.ndarray:
        """The temperature-scaled probabilities, blended with the layer-pool model's where the
        model has one (then `layers` must be given)."""
        probabilities = softmax(self.logits(features, texts, embeddings) / self.temperature_)
        if not self.layers_coef_.size:
            return probabilities
        if layers is None:
            raise ValueError(
                "this force model blends in a layer-pool model: pass the clauses' layer pools "
                "(`Featurised.layers`, from `Encoder.layer_pools`)"
            )
        if layers.shape[1:] != self.layers_mean_.shape:
            width = layers.shape[1]
            raise ModelMissing(
                f"the force model was trained on {self.layers_mean_.shape[0]} layer-pool columns, "
                f"not {width}: set DOCMINE_EMBEDDING_MODEL to the model it was trained with, or "
                "run `docmine train`"
            )
        blend = (1 - self.layers_weight) * probabilities
        blend += self.layers_weight * self._layer_probabilities(layers)
        return softmax(np.log(blend + 1e-12) / self.blend_temperature_)

    def weight(self, name: str, label: str) -> float:
        """How much a named feature pushes towards `label` rather than the other labels."""
        column = self.features_.get(name)
        if column is None:
            return 0.0
        weights = self.coef_[:, column]
        return float(weights[LABELS.index(label)] - weights.mean())

    # -- the artefact -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "c": self.c,
            "ngram_weight": self.ngram_weight,
            "embedding_weight": self.embedding_weight,
            "seed": self.seed,
            "labels": list(LABELS),
            "features": list(self.features_),
            "ngrams": list(self.ngrams_),
            "idf": _floats(self.idf_),
            "coef": [_floats(row) for row in self.coef_],
            "intercept": _floats(self.intercept_),
            "temperature": round(self.temperature_, 4),
            "embedding_dim": self.embedding_dim_,
            "layers_c": self.layers_c,
            "layers_weight": self.layers_weight,
            "layers_mean": _floats(self.layers_mean_),
            "layers_scale": _floats(self.layers_scale_),
            "layers_coef": [_floats(row) for row in self.layers_coef_],
            "layers_intercept": _floats(self.layers_intercept_),
            "blend_temperature": round(self.blend_temperature_, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ForceModel:
        if list(data["labels"]) != list(LABELS):
            raise ValueError(f"artefact labels {data['labels']} are not {list(LABELS)}")
        width = len(data["features"]) + len(data["ngrams"]) + int(data["embedding_dim"])
        shapes_agree = (
            len(data["coef"]) == len(LABELS)
            and all(len(row) == width for row in data["coef"])
            and len(data["intercept"]) == len(LABELS)
            and len(data["idf"]) == len(data["ngrams"])
            and len(data["layers_scale"]) == len(data["layers_mean"])
            and len(data["layers_intercept"]) == (len(LABELS) if data["layers_coef"] else 0)
            and all(len(row) == len(data["layers_mean"]) for row in data["layers_coef"])
        )
        if not shapes_agree:
            raise ValueError("artefact weights do not match its vocabularies")
        return cls(
            c=float(data["c"]),
            ngram_weight=float(data["ngram_weight"]),
            embedding_weight=float(data["embedding_weight"]),
            seed=int(data["seed"]),
            features_={name: i for i, name in enumerate(data["features"])},
            ngrams_={g: i for i, g in enumerate(data["ngrams"])},
            idf_=np.asarray(data["idf"], dtype=np.float64),
            coef_=np.asarray(data["coef"], dtype=np.float64),
            intercept_=np.asarray(data["intercept"], dtype=np.float64),
            temperature_=float(data["temperature"]),
            embedding_dim_=int(data["embedding_dim"]),
            layers_c=float(data["layers_c"]),
            layers_weight=float(data["layers_weight"]),
            layers_mean_=np.asarray(data["layers_mean"], dtype=np.float64),
            layers_scale_=np.asarray(data["layers_scale"], dtype=np.float64),
            layers_coef_=np.asarray(data["layers_coef"], dtype=np.float64).reshape(
                len(data["layers_coef"]), len(data["layers_mean"])
            ),
            layers_intercept_=np.asarray(data["layers_intercept"], dtype=np.float64),
            blend_temperature_=float(data["blend_temperature"]),
        )


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.asarray([float(f"{v:.{DIGITS}g}") for v in values.ravel()]).reshape(values.shape)


def _floats(values: np.ndarray) -> list[float]:
    return [float(f"{v:.{DIGITS}g}") for v in np.asarray(values).ravel()]


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def grouped_folds(
    labels: Sequence[str], groups: Sequence[str], k: int = 5, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """K folds of (train, test) row indices; no group (document) is in both, labels balanced."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    index = np.zeros(len(labels))
    return [(tr, te) for tr, te in splitter.split(index, list(labels), list(groups))]


def out_of_fold_logits(
    template: ForceModel,
    features: Sequence[dict[str, float]],
    texts: Sequence[str],
    embeddings: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str],
) -> np.ndarray:
    """Logits of each clause from a model that did not see its document (for the temperature)."""
    out = np.full((len(labels), len(LABELS)), np.nan)
    for train, test in grouped_folds(labels, groups, seed=template.seed):
        if len({labels[i] for i in train}) < len(LABELS):
            continue  # a fold without some label cannot be fitted; its rows stay unscored
        model = ForceModel(
            c=template.c,
            ngram_weight=template.ngram_weight,
            embedding_weight=template.embedding_weight,
            seed=template.seed,
        ).fit(
            [features[i] for i in train],
            [texts[i] for i in train],
            embeddings[train],
            [labels[i] for i in train],
        )
        out[test] = model.logits(
            [features[i] for i in test], [texts[i] for i in test], embeddings[test]
        )
    return out


def fit_temperature(logits: np.ndarray, labels: Sequence[str]) -> float:
    """The temperature that minimises the negative log-likelihood of held-out predictions."""
    from scipy.optimize import minimize_scalar

    target = np.array([LABELS.index(label) for label in labels])

    def nll(log_t: float) -> float:
        probabilities = softmax(logits / math.exp(log_t))
        return float(-np.log(probabilities[np.arange(len(target)), target] + 1e-12).mean())

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return round(math.exp(float(result.x)), 4)


def save_artefact(model: ForceModel, path: Path, meta: dict[str, Any]) -> None:
    """Write the model with what produced it; an interrupted write never leaves half a file."""
    payload = {"format": ARTEFACT_FORMAT, "meta": meta, "model": model.to_dict()}
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(data)
    partial.replace(path)


@cache
def load_artefact(path: Path) -> ForceModel | None:
    """The saved model, or None if there is no artefact at `path`."""
    if not path.is_file():
        return None
    try:
        with gzip.open(path, "rb") as handle:
            payload = json.loads(handle.read().decode("utf-8"))
        if payload.get("format") != ARTEFACT_FORMAT:
            raise ValueError(f"format {payload.get('format')!r}, expected {ARTEFACT_FORMAT}")
        return ForceModel.from_dict(payload["model"])
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelMissing(
            f"unreadable force model ({exc}): run `docmine train` to rebuild it", str(path)
        ) from exc


def choose_cue(model: ForceModel, markers: Sequence[Any], label: str) -> Any | None:
    """The marker whose features push hardest towards `label`, if any pushes towards it: one of
    the main clause if any of those does (rule 9: the main clause's word governs; "We expect you
    to have a policy that sets out how staff should ..." is governed by "expect"), else any."""
    from docmine.classify.deontic import marker_feature_names

    scored = [
        (sum(model.weight(name, label) for name in marker_feature_names(m)), -m.start, m)
        for m in markers
    ]
    if not scored:
        return None
    main = [s for s in scored if s[2].scope == "main" and s[0] > 0]
    score, _, best = max(main or scored, key=lambda s: (s[0], s[1]))
    return best if score > 0 else None


_NOT_NEEDED = frozenset({"need_to", "need"})  # "need not", "does not need to": an exemption


def _modal(marker: Any) -> bool:
    return bool(marker.kind in {"modal", "imperative"} and marker.lemma not in _NOT_NEEDED)


def _prohibits(
    cue: Any | None,
    rules: ForceDecision,
    markers: Sequence[Any] = (),
    lead_in: int = 0,
    text: str = "",
) -> bool:
    """A negated modal or imperative forbids ("must not", "may not", "do not share"); a negated
    deontic noun, verb or adjective ("not required", "no requirement") only removes a duty, and
    "need not" exempts (DECISIONS.md 13). A cue from the lead-in (its first `lead_in`
    characters) that is no modal leaves the polarity to the item's modals: "... agreed by the
    Board: ICSs must not add layers" forbids. Without a marker, the rules' polarity stands."""
    if cue is None:
        return bool(rules.polarity == Polarity.PROHIBITION)
    if text and re.match(r"\s+not\s+to\b", text[cue.end :]):
        return True  # "are expected not to use", "are asked not to contact": to refrain
    if _modal(cue) or cue.start >= lead_in:
        return bool(_modal(cue) and cue.negated != avoids(cue, text))  # "not avoid": positive
    modals = [m for m in markers if _modal(m) and m.start >= lead_in]
    return bool(modals) and all(m.negated != avoids(m, text) for m in modals)


def avoids(marker: Any, text: str) -> bool:
    """ "Visitors should avoid visiting ...", "Avoid sharing ...": the instruction is to refrain
    (DECISIONS.md 16), whether a modal governs "avoid" or it is the imperative itself."""
    imperative = marker.kind == "imperative" and text[marker.start : marker.end].lower() == "avoid"
    return bool(marker.verb == "avoid" or imperative)


def decide(
    model: ForceModel, contexts: Sequence[Any], evidence: Sequence[Any], rows: np.ndarray
) -> list[ForceDecision]:
    """Decisions from the model's probabilities: the likeliest force, its calibrated probability,
    the marker it relied on as the cue span, and polarity and condition (docmine.classify.
    conditions) for an instruction."""
    decisions = []
    for context, seen, row in zip(contexts, evidence, rows, strict=True):
        force = Force(LABELS[int(np.argmax(row))])
        cue = choose_cue(model, seen.markers, force.value)
        polarity = Polarity.POSITIVE
        condition = (-1, -1)
        if force != Force.NONE:
            lead_in = len(context.lead_in) if context.text.startswith(context.lead_in) else 0
            prohibits = _prohibits(cue, seen.rules, seen.markers, lead_in, context.text)
            if force in (Force.MANDATORY, Force.EXPECTATION) and prohibits:
                polarity = Polarity.PROHIBITION
            condition = seen.condition or condition
        decisions.append(
            ForceDecision(
                force,
                polarity,
                float(row.max()),
                Span.of(context.text, cue.start, cue.end) if cue else None,
                Span.of(context.text, *condition) if condition[0] >= 0 else None,
            )
        )
    return decisions


def pooled_items(contexts: Sequence[Any], probabilities: np.ndarray) -> np.ndarray:
    """A list's items take their lead-in's force (ANNOTATION.md: an item inherits the lead-in's
    force): the items of one lead-in (next to each other) whose own words hold no force word
    share the mean of their probabilities, so the same lead-in does not give its items three
    different forces. An item with a force word of its own keeps its own."""
    from docmine.language.cues import force_cues

    out = probabilities.copy()
    index = 0
    while index < len(contexts):
        lead = contexts[index].lead_in
        end = index
        while end < len(contexts) and lead and contexts[end].lead_in == lead:
            end += 1
        if end - index > 1:
            bare = [
                i
                for i in range(index, end)
                if contexts[i].text.startswith(lead)
                and not force_cues(contexts[i].text[len(lead) :])
            ]
            if len(bare) > 1:
                out[bare] = probabilities[bare].mean(axis=0)
        index = max(end, index + 1)
    return out


def predict(
    model: ForceModel, contexts: Sequence[ClauseContext], data: Featurised
) -> tuple[list[ForceDecision], np.ndarray]:
    probabilities = model.predict_proba(data.features, data.texts, data.embeddings, data.layers)
    probabilities = pooled_items(contexts, probabilities)
    return decide(model, contexts, data.evidence, probabilities), probabilities
