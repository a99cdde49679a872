"""Linking: bodies, duty-holder, statutory duty, deadline for each clause.

`make_context` loads the resources and learns what the document defines (acronyms, back-
references, audience); `link_clause` is then called on the document's clauses in order (pronouns
and "the strategy" refer back to earlier clauses). `link_clauses` does a whole document at once,
parsing every clause in one batch."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docmine.config import load_settings
from docmine.link.bodies import (
    Gazetteer,
    find_bodies,
    learn_acronyms,
    learn_back_references,
    load_gazetteer,
)
from docmine.link.dates import find_deadline
from docmine.link.duties import Duty, find_duty, load_duties
from docmine.link.holder import Discourse, find_holder
from docmine.link.parse import ParseCache
from docmine.model import Force, ForceDecision, Links

_YOUR = re.compile(r"\byour\s+((?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)", re.IGNORECASE)


@dataclass
class LinkContext:
    """What linking knows about the document a clause comes from, and what earlier clauses said."""

    gazetteer: Gazetteer
    duties: tuple[Duty, ...]
    acronyms: dict[str, str]
    default_year: int | None = None
    back_references: dict[str, str] = field(default_factory=dict)
    parses: ParseCache | None = None
    discourse: Discourse = field(default_factory=Discourse)
    recent_duties: list[str] = field(default_factory=list)


def find_audience(text: str, gazetteer: Gazetteer, acronyms: dict[str, str]) -> str:
    """The body the document addresses as "you": the first body written as "your X"."""
    for match in _YOUR.finditer(text):
        mentions = find_bodies(match.group(1), gazetteer, acronyms)
        if mentions and mentions[0].start == 0:
            return mentions[0].canonical
    return ""


def make_context(
    document_text: str,
    bodies_files: list[Path],
    duties_file: Path,
    published: str = "",
    clause_texts: Iterable[str] = (),
    spacy_model: str | None = None,
) -> LinkContext:
    """Load the resources once per document and learn the acronyms, back-references and audience
    it defines; `clause_texts` are parsed now, in one batch (else each clause when linked)."""
    gazetteer = load_gazetteer(bodies_files)
    year = re.search(r"\b(20\d\d)\b", published or document_text[:3000])
    acronyms = learn_acronyms(document_text, gazetteer)
    parses = ParseCache(spacy_model or load_settings().spacy_model)
    parses.prefetch(clause_texts)
    return LinkContext(
        gazetteer=gazetteer,
        duties=load_duties(duties_file),
        acronyms=acronyms,
        default_year=int(year.group(1)) if year else None,
        back_references=learn_back_references(document_text, gazetteer),
        parses=parses,
        discourse=Discourse(audience=find_audience(document_text, gazetteer, acronyms)),
    )


def link_clause(text: str, decision: ForceDecision, context: LinkContext) -> Links:
    """Bodies named, the holder of the governing cue, the duty, and (for instructions) the
    deadline. Holder and deadline stay empty for `none` clauses (ANNOTATION.md); the holder is
    still read so that a later "they" can refer back to it."""
    parse = context.parses.get(text) if context.parses is not None else None
    mentions = find_bodies(
        text, context.gazetteer, context.acronyms, parse, context.back_references
    )
    instruction = decision.force != Force.NONE
    duty = find_duty(text, context.duties, instruction, context.recent_duties)
    if duty is not None:
        context.recent_duties.append(duty.id)
    holder = None
    if parse is not None:
        cue_start = decision.cue_start
        if cue_start < 0 and decision.cue:  # a cue given as text only (gold, callers)
            cue_start = text.find(decision.cue)
        holder = find_holder(parse, text, mentions, cue_start, decision.cue, context.discourse)
    if not instruction:
        return Links(bodies=tuple(mentions), duty=duty)
    return Links(
        holder=holder.canonical if holder else "",
        holder_text=holder.text if holder else "",
        bodies=tuple(mentions),
        duty=duty,
        deadline=find_deadline(text, context.default_year),
    )


def link_clauses(
    texts: Sequence[str], decisions: Sequence[ForceDecision], context: LinkContext
) -> list[Links]:
    """`link_clause` over a document's clauses in order, parsed in one batch."""
    if context.parses is not None:
        context.parses.prefetch(texts)
    return [link_clause(t, d, context) for t, d in zip(texts, decisions, strict=True)]
