"""Classification: force, polarity, condition, confidence and cue for each clause.

Two implementations behind one name table: `rules` (the cues of ANNOTATION.md) and `model` (the
trained hybrid in models/, which falls back to rules, saying so in the cue, when no artefact is
present)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from docmine.classify.features import ClauseContext
from docmine.classify.rules import classify_rules
from docmine.config import Settings, load_settings
from docmine.model import Authority, ForceDecision

Classifier = Callable[[Sequence[ClauseContext], Settings], list[ForceDecision]]
NO_MODEL_NOTE = "rules (no force model artefact: run `docmine train`)"


def _rules(contexts: Sequence[ClauseContext], settings: Settings) -> list[ForceDecision]:
    return [classify_rules(c.text, c.authority, c.lead_in, c.section) for c in contexts]


def _model(contexts: Sequence[ClauseContext], settings: Settings) -> list[ForceDecision]:
    from docmine.classify.model import decide, load_artefact
    from docmine.classify.train import featurise

    model = load_artefact(settings.force_model)
    if model is None:
        return [
            dataclasses.replace(d, cue=f"{d.cue} [{NO_MODEL_NOTE}]")
            for d in _rules(contexts, settings)
        ]
    if not contexts:
        return []
    data = featurise(contexts, settings)
    return decide(model, contexts, data.features, data.embeddings)


CLASSIFIERS: dict[str, Classifier] = {"rules": _rules, "model": _model}


def classify_texts(
    texts: Sequence[str],
    authority: Authority = Authority.GUIDANCE,
    lead_ins: Sequence[str] | None = None,
    method: str = "rules",
    sections: Sequence[tuple[str, ...]] | None = None,
    settings: Settings | None = None,
) -> list[ForceDecision]:
    """Decisions for clause texts of one document, in order."""
    contexts = [
        ClauseContext(text, lead_in, authority, section)
        for text, lead_in, section in zip(
            texts, lead_ins or [""] * len(texts), sections or [()] * len(texts), strict=True
        )
    ]
    return classify_contexts(contexts, method, settings)


def classify_contexts(
    contexts: Sequence[ClauseContext], method: str = "rules", settings: Settings | None = None
) -> list[ForceDecision]:
    """Decisions for clauses that carry their own context (authority, lead-in, section)."""
    if method not in CLASSIFIERS:
        from docmine.errors import BadInput

        raise BadInput(f"unknown classification method {method!r}: use one of {list(CLASSIFIERS)}")
    return CLASSIFIERS[method](contexts, settings or load_settings())
