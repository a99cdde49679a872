"""Duty-holder: the body that must/should/may act, read from the dependency parse.

The governing word is the classifier's cue (or, failing that, the first modal or expectation word
of the clause). Its holder is the subject of the modal verb in active voice ("ICBs must"), the
passive agent ("must be published by the ICP"), the object of an expectation verb ("we expect ICPs
to"), the subject of a passive expectation verb ("ICPs are expected to"), or the body a duty noun
is placed on ("a duty on ICBs to"). The first body named in that phrase wins (joint holders; a
role or a thing owned by a body maps to the body). Pronouns: the author gives no holder, the
reader is the document's audience, "they"/"it" and split-off continuations take the previous
clause's holder. Rules in resources/holder_rules.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docmine.classify.deontic import vocabulary
from docmine.config import RESOURCES_DIR, read_data
from docmine.language.cues import force_cues, modal_verbs
from docmine.link.bodies import DocumentBodies, head_noun_mentions
from docmine.link.choice import Candidate
from docmine.model import Mention

_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
_CLAUSES = ("ccomp", "xcomp", "advcl", "relcl", "conj", "acl", "oprd")
_SKIP_IN_SUBJECT = {"relcl", "acl", "appos", "advcl"}


@dataclass(frozen=True)
class HolderRules:
    modals: frozenset[str]
    expectation_verbs: frozenset[str]
    duty_nouns: frozenset[str]
    duty_adjectives: frozenset[str]
    generic_subjects: frozenset[str]
    author_pronouns: frozenset[str]
    reader_pronouns: frozenset[str]
    back_pronouns: frozenset[str]
    continuations: tuple[str, ...]
    owner_cell_words: frozenset[str]
    recipient_verbs: frozenset[str]


@cache
def load_holder_rules(path: Path = RESOURCES_DIR / "holder_rules.yaml") -> HolderRules:
    data = read_data(path)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key, []))

    return HolderRules(
        modals=modal_verbs(),
        expectation_verbs=words("expectation_verbs"),
        duty_nouns=words("duty_nouns"),
        duty_adjectives=words("duty_adjectives"),
        generic_subjects=words("generic_subjects"),
        author_pronouns=words("author_pronouns"),
        reader_pronouns=words("reader_pronouns"),
        back_pronouns=words("back_pronouns"),
        continuations=tuple(str(w).lower() for w in data.get("continuations", [])),
        owner_cell_words=words("owner_cell_words"),
        recipient_verbs=words("recipient_verbs"),
    )


@dataclass
class Discourse:
    """What the previous clauses of the document said: for pronouns and continuations."""

    last_holder: Mention | None = None
    # the body the previous clause is about: its holder, else the body its main verb's subject
    # names ("ICBs are safeguarding partners"), for a split-off "and must ..." whose subject is
    # elided
    previous_subject: Mention | None = None
    # the previous clause had a subject that names no body ("The register must be kept ..."):
    # its split-off "and must be updated ..." is about that subject, not an earlier holder
    previous_unnamed: bool = False
    audience: str = ""
    author: str = ""  # the council a page is published by, who writes "we must ..."
    notes: list[str] = field(default_factory=list)


# What the holder search found: a token to read bodies from, a pronoun class, or nothing.
Found = tuple[str, Any]


def _is_governing(token: Any, rules: HolderRules) -> bool:
    lemma = token.lemma_.lower()
    if token.tag_ == "MD" or (lemma in rules.modals and _has_to_complement(token)):
        return True
    if token.pos_ == "VERB" and lemma in rules.expectation_verbs:
        return True
    if token.pos_ in {"NOUN", "ADJ"} and (
        lemma in rules.duty_nouns or lemma in rules.duty_adjectives
    ):
        return _has_to_complement(token) or any(c.dep_ == "prep" for c in token.children)
    # timeline rows: "December 2022 Each ICP to publish ..."
    return token.lower_ == "to" and token.dep_ == "aux" and token.head.dep_ == "ROOT"


def _has_to_complement(token: Any) -> bool:
    return any(c.dep_ in ("xcomp", "advcl", "acl", "relcl", "ccomp") for c in token.children)


# verbs of weighing an option, whose own clause may hold another's modal ("will want to consider
# how providers can ..."); not reporting verbs ("guidance says providers should ..."), whose
# reported modal governs
_WEIGHING = frozenset({"consider", "think", "explore", "reflect", "weigh", "decide", "choose"})


def find_anchor(parse: Any, cue_start: int, cue_text: str) -> Any | None:
    """The token that carries the clause's force: in the cue if one is given, else the first
    governing word (of the list item, when the clause is lead-in + item and the item has one)."""
    rules = load_holder_rules()
    governing = [t for t in parse if _is_governing(t, rules)]
    if cue_start >= 0 and cue_text:
        in_cue = [t for t in parse if cue_start <= t.idx < cue_start + len(cue_text)]
        for token in in_cue:
            if _is_governing(token, rules):
                return token
        # a phrase cue ("it is important that"): the modal it introduces, not one in a fronted
        # "whilst ..." clause before it
        after_cue = [t for t in governing if t.idx >= cue_start]
        # a verb cue whose own clause holds that modal ("will want to consider how providers
        # can ...", "Consider whether providers can ..."): the cue's subject acts, not the
        # modal's
        verbs = [t for t in in_cue if t.pos_ == "VERB" and t.lemma_.lower() in _WEIGHING]
        if after_cue and verbs and any(after_cue[0] in v.subtree for v in verbs):
            return verbs[0]
        if after_cue:
            return after_cue[0]
    colons = [t.i for t in parse if t.text == ":"]
    # an item that is a question is what the lead-in suggests asking: the lead-in governs
    if colons and not parse.text.rstrip().endswith("?"):
        after = [t for t in governing if t.i > colons[-1]]
        if after:
            return after[0]
    if governing:
        return governing[0]
    # no modal at all (a timeline row, "ICP formally established by ..."): a main verb with a
    # named agent
    return next((t for t in parse if t.pos_ == "VERB" and _child(t, "agent") is not None), None)


def _child(token: Any, *deps: str) -> Any | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _complement_subject(token: Any, depth: int = 0) -> Any | None:
    """The first subject or object inside the complement of an expectation verb or duty noun."""
    if depth > 3:
        return None
    for child in token.children:
        if child.dep_ in ("dobj", "nsubj", "nsubjpass") and depth > 0:
            return child
        if child.dep_ == "dobj" and child.lemma_.lower() not in {"it", "this"}:
            if _child(child, "relcl", "acl"):
                return child
            if any(c.dep_ in _CLAUSES for c in token.children):
                return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "for", "of"):
            pobj = _child(child, "pobj")
            if pobj is not None:
                return pobj
        if child.dep_ in _CLAUSES or child.dep_ == "mark":
            found = _complement_subject(child, depth + 1)
            if found is not None:
                return found
    return None


def _duty_bearer(noun: Any) -> Any | None:
    """Whom a duty noun is placed on: "a duty on ICBs to", "a need for ICSs to"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "for", "of"):
            pobj = _child(child, "pobj")
            if pobj is not None:
                return pobj
        if child.dep_ in _CLAUSES:
            subject = _child(child, "nsubj", "nsubjpass")
            if subject is not None:
                return subject
    return None


def _subject(verb: Any) -> Any | None:
    """The subject of a verb, climbing coordinated and controlled verbs that share it."""
    for _ in range(4):
        subject = _child(verb, *_SUBJECTS)
        if subject is not None:
            return subject
        if verb.dep_ in ("conj", "xcomp", "pcomp", "prep") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def _predicate(anchor: Any, rules: HolderRules) -> tuple[Any, Any | None]:
    """(the verb whose subject holds the duty, or a bearer a duty noun names directly)."""
    verb = anchor
    while verb.dep_ in ("aux", "auxpass") and verb.head is not verb:
        verb = verb.head
    lemma = verb.lemma_.lower()
    is_duty_noun = verb.pos_ in {"NOUN", "ADJ"} and lemma in rules.duty_nouns
    if is_duty_noun and (bearer := _duty_bearer(verb)) is not None:
        return verb, bearer
    is_duty_adjective = verb.pos_ == "ADJ" and lemma in rules.duty_adjectives
    if (is_duty_noun or is_duty_adjective) and verb.dep_ in ("dobj", "attr", "acomp"):
        # "HWBs have a duty to" / "HWBs are responsible for": the subject of "have" / "are"
        return (verb.head if verb.head is not verb else verb), None
    return verb, None


def holder_token(anchor: Any, rules: HolderRules) -> Any | None:
    """The token whose phrase names the holder of the governing word `anchor`."""
    verb, bearer = _predicate(anchor, rules)
    if bearer is not None:
        return bearer
    lemma = verb.lemma_.lower()
    passive = _child(verb, "nsubjpass", "auxpass") is not None
    if lemma in rules.expectation_verbs and not passive and not _bound_by_modal(verb, rules):
        found = _complement_subject(verb)
        if found is not None:
            return found
    if passive or _child(verb, "agent") is not None:
        agent = _child(verb, "agent")
        pobj = _child(agent, "pobj") if agent is not None else None
        if pobj is not None:
            return pobj
    if passive and lemma in rules.recipient_verbs:
        return None  # "the board must be consulted": the board receives, another acts
    subject = _subject(verb)
    if subject is not None and subject.dep_ == "expl":
        attr = _child(subject.head, "attr", "acomp")
        return _complement_subject(attr) if attr is not None else None
    if subject is not None and subject.lower_ in {"which", "that", "who"}:
        antecedent = verb.head if verb.dep_ == "relcl" else None
        return antecedent if antecedent is not None else subject
    return subject


# Modals of obligation and permission: "NHS England must not direct an ICB to ..." binds NHS
# England, not the ICB. "Will" and "would" tell what the subject is going to ask of others.
_BINDING_MODALS = frozenset({"must", "shall", "should", "may", "can", "ought", "need"})


def _bound_by_modal(verb: Any, rules: HolderRules) -> bool:
    """Whether an expectation verb sits under a modal of obligation or permission whose subject
    is the one to ask or direct ("NHS England must not direct an ICB to ...", "the Secretary of
    State may direct NHS England to ..."): the modal binds its subject, not the one asked. The
    author ("we should ask ICBs to ...") and a text ("the Act may require ...") ask others."""
    bound = any(c.dep_ == "aux" and c.lower_ in _BINDING_MODALS for c in verb.children)
    subject = _child(verb, "nsubj")
    if not bound or subject is None:
        return False
    texts = vocabulary()["texts"]
    return subject.lower_ not in rules.author_pronouns and subject.lemma_.lower() not in texts


def _span(token: Any) -> tuple[int, int]:
    """Characters of the token's phrase, without relative clauses and appositions."""
    tokens = [token]
    stack = list(token.children)
    while stack:
        child = stack.pop()
        if child.dep_ in _SKIP_IN_SUBJECT:
            continue
        tokens.append(child)
        stack.extend(child.children)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


def resolve(
    token: Any, mentions: list[Mention], rules: HolderRules, discourse: Discourse
) -> Mention | None:
    """The body the holder phrase names: the first mention in it, or a resolved pronoun."""
    start, end = _span(token)
    inside = [m for m in mentions if m.start < end and start < m.end]
    if inside:
        return inside[0]
    word = token.lower_
    if (word in rules.reader_pronouns or _readers(token, rules)) and discourse.audience:
        return Mention(discourse.audience, token.text, token.idx, token.idx + len(token.text))
    if word in rules.back_pronouns | {"which", "who", "that"}:
        return discourse.last_holder
    return None


def _readers(token: Any, rules: HolderRules) -> bool:
    """ "Your policy should cover ...": a thing the reader owns holds what the reader must see
    to ("you should make sure your policy covers ...")."""
    return any(c.dep_ == "poss" and c.lower_ in rules.reader_pronouns for c in token.children)


def _named_just_before(text: str, anchor: Any, mentions: list[Mention]) -> Mention | None:
    """A body written right before the modal when the parse lost the subject ("by Q2 systems
    must")."""
    before = [m for m in mentions if m.end <= anchor.idx]
    if not before or text[before[-1].end : anchor.idx].strip(" ,"):
        return None
    index = len(before) - 1  # "ICBs and local authorities should": the first of a coordination
    while index and re.fullmatch(
        r"\s*(?:,|and|or|,\s*and)\s*", text[before[index - 1].end : before[index].start]
    ):
        index -= 1
    return before[index]


def _is_active_expectation(anchor: Any, rules: HolderRules) -> bool:
    """ "We expect X to ...": an expectation verb whose subject is the author."""
    verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
    subject = _child(verb, "nsubj")
    return (
        verb.lemma_.lower() in rules.expectation_verbs
        and subject is not None
        and subject.lower_ in rules.author_pronouns
    )


def owner_cell(text: str, mentions: list[Mention]) -> Mention | None:
    """In a table row ("Publish the plan | ICB and local authority | 31 October 2026"), the first
    body of the first cell that names bodies and nothing else: an action table's owner column.
    An action's own words never make such a cell, so the column's label is not needed."""
    if " | " not in text:
        return None
    # the row's own action, not a lead-in joined before it ("Each party must deliver ... in
    # the table below: Publish the pathway | ICB | 30 June")
    first = text.split(" | ", 1)[0]
    action = first.rsplit(": ", 1)[-1]
    lead = first[: len(first) - len(action)]
    cues = [c for c in force_cues(lead) if c.label != "none"]
    if cues and any(m.end <= cues[0].start for m in mentions):
        return None  # "Each authority must submit the following returns: ... | Director of ...":
        # the lead-in names who acts; the column names an officer
    if any(c.label != "none" for c in force_cues(action)):
        return None  # "ICBs must publish ... | Health and wellbeing boards": the action's own
    glue = load_holder_rules().owner_cell_words
    for cell in re.finditer(r"[^|]+", text):
        inside = [m for m in mentions if cell.start() <= m.start and m.end <= cell.end()]
        if not inside:
            continue
        rest = list(cell.group())
        for mention in inside:
            start, end = mention.start - cell.start(), mention.end - cell.start()
            rest[start:end] = " " * (end - start)
        if all(word.lower() in glue for word in re.findall(r"[^\W\d_]+|&", "".join(rest))):
            return inside[0]
    return None


# an owner column naming a role or a team, not a listed body ("Director of Midwifery", "Clinical
# Director, Obstetrics", "Trust Board"): a title-case phrase whose head is an agent or a group
_ROLE_HEADS = (
    r"(?:Directors?|Leads?|Chiefs?|Managers?|Officers?|Boards?|Teams?|Heads?|Nurses?|Executives?|"
    r"Chairs?|Committees?|Groups?|Partnerships?|Councils?|Trusts?|Commissioners?|Providers?|"
    r"Secretary|Coordinators?|Co-ordinators?|Practitioners?|Clinicians?|Consultants?|Panel|"
    r"Forum|Network|Service|Services|Partners?|Owners?|Champions?|Advisers?|Advisors?)"
)
_TITLE_WORD = r"(?:(?-i:[A-Z][\w'’&/-]*)|of|and|for|the|&|,)"
_ROLE_CELL = re.compile(
    rf"^\s*(?:{_TITLE_WORD}\s*){{0,6}}?\b{_ROLE_HEADS}\b(?:\s*{_TITLE_WORD}){{0,4}}\s*$"
)


def role_owner_cell(text: str) -> str | None:
    """In a table row, a cell after the first that names a role or a team and nothing else
    ("Recruit 12 midwives | Director of Midwifery | By end of Q3"): an action table's owner
    column, whoever the role belongs to. The first cell (the action) never is one."""
    cells = [c.strip() for c in text.split(" | ")]
    if len(cells) < 3:
        return None
    return next((c for c in cells[1:] if _ROLE_CELL.match(c) and len(c.split()) <= 8), None)


def continues(text: str) -> bool:
    """Whether the clause is a split-off continuation ("and must ...", "which ...")."""
    rules = load_holder_rules()
    lowered = text.lstrip(" –-—(").lower()
    return bool(lowered[:1].islower()) and lowered.startswith(rules.continuations)


def inherits_subject(parse: Any, text: str, cue_start: int, cue_text: str) -> bool:
    """A split-off continuation whose governing verb has no subject of its own ("and should
    share the plan with ..."): it acts on the subject of the part split off before. Not "and
    they should ...": "they" may be the part before's object ("ICBs must send the plan to each
    board, and they should give their opinion")."""
    if not continues(text):
        return False
    anchor = find_anchor(parse, cue_start, cue_text)
    if anchor is None:
        return False
    return holder_token(anchor, load_holder_rules()) is None


def author_holder(
    parse: Any, text: str, cue_start: int, cue_text: str, discourse: Discourse
) -> Mention | None:
    """ "We must carry out a needs assessment" on a council's own page: the council holds it."""
    anchor = find_anchor(parse, cue_start, cue_text) if discourse.author else None
    token = holder_token(anchor, load_holder_rules()) if anchor is not None else None
    if token is None or token.lower_ != "we":
        return None
    return Mention(discourse.author, token.text, token.idx, token.idx + len(token.text))


def find_holder(
    parse: Any,
    text: str,
    mentions: list[Mention],
    cue_start: int,
    cue_text: str,
    discourse: Discourse,
) -> Mention | None:
    """The mention that is the duty-holder of the clause, or None; updates the discourse."""
    rules = load_holder_rules()
    anchor = find_anchor(parse, cue_start, cue_text)
    token = holder_token(anchor, rules) if anchor is not None else None
    holder: Mention | None = None
    if anchor is not None:
        if token is not None:
            holder = resolve(token, mentions, rules, discourse)
        elif continues(text):
            holder = continued_subject(discourse)
        elif _recipient(anchor, rules) is None:
            holder = _named_just_before(text, anchor, mentions)
        if holder is None and _is_active_expectation(anchor, rules):
            holder = next((m for m in mentions if m.start > anchor.idx), None)
    if holder is not None:
        discourse.last_holder = holder
    if not (anchor is not None and token is None and continues(text)):  # a continuation keeps it
        discourse.previous_unnamed = holder is None and _has_subject(anchor)
    discourse.previous_subject = holder or _subject_body(parse, mentions, rules, discourse)
    return holder


def continued_subject(discourse: Discourse) -> Mention | None:
    """Who holds a split-off "and must ...": the body the part before it is about; none when
    that part's subject names no body; else the last holder (the parse lost the subject)."""
    if discourse.previous_unnamed:
        return None
    return discourse.previous_subject or discourse.last_holder


def _has_subject(anchor: Any | None) -> bool:
    """The governing verb has a subject of its own (a noun phrase, not a pronoun)."""
    if anchor is None:
        return False
    verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
    subject = _subject(verb)
    return subject is not None and subject.pos_ in ("NOUN", "PROPN")


def _subject_body(
    parse: Any, mentions: list[Mention], rules: HolderRules, discourse: Discourse
) -> Mention | None:
    """The body named by the subject of the clause's main verb, if any."""
    for root in (t for t in parse if t.dep_ == "ROOT"):
        subject = _child(root, "nsubj", "nsubjpass")
        if subject is not None:
            return resolve(subject, mentions, rules, discourse)
    return None


# --- Holder as a learned choice ---------------------------------------------------------------
# Every body the clause or its document names is a candidate, and so is "no holder"; the parse
# roles above become features and a model (link/choice.py) picks one.


_TOP_DOCUMENT_BODIES = 6
_KIND_MODIFIERS = {"amod", "compound", "nmod"}
_PREPOSITIONS = {"on", "of", "for", "to", "by", "with", "from", "in", "between", "upon"}


def _covered(parse: Any, start: int, end: int) -> list[Any]:
    return [t for t in parse if start <= t.idx < end]


def _phrase_head(tokens: list[Any]) -> Any | None:
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head is t), None)


def _distance_bucket(distance: int) -> str:
    return (
        "0-2" if distance <= 2 else "3-5" if distance <= 5 else "6-10" if distance <= 10 else ">10"
    )


def _subordinate(token: Any, stop: Any | None) -> str:
    """The first clause relation between the token and the anchor's verb ("" if none)."""
    current = token
    for _ in range(12):
        if current is stop or current.head is current:
            return ""
        if current.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp"):
            return current.dep_
        current = current.head
    return ""


# verbs that put a duty on someone, or say where it lies ("is placed on", "rests with")
_IMPOSING = frozenset({"place", "impose", "confer", "lay", "fall", "rest", "lie", "sit", "put"})


def _mention_features(
    mention: Mention, parse: Any, anchor: Any | None, roles: dict[str, tuple[int, int]]
) -> dict[str, float]:
    features: dict[str, float] = {}
    head = _phrase_head(_covered(parse, mention.start, mention.end))
    if head is None:
        return features
    features[f"dep={head.dep_}"] = 1.0
    rules = load_holder_rules()
    if head.dep_ == "pobj":
        prep = head.head.lower_
        features[f"prep={prep if prep in _PREPOSITIONS else 'other'}"] = 1.0
        if head.head.head.lemma_.lower() in rules.duty_nouns:
            features["on_duty_noun"] = 1.0  # "a duty on X", "the responsibility of X"
        if prep in ("on", "upon", "with") and head.head.head.lemma_.lower() in _IMPOSING:
            # "the duty ... is placed on X", "responsibility rests with X": who bears it
            features["on_imposing_verb"] = 1.0
    if head.dep_ in ("dobj", "nsubj") and head.head.lemma_.lower() in rules.expectation_verbs:
        features[f"{head.dep_}_of_expectation_verb"] = 1.0  # "enables X to", "asks X to"
    if head.dep_ == "poss" or mention.text.endswith(("'s", "’s", "s'", "s’")):
        features["possessive"] = 1.0
    for role, (start, end) in roles.items():
        if start <= mention.start < end:
            features[f"role={role}"] = 1.0
    if anchor is not None:
        verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
        side = "before" if head.i < anchor.i else "after"
        features[f"{side}_cue"] = 1.0
        features[f"{side}_cue_distance={_distance_bucket(abs(head.i - anchor.i))}"] = 1.0
        relation = _subordinate(head, verb)
        if relation:
            features[f"inside={relation}"] = 1.0
    colon = parse.text.rfind(":")
    if colon > 0 and mention.start < colon:
        features["in_lead_in"] = 1.0
    return features


def _roles(anchor: Any | None, rules: HolderRules) -> dict[str, tuple[int, int]]:
    """Character spans of the phrases that play a role for the anchor: the rule holder, the
    subject of its verb, and a passive agent."""
    if anchor is None:
        return {}
    roles: dict[str, tuple[int, int]] = {}
    token = holder_token(anchor, rules)
    if token is not None:
        roles["holder"] = _span(token)
    verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
    subject = _subject(verb)
    if _recipient(anchor, rules) is not None:
        roles["recipient"] = _span(subject)  # "the board must be consulted": not who acts
    elif subject is not None:
        roles["subject"] = _span(subject)
    agent = _child(verb, "agent")
    pobj = _child(agent, "pobj") if agent is not None else None
    if pobj is not None:
        roles["agent"] = _span(pobj)
    passive = _child(verb, "nsubjpass", "auxpass") is not None
    to = next((c for c in verb.children if c.dep_ == "dative" or c.lower_ == "to"), None)
    if passive and verb.lemma_.lower() in rules.recipient_verbs and to is not None:
        # "The report must be sent to the leader of the local authority": who receives it
        words = list(to.subtree)
        roles["sent_to"] = (words[0].idx, words[-1].idx + len(words[-1].text))
    return roles


def _recipient(anchor: Any, rules: HolderRules) -> Any | None:
    """The passive subject of a verb of giving or telling ("The board must be consulted"): it
    receives the act; another acts."""
    verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
    subject = _subject(verb)
    receives = subject is not None and subject.dep_ == "nsubjpass"
    return subject if receives and verb.lemma_.lower() in rules.recipient_verbs else None


def _is_imperative(anchor: Any | None) -> bool:
    if anchor is None:
        return False
    verb = anchor.head if anchor.dep_ in ("aux", "auxpass") else anchor
    return (
        verb.tag_ == "VB"
        and _child(verb, *_SUBJECTS) is None
        and not any(c.dep_ == "aux" for c in verb.children)
    )


@dataclass(frozen=True)
class _Reading:
    """What the parse says about who acts in a clause, for every candidate alike."""

    anchor: Any | None
    roles: dict[str, tuple[int, int]]
    role_word: str  # lemma of the phrase the rules read as the holder ("" if none)
    role_named: bool  # that phrase names a body of the gazetteer
    reader: bool  # "you" holds it
    back: bool  # "they", "it" holds it
    imperative: bool


def _reading(parse: Any, mentions: list[Mention], cue_start: int, cue_text: str) -> _Reading:
    rules = load_holder_rules()
    anchor = find_anchor(parse, cue_start, cue_text)
    roles = _roles(anchor, rules)
    token = holder_token(anchor, rules) if anchor is not None else None
    word = token.lemma_.lower() if token is not None else ""
    named = token is not None and any(
        roles["holder"][0] <= m.start < roles["holder"][1] for m in mentions
    )
    reader = (
        word in rules.reader_pronouns
        or (token is not None and not named and _readers(token, rules))
        or (token is None and any(t.lower_ in rules.reader_pronouns for t in parse))
    )
    return _Reading(
        anchor, roles, word, named, reader, word in rules.back_pronouns, _is_imperative(anchor)
    )


def _no_holder_features(
    reading: _Reading, mentions: list[Mention], rule_pick: Mention | None
) -> dict[str, float]:
    rules = load_holder_rules()
    features = {"none": 1.0}
    if not mentions:
        features["none&no_mentions"] = 1.0
    if rule_pick is None:
        features["none&rule_empty"] = 1.0
    if reading.anchor is None:
        features["none&no_anchor"] = 1.0
    if not reading.role_word:
        features["none&no_role"] = 1.0
    elif not reading.role_named:
        features[f"none&role_word={reading.role_word}"] = 1.0
        if reading.role_word in rules.author_pronouns:
            features["none&author"] = 1.0
        elif reading.role_word in rules.generic_subjects:
            features["none&generic"] = 1.0
    return features


def _named_features(
    found: list[Mention], mentions: list[Mention], parse: Any, reading: _Reading
) -> dict[str, float]:
    """How the clause names the candidate: the best of its mentions' roles and positions."""
    if not found:
        return {"absent": 1.0}
    features = {"in_clause": 1.0}
    if found[0] is mentions[0]:
        features["first_in_clause"] = 1.0
    anchor = reading.anchor
    before = [m for m in mentions if anchor is not None and m.end <= anchor.idx]
    if before and before[-1].canonical == found[0].canonical:
        features["nearest_before_cue"] = 1.0
    for mention in found:
        for name, value in _mention_features(mention, parse, anchor, reading.roles).items():
            features[name] = max(features.get(name, 0.0), value)
    return features


def _head_features(
    heads: list[Mention], parse: Any, reading: _Reading, document: DocumentBodies
) -> dict[str, float]:
    """A head noun of the candidate's name ("the provider", "trusts") in the clause."""
    features: dict[str, float] = {}
    for mention in heads:
        features["head_noun"] = 1.0
        features[f"head_noun={mention.text.lower()}"] = 1.0
        noun = next((t for t in parse if t.idx == mention.start), None)
        if noun is not None and any(c.dep_ in _KIND_MODIFIERS for c in noun.children):
            # "a public authority", "independent providers": a kind of its own, maybe not the body
            features["head_noun_modified"] = 1.0
        if len(document.heads.get(mention.text.lower(), ())) > 1:
            features["head_noun_ambiguous"] = 1.0
        for name, value in _mention_features(mention, parse, reading.anchor, reading.roles).items():
            features[f"head:{name}"] = max(features.get(f"head:{name}", 0.0), value)
    return features


def _context_features(
    canonical: str,
    present: bool,
    reading: _Reading,
    document: DocumentBodies,
    audience: str,
    previous: Mention | None,
) -> dict[str, float]:
    """The candidate in its document (how often and where it is named, whether it is the
    audience or the previous holder), crossed with who the clause's words point at."""
    rank = document.rank(canonical)
    total = sum(document.counts.values()) or 1
    features = {
        f"doc_rank={rank if rank <= 3 else '4+'}": 1.0,
        "doc_share": document.counts.get(canonical, 0) / total,
    }
    if canonical in document.title:
        features["in_title"] = 1.0
    is_audience = canonical == audience
    was_previous = previous is not None and previous.canonical == canonical
    if is_audience:
        features["audience"] = 1.0
    if was_previous:
        features["previous_holder"] = 1.0
    presence = "present" if present else "absent"
    features.update(_pronoun_features(reading, presence, rank, is_audience, was_previous))
    if not reading.role_word:  # no phrase to read the holder from: a list item, a fragment
        features[f"no_role&doc_rank={rank if rank <= 2 else '3+'}"] = 1.0
        if was_previous:
            features["no_role&previous"] = 1.0
    if reading.role_word and not reading.role_named:
        features.update(_unnamed_role_features(canonical, presence, reading, document))
        if "role_head_names_it" in features:
            features[f"role_head_names_it&doc_rank={rank if rank <= 2 else '3+'}"] = 1.0
        if was_previous:
            features[f"unnamed_role&previous={reading.back}"] = 1.0
        if rank == 1:
            features["unnamed_role&doc_rank1"] = 1.0
    return features


def _pronoun_features(
    reading: _Reading, presence: str, rank: int, is_audience: bool, was_previous: bool
) -> dict[str, float]:
    """ "You" and imperatives point at the audience, "they" at the previous holder."""
    features: dict[str, float] = {}
    for flag, name in ((reading.reader, "reader"), (reading.imperative, "imperative")):
        if flag:
            features[f"{name}&{'audience' if is_audience else presence}"] = 1.0
            if rank == 1:
                features[f"{name}&doc_rank1"] = 1.0
    if reading.back:
        features[f"back&{'previous' if was_previous else presence}"] = 1.0
    return features


def _unnamed_role_features(
    canonical: str, presence: str, reading: _Reading, document: DocumentBodies
) -> dict[str, float]:
    """The holder's phrase names no listed body but its head noun may ("an authority must")."""
    heads = document.heads.get(reading.role_word, frozenset())
    if canonical not in heads:
        return {}
    features = {"role_head_names_it": 1.0, f"role_head_names_it&{presence}": 1.0}
    if len(heads) > 1:
        features["role_head_ambiguous"] = 1.0
    return features


def holder_candidates(
    parse: Any,
    text: str,
    mentions: list[Mention],
    cue_start: int,
    cue_text: str,
    rule_pick: Mention | None,
    previous: Mention | None,
    audience: str,
    document: DocumentBodies,
) -> list[Candidate]:
    """Every possible holder of the clause with its features; the first is "no holder". The
    pool: bodies the clause names (or names by a head noun), the document's most named bodies,
    and the previous clause's holder. `rule_pick` is what `find_holder` chose."""
    reading = _reading(parse, mentions, cue_start, cue_text)
    candidates = [Candidate("", None, _no_holder_features(reading, mentions, rule_pick))]
    by_canonical: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_canonical.setdefault(mention.canonical, []).append(mention)
    by_head = head_noun_mentions(parse, mentions, document)
    top = sorted(document.counts, key=lambda c: (-document.counts[c], c))[:_TOP_DOCUMENT_BODIES]
    pool = [*by_canonical, *by_head, *top, *([previous.canonical] if previous else []), audience]
    receiving = [reading.roles[r] for r in ("recipient", "sent_to") if r in reading.roles]
    for canonical in dict.fromkeys(c for c in pool if c):
        found = by_canonical.get(canonical, [])
        if found and any(all(a <= m.start < b for m in found) for a, b in receiving):
            continue  # named only as who receives the act ("the board must be consulted")
        features: dict[str, float] = {"body": 1.0, f"canon={canonical}": 1.0}
        features.update(_named_features(found, mentions, parse, reading))
        features.update(_head_features(by_head.get(canonical, []), parse, reading, document))
        features.update(
            _context_features(canonical, bool(found), reading, document, audience, previous)
        )
        if rule_pick is not None and rule_pick.canonical == canonical:
            features["rule_pick"] = 1.0
        if reading.back and found and all(m.start >= reading.roles["holder"][1] for m in found):
            # "They may carry forward ..., provided that the board agrees": a pronoun's
            # antecedent comes before it; a body named only after "they" is someone else
            features["after_the_pronoun"] = 1.0
        evidence = found[0] if found else None
        if evidence is None and reading.role_word and not reading.role_named:
            start, end = reading.roles["holder"]  # "you", "they", "the provider": its words
            evidence = Mention(canonical, text[start:end], start, end)
        candidates.append(Candidate(canonical, evidence, features))
    return _without_subordinate_subjects(candidates, reading)


def _without_subordinate_subjects(
    candidates: list[Candidate], reading: _Reading
) -> list[Candidate]:
    """Where the subject of the governing verb names a body, or is the reader ("Where a local
    authority has not submitted its return, NHS England must write ...", "If a local Healthwatch
    asks for information, you should respond ..."), a body named inside an adverbial clause and
    not as that subject acts in the condition, not in the instruction: no candidate (the
    reader's own body aside). Not for "we", "they" or "it", whose antecedent the fronted clause
    may hold ("If CQC considers ..., we may ...", "Where a provider is at risk, it should ...")."""
    named = any(
        c.canonical and (c.features.get("role=holder") or c.features.get("head:role=holder"))
        for c in candidates
    )
    if not (named or reading.reader or reading.imperative):
        return candidates
    # "You should tell the local authority about ...", "Speak to your ICB first": the reader
    # acts; a body named after the cue is who is told or worked with (the reader's own aside)
    you = reading.role_word == "you" or reading.imperative
    return [
        c
        for c in candidates
        if not (
            you
            and c.canonical
            and c.features.get("after_cue")
            and not c.features.get("before_cue")
            and not c.features.get("audience")
        )
        and not (
            c.canonical
            and c.features.get("inside=advcl")
            and not c.features.get("role=holder")
            # the reader's own body may be named there ("When your ICS includes several
            # Healthwatch, you will need to ...", to a local Healthwatch), or said to be the
            # reader ("If you are a local authority, you must ...")
            and not (reading.reader and (c.features.get("audience") or _says_who(reading)))
        )
    ]


_YOU_ARE = re.compile(r"\b(?:if|where|when|as)\s+you\s+are\s+(?:a|an|the)\b", re.IGNORECASE)


def _says_who(reading: _Reading) -> bool:
    """The clause's fronted condition says what the reader is ("If you are a local authority")."""
    return reading.anchor is not None and bool(_YOU_ARE.search(reading.anchor.doc.text))


def reader_said(text: str, mentions: list[Mention], cue_start: int) -> Mention | None:
    """ "If you are a director of public health, you should ...": the clause says which body
    "you" is, and "you" acts. A rule: the words say it, not a probability."""
    match = _YOU_ARE.search(text)
    if match is None or cue_start < match.end():
        return None
    said = next((m for m in mentions if text[match.end() : m.start].strip() == ""), None)
    if said is None or not re.search(r"\byou\b", text[said.end : cue_start], re.IGNORECASE):
        return None
    return said
