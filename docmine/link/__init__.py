"""Linking: bodies, duty-holder, statutory duty, deadline for each clause.

`make_context` loads the resources and learns what the document defines (acronyms, back-
references, audience); `link_clause` is then called on the document's clauses in order (pronouns
and "the strategy" refer back to earlier clauses). `link_clauses` does a whole document at once,
parsing every clause in one batch."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from docmine.config import Settings
from docmine.language.cues import force_cues
from docmine.language.nlp import Parser
from docmine.link.bodies import (
    Gazetteer,
    find_bodies,
    follow_back_references,
    learn_acronyms,
    learn_back_references,
    load_gazetteer,
    named_outright,
    only_named,
)
from docmine.link.choice import Candidate, ChoiceModel, LinkModels
from docmine.link.dates import document_year, find_deadline
from docmine.link.duties import Duty, document_under_other_law, find_duty, load_duties
from docmine.link.holder import (
    Discourse,
    DocumentBodies,
    author_holder,
    continued_subject,
    continues,
    find_holder,
    holder_candidates,
    inherits_subject,
    owner_cell,
    reader_said,
    role_owner_cell,
)
from docmine.link.parse import ParseCache
from docmine.model import Block, BlockKind, Force, ForceDecision, Links, Mention, Obligation

# Last words of body names that name no body on their own ("local government" is a council, but
# "the government" is not).
_NOT_HEADS = frozenset({"government", "governments", "sector", "sectors", "care", "health"})
# A title addresses the bodies after "for" when a document noun governs it ("Guidance for ICBs",
# "A framework for local authorities"), not an adjective or verb ("ready for", "planning for").
_TITLE_FOR = re.compile(
    r"\b(?:guidance|guide|framework|standards?|information|roadmap|resources?|reference|"
    r"recommendations|proposals|priorities|principles|polic(?:y|ies)|pathway|methodology|"
    r"manual|mandate|consultation|concordat|toolkit|checklist|handbook|advice|card|letter|"
    r"briefing|expectations|requirements|actions|questions|tools?|template|code of practice|"
    r"fund|grant|allocations?|plan|note|notes|statement|specification|support)"
    r"(?:\s*\([^)]*\))?\s+for\s",
    re.IGNORECASE,
)
# a subtitle under the title says whom a page is for ("Guidance for adult social care providers"):
# a short line, no sentence, among the opening lines
SUBTITLE_LINES = 12
SUBTITLE_WORDS = 10
# a page's summary line that says what it is and for whom ("Guidance for care home managers and
# staff on preventing ..."), a sentence of up to SUMMARY_WORDS words
_SUMMARY_OPENS = re.compile(r"(?:guidance|guide|advice|information)\s+for\s", re.IGNORECASE)
SUMMARY_WORDS = 30
_TERMINAL_STOP = re.compile(r"[.!?;:]$")
# where the thing after "your" ends: "your GP or pharmacist", "your council's website"
_RESIDENT_CUT = re.compile(r"\s+(?:or|and|for|to|about|if|when|with|in|at|on|as)\b|['’]s?\b|[,.;:]")
_YOUR = re.compile(r"\byour\s+((?:[A-Za-z][\w’'-]*\s+){0,3}[A-Za-z][\w’'-]*)", re.IGNORECASE)


@dataclass
class LinkContext:
    """What linking knows about the document a clause comes from, and what earlier clauses said."""

    gazetteer: Gazetteer
    duties: tuple[Duty, ...]
    acronyms: dict[str, str]
    default_year: int | None = None
    back_references: dict[str, str] = field(default_factory=dict)
    parses: ParseCache | None = None
    discourse: Discourse = field(default_factory=Discourse)
    recent_duties: list[str] = field(default_factory=list)
    document: DocumentBodies = field(default_factory=DocumentBodies)
    models: LinkModels = field(default_factory=LinkModels)
    named: frozenset[str] | None = None  # bodies the document names outright (None: unknown)
    # the document cites Acts and none the duties are in (its duties are another statute's)
    other_law: bool = False


# Where a document says whom it addresses: a letter's "To:" block, a "This guidance is for ..."
# or "Who this guidance is for" line, and "... for X" in its title.
_ADDRESSED = re.compile(
    r"^\s*To:\s*(?P<to>.{0,300}?)(?:\bcc:|\bDear\b|$)"
    r"|\b(?:this|the) (?:[a-z]+ )?(?:guidance|document|framework|letter|guide|toolkit|paper|"
    r"page|information|advice|briefing|resource|section)"
    r" (?:is|are) (?:for|aimed at|intended for|addressed to|written for)\b(?P<for>[^.]{0,120})"
    r"|\bWho this (?:guidance|document|framework|letter|guide|page|information|advice|briefing"
    r"|resource) is for\b(?P<who>[^.]{0,200})",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)


# a letter's greeting line ("Dear Colleague,", "Dear all"), not a sentence that starts "Dear"
_SALUTATION = re.compile(
    r"^[ \t]*(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s+(?=Dear\b[^\n.,]{0,40},))?"
    r"Dear\b[^\n.]{0,60}(?:,[ \t]*)?$",
    re.MULTILINE,
)  # after the letter's date where a PDF set them on one line ("14 July 2025 Dear colleague,")
# lines of a letter's header that are not its addressees (who sent it, when, its references)
_LETTER_HEADER = re.compile(
    r"\s*(?:Classification|Publication (?:reference|approval)|Reference|Date|Page|Source|Sent:"
    r"|From\b)",
    re.IGNORECASE,
)
_COPIED = re.compile(r"\s*(?:cc|copy to|copied to)\b", re.IGNORECASE)


def _address_block(opening: str) -> str:
    """A letter's address block: the short lines before its "Dear ...", without its header
    lines or those after "CC:" (copied in, not addressed); "" if it has no salutation."""
    salutation = _SALUTATION.search(opening)
    if salutation is None:
        return ""
    block: list[str] = []
    for line in reversed(opening[: salutation.start()].splitlines()):
        if not line.strip() or _LETTER_HEADER.match(line):
            continue
        if _COPIED.match(line):  # those copied in are not addressed: the lines before are
            block.clear()
            continue
        if len(line) > 120 or len(block) == 20 or line.lstrip().startswith("#"):
            break
        if line.rstrip().endswith("."):  # a sentence: the text before a letter, not its header
            break
        block.insert(0, line)
    return "\n".join(block)


def find_audience(
    text: str, gazetteer: Gazetteer, acronyms: dict[str, str], title: str = ""
) -> str:
    """The body the document addresses as "you": the first body of a "To:" block or a "this
    guidance is for" line, else of a letter's address block (the short lines before "Dear"),
    else the body the title or a subtitle among the opening lines names after "for", else the
    first body written as "your X" (or the kind of service "your X" says the reader runs)."""
    opening = text[:4000]
    for match in _ADDRESSED.finditer(opening):
        part = next(g for g in match.groups() if g is not None)
        mentions = find_bodies(part, gazetteer, acronyms)
        if mentions:
            return mentions[0].canonical
    mentions = find_bodies(_address_block(opening), gazetteer, acronyms)
    if mentions:
        return mentions[0].canonical
    addressed = _TITLE_FOR.search(title)  # "Guidance for ICBs", not "Are you ready for ICSs?"
    mentions = find_bodies(title[addressed.end() :], gazetteer, acronyms) if addressed else []
    if mentions:
        return mentions[0].canonical
    reader = _subtitle_reader(opening, gazetteer, acronyms)
    if reader:
        return reader
    # what the reader runs ("your care home") says who they are; a body after "your" may be
    # one they deal with ("your local authority commissioners" on a page for care homes), so it
    # counts only when the page names no service of the reader's
    yours = [match.group(1) for match in _YOUR.finditer(text)]
    for phrase in yours:
        runs = " ".join(phrase.lower().replace("’", "'").split())
        for service, canonical in gazetteer.rules.reader_services:
            if runs == service or runs.startswith(service + " "):
                return canonical
    if any(_UNLISTED_SERVICE.match(phrase) for phrase in yours):
        # "If your practice is merging, speak to your integrated care board": the reader runs a
        # service no listed body is (a GP practice, a pharmacy), and deals with the ICB
        return ""
    return _own_body(yours, gazetteer, acronyms)


# the bodies a resident deals with as "yours" ("your council", "your local Healthwatch"); a page
# that speaks to a resident takes only other bodies after "your" for the reader's own
_RESIDENTS_BODIES = frozenset({"local authority", "district council", "local Healthwatch"})


# what a reader outside the gazetteer runs: "your practice", "your pharmacy", "your agency"
_UNLISTED_SERVICE = re.compile(
    r"(?:(?:GP|general|dental|community|local)\s+)?(?:practice|surgery|pharmacy|clinic|agency|"
    r"business|company|charity|hospice|school|nursery|college)s?\b",
    re.IGNORECASE,
)


def _own_body(yours: list[str], gazetteer: Gazetteer, acronyms: dict[str, str]) -> str:
    """The first body written after "your" at the start of its phrase ("your ICS", "your local
    authority"): the reader's own. Where the page speaks to a resident ("your GP", "contact
    your local Healthwatch", "Your council"), a council or a local Healthwatch after "your" is
    one the resident uses, not the reader."""
    resident = gazetteer.rules.resident_services
    to_resident = any(
        " ".join(_RESIDENT_CUT.split(phrase)[0].lower().split()) in resident for phrase in yours
    )
    for phrase in yours:
        mentions = find_bodies(phrase, gazetteer, acronyms)
        own = mentions and mentions[0].start == 0
        if own and not (to_resident and mentions[0].canonical in _RESIDENTS_BODIES):
            return mentions[0].canonical
    return ""


# a local body by its proper name, which writes of itself as "we": a council ("Northbridge City
# Council", "Eastmere Borough Council"), a local Healthwatch ("Healthwatch Ashworth"), an ICB
# ("NHS Northshire Integrated Care Board", "Northshire ICB")
_PLACE = r"[A-Z][a-z]+(?:[ -](?:upon|on|and|&|[A-Z][a-z]+))*"
_LOCAL_NAME = re.compile(
    rf"\b(?:{_PLACE}\s+)(?:(?:City|County|Borough|District|Metropolitan Borough|Town|Unitary)\s+)?"
    r"Council\b"
    r"|\bHealthwatch\s+(?!(?:England|Representatives?|Organisations?|Volunteers?|Staff|Board|"
    r"Network|Members?|Champions?|Officers?|Trustees?|Enter|Annual|Guide|Guidance|Template|"
    r"Reports?|Quality|Insight|Outcomes|Work|Plan|Strategy|Policy|Toolkit|Resources?|Training|"
    rf"Statutory|Impact|Research|Chairs?|Managers?|Leads?|Services?)\b){_PLACE}\b"
    rf"|\b(?:NHS\s+)?{_PLACE}\s+(?:Integrated\s+Care\s+Board|ICB)\b"
)
AUTHOR_OPENING = 600  # characters: a page's title, banner and first lines
_SPEAKS_AS_A_BOARD = re.compile(r"\b(?:boards?|partnerships?|committees?|forum)\b", re.IGNORECASE)


def find_local_author(text: str, gazetteer: Gazetteer, title: str = "") -> str:
    """The local body whose own page, plan or letter this is, which writes of itself as "we": a
    council, a local Healthwatch or an ICB named by its proper name (`_LOCAL_NAME`) in the
    title or the opening lines, and before any other body ("Northbridge City Council is
    responsible for adult social care"); "" otherwise."""
    opening = f"{title}\n{text[:AUTHOR_OPENING]}"
    council = _LOCAL_NAME.search(opening)
    if council is None or not re.search(r"\b(?:we|our|us)\b", text, re.IGNORECASE):
        return ""
    if _SPEAKS_AS_A_BOARD.search(opening[: council.start()] + opening[council.end() :]):
        return ""  # a board's or partnership's page on its council's site: "we" is the board
    named = find_bodies(opening, gazetteer)
    before = [m for m in named if m.start < council.start()]
    inside = [m for m in named if council.start() <= m.start < council.end()]
    if before or not inside:
        return ""
    return inside[0].canonical


def _subtitle_reader(opening: str, gazetteer: Gazetteer, acronyms: dict[str, str]) -> str:
    """Whom a subtitle among the opening lines says the page is for ("Guidance for adult social
    care providers"): a short line, or a page's summary that opens with what it is ("Guidance
    for care home managers and staff on preventing ... .")."""
    for line in opening.splitlines()[:SUBTITLE_LINES]:
        line = line.strip()
        addressed = _TITLE_FOR.search(line)
        if addressed is None:
            continue
        summary = bool(_SUMMARY_OPENS.match(line)) and len(line.split()) <= SUMMARY_WORDS
        if not summary and (len(line.split()) > SUBTITLE_WORDS or _TERMINAL_STOP.search(line)):
            continue
        reader = _reader_named(line[addressed.end() :], gazetteer, acronyms)
        if reader:
            return reader
    return ""


def _reader_named(phrase: str, gazetteer: Gazetteer, acronyms: dict[str, str]) -> str:
    """The body a subtitle's "for ..." names, or the kind of service it names its readers by
    ("care home managers and staff")."""
    mentions = find_bodies(phrase, gazetteer, acronyms)
    if mentions:
        return mentions[0].canonical
    runs = " ".join(phrase.lower().replace("’", "'").split())
    for service, canonical in gazetteer.rules.reader_services:
        if runs == service or runs.startswith(service + " "):
            return canonical
    return ""


def make_context(
    document_text: str,
    settings: Settings,
    published: str = "",
    clause_texts: Iterable[str] = (),
    title: str = "",
    models: LinkModels | None = None,
    parser: Parser | None = None,
) -> LinkContext:
    """Load the resources `settings` names once per document (the gazetteer with the user's
    extra bodies, the duties, the spaCy model) and learn the acronyms, back-references and
    audience the document defines; `clause_texts` are parsed now, in one batch (else each clause
    when linked)."""
    gazetteer = load_gazetteer(settings.bodies_files)
    acronyms = learn_acronyms(document_text, gazetteer)
    parses = ParseCache(parser or settings.spacy_model)
    parses.prefetch(clause_texts)
    duties = load_duties(settings.duties, tuple(settings.bodies_files))
    return LinkContext(
        gazetteer=gazetteer,
        duties=duties,
        acronyms=acronyms,
        default_year=document_year(published, document_text),
        back_references=learn_back_references(document_text, gazetteer, title),
        parses=parses,
        discourse=Discourse(
            audience=find_audience(document_text, gazetteer, acronyms, title),
            author=find_local_author(document_text, gazetteer, title),
        ),
        document=document_bodies(document_text, title, gazetteer, acronyms),
        models=models or LinkModels(),
        named=named_outright(document_text, gazetteer, acronyms),
        other_law=document_under_other_law(f"{title}\n{document_text}", duties),
    )


def head_nouns(gazetteer: Gazetteer) -> dict[str, frozenset[str]]:
    """Head noun -> the bodies whose names end in it ("provider": NHS and social care
    providers), for a clause that names its holder by the head alone ("the provider must")."""
    heads: dict[str, set[str]] = {}
    for alias, canonical in gazetteer.aliases:
        last = alias.split(" of ")[0].split()[-1]
        if last.islower() and last.isalpha() and len(last) > 3 and last not in _NOT_HEADS:
            singular = last[:-3] + "y" if last.endswith("ies") else last.removesuffix("s")
            heads.setdefault(singular, set()).add(canonical)
    return {head: frozenset(bodies) for head, bodies in heads.items()}


def document_bodies(
    text: str, title: str, gazetteer: Gazetteer, acronyms: dict[str, str]
) -> DocumentBodies:
    """How often the document names each body, and which its title names."""
    counts: dict[str, int] = {}
    for mention in find_bodies(text, gazetteer, acronyms):
        counts[mention.canonical] = counts.get(mention.canonical, 0) + 1
    in_title = frozenset(m.canonical for m in find_bodies(title, gazetteer, acronyms))
    return DocumentBodies(counts, in_title, head_nouns(gazetteer), gazetteer.rules.not_bodies)


def owned_rows(texts: Sequence[str], settings: Settings) -> list[bool]:
    """Which clauses are action table rows whose owner column names a body (`owner_cell`) or
    a role (`role_owner_cell`): classification reads them as assigned actions."""
    if not any(" | " in t for t in texts):
        return [False] * len(texts)
    gazetteer = load_gazetteer(settings.bodies_files)
    return [
        " | " in t
        and (owner_cell(t, find_bodies(t, gazetteer)) is not None or role_owner_cell(t) is not None)
        for t in texts
    ]


def pick_holder(
    model: ChoiceModel, candidates: Sequence[Candidate]
) -> tuple[Mention | None, float]:
    """The most probable candidate's mention (None for "no holder"; a holder the clause does not
    name has empty words) and its probability."""
    best, probability = model.choose(candidates)
    if not best.canonical:
        return None, probability
    return best.mention or Mention(best.canonical, "", -1, -1), probability


def choose_holder(
    text: str, parse: object, mentions: list, decision: ForceDecision, context: LinkContext
) -> tuple[Mention | None, float, list[Candidate]]:
    """The holder of a clause, its probability (-1 from the parse rules) and the candidates it
    was chosen from: by the holder model when one is loaded, else the parse rules alone. Updates
    the discourse with the rule holder."""
    cue_text = decision.cue_text
    cue_start = decision.cue.start if decision.cue is not None else -1
    if cue_start < 0 and cue_text:  # a cue given as words only (gold, callers)
        cue_start = text.find(cue_text)
    previous = context.discourse.last_holder
    inherited = None
    if continues(text):  # "and must ...": the subject of the part split off before
        previous = continued_subject(context.discourse)
        if previous is not None and inherits_subject(parse, text, cue_start, cue_text):
            inherited = Mention(previous.canonical, "", -1, -1)
    rule = find_holder(parse, text, mentions, cue_start, cue_text, context.discourse)
    candidates = holder_candidates(
        parse,
        text,
        mentions,
        cue_start,
        cue_text,
        rule,
        previous,
        context.discourse.audience,
        context.document,
    )
    owner = owner_cell(text, mentions)
    if owner is not None:  # an action table's owner column says it: a rule, not a probability
        context.discourse.last_holder = context.discourse.previous_subject = owner
        return owner, -1.0, candidates
    if inherited is not None:  # no subject of its own: the grammar says it, not a probability
        return inherited, -1.0, candidates
    conferee = _conferee(text, mentions, decision)
    if conferee is not None:  # "Section 14 gives the Secretary of State the power to ..."
        context.discourse.last_holder = context.discourse.previous_subject = conferee
        return conferee, -1.0, candidates
    said = reader_said(text, mentions, cue_start)
    if said is not None:  # "If you are a local authority, you must ..."
        context.discourse.last_holder = context.discourse.previous_subject = said
        return said, -1.0, candidates
    author = author_holder(parse, text, cue_start, cue_text, context.discourse)
    if author is not None:  # "we" on a council's own page
        context.discourse.last_holder = context.discourse.previous_subject = author
        return author, -1.0, candidates
    if context.models.holder is None:
        return rule, -1.0, candidates
    holder, confidence = pick_holder(context.models.holder, candidates)
    return holder, confidence, candidates


def _conferee(text: str, mentions: list, decision: ForceDecision) -> Mention | None:
    """The body a provision of law gives a duty or a power (the force rule `conferred`: "Section
    14 gives the Secretary of State the power to ...", "Regulation 8 obliges the local authority
    to ..."): the first body named after the conferring words, before the act it may do. A
    rule: the force rule read the construction."""
    from docmine.classify import conferring_words

    if decision.force not in (Force.MANDATORY, Force.SUGGESTION):
        return None
    words = conferring_words(text)
    if words is None:
        return None
    # the body the words name ("gives the Secretary of State the power"), or the noun phrase
    # right after them ("obliges the local authority to"), not one in its modifiers ("places a
    # duty on providers registered with the Care Quality Commission")
    first = next((m for m in mentions if m.start >= words[0] and m.canonical), None)
    if first is None:
        return None
    inside = first.end <= words[1]
    right_after = _DETERMINERS.fullmatch(text[words[1] : first.start]) is not None
    return first if inside or right_after else None


_DETERMINERS = re.compile(r"\s*(?:(?:the|a|an|each|every|all|any|relevant|its|their)\s+)*")


def _first_cue(text: str) -> int | None:
    """Where the clause's first force cue starts (its subject comes before it), if it has one."""
    cues = [c for c in force_cues(text) if c.label != "none"]
    return cues[0].start if cues else None


def link_clause(text: str, decision: ForceDecision, context: LinkContext) -> Links:
    """Bodies named, the holder of the governing cue, the duty, and (for instructions) the
    deadline. Holder and deadline stay empty for `none` clauses (ANNOTATION.md); the holder is
    still read so that a later "they" can refer back to it."""
    parse = context.parses.get(text) if context.parses is not None else None
    # a holder "systems" is an ICS in any document (DECISIONS.md C.23); among the other bodies
    # a generic word that needs it names only bodies the document names outright
    every = find_bodies(text, context.gazetteer, context.acronyms, parse, context.back_references)
    follow_back_references(every, context.back_references, context.gazetteer, _first_cue(text))
    named = only_named(every, context.gazetteer, context.named)
    holder, confidence = None, -1.0
    if parse is not None:
        holder, confidence, _ = choose_holder(text, parse, every, decision, context)
    instruction = decision.force != Force.NONE
    return make_links(text, instruction, holder, named, context, confidence)


def make_links(
    text: str,
    instruction: bool,
    holder: Mention | None,
    bodies: Sequence[Mention],
    context: LinkContext,
    holder_confidence: float = -1.0,
) -> Links:
    """Links of a clause whose holder and bodies are chosen: the duty it states, and for an
    instruction its holder and deadline (holder and deadline stay empty for `none` clauses,
    ANNOTATION.md)."""
    holder_name = holder.canonical if holder is not None and instruction else ""
    duty = find_duty(
        text,
        context.duties,
        instruction,
        context.recent_duties,
        holder_name,
        [b.canonical for b in bodies],
        context.other_law,
    )
    if duty is not None:
        context.recent_duties.append(duty.id)
    if not instruction:
        return Links(bodies=tuple(bodies), duty=duty)
    parse = context.parses.get(text) if context.parses is not None else None
    return Links(
        holder=holder.canonical if holder else "",
        holder_text=holder.text if holder else "",
        holder_confidence=round(holder_confidence, 4),
        bodies=tuple(bodies),
        duty=duty,
        deadline=find_deadline(text, context.default_year, parse),
    )


def link_clauses(
    texts: Sequence[str], decisions: Sequence[ForceDecision], context: LinkContext
) -> list[Links]:
    """`link_clause` over a document's clauses in order, parsed in one batch."""
    if context.parses is not None:
        context.parses.prefetch(texts)
    return [link_clause(t, d, context) for t, d in zip(texts, decisions, strict=True)]


def share_row_deadlines(
    obligations: Sequence[Obligation], blocks: Sequence[Block], default_year: int | None = None
) -> list[Obligation]:
    """A table row's date column counts for every instruction in the row, as a lead-in's
    deadline counts for every item (DECISIONS.md 26): "R1 | The Provider must accept
    self-referrals. The Provider must publish its criteria. | From 1 July 2026" gives both
    clauses "From 1 July 2026". Only the row's last cell, one with no force word of its own, is
    read; an instruction with a deadline of its own keeps it."""
    rows = sorted(
        (b for b in blocks if b.kind == BlockKind.TABLE_ROW and "\t" in b.text),
        key=lambda b: b.provenance.start,
    )
    starts = [b.provenance.start for b in rows]
    out = list(obligations)
    members: dict[int, list[int]] = {}
    for index, obligation in enumerate(out):
        span = obligation.clause.provenance
        row = bisect_right(starts, span.start) - 1  # the last row starting at or before it
        if row >= 0 and span.end <= rows[row].provenance.end:
            members.setdefault(row, []).append(index)
    for row, indices in members.items():
        last_cell = [c for c in rows[row].text.split("\t") if c.strip()][-1]
        deadline = None if force_cues(last_cell) else find_deadline(last_cell, default_year)
        if deadline is None:
            continue
        for i in indices:
            obligation = out[i]
            if obligation.links.deadline is None and obligation.decision.force != Force.NONE:
                out[i] = replace(obligation, links=replace(obligation.links, deadline=deadline))
    return out
