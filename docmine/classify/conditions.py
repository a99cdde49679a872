"""The condition an instruction is subject to (ANNOTATION.md rule 4): a proviso, trigger or scope
limit, as written and as a span of the clause.

Two sources, from the grammar of conditionals rather than from any document: adverbial clauses
opened by a conditional or temporal subordinator ("if", "where", "unless", "when", "once",
"before", "provided that", "insofar as"...) or by a perfect participle ("Having made a
determination, ..."), "in + gerund" framing the action it precedes ("In preparing a strategy,
..."), and "where" qualifying circumstances, found in the spaCy parse with their subtree (a
fronted clause cut at the comma that closes it); and fixed conditional phrases ("subject to ...",
"with the consent of ...", "except ...", "where appropriate", "so far as practicable"). A
condition left open at a list lead-in's colon reads on into the item that completes it."""

from __future__ import annotations

import re
from typing import Any

from docmine.language.cues import INVERTED_CONDITIONAL

_SUBORDINATORS = frozenset(
    {
        "if", "where", "wherever", "unless", "when", "whenever", "once", "before", "after",
        "until", "provided", "providing", "insofar", "following",
    }
)  # fmt: skip
# the words of an open-ended phrase, up to punctuation or a dash; a short bracketed reference
# stays inside ("subject to paragraph (4)", "unless ... in regulation 4(2)"), and so does the
# bracketed part of a name ("subject to the Care and Support (Charging and Assessment of
# Resources) Regulations 2014")
# ); and a comma between two adjectives of one noun ("unless there is a specific, assessed risk")
_WORDS = (
    r"(?:\b(?:a|an|the) (?-i:[a-z]{3,20}),(?=\s+(?-i:[a-z]+)"
    r"(?:ed|al|ive|ic|ous|ful|ent|ant|ble|ary)\s+(?!(?:or|and|but|nor)\b)(?-i:[a-z]))"
    r"|[^,.;:()—]|\([\w.]{1,6}\)|\((?-i:[A-Z])[\w'’-]*(?:\s+[\w'’-]+){0,8}\))+"
)
_PHRASES = re.compile(
    rf"\b(?:subject to {_WORDS}"
    r"|with(?:out)? the (?:(?:prior|written|express|explicit) )*(?:consent|agreement|approval|"
    r"permission)"
    rf" of {_WORDS}"
    rf"|(?:up)?on (?:the )?receipt of {_WORDS}"  # a trigger (DECISIONS 27)
    rf"|except (?:where|when|if|in|for|as) {_WORDS}"
    rf"|unless {_WORDS}"
    rf"|in ?so ?far as {_WORDS}"
    r"|(?:so|as) far as (?:is )?(?:reasonably )?(?:practicable|possible)"
    r"|where(?:ver)? (?:appropriate|applicable|possible|necessary|relevant|practicable|required)"
    # not the source of a duty ("as required by the Care Act 2014": where the duty comes from)
    r"|as (?:appropriate|necessary|required(?!\s+(?:by|under|in)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’]*\s+){0,6}(?:Act|Regulations|Order|law|legislation|sections?|regulations?|"
    r"statute|Schedule|paragraph|guidance|Code|Contract)\b))"
    r"|if (?:passed|necessary|appropriate|required)"
    r"|if (?:so|not)(?=\s*[,;:—)]|\s*$)"
    r"|(?:provided|providing) that [^.;:()—]+"
    # "provided" as a conjunction after a comma, its clause's subject next ("..., provided you
    # tell us their name", "..., provided the board agrees"), not a participle ("support
    # provided directly to the carer"; "..., providing a single point of contact")
    r"|(?<=, )provided (?=(?:you|they|we|it|he|she|the|their|its|this|there)\b)[^.;:()—]+"
    r"|in (?:these|those|such|some|certain|exceptional|all|most|any)"
    r" (?:situations?|circumstances|cases?))",
    re.IGNORECASE,
)
_TRIM = " ,;:–—-"
_VERBS = frozenset({"VERB", "AUX"})
_WHERE = frozenset({"where", "wherever"})
_CIRCUMSTANCES = frozenset({"circumstance", "case", "situation", "instance", "event"})
# a "where" clause after a noun of place or time says which place or time ("the area where
# they live", "a point where"); after any other word it is a condition that the parse hangs on
# the nearest noun ("accept referrals within 48 hours where a care package has been agreed")
_PLACES_AND_TIMES = frozenset(
    {
        "area", "place", "setting", "home", "country", "region", "locality", "location", "site",
        "premises", "premise", "room", "ward", "unit", "hospital", "community", "county", "borough",
        "district", "city", "town", "neighbourhood", "nation", "world", "environment", "space",
        "address", "school", "prison", "service", "point", "stage", "time", "moment", "period",
        "level", "position", "system", "part", "footprint", "boundary", "border", "street",
    }
)  # fmt: skip
_GERUND_PREPOSITIONS = frozenset({"before", "after", "upon", "when", "while"})
# "in + gerund" frames the action it precedes ("In preparing a strategy, X must ..."; "X, in
# carrying out an assessment, must ..."): the circumstance the instruction applies in.
_FRAME_PREPOSITIONS = frozenset({"in"})
# A prepositional phrase opening the clause and closed by a comma sets the circumstances or the
# scope the instruction holds in ("In urgent situations, ...", "For care home locations, ...",
# "During an outbreak, ..."), unless it is a linking adverbial ("In particular", "For example"),
# a time (a deadline's business), a reference to the text or to law, or a purpose.
_SCENE_PREPOSITIONS = frozenset({"in", "for", "on", "during", "upon"})
_NOT_SCENES = frozenset(
    {
        "particular", "addition", "example", "instance", "practice", "summary", "short",
        "general", "contrast", "turn", "fact", "meantime", "context", "line", "light", "view",
        "way", "reason", "purpose", "respect", "order", "doing", "future", "time", "year",
        "month", "week", "day", "period", "phase", "stage", "quarter", "term", "winter",
        "summer", "spring", "autumn", "section", "part", "chapter", "guidance", "document",
        "paragraph", "regulation", "schedule", "act", "report", "case", "total", "brief",
        "conclusion", "effect", "principle", "theory", "this", "that", "these", "those", "it",
        # complex prepositions and idioms: "on behalf of", "in accordance with", "in terms of",
        # "in spite of", "in common with", "for the avoidance of doubt", "on balance", "in other
        # words", "on the other hand"
        "behalf", "accordance", "terms", "spite", "common", "avoidance", "balance", "words",
        "hand",
    }
)  # fmt: skip
_PRO_FORMS = frozenset({"if so", "if not"})
# a question's alternatives joined to it: "whether X and, if so, ..."
_JOINED_TO_WHETHER = re.compile(r"\bwhether\b[^.;:]*\b(?:and|or)\W*$", re.IGNORECASE)
_MODAL_AFTER = re.compile(
    r"^\W*(?:\S+\s+){0,5}?(?:must|shall|should|may|will|can|could|might|need)\b", re.IGNORECASE
)
_ANY_MODAL = re.compile(r"\b(?:must|shall|should|may|will|can|could|might)\b", re.I)
# a condition ending in one of these words at a lead-in's colon reads on into the item ("if you
# are one of the following: ...", "if your organisation is a: ...")
_OPEN_ENDINGS = frozenset(
    {"following", "a", "an", "the", "is", "are", "be", "of", "to", "as", "any", "either", "by"}
)
_LAST_JOIN = re.compile(r"[\s,;]+(?:and/or|and|or)$", re.IGNORECASE)
_OPENERS = frozenset({":", "—", "–", "|", ";"})


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Without edge punctuation, nor the brackets of a parenthetical ("(if they have one)")."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM + ".":
        end -= 1
    joined = _LAST_JOIN.search(text, start, end)  # "... lacks capacity and": the "and" is not its
    if joined is not None and joined.end() == end:
        return _trimmed(text, start, joined.start())
    inner = text[start + 1 : end - 1]
    paired = inner.count("(") == inner.count(")") and inner.find(")") >= inner.find("(")
    if text[start : start + 1] == "(" and text[end - 1 : end] == ")" and paired:
        return _trimmed(text, start + 1, end - 1)
    return start, end


# what an "after"/"before" clause counts from when it follows a time to act: the deadline's
# event, not a circumstance (link.dates reads the whole as the deadline)
_FROM_EVENT = frozenset({"after", "before", "following", "once"})
_TIME_RUNS_FROM = re.compile(
    r"\b(?:as soon as (?:is )?(?:reasonably )?(?:practicable|possible)|immediately|"
    r"(?:hours?|days?|weeks?|months?|years?))\s*$",
    re.IGNORECASE,
)


def _span(tokens: list[Any]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _adverbial(parsed: Any) -> list[tuple[int, int]]:
    """Adverbial clauses opened by a subordinator or "having", "before / after / upon + gerund"
    phrases ("before issuing the code"), fronted "in + gerund" frames, and "where" after a
    circumstance noun, as character spans."""
    spans = []
    for prep in parsed:
        gerund = prep.dep_ == "prep" and prep.lower_ in _GERUND_PREPOSITIONS
        frame = (
            prep.dep_ == "prep"
            and prep.lower_ in _FRAME_PREPOSITIONS
            and prep.head.pos_ in {"VERB", "AUX"}
            and prep.i < prep.head.i
        )
        if (gerund or frame) and any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in prep.children):
            tokens = list(prep.subtree)
            if prep.i < prep.head.i:  # fronted: it ends at its comma, whatever the parse hung
                comma = next((k for k, t in enumerate(tokens) if t.text == ","), len(tokens))
                tokens = tokens[:comma] or tokens  # on it ("In preparing X, ICBs and LAs")
            spans.append(_span(tokens))
    spans += [_span(list(prep.subtree)) for prep in parsed if _is_scene(prep)]
    for verb in parsed:
        where = next((c for c in verb.lefts if c.lower_ in _WHERE and c.dep_ == "advmod"), None)
        circumstance = verb.dep_ == "relcl" and (
            verb.head.lemma_.lower() in _CIRCUMSTANCES
            or (verb.head.pos_ != "NOUN" or verb.head.lemma_.lower() not in _PLACES_AND_TIMES)
        )
        if where is not None and circumstance:
            # "where" qualifying circumstances opens a condition ("in cases where ...")
            spans.append((where.idx, _span(list(verb.subtree))[1]))
            continue
        if verb.dep_ != "advcl":
            continue
        opener = next((c for c in verb.lefts if c.dep_ in {"mark", "advmod", "aux"}), None)
        perfect = opener is not None and opener.lower_ == "having" and verb.tag_ == "VBN"
        if opener is None or not (perfect or opener.lower_ in _SUBORDINATORS):
            continue
        if opener.lower_ in _FROM_EVENT and _TIME_RUNS_FROM.search(parsed.text[: opener.idx]):
            continue  # "as soon as practicable after X", "within 28 days after X": a deadline's
        spans.append(_span(_fronted(verb)))
    return spans


def _is_scene(prep: Any) -> bool:
    """A prepositional phrase that opens the clause (or its item), closed by a comma, before
    the verb it modifies, naming circumstances rather than a time, a text or a link."""
    if prep.dep_ != "prep" or prep.lower_ not in _SCENE_PREPOSITIONS:
        return False
    if prep.head.pos_ not in _VERBS or prep.i > prep.head.i:
        return False
    if prep.i > 0 and prep.doc[prep.i - 1].text not in _OPENERS:
        return False
    last = max(t.i for t in prep.subtree)
    if last + 1 >= len(prep.doc) or prep.doc[last + 1].text != ",":
        return False
    objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objects or objects[0].tag_ == "VBG":  # "in + gerund" frames are read above
        return False
    head = objects[0]
    if head.lemma_.lower() in _NOT_SCENES or head.lower_ in _NOT_SCENES:
        return False
    return not any(t.ent_type_ in ("DATE", "TIME", "LAW") or t.like_num for t in prep.subtree)


def _fronted(verb: Any) -> list[Any]:
    """The tokens of an adverbial clause; one that comes before its main clause ends at the
    comma that closes it, though the parser may hang the next subject on it ("If X, subsections
    (3) and (4) require ..."); a comma before coordinated verbs stays inside ("Where abuse is
    suspected, occurs, or is reported, ...")."""
    tokens = list(verb.subtree)
    if verb.i > verb.head.i:
        return tokens
    for k, token in enumerate(tokens[:-1]):
        after = tokens[k + 1]
        verb_follows = after.dep_ == "cc" or (after.dep_ == "conj" and after.pos_ in _VERBS)
        if token.text == "," and token.i > verb.i and not verb_follows:
            return tokens[:k]
    return tokens


def _describes_a_noun(parsed: Any, start: int) -> bool:
    """ "subject to" right after the noun it describes ("the person subject to the order", "the
    authorities subject to these provisions") is a reduced relative clause, not a proviso."""
    if not parsed.text[start:].lower().startswith("subject "):
        return False
    token = next((t for t in parsed if t.idx == start), None)
    if token is None or token.i == 0:
        return False
    return parsed[token.i - 1].pos_ == "NOUN"  # the parser seldom attaches it to the noun


def _answers_whether(text: str, start: int, end: int) -> bool:
    """ "if so" / "if not" joined by "and"/"or" to a "whether" question in the same sentence,
    and not opening a clause of its own with a modal, stands for the question's answer ("assess
    whether X has needs and, if so, what they are"): part of what is to be done, not a condition
    on doing it. "...; if so, you must ..." and "If so, you should ..." are conditions."""
    return (
        text[start:end].lower() in _PRO_FORMS
        and _JOINED_TO_WHETHER.search(text[:start]) is not None
        and _MODAL_AFTER.match(text[end:]) is None
    )


def find_condition_span(text: str, parsed: Any | None = None) -> tuple[int, int] | None:
    """The leftmost condition in `text` as (start, end), or None. `parsed` is the clause's spaCy
    Doc (without it, only the fixed phrases are looked for). Where a fixed phrase and a parse
    span start together, the phrase wins: it is a whole condition ("where possible"), the parse
    may hang the verb phrase after it on it."""
    phrases = [(m.start(), m.end(), 0) for m in _PHRASES.finditer(text)]
    inverted = INVERTED_CONDITIONAL.match(text, len(text) - len(text.lstrip()))
    if inverted is not None:  # "Should the board wish, ...": an "if" put as a modal
        phrases.append((inverted.start(), inverted.end(), 0))
    if parsed is not None:
        phrases = [p for p in phrases if not _describes_a_noun(parsed, p[0])]
    adverbials = [(s, e, 1) for s, e in _adverbial(parsed)] if parsed is not None else []
    spans = [(*_trimmed(text, s, e), kind) for s, e, kind in phrases + adverbials]
    spans = [(s, e, k) for s, e, k in spans if e - s >= 4 and not _answers_whether(text, s, e)]
    if not spans:
        return None
    start, end, _ = min(spans, key=lambda s: (s[0], s[2], -s[1]))
    return start, _through_item(text, end)


def _through_item(text: str, end: int) -> int:
    """A condition that ends at the colon of a lead-in, on a word that leaves it open ("if you
    are one of the following:", "if it is provided by a:"), is completed by the item after it,
    unless the item is an instruction of its own (it holds a modal)."""
    colon = text.find(":", end)
    if colon < 0 or text[end:colon].strip() or ":" in text[colon + 1 :]:
        return end
    if _ANY_MODAL.search(text, colon):  # the item is an instruction of its own
        return end
    words = text[:end].split()
    if not words or words[-1].lower() not in _OPEN_ENDINGS:  # complete without the item
        return end
    item = _LAST_JOIN.sub("", text.rstrip(_TRIM + "."))  # "...; and", "..., or"
    item_end = len(item.rstrip(_TRIM))
    return item_end if item_end > colon + 1 else end
