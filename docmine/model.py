"""The one data model that flows through every stage.

Document -> Block (with Provenance) -> Clause -> Obligation. Value objects are frozen; ids are
content hashes so editing one paragraph does not renumber every clause. Each field says which
stage writes it.
"""

from __future__ import annotations

import base64
import hashlib
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from enum import Enum, StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


def content_id(*parts: str, length: int = 12) -> str:
    """A short, stable hash of the given parts: the id scheme for documents and clauses."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


class Record:
    """`to_dict` / `from_dict` for every data-model class (the store, JSON export and tests)."""

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return from_dict(cls, data)


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    FOOTNOTE = "footnote"
    FURNITURE = "furniture"  # page furniture kept for `docmine extract`, never made into clauses


class Force(StrEnum):
    MANDATORY = "mandatory"
    EXPECTATION = "expectation"
    SUGGESTION = "suggestion"
    NONE = "none"


FORCE_ORDER: tuple[Force, ...] = (
    Force.MANDATORY,
    Force.EXPECTATION,
    Force.SUGGESTION,
    Force.NONE,
)


class Polarity(StrEnum):
    POSITIVE = "positive"
    PROHIBITION = "prohibition"


class Authority(StrEnum):
    """Who wrote a document, which decides what its modal verbs can mean (DECISIONS.md B.10)."""

    LEGISLATION = "legislation"
    STATUTORY_GUIDANCE = "statutory_guidance"
    GUIDANCE = "guidance"  # non-statutory guidance from a national body
    SUMMARY = "summary"  # third-party summary or commentary
    POSITION_PAPER = "position_paper"
    DEBATE = "debate"  # a record of Parliament's proceedings: its speeches and statements


@dataclass(frozen=True)
class Provenance(Record):
    """Where a span sits in its document: page (1-based, None for unpaged formats), heading path,
    character span into `Document.text`, and the OCR confidence of text read from a scan."""

    page: int | None
    section: tuple[str, ...]
    start: int
    end: int
    ocr_confidence: float | None = None  # mean word confidence (0-1) where the text was OCR'd


@dataclass(frozen=True)
class Block(Record):
    """A unit of layout written by extraction: a heading, paragraph, list item, table row...
    Extraction writes `kind` (furniture included) and `orig`, the text as the reader saw it;
    normalisation writes `text` (repaired) and `provenance` (spans into the repaired text)."""

    kind: BlockKind
    text: str
    provenance: Provenance
    level: int = 0  # heading level (1 = top) or list depth
    marker: str = ""  # the bullet or number that introduced a list item / numbered paragraph
    orig: str = ""
    # where a block a page break cut goes on: (offset into `text`, page), in order
    page_breaks: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page of the block's text at `offset` (the block's own page before any break)."""
        page = self.provenance.page
        for at, following in self.page_breaks:
            if at > offset:
                break
            page = following
        return page


@dataclass(frozen=True)
class Passage(Record):
    """What search embeds for one obligation (its heading path and clause text), keyed by a hash
    of that text so that a vector is made once per passage. Written by the embed stage: `vector`
    holds a new vector (float32 bytes), empty when the store holds one already or vectors are
    made on demand."""

    key: str
    text: str
    vector: bytes = b""


BLOCK_SEPARATOR = "\n\n"


def lay_out(blocks: typing.Sequence[Block]) -> tuple[tuple[Block, ...], str]:
    """The blocks with their provenance computed from their order (heading path, character
    span; page and OCR confidence kept), and the document text they make, joined by blank
    lines. Extraction lays out what the reader saw; normalisation lays out the repaired text."""
    laid: list[Block] = []
    path: list[tuple[int, str]] = []
    offset = 0
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            level = max(block.level, 1)
            path = [(lvl, h) for lvl, h in path if lvl < level]
            section = tuple(h for _, h in path)
            path.append((level, block.text))
        else:
            section = tuple(h for _, h in path)
        end = offset + len(block.text)
        where = replace(block.provenance, section=section, start=offset, end=end)
        laid.append(replace(block, provenance=where))
        offset = end + len(BLOCK_SEPARATOR)
    return tuple(laid), BLOCK_SEPARATOR.join(b.text for b in laid)


@dataclass(frozen=True)
class Document(Record):
    """One version of one source file. `text` is the blocks' text joined by blank lines; every
    provenance span indexes into it. Written by extraction, repaired by normalisation (`text`,
    `title`, the blocks), `authority` by the authority stage;
    `clauses` by segmentation; `obligations` by classification (force) and linking (links);
    `passages` by the embed stage; `version` by the store. `origin` is the web address the
    file says it was saved from (extraction), context for search beside the title."""

    source: str
    title: str
    format: str
    content_hash: str
    text: str
    blocks: tuple[Block, ...]
    authority: Authority = Authority.GUIDANCE
    published: str = ""  # ISO date if the document states one
    origin: str = ""  # the web address the file says it was saved from ("Source: https://...")
    version: int = 1
    clauses: tuple[Clause, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    passages: tuple[Passage, ...] = ()  # one per obligation, in order

    @property
    def id(self) -> str:
        return content_id(self.source, self.content_hash)


@dataclass(frozen=True)
class Clause(Record):
    """The smallest span carrying one instruction to one duty-holder. Written by segmentation.

    `text` reads as a whole instruction (a list item carries its lead-in); `provenance` points at
    the clause's own words in the document. The id hashes the source, the text and how many
    times that text came before in the document, so an unchanged clause keeps its id in every
    version of its document, and editing one paragraph renumbers nothing."""

    doc_id: str
    text: str
    provenance: Provenance
    lead_in: str = ""
    ordinal: int = 0  # position in the document, for context and ordering
    source: str = ""  # the document's source path or URL
    occurrence: int = 0  # earlier clauses of the same document with the same text
    # the enumerators that locate the clause, as people cite it: "5(3)(a)", "2.4", "(b)"
    ref: str = ""

    @property
    def id(self) -> str:
        return content_id(self.source or self.doc_id, self.text, str(self.occurrence))


@dataclass(frozen=True)
class Span(Record):
    """Words of a clause's text (lead-in included) and where they stand in it: `text ==
    clause.text[start:end]`, or start and end -1 when the words come without a place (a cue
    written in a gold file, a row stored before spans were)."""

    text: str
    start: int = -1
    end: int = -1

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span `start:end` of `text`."""
        return cls(text[start:end], start, end)


@dataclass(frozen=True)
class ForceDecision(Record):
    """Written by classification: the force, how sure, the `cue` (the words that carry the
    force) and the `condition` the instruction is subject to, each a Span of the clause text or
    None, and `reason`: why in words when that is not a cue (the rules' "question", "embedded:
    must", "section: case study"; the features read it)."""

    force: Force
    polarity: Polarity = Polarity.POSITIVE
    confidence: float = 1.0
    cue: Span | None = None
    condition: Span | None = None
    reason: str = ""

    @property
    def cue_text(self) -> str:
        return self.cue.text if self.cue is not None else ""

    @property
    def condition_text(self) -> str:
        return self.condition.text if self.condition is not None else ""


@dataclass(frozen=True)
class Mention(Record):
    """A body named in a clause: canonical name plus the matched text and its span in the clause."""

    canonical: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DutyLink(Record):
    """A statutory duty the clause states or restates. Written by linking."""

    id: str
    law: str
    matched: str
    score: float = 1.0


@dataclass(frozen=True)
class Deadline(Record):
    """A deadline as written, with its normalised ISO date or interval. Written by linking."""

    text: str
    relation: str = ""  # by | before | from | during | on
    start: str = ""  # ISO date
    end: str = ""  # ISO date (equal to start for a single day)
    # a deadline the text anchors ("within 28 days of the date of death"): its period as an ISO
    # 8601 duration ("P28D"; empty for working days) and what it runs from, as written
    period: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class Links(Record):
    """Everything linking writes for a clause."""

    holder: str = ""
    holder_text: str = ""
    # the chosen holder's (or "no holder"'s) probability among the candidates; -1: parse rules
    holder_confidence: float = -1.0
    bodies: tuple[Mention, ...] = ()
    duty: DutyLink | None = None
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Obligation(Record):
    """A clause with its force and links: one row of the register."""

    clause: Clause
    decision: ForceDecision
    links: Links = field(default_factory=Links)

    @property
    def id(self) -> str:
        return self.clause.id

    @property
    def other_bodies(self) -> tuple[str, ...]:
        """Canonical bodies named in the clause other than the holder, in order, deduplicated."""
        seen: dict[str, None] = {}
        for mention in self.links.bodies:
            if mention.canonical != self.links.holder:
                seen.setdefault(mention.canonical, None)
        return tuple(seen)


@dataclass(frozen=True)
class DocumentRef(Record):
    """A stored document version as its obligations cite it. Written by the store (`version`,
    `id` made unique per version, `ingested_at`); the rest comes from extraction."""

    id: str
    source: str
    title: str
    version: int
    content_hash: str = ""
    authority: str = ""
    published: str = ""
    ingested_at: str = ""
    origin: str = ""


@dataclass(frozen=True)
class FacetValue(Record):
    """One value of a facet (force, holder, body, duty, document, deadline year) with its label
    and how many obligations have it (Store.facet_counts)."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class StoredDocument(Record):
    """A stored document version as the store lists it: its reference, its format and how many
    clauses and obligations (clauses with a force) it holds; `text` only when asked for one
    document (`Store.document`)."""

    document: DocumentRef
    format: str = ""
    clauses: int = 0
    obligations: int = 0
    text: str = ""

    def listing(self) -> dict[str, Any]:
        """One flat row for `docmine docs` and the web's document list."""
        ref = self.document
        return {
            "id": ref.id,
            "source": ref.source,
            "title": ref.title,
            "format": self.format,
            "content_hash": ref.content_hash,
            "version": ref.version,
            "authority": ref.authority,
            "published": ref.published,
            "ingested_at": ref.ingested_at,
            "origin": ref.origin,
            "clauses": self.clauses,
            "obligations": self.obligations,
        }


@dataclass(frozen=True)
class StoredObligation(Record):
    """An obligation as the store hands it back: the Obligation, the document version it cites,
    its stored id (stable across versions) and rowid. Search hits, exports, diff, `docmine show`
    and the web all read this one shape."""

    id: str
    obligation: Obligation
    document: DocumentRef
    rowid: int = 0

    @property
    def clause(self) -> Clause:
        return self.obligation.clause

    @property
    def decision(self) -> ForceDecision:
        return self.obligation.decision

    @property
    def links(self) -> Links:
        return self.obligation.links

    @property
    def other_bodies(self) -> tuple[str, ...]:
        return self.obligation.other_bodies


@dataclass(frozen=True)
class Filters(Record):
    """Register filters shared by search, export, diff and the web page. Written by the skins
    (CLI options, web query), read by search (store rows to keep)."""

    force: tuple[str, ...] = ()
    polarity: str = ""
    holder: str = ""
    body: str = ""
    duty: str = ""
    document: str = ""
    version: int | None = None
    deadline_from: str = ""
    deadline_to: str = ""
    all_versions: bool = False


def to_dict(value: Any) -> dict[str, Any]:
    """A data-model object as plain JSON-ready data (enums as their values, tuples as lists)."""
    return typing.cast(dict[str, Any], _plain(asdict(value)))


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """The inverse of `to_dict` for any data-model class: `from_dict(Obligation, d)`."""
    return typing.cast(T, _typed(cls, data))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _typed(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if value is None else _typed(options[0], value)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_typed(item, v) for v in value)
    if isinstance(hint, type) and is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        known = {f.name for f in fields(hint) if f.init}
        return hint(**{k: _typed(hints[k], v) for k, v in value.items() if k in known})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is bytes:
        return base64.b64decode(value)
    return value
