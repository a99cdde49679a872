"""Detect a document's authority (legislation, statutory guidance, guidance, summary, position
paper) from its own words: the force of "must" depends on who wrote it.

Phrases in resources/authority.yaml say what a document is ("This guidance is issued under
section ...", "We call on the government", "A summary of ..."), not who published it, so the same
lexicon serves any publisher; `docmine ingest --authority` overrides the guess."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from docmine.config import resource
from docmine.model import Authority

HEAD_CHARS = 20_000  # the title page and opening sections say who is writing
TITLE_CHARS = 400  # the first lines: a phrase here counts double
WEIGHTS = {"strong": 3, "weak": 1}


@dataclass(frozen=True)
class _Phrase:
    pattern: re.Pattern[str]
    weight: int


@cache
def _phrases() -> dict[Authority, tuple[_Phrase, ...]]:
    data = resource("authority.yaml")
    return {
        Authority(name): tuple(
            _Phrase(re.compile(p, re.IGNORECASE | re.MULTILINE), WEIGHTS[strength])
            for strength, patterns in groups.items()
            for p in patterns
        )
        for name, groups in data.items()
    }


def authority_scores(text: str) -> dict[Authority, tuple[int, str]]:
    """Each authority's score over the document's opening, with its best-weighted phrase."""
    head, title_end = text[:HEAD_CHARS], min(TITLE_CHARS, len(text))
    scores: dict[Authority, tuple[int, str]] = {}
    for authority, phrases in _phrases().items():
        total, best, best_points = 0, "", 0
        for phrase in phrases:
            match = phrase.pattern.search(head)
            if match is None:
                continue
            points = phrase.weight * (2 if match.start() < title_end else 1)
            total += points
            if points > best_points:
                best, best_points = match.group(0).strip(), points
        scores[authority] = (total, best)
    return scores


def detect_authority(text: str) -> tuple[Authority, str]:
    """The authority with the highest score, and the phrase that decided it (no phrase:
    non-statutory guidance, the commonest kind)."""
    best: tuple[int, Authority, str] = (0, Authority.GUIDANCE, "")
    for authority, (score, phrase) in authority_scores(text).items():
        if score > best[0]:
            best = (score, authority, phrase)
    return best[1], best[2]
