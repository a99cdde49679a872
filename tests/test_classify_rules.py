import pytest

from docmine.classify.authority import detect_authority
from docmine.classify.rules import classify_keyword, classify_rules
from docmine.model import Authority, Force, Polarity


@pytest.mark.parametrize(
    ("text", "force"),
    [
        ("The strategy must be published by the ICP.", Force.MANDATORY),
        ("ICBs will be required to publish a joint forward plan.", Force.MANDATORY),
        ("We expect ICPs to engage early with local people.", Force.EXPECTATION),
        ("ICPs are encouraged to publish an interim strategy.", Force.SUGGESTION),
        ("ICPs may include a view on pooled budgets.", Force.SUGGESTION),
        ("We heard that partners should engage early.", Force.NONE),
        ("How will local voices be heard?", Force.NONE),
        ("DHSC will publish guidance in July.", Force.NONE),
        ("ICBs will become statutory bodies on 1 July.", Force.NONE),
    ],
)
def test_annotation_rules(text: str, force: Force) -> None:
    assert classify_rules(text).force == force


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("“relevant body” means— a body which must report to the council,", "means"),
        ("These Regulations may be cited as the Care Regulations 2030.", "may be cited as"),
        (
            "These Regulations shall come into force on 1st April 2030.",
            "These Regulations shall come into force",
        ),
        ("The Secretary of State makes the following Regulations in exercise of powers.", None),
        (
            "The Secretary of State gives the following Directions in exercise of the powers "
            "conferred by section 13Z1 of the National Health Service Act 2006.",
            "in exercise of the powers conferred",
        ),
        ("In the Care Act 2014— omit section 28A (three year limit);", "omit"),
        ("Subsection (1) does not require an authority to take a step—", "does not require"),
    ],
)
def test_a_legal_formula_instructs_no_one(text: str, formula: str | None) -> None:
    # definitions, citation and commencement, the enacting formula, amendments and a
    # requirement taken away state no obligation, whatever modal they hold
    decision = classify_rules(text)
    assert decision.force == Force.NONE and decision.reason.startswith("legal_formula")
    if formula is not None:
        assert decision.cue_text == formula


def test_a_legal_formula_running_from_a_lead_in_into_its_item_instructs_no_one() -> None:
    lead_in = "Nothing in this regulation— "
    decision = classify_rules(
        f"{lead_in}requires a service user to receive a visit", lead_in=lead_in
    )
    assert decision.force == Force.NONE and decision.reason.startswith("legal_formula")
    assert decision.cue_text == "Nothing in this regulation— requires"
    lead_in = "A relevant authority must— "  # a lead-in's own duty is no formula
    assert classify_rules(f"{lead_in}publish a plan", lead_in=lead_in).force == Force.MANDATORY


@pytest.mark.parametrize(
    "text",
    [
        "Providers insert section 2 details and must keep a copy.",  # not an amendment
        "Organisations that omit sections of the template must explain why.",
        "“The duty” means that ICBs must publish a plan.",  # "means that" defines nothing
        "Where service users’ means are below the limit, the council must pay the fees.",
        # inside a clause that sets a circumstance, a formula does not block
        "When the Act comes into force, ICBs must publish a plan.",
        "By the date on which the Act comes into force, ICBs must publish a plan.",
        "If the person does not require care, the council must provide advice.",
        # a relative clause's "do not require" or lacking power is no formula
        "Councils that do not require a new plan must publish a statement.",
        "Councils that have no power to charge must publish a statement.",
        "In exercise of its powers under section 14, NHS England directs that ICBs must act.",
    ],
)
def test_words_of_a_legal_formula_elsewhere_keep_their_force(text: str) -> None:
    assert classify_rules(text).force != Force.NONE


def test_negation_keeps_force_and_flips_polarity() -> None:
    decision = classify_rules("ICPs should not duplicate the work of the HWB.")
    assert (decision.force, decision.polarity) == (Force.EXPECTATION, Polarity.PROHIBITION)
    assert decision.cue_text == "should not"


def test_condition_is_recorded() -> None:
    decision = classify_rules("Subject to the passage of the Bill, ICBs must publish a plan.")
    assert decision.condition_text == "Subject to the passage of the Bill"


def test_the_governing_modal_decides() -> None:
    decision = classify_rules("ICBs must have regard to guidance that may be updated.")
    assert decision.force == Force.MANDATORY and decision.cue_text == "must"


def test_a_position_papers_must_is_an_expectation() -> None:
    text = "The governance within each ICS must be underpinned by subsidiarity."
    assert classify_rules(text, Authority.POSITION_PAPER).force == Force.EXPECTATION
    assert classify_rules(text, Authority.SUMMARY).force == Force.MANDATORY


def test_list_item_with_its_own_force_word_beats_its_lead_in() -> None:
    lead = "The key components expected to be developed are:"
    text = f"{lead} the ICB will be required to work with local authorities"
    assert classify_rules(text, lead_in=lead).force == Force.MANDATORY


def test_keyword_baseline_takes_the_first_modal() -> None:
    assert classify_keyword("We heard that partners should engage.") == Force.EXPECTATION


def test_authority_is_detected_from_the_text() -> None:
    assert detect_authority("This guidance is issued under section 116ZB.")[0] == (
        Authority.STATUTORY_GUIDANCE
    )
    assert detect_authority("Plain words.")[0] == Authority.GUIDANCE


@pytest.mark.parametrize(
    ("text", "force"),
    [
        # rule 6: encouraging, but not mandating
        (
            "We are encouraging, but not mandating, ICPs to publish an interim strategy.",
            "suggestion",
        ),
        # rule 9: a modal inside a wh-clause does not govern the main verb
        ("There was interest in who should be engaged on the strategy.", "none"),
        (
            "Whilst the dynamic may differ across systems, it is important that ICBs agree.",
            "expectation",
        ),
        ("Systems should agree how they might share data.", "expectation"),
        # a possibility is not a permission
        ("There may be financial implications for councils.", "none"),
        # the month is not a modal
        ("The Board met on 12 May 2022 to agree the plan.", "none"),
        # B.11: an expected outcome, or a body outside the audience, is a prediction
        ("We expect that the CQC reviews will assess the functioning of the system.", "none"),
        ("We would expect ICPs to continue to evolve and mature over time.", "none"),
        ("We would expect ICPs to publish their strategy.", "expectation"),
        # reported views (rule 1, B.9)
        ("It was generally agreed that there should be an open approach.", "none"),
        ("Several stakeholders reinforced that all partners should engage early.", "none"),
        # the author's own commitment (rule 7), also with a modal
        ("We must make sure that the flexibility in the legislation is kept.", "none"),
    ],
)
def test_hard_rules(text: str, force: str) -> None:
    assert classify_rules(text).force == force


def test_a_case_study_instructs_no_one() -> None:
    text = "Members are expected to attend at least 75% of meetings."
    assert classify_rules(text).force == Force.EXPECTATION
    section = ("Annex B: case studies", "Frimley")
    decision = classify_rules(text, section=section)
    assert decision.force == Force.NONE and decision.reason.startswith("section: case study")


def test_in_reported_views_only_the_authors_stance_or_an_addressed_body_keeps_force() -> None:
    section = ("Member reactions",)
    view = "There is a need to be pragmatic about the timescales."
    assert classify_rules(view).force == Force.EXPECTATION
    assert classify_rules(view, section=section).force == Force.NONE
    stance = "We would therefore expect the ICB to be fully engaged with the ICP."
    assert classify_rules(stance, section=section).force == Force.EXPECTATION
    addressed = "Where this is not happening, ICB leaders should reach out urgently."
    assert classify_rules(addressed, section=section).force == Force.EXPECTATION


def test_a_position_paper_asking_national_bodies_proposes_rather_than_states() -> None:
    ask = "Shared learning should become a central part of the future support offer."
    assert classify_rules(ask, Authority.POSITION_PAPER).force == Force.NONE
    assert classify_rules(ask, Authority.GUIDANCE).force == Force.EXPECTATION
    to_systems = "ICSs need to develop plans in collaboration with their communities."
    assert classify_rules(to_systems, Authority.POSITION_PAPER).force == Force.EXPECTATION


def test_must_notify_is_a_requirement_not_a_must_not() -> None:
    """ "must(?! not)" read "must notify" as "must not" + "ify" and found no cue at all; the
    lookahead now ends at a word boundary ("must note", "should notify", "may notify")."""
    from docmine.language.cues import force_cues

    for text, label in (
        ("Providers must notify CQC of deaths.", "mandatory"),
        ("Providers should note that the form has changed.", "expectation"),
        ("The board may notify the council.", "suggestion"),
        ("Providers must not delay.", "mandatory"),
    ):
        assert [c.label for c in force_cues(text)] == [label], text
    assert force_cues("Providers must not delay.")[0].negated
    assert not force_cues("Providers must notify CQC.")[0].negated
