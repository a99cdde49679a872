"""Duty-holder: the body that must/should/may act, from the clause's shape around its cue.

Active voice: the body before the cue ("ICBs must"); expectation verbs: the object after the cue
("we expect ICPs to"); passive voice: the agent ("must be published by the ICP")."""

from __future__ import annotations

import re

from docmine.model import Mention

_OBJECT_CUES = re.compile(
    r"\b(?:expects?|require[sd]?|encourages?|asks?|allows?|recommend)\b", re.IGNORECASE
)
_PASSIVE_AGENT = re.compile(
    r"^\s*(?:be|have been)\s+[^.;]{0,60}?\bby\s+(?:the|each|every|all)?\s*$", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:that|which|who|whether)\b", re.IGNORECASE)


def find_holder(
    text: str, mentions: list[Mention], cue_start: int, cue_text: str
) -> Mention | None:
    """The mention that is the duty-holder of the cue at `cue_start`, or None."""
    if cue_start < 0:
        return None
    if _OBJECT_CUES.search(cue_text):
        after = [m for m in mentions if m.start >= cue_start]
        if after:
            return after[0]
    before = [m for m in mentions if m.end <= cue_start]
    if before:
        # the subject is the first body in the stretch of text just before the cue
        breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text[:cue_start])]
        floor = breaks[-1] if breaks else 0
        subjects = [m for m in before if m.start >= floor]
        if subjects:
            return subjects[0]
    for mention in mentions:
        cue_end = cue_start + len(cue_text)
        if mention.start > cue_end and _PASSIVE_AGENT.match(text[cue_end : mention.start]):
            return mention
    return None
