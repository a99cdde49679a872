"""Page furniture: lines that belong to the page, not to the text (running headers and footers,
page numbers, protective markings, web page chrome).

Two kinds of evidence: patterns of lines that are never clause text whatever their place
(`resources/furniture.yaml`), and shapes that are furniture in a page margin, or standing alone
in a format without pages ("Page 2 of 3", "4 | Title", "OFFICIAL", the title repeated)."""

from __future__ import annotations

import re
from functools import cache

from docmine.config import resource

_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)
# a page number at either end of a margin line: "... Page 2 of 3", "4 | Title", "Title | 4"
_PAGE_MARK = re.compile(
    r"(?:^|[\s|])(?:page\s+(\d{1,3})(?:\s*(?:of|/)\s*(\d{1,4}))?|(\d{1,3})\s*(?:of|/)\s*(\d{1,4}))"
    r"\W*$|^\W*(?:page\s+)?\d{1,3}\s*\||\|\s*\d{1,3}\W*$",
    re.IGNORECASE,
)
# a protective marking (Government Security Classifications) at either end of a margin line
_MARKINGS = r"OFFICIAL(?:[-‐‑ ]SENSITIVE)?|NOT PROTECTIVELY MARKED|RESTRICTED|(?:TOP )?SECRET"
_MARKING = re.compile(rf"^(?:{_MARKINGS})(?:$|\s+(?![a-z]))|\b(?:{_MARKINGS})$")
SHAPED_MAX_WORDS = 12  # furniture is short; a longer margin line is body text
_ENDS_SENTENCE = re.compile(r"[.;:,!?]$")
# what a running header or footer carries beside its title, at either end: a marking or a page
# number ("Page 2", "2 of 3", "2 |", "| 2"); case matters for markings ("Official guidance")
_PAGE_AT_EDGE = (
    r"(?:(?i:page)\s+\d{1,4}(?:\s*(?:(?i:of)|/)\s*\d{1,4})?|\d{1,4}\s+(?i:of)\s+\d{1,4})"
)
_HEADER_START = re.compile(rf"^(?:{_MARKINGS}|{_PAGE_AT_EDGE}|\d{{1,4}}(?=\s*\|))(?![\w-])")
_HEADER_END = re.compile(rf"(?<![\w-])(?:{_MARKINGS}|{_PAGE_AT_EDGE}|(?<=\|)\s*\d{{1,4}})$")
_SEPARATORS = " |·•-–—"


@cache
def _furniture_patterns() -> tuple[re.Pattern[str], ...]:
    data = resource("furniture.yaml")
    return tuple(re.compile(p, re.IGNORECASE) for p in data["patterns"])


@cache
def _metadata_label() -> re.Pattern[str]:
    labels = "|".join(f"(?:{p})" for p in resource("furniture.yaml")["metadata_labels"])
    return re.compile(rf"^(?:{labels})\s*:?$", re.IGNORECASE)


def is_metadata_label(cell: str) -> bool:
    """A cover table's label ("Approved by", "Review date", "Wards affected:")."""
    return bool(_metadata_label().match(cell.strip()))


# a line saying where a saved page came from ("Source: https://...", "Source: [GOV.UK](...)")
_ORIGIN = re.compile(
    r"^\s*(?:source|url|web address|available (?:at|from)|retrieved from|accessed at)\s*:?\s*"
    r"(?:\[[^\]]*\]\(|<)?(https?://[^\s<>]+)>?\s*$",
    re.IGNORECASE,
)
_BARE_ADDRESS = re.compile(r"^\s*<?(https?://[^\s<>]+)>?\s*$", re.IGNORECASE)


def origin_url(text: str, bare: bool = False) -> str:
    """The web address a line gives as the document's origin ("Source: https://..."; with
    `bare`, an address standing alone too), without the punctuation closing the line, or ""."""
    match = _ORIGIN.match(text) or (_BARE_ADDRESS.match(text) if bare else None)
    if not match:
        return ""
    url = match.group(1).rstrip(".,;:")
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(".,;:")  # the bracket closing a markdown link or the line
    return url


def is_furniture(text: str) -> bool:
    """Page furniture (icons, bylines, cookie banners, contact lines, the line saying where a
    saved page came from) is never clause text."""
    return (
        bool(origin_url(text))
        or any(p.search(text) for p in _furniture_patterns())
        or is_contact_line(text)
        or is_metadata_line(text)
    )


# a cover label and its value on one line, the value a few words and no sentence
# ("Classification: Official", "Publication reference: PRN02417"); a longer value, or one with a
# comma ("Report by: Jo Bloggs, National Director of ..."), may be text the reader wants kept
_LABEL_LINE = re.compile(
    r"^(?P<label>[A-Za-z][\w ()/-]{1,40}?)\s*:\s+(?P<value>[^,;!?]{1,50}(?<!\.))$"
)


def is_metadata_line(text: str) -> bool:
    """A line of a document's metadata: a cover table's label ("Classification", "Publication
    reference") with a value of at most four words."""
    match = _LABEL_LINE.match(text.strip())
    return bool(
        match and len(match.group("value").split()) <= 4 and is_metadata_label(match.group("label"))
    )


# what a contact or address block holds: an email address, a UK telephone number, a postcode
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\d-])(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d-])"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
)
_CONTACT_PARTS = re.compile(r"[,;|]|\s[-–—]\s")
# words that make a part a sentence that speaks to the reader ("For further enquiries please
# email ...", "If you have any feedback, contact: ..."): such a line is text, kept
_ADDRESSING = frozenset(
    "please if you your we our us should must may can will would need needs is are".split()
)
# a part that opens with one of these verbs asks the reader to act ("Email the completed form to
# ...", "contact Jo Bloggs"): an instruction, or a sentence, kept; "Contact: ..." is a label
_ACTING = re.compile(
    r"^\s*(?:email|e-mail|send|call|phone|ring|telephone|write|contact|submit|return|visit|"
    r"complete|see|read|tell|ask|use|find|go|follow|join|register|book)\b(?!\s*:)",
    re.IGNORECASE,
)
CONTACT_PART_WORDS = 6


def is_contact_line(text: str) -> bool:
    """A signature, contact or address block: it holds an email address, a telephone number or
    a postcode, and around them only short parts of a name, a role, a team or an address, none
    a sentence to the reader ("Jane Smith, Finance Lead, jane.smith@example.gov.uk, 01234
    567890"; "Healthwatch Northshire, Unit 4, Riverside Park, Northtown NT2 3BB")."""
    if not _CONTACT.search(text) or len(text.split()) > 40:
        return False
    rest = _CONTACT.sub(" ", text)
    for part in _CONTACT_PARTS.split(rest):
        words = re.findall(r"[A-Za-z']+", part)
        if len(words) > CONTACT_PART_WORDS or _ADDRESSING.intersection(w.lower() for w in words):
            return False
        if _ACTING.match(part):
            return False
    return True


def ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))


def folded(text: str) -> str:
    return " ".join(text.casefold().split())


def looks_like_furniture(text: str, titles: set[str]) -> bool:
    """A short margin line shaped like furniture: a page number ("Page 2 of 3", "4 | Title",
    never "2023/24" or "24/7"), a protective marking, or the document's title repeated as a
    running header; evidence that holds on a document of one or two pages, where nothing
    repeats. A line that ends a sentence or runs long is body text."""
    text = text.strip()
    if _PAGE_NUMBER.match(text):
        return True
    if _ENDS_SENTENCE.search(text):
        return False
    if _MARKING.search(text):  # a running title of any length glued to its marking
        return True
    if len(text.split()) > SHAPED_MAX_WORDS:
        return False
    mark = _PAGE_MARK.search(text)
    if mark and (mark.group(1) or mark.group(3)):
        number, total = mark.group(1) or mark.group(3), mark.group(2) or mark.group(4)
        if total and int(number) > int(total):  # "24/7" is not page 24 of 7
            mark = None
    return bool(mark or folded(text) in titles)


def runs_as_header(text: str, title: str) -> bool:
    """A block standing alone in a format without pages (text, HTML, Word) that is a running
    header or footer left in its text: a protective marking or a page number, alone or beside
    the document's title ("OFFICIAL", "Page 2 of 3", "2 | Title", "Title OFFICIAL"). Without a
    page margin to place it, a page number must say so ("page", "of", a bar): a bare number is
    left alone, and anything else beside the mark keeps the block in the text."""
    rest, marked = text.strip(), False
    for _ in range(3):
        start, end = _HEADER_START.search(rest), _HEADER_END.search(rest)
        if not (start or end):
            break
        marked = True
        rest = rest[start.end() :] if start else rest[: end.start()]  # type: ignore[union-attr]
        rest = rest.strip(_SEPARATORS)
    return marked and (not rest or folded(rest) == folded(title))
