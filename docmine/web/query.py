"""The query parameters shared by the search page, the JSON API and the downloads.

FastAPI validates types and bounds (a bad value is a 422 naming the parameter); this module turns
them into `search.Filters` and knows which search modes exist."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import HTTPException, Query, Request

from docmine import search as search_module
from docmine.config import load_settings
from docmine.errors import BadInput
from docmine.model import Filters, Force

OBLIGATION_FORCES: tuple[str, ...] = ("mandatory", "expectation", "suggestion")
MAX_LIMIT = 500


def search_modes() -> list[str]:
    """The ranking modes the search module offers now (lexical, and dense/hybrid once added)."""
    return list(search_module.SEARCHERS)


def default_mode() -> str:
    """search()'s own default mode, or lexical if that mode is not available."""
    chosen = inspect.signature(search_module.search).parameters["mode"].default
    return chosen if chosen in search_module.SEARCHERS else "lexical"


@dataclass(frozen=True)
class View:
    """What the user asked to see: a query (maybe empty), filters, a ranking mode, a limit."""

    q: str
    filters: Filters
    mode: str
    limit: int
    chosen_force: tuple[str, ...]  # as given; empty means the default (every obligation force)
    deadline_year: str

    def link(self, **changes: str | None) -> str:
        """This view's query string with some parameters changed (None removes one)."""
        params: dict[str, str | list[str]] = {
            "q": self.q,
            "force": list(self.chosen_force),
            "holder": self.filters.holder,
            "body": self.filters.body,
            "duty": self.filters.duty,
            "document": self.filters.document,
            "deadline": self.deadline_year,
            "mode": self.mode,
            "limit": str(self.limit),
        }
        if self.filters.all_versions:
            params["all_versions"] = "true"
        if not self.deadline_year:
            params["deadline_from"] = self.filters.deadline_from
            params["deadline_to"] = self.filters.deadline_to
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode({k: v for k, v in params.items() if v}, doseq=True)


Text = Annotated[str, Query(max_length=200)]


def view_params(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Free-text question or keywords.")] = "",
    force: Annotated[list[Force] | None, Query(description="Repeatable.")] = None,
    holder: Text = "",
    body: Text = "",
    duty: Text = "",
    document: Annotated[str, Query(max_length=200, description="Document id or title part.")] = "",
    deadline: Annotated[str, Query(pattern=r"^(\d{4})?$", description="A year, e.g. 2024.")] = "",
    deadline_from: Annotated[date | None, Query(description="Deadlines ending on/after.")] = None,
    deadline_to: Annotated[date | None, Query(description="Deadlines starting on/before.")] = None,
    all_versions: bool = False,
    mode: Annotated[str, Query(max_length=20, description="lexical, dense or hybrid.")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> View:
    """Validate the request's query parameters into a View (a FastAPI dependency); with no
    mode, the app's default (search()'s own unless create_app was told otherwise)."""
    chosen_mode = mode or getattr(request.app.state, "default_mode", "") or default_mode()
    if chosen_mode not in search_module.SEARCHERS:
        raise HTTPException(422, f"unknown mode {mode!r}: use {', '.join(search_modes())}")
    if deadline_from and deadline_to and deadline_from > deadline_to:
        raise HTTPException(422, "deadline_from is after deadline_to")
    start = (
        f"{deadline}-01-01" if deadline else (deadline_from.isoformat() if deadline_from else "")
    )
    end = f"{deadline}-12-31" if deadline else (deadline_to.isoformat() if deadline_to else "")
    chosen_force = tuple(f.value for f in force or ())
    filters = Filters(
        force=chosen_force or OBLIGATION_FORCES,
        holder=holder.strip(),
        body=body.strip(),
        duty=duty.strip(),
        document=document.strip(),
        deadline_from=start,
        deadline_to=end,
        all_versions=all_versions,
    )
    try:  # holder and body as canonical names ("ICB" -> "integrated care board"), as the CLI
        filters = search_module.checked_filters(filters, load_settings())
    except BadInput as error:
        raise HTTPException(422, error.message) from None
    return View(q.strip(), filters, chosen_mode, limit, chosen_force, deadline)
