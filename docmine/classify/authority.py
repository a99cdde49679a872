"""Detect a document's authority (legislation, statutory guidance, guidance, summary, position
paper) from its own words: the force of "must" depends on who wrote it."""

from __future__ import annotations

import re
from functools import cache

import yaml

from docmine.config import RESOURCES_DIR
from docmine.model import Authority

HEAD_CHARS = 20_000  # the title page and opening sections say who is writing


@cache
def _patterns() -> dict[Authority, tuple[re.Pattern[str], ...]]:
    data = yaml.safe_load((RESOURCES_DIR / "authority.yaml").read_text(encoding="utf-8"))
    return {
        Authority(name): tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns)
        for name, patterns in data.items()
    }


def detect_authority(text: str) -> tuple[Authority, str]:
    """The authority with the most matching phrases, and the phrase that decided it."""
    head = text[:HEAD_CHARS]
    best: tuple[int, Authority, str] = (0, Authority.GUIDANCE, "")
    for authority, patterns in _patterns().items():
        hits = [m.group(0) for p in patterns if (m := p.search(head))]
        if len(hits) > best[0]:
            best = (len(hits), authority, hits[0])
    return best[1], best[2]
