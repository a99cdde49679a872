"""Linking measured on its own: gold-style rows re-linked with their gold force, so holder, bodies
and duty errors of the linker are not mixed up with force errors of the classifier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from docmine.config import Settings
from docmine.link import link_clauses, make_context
from docmine.model import Force, ForceDecision, Polarity


def link_with_gold_force(
    rows: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]], settings: Settings
) -> list[dict[str, Any]]:
    """holder, bodies (other than the holder), duty and deadline for each row, linked with the
    row's gold force and the classifier's cue; rows of one `doc` share one context, in order."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_doc[str(row.get("doc", ""))].append(index)
    out: list[dict[str, Any]] = [{} for _ in rows]
    for indices in by_doc.values():
        texts = [rows[i]["text"] for i in indices]
        decisions = [
            ForceDecision(
                Force(rows[i].get("force", "none")),
                Polarity(rows[i].get("polarity", "positive")),
                cue=str(predicted[i].get("cue", "")),
                cue_start=(list(predicted[i].get("cue_span") or []) or [-1])[0],
                cue_end=(list(predicted[i].get("cue_span") or [-1, -1]))[-1],
            )
            for i in indices
        ]
        context = make_context(
            "\n\n".join(texts), [settings.bodies], settings.duties, "", texts, settings.spacy_model
        )
        for i, links in zip(indices, link_clauses(texts, decisions, context), strict=True):
            bodies = dict.fromkeys(m.canonical for m in links.bodies if m.canonical != links.holder)
            out[i] = {
                "holder": links.holder,
                "bodies": list(bodies),
                "duty": links.duty.id if links.duty else "",
                "deadline": links.deadline.text if links.deadline else "",
            }
    return out
