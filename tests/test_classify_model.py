"""The learned force model: calibrated decisions with cue spans, a plain-data artefact that ships
inside the wheel, and a one-line error when the artefact is missing."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from docmine.classify import classify_texts
from docmine.classify.model import ForceModel, softmax
from docmine.config import PROJECT_DIR, load_settings
from docmine.errors import ModelMissing
from docmine.model import Authority, Force, Polarity


def test_a_missing_artefact_is_a_one_line_error_naming_the_remedy(tmp_path: Path) -> None:
    settings = load_settings(force_model=tmp_path / "missing.json.gz")
    with pytest.raises(ModelMissing, match="docmine train"):
        classify_texts(["ICBs must publish a plan."], method="model", settings=settings)
    rules = classify_texts(["ICBs must publish a plan."], method="rules", settings=settings)
    assert rules[0].force == Force.MANDATORY and rules[0].cue_text == "must"


def _gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _mismatched_weights() -> bytes:
    with gzip.open(load_settings().force_model, "rb") as handle:
        payload = json.loads(handle.read())
    payload["model"]["coef"][0] = payload["model"]["coef"][0][:-1]
    return _gzipped(json.dumps(payload).encode())


@pytest.mark.parametrize(
    "content",
    [
        b"not gzip",
        _gzipped(b'{"format": 2, "model": ')[:-6],  # truncated
        _gzipped(b"[1, 2]"),  # JSON, not an object
        _gzipped(b'{"format": 1}'),  # an older format
    ],
)
def test_an_unreadable_artefact_is_a_one_line_error(tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "force.json.gz"
    broken.write_bytes(content)
    with pytest.raises(ModelMissing, match="unreadable force model"):
        classify_texts(["x"], settings=load_settings(force_model=broken))


def test_weights_that_do_not_match_their_vocabularies_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "force.json.gz"
    broken.write_bytes(_mismatched_weights())
    with pytest.raises(ModelMissing, match="do not match"):
        classify_texts(["x"], settings=load_settings(force_model=broken))


@pytest.mark.parametrize("method", ["rules", "model"])
def test_cue_spans_point_at_the_governing_word(method: str) -> None:
    texts = [
        "The mayor may publish a plan.",
        "Guidance on what should be in a strategy is here, and ICBs should publish it.",
        "Each ICB must publish: a plan",
    ]
    decisions = classify_texts(texts, method=method, lead_ins=["", "", "Each ICB must publish: "])
    starts = [d.cue.start if d.cue else -1 for d in decisions]
    assert starts == [10, 59, 9]
    for text, decision in zip(texts, decisions, strict=True):
        assert decision.cue is not None
        assert text[decision.cue.start : decision.cue.end] == decision.cue.text


def test_a_question_has_no_cue_span_in_the_rules() -> None:
    (decision,) = classify_texts(["What question should boards ask?"], method="rules")
    assert decision.cue is None and decision.reason == "question"


@pytest.mark.slow
def test_a_question_standing_alone_is_none_and_one_listed_under_a_lead_in_takes_its_force() -> None:
    """ANNOTATION.md rule 8: questions, even pointed ones, are none; DECISIONS.md 15: a question
    a lead-in suggests asking takes the lead-in's force."""
    texts = [
        "What support will PCNs need to lead neighbourhood teams?",
        "How should neighbourhood boundaries relate to local authority wards?",
        "Councillors may wish to ask: Is the ICB meeting its targets?",
        # an instruction with a stray "?" is no question
        "Partners should ask themselves how they will involve local people?",
        # a written parliamentary question, printed without its question mark
        "To ask the Secretary of State for Health and Social Care, whether he will require "
        "integrated care boards to publish waiting times for wheelchair services.",
        # a consultation question's number is no lead-in
        "Question 3: Should the protocol be signed off by the health and wellbeing board?",
    ]
    alone, pointed, listed, stray, written, numbered = classify_texts(texts)
    assert (numbered.force, numbered.reason) == (Force.NONE, "question")
    assert (alone.force, alone.reason, alone.cue) == (Force.NONE, "question", None)
    assert pointed.force == Force.NONE
    assert (written.force, written.reason) == (Force.NONE, "question")
    assert listed.force == Force.SUGGESTION
    assert stray.force == Force.EXPECTATION


@pytest.mark.slow
def test_a_negated_requirement_is_not_a_prohibition_but_must_not_is() -> None:
    texts = [
        "ICBs are not required to publish a separate plan.",
        "ICBs must not share the data.",
        "Providers should not share the data without consent.",
    ]
    decisions = classify_texts(texts, Authority.STATUTORY_GUIDANCE)
    assert [d.polarity.value for d in decisions] == ["positive", "prohibition", "prohibition"]


def test_a_lead_in_cue_that_is_no_modal_leaves_the_polarity_to_the_items_modals() -> None:
    # "<lead-in: ... agreed by the Board:> ICSs must not add layers": the model's cue for an
    # expectation may be the lead-in's "agreed"; the item's only modal is negated, so it forbids
    from types import SimpleNamespace

    from docmine.classify.model import _prohibits
    from docmine.model import ForceDecision

    def marker(kind: str, lemma: str, negated: bool, start: int) -> SimpleNamespace:
        return SimpleNamespace(kind=kind, lemma=lemma, negated=negated, start=start, verb="")

    rules = ForceDecision(Force.EXPECTATION)
    agreed, must_not = marker("verb", "agree", False, 20), marker("modal", "must", True, 60)
    assert _prohibits(agreed, rules, [agreed, must_not], lead_in=50)
    # one modal of the item not negated, or "need not": no prohibition
    should = marker("modal", "should", False, 80)
    assert not _prohibits(agreed, rules, [agreed, must_not, should], lead_in=50)
    assert not _prohibits(agreed, rules, [agreed, marker("modal", "need", True, 60)], lead_in=50)
    # no lead-in: a cue that is no modal keeps the positive ("Trusts are expected to report any
    # incident that may not be resolved locally"); a modal cue decides by itself, as before
    expected, may_not = marker("verb", "expect", False, 7), marker("modal", "may", True, 50)
    assert not _prohibits(expected, rules, [expected, may_not])
    assert _prohibits(must_not, rules, [must_not]) and not _prohibits(agreed, rules, [agreed])


def test_the_artefact_is_plain_json_weights_and_small() -> None:
    path = load_settings().force_model
    assert path.is_file(), "models/force.json.gz is committed"
    assert path.stat().st_size < 30 * 1024 * 1024
    with gzip.open(path, "rb") as handle:
        payload = json.loads(handle.read())
    model = payload["model"]
    assert model["labels"] == ["mandatory", "expectation", "suggestion", "none"]
    width = len(model["features"]) + len(model["ngrams"]) + model["embedding_dim"]
    assert all(len(row) == width for row in model["coef"])
    assert payload["meta"]["clauses"] > 4000 and 0.2 < model["temperature"] < 5
    # the layer-pool model: 4 labels x (7 layers x 384), blended in at its share
    assert len(model["layers_mean"]) == 7 * 384 == len(model["layers_scale"])
    assert [len(row) for row in model["layers_coef"]] == [7 * 384] * 4
    assert 0 < model["layers_weight"] < 1


def _toy_model(layers: bool) -> tuple[ForceModel, list[dict[str, float]], list[str], np.ndarray]:
    rng = np.random.default_rng(0)
    labels = ["mandatory", "expectation", "suggestion", "none"] * 10
    texts = [f"{label} clause {i}" for i, label in enumerate(labels)]
    features = [{f"cue={label}": 1.0} for label in labels]
    embeddings = rng.normal(size=(len(labels), 8))
    pools = rng.normal(size=(len(labels), 12)) if layers else None
    model = ForceModel().fit(features, texts, embeddings, labels, layers=pools)
    return model, features, texts, embeddings


def test_the_layer_pool_model_is_blended_in_at_its_share() -> None:
    model, features, texts, embeddings = _toy_model(layers=True)
    pools = np.random.default_rng(1).normal(size=(len(texts), 12))
    blended = model.predict_proba(features, texts, embeddings, pools)
    assert np.allclose(blended.sum(axis=1), 1)
    assert model.layers_coef_.shape == (4, 12)
    first = softmax(model.logits(features, texts, embeddings) / model.temperature_)
    second = softmax(model._standardised(pools) @ model.layers_coef_.T + model.layers_intercept_)
    assert np.allclose(blended, 0.7 * first + 0.3 * second)


def test_a_model_with_layer_pools_refuses_clauses_without_them() -> None:
    model, features, texts, embeddings = _toy_model(layers=True)
    with pytest.raises(ValueError, match="pass the clauses' layer pools"):
        model.predict_proba(features, texts, embeddings)
    with pytest.raises(ModelMissing, match="layer-pool columns, not 5"):
        model.predict_proba(features, texts, embeddings, np.zeros((len(texts), 5)))


def test_the_blend_is_calibrated_on_held_out_documents_and_survives_its_artefact() -> None:
    rng = np.random.default_rng(0)
    labels = ["mandatory", "expectation", "suggestion", "none"] * 15
    texts = [f"{label} clause {i}" for i, label in enumerate(labels)]
    features = [{f"cue={label}": float(rng.random() < 0.7)} for label in labels]
    embeddings = rng.normal(size=(len(labels), 8))
    pools = rng.normal(size=(len(labels), 12)) + np.eye(4)[[0, 1, 2, 3] * 15].repeat(3, axis=1)
    documents = [f"doc{i % 10}" for i in range(len(labels))]
    model = ForceModel().fit(features, texts, embeddings, labels, documents, pools)
    assert model.blend_temperature_ != 1.0 and 0.05 < model.blend_temperature_ < 20
    blend = 0.7 * softmax(model.logits(features, texts, embeddings) / model.temperature_)
    blend += 0.3 * softmax(
        model._standardised(pools) @ model.layers_coef_.T + model.layers_intercept_
    )
    expected = softmax(np.log(blend + 1e-12) / model.blend_temperature_)
    assert np.allclose(model.predict_proba(features, texts, embeddings, pools), expected)
    assert (expected.argmax(axis=1) == blend.argmax(axis=1)).all()  # calibration keeps the force
    again = ForceModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.predict_proba(features, texts, embeddings, pools), expected, atol=1e-5)
    # refitted without layer pools, the model keeps no layer-pool model of the first fit
    model.fit(features, texts, embeddings, labels)
    assert not model.layers_coef_.size
    assert model.predict_proba(features, texts, embeddings).shape == (len(labels), 4)


def test_a_model_fitted_without_layer_pools_reads_none_and_survives_its_artefact() -> None:
    model, features, texts, embeddings = _toy_model(layers=False)
    again = ForceModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(
        again.predict_proba(features, texts, embeddings),
        softmax(model.logits(features, texts, embeddings) / model.temperature_),
    )


SCHEME_EXAMPLES = [
    # ANNOTATION.md's own examples and signals, one per label and rule
    ("ICBs must publish a joint forward plan before April 2023.", "mandatory", "must"),
    ("We heard that partners should engage early.", "none", None),
    ("We expect ICPs to engage early.", "expectation", "expect"),
    ("ICPs are encouraged to publish an interim strategy.", "suggestion", "encouraged"),
    (
        "ICPs should not duplicate the work of the health and wellbeing board.",
        "expectation",
        "should",
    ),
    ("The integrated care board was established on 1 July 2022.", "none", None),
]


@pytest.mark.slow
def test_the_shipped_model_classifies_the_schemes_examples_with_spans() -> None:
    texts = [t for t, _, _ in SCHEME_EXAMPLES]
    decisions = classify_texts(texts, Authority.STATUTORY_GUIDANCE)
    assert [d.force.value for d in decisions] == [f for _, f, _ in SCHEME_EXAMPLES]
    for text, decision, (_, _, cue) in zip(texts, decisions, SCHEME_EXAMPLES, strict=True):
        assert 0.25 <= decision.confidence <= 1.0
        if cue is not None:
            assert decision.cue is not None
            assert decision.cue.text == cue == text[decision.cue.start : decision.cue.end]
        if decision.cue is not None:
            assert text[decision.cue.start : decision.cue.end] == decision.cue.text
    assert decisions[4].polarity == "prohibition"
    assert decisions[0].polarity == "positive"


@pytest.mark.slow
def test_a_wheel_carries_the_model_and_classifies_with_it(tmp_path: Path) -> None:
    """A non-editable install: the built wheel, unpacked, imported from outside the checkout."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(PROJECT_DIR),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("docmine-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert "docmine/trained/force.json.gz" in archive.namelist()
        assert "docmine/trained/links.json.gz" in archive.namelist()
        archive.extractall(site)
    script = (
        "import docmine, docmine.config as c;"
        "from docmine.classify import classify_texts;"
        "assert c.shipped_force_model().is_relative_to(c.PACKAGE_DIR), c.shipped_force_model();"
        "assert c.shipped_link_models().is_relative_to(c.PACKAGE_DIR), c.shipped_link_models();"
        "d = classify_texts(['Each council must publish a plan.'], method='model')[0];"
        "print(docmine.__file__, d.force.value, d.cue_text)"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1"}
    env.pop("DOCMINE_FORCE_MODEL", None)
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    location, force, cue = out.split()
    assert location.startswith(str(site)) and (force, cue) == ("mandatory", "must")


def test_an_action_table_row_with_an_owner_is_an_instruction() -> None:
    """The owner column assigns the action (the model has seen no such table): an instruction,
    its cue the imperative, its confidence the force's share among the instructions; a row with
    no owner column is left to the model."""
    from types import SimpleNamespace

    import numpy as np

    from docmine.classify import assigned_actions
    from docmine.classify.deontic import Marker
    from docmine.classify.features import ClauseContext
    from docmine.model import ForceDecision

    rows = [
        "Publish a discharge improvement plan on your website | NHS trusts | 30 September 2026",
        "Publish a discharge improvement plan on your website | 30 September 2026",
    ]
    # linking says which rows have an owner column naming a body
    from docmine.link import owned_rows

    owned = owned_rows(rows, load_settings())
    assert owned == [True, False]
    contexts = [
        ClauseContext(row, "", Authority.GUIDANCE, (), "", own)
        for row, own in zip(rows, owned, strict=True)
    ]
    imperative = Marker("imperative", "publish", 0, 7, "main", False, "none", False)
    evidence = [SimpleNamespace(markers=(imperative,))] * 2
    # labels: mandatory, expectation, suggestion, none
    probabilities = np.array([[0.1, 0.3, 0.1, 0.5]] * 2)
    decisions = [ForceDecision(Force.NONE, confidence=0.5)] * 2
    assigned, left = assigned_actions(contexts, decisions, probabilities, evidence)
    assert (assigned.force, assigned.cue_text, assigned.confidence) == (
        Force.EXPECTATION,
        "Publish",
        0.6,
    )
    assert assigned.reason.startswith("action table")
    # a row without an owner is an imperative of action all the same (DECISIONS.md 14)
    assert (left.force, left.reason) == (
        Force.EXPECTATION,
        "an imperative of action: the reader is told to act",
    )


@pytest.mark.slow
def test_a_time_limit_opened_by_not_is_no_prohibition() -> None:
    """ "must be given— not later than 2 days before ...": the "not" is the time limit's."""
    limit, forbidden = classify_texts(
        [
            "A notice under subsection (1) must be given not later than 2 days before the "
            "proposed discharge date.",
            "A notice must not be given more than 8 weeks before the discharge date.",
        ],
        Authority.LEGISLATION,
    )
    assert (limit.force, limit.polarity.value) == (Force.MANDATORY, "positive")
    assert (forbidden.force, forbidden.polarity.value) == (Force.MANDATORY, "prohibition")


@pytest.mark.slow
def test_may_not_of_prohibition_is_mandatory_and_may_not_of_possibility_is_not() -> None:
    """ANNOTATION.md: "may not (= prohibited)"; "it may not be feasible" says what is possible."""
    texts = [
        "Local authorities may not charge for intermediate care.",
        "No ICB may delegate this function.",
        "Neither partner may withdraw from the agreement without notice.",
        "It may not be feasible to hold a meeting.",
        "Carers may not know about the service.",
        "Some ICBs may not have completed their plans by the end of the year.",
        "ICBs may not always meet the four-hour standard.",
        "Some carers may not be registered with a GP.",
    ]
    decisions = classify_texts(texts, Authority.STATUTORY_GUIDANCE)
    assert [(d.force, d.polarity.value) for d in decisions[:3]] == [
        (Force.MANDATORY, "prohibition")
    ] * 3
    assert all(d.cue_text == "may" for d in decisions[:3])
    assert all(d.polarity.value == "positive" for d in decisions[3:])
    assert all(d.force != Force.MANDATORY for d in decisions[3:])


@pytest.mark.slow
def test_a_negated_necessity_is_an_exemption_and_a_view_people_state_is_none() -> None:
    """DECISIONS.md 13: "not required to" takes a duty away (a suggestion, polarity positive);
    ANNOTATION.md rule 1: a view people state instructs no one, whoever states it; a text
    restating guidance keeps its force (DECISIONS.md 8)."""
    texts = [
        "Providers are not required to submit a new plan.",
        "ICBs are not required to establish a new committee.",
        "Respondents to the budget consultation said the council should protect funding.",
        "Inspectors said providers should do more to learn from near misses.",
        "The guidance says that councils should publish a market position statement.",
        "ICBs must not share the data.",
    ]
    decisions = classify_texts(texts)
    assert [(d.force, d.polarity.value) for d in decisions[:2]] == [
        (Force.SUGGESTION, "positive")
    ] * 2
    assert all(d.cue_text == "required" and d.reason.startswith("exemption") for d in decisions[:2])
    assert [d.force for d in decisions[2:4]] == [Force.NONE, Force.NONE]
    assert decisions[3].cue_text == "said"
    assert decisions[4].force == Force.EXPECTATION
    assert (decisions[5].force, decisions[5].polarity.value) == (Force.MANDATORY, "prohibition")


@pytest.mark.slow
def test_a_position_paper_asking_a_national_body_proposes_no_obligation() -> None:
    """DECISIONS.md 10: "the Government should ..." in a position paper is none; its statements
    to the bodies that deliver care keep their force."""
    texts = [
        "NHS England should reduce the number of national targets it sets for systems.",
        "The Government must set out the lines of responsibility.",
        "ICSs need to develop plans with their communities.",
    ]
    decisions = classify_texts(texts, Authority.POSITION_PAPER)
    assert [d.force for d in decisions] == [Force.NONE, Force.NONE, Force.EXPECTATION]
    assert decisions[0].reason.startswith("proposal") and decisions[0].cue_text == "should"
    guidance = classify_texts(texts[:1], Authority.GUIDANCE)
    assert guidance[0].force == Force.EXPECTATION


def test_a_negated_imperative_in_an_owned_row_forbids() -> None:
    from types import SimpleNamespace

    import numpy as np

    from docmine.classify import assigned_actions
    from docmine.classify.deontic import Marker
    from docmine.classify.features import ClauseContext
    from docmine.model import ForceDecision

    row = "Do not discharge patients without a test | NHS trusts | 1 May 2026"
    context = ClauseContext(row, "", Authority.GUIDANCE, (), "", True)
    imperative = Marker("imperative", "discharge", 7, 16, "main", True, "none", False)
    (decision,) = assigned_actions(
        [context],
        [ForceDecision(Force.NONE, confidence=0.5)],
        np.array([[0.1, 0.3, 0.1, 0.5]]),
        [SimpleNamespace(markers=(imperative,))],
    )
    assert (decision.force, decision.polarity.value) == (Force.EXPECTATION, "prohibition")


def test_an_imperative_in_a_section_of_actions_is_an_instruction() -> None:
    from types import SimpleNamespace

    import numpy as np

    from docmine.classify import assigned_actions
    from docmine.classify.deontic import Marker
    from docmine.classify.features import ClauseContext
    from docmine.model import ForceDecision

    text = "Publish a discharge dashboard each week from 1 November 2026."
    imperative = Marker("imperative", "publish", 0, 7, "main", False, "none", False)
    decisions = [ForceDecision(Force.NONE, confidence=0.6)] * 3
    contexts = [
        ClauseContext(text, "", Authority.GUIDANCE, ("Winter letter", "Actions for ICBs"), ""),
        ClauseContext(text, "", Authority.GUIDANCE, ("Winter letter", "Background"), ""),
        # an imperative that does not open the clause assigns nothing
        ClauseContext("Then we " + text, "", Authority.GUIDANCE, ("Next steps",), ""),
    ]
    late = Marker("imperative", "publish", 8, 15, "main", False, "none", False)
    evidence = [SimpleNamespace(markers=(m,)) for m in (imperative, imperative, late)]
    probabilities = np.array([[0.1, 0.2, 0.1, 0.6]] * 3)
    announced, background, late_one = assigned_actions(contexts, decisions, probabilities, evidence)
    assert (announced.force, announced.cue_text) == (Force.EXPECTATION, "Publish")
    assert announced.reason.startswith("a section of actions")
    # elsewhere an imperative of action is an expectation all the same (DECISIONS.md 14)
    assert (background.force, background.cue_text) == (Force.EXPECTATION, "Publish")
    assert background.reason.startswith("an imperative of action")
    assert late_one == decisions[2]


def test_an_imperative_of_action_instructs_and_one_of_signposting_does_not() -> None:
    """DECISIONS.md 14: imperatives are expectations ("Consider ..." a suggestion, "Do not ..."
    a prohibition); 17: signposting ("See Annex C", "Find out more ...") is none; a question
    asks."""
    from types import SimpleNamespace

    import numpy as np

    from docmine.classify import assigned_actions
    from docmine.classify.deontic import Marker
    from docmine.classify.features import ClauseContext
    from docmine.model import ForceDecision

    cases = [
        ("Offer people at risk of falls a strength and balance programme.", 0, False),
        ("Consider home hazard assessment for older people.", 0, False),
        ("Do not offer brisk walking as a stand-alone intervention.", 7, True),
        ("See Annex C for the full list.", 0, False),
        ("Find out more on the NHS England website.", 0, False),
        ("Offer what support to carers?", 0, False),
    ]
    contexts = [
        ClauseContext(t, "", Authority.GUIDANCE, ("Recommendations",), "") for t, *_ in cases
    ]
    evidence = [
        SimpleNamespace(
            markers=(
                Marker("imperative", "verb", at, t.index(" ", at), "main", neg, "none", False),
            )
        )
        for t, at, neg in cases
    ]
    decisions = [ForceDecision(Force.NONE, confidence=0.6)] * len(cases)
    found = assigned_actions(contexts, decisions, np.array([[0.1, 0.2, 0.1, 0.6]] * 6), evidence)
    assert [(d.force, d.polarity.value) for d in found] == [
        (Force.EXPECTATION, "positive"),
        (Force.SUGGESTION, "positive"),
        (Force.EXPECTATION, "prohibition"),
        (Force.NONE, "positive"),
        (Force.NONE, "positive"),
        (Force.NONE, "positive"),
    ]
    assert found[0].cue_text == "Offer" and found[2].cue_text == "offer"


@pytest.mark.slow
def test_a_proposal_or_a_consultation_question_states_no_obligation() -> None:
    """DECISIONS.md 10: proposing an obligation is not stating one; a question asks. "We
    recommend" and "we suggest" still advise."""
    texts = [
        "Proposal 1: We propose that ICBs should be required to include a neighbourhood section.",
        "Question 1: Do you agree that ICBs should be required to publish an estates plan?",
        "We recommend that ICBs publish their plans.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions[:2]] == [Force.NONE, Force.NONE]
    assert all(d.reason.startswith("proposal") for d in decisions[:2])
    assert decisions[2].force != Force.NONE
    # the author urging a law-maker proposes, in any text
    urged = classify_texts(
        [
            "We recommend that DHSC should require every NHS body to acknowledge complaints.",
            "We urge the Government to review the arrangements.",
        ]
    )
    assert [d.force for d in urged] == [Force.NONE, Force.NONE]
    assert all(d.reason.startswith("proposal: the author asks a national body") for d in urged)


@pytest.mark.slow
def test_may_not_forbids_in_guidance_when_a_body_or_role_is_its_subject() -> None:
    texts = [
        "Pharmacists may not prescribe antibiotics outside the seven pathways.",
        "Providers may not charge people for the first six weeks of reablement.",
        # a conjunct split off after "but" (segment): its subject is the part before's
        "but may not delegate any of its statutory functions to them.",
        "Carers may not know about the service.",
        "The ICB may not be able to fund the service.",
        "Figures may not sum due to rounding.",
        "and may not know about the service.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [(d.force, d.polarity.value) for d in decisions[:3]] == [
        (Force.MANDATORY, "prohibition")
    ] * 3
    assert all(d.polarity.value == "positive" for d in decisions[3:])


@pytest.mark.slow
def test_a_law_that_bars_an_act_forbids_it() -> None:
    """Rule 3: a prohibition keeps its force and flips the polarity, whether a negated "may"
    ("may not make a charge") or a verb that bars ("prevents ... from charging")."""
    texts = [
        "Subsection (2) prevents local authorities from charging for these assessments.",
        "Subsection (4) prohibits NHS providers from discharging a patient before it ends.",
        "Providers are prohibited from charging for reablement.",
        "A local authority may not make a charge for an assessment under this section.",
        # a permission, an effect, a view reported, a condition: none forbids
        "Nothing in this regulation prevents the authority from seeking advice.",
        "The regulation prevents no one from applying.",
        "This prevents people from having to repeat their story.",
        "Early help is important because it prevents carers from reaching crisis point.",
        "Respondents told us that providers are prohibited from charging for reablement.",
        "If providers are prohibited from charging, they must tell the person in writing.",
        "It may not make sense to hold a meeting.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [(d.force, d.polarity.value) for d in decisions[:4]] == [
        (Force.MANDATORY, "prohibition")
    ] * 4
    assert [d.cue_text for d in decisions[:3]] == ["prevents", "prohibits", "prohibited"]
    assert all(d.polarity.value == "positive" for d in decisions[4:])
    assert all(d.force != Force.MANDATORY for d in decisions[4:9])
    assert decisions[9].force == Force.MANDATORY  # "they must tell": positive


@pytest.mark.slow
def test_an_agreement_s_commencement_and_term_and_a_split_off_commencement_bind_no_one() -> None:
    texts = [
        "This Agreement shall come into force on 1 April 2025 and shall continue until 31 March "
        "2028 unless terminated earlier under clause 8.",
        "and shall come into force on 1 October 2025.",
        "The Partners shall review this Agreement each year.",
    ]
    decisions = classify_texts(texts, Authority.LEGISLATION)
    assert [d.force for d in decisions[:2]] == [Force.NONE, Force.NONE]
    assert decisions[2].force == Force.MANDATORY


@pytest.mark.slow
def test_a_section_headed_as_a_case_study_instructs_no_one() -> None:
    """DECISIONS.md 9: a case study describes a local arrangement, whatever modal it holds."""
    texts = [
        "Local authorities should agree a joint assessment protocol with the ICB.",
        "Every practitioner must complete joint training before taking cases.",
    ]
    sections = [("Joint assessment",), ("Joint assessment", "Case study: Eastmoor Council")]
    decisions = classify_texts(texts, sections=sections)
    assert [d.force for d in decisions] == [Force.EXPECTATION, Force.NONE]
    assert decisions[1].reason == "case study"


@pytest.mark.slow
def test_may_on_a_verb_of_requiring_is_its_subject_s_power() -> None:
    texts = [
        "The Committee may require any responsible person to provide such information as it "
        "may reasonably require.",
        "The Committee may require any NHS trust to provide such information as it needs.",
        # a consequence, not a power; a duty the subject has first
        "This may require staff to work longer hours.",
        "ICBs must publish the plan, and NHS England may require them to revise it.",
    ]
    power, named, consequence, duty = classify_texts(texts, Authority.LEGISLATION)
    assert [power.force, named.force] == [Force.SUGGESTION] * 2
    assert not consequence.reason.startswith("a power")
    assert duty.force == Force.MANDATORY


def test_a_lead_in_s_items_without_force_words_share_one_force() -> None:
    """ANNOTATION.md: an item inherits its lead-in's force; the model's probabilities of the
    items of one lead-in that hold no force word of their own are pooled, so they agree. An
    item with its own force word, and an item of another lead-in, keep theirs."""
    import numpy as np

    from docmine.classify.features import ClauseContext
    from docmine.classify.model import pooled_items

    lead = "The Chair is responsible for:"
    contexts = [
        ClauseContext(f"{lead} setting the agenda", lead),
        ClauseContext(f"{lead} ensuring minutes are kept", lead),
        ClauseContext(f"{lead} the committee may co-opt members", lead),
        ClauseContext("Members must attend.", ""),
    ]
    rows = np.array(
        [[0.4, 0.1, 0.1, 0.4], [0.8, 0.1, 0.0, 0.1], [0.1, 0.1, 0.7, 0.1], [0.9, 0, 0, 0.1]]
    )
    pooled = pooled_items(contexts, rows)
    assert np.allclose(pooled[0], pooled[1]) and np.allclose(pooled[0], [0.6, 0.1, 0.05, 0.25])
    assert np.allclose(pooled[2:], rows[2:])


@pytest.mark.slow
def test_a_speaker_s_quoted_words_instruct_no_one() -> None:
    """DECISIONS.md 9: a minister's or a chair's words after "X said:" are their view."""
    from docmine.classify import follows_a_speaker

    text = (
        "Funding announced\nThe Health and Social Care Secretary said:\n"
        "No one should be stuck in hospital. Local leaders must now work together.\n"
        "Local authorities must report by 30 June.\n"
        'The chair said: "Trusts must act now. Boards should take note."\n'
        "Section 14 of the Care Act 2014 says:\nA local authority must not make a charge."
    )
    starts = [
        text.index(s) for s in ("No one", "Local leaders", "Local authorities", "Boards", "A local")
    ]
    # the law's own words, restated, keep their force (DECISIONS.md 8)
    assert [follows_a_speaker(text, s) for s in starts] == [True, True, False, True, False]
    quoted, guidance = classify_texts(
        ["Local leaders must now work together.", "Local authorities must report by 30 June."],
        spoken=[True, False],
    )
    assert (quoted.force, quoted.reason) == (Force.NONE, "reported: quoted")
    assert guidance.force == Force.MANDATORY


@pytest.mark.slow
def test_expected_or_asked_not_to_is_a_prohibition_not_expected_to_is_none() -> None:
    texts = [
        "Trusts are expected not to use agency staff.",
        "Providers are asked not to contact patients directly.",
        "Trusts are expected to use the form.",
    ]
    refrain, asked, positive = classify_texts(texts)
    assert (refrain.force, refrain.polarity) == (Force.EXPECTATION, Polarity.PROHIBITION)
    assert (asked.force, asked.polarity) == (Force.EXPECTATION, Polarity.PROHIBITION)
    assert positive.polarity == Polarity.POSITIVE


@pytest.mark.slow
def test_a_pointer_to_more_text_is_signposting() -> None:
    """DECISIONS.md 17: "See ...", "Please refer to ..." point the reader elsewhere."""
    texts = [
        "Please see the action plan in Annex B.",
        "Please refer to the PPE web page for further details.",
        # a force word after the pointer: the rule leaves it to the model
        "See section 4: providers must notify CQC of deaths.",
    ]
    see, refer, instruction = classify_texts(texts)
    assert [see.force, refer.force] == [Force.NONE] * 2
    assert see.reason.startswith("signposting")
    assert not instruction.reason.startswith("signposting")


@pytest.mark.slow
def test_may_on_a_verb_of_effect_is_a_consequence_not_a_permission() -> None:
    texts = [
        "Failure to submit a return may result in the grant being withheld.",
        "The second instalment may be withheld.",
        "The number of members may vary depending on the scope of the partnership.",
        # permissions, whose verbs a body may choose to do; a consequence beside a duty
        "Local authorities may use the grant for capital spending.",
        "ICBs may vary the contract by giving three months' notice.",
        "The council may delay the review for up to 28 days if the person is in hospital.",
        "Either the ICB or the local authority may lead the work to develop the strategy.",
        "Providers must submit the return by 30 June; failure may result in recovery.",
    ]
    result, withheld, vary, *permissions, duty = classify_texts(texts)
    assert [result.force, withheld.force, vary.force] == [Force.NONE] * 3
    assert result.reason.startswith("a consequence") and result.cue.text.startswith("may")
    assert [p.force for p in permissions] == [Force.SUGGESTION] * 4
    assert duty.force == Force.MANDATORY


@pytest.mark.slow
def test_will_gives_a_named_party_a_task_where_the_document_sets_out_who_does_what() -> None:
    """ANNOTATION.md rule 5: a "will" that assigns a task to a body is an expectation; under
    "Roles and responsibilities", in an agreement, or after "X will:"."""
    texts = [
        "The Council will lead the commissioning of reablement capacity.",
        "Directors of public health will lead the local health protection response.",
        # a state or an event, a text, the author, a pronoun
        "The ICP will start meeting in shadow form from March.",
        "The review will look at a range of data.",
        "By implementing this policy, NHS England will meet our public involvement duty.",
        "It will fund the beds.",
        # a national author's own commitment (rule 7); a structure or a state described
        "DHSC will publish guidance in July.",
        "The Committee will comprise seven members.",
        "Members will serve for a term of three years.",
        "The Agreement will terminate on 31 March 2026.",
    ]
    roles = [("Roles and responsibilities",)] * len(texts)
    lead, dph, *others = classify_texts(texts, sections=roles)
    assert [lead.force, dph.force] == [Force.EXPECTATION] * 2
    assert lead.cue.text == "will" and lead.reason.startswith("a task assigned")
    assert [d.force for d in others] == [Force.NONE] * len(others)
    # a lead-in "X will:" assigns its items; elsewhere "will" is a prediction
    item, conditional = classify_texts(
        [
            "The Host Partner will: maintain the pooled fund accounts",
            "The Host Partner will: notify the ICB where a forecast overspend exceeds 2%.",
        ],
        lead_ins=["The Host Partner will:"] * 2,
    )
    assert [item.force, conditional.force] == [Force.EXPECTATION] * 2
    assert conditional.condition is not None
    assert conditional.condition.text == "where a forecast overspend exceeds 2%"
    (plain,) = classify_texts(["The Council will lead the commissioning of reablement."])
    assert plain.force == Force.NONE


@pytest.mark.slow
def test_a_provision_that_confers_a_duty_or_a_power_has_its_force() -> None:
    """An explanatory note's "Regulation 8 obliges the local authority to ..." is the duty it
    describes (mandatory); "Subsection (2) enables the Secretary of State to make regulations
    requiring ..." is a power (a suggestion), not the duty the regulations may impose."""
    texts = [
        "Regulation 8 obliges the local authority to provide certain information to the person.",
        "Subsection (3) places a duty on health and wellbeing boards to include carers' needs.",
        "If the person has eligible needs, subsections (3) and (4) require the local authority "
        "to establish where the adult lives.",
        "Subsection (2) enables the Secretary of State to make regulations specifying the steps "
        "that local authorities must take.",
        "New paragraph 7A of Schedule 1 enables the Secretary of State to make arrangements for "
        "the weighing and measuring of children.",
        "Subsection 2(4) provides the Secretary of State with an order-making power to extend "
        "the duty.",
        # a right given to people, a description of duties with no act, a negated requirement
        "Section 28 allows individuals to take an independent personal budget.",
        "Regulations 8 to 11 place various obligations on local authorities in relation to Part "
        "2A applications.",
        "Subsection (1) does not require an authority to take a step it has no power to take.",
        # the guidance's own sections, and requirements that are no one's duty
        "This section gives an overview of the Secretary of State's powers of intervention.",
        "This section allows you to find out what support is available.",
        "This part enables ICBs and trusts to understand the financial framework.",
        "Paragraph 4.3 requires further clarification.",
        "Part 2 requires a different approach to commissioning.",
    ]
    decisions = classify_texts(texts, Authority.SUMMARY)
    assert [d.force for d in decisions[:6]] == [Force.MANDATORY] * 3 + [Force.SUGGESTION] * 3
    # the cue is the conferring word (the model's own where it already agreed)
    phrases = ["obliges", "places a duty on", "require", "enables", "enables", "power"]
    assert all(d.cue_text in p for d, p in zip(decisions, phrases, strict=False))
    assert not any(d.reason.startswith("a provision of law") for d in decisions[6:])


@pytest.mark.slow
def test_you_do_not_need_to_is_an_exemption() -> None:
    (decision,) = classify_texts(
        ["You do not need to provide a written notification where the person declines contact."]
    )
    assert (decision.force, decision.polarity.value) == (Force.SUGGESTION, "positive")


@pytest.mark.parametrize("method", ["model", "rules"])
def test_should_before_its_subject_opens_a_condition_not_an_expectation(method: str) -> None:
    """ "Should you wish to appeal, you must ..." is "If you wish to appeal, you must ...": the
    force is the main clause's, and the inverted "Should" clause is its condition."""
    texts = [
        "Should you wish to appeal, you must write to us within 28 days.",
        "Should a provider fail, the council must ensure that care continues.",
        "Should the ICB decide to delegate, it should inform NHS England.",
    ]
    decisions = classify_texts(texts, method=method)
    assert [(d.force, d.cue_text.lower()) for d in decisions] == [
        (Force.MANDATORY, "must"),
        (Force.MANDATORY, "must"),
        (Force.EXPECTATION, "should"),
    ]
    assert decisions[2].cue is not None and decisions[2].cue.start > 33  # the main clause's
    if method == "rules":
        return  # the rules give no condition spans
    assert [d.condition_text for d in decisions] == [
        "Should you wish to appeal",
        "Should a provider fail",
        "Should the ICB decide to delegate",
    ]
    # a question that opens with "Should" is no conditional
    (question,) = classify_texts(["Should ICBs publish their plans, or should NHS England?"])
    assert question.condition_text == ""


def test_a_reported_view_instructs_no_one_whatever_body_and_modal_it_holds() -> None:
    """Rule 1 and DECISIONS.md 9: the rules' reported-view cue decides, with its measured
    precision on the gold as its confidence; a text restating guidance is no reported view."""
    from docmine.classify import REPORTED_CONFIDENCE

    view, restated = classify_texts(
        [
            "Some respondents told us that ICBs should share drafts earlier.",
            "The guidance says that councils should publish a market position statement.",
        ]
    )
    assert (view.force, view.confidence, view.cue_text) == (
        Force.NONE,
        REPORTED_CONFIDENCE,
        "Some respondents told us",
    )
    assert not restated.reason.startswith("reported")
    # the listener named, with words between: still what someone said
    texts = [
        "Patients told NHS England during engagement that appointments should be in the evening.",
        "Staff told us in the 2025 survey that the night round should be shorter.",
        "Parents told inspectors that the council should explain its decisions more clearly.",
        'Cllr Okafor added: "We expect every care provider in the county to sign up."',
        "We told providers that they must register by 1 April.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions[:4]] == [Force.NONE] * 4
    assert not decisions[4].reason.startswith("reported")


@pytest.mark.slow
def test_expecting_a_change_in_an_amount_foresees_and_asking_a_question_asks() -> None:
    """DECISIONS.md 11: a prediction instructs no one; "ask" with an indirect question asks for
    an answer. An object makes the change an act ("to increase capacity")."""
    texts = [
        "We expect demand for home care to rise by 18% by 2029.",
        "Each year we ask local people what matters to them.",
        "We expect ICBs to increase capacity by 10%.",
        "We ask ICBs to publish their plans.",
        # an intention: "expect to" + its own subject's act (but "expect to see" asks others)
        "The ICB expects to commission 40 intermediate care beds next year.",
        "We would expect to see a completed impact assessment for every service.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions] == [
        Force.NONE,
        Force.NONE,
        Force.EXPECTATION,
        Force.EXPECTATION,
        Force.NONE,
        Force.EXPECTATION,
    ]


@pytest.mark.slow
def test_what_someone_asked_for_reports_the_asking_and_a_role_s_title_lays_no_duty() -> None:
    """Rule 1: "has asked for" tells what was asked; "has asked X to" still asks X to act. A
    capitalised "Responsible" in a role's name ("the Responsible Clinician") is no deontic
    adjective."""
    texts = [
        "The resident has asked for visits to stop.",
        "In 2017 the government asked for an independent review of the Act.",
        "The Responsible Clinician chairs the discharge meeting.",
        "The responsible clinician chairs the planning meeting.",
        "NHS England has asked all trusts to publish their plans.",
        "The registered manager is responsible for the rota.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions[:4]] == [Force.NONE] * 4
    assert decisions[4].force == Force.EXPECTATION
    assert decisions[5].force != Force.NONE
    # a review's counter-examples: asked for from someone by a date; the author's "we have told";
    # a body insisting restates its policy; a question to a council is no parliamentary one; a
    # "may require" inside the subject
    texts = [
        "NHS England has asked for winter plans from every ICB by 13 September 2024.",
        "We have told providers that they must validate their waiting lists by 31 March 2024.",
        "NHS England insists that trusts must not use agency staff above the price cap.",
        "To ask the council for a carer's assessment, which is free, you can call adult social "
        "care on 0300 123 4567.",
        "Any adult who may require support to live independently must be offered a needs "
        "assessment by the local authority.",
    ]
    asked, told, insists, council, subject = classify_texts(texts)
    assert asked.force != Force.NONE and told.force != Force.NONE
    assert (insists.force, insists.polarity.value) == (Force.MANDATORY, "prohibition")
    assert council.reason != "question"
    assert subject.force == Force.MANDATORY


@pytest.mark.slow
def test_a_negated_imperative_the_model_calls_a_duty_forbids() -> None:
    (decision,) = classify_texts(
        [
            "Do not offer a falls risk assessment to people who have had a single fall, unless "
            "they ask for one."
        ]
    )
    assert (decision.force, decision.polarity.value) == (Force.EXPECTATION, "prohibition")
    assert decision.cue_text == "offer"


@pytest.mark.slow
def test_the_cue_is_the_main_clause_s_word_where_one_pushes_towards_the_force() -> None:
    (decision,) = classify_texts(
        ["We expect you to have a policy that sets out how staff should meet the duty."]
    )
    assert decision.force == Force.EXPECTATION and decision.cue_text == "expect"


@pytest.mark.slow
def test_a_question_listed_under_a_lead_in_takes_its_force() -> None:
    """DECISIONS.md 15: the question is what the lead-in asks for; alone, a question is none."""
    texts = [
        "Councillors may wish to ask: Is the ICB meeting its targets?",
        "Some of the questions you might want to consider asking include: Who chairs the board?",
        "Question 5: Do you agree that the principles should apply to all authorities?",
        "Is the ICB meeting its targets?",
        "The regulations do not require providers to tell people about the change.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions] == [Force.SUGGESTION] * 2 + [Force.NONE] * 3
    assert decisions[0].cue_text == "may wish to"
    assert decisions[0].reason.startswith("a question listed")


@pytest.mark.slow
def test_avoid_with_a_gerund_is_a_prohibition_unless_it_is_only_a_purpose() -> None:
    """DECISIONS.md 16."""
    decisions = classify_texts(
        [
            "Visitors should avoid visiting until they feel better.",
            "Avoid sharing passwords with colleagues.",
            "The ICP will need to work with places to agree the right activity and avoid "
            "duplicating work.",
        ]
    )
    assert [d.polarity.value for d in decisions] == ["prohibition", "prohibition", "positive"]
    assert all(d.force == Force.EXPECTATION for d in decisions)


@pytest.mark.slow
def test_an_action_the_parse_misses_at_the_opening_is_still_an_action() -> None:
    """The reader told to act after a fronted condition ("If ..., tell us within 5 days"), a
    line labelled as an action (a minute's "ACTION: PR to circulate ..."), and a headline's
    verb in an action table ("Submit final board-approved operating plan | ICB | date") are
    instructions; signposting after a condition ("If you have a query, please email ...") and
    a condition before a clause with its own subject are not read as imperatives."""
    from docmine.classify import classify_contexts
    from docmine.classify.features import ClauseContext

    texts = [
        "If the absence is unplanned, tell us within 5 working days of the absence starting.",
        "Where a resident has a fall, record it in the care plan within 24 hours.",
        "If you share a care record with your ICB, agree which organisation will act as data "
        "controller.",
        "ACTION: PR to circulate the revised action plan to members by 14 March 2028.",
        # signposting, and a fronted condition with a subject of its own
        "If you would like to be added to our mailing list, please email the team.",
        "Where a resident has a fall, staff are usually the first to know.",
    ]
    decisions = classify_texts(texts)
    assert [d.force for d in decisions[:4]] == [Force.EXPECTATION] * 4
    assert [d.cue_text for d in decisions[:4]] == ["tell", "record", "agree", "ACTION"]
    assert decisions[0].condition_text == "If the absence is unplanned"
    assert [d.force for d in decisions[4:]] == [Force.NONE] * 2
    rows = [
        "Submit final board-approved operating plan | ICB chief executive | 30 April 2028",
        "Publish refreshed joint forward plan | ICB and partner NHS trusts | 30 June 2028",
    ]
    owned = [ClauseContext(row, "", Authority.GUIDANCE, ("Next steps",), "", True) for row in rows]
    assert [(d.force, d.cue_text) for d in classify_contexts(owned)] == [
        (Force.EXPECTATION, "Submit"),
        (Force.EXPECTATION, "Publish"),
    ]


@pytest.mark.slow
def test_a_requirement_the_author_declines_to_impose_binds_no_one() -> None:
    texts = [
        "We do not intend to require district councils to contribute to JSNAs.",
        "We have decided not to require local authorities to appoint a data lead.",
        "The government does not propose to require NHS trusts to share staff records.",
        "We don't intend to require ICBs to publish a plan.",
        "The government has no plans to require councils to appoint a lead.",
        "We do not consider it necessary to require trusts to report monthly.",
        # the declining is not the clause's duty: the "must" keeps its force
        "We do not intend to require a new board, but ICBs must publish their plans.",
    ]
    decisions = classify_texts(texts, Authority.POSITION_PAPER)
    assert [d.force for d in decisions[:6]] == [Force.NONE] * 6
    assert decisions[6].force == Force.MANDATORY


@pytest.mark.slow
def test_where_to_send_questions_is_signposting() -> None:
    texts = [
        "Questions about these standards should be sent to the programme team at "
        "england.virtualwards@nhs.net.",
        "Any queries should be directed to www.example.org.uk/contact.",
        "If you have any queries, please contact england.contractshelp@nhs.net.",
        "Contact us: enquiries@cqc.example.org.uk | 03000 616161",
        "Contact details - 0300 123 4567",
        "Please direct any queries to publichealth@northshire.gov.uk.",
        # a form to send is an instruction; a question with no address is the model's; an
        # obligation that mentions queries or comments, or whose address holds such a word,
        # stays one
        "Providers should email the completed form to notifications@cqc.org.uk.",
        "ICBs should answer questions from the public within 20 working days.",
        "ICBs must respond to all written queries from MPs within 20 working days, copying "
        "england.parliamentary@nhs.net.",
        "Providers should notify CQC of any complaint at enquiries@cqc.org.uk.",
        # a request with a date is no signposting (a review's counter-example)
        "Please contact the regional team at england.nw@nhs.net by 14 November 2025 to confirm "
        "your winter bed capacity.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [d.force for d in decisions[:6]] == [Force.NONE] * 6
    assert decisions[0].cue_text == "england.virtualwards@nhs.net"
    assert [d.force for d in decisions[6:]] == [
        Force.EXPECTATION,
        Force.EXPECTATION,
        Force.MANDATORY,
        Force.EXPECTATION,
        Force.EXPECTATION,
    ]


@pytest.mark.slow
def test_a_view_reported_with_who_holds_it_described_instructs_no_one() -> None:
    (view,) = classify_texts(
        [
            "Respondents representing local Healthwatch organisations asked that JSNAs should "
            "include the views of people who use services."
        ]
    )
    assert view.force == Force.NONE


@pytest.mark.slow
def test_an_act_the_law_makes_an_offence_is_forbidden() -> None:
    texts = [
        "Although failing to inform CQC is not an offence, it is an offence to continue to "
        "operate as an unregistered provider.",
        "A person who obstructs an inspector commits an offence.",
        # not an offence, or an offence only named
        "Failing to inform CQC under this regulation is not an offence.",
        "See the offences section of this guidance for more detail.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [(d.force, d.polarity.value) for d in decisions[:2]] == [
        (Force.MANDATORY, "prohibition")
    ] * 2
    assert decisions[0].cue_text == "is an offence"
    assert not any(d.reason.startswith("an offence") for d in decisions[2:])


@pytest.mark.slow
def test_what_is_said_in_parliament_instructs_no_one_but_law_moved_keeps_its_force() -> None:
    texts = [
        "The Government should fund local authorities properly.",
        "We must keep working to make integrated care a reality across England.",
        "and local authorities must assess carers within five days.",
        # the text of a new clause moved in the debate
        "a person or body to whom this section applies shall have regard to any guidance.",
    ]
    decisions = classify_texts(texts, Authority.DEBATE)
    assert [d.force for d in decisions[:3]] == [Force.NONE] * 3
    assert decisions[0].reason.startswith("spoken in Parliament")
    assert decisions[3].force == Force.MANDATORY


@pytest.mark.slow
def test_a_recommendation_to_a_deciding_body_asks_it_to_decide() -> None:
    texts = [
        "That Cabinet: (a) approves the recommissioning of the community equipment service;",
        "It is recommended that Cabinet approves the recommissioning of the service.",
        "RESOLVED that the Committee notes the update on winter planning.",
        # a debate's motion, and a description of what a body did
        "That this House notes the manifesto commitment to a funding proposal.",
        "Cabinet approved the recommissioning of the service in March.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [d.force for d in decisions[:3]] == [Force.EXPECTATION] * 3
    assert [d.cue_text for d in decisions[:3]] == ["approves", "approves", "notes"]
    assert not any(d.reason.startswith("a recommendation") for d in decisions[3:])


@pytest.mark.slow
def test_a_clause_that_opens_by_forbidding_an_act_is_a_prohibition() -> None:
    texts = [
        "Do not give a medicine that has been crushed unless a pharmacist has confirmed it.",
        "4.2 Do not give medicines covertly.",
        "Never leave the trolley unlocked.",
        "Do not routinely offer antibiotics for a sore throat.",
        # courtesy, idiom, a record's name, an exemption, a view reported, no act
        "Do not hesitate to contact us if you have questions.",
        "Never has the need for integrated care been greater.",
        "Do not resuscitate orders were placed on some residents' records.",
        "Do not take our word for it: read what residents say.",
        "Providers registered before 2024: do not need to submit a new application.",
        "Families said the home should: never move residents without telling us.",
    ]
    leads = [""] * 8 + ["Providers registered before 2024:", "Families said the home should:"]
    decisions = classify_texts(texts, Authority.GUIDANCE, lead_ins=leads)
    assert [(d.force, d.polarity.value) for d in decisions[:4]] == [
        (Force.EXPECTATION, "prohibition")
    ] * 4
    assert not any(d.reason.startswith("an act forbidden") for d in decisions[4:])


@pytest.mark.slow
def test_a_resolution_that_gives_a_named_role_a_task_assigns_it() -> None:
    texts = [
        "RESOLVED that: the Director of Public Health present the findings to the Board by the "
        "March 2026 meeting.",
        "AGREED that the ICB report on discharge pathways to the next meeting.",
        # a decision taken, and a resolution in the indicative, assign no task
        "RESOLVED that: the refreshed strategy be approved for public consultation.",
        "Resolved that the Board noted the update.",
    ]
    decisions = classify_texts(texts, Authority.GUIDANCE)
    assert [d.force for d in decisions[:2]] == [Force.EXPECTATION] * 2
    assert [d.cue_text for d in decisions[:2]] == ["present", "report"]
    assert not any(d.reason.startswith("a recommendation") for d in decisions[2:])


@pytest.mark.slow
def test_a_link_back_is_signposting_and_returning_a_form_an_action() -> None:
    back, form = classify_texts(
        ["Return to the recommendations.", "Return the completed form to the ICB by 5 May."]
    )
    assert (back.force, form.force) == (Force.NONE, Force.EXPECTATION)


@pytest.mark.slow
def test_an_item_that_forbids_under_a_lead_in_that_asks_is_a_prohibition() -> None:
    lead = "We are asking trusts and ICBs to take the following actions:"
    texts = [f"{lead} Do not remove a patient from a waiting list without a second contact."]
    (decision,) = classify_texts(texts, lead_ins=[lead])
    assert (decision.force, decision.polarity.value) == (Force.EXPECTATION, "prohibition")
