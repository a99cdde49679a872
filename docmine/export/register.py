"""The register: its columns in the documented order, and the typed object every exporter takes.

A `Register` carries the rows, the documents they cite (for the Sources sheet and the report
header) and when it was made, so exporters never go back to the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docmine.model import Deadline, DocumentRef, StoredDocument, StoredObligation
from docmine.search import Hit

RegisterRow = dict[str, Any]

COLUMNS: tuple[str, ...] = (
    "obligation_id",
    "force",
    "polarity",
    "duty_holder",
    "other_bodies",
    "duty",
    "duty_law",
    "deadline",
    "deadline_normalised",
    "deadline_period",
    "deadline_anchor",
    "condition",
    "clause_text",
    "document_title",
    "document_id",
    "version",
    "authority",
    "page",
    "section_path",
    "clause_ref",
    "span_start",
    "span_end",
    "source_location",
    "confidence",
    "cue",
    "ocr_confidence",
)

# Columns a diff puts in front of the register columns.
CHANGE_COLUMNS: tuple[str, ...] = ("change", "change_detail", "previous_text")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Register:
    """Rows in column order plus the documents they cite; `columns` adds any diff columns."""

    rows: tuple[RegisterRow, ...]
    documents: tuple[DocumentRef, ...] = ()
    title: str = "Obligation register"
    scope: str = ""  # the filters or comparison that produced it, in words
    generated_at: str = field(default_factory=now_iso)
    columns: tuple[str, ...] = COLUMNS


def source_location(source: str, page: int | None) -> str:
    """A path or URL a user can open; PDFs get a #page= anchor."""
    if source.startswith(("http://", "https://")):
        location = source
    else:
        location = Path(source).resolve().as_uri() if Path(source).is_absolute() else source
    if page and source.lower().split("?")[0].endswith(".pdf"):
        location += f"#page={page}"
    return location


def normalised_deadline(deadline: Deadline | None) -> str:
    """ "by 2024-03-31", "from 2020-12-02/2021-03-31"; empty for a deadline with no date."""
    if deadline is None or not deadline.start:
        return ""
    span = deadline.start if deadline.start == deadline.end else f"{deadline.start}/{deadline.end}"
    return f"{deadline.relation} {span}".strip()


def register_row(stored: StoredObligation) -> RegisterRow:
    """One stored obligation as a register row: the one mapping from the data model to the
    register's columns."""
    clause, decision, links = stored.clause, stored.decision, stored.links
    page = clause.provenance.page
    return {
        "obligation_id": stored.id,
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "duty_holder": links.holder,
        "other_bodies": "; ".join(stored.other_bodies),
        "duty": links.duty.id if links.duty else "",
        "duty_law": links.duty.law if links.duty else "",
        "deadline": links.deadline.text if links.deadline else "",
        "deadline_normalised": normalised_deadline(links.deadline),
        "deadline_period": links.deadline.period if links.deadline else "",
        "deadline_anchor": links.deadline.anchor if links.deadline else "",
        "condition": decision.condition_text,
        "clause_text": clause.text,
        "document_title": stored.document.title,
        "document_id": stored.document.id,
        "version": stored.document.version,
        "authority": stored.document.authority,
        "page": page,
        "section_path": " > ".join(clause.provenance.section),
        "clause_ref": clause.ref,
        "span_start": clause.provenance.start,
        "span_end": clause.provenance.end,
        "source_location": source_location(stored.document.source, page),
        "confidence": decision.confidence,
        "cue": decision.cue_text,
        "ocr_confidence": clause.provenance.ocr_confidence,
    }


def register_rows(hits: Sequence[Hit]) -> list[RegisterRow]:
    return [register_row(hit.obligation) for hit in hits]


def cited_documents(
    hits: Sequence[Hit], documents: Sequence[StoredDocument]
) -> tuple[DocumentRef, ...]:
    """The documents (from Store.documents()) that at least one hit comes from, in store order."""
    cited = {hit.obligation.document.id for hit in hits}
    return tuple(d.document for d in documents if d.document.id in cited)


def build_register(
    hits: Sequence[Hit],
    documents: Sequence[StoredDocument],
    title: str = "Obligation register",
    scope: str = "",
) -> Register:
    return Register(
        rows=tuple(register_rows(hits)),
        documents=cited_documents(hits, documents),
        title=title,
        scope=scope,
    )
