"""Everyday words to the guidance's own: a query typed in plain English ("bed sores", "town
hall", "binning patient files") shares few words with the clauses that answer it ("pressure
ulcers", "local authority", "destruction of records"). The thesaurus (resources/thesaurus.yaml,
or the file DOCMINE_THESAURUS names) lists, for each formal term, the lay phrases people use for
it; a lay phrase in a query becomes one concept: its own words or any of its formal terms.

Phrases are looked up as word sequences, the last word in the singular, longest first from the
left: a dictionary probe per word and length, so a query pays microseconds whatever the size of
the thesaurus. A formal term typed in full is read as itself (no shorter lay phrase inside it
fires: "physician associates" is not "physician"); a lay phrase written in capitals ("SEND",
"COP") matches only in capitals; a match never starts or ends inside a hyphenated word
("non-urgent care" is not "urgent care")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docmine.config import InvalidSetting, read_data

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")


@dataclass(frozen=True)
class LayTerm:
    """A lay phrase found in a query, where, and the formal terms it stands for."""

    text: str
    start: int
    end: int
    formal: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    # lay phrase as a key (`_key`) -> formal terms; () for a formal term typed in full
    formal: dict[str, tuple[str, ...]]
    longest: int  # words in the longest lay phrase or formal term
    exact: dict[str, tuple[str, ...]]  # lay phrases written in capitals, case kept

    def find(self, query: str) -> list[LayTerm]:
        """Lay phrases in the query, in order, never overlapping; where two could start at one
        word, the longer wins ("nursing home" over "home")."""
        words = list(_WORD.finditer(query))
        found: list[LayTerm] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                start, end = words[i].start(), words[i + n - 1].end()
                if _inside_compound(query, start, end):
                    continue
                typed = [w.group(0) for w in words[i : i + n]]
                terms = self.exact.get(_key(typed, fold=False))
                if terms is None:
                    terms = self.formal.get(_key(typed))
                if terms is not None:
                    if terms:  # () is a formal term: read as written, nothing inside it fires
                        found.append(LayTerm(query[start:end], start, end, terms))
                    i += n
                    break
            else:
                i += 1
        return found


def _inside_compound(text: str, start: int, end: int) -> bool:
    """A hyphen joins the span to a word before or after it ("non-urgent", "self-funders")."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalnum()
    )


def _key(words: list[str], fold: bool = True) -> str:
    """The words (lower case unless `fold` is off), apostrophes dropped, the last in the
    singular: "Town Hall's", "town halls" -> "town hall"; "old peoples homes" -> "old peoples
    home"."""
    if not words:
        return ""
    cleaned = [w.replace("’", "'") for w in words]
    cleaned = [w.lower() for w in cleaned] if fold else cleaned
    last = cleaned[-1].removesuffix("'s").removesuffix("'S")
    lower = last.lower()
    if len(last) > 4 and lower.endswith("sses"):
        last = last[:-2]
    elif len(last) > 3 and lower.endswith("ies"):
        last = last[:-3] + ("Y" if last.isupper() else "y")
    elif len(last) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        last = last[:-1]
    return " ".join(w.replace("'", "") for w in [*cleaned[:-1], last])


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
    if not isinstance(data, dict) or not all(
        isinstance(term, str)
        and isinstance(lays, list | None)
        and all(isinstance(lay, str) and lay.strip() for lay in lays or ())
        for term, lays in data.items()
    ):
        raise InvalidSetting(
            f"{path}: a thesaurus maps each formal term to a list of lay phrases (text)"
        )
    formal: dict[str, list[str]] = {}
    exact: dict[str, list[str]] = {}
    own = {_key(_WORD.findall(term)) for term in data}
    for term, lays in data.items():
        term = " ".join(term.split())
        for lay in lays or ():
            words = _WORD.findall(lay)
            capitals = bool(_ACRONYM.search(lay))
            key = _key(words, fold=not capitals)
            if not key or _key(words) in own:  # a formal term is read as itself
                continue
            chosen = (exact if capitals else formal).setdefault(key, [])
            if term not in chosen:
                chosen.append(term)
    keys = {**dict.fromkeys(own, ()), **{k: tuple(v) for k, v in formal.items() if v}}
    return Thesaurus(
        keys,
        max((key.count(" ") + 1 for key in [*keys, *exact] if key), default=0),
        {key: tuple(terms) for key, terms in exact.items() if terms},
    )
