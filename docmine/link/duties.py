"""Statutory duties (resources/duties.yaml) a clause states or restates, found by phrase patterns
(resources/duty_patterns.yaml) and gated by duty_rules.yaml: a clause that is an instruction, or
that frames the duty in law, links it; a description that only mentions the topic does not."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docmine.config import RESOURCES_DIR, read_data
from docmine.link.bodies import Gazetteer, load_gazetteer
from docmine.model import DutyLink

PATTERNS_FILE = RESOURCES_DIR / "duty_patterns.yaml"
RULES_FILE = RESOURCES_DIR / "duty_rules.yaml"
BODIES_FILE = RESOURCES_DIR / "bodies.yaml"
# "{body:integrated care partnership}" in a pattern: that body's name, its initials, and the
# aliases a user's bodies file gives it (so a user's acronym reaches the duty patterns too)
_BODY = re.compile(r"\{body:([^}]+)\}")


@dataclass(frozen=True)
class Duty:
    id: str
    what: str
    law: str
    holders: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    names: tuple[re.Pattern[str], ...] = ()  # the duty called by its name: no gate


@dataclass(frozen=True)
class DutyRules:
    framing: re.Pattern[str]
    back_references: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    cross_cutting: frozenset[tuple[str, str]] = frozenset()  # (initials, year) of such Acts
    product_subject: re.Pattern[str] = re.compile(r"(?!)")


@cache
def load_duties(
    path: Path = RESOURCES_DIR / "duties.yaml", bodies_files: tuple[Path, ...] = (BODIES_FILE,)
) -> tuple[Duty, ...]:
    """The duties, their patterns with `{body:...}` written out (`_with_bodies`), with the
    aliases the user's files among `bodies_files` add."""
    data = read_data(path)
    own = [f for f in bodies_files if f.resolve() != BODIES_FILE.resolve()]
    users = load_gazetteer(own) if own else None
    patterns = {
        duty_id: [_with_bodies(p, users) for p in items or []]
        for duty_id, items in read_data(PATTERNS_FILE).items()
    }
    return tuple(
        Duty(
            id=str(duty_id),
            what=str(spec.get("what", "")),
            law=str(spec.get("law", "")),
            holders=tuple(spec.get("holders", [])),
            patterns=_compiled(p for p in patterns.get(duty_id, []) if isinstance(p, str)),
            names=_compiled(
                p["name"] for p in patterns.get(duty_id, []) if isinstance(p, dict) and "name" in p
            ),
        )
        for duty_id, spec in data.items()
    )


def _with_bodies(pattern: object, users: Gazetteer | None) -> object:
    """A pattern (or a `name:` pattern) with each `{body:X}` written out as X's canonical name,
    its initials as an acronym ("ICP"), each also in the plural, and whatever aliases the user's
    bodies files give X ("JCP"). The shipped gazetteer's other aliases are left out: some are
    ambiguous in a duty's phrase ("HCP" is more often a healthcare professional)."""
    if isinstance(pattern, dict):
        return {k: _with_bodies(v, users) for k, v in pattern.items()}
    if not isinstance(pattern, str):
        return pattern

    def names(match: re.Match[str]) -> str:
        canonical = match.group(1).strip()
        initials = "".join(w[0] for w in canonical.split() if w[0].isalpha()).upper()
        found = {re.escape(canonical) + "s?", re.escape(initials) + "s?"}
        if canonical.endswith("y"):
            found.add(re.escape(canonical[:-1]) + "ies")
        for alias, body in users.aliases if users is not None else ():
            if body == canonical:
                found.add(re.escape(alias))
        return "(?:" + "|".join(sorted(found, key=len, reverse=True)) + ")"

    return _BODY.sub(names, pattern)


def _compiled(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def load_duty_rules(path: Path = RULES_FILE) -> DutyRules:
    data = read_data(path)
    framing = "|".join(f"(?:{p})" for p in data.get("framing", [])) or r"(?!)"
    return DutyRules(
        framing=re.compile(framing, re.IGNORECASE),
        back_references=tuple(
            (re.compile(str(b["pattern"]), re.IGNORECASE), tuple(b.get("duties", [])))
            for b in data.get("back_references", [])
        ),
        cross_cutting=frozenset(
            readings[0]
            for act in data.get("cross_cutting_acts", [])
            for readings in cited_acts(act)
        ),
        product_subject=re.compile(str(data.get("product_subject", r"(?!)")), re.IGNORECASE),
    )


def frames_in_law(text: str) -> bool:
    """Whether the clause names a duty or frames what it says as law (duty_rules.yaml)."""
    return bool(load_duty_rules().framing.search(text))


# Quotation marks around words ("its 'public involvement' legal duty") do not change a name.
_QUOTE = re.compile(r"(?<!\w)[‘“\"']|[’”\"'](?!\w)")


def _unquoted(text: str) -> tuple[str, list[int]]:
    """The text without quotation marks, and where each of its characters was in `text` (no
    positions when it has no quotation marks: nothing more to search)."""
    quotes = {m.start() for m in _QUOTE.finditer(text)}
    if not quotes:
        return text, []
    kept = [i for i in range(len(text)) if i not in quotes]
    return "".join(text[i] for i in kept), kept


def _search(
    pattern: re.Pattern[str], text: str, plain: str, where: list[int]
) -> tuple[int, int] | None:
    """Where the pattern matches the text as written (some patterns read the quotes: "to 'have
    regard'"), else the text without quotation marks, as a span of the text."""
    match = pattern.search(text)
    if match:
        return match.start(), match.end()
    match = pattern.search(plain) if where else None
    if not match or match.end() == match.start():
        return None
    return where[match.start()], where[match.end() - 1] + 1


def match_duty(
    text: str,
    duties: tuple[Duty, ...],
    names: bool = False,
    keep: Callable[[DutyLink], bool] | None = None,
) -> tuple[int, DutyLink] | None:
    """The first duty the clause names by a pattern (DECISIONS.md A.7) that `keep` allows (all,
    by default), and where its match starts; with `names`, by the patterns that call it by its
    name ("the duty to collaborate", "the triple aim")."""
    plain, where = _unquoted(text)
    best: tuple[int, int, DutyLink] | None = None
    for order, duty in enumerate(duties):
        for pattern in duty.names if names else duty.patterns:
            span = _search(pattern, text, plain, where)
            if span is None or (best is not None and (span[0], order) >= best[:2]):
                continue
            link = DutyLink(id=duty.id, law=duty.law, matched=text[span[0] : span[1]])
            if keep is None or keep(link):
                best = (span[0], order, link)
    return (best[0], best[2]) if best is not None else None


def back_referenced_duty(text: str, duties: tuple[Duty, ...], recent: list[str]) -> DutyLink | None:
    """A duty referred to by its subject only ("The strategy must ..."): the most recently
    linked of the candidate duties, else the first candidate."""
    by_id = {d.id: d for d in duties}
    for pattern, candidates in load_duty_rules().back_references:
        match = pattern.search(text)
        if not match:
            continue
        known = [c for c in candidates if c in by_id]
        chosen = next((d for d in reversed(recent) if d in known), known[0] if known else None)
        if chosen:
            return DutyLink(id=chosen, law=by_id[chosen].law, matched=match.group(0).strip())
    return None


def holds(duty: DutyLink, duties: tuple[Duty, ...], holder: str, bodies: Sequence[str]) -> bool:
    """Whether the clause's holder or a body it names is one that holds the duty (duties.yaml
    `holders`): "local authorities must have regard to this guidance" is not the ICB's duty to
    have regard to NHS guidance. A duty without listed holders, or a clause naming no body at
    all, is not gated."""
    spec = next((d for d in duties if d.id == duty.id), None)
    if spec is None or not spec.holders:
        return True
    named = [b for b in (holder, *bodies) if b]
    return not named or any(b in spec.holders for b in named)


# An Act cited by name ("the Counter-Terrorism and Security Act 2015", "NHS Act 2006", "HSC Act
# 2012") or by initials and year ("CTSA 2015"). A name's words never run across another "Act"
# ("the NHS Act and the Care Act 2014"); the first may open the sentence ("Under the NHS Act").
_ACT_IN_FULL = re.compile(
    r"\b((?:(?!Act\b)(?:[A-Z][\w'’&-]*|&|and|of|in|for|the)\s+){1,12})Act\s+(\d{4})\b"
)
_ACT_INITIALS = re.compile(r"\b([A-Z]{3,}A)\s+(\d{4})\b")
_FUNCTION_WORDS = frozenset({"and", "of", "in", "for", "the", "&"})
# capitals ending in A that are words, not an Act's initials ("NHS DATA 2024")
_NOT_INITIALS = frozenset({"AGENDA", "AREA", "CRITERIA", "DATA", "FORMULA", "IDEA", "MEDIA"})


def _initials(words: Sequence[str]) -> str:
    """ "National Health Service" -> "NHS"; a word in capitals gives all its letters ("HSC")."""
    out = []
    for word in words:
        letters = re.sub(r"[^A-Za-z]", "", word)
        if word.lower() in _FUNCTION_WORDS or not letters:
            continue
        out.append(letters if len(letters) > 1 and letters.isupper() else letters[0].upper())
    return "".join(out)


def cited_acts(text: str) -> list[tuple[tuple[str, str], ...]]:
    """The Acts a text cites, each as its readings (initials, year), the whole name first, then
    without its first word, and so on ("Under the NHS Act 2006": UNHSA, NHSA): "NHS Act 2006"
    and "National Health Service Act 2006" both read ("NHSA", "2006"), "Counter-Terrorism and
    Security Act 2015" and "CTSA 2015" both ("CTSA", "2015")."""
    acts = []
    for match in _ACT_IN_FULL.finditer(text):
        words = re.split(r"[\s-]+", match.group(1).strip())
        readings = dict.fromkeys(
            (_initials(words[i:]) + "A", match.group(2))
            for i in range(len(words))
            if words[i].lower() not in _FUNCTION_WORDS
        )
        if readings:  # not "The Act 2006": no name
            acts.append(tuple(readings))
    for match in _ACT_INITIALS.finditer(text):
        if match.group(1) not in _NOT_INITIALS:
            acts.append(((match.group(1), match.group(2)),))
    return acts


@cache
def statute_book(duties: tuple[Duty, ...]) -> frozenset[tuple[str, str]]:
    """The Acts the duties live in (their `law`, including the Acts that amended them)."""
    return frozenset(readings[0] for duty in duties for readings in cited_acts(duty.law))


OTHER_LAW_CITATIONS = 2  # one footnote citing the Care Act does not make guidance the Act's
OPENING_CHARS = 1500  # an Act cited in a document's title or opening is the document's own


def document_under_other_law(text: str, duties: tuple[Duty, ...]) -> bool:
    """Whether a whole document places its duties under other Acts (`under_other_law` over its
    text), leaving out the Acts every public body works under (duty_rules.yaml
    `cross_cutting_acts`: NHS guidance citing the Equality Act 2010 is still NHS guidance). The
    other Act must be the document's: cited in its opening, or more than once ("the 2015 Act"
    counts), not only in a footnote at its end."""
    ignored = load_duty_rules().cross_cutting
    if not under_other_law(text, duties, ignored):
        return False
    cited = [readings for readings in cited_acts(text) if not set(readings) & ignored]
    years = {year for readings in cited for _, year in readings}
    again = [m for m in re.finditer(r"\b[Tt]he (\d{4}) Act\b", text) if m.group(1) in years]
    opening = any(not set(readings) & ignored for readings in cited_acts(text[:OPENING_CHARS]))
    return opening or len(cited) + len(again) >= OTHER_LAW_CITATIONS


def under_other_law(
    text: str, duties: tuple[Duty, ...], ignored: frozenset[tuple[str, str]] = frozenset()
) -> bool:
    """Whether the clause places what it says under Acts none of the duties is in ("Section 38
    CTSA 2015 sets out the duty of cooperation"): then it states another statute's duty. A
    clause that also cites an Act of the book is not (nor one citing no Act at all, or only
    the `ignored` Acts)."""
    acts = [readings for readings in cited_acts(text) if not set(readings) & ignored]
    book = statute_book(duties)
    return bool(acts) and not any(set(readings) & book for readings in acts)


def find_duty(
    text: str,
    duties: tuple[Duty, ...],
    instruction: bool = True,
    recent: list[str] | None = None,
    holder: str | None = None,
    bodies: Sequence[str] = (),
    other_law: bool = False,
) -> DutyLink | None:
    """The duty the clause states or restates. A duty called by its name links whatever the
    clause ("the public involvement duty", "the triple aim"). Otherwise `instruction` is whether
    its force is not none: a `none` clause links a duty only when it frames it in law or names it
    as a duty; with a `holder` ("" for none found), a duty found by a pattern links only if
    `holds` says so. A clause citing only Acts that hold none of the duties links none, nor any
    clause of a document that does (`other_law`: guidance on the Children Act's or the Prevent
    duty's "duty to co-operate" or "have regard to guidance" states that Act's duty)."""
    if other_law or under_other_law(text, duties):
        return None
    called = match_duty(text, duties, names=True)

    def held(link: DutyLink) -> bool:
        # "ICPs must have regard to this guidance when preparing ... an integrated care
        # strategy": the first duty named that the clause's holder can hold, not the first named
        return (
            holder is None
            or (holder == "" and bool(load_duty_rules().product_subject.match(link.matched)))
            or holds(link, duties, holder, bodies)
        )

    stated = instruction or frames_in_law(text)
    named = match_duty(text, duties, keep=held) if stated else None
    # the first duty the clause names, whether by its name or by a pattern (DECISIONS.md A.7)
    first = min((m for m in (called, named) if m is not None), key=lambda m: m[0], default=None)
    if first is not None:
        return first[1]
    if not (instruction or frames_in_law(text)):
        return None
    return back_referenced_duty(text, duties, recent or [])
