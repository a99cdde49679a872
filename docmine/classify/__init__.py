"""Classification: force, polarity, condition, confidence and cue for each clause.

Two implementations behind one name table: `rules` (the cues of ANNOTATION.md) and `model` (the
trained hybrid in models/, which falls back to rules when no artefact is present)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docmine.classify.rules import classify_rules
from docmine.model import Authority, ForceDecision

Classifier = Callable[[Sequence[str], Authority, Sequence[str]], list[ForceDecision]]


def _rules(
    texts: Sequence[str], authority: Authority, lead_ins: Sequence[str]
) -> list[ForceDecision]:
    return [classify_rules(t, authority, lead) for t, lead in zip(texts, lead_ins, strict=True)]


CLASSIFIERS: dict[str, Classifier] = {"rules": _rules}


def classify_texts(
    texts: Sequence[str],
    authority: Authority = Authority.GUIDANCE,
    lead_ins: Sequence[str] | None = None,
    method: str = "rules",
) -> list[ForceDecision]:
    """Decisions for clause texts of one document, in order."""
    return CLASSIFIERS[method](texts, authority, lead_ins or [""] * len(texts))
