"""Features for the force model: what the rules saw, what the parse says, and where a clause sits.

Four groups, all derived from a clause's own words and its context, never from a label:
- deontic markers (docmine.classify.deontic): modal verbs, deontic nouns, verbs and adjectives,
  imperatives, each with its place in the parse;
- rules: the rule decision and its governing cue, blocking signals (reported view, the author's
  commitment, question), negation, the document's authority;
- parse (spaCy): which modal governs the main verb, the subject's person, imperative mood,
  predictive "will", tense and voice of the main verb;
- context: the kind of section the clause sits in ("What we heard", "Case studies", "Next
  steps"...), matched by the section cues of resources/cues.yaml, and the words of the document's
  title (an Act, a letter, a committee report...).
`featurise` adds the clause's vectors (its sentence embedding and its deontic marker's
contextual vector); `docmine.classify.model` adds word n-grams."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from docmine.classify.conditions import find_condition_span
from docmine.classify.deontic import Marker, deontic_features, markers
from docmine.classify.rules import asks, classify_rules, section_kinds
from docmine.config import Settings
from docmine.language import Language
from docmine.language.cues import as_if, force_cues
from docmine.language.embed import DIMENSIONS, Encoder
from docmine.language.nlp import Parser
from docmine.model import Authority, ForceDecision

_FIRST_PERSON = frozenset({"i", "we", "us", "our"})
_SECOND_PERSON = frozenset({"you", "your"})


@dataclass(frozen=True)
class ClauseContext:
    """What the classifier may know about a clause: its text, lead-in, document authority,
    section heading path and document title; `owned`: it is an action table's row whose owner
    column names a body (linking knows bodies; the pipeline asks it, `link.owned_rows`);
    `spoken`: it is in the words of a speaker the text quotes (`classify.follows_a_speaker`)."""

    text: str
    lead_in: str = ""
    authority: Authority = Authority.GUIDANCE
    section: tuple[str, ...] = ()
    title: str = ""
    owned: bool = False
    # the clause is in a paragraph a speaker's "X said:" opens (`follows_a_speaker`)
    spoken: bool = False


@dataclass(frozen=True)
class Evidence:
    """A clause's named features, the deontic markers they came from (cue candidates) and the
    rules' decision (polarity and condition of an instruction)."""

    features: dict[str, float]
    markers: tuple[Marker, ...]
    rules: ForceDecision
    condition: tuple[int, int] | None = None  # span of the clause's condition, if it has one


def rule_features(context: ClauseContext, decision: ForceDecision) -> dict[str, float]:
    """What the rules decided (`decision`) and why, as named indicator features."""
    own = context.text[len(context.lead_in) :] if context.lead_in else context.text
    cues = force_cues(context.text)
    own_cues = force_cues(own)
    features: dict[str, float] = {
        f"rule={decision.force.value}": 1.0,
        f"authority={context.authority.value}": 1.0,
        f"first_cue={cues[0].label if cues else 'none'}": 1.0,
        f"own_cue={own_cues[0].label if own_cues else 'none'}": 1.0,
        "n_cue_labels": float(len({c.label for c in cues})),
        "is_list_item": float(bool(context.lead_in)),
        "question": float(asks(own)),
        "negated": float(decision.polarity.value == "prohibition"),
        "has_condition": float(bool(decision.condition_text)),
    }
    if cues:
        features[f"cue_text={cues[0].text.lower()}"] = 1.0
    blocker = decision.reason.split(":", 1)[0] if decision.force.value == "none" else ""
    if blocker:
        features[f"blocked={blocker}"] = 1.0
    for kind in section_kinds(context.section):
        features[kind] = 1.0
    return features


def _root(sentence: Any) -> Any:
    return sentence.root


def parse_features(parsed: Any) -> dict[str, float]:
    """Features of the main verb of a spaCy Doc: its governing modal, subject, mood and tense."""
    sentences = list(parsed.sents)
    if not sentences:
        return {}
    root = _root(sentences[0])
    children = list(root.children)
    modals = [c.lower_ for c in children if c.tag_ == "MD"]
    subjects = [c for c in children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
    features: dict[str, float] = {
        f"root_modal={modals[0] if modals else 'none'}": 1.0,
        f"root_tag={root.tag_}": 1.0,
        "root_negated": float(any(c.dep_ == "neg" for c in children)),
        "root_passive": float(any(c.dep_ in {"auxpass", "nsubjpass"} for c in children)),
        "imperative": float(root.tag_ == "VB" and not subjects and root.i == sentences[0].start),
    }
    if _fronted_imperative(sentences):
        features["imperative_fronted"] = 1.0
    if subjects:
        word = subjects[0].lower_
        person = (
            "first" if word in _FIRST_PERSON else "second" if word in _SECOND_PERSON else "third"
        )
        features[f"subject={person}"] = 1.0
    if modals and modals[0] in {"will", "'ll"}:
        features["predictive_will"] = float(not force_cues(parsed.text))
    return features


# What closes a phrase fronted before an imperative ("To help you plan, complete ...", "In
# addition: share ...").
_FRONTING_PUNCT = frozenset({",", ":", "-", "–"})


def _fronted_imperative(sentences: Sequence[Any]) -> bool:
    """Whether the first sentence with a bare main verb (no subject, no auxiliary) has it after
    a phrase closed by a comma, colon or dash: "To help you plan, complete the template" is an
    imperative like "Complete the template", which `imperative` (the verb first) does not see."""
    for sentence in sentences:
        root = sentence.root
        bare = root.tag_ == "VB" and not any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "aux", "auxpass"} for c in root.children
        )
        if not bare or root.i == sentence.start:
            continue
        return any(t.text in _FRONTING_PUNCT for t in sentence.doc[sentence.start : root.i])
    return False


def title_features(title: str) -> dict[str, float]:
    """The words of the document's title: what kind of document the clause is in."""
    return {f"title:{w}": 1.0 for w in set(re.findall(r"[a-z]{3,}", title.lower()))}


def _own(context: ClauseContext) -> str:
    if context.lead_in and context.text.startswith(context.lead_in):
        return context.text[len(context.lead_in) :].strip()
    return context.text


def clause_evidence(contexts: Sequence[ClauseContext], parser: Parser) -> list[Evidence]:
    """Rule, parse, deontic and context features for each clause. The whole clause is parsed for
    its markers (the lead-in's carry a flag), the item's own words for the main-verb features."""
    wholes = parser.parse([c.text for c in contexts])
    owns = parser.parse([_own(c) for c in contexts])
    evidence = []
    for context, whole, own in zip(contexts, wholes, owns, strict=True):
        lead = len(context.lead_in) if context.text.startswith(context.lead_in) else 0
        found = markers(whole, lead)
        rules = classify_rules(context.text, context.authority, context.lead_in, context.section)
        features = {
            **rule_features(context, rules),
            **parse_features(own),
            **deontic_features(whole, lead, found),
            **title_features(context.title),
        }
        condition = find_condition_span(context.text, whole)
        evidence.append(Evidence(features, tuple(found), rules, condition))
    return evidence


class EmbeddingCache:
    """Sentence embeddings computed once per text for the life of the cache."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.vectors})
        if missing:
            for text, vector in zip(missing, self.encoder.embed(missing), strict=True):
                self.vectors[text] = vector
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


def marker_span(evidence: Evidence) -> tuple[int, int] | None:
    """The deontic marker whose sense the model reads in context: the first that governs the
    main clause, else the first at all (reporting verbs are not deontic); None without one."""
    deontic = [m for m in evidence.markers if m.kind != "reporting"]
    chosen = next((m for m in deontic if m.scope == "main"), deontic[0] if deontic else None)
    return (chosen.start, chosen.end) if chosen is not None else None


@dataclass
class Featurised:
    """Per clause: the evidence, the text, and its vectors side by side: the sentence embedding
    and the contextual vector of its deontic marker (zeros without one). A modal's sense is
    in its context ("may" of permission in "ICBs may delegate" and of possibility in "this may
    reflect"), and a sentence vector averages it away: the marker's own vector added 0.012
    force macro-F1 on 5 folds by document and 0.018 holding out publisher groups (README)."""

    evidence: list[Evidence]
    texts: list[str]
    embeddings: np.ndarray
    layers: np.ndarray  # every encoder layer's mean token state (`Encoder.layer_pools`)

    @property
    def features(self) -> list[dict[str, float]]:
        return [e.features for e in self.evidence]

    def subset(self, indices: Sequence[int] | np.ndarray) -> Featurised:
        return Featurised(
            [self.evidence[i] for i in indices],
            [self.texts[i] for i in indices],
            self.embeddings[list(indices)],
            self.layers[list(indices)],
        )


def featurise(
    contexts: Sequence[ClauseContext],
    settings: Settings,
    cache: EmbeddingCache | None = None,
    language: Language | None = None,
) -> Featurised:
    """Features, texts and vectors of the clauses, parsed and embedded by `language` (by default
    the process's shared parser and encoder for `settings`)."""
    language = language or Language.shared(settings)
    embedder = cache or EmbeddingCache(language.encoder)
    # read "Should the board wish, ..." as "If the board wish, ..." (offsets unchanged)
    contexts = [replace(c, text=as_if(c.text), lead_in=as_if(c.lead_in)) for c in contexts]
    texts = [c.text for c in contexts]
    evidence = clause_evidence(contexts, language.parser)
    spans = [marker_span(e) for e in evidence]
    encoder = language.encoder
    # one encoder run per clause: a chunk's marker runs leave their layer pools in the encoder's
    # memo for `layer_pools` (which runs the unmarked clauses), so a chunk must fit in that memo
    step = max(1, encoder.pool_memo_size // 2)
    marked, layers = [], []
    for start in range(0, len(texts), step):
        chunk = texts[start : start + step]
        marked.append(encoder.span_vectors(chunk, spans[start : start + step]))
        layers.append(encoder.layer_pools(chunk))
    return Featurised(
        evidence,
        texts,
        np.hstack([embedder(texts), np.vstack(marked) if marked else np.zeros((0, DIMENSIONS))]),
        np.vstack(layers) if layers else np.zeros((0, 0), dtype=np.float32),
    )
