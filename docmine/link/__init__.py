"""Linking: bodies, duty-holder, statutory duty, deadline for each clause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docmine.link.bodies import Gazetteer, find_bodies, learn_acronyms, load_gazetteer
from docmine.link.dates import find_deadline
from docmine.link.duties import Duty, find_duty, load_duties
from docmine.link.holder import find_holder
from docmine.model import Force, ForceDecision, Links


@dataclass(frozen=True)
class LinkContext:
    """What linking knows about the document a clause comes from."""

    gazetteer: Gazetteer
    duties: tuple[Duty, ...]
    acronyms: dict[str, str]
    default_year: int | None = None


def make_context(
    document_text: str, bodies_files: list[Path], duties_file: Path, published: str = ""
) -> LinkContext:
    """Load the resources once per document and learn the acronyms it defines."""
    gazetteer = load_gazetteer(bodies_files)
    year = re.search(r"\b(20\d\d)\b", published or document_text[:3000])
    return LinkContext(
        gazetteer=gazetteer,
        duties=load_duties(duties_file),
        acronyms=learn_acronyms(document_text, gazetteer),
        default_year=int(year.group(1)) if year else None,
    )


def link_clause(text: str, decision: ForceDecision, context: LinkContext) -> Links:
    """Bodies named, the holder of the governing cue, the duty, and (for instructions) the
    deadline. Holder and deadline stay empty for `none` clauses (ANNOTATION.md)."""
    mentions = find_bodies(text, context.gazetteer, context.acronyms)
    duty = find_duty(text, context.duties)
    if decision.force == Force.NONE:
        return Links(bodies=tuple(mentions), duty=duty)
    cue_start = text.find(decision.cue) if decision.cue else -1
    holder = find_holder(text, mentions, cue_start, decision.cue)
    return Links(
        holder=holder.canonical if holder else "",
        holder_text=holder.text if holder else "",
        bodies=tuple(mentions),
        duty=duty,
        deadline=find_deadline(text, context.default_year),
    )
