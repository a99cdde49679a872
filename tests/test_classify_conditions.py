"""Conditions (ANNOTATION.md rule 4): conditional and temporal adverbial clauses and fixed
conditional phrases, as written and as a span of the clause."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from docmine.classify import classify_texts
from docmine.classify.conditions import find_condition_span
from docmine.config import load_settings
from docmine.language.nlp import parse_texts
from docmine.measure.evaluate import token_f1


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "Subject to the passage of the Bill, ICBs must publish a plan.",
            "Subject to the passage of the Bill",
        ),
        # the "and" that joins the next clause is not the condition's
        (
            "You must record the decision when the person lacks capacity to make the decision "
            "and you must involve their family.",
            "when the person lacks capacity to make the decision",
        ),
        (
            "Subject to paragraph (4), the information shall be recorded.",
            "Subject to paragraph (4)",
        ),
        (
            "If they sell the service to another provider, they must submit an application.",
            "If they sell the service to another provider",
        ),
        (
            "Before issuing any code under this section, the Secretary of State shall consult.",
            "Before issuing any code under this section",
        ),
        (
            "Where a council considers it appropriate, it must consult the board.",
            "Where a council considers it appropriate",
        ),
        ("Providers must keep records where applicable.", "where applicable"),
        (
            "The board may act with the consent of the Secretary of State.",
            "with the consent of the Secretary of State",
        ),
        (
            "Trusts must not sub-contract without the prior written consent of the ICB.",
            "without the prior written consent of the ICB",
        ),
        # where a duty comes from is no condition; a body's request is one
        ("Local authorities must publish the plan, as required by the Care Act 2014.", None),
        ("Providers should submit more information as required by the ICB.", "as required"),
        # the circumstance an action frames: "in + gerund" before the verb, a perfect participle
        (
            "In preparing the annual plan, the board must consult its members.",
            "In preparing the annual plan",
        ),
        (
            "A council, in carrying out a review, must involve the public.",
            "in carrying out a review",
        ),
        # the parse may hang the subject on the frame's object: the frame ends at its comma
        (
            "In preparing the plan, ICBs and local authorities should consult Healthwatch.",
            "In preparing the plan",
        ),
        (
            "Having completed the assessment, the council must write to the person.",
            "Having completed the assessment",
        ),
        # a fronted clause ends at its comma even when the parser hangs the subject on it
        (
            "If the person does have eligible needs, subsections (3) and (4) require the council "
            "to act.",
            "If the person does have eligible needs",
        ),
        (
            "The council must act in cases where the plan has not been agreed.",
            "where the plan has not been agreed",
        ),
        # "in + gerund" after its verb is the manner, not a condition
        ("Providers should support staff in raising concerns.", None),
        ("ICBs must publish a joint forward plan.", None),
        # a parenthetical condition without its brackets
        (
            "Providers must display their rating on their website (if they have one).",
            "if they have one",
        ),
        # a concession is not a condition
        ("Whilst ICPs will differ in size, they should publish a strategy.", None),
        # a fronted phrase setting the circumstances or scope the instruction holds in
        (
            "In an emergency out of hours, staff should phone the duty manager.",
            "In an emergency out of hours",
        ),
        (
            "For home care agencies, the required return is: staff numbers",
            "For home care agencies",
        ),
        (
            "Upon receipt of the annual assessment, the board must publish a response.",
            "Upon receipt of the annual assessment",
        ),
        (
            "No member may be removed without the consent of the chair.",
            "without the consent of the chair",
        ),
        (
            "Councils must share data as far as reasonably practicable.",
            "as far as reasonably practicable",
        ),
        # a comma between two adjectives of one noun stays inside; one before a conjunction or
        # a new clause closes the phrase
        (
            "Visits should not be refused unless there is a specific, assessed risk to the "
            "resident.",
            "unless there is a specific, assessed risk to the resident",
        ),
        ("ICBs must act unless there is a risk, assessed or not.", "unless there is a risk"),
        # a bracketed reference stays inside a fixed phrase
        (
            "The board must refuse the request unless the applicant meets the tests in regulation "
            "4(2).",
            "unless the applicant meets the tests in regulation 4(2)",
        ),
        (
            "The council may act with the consent of the person named in paragraph (2) of the "
            "schedule.",
            "with the consent of the person named in paragraph (2) of the schedule",
        ),
        # "subject to" describing the noun before it is a reduced relative clause, not a proviso
        ("The council must write to the person subject to the order.", None),
        # but not a linking adverbial, a time, a reference to the text, nor a purpose
        ("In particular, boards should publish minutes.", None),
        ("For example, councils may pool budgets.", None),
        ("In April 2026, ICBs must publish a plan.", None),
        ("For the purposes of this section, a council must keep a register.", None),
        ("On behalf of the board, the chair must sign the accounts.", None),
        ("In accordance with the guidance, trusts should publish their plans.", None),
        # "if so" after "whether" stands for the question's answer, not a condition
        ("A council must assess whether a carer has needs and, if so, what they are.", None),
        (
            "It must include an assessment of whether, and if so to what extent, support helps.",
            None,
        ),
        ("If so, you should tell the commission.", "If so"),
        ("You should check whether they are eligible; if so, you must offer help.", "if so"),
        ("Consider whether the person lacks capacity. If so, you must follow the Act.", "If so"),
        ("Check whether they are eligible and if not, you must explain why.", "if not"),
        ("ICBs should, if so, publish the plan.", "if so"),
        # "where" after a word of neither place nor time is a condition, whatever noun the
        # parse hangs it on; after a place it says which place
        (
            "Providers must accept referrals within 48 hours where a package has been agreed.",
            "where a package has been agreed",
        ),
        (
            "You must carry out a DPIA where CCTV is likely to result in a high risk.",
            "where CCTV is likely to result in a high risk",
        ),
        ("ICBs must support people in the area where they live.", None),
        # the event a time to act runs from belongs to the deadline
        ("It must be given as soon as practicable after the patient's detention begins.", None),
        # but a condition after a time limit is still one
        (
            "Providers must notify CQC within 14 days if the registered manager leaves.",
            "if the registered manager leaves",
        ),
        # a condition left open at a lead-in's colon reads on into its item
        (
            "You can apply for the grant if your council is one of the following: a county council",
            "if your council is one of the following: a county council",
        ),
        (
            "Trusts must register the service if it is provided by a: charity or partnership",
            "if it is provided by a: charity or partnership",
        ),
        # "provided" as a conjunction, and the bracketed part of a regulation's name
        (
            "You may appoint an acting manager for 6 months, provided you tell us their name.",
            "provided you tell us their name",
        ),
        (
            "Authorities may charge carers, subject to the Care and Support (Charging and "
            "Assessment of Resources) Regulations 2014.",
            "subject to the Care and Support (Charging and Assessment of Resources) Regulations "
            "2014",
        ),
        ("Councils must fund the support provided directly to the carer.", None),
        ("The ICB must lead the work, providing a single point of contact for providers.", None),
        # but not one complete before the colon, nor into an item that is an instruction itself
        (
            "Commissioners should be aware of the following when buying services: the guidance",
            "when buying services",
        ),
    ],
)
def test_the_condition_is_the_clause_or_phrase_as_written(text: str, condition: str | None) -> None:
    parsed = parse_texts([text], load_settings().spacy_model)[0]
    span = find_condition_span(text, parsed)
    assert (text[span[0] : span[1]] if span else None) == condition


def test_a_fixed_phrase_wins_over_a_parse_span_that_starts_with_it(monkeypatch) -> None:
    # "where possible" is a whole condition; the parser may hang the verb phrase after it on it
    from docmine.classify import conditions

    text = "Councils are expected to, where possible, seek improvements in their area."
    start = text.find("where possible")
    monkeypatch.setattr(conditions, "_adverbial", lambda parsed: [(start, len(text) - 1)])
    span = conditions.find_condition_span(text, parsed=SimpleNamespace(text=text))
    assert span is not None and text[span[0] : span[1]] == "where possible"


def test_a_condition_reads_into_its_item_only_where_the_item_completes_it() -> None:
    # the fixed phrases alone, without a parse
    text = "The council must consult the board unless it is one of the following: a parish council"
    span = find_condition_span(text)
    assert span is not None
    assert text[span[0] : span[1]] == "unless it is one of the following: a parish council"
    text = "The council must consult unless it is one of the following: a parish council and/or"
    span = find_condition_span(text)
    assert span is not None  # the item's joining word is not part of it
    assert text[span[0] : span[1]] == "unless it is one of the following: a parish council"
    text = "The council must consult unless it is one of the following: a body that will close"
    span = find_condition_span(text)
    assert span is not None and text[span[0] : span[1]] == "unless it is one of the following"


def test_an_em_dash_closes_a_fixed_conditional_phrase() -> None:
    # what follows the dash is the list the instruction is about, not part of the proviso
    text = "The notice must give the following insofar as it is known to the trust— the ward"
    span = find_condition_span(text)  # the fixed phrases alone, without a parse
    assert span is not None and text[span[0] : span[1]] == "insofar as it is known to the trust"


def test_an_instruction_carries_its_condition_and_a_description_none() -> None:
    texts = [
        "Unless it is a health service body, a provider must register with the Commission.",
        "Unless it is a health service body, the provider was registered in 2019.",
    ]
    decisions = classify_texts(texts)
    condition = decisions[0].condition
    assert condition is not None and condition.text == "Unless it is a health service body"
    assert texts[0][condition.start : condition.end] == condition.text
    assert decisions[1].force.value == "none" and decisions[1].condition is None


def test_token_f1_counts_shared_words() -> None:
    assert token_f1(["subject to the Bill"], ["subject to the Bill"]) == 1.0
    assert token_f1(["if so"], [""]) == 0.0
    assert token_f1(["where applicable", ""], ["where applicable and", ""]) == pytest.approx(0.8)
