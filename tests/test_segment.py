from pathlib import Path

from docmine.extract import extract
from docmine.extract.builder import RawBlock, assemble_document
from docmine.model import Block, BlockKind, Document, Provenance
from docmine.normalise import normalise
from docmine.segment import segment, split_coordinated, split_sentences


def build_document(source: str, fmt: str, raw: list[RawBlock], content_hash: str) -> Document:
    """What extraction and normalisation make of a reader's blocks."""
    return normalise(assemble_document(source, fmt, raw, content_hash))


def document(*blocks: tuple[BlockKind, str]) -> Document:
    raw = [RawBlock(kind, text) for kind, text in blocks]
    return build_document("test.txt", "text", raw, "hash")


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_sentences_survive_abbreviations_and_numbers() -> None:
    text = "Use s. 75 powers, e.g. pooled budgets. See No. 3 of the list. ICBs must act."
    assert sentences(text) == [
        "Use s. 75 powers, e.g. pooled budgets.",
        "See No. 3 of the list.",
        "ICBs must act.",
    ]


def test_a_lettered_annex_ends_a_sentence_and_a_bracketed_citation_stays_with_it() -> None:
    assert sentences("Amounts are in Annex A. Councils must publish them. We met J. K. Smith.") == [
        "Amounts are in Annex A.",
        "Councils must publish them.",
        "We met J. K. Smith.",
    ]
    assert sentences("Waits are long. The Government should act. (Paragraph 21)") == [
        "Waits are long.",
        "The Government should act. (Paragraph 21)",
    ]


def test_a_sentence_with_two_forces_is_two_clauses() -> None:
    text = "ICBs must publish a plan and should consult Healthwatch on it."
    parts = [text[a:b] for a, b in split_coordinated(text)]
    assert parts == ["ICBs must publish a plan", "and should consult Healthwatch on it."]


def test_same_force_same_holder_stays_one_clause() -> None:
    text = "The ICP must have regard to the mandate, and it must involve the local Healthwatch."
    assert len(split_coordinated(text)) == 1


def test_list_items_inherit_their_lead_in_and_keep_their_own_span() -> None:
    doc = document(
        (BlockKind.PARAGRAPH, "Background here. Each system should define:"),
        (BlockKind.LIST_ITEM, "place leadership arrangements"),
        (BlockKind.LIST_ITEM, "provider collaborative leadership"),
    )
    clauses = segment(doc)
    assert [c.text for c in clauses] == [
        "Background here.",
        "Each system should define: place leadership arrangements",
        "Each system should define: provider collaborative leadership",
    ]
    item = clauses[1]
    assert item.lead_in == "Each system should define:"
    assert doc.text[item.provenance.start : item.provenance.end] == "place leadership arrangements"


def test_second_lead_in_is_composed_with_the_first() -> None:
    doc = document(
        (BlockKind.PARAGRAPH, "Systems will need to ensure effective partnerships through:"),
        (BlockKind.LIST_ITEM, "full involvement of partners"),
        (BlockKind.PARAGRAPH, "to deliver four main roles:"),
        (BlockKind.LIST_ITEM, "developing PCNs"),
    )
    assert segment(doc)[-1].text == (
        "Systems will need to ensure effective partnerships to deliver four main roles: "
        "developing PCNs"
    )


def test_headings_and_furniture_are_not_clauses() -> None:
    doc = document(
        (BlockKind.HEADING, "Duties"),
        (BlockKind.FURNITURE, "Calendar Icon"),
        (BlockKind.PARAGRAPH, "ICBs must publish a plan."),
    )
    assert [c.text for c in segment(doc)] == ["ICBs must publish a plan."]


def test_clause_ids_are_stable_content_hashes() -> None:
    first = segment(document((BlockKind.PARAGRAPH, "ICBs must publish a plan.")))
    again = segment(document((BlockKind.PARAGRAPH, "ICBs must publish a plan.")))
    assert first[0].id == again[0].id


def parts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_coordinated(text)]


def test_an_and_inside_a_noun_phrase_does_not_split() -> None:
    # the first "and" joins nouns; the split belongs to the later clause with its own force
    text = (
        "Much of the transformation and integration will happen at place level "
        "and the ICP should avoid duplicating the work of the board."
    )
    assert parts(text) == [
        "Much of the transformation and integration will happen at place level",
        "and the ICP should avoid duplicating the work of the board.",
    ]


def test_coordinated_subjects_stay_together() -> None:
    text = "If this is not happening, ICB chairs and local authority leaders should reach out."
    assert parts(text) == [text]
    text = "It is important that the ICB and ICP should agree how they will work together."
    assert parts(text) == [text]
    # a list of three subjects runs longer than two
    text = (
        "Before the start of each financial year, the ICB and its partner NHS trusts and "
        "foundation trusts must prepare a joint forward plan."
    )
    assert parts(text) == [text]
    # a clause of its own, its verb marked by an adverb, still splits (a review's example)
    text = (
        "Local authorities and ICBs jointly commission these services and the ICB must report "
        "on spending each year."
    )
    assert len(parts(text)) == 2


def test_a_conjunct_with_its_own_subject_and_another_force_splits_after_a_comma() -> None:
    # one clause, one force (ANNOTATION.md): the permission is not the duty's
    text = "Councils must keep a register of carers, and they may share it with the ICB."
    assert parts(text) == [
        "Councils must keep a register of carers,",
        "and they may share it with the ICB.",
    ]
    text = (
        "Providers must report incidents within 2 working days; they should also tell the family."
    )
    assert parts(text) == [
        "Providers must report incidents within 2 working days;",
        "they should also tell the family.",
    ]
    # the same force, or a first part that instructs no one, stays one clause as the gold has it
    text = "The Lord Chancellor must consult the Commissioner first, and it must be laid before us."
    assert parts(text) == [text]
    text = "Accountability is core to the success of devolution, and they should use this guidance."
    assert parts(text) == [text]


def test_a_permission_turned_by_but_into_a_duty_of_its_own_subject_splits() -> None:
    # "can" is no cue of its own (it also says what is possible), but after it "but" and a
    # subject of its own before "must" give another instruction
    text = "The board can ask a sub-group to lead the work, but the JSNA must be approved by it."
    assert parts(text) == [
        "The board can ask a sub-group to lead the work,",
        "but the JSNA must be approved by it.",
    ]
    # a possibility, or "but" before a suggestion, stays one clause
    text = "Boards can be large, but the chair must keep order in every meeting."
    assert parts(text) == [text]
    text = "The board can ask a sub-group to lead the work, but it may prefer to do it itself."
    assert parts(text) == [text]


def test_a_modal_inside_a_wh_clause_does_not_split() -> None:
    text = "Members are not clear on the two separate entities and how they may work."
    assert parts(text) == [text]


def test_table_rows_after_a_colon_lead_in_carry_it_like_list_items() -> None:
    """A list drawn as a table keeps its instruction: every row is read with the lead-in."""
    document = _table_document(
        "Systems will need to ensure effective partnerships through:",
        ["No.\tPoint", "1\tfull involvement of all partners", "2\ta leading role for councils"],
    )
    assert [c.text for c in segment(document)] == [
        "Systems will need to ensure effective partnerships through: 1 full involvement of all "
        "partners",
        "Systems will need to ensure effective partnerships through: 2 a leading role for councils",
    ]


def test_a_header_row_of_labels_up_to_six_words_is_no_clause() -> None:
    """Column labels ("What we will look at", "Information the plan must contain") name the
    columns; they instruct no one, even with a modal."""
    document = _table_document(
        "We will look at the following evidence:",
        ["Evidence category\tWhat we will look at", "Processes\tSafeguarding policies"],
    )
    assert [c.text for c in segment(document)] == [
        "We will look at the following evidence: Processes | Safeguarding policies"
    ]
    document = _table_document(
        "Schedule 1 lists the information.",
        ["Item\tService\tInformation the plan must contain", "1\tNursing\tDays to first contact"],
    )
    assert "Information the plan must contain" not in " ".join(c.text for c in segment(document))
    # a first row that tells someone to act, or gives a date, is a row (a review's example)
    document = _table_document(
        "The actions are these.", ["ICBs\tPublish the plan by 31 March", "Trusts\tAgree it"]
    )
    assert "ICBs | Publish the plan by 31 March" in [c.text for c in segment(document)]


def test_a_table_after_the_items_of_a_lead_in_does_not_carry_it() -> None:
    doc = document(
        (BlockKind.PARAGRAPH, "The integrated care board should consult Healthwatch:"),
        (BlockKind.LIST_ITEM, "on its plan"),
        (BlockKind.LIST_ITEM, "on its strategy"),
        (BlockKind.TABLE_ROW, "ICB\tThe ICB must share the plan with the HWB."),
    )
    texts = [c.text for c in segment(doc)]
    assert texts[-1] == "ICB | The ICB must share the plan with the HWB."
    with_header = document(
        (BlockKind.PARAGRAPH, "The integrated care board should consult Healthwatch:"),
        (BlockKind.LIST_ITEM, "on its plan"),
        (BlockKind.TABLE_ROW, "Body\tAction"),
        (BlockKind.TABLE_ROW, "ICB\tThe ICB must share the plan with the HWB."),
    )
    assert [c.text for c in segment(with_header)][-1] == (
        "ICB | The ICB must share the plan with the HWB."
    )
    assert texts[0] == "The integrated care board should consult Healthwatch: on its plan"


def test_an_action_table_row_keeps_its_holder_and_deadline_cells() -> None:
    document = _table_document(
        "Actions:", ["Publish the joint forward plan each year\tICB\tBy 31 March 2024"]
    )
    assert [c.text for c in segment(document)] == [
        "Actions: Publish the joint forward plan each year | ICB | By 31 March 2024"
    ]


def test_a_requirement_row_keeps_the_cells_after_its_full_stop() -> None:
    # the evidence and date cells after the requirement's sentence are that clause's; a cell
    # with a force word of its own is a clause of its own
    rows = [
        "UCR1 Response time\tProviders must respond within two hours.\tCSDS\tFrom 1 May 2026",
        "UCR2\tICBs must agree a plan.\tProviders should report monthly.",
    ]
    assert [c.text for c in segment(_table_document("Standards", rows))][1:] == [
        "UCR1 Response time | Providers must respond within two hours. | CSDS | From 1 May 2026",
        "UCR2 | ICBs must agree a plan.",
        "Providers should report monthly.",
    ]


def test_a_header_row_repeated_on_a_new_page_is_no_clause() -> None:
    rows = [
        "Ref\tRequirement\tTimescale",
        "R1\tThe Provider must accept self-referrals.\tJuly 2026",
    ]
    document = _table_document("Requirements", rows + rows)
    assert [c.text for c in segment(document)][1:] == [
        "R1 | The Provider must accept self-referrals. | July 2026"
    ] * 2


def test_a_table_of_people_and_a_rating_row_are_no_clauses() -> None:
    rows = ["Name\tRole", "Dr Alison Hurst\tChair", "Cllr Jean Morrow\tPartner member"]
    assert [c.text for c in segment(_table_document("Present", rows))] == ["Present"]
    # a role's duty in a table of members stays
    rows = ["Member\tResponsibility", "Chair\tThe chair must sign off the minutes."]
    assert [c.text for c in segment(_table_document("Roles", rows))][1:] == [
        "Chair | The chair must sign off the minutes."
    ]
    rows = ["Safe\tRequires improvement", "R1\tThe provider must act.\tNow"]
    assert [c.text for c in segment(_table_document("Ratings", rows))][1:] == [
        "R1 | The provider must act. | Now"
    ]


def test_a_row_of_figures_is_no_clause() -> None:
    rows = ["Blackburn with Darwen\t1,466,072\t733,036", "Bolton\t£2.3m\t12.5%"]
    rows.append("Bury\tCouncils must publish the figures.\t2026")
    # years, dates and placeholders are no figures
    rows.append("Councils must publish a statement\t2025\t2026")
    rows.append("Submit the return\t31.03.2026\t30.06.2026")
    assert [c.text for c in segment(_table_document("Allocations", rows))][1:] == [
        "Bury | Councils must publish the figures. | 2026",
        "Councils must publish a statement | 2025 | 2026",
        "Submit the return | 31.03.2026 | 30.06.2026",
    ]


def test_a_label_cell_is_not_glued_onto_the_sentence_beside_it() -> None:
    # a Word table's first cell names the body; the second is the instruction
    document = _table_document("Who does what", ["ICB\tThe ICB must convene the partnership"])
    assert segment(document)[-1].text == "ICB | The ICB must convene the partnership"


def _table_document(lead: str, rows: list[str]) -> Document:
    blocks, start = [], 0
    for kind, text in [(BlockKind.PARAGRAPH, lead)] + [(BlockKind.TABLE_ROW, r) for r in rows]:
        blocks.append(Block(kind, text, Provenance(1, ("Duties",), start, start + len(text))))
        start += len(text) + 2
    text = "\n\n".join(b.text for b in blocks)
    return Document("t.pdf", "T", "pdf", "h", text, tuple(blocks))


def test_a_clause_is_cited_by_the_enumerators_above_and_on_it() -> None:
    blocks = [
        RawBlock(BlockKind.HEADING, "Regulation 5", level=1),
        RawBlock(BlockKind.PARAGRAPH, "(3) The authority must publish a report which—"),
        RawBlock(BlockKind.LIST_ITEM, "sets out the findings, and", level=1, marker="(a)"),
        RawBlock(BlockKind.LIST_ITEM, "describes the actions taken.", level=1, marker="b)"),
        RawBlock(BlockKind.HEADING, "2. Planning", level=1),
        RawBlock(BlockKind.LIST_ITEM, "Each ICB must publish a plan.", level=2, marker="2.1"),
        RawBlock(BlockKind.LIST_ITEM, "ICBs should involve Healthwatch.", level=1, marker="•"),
    ]
    document = build_document("reg.txt", "txt", blocks, "h")
    clauses = segment(document)
    # the dash opens the list as a colon does: each item is read with its lead-in
    assert [c.ref for c in clauses] == ["5(3)(a)", "5(3)(b)", "2.1", "2"]
    assert (
        clauses[0].text
        == "(3) The authority must publish a report which— sets out the findings, and"
    )


def test_a_subheading_without_a_number_keeps_its_sections_citation() -> None:
    blocks = [
        RawBlock(BlockKind.HEADING, "Section 14Z34 Duties of ICBs", level=1),
        RawBlock(BlockKind.HEADING, "Duty to consult", level=2),
        RawBlock(BlockKind.PARAGRAPH, "(2) The ICB must consult the public."),
        RawBlock(BlockKind.HEADING, "2024 priorities", level=1),
        RawBlock(BlockKind.PARAGRAPH, "Councils should plan for winter."),
    ]
    document = build_document("act.txt", "txt", blocks, "h")
    assert [c.ref for c in segment(document)] == ["14Z34(2)", ""]


def test_an_item_ending_in_a_colon_is_the_lead_in_of_the_items_under_it(tmp_path: Path) -> None:
    path = tmp_path / "framework.txt"
    path.write_text(
        "2.3 ICBs should:\n  - share learning from reviews;\n  - report progress twice a year.\n\n"
        "2.4 Providers must not share personal details.\n",
        encoding="utf-8",
    )
    clauses = [(c.ref, c.text) for c in segment(extract(path))]
    assert clauses == [
        # the sublist's items cite the item that opened it
        ("2.3", "ICBs should: share learning from reviews;"),
        ("2.3", "ICBs should: report progress twice a year."),
        # an item marked like the one that opened the sublist ends it
        ("2.4", "Providers must not share personal details."),
    ]


def test_an_indented_subsection_is_a_paragraph_of_its_own(tmp_path: Path) -> None:
    """ "(2A)" printed with a space before it (as copied from legislation.gov.uk) is the
    subsection it numbers, not an item under the lead-in of subsection (1)."""
    path = tmp_path / "act.txt"
    path.write_text(
        "(1) The Secretary of State must issue codes—\n(a) for carers, and\n(b) for providers.\n"
        " (1A) Guidance about carers must be included in the code.\n",
        encoding="utf-8",
    )
    clauses = [(c.ref, c.text) for c in segment(extract(path))]
    assert clauses[-1] == ("(1A)", "Guidance about carers must be included in the code.")


def test_no_split_inside_a_name_nor_after_a_comma_and_a_lost_space_ends_a_sentence() -> None:
    def parts(sentence: str) -> list[str]:
        return [sentence[a:b] for a, b in split_coordinated(sentence)]

    name = (
        "Regulation 12 of the Health and Social Care Act 2008 (Regulated Activities) "
        "Regulations 2014 requires providers to manage medicines safely."
    )
    assert parts(name) == [name]
    # a new subject with another force after "and" is split off, after ", and" too when the
    # first part is an instruction of another force or the new subject is a name, an acronym
    # or a bare plural noun phrase (another holder: DECISIONS.md 7); a subject with a
    # determiner ("and the principles should") is not (the gold seldom splits there); "NHS
    # England and ICBs should": no name goes on
    assert parts("Trusts must publish the data and ICBs should review it.") == [
        "Trusts must publish the data",
        "and ICBs should review it.",
    ]
    assert len(parts("Trusts must publish the data, and ICBs should review it.")) == 2
    assert len(parts("Trusts must publish the data, and ICBs must review it.")) == 2
    assert len(parts("Trusts must publish the data, and councils must review it.")) == 2
    assert len(parts("Trusts must publish the data, and the figures must be checked.")) == 1
    assert len(parts("The plan was agreed by NHS England and ICBs should now publish it.")) == 2
    assert (
        len(parts("Local authorities must consult the ICB and NHS England must approve it.")) == 2
    )
    assert len(parts("The chair of the Health and Wellbeing Board must approve the plan.")) == 1
    assert len(split_sentences("It was chaired by Prof.Jones and met monthly.")) == 1
    text = "Boards keep their duties.The Bill does require sharing. See gov.uk for more."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Boards keep their duties.",
        "The Bill does require sharing.",
        "See gov.uk for more.",
    ]


def test_a_statutory_instrument_s_regulation_numbers_are_cited(tmp_path: Path) -> None:
    path = tmp_path / "regs.txt"
    path.write_text(
        "2.—(1) Each integrated care board must keep a record.\n\n"
        "(2) An integrated care board must publish a description of it.\n\n"
        "3.—(1) A participating body must not sell the information.\n",
        encoding="utf-8",
    )
    clauses = [(c.ref, c.text) for c in segment(extract(path))]
    assert clauses == [
        ("2(1)", "Each integrated care board must keep a record."),
        ("2(2)", "An integrated care board must publish a description of it."),
        ("3(1)", "A participating body must not sell the information."),
    ]


NESTED = [
    "You must: keep cleaning schedules for every area, including: communal bathrooms",
    "You must: keep cleaning schedules for every area, including: laundry rooms",
    "You must: report outbreaks within a day",
    "Providers should publish their audits.",
]


def test_a_nested_markdown_list_writes_out_both_lead_ins(tmp_path: Path) -> None:
    """The items of a list nested under an item that ends in a colon carry both lead-ins; the
    middle one is no clause of its own, and the outer list goes on after the nested one."""
    path = tmp_path / "page.md"
    path.write_text(
        "You must:\n\n- keep cleaning schedules for every area, including:\n"
        "  - communal bathrooms\n  - laundry rooms\n- report outbreaks within a day\n\n"
        "Providers should publish their audits.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == NESTED


def test_a_nested_html_list_writes_out_both_lead_ins(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><main><p>You must:</p><ul><li>keep cleaning schedules for every area, "
        "including:<ul><li>communal bathrooms</li><li>laundry rooms</li></ul></li>"
        "<li>report outbreaks within a day</li></ul>"
        "<p>Providers should publish their audits.</p></main></body></html>",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == NESTED


def test_a_word_list_level_two_writes_out_both_lead_ins(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_paragraph("You must:")
    word.add_paragraph("keep cleaning schedules for every area, including:", "List Bullet")
    word.add_paragraph("communal bathrooms", "List Bullet 2")
    word.add_paragraph("laundry rooms", "List Bullet 2")
    word.add_paragraph("report outbreaks within a day", "List Bullet")
    word.add_paragraph("Providers should publish their audits.")
    path = tmp_path / "guidance.docx"
    word.save(str(path))
    assert [c.text for c in segment(extract(path))] == NESTED


def test_items_of_the_same_level_after_a_colon_item_that_asks_nothing_stay_apart(
    tmp_path: Path,
) -> None:
    """Without nesting, an item that ends in a colon but asks for nothing ("To: Integrated care
    boards:") is a clause of its own, and the items after it do not take it as their lead-in."""
    path = tmp_path / "letter.md"
    path.write_text(
        "- To: Integrated care boards:\n- Chief executives\n- Chairs\n", encoding="utf-8"
    )
    assert [c.text for c in segment(extract(path))] == [
        "To: Integrated care boards:",
        "Chief executives",
        "Chairs",
    ]


def test_paragraphs_numbered_from_one_after_a_colon_are_its_items(tmp_path: Path) -> None:
    """ "1. Publish ...", "2. Confirm ..." right after "We ask every ICB to:" are the items of
    its list (the gold writes the lead-in before each); numbered paragraphs not opened by a
    colon stay paragraphs."""
    path = tmp_path / "letter.md"
    path.write_text(
        "We ask every ICB to:\n\n1. Publish its winter plan by 30 November.\n\n"
        "2. Confirm its control centre is open.\n\nTrusts should report weekly.\n\n"
        "3. The ICB must consult.\n\n4. The trust may object.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == [
        "We ask every ICB to: Publish its winter plan by 30 November.",
        "We ask every ICB to: Confirm its control centre is open.",
        "Trusts should report weekly.",
        "The ICB must consult.",
        "The trust may object.",
    ]


def test_a_letters_greeting_sign_off_signature_date_and_letterhead_are_no_clauses(
    tmp_path: Path,
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        "Wellington House\n\nTo: ICB chief executives cc: Regional directors\n\n"
        "Publication reference: PRN00123\n\nA summary of the actions we ask systems, trusts and "
        "councils to take this winter, and of the support we will give them in return\n\n"
        "3 September 2025\n\nDear colleagues,\n\nICBs must publish a plan."
        "\n\nYours sincerely,\n\nSir Jim Mackey\n\nChief Executive\n\nNHS England\n\n"
        "# Annex A\n\nAnnex A sets out the support on offer.\n",
        encoding="utf-8",
    )
    # a longer line above the greeting may be a standfirst: it stays
    assert [c.text for c in segment(extract(path))] == [
        "A summary of the actions we ask systems, trusts and councils to take this winter, and of "
        "the support we will give them in return",
        "ICBs must publish a plan.",
        "Annex A sets out the support on offer.",
    ]


def test_an_instrument_s_explanatory_note_ends_its_signature(tmp_path: Path) -> None:
    path = tmp_path / "regs.txt"
    path.write_text(
        "1. A responsible body must acknowledge a complaint within 3 working days.\n\n"
        "Signed by authority of the Secretary of State for Health and Social Care\n\n"
        "A. Minister\n\nParliamentary Under-Secretary of State\n\n12th February 2028\n\n"
        "EXPLANATORY NOTE\n\nRegulation 1 requires complaints to be acknowledged.\n",
        encoding="utf-8",
    )
    clauses = segment(extract(path))
    assert [c.text for c in clauses][-1] == "Regulation 1 requires complaints to be acknowledged."
    assert clauses[-1].provenance.section[-1:] == ("EXPLANATORY NOTE",)
    assert not [c for c in clauses if "Minister" in c.text or "2028" in c.text]


def test_bullets_nested_under_bullets_cite_the_numbered_item_above_them(tmp_path: Path) -> None:
    path = tmp_path / "guidance.md"
    path.write_text(
        "3.3 Each ICB must make arrangements:\n\n- for people leaving hospital, including:\n"
        "  - those receiving end of life care\n- for people in care homes\n\n"
        "3.4 Councils should assess needs.\n",
        encoding="utf-8",
    )
    assert [c.ref for c in segment(extract(path))] == ["3.3", "3.3", "3.4"]


def test_a_table_of_labels_and_values_is_a_papers_metadata_not_clauses() -> None:
    doc = document(
        (BlockKind.TABLE_ROW, "Report of:\tDirector of Public Health"),
        (BlockKind.TABLE_ROW, "Classification:\tOfficial"),
        (BlockKind.TABLE_ROW, "Wards affected:\tAll"),
        (BlockKind.TABLE_ROW, "Action:\tICBs must publish a plan"),
        (BlockKind.PARAGRAPH, "The Board is asked to note the report."),
    )
    assert [c.text for c in segment(doc)] == [
        "Action: | ICBs must publish a plan",
        "The Board is asked to note the report.",
    ]


def test_a_cover_table_without_colons_is_metadata_too_but_a_timeline_row_is_not() -> None:
    doc = document(
        (BlockKind.TABLE_ROW, "Approved by\tAudit and Risk Committee"),
        (BlockKind.TABLE_ROW, "Date approved\t12 March 2025"),
        (BlockKind.TABLE_ROW, "Review date\tMarch 2027"),
        (BlockKind.TABLE_ROW, "Key decision\tYes"),
        (BlockKind.TABLE_ROW, "31 October 2025\tICB winter plans agreed with NHS trusts"),
        (BlockKind.TABLE_ROW, "Owner\tICBs must publish the register by 1 April"),
    )
    assert [c.text for c in segment(doc)] == [
        "31 October 2025 | ICB winter plans agreed with NHS trusts",
        "Owner | ICBs must publish the register by 1 April",
    ]


def test_paragraphs_numbered_one_level_below_an_opener_are_its_items(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_text(
        "4.1 The value of your home may be included. However, the Council must disregard "
        "the value of your home:\n\n4.1.1 for the first 12 weeks of your stay; and\n\n"
        "4.1.2 if your partner still lives there.\n\n4.2 The Council may offer a deferred "
        "payment agreement.\n\n4.2.1 This paragraph stands alone.\n",
        encoding="utf-8",
    )
    assert [(c.ref, c.text) for c in segment(extract(path))] == [
        ("4.1", "The value of your home may be included."),
        (
            "4.1.1",
            "However, the Council must disregard the value of your home: for the first 12 weeks "
            "of your stay; and",
        ),
        (
            "4.1.2",
            "However, the Council must disregard the value of your home: if your partner still "
            "lives there.",
        ),
        ("4.2", "The Council may offer a deferred payment agreement."),
        ("4.2.1", "This paragraph stands alone."),
    ]


def test_a_numbered_item_that_ends_in_a_colon_leads_the_table_after_it() -> None:
    raw = [
        RawBlock(
            BlockKind.LIST_ITEM, "Systems are expected to deliver these objectives:", 2, "3.1"
        ),
        RawBlock(BlockKind.TABLE_ROW, "Objective\tTarget\tDeadline"),
        RawBlock(BlockKind.TABLE_ROW, "Reduce elective waits\t92% within 18 weeks\tMarch 2028"),
        RawBlock(BlockKind.LIST_ITEM, "Where a system will miss it, the ICB should act.", 2, "3.2"),
    ]
    doc = build_document("test.docx", "docx", raw, "hash")
    assert [(c.ref, c.text) for c in segment(doc)] == [
        (
            "3.1",
            "Systems are expected to deliver these objectives: Reduce elective waits | 92% within "
            "18 weeks | March 2028",
        ),
        ("3.2", "Where a system will miss it, the ICB should act."),
    ]


def test_a_conjunct_whose_subject_is_a_possessive_phrase_of_another_force_splits() -> None:
    text = (
        "ICBs must work with local authorities through the Better Care Fund (BCF), and their "
        "plans should be agreed by the health and wellbeing board before submission."
    )
    assert parts(text) == [
        "ICBs must work with local authorities through the Better Care Fund (BCF),",
        "and their plans should be agreed by the health and wellbeing board before submission.",
    ]


def test_coordinated_clauses_of_opposite_polarity_split() -> None:
    text = "Guardians must be appointed in an open way and must not hold another role."
    assert parts(text) == [
        "Guardians must be appointed in an open way",
        "and must not hold another role.",
    ]


def test_an_and_after_a_subject_of_a_few_words_joins_subjects() -> None:
    text = "Commissioners such as the ICB and the council must have regard to our reports."
    assert parts(text) == [text]


def test_a_conjunct_of_opposite_polarity_after_a_comma_splits() -> None:
    text = "Providers must not expose people to avoidable harm, and they must assess the risks."
    assert parts(text) == [
        "Providers must not expose people to avoidable harm,",
        "and they must assess the risks.",
    ]


def test_a_verb_phrase_of_opposite_polarity_after_a_comma_splits() -> None:
    # the subject is shared; only the polarity turns (DECISIONS.md 7)
    text = (
        "Managers should ensure that the patient understands it, and should not rely on leaflets."
    )
    assert parts(text) == [
        "Managers should ensure that the patient understands it,",
        "and should not rely on leaflets.",
    ]
    same = "Providers must keep records of all complaints, and must share them with the ICB."
    assert parts(same) == [same]


def test_a_verb_phrase_of_another_force_after_a_comma_splits() -> None:
    # the subject is shared; the force turns (DECISIONS.md 7)
    text = (
        "The Provider must develop a care plan with each service user, and should offer a copy "
        "to the carer where the service user consents."
    )
    assert parts(text) == [
        "The Provider must develop a care plan with each service user,",
        "and should offer a copy to the carer where the service user consents.",
    ]
    text = (
        "Trusts must report incidents to the ICB, and should share learning with staff, patients "
        "and families."
    )
    assert parts(text) == [
        "Trusts must report incidents to the ICB,",
        "and should share learning with staff, patients and families.",
    ]
    # verbs that share the object after the comma, a predicate that is not a modal, or no comma
    for joined in (
        "The Secretary of State shall prepare and publish, and may revise, a code of practice.",
        "The Secretary of State shall issue, and may from time to time revise, a code of practice.",
        "We must rethink how we value those who provide care today, and are expected to do more.",
        "The council should decide within 5 days whether to act and must tell the referrer.",
    ):
        assert parts(joined) == [joined]


def test_a_conjunct_with_a_named_subject_of_its_own_splits_after_a_comma() -> None:
    # another holder, same force (DECISIONS.md 7)
    text = "ICBs should publish their waiting times, and NHS England should bring them together."
    assert parts(text) == [
        "ICBs should publish their waiting times,",
        "and NHS England should bring them together.",
    ]
    # a part that instructs no one stays joined
    text = "Waits are long in many areas, and NHS England should act."
    assert parts(text) == [text]


def test_but_turns_the_force_on_the_same_subject_after_a_complete_predicate() -> None:
    # one clause, one force (ANNOTATION.md; DECISIONS.md 7): "but" starts another instruction
    text = "ICBs may publish a plan, but must consult Healthwatch before they do."
    assert parts(text) == [
        "ICBs may publish a plan,",
        "but must consult Healthwatch before they do.",
    ]
    text = "The board may establish sub-groups, but may not delegate its statutory functions."
    assert parts(text) == [
        "The board may establish sub-groups,",
        "but may not delegate its statutory functions.",
    ]
    # two verbs that share one object are one predicate
    for shared in (
        "The Secretary of State shall issue, but may from time to time revise, a code.",
        "The Secretary of State shall prepare and publish, but may from time to time revise, a "
        "code of practice.",
        "ICBs must consult on, but may choose not to adopt, the draft plan.",
    ):
        assert parts(shared) == [shared]
    # "and" after a comma turns the force too (DECISIONS.md 7; no gold clause joins such parts)
    same_subject = "ICBs must publish a plan, and should consult Healthwatch about it."
    assert parts(same_subject) == [
        "ICBs must publish a plan,",
        "and should consult Healthwatch about it.",
    ]


def test_a_lead_in_whose_table_gives_no_clause_is_a_clause_of_its_own() -> None:
    # DECISIONS.md A.6: a lead-in whose items are lost stays; a table of people is no clauses
    rows = ["Member\tNumber", "Leader of the Council\t1", "ICB representatives\t2"]
    doc = document(
        (BlockKind.PARAGRAPH, "The membership of the Board is as follows:"),
        *((BlockKind.TABLE_ROW, row) for row in rows),
        (BlockKind.PARAGRAPH, "The ICB must appoint a person to represent it on the Board."),
    )
    assert [c.text for c in segment(doc)] == [
        "The membership of the Board is as follows:",
        "The ICB must appoint a person to represent it on the Board.",
    ]
    # a lead-in whose rows are clauses is written before them, not again on its own
    rows = ["Action\tOwner", "Publish the plan\tICB", "Agree the budget\tCouncil"]
    doc = document(
        (BlockKind.PARAGRAPH, "Partners should complete these actions:"),
        *((BlockKind.TABLE_ROW, row) for row in rows),
    )
    assert [c.text for c in segment(doc)] == [
        "Partners should complete these actions: Publish the plan | ICB",
        "Partners should complete these actions: Agree the budget | Council",
    ]


def test_a_numbered_item_whose_table_gives_no_clause_is_a_clause_of_its_own(
    tmp_path: Path,
) -> None:
    source = tmp_path / "terms.md"
    source.write_text(
        "# Terms of reference\n\n## Membership\n\n3.1 The membership of the Board is as follows:"
        "\n\n| Member | Number |\n|---|---|\n| Leader of the Council | 1 |\n"
        "| ICB representatives | 2 |\n\n3.2 The ICB must appoint a person to the Board.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(source))] == [
        "The membership of the Board is as follows:",
        "The ICB must appoint a person to the Board.",
    ]


def test_a_members_title_does_not_end_a_sentence_and_a_debates_time_is_no_clause(
    tmp_path: Path,
) -> None:
    source = tmp_path / "debate.txt"
    source.write_text(
        "Hospital Discharge\n\n2.41 pm\n\nI agree with the hon. Lady that carers should be at "
        "the heart of discharge planning. Every right hon. and hon. Member knows the pressure.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(source))] == [
        "I agree with the hon. Lady that carers should be at the heart of discharge planning.",
        "Every right hon. and hon. Member knows the pressure.",
    ]


def test_a_conjunct_with_a_plural_subject_of_its_own_splits_after_a_comma() -> None:
    # another holder (DECISIONS.md 7), named by a plural noun phrase rather than a name
    text = (
        "Integrated care boards must ensure a plan within 48 hours, and local authorities must "
        "complete an assessment within five working days."
    )
    assert parts(text) == [
        "Integrated care boards must ensure a plan within 48 hours,",
        "and local authorities must complete an assessment within five working days.",
    ]
    # a thing, not an actor, as the next subject stays joined; so do an adverbial and the
    # same holder named again
    for joined in (
        "It should be adopted in NHS settings, and the principles should be applied.",
        "ICBs must publish a plan, and in most cases must consult Healthwatch about it.",
        "ICBs must publish a plan, and at times should consult others.",
        "Local authorities must assess carers, and local authorities must publish the result.",
    ):
        assert parts(joined) == [joined]


def test_ranks_and_titles_end_no_sentence_and_a_form_s_blanks_are_furniture(
    tmp_path: Path,
) -> None:
    path = tmp_path / "minutes.md"
    path.write_text(
        "# Minutes\n\n**Present:** Cllr Anne Riley (Chair), Dr Marcus Lee (NHS Northfield ICB), "
        "Insp. Mark Dunn (Northfield Police)\n\n"
        "Supt. Jones and Prof. Green gave apologies.\n\n"
        "Chair: ........................  Date: ..................\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == [
        "Present: Cllr Anne Riley (Chair), Dr Marcus Lee (NHS Northfield ICB), Insp. Mark Dunn "
        "(Northfield Police)",
        "Supt. Jones and Prof. Green gave apologies.",
    ]


def test_a_recommendation_leads_its_items_and_a_numbered_paragraph_ends_a_lead_in_s_list(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scrutiny.md"
    path.write_text(
        "# Recommendations\n\n2.1 The Committee recommends that the Council:\n\n"
        "- increases reablement hours;\n- publishes its waiting times.\n\n"
        "The Committee recommends that the ICB:\n\n- reports delays.\n\n"
        "2.5 Each council is asked to:\n\n- consider paying for travel time.\n",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(path))] == [
        "The Committee recommends that the Council: increases reablement hours;",
        "The Committee recommends that the Council: publishes its waiting times.",
        "The Committee recommends that the ICB: reports delays.",
        "Each council is asked to: consider paying for travel time.",
    ]


def test_an_exemption_before_but_splits() -> None:
    text = "You do not have to use our template, but you should include the evidence in section 4."
    assert parts(text) == [
        "You do not have to use our template,",
        "but you should include the evidence in section 4.",
    ]


def test_a_table_s_next_cell_is_no_conjunct() -> None:
    row = (
        "A jointly agreed plan between the local authority and the ICB\t"
        "The HWB must confirm sign-off on the cover sheet\t27 March 2026"
    )
    assert parts(row) == [row]


def test_a_numbered_lead_in_that_is_recommended_or_invited_opens_its_lettered_items(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cabinet.txt"
    path.write_text(
        "2. Recommendations\n\n2.1 Cabinet is recommended to:\n\n"
        "(a) approve the Market Sustainability Plan set out in Appendix A;\n\n"
        "(b) agree a 6.5% uplift to home care provider fees from 1 April 2026.\n"
    )
    assert [c.text for c in segment(extract(path))] == [
        "Cabinet is recommended to: approve the Market Sustainability Plan set out in Appendix A;",
        "Cabinet is recommended to: agree a 6.5% uplift to home care provider fees from 1 April "
        "2026.",
    ]
