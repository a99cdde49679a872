"""Parse features of the force model: what the main verb of a clause says about its mood."""

from __future__ import annotations

import pytest

from docmine.classify.features import parse_features
from docmine.config import load_settings
from docmine.language.nlp import parse_texts


@pytest.mark.parametrize(
    ("text", "first", "fronted"),
    [
        ("Complete the template by June.", True, False),
        ("To help you plan the service, complete the template by June.", False, True),
        ("In addition: share the plan with the board.", False, True),
        ("To help you plan the service, the board will complete the template.", False, False),
        ("The board met on 1 July.", False, False),
    ],
)
def test_an_imperative_after_a_fronted_phrase_is_told_apart(
    text: str, first: bool, fronted: bool
) -> None:
    features = parse_features(parse_texts([text], load_settings().spacy_model)[0])
    assert features["imperative"] == float(first)
    assert features.get("imperative_fronted", 0.0) == float(fronted)
