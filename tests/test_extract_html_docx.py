from pathlib import Path

import docx
import pytest

from docmine.config import Settings
from docmine.errors import CorruptDocument, EncryptedDocument
from docmine.extract import extract
from docmine.model import BlockKind
from docmine.pipeline import Pipeline

PAGE = """<!doctype html><html><head><title>ICP guidance</title></head><body>
<nav><a href="/">Home</a> Menu</nav>
<div class="cookie-banner">We use cookies. Accept</div>
<main><h1>Integrated care partnerships</h1>
<p>We expect the<abbr title="integrated care partnership">ICP</abbr>should meet in public.</p>
<figure><img src="a.png" alt="Man working from home"><figcaption>Man working from home
</figcaption></figure><h2>Membership</h2><p>Each ICP should include:</p>
<ul><li>local <b>Healthwatch</b></li>
<li>the VCSE sector</li></ul>
<table><tr><th>Date</th><th>Activity</th></tr><tr><td>July 2022</td><td>ICPs established</td></tr>
</table></main><footer>Contact us</footer></body></html>"""


def test_html_main_content_structure_and_no_glued_words(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = extract(path)
    texts = [b.text for b in doc.blocks]
    assert doc.title == "ICP guidance"
    assert "We expect the ICP should meet in public." in texts
    assert not any("cookies" in t or "Home" in t or "Contact" in t for t in texts)
    captions = [b for b in doc.blocks if "working from home" in b.text]
    assert captions and all(b.kind == BlockKind.FURNITURE for b in captions)
    items = [b for b in doc.blocks if b.kind == BlockKind.LIST_ITEM]
    assert [b.text for b in items] == ["local Healthwatch", "the VCSE sector"]
    assert items[0].provenance.section == ("Integrated care partnerships", "Membership")
    assert [b.text for b in doc.blocks if b.kind == BlockKind.TABLE_ROW][-1] == (
        "July 2022\tICPs established"
    )


def test_a_page_that_gives_its_own_address_has_it_as_its_origin(tmp_path: Path) -> None:
    pages = {
        "canonical.html": '<link rel="canonical" href="https://www.gov.uk/guidance/icps">',
        "og.html": '<meta property="og:url" content="https://www.gov.uk/guidance/icps">',
        "relative.html": '<link rel="canonical" href="/guidance/icps">',  # no site: no origin
        "plain.html": "",
    }
    origins = {}
    for name, head in pages.items():
        path = tmp_path / name
        path.write_text(PAGE.replace("</title>", "</title>" + head), encoding="utf-8")
        doc = extract(path)
        origins[name] = doc.origin
        assert all(b.kind == BlockKind.FURNITURE for b in doc.blocks if "gov.uk" in b.text)
    assert origins == {
        "canonical.html": "https://www.gov.uk/guidance/icps",
        "og.html": "https://www.gov.uk/guidance/icps",
        "relative.html": "",
        "plain.html": "",
    }


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Statutory guidance", level=1)
    document.add_paragraph("The ICB must publish a plan.")
    document.add_paragraph("involve Healthwatch", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "April 2023"
    table.rows[0].cells[1].text = "Plan published"
    path = tmp_path / "g.docx"
    document.save(str(path))
    blocks = extract(path).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "Statutory guidance"),
        (BlockKind.PARAGRAPH, "The ICB must publish a plan."),
        (BlockKind.LIST_ITEM, "involve Healthwatch"),
        (BlockKind.TABLE_ROW, "April 2023\tPlan published"),
    ]
    assert blocks[1].provenance.section == ("Statutory guidance",)


def test_a_password_protected_docx_says_it_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE container
    with pytest.raises(EncryptedDocument, match="encrypted: a password is needed"):
        extract(path)


def test_a_broken_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptDocument, match="corrupt"):
        extract(path)


def test_text_written_straight_inside_a_container_is_a_paragraph(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><main><div>Each ICB <strong>must</strong> publish a plan."
        "<p>It should involve <a href='/h'>Healthwatch</a> (<b>Annex A</b>).</p>"
        "Councils may comment.<ul><li>By June</li></ul>"
        "<!-- a comment --></div></main></body></html>",
        encoding="utf-8",
    )
    blocks = [(b.kind, b.text) for b in extract(page).blocks]
    assert blocks == [
        (BlockKind.PARAGRAPH, "Each ICB must publish a plan."),
        (BlockKind.PARAGRAPH, "It should involve Healthwatch (Annex A)."),
        (BlockKind.PARAGRAPH, "Councils may comment."),
        (BlockKind.LIST_ITEM, "By June"),
    ]


def test_a_callout_inside_the_article_is_text_and_a_sidebar_is_not(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><aside><p>Related content: winter planning</p></aside><main><article>"
        "<p>Systems should consider it.</p><aside class='important'><p>ICBs must publish "
        "their plan by 30 June 2028.</p></aside><aside class='related'><p>See also</p></aside>"
        "</article><aside class='sidebar'><p>Latest news: ICBs must submit plans</p></aside>"
        "</main></body></html>",
        encoding="utf-8",
    )
    assert [b.text for b in extract(page).blocks] == [
        "Systems should consider it.",
        "ICBs must publish their plan by 30 June 2028.",
    ]


def test_a_marking_that_heads_a_section_once_stays_a_heading(tmp_path: Path) -> None:
    # a policy on handling classified information: its sections are named by the markings
    sections = "".join(
        f"<h2>{m}</h2><p>Staff must store {m.lower()} papers in a locked cabinet.</p>"
        for m in ("OFFICIAL", "SECRET", "TOP SECRET")
    )
    path = tmp_path / "policy.html"
    path.write_text(f"<html><body><h1>Handling classified information</h1>{sections}</body></html>")
    document = extract(path)
    headings = [b.text for b in document.blocks if b.kind == BlockKind.HEADING]
    assert headings == ["Handling classified information", "OFFICIAL", "SECRET", "TOP SECRET"]
    assert document.blocks[-1].provenance.section[-1] == "TOP SECRET"


# legislation.gov.uk marks a provision's label in a span of its own
ACT = """<html><head><title>Test Act 2024</title></head><body><main><h1>Test Act 2024</h1>
<h2>1 Duties of the board</h2>
<p><span class="LegP1No">(1)</span> <span>An integrated care board must—</span></p>
<p><span class="LegP3No">(a)</span><span>prepare a plan before each financial year, and</span></p>
<p><span class="LegP3No">(b)</span><span>publish the plan.</span></p>
<p><span class="LegP1No">(2)</span> The board may consult local Healthwatch.</p>
<p>42 ICBs were established in July 2022.</p></main></body></html>"""


def test_lettered_provisions_of_a_page_are_the_items_of_their_lead_in(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "act.html"
    path.write_text(ACT, encoding="utf-8")
    blocks = [(b.kind, b.marker, b.text) for b in extract(path).blocks][2:]
    assert blocks == [
        (BlockKind.PARAGRAPH, "(1)", "An integrated care board must—"),
        (BlockKind.LIST_ITEM, "(a)", "prepare a plan before each financial year, and"),
        (BlockKind.LIST_ITEM, "(b)", "publish the plan."),
        (BlockKind.PARAGRAPH, "(2)", "The board may consult local Healthwatch."),
        # a number that is not in brackets may be the sentence's own
        (BlockKind.PARAGRAPH, "", "42 ICBs were established in July 2022."),
    ]
    # as the text reader reads the same Act: each item takes the lead-in and its force
    analysed = Pipeline(settings).run(extract(path))
    register = [(o.clause.ref, o.decision.force, o.clause.text) for o in analysed.obligations]
    assert register[0][:2] == ("1(1)(a)", "mandatory")
    assert register[0][2].startswith("An integrated care board must— prepare a plan")
    assert register[1][:2] == ("1(1)(b)", "mandatory")


def test_lettered_provisions_of_a_word_file_are_list_items(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("(1) A local authority must—")
    document.add_paragraph("(a) prepare a strategy, and")
    document.add_paragraph("(iv) keep it under review.")
    path = tmp_path / "regs.docx"
    document.save(str(path))
    assert [(b.kind, b.marker, b.text) for b in extract(path).blocks] == [
        (BlockKind.PARAGRAPH, "(1)", "A local authority must—"),
        (BlockKind.LIST_ITEM, "(a)", "prepare a strategy, and"),
        (BlockKind.LIST_ITEM, "(iv)", "keep it under review."),
    ]


# a heading typed in bold over its text, and a bold label that runs into a sentence
BOLD_HEADED = [
    (BlockKind.HEADING, "Winter letter"),
    (BlockKind.HEADING, "Actions for ICBs"),
    (BlockKind.PARAGRAPH, "ICBs must publish their capacity plans."),
    (BlockKind.PARAGRAPH, "Note: plans are agreed with councils"),
]


def test_a_heading_typed_in_bold_in_a_word_file_heads_its_section(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Winter letter", level=1)
    document.add_paragraph().add_run("Actions for ICBs").bold = True
    document.add_paragraph("ICBs must publish their capacity plans.")
    mixed = document.add_paragraph()
    mixed.add_run("Note:").bold = True
    mixed.add_run(" plans are agreed with councils")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    blocks = extract(path).blocks
    assert [(b.kind, b.text) for b in blocks] == BOLD_HEADED
    assert blocks[2].provenance.section == ("Winter letter", "Actions for ICBs")


def test_a_paragraph_set_in_bold_on_a_page_heads_its_section(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><main><h2>Winter letter</h2><p><strong>Actions for ICBs</strong></p>"
        "<p>ICBs must publish their capacity plans.</p>"
        "<p><strong>Note:</strong> plans are agreed with councils</p></main></body></html>",
        encoding="utf-8",
    )
    blocks = extract(path).blocks
    assert [(b.kind, b.text) for b in blocks] == BOLD_HEADED
    assert blocks[2].provenance.section == ("Winter letter", "Actions for ICBs")


def test_an_instruction_set_in_bold_stays_a_paragraph(tmp_path: Path) -> None:
    # a review found bold sentences without a full stop taken for headings, their clause lost
    sentence = "All ICBs must publish their capacity plans by 30 June 2024"
    page = tmp_path / "page.html"
    page.write_text(f"<main><p><strong>{sentence}</strong></p><p>Then.</p></main>", "utf-8")
    assert extract(page).blocks[0].kind == BlockKind.PARAGRAPH
    document = docx.Document()
    document.add_paragraph().add_run(sentence).bold = True
    linked = document.add_paragraph()
    linked.add_run("Send your plan to").bold = True
    path = tmp_path / "bold.docx"
    document.save(str(path))
    # a plain hyperlink after the bold words: the paragraph is not all bold
    hyperlink = docx.oxml.parse_xml(
        '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:r><w:t xml:space="preserve"> the regional team mailbox</w:t></w:r></w:hyperlink>'
    )
    linked._p.append(hyperlink)
    document.save(str(path))
    assert [b.kind for b in extract(path).blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_numbered_paragraphs_of_a_page_keep_their_numbers_as_labels(tmp_path: Path) -> None:
    page = tmp_path / "guidance.html"
    page.write_text(
        "<main><h2>2. Identifying carers</h2><p>2.4 Each ICB must record carers.</p>"
        "<p>3. Trusts should involve carers.</p><p>42 ICBs were set up in 2022.</p></main>",
        encoding="utf-8",
    )
    blocks = [(b.marker, b.text) for b in extract(page).blocks[1:]]
    assert blocks == [
        ("2.4", "Each ICB must record carers."),
        ("3.", "Trusts should involve carers."),
        ("", "42 ICBs were set up in 2022."),
    ]


def test_a_pages_title_drops_its_sites_name_for_its_heading(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    page = (
        "<html><head><title>{}</title></head><body><main><h1>{}</h1>"
        "<p>Councils must publish a statement.</p></main></body></html>"
    )
    cases = [
        ("Market sustainability | Local Government Association", "Market sustainability"),
        ("Infection control - Care Quality Commission", "Infection control: what we expect"),
        ("Annual report", "Chair's foreword"),  # no site name: the <title> stays
        # the heading in another case
        (
            "Quality Framework: Influence and impact | Healthwatch England",
            "Quality Framework: influence and impact",
        ),
        # a sub-page's <title> names its tab first, then the page the <h1> names
        (
            "Recommendations | Hospital discharge for adults | Guidance | NICE",
            "Hospital discharge for adults",
        ),
    ]
    titles = []
    for title, heading in cases:
        path.write_text(page.format(title, heading), encoding="utf-8")
        titles.append(extract(path).title)
    assert titles == [
        "Market sustainability",
        "Infection control: what we expect",
        "Annual report",
        "Quality Framework: influence and impact",
        "Hospital discharge for adults",
    ]
    # a heading that says something else (a banner's, the site's name) leaves the <title>'s part
    for title, heading in (
        ("Safeguarding adults procedure | Northshire SAB", "Cookies on our website"),
        ("Medicines management policy - Rosewood House", "Rosewood House Care Home"),
    ):
        path.write_text(page.format(title, heading), encoding="utf-8")
        assert extract(path).title == title.split(" | ")[0].split(" - ")[0]


def test_an_accordion_s_titles_and_a_guidance_section_head_their_text(tmp_path: Path) -> None:
    from docmine.segment import segment

    page = tmp_path / "reg17.html"
    page.write_text(
        "<html><body><main><h1>Regulation 17: Good governance</h1>"
        "<h2>The regulation in full</h2><p>17.—(1) Systems must be established.</p>"
        "<h2>Guidance</h2><p>Providers must have effective governance.</p>"
        '<div class="govuk-accordion"><h2><button type="button"><span>Deaths of people using '
        "your service</span></button></h2><p>You must tell CQC about a death without delay.</p>"
        "<button>Show all sections</button></div></main></body></html>",
        encoding="utf-8",
    )
    sections = [c.provenance.section[-1] for c in segment(extract(page))]
    assert sections == ["The regulation in full", "Guidance", "Deaths of people using your service"]
    # GOV.UK's format label above the title stays furniture
    label = tmp_path / "label.md"
    label.write_text("Guidance\n\n# Winter plans\n\nICBs should plan.\n", encoding="utf-8")
    assert [c.provenance.section for c in segment(extract(label))] == [("Winter plans",)]


def test_a_page_s_footnote_marks_leave_the_text_and_its_notes_are_footnotes(
    tmp_path: Path,
) -> None:
    from docmine.segment import segment

    page = tmp_path / "act.html"
    page.write_text(
        '<html><body><div class="LegContent"><h1>Care (Discharge) Act 2025</h1>'
        '<p class="LegChapterNo">2025 CHAPTER 14</p><h3>1 Duty to prepare discharge plans</h3>'
        '<p>(1) Each integrated care board must prepare a plan for its area<sup><a href="#F1">'
        "F1</a></sup>.</p><p>(2) The board must publish the plan.</p>"
        '<div class="LegAnnotations"><p class="LegAnnotationsGroupHeading">Textual Amendments'
        '</p><p class="LegAnnotation"><a id="F1">F1</a> Words in s. 1(1) substituted (1.4.2026) '
        "by S.I. 2026/210, regs. 1(2), 3</p></div></div></body></html>",
        encoding="utf-8",
    )
    document = extract(page)
    assert [c.text for c in segment(document)] == [
        "Each integrated care board must prepare a plan for its area.",
        "The board must publish the plan.",
    ]
    assert [b.kind for b in document.blocks][-1] == BlockKind.FOOTNOTE


def test_a_page_s_publisher_and_dates_and_a_signature_on_one_line_are_furniture(
    tmp_path: Path,
) -> None:
    from docmine.segment import segment

    page = tmp_path / "regs.html"
    page.write_text(
        "<html><body><main><h1>Example guidance</h1><p>From: Department of Health and Social "
        "Care<br>Published 2 June 2025</p><p>Last updated: 14 May 2025 · Guidance</p>"
        "<p>(1) A local authority may not delegate the statement.</p>"
        "<p>Signed by authority of the Secretary of State for Health and Social Care</p>"
        "<p>A. N. Minister<br>Parliamentary Under Secretary of State<br>Department of Health and "
        "Social Care<br>4th September 2025</p></main></body></html>",
        encoding="utf-8",
    )
    assert [c.text for c in segment(extract(page))] == [
        "A local authority may not delegate the statement.",
        "Signed by authority of the Secretary of State for Health and Social Care",
    ]
