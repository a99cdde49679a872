"""The learned holder and body choices: the conditional logit, the candidates it ranks, the
artefact, and cross-validation that never scores a row with a model that saw its document."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docmine.config import load_settings
from docmine.errors import ModelMissing
from docmine.link import choose_holder, link_clause, make_context
from docmine.link.choice import (
    PENALTY,
    Candidate,
    LinkModels,
    fit_choice_model,
    load_link_models,
    save_link_models,
    select_penalty,
)
from docmine.link.dates import find_deadline
from docmine.model import Force, ForceDecision, Mention, Span

SETTINGS = load_settings()


def _context(document: str, title: str = "", models: LinkModels | None = None):
    return make_context(document, SETTINGS, "", (), title, models)


def _choice(good: bool, body: str) -> list[Candidate]:
    return [
        Candidate("", None, {"none": 1.0}),
        Candidate(body, None, {"body": 1.0, **({"subject": 1.0} if good else {})}),
    ]


def test_the_choice_model_learns_which_candidate_holds_and_when_no_one_does() -> None:
    groups = [_choice(i % 2 == 0, "b") for i in range(40)]
    gold = ["b" if i % 2 == 0 else "" for i in range(40)]
    model = fit_choice_model(groups, gold)
    assert model.choose(_choice(True, "x"))[0].canonical == "x"
    assert model.choose(_choice(False, "x"))[0].canonical == ""
    probabilities = model.probabilities(_choice(True, "x"))
    assert probabilities.sum() == pytest.approx(1.0) and probabilities[1] > 0.5


def test_a_choice_model_needs_a_gold_answer_among_the_candidates() -> None:
    with pytest.raises(ModelMissing, match="nothing to learn"):
        fit_choice_model([_choice(True, "b")], ["somebody else"])


def test_link_models_round_trip_and_a_broken_file_is_one_line(tmp_path: Path) -> None:
    model = fit_choice_model([_choice(True, "b"), _choice(False, "b")], ["b", ""])
    path = tmp_path / "links.json.gz"
    save_link_models(LinkModels(model, 5.0), path, {"seed": 0})
    loaded = load_link_models(path)
    assert loaded is not None and loaded.holder is not None and loaded.holder_penalty == 5.0
    choice = _choice(True, "x")
    assert loaded.holder.probabilities(choice) == pytest.approx(model.probabilities(choice))
    assert load_link_models(tmp_path / "missing.json.gz") is None
    path.write_bytes(gzip.compress(b'{"format": "something else"}'))
    with pytest.raises(ModelMissing) as error:
        load_link_models(path)
    assert "\n" not in str(error.value) and "docmine train" in str(error.value)


def _documents(noisy: bool) -> tuple[list[list[Candidate]], list[str], list[str]]:
    """40 documents of 6 choices, the body candidate with one of 30 words that tell nothing; the
    "subject" feature tells the holder, or (`noisy`) the answer is a coin toss."""
    rng = np.random.default_rng(0)
    groups, gold, documents = [], [], []
    for n in range(240):
        good = n % 2 == 0
        choice = _choice(good, "b")
        choice[1].features[f"word{rng.integers(30)}"] = 1.0
        groups.append(choice)
        gold.append("b" if (rng.random() < 0.5 if noisy else good) else "")
        documents.append(f"doc{n // 6}")
    return groups, gold, documents


def test_the_penalty_is_chosen_on_held_out_documents() -> None:
    clean = select_penalty(*_documents(noisy=False))
    noisy = select_penalty(*_documents(noisy=True))
    # features that tell earn a weak penalty; words that only fit the noise a strong one
    assert clean < noisy
    # too few documents to hold any out: the default
    groups, gold, _ = _documents(noisy=False)
    assert select_penalty(groups, gold, ["one", "two"] * 120) == PENALTY


@pytest.mark.slow
def test_a_head_noun_and_you_become_holder_candidates() -> None:
    context = _context(
        "Guidance for local authorities. Each local authority must publish a plan. "
        "Your local authority should consult.",
        "Council tax referendums: guidance for local authorities",
    )

    def candidates_of(text: str) -> dict[str, Any]:
        must = text.find("must")
        decision = ForceDecision(Force.MANDATORY, cue=Span.of(text, must, must + 4))
        _, _, candidates = choose_holder(text, context.parses.get(text), [], decision, context)
        assert candidates[0].canonical == ""  # "no holder" is always a candidate
        return {c.canonical: c for c in candidates}

    council = candidates_of("An authority proposing an excessive increase must hold a referendum.")[
        "local authority"
    ]
    assert council.features.get("role_head_names_it") == 1.0
    assert council.features.get("in_title") == 1.0
    assert council.mention is not None and council.mention.text == "An authority"
    assert "head_noun_modified" not in council.features
    kind = candidates_of("Each public authority must keep a record of its decisions.")[
        "local authority"
    ]
    assert kind.features.get("head_noun_modified") == 1.0  # a kind of authority of its own
    reader = candidates_of("You must publish the report.")["local authority"]
    assert reader.features.get("reader&audience") == 1.0


@pytest.mark.slow
def test_the_shipped_models_read_head_nouns_you_and_recipients() -> None:
    models = load_link_models(SETTINGS.link_models)
    assert models is not None and models.holder is not None
    context = _context(
        "Well-led reviews for NHS trusts. NHS trusts must publish their reviews.",
        "Well-led guidance for NHS trusts",
        models,
    )

    def link(text: str, cue: str, force: Force = Force.EXPECTATION):
        decision = ForceDecision(
            force, cue=Span.of(text, text.find(cue), text.find(cue) + len(cue))
        )
        return link_clause(text, decision, context)

    trusts = link("Trusts should carry out developmental reviews every three years.", "should")
    assert (trusts.holder, trusts.holder_text) == ("NHS provider", "Trusts")
    assert 0.5 < trusts.holder_confidence <= 1.0  # the chosen candidate's probability
    you = link("You should publish the report.", "should")
    assert (you.holder, you.holder_text) == ("NHS provider", "You")
    sent = link("The report must be sent to NHS England.", "must", Force.MANDATORY)
    assert sent.holder == "" and [b.canonical for b in sent.bodies] == ["NHS England"]
    # nor a body inside the phrase that receives it
    leader = link("The report must be sent to the leader of the local authority.", "must")
    assert leader.holder == "" and [b.canonical for b in leader.bodies] == ["local authority"]
    assert link("The report was published in May.", "", Force.NONE).holder == ""
    # a split-off part without a subject of its own acts on the part before's subject: the
    # grammar says so (no probability), and the clause names no words for it
    link("NHS trusts must notify the local authority of each discharge", "must", Force.MANDATORY)
    share = link("and should share the care plan with the care provider.", "should")
    assert (share.holder, share.holder_text, share.holder_confidence) == ("NHS provider", "", -1.0)


def test_deadlines_without_a_date_are_kept_as_written() -> None:
    fronted = "Before publishing a strategy under this section, a local authority must consult."
    assert find_deadline(fronted).text == "Before publishing a strategy under this section"
    assert find_deadline("Boards should assure their plans ahead of winter.").text == (
        "ahead of winter"
    )
    assert find_deadline("The Secretary of State must review it every 10 years.").text == (
        "every 10 years"
    )
    assert find_deadline("ICBs must publish a plan by 31 March 2024.").start == "2024-03-31"
    assert find_deadline("The plan sets out the priorities of the board.") is None


def test_cross_validated_links_never_use_a_model_that_saw_the_row(monkeypatch) -> None:
    from docmine.measure import evaluate

    seen: list[list[int]] = []

    def fake_fit(rows, examples, indices):
        seen.append(list(indices))
        return LinkModels()

    monkeypatch.setattr(evaluate, "fit_link_models", fake_fit)
    monkeypatch.setattr(evaluate, "apply_link_models", lambda models, example: "linked")
    rows = [{"text": str(i), "doc": f"d{i}"} for i in range(6)]
    out = evaluate.cross_validated_links(rows, [None] * 6, [0, 0, 1, 1, 2, 2])
    assert len(out) == 6
    assert sorted(seen) == [[0, 1, 2, 3], [0, 1, 4, 5], [2, 3, 4, 5]]


def test_the_audience_comes_from_the_letter_address_the_for_line_or_the_title() -> None:
    from docmine.link import find_audience
    from docmine.link.bodies import load_gazetteer

    gazetteer = load_gazetteer([SETTINGS.bodies])
    letter = "Classification: Official\nTo:\n• All NHS trusts\n• chief executives\ncc:\n• ICBs\n"
    assert find_audience(letter, gazetteer, {}) == "NHS provider"
    guidance = "Who this guidance is for\nThis guidance is for local authorities in England."
    assert find_audience(guidance, gazetteer, {}) == "local authority"
    assert find_audience("Some text.", gazetteer, {}, "Guidance for integrated care boards") == (
        "integrated care board"
    )
    assert find_audience("Your local authority should consult.", gazetteer, {}) == (
        "local authority"
    )
    assert find_audience("This guidance is for inspectors.", gazetteer, {}) == ""
    # a page that speaks to a resident ("your GP", "your local Healthwatch", a council site's
    # "Your council"): the body after "your" is one they use, not the reader
    for resident in (
        "You may also want to contact your local Healthwatch for advice.",
        "[Your council](/council) > Constitution\nYour local authority will reply.",
        "Your local authority should consult your GP or pharmacist.",
    ):
        assert find_audience(resident, gazetteer, {}) == "", resident
    assert find_audience("Your Healthwatch should work with your ICS.", gazetteer, {}) == (
        "local Healthwatch"
    )
    page = "This page is for registered managers and providers of adult social care services."
    assert find_audience(page, gazetteer, {}) == "social care provider"
    # no body named, but what "your X" says the reader runs ("your care service")
    surveillance = "Using surveillance in your care service\nIf you use it, you must tell people."
    assert find_audience(surveillance, gazetteer, {}) == "social care provider"
    assert find_audience("Tell us about your service.", gazetteer, {}) == ""
    # the service with its modifiers ("your children's social care service"), not a word of
    # another phrase ("your care service plans" still runs one; "your health and care" does not)
    # a letter's address block: the short lines before "Dear", not those copied in
    letter = (
        "FPPT letter\nClassification: Official\n• Integrated care board chief executives\n"
        "• NHS trust chief executives\nDear Colleague\nPlease read the framework."
    )
    assert find_audience(letter, gazetteer, {}) == "integrated care board"
    copied = "To:\n• Chief executives\nCC:\n• Integrated care board chairs\nDear Colleague\nText."
    assert find_audience(copied, gazetteer, {}) == ""
    long_copy = (
        "To:\n• Chief executives\nCC: " + "regional directors, " * 8 + "\n• ICB chairs\nDear all"
    )
    assert find_audience(long_copy, gazetteer, {}) == ""
    sent = "Sent to: integrated care board chief executives\nDear Colleague,\nText."
    assert find_audience(sent, gazetteer, {}) == "integrated care board"
    # not a letter: a sentence or heading that starts "Dear", list items of guidance before it
    page = "- The Care Quality Commission inspects homes.\nDear colleague letters are sent by us."
    assert find_audience(page, gazetteer, {}) == ""
    template = "- Local authorities publish plans\n## Template letter\nDear Colleague\nText."
    assert find_audience(template, gazetteer, {}) == ""
    # what the reader runs, as written ("your children's social care service"), and not an
    # NHS service or a directory that a longer phrase names
    incident = "Report incidents at your children's social care service."
    assert find_audience(incident, gazetteer, {}) == "social care provider"
    for other in (
        "Ask about your health and care service.",
        "Contact your primary care service.",
        "Visit your patients' care homes.",
        "See your local care services directory.",
    ):
        assert find_audience(other, gazetteer, {}) == "", other
    # "for" after an adjective or verb in a title addresses no one
    ready = "Are you ready for integrated care systems?"
    assert find_audience("Some text.", gazetteer, {}, ready) == ""
    assert find_audience("Some text.", gazetteer, {}, "Action card for local authorities") == (
        "local authority"
    )


def test_deadline_ranges_durations_and_past_dates() -> None:
    spent = find_deadline("It covers expenditure from 2 December 2020 to 31 March 2021.")
    assert (spent.text, spent.start, spent.end) == (
        "from 2 December 2020 to 31 March 2021",
        "2020-12-02",
        "2021-03-31",
    )
    notice = find_deadline("From 31 July 2022 and until further notice, it must be completed.")
    assert notice.text == "From 31 July 2022 and until further notice"
    assert find_deadline("Act on all 10 areas within the next 12 weeks.").text == (
        "within the next 12 weeks"
    )
    assert find_deadline("Spend it on or before the 31 March 2022.").text == (
        "on or before the 31 March 2022"
    )
    # a day without a year runs on to the date after it, and takes its year
    both = find_deadline("An authority must submit returns by 14 January and 29 April 2022.", 2021)
    assert (both.text, both.start, both.end) == (
        "by 14 January and 29 April 2022",
        "2022-01-14",
        "2022-04-29",
    )
    assert find_deadline("Report by 5 May and again later.", 2021).start == "2021-05-05"
    winter = find_deadline("Provide cover from November to March 2023.", 2021)
    assert (winter.start, winter.end) == ("2022-11-01", "2023-03-31")  # across New Year
    # a date with its own relation word is a second deadline, not the end of a period
    assert find_deadline("Submit a draft by June and by 31 July 2023.", 2023).text == "by June"
    assert find_deadline("introduced through the GP contract since 2019-2020") is None
    assert find_deadline("It is issued under the CTSA 2015 to support panels.") is None


@pytest.mark.slow
def test_an_extra_bodies_file_reaches_linking_acronyms_and_gold_evaluation(tmp_path: Path) -> None:
    import dataclasses

    from docmine.measure.evaluate import predict_rows

    extra = tmp_path / "bodies.yaml"
    extra.write_text("Office for Health Improvement and Disparities: [OHID]\n", encoding="utf-8")
    settings = dataclasses.replace(SETTINGS, extra_bodies=extra)
    assert settings.bodies_files == [SETTINGS.bodies, extra]
    rows = [
        {"doc": "d", "text": "The Office for Health Improvement and Disparities (OHID) leads."},
        {"doc": "d", "text": "Each local authority must send its data to OHID by 1 May 2024."},
    ]
    fields = predict_rows(rows, settings, method="rules").fields
    assert "Office for Health Improvement and Disparities" in fields[1]["bodies"]
    assert fields[1]["holder"] == "local authority"


def test_the_worst_holder_errors_are_the_most_confident_wrong_instructions() -> None:
    from docmine.measure.evaluate import worst_holder_errors

    gold = [
        {"id": "a", "force": "mandatory", "holder": "local authority", "text": "A"},
        {"id": "b", "force": "none", "holder": "", "text": "B"},
        {"id": "c", "force": "expectation", "holder": "", "text": "C"},
        {"id": "d", "force": "mandatory", "holder": "NHS England", "text": "D"},
    ]
    linked = [
        {"holder": "", "holder_confidence": 0.6, "holder_text": ""},
        {"holder": "NHS England", "holder_confidence": 0.99, "holder_text": "NHSE"},
        {"holder": "NHS provider", "holder_confidence": 0.9, "holder_text": "trusts"},
        {"holder": "NHS England", "holder_confidence": 0.95, "holder_text": "NHSE"},
    ]
    errors = worst_holder_errors(gold, linked)
    assert [e["id"] for e in errors] == ["c", "a"]  # b is not an instruction, d is right
    assert errors[0]["matched"] == "trusts" and errors[0]["confidence"] == 0.9


def test_a_date_that_names_a_document_is_not_a_deadline() -> None:
    assert find_deadline("The operational planning guidance 2024/25 makes this clear.") is None
    assert find_deadline("They are included in the 2023/24 Network DES with funding.") is None
    assert find_deadline("ICBs should publish their plan by March 2025.").text == "by March 2025"


def test_holder_confidence_is_calibrated_per_bin_and_absent_for_the_rules() -> None:
    from docmine.measure.evaluate import holder_calibration_error

    assert holder_calibration_error([(0.9, True)] * 9 + [(0.9, False)]) == pytest.approx(0.0)
    assert holder_calibration_error([(1.0, False)] * 4) == pytest.approx(1.0)
    rules = _context("ICBs must publish a plan.")  # no models: the parse rules decide
    text = "ICBs must publish a plan."
    decision = ForceDecision(
        Force.MANDATORY, cue=Span.of(text, text.find("must"), text.find("must") + 4)
    )
    links = link_clause(text, decision, rules)
    assert links.holder == "integrated care board" and links.holder_confidence == -1.0


def test_a_damaged_links_artefact_is_one_line(tmp_path: Path) -> None:
    import json as json_module

    path = tmp_path / "links.json.gz"
    path.write_bytes(gzip.compress(b"{}")[:-6] + b"broken")  # a corrupt deflate stream
    with pytest.raises(ModelMissing):
        load_link_models(path)
    payload = {"format": "docmine-links-1", "meta": {}, "holder": {"body": float("nan")}}
    path.write_bytes(gzip.compress(json_module.dumps(payload).encode()))
    with pytest.raises(ModelMissing, match="finite"):
        load_link_models(path)


def test_the_parse_rules_give_no_confidence_and_a_retrained_pair_stays_together(
    monkeypatch, tmp_path: Path
) -> None:
    from docmine.config import LINKS_ARTEFACT, load_settings, read_data
    from docmine.measure.train_links import RowExamples, apply_link_models

    holder = Mention("integrated care board", "ICBs", 0, 4)
    context = _context("")
    example = RowExamples([], holder, [holder], context, context)
    assert apply_link_models(LinkModels(), example).confidence == -1.0
    monkeypatch.setenv("DOCMINE_FORCE_MODEL", str(tmp_path / "force.json.gz"))
    assert load_settings().link_models == tmp_path / LINKS_ARTEFACT
    first = read_data(SETTINGS.bodies)
    first.clear()  # a caller's copy: the next reader still gets the file
    assert read_data(SETTINGS.bodies)
