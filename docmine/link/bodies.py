"""Bodies: a gazetteer (resources/bodies.yaml, extensible with --bodies) matched with plurals,
possessives, "the X", line breaks and case; acronyms defined in the document are learned."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from docmine.model import Mention

# Generic words that name a body only in some contexts (DECISIONS.md C.23)
_GENERIC = {"system", "systems", "council", "councils", "the department", "nhs body", "voluntary"}
_GENERIC_BLOCKERS = re.compile(
    r"^(?:[\s-]+(?:level|wide|partners?|leaders?|leadership|working|transformation|"
    r"to-system|change|architecture|approach|priorities|colleagues))",
    re.IGNORECASE,
)
_GENERIC_PREFIX_BLOCKERS = re.compile(
    r"(?:health and (?:social )?care|health|care|the whole|national|new|current|whole)\s+$",
    re.IGNORECASE,
)
_DEFINITION = re.compile(r"([A-Za-z][A-Za-z ,'&-]{3,80}?)\s*\(([A-Z][A-Za-z]{1,7}?)(s?)\)")


@dataclass(frozen=True)
class Gazetteer:
    """Canonical body names and every alias, as one compiled matcher."""

    aliases: tuple[tuple[str, str], ...]  # (alias, canonical), longest first

    @property
    def canonical_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for _, c in self.aliases))

    def canonical_for(self, phrase: str) -> str | None:
        key = _key(phrase)
        for alias, canonical in self.aliases:
            if _key(alias) == key:
                return canonical
        return None


def _key(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower()).removeprefix("the ")


def _plural(alias: str) -> str:
    if alias.isupper() or alias.endswith("s"):
        return alias
    if alias.endswith("y") and not alias.endswith(("ay", "ey", "oy")):
        return alias[:-1] + "ies"
    return alias + "s"


def load_gazetteer(paths: Iterable[Path]) -> Gazetteer:
    """Merge gazetteer files in order; a later file may add aliases to an existing body."""
    pairs: dict[str, str] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for canonical, aliases in data.items():
            for alias in [canonical, *(aliases or [])]:
                pairs.setdefault(str(alias), str(canonical))
                pairs.setdefault(_plural(str(alias)), str(canonical))
    ordered = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
    return Gazetteer(tuple(ordered))


@cache
def _matcher(gazetteer: Gazetteer) -> re.Pattern[str]:
    parts = []
    for alias, _ in gazetteer.aliases:
        words = r"[\s-]+".join(re.escape(w) for w in alias.split())
        # acronyms match case-sensitively; names in any case
        parts.append(f"(?-i:{words})" if alias.replace("/", "").isupper() else words)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?:['’]s|s['’])?(?![\w-])", re.IGNORECASE)


def _generic_ok(text: str, start: int, end: int) -> bool:
    """ "system" names an ICS only as a noun on its own ("within a system", not "system level")."""
    return not (
        _GENERIC_BLOCKERS.match(text[end:]) or _GENERIC_PREFIX_BLOCKERS.search(text[:start])
    )


def learn_acronyms(text: str, gazetteer: Gazetteer) -> dict[str, str]:
    """Acronyms a document defines, "integrated care boards (ICBs)" -> ICB: integrated care board.

    A definition the gazetteer does not know (ICP = integrated care *provider*) maps the acronym
    to "" so that it is not linked to the wrong body."""
    learned: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        expansion, acronym = match.group(1), match.group(2)
        words = expansion.split()
        initials = "".join(w[0] for w in words if w[0].isalpha()).upper()
        take = next((n for n in range(len(words), 0, -1) if initials[-n:] == acronym.upper()), 0)
        if not take:
            continue
        phrase = " ".join(words[-take:])
        canonical = gazetteer.canonical_for(phrase)
        if canonical is None and gazetteer.canonical_for(acronym) is not None:
            canonical = ""
        if canonical is not None:
            learned.setdefault(acronym, canonical)
    return learned


def find_bodies(
    text: str, gazetteer: Gazetteer, acronyms: dict[str, str] | None = None
) -> list[Mention]:
    """Every body the text names, in order, with the matched words and their span."""
    mentions: list[Mention] = []
    for match in _matcher(gazetteer).finditer(text):
        surface = match.group(0)
        bare = re.sub(r"(?:['’]s|s['’])$", "", surface)
        key = bare.rstrip("s") if bare[:-1].isupper() else bare
        if acronyms and key in acronyms:
            canonical = acronyms[key]
        else:
            canonical = gazetteer.canonical_for(bare) or gazetteer.canonical_for(surface) or ""
        if not canonical:
            continue
        if _key(bare) in _GENERIC and not _generic_ok(text, match.start(), match.end()):
            continue
        mentions.append(Mention(canonical, surface, match.start(), match.end()))
    return mentions
