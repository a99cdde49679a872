"""The deontic cue lexicon (resources/cues.yaml) and the function that finds cues in text.

Shared by segmentation (to split a sentence where the force changes) and classification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from docmine.config import resource
from docmine.model import Force

FORCE_LABELS = (Force.MANDATORY, Force.EXPECTATION, Force.SUGGESTION)


@dataclass(frozen=True)
class Cue:
    """A deontic phrase found in a clause; `label` is a force or a blocking signal."""

    label: str
    text: str
    start: int
    end: int

    @property
    def negated(self) -> bool:
        return bool(re.search(r"\bnot\b|\bavoid", self.text, re.IGNORECASE)) and not re.search(
            r"not need|need not|not mandating", self.text, re.IGNORECASE
        )


WORDS = "words"  # the lexicon's word lists, not patterns


@cache
def lexicon() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Each label's patterns (a force, or a signal that blocks or changes one)."""
    data = resource("cues.yaml")
    return {
        label: tuple(re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for p in patterns)
        for label, patterns in data.items()
        if label != WORDS
    }


@cache
def modal_verbs() -> frozenset[str]:
    """Lemmas of the modal heads whose subject is the holder ("must", "need", "have" to)."""
    return frozenset(str(w).lower() for w in resource("cues.yaml")[WORDS]["modal_verbs"])


@cache
def first_word_baseline() -> dict[str, Force]:
    """The baseline's deontic words and the force each gives when it comes first."""
    words = resource("cues.yaml")[WORDS]["first_word_baseline"]
    return {str(w).lower(): Force(f) for w, f in words.items()}


_OPENING_QUOTE = re.compile(r"[“‘\"']\s?$")
_CLOSING_QUOTE = re.compile(r"^\s?[”’\"']")


def quoted(text: str, start: int, end: int) -> bool:
    """Whether the words at `start:end` stand in quotation marks: mentioned, not used ("terms
    such as “should” indicate good practice", "'must' means a legal requirement")."""
    return bool(_OPENING_QUOTE.search(text[max(0, start - 2) : start])) and bool(
        _CLOSING_QUOTE.match(text[end : end + 2])
    )


def find_cues(text: str, labels: tuple[str, ...] | None = None) -> list[Cue]:
    """All cues in `text`, leftmost first; at the same start the longer phrase comes first. A
    word in quotation marks is mentioned, not used, and is no cue."""
    found: list[Cue] = []
    for label, patterns in lexicon().items():
        if labels is not None and label not in labels:
            continue
        for pattern in patterns:
            found.extend(
                Cue(label, m.group(0), m.start(), m.end())
                for m in pattern.finditer(text)
                if not quoted(text, m.start(), m.end())
            )
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    return found


def force_cues(text: str) -> list[Cue]:
    """Only the cues that carry a force label."""
    return find_cues(text, tuple(str(f) for f in FORCE_LABELS))


# A cue inside a wh-clause ("guidance on what should be in a strategy", "how they might set up")
# or a fronted subordinate clause ("Whilst the ICB may differ..., ...") does not govern the main
# verb (rule 9). A wh-word that opens the clause ("which each ICB must publish") still governs.
_WH_BEFORE = re.compile(
    r"\b(?:who|whom|what|how|whether|where|when|which|why)\b[^,;:.?!]*$",
    re.IGNORECASE,
)
_SUBORDINATE_BEFORE = re.compile(
    r"^\W*(?:whilst|while|although|though|because|since|as|if|unless|where)\b[^,;:]*$",
    re.IGNORECASE,
)
_CLAUSE_OPENERS = frozenset({"", "and", "but", "to", "in", "of", "on", "by", "for", "and to"})
# "Should" put before its subject opens a conditional, closed by a comma before the main clause
# ("Should the board wish, the period could be extended"; "Should you wish to appeal, you must
# ..."): it is "if", not an expectation (a question has no main clause after the comma)
INVERTED_CONDITIONAL = re.compile(r"(?i:should)\s+(?!not\b)[^,;:?]{3,150}(?=,\s*\S[^?]*$)")


def as_if(text: str) -> str:
    """The text with an opening inverted conditional written as the "if" it means, "Should" ->
    "If" padded to the same length (every offset stays put): what the force model reads, so
    that it sees the conditional it knows rather than an expectation it never saw so put."""
    start = len(text) - len(text.lstrip())
    if INVERTED_CONDITIONAL.match(text, start) is None:
        return text
    return f"{text[:start]}If{' ' * 4}{text[start + 6 :]}"


def governs(scope: str, cue: Cue) -> bool:
    """Whether a cue governs the main verb of `scope`, rather than a wh- or subordinate clause."""
    before = scope[: cue.start]
    if _SUBORDINATE_BEFORE.search(before):
        return False
    if not before.strip(" \t\u2022-") and INVERTED_CONDITIONAL.match(scope, cue.start):
        return False
    wh = _WH_BEFORE.search(before)
    if wh is None:
        return True
    opener = before[: wh.start()].strip(" ,(\u2013-").lower()
    return opener in _CLAUSE_OPENERS
