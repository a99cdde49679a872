"""Exports of the obligation register: one function per format behind one dispatch table.

`export_register(store, path, filters, query)` is the one call behind `docmine export`;
`export(register, path)` writes any `Register` (a diff's too). Writes are transactional: the file
is written beside its target as `.NAME.partial` and renamed, so it appears whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import fields
from functools import partial
from pathlib import Path

from docmine.errors import BadInput
from docmine.export.csv import write_csv
from docmine.export.json import write_json
from docmine.export.register import Register, build_register, register_rows
from docmine.export.report import write_html, write_markdown
from docmine.export.xlsx import write_xlsx
from docmine.model import Filters
from docmine.search import Hit, search, select
from docmine.store import Store

Exporter = Callable[[Register, Path], None]

EXPORTERS: dict[str, Exporter] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "json": write_json,
    "md": write_markdown,
    "html": write_html,
}
ALIASES = {"markdown": "md", "htm": "html"}


def format_for(path: Path, fmt: str | None) -> str:
    """The format named by `fmt`, else by the file suffix. A `fmt` that contradicts a suffix
    naming another format ("--format json" for "register.csv") is refused: the file would
    open in the wrong program."""
    suffix = path.suffix.lstrip(".").lower()
    suffix = ALIASES.get(suffix, suffix)
    chosen = (fmt or suffix).lower()
    chosen = ALIASES.get(chosen, chosen)
    if fmt and suffix in EXPORTERS and chosen in EXPORTERS and suffix != chosen:
        raise BadInput(
            f"--format {chosen} does not match the file's suffix .{suffix}: "
            f"name the file .{chosen}, or drop --format",
            str(path),
        )
    if chosen not in EXPORTERS:
        raise BadInput(
            f"unknown export format {chosen or '(none)'}: use {', '.join(sorted(EXPORTERS))}",
            str(path),
        )
    return chosen


def export(
    register: Register | Sequence[Hit], path: Path, fmt: str | None = None, bom: bool = True
) -> Path:
    """Write `register` (or plain hits) to `path`; the file appears whole or not at all.

    `bom` only matters for CSV: a UTF-8 byte-order mark so Excel reads the encoding right."""
    if not isinstance(register, Register):
        register = Register(rows=tuple(register_rows(register)))
    chosen = format_for(path, fmt)
    writer = partial(write_csv, bom=bom) if chosen == "csv" else EXPORTERS[chosen]
    partial_path = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(register, partial_path)
        partial_path.replace(path)
    except OSError as exc:  # a read-only place, a file where a folder should be, a full disk
        reason = exc.strerror or exc.__class__.__name__
        raise BadInput(f"cannot write the register here: {reason}", str(path)) from None
    finally:
        with suppress(OSError):  # nothing was written, or not even the folder exists
            partial_path.unlink(missing_ok=True)
    return path


def describe_filters(filters: Filters, query: str = "") -> str:
    """The non-default filters in words, for the report header and JSON `scope`."""
    default = Filters()
    parts = [f'query "{query}"'] if query else []
    for f in fields(Filters):
        value = getattr(filters, f.name)
        if value != getattr(default, f.name):
            shown = ", ".join(value) if isinstance(value, tuple) else value
            parts.append(f"{f.name.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def select_hits(
    store: Store, filters: Filters, query: str = "", limit: int | None = None
) -> list[Hit]:
    """The filtered register in document order, or ranked by `query` (best first): the top
    `limit` of the default search, or with no limit every clause the query's words match (the
    meaning side ranks every clause, so it has no end of its own). Every version's row is kept."""
    if query:
        if limit:
            return search(store, query, filters, limit, fold=False)
        return search(store, query, filters, 1_000_000, mode="lexical", fold=False)
    hits = select(store, filters)
    return hits[:limit] if limit else hits


def export_register(
    store: Store,
    path: Path,
    filters: Filters = Filters(),
    query: str = "",
    limit: int | None = None,
    fmt: str | None = None,
    bom: bool = True,
) -> Register:
    """Select obligations like search does and write them, with the documents they cite."""
    format_for(path, fmt)  # fail on a bad suffix before doing any work
    hits = select_hits(store, filters, query, limit)
    register = build_register(
        hits, store.documents(all_versions=True), scope=describe_filters(filters, query)
    )
    export(register, path, fmt, bom)
    return register


def output_path(output: Path | None, fmt: str | None, outputs: Path) -> Path:
    """Where to write: `output`, a file named register.FMT inside it if it is a folder, or
    OUTPUTS/register.FMT (xlsx unless `fmt` says otherwise) when no output is given."""
    name = f"register.{ALIASES.get(fmt.lower(), fmt.lower()) if fmt else 'xlsx'}"
    if output is None:
        return outputs / name
    return output / name if output.is_dir() else output
