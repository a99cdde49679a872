"""The trained force model: a logistic regression over rule, parse and section features plus
MiniLM sentence embeddings, and the artefact it is saved as (models/force.joblib).

The model decides the force; the rules still give polarity and condition, and the cue names what
decided (the governing phrase, or the feature that pushed the model off the rules' answer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from docmine.classify.rules import NO_CUE, classify_rules
from docmine.errors import ModelMissing
from docmine.model import FORCE_ORDER, Force, ForceDecision, Polarity

ARTEFACT_FORMAT = 1
LABELS = tuple(f.value for f in FORCE_ORDER)
DEMOTE_AT = 0.7  # P(none) at which the model overrules a rule force
PROMOTE_AT = 0.7  # P(instruction) at which a cue-less clause becomes an instruction


@dataclass
class ForceModel:
    """Estimator in the scikit-learn manner: the constructor stores, `fit` learns (state ends in
    `_`), `predict_proba` before `fit` raises."""

    c: float = 0.3
    balanced: bool = True
    feature_weight: float = 1.0
    seed: int = 0
    vectorizer_: Any = field(default=None, repr=False)
    classifier_: Any = field(default=None, repr=False)

    def _matrix(self, features: Sequence[dict[str, float]], embeddings: np.ndarray) -> Any:
        from scipy.sparse import csr_matrix, hstack

        named = self.vectorizer_.transform(features) * self.feature_weight
        return hstack([named, csr_matrix(embeddings)], format="csr")

    def fit(
        self, features: Sequence[dict[str, float]], embeddings: np.ndarray, labels: Sequence[str]
    ) -> ForceModel:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = DictVectorizer(sort=True).fit(features)
        self.classifier_ = LogisticRegression(
            C=self.c,
            class_weight="balanced" if self.balanced else None,
            max_iter=5000,
            random_state=self.seed,
        ).fit(self._matrix(features, embeddings), list(labels))
        return self

    def predict_proba(
        self, features: Sequence[dict[str, float]], embeddings: np.ndarray
    ) -> np.ndarray:
        if self.classifier_ is None:
            raise RuntimeError("ForceModel.predict_proba called before fit")
        return np.asarray(self.classifier_.predict_proba(self._matrix(features, embeddings)))

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.classifier_.classes_]

    def strongest_feature(self, features: dict[str, float], label: str) -> str:
        """The named feature that pushed hardest towards `label` (the model's own cue)."""
        row = self.classes.index(label)
        coef = self.classifier_.coef_[row] - self.classifier_.coef_.mean(axis=0)
        index = self.vectorizer_.vocabulary_
        scored = [
            (coef[index[name]] * value, name)
            for name, value in features.items()
            if name in index and value
        ]
        best = max(scored, default=(0.0, ""))
        return best[1] if best[0] > 0 else ""


def combine(rules: ForceDecision, classes: Sequence[str], row: np.ndarray) -> tuple[Force, str]:
    """The hybrid's decision: the rules name the force, the model decides whether the clause is an
    instruction at all. A rule force is demoted to none when the model finds none more likely; a
    clause the rules found no cue in is promoted when the model is sure it instructs (imperatives,
    "will" that assigns a task); a clause the rules blocked (reported view, question, commitment,
    embedded modal) stays none."""
    p_none = float(row[list(classes).index(Force.NONE.value)])
    if rules.force != Force.NONE:
        return (Force.NONE, "demoted") if p_none >= DEMOTE_AT else (rules.force, "rules")
    if rules.cue != NO_CUE or p_none >= 1 - PROMOTE_AT:
        return Force.NONE, "rules"
    best = max(
        (i for i, c in enumerate(classes) if c != Force.NONE.value), key=lambda i: float(row[i])
    )
    return Force(classes[best]), "promoted"


def decide(
    model: ForceModel,
    contexts: Sequence[Any],
    features: Sequence[dict[str, float]],
    embeddings: np.ndarray,
) -> list[ForceDecision]:
    """Model-checked rule decisions; the cue explains what decided and the confidence is the
    model's probability of the chosen force."""
    probabilities = model.predict_proba(features, embeddings)
    decisions = []
    for context, named, row in zip(contexts, features, probabilities, strict=True):
        rules = classify_rules(context.text, context.authority, context.lead_in, context.section)
        force, how = combine(rules, model.classes, row)
        if how == "rules":
            cue = rules.cue
        else:
            strongest = model.strongest_feature(named, force.value) or "embedding"
            cue = f"model {how}: {strongest} (rules: {rules.cue})"
        instructed = force != Force.NONE
        decisions.append(
            ForceDecision(
                force,
                rules.polarity if instructed else Polarity.POSITIVE,
                float(row[model.classes.index(force.value)]),
                cue,
                rules.condition if instructed else "",
            )
        )
    return decisions


def save_artefact(model: ForceModel, path: Path, meta: dict[str, Any]) -> None:
    """Write the model with what produced it (training files, seed, sklearn version)."""
    import joblib
    import sklearn

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": ARTEFACT_FORMAT,
        "sklearn": sklearn.__version__,
        "meta": meta,
        "model": model,
    }
    partial = path.with_name(f".{path.name}.partial")
    joblib.dump(payload, partial, compress=3)
    partial.replace(path)  # an interrupted `docmine train` never leaves a half artefact


@cache
def load_artefact(path: Path) -> ForceModel | None:
    """The saved model, or None if there is no artefact at `path`."""
    import joblib

    if not path.is_file():
        return None
    try:
        payload = joblib.load(path)
    except Exception as exc:  # unpickling raises many types; all mean "unusable artefact"
        raise ModelMissing(
            f"unreadable force model ({type(exc).__name__}): run `docmine train` to rebuild it",
            str(path),
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != ARTEFACT_FORMAT:
        return None
    model: ForceModel = payload["model"]
    return model
