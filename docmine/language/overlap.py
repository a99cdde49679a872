"""Word-token overlap (Dice over token counts): how well one clause text reproduces another.

Used to align gold rows with produced clauses, both when measuring segmentation and when giving
gold rows their section context for training."""

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
