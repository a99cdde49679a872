"""Classification: force, polarity, condition, calibrated confidence and cue span for each clause.

Two implementations behind one name table: `model` (the learned classifier whose artefact ships in
the package: docmine.classify.model) and `rules` (the cues of ANNOTATION.md, kept as the model's
features and as a transparent baseline)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from docmine.classify.deontic import Marker, vocabulary
from docmine.classify.features import ClauseContext
from docmine.classify.rules import asks, classify_rules
from docmine.config import Settings, load_settings
from docmine.errors import BadInput, ModelMissing
from docmine.language import Language
from docmine.language.cues import force_cues
from docmine.model import Authority, Force, ForceDecision, Polarity, Span

Classifier = Callable[[Sequence[ClauseContext], Settings, "Language | None"], list[ForceDecision]]


def _rules(
    contexts: Sequence[ClauseContext], settings: Settings, language: Language | None = None
) -> list[ForceDecision]:
    return [classify_rules(c.text, c.authority, c.lead_in, c.section) for c in contexts]


def _model(
    contexts: Sequence[ClauseContext], settings: Settings, language: Language | None = None
) -> list[ForceDecision]:
    from docmine.classify.features import featurise
    from docmine.classify.model import load_artefact, predict

    model = load_artefact(settings.force_model)
    if model is None:
        raise ModelMissing(
            "no force model: run `docmine train` or classify with --method rules",
            str(settings.force_model),
        )
    if not contexts:
        return []
    data = featurise(contexts, settings, language=language)
    decisions, probabilities = predict(model, contexts, data)
    return after_the_model(contexts, decisions, probabilities, data.evidence)


def after_the_model(
    contexts: Sequence[ClauseContext],
    decisions: list[ForceDecision],
    probabilities: Any,
    evidence: Sequence[Any],
) -> list[ForceDecision]:
    """The rules that follow the model where the gold gives it too little to learn from
    (README, "How force is decided"): classification and its cross-validation both apply them."""
    decisions = reported_views(contexts, decisions, evidence)
    decisions = forbidden(contexts, decisions, evidence)
    decisions = conferred(contexts, decisions)
    decisions = powers_to_require(contexts, decisions)
    decisions = consequences(contexts, decisions)
    decisions = tasks_assigned(contexts, decisions, evidence)
    decisions = declined(contexts, decisions)
    decisions = enquiries(contexts, decisions)
    decisions = signposts(contexts, decisions)
    decisions = offences(contexts, decisions)
    decisions = exempted(contexts, decisions, evidence)
    decisions = proposals(contexts, decisions, evidence)
    decisions = listed_questions(contexts, decisions)
    decisions = assigned_actions(contexts, decisions, probabilities, evidence)
    decisions = forbidding_imperatives(contexts, decisions, evidence)
    decisions = resolutions(contexts, decisions)
    return spoken_in_debate(contexts, decisions)


# How often the rule below is right where it fires on the gold (train + dev): 7 of 7 questions
# ("Some of the key questions you might want to consider asking include: How will ...?"; the
# model had called 3 of them none or expectation), add-one smoothed (7 + 1) / (7 + 2)
LISTED_QUESTION_CONFIDENCE = 0.889
# and 23 of 23 questions standing alone are none in the gold (the model, by document, had
# called 2 of them an expectation or a suggestion: "What choices should be open regarding
# HWBs?"), add-one smoothed (23 + 1) / (23 + 2)
QUESTION_CONFIDENCE = 0.96


# a question's own words: a question word or an auxiliary first, or after a dash, colon or comma
# ("Segmentation – how can you ...?", "For example, who decides ...?")
_ASKS = re.compile(
    r"(?:^|[–—:,]\s*)\W*(?:what|how|why|when|where|who|whom|which|whose|whether|is|are|was|"
    r"were|do|does|did|can|could|should|would|will|has|have|had|may|might|must|shall)\b",
    re.IGNORECASE,
)


# a consultation question's number before it ("Question 3:", "Q4.", "Consultation question 2:")
_QUESTION_LABEL = re.compile(
    r"^\W*(?:consultation\s+)?(?:question|q)\s*\d{1,3}[a-z]?\s*[:.]\s*$", re.IGNORECASE
)


def _question() -> ForceDecision:
    """A question's decision: none (ANNOTATION.md rule 8), at the rule's measured precision."""
    return ForceDecision(Force.NONE, Polarity.POSITIVE, QUESTION_CONFIDENCE, None, None, "question")


def listed_questions(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A question listed under a lead-in that instructs takes the lead-in's force, because the
    question is what the lead-in asks for ("Councillors may wish to ask: Is the ICB meeting its
    targets?" is a suggestion; DECISIONS.md 15). A question standing alone is none, however
    pointed ("How should boundaries relate to wards?"; ANNOTATION.md rule 8); one under a lead-in
    the rules find asks nothing keeps the model's force. A clause is a question by its words,
    not only its "?" ("Partners should ask themselves how ...?" keeps the model's force)."""
    out = list(decisions)
    for index, context in enumerate(contexts):
        text = context.text.rstrip()
        if not asks(text):
            continue
        lead = context.lead_in if context.lead_in and text.startswith(context.lead_in) else ""
        if not lead:
            colon = text.rfind(": ")
            lead = text[: colon + 1] if colon > 0 else ""
        if _QUESTION_LABEL.match(lead):  # "Question 3: Should ...?": a number, not a lead-in
            text, lead = text[len(lead) :].lstrip(), ""
        questions = _ASKS.search(text[len(lead) :]) is not None  # not an instruction's stray "?"
        if not lead and questions and decisions[index].force != Force.NONE:
            out[index] = _question()
        if not lead or lead.rstrip(" :").endswith("?"):
            continue
        asked = classify_rules(lead, context.authority)
        if asked.force == Force.NONE or asked.cue is None:
            # the model's: the rules miss some lead-ins that ask ("we do want you to answer 3
            # questions:" is an expectation in the gold), and 2 of the 5 gold questions under
            # a lead-in the rules call none are none
            continue
        out[index] = ForceDecision(
            asked.force,
            Polarity.POSITIVE,
            LISTED_QUESTION_CONFIDENCE,
            asked.cue,
            None,
            "a question listed under a lead-in that asks for it",
        )
    return out


# How often the rule below is right where it fires on the gold (train + dev): 71 of 71 clauses
# are none (64 blocked by a reported-view cue, 7 by a section of reported views), add-one
# smoothed: (71 + 1) / (71 + 2). Its measured precision, stated as its confidence.
REPORTED_CONFIDENCE = 0.986


def reported_views(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """A view the text reports instructs no one, whatever modal it holds (ANNOTATION.md rule 1,
    DECISIONS.md 9), nor does a legal drafting formula (rule 2): where the rules found a
    reported-view cue or a formula before the governing word
    ("respondents told us that ICBs should ...", "there was broad support for ...") or the
    clause sits in a section of reported views, the clause is none. The model, reading the
    modal and the body, called 9 of the 71 such gold clauses instructions; all 71 are none."""
    out = list(decisions)
    for index, (context, decision, seen) in enumerate(
        zip(contexts, decisions, evidence, strict=True)
    ):
        if decision.force == Force.NONE:
            continue
        rules = seen.rules
        blocked = next((c for why, c in _BLOCKED if rules.reason.startswith(why)), None)
        if blocked is not None:
            out[index] = ForceDecision(
                Force.NONE, Polarity.POSITIVE, blocked, rules.cue, None, rules.reason
            )
        elif (verb := reported_by_people(seen.markers)) is not None:
            why = f"reported: a view people stated ('{verb.lemma}')"
            out[index] = _ruled(
                context, decision, Force.NONE, Polarity.POSITIVE, SAID_CONFIDENCE, verb, why
            )
        elif context.spoken:
            out[index] = ForceDecision(
                Force.NONE, Polarity.POSITIVE, SPOKEN_CONFIDENCE, None, None, "reported: quoted"
            )
        elif any(_CASE_STUDY.match(heading) for heading in context.section):
            out[index] = ForceDecision(
                Force.NONE, Polarity.POSITIVE, CASE_STUDY_CONFIDENCE, None, None, "case study"
            )
    return out


# A speaker's words the text quotes after "X said:" (a press release's minister, a committee
# chair, an inspector) are their view, which instructs no one (ANNOTATION.md rule 1, DECISIONS.md
# 9), whatever modal they hold: in the gold, 11 of the 12 clauses of paragraphs that open after
# such a line are none, add-one smoothed (11 + 1) / (12 + 2)
SPOKEN_CONFIDENCE = 0.857
_SPEAKER = re.compile(
    r"\b(?:said|says|added|adds|commented|comments|explained|stated|continued|told\s+[\w ,]{1,40}?)"
    r"\s*:\s*$",
    re.IGNORECASE,
)
_SPEAKER_INLINE = re.compile(
    r"\b(?:said|says|added|adds|commented|explained|stated|continued)\s*:\s*[“\"‘]",
    re.IGNORECASE,
)


# what a text says is the text's, restated (DECISIONS.md 8): "Section 14 of the Act says:"
_TEXT_SPEAKS = re.compile(
    r"\b(?:section|act|regulations?|guidance|code|paragraph|schedule|law|statute|framework|"
    r"policy|standard|constitution|contract|agreement|document|report|letter|plan|strategy|"
    r"specification|direction|order|bill|clause|rule|what|it|this)\b",
    re.IGNORECASE,
)


def follows_a_speaker(document_text: str, start: int) -> bool:
    """Whether the text at `start` is in a paragraph that a speaker's line ("Committee Chair
    Clive Betts MP said:") ends right before, or in one that quotes after "said:" earlier in it;
    not a text's words ("Section 14 of the Care Act 2014 says:")."""
    paragraph = document_text.rfind("\n", 0, start)
    inline = _SPEAKER_INLINE.search(document_text[paragraph + 1 : start])
    if inline:
        line = document_text[paragraph + 1 : paragraph + 1 + inline.start()]
        return _TEXT_SPEAKS.search(line) is None
    before = document_text[max(0, paragraph - 300) : max(paragraph, 0)].rstrip()
    said = _SPEAKER.search(before)
    if paragraph <= 0 or said is None:
        return False
    line = before[before.rfind("\n") + 1 : said.start()]
    return _TEXT_SPEAKS.search(line) is None


# A section headed as a case study ("Case study: Eastmoor Council", "Spotlight: ...") describes a
# local arrangement and instructs no reader, whatever modal it holds (DECISIONS.md 9). No gold
# clause sits under such a heading, so the confidence is the add-one prior (0 + 1) / (0 + 2).
_CASE_STUDY = re.compile(r"^\W*(?:case stud(?:y|ies)|spotlight|vignette)\b", re.IGNORECASE)
CASE_STUDY_CONFIDENCE = 0.5


# The text of law moved or quoted in a debate (a new clause, an amendment), which keeps its force:
# an item of a quoted clause ("a person or body to whom this section applies shall ..."), a
# mover's attribution ("...'.—[Mr. Jon Owen Jones.]"), the law's own words ("this section")
_LAW_IN_DEBATE = re.compile(
    r"^(?!(?:and|but|or|so|then|yet)\b)[a-z(]|[’'\"]\s*\.?\s*[—–-]+\s*\[|"
    r"\bthis (?:section|subsection|Act|regulation|Part)\b|\bsubsection \("
)
# How often a clause of a parliamentary record outside quoted law is none in the gold (train +
# dev), where the rule can fire: 135 of the 136 clauses of the 13 documents read as debates (the
# 12 debates and a written ministerial statement, whose "this must be done with the greatest of
# care" is the one mandatory), add-one smoothed (135 + 1) / (136 + 2)
DEBATE_CONFIDENCE = 0.986


def spoken_in_debate(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """What members and ministers say in Parliament's record (Hansard: a debate, a statement)
    instructs no one: a member's "councils should ..." is a view (DECISIONS.md 9), a minister's
    "we must ..." the Government's own plan (ANNOTATION.md rule 7). The text of law moved or
    quoted in the debate keeps the model's force. The model, reading the modals, had called 8
    of the gold's 130 debate clauses instructions."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if context.authority != Authority.DEBATE or decision.force == Force.NONE:
            continue
        if _LAW_IN_DEBATE.search(context.text):
            continue
        out[index] = ForceDecision(
            Force.NONE, Polarity.POSITIVE, DEBATE_CONFIDENCE, decision.cue, None,
            "spoken in Parliament: a member's view or the Government's plan",
        )  # fmt: skip
    return out


def _blocked(decision: ForceDecision) -> bool:
    """Whether the rules made the clause none before the model could read it: a view reported,
    a legal formula (the rules after the model leave such a clause alone)."""
    return decision.force == Force.NONE and decision.reason.startswith(
        tuple(reason for reason, _ in _BLOCKED)
    )


def _ruled(
    context: ClauseContext,
    decision: ForceDecision,
    force: Force,
    polarity: Polarity,
    confidence: float,
    marker: Marker,
    reason: str,
) -> ForceDecision:
    """A rule's decision in place of the model's: its force, its measured precision as the
    confidence, the marker it read as the cue; the model's condition stays on an instruction."""
    cue = Span.of(context.text, marker.start, marker.end)
    condition = decision.condition if force != Force.NONE else None
    return ForceDecision(force, polarity, confidence, cue, condition, reason)


def _made_none(text: str, start: int, end: int, confidence: float, reason: str) -> ForceDecision:
    """A rule's "none" in place of the model's decision: the words it read as its cue, its
    measured precision as the confidence."""
    return ForceDecision(
        Force.NONE, Polarity.POSITIVE, confidence, Span.of(text, start, end), None, reason
    )


# A legal drafting formula (a definition, citation, commencement, an amendment, a requirement
# taken away: cues.yaml legal_formula) states no obligation (rule 2: describing is not
# instructing): all 47 gold clauses (train + dev) where the rules find one are none, add-one
# smoothed (47 + 1) / (47 + 2); the model, seeing the Regulations' "must" around it, called
# "Nothing in this regulation— requires a service user to ..." mandatory
FORMULA_CONFIDENCE = 0.980
# the rules' reasons that make a clause none after the model, with each one's confidence
_BLOCKED = (
    ("reported:", REPORTED_CONFIDENCE),
    ("section: reported views", REPORTED_CONFIDENCE),
    ("legal_formula:", FORMULA_CONFIDENCE),
)
# How often the parse's reported view is none in the gold (train + dev): 29 of the 30 clauses where
# it fires (the other, "... – This document explains how ...", an expectation whose text the
# parser did not find as the subject), add-one smoothed: (29 + 1) / (30 + 2)
SAID_CONFIDENCE = 0.938
_NOT_A_VIEW = frozenset({"set"})  # "the guidance sets out that ...": a text's content


def reported_by_people(found: Sequence[Marker]) -> Marker | None:
    """The reporting verb of a sentence whose only deontic words sit in what it reports, when
    those who report are people or bodies, not a text ("Respondents to the consultation said the
    council should ...", "Inspectors said providers should ..."): their view, which instructs no
    one (ANNOTATION.md rule 1, DECISIONS.md 9; a text restating guidance keeps its force,
    DECISIONS.md 8). The cue list in cues.yaml names the reporters it knows; this reads the
    parse, whoever reports."""
    if any(m.scope == "main" and m.kind not in ("reporting", "imperative") for m in found):
        return None
    if not any(m.scope == "reported" and m.kind != "reporting" for m in found):
        return None
    verb = next((m for m in found if m.kind == "reporting"), None)
    if verb is None or verb.lemma in _NOT_A_VIEW or verb.subject != "noun":
        return None
    return None if verb.subject_word in vocabulary()["texts"] else verb


# How often the rule below is right where it fires on the gold (train + dev): 3 of 3 clauses
# ("may not be withheld", "may not be imposed"), add-one smoothed: (3 + 1) / (3 + 2). A rule has
# no probability of its own; this is its measured precision, stated as its confidence.
FORBIDDEN_CONFIDENCE = 0.8
# what makes "may not" a possibility whatever the verb: "may not have completed", "may not
# always meet", "some ICBs may not ..."
_POSSIBILITY = re.compile(
    r"\bmay not (?:have|always|yet|necessarily|even|be able)\b|"
    r"\bmay not make (?:sense|(?:a|any|much) difference)\b|"
    r"\b(?:some|many|most|few|other|smaller|larger|these|those|people|they|it|this)\b[^.;:]{0,40}"
    r"\bmay not\b",
    re.IGNORECASE,
)
_RULE_MAKERS = (Authority.LEGISLATION, Authority.STATUTORY_GUIDANCE)
# A law, or a part of one, that bars an act ("Subsection (2) prevents local authorities from
# charging", "The Act prohibits providers from ..."), opening its clause (after a fronted phrase
# at most), or a body barred from one as the clause's subject ("Providers are prohibited from
# ..."): a prohibition (rule 3). Not a pronoun's ("it prevents carers from reaching crisis" is
# an effect), nor one inside a subordinate clause ("If providers are prohibited from ...").
_BARS = re.compile(
    r"^(?:[^,;:]{0,60},\s+)?(?:the\s+|this\s+|that\s+)?"
    r"(?:(?:sub)?sections?|regulations?|paragraphs?|clauses?|schedules?|articles?|act|bill|"
    r"order|conditions?)\b(?:\s+\(?[\w.]{1,6}\)?)*"
    r"\s+(?:also\s+)?(?P<verb>prohibits|prevents|forbids|bars|precludes)\s+"
    r"(?:[\w'’()-]+\s+){1,8}?from\s+\w+ing\b"
    r"|^(?:[^,;:]{0,60},\s+)?(?!(?:if|where|when|whether|unless|once|because)\b)"
    r"(?:(?!(?:that|told|said|says|say|heard|reported|think|thinks|believe|believes)\b)"
    r"[\w'’-]+\s+){1,4}(?:is|are)\s+(?P<passive>prohibited|barred|precluded|forbidden)"
    r"\s+from\s+\w+ing\b",
    re.IGNORECASE,
)
# "Nothing in this regulation prevents ...", "... prevents no one from ...": a permission
_NOT_BARRED = re.compile(r"\b(?:nothing|not|no|never|nobody|none)\b", re.IGNORECASE)
# 0 of 0 gold clauses: the one the rule's first draft caught ("it prevents the issuing
# authority from incurring ...") has a pronoun for its subject, which this form leaves to the
# model; the confidence is the add-one prior (0 + 1) / (0 + 2) until the gold has such clauses
BARS_CONFIDENCE = 0.5


def forbidden(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """ "May not" of prohibition (ANNOTATION.md: "may not (= prohibited)" is mandatory): a "may"
    in the main clause, negated, on a verb of action (not of state or cognition, "it may not be
    feasible", "carers may not know": resources/deontic.yaml stative), with a subject no one can
    be ("No ICB may delegate", "Neither partner may withdraw"), or a noun for its subject
    ("Pharmacists may not prescribe ...", "Providers may not charge ..."), or in a text that
    makes rules (legislation, statutory guidance: "the authority may not charge"), and not in a
    sentence that speaks of possibility ("may not have completed", "some providers may not").
    The model has seen three such clauses and reads "may" as a permission. On the gold the rule
    fires on no other clause with a noun subject outside the rule-makers' texts. A conjunct
    split off after "but" ("but may not delegate ...") has the part before's subject.
    Where no negated "may" forbids, a law that bars an act does (`_BARS`: "Subsection (2)
    prevents local authorities from charging", "Providers are prohibited from ..."), unless the
    rules already made the clause none (a reported view, a legal formula)."""
    stative = vocabulary()["stative"]
    out = list(decisions)
    for index, (context, decision, seen) in enumerate(
        zip(contexts, decisions, evidence, strict=True)
    ):
        if decision.force == Force.MANDATORY and decision.polarity == Polarity.PROHIBITION:
            continue
        nobody = bool(_NOBODY.search(context.text))
        # a conjunct split off its sentence ("but may not delegate ..."): its subject is the
        # part before's, which gave an instruction (segment: a turn of force after "but")
        conjunct = bool(_CONJUNCT.match(context.text))
        if _POSSIBILITY.search(context.text):
            continue
        marker = next(
            (
                m
                for m in seen.markers
                if m.kind == "modal"
                and m.lemma == "may"
                and m.negated
                and m.scope == "main"
                and (m.subject not in ("expletive", "none") or conjunct)
                and m.verb not in stative
                and (nobody or conjunct or context.authority in _RULE_MAKERS or m.subject == "noun")
            ),
            None,
        )
        if marker is None:
            barred = _BARS.search(context.text)
            word = "verb" if barred and barred.group("verb") else "passive"
            if barred and not _blocked(decision) and not _NOT_BARRED.search(barred.group(0)):
                cue = Span.of(context.text, barred.start(word), barred.end(word))
                out[index] = ForceDecision(
                    Force.MANDATORY,
                    Polarity.PROHIBITION,
                    BARS_CONFIDENCE,
                    cue,
                    decision.condition,
                    "prohibition: a law or a subject barred from an act ('prevents ... from')",
                )
            continue
        why = "prohibition: a negated 'may' on a verb of action"
        out[index] = _ruled(
            context,
            decision,
            Force.MANDATORY,
            Polarity.PROHIBITION,
            FORBIDDEN_CONFIDENCE,
            marker,
            why,
        )
    return out


# In the gold's position papers (NHS Confederation, LGA), 3 of 3 clauses whose governing word has
# a law-maker or national body as its subject are none; add-one smoothed (3 + 1) / (3 + 2)
PROPOSAL_CONFIDENCE = 0.8


# Verbs by which the author proposes, and by which a consultation asks the reader's view
_PROPOSING = frozenset({"propose"})
_ASKING_VIEWS = frozenset({"agree", "think", "support", "believe", "feel"})
# How often the rule below is right where it fires in 5-fold cross-validation by document on the
# gold (train + dev): 1 of 1 ("Question 5: Do you agree that the principles ... should apply
# ...?" is none; the gold's other proposals the model already called none), add-one smoothed
# (1 + 1) / (1 + 2)
CONSULTED_CONFIDENCE = 0.667


def put_to_consultation(found: Sequence[Marker], text: str) -> Marker | None:
    """The verb of a sentence whose only deontic words sit in what the author proposes ("We
    propose that ICBs should be required to ...") or in what a question asks the reader to judge
    ("Do you agree that ICBs should ...?"): a proposal or a question, which states no obligation
    (DECISIONS.md 10)."""
    if any(m.scope == "main" and m.kind not in ("reporting", "imperative") for m in found):
        return None
    if not any(m.scope == "reported" and m.kind != "reporting" for m in found):
        return None
    verb = next((m for m in found if m.kind == "reporting"), None)
    if verb is None:
        return None
    if verb.lemma in _PROPOSING and verb.subject == "first":
        return verb
    asked = verb.lemma in _ASKING_VIEWS and verb.subject == "second"
    return verb if asked and asks(text) else None


_URGING = frozenset({"recommend", "urge", "call", "ask", "propose", "suggest", "encourage"})


@cache
def _law_maker_after(makers: frozenset[str]) -> re.Pattern[str]:
    """The words right after a verb of asking that name a law-maker or national body ("... that
    DHSC should", "... the Government to", "... on NHS England to")."""
    names = "|".join(sorted(makers, key=len, reverse=True))
    return re.compile(
        rf"\s+(?:on\s+)?(?:that\s+)?(?:the\s+)?(?:nhs\s+|uk\s+)?(?:{names})\b", re.IGNORECASE
    )


def proposals(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """A position paper that tells law-makers or national bodies what they should do ("The
    Government should set out ...", "NHS England should reduce the number of targets"), or any
    text whose author urges one ("We recommend that DHSC should require ...", "We urge the
    Government to ..."), proposes an obligation rather than stating one: none (DECISIONS.md 10).
    Statements to the bodies that deliver care keep their force."""
    makers = vocabulary()["law_makers"]
    out = list(decisions)
    for index, (context, decision, seen) in enumerate(
        zip(contexts, decisions, evidence, strict=True)
    ):
        if decision.force == Force.NONE:
            continue
        asked = put_to_consultation(seen.markers, context.text)
        if asked is not None:
            why = f"proposal: the author proposes or asks a view ('{asked.lemma}')"
            out[index] = _ruled(
                context, decision, Force.NONE, Polarity.POSITIVE, CONSULTED_CONFIDENCE, asked, why
            )
            continue
        governing = next(
            (
                m
                for m in seen.markers
                if m.scope == "main" and m.kind not in ("reporting", "imperative")
            ),
            None,
        )
        if governing is None:
            continue
        # "We recommend that DHSC should require ...", "We urge the Government to ...": the
        # author asks a law-maker, in any kind of text
        urged = (
            governing.kind == "verb"
            and governing.lemma in _URGING
            and governing.subject == "first"
            and bool(_law_maker_after(makers).match(context.text, governing.end))
        )
        paper = context.authority == Authority.POSITION_PAPER
        if not (urged or (paper and governing.subject_word in makers)):
            continue
        why = f"proposal: the author asks a national body ('{governing.subject_word}')"
        out[index] = _ruled(
            context, decision, Force.NONE, Polarity.POSITIVE, PROPOSAL_CONFIDENCE, governing, why
        )
    return out


# Necessity words whose negation takes a duty away rather than imposing one: "Providers are not
# required to submit a new plan", "need not", "does not have to", "there is no requirement for
# ICBs to ..." (DECISIONS.md 13: exemptions are suggestions, with polarity positive)
_NECESSITY = {
    # "required" and "obliged" as the parser reads them: adjectives, or passive participles
    "adjective": frozenset(
        {"required", "obliged", "obligated", "compelled", "compulsory", "mandatory", "obligatory"}
    ),
    "modal": frozenset({"need", "need_to", "have_to"}),
    "noun": frozenset({"requirement", "obligation", "duty"}),
}
# Of the 14 gold clauses (train + dev) whose main clause negates a necessity word, 6 are
# suggestions, 7 none ("no action is required") and 1 an expectation; none is mandatory.
# Add-one smoothed: (6 + 1) / (14 + 2)
EXEMPTION_CONFIDENCE = 0.438
_DUTIES = (Force.MANDATORY, Force.EXPECTATION)


def exempted(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """A negated necessity is an exemption, a suggestion (DECISIONS.md 13), never a duty: where
    the model calls a clause mandatory or expected on a necessity word its main clause negates
    ("ICBs are not required to establish a new committee", "You do not need to provide a written
    notification where ..."), the clause is a suggestion with polarity positive. "Must not" and
    "may not" forbid, and are left alone. The gold has too few such clauses for the model to
    learn that "not" turns "required" round."""
    out = list(decisions)
    for index, (context, decision, seen) in enumerate(
        zip(contexts, decisions, evidence, strict=True)
    ):
        if decision.force not in _DUTIES or decision.cue is None:
            continue
        marker = next(
            (
                m
                for m in seen.markers
                if m.negated
                and m.scope == "main"
                and (
                    m.lemma in _NECESSITY.get(m.kind, ())
                    or context.text[m.start : m.end].lower() in _NECESSITY["adjective"]
                )
                and m.start < decision.cue.end
                and decision.cue.start < m.end
            ),
            None,
        )
        if marker is None:
            continue
        why = "exemption: a negated necessity"
        out[index] = _ruled(
            context,
            decision,
            Force.SUGGESTION,
            Polarity.POSITIVE,
            EXEMPTION_CONFIDENCE,
            marker,
            why,
        )
    return out


# A provision of law named as the subject: "Subsection (1)", "New paragraph 7A of Schedule 1",
# "Regulations 8 to 11", "This section", "The Act"; a paragraph, part, chapter, schedule or
# article only with its number ("This part" and "Chapter 2" may be the guidance's own)
_NUMBER = r"(?:\(\w{1,6}\)|\w*\d[\w.()]{0,8})"
_NUMBERS = rf"(?:\s+{_NUMBER}(?:\s+(?:and|to|or)\s+{_NUMBER})?)"
_PROVISION = (
    r"(?:the\s+|this\s+|that\s+|new\s+)?"
    rf"(?:(?:(?:sub)?sections?|regulations?|act|bill|order)\b{_NUMBERS}*"
    rf"|(?:(?:sub-?)?paragraphs?|clauses?|schedules?|articles?|parts?|chapters?)\b{_NUMBERS}+)"
    r"(?:\s+of\s+(?:the\s+|that\s+)?(?:new\s+)?(?:(?:sub)?section|schedule|part|act|regulations?)\b"
    rf"{_NUMBERS}*)?"
)
# ... that confers a duty on a body ("Regulation 8 obliges the local authority to ...", "Section
# 2 places a duty on ICBs to ...") or a power ("Subsection (5) enables the Secretary of State to
# make regulations", "Section 2 provides the Secretary of State with a power to ..."), opening
# the clause after a fronted phrase at most. An explanatory note describes the law in this
# form, and the scheme gives the law's force to it (a duty is mandatory, a power a suggestion).
# A right given to a person ("allows individuals to ...") confers no power on a body, nor does
# a text that lets its reader find something out ("This section allows you to find ...").
_PERSONS = (
    r"(?!(?:an?\s+|the\s+|any\s+)?(?:persons?|people|individuals?|adults?|child(?:ren)?|"
    r"patients?|carers?|residents?|users?|applicants?|someone|anyone|them|him|her|you|us|"
    r"readers?|regulations?)\b)"
)
# what a duty requires: a body to act ("requires the local authority to establish ..."), or
# that something be done; not a noun phrase ("requires further clarification", "requires a
# different approach to commissioning")
_TO_ACT = r"(?=\s+that\b|\s+(?:[\w'’()-]+\s+){0,8}?to\s+(?!the\b|an?\b)(?-i:[a-z]+)(?<!ing)\b)"
_CONFERS = re.compile(
    r"^(?:[^,;:]{0,60},\s+)?" + _PROVISION + r"\s+(?:also\s+|further\s+|therefore\s+)?"
    r"(?:(?P<duty>(?:requires?|obliges?|compels?)" + _TO_ACT + r"|"
    r"(?:places?|imposes?|puts?|confers?)\s+"
    r"(?:an?\s+|the\s+|various\s+|certain\s+|several\s+|further\s+)?"
    r"(?:new\s+)?(?:statutory\s+|legal\s+|general\s+|specific\s+)?"
    r"(?:duty|duties|requirements?|obligations?)\s+on(?=\s[^.;:]{1,80}?\bto\s+(?!the\b)(?-i:[a-z]+)))"
    r"|(?P<power>(?:enables?|allows?|permits?|empowers?|authori[sz]es?)"
    r"(?=\s+" + _PERSONS + r"(?:[\w'’()-]+\s+){1,8}?to\s+(?-i:[a-z]+))"
    r"|(?:gives?|provides?|confers?)\s+(?:on\s+)?"
    + _PERSONS
    + r"(?:(?!(?:an?\s+)?(?:overview|summary|outline|introduction|explanation|description|"
    r"details?|information)\b)[\w'’-]+\s+){1,6}?(?:with\s+)?"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?powers?\b))",
    re.IGNORECASE,
)
# How often the rule is right where it fires on the gold (train + dev): a duty 5 of 5 clauses
# mandatory, a power 9 of 9 suggestions (the model, by document, had called 2 and 6 of them
# otherwise), add-one smoothed (5 + 1) / (5 + 2) and (9 + 1) / (9 + 2)
CONFERRED_DUTY_CONFIDENCE = 0.857


def conferring_words(text: str) -> tuple[int, int] | None:
    """Where a provision of law said to confer a duty or a power says so (`_CONFERS`: "obliges",
    "gives ... the power"), as character offsets; None where the clause has no such form."""
    found = _CONFERS.search(text)
    if found is None:
        return None
    word = "duty" if found.group("duty") is not None else "power"
    return found.start(word), found.end(word)


CONFERRED_POWER_CONFIDENCE = 0.909


# The author declines to impose a requirement ("We do not intend to require district councils
# to ...", "The government has decided not to mandate ..."): no one is bound (ANNOTATION.md rule
# 7: the author's own plans; a requirement not made is none). The gold has no such clause, so
# the confidence is the add-one prior (0 + 1) / (0 + 2)
_AUTHOR = r"(?:we|the government|government|the department|ministers|the secretary of state)"
_DECLINED = re.compile(
    r"\b" + _AUTHOR + r"\s+(?:(?:(?:do|does|did|has|have|had|will|would)\s+(?:not|no longer)|"
    r"don[’']t|doesn[’']t|won[’']t)\s+(?:intend|propose|plan|want|wish|expect|seek|consider it "
    r"(?:necessary|appropriate|proportionate))\w*|(?:has|have)\s+no\s+(?:plans?|intention))\s+to\s+"
    r"(?:require|mandate|oblige|compel|impose|introduce|place|prescribe|legislate)\b"
    r"|\b" + _AUTHOR + r"\s+(?:(?:has|have)\s+)?decided\s+(?:not\s+to|against)\s+"
    r"(?:requir|mandat|oblig|compel|impos|introduc|plac|prescrib|legislat)\w*",
    re.IGNORECASE,
)
DECLINED_CONFIDENCE = 0.5


def declined(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A requirement the author says it will not impose binds no one: "We do not intend to
    require district councils to contribute" is none, where the model read "require" and a body
    as a duty. Only the declined requirement's own cue is overruled: a "must" elsewhere in the
    clause keeps the model's force."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.force == Force.NONE:
            continue
        found = _DECLINED.search(context.text)
        if found is None or (decision.cue is not None and decision.cue.start >= found.end()):
            continue  # a duty after the declined one ("..., but ICBs must ...") stands
        out[index] = _made_none(
            context.text,
            found.start(),
            found.end(),
            DECLINED_CONFIDENCE,
            "declined: the author will not impose the requirement",
        )
    return out


# Where to send questions is signposting (DECISIONS.md 17), whatever its modal: "Questions about
# these standards should be sent to ...@nhs.net", "For further enquiries please email ...". On
# the gold it fires on 3 clauses, all none, add-one smoothed (3 + 1) / (3 + 2); "Email the
# completed form to ..." (an expectation) names no question and stays the model's
_ASKED = r"(?:questions?|quer(?:y|ies)|enquir(?:y|ies)|inquir(?:y|ies)|feedback|comments?)"
# the reader's questions are what is sent: "If you have any queries, ...", "For further
# enquiries ...", "Questions about these standards should be sent to ..."
_ENQUIRIES = re.compile(
    rf"^\W{{0,3}}(?:if you have (?:a |any )?(?:further |other |more )?{_ASKED}\b"
    rf"|for (?:any |further |more |all )?{_ASKED}\b"
    # "Please direct any queries to ..." (with the address); not "Please contact the team by
    # 14 November to confirm ...", a request
    rf"|please (?:direct|send|address|email|forward|submit) (?:any |all |your )?(?:further )?"
    rf"{_ASKED}\b"
    rf"|(?:any |all |further )?{_ASKED}\b[^.;:]{{0,80}}?\b(?:should|can|may|must) be (?:sent|"
    r"directed|addressed|emailed|submitted|raised|made)\b"
    # a contact line: "Contact us: enquiries@... | 03000 616161", "Contact details - ..."
    r"|contact(?: us| details| information)?\s*[:–—-])",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\bwww\.\S+|(?<![\d.])\+?\d[\d ]{9,}\d\b"
)
ENQUIRIES_CONFIDENCE = 0.8


def sends_questions(text: str) -> bool:
    """The clause says where the reader's questions go, and gives the address."""
    return bool(_ENQUIRIES.match(text)) and _ADDRESS.search(text) is not None


def enquiries(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A clause that says where the reader's questions, queries or feedback go, with the address
    to send them to, is none: it tells the reader whom to ask, not what to do."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        address = _ADDRESS.search(context.text)
        if decision.force == Force.NONE or address is None:
            continue
        if not _ENQUIRIES.match(context.text):
            continue
        out[index] = _made_none(
            context.text,
            address.start(),
            address.end(),
            ENQUIRIES_CONFIDENCE,
            "enquiries: where to send questions is signposting",
        )
    return out


# A pointer to more text ("See the offences section for more detail", "Please refer to the PPE
# web page", "Read Monitor's guidance on ...") is signposting (DECISIONS.md 17): none, whatever
# the model made of "please" and the imperative. Gold (train + dev): the 18 clauses it fires on
# (opening so, with no other force word after, no lead-in) are all none, (18 + 1) / (18 + 2)
_SIGNPOST = re.compile(
    r"^\W{0,3}(?:please\s+)?(?:see|refer\s+to|read|visit|view|go\s+to|click|look\s+at|"
    r"download|find\s+out\s+more)\b",
    re.IGNORECASE,
)
SIGNPOST_CONFIDENCE = 0.95


def signposts(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A clause that opens by pointing the reader elsewhere (`_SIGNPOST`) and holds no other
    force word is none."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        found = _SIGNPOST.match(context.text)
        if decision.force == Force.NONE or found is None or context.lead_in or context.owned:
            continue
        if any(c.start >= found.end() for c in force_cues(context.text)):
            continue  # "See section 4: providers must ..."
        out[index] = _made_none(
            context.text,
            found.start(),
            found.end(),
            SIGNPOST_CONFIDENCE,
            "signposting: it points to more text",
        )
    return out


# An act the law makes an offence is forbidden (ANNOTATION.md rule 3: a prohibition is mandatory):
# "it is an offence to continue to operate as an unregistered provider", "Failing to notify us is
# an offence", "A person who ... commits an offence". Not "is not an offence", nor an offence
# only named ("the offences section", "sets out the offences of ...").
_OFFENCE = re.compile(
    r"(?<!\bnot )\b(?:is|are|would be|will be|shall be|becomes?)\s+(?:also\s+)?(?:a criminal|an)\s+"
    r"offence\b|\bcommits?\s+an\s+offence\b|\bis guilty of an offence\b",
    re.IGNORECASE,
)
# How often it is right where it fires on the gold (train + dev): 2 of 2 clauses are mandatory
# prohibitions (the model had called them none and a suggestion), add-one smoothed (2 + 1) / (2 + 2)
OFFENCE_CONFIDENCE = 0.75


def offences(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A clause that makes an act an offence forbids it: mandatory, a prohibition, the offence
    words its cue. A clause the rules made none (a reported view, a legal formula) stays."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        found = _OFFENCE.search(context.text)
        if found is None:
            continue
        if decision.force == Force.MANDATORY and (
            decision.polarity == Polarity.PROHIBITION or decision.cue is not None
        ):
            continue  # a duty of its own ("must register; it is an offence not to")
        if _blocked(decision):
            continue
        out[index] = ForceDecision(
            Force.MANDATORY,
            Polarity.PROHIBITION,
            OFFENCE_CONFIDENCE,
            Span.of(context.text, found.start(), found.end()),
            decision.condition,
            "an offence: the law forbids the act",
        )
    return out


def conferred(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A provision of law said to confer a duty or a power on a body is that duty or power
    (ANNOTATION.md: the law binds, a power is a permission): "Regulation 8 obliges the local
    authority to provide ..." is mandatory, "Subsection (2) enables the Secretary of State to
    make regulations requiring local authorities to ..." a suggestion (the power is the
    clause's; the duty it may impose is not yet anyone's). A clause the rules made none (a
    reported view, a legal formula) or a prohibition stays as it is."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.polarity == Polarity.PROHIBITION:
            continue
        if _blocked(decision):
            continue
        found = _CONFERS.search(context.text)
        if found is None:
            continue
        duty = found.group("duty") is not None
        force = Force.MANDATORY if duty else Force.SUGGESTION
        if decision.force == force:
            continue
        word = "duty" if duty else "power"
        cue = Span.of(context.text, found.start(word), found.end(word))
        out[index] = ForceDecision(
            force,
            Polarity.POSITIVE,
            CONFERRED_DUTY_CONFIDENCE if duty else CONFERRED_POWER_CONFIDENCE,
            cue,
            decision.condition,
            f"a provision of law that confers a {word}",
        )
    return out


# A power to make someone act ("The Committee may require any responsible person to provide
# ...", "the SoS may direct NHSE to establish ..."): "may" on a verb of requiring, its first
# modal, with someone to act after it, is the power of its subject, a permission (ANNOTATION.md:
# may = suggestion), however strong the verb. Not where a pronoun or a demonstrative is the
# subject, which speaks of a consequence ("This may require staff to work longer"). 1 of 1 gold
# clauses is a suggestion, add-one smoothed (1 + 1) / (1 + 2)
_MAY_REQUIRE = re.compile(
    r"^(?:[^,;:]{0,80},\s+)?(?!(?:this|that|these|those|it|they|which|such|doing so)\b)"
    r"(?P<subject>(?:[\w'’()-]+\s+){1,8}?)(?:also\s+)?may\s+(?:also\s+)?(?:by\s+[\w\s]{1,30}?\s+)?"
    r"(?P<verb>require|direct|compel|oblige)\s+(?:[\w'’()-]+\s+){1,8}?to\s+(?!the\b|an?\b)"
    r"(?-i:[a-z]+)\b",
    re.IGNORECASE,
)
MAY_REQUIRE_CONFIDENCE = 0.667


def powers_to_require(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """ "X may require Y to ..." is X's power (`_MAY_REQUIRE`): a suggestion, whatever the model
    made of "require". A prohibition, or a clause the rules made none, stays."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.force in (Force.SUGGESTION, Force.NONE):
            continue  # (a clause the rules made none among them)
        if decision.polarity == Polarity.PROHIBITION:
            continue
        found = _MAY_REQUIRE.search(context.text)
        if (
            found is None
            or re.search(
                r"\b(?:must|shall|should|will|who|which|that)\b",
                found.group(0)[: found.start("verb") - found.start()],
                re.IGNORECASE,
            )
            or re.search(r"\b(?:must|shall|should)\b", context.text[found.end() :], re.IGNORECASE)
        ):
            continue  # "may" governs no main verb ("Any adult who may require ... must be ...")
        out[index] = ForceDecision(
            Force.SUGGESTION,
            Polarity.POSITIVE,
            MAY_REQUIRE_CONFIDENCE,
            Span.of(context.text, found.start("verb"), found.end("verb")),
            decision.condition,
            "a power to require: may + a verb of requiring",
        )
    return out


# A consequence, not a permission: "may" or "might" on a verb of effect ("Failure to do so may
# result in prosecution", "the grant may be withheld", "numbers may vary depending on ..."): what
# can happen, which no one is given leave to do (ANNOTATION.md rule 1: describing is not
# instructing; "may" is a permission only where someone may act). Gold (train + dev): 8 of 8
# clauses whose only force words are such a "may" are none, add-one smoothed (8 + 1) / (8 + 2)
_CONSEQUENCE = re.compile(
    r"\b(?:may|might)\s+(?:also\s+|well\s+|even\s+|then\s+|therefore\s+)?(?:"
    r"result(?:s)?\s+in|lead\s+to|mean|affect|undermine|jeopardi[sz]e|impact\s+on|"
    # intransitive: "may vary depending on ...", "may differ across systems"
    r"(?:vary|differ)(?=\s+(?:depending|according|across|between|from|by|in|with)\b|\s*[.,;])|"
    r"put\s+(?:\w+\s+){1,3}at\s+risk|"
    # a sanction that befalls: "the grant may be withheld", "may be liable to prosecution"
    r"be\s+(?:withheld|recovered|reclaimed|clawed\s+back|affected|at\s+risk|liable|"
    r"subject\s+to\s+(?:enforcement|prosecution|sanctions?|penalt(?:y|ies)|a\s+fine)))\b",
    re.IGNORECASE,
)
CONSEQUENCE_CONFIDENCE = 0.9


def consequences(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A clause whose only force words are "may"/"might" of a consequence (`_CONSEQUENCE`) is
    none, whatever the model made of "may"."""
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.force == Force.NONE:
            continue
        found = _CONSEQUENCE.search(context.text)
        if found is None:
            continue
        cues = force_cues(context.text)
        if any(not (found.start() <= c.start < found.end()) for c in cues):
            continue  # another force word ("must submit by May; late returns may delay ...")
        out[index] = _made_none(
            context.text,
            found.start(),
            found.end(),
            CONSEQUENCE_CONFIDENCE,
            "a consequence: may + a verb of effect",
        )
    return out


# Where a document sets out who does what (a section on roles, responsibilities, duties or
# commitments; an agreement, memorandum of understanding, protocol or concordat; a "X will:"
# lead-in), "X will <act>" gives a named party a task: an expectation (ANNOTATION.md rule 5:
# "will" that assigns a task to a body; DECISIONS.md 12), not a prediction. The subject is a
# named party (capitalised, or a body's name), not the author ("we"), a pronoun, or a text
# ("the review will look at ..."); the verb is an act, not a state or an event.
_ASSIGNING_SECTION = re.compile(
    r"\b(?:responsibilit(?:y|ies)|obligations|duties\s+of|roles?\s+(?:and|of\s+the\s+"
    r"(?:parties|partners|partner|council|board|committee))|commitments|undertakings|"
    r"what\s+(?:the\s+)?[\w ]{2,40}\s+will\s+do)\b",
    re.IGNORECASE,
)
_ASSIGNING_TITLE = re.compile(
    r"\b(?:memorandum\s+of\s+understanding|(?:partnership|section\s+75|collaboration|"
    r"data\s+sharing|service\s+level|working|joint\s+working)\s+agreement|agreement\s+between|"
    r"protocol|concordat|compact)\b",
    re.IGNORECASE,
)
_WILL_TASK = re.compile(
    r"^(?:[^,;:]{0,80},\s+)?(?P<subject>(?:(?:the|each|both|all|every|either)\s+)?"
    r"(?-i:[A-Z][\w'’&-]*)(?:\s+(?:and\s+(?:the\s+)?)?(?-i:[A-Z][\w'’&()-]*)){0,5}"
    # a role "of" its field: "Directors of public health", "the Head of Commissioning"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2}?)?)"
    r"\s+(?:also\s+|then\s+|jointly\s+|each\s+)?will:?\s+(?:also\s+|jointly\s+)?"
    r"(?!(?:be|become|have|start|begin|continue|receive|remain|take\s+place|need|want|not|no|"
    r"come|see|benefit|get|happen|apply|cease|expire|end|lapse|meet\s+in|play|hold\s+office|"
    r"comprise|consist|include|contain|serve|retire|terminate|notice|cover|last|sit|number|"
    r"look|feel|find|know|hear)\b)"
    r"(?P<verb>(?-i:[a-z]+))\b",
    re.IGNORECASE,
)
_NOT_PARTIES = frozenset({"we", "i", "it", "this", "there", "they", "these", "those", "you"})
# the national bodies that write guidance: "DHSC will publish guidance in July" is the author's
# own commitment (ANNOTATION.md rule 7), whoever the document's parties are
_AUTHORS = re.compile(
    r"^(?:the\s+)?(?:DHSC|Department|Government|NHS\s+England|NHSE|NHSEI|Secretary|Ministers?|"
    r"UKHSA|OHID|CQC|Care\s+Quality\s+Commission|Parliament)\b",
    re.IGNORECASE,
)
WILL_TASK_CONFIDENCE = 0.75


def tasks_assigned(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """ "The Council will lead ..." under "Roles and responsibilities", in an agreement, or
    after "The Host Partner will:" (`_WILL_TASK`): an expectation of the party, where the model
    read "will" as a prediction and the clause has no other force word."""
    from docmine.language.nlp import verb_lemmas

    texts = frozenset(vocabulary()["texts"])
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.force != Force.NONE or _blocked(decision) or "?" in context.text:
            continue
        assigning = (
            any(_ASSIGNING_SECTION.search(heading) for heading in context.section)
            or _ASSIGNING_TITLE.search(context.title)
            or re.search(r"\bwill:\s*$", context.lead_in)
        )
        if not assigning:
            continue
        found = _WILL_TASK.search(context.text)
        if found is None:
            continue
        subject = found.group("subject").lower().split()
        if subject[0] in _NOT_PARTIES or subject[-1] in texts:
            continue
        if _AUTHORS.match(found.group("subject")):
            continue
        if re.search(r"\b(?:we|our|us)\b", context.text, re.IGNORECASE):
            continue  # the author's own commitments ("NHS England will: meet our duty"): rule 7
        if found.group("verb") not in verb_lemmas(load_settings().spacy_model):
            continue
        if any(c.text.lower() != "will" for c in force_cues(context.text)):
            continue
        will = context.text.index("will", found.end("subject"))
        condition = evidence[index].condition  # the rules' reading, kept for an instruction
        out[index] = ForceDecision(
            Force.EXPECTATION,
            Polarity.POSITIVE,
            WILL_TASK_CONFIDENCE,
            Span.of(context.text, will, will + 4),
            Span.of(context.text, *condition) if condition else None,
            "a task assigned: a party will <act> where the document sets out who does what",
        )
    return out


_NOBODY = re.compile(r"\b(?:no|neither)\s+[\w' -]{1,40}?\s+may\b", re.IGNORECASE)
_CONJUNCT = re.compile(r"^(?:and|but|or)\s+(?:also\s+)?may not\b", re.IGNORECASE)


# A heading that announces actions: "Actions for ICBs", "Next steps", "What local authorities
# need to do", "Requirements for providers", "Summary of priority actions"
_ACTION_HEADING = re.compile(
    r"\b(?:actions?|next steps|what .{0,40}\b(?:must|should|need to|needs to|are asked to|will "
    r"need to) do|asks? of|requirements? for|expectations? (?:of|for)|key tasks|to do)\b",
    re.IGNORECASE,
)


def _opens(before: str) -> bool:
    """Nothing but an enumerator, "please" or "do not" before the imperative: it opens the
    action."""
    words = re.sub(r"(?i)\b(?:please|do|not|don't|never|always|also|then)\b", " ", before)
    return not re.search(r"[A-Za-z]{2}", words)


# A clause labelled as an action ("Actions: set clear standards ...", a minute's "ACTION: PR to
# circulate the plan by 14 March"): the document assigns it. 5 of 5 such gold clauses are
# expectations, add-one smoothed (5 + 1) / (5 + 2)
_ACTION_LABEL = re.compile(
    r"^\W{0,3}(?P<label>actions?)(?::|\s+[:–—-])\s*"
    # a cover sheet's purpose or a status ("Action: For information", "Actions – completed"),
    # the author's own plan ("Actions: we will publish ..."): no action assigned
    r"(?!(?:for|to note|noted|none|n/a|complete|completed|closed|ongoing|required:?$|we|i|our)\b)"
    r"\S",
    re.IGNORECASE,
)
ACTION_LABEL_CONFIDENCE = 0.857
# A paper's recommendation or a minute's resolution to a deciding body, in the third person
# ("That Cabinet: (a) approves the recommissioning ...", "It is recommended that Cabinet
# approves ...", "RESOLVED that the Committee notes ..."): the body is asked to decide, as "The
# Board is asked to: approve ..." asks (an expectation), even where it agrees that someone
# should act. The gold has no such clause (its one "It is recommended that organisations
# continue ..." is an expectation the model finds), so the confidence is the add-one prior
_RESOLVED = re.compile(
    r"^\W{0,3}(?i:(?P<label>that|resolved(?:,? that)?|it is (?:therefore )?recommended that)\s+)"
    r"(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+|(?=:))){1,4}:?\s*"
    r"(?:\(?[a-z0-9]{1,3}\)\s*)?(?P<verb>approves?|agrees?|notes?|delegates?|endorses?|supports?|"
    r"authorises?|confirms?|receives?|adopts?|ratifies?|requests?|instructs?|commissions?)\b"
)
RESOLVED_CONFIDENCE = 0.5
# A minute's resolution that gives a named person or body a task, in the subjunctive ("RESOLVED
# that: (b) the Director of Public Health present the findings by the March meeting", "AGREED
# that the ICB report on discharge to the next meeting"): an action assigned, an expectation. A
# decision taken ("RESOLVED that the strategy be approved") assigns none. The gold has no such
# clause (its "it was agreed that the draft should be released" is none), so the add-one prior
_RESOLVED_TASK = re.compile(
    r"^\W{0,3}(?i:resolved|agreed)(?:,?\s+that)?:?\s+(?:\(?[a-z0-9]{1,3}\)\s*)?(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*\s+(?:(?:of|for|and)\s+)?){1,6}(?P<verb>(?-i:[a-z]+))\b"
)
# A subordinate clause of condition or time fronted before an imperative ("If the absence is
# unplanned, tell us within 5 working days", "Where a resident falls, record it ..."): the
# imperative is the main clause, and tells the reader to act as one that opens its sentence
# does. The gold has no such instruction (its four are signposting: "If you have a query,
# please check ...", "..., please email ..."), so the confidence is the add-one prior
# (0 + 1) / (0 + 2)
_FRONTED_CONDITION = re.compile(
    r"^\W{0,3}(?:if|where|when|whenever|once|before|after|unless|until|as soon as|"
    r"in the event that)\b[^.;:?!]{3,200}?,\s+(?:(?:please|also|then)\s+)?"
    r"(?P<neg>(?:do not|don't|never)\s+)?(?P<verb>(?-i:[a-z]+))\b",
    re.IGNORECASE,
)
FRONTED_ACTION_CONFIDENCE = 0.5
# a time limit turns telling or sharing into a notification duty ("tell us within 5 days")
_TIME_LIMIT = re.compile(
    r"\b(?:within|no later than|immediately|without delay|as soon as|promptly)\b", re.IGNORECASE
)


# an item that opens by forbidding ("Do not remove ...", "Never share ...")
_ITEM_FORBIDS = re.compile(
    r"\W{0,3}(?:\d+[.)]\s+|\(?[a-z]\)\s+)?((?:do not|don[’']t|never))\s+(?-i:[a-z])", re.I
)
# words after a resolution's subject that assign no task: a decision taken ("be approved"), a
# modal or "to" the model reads itself
_NOT_TASKS = frozenset({"be", "should", "must", "shall", "will", "may", "can", "to", "not"})
# words that open a clause as a verb would and assign no action
_NOT_ACTIONS = frozenset({"thank", "please", "welcome", "congratulate", "let", "further"})


# A clause that opens by forbidding an act ("Do not give medicines covertly", "Never leave the
# trolley unlocked") tells its reader not to act: an expectation, a prohibition (DECISIONS.md 14),
# where the model read none or a permission in it (the parse takes "Do" for the verb and misses
# the imperative). "Do not hesitate to contact us" is courtesy. The gold has no clause that opens
# so, so the confidence is the add-one prior
_FORBIDS = re.compile(
    r"\W{0,3}(?:\d+(?:\.\d+)*[.)]?\s+|\(?[a-z]\)\s+)?(?P<cue>do not|don[’']t|never)\s+"
    r"(?:(?-i:[a-z]+ly)\s+)?(?P<verb>(?-i:[a-z]+))\b",  # "Do not routinely offer ..."
    re.IGNORECASE,
)
# verbs after "do not" that forbid nothing: an exemption ("do not need to", "never have to"),
# courtesy and idiom ("Do not hesitate to contact us", "Never mind ...", "Do not take our word
# for it"), a record's name ("Do not resuscitate orders were ...")
_NOT_FORBIDDEN = frozenset(
    "need have hesitate mind worry miss resuscitate attempt forget panic".split()
)
_IDIOM = re.compile(r"\btake (?:our|my|their) word\b", re.IGNORECASE)
FORBIDS_CONFIDENCE = 0.5


def forbidding_imperatives(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision], evidence: Sequence[Any]
) -> list[ForceDecision]:
    """A clause or item that opens with "Do not" or "Never" and a verb forbids it, unless the
    rules read it as a view reported or a legal formula (its lead-in "Residents told us what
    good care feels like:", a case study)."""
    from docmine.language.nlp import verb_lemmas

    verbs = verb_lemmas(load_settings().spacy_model)
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        if decision.force not in (Force.NONE, Force.SUGGESTION) or _blocked(decision):
            continue
        seen = evidence[index]
        if seen.rules.reason.startswith(tuple(why for why, _ in _BLOCKED)):
            continue
        if reported_by_people(seen.markers) is not None:
            continue  # "Families said the home should: | never move residents ..."
        text = context.text
        lead = len(context.lead_in) if context.lead_in and text.startswith(context.lead_in) else 0
        found = _FORBIDS.match(text, lead)
        if found is None or _IDIOM.search(text, found.end("cue")):
            continue
        if found.group("verb") not in verbs or found.group("verb") in _NOT_FORBIDDEN:
            continue
        out[index] = ForceDecision(
            Force.EXPECTATION,
            Polarity.PROHIBITION,
            FORBIDS_CONFIDENCE,
            Span.of(text, found.start("cue"), found.end("cue")),
            decision.condition,
            "an act forbidden to the reader: 'do not' and a verb open the clause",
        )
    return out


def resolutions(
    contexts: Sequence[ClauseContext], decisions: list[ForceDecision]
) -> list[ForceDecision]:
    """A recommendation to a deciding body ("That Cabinet: (a) approves ...", "It is
    recommended that Cabinet approves ...") asks it to decide: an expectation, whatever the
    model read in it ("recommended", "agrees that the Council should ...")."""
    from docmine.language.nlp import verb_lemmas

    out = list(decisions)
    for index, context in enumerate(contexts):
        resolved = _RESOLVED.match(context.text)
        if resolved is None:
            task = _RESOLVED_TASK.match(context.text)
            verb = task.group("verb") if task is not None else ""
            # a base form, not "be" (a decision taken) nor a modal the model has read
            if verb in verb_lemmas(load_settings().spacy_model) and verb not in _NOT_TASKS:
                resolved = task
        if resolved is None or decisions[index].force == Force.EXPECTATION:
            continue
        out[index] = ForceDecision(
            Force.EXPECTATION,
            Polarity.POSITIVE,
            RESOLVED_CONFIDENCE,
            Span.of(context.text, resolved.start("verb"), resolved.end("verb")),
            decisions[index].condition,
            "a recommendation to a deciding body: it is asked to decide",
        )
    return out


def _fronted_action(
    text: str, evidence: Any, vocab: dict[str, frozenset[str]]
) -> tuple[Force, Span, bool] | None:
    """The force, cue and negation of an imperative after a fronted condition or time clause,
    if the clause's main verb is one (`imperative_fronted`, from the parse) and it acts rather
    than signposts (a verb of signposting counts only with a time limit: "tell us within 5
    days")."""
    from docmine.language.nlp import modifier_lemmas, noun_lemmas, verb_lemmas

    found = _FRONTED_CONDITION.match(text)
    if found is None:
        return None
    verb = found.group("verb")
    model = load_settings().spacy_model
    if verb in _NOT_ACTIONS:
        return None  # "..., thank you for ..."
    # where the parser took the verb for a present tense ("agree" VBP with no subject), a word
    # English knows only as a verb ("further" is also an adjective, "test" a noun), standing
    # where the main clause begins, is its verb
    only_a_verb = verb in verb_lemmas(model) and verb not in noun_lemmas(model) | modifier_lemmas(
        model
    )
    if not evidence.features.get("imperative_fronted") and not only_a_verb:
        return None
    if verb in vocab["modal"] or verb in {"you", "we", "they", "it", "the", "a", "an", "this"}:
        return None
    if verb in vocab["signposting"] and not _TIME_LIMIT.search(text, found.end()):
        return None
    force = Force.SUGGESTION if verb in vocab["suggesting"] else Force.EXPECTATION
    return force, Span.of(text, found.start("verb"), found.end("verb")), bool(found.group("neg"))


def _headline_verb(text: str, low: int, high: int) -> Span | None:
    """The first word of an action written as a headline ("Submit final board-approved
    operating plan"), which the parser tags as a name: an imperative if English knows it as a
    verb (the lemmatizer's verb index), not a courtesy ("Thank", "Further"). Read only in an
    action table's row whose owner column names a body."""
    from docmine.language.nlp import verb_lemmas

    found = re.match(r"\W*(?:\d+[.)]?\s+|[a-z][.)]\s+)?([A-Z][a-z]+)\b", text[low:high])
    if found is None:
        return None
    if re.match(r"\s+(?:in|of)\b", text[low + found.end(1) :]):
        return None  # a noun: "Increase in waiting times", "Review of services" (a risk, a topic)
    word = found.group(1).lower()
    if word not in verb_lemmas(load_settings().spacy_model) or word in _NOT_ACTIONS:
        return None
    return Span.of(text, low + found.start(1), low + found.end(1))


# How often an imperative of action the model called none is an instruction in the gold (train
# + dev), where the rule fires in 5-fold cross-validation by document: 2 of 3 ("Please
# familiarise yourself with the framework", "Consider ways to identify ..."; not "report to the
# Secretary of State ..."), add-one smoothed (2 + 1) / (3 + 2)
ACTION_CONFIDENCE = 0.6


# a table row's reference column: "A1 | ...", "3.2 | ...", "R12 | ..."
_REFERENCE_CELL = re.compile(
    r"^\s*(?:[A-Z]{0,3}\s?\d{1,3}(?:\.\d{1,3})*[a-z]?|[a-z]|[ivx]{1,4})\s*\|\s*"
)


def _action_cell(text: str, lead: int) -> tuple[int, int]:
    """Where an owned row's action cell starts and ends: the first cell, after a reference
    column ("A1 | Recruit 12 midwives | Director of Midwifery | Q3")."""
    ref = _REFERENCE_CELL.match(text)
    start = ref.end() if ref else lead
    end = text.find(" | ", start)
    return start, end if end >= 0 else len(text)


def assigned_actions(
    contexts: Sequence[ClauseContext],
    decisions: list[ForceDecision],
    probabilities: Any,
    evidence: Sequence[Any],
) -> list[ForceDecision]:
    """An action assigned by the document's structure or told to the reader is an instruction
    (ANNOTATION.md: an action assigned to a body is at least expected), whatever the model made
    of it:
    - an action table's row whose action opens with an imperative and whose owner column names
      a body (`ClauseContext.owned`: "Publish a discharge plan | NHS trusts | 30 September"); the
      model has seen no such table;
    - a clause or item that opens with an imperative in a section whose heading announces
      actions ("Actions for ICBs" / "1. Publish a discharge dashboard each week"): on the gold,
      9 of the 10 such clauses are instructions, and the model called three of those none.
    There, its force is the likeliest instruction, its confidence that force's probability among
    the instructions (the structure, not the model, says it is one).
    - elsewhere, a clause that opens with an imperative of action, not of signposting ("Offer
      people at risk of falls a strength and balance programme", not "See Annex C"): an
      expectation, a suggestion for "Consider ..." (DECISIONS.md 14 and 17), with the rule's
      measured precision as its confidence. Clinical guidance is written in this mood and the
      gold has few such clauses."""
    from docmine.classify.model import LABELS, avoids

    vocab = vocabulary()
    out = list(decisions)
    for index, (context, decision) in enumerate(zip(contexts, decisions, strict=True)):
        text = context.text
        lead = len(context.lead_in) if context.lead_in and text.startswith(context.lead_in) else 0
        owned = context.owned and not context.lead_in
        lead, end = _action_cell(text, lead) if owned else (lead, len(text))
        announced = any(_ACTION_HEADING.search(heading) for heading in context.section)
        # where the structure assigns actions, the item's own imperative; elsewhere the clause
        # must open with one: a lead-in's, which its items continue ("Offer an assessment to
        # people who: | report 2 falls"), or its own when it has no lead-in ("The purpose is
        # to: | Provide ..." describes)
        low, high = (lead, end) if owned or announced else (0, lead or end)
        imperative = next(
            (
                m
                for m in evidence[index].markers
                if m.kind == "imperative" and low <= m.start < high and _opens(text[low : m.start])
            ),
            None,
        )
        if imperative is None:
            if decision.force == Force.NONE:
                out[index] = _other_action(context, decision, evidence[index], vocab, low, high)
            elif lead and decision.polarity == Polarity.POSITIVE and decision.force in _DUTIES:
                # an item under a lead-in that asks ("... take the following actions: | Do not
                # remove a patient ..."): the lead-in's duty, forbidden by the item's "do not"
                negated = _ITEM_FORBIDS.match(text, lead)
                if negated is not None:
                    cue = Span.of(text, negated.start(1), negated.end(1))
                    out[index] = replace(decision, polarity=Polarity.PROHIBITION, cue=cue)
            continue
        cue = Span.of(text, imperative.start, imperative.end)
        if decision.force != Force.NONE:
            # "Do not offer ..., unless they ask for one": the model's duty, forbidden
            forbidden_duty = decision.force in _DUTIES and decision.polarity == Polarity.POSITIVE
            if imperative.negated != avoids(imperative, text) and forbidden_duty:
                out[index] = replace(decision, polarity=Polarity.PROHIBITION, cue=cue)
            continue
        verb = cue.text.lower()
        if verb == "take" and text[cue.end : cue.end + 7].lower() == " a look":
            verb = "look"  # "Take a look at the guidance": signposting
        if verb == "return" and re.match(
            r"\s+to\s+(?:the\s+)?(?:top|contents|recommendations?|"
            r"section|page|menu|list|previous|home)\b",
            text[cue.end :],
            re.IGNORECASE,
        ):
            verb = "go"  # "Return to the recommendations": a link back
        if owned or announced:
            reason = (
                "action table: its owner column assigns the action"
                if owned
                else "a section of actions: its imperative assigns one"
            )
            row = probabilities[index]
            instructions = [i for i, label in enumerate(LABELS) if label != Force.NONE.value]
            best = max(instructions, key=lambda i: row[i])
            confidence = float(row[best] / max(sum(row[i] for i in instructions), 1e-9))
            force = Force(LABELS[best])
        elif verb in vocab["signposting"] or asks(text) or sends_questions(text):
            continue
        else:
            reason = "an imperative of action: the reader is told to act"
            force = Force.SUGGESTION if verb in vocab["suggesting"] else Force.EXPECTATION
            confidence = ACTION_CONFIDENCE
        forbids = imperative.negated != avoids(imperative, text) and force in _DUTIES
        out[index] = ForceDecision(
            force,
            Polarity.PROHIBITION if forbids else decision.polarity,
            round(confidence, 4),
            cue,
            decision.condition,
            reason,
        )
    return out


def _other_action(
    context: ClauseContext,
    decision: ForceDecision,
    evidence: Any,
    vocab: dict[str, frozenset[str]],
    low: int,
    high: int,
) -> ForceDecision:
    """The action of a clause the model called none and whose imperative the parse did not find
    at its opening: labelled as an action ("ACTION: PR to circulate ..."), an imperative after
    a fronted condition ("If ..., tell us within 5 days"), or a headline's verb where the
    structure assigns actions ("Submit final operating plan | ICB | 30 April")."""
    text = context.text
    if _blocked(decision):
        return decision  # a view reported, a legal formula: the rules made it none
    lead = len(context.lead_in) if context.lead_in and text.startswith(context.lead_in) else 0
    own = text[lead:]
    labelled = _ACTION_LABEL.match(text)  # the label may be the lead-in ("Actions:" / item)
    if labelled is not None:
        cue = Span.of(text, labelled.start("label"), labelled.end("label"))
        reason = "labelled as an action"
        return ForceDecision(
            Force.EXPECTATION,
            decision.polarity,
            ACTION_LABEL_CONFIDENCE,
            cue,
            decision.condition,
            reason,
        )
    fronted = _fronted_action(own, evidence, vocab)
    if fronted is not None:
        force, cue, negated = fronted
        cue = Span.of(text, lead + cue.start, lead + cue.end)
        forbids = negated and force == Force.EXPECTATION
        condition = decision.condition
        if condition is None and evidence.condition is not None:
            condition = Span.of(text, *evidence.condition)  # the fronted clause
        return ForceDecision(
            force,
            Polarity.PROHIBITION if forbids else Polarity.POSITIVE,
            FRONTED_ACTION_CONFIDENCE,
            cue,
            condition,
            "an imperative after a fronted condition: the reader is told to act",
        )
    if context.owned and not context.lead_in:  # a row whose owner column names a body
        headline = _headline_verb(text, low, high)
        if headline is not None:
            return ForceDecision(
                Force.EXPECTATION,
                Polarity.POSITIVE,
                ACTION_CONFIDENCE,
                headline,
                decision.condition,
                "an action table's row written as a headline: its owner column assigns it",
            )
    return decision


CLASSIFIERS: dict[str, Classifier] = {"rules": _rules, "model": _model}


def classify_texts(
    texts: Sequence[str],
    authority: Authority = Authority.GUIDANCE,
    lead_ins: Sequence[str] | None = None,
    method: str = "model",
    sections: Sequence[tuple[str, ...]] | None = None,
    settings: Settings | None = None,
    title: str = "",
    language: Language | None = None,
    owned: Sequence[bool] | None = None,
    spoken: Sequence[bool] | None = None,
) -> list[ForceDecision]:
    """Decisions for the clause texts of one document, in order (parsed and embedded by
    `language`, by default the process's shared parser and encoder); `owned` marks the action
    table rows whose owner column names a body (`ClauseContext.owned`), `spoken` the clauses a
    speaker's "X said:" opens (`follows_a_speaker`)."""
    contexts = [
        ClauseContext(text, lead_in, authority, section, title, own, said)
        for text, lead_in, section, own, said in zip(
            texts,
            lead_ins or [""] * len(texts),
            sections or [()] * len(texts),
            owned or [False] * len(texts),
            spoken or [False] * len(texts),
            strict=True,
        )
    ]
    return classify_contexts(contexts, method, settings, language)


def classify_contexts(
    contexts: Sequence[ClauseContext],
    method: str = "model",
    settings: Settings | None = None,
    language: Language | None = None,
) -> list[ForceDecision]:
    """Decisions for clauses that carry their own context (authority, lead-in, section, title)."""
    if method not in CLASSIFIERS:
        raise BadInput(f"unknown classification method {method!r}: use one of {list(CLASSIFIERS)}")
    return CLASSIFIERS[method](contexts, settings or load_settings(), language)
