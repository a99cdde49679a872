"""Authority is read from what a document says it is, whoever publishes it."""

from __future__ import annotations

import pytest

from docmine.classify.authority import detect_authority
from docmine.model import Authority


@pytest.mark.parametrize(
    ("opening", "authority"),
    [
        ("Care Act 2014\n\nBe it enacted by the King's most Excellent Majesty...", "legislation"),
        ("These Regulations may be cited as the Care Planning Regulations 2025.", "legislation"),
        (
            "Discharge guidance\n\nThis guidance is issued by the Secretary of State under section "
            "78 of the Care Act 2014. Local authorities must have regard to this guidance.",
            "statutory_guidance",
        ),
        ("Working with carers: a toolkit\n\nThis toolkit sets out good practice.", "guidance"),
        (
            "Our response to the consultation on adult social care charging\n\nWe call on the "
            "government to fund reform.",
            "position_paper",
        ),
        ("An explainer of the new duties\n\nThis article explains what the Act means.", "summary"),
        ("A quiet report about nothing in particular.", "guidance"),
        # a title that says so, and the section a document is issued under standing alone
        (
            "Care and support for carers: statutory guidance\n\nIssued under section 78 of the "
            "Care Act 2014.\n\nKey points at a glance",
            "statutory_guidance",
        ),
        (
            "Chapter 12: Breaks for carers\n\nThis chapter is issued under section 78 of the "
            "Care Act 2014.",
            "statutory_guidance",
        ),
        ("Hospital discharge and community support: non-statutory guidance", "guidance"),
        # Parliament's record: a debate, a minister's statement, a Lords committee
        (
            "Social Care\nVolume 630: debated on Wednesday 25 October 2017\nI beg to move,",
            "debate",
        ),
        (
            "Maternity Safety Strategy\n\nWith permission, I will make a statement about the "
            "Government's new strategy.",
            "debate",
        ),
        (
            "Mental Health Bill (House of Lords Hansard)\n\nMy Lords, the noble Baroness said "
            "that this amendment matters.",
            "debate",
        ),
        # a committee report that cites a debate is still the committee's report
        (
            "Health and Social Care Committee\n\nAdult social care\n\nFirst Report of "
            "Session 2025–26\n\nThe Minister told the House (HC Deb, Hansard, 4 May) that ...",
            "position_paper",
        ),
        ("Consultation on revised statutory guidance\n\nWe want your views.", "guidance"),
        # a parliamentary committee recommends; a code issued under a section is statutory
        (
            "House of Commons\n\nHealth and Social Care Committee\n\nAdult autism services\n\n"
            "Third Report of Session 2025–26",
            "position_paper",
        ),
        (
            "Mental Health Act 1983: Code of Practice\n\nThe Code is issued under section 118 "
            "of the Act.",
            "statutory_guidance",
        ),
        (
            "Market shaping guidance\n\nThis guidance sets out what councils should do. Councils "
            "should publish a market position statement.",
            "guidance",
        ),
        # an Act's section as it is printed, without its enacting words: its title line, a
        # PART heading and an inserted section's number and title over its subsection (1)
        (
            "Health and Care (Invented Provisions) Act 2024\n\nPART 2\n\n14Z99 Duty to publish "
            "a carers strategy\n\n(1) Each integrated care board must publish a strategy.",
            "legislation",
        ),
        ("Care Act 2014: statutory guidance for councils\n\nCouncils should act.", "guidance"),
        ("Care Act 2014\n\nFactsheet 3: assessing needs\n\nCouncils must assess.", "guidance"),
        (
            "A guide for systems\n\nPart 1\n\nSystems must plan.\n\nPart 2\n\nICBs should act.",
            "guidance",
        ),
    ],
)
def test_authority_from_other_publishers_phrasing(opening: str, authority: str) -> None:
    assert detect_authority(opening)[0] == Authority(authority)


def test_a_mention_of_statutory_guidance_does_not_make_a_document_statutory() -> None:
    text = "Engagement summary\n\nDHSC will publish statutory guidance on ICPs in July."
    assert detect_authority(text)[0] == Authority.GUIDANCE


def test_the_deciding_phrase_is_returned() -> None:
    authority, phrase = detect_authority("A summary of the Health and Care Act 2022")
    assert authority == Authority.SUMMARY and phrase.lower() == "a summary of"
