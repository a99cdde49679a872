"""PDF extraction against the generated corpus (text known exactly) plus small unit examples."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from docmine.errors import CorruptDocument, TimedOut, TooLarge
from docmine.extract.builder import RawBlock, assemble_document, join_broken_paragraphs
from docmine.extract.furniture import looks_like_furniture
from docmine.extract.pdf import read_pdf
from docmine.extract.pdf_layout import (
    PageLines,
    assemble,
    body_size,
    join_lines,
    remove_furniture,
)
from docmine.extract.pdf_lines import Line
from docmine.extract.pdf_tables import cell_text
from docmine.measure.bench import (
    body_text,
    char_accuracy,
    collapse,
    headings_on_page,
    leaked_furniture,
    load_meta,
    render_block,
)
from docmine.model import BlockKind
from docmine.normalise import normalise, normalise_texts
from docmine.segment import segment

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus-pdf"
MANY_PAGES = SHARED / "robustness" / "pdfs" / "ours__many-pages-1500.pdf"
PDFS = sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not PDFS, reason=f"PDF corpus not found at {CORPUS}")


SHORT = SHARED / "corpus-pdf-short"
SHORT_PDFS = sorted(p.name for p in SHORT.glob("*.pdf")) if SHORT.is_dir() else []


@cache
def _blocks(name: str, folder: Path = CORPUS) -> list[RawBlock]:
    path = folder / name
    return read_pdf(path, path.read_bytes())


def _sidecar(name: str, suffix: str) -> Path:
    return CORPUS / (name.removesuffix(".pdf") + suffix)


@needs_corpus
@pytest.mark.parametrize("name", PDFS)
def test_body_text_matches_expected(name: str) -> None:
    expected = _sidecar(name, ".expected.txt").read_text(encoding="utf-8")
    assert char_accuracy(body_text(_blocks(name)), expected) >= 0.98


@needs_corpus
@pytest.mark.parametrize("name", PDFS)
def test_no_running_header_or_footer_leaks(name: str) -> None:
    expected = _sidecar(name, ".expected.txt").read_text(encoding="utf-8")
    meta = load_meta(CORPUS / name, expected)
    assert leaked_furniture(body_text(_blocks(name)), meta) == 0


@needs_corpus
@pytest.mark.parametrize("name", PDFS)
def test_headings_found_on_their_page(name: str) -> None:
    meta = json.loads(_sidecar(name, ".meta.json").read_text(encoding="utf-8"))
    right, total = headings_on_page(_blocks(name), meta)
    assert right == total


@needs_corpus
@pytest.mark.parametrize("name", [n for n in PDFS if _sidecar(n, ".footnotes.txt").is_file()])
def test_footnotes_are_separate_blocks_on_their_page(name: str) -> None:
    blocks = _blocks(name)
    found = {(b.marker, b.page, collapse(b.text)) for b in blocks if b.kind == BlockKind.FOOTNOTE}
    lines = _sidecar(name, ".footnotes.txt").read_text(encoding="utf-8").splitlines()
    for number, page, text in (line.split("\t", 2) for line in lines if line.strip()):
        assert (number, int(page), collapse(text)) in found
        assert collapse(text) not in collapse(body_text(blocks))


@needs_corpus
@pytest.mark.parametrize("name", [n for n in PDFS if ".tables." in n or ".mixed." in n])
def test_tables_come_out_as_rows_of_cells(name: str) -> None:
    rows = [b for b in _blocks(name) if b.kind == BlockKind.TABLE_ROW]
    expected = _sidecar(name, ".expected.txt").read_text(encoding="utf-8").split("\n\n")
    expected_rows = {collapse(block) for block in expected if "\t" in block}
    assert rows and sum("\t" in row.text for row in rows) >= 0.8 * len(rows)  # a row may be 1 cell
    found = {collapse(row.text) for row in rows}
    assert len(found & expected_rows) >= 0.9 * len(expected_rows)


@needs_corpus
def test_every_block_has_a_page() -> None:
    assert all(b.page for name in PDFS for b in _blocks(name))


@needs_corpus
def test_real_hyphens_stay_and_line_end_hyphens_go() -> None:
    blocks = _blocks("lga-cwb-ics-update.base.pdf")
    # the reader marks where it removed a hyphen; normalisation decides and removes the mark
    assert "\ufffe" in body_text(blocks)
    text = " ".join(normalise_texts([b.text for b in blocks]))
    assert "upper-tier" in text and "integrated care systems" in text and "\ufffe" not in text
    assert "place-based" in text and "placebased" not in text  # hyphenated elsewhere in it


@needs_corpus
def test_list_items_carry_their_bullet_as_marker_not_text() -> None:
    items = [
        b
        for b in _blocks("nhsconfed-integration-actions.base.pdf")
        if b.kind == BlockKind.LIST_ITEM
    ]
    assert items and all(b.marker == "•" and not b.text.startswith("•") for b in items)


def _line(text: str, top: float, page: int = 1, size: float = 10.0, x0: float = 72.0) -> Line:
    return Line(text, x0, 500.0, top, top - size * 1.2, size, False, page)


def test_running_header_repeated_across_pages_is_removed() -> None:
    pages = [
        PageLines(
            n,
            842.0,
            [
                _line("Short title OFFICIAL", 805),
                _line(f"Body {n}.", 700),
                _line(f"Page {n} of 3", 42),
            ],
        )
        for n in (1, 2, 3)
    ]
    remove_furniture(pages)
    assert [[line.text for line in page.lines] for page in pages] == [
        ["Body 1."],
        ["Body 2."],
        ["Body 3."],
    ]


def test_a_running_header_set_below_the_margin_band_is_removed_where_it_repeats() -> None:
    """A header printed inside the text area (a web page's fixed header, a letterhead set low)
    repeats word for word at the same height on every page: furniture. Numbered body lines at
    the same height on each page differ in their numbers and stay."""
    pages = [
        PageLines(
            n,
            842.0,
            [
                _line("Publication reference: PRN01672 Improvement plan", 760),
                _line(f"{n}. The trust should review item {n} of the plan each month.", 700),
                _line("NHS England | OFFICIAL-SENSITIVE", 110),
            ],
        )
        for n in (1, 2, 3)
    ]
    remove_furniture(pages)
    assert [[line.text for line in page.lines] for page in pages] == [
        [f"{n}. The trust should review item {n} of the plan each month."] for n in (1, 2, 3)
    ]
    # a form's instruction printed on every page is text, not a header
    pages = [
        PageLines(n, 842.0, [_line("The assessor must record the evidence below.", 700)])
        for n in (1, 2, 3)
    ]
    remove_furniture(pages)
    assert all(len(page.lines) == 1 for page in pages)
    # on two pages a line may repeat by chance: it stays
    pages = [
        PageLines(n, 842.0, [_line("The provider must publish its plan.", 700)]) for n in (1, 2)
    ]
    remove_furniture(pages)
    assert all(len(page.lines) == 1 for page in pages)


@pytest.mark.skipif(not SHORT_PDFS, reason=f"short PDF corpus not found at {SHORT}")
@pytest.mark.parametrize("name", SHORT_PDFS)
def test_a_header_printed_on_one_page_of_a_short_pdf_does_not_leak(name: str) -> None:
    """Two-page PDFs: header and footer on page 2 only, glued on one baseline ("Title
    OFFICIAL", "docmine test corpus Page 2 of 2"): nothing repeats, the shape gives them away."""
    expected = (SHORT / name.replace(".pdf", ".expected.txt")).read_text(encoding="utf-8")
    body = body_text(_blocks(name, SHORT))
    assert leaked_furniture(body, load_meta(SHORT / name, expected)) == 0
    assert char_accuracy(body, expected) >= 0.99


def test_margin_lines_shaped_like_furniture_go_on_a_one_page_document() -> None:
    pages = [
        PageLines(
            1,
            842.0,
            [
                _line("OFFICIAL-SENSITIVE", 805),
                _line("Body text that stays.", 700),
                _line("NHS England Page 1 of 1", 42),
            ],
        )
    ]
    remove_furniture(pages)
    assert [line.text for line in pages[0].lines] == ["Body text that stays."]


def test_a_one_page_briefings_address_footer_goes_and_its_body_size_is_its_texts() -> None:
    """Nothing repeats on one page: a footer in small type giving an address, a telephone
    number or a web address is furniture all the same, and, longer than the body's one line,
    it does not set the body's size (which made the body a heading, and lost it)."""
    body = _line("From April, councils will be required to submit the extract.", 700, size=10.5)
    footer = [
        _line("Local Government Association, 18 Smith Square, London SW1P 3HZ", 47, size=7.5),
        _line("Telephone 020 7664 3000 Email info@local.gov.uk www.local.gov.uk", 38, size=7.5),
    ]
    pages = [PageLines(1, 842.0, [body, *footer])]
    assert body_size(pages) == 10.5
    remove_furniture(pages)
    assert [line.text for line in pages[0].lines] == [body.text]
    # in the body's own size, a line with an address is the text's
    pages = [PageLines(1, 842.0, [_line("Write to us at 18 Smith Square, SW1P 3HZ.", 47)])]
    remove_furniture(pages)
    assert len(pages[0].lines) == 1


def test_the_title_repeated_as_a_running_header_is_furniture_after_the_title_page() -> None:
    title = _line("Joint forward plans guidance", 805, size=18.0)
    pages = [
        PageLines(1, 842.0, [title, _line("Body one.", 700)]),
        PageLines(2, 842.0, [_line("Joint forward plans guidance", 805, page=2),
                             _line("Body two.", 700, page=2)]),
    ]  # fmt: skip
    remove_furniture(pages)
    assert [line.text for line in pages[0].lines] == ["Joint forward plans guidance", "Body one."]
    assert [line.text for line in pages[1].lines] == ["Body two."]


@pytest.mark.parametrize(
    "text",
    [
        "4 | Joint forward plans",
        "Joint forward plans | 4",
        "Page 3",
        "12 of 40",
        "NOT PROTECTIVELY MARKED",
        "Classification: OFFICIAL",
    ],
)
def test_furniture_shapes(text: str) -> None:
    assert looks_like_furniture(text, set())


@pytest.mark.parametrize(
    "text",
    [
        "ICBs must publish a plan by 31 March 2024.",
        "The official guidance says",
        "Section 14Z34",
        "the joint forward plan for 2023/24.",
        "services available 24/7",
        "as set out on page 12.",
        "RESTRICTED access to records must be logged",
        "plans for 2023/24",
    ],
)
def test_body_shapes_are_not_furniture(text: str) -> None:
    assert not looks_like_furniture(text, set())


def test_body_text_in_the_margin_once_is_kept() -> None:
    pages = [
        PageLines(1, 842.0, [_line("A one-off note at the top", 805)]),
        PageLines(2, 842.0, [_line("Body.", 700)]),
    ]
    remove_furniture(pages)
    assert pages[0].lines[0].text == "A one-off note at the top"


def test_paragraph_cut_by_a_page_break_is_joined() -> None:
    pages = [
        PageLines(1, 842.0, [_line("The board must", 700)]),
        PageLines(2, 842.0, [_line("publish a plan.", 760, page=2)]),
    ]
    blocks = assemble(pages)
    assert [(b.text, b.page) for b in blocks] == [("The board must publish a plan.", 1)]


def test_a_clause_after_a_page_break_inside_a_paragraph_cites_the_next_page() -> None:
    pages = [
        PageLines(1, 842.0, [_line("The board must publish a plan and", 700)]),
        PageLines(2, 842.0, [_line("consult on it.  The ICB must share it.", 760, page=2)]),
    ]
    raw = assemble(pages)
    document = normalise(assemble_document("x.pdf", "pdf", raw, "hash"))
    clauses = segment(document)
    assert [(c.text, c.provenance.page) for c in clauses] == [
        ("The board must publish a plan and consult on it.", 1),
        ("The ICB must share it.", 2),
    ]
    # the same across blocks a page break cut, joined again by the builder
    cut = [
        RawBlock(BlockKind.PARAGRAPH, "The board must publish a plan and", page=1),
        RawBlock(BlockKind.PARAGRAPH, "consult on it. The ICB must share it with", page=2),
        RawBlock(BlockKind.PARAGRAPH, "the council. The council may help.", page=2),
    ]
    pages_of = [
        c.provenance.page for c in segment(normalise(assemble_document("y.pdf", "pdf", cut, "h")))
    ]
    assert pages_of == [1, 2, 2]
    # repair moves the break: spaces and footnote markers before it are taken out
    spaced = [
        RawBlock(BlockKind.PARAGRAPH, "The board   must [footnote 1] publish a plan and", page=1),
        RawBlock(BlockKind.PARAGRAPH, "consult. The ICB must share it.", page=2),
    ]
    document = normalise(assemble_document("z.pdf", "pdf", spaced, "h"))
    (block,) = document.blocks
    ((at, page),) = block.page_breaks
    assert (block.text[at : at + 8], page) == ("consult.", 2)
    assert [c.provenance.page for c in segment(document)] == [1, 2]


def test_numbered_paragraph_keeps_number_as_marker() -> None:
    blocks = assemble([PageLines(1, 842.0, [_line("5.1. The ICB must act.", 700)])])
    assert (blocks[0].kind, blocks[0].marker, blocks[0].text) == (
        BlockKind.PARAGRAPH,
        "5.1.",
        "The ICB must act.",
    )
    assert render_block(blocks[0]) == "5.1. The ICB must act."


def test_lettered_items_after_a_dash_lead_in_are_list_items_of_their_own() -> None:
    # legislation's "(a)", "(iv)" items, as the text reader reads them; the first item is not
    # joined to its lead-in, though the lead-in ends without a full stop and the item in lower case
    lines = [
        _line("(1) A local authority must have regard to the need—", 700),
        _line("(a) to act in the best interests of children;", 680),
        _line("(b) to encourage children to express their views.", 660),
        _line("2 The Secretary of State may issue guidance.", 640),
    ]
    raw = assemble([PageLines(1, 842.0, lines)])
    blocks = normalise(assemble_document("x.pdf", "pdf", raw, "hash")).blocks
    assert [(b.kind, b.marker) for b in blocks] == [
        (BlockKind.PARAGRAPH, "(1)"),  # a subsection's number, as the text reader reads it
        (BlockKind.LIST_ITEM, "(a)"),
        (BlockKind.LIST_ITEM, "(b)"),
        (BlockKind.PARAGRAPH, "2"),
    ]
    clauses = segment(normalise(assemble_document("x.pdf", "pdf", raw, "hash")))
    assert len(clauses) == 3 and clauses[0].text == (
        "A local authority must have regard to the need— to act in the best interests of children;"
    )


def test_a_reference_wrapped_over_a_page_keeps_its_number_in_the_text() -> None:
    lines = [
        _line("The authority must have regard to the matters in section 12", 100, page=1),
        _line("(3) of the Act when it assesses a carer.", 760, page=2),
    ]
    blocks = assemble([PageLines(1, 842.0, lines[:1]), PageLines(2, 842.0, lines[1:])])
    assert [b.text for b in blocks] == [
        "The authority must have regard to the matters in section 12 (3) of the Act when it "
        "assesses a carer."
    ]


def test_subsections_set_without_a_gap_are_paragraphs_of_their_own() -> None:
    # an Act's subsections in close-set text: "(2)" after a full stop opens a paragraph, a
    # reference wrapped onto a line ("... under section 12" / "(2) of the Act") does not
    lines = [
        _line("(1) Where a local authority is consulted, it must assess the patient.", 700),
        _line(
            "(2) A local authority may not make a charge for an assessment under section 12", 688
        ),
        _line("(3) of the Act.", 676),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [(b.marker, b.text) for b in blocks] == [
        ("(1)", "Where a local authority is consulted, it must assess the patient."),
        (
            "(2)",
            "A local authority may not make a charge for an assessment under section 12 (3) of "
            "the Act.",
        ),
    ]


def test_footnotes_written_before_the_text_are_footnotes_by_their_place() -> None:
    # a producer may write the page's notes first in its content stream: the small numbered
    # lines set below the body are its notes all the same, not its first paragraph
    notes = [
        _line("1 Section 116ZB was inserted by section 26 of the 2022 Act.", 60, size=8.0),
        _line("2 See the statutory guidance of 2022.", 50, size=8.0),
    ]
    body = [
        _line("About this guidance", 760, size=14.0),
        _line("This guidance is issued under section 116ZB(4).", 700),
    ]
    blocks = assemble([PageLines(1, 842.0, [*notes, *body])])
    assert [(b.kind, b.text) for b in blocks if b.kind != BlockKind.FOOTNOTE] == [
        (BlockKind.HEADING, "About this guidance"),
        (BlockKind.PARAGRAPH, "This guidance is issued under section 116ZB(4)."),
    ]
    assert [b.marker for b in blocks if b.kind == BlockKind.FOOTNOTE] == ["1", "2"]


def test_a_regulation_number_with_its_first_paragraph_is_the_marker() -> None:
    # statutory instruments print "5.—(1)": the regulation's number and its paragraph's, as
    # the text reader reads them (the clause is cited 5(1), and the text starts at "A")
    lines = [
        _line("5.—(1) A responsible body must acknowledge a complaint.", 700),
        _line("(2) The response must be in writing.", 688),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [(b.marker, b.text) for b in blocks] == [
        ("5.—(1)", "A responsible body must acknowledge a complaint."),
        ("(2)", "The response must be in writing."),
    ]


@pytest.mark.skipif(not SHORT_PDFS, reason=f"short PDF corpus not found at {SHORT}")
def test_a_two_column_act_keeps_each_item_with_its_lead_in() -> None:
    name = "t149_cswa_2017_s1_corporate_parenting_principles.twocol.pdf"
    raw = _blocks(name, SHORT)
    clauses = segment(normalise(assemble_document(name, "pdf", raw, "hash")))
    led = [c for c in clauses if c.lead_in.endswith("have regard to the need—")]
    assert len(led) == 7 and led[4].text.endswith(
        "to promote high aspirations, and seek to "
        "secure the best outcomes, for those children "
        "and young people;"
    )


def test_a_numbered_line_standing_alone_in_body_size_is_a_heading() -> None:
    lines = [
        _line("1 Corporate parenting principles", 720),
        _line("A local authority must act in the interests of children.", 690),
        _line("2 The Secretary of State may issue guidance.", 660),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "1 Corporate parenting principles"),
        (BlockKind.PARAGRAPH, "A local authority must act in the interests of children."),
        (BlockKind.PARAGRAPH, "The Secretary of State may issue guidance."),
    ]
    assert blocks[0].level == 1


def test_a_number_a_cross_reference_wrapped_stays_in_its_sentence() -> None:
    def clauses(*blocks: RawBlock) -> list[str]:
        return [c.text for c in segment(normalise(assemble_document("x", "pdf", [*blocks], "h")))]

    # after a word the number is the reference's; after a lead-in's dash it opens an item
    assert clauses(
        RawBlock(BlockKind.PARAGRAPH, "The ICB must, as set out in paragraph", page=1),
        RawBlock(BlockKind.PARAGRAPH, "of this guidance, publish it.", marker="3.2", page=1),
    ) == ["The ICB must, as set out in paragraph 3.2 of this guidance, publish it."]
    assert clauses(
        RawBlock(BlockKind.PARAGRAPH, "The ICB must, subject to paragraph", page=1),
        RawBlock(BlockKind.LIST_ITEM, "above, publish it.", marker="(b)", page=1),
    ) == ["The ICB must, subject to paragraph (b) above, publish it."]
    assert clauses(
        RawBlock(BlockKind.PARAGRAPH, "In this section—", page=1),
        RawBlock(BlockKind.PARAGRAPH, "the ICB must publish it.", marker="(2)", page=1),
    ) == ["In this section—", "the ICB must publish it."]
    # an annex's table or paragraph named at a line's end ("Table" / "B.2 and must ...")
    assert clauses(
        RawBlock(BlockKind.PARAGRAPH, "Providers must use the template in Table", page=1),
        RawBlock(BlockKind.LIST_ITEM, "and must keep a copy.", marker="B.2", page=1),
    ) == ["Providers must use the template in Table B.2 and must keep a copy."]


def test_a_count_wrapped_onto_a_line_stays_in_its_sentence_and_numbered_lines_stay_items() -> None:
    """ "... has resulted in the" / "2 systems coming together": a count the sentence goes on
    with, not a paragraph numbered 2; lines each numbered so ("1 publish" / "2 consult") are."""
    lines = [
        _line("Working together has resulted in the", 720),
        _line("2 systems coming together as one programme.", 708),
        _line("1 publish a plan", 670),
        _line("2 consult the board", 658),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [(b.marker, b.text) for b in blocks] == [
        ("", "Working together has resulted in the 2 systems coming together as one programme."),
        ("1", "publish a plan"),
        ("2", "consult the board"),
    ]


def test_a_small_line_alone_at_the_top_of_a_later_page_is_its_running_header() -> None:
    """A header printed on page 2 only, smaller than the body and apart from the text: not
    glued into the sentence that goes on over the page. A note in body type stays (above)."""
    pages = [
        PageLines(1, 842.0, [_line("The ICB should", 700, size=11)]),
        PageLines(
            2,
            842.0,
            [
                _line("Continuing care framework: ICB duties", 805, page=2, size=9),
                _line("respond within 14 days.", 770, page=2, size=11),
            ],
        ),
    ]
    remove_furniture(pages)
    blocks = assemble(pages)
    assert [b.text for b in blocks] == ["The ICB should respond within 14 days."]


def test_a_small_line_alone_at_the_top_of_a_one_page_pdf_is_its_running_header() -> None:
    """A one-page letter or briefing prints its publisher small in the top margin: nothing
    repeats, but its place and size say it is the page's, not the text's."""
    pages = [
        PageLines(
            1,
            842.0,
            [
                _line("Care Quality Commission", 808, size=8),
                _line("Notifications", 760, size=16),
                _line("You must notify us without delay.", 720, size=10),
            ],
        )
    ]
    remove_furniture(pages)
    assert [line.text for line in pages[0].lines] == [
        "Notifications",
        "You must notify us without delay.",
    ]


def test_a_date_or_a_wrapped_line_is_no_numbered_heading() -> None:
    lines = [
        _line("• ICBs must publish their plan by", 720),
        _line("31 March 2024", 700),
        _line("The plan must say how it meets needs and", 670),
        _line("2 Schedule", 655),
        _line("1 Overview ........ 3", 620),
    ]
    kinds = [b.kind for b in assemble([PageLines(1, 842.0, lines)])]
    assert BlockKind.HEADING not in kinds


def test_larger_numbered_line_is_a_heading_with_level_from_number() -> None:
    lines = [
        _line("2.1 Background", 720, size=12.0),
        _line("Body text here.", 700),
        _line("More body text here.", 650),
    ]
    heading = assemble([PageLines(1, 842.0, lines)])[0]
    assert (heading.kind, heading.level, heading.text) == (BlockKind.HEADING, 2, "2.1 Background")


def test_hyphenated_line_joins_without_a_space() -> None:
    broken = _line("organ", 700)
    broken.hyphenated = True
    # the removed hyphen's mark stays for normalisation to decide (closed up by default)
    assert join_lines("Each organ", broken, "isation must") == "Each organ\ufffeisation must"
    assert normalise_texts(["Each organ\ufffeisation must"]) == ["Each organisation must"]


def test_a_word_hyphenated_where_a_block_ends_closes_up_when_the_blocks_are_joined() -> None:
    # "These prema-" stood alone on its line (further right than the next), so it was its own
    # block; joining it to "ture deaths ..." must not leave "prema ture"
    first = _line("These prema", 700, x0=300.0)
    first.hyphenated = True
    lines = [first, _line("ture deaths could be prevented.", 688)]
    blocks = join_broken_paragraphs(assemble([PageLines(1, 842.0, lines)]))
    assert normalise_texts([b.text for b in blocks]) == [
        "These premature deaths could be prevented."
    ]


def test_small_numbered_lines_at_the_foot_are_footnotes() -> None:
    body = "The body of the page is set in the body size."
    lines = [_line(body, 700), _line("1 Health and Care Act 2022.", 120, size=7.5)]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "", body),
        (BlockKind.FOOTNOTE, "1", "Health and Care Act 2022."),
    ]


def test_cell_text_closes_a_letter_wrapped_word() -> None:
    class FakeTextPage:
        def get_text_bounded(self, *box: float) -> str:
            return "N\r\no."

    assert cell_text(FakeTextPage(), (0, 0, 10, 10)) == "No."


def test_cell_text_marks_a_removed_line_end_hyphen_for_normalisation() -> None:
    """pdfium writes a line-end hyphen it removed as U+0002 in a bounded part of a page (U+FFFE
    in the page's text): a control character must never reach the stored clause."""

    class FakeTextPage:
        def get_text_bounded(self, *box: float) -> str:
            return "Confirm step\x02\r\ndown beds"

    text = cell_text(FakeTextPage(), (0, 0, 10, 10))
    assert "\x02" not in text
    assert normalise_texts([text, "All step-down beds count."])[0] == "Confirm step-down beds"


def test_not_a_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="corrupt"):
        read_pdf(Path("x.pdf"), b"%PDF-1.7\n%%EOF\n")


CUT_SHORT = SHARED / "robustness" / "pdfs" / "pdfplumber__issue-316-example.pdf"
ZERO_PAGES = SHARED / "robustness" / "pdfs" / "ours__zero-pages.pdf"


@pytest.mark.skipif(not CUT_SHORT.is_file(), reason="robustness corpus not found")
def test_a_pdf_cut_short_is_corrupt_and_a_whole_one_without_pages_is_empty(tmp_path) -> None:
    from docmine.errors import EmptyDocument

    cut = tmp_path / "cut.pdf"
    cut.write_bytes(CUT_SHORT.read_bytes()[:40000])  # a download broken off: no page readable
    with pytest.raises(CorruptDocument, match="cut short"):
        read_pdf(cut, cut.read_bytes())
    with pytest.raises(EmptyDocument, match="zero pages"):
        read_pdf(ZERO_PAGES, ZERO_PAGES.read_bytes())


@pytest.mark.skipif(not MANY_PAGES.is_file(), reason="robustness corpus not found")
def test_page_limit_is_enforced() -> None:
    with pytest.raises(TooLarge, match="more than 10 pages"):
        read_pdf(MANY_PAGES, MANY_PAGES.read_bytes(), max_pages=10)


@pytest.mark.skipif(not MANY_PAGES.is_file(), reason="robustness corpus not found")
def test_deadline_is_checked_per_page() -> None:
    with pytest.raises(TimedOut, match="timed out"):
        read_pdf(MANY_PAGES, MANY_PAGES.read_bytes(), max_seconds=0.0)


def test_pdfium_is_the_text_engine() -> None:
    assert pdfium.PdfDocument  # pdfium, not pdfplumber, is imported at module load


def test_word_similarity_costs_a_split_word_a_whole_word() -> None:
    from docmine.measure.bench import word_similarity

    expected = "a premature response to the plan"
    assert word_similarity(expected, expected) == 1.0
    split = word_similarity("a prema ture response to the plan", expected)
    assert char_accuracy("a prema ture response to the plan", expected) > 0.95 > split


def _handmade_pdf(content: str) -> bytes:
    """A one-page A4 PDF drawing `content` (a content stream) in Helvetica (F1) and
    Helvetica Bold (F2)."""
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return bytes(out + trailer % (len(objects) + 1, xref))


def test_fonts_set_at_size_one_and_scaled_by_the_text_matrix_keep_their_sizes(
    tmp_path: Path,
) -> None:
    # InDesign and the US Federal Register set every font at 1 pt and scale the text matrix;
    # the sizes read were all 1, so no heading was found and every line was a paragraph. A
    # stamp set vertically in the left margin is not text
    path = tmp_path / "scaled.pdf"
    path.write_bytes(
        _handmade_pdf(
            "BT /F1 1 Tf 16 0 0 16 72 760 Tm (Duties of the board) Tj ET\n"
            "BT /F1 1 Tf 10 0 0 10 72 730 Tm (The integrated care board must publish a) Tj ET\n"
            "BT /F1 1 Tf 10 0 0 10 72 718 Tm (plan before the start of each year and) Tj ET\n"
            "BT /F1 1 Tf 10 0 0 10 72 706 Tm (report on its CO) Tj 7 0 0 7 147 703 Tm (2) Tj "
            "10 0 0 10 152 706 Tm ( emissions.) Tj ET\n"
            "BT /F1 1 Tf 0 8 -8 0 30 300 Tm (Printed by jbell on DSK PROD) Tj ET\n"
        )
    )
    blocks = [(b.kind, b.text) for b in normalise_blocks(read_pdf(path, path.read_bytes()))]
    assert blocks[0] == (BlockKind.HEADING, "Duties of the board")
    assert blocks[1][0] == BlockKind.PARAGRAPH and len(blocks) == 2
    # the lowered 2 of CO2 is small but no footnote marker: it stays
    assert blocks[1][1].startswith("The integrated care board must publish a plan before")
    assert "2 emissions" in blocks[1][1] and "jbell" not in " ".join(t for _, t in blocks)


def normalise_blocks(blocks: list[RawBlock]) -> list[RawBlock]:
    texts = normalise_texts([b.text for b in blocks])
    return [
        RawBlock(b.kind, t, b.level, b.marker, b.page) for b, t in zip(blocks, texts, strict=True)
    ]


def test_a_heading_set_in_bold_at_the_body_size_is_a_heading(tmp_path: Path) -> None:
    # guidance often sets its sub-headings in bold at the body's size; they were glued to the
    # paragraph under them ("Actions for ICBs ICBs must publish ..."). A bold label running
    # into regular text ("AGENCY: ...") heads nothing
    path = tmp_path / "bold.pdf"
    path.write_bytes(
        _handmade_pdf(
            "BT /F2 14 Tf 72 780 Td (Winter planning letter) Tj ET\n"
            "BT /F2 10 Tf 72 750 Td (Actions for ICBs) Tj ET\n"
            "BT /F1 10 Tf 72 735 Td (ICBs must publish their capacity plans by October.) Tj ET\n"
            "BT /F2 10 Tf 72 712 Td (Note:) Tj /F1 10 Tf ( the plans are agreed with) Tj ET\n"
            "BT /F1 10 Tf 72 700 Td (local authorities.) Tj ET\n"
        )
    )
    blocks = [(b.kind, b.text) for b in read_pdf(path, path.read_bytes())]
    assert blocks == [
        (BlockKind.HEADING, "Winter planning letter"),
        (BlockKind.HEADING, "Actions for ICBs"),
        (BlockKind.PARAGRAPH, "ICBs must publish their capacity plans by October."),
        (BlockKind.PARAGRAPH, "Note: the plans are agreed with local authorities."),
    ]


def test_a_bold_instruction_is_no_heading_and_a_date_wrapped_onto_a_line_no_number(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bold.pdf"
    path.write_bytes(
        _handmade_pdf(
            "BT /F2 14 Tf 72 780 Td (Capacity plans) Tj ET\n"
            "BT /F2 10 Tf 72 750 Td (All ICBs must submit their draft plans to) Tj ET\n"
            "BT /F2 10 Tf 72 738 Td (NHS England by) Tj ET\n"
            "BT /F2 10 Tf 72 726 Td (31 March 2024.) Tj /F1 10 Tf ( Guidance follows.) Tj ET\n"
        )
    )
    blocks = [(b.kind, b.marker, b.text) for b in read_pdf(path, path.read_bytes())]
    assert blocks == [
        (BlockKind.HEADING, "", "Capacity plans"),
        (
            BlockKind.PARAGRAPH,
            "",
            "All ICBs must submit their draft plans to NHS England by 31 March 2024. "
            "Guidance follows.",
        ),
    ]


def test_lines_indented_under_a_colon_and_ended_short_are_items_without_bullets(
    tmp_path: Path,
) -> None:
    """Bullets drawn as graphics leave no character to read: each item is a line indented under
    the lead-in that ends before the column's edge where the next line's first word would have
    fitted (a hard break, not a wrap); an item wrapped onto a second line stays one item."""
    path = tmp_path / "items.pdf"
    path.write_bytes(
        _handmade_pdf(
            "BT /F1 10 Tf 72 750 Td (Each board must prepare a joint strategic needs assessment "
            "of the whole) Tj ET\n"
            "BT /F1 10 Tf 72 738 Td (population of its area, which should cover, including:) "
            "Tj ET\n"
            "BT /F1 10 Tf 100 726 Td (children and young people) Tj ET\n"
            "BT /F1 10 Tf 100 714 Td (people in contact with the criminal justice system and "
            "with probation or) Tj ET\n"
            "BT /F1 10 Tf 100 702 Td (youth offending services) Tj ET\n"
            "BT /F1 10 Tf 100 690 Td (unpaid carers) Tj ET\n"
        )
    )
    blocks = [(b.kind, b.text) for b in read_pdf(path, path.read_bytes())]
    assert blocks[1:] == [
        (BlockKind.LIST_ITEM, "children and young people"),
        (
            BlockKind.LIST_ITEM,
            "people in contact with the criminal justice system and with probation or youth "
            "offending services",
        ),
        (BlockKind.LIST_ITEM, "unpaid carers"),
    ]


def test_lines_set_with_loose_leading_stay_one_paragraph(tmp_path: Path) -> None:
    """A browser printing a line height of 1.7 leaves about half the size between the lines of
    a paragraph, more than close-set text does; a wrapped line that starts with a capital
    ("Regional Director") was a paragraph of its own. A paragraph break adds to that space,
    and the document's own gap where its sentences wrap says how much a line takes."""
    rows = [
        (760, "Each board must publish an annual report on how it has met"),
        (743, "the duties in this guidance, and must send the report to the"),
        (726, "Regional Director before the end of the month that follows"),
        (709, "the close of the financial year, with a summary of the"),
        (692, "returns it made in the year and the actions it took on them."),
        (665, "Boards should review the report at a public meeting and"),
        (648, "record the decisions they take on it in their minutes, and"),
        (631, "publish the minutes with the report on their website."),
    ]
    path = tmp_path / "loose.pdf"
    path.write_bytes(
        _handmade_pdf("".join(f"BT /F1 10 Tf 72 {y} Td ({text}) Tj ET\n" for y, text in rows))
    )
    blocks = [(b.kind, b.text) for b in read_pdf(path, path.read_bytes())]
    assert blocks == [
        (BlockKind.PARAGRAPH, " ".join(text for _, text in rows[:5])),
        (BlockKind.PARAGRAPH, " ".join(text for _, text in rows[5:])),
    ]


def _placed(text: str, x0: float, x1: float, top: float, size: float = 10.0) -> Line:
    return Line(text, x0, x1, top, top - size * 1.2, size, False, 1)


def test_a_line_across_two_columns_above_them_does_not_set_the_first_columns_edge() -> None:
    """A masthead line across both columns of a bulletin reached further right than the first
    column ever does, so every line of that column looked ended early (a hard break) and each
    became a paragraph of its own."""
    lines = [
        _placed("In this issue: vaccination, consultation data, health checks", 50, 530, 760),
        _placed("The spring vaccination campaign will", 50, 230, 730),
        _placed("Run from 13 April to 30 June. Practices", 50, 280, 716),
        _placed("taking part must record each dose within", 50, 285, 702),
        _placed("a day of giving it.", 50, 140, 688),
        _placed("Practices are reminded that everyone on", 306, 530, 730),
        _placed("the register should be offered a health", 306, 525, 716),
        _placed("check every year by their practice.", 306, 480, 702),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [b.text for b in blocks] == [
        lines[0].text,
        " ".join(line.text for line in lines[1:5]),
        " ".join(line.text for line in lines[5:]),
    ]


def test_a_numbered_line_the_next_line_runs_on_from_is_no_heading() -> None:
    """ "3.5 We will publish ... in spring" ended short of the column's edge, but "2027." follows
    it as a paragraph's next line would, in the same type: nothing sets the line apart as a
    heading, so its sentence is not lost as one."""
    lines = [
        _placed("Every system must agree one plan with its partners and publish it.", 72, 500, 720),
        _placed("3.5 We will publish a data set specification in spring", 72, 300, 690),
        _placed("2027.", 72, 100, 676),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert BlockKind.HEADING not in [b.kind for b in blocks]
    assert (blocks[1].marker, blocks[1].text) == (
        "3.5",
        "We will publish a data set specification in spring",
    )


def test_a_short_line_centred_alone_in_the_text_is_a_heading() -> None:
    """Directions and statutory instruments centre their headings (in italic, at the body's
    size): a short line as far in from the left edge of the text as from its right, alone on
    its line, that reads as a heading. A short line flush left, or a centred sentence, is not."""
    lines = [
        _placed("The Secretary of State gives these Directions under the Act.", 72, 523, 760),
        _placed("Interpretation", 262, 333, 730),
        _placed("In these Directions, a centre means a diagnostic centre.", 72, 500, 700),
        _placed("(This note is not part of the Directions)", 190, 405, 670),
        _placed("Funding", 72, 110, 640),
        _placed("The board will review this note.", 220, 375, 610),
    ]
    blocks = assemble([PageLines(1, 842.0, lines)])
    assert [b.kind for b in blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
    ]


def test_a_ruled_box_of_one_column_is_a_text_box_not_a_table() -> None:
    from docmine.extract.pdf_tables import _grid

    def h(y: float, x0: float = 50, x1: float = 550) -> tuple[float, float, float, float]:
        return (x0, y - 0.5, x1, y + 0.5)

    def v(x: float, y0: float = 400, y1: float = 600) -> tuple[float, float, float, float]:
        return (x - 0.5, y0, x + 0.5, y1)

    # a "Key actions" panel: a title row and a body row between two sides
    assert _grid([h(600), h(570), h(400), v(50), v(550)]) is None
    table = _grid([h(600), h(570), h(400), v(50), v(300), v(550)])
    assert table is not None and [len(row) for row in table.rows] == [2, 2]


def test_a_row_no_ruled_line_divides_is_one_cell_and_a_short_one_heads_the_rows_below() -> None:
    """A section row set across the table ("SC5 Patient Safety") was cut at the column lines
    into "SC5 Pati | ient Safety" and read as a clause (audit 20)."""
    from docmine.extract.pdf_layout import _starts_block
    from docmine.extract.pdf_lines import Line
    from docmine.extract.pdf_tables import _grid

    def h(y: float) -> tuple[float, float, float, float]:
        return (50, y - 0.5, 550, y + 0.5)

    def v(x: float, y0: float, y1: float) -> tuple[float, float, float, float]:
        return (x - 0.5, y0, x + 0.5, y1)

    # the inner column line runs through the lower row only
    table = _grid([h(600), h(570), h(500), v(50, 500, 600), v(300, 500, 570), v(550, 500, 600)])
    assert table is not None and [len(row) for row in table.rows] == [1, 2]
    row = Line("SC5 Patient Safety", 50, 550, 600, 570, 0.0, False, 1, ("SC5 Patient Safety",))
    row.spans = True
    found = _starts_block(row, 10.0)
    assert found is not None and found[0] == BlockKind.HEADING
    row.text = row.cells = "The Provider must publish its plan."  # type: ignore[assignment]
    found = _starts_block(row, 10.0)
    assert found is not None and found[0] == BlockKind.TABLE_ROW


def test_a_pdf_s_own_title_counts_where_its_text_prints_it() -> None:
    from docmine.extract import _confirmed_title
    from docmine.extract.pdf import metadata_title

    blocks = [
        RawBlock(BlockKind.HEADING, "NHS"),
        RawBlock(BlockKind.PARAGRAPH, "To: ICB chief executives cc: ICB chairs Wellington House"),
        RawBlock(BlockKind.HEADING, "Winter discharge: actions for systems"),
        RawBlock(BlockKind.FURNITURE, "intelligent watch review"),
    ]
    title = "Winter discharge - actions for systems"
    assert _confirmed_title(title, blocks) == title
    # a title the text does not print, or prints only as furniture, is the file's, not the text's
    assert _confirmed_title("Microsoft Word - draft3.docx", blocks) == ""
    assert _confirmed_title("intelligent watch review", blocks) == ""
    # a name, a section's heading or a letterhead line Word took for the title
    printed = [*blocks, RawBlock(BlockKind.PARAGRAPH, "Classification: Official three")]
    printed += [RawBlock(BlockKind.HEADING, "Executive summary")]
    for name in ("NHS", "Executive summary", "Classification: Official three"):
        assert _confirmed_title(name, printed) == ""
    pdf = CORPUS / "ccal-next-steps-summary.base.pdf"
    assert metadata_title(pdf.read_bytes()).startswith("A Summary of Integrating Care")
    assert metadata_title(b"%PDF-1.4 not a pdf") == ""


def test_the_nhs_logo_above_a_document_is_no_heading() -> None:
    document = assemble_document(
        "letter.pdf",
        "pdf",
        [
            RawBlock(BlockKind.HEADING, "NHS", page=1),
            RawBlock(BlockKind.HEADING, "England", page=1),
            RawBlock(BlockKind.PARAGRAPH, "To: Chief executives, integrated care boards", page=1),
            RawBlock(BlockKind.PARAGRAPH, "14 July 2025 Dear colleague,", page=1),
            RawBlock(BlockKind.HEADING, "Winter actions", page=1),
            RawBlock(BlockKind.PARAGRAPH, "Each ICB must submit its plan.", page=1),
        ],
        "hash",
    )
    clauses = segment(normalise(document))
    assert [c.text for c in clauses] == ["Each ICB must submit its plan."]
    assert clauses[0].provenance.section == ("Winter actions",)
    assert normalise(document).title == "Winter actions"


def test_a_title_under_the_nhs_logo_stays_and_a_timeline_s_dear_colleague_row_is_text() -> None:
    document = assemble_document(
        "plan.pdf",
        "pdf",
        [
            RawBlock(BlockKind.HEADING, "NHS", page=1),
            RawBlock(BlockKind.HEADING, "Winter plan 2025/26", page=1),
            RawBlock(BlockKind.PARAGRAPH, "14 July 2025 Dear colleague letter issued", page=1),
            RawBlock(BlockKind.PARAGRAPH, "Each ICB must submit its plan.", page=1),
        ],
        "hash",
    )
    clauses = segment(normalise(document))
    assert [c.text for c in clauses] == [
        "14 July 2025 Dear colleague letter issued",
        "Each ICB must submit its plan.",
    ]
    assert clauses[-1].provenance.section == ("Winter plan 2025/26",)


def test_a_bold_heading_at_the_top_of_a_page_does_not_continue_the_last_page_s_line() -> None:
    pages = [
        PageLines(1, 842.0, [_line("Director General, Public Health and Prevention", 300)]),
        PageLines(
            2,
            842.0,
            [
                Line("Annex A: grant conditions", 72.0, 300.0, 780, 767, 10.0, True, 2),
                _line("The authority must submit the statement by 31 October.", 750, page=2),
            ],
        ),
    ]
    blocks = assemble(pages)
    assert [(b.kind, b.text) for b in blocks][-2:] == [
        (BlockKind.HEADING, "Annex A: grant conditions"),
        (BlockKind.PARAGRAPH, "The authority must submit the statement by 31 October."),
    ]
    # a sentence that goes on in bold after a word that goes on is one sentence
    pages = [
        PageLines(1, 842.0, [_line("Any unspent grant must be repaid to the", 300)]),
        PageLines(
            2,
            842.0,
            [
                Line(
                    "Department of Health and Social Care by 30 June.",
                    72.0,
                    300.0,
                    780,
                    767,
                    10.0,
                    True,
                    2,
                )
            ],
        ),
    ]
    assert [b.text for b in assemble(pages)] == [
        "Any unspent grant must be repaid to the Department of Health and Social Care by 30 June."
    ]


def test_a_line_that_ends_on_a_footnote_mark_is_still_on_its_baseline(tmp_path: Path) -> None:
    """ "... under the Act¹ unless they have seen the": the mark raised above the line gave the
    first half of the printed line a higher bottom, so its two halves were two lines and the
    paragraph broke there (audit 14)."""
    content = (
        "BT /F1 10.5 Tf 72 700 Td (An AMHP must not apply under the Act) Tj ET "
        "BT /F1 6 Tf 253 705 Td (1) Tj ET "
        "BT /F1 10.5 Tf 260 700 Td (unless they have seen the) Tj ET "
        "BT /F1 10.5 Tf 72 686 Td (patient within the previous 14 days.) Tj ET"
    )
    path = tmp_path / "mark.pdf"
    path.write_bytes(_handmade_pdf(content))
    texts = [b.text for b in read_pdf(path, path.read_bytes())]
    assert texts == [
        "An AMHP must not apply under the Act unless they have seen the patient within the "
        "previous 14 days."
    ]


def test_a_footnote_s_raised_number_set_apart_from_its_text_opens_it(tmp_path: Path) -> None:
    """ "¹ Better Care Fund policy framework ...": the raised number stood as a line of its own,
    so the note did not start with its number and was read as a paragraph of the body (audit
    21)."""
    content = (
        "BT /F1 10 Tf 72 700 Td (The HWB must sign off the plan before it is submitted.) Tj ET "
        "BT /F1 10 Tf 72 686 Td (Draft plans must be submitted by 28 March 2025.) Tj ET "
        "BT /F1 6 Tf 72 305 Td (1) Tj ET "
        "BT /F1 8 Tf 76 302 Td (Better Care Fund policy framework 2025-26.) Tj ET"
    )
    path = tmp_path / "note.pdf"
    path.write_bytes(_handmade_pdf(content))
    blocks = read_pdf(path, path.read_bytes())
    assert (blocks[-1].kind, blocks[-1].marker, blocks[-1].text) == (
        BlockKind.FOOTNOTE,
        "1",
        "Better Care Fund policy framework 2025-26.",
    )
    assert [b.kind for b in blocks].count(BlockKind.FOOTNOTE) == 1


def test_a_letter_s_labels_in_a_column_of_their_own_open_their_values(tmp_path: Path) -> None:
    """ "To:" and "cc:" set in a label column, their addressees in the next: each label opens
    its value's line, so the letter's address block reads "To: ..." and "cc: ..." (they had
    been read as two lines "To:" and "cc: <every addressee>")."""
    content = (
        "BT /F2 9 Tf 57 700 Td (To:) Tj ET BT /F2 9 Tf 57 676 Td (cc:) Tj ET "
        "BT /F1 9 Tf 99 700 Td (ICB chief executives) Tj ET "
        "BT /F1 9 Tf 99 688 Td (NHS trust chief executives) Tj ET "
        "BT /F1 9 Tf 99 676 Td (NHS England regional directors) Tj ET"
    )
    path = tmp_path / "letter.pdf"
    path.write_bytes(_handmade_pdf(content))
    from docmine.extract.pdf_lines import page_lines

    lines = [ln.text for ln in page_lines(pdfium.PdfDocument(path)[0], 1)]
    assert lines == [
        "To: ICB chief executives",
        "NHS trust chief executives",
        "cc: NHS England regional directors",
    ]


def test_a_numbered_heading_right_after_a_table_heads_a_section() -> None:
    """A table's last row is no sentence that the next line goes on: "6. Oversight and
    escalation" under it is a heading (from audit 17; it had been a clause, and the section
    path stayed the table's)."""
    row = Line("ICB\tPublish the plan\tBefore 31 March", 107.0, 488.0, 703.2, 685.2, 0.0, False, 1)
    row.cells = ("ICB", "Publish the plan", "Before 31 March")
    pages = [
        PageLines(
            1,
            842.0,
            [
                _line("5. Who does what", 744.7, size=12),
                row,
                _line("6. Oversight and escalation", 672.7, size=11),
                _line("6.1 NHS England assesses every ICB annually.", 648.6, size=11),
            ],
        )
    ]
    blocks = assemble(pages)
    headings = [b.text for b in blocks if b.kind == BlockKind.HEADING]
    assert "6. Oversight and escalation" in headings
