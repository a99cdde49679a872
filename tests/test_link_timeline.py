"""Timeline rows take the force the body text gives their activity (DECISIONS.md 18)."""

from docmine.config import load_settings
from docmine.language import Language
from docmine.link.timeline import timeline_rows
from docmine.model import Force, ForceDecision, Span

TEXTS = [
    "ICBs must agree a single winter plan with their NHS trusts by 31 October 2025.",
    "NHS England will publish weekly situation reports.",
    "31 October 2025 | ICB winter plans agreed with NHS trusts",
    "31 October 2025 | Regional teams hold a stocktake of discharge data",
    "December 2025 | NHS England begins weekly situation reports",
    "From October 2025, ICBs set out plans: a list",
]


def decisions() -> list[ForceDecision]:
    must = ForceDecision(Force.MANDATORY, confidence=0.93, cue=Span.of(TEXTS[0], 5, 9))
    return [must] + [ForceDecision(Force.NONE, confidence=0.8) for _ in TEXTS[1:]]


def test_a_row_takes_the_force_of_the_instruction_due_that_day_on_the_same_activity() -> None:
    parser = Language.shared(load_settings()).parser
    out = timeline_rows(TEXTS, decisions(), parser, 2025)
    row = out[2]
    assert (row.force, row.confidence, row.cue) == (Force.MANDATORY, 0.93, None)
    assert "ICBs must agree a single winter plan" in row.reason
    # due the same day but another activity; a row no instruction is due on; not a row
    assert [d.force for d in out[3:]] == [Force.NONE] * 3
    assert out[:2] == decisions()[:2]
