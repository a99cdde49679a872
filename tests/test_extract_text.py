from pathlib import Path

import pytest

from docmine.errors import EmptyDocument, UnsupportedFormat
from docmine.extract import extract
from docmine.model import BlockKind
from docmine.segment import segment


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_markdown_headings_lists_and_links(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.md",
        "# Title here\n\n## Duties\n\nICBs **must** see "
        "[the guide](https://x.org).\n\nEach system should define:\n\n- leadership\n"
        "- governance\n",
    )
    doc = extract(path)
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [
        BlockKind.HEADING,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
    ]
    paragraph = doc.blocks[2]
    assert paragraph.text == "ICBs must see the guide."
    assert paragraph.provenance.section == ("Title here", "Duties")
    assert doc.text[paragraph.provenance.start : paragraph.provenance.end] == paragraph.text


def test_numbered_paragraphs_are_structure(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lga.txt",
        "Progress\n\n5. The components are summarised below:\n"
        " - 5.1. Ensuring the safe transfer of functions.\n - 5.2. Place partnerships.\n",
    )
    blocks = extract(path).blocks
    assert [(b.kind, b.marker) for b in blocks[1:]] == [
        (BlockKind.PARAGRAPH, "5."),
        (BlockKind.LIST_ITEM, "5.1."),
        (BlockKind.LIST_ITEM, "5.2."),
    ]
    assert blocks[2].text == "Ensuring the safe transfer of functions."


def test_page_furniture_is_marked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "blog.txt",
        "A summary of the plan\n\nCalendar Icon\n29/1/2021\n\n"
        "Text that matters here.\n\ncontinued..\n\nTags:\n",
    )
    kinds = {b.text: b.kind for b in extract(path).blocks}
    assert kinds["Calendar Icon"] == BlockKind.FURNITURE
    assert kinds["continued.."] == BlockKind.FURNITURE
    assert kinds["Text that matters here."] == BlockKind.PARAGRAPH


def test_page_break_inside_a_sentence_is_joined(tmp_path: Path) -> None:
    path = write(
        tmp_path, "b.txt", "Since then, the Confederation has met\n\n\n\nwith ministers.\n"
    )
    assert extract(path).blocks[0].text == "Since then, the Confederation has met with ministers."


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "w.txt", "ICBs should publish the plan – by April.".encode("cp1252"))
    assert "–" in extract(path).text


def test_a_stray_windows_1252_byte_in_utf_8_text_garbles_nothing_else(tmp_path: Path) -> None:
    utf8 = "ICBs must publish the “joint forward plan” – it’s due. ".encode() * 3
    path = write(tmp_path, "m.txt", utf8 + b"Trusts \x93should\x94 help.")
    text = extract(path).blocks[0].text
    assert "“joint forward plan” – it’s" in text and "“should”" in text and "â" not in text


def test_bad_text_inputs_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument, match="0 bytes"):
        extract(write(tmp_path, "empty.txt", b""))
    with pytest.raises(UnsupportedFormat, match="binary"):
        extract(write(tmp_path, "bin.txt", b"\x00\x01\x02abc"))
    with pytest.raises(UnsupportedFormat, match="unsupported file type"):
        extract(write(tmp_path, "x.xyz", "hello"))


def test_a_running_header_repeating_the_title_is_furniture(tmp_path: Path) -> None:
    path = write(tmp_path, "h.txt", "ICS update\n\nIntro text here.\n\nICS update\n\nMore text.\n")
    kinds = [b.kind for b in extract(path).blocks]
    assert kinds == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.FURNITURE,
        BlockKind.PARAGRAPH,
    ]


def test_running_headers_and_footers_of_a_text_without_pages_are_furniture(tmp_path: Path) -> None:
    # a PDF saved as text keeps its running header ('OFFICIAL', '2 | Title') and footer
    page = "The ICB must publish a joint forward plan.\n\n"
    text = (
        "Guidance on joint plans\n\nOFFICIAL\n\n" + page + "Page 1 of 2\n\f\nOFFICIAL\n\n"
        "2 | Guidance on joint plans\n\n" + page + "Page 2 of 2\n"
    )
    doc = extract(write(tmp_path, "saved.txt", text))
    body = [b.text for b in doc.blocks if b.kind != BlockKind.FURNITURE]
    assert body == ["Guidance on joint plans", page.strip(), page.strip()]
    assert doc.title == "Guidance on joint plans"


@pytest.mark.parametrize(
    "line", ["Official guidance for boards", "RESTRICTED access to records", "3", "24/7 services"]
)
def test_words_beside_a_marking_or_number_keep_a_line_in_the_text(
    tmp_path: Path, line: str
) -> None:
    doc = extract(write(tmp_path, "t.txt", f"Guidance on joint plans\n\n{line}\n\nMore text.\n"))
    assert line in [b.text for b in doc.blocks if b.kind != BlockKind.FURNITURE]


def test_legislation_enumerators_printed_against_their_text_start_blocks(tmp_path: Path) -> None:
    from docmine.segment import segment

    path = tmp_path / "act.txt"
    path.write_text(
        "(1)A local authority must make arrangements.\n"
        "(2)The arrangements are to be made so far as relating to—\n"
        "(a)physical and mental health;\n"
        "(b)protection from harm and neglect.\n",
        encoding="utf-8",
    )
    document = extract(path)
    kinds = [(b.kind, b.marker, b.text) for b in document.blocks]
    assert kinds == [
        (BlockKind.PARAGRAPH, "(1)", "A local authority must make arrangements."),
        (BlockKind.PARAGRAPH, "(2)", "The arrangements are to be made so far as relating to—"),
        (BlockKind.LIST_ITEM, "(a)", "physical and mental health;"),
        (BlockKind.LIST_ITEM, "(b)", "protection from harm and neglect."),
    ]
    # the dash opens the list: each item is a clause read with its lead-in, cited in full
    clauses = segment(document)
    assert [c.ref for c in clauses] == ["(1)", "(2)(a)", "(2)(b)"]
    assert clauses[1].text.endswith("relating to— physical and mental health;")


def test_a_web_page_saved_as_text_keeps_a_block_a_line_and_wrapped_text_is_joined(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Purpose\n"
        "The purpose of this document is to set out what integrated care boards must do to "
        "prepare a joint forward plan before the start of each financial year, and with whom.\n"
        "Updated 13 September 2023.\n",
        encoding="utf-8",
    )
    assert [b.text for b in extract(page).blocks] == [
        "Purpose",
        "The purpose of this document is to set out what integrated care boards must do to "
        "prepare a joint forward plan before the start of each financial year, and with whom.",
        "Updated 13 September 2023.",
    ]
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(
        "Integrated care boards must prepare a joint forward plan with the\n"
        "Health and Wellbeing Board of each local authority in the area. The\n"
        "ICB must publish the plan and give a copy to NHS England.\n",
        encoding="utf-8",
    )
    assert [b.text for b in extract(wrapped).blocks] == [
        "Integrated care boards must prepare a joint forward plan with the Health and Wellbeing "
        "Board of each local authority in the area. The ICB must publish the plan and give a "
        "copy to NHS England."
    ]


def test_a_saved_web_page_has_its_own_headings_and_no_metadata_in_its_sections(
    tmp_path: Path,
) -> None:
    """The source line, the date line and the title repeated on the page are furniture; a short
    line between sentences is a heading, nested under the file's "# Title"; a lead-in's items
    and a line that ends a lead-in ("—") stay text."""
    page = write(
        tmp_path,
        "page.md",
        "# Using surveillance in your care service\n\n"
        "Source: https://www.cqc.org.uk/guidance_providers/using-surveillance?utm_content=a_b.\n\n"
        "Using surveillance in your care service\n"
        "Page last updated: 12 May 2022\n"
        "Applies to England\n"
        "Providers that use CCTV in their service must register with the Information "
        "Commissioner's Office and complete a data protection impact assessment first.\n"
        "The 7 principles\n"
        "If a provider is using CCTV or other forms of surveillance in a care service, we will "
        "check its use against these principles:\n"
        "Safeguarded\n"
        "Secured\n"
        "The consent of each person who uses the service, or of their representative, must be "
        "obtained so far as relating to—\n"
        "physical and mental health.\n"
        "Our priorities for the coming year are set out below, with what each asks of providers.\n"
        "Better access\n"
        "Shorter waits\n"
        "Each provider is asked to publish its plan and to say how it involved the people who use "
        "its services, their families and their carers, in the year before.\n"
        "The arrangements are to be made so far as relating to—\n"
        "Physical and mental health.\n"
        "2. Background\n"
        "The regulations were first made in 2014 and were amended in 2022 to include the duty to "
        "notify the death of a person who uses the service.\n"
        "What providers must do\n"
        "Providers must tell us about a death within 24 hours of it happening, by email, using "
        "the notification form and giving the information the regulation asks for.\n"
        "You must use the forms on this page and send them by email\n"
        "A notification sent in any other way, or on an old form, will be returned to the "
        "provider and will not count as notifying us under the regulation.\n",
    )
    doc = extract(page)
    kinds = {b.text: b.kind for b in doc.blocks}
    source = "https://www.cqc.org.uk/guidance_providers/using-surveillance?utm_content=a_b"
    assert kinds[f"Source: {source}."] == BlockKind.FURNITURE
    assert doc.origin == source  # as written: no emphasis read into "_", no closing full stop
    assert (
        kinds["Page last updated: 12 May 2022"]
        == kinds["Applies to England"]
        == (BlockKind.FURNITURE)
    )
    assert [b.kind for b in doc.blocks if b.text == doc.title] == [
        BlockKind.HEADING,
        BlockKind.FURNITURE,
    ]
    assert kinds["The 7 principles"] == kinds["What providers must do"] == BlockKind.HEADING
    assert kinds["You must use the forms on this page and send them by email"] == (
        BlockKind.PARAGRAPH
    )
    assert kinds["Safeguarded"] == kinds["Secured"] == BlockKind.PARAGRAPH
    heading = next(b for b in doc.blocks if b.text == "The 7 principles")
    assert heading.level == 2
    after = next(b for b in doc.blocks if b.text.startswith("If a provider is"))
    assert after.provenance.section == (doc.title, "The 7 principles")
    assert kinds["Better access"] == kinds["Shorter waits"] == BlockKind.PARAGRAPH  # a list
    assert kinds["The arrangements are to be made so far as relating to—"] == BlockKind.PARAGRAPH
    assert "Background" in kinds and kinds["Background"] != BlockKind.HEADING  # numbered


def test_a_numbered_heading_does_not_push_plain_headings_under_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "plain.txt",
        "1. Duties\n\nICBs must publish a plan before April.\n\n"
        "Glossary\n\nAn ICB is an integrated care board.\n",
    )
    levels = {b.text: b.level for b in extract(path).blocks if b.kind == BlockKind.HEADING}
    assert levels == {"1. Duties": 1, "Glossary": 1}


def test_a_pipe_is_not_a_document_and_says_so(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(UnsupportedFormat, match="not a regular file"):
        extract(pipe)


def test_garbage_behind_a_byte_order_mark_is_binary_not_a_document(tmp_path: Path) -> None:
    garbage = tmp_path / "binary.txt"
    garbage.write_bytes(b"\xff\xfe\x00\xd8 garbage \x80\x81")
    with pytest.raises(UnsupportedFormat, match="binary content"):
        extract(garbage)
    marked = tmp_path / "notepad.txt"  # Notepad's "Unicode": UTF-16 with its mark still reads
    marked.write_bytes("\ufeffICBs must publish a plan.\n".encode("utf-16-le"))
    assert extract(marked).blocks[0].text == "ICBs must publish a plan."


def test_an_acts_numbered_section_heading_over_its_first_subsection_is_a_heading(
    tmp_path: Path,
) -> None:
    # legislation copied as text: a block a line, the section's title over "(1)"
    path = tmp_path / "act.txt"
    path.write_text(
        "Test Act 2024\n1 Duties of the board\n(1) An integrated care board must—\n"
        "(a) prepare a plan, and\n(b) publish it.\n(2) The board may consult Healthwatch.\n"
        "2 Interpretation\nIn this Act the board means the integrated care board.\n",
        encoding="utf-8",
    )
    blocks = extract(path).blocks
    assert [(b.kind, b.text) for b in blocks[1:3]] == [
        (BlockKind.HEADING, "1 Duties of the board"),
        (BlockKind.PARAGRAPH, "An integrated care board must—"),
    ]
    assert blocks[3].provenance.section == ("1 Duties of the board",)
    # a numbered line over anything but a subsection (1) stays as it was: a numbered paragraph
    assert (blocks[6].kind, blocks[6].marker) == (BlockKind.PARAGRAPH, "2")


def test_items_an_amending_act_inserted_keep_their_double_letters(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(
        "Each of the following is a relevant partner—\n(a) a local authority;\n"
        "(aa) an integrated care board;\n(b) the police.\n",
        encoding="utf-8",
    )
    items = [(b.kind, b.marker) for b in extract(path).blocks[1:]]
    assert items == [
        (BlockKind.LIST_ITEM, "(a)"),
        (BlockKind.LIST_ITEM, "(aa)"),
        (BlockKind.LIST_ITEM, "(b)"),
    ]


def test_a_numbered_lead_in_over_its_first_item_is_no_heading(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(
        "Publishing plans\n3 Each board must publish—\n(1) a plan, and\n(2) a report.\n",
        encoding="utf-8",
    )
    blocks = extract(path).blocks
    assert (blocks[1].kind, blocks[1].marker) == (BlockKind.PARAGRAPH, "3")
    assert blocks[2].provenance.section == ("Publishing plans",)


def test_a_date_a_line_wrapped_onto_is_no_paragraph_number(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        "Updated\n\n27 March 2013\n\n2 The board must act.\n\n3 the chair may sign it.\n",
        encoding="utf-8",
    )
    blocks = [(b.marker, b.text) for b in extract(path).blocks]
    assert ("", "27 March 2013") in blocks
    # numbered paragraphs and items keep their numbers, in lower case too
    assert ("2", "The board must act.") in blocks and ("3", "the chair may sign it.") in blocks


def test_a_compound_wrapped_after_its_hyphen_is_joined_whole(tmp_path: Path) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(
        "The Board may appoint sub-\ncommittees to carry out any of its functions, and the\n"
        "committees must report to it.\n",
        encoding="utf-8",
    )
    assert extract(path).blocks[0].text == (
        "The Board may appoint sub-committees to carry out any of its functions, and the "
        "committees must report to it."
    )


def test_a_count_a_wrapped_line_opens_with_stays_in_its_sentence(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "Working collaboratively across the area has resulted in the\n"
        "2 systems coming together and forming one programme of work.\n\n"
        "The board must:\n1 publish a plan\n2 consult the chair\n",
        encoding="utf-8",
    )
    blocks = [(b.marker, b.text) for b in extract(path).blocks]
    assert blocks[0] == (
        "",
        "Working collaboratively across the area has resulted in the 2 systems coming "
        "together and forming one programme of work.",
    )
    assert ("1", "publish a plan") in blocks and ("2", "consult the chair") in blocks
    # an item that wraps does not swallow the next number
    path.write_text(
        "The board must:\n1 publish a plan that sets out how the board will work\nwith partners\n"
        "2 publish a report\n",
        encoding="utf-8",
    )
    blocks = [(b.marker, b.text) for b in extract(path).blocks]
    assert ("2", "publish a report") in blocks


def test_a_section_an_amending_act_inserted_is_a_heading_and_cites_its_provisions(
    tmp_path: Path,
) -> None:
    from docmine.segment import segment

    path = tmp_path / "act.txt"
    path.write_text(
        "14Z99 Duty to publish a carers strategy\n\n(1) Each integrated care board must "
        "publish a carers strategy.\n",
        encoding="utf-8",
    )
    document = extract(path)
    assert document.blocks[0].kind == BlockKind.HEADING
    (clause,) = segment(document)
    assert clause.ref == "14Z99(1)"


def test_numbered_lines_in_lower_case_are_the_items_of_the_lead_in_above(tmp_path: Path) -> None:
    from docmine.segment import segment

    path = tmp_path / "briefing.md"
    path.write_text(
        "Systems are expected to:\n\n1. map services by 30 June 2026;\n2. agree a single point "
        "of access; and\n3. report progress each quarter.\n\n4. The board will meet in May.\n",
        encoding="utf-8",
    )
    clauses = [(c.ref, c.text) for c in segment(extract(path))]
    assert clauses[:3] == [
        ("1", "Systems are expected to: map services by 30 June 2026;"),
        ("2", "Systems are expected to: agree a single point of access; and"),
        ("3", "Systems are expected to: report progress each quarter."),
    ]
    assert clauses[3] == ("4", "The board will meet in May.")


def test_an_act_s_part_and_cross_headings_in_capitals_are_headings(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(
        "Care (Invented) Act 2026\n\n2026 CHAPTER 11\n\nPART 1\nDISCHARGE FROM HOSPITAL\n\n"
        "1 Notice of likely need\n\n(1) An NHS body must give notice.\n",
        encoding="utf-8",
    )
    kinds = [(b.kind, b.text) for b in extract(path).blocks]
    assert kinds[1:4] == [
        (BlockKind.FURNITURE, "2026 CHAPTER 11"),  # the Act's chapter number, no section
        (BlockKind.HEADING, "PART 1"),
        (BlockKind.HEADING, "DISCHARGE FROM HOSPITAL"),
    ]


def test_a_markdown_quote_is_read_without_its_marker(tmp_path: Path) -> None:
    path = tmp_path / "briefing.md"
    path.write_text("# Briefing\n\n> NHS England will issue a revised standard.\n", "utf-8")
    assert extract(path).blocks[-1].text == "NHS England will issue a revised standard."


def test_a_numbered_lead_in_ending_in_a_dash_is_no_heading(tmp_path: Path) -> None:
    path = tmp_path / "regs.txt"
    path.write_text(
        "(3) An integrated care board may—\n\n(a) enter into an agreement;\n\n(b) charge a fee.\n",
        encoding="utf-8",
    )
    assert extract(path).blocks[0].kind == BlockKind.PARAGRAPH


def test_contact_blocks_captions_and_version_lines_are_furniture() -> None:
    from docmine.extract.furniture import is_furniture

    furniture = [
        "Jane Smith, Public Health Finance Lead, jane.smith@northshire.gov.uk, 01234 567890",
        "Contact: governance.northshireicb@nhs.net",
        "Healthwatch Northshire, Unit 4, Riverside Business Park, Northtown NT2 3BB",
        "Table 8.1: Monitoring indicators",
        "Figure 2 - Referral pathway",
        "Version 1.0, 1 April 2025",
        "Background papers: None",
        "Classification: Official",
        "Publication reference: PRN02417",
        # legislation.gov.uk's notes, a publication page's labels, a bulletin's masthead
        "Commencement Information",
        "I2 S. 86 in force at 1.7.2022 by S.I. 2022/734, reg. 2(a)",
        "There are currently no known outstanding effects for the Care Act 2014, Section 2.",
        "From:",
        "Consultation outcome pending",
        "Issue 14 | Thursday 5 March 2026 | For GP practices",
        # GOV.UK's copyright and licence boilerplate, whose modals instruct no one
        "© Crown copyright 2028. This publication is licensed under the terms of the Open "
        "Government Licence v3.0 except where otherwise stated.",
        "Where we have identified any third party copyright information you will need to obtain "
        "permission from the copyright holders concerned.",
        "Any enquiries regarding this publication should be sent to us at info@example.gov.uk.",
        "In this issue: Spring vaccination · Online consultation data",
        "To unsubscribe, reply with UNSUBSCRIBE in the subject line.",
        # minutes' attendance and sign-off lines
        "Apologies: Jo Bloggs, Sam Smith",
        "Date of next meeting: 4 June 2026",
        "Signed: ............ (Chair)",
        # GOV.UK's format label and page history; a committee report's paper number
        "Guidance",
        "Published 12 January 2026 Last updated 3 February 2026 + show all updates",
        "Last updated 12 February 2025 + show all updates",
        "Mental Health Act 1983: Code of Practice Page 94",
        # a written question's page, a byline, a release line, a signature on someone's behalf
        "UK Parliament",
        "Written questions, answers and statements",
        "Question for Department of Health and Social Care UIN 51234, tabled on 2 April 2025",
        "Asked by Sam Taylor (Eastfield, Labour)",
        "Answered on 9 April 2025 by",
        "The answer was submitted on 9 April 2025 at 15:01.",
        "Published 4 April 2024 by the Northmoor Health and Wellbeing Board",
        "For immediate release: 14 March 2024",
        "Signed on behalf of the ICB: Dr Sam Ellis, Chief Executive",
        "Previous: Overview Next: Recommendations for research",
        "NICE guideline [NG999] Published: 10 January 2024",
        "Publication reference: PRN01842 · Published 14 November 2024",
        "Media enquiries: Northmoor Council press office, 01632 960 000, press@example.gov.uk",
        "3 February 2026 — See all updates",
        "3 February 2026: Added advice on antiviral medicines.",
        # a publication month, a meeting's day and a dated line standing alone
        "Published May 2027.",
        "Tuesday 2 March 2027",
        "Date: 4 April 2027",
        "HC 612",
        "House of Commons",
        "Third Report of Session 2025–26",
        # an inspection report's dates, ratings and the bare citation under a notice
        "Report published 9 April 2026 · Inspected 3 and 4 February 2026",
        "Well-led | Requires improvement",
        "Regulation 12(1) and (2)(a)(b)(g)",
    ]
    text = [  # sentences that speak to the reader keep their address, as the gold does
        "For further enquiries please email stopsmoking@dhsc.gov.uk.",
        "Email the completed form to HSCA_notifications@cqc.org.uk.",
        "In urgent situations, call Ofsted first on 0300 123 1231.",
        "Table 1 shows that most councils have a plan.",
        "Version 2, December 2021 [Changes from previous version are highlighted.",
        "Report by: Jo Bloggs, National Director of Urgent and Emergency Care",
        "Status: this guidance replaces the 2019 edition.",
        "1 April 2026: ICBs must publish their plans.",
        "Regulation 12 requires providers to act.",
        "31 March 2026: updated plans must be submitted to NHS England",
        "Section 2",
        "By 2 March 2027",
        "Published May 2027, the plan sets out what ICBs must do.",
        # a review's counter-examples: contact lines that ask, a sentence run into a page header
        "Further queries: please email the completed template to plans@example.nhs.uk by 30 "
        "June 2024",
        "Contact: ICBs are asked to send returns to data@example.nhs.uk before 14 June",
        "The AMHP must inform the Responsible Clinician and notify the Hospital Managers Page 95",
    ]
    assert [t for t in furniture if not is_furniture(t)] == []
    assert [t for t in text if is_furniture(t)] == []


def kept(path: Path) -> list[tuple[BlockKind, str]]:
    """The blocks of a file that are not furniture, with their kinds."""
    return [(b.kind, b.text) for b in extract(path).blocks if b.kind != BlockKind.FURNITURE]


def test_a_diary_date_is_no_list_number_and_an_email_signature_is_furniture(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bulletin.txt",
        "Dates for your diary\n\n17 September: Practice managers' forum\n\n"
        "Practices must order stock now.\n\nKind regards,\n\nDr Priya Nair\n\n"
        "Associate Medical Director for Primary Care NHS North Marsh Integrated Care Board\n\n"
        "Unsubscribe | Update your preferences\n",
    )
    assert kept(path) == [
        (BlockKind.HEADING, "Dates for your diary"),
        (BlockKind.PARAGRAPH, "17 September: Practice managers' forum"),
        (BlockKind.PARAGRAPH, "Practices must order stock now."),
    ]


def test_a_statutory_instruments_furniture_and_a_regulation_number_set_apart() -> None:
    from docmine.extract.builder import RawBlock, assemble_document
    from docmine.extract.furniture import is_furniture

    for line in [
        "2026 No. 412",
        "Social Care, England",
        "(This note is not part of the Regulations)",
        # the dates of making, laying before Parliament and coming into force
        "Made - - - - 12th February 2028",
        "Laid before Parliament 14th February 2028",
        "Coming into force - - 1st April 2028",
        "Coming into force in accordance with regulation 1",
    ]:
        assert is_furniture(line)
    assert not is_furniture("The Regulations were laid before Parliament on 14 February 2028.")
    raw = [RawBlock(BlockKind.PARAGRAPH, "—(1) A relevant authority must act.", marker="3.")]
    (block,) = assemble_document("si.html", "html", raw, "h").blocks
    assert (block.marker, block.text) == ("3.—(1)", "A relevant authority must act.")


def test_a_contents_list_is_furniture(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "response.md",
        "# Government response\n\n## Contents\n\n1. Introduction\n2. Summary of responses\n\n"
        "## 1. Introduction\n\nThe consultation ran for eight weeks.\n",
    )
    assert kept(path) == [
        (BlockKind.HEADING, "Government response"),
        (BlockKind.HEADING, "Contents"),
        (BlockKind.HEADING, "1. Introduction"),
        (BlockKind.PARAGRAPH, "The consultation ran for eight weeks."),
    ]


def test_a_number_set_in_bold_numbers_its_paragraph(tmp_path: Path) -> None:
    """NICE numbers its recommendations in bold ("**1.1.1** Offer ..."): the number is the
    paragraph's marker, not its first word, so the imperative opens the clause."""
    path = write(
        tmp_path,
        "recs.md",
        "## 1.1 Identifying people at risk\n\n**1.1.1** Ask all people about falls.\n\n"
        "**1.1.2** Offer an assessment to people who:\n\n- report 2 falls\n",
    )
    blocks = [b for b in extract(path).blocks if b.text.startswith(("Ask", "Offer"))]
    assert [(b.marker, b.text) for b in blocks] == [
        ("1.1.1", "Ask all people about falls."),
        ("1.1.2", "Offer an assessment to people who:"),
    ]
    # a numbered paragraph, which leads the list under it
    assert blocks[1].kind == BlockKind.PARAGRAPH
    texts = [c.text for c in segment(extract(path))]
    assert "Offer an assessment to people who: report 2 falls" in texts


def test_a_contract_s_lettered_clause_number_is_its_marker(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "contract.txt",
        "Service conditions\n\nSC3.1 The Provider must provide the Services.\n\n"
        "SC3.2 The Provider must not refuse a Referral.\n\nThe H2 2026 targets stand.\n\n"
        "B.10 ICBs should reduce inequalities.\n\nA.3.2 Trusts are encouraged to publish data."
        "\n\nA. Minister signed it.\n",
    )
    blocks = extract(path).blocks
    # and an annex's paragraphs ("B.10"), not a name's initial
    assert [(b.marker, b.text) for b in blocks if b.marker] == [
        ("SC3.1", "The Provider must provide the Services."),
        ("SC3.2", "The Provider must not refuse a Referral."),
        ("B.10", "ICBs should reduce inequalities."),
        ("A.3.2", "Trusts are encouraged to publish data."),
    ]
    assert any(b.text == "The H2 2026 targets stand." for b in blocks)


def test_the_value_under_a_publication_page_label_is_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "Managing outbreaks\n\nFrom:\n\nUK Health Security Agency\n\n"
        "Care homes should have an outbreak plan.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == ["Care homes should have an outbreak plan."]


def test_a_title_that_names_actions_reads_as_a_heading_and_an_instruction_does_not() -> None:
    from docmine.extract.text import reads_as_heading

    # an inspection report's "Action the provider MUST take to improve" heads the actions
    assert reads_as_heading("Action the provider MUST take to improve")
    assert reads_as_heading("Steps systems should take")
    assert not reads_as_heading("The provider must take action to improve")
    assert not reads_as_heading("All ICBs must publish their capacity plans by 30 June")


def test_a_sentence_ending_in_a_quote_or_a_footnote_mark_is_no_heading(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "review.md",
        '# Review\n\n4.2 One carer said: "The hospital should have rung me."\n\n'
        "4.3 The report must cover the previous year.[2]\n\n"
        "4.4 The ICB should publish its reasons.\n",
    )
    clauses = segment(extract(path))
    assert [c.text for c in clauses] == [
        'One carer said: "The hospital should have rung me."',
        "The report must cover the previous year.[2]",  # plain "[n]" marks stay, as the gold has
        "The ICB should publish its reasons.",
    ]
    assert {c.provenance.section for c in clauses} == {("Review",)}


def test_markdown_footnotes_and_back_links_leave_the_sentence(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "review.md",
        "# Review\n\nToo many people wait in hospital.[^1] Integrated care boards should "
        "publish the reasons for each delay.[^note]\n\n"
        "[^1]: Northshire Healthwatch, Going home, February 2025.\n"
        "[^note]: See the discharge guidance.\n",
    )
    document = extract(path)
    assert [c.text for c in segment(document)] == [
        "Too many people wait in hospital.",
        "Integrated care boards should publish the reasons for each delay.",
    ]
    assert [b.kind for b in document.blocks][-2:] == [BlockKind.FOOTNOTE, BlockKind.FOOTNOTE]
    for back in ("\u21a9", " \u21a9", "\u21a9\ufe0e"):
        page = write(tmp_path, "page.md", f"Local authorities must publish the JSNA.{back}\n")
        assert [c.text for c in segment(extract(page))] == [
            "Local authorities must publish the JSNA."
        ]
    # a heading's "(cont.)" stays a heading
    page = write(tmp_path, "cont.md", "Staffing (cont.)\n\nTrusts must staff wards safely.\n")
    assert [c.provenance.section for c in segment(extract(page))] == [("Staffing (cont.)",)]


def test_a_policy_s_document_control_lines_are_furniture(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "policy.txt",
        "Medicines Management Policy\n\nPolicy number: MM01        Version: 4.0\n"
        "Approved by: Registered Manager, 2 March 2026\nReview date: 1 March 2027\n"
        "Uncontrolled when printed\n\n1.1 Staff must record every dose.\n\n"
        "Version 3.2 | Last reviewed: November 2025 | Next review: November 2027\n\n"
        "Rosewood House Care Home Ltd | Registered with the Care Quality Commission | "
        "Page 1 of 1\n",
    )
    assert [c.text for c in segment(extract(path))] == ["Staff must record every dose."]


def test_items_lettered_with_a_full_stop_are_the_items_of_their_lead_in(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spec.md",
        "8.2.2 The plan should set out how the PCN will:\n\n"
        "a. improve patient experience;\n\nb. improve recording.\n\nA. Minister signed it.\n\n"
        "The commissioner should:\n\ni. review each plan;\n\nii. confirm the budget.\n\n"
        "Version 2 | The registered manager must review this policy every two years.\n",
    )
    assert [c.text for c in segment(extract(path))] == [
        "The plan should set out how the PCN will: improve patient experience;",
        "The plan should set out how the PCN will: improve recording.",
        "A. Minister signed it.",
        "The commissioner should: review each plan;",
        "The commissioner should: confirm the budget.",
        # an instruction after a document's version is no document control
        "Version 2 | The registered manager must review this policy every two years.",
    ]


def test_a_numbered_paragraph_s_run_in_title_is_a_heading_where_its_section_titles_them_all(
    tmp_path: Path,
) -> None:
    titled = (
        "# Terms of reference\n\n## 5 Meetings\n\n"
        "5.1 Quorum. The Committee is quorate when four members are present.\n\n"
        "5.2 Declarations of Interest. Members must declare any interest.\n\n"
        "## 6 Reporting\n\n6.1 The Committee must report to the Board.\n"
    )
    clauses = segment(extract(write(tmp_path, "tor.md", titled)))
    assert [(c.text, c.provenance.section[-1]) for c in clauses] == [
        ("The Committee is quorate when four members are present.", "5.1 Quorum"),
        ("Members must declare any interest.", "5.2 Declarations of Interest"),
        ("The Committee must report to the Board.", "6 Reporting"),
    ]
    # an untitled "5.3" would sit under "5.2 Conflicts of interest": no titles taken in that
    # section; a short sentence of its own ("No.", "This is new.") is no title
    mixed = titled.replace("## 6 Reporting", "5.3 This is new. The Chair may call a meeting.")
    sections = {c.provenance.section[-1] for c in segment(extract(write(tmp_path, "m.md", mixed)))}
    assert sections == {"5 Meetings"}


def test_a_top_heading_of_one_word_is_the_title_unless_it_names_a_part(tmp_path: Path) -> None:
    text = "# Notifications\n\nProviders must notify the Care Quality Commission without delay.\n"
    assert extract(write(tmp_path, "n.md", text)).title == "Notifications"
    part = text.replace("Notifications", "Introduction")
    assert extract(write(tmp_path, "i.md", part)).title.startswith("Providers must notify")


def test_a_publisher_banner_and_a_page_s_sharing_and_review_lines_are_furniture(
    tmp_path: Path,
) -> None:
    page = (
        "NHS England\n\nNHS provider licence: condition WS1 explained\n\n"
        "NHS trusts must co-operate with integrated care boards when planning services.\n\n"
        "Next review due: 3 March 2027\n\nShare this page: Email | LinkedIn | X\n\n"
        "Cookie settings\n"
    )
    document = extract(write(tmp_path, "ws1.txt", page))
    assert document.title == "NHS provider licence: condition WS1 explained"
    assert [c.text for c in segment(document)] == [
        "NHS trusts must co-operate with integrated care boards when planning services."
    ]
    # a heading that names a body and more is the page's own title
    own = extract(write(tmp_path, "own.txt", "Care Quality Commission\n\nAbout us\n\nText.\n"))
    assert own.title == "Care Quality Commission"


def test_a_numbered_question_among_numbered_paragraphs_is_one_of_them(tmp_path: Path) -> None:
    text = (
        "# JSNA guidance\n\n## Using the JSNA\n\n"
        "2.11 Integrated care boards must have regard to the assessment.\n\n"
        "2.12 What difference has the JSNA made to decisions in your area?\n\n"
        "2.13 Local authorities should publish the JSNA.\n"
    )
    clauses = segment(extract(write(tmp_path, "q.md", text)))
    assert [(c.text.split()[0], c.provenance.section[-1]) for c in clauses] == [
        ("Integrated", "Using the JSNA"),
        ("What", "Using the JSNA"),
        ("Local", "Using the JSNA"),
    ]
    # questions numbered alone are an FAQ's headings still
    faq = "# FAQ\n\n1.1 What is a PCN?\n\nA network of practices.\n"
    assert extract(write(tmp_path, "f.md", faq)).blocks[1].kind == BlockKind.HEADING


def test_a_shortened_title_at_a_page_s_top_in_a_text_file_is_its_running_header(
    tmp_path: Path,
) -> None:
    text = (
        "OFFICIAL\nSafeguarding Adults Boards: annual reports\nGuidance for SAB chairs\n"
        "Version 1.2 - January 2025\n\n1. Purpose\n\n1.1 The SAB must publish an annual report.\n"
        "\n                     Page 1 of 2\nOFFICIAL\nSAB annual reports - guidance\n\n"
        "2. Content\n\n2.1 The annual report must include the findings of any review.\n\n"
        "                     Page 2 of 2\n"
    )
    clauses = [c.text for c in segment(extract(write(tmp_path, "sab.txt", text)))]
    assert "SAB annual reports - guidance" not in clauses
    assert "Version 1.2 - January 2025" not in clauses
    assert "The annual report must include the findings of any review." in clauses


def test_the_title_is_the_first_heading_under_a_letterhead_s_lines(tmp_path: Path) -> None:
    text = (
        "Department of Health and Social Care\n\n"
        "To: Chief Executives of upper-tier local authorities in England cc: Directors of Public "
        "Health; Section 151 Officers\n\n"
        "# Public health grant 2026 to 2027: conditions of grant\n\n"
        "The authority must not use the grant to fund general adult social care services.\n"
    )
    title = extract(write(tmp_path, "grant.md", text)).title
    assert title == "Public health grant 2026 to 2027: conditions of grant"
    # a sentence before the first heading is the document's own opening: it stays the title
    opening = "Local authorities must publish a plan.\n\n# Annex A\n\nText.\n"
    assert (
        extract(write(tmp_path, "o.md", opening)).title == "Local authorities must publish a plan."
    )


def test_a_committee_report_s_numbered_questions_and_its_paper_lines(tmp_path: Path) -> None:
    text = (
        "House of Commons Health and Social Care Committee\n\n"
        "# Integrated care systems: one year on\n\n"
        "HC 612 | Published on 25 November 2025 by authority of the House of Commons\n\n"
        "## Conclusions and recommendations\n\n"
        "2. ICBs should publish their plans. (Paragraph 34)\n\n"
        "3. Should local authorities be required to publish their plans? (Paragraph 56)\n\n"
        "4. ICPs should not duplicate the work of health and wellbeing boards. (Paragraph 38)\n\n"
        "*Health and Social Care Committee — Integrated care systems — page 3*\n"
    )
    document = extract(write(tmp_path, "hc.md", text))
    assert document.title == "Integrated care systems: one year on"
    clauses = [c.text for c in segment(document)]
    assert clauses == [
        "ICBs should publish their plans. (Paragraph 34)",
        "Should local authorities be required to publish their plans? (Paragraph 56)",
        "ICPs should not duplicate the work of health and wellbeing boards. (Paragraph 38)",
    ]


def test_a_classification_marking_and_a_cover_table_s_label_rows_are_furniture(
    tmp_path: Path,
) -> None:
    text = (
        "OFFICIAL\n\n# Market sustainability report\n\n"
        "| Contact officer: | Sam Reed, Head of Commissioning, 01632 960 123 |\n"
        "| Policy number | CP-017 |\n\n"
        "The Council must promote the efficient operation of the market.\n"
    )
    clauses = [c.text for c in segment(extract(write(tmp_path, "cover.md", text)))]
    assert clauses == ["The Council must promote the efficient operation of the market."]


def test_a_contents_list_of_questions_and_a_copyright_and_printer_line_are_furniture(
    tmp_path: Path,
) -> None:
    text = (
        "# Provider selection regime: frequently asked questions\n\nContents\n"
        "1. Who does the regime apply to?\n2. Which process should we use?\n\n"
        "1. Who does the regime apply to?\n\n"
        "The regime applies to relevant authorities when they arrange health care services.\n\n"
        "2. Which process should we use?\n\n"
        "ICBs should document the reasons for choosing a process.\n\n"
        "© Crown copyright 2025. Printed and published in the UK by The Stationery Office Limited "
        "under the authority of the King's Printer of Acts of Parliament.\n"
    )
    document = extract(write(tmp_path, "faq.txt", text))
    assert [c.text for c in segment(document)] == [
        "The regime applies to relevant authorities when they arrange health care services.",
        "ICBs should document the reasons for choosing a process.",
    ]


def test_a_paper_s_cover_sheet_of_label_lines_is_furniture(tmp_path: Path) -> None:
    """A board paper's cover lines ("Paper title: ...", "Agenda item: 7", "Report by: ...") are
    no clauses; they had been joined in pairs and read as instructions (audit 20)."""
    path = tmp_path / "paper.md"
    path.write_text(
        "Board meeting held in public\n\n"
        "Paper Title: 2025/26 operational planning: progress and next steps\n"
        "Agenda item: 7 (Public session)\n"
        "Report by: Chief Financial Officer and Chief Operating Officer\n"
        "Paper type: For approval\nDate: 30 January 2025\n\n"
        "# 2025/26 operational planning\n\n"
        "1. ICBs should submit their final operational plans by 27 March 2025.\n"
        "2. Trusts should agree them with their ICB:\n"
        "Note: plans must be signed off by the board.\n",
        encoding="utf-8",
    )
    texts = [c.text for c in segment(extract(path))]
    assert not any(t.startswith(("Paper Title", "Agenda item", "Report by")) for t in texts)
    assert "ICBs should submit their final operational plans by 27 March 2025." in texts


def test_yaml_front_matter_is_metadata_and_gives_the_title(tmp_path: Path) -> None:
    page = tmp_path / "plan.md"
    page.write_text(
        '---\ntitle: "Healthwatch Ashworth: Work plan 2025-26"\npublished: 2025-05-02\n'
        "tags:\n  - plan\n---\n\n# Work plan\n\nWe must publish an annual report.\n",
        encoding="utf-8",
    )
    document = extract(page)
    assert document.title == "Healthwatch Ashworth: Work plan 2025-26"
    assert "published" not in document.text and "---" not in document.text
    assert [c.text for c in segment(document)] == ["We must publish an annual report."]
    # a folded title; a boxed note between rules at the file's start is text, not metadata
    folded = tmp_path / "folded.md"
    folded.write_text(
        "---\ntitle: >\n  A folded\n  title\ndate: 2025\n---\nText.\n", encoding="utf-8"
    )
    assert extract(folded).title == "A folded title"
    boxed = tmp_path / "boxed.md"
    boxed.write_text("---\nNote: providers must register.\n---\n\nMore.\n", encoding="utf-8")
    assert "providers must register" in extract(boxed).text
    # a rule between paragraphs is no front matter
    rule = tmp_path / "rule.md"
    rule.write_text("Intro text here.\n\n---\n\nMore text.\n", encoding="utf-8")
    assert "Intro text here." in extract(rule).text
