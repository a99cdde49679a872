"""Blocks -> Clauses: sentences, clause splits where force changes, and list lead-ins.

Follows ANNOTATION.md "Unit: the clause" and DECISIONS.md A.3-A.7: a list item inherits its colon
lead-in (written out before the item), a sentence is split where coordinated parts differ in
force, and a split part is a verbatim span of the sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docmine.extract.furniture import is_metadata_label
from docmine.extract.text import REGULATION_MARK
from docmine.language.cues import Cue, force_cues, governs
from docmine.model import Block, BlockKind, Clause, Document, Provenance

_ABBREVIATIONS = frozenset(
    "e.g i.e etc.al al cf vs approx no nos para paras s ss sec fig figs dr mr mrs ms prof st inc "
    "ltd co jan feb mar apr jun jul aug sep sept oct nov dec hon rt cllr insp supt sgt det rev "
    "capt col lt gen".split()
)
_BOUNDARY = re.compile(
    r"[.!?][\"'”’)\]]*\s+(?=[A-Z0-9\"'“‘(\[•])"
    # a full stop the text lost its space after ("... Wellbeing Boards.The Bill does ...")
    r"|(?<=[a-z]{3})\.(?=[A-Z][a-z]+\s)"
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.!?][\"'”’)\]]*\s+$")
_SPLIT_POINT = re.compile(
    r"(?:,\s+|\s+)(?=(?:and|but|while|whereas)\s)|,\s+(?=(?:to which|in which|and which|which)\s)"
    r"|;\s+"
)
_PRONOUN_SUBJECT = re.compile(
    r"^(?:and|but|while|whereas|which|to which|in which|and which)?\s*"
    r"(?:it|they|this|these|he|she|we|you)?\s*$",
    re.IGNORECASE,
)
_TRAILING_PREPOSITION = re.compile(
    r"\s+(?:through|by|via|with|including|in|to|for|on|as follows|the following)\s*:$", re.I
)
_COLON_END = re.compile(r"[:—–]\s*$")  # legislation opens its lists with a dash: "relating to—"
MIN_PART_WORDS = 4


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, robust to "e.g.", "s.75", initials and numbered markers."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.end()]
        last = _LAST_WORD.search(before) or re.search(r"([A-Za-z.]+)\.$", before)
        word = (last.group(1) if last else "").lower().rstrip(".")
        lettered = len(word) == 1 and _LETTERED_PART.search(before)  # "set out in Annex A."
        if word in _ABBREVIATIONS or (len(word) == 1 and not lettered):
            continue
        if re.fullmatch(r"[\d.]+", word):
            continue
        end = match.start() + 1
        while end < len(text) and text[end] in "\"'”’)]":
            end += 1
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    # a citation in brackets after a sentence ("... in its response. (Paragraph 21)") is that
    # sentence's source, not a sentence of its own
    for index in range(len(spans) - 1, 0, -1):
        if _CITATION_AFTER.match(text[spans[index][0] : spans[index][1]]):
            spans[index - 1 : index + 1] = [(spans[index - 1][0], spans[index][1])]
    return spans


# a part of a document named by a capital letter, which ends a sentence: "Annex A."
_LETTERED_PART = re.compile(
    r"\b(?i:annex|appendix|schedule|table|figure|part|section|box|chart|option|phase|tier|"
    r"category|type|group|stage|step|model|plan|scenario)\s+[A-Z]\.\s*$"
)
_CITATION_AFTER = re.compile(
    r"^\((?:(?:paragraphs?|paras?|see|sections?|pages?|annex|appendix|chapter|"
    r"recommendations?|conclusions?)\b|(?:paras?|pp?)\.)[^()]{0,40}\)\.?$",
    re.IGNORECASE,
)


def _force_of(text: str) -> str:
    cues = force_cues(text)
    return cues[0].label if cues else "none"


def _forbids(cue: str) -> bool:
    """Whether a cue's words negate it ("must not", "should never"): the polarity it gives."""
    return bool(re.search(r"\b(?:not|never)\b|n't\b", cue, re.IGNORECASE))


def _subject_before_cue(text: str) -> str:
    cues = force_cues(text)
    return text[: cues[0].start].strip() if cues else ""


def _subject_fragment(left: str) -> bool:
    """The left part ends in a bare noun phrase ("..., ICB Chair Designates", "...that the ICB"),
    so the "and" joins two subjects, not two clauses."""
    if left.rstrip().endswith(","):
        # "..., and ICPs may choose ...": the gold splits such sentences seldom (splitting them
        # lowered segmentation recall 0.963 -> 0.959, both halves of the documents)
        return True
    tail = re.split(r"[,;:(]|\bthat\b", left)[-1]
    words = len(tail.split())
    # a list of subjects runs longer ("the ICB and its partner NHS trusts | and foundation
    # trusts must ...")
    # (not a clause of its own whose adverb marks its verb: "Local authorities and ICBs jointly
    # commission these services | and the ICB must report ...")
    listed = (
        words <= 10
        and re.search(r"\b(?:and|or)\b", tail) is not None
        and not re.search(r"\w{3,}ly\b", tail)
    )
    return (words <= 6 or listed) and not force_cues(tail)


_NAME_GOES_ON = re.compile(r"^(?:and|&)\s+(?:[A-Z(][\w'’()-]*\s+)+(?P<next>\S+)")
_VERBS_AFTER_A_SUBJECT = frozenset(
    "must should shall may will can could would might need needs is are was were has have".split()
)


def _inside_a_name(left: str, right: str) -> bool:
    """ "the Health | and Social Care Act 2008": the "and" joins words of a name (capitals on
    both sides, and the name goes on in capitals), not two clauses; "the ICB | and NHS England
    must approve" names a new subject: a modal follows the capitals."""
    last = left.rstrip().rsplit(None, 1)[-1] if left.strip() else ""
    name = _NAME_GOES_ON.match(right)
    if not last[:1].isupper() or left.rstrip().endswith(",") or name is None:
        return False
    # a word capitalised only as part of a name ("the Health | and Wellbeing Board must") goes
    # on; after an acronym ("the ICB | and NHS England must") a modal opens a new clause
    run = len(right[: name.start("next")].split()) - 1  # capitalised words after "and"
    titled = last[1:].islower() and run >= 2
    return titled or name.group("next").lower() not in _VERBS_AFTER_A_SUBJECT


def _should_split(sentence: str, left: str, right: str, right_start: int) -> bool:
    """Split where the next conjunct carries its own governing force that differs from the
    left part's, or names a new subject (DECISIONS.md A.7)."""
    if len(left.split()) < MIN_PART_WORDS or len(right.split()) < MIN_PART_WORDS:
        return False
    cues = force_cues(right)
    if not cues or "," in right[: cues[0].start] or "\t" in right[: cues[0].start]:
        return False  # (a table's next cell is no conjunct: "... and the ICB | The HWB must")
    if (
        _subject_fragment(left)
        and not _changes_instruction(left, right)
        and not _names_another_actor(left, right)
    ):
        return False
    if _inside_a_name(left, right):
        return False
    cue = cues[0]
    whole = Cue(cue.label, cue.text, right_start + cue.start, right_start + cue.end)
    if not governs(sentence, whole):
        return False
    if _force_of(left) != cue.label:
        return True
    if _forbids(force_cues(left)[0].text) != _forbids(cue.text):
        return True  # "... must be appointed openly | and must not hold another role"
    subject = _subject_before_cue(right)
    return not _PRONOUN_SUBJECT.match(subject) and len(subject.split()) <= 8


_OWN_SUBJECT = re.compile(
    r"^(?:and|but)?\s*(?:also\s+)?(?:it|they|he|she|we|you|(?:the|its|their)\s+\w+|\w+s)\s+"
    r"(?:also\s+)?$",
    re.IGNORECASE,
)


# a conjunct whose subject is a proper name or an acronym, right before its modal ("..., and NHS
# England should bring these figures together")
_NAMED_SUBJECT = re.compile(
    r"^(?:and|but)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,4}"
    r"(?:must|should|shall|will|may|can|could|might|needs? to|is|are)\b"
    # or a plural noun phrase of its own ("..., and local authorities must complete ...")
    r"|^(?:and|but)\s+(?!(?:the|a|an|this|these|those|its|their|our|your|such)\b)"
    r"(?:(?:all|each|every)\s+)?(?:[a-z][\w'’-]*\s+){0,2}[a-z][\w'’-]*s\s+"
    r"(?:must|should|shall|need to|are (?:required|expected) to)\b"
)


def _names_another_actor(left: str, right: str) -> bool:
    """ "ICBs should publish their waiting times, | and NHS England should bring them together":
    after a comma, a conjunct whose subject is a name or a bare plural noun phrase, when the
    part before it instructs, has a holder of its own (DECISIONS.md 7), unless it is the part
    before's subject again ("Local authorities must assess carers, and local authorities must
    publish ...": one holder) or an adverbial ("..., and in most cases must ...")."""
    before = force_cues(left)
    named = _NAMED_SUBJECT.match(right)
    if not (left.rstrip().endswith(",") and named and before and governs(left, before[0])):
        return False
    subject = _subject_before_cue(right)
    words = subject.lower().split()[1:]  # without "and" / "but"
    if words and words[0] in _NOT_A_SUBJECT:
        return False
    return " ".join(words) != _subject_before_cue(left).lower()


# words that open an adverbial, not a subject, after "and" ("and in most cases must")
_NOT_A_SUBJECT = frozenset(
    "in at on for by with from to thus therefore also then so hence where when while as if "
    "where possible sometimes often usually generally".split()
)
_ELIDED_SUBJECT = re.compile(r"^(?:and|but)\s+(?:also\s+)?$", re.IGNORECASE)
_CONTRAST = re.compile(r"^but\s+(?:also\s+)?$", re.IGNORECASE)
# a modal verb as the cue ("should", "must not"), not a predicate ("are expected to")
_BARE_MODAL = re.compile(r"^(?:must|should|shall|may|will|ought)\b", re.IGNORECASE)
# a conjunct's verb phrase closed by a comma before the object both verbs share: "but may from
# time to time revise, | a code"
_SHARED_OBJECT = re.compile(r"^(?:\s+[\w'’-]+){1,6},")
# a permission's modal on a verb ("can ask", "may choose"), not a possibility ("can be")
_PERMITS = re.compile(
    r"\b(?:can|may)\s+(?!be\b|have\b|not\b|also be\b)(?:also\s+)?[a-z]+", re.IGNORECASE
)
# "but" and a subject of its own before the duty's modal: "but the board", "but the JSNA"
_CONTRAST_SUBJECT = re.compile(
    r"^but\s+(?:(?:the|its|their|each|every|any)\s+)?(?:[\w'’-]+\s+){0,2}[\w'’-]+\s+$",
    re.IGNORECASE,
)


def _only_verbs(words: str) -> bool:
    """Whether a predicate is verbs alone ("issue", "prepare and publish"), its object shared
    with the conjunct after it."""
    from docmine.config import load_settings
    from docmine.language.nlp import verb_lemmas

    known = verb_lemmas(load_settings().spacy_model)
    found = [w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", words) if w.lower() not in _JOIN]
    return all(w in known for w in found)


_JOIN = frozenset({"and", "or", "then", "also"})


def _changes_instruction(left: str, right: str) -> bool:
    """ "Councils must keep a register, and they may share it": a conjunct with its own subject
    (a pronoun or a short noun phrase right before its modal) that gives an instruction of
    another force than the instruction before it is a clause of its own (ANNOTATION.md: one
    clause, one force), even after a comma. A conjunct of the same force, or one after a part
    that instructs no one ("... is core to success, and they should ..."), stays joined, as
    the gold keeps it."""
    before, after = force_cues(left), force_cues(right)
    if not before and after and _PERMITS.search(left) and after[0].label != "suggestion":
        # "The board can ask a sub-group to lead the work, | but the board must approve it": a
        # permission ("can" is no cue of its own: it also says what is possible) turned by "but"
        # into a duty with a subject of its own
        subject = right[: after[0].start]
        return bool(_CONTRAST_SUBJECT.match(subject))
    if not before or not after:
        return False
    if (before[0].label, _forbids(before[0].text)) == (after[0].label, _forbids(after[0].text)):
        return False  # the same force and polarity ("..., and they must ...")
    if not governs(left, before[0]):
        return False
    subject = right[: after[0].start]
    if before[0].label == after[0].label and _ELIDED_SUBJECT.match(subject):
        return True  # only the polarity turns: "... should ensure X, and should not rely on Y"
    if (
        _ELIDED_SUBJECT.match(subject)
        and subject.lower().startswith("and")
        and _BARE_MODAL.match(after[0].text)
        and left.rstrip().endswith(",")
        and not _only_verbs(left[before[0].end :])
    ):
        # the same subject, another force, after a complete predicate and a comma: "Providers
        # must develop a plan, | and should offer a review" (not "shall prepare and publish, and
        # may revise, a code", whose first verbs have no object of their own)
        return True
    if (
        _CONTRAST.match(subject)
        and len(left[before[0].end :].split()) >= 2
        and not _SHARED_OBJECT.match(right[after[0].end :])
    ):
        # "but" turns the force on the same subject, after a complete predicate: "ICBs may
        # publish a plan, but must consult Healthwatch" (not "shall prepare and publish, but
        # may revise, a code", whose verbs share the object after the comma)
        return True
    return bool(_OWN_SUBJECT.match(subject))


def split_coordinated(sentence: str) -> list[tuple[int, int]]:
    """Verbatim sub-spans of a sentence, split where coordinated clauses differ in force. Each
    split point is judged on the conjunct it opens (up to the next split point), so an early
    "and" inside a noun phrase does not take the force of a later clause."""
    points = list(_SPLIT_POINT.finditer(sentence))
    parts: list[tuple[int, int]] = []
    start = 0
    for index, match in enumerate(points):
        left_end = match.start() + (1 if sentence[match.start()] in ",;" else 0)
        following = points[index + 1].start() if index + 1 < len(points) else len(sentence)
        left, right = sentence[start:left_end], sentence[match.end() : following]
        if _should_split(sentence, left, right, match.end()):
            parts.append((start, left_end))
            start = match.end()
    parts.append((start, len(sentence)))
    return parts


def _clause_spans(text: str) -> Iterator[tuple[int, int]]:
    for s_start, s_end in split_sentences(text):
        for p_start, p_end in split_coordinated(text[s_start:s_end]):
            yield s_start + p_start, s_start + p_end


def _row_spans(text: str) -> list[tuple[int, int]]:
    """A table row's clauses. The cells after a cell's last sentence that state nothing of their
    own, with no force word (its evidence, owner or date: "Providers must respond within two
    hours. | CSDS submission | From 1 October 2026"), belong to that sentence's clause."""
    spans: list[tuple[int, int]] = []
    for start, end in _clause_spans(text):
        opens_cell = "\t" in text[spans[-1][1] : start] if spans else False
        if opens_cell and not force_cues(text[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _compose_lead_in(previous: str, continuation: str) -> str:
    """A second lead-in that continues the first ("...through: [items] to deliver four main
    roles:") is written out in full (DECISIONS.md A.5)."""
    stem = _TRAILING_PREPOSITION.sub("", previous).rstrip(": ")
    return f"{stem} {continuation.strip()}"


_LIST_KINDS = (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW)


# a modal or a verb of asking: an item its sub-items complete as instructions
_ASKS = re.compile(
    r"\b(?:must|shall|should|ought to|may|can|could|will|need to|(?:is|are) (?:expected|required|"
    r"asked|encouraged|recommended|invited|requested) to|recommends?|"
    r"(?:we|committee|board|panel|review) (?:ask|urge|call on)s?)\b",  # a recommendation's lead-in
    re.IGNORECASE,
)


def _marker_kind(marker: str) -> str:
    """How an item is marked: "2.3" dotted, "3" or "3." a number, "(a)" a letter, "(iv)" a
    roman numeral, anything else a bullet."""
    bare = marker.strip().strip("().")
    if re.fullmatch(r"\d+(?:\.\d+)+", bare):
        return "dotted"
    if bare.isdigit():
        return "number"
    if re.fullmatch(r"[ivx]+", bare):
        return "roman"
    return "letter" if re.fullmatch(r"[a-z]{1,2}", bare) else "bullet"


# the number a heading gives its section: "5. Duties", "Regulation 5", "Section 14Z34", "Part 2";
# a bare number of three digits or more ("2024 priorities", "100 days") is not a section number
_HEADING_REF = re.compile(
    r"^(?:(?i:regulation|section|article|rule|schedule|clause|part|paragraph)\s+"
    r"(\d{1,4}(?:[A-Z]{1,3}\d{0,3})?(?:\.\d{1,3})*)|(\d{1,2}(?:\.\d{1,3})*|\d{1,3}[A-Z]{1,3}\d{0,3}))"
    r"(?=[.\s:]|$)"
)
# an enumerator printed at the start of a paragraph or item: "(3)", "(a)", "(ii)", "5.1", "a)"
_LEADING_ENUMERATOR = re.compile(r"^\(?(\d{1,3}[A-Z]?|[a-z]{1,2}|[ivx]{1,5})\)")
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$|^\d{1,3}\.$")


def enumerator(marker: str) -> str:
    """A list or paragraph marker as a citation part: "(a)", "a)", "a." -> "(a)"; "5.1." ->
    "5.1"; bullets -> ""."""
    marker = marker.strip()
    if not marker or not any(c.isalnum() for c in marker):
        return ""
    if _DOTTED.match(marker):
        return marker.rstrip(".")
    return f"({marker.strip('().')})"


def citation(heading: str, paragraph: str, item: str) -> str:
    """Join the parts people cite: "5" + "(3)" + "(a)" -> "5(3)(a)". A dotted number ("5.1")
    already names its section, so it stands for the parts before it."""
    parts = [heading, paragraph, item]
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] and not parts[index].startswith("(") and index > 0:
            parts = parts[index:]
            break
    return "".join(parts)


_ROW_NUMBER = re.compile(r"^\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]?$")


def _row_text(text: str) -> str:
    """A table row's cells kept apart ("ICB | The ICB must convene | March 2024"), so a label
    cell does not read as the first word of the sentence beside it; a row number stays in
    front as an enumerator ("1 full involvement of all partners")."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    if len(cells) > 1 and _ROW_NUMBER.match(cells[0]):
        return f"{cells[0]} {' | '.join(cells[1:])}"
    return " | ".join(cells)


# a cell of figures: an amount, a count, a share ("1,466,072", "£2.3m", "12.5%", "n/a", "-")
_FIGURE_CELL = re.compile(r"^[£$€]?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|m|bn|k)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a row of an inspection report's ratings ("Safe | Requires improvement")
_RATING = re.compile(r"^(?:outstanding|good|requires improvement|inadequate|not rated)$", re.I)


# the header of a table that lists people: minutes' attendance, contacts ("Name | Role")
_PEOPLE_HEADER = re.compile(
    r"^(?:name|names|attendee|attendees|member|members|present|in attendance|contact|contacts)"
    r"\s*\t",
    re.IGNORECASE,
)


def _figures(text: str) -> bool:
    """A row of a table of figures: a label and two or more cells of figures ("Blackburn with
    Darwen | 1,466,072 | 733,036"). It states nothing, and a place name opening it reads as an
    imperative."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    if len(cells) < 3 or force_cues(cells[0]):
        return False
    return all(_FIGURE_CELL.match(c) and not _YEAR.match(c) for c in cells[1:])


def _rating(text: str) -> bool:
    """A rating row of an inspection report: a short label and a rating."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    return len(cells) == 2 and len(cells[0].split()) <= 3 and bool(_RATING.match(cells[1]))


def _label_and_value(text: str) -> bool:
    """Two cells, a short label and a short value with no force word: a cover table's row of
    metadata, where the label ends in a colon ("Classification: | Official") or is one that
    such tables use ("Approved by | Audit and Risk Committee", "Wards affected | All")."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    if len(cells) != 2 or force_cues(cells[1]):
        return False
    if cells[0].endswith(":") and len(cells[0].split()) <= 4:
        return len(cells[1].split()) <= 6
    return is_metadata_label(cells[0]) and len(cells[1].split()) <= 10


# a cell that states something: a subject and its verb first ("The ICB must convene ...")
_STATES = re.compile(
    r"^(?!(?:what|how|when|who|which|where|why)\b)(?:\S+\s+){0,2}"
    r"(?:must|should|shall|will|may|can|need|needs|is|are)\b",
    re.IGNORECASE,
)


def _column_label(cell: str) -> bool:
    """A short label ("No.", "Response time"), or one up to six words that states nothing
    ("What we will look at", "Information the plan must contain"), tells no one to act
    ("Publish the plan by 31 March") and gives no date."""
    words = cell.split()
    if len(words) <= 4:
        return True
    return (
        len(words) <= 6
        and not cell.rstrip().endswith(".")
        and not _STATES.match(cell)
        and not _DATED.search(cell)
        and not _only_verbs(words[0])
    )


_DATED = re.compile(
    r"\b(?:by|before|until|from|within)\b|\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def _is_table_header(block: Block, previous: Block | None) -> bool:
    """The first row of a table, when it holds only short labels ("No. | Point")."""
    starts_table = previous is None or previous.kind != BlockKind.TABLE_ROW
    cells = block.text.split("\t")
    labels = all(_column_label(c) for c in cells)
    return starts_table and labels and (len(cells) > 1 or len(block.text.split()) <= 2)


@dataclass(frozen=True)
class _Opened:
    """The last sentence of a block that opened a list (its span in the block), with the clause
    count, citation and lead-in when it did, and the kinds of block its list goes on with."""

    block: Block
    span: tuple[int, int]
    count: int
    ref: str
    lead_in: str
    goes_on: tuple[BlockKind, ...]


@dataclass(frozen=True)
class _Opener:
    """An item that opened a sublist: the lead-in outside it, how it is marked, its enumerator
    (the sublist's items cite it: "2.3" for bullets under "2.3 ICBs should:") and its depth."""

    lead_in: str
    kind: str
    ref: str
    level: int


def _inside(item: Block, opener: _Opener) -> bool:
    """Whether a list item belongs to the sublist `opener` opened: nested deeper where the
    format gives depth (Word list levels, nested HTML lists, indented Markdown), or marked
    otherwise ("(a)" items under "2.3 ICBs should:")."""
    if _marker_kind(item.marker) != opener.kind:
        return True
    return item.level > opener.level


class _Segmenter:
    """Walks a document's blocks once, remembering the open list lead-in."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.clauses: list[Clause] = []
        self.seen: dict[str, int] = {}
        self.lead_in = ""
        self.heading_ref = ""  # the current section's number
        self.heading_level = 0  # the level of the heading that gave it
        self.paragraph_ref = ""  # the enumerator of the last numbered paragraph
        self.ref = ""  # the citation of the block being segmented
        # the items that opened the sublists the walk is in, outermost first
        self.openers: list[_Opener] = []
        self.table_lead: Block | None = None  # an item whose colon opens the table after it
        # the last sentence of the block that opened the list the walk is in, with the clause
        # count, citation and lead-in then and the kinds of block its list goes on with: if no
        # item or row of its list becomes a clause (a table of people, of figures), it is a
        # clause of its own (DECISIONS.md A.6)
        self.opened: _Opened | None = None
        self.item_kind = ""  # how the items since the last paragraph are marked

    def emit(self, block: Block, start: int, end: int, lead_in: str = "") -> None:
        own = _row_text(block.text[start:end])
        if not re.search(r"[A-Za-z]{2}", own):
            return
        text = f"{lead_in} {own}" if lead_in else own
        base = block.provenance
        span = Provenance(
            block.page_at(start),  # a clause after a page break is on the next page
            base.section,
            base.start + start,
            base.start + end,
            base.ocr_confidence,
        )
        occurrence = self.seen.get(text, 0)
        self.seen[text] = occurrence + 1
        self.clauses.append(
            Clause(
                self.document.id,
                text,
                span,
                lead_in,
                len(self.clauses),
                self.document.source,
                occurrence,
                self.ref,
            )
        )

    def paragraph(self, block: Block, next_is_list: bool) -> None:
        self.item_kind = ""
        spans = list(_clause_spans(block.text))
        last_sentence = block.text[spans[-1][0] : spans[-1][1]].strip() if spans else ""
        opens_list = next_is_list and bool(_COLON_END.search(last_sentence))
        for start, end in spans[:-1] if opens_list else spans:
            self.emit(block, start, end)
        if opens_list:
            self.opened = _Opened(block, spans[-1], len(self.clauses), self.ref, "", _LIST_KINDS)
            continuation = last_sentence[:1].islower() and self.lead_in
            self.lead_in = (
                _compose_lead_in(self.lead_in, last_sentence) if continuation else (last_sentence)
            )
        else:
            self.lead_in = ""

    def list_item(self, block: Block, following: Block | None) -> None:
        """An item's clauses take the open lead-in; an item that ends in a colon before more
        items is itself the lead-in of the items under it ("2.3 ICBs should:" / "- share
        learning ...") when they are nested under it (`_inside`) or it asks for something. An
        item that asks for nothing before items of its own level ("To: Integrated care
        boards:") stays a clause of its own, as the scheme's gold has it."""
        if (
            self.opened is not None
            and not self.openers
            and self.item_kind not in ("", _marker_kind(block.marker))
            and _marker_kind(block.marker) in ("dotted", "number")
        ):
            # a numbered paragraph after the items a paragraph's lead-in opened ("The Committee
            # recommends that the Council:" / "- increases ..." / "2.5 Each council is asked
            # to:") is the document's next paragraph, not one more item of that lead-in
            self.close_list()
            self.lead_in = ""
        self.item_kind = _marker_kind(block.marker)
        spans = list(_clause_spans(block.text))
        last = block.text[spans[-1][0] : spans[-1][1]].strip() if spans else ""
        item_follows = following is not None and following.kind == BlockKind.LIST_ITEM
        nested = (
            following is not None
            and item_follows
            and _marker_kind(following.marker) == _marker_kind(block.marker)
            and following.level > block.level
        )
        # a list drawn as a table after an item that ends in a colon ("Systems are expected to
        # deliver the following objectives:" / "Objective | Target | Deadline" rows)
        opens_table = (
            following is not None
            and following.kind == BlockKind.TABLE_ROW
            and bool(_COLON_END.search(last))
        )
        opens_list = opens_table or (
            item_follows and bool(_COLON_END.search(last)) and (nested or bool(_ASKS.search(last)))
        )
        self.table_lead = block if opens_table else None
        for index, (start, end) in enumerate(spans[:-1] if opens_list else spans):
            self.emit(block, start, end, self.lead_in if index == 0 else "")
        if opens_table:  # its rows go on the table; the next item ends it
            lead = self.lead_in if len(spans) == 1 else ""
            rows = (BlockKind.TABLE_ROW,)
            self.opened = _Opened(block, spans[-1], len(self.clauses), self.ref, lead, rows)
        if opens_list:
            kind = _marker_kind(block.marker)
            self.openers.append(_Opener(self.lead_in, kind, enumerator(block.marker), block.level))
            # an item is written after its lead-in as it stands (ANNOTATION.md): "You must:
            # keep cleaning schedules, including:" opens "communal bathrooms"
            self.lead_in = f"{self.lead_in} {last}" if self.lead_in else last

    def close_list(self) -> None:
        """The list the walk was in has ended: a lead-in none of whose items became a clause
        (a table of people or of figures) is a clause of its own."""
        if self.opened is not None:
            opened, self.opened = self.opened, None
            if len(self.clauses) == opened.count:
                here, self.ref = self.ref, opened.ref
                self.emit(opened.block, *opened.span, opened.lead_in)
                self.ref = here

    def close(self, block: Block) -> None:
        """End the lists the block ends: a list item the sublists it is outside, any other
        block every sublist (an item's table keeps it open: the items go on after), and any
        block but an item, a row or a footnote the list a lead-in opened."""
        if self.opened is not None and block.kind not in (*self.opened.goes_on, BlockKind.FOOTNOTE):
            self.close_list()
        if block.kind == BlockKind.LIST_ITEM:
            self.close_sublists(block)
        elif not (block.kind == BlockKind.TABLE_ROW and self.table_lead is not None):
            self.openers.clear()

    def close_sublists(self, block: Block) -> None:
        """An item outside a sublist (`_inside`) ends it and every sublist within it, and the
        lead-in outside it returns ("3.4" after bullets under "3.3 Each ICB must:")."""
        for depth, opener in enumerate(self.openers):
            if not _inside(block, opener):
                self.lead_in = opener.lead_in
                del self.openers[depth:]
                return

    def table_row(self, block: Block) -> None:
        """A row reads like a list item, its colon lead-in written before its first sentence (a
        list drawn as a table). Its cells stay together: in an action table the short cells
        are the holder and the deadline ("Publish the plan | ICB | By 31 March 2024"). A row of
        a label and its value ("Classification: | Official") is a paper's metadata, no clause."""
        if _label_and_value(block.text) or _figures(block.text) or _rating(block.text):
            return
        for index, (start, end) in enumerate(_row_spans(block.text)):
            self.emit(block, start, end, self.lead_in if index == 0 else "")

    def locate(self, block: Block) -> None:
        """Track the enumerators above a block and set the citation of its clauses."""
        printed = _LEADING_ENUMERATOR.match(block.text)
        regulation = REGULATION_MARK.match(block.marker.strip())
        if regulation:  # "2.—(1)": regulation 2 is cited like a numbered section
            self.heading_ref = regulation.group(1)
            self.paragraph_ref = ""
        own = (
            (regulation.group(2) or "")
            if regulation
            else enumerator(block.marker) or (f"({printed.group(1)})" if printed else "")
        )
        if block.kind == BlockKind.HEADING:
            number = _HEADING_REF.match(block.text)
            if number:
                self.heading_ref = number.group(1) or number.group(2)
                self.heading_level = block.level
            elif not (self.heading_level and block.level > self.heading_level):
                self.heading_ref = ""  # a subheading without a number keeps its section's
            self.paragraph_ref = ""
        elif block.kind == BlockKind.PARAGRAPH:
            self.paragraph_ref = own
            self.ref = citation(self.heading_ref, own, "")
        elif block.kind == BlockKind.LIST_ITEM:
            item = own if _DOTTED.match(own) else self.opener_ref() + own  # "4.1.1": whole
            self.ref = citation(self.heading_ref, self.paragraph_ref, item)
        elif block.kind == BlockKind.TABLE_ROW and self.openers:  # the rows of an item's table
            self.ref = citation(self.heading_ref, self.paragraph_ref, self.opener_ref())
        else:
            self.ref = citation(self.heading_ref, self.paragraph_ref, "")

    def opener_ref(self) -> str:
        """The nearest open item above that is numbered ("3.3" over bullets under bullets)."""
        return next((o.ref for o in reversed(self.openers) if o.ref), "")

    def run(self) -> list[Clause]:
        blocks = [b for b in self.document.blocks if b.kind != BlockKind.FURNITURE]
        above: Block | None = None  # the last block before this one that is not a footnote
        headers: set[str] = set()  # the tables' header rows so far
        people = False  # in a table of people ("Name | Role"): its rows are no clauses
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            previous = blocks[index - 1] if index else None
            self.close(block)
            self.locate(block)
            people = people and block.kind == BlockKind.TABLE_ROW
            next_is_list = following is not None and following.kind in _LIST_KINDS
            if block.kind == BlockKind.LIST_ITEM:
                self.list_item(block, following)
            elif block.kind == BlockKind.PARAGRAPH:
                self.paragraph(block, next_is_list)
            elif block.kind == BlockKind.TABLE_ROW:
                if (
                    above is not None
                    and above.kind == BlockKind.LIST_ITEM
                    and above is not self.table_lead
                ):
                    self.lead_in = ""  # the lead-in's list was the items; a table after them is not
                if _is_table_header(block, previous):
                    headers.add(_row_text(block.text))
                    people = bool(_PEOPLE_HEADER.match(block.text))
                elif _row_text(block.text) not in headers and not (
                    people and not force_cues(block.text)  # a role's duty stays
                ):
                    self.table_row(block)  # (a header repeated on a new page is none)
            if block.kind == BlockKind.HEADING:
                self.lead_in = ""
            if block.kind != BlockKind.FOOTNOTE:
                above = block
        self.close_list()
        return self.clauses


def segment(document: Document) -> list[Clause]:
    """All clauses of a document, in reading order; headings, furniture and footnotes excluded."""
    return _Segmenter(document).run()
