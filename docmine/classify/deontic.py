"""Deontic markers in a parsed clause, and the features the force model learns from them.

A marker is a word of resources/deontic.yaml (a modal verb, the "be to" construction, a deontic
noun, verb or adjective) or an imperative main verb, found in the spaCy parse with where it stands:
whether it governs the main verb or sits in a relative, adverbial or reported clause, whether it is
negated, what kind of subject its verb has, and whether it is in a list item's lead-in. Nothing here
decides a force; the model weighs the markers, and the one it relies on becomes the cue span."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from docmine.config import resource
from docmine.language.cues import quoted

_EMBEDDING_DEPS = {
    "relcl": "relative",
    "acl": "relative",
    "advcl": "adverbial",
    "ccomp": "complement",
    "csubj": "complement",
    "pcomp": "complement",
    "xcomp": "",  # "is required to publish": same clause
    "conj": "",
}
_FIRST = frozenset({"we", "i", "us", "our"})
_SECOND = frozenset({"you", "your"})
_EXPLETIVE = frozenset({"it", "there", "this", "that"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})


@cache
def vocabulary() -> dict[str, frozenset[str]]:
    data = resource("deontic.yaml")
    return {kind: frozenset(words) for kind, words in data.items()}


@dataclass(frozen=True)
class Marker:
    """A deontic word (or an imperative verb) and its place in the parse; `start`/`end` are
    character offsets in the parsed text."""

    kind: str  # modal, noun, verb, adjective, be_to, imperative, reporting
    lemma: str
    start: int
    end: int
    scope: str  # main, relative, adverbial, complement, reported
    negated: bool
    subject: str  # first, second, expletive, noun, none
    in_lead_in: bool
    subject_word: str = ""  # the subject's lemma: who is addressed ("government", "icb")
    verb: str = ""  # the lemma of the verb it governs ("delegate" in "may not delegate")

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.lemma}"


def _clause_head(token: Any) -> Any:
    """The verb a marker belongs to: an auxiliary's or adjective's head, else the word itself."""
    if token.dep_ in {"aux", "auxpass", "neg", "acomp", "amod", "attr", "dobj", "nsubj"}:
        return token.head
    return token


def _scope(head: Any) -> str:
    """Where the marker's verb sits: the main clause, or the first embedding on the way up."""
    vocab = vocabulary()
    node = head
    while node.dep_ != "ROOT" and node.head.i != node.i:
        kind = _EMBEDDING_DEPS.get(node.dep_)
        if kind == "complement" and node.head.lemma_.lower() in vocab["reporting"]:
            return "reported"
        if kind:
            return kind
        node = node.head
    return "main"


def _subject(head: Any) -> str:
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"}:
            word = child.lower_
            if word in _FIRST:
                return "first"
            if word in _SECOND:
                return "second"
            if word in _EXPLETIVE:
                return "expletive"
            return "noun"
    if head.dep_ in {"xcomp", "conj"} and head.head.i != head.i:
        return _subject(head.head)
    return "none"


def _subject_word(head: Any) -> str:
    """The lemma of the subject of a marker's verb ("government", "icb", "we"), or ""."""
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"}:
            return str(child.lemma_.lower())
    if head.dep_ in {"xcomp", "conj"} and head.head.i != head.i:
        return _subject_word(head.head)
    return ""


def _negated(token: Any, head: Any) -> bool:
    if token.lower_ in {"cannot", "can't", "mustn't", "shouldn't"}:
        return True
    if any(
        (c.dep_ == "neg" or c.lower_ in _NEGATIONS) and not _negates_a_comparison(c)
        for c in (*head.children, *token.children)
    ):
        return True
    # a subject that no one can be: "No ICB may delegate ...", "Neither partner may withdraw"
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(
        d.dep_ == "det" and d.lower_ in ("no", "neither") for s in subjects for d in s.children
    )


def _negates_a_comparison(token: Any) -> bool:
    """ "not later than 2 days before ...", "not more than 8 weeks", "not only": the "not" belongs
    to the adverbial it opens (a time limit), whatever the parser hangs it on."""
    after = token.doc[token.i + 1 : token.i + 3]
    words = [t.lower_ for t in after]
    return bool(words) and (
        (len(words) == 2 and words[1] == "than" and words[0] in _COMPARATIVES) or words[0] == "only"
    )


_COMPARATIVES = {"later", "earlier", "more", "less", "fewer", "sooner", "longer", "greater"}


def _kind(token: Any) -> tuple[str, str] | None:
    vocab, lemma, lower = vocabulary(), token.lemma_.lower(), token.lower_
    if token.tag_ == "MD" or (lower in vocab["modal"] and token.dep_ in {"aux", "ROOT"}):
        return "modal", "cannot" if lower in {"cannot", "can't"} else lemma
    if lemma in {"need", "have"} and any(
        c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children) for c in token.children
    ):
        return "modal", f"{lemma}_to"
    if lemma == "be" and any(
        c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children) for c in token.children
    ):
        return "be_to", "be_to"
    if token.pos_ in {"NOUN", "PROPN"} and lemma in vocab["noun"]:
        return "noun", lemma
    if token.pos_ == "VERB" and lemma in vocab["verb"] and lemma != "have":
        if _asks_a_question(token) or _predicts(token) or _asked_for(token):
            return None
        return "verb", lemma
    if lower in vocab["adjective"] and token.pos_ in {"ADJ", "VERB"} and not _in_a_title(token):
        return "adjective", lower
    return None


def _in_a_title(token: Any) -> bool:
    """ "The Responsible Clinician chairs ...", "the Accountable Officer", "the responsible
    commissioner": an adjective in the name of a role or a thing names it; it lays nothing on
    anyone."""
    head = token.head
    before_its_noun = token.dep_ in {"amod", "compound"} and head.i > token.i
    if before_its_noun and token.lower_ in _ROLE_ADJECTIVES and head.pos_ in {"NOUN", "PROPN"}:
        return True  # "the responsible commissioner", "the accountable officer": a role's name
    return before_its_noun and token.text[:1].isupper() and head.text[:1].isupper()


# adjectives that name a role when set before its noun ("the responsible clinician"), and lay a
# duty only as a predicate ("the ICB is responsible for ...")
_ROLE_ADJECTIVES = frozenset({"responsible", "accountable"})


_WH = frozenset({"what", "how", "whether", "if", "why", "which", "who", "whom", "when", "where"})


def _asked_for(token: Any) -> bool:
    """ "The resident has asked for visits to stop", "the government asked for a review": what
    someone asked for, told as past, reports the asking ("NHS England has asked trusts to ..."
    asks someone to act; "are asked to" is passive)."""
    if not (
        token.lemma_.lower() in {"ask", "request"}
        and token.tag_ in {"VBD", "VBN"}
        and not any(c.dep_ in {"auxpass", "nsubjpass", "xcomp"} for c in token.children)
        and any(c.dep_ == "prep" and c.lower_ == "for" for c in token.children)
    ):
        return False
    # asked of someone, or by a date, it is a request ("NHS England has asked for winter plans
    # from every ICB by 13 September")
    return not any(t.lower_ in {"from", "by"} for t in token.subtree if t.i > token.i)


def _asks_a_question(token: Any) -> bool:
    """ "We ask local people what matters to them", "Councillors may wish to ask: Is the ICB
    meeting its targets?": "ask" with an indirect or a direct question and no infinitive asks
    for an answer, not for an act ("we ask ICBs to ..." does)."""
    if token.lemma_.lower() != "ask":
        return False
    children = list(token.children)
    if any(c.dep_ == "xcomp" for c in children):
        return False
    if "?" in token.doc.text[token.idx :]:
        return True
    return any(c.dep_ in ("ccomp", "dobj") and next(c.subtree).lower_ in _WH for c in children)


# verbs of a change in amount, which nobody is asked to do when they take no object ("demand
# to rise", "the number of referrals to double"); with one they are acts ("to increase capacity")
_CHANGES = frozenset(
    "rise fall increase decrease grow double treble triple halve decline drop reach exceed peak "
    "stabilise stabilize level".split()
)


def _predicts(token: Any) -> bool:
    """ "We expect demand for home care to rise by 18%": "expect" of a change in an amount
    with no object foresees it (a prediction, DECISIONS.md 11), where "we expect ICBs to
    increase capacity" asks for an act."""
    if token.lemma_.lower() != "expect":
        return False
    if _intends(token):
        return True
    for complement in token.children:
        if complement.dep_ not in ("xcomp", "ccomp") or complement.lemma_.lower() not in _CHANGES:
            continue
        if not any(c.dep_ in ("dobj", "attr") for c in complement.children):
            return True
    return False


# what one expects to be shown or given is asked of others ("We would expect to see a completed
# DPIA"), not one's own plan
_SHOWN = frozenset({"see", "find", "receive", "hear", "get", "be", "have", "understand"})


def _intends(token: Any) -> bool:
    """ "The ICB expects to commission 40 beds", "we expect to publish our report": "expect"
    with a bare infinitive of its own subject's act states an intention (DECISIONS.md 11, rule 7:
    the author's or a body's own plans), not an expectation of anyone."""
    if any(c.dep_ in ("dobj", "nsubjpass", "auxpass") for c in token.children):
        return False
    # a body's own plan ("The ICB expects to commission ..."); the author's "we expect to: reduce
    # ambulance waits ..." sets the system a target (the gold: 8 expectations)
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in {"we", "i", "you", "us"}:
        return False
    return any(
        c.dep_ == "xcomp"
        and c.tag_ == "VB"
        and any(g.tag_ == "TO" for g in c.children)
        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        and c.lemma_.lower() not in _SHOWN
        for c in token.children
    )


def _imperative(sentence: Any) -> Any | None:
    """The main verb of a sentence in the imperative mood: a bare verb with no subject, first
    (after an enumerator, "please", or "do not")."""
    root = sentence.root
    if root.tag_ != "VB":
        return None
    for token in sentence:
        if token.i == root.i:
            break
        skippable = (
            token.is_punct
            or token.like_num
            or token.tag_ in {"LS", "-LRB-", "-RRB-"}
            or (
                len(token.text) <= 4 and token.nbor(1).text == ")"
                if token.i + 1 < len(token.doc)
                else False
            )
            or token.lower_ in {"please", "do", "not", "n't", "never", "always", "also", "then"}
        )
        if not skippable:
            return None
    if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in root.children):
        return None
    if any(c.dep_ == "aux" and c.lower_ not in {"do"} for c in root.children):
        return None
    return root


def markers(parsed: Any, lead_in_chars: int = 0) -> list[Marker]:
    """Deontic markers of a parsed clause, leftmost first."""
    found: list[Marker] = []
    for token in parsed:
        kind = _kind(token)
        if kind is None or quoted(parsed.text, token.idx, token.idx + len(token.text)):
            continue  # "terms such as “should”": a word mentioned, not used
        head = _clause_head(token)
        found.append(
            Marker(
                kind[0],
                kind[1],
                token.idx,
                token.idx + len(token.text),
                _scope(head),
                _negated(token, head),
                _subject(head),
                token.idx < lead_in_chars,
                _subject_word(head),
                head.lemma_.lower(),
            )
        )
    for sentence in parsed.sents:
        root = sentence.root
        if root.lemma_.lower() in vocabulary()["reporting"] and root.pos_ == "VERB":
            found.append(
                Marker(
                    "reporting",
                    root.lemma_.lower(),
                    root.idx,
                    root.idx + len(root.text),
                    "main",
                    _negated(root, root),
                    _subject(root),
                    root.idx < lead_in_chars,
                    _subject_word(root),
                )
            )
        verb = _imperative(sentence)
        if verb is not None:
            found.append(
                Marker(
                    "imperative",
                    "verb" if verb.lemma_.lower() not in vocabulary()["verb"] else verb.lemma_,
                    verb.idx,
                    verb.idx + len(verb.text),
                    "main",
                    _negated(verb, verb),
                    "none",
                    verb.idx < lead_in_chars,
                )
            )
    found.sort(key=lambda m: m.start)
    return found


def _marker_features(marker: Marker) -> Iterator[str]:
    where = "lead" if marker.in_lead_in else "own"
    yield marker.name
    yield f"{marker.name}|{marker.scope}"
    yield f"{marker.kind}|{marker.scope}"
    yield f"{marker.name}|{where}"
    yield f"{marker.name}|subj={marker.subject}"
    yield f"{marker.kind}|{marker.scope}|subj={marker.subject}"
    if marker.negated:
        yield f"{marker.name}|neg"
    if marker.scope == "main":
        yield f"{marker.name}|main|{where}"
        if marker.subject_word:
            yield f"{marker.kind}|main|subj_word={marker.subject_word}"


def marker_feature_names(marker: Marker) -> list[str]:
    """The features a marker contributes (the model's weights on them rank cue candidates)."""
    return [f"d:{name}" for name in _marker_features(marker)]


def deontic_features(
    parsed: Any, lead_in_chars: int = 0, found: list[Marker] | None = None
) -> dict[str, float]:
    """Indicator features of the markers, the first main-clause marker, and the sentence: mood,
    tense of the main verb, reporting main verb."""
    if found is None:
        found = markers(parsed, lead_in_chars)
    features: dict[str, float] = {}
    for marker in found:
        for name in marker_feature_names(marker):
            features[name] = 1.0
    main = [m for m in found if m.scope == "main" and m.kind != "reporting"]
    features[f"d:first_main={main[0].name if main else 'none'}"] = 1.0
    own = [m for m in main if not m.in_lead_in]
    features[f"d:first_own_main={own[0].name if own else 'none'}"] = 1.0
    for marker in found:
        if marker.kind == "reporting" and marker.subject_word:
            # who reports: a text restating guidance keeps its force (DECISIONS.md 8: "the
            # guidance states that ..."), people's views do not (rule 1: "respondents told us")
            texts = vocabulary()["texts"]
            who = "text" if marker.subject_word in texts else marker.subject
            features[f"d:reported_by={who}"] = 1.0
    sentences = list(parsed.sents)
    if sentences:
        root = sentences[-1].root if lead_in_chars else sentences[0].root
        features[f"d:root_tag={root.tag_}"] = 1.0
    features["d:n_markers"] = min(len(found), 6) / 6
    return features
