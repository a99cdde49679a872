"""Statutory duties (resources/duties.yaml) a clause states or restates, found by phrase patterns
(resources/duty_patterns.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from docmine.config import RESOURCES_DIR
from docmine.model import DutyLink


@dataclass(frozen=True)
class Duty:
    id: str
    what: str
    law: str
    holders: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@cache
def load_duties(path: Path = RESOURCES_DIR / "duties.yaml") -> tuple[Duty, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    patterns = yaml.safe_load((RESOURCES_DIR / "duty_patterns.yaml").read_text("utf-8")) or {}
    return tuple(
        Duty(
            id=str(duty_id),
            what=str(spec.get("what", "")),
            law=str(spec.get("law", "")),
            holders=tuple(spec.get("holders", [])),
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in patterns.get(duty_id, [])),
        )
        for duty_id, spec in data.items()
    )


def find_duty(text: str, duties: tuple[Duty, ...]) -> DutyLink | None:
    """The first duty the clause names (DECISIONS.md A.7: the first duty named wins)."""
    best: tuple[int, Duty, str] | None = None
    for duty in duties:
        for pattern in duty.patterns:
            match = pattern.search(text)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), duty, match.group(0))
    if best is None:
        return None
    _, duty, matched = best
    return DutyLink(id=duty.id, law=duty.law, matched=matched)
