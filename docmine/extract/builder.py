"""Turns the raw blocks a format reader produces into a `Document` with provenance.

Every reader (text, html, docx, pdf) emits `RawBlock`s in reading order; this module alone
tracks the heading path and computes the character spans (`lay_out`), so provenance is computed
the same way for every format, before normalisation (`docmine.normalise`) and after it."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from docmine.extract.furniture import folded, is_furniture, origin_url, runs_as_header
from docmine.model import Block, BlockKind, Document, Provenance, lay_out
from docmine.normalise import LETTERHEAD_BLOCKS, normalise_texts

_TERMINAL = re.compile(r"[.!?:;)\]”’\"']$")
# a line that ends naming a provision whose number the next line begins ("subject to paragraph" /
# "(b) above"): the number is the reference's, not an item's
_CROSS_REFERENCE_END = re.compile(
    r"\b(?:sub-?)?(?:paragraph|section|regulation|article|schedule|part|chapter|point|item|"
    r"annex|appendix|table|figure|box|chart|standard|condition|recommendation)s?$",
    re.IGNORECASE,
)


@dataclass
class RawBlock:
    """What a reader saw, before normalisation and provenance."""

    kind: BlockKind
    text: str
    level: int = 0
    marker: str = ""
    page: int | None = None
    confidence: float | None = None  # OCR confidence (0-1) of the lines it was read from
    page_breaks: tuple[tuple[int, int], ...] = ()  # (offset into text, page) where a page begins
    hyphenated: bool = False  # its last line ended in a hyphen the reader removed ("prema-")
    closed: bool = False  # its last line stopped short of the column's edge: not cut off


# a saved page says where it came from ("Source: https://...") above its text, not further down
ORIGIN_BLOCKS = 10


def _origin(blocks: list[RawBlock]) -> tuple[str, int | None]:
    """Where a saved page says it came from, read as its reader gave the line (before any
    repair touches the address), and the block that says it: a "Source: ..." line among the
    first blocks, or an address standing alone right under the title."""
    for index, block in enumerate(blocks[:ORIGIN_BLOCKS]):
        if block.kind in (BlockKind.FOOTNOTE, BlockKind.TABLE_ROW):
            continue
        under_title = all(b.kind == BlockKind.HEADING for b in blocks[:index])
        if url := origin_url(block.text, bare=under_title):
            return url, index
    return "", None


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def nest_bold_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """A heading a reader found by its bold type (level 0) goes one level under the last
    heading the file marks up (<h2>, a Word heading style), or to level 1 if none came yet."""
    marked = 0
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            if block.level == 0:
                block.level = marked + 1
            else:
                marked = block.level
    return blocks


def join_broken_paragraphs(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join a paragraph that a page break cut mid-sentence ("...has met" / "with ministers")."""
    joined: list[RawBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            # a numbered block starts afresh ("the need—" / "(2) in this section"; "...; and" /
            # "(b) to ..."), unless the line before ends naming a provision: then the number is
            # the reference's, wrapped ("as set out in paragraph" / "3.2 of this guidance")
            and (
                (block.kind == BlockKind.PARAGRAPH and not block.marker)
                or (
                    any(c.isalnum() for c in block.marker)  # a number, not a bullet
                    and _CROSS_REFERENCE_END.search(previous.text.rstrip())
                )
            )
            and previous.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)
            and previous.text
            and not previous.closed
            and not _TERMINAL.search(previous.text.rstrip())
            and block.text[:1].islower()
        ):
            # a "heading" continued by a lower-case line was the first half of a sentence; a
            # word the reader de-hyphenated at the cut closes up ("prema" / "ture deaths")
            glue = "\ufffe" if previous.hyphenated and not block.marker else " "
            head = f"{previous.text.rstrip()}{glue}" + (f"{block.marker} " if block.marker else "")
            text = head + block.text.lstrip()
            shift = len(head) - (len(block.text) - len(block.text.lstrip()))
            breaks = [*previous.page_breaks]
            ends_on = breaks[-1][1] if breaks else previous.page
            if block.page is not None and block.page != ends_on:
                breaks.append((len(head), block.page))
            breaks += [(at + shift, page) for at, page in block.page_breaks]
            joined[-1] = replace(
                previous,
                kind=BlockKind.PARAGRAPH,
                text=text,
                level=0,
                page_breaks=tuple(breaks),
                hyphenated=block.hyphenated,
            )
        else:
            joined.append(block)
    return joined


_COUNT = re.compile(r"^(?P<n>\d{1,2})[.)]$")
# a paragraph number one level below another's: "4.1.1" under "4.1", "3.2" under "3"
_SUBNUMBER = re.compile(r"^(?P<under>\d{1,3}(?:\.\d{1,3})*)\.(?P<n>\d{1,2})\.?$")


_NUMBER_ONLY = re.compile(r"^\d{1,3}[A-Z]{0,2}\.$")
_SUBSECTION_OPENS = re.compile(r"^([—–])\s?(\(\d{1,3}[A-Z]{0,2}\))\s+")


# a numbered paragraph that opens with its own title, set in its first sentence ("5.3 Quorum.
# The Committee is quorate ...", "14.2 Notices. Any notice ..."), as standing orders, terms of
# reference and contracts print them: a short phrase that names and does not say, then a sentence
_RUN_IN = re.compile(
    r"^(?P<title>[A-Z][\w’'&-]*(?:,? [\w’'&-]+){0,5})\.[ \t]+(?P<rest>[A-Z(“\"‘'].*)$", re.DOTALL
)
# words that make the phrase a sentence of its own ("No.", "This is new.", "Action required.")
_RUN_IN_NOT = frozenset(
    "a an am is are was were be been being has have had will would shall should must may might can "
    "could do does did not no yes it this that these those there here we they you he she i our "
    "your their its his her see required please note".split()
)
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


_NUMBERED_QUESTION = re.compile(
    r"^(?P<marker>\d{1,3}(?:\.\d{1,3})*\.?)\s+(?P<text>[A-Z].*\?(?:\s*\([^()]{1,40}\))?)$"
)


def _last_number(marker: str) -> int:
    return int(marker.rstrip(".").rsplit(".", 1)[-1])


def numbered_questions(blocks: list[RawBlock]) -> list[RawBlock]:
    """A numbered question among numbered paragraphs ("2.11 ICBs must ..." / "2.12 What
    difference has the JSNA made?" / "2.13 ...") is one of them, a paragraph that asks, not a
    heading over the paragraphs after it."""
    out = list(blocks)
    for index, block in enumerate(blocks):
        question = _NUMBERED_QUESTION.match(block.text) if block.kind == BlockKind.HEADING else None
        if question is None:
            continue
        depth = _depth(question.group("marker"))
        number = _last_number(question.group("marker"))
        before = blocks[index - 1] if index else None
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if any(
            b is not None
            and b.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            and _PARAGRAPH_NUMBER.match(b.marker)
            and _depth(b.marker) == depth
            # the run of numbers goes on through it ("2.11", "2.12 ...?", "2.13"), not a
            # chapter's number among its paragraphs' ("14.", "2 Are ICBs ready ...?", "15.")
            and _last_number(b.marker) == number + step
            and not b.text.rstrip().endswith("?")  # numbered statements, not a contents list
            for b, step in ((before, -1), (after, 1))
        ):
            out[index] = replace(
                block,
                kind=BlockKind.PARAGRAPH,
                text=question.group("text"),
                marker=question.group("marker"),
                level=depth + 1,
            )
    return out


def _run_in(block: RawBlock) -> re.Match[str] | None:
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return None
    run_in = _RUN_IN.match(block.text) if _PARAGRAPH_NUMBER.match(block.marker) else None
    title = run_in.group("title").replace(",", "").split() if run_in else []
    words = [w.lower() for w in title]
    if any(w in _RUN_IN_NOT for w in words) or words[-1:] in (["para"], ["etc"]):
        return None
    # a title names, in a word or two or in capitals ("Quorum.", "Extraordinary meetings.",
    # "Conflicts Of Interest."): not a short sentence ("Members need to declare interests.")
    # nor an honorific's stop ("Dr. Patel", "St. Helens")
    named = len(title) <= 2 or all(w[:1].isupper() or w.lower() in _TITLE_JOINERS for w in title)
    if not named or (len(title) == 1 and words[0] in _HONORIFICS):
        return None
    return run_in


_TITLE_JOINERS = frozenset({"of", "and", "for", "the", "to", "in", "on", "with", "&", "a"})
_HONORIFICS = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "st", "prof", "cllr", "rev", "sir", "dame", "lord", "lady"}
)


def _depth(marker: str) -> int:
    return marker.rstrip(".").count(".")


def split_run_in_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """A numbered paragraph's run-in title becomes a heading of its own, one level under the
    last heading before it, so the clause is the sentence and its section path names the title
    ("Terms of reference > 5.3 Quorum"). Only where the next paragraph numbered alike (before
    the next heading) has a title too: a heading would hold an untitled "5.4" as well."""
    found = [_run_in(b) for b in blocks]
    for i in reversed(range(len(found))):  # from the end: a sibling's own title is settled
        if found[i] is None:
            continue
        for after, block in zip(found[i + 1 :], blocks[i + 1 :], strict=True):
            if block.kind == BlockKind.HEADING:
                break
            if _PARAGRAPH_NUMBER.match(block.marker) and (
                _depth(block.marker) <= _depth(blocks[i].marker)
            ):
                if after is None:
                    found[i] = None
                break
    out: list[RawBlock] = []
    level = 0  # the last heading's level that was no run-in title
    for block, run_in in zip(blocks, found, strict=True):
        if block.kind == BlockKind.HEADING:
            level = block.level
        if run_in is None:
            out.append(block)
            continue
        cut = run_in.start("rest")
        title = f"{block.marker} {run_in.group('title')}"
        out.append(
            RawBlock(
                BlockKind.HEADING, title, level + 1, page=block.page, confidence=block.confidence
            )
        )
        breaks = tuple((at - cut, page) for at, page in block.page_breaks if at >= cut)
        out.append(replace(block, text=block.text[cut:], page_breaks=breaks))
    return out


def _regulation_mark(block: RawBlock) -> RawBlock:
    """ "3." as the number and "—(1) A relevant authority must ..." as the text (a regulation's
    number set apart on a web page): the dash and the paragraph number belong to the marker
    ("3.—(1)"), as a text file reads them, not to the clause."""
    opens = _SUBSECTION_OPENS.match(block.text) if _NUMBER_ONLY.match(block.marker) else None
    if opens is None:
        return block
    marker = f"{block.marker}{opens.group(1)}{opens.group(2)}"
    return replace(block, marker=marker, text=block.text[opens.end() :])


def count_lists(blocks: list[RawBlock]) -> list[RawBlock]:
    """Paragraphs numbered "1.", "2.", "3." ... in turn, the first right after a block that
    ends in a colon, are the items of the list that block opens ("We ask every ICB to:" /
    "1. Review ..."), as a reader sees them; numbered paragraphs elsewhere stay paragraphs
    ("3. The ICB must ..." in a numbered guidance). Footnotes and furniture between them do
    not break the count."""
    out = list(blocks)
    expected, prefix, previous = 0, "", None
    for index, block in enumerate(out):
        if block.kind in (BlockKind.FOOTNOTE, BlockKind.FURNITURE):
            continue
        marker = block.marker.strip()
        number = _COUNT.match(marker) or _SUBNUMBER.match(marker)
        if block.kind == BlockKind.PARAGRAPH and number is not None:
            value, under = int(number.group("n")), number.groupdict().get("under") or ""
            opens = (
                value == 1
                and previous is not None
                and previous.text.rstrip().endswith(":")
                # "4.1.1" is an item of the paragraph "4.1" that opens it, "1." of any opener
                and (not under or previous.marker.strip().rstrip(".") == under)
            )
            if opens or (expected and value == expected and under == prefix):
                out[index] = replace(block, kind=BlockKind.LIST_ITEM)
                expected, prefix = value + 1, under
            else:
                expected = 0
        elif not (block.kind == BlockKind.LIST_ITEM and expected):
            expected = 0
        previous = block
    return out


# a publication page's label standing alone, whose value is the next line ("From:" | "UK
# Health Security Agency")
_SECTION_LABEL = re.compile(r"^guidance$", re.IGNORECASE)
_LONE_LABEL = re.compile(r"^(?:from|published by|part of):?$", re.IGNORECASE)


_MARKING = re.compile(
    r"^(?:OFFICIAL|OFFICIAL[- ]SENSITIVE|UNCLASSIFIED|NOT PROTECTIVELY MARKED)$", re.IGNORECASE
)


def _mark_furniture(blocks: list[RawBlock]) -> list[RawBlock]:
    headed = [any(b.kind == BlockKind.HEADING for b in blocks[:i]) for i in range(len(blocks))]
    out = [
        replace(b, kind=BlockKind.FURNITURE)
        if b.kind != BlockKind.FOOTNOTE
        and (
            is_furniture(b.text)
            # a marking printed once as a line of text ("OFFICIAL" on a cover), not a heading
            # that names a section of a policy on markings
            or (b.kind == BlockKind.PARAGRAPH and _MARKING.match(b.text.strip()) is not None)
        )
        # "Guidance" under a heading is a section ("The regulation in full" / "Guidance"), not
        # GOV.UK's format label above a page's title
        and not (after and b.kind == BlockKind.HEADING and _SECTION_LABEL.match(b.text.strip()))
        else b
        for b, after in zip(blocks, headed, strict=True)
    ]
    for index in range(1, len(out)):
        value = out[index].text.strip()
        if (
            _LONE_LABEL.match(out[index - 1].text.strip())
            and out[index].kind == BlockKind.PARAGRAPH
            and len(value.split()) <= 8
            and not _TERMINAL.search(value)
        ):
            out[index] = replace(out[index], kind=BlockKind.FURNITURE)
    return out


# a letter's greeting, within its first blocks
# ("Dear colleagues,"), after the letter's date where a PDF set them on one line ("14 July 2025
# Dear colleague,")
LETTER_DATE = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s+"
_GREETING = re.compile(
    rf"^(?:{LETTER_DATE}Dear\b[^.;:,]{{1,40}},|Dear\b[^.;:]{{1,60}},?|To whom it may concern,?)$",
    re.IGNORECASE,
)  # after a date only as a greeting ends, with its comma ("14 July 2025 Dear colleague,")
# a letterhead line: a label and its value ("To: ...", "Publication reference: ..."), or a few
# words (an address line, "CEOs of integrated care boards"); a longer line may be a standfirst
_LETTERHEAD_LINE = re.compile(r"^(?:[\w ’'-]{1,30}:\s.{0,300}|\S+(?:\s+\S+){0,5})$")


LOGO_NAME_WORDS = 6  # "England", "Leeds Teaching Hospitals NHS Trust" under the NHS lozenge
# an NHS organisation's name as its logo sets it under the lozenge, not a title ("Winter plan")
_ORGANISATION = re.compile(
    r"^(?:England|Improvement|England and NHS Improvement)$|\b(?:Trust|Board|ICB|Partnership|"
    r"Service|Services|Unit|Alliance|Network|Group|Practice|Surgery|Authority|Council|"
    r"Commissioning|Foundation)$"
)


def _mark_logo(blocks: list[RawBlock]) -> list[RawBlock]:
    """The NHS identity at the top of a document: "NHS" set alone (the lozenge's text) and the
    organisation's name set under it ("England", "Northfield Integrated Care Board") are a logo,
    not headings every section path would start with."""
    marked = list(blocks)
    for index, block in enumerate(blocks[:3]):
        if block.kind == BlockKind.HEADING and block.text.strip() == "NHS":
            marked[index] = replace(block, kind=BlockKind.FURNITURE)
            name = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                name is not None
                and name.kind == BlockKind.HEADING
                and len(name.text.split()) <= LOGO_NAME_WORDS
                and _ORGANISATION.search(name.text.strip())
            ):
                marked[index + 1] = replace(name, kind=BlockKind.FURNITURE)
            break
    first = next((i for i, b in enumerate(marked[:3]) if b.kind != BlockKind.FURNITURE), None)
    if first is not None and first + 1 < len(marked) and _publisher_banner(marked, first):
        marked[first] = replace(marked[first], kind=BlockKind.FURNITURE)
    return marked


# a publisher's name alone over a page's title: "NHS England", "Care Quality Commission",
# "Northshire County Council", "Eastmere NHS Foundation Trust"
_PUBLISHER = re.compile(
    r"^(?:NHS England(?: and NHS Improvement)?|Care Quality Commission|Department of Health "
    r"(?:and|&) Social Care|UK Health Security Agency|Local Government Association|Healthwatch "
    r"England|GOV\.UK|(?:(?:[A-Z][\w'’&-]*|and|of|for)\s+){1,8}(?:Trust|Board|ICB|Council|"
    r"Commission|Agency|Committee))$"
)


def _publisher_banner(blocks: list[RawBlock], index: int) -> bool:
    """The first block names only the publisher, as a banner or logo, and the page's title
    follows as a heading of its own."""
    block, title = blocks[index], blocks[index + 1]
    return (
        block.kind == BlockKind.HEADING
        and title.kind == BlockKind.HEADING
        and _PUBLISHER.match(block.text.strip()) is not None
        and len(title.text.split()) >= 3
    )


def _mark_letterhead(blocks: list[RawBlock]) -> list[RawBlock]:
    """The lines above a letter's greeting that are no sentence and either a label with its
    value or a few words (its sender's address, its "To: ... cc: ..." block, its references)
    are its letterhead: furniture, not clauses. Headings (a subject line) stay; the text keeps
    them all (linking reads whom a letter addresses from its "To:" block)."""
    greeting = next(
        (
            index
            for index, block in enumerate(blocks[:LETTERHEAD_BLOCKS])
            if _GREETING.match(block.text.strip())
        ),
        None,
    )
    if greeting is None:
        return blocks
    return [
        replace(block, kind=BlockKind.FURNITURE)
        if index < greeting
        and block.kind == BlockKind.PARAGRAPH
        and _LETTERHEAD_LINE.match(block.text.strip())
        and not _TERMINAL.search(block.text.rstrip())
        else block
        for index, block in enumerate(blocks)
    ]


_SIGN_OFF = re.compile(
    r"^(?:yours (?:sincerely|faithfully|truly)|(?:with )?(?:kind|best|warm(?:est)?) (?:regards|"
    r"wishes)|regards|best|thanks|many thanks|thank you),?$",
    re.IGNORECASE,
)
# an instrument's signature, which stays a clause as the gold keeps it ("Signed by authority of
# the Secretary of State for Health and Social Care"); the name, grade and body under it do not
_SIGNED_BY = re.compile(r"^signed (?:by )?(?:the )?authority of\b", re.IGNORECASE)
# a signature line: a label and its value, or a name, or a role with its body ("Associate Medical
# Director for Primary Care NHS North Marsh Integrated Care Board"), no sentence
_SIGNATURE_LINE = re.compile(
    r"^(?:[\w ’'-]{1,30}:\s.{0,300}|\S+(?:\s+\S+){0,13}"
    # or the whole signature on one line, as a page's <br>s join it, ending on its date (no
    # instruction: "ICBs must also publish ... before 31st July 2025" is not one)
    r"|(?!.*\b(?:must|should|shall|will|may|need to|required|expected)\b)"
    r"[^;:!?]{0,200}\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})$"
)
SIGNATURE_BLOCKS = 6  # a name, a role or two, a body, an address line
# a heading that opens a part of the document after the letter ("Annex A", "Appendix 1: ...")
# or the instrument ("EXPLANATORY NOTE", "Explanatory Memorandum")
_PART_HEADING = re.compile(
    r"^\s*(?:annex|appendix|schedule|part|section|chapter|explanatory|\d)", re.I
)


def _mark_after(
    blocks: list[RawBlock],
    opens: Callable[[RawBlock], bool],
    belongs: Callable[[RawBlock], bool],
    limit: int | None = None,
) -> list[RawBlock]:
    """The blocks after each one that `opens` a run (a sign-off, a "Contents" heading) are
    furniture while they `belong` to it, at most `limit` of them; furniture between them is
    passed over, and the first that does not belong ends the run."""
    marked = list(blocks)
    for index, block in enumerate(blocks):
        if not opens(block):
            continue
        stop = len(blocks) if limit is None else min(index + 1 + limit, len(blocks))
        for after in range(index + 1, stop):
            line = blocks[after]
            if line.kind == BlockKind.FURNITURE:
                continue
            if not belongs(line):
                break
            marked[after] = replace(line, kind=BlockKind.FURNITURE)
    return marked


def _mark_signature(blocks: list[RawBlock]) -> list[RawBlock]:
    """The lines under a letter's sign-off ("Yours sincerely,", or an instrument's "Signed by
    authority of ...") that are no sentence and a few
    words or a label with its value (the signatory's name, role and body) are its signature:
    furniture, as its letterhead is; the first sentence or heading ends it."""

    def signs(line: RawBlock) -> bool:
        return (
            line.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)  # a name set in bold
            and not (
                (line.kind == BlockKind.HEADING or line.text.isupper())
                and _PART_HEADING.match(line.text)
            )
            and bool(_SIGNATURE_LINE.match(line.text.strip()))
            and not _TERMINAL.search(line.text.rstrip())
        )

    def signs_off(block: RawBlock) -> bool:
        return bool(_SIGN_OFF.match(block.text.strip()) or _SIGNED_BY.match(block.text.strip()))

    return _mark_after(blocks, signs_off, signs, SIGNATURE_BLOCKS)


_CONTENTS = re.compile(
    r"^(?:(?:table of )?contents|in this (?:document|guide|guidance|section|page|report)|on this "
    r"page|jump to)$",
    re.IGNORECASE,
)
CONTENTS_LINE_WORDS = 10


def _mark_contents(blocks: list[RawBlock]) -> list[RawBlock]:
    """A contents list: the short lines under a "Contents" ("On this page", "In this guide")
    heading that are no sentence (the section titles it lists, linked or numbered), up to the
    next heading or the first sentence, are furniture, as a PDF's contents page is."""

    def opens(block: RawBlock) -> bool:
        return block.kind == BlockKind.HEADING and bool(_CONTENTS.match(block.text.strip(" :")))

    def entry(text: str) -> str:  # "1. Who does the regime apply to?" as its heading reads
        return folded(re.sub(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|[A-Z]\.)\s+", "", text))

    headings = {entry(b.text) for b in blocks if b.kind == BlockKind.HEADING}

    def listed(line: RawBlock) -> bool:
        return (
            line.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH)
            and len(line.text.split()) <= CONTENTS_LINE_WORDS
            # a section title: no sentence, or a question the document heads a section with
            and (not _TERMINAL.search(line.text.rstrip()) or entry(line.text) in headings)
        )

    return _mark_after(blocks, opens, listed)


def _mark_running_headers(blocks: list[RawBlock]) -> list[RawBlock]:
    """Running headers and footers left in the text of a format without pages: the document's
    title repeated, a marking or page number beside it ("2 | Title", "Title OFFICIAL"), or a
    marking or page number standing alone that recurs (digits aside: "OFFICIAL", "Page 2" ...
    "Page 3"); one "SECRET" heading of a policy on classified information stays. The title is
    the first heading that is not itself such a line."""
    standing = (BlockKind.HEADING, BlockKind.PARAGRAPH)

    def shown(b: RawBlock) -> str:  # "2 | Title" read as paragraph 2 of the text
        return f"{b.marker} {b.text}" if b.marker else b.text

    def key(b: RawBlock) -> str:
        return re.sub(r"\d+", "#", " ".join(shown(b).casefold().split()))

    alone = [b.kind in standing and runs_as_header(shown(b), "") for b in blocks]
    recurring = Counter(key(b) for b, is_mark in zip(blocks, alone, strict=True) if is_mark)
    blocks = [
        replace(b, kind=BlockKind.FURNITURE) if is_mark and recurring[key(b)] >= 2 else b
        for b, is_mark in zip(blocks, alone, strict=True)
    ]
    first = next(
        (
            b
            for b, is_mark in zip(blocks, alone, strict=True)
            if b.kind == BlockKind.HEADING and not is_mark
        ),
        None,
    )
    if first is None:
        return blocks
    marked = [
        replace(b, kind=BlockKind.FURNITURE)
        if b is not first
        and (
            (b.kind in standing and folded(b.text) == folded(first.text))
            or (b.kind in standing and runs_as_header(shown(b), first.text) and not is_mark)
        )
        else b
        for b, is_mark in zip(blocks, alone, strict=True)
    ]
    return _shortened_titles(marked, alone)


def _title_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.casefold())}


def _shortened_titles(blocks: list[RawBlock], page_marks: list[bool]) -> list[RawBlock]:
    """A short line at a page's top (right after the last page's number or marking, which are
    furniture) whose words are the title's, shortened ("SAB annual reports - guidance" under
    "Safeguarding Adults Boards: annual reports / Guidance for SAB chairs"): a running header
    printed once."""
    opening = [b for b in blocks[:4] if b.kind != BlockKind.FURNITURE][:2]
    title = _title_words(" ".join(b.text for b in opening))
    out = list(blocks)
    for index in range(1, len(blocks)):
        block, before = blocks[index], blocks[index - 1]
        words = _title_words(block.text)
        if (
            before.kind == BlockKind.FURNITURE
            and (page_marks[index - 1] or runs_as_header(before.text, ""))
            and block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)
            and not block.marker
            and block not in opening
            and len(block.text.split()) <= SHORTENED_TITLE_WORDS
            and not _TERMINAL.search(block.text.strip())
            and len(words) >= 2
            # all its words the title's, shortened with a dash or bar ("SAB annual reports -
            # guidance"), not a section heading that shares most of them
            and words <= title
            and re.search(r"\s[-–—|]\s|:\s", block.text) is not None
        ):
            out[index] = replace(block, kind=BlockKind.FURNITURE)
    return out


SHORTENED_TITLE_WORDS = 8


def assemble_document(
    source: str, fmt: str, raw_blocks: list[RawBlock], content_hash: str, title: str = ""
) -> Document:
    """The Document a reader saw, before normalisation: its blocks in reading order (a paragraph
    a page break cut in two joined again) with provenance; `title` is the reader's own (an HTML
    <title>, a Word file's properties), else empty until normalisation finds it."""
    raw_blocks = [
        b if b.kind == BlockKind.TABLE_ROW else replace(b, text=b.text.replace("\t", " "))
        for b in raw_blocks
        if b.text.strip()
    ]
    raw_blocks = count_lists(
        split_run_in_headings(
            numbered_questions(join_broken_paragraphs([_regulation_mark(b) for b in raw_blocks]))
        )
    )
    origin, at = _origin(raw_blocks)
    if at is not None:
        raw_blocks[at] = replace(raw_blocks[at], kind=BlockKind.FURNITURE)
    # furniture is judged on the text as normalisation will repair it; the text stays as read
    repaired = normalise_texts([b.text for b in raw_blocks])
    judged = _mark_contents(
        _mark_signature(
            _mark_letterhead(
                _mark_logo(
                    _mark_furniture(
                        [replace(b, text=t) for b, t in zip(raw_blocks, repaired, strict=True) if t]
                    )
                )
            )
        )
    )
    if fmt != "pdf":  # a PDF's reader finds its running headers by their place on the page
        judged = _mark_running_headers(judged)
    kinds = [b.kind for b in judged]
    kinds_of = iter(kinds)
    blocks, text = lay_out(
        [
            Block(
                next(kinds_of) if t else b.kind,
                b.text,
                Provenance(b.page, (), 0, 0, b.confidence),
                b.level,
                b.marker,
                b.text,
                b.page_breaks,
            )
            for b, t in zip(raw_blocks, repaired, strict=True)
        ]
    )
    return Document(
        source=source,
        title=title[:300],
        format=fmt,
        content_hash=content_hash,
        text=text,
        blocks=blocks,
        origin=origin,
    )
