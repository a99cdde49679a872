"""Everyday words to the guidance's own: a query typed in plain English ("bed sores", "town
hall", "binning patient files") shares few words with the clauses that answer it ("pressure
ulcers", "local authority", "destruction of records"). The thesaurus (resources/thesaurus.yaml,
or the file DOCMINE_THESAURUS names) lists, for each formal term, the lay phrases people use for
it; a lay phrase in a query becomes one concept: its own words or any of its formal terms.

Phrases are looked up as word sequences, the last word in the singular, longest first from the
left: a dictionary probe per word and length, so a query pays microseconds whatever the size of
the thesaurus."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docmine.config import InvalidSetting, read_data

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class LayTerm:
    """A lay phrase found in a query, where, and the formal terms it stands for."""

    text: str
    start: int
    end: int
    formal: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    formal: dict[str, tuple[str, ...]]  # lay phrase as a key (`_key`) -> formal terms
    longest: int  # words in the longest lay phrase

    def find(self, query: str) -> list[LayTerm]:
        """Lay phrases in the query, in order, never overlapping; where two could start at one
        word, the longer wins ("nursing home" over "home")."""
        words = list(_WORD.finditer(query))
        found: list[LayTerm] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                terms = self.formal.get(_key(w.group(0) for w in words[i : i + n]))
                if terms:
                    start, end = words[i].start(), words[i + n - 1].end()
                    found.append(LayTerm(query[start:end], start, end, terms))
                    i += n
                    break
            else:
                i += 1
        return found


def _key(words: object) -> str:
    """Words lower case, the last in the singular: "Town Hall's" and "town halls" -> "town
    hall"."""
    folded = [str(w).lower().replace("’", "'") for w in words]  # type: ignore[attr-defined]
    if not folded:
        return ""
    last = folded[-1].removesuffix("'s")
    if len(last) > 3 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return " ".join([*folded[:-1], last])


def load_thesaurus(path: Path) -> Thesaurus:
    """Read `formal term: [lay phrase, ...]`; a lay phrase under several terms stands for each.
    Built once while the file is unchanged (a query pays a stat, not a parse)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InvalidSetting(f"{path}: cannot read it ({exc.strerror})") from None
    return _load(path, stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, mtime_ns: int, size: int) -> Thesaurus:
    data = read_data(path)
    if not isinstance(data, dict) or not all(isinstance(v, list | None) for v in data.values()):
        raise InvalidSetting(f"{path}: a thesaurus maps each formal term to a list of lay phrases")
    formal: dict[str, list[str]] = {}
    for term, lays in data.items():
        term = " ".join(str(term).split())
        own = _key(_WORD.findall(term))
        for lay in lays or ():
            key = _key(_WORD.findall(str(lay)))
            if key and key != own and term not in formal.setdefault(key, []):
                formal[key].append(term)
    return Thesaurus(
        {key: tuple(terms) for key, terms in formal.items() if terms},
        max((key.count(" ") + 1 for key in formal), default=0),
    )
