import re
from pathlib import Path

from docmine.export import export
from docmine.export.register import Register, register_row
from docmine.export.report import html_report, markdown_report
from docmine.model import (
    Clause,
    Deadline,
    DocumentRef,
    Force,
    ForceDecision,
    Links,
    Obligation,
    Provenance,
    Span,
    StoredObligation,
    content_id,
)

PLAN = DocumentRef("d1", "/data/plan.pdf", "Joint <b>plan</b> & guide", 2, "ab" * 32)


def row(
    text: str,
    force: str,
    holder: str,
    deadline: Deadline | None = None,
    section: tuple[str, ...] = ("Part 2", "Planning"),
    source: str = PLAN.source,
) -> dict[str, object]:
    """A register row of one stored obligation of PLAN."""
    clause = Clause(PLAN.id, text, Provenance(4, section, 0, len(text)))
    decision = ForceDecision(Force(force), confidence=0.9, cue=Span("must"))
    links = Links(holder=holder, deadline=deadline)
    document = DocumentRef(
        PLAN.id, source, PLAN.title, PLAN.version, authority="statutory_guidance"
    )
    stored = StoredObligation(content_id(text), Obligation(clause, decision, links), document)
    return register_row(stored)


REGISTER = Register(
    rows=(
        row("Local authorities may share good practice.", "suggestion", "local authority"),
        row("The ICB should involve Healthwatch.", "expectation", "integrated care board"),
        row(
            "The ICB must publish a plan by 1 April 2024.",
            "mandatory",
            "integrated care board",
            Deadline("by 1 April 2024", "by", "2024-04-01", "2024-04-01"),
        ),
        row("Partners might meet termly.", "suggestion", ""),
    ),
    documents=(PLAN,),
    generated_at="2026-01-05T10:00:00+00:00",
)


def test_markdown_groups_by_holder_then_force_mandatory_first() -> None:
    text = markdown_report(REGISTER)
    headings = re.findall(r"^(##+) (.+)$", text, re.MULTILINE)
    assert headings == [
        ("##", "integrated care board"),
        ("###", "Mandatory requirements (1)"),
        ("###", "Expectations (1)"),
        ("##", "local authority"),
        ("###", "Suggestions (1)"),
        ("##", "No duty-holder named"),
        ("###", "Suggestions (1)"),
    ]


def test_markdown_header_names_documents_versions_and_date() -> None:
    text = markdown_report(REGISTER)
    assert "Made 2026-01-05T10:00:00+00:00" in text and "4 obligations" in text
    assert "| Joint \\<b>plan\\</b> & guide | 2 | - | `abababababab` |" in text


def test_each_obligation_carries_its_citation_and_deadline() -> None:
    text = markdown_report(REGISTER)
    item = text[text.index("- The ICB must publish") :].split("\n- ")[0]
    assert "Deadline: by 1 April 2024 (by 2024-04-01)" in item
    assert "Source: Joint \\<b>plan\\</b> & guide (v2), p. 4, Part 2 > Planning" in item


def test_markdown_escapes_document_text() -> None:
    register = Register(rows=(row("ICBs *must* see [this](http://x) `now`", "mandatory", ""),))
    text = markdown_report(register)
    assert "ICBs \\*must\\* see \\[this\\](http://x) \\`now\\`" in text


def test_html_is_self_contained_and_escapes_every_document_text(tmp_path: Path) -> None:
    hostile = row(
        'ICBs must <script>alert(1)</script> publish "now".',
        "mandatory",
        "<img src=x onerror=alert(2)>",
        section=("<iframe>",),
    )
    register = Register(rows=(hostile,), documents=(PLAN,))
    page = export(register, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<iframe" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Joint &lt;b&gt;plan&lt;/b&gt; &amp; guide" in page
    assert "<style>" in page and "<link" not in page  # inline CSS, nothing fetched
    assert 'href="file:///data/plan.pdf#page=4"' in page


def test_html_refuses_script_links() -> None:
    sneaky = row("ICBs must act.", "mandatory", "", source="javascript:alert(1)")
    page = html_report(Register(rows=(sneaky,)))
    assert "ICBs must act." in page and "href" not in page
