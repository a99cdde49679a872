"""Rule-based force, polarity and condition: the cues of ANNOTATION.md, explained.

The governing cue is the leftmost force phrase (rule 9: the modal that governs the main verb);
reported views, questions and the author's own commitments block force (rules 1, 7, 8); the
document's authority decides whether a "must" can bind (DECISIONS.md B.10)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import cache

from docmine.language.cues import Cue, find_cues, first_word_baseline, force_cues, governs, lexicon
from docmine.model import Authority, Force, ForceDecision, Polarity, Span

_CONDITION = re.compile(
    r"\b(?:subject to [^,.;]+|where (?:appropriate|applicable|possible|necessary|relevant)"
    r"|as appropriate|if (?:passed|it wishes[^,.;]*|there are [^,.;]*|[^,.;]{3,80}?)(?=[,.;]|$)"
    r"|unless [^,.;]+|provided that [^,.;]+|upon receipt of [^,.;]+|on receipt of [^,.;]+"
    r"|whenever [^,.;]+|once [^,.;]{3,60}(?=,))",
    re.IGNORECASE,
)
# a clause opened by a subordinator and not yet closed: what stands in it sets a circumstance
_SUBORDINATE_OPENS = re.compile(
    r"(?:^|[,;:—(]\s*)(?:if|where|wherever|although|though|when|whenever|unless|because|since"
    r"|once|until|before|after|by|as|whether|while|whilst)\b[^,;:—]*$",
    re.IGNORECASE,
)
NO_CUE = "no force cue"
CONFIDENCE = {Force.MANDATORY: 0.9, Force.EXPECTATION: 0.8, Force.SUGGESTION: 0.65}


# a reference a committee report sets after its recommendation or question ("(Paragraph 34)")
_PARAGRAPH_REFERENCE = re.compile(r"\s*\((?:paragraphs?|paras?\.?)\s*[\d.,–\- and]+\)\s*$", re.I)


# a Member's written question, which Parliament prints without its question mark ("To ask the
# Secretary of State for Health and Social Care, whether he will require ICBs to ...")
_PARLIAMENTARY_QUESTION = re.compile(
    r"^\W*To ask (?:the (?:Secretary of State|Minister|Chancellor|Prime Minister|Deputy Prime "
    r"Minister|Attorney General|Leader of the House|Government)|(?:His|Her) Majesty(?:'|’)s "
    r"Government)\b[^.?;]{0,200}?,\s*(?:whether|what|how|if|when|why)\b"
)


def asks(text: str) -> bool:
    """The clause ends with a question mark, before any paragraph reference after it, or is a
    written parliamentary question."""
    return _PARAGRAPH_REFERENCE.sub("", text).rstrip().endswith("?") or bool(
        _PARLIAMENTARY_QUESTION.match(text)
    )


def find_condition(text: str) -> str:
    """The proviso, trigger or scope limit the instruction is subject to, as written."""
    match = _CONDITION.search(text)
    return match.group(0).strip() if match else ""


def _blocking_cue(text: str, governing: Cue | None) -> Cue | None:
    """A reported-view, commitment or legal-formula signal standing before the governing cue, or
    a prediction covering it."""
    for cue in find_cues(text, ("reported", "commitment", "legal_formula", "prediction")):
        if cue.label == "legal_formula" and _SUBORDINATE_OPENS.search(text[: cue.start]):
            continue  # "If the person does not require care, ...", "When the Act comes into force"
        before = governing is None or cue.start <= governing.start
        covers = governing is not None and cue.start <= governing.start < cue.end
        if (cue.label != "prediction" and before) or covers:
            return cue
    return None


def _formula_across(text: str, item_start: int) -> Cue | None:
    """A legal formula that runs from a lead-in into its item ("Nothing in this regulation— |
    requires a service user to ..."): the item's own force word is part of it."""
    return next(
        (
            cue
            for cue in find_cues(text, ("legal_formula",))
            if cue.start < item_start < cue.end and not _SUBORDINATE_OPENS.search(text[: cue.start])
        ),
        None,
    )


def _has(text: str, label: str) -> bool:
    return bool(find_cues(text, (label,)))


def _context_block(
    text: str, governing: Cue, force: Force, authority: Authority, section: Sequence[str]
) -> str:
    """Why the clause's context makes it instruct no one, or "" (DECISIONS.md B.9, B.10)."""
    kinds = section_kinds(section)
    if "section_case_study" in kinds:
        return "section: case study"
    addressed = _has(text[: governing.start], "audience")
    if "section_reported" in kinds and not (
        addressed or _has(text, "author_stance") or _has(text, "law_restatement")
    ):
        return "section: reported views"
    asks = authority == Authority.POSITION_PAPER and force != Force.MANDATORY
    if asks and _has(text, "national_ask"):
        return f"position: asks {find_cues(text, ('national_ask',))[0].text}"
    return ""


def section_kinds(section: Sequence[str]) -> list[str]:
    """Section-cue labels found in a heading path (resources/cues.yaml `section_*`)."""
    path = " > ".join(section)
    labels = tuple(label for label in lexicon() if label.startswith("section_"))
    return sorted({c.label for c in find_cues(path, labels)})


def _apply_authority(force: Force, authority: Authority, text: str) -> Force:
    """A position paper's "must" is an expectation unless it restates the law."""
    if force == Force.MANDATORY and authority == Authority.POSITION_PAPER:
        return force if _has(text, "law_restatement") else Force.EXPECTATION
    return force


def _governing(scope: str, cues: Sequence[Cue]) -> Cue | None:
    """The first cue that governs the main verb and is not a mere possibility."""
    epistemic = find_cues(scope, ("epistemic",))
    for cue in cues:
        possible = any(e.start <= cue.start < e.end for e in epistemic)
        if governs(scope, cue) and not (possible and cue.label == "suggestion"):
            return cue
    return None


def classify_rules(
    text: str,
    authority: Authority = Authority.GUIDANCE,
    lead_in: str = "",
    section: Sequence[str] = (),
) -> ForceDecision:
    """Force by the rules; a list item's own force word beats its lead-in's (DECISIONS A.3).

    `cue` is the governing or blocking phrase as a span of `text` (None for a question or no
    cue); `reason` says why in words when the answer is `none` (the features read it)."""
    own = text[len(lead_in) :] if lead_in and text.startswith(lead_in) else text
    own_cues = force_cues(own)
    cues = own_cues or force_cues(text)
    scope, offset = (own, len(text) - len(own)) if own_cues else (text, 0)

    def at(decision: ForceDecision, cue: Cue) -> ForceDecision:
        span = Span.of(text, offset + cue.start, offset + cue.end)
        return dataclasses.replace(decision, cue=span)

    governing = _governing(scope, cues)
    if asks(own) and not lead_in:
        return ForceDecision(Force.NONE, confidence=0.9, reason="question")
    blocker = _blocking_cue(scope, governing)
    if blocker is None and offset:
        blocker = _formula_across(text, offset)
        if blocker is not None:
            offset = 0  # the blocker is a span of the whole text
    if blocker is not None:
        why = f"{blocker.label}: {blocker.text}"
        return at(ForceDecision(Force.NONE, confidence=0.75, reason=why), blocker)
    if governing is None:
        if not cues:
            return ForceDecision(Force.NONE, confidence=0.7, reason=NO_CUE)
        return at(
            ForceDecision(Force.NONE, confidence=0.7, reason=f"embedded: {cues[0].text}"), cues[0]
        )
    force = _apply_authority(Force(governing.label), authority, text)
    context = _context_block(scope, governing, force, authority, section)
    if context:
        why = f"{context} (over {governing.text})"
        return at(ForceDecision(Force.NONE, confidence=0.7, reason=why), governing)
    polarity = Polarity.PROHIBITION if governing.negated else Polarity.POSITIVE
    condition = find_condition(text)
    where = text.find(condition) if condition else -1
    located = Span(condition, where, where + len(condition)) if where >= 0 else Span(condition)
    decision = ForceDecision(
        force, polarity, CONFIDENCE[force], condition=located if condition else None
    )
    return at(decision, governing)


def classify_keyword(text: str) -> Force:
    """The baseline the issue measures against: the first deontic word found decides (the
    lexicon's `first_word_baseline`)."""
    words = first_word_baseline()
    match = _baseline_word(tuple(words)).search(text)
    return words[match.group(1).lower()] if match else Force.NONE


@cache
def _baseline_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b({'|'.join(map(re.escape, words))})\b", re.IGNORECASE)
