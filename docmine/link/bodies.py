"""Bodies: a gazetteer (resources/bodies.yaml, extensible with --bodies) matched with plurals,
possessives, "the X", line breaks and case; acronyms defined in the document are learned, and
generic words ("system") count only where they name a body (rules in body_rules.yaml)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docmine.config import RESOURCES_DIR, InvalidSetting, read_data
from docmine.model import Mention

RULES_FILE = RESOURCES_DIR / "body_rules.yaml"
_DEFINITION = re.compile(r"([A-Za-z][A-Za-z ,'’&-]{3,80}?)\s*\(([A-Z][A-Za-z/]{1,7}?)(s?)\)")
_MODIFIER_DEPS = {"compound", "amod", "nmod"}


@dataclass(frozen=True)
class BodyRules:
    """Generic words, alias traps and back-references (resources/body_rules.yaml)."""

    generic: frozenset[str]
    generic_where_named: frozenset[str]  # generic words that need the body named outright
    blocked_after: re.Pattern[str]
    blocked_before: re.Pattern[str]
    not_bodies: re.Pattern[str] | None
    back_reference: re.Pattern[str] | None
    ambiguous: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    reader_services: tuple[tuple[str, str], ...] = ()  # "care service" -> social care provider
    resident_services: frozenset[str] = frozenset()  # "your GP": the reader is a resident
    back_defaults: tuple[tuple[str, str], ...] = ()  # "commission" -> Care Quality Commission
    back_heads: frozenset[str] = frozenset()  # the head words of `back_reference`
    back_organs: frozenset[str] = frozenset()  # "board": "NHS England Board" is NHS England's
    back_default_rivals: tuple[tuple[str, str], ...] = ()  # "board" is an NHS trust's own
    named_through: tuple[tuple[str, str], ...] = ()  # ICB named -> ICS counts as named
    generic_names_other: frozenset[str] = frozenset()  # "Learning System" names no ICS


@dataclass(frozen=True)
class Gazetteer:
    """Canonical body names and every alias, as one compiled matcher, with the matching rules."""

    aliases: tuple[tuple[str, str], ...]  # (alias, canonical), longest first
    rules: BodyRules

    @property
    def canonical_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for _, c in self.aliases))

    def canonical_for(self, phrase: str) -> str | None:
        return _alias_index(self).get(_key(phrase))


_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


def _without_possessive(surface: str) -> str:
    """ "the System's" -> "the System", "councils'" -> "council"."""
    return _POSSESSIVE.sub("", surface)


def _key(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.strip().lower()).removeprefix("the ")


@cache
def _alias_index(gazetteer: Gazetteer) -> dict[str, str]:
    index: dict[str, str] = {}
    for alias, canonical in gazetteer.aliases:
        index.setdefault(_key(alias), canonical)
    return index


def _plural(alias: str) -> str:
    if alias.isupper() or alias.endswith("s"):
        return alias
    if alias.endswith("y") and not alias.endswith(("ay", "ey", "oy")):
        return alias[:-1] + "ies"
    return alias + "s"


def _words(items: Iterable[str]) -> str:
    return "|".join(r"[\s-]+".join(re.escape(w) for w in i.split()) for i in items)


def load_rules(path: Path = RULES_FILE) -> BodyRules:
    data: dict[str, Any] = read_data(path)
    traps = [str(p) for p in data.get("not_bodies", [])]
    heads = [str(h) for h in data.get("back_reference_heads", [])]
    dets = [str(d) for d in data.get("back_reference_determiners", [])]
    back = (
        re.compile(rf"\b(?:{_words(dets)})\s+({_words(heads)})\b", re.IGNORECASE)
        if heads and dets
        else None
    )
    return BodyRules(
        generic=frozenset(_key(g) for g in data.get("generic", [])),
        generic_where_named=frozenset(_key(g) for g in data.get("generic_where_named", [])),
        generic_names_other=frozenset(_key(g) for g in data.get("generic_names_other", [])),
        blocked_after=re.compile(
            rf"^(?:[\s-]+(?:{_words(data.get('generic_blockers_after', []))})\b|-)", re.IGNORECASE
        ),
        blocked_before=re.compile(
            rf"(?:^|\W)(?:{_words(data.get('generic_blockers_before', []))})[\s‘’'\"]+$",
            re.IGNORECASE,
        ),
        not_bodies=re.compile("|".join(f"(?:{t})" for t in traps)) if traps else None,
        back_reference=back,
        ambiguous=tuple(
            (str(acronym), tuple((str(k), str(v)) for k, v in (senses or {}).items()))
            for acronym, senses in (data.get("ambiguous_acronyms") or {}).items()
        ),
        reader_services=tuple(
            (_key(str(k)), str(v)) for k, v in (data.get("reader_services") or {}).items()
        ),
        resident_services=frozenset(_key(str(w)) for w in data.get("resident_services", [])),
        back_defaults=tuple(
            (_key(str(k)), str(v)) for k, v in (data.get("back_reference_defaults") or {}).items()
        ),
        back_heads=frozenset(_key(h) for h in heads),
        back_organs=frozenset(_key(str(h)) for h in data.get("back_reference_organs", [])),
        back_default_rivals=tuple(
            (_key(str(head)), str(body))
            for head, bodies in (data.get("back_reference_default_rivals") or {}).items()
            for body in bodies or []
        ),
        named_through=tuple(
            (str(part), str(whole)) for part, whole in (data.get("named_through") or {}).items()
        ),
    )


def load_gazetteer(paths: Iterable[Path], rules_file: Path = RULES_FILE) -> Gazetteer:
    """Merge gazetteer files in order; a later file may add aliases to an existing body."""
    pairs: dict[str, str] = {}
    for path in paths:
        data = read_data(path)
        shaped = isinstance(data, dict) and all(
            isinstance(aliases, list | None) for aliases in data.values()
        )
        if not shaped:
            raise InvalidSetting(
                f"{path}: a bodies file maps each canonical name to a list of aliases "
                "(integrated care board: [ICB, ICBs])"
            )
        for canonical, aliases in data.items():
            for alias in [canonical, *(aliases or [])]:
                pairs.setdefault(str(alias), str(canonical))
                pairs.setdefault(_plural(str(alias)), str(canonical))
    ordered = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
    return Gazetteer(tuple(ordered), load_rules(rules_file))


def _alias_pattern(alias: str) -> str:
    words = r"[\s-]+".join(re.escape(w) for w in alias.split())
    # acronyms match case-sensitively (and glued plural "ICBs"); names in any case
    return f"(?-i:{words})" if alias.replace("/", "").isupper() else words


# a body's name before a hyphen names it only in "-led", "-run", "-funded", "-commissioned":
# "local authority-led services", "ICB-commissioned care", not "ICS-wide", "NHS-level"
_AFTER = r"(?!\w|-(?!(?:led|run|funded|commissioned)\b))"


@cache
def _matcher(gazetteer: Gazetteer, extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    parts = [_alias_pattern(a) for a, _ in gazetteer.aliases] + [
        f"(?-i:{re.escape(a)})" for a in extra
    ]
    parts.sort(key=len, reverse=True)
    return re.compile(
        rf"(?<![\w-])(?:{'|'.join(parts)})(?-i:s)?(?:['’]s|s['’])?{_AFTER}", re.IGNORECASE
    )


def _generic_ok(
    text: str, start: int, end: int, parse: Any = None, names_other: bool = False
) -> bool:
    """A generic word names a body only as a noun of its own ("within a system", not "system
    level" or "the health and care system"). A proper name ending in it ("Cornwall Council")
    names the body, unless `names_other`: the word's proper names name things of their own
    ("the National Reporting and Learning System")."""
    rules_ok = True
    if _whole_cell(text, start, end):
        return True  # a table's owner cell ("| Systems |"): a noun of its own, whatever the parse
    if parse is not None:
        token = next((t for t in parse if t.idx <= end - 1 < t.idx + len(t.text)), None)
        if token is not None and token.dep_ in _MODIFIER_DEPS and token.head.i > token.i:
            rules_ok = False
        # a noun before it says what kind of system it is ("records management system"); a
        # capitalised name before a capitalised word names one ("Cornwall Council"); the "'s"
        # of "the System's" is a token of its own, whose noun has the compounds
        noun = token.head if token is not None and token.dep_ == "case" else token
        compounds = (
            [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
            if (noun is not None)
            else []
        )
        named = text[start : start + 1].isupper() and all(c.text[:1].isupper() for c in compounds)
        if compounds and (names_other or not named):
            rules_ok = False
    return rules_ok


def _whole_cell(text: str, start: int, end: int) -> bool:
    """The word fills a cell of an action table's row, after the action ("Agree a plan |
    Systems | 31 March"), not of a register of things ("Shared care record | Systems | ...")."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if not ("|" in text and before.endswith("|") and (not after or after.startswith("|"))):
        return False
    from docmine.config import load_settings
    from docmine.language.nlp import verb_lemmas

    first = re.match(r"\W*([A-Za-z]+)", text)
    return first is not None and first.group(1).lower() in verb_lemmas(load_settings().spacy_model)


def _blank(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def resolve_ambiguous(text: str, gazetteer: Gazetteer) -> dict[str, str]:
    """Ambiguous acronyms (ICP: partnership or provider?) decided by the expansion the document
    uses most; acronyms whose expansions the document never uses are left to the gazetteer."""
    resolved: dict[str, str] = {}
    lowered = text.lower()
    for acronym, senses in gazetteer.rules.ambiguous:
        counts = Counter({body: lowered.count(phrase.lower()) for phrase, body in senses})
        if counts and counts.most_common(1)[0][1] > 0:
            resolved[acronym] = counts.most_common(1)[0][0]
    return resolved


def long_form(short: str, before: str) -> str:
    """The words before "(SHORT)" that SHORT abbreviates, by Schwartz and Hearst's algorithm
    (2003): the letters of SHORT matched right to left, in order, within the last words, the
    first letter at the start of a word ("Healthwatch England (HWE)", "NHS England (NHSE)",
    "Department of Health and Social Care (DHSC)"); "" when they do not match. (The `abbreviations`
    package implements it too, but configures the root logger when imported.)"""
    words = before.split()
    window = " ".join(words[-min(len(short) + 5, 2 * len(short)) :])
    s, i = len(short) - 1, len(window) - 1
    while s >= 0:
        letter = short[s].lower()
        if not letter.isalnum():
            s -= 1
            continue
        while i >= 0 and (
            window[i].lower() != letter or (s == 0 and i > 0 and window[i - 1].isalnum())
        ):
            i -= 1
        if i < 0:
            return ""
        i -= 1
        s -= 1
    return window[window.rfind(" ", 0, i + 1) + 1 :].strip(" ,")


def _worded_as(phrase: str, canonical: str, gazetteer: Gazetteer) -> bool:
    """Every word of `phrase` is a word of the body's names, in any order or case
    ("Voluntary, Community and Social Enterprise" -> VCSE sector; not "integrated care
    providers" -> integrated care partnership)."""
    words = set(re.findall(r"[a-z]+", phrase.lower())) - {"and", "of", "the", "for"}
    names = " ".join(alias for alias, body in gazetteer.aliases if body == canonical)
    return bool(words) and words <= set(re.findall(r"[a-z]+", names.lower()))


def learn_acronyms(text: str, gazetteer: Gazetteer) -> dict[str, str]:
    """Acronyms a document defines, "integrated care boards (ICBs)" -> ICB: integrated care board.

    A definition of a known acronym that names another body (ICP = integrated care *provider*)
    maps the acronym to "" so that it is not linked to the wrong body. Without a definition, an
    ambiguous acronym takes the sense the document uses most (body_rules.yaml)."""
    learned: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        expansion, acronym = match.group(1), match.group(2)
        phrase = long_form(acronym, expansion)
        if not phrase:
            continue
        canonical = gazetteer.canonical_for(phrase)
        known = gazetteer.canonical_for(acronym)
        if canonical is None and known is not None:
            # an expansion worded unlike the gazetteer's that still names the acronym's body
            # ("voluntary, community and social enterprise"); another sense (ICP = integrated
            # care *provider*, CRB = Criminal Records Bureau) is never linked
            named = {m.canonical for m in find_bodies(expansion, gazetteer)}
            canonical = known if known in named or _worded_as(phrase, known, gazetteer) else ""
        if canonical is not None:
            learned.setdefault(acronym, canonical)
    for short, canonical in defined_short_names(text, gazetteer).items():
        learned.setdefault(short, canonical)
        if " " not in short and not short.endswith("s"):  # "Commissioners" are each "the
            learned.setdefault(f"{short}s", canonical)  # Commissioner" the document defines
            if short[:1].islower():  # a term in lower case opens a sentence in capitals
                learned.setdefault(f"{short.capitalize()}s", canonical)
    for acronym, canonical in resolve_ambiguous(text, gazetteer).items():
        learned.setdefault(acronym, canonical)
    return learned


# a short name a document defines for a body in brackets: 'Northfield County Council ("the
# Authority")', 'NHS Northfield ICB (the "Board")', '(together "the Partners")' is not one
_SHORT_NAME = re.compile(
    r"\(\s*(?:(?:hereafter|hereinafter)\s+)?(?:(?:referred to as|called|known as)\s+)?"
    r"(?:the\s+)?[\"“‘']\s*(?:the\s+)?(?P<short>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
    r"\s*[\"”’']\s*\)"
)


# a committee the document says is a body's own: "is a committee of the Board of NHS X ICB",
# "the Committee is established by NHS X Integrated Care Board", "a sub-committee of the
# Council's Cabinet"
_NATIONAL_FOUNDERS = frozenset({"Secretary of State", "Department of Health and Social Care"})
_COMMITTEE_OF = re.compile(
    r"\b(?P<organ>[Cc]ommittee|[Ss]ub-?[Cc]ommittee)\b[^.;]{0,160}?"
    r"\b(?:is|was|are|were|has been)\s+"
    r"(?:(?:formally|hereby)\s+)?(?:established|constituted|appointed|set up)\s+"
    r"(?:by|as\s+an?\s+(?:joint\s+)?(?:sub-?)?committee\s+of)\s+(?:the\s+)?"
    r"(?:(?:Board|Governing Body|Cabinet)\s+of\s+(?:the\s+)?)?(?P<whose>[^.;,()]{2,100})"
)


# a term a document's definitions give a body: '“the Provider” means the NHS trust named in the
# Particulars', '"Commissioner" means the integrated care board'
_MEANS = re.compile(
    r"[\"“‘']\s*(?:the\s+)?(?P<short>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
    r"|[a-z][\w'’-]+(?:\s+[a-z][\w'’-]+){0,2})\s*[\"”’']"
    r"\s+(?:means|refers to)\s+(?P<what>[^.;:—“\"‘]{1,160})"
)
# the body a definition names opens it: "means the NHS trust named in ...", "means any ICB"
# (a proper name's first words may come before the body's: "means NHS Eastdale Integrated Care
# Board"); a body that only modifies ("refers to the local authority led support") is not it
_DEFINED_AS = re.compile(
    r"\s*(?:(?:the|a|an|any|each|every|that|relevant)\s+)*(?:[A-Z][\w'’&-]*\s+){0,4}"
)
_MODIFIES = re.compile(r"[\s-]*(?:led|run|based|funded|commissioned)\b")
# or the body a definition says the party is appointed to be, by what it delivers: '"the
# Provider" means the organisation appointed under this Contract to deliver Healthwatch Westvale'
_DELIVERS = re.compile(
    r"\s*(?:the|a|an|any)\s+(?:organisation|organization|body|company|charity|provider|person|"
    r"entity)\s+(?:appointed|contracted|commissioned)\b[^.;]{0,80}?\bto\s+"
    r"(?:deliver|provide|run|operate|host)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’&-]*\s+){0,3}"
)


# a term a particulars block gives a body, a line of its own: "Provider: Eastmere Community
# Health NHS Trust", "Co-ordinating Commissioner: NHS Wexcombe Integrated Care Board" (the form
# of contracts, agreements and service specifications); only a role's name, an agent noun or a
# party ("Host Partner", "Lead Authority"), so that "Audience: ICBs" or "Owner: ICB" name none,
# nor a document's own metadata ("Author: NHS England", "Approver: the Board")
_PARTICULAR = re.compile(
    r"^[ \t]*(?!(?:Author|Editor|Publisher|Reviewer|Approver|Contributor)\b)"
    r"(?P<short>(?:[A-Z][\w'’-]*[ ]){0,2}[A-Z][\w'’-]*(?:er|or|Partner|Authority|Body))"
    r"[ \t]*:[ \t]*(?P<what>[^\n:]{3,120}?)[ \t.]*$",
    re.MULTILINE,
)

# the words of a proper name before the body's ("Tees, Esk and Wear Valleys", "Guy's and St
# Thomas'", "NHS Cheshire and Merseyside"): capitalised words and their joiners
_NAME_BEFORE = re.compile(
    r"\s*(?:the\s+)?(?:[A-Z][\w'’&.-]*,?\s+(?:(?:and|of|upon|on|in|the|&)\s+)?){0,8}"
)

# a term in lower case names a body only if it names an agent ("the commissioner", "the lead
# provider"): "trust", "body" or "board" are common nouns the text also uses as such ("build
# trust", "the provider's board")
_AGENT_NOUN = re.compile(r"(?:er|or)$")


def defined_short_names(text: str, gazetteer: Gazetteer) -> dict[str, str]:
    """Short names the document defines for a body it names right before them, as written
    ("Authority" -> local authority), or in a definition ('“the Provider” means the NHS trust
    ...'): "the Authority", "the Provider" then name that body, case-sensitively."""
    found: dict[str, str] = {}
    for match in _MEANS.finditer(text):
        what = match.group("what")
        mentions = find_bodies(what, gazetteer)
        # the body heads the definition ("means the NHS trust named in ..."), not a modifier
        # ("refers to the local authority led support")
        heads = mentions and _DEFINED_AS.fullmatch(what[: mentions[0].start])
        # a term in lower case ('“the commissioner” means the integrated care board ...') is
        # one body's only if the definition names no other ('“responsible body” means an ICB
        # or a local authority' names two kinds)
        short = match.group("short")
        several = len(mentions) > 1 and re.fullmatch(
            r"\s*(?:,|or|and|and/or)\s*(?:(?:the|a|an|any)\s+)?",
            what[mentions[0].end : mentions[1].start],
        )
        if short[0].islower() and (several or not _AGENT_NOUN.search(short)):
            continue
        if heads and not _MODIFIES.match(what[mentions[0].end :]):
            found.setdefault(short, mentions[0].canonical)
            continue
        delivered = [m for m in mentions if _DELIVERS.fullmatch(what[: m.start])]
        if short[:1].isupper() and len(delivered) == 1:
            found.setdefault(short, delivered[0].canonical)
    for match in _PARTICULAR.finditer(text):
        what = match.group("what")
        mentions = find_bodies(what, gazetteer)
        # the whole value is one body's name: "NHS Wexcombe Integrated Care Board", not "the
        # integrated care board and the local authority" or "any ICB in the region"
        if (
            len(mentions) == 1
            and _NAME_BEFORE.fullmatch(what[: mentions[0].start])
            and not what[mentions[0].end :].strip()
        ):
            found.setdefault(match.group("short"), mentions[0].canonical)
    for match in _COMMITTEE_OF.finditer(text):
        # "The Committee is established by the Board of NHS Severnvale ICB as a committee of
        # the Board": the document's "Committee" is that body's (DECISIONS.md 20: a board's
        # committee acts for its body); the first body named after the words
        whose = match.group("whose")
        mentions = find_bodies(whose, gazetteer)
        if (
            mentions
            and _NAME_BEFORE.fullmatch(whose[: mentions[0].start])
            and re.match(r"\s*(?:as\b|$)", whose[mentions[0].end :])  # not "X's review team"
            # a minister's advisory committee (JCVI) acts for no body of ours
            and mentions[0].canonical not in _NATIONAL_FOUNDERS
        ):
            found.setdefault(match.group("organ").capitalize(), mentions[0].canonical)
    for match in _SHORT_NAME.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()]
        mentions = find_bodies(before, gazetteer)
        if not mentions or before[mentions[-1].end :].strip():
            continue
        joined = len(mentions) > 1 and re.fullmatch(
            r"\s*(?:,|and|&)\s*(?:[A-Z][\w'’-]*\s+){0,4}",
            before[mentions[-2].end : mentions[-1].start],
        )
        if not joined:  # 'X and Y (together "the Partners")' names no one body
            found.setdefault(match.group("short"), mentions[-1].canonical)
    return found


# the law whose short names the defaults read ("the Board" of the NHS Act 2006, "the
# Commission" of the Health and Social Care Act 2008), cited or quoted
_HEALTH_LAW = re.compile(
    r"\b(?:Act|Regulations|Order) (?:19|20)\d\d\b|\bNHS Commissioning Board\b|\bsection \d"
)


def _singular(word: str) -> str:
    """ "authorities" -> "authority", "boards" -> "board" (the head words of back-references)."""
    return word[:-3] + "y" if word.endswith("ies") else word.rstrip("s")


def learn_back_references(text: str, gazetteer: Gazetteer, title: str = "") -> dict[str, str]:
    """Head word -> the body whose own board or assembly it is ("NHS England Board", anywhere in
    the document), else the first body of the document whose name ends with it ("the Board" in a
    board paper for the Community Wellbeing Board is the LGA's board), else a default the
    document leaves open ("the Commission" of health law is the CQC). A head the title gives to
    a body not listed ("... a practical guide for safeguarding adults boards") is that body's:
    "the board" then names none of ours."""
    pattern = gazetteer.rules.back_reference
    if pattern is None:
        return {}
    heads = {_singular(h) for h in gazetteer.rules.back_heads}
    mentions = find_bodies(text, gazetteer, learn_acronyms(text, gazetteer))
    found: dict[str, str] = {}
    trust = _papers_trust(f"{title}\n{text[:_OPENING]}", gazetteer)
    if trust:  # a trust's own board paper: "the Board" is the trust's (DECISIONS.md 20)
        found["board"] = trust
    for mention in mentions:
        organ = _organ_named(text, mention, mentions, gazetteer)
        if organ:
            found.setdefault(organ, mention.canonical)
    unlisted = _unlisted_title_heads(title, heads, gazetteer)
    for head in unlisted:
        found.setdefault(head, "")
    ending: dict[str, set[str]] = {}
    for mention in mentions:
        last = _named_head(mention, heads)
        if last:
            if last not in found:  # the first name ending with it, until another is named
                found[last] = mention.canonical
                found[f"{_RECENT_KEY}{last}"] = mention.canonical
            ending.setdefault(last, set()).add(mention.canonical)
    for head, bodies in ending.items():
        if len(bodies) == 1 and head not in unlisted:
            # a bare plural ("Boards should ...") only where one body has it, and not where
            # the title gives the head to a body not listed ("safeguarding adults boards")
            found[f"{_PLURAL_KEY}{head}"] = next(iter(bodies))
    found.update(_defaults(text, gazetteer, found, {m.canonical for m in mentions}))
    return found


_OPENING = 600  # a paper's title, banner and first lines
# an NHS trust by its proper name: "Riverside Hospitals NHS Foundation Trust"
_TRUST_NAME = re.compile(
    r"\b(?:[A-Z][\w'’&-]*,?\s+(?:(?:and|of|&)\s+)?){1,8}NHS\s+(?:Foundation\s+)?Trust\b"
)
_BOARD_PAPER = re.compile(
    r"\b(?:board\s+(?:paper|meeting|report)|(?:public|private)\s+board|trust\s+board|"
    r"the\s+board\s+is\s+(?:asked|invited|requested|recommended))\b",
    re.IGNORECASE,
)


def _papers_trust(opening: str, gazetteer: Gazetteer) -> str:
    """The body of an NHS trust named by its proper name in a board paper's opening, before any
    other body: the trust whose board the paper is for; "" otherwise."""
    name = _TRUST_NAME.search(opening)
    if name is None or not _BOARD_PAPER.search(opening):
        return ""
    before = find_bodies(opening[: name.start()], gazetteer)
    inside = find_bodies(name.group(0), gazetteer)
    return inside[0].canonical if inside and not before else ""


def _defaults(
    text: str, gazetteer: Gazetteer, found: dict[str, str], named: set[str]
) -> dict[str, str]:
    """The head words the document leaves to the defaults of health law ("the Commission" the
    CQC, "the Board" NHS England)."""
    rivalled = {head for head, body in gazetteer.rules.back_default_rivals if body in named}
    defaults: dict[str, str] = {}
    for head, canonical in gazetteer.rules.back_defaults:
        if head in found or head in rivalled:
            continue  # a trust's papers: its "Board" is its own
        if head == "board" and canonical not in named and not _HEALTH_LAW.search(text):
            continue  # standing orders that name no body: "the Board" is their own body's
        if _uses_only_default(text, head, canonical, gazetteer):
            defaults[head] = canonical
    return defaults


def _unlisted_title_heads(title: str, heads: set[str], gazetteer: Gazetteer) -> set[str]:
    """Head words the title uses in the name of a body not listed (a word before the head, and no
    listed body's name around it): "safeguarding adults boards"."""
    listed = find_bodies(title, gazetteer)
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", title))
    found = set()
    for index in range(1, len(words)):
        before, word = words[index - 1], words[index]
        after = words[index + 1].group(0) if index + 1 < len(words) else ""
        head = _singular(word.group(0).lower())
        inside = any(m.start <= word.start() < m.end for m in listed) or any(
            gazetteer.canonical_for(" ".join(w.group(0) for w in words[k : index + 1]))
            for k in range(max(0, index - 5), index)
        )  # a listed name inside a law's title ("Health and Wellbeing Boards ... Regulations")
        gap = title[word.end() : words[index + 1].start()] if after else ""
        # not "board members"; a name ends at a stop ("Safeguarding adults boards: guidance")
        ends_name = not after or after.lower() in _AFTER_A_NAME or bool(gap.strip())
        if (
            head in _OWN_NAMES
            and not inside
            and ends_name
            and before.group(0).lower() not in _NOT_NAMES
        ):
            found.add(head)
    return found


# The heads an unlisted body's name in the title takes for itself ("safeguarding adults
# boards"). Not "authority": a housing or best value authority is a local authority.
_OWN_NAMES = {"board"}
_AFTER_A_NAME = {"and", "of", "for", "in", "on", "to", "with", "at", "by"}
_NOT_NAMES = {
    "the",
    "a",
    "an",
    "each",
    "every",
    "this",
    "that",
    "these",
    "your",
    "our",
    "their",
    "for",
    "to",
    "of",
    "in",
    "on",
    "with",
    "and",
    "or",
    "by",
}


def _organ_named(text: str, mention: Mention, mentions: list[Mention], gazetteer: Gazetteer) -> str:
    """The governing organ a body's name is followed by, so that the document's "the Board" is that
    body's own: "NHS England Board", "ICB Boards" (the organ capitalised as part of the name, and
    not the end of the body's own name, as in "Health and Wellbeing Board"), wherever the document
    names it; "" if none."""
    organs = gazetteer.rules.back_organs
    words = mention.text.split()
    # the name's own last word, unless it ends the body's name too ("Health and Wellbeing Board")
    own = words[-1] if len(words) > 1 else ""
    candidates = [own] if not _key(mention.canonical).endswith(own.lower().rstrip("s")) else []
    follower = re.match(r"[ \t]+(\w+)\b", text[mention.end : mention.end + 40])
    if follower and not any(m.start == mention.end + follower.start(1) for m in mentions):
        candidates.append(follower.group(1))  # "ICB Boards"
    for word in candidates:
        organ = word.lower().removesuffix("s")
        # "councils board the bus", "the place partnership board": not a name's part
        if word[:1].isupper() and organ in organs:
            return organ
    return ""


_DETERMINERS = frozenset({"the", "this", "that", "these", "each", "every", "a", "an"})


def _uses_only_default(text: str, head: str, canonical: str, gazetteer: Gazetteer) -> bool:
    """The document says "the Commission" and names no commission but the default's: neither
    "the Law Commission" nor "the Commission for Social Care Inspection"."""
    name = head.capitalize()
    if re.search(rf"\b[Tt]he {name}\b", text) is None:
        return False
    if re.search(rf"\b{name} (?:for|on|of) [A-Z]", text):
        return False
    for match in re.finditer(rf"\b{name}s?\b", text):
        words: list[str] = []
        for word in reversed(text[max(0, match.start() - 80) : match.start()].split()[-6:]):
            if not word[:1].isupper() or word.lower() in _DETERMINERS:
                break
            words.insert(0, word)
        if words and gazetteer.canonical_for(" ".join([*words, name])) != canonical:
            return False
    return True


def find_bodies(
    text: str,
    gazetteer: Gazetteer,
    acronyms: dict[str, str] | None = None,
    parse: Any = None,
    back_references: dict[str, str] | None = None,
) -> list[Mention]:
    """Every body the text names, in order, with the matched words and their span. `parse` (a
    spaCy Doc of `text`) lets generic words be judged by their syntax."""
    acronyms = acronyms or {}
    mentions = [
        mention
        for mention, kind in _gazetteer_matches(text, gazetteer, acronyms)
        if kind in ("name", "acronym")
        or _generic_word_ok(gazetteer.rules, text, mention.start, mention.end, parse)
    ]
    mentions.extend(_back_reference_mentions(text, gazetteer, mentions, back_references))
    return sorted(mentions, key=lambda m: m.start)


def _gazetteer_matches(
    text: str, gazetteer: Gazetteer, acronyms: dict[str, str]
) -> list[tuple[Mention, str]]:
    """Every alias match with its kind: "acronym" (learned or listed), "generic" (a word that
    names a body only in context) or "name"."""
    searchable = _blank(text, gazetteer.rules.not_bodies)
    extra = tuple(
        sorted(a for a, c in acronyms.items() if c and gazetteer.canonical_for(a) is None)
    )
    found: list[tuple[Mention, str]] = []
    for match in _matcher(gazetteer, extra).finditer(searchable):
        surface = text[match.start() : match.end()]
        bare = _without_possessive(surface)
        key = bare[:-1] if bare.endswith("s") and bare[:-1].isupper() else bare
        if key in acronyms:
            if not key.replace("/", "").isupper() and _inside_longer_name(text, match.start()):
                continue  # "Each Alliance Provider": not the "Provider" the document defines
            canonical = acronyms[key]
        else:
            canonical = gazetteer.canonical_for(bare) or gazetteer.canonical_for(surface) or ""
            if not canonical and bare.endswith("s"):
                canonical = gazetteer.canonical_for(bare[:-1]) or ""
        if not canonical:
            continue
        kind = (
            "generic where named"
            if _key(key) in gazetteer.rules.generic_where_named
            else "generic"
            if _key(key) in gazetteer.rules.generic
            else "acronym"
            if key.replace("/", "").isupper()
            else "name"
        )
        found.append((Mention(canonical, surface, match.start(), match.end()), kind))
    return found


def _inside_longer_name(text: str, start: int) -> bool:
    """A capitalised word (not a determiner) right before a short name the document defines
    makes it part of another name ("the Care Provider", "Each Alliance Provider")."""
    before = text[:start].rstrip().rsplit(None, 1)
    word = before[-1] if before and text[:start].endswith((" ", "\t")) else ""
    return word[:1].isupper() and word.lower() not in _DETERMINERS


def only_named(
    mentions: list[Mention], gazetteer: Gazetteer, named: frozenset[str] | None
) -> list[Mention]:
    """The mentions without those of a generic word that needs its body named outright in the
    document ("systems", body_rules.yaml `generic_where_named`) when `named` lacks that body."""
    if named is None:
        return mentions
    needs = gazetteer.rules.generic_where_named
    return [
        m
        for m in mentions
        if m.canonical in named or _key(_without_possessive(m.text)) not in needs
    ]


def named_outright(text: str, gazetteer: Gazetteer, acronyms: dict[str, str]) -> frozenset[str]:
    """The bodies a document names by a name or an acronym, not only by a generic word, and the
    bodies naming one of them implies (`named_through`: an ICB's document is about its ICS)."""
    named = {
        m.canonical
        for m, kind in _gazetteer_matches(text, gazetteer, acronyms)
        if "generic" not in kind
    }
    implied = {whole for part, whole in gazetteer.rules.named_through if part in named}
    return frozenset(named | implied)


def _generic_word_ok(rules: BodyRules, text: str, start: int, end: int, parse: Any) -> bool:
    matched = text[start:end]
    bare = _without_possessive(matched)
    # a possessive is a noun of its own ("the council's plan"), not a modifier ("council plans")
    if bare == matched and rules.blocked_after.match(text[end:]):
        return False
    if rules.blocked_before.search(text[:start]):
        return False
    return _generic_ok(text, start, end, parse, _key(bare) in rules.generic_names_other)


def _back_reference_mentions(
    text: str,
    gazetteer: Gazetteer,
    mentions: list[Mention],
    back_references: dict[str, str] | None,
) -> list[Mention]:
    pattern = gazetteer.rules.back_reference
    if not back_references or pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        head = _singular(match.group(1).lower())
        overlaps = any(m.start < match.end() and match.start() < m.end for m in mentions)
        following = text[match.end() : match.end() + 1]
        default = (head, back_references.get(head)) in gazetteer.rules.back_defaults
        if default and not match.group(1)[:1].isupper():
            continue  # "the commission of services": the short name is capitalised
        # "the board" in lower case refers back to the board named last; "the Board" is a
        # name the document gives one board throughout (a board paper's own)
        recent = back_references.get(f"{_RECENT_KEY}{head}")
        canonical = recent if recent and match.group(1)[:1].islower() else back_references.get(head)
        if canonical and not overlaps and not following.isalnum():
            span = match.start(1), match.end(1)
            found.append(Mention(canonical, match.group(0), span[0], span[1]))
    bare = _BARE_PLURAL_SUBJECT.match(text)
    if bare is not None:
        # "Boards should review the strategy ...": the plural of a head the document gives a
        # body, as the subject of an instruction, names the body as "these boards" would (not
        # a default the document leaves open: "the Board" of health law is one board)
        head = _singular(bare.group("head").lower())
        canonical = back_references.get(f"{_PLURAL_KEY}{head}")
        overlaps = any(m.start < bare.end("head") and bare.start("head") < m.end for m in mentions)
        if canonical and not overlaps:
            span = bare.start("head"), bare.end("head")
            found.append(Mention(canonical, bare.group("head"), span[0], span[1]))
    return found


_PLURAL_KEY = "+"  # back_references key of a head only one body's name ends with
_RECENT_KEY = "~"  # a head that follows the last body named with it (not an organ or default)


def _named_head(mention: Mention, heads: set[str]) -> str:
    """The head word a body's full name ends with ("health and wellbeing boards" -> board), if
    it is a back-reference head; "" for a short name ("the Board") or another word."""
    words = _key(mention.text).split(" ")
    last = _singular(words[-1].removesuffix("'s").removesuffix("’s"))
    return last if last in heads and len(words) > 1 else ""


def follow_back_references(
    mentions: list[Mention],
    back_references: dict[str, str],
    gazetteer: Gazetteer,
    before: int | None = None,
) -> None:
    """After a clause names a body in full ("Health and wellbeing boards should publish ..."),
    "the board" in lower case in the clauses after it is that body: the last one named
    (Centering: a definite description takes the most salient antecedent: a subject, named
    before the clause's first modal `before`), not the document's first. "The Board"
    capitalised, a body's own organ ("NHS England Board") and a body not listed keep what the
    document gave."""
    heads = {_singular(h) for h in gazetteer.rules.back_heads}
    for mention in mentions:
        if before is not None and mention.start >= before:
            continue  # named after the modal, an object ("share it with each board"): less salient
        head = _named_head(mention, heads)
        if head and f"{_RECENT_KEY}{head}" in back_references:
            back_references[f"{_RECENT_KEY}{head}"] = mention.canonical


# a bare plural head opening a clause as the subject of its instruction ("Boards should ...")
_BARE_PLURAL_SUBJECT = re.compile(
    r"^\W{0,3}(?P<head>Boards|Partnerships|Networks|Assemblies|Authorities|Commissions)\s+"
    r"(?:also\s+)?(?:must|should|shall|may|will|can|need to|are (?:required|expected|asked|"
    r"encouraged) to)\b"
)


@dataclass(frozen=True)
class DocumentBodies:
    """What the whole document says about bodies: how often each is named, which the title names,
    whom it addresses, and the head nouns ("provider", "trust", "authority") that name each."""

    counts: dict[str, int] = field(default_factory=dict)
    title: frozenset[str] = frozenset()
    heads: dict[str, frozenset[str]] = field(default_factory=dict)  # head noun -> canonicals
    traps: re.Pattern[str] | None = None  # phrases that are not bodies (body_rules.yaml)

    def rank(self, canonical: str) -> int:
        ordered = sorted(self.counts, key=lambda c: (-self.counts[c], c))
        return ordered.index(canonical) + 1 if canonical in ordered else 0


def head_noun_mentions(
    parse: Any, mentions: list[Mention], document: DocumentBodies
) -> dict[str, list[Mention]]:
    """Nouns outside any mention that are the head of a body's name ("providers", "the trust"),
    as mentions of each body they can name (the text is the noun's lemma)."""
    found: dict[str, list[Mention]] = {}
    searchable = _blank(parse.text, document.traps)
    for token in parse:
        if token.pos_ != "NOUN" or any(m.start <= token.idx < m.end for m in mentions):
            continue
        if not searchable[token.idx : token.idx + len(token.text)].strip():
            continue  # inside an alias trap: "the health and care system"
        lemma = token.lemma_.lower()
        for canonical in sorted(document.heads.get(lemma, ())):
            end = token.idx + len(token.text)
            found.setdefault(canonical, []).append(Mention(canonical, lemma, token.idx, end))
    return found
