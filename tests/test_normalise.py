from docmine.normalise import normalise, normalise_texts


def repair(text: str, *context: str) -> str:
    return normalise_texts([text, *context])[0]


def test_glued_acronyms_get_their_spaces_back() -> None:
    assert repair("theICPshould work with ICPs") == "the ICP should work with ICPs"
    assert repair("byDHSC,NHSEandLGA") == "by DHSC, NHSE and LGA"
    assert repair("the formation ofICPs") == "the formation of ICPs"


def test_plural_acronym_versus_next_word() -> None:
    assert repair("ICPstrategies", "strategies") == "ICP strategies"
    assert repair("theICBsplans", "plans") == "the ICBs plans"


def test_acronym_followed_by_capitalised_word() -> None:
    assert repair("theICBChair", "Chair") == "the ICB Chair"
    assert repair("CQCICSreviews", "reviews") == "CQC ICS reviews"


def test_real_words_and_names_are_left_alone() -> None:
    text = "NHSEI, Healthwatch, McDonald, iPhone and www.gov.UK stay as written, as does 1,000."
    assert repair(text) == text


def test_footnote_markers_and_spacing() -> None:
    assert repair("published in June 2021ⁱ, set  out") == "published in June 2021, set out"
    assert repair("see [footnote 1] here") == "see here"


def test_a_hyphen_removed_at_a_line_end_stays_where_the_word_is_a_compound() -> None:
    # the document is its own dictionary: written hyphenated elsewhere, the word keeps it
    assert repair("a place\ufffebased approach", "Place-based working") == "a place-based approach"
    assert repair("a place\ufffebased approach", "placebased") == "a placebased approach"
    # closed up when nothing says otherwise; a digit, or a capital after a word, keeps it
    assert repair("These prema\ufffeture deaths") == "These premature deaths"
    assert repair("by mid\ufffeJuly and COVID\ufffe19") == "by mid-July and COVID-19"
    # an acronym cut in two is one acronym again
    assert repair("the NH\ufffeSEI team") == "the NHSEI team"


def test_a_line_end_hyphen_before_a_word_stays_in_a_document_that_breaks_no_words() -> None:
    # a browser breaks lines only at the text's own hyphens: no break in the document closes
    # up into a word it writes elsewhere, and "quality" is a word it writes on its own
    assert repair("safe, high\ufffequality care", "Quality matters.") == "safe, high-quality care"
    assert repair("These prema\ufffeture deaths", "Quality matters.") == "These premature deaths"
    # a typesetter that breaks words ("organ-" / "isations", written whole elsewhere) does
    closed = repair("high\ufffequality organ\ufffeisations", "quality", "organisations")
    assert closed == "highquality organisations"


def test_a_hyphen_removed_inside_a_longer_compound_stays_when_the_document_writes_it() -> None:
    assert repair("end-to\ufffeend pathways", "We want end-to-end care.") == "end-to-end pathways"


def test_a_letter_is_titled_by_its_subject_line_not_its_letterhead(tmp_path) -> None:
    from docmine.extract import extract

    path = tmp_path / "letter.txt"
    path.write_text(
        "NHS England\n\nWellington House, London\n\nTo: ICB chief executives\n\n"
        "Dear colleague,\n\nWinter actions 2024/25\n\nICBs must submit a plan by 1 March.\n",
        encoding="utf-8",
    )
    assert normalise(extract(path)).title == "Winter actions 2024/25"
    path.write_text("NHS England\n\nICBs must submit a plan by 1 March.\n", encoding="utf-8")
    assert normalise(extract(path)).title == "NHS England"
    # the subject set as a heading just above the greeting, below the letterhead
    path.write_text(
        "NHS England\n\nWellington House, London\n\nWINTER ACTIONS 2025/26\n\n"
        "Dear colleagues,\n\nICBs must submit a plan by 1 March.\n",
        encoding="utf-8",
    )
    assert normalise(extract(path)).title == "WINTER ACTIONS 2025/26"


def test_a_logo_s_words_above_a_letterhead_are_no_headings(tmp_path) -> None:
    from docmine.extract import extract
    from docmine.segment import segment

    path = tmp_path / "letter.md"
    path.write_text(
        "# NHS\n\n# England\n\nTo:\n\n- ICB chief executives\n\n12 June 2028\n\n"
        "Dear colleague,\n\n## Validating waiting lists\n\nTrusts must submit the data.\n",
        encoding="utf-8",
    )
    clauses = segment(extract(path))
    last = clauses[-1]
    assert last.text == "Trusts must submit the data."
    assert last.provenance.section == ("Validating waiting lists",)
    assert normalise(extract(path)).title == "Validating waiting lists"
    # the "To:" lines stay clauses, as the gold keeps them
    assert clauses[0].text == "To: ICB chief executives"


def test_a_year_glued_to_an_acronym_is_parted_and_postcodes_and_sections_are_not() -> None:
    from docmine.normalise import repair_punctuation_spacing

    assert repair_punctuation_spacing("2023DHSC refreshes") == "2023 DHSC refreshes"
    for text in ("The B1 2RA office", "section 223GB of the Act", "section 9FE applies"):
        assert repair_punctuation_spacing(text) == text


def test_a_mixed_case_name_the_document_defines_stays_whole() -> None:
    from docmine.normalise import repair_glued_acronyms

    texts = [
        "Applications under the Deprivation of Liberty Safeguards (DoLS) and to the learning "
        "from deaths programme (LeDeR) go through the e-Referral Service (eRS).",
        "Providers should submit DoLS applications early, report to LeDeR and use eRS.",
        "theICBshould publish it.",
    ]
    assert repair_glued_acronyms(texts)[1:] == [
        "Providers should submit DoLS applications early, report to LeDeR and use eRS.",
        "the ICB should publish it.",
    ]
