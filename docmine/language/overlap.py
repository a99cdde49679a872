"""Word-token overlap (Dice over token counts): how well one clause text reproduces another.

Used to align gold rows with produced clauses, both when measuring segmentation and when giving
gold rows their section context for training. Also the content words of a text, which search's
reranker counts a query's words in (a clause, its headings, its whole document)."""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+")


def word_counts(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def dice(left: Counter[str], right: Counter[str]) -> float:
    total = sum(left.values()) + sum(right.values())
    return 2 * sum((left & right).values()) / total if total else 0.0


def token_overlap(a: str, b: str) -> float:
    return dice(word_counts(a), word_counts(b))


_WORD = re.compile(r"[a-z0-9]+")
# Not search's stop list: BM25 keeps "must" and "should" (a query's force words match clauses),
# while coverage leaves them to the reranker's force features and counts only what a query is
# about.
_STOP = frozenset(
    "a an and are as at be by can do does for from how i in is it its of on or should that the "
    "their there they this to was what when where which who why will with must may our we you "
    "your".split()
)


def content_terms(text: str) -> set[str]:
    """The content words of a text, lowercased, in the singular: for term coverage."""
    return {_singular(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _singular(word: str) -> str:
    if len(word) <= 4 or word.endswith("ss"):
        return word
    return word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
