"""The trained force model: explained decisions, and a clear fallback without an artefact."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmine.classify import NO_MODEL_NOTE, classify_texts
from docmine.config import load_settings
from docmine.model import Authority, Force


def test_without_an_artefact_the_rules_decide_and_say_so(tmp_path: Path) -> None:
    settings = load_settings(force_model=tmp_path / "missing.joblib")
    decisions = classify_texts(
        ["ICBs must publish a plan.", "The ICB was set up in 2022."],
        method="model",
        settings=settings,
    )
    assert [d.force for d in decisions] == [Force.MANDATORY, Force.NONE]
    assert decisions[0].cue == f"must [{NO_MODEL_NOTE}]"
    assert decisions[1].cue == f"no force cue [{NO_MODEL_NOTE}]"


@pytest.mark.slow
def test_the_committed_model_classifies_with_confidence_and_cue() -> None:
    settings = load_settings()
    assert settings.force_model.is_file(), "models/force.joblib is committed"
    texts = [
        "ICBs must publish a joint forward plan before April 2023.",
        "We heard that partners should engage early.",
        "ICPs are encouraged to publish an interim strategy.",
        "ICPs should not duplicate the work of the health and wellbeing board.",
    ]
    decisions = classify_texts(
        texts, Authority.STATUTORY_GUIDANCE, method="model", settings=settings
    )
    assert [d.force.value for d in decisions] == ["mandatory", "none", "suggestion", "expectation"]
    assert decisions[3].polarity == "prohibition"
    assert all(0.0 < d.confidence <= 1.0 for d in decisions)
    assert decisions[0].cue == "must" and decisions[1].cue.startswith("reported")
