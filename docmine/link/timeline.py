"""Timeline rows (DECISIONS.md 18), read before a document is linked: a row of a timetable
or key-dates table ("31 October 2025 | ICB winter plans agreed with NHS trusts") is labelled by
what the body text says about the activity. Such a row states no force of its own, so the model
calls it none; where the body text holds an instruction due on the same date that speaks of the
same activity ("ICBs must agree a single winter plan with their NHS trusts by 31 October 2025"),
the row takes that instruction's force, polarity and confidence, and is then linked like any
instruction (its holder, its deadline)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from docmine.language.cues import force_cues
from docmine.link.dates import find_deadline
from docmine.model import Deadline, Force, ForceDecision

# the words two statements of one activity share, besides the date: at least the thing and
# what is done to it ("winter plan" + "agree")
MIN_SHARED = 2
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_DATE_WORDS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "sept", "end", "start", "by", "from", "before",
    }
)  # fmt: skip


# where a timeline row's date ends: its table cell, or a colon or dash after it
_DATE_CELL = re.compile(r"^\s*([^|:–—]{3,40}?)\s*(?:\||:\s|\s[–—-]\s)")


def _row_date(text: str, year: int | None) -> Deadline | None:
    """The date a timeline row gives in a cell of its own ("31 October 2025 | ICB winter plans
    agreed", "By 31 March 2026: ICBs publish ..."), if the row has no force word of its own; a
    sentence that opens with a date ("From October 2023, the government will ...") is no row."""
    cell = _DATE_CELL.match(text)
    if cell is None or force_cues(text):
        return None
    deadline = find_deadline(cell.group(1), year)
    if deadline is None or not deadline.end or deadline.text.lower() != cell.group(1).lower():
        return None
    return deadline


def _words(parsed: Any) -> set[str]:
    """The content words of a parsed text, as lemmas, an acronym's plural as its singular."""
    out = set()
    for token in parsed:
        if token.pos_ not in _CONTENT or token.is_stop or token.like_num:
            continue
        lemma = token.lemma_.lower()
        if token.text.isupper() or token.text[:-1].isupper():
            lemma = token.text.rstrip("s").lower()
        if lemma not in _DATE_WORDS and len(lemma) > 1:
            out.add(lemma)
    return out


def timeline_rows(
    texts: Sequence[str],
    decisions: Sequence[ForceDecision],
    parser: Any,
    year: int | None = None,
) -> list[ForceDecision]:
    """The decisions of one document's clauses (in order), a timeline row the model called none
    given the force of the body text's instruction due on the row's date that shares at least
    `MIN_SHARED` content words with it (the most, if several do; its reason names it)."""
    out = list(decisions)
    rows = {
        i: date
        for i, (text, decision) in enumerate(zip(texts, decisions, strict=True))
        if decision.force == Force.NONE and (date := _row_date(text, year)) is not None
    }
    if not rows:
        return out
    dated = {
        j: deadline
        for j, decision in enumerate(decisions)
        if decision.force != Force.NONE
        and (deadline := find_deadline(texts[j], year)) is not None
        and deadline.end
    }
    due = {deadline.end for deadline in rows.values()}
    sources = [j for j, deadline in dated.items() if deadline.end in due]
    if not sources:
        return out
    order = sorted(set(rows) | set(sources))
    parsed = parser.parse([texts[k] for k in order])
    words = {k: _words(p) for k, p in zip(order, parsed, strict=True)}
    for i, date in rows.items():
        shared = [
            (len(words[i] & words[j]), j) for j in sources if dated[j].end == date.end and j != i
        ]
        count, j = max(shared, default=(0, -1))
        if count < MIN_SHARED:
            continue
        source = decisions[j]
        out[i] = dataclasses.replace(
            source,
            cue=None,
            condition=None,
            reason=f"timeline row: the body text says '{texts[j][:120]}'",
        )
    return out
