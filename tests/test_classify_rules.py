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


def test_negation_keeps_force_and_flips_polarity() -> None:
    decision = classify_rules("ICPs should not duplicate the work of the HWB.")
    assert (decision.force, decision.polarity) == (Force.EXPECTATION, Polarity.PROHIBITION)
    assert decision.cue == "should not"


def test_condition_is_recorded() -> None:
    decision = classify_rules("Subject to the passage of the Bill, ICBs must publish a plan.")
    assert decision.condition == "Subject to the passage of the Bill"


def test_the_governing_modal_decides() -> None:
    decision = classify_rules("ICBs must have regard to guidance that may be updated.")
    assert decision.force == Force.MANDATORY and decision.cue == "must"


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
