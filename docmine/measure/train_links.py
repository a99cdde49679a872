"""Learning the holder choice from gold rows, and cross-validating it by document.

Gold rows name their holder (`holder`) and the other bodies (`bodies`) with canonical names. For
each row, linking builds its candidates once (`link_examples`: the row's document, when a corpus
holds it, gives the body counts, title and audience); the models are then fitted on some rows
and applied to others, so cross-validation costs one parse per row."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docmine.config import Settings
from docmine.link import (
    LinkContext,
    _first_cue,
    choose_holder,
    make_context,
    pick_holder,
)
from docmine.link.bodies import find_bodies, follow_back_references, only_named
from docmine.link.choice import Candidate, LinkModels, fit_choice_model, select_penalty
from docmine.measure.textfile import find_document
from docmine.model import ForceDecision, Mention

NO_HOLDER_GOLD = ""


@dataclass
class RowExamples:
    """What linking sees in one row: the holder candidates, the rule holder and the bodies."""

    holder: list[Candidate]
    rule_holder: Mention | None
    rule_bodies: list[Mention]  # the bodies it names (as link_clause reports them)
    context: LinkContext
    gold_context: LinkContext  # the same document, for linking with the gold force


def document_text(doc: str, texts: Sequence[str], corpora: Sequence[Path]) -> tuple[str, str]:
    """(text, title) of a gold row's document: the corpus file when it is text, else the rows."""
    path = find_document(doc, corpora)
    if path is not None and path.suffix in ("", ".md", ".txt"):
        text = path.read_text(encoding="utf-8", errors="replace")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        return text, first.lstrip("# ").strip() if first.startswith("#") else ""
    return "\n\n".join(texts), ""


def link_examples(
    rows: Sequence[dict[str, Any]],
    decisions: Sequence[ForceDecision],
    settings: Settings,
    corpora: Sequence[Path] = (),
) -> list[RowExamples]:
    """Candidates of every row, rows of one `doc` in order with one context (their cue from
    `decisions`; the holder candidates do not depend on the force)."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_doc[str(row.get("doc", ""))].append(index)
    out: list[RowExamples | None] = [None] * len(rows)
    for doc, indices in by_doc.items():
        texts = [rows[i]["text"] for i in indices]
        text, title = document_text(doc, texts, corpora)
        context = make_context(text, settings, "", texts, title)
        parses = context.parses
        assert parses is not None  # make_context always gives one
        for_gold = dataclasses.replace(context, recent_duties=[])
        for i in indices:
            clause = rows[i]["text"]
            parse = parses.get(clause)
            every = find_bodies(
                clause, context.gazetteer, context.acronyms, parse, context.back_references
            )
            follow_back_references(
                every, context.back_references, context.gazetteer, _first_cue(clause)
            )
            named = only_named(every, context.gazetteer, context.named)
            rule, _, holder = choose_holder(clause, parse, every, decisions[i], context)
            out[i] = RowExamples(holder, rule, named, context, for_gold)
    return [e for e in out if e is not None]


def fit_link_models(
    rows: Sequence[dict[str, Any]], examples: Sequence[RowExamples], indices: Sequence[int]
) -> LinkModels:
    """The holder model from the rows (of `indices`) whose gold force is not none, with the L2
    penalty that best predicts held-out documents of those rows (`select_penalty`)."""
    instructed = [i for i in indices if rows[i].get("force", "none") != "none"]
    groups = [examples[i].holder for i in instructed]
    gold = [str(rows[i].get("holder", "")) for i in instructed]
    penalty = select_penalty(groups, gold, [str(rows[i].get("doc", "")) for i in instructed])
    return LinkModels(fit_choice_model(groups, gold, penalty), penalty)


@dataclass(frozen=True)
class Linked:
    """What the models chose for one row: the holder (whatever the force; None for "no
    holder"), its probability among the candidates (-1 from the parse rules) and the bodies."""

    holder: Mention | None
    bodies: list[Mention]
    confidence: float = -1.0


def apply_link_models(models: LinkModels, example: RowExamples) -> Linked:
    """The holder and the bodies the models choose for one row."""
    holder, confidence = example.rule_holder, -1.0
    if models.holder is not None:
        holder, confidence = pick_holder(models.holder, example.holder)
    return Linked(holder, example.rule_bodies, confidence)
