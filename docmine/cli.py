"""The `docmine` command: parse arguments, call the library, print. Nothing else lives here."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from docmine.config import InvalidSetting, Settings, load_settings
from docmine.errors import BadInput, DocmineError

app = typer.Typer(
    help="Turn health and care guidance into an obligation register.\n\n"
    'Example: docmine ingest corpus/ && docmine search "what must ICBs publish"',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)  # one result per line, also when piped
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file (env DOCMINE_DB).", show_default="docmine.db"),
]
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Print a DocmineError as one line, without a traceback, and exit 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (DocmineError, InvalidSetting) as error:
            errors.print(f"[red]error[/red] {escape(str(error))}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _settings(db: Path | None, **overrides: Any) -> Settings:
    return load_settings(db=db, **overrides)


def _open_store(settings: Settings, must_exist: bool = True) -> Any:
    from docmine.errors import NotFound
    from docmine.store import Store

    if must_exist and not settings.db.exists():
        raise NotFound(
            "no database here: run `docmine ingest PATH` first or pass --db", str(settings.db)
        )
    if settings.db.is_dir():
        raise BadInput("is a folder: pass --db a database file", str(settings.db))
    try:
        if must_exist:
            # a file docmine did not make (an empty file, another program's database) is
            # refused before anything is written to it
            with Store(settings.db, read_only=True, check_schema=False) as peek:
                made = peek.connection.execute("PRAGMA user_version").fetchone()[0] > 0
            if not made:
                raise BadInput(
                    "not a docmine database: pass --db a file made by `docmine ingest`",
                    str(settings.db),
                )
        return Store(settings.db)
    except sqlite3.OperationalError as exc:  # unreadable, locked past the timeout
        raise BadInput(f"cannot open the database ({exc})", str(settings.db)) from None


def _filters(
    force: list[str] | None,
    holder: str,
    body: str,
    duty: str,
    document: str,
    deadline_from: str,
    deadline_to: str,
    all_versions: bool = False,
    polarity: str = "",
    version: int | None = None,
    settings: Settings | None = None,
    store: Any = None,
) -> Any:
    from docmine.model import Filters
    from docmine.search import checked_filters

    return checked_filters(
        Filters(
            force=tuple(force or ()),
            polarity=polarity,
            holder=holder,
            body=body,
            duty=duty,
            document=document,
            version=version,
            deadline_from=deadline_from,
            deadline_to=deadline_to,
            all_versions=all_versions,
        ),
        settings or load_settings(),
        store,
    )


ForceOption = Annotated[
    list[str] | None,
    typer.Option("--force", "-f", help="mandatory, expectation, suggestion or none (repeatable)."),
]
HolderOption = Annotated[
    str, typer.Option(help="Canonical duty-holder, e.g. 'integrated care board'.")
]
BodyOption = Annotated[str, typer.Option(help="Any body named, holder or other.")]
DutyOption = Annotated[str, typer.Option(help="Duty id, e.g. prepare-integrated-care-strategy.")]
OcrOption = Annotated[
    str | None,
    typer.Option(
        help="OCR of PDF pages with Tesseract: auto (scanned pages), force (every page) or off.",
    ),
]
DocumentOption = Annotated[
    str, typer.Option("--document", "-d", help="Document id, path or title part.")
]
FromOption = Annotated[
    str, typer.Option("--deadline-from", help="ISO date: deadlines ending on or after.")
]
ToOption = Annotated[
    str, typer.Option("--deadline-to", help="ISO date: deadlines starting on or before.")
]


@app.command()
@reports_errors
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt .md .html .pdf .docx).")
    ],
    db: DbOption = None,
    authority: Annotated[
        str | None,
        typer.Option(
            help="legislation, statutory_guidance, guidance, summary, position_paper or debate; "
            "detected from the text when omitted."
        ),
    ] = None,
    bodies: Annotated[Path | None, typer.Option(help="Extra bodies gazetteer (YAML).")] = None,
    ocr: OcrOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line.")] = False,
    no_embed: Annotated[
        bool,
        typer.Option(
            "--no-embed", help="Skip clause vectors (dense search makes them when first used)."
        ),
    ] = False,
) -> None:
    """Extract, segment, classify, link and embed guidance files into the store.

    A progress bar (files, pages and clauses per second) shows on a terminal unless --quiet.

    Example: docmine ingest corpus/ --db register.db
    """
    from contextlib import nullcontext

    from docmine.extract import SUFFIXES
    from docmine.model import Authority
    from docmine.pipeline import FileResult, Status, collect_files
    from docmine.pipeline import ingest as run_ingest

    settings = _settings(db, extra_bodies=bodies, ocr=ocr)
    if authority and authority not in {a.value for a in Authority}:
        raise BadInput(
            f"unknown authority {authority!r}: use one of {', '.join(a.value for a in Authority)}"
        )
    chosen = Authority(authority) if authority else None
    unsupported: list[Path] = []
    # walked once: ingest gets the files, not the folders
    files = collect_files(paths, unsupported)
    if not files:  # folders only, and none holds a file docmine reads
        raise BadInput(
            f"no supported files in {', '.join(str(p) for p in paths)}: docmine reads "
            f"{', '.join(sorted(SUFFIXES))}"
        )
    if unsupported:
        kinds = sorted({p.suffix.lower() or "no suffix" for p in unsupported})
        errors.print(
            f"[yellow]skipping[/yellow]  {len(unsupported)} "
            f"file{'s' if len(unsupported) != 1 else ''} docmine does not read "
            f"({escape(', '.join(kinds))}); it reads {', '.join(sorted(SUFFIXES))}"
        )
    bar = _IngestProgress() if console.is_terminal and not quiet else None

    def report(result: FileResult, seconds: float) -> None:
        # with a bar, lines go through its console, so they print above it, not glued onto it
        out = bar.progress.console if bar is not None else console
        err = bar.progress.console if bar is not None else errors
        if bar is not None:
            bar.advance(result)
        if result.status == Status.FAILED:
            err.print(f"[red]failed[/red]    {escape(result.path)}: {escape(result.message)}")
            return
        if result.status in (Status.INGESTED, Status.NEW_VERSION) and result.clauses == 0:
            err.print(
                f"[yellow]warning[/yellow]   {escape(result.path)}: stored with 0 clauses "
                f"({escape(result.message)})"
            )
        if not quiet:
            detail = (
                "skipped"
                if result.status == Status.UNCHANGED
                else f"skipped: {result.message}"
                if result.status == Status.DUPLICATE
                else f"v{result.version}, {result.clauses} clauses, "
                f"{result.obligations} obligations, {seconds:.1f}s"
            )
            out.print(f"{result.status.value:<11} {escape(result.path)} ({detail})")

    with _open_store(settings, must_exist=False) as store, bar or nullcontext():
        results = run_ingest(
            files,
            store,
            settings,
            chosen,
            on_file=report,
            embed_vectors=not no_embed,
            on_start=bar.start if bar else None,
        )
    counts = {s: sum(r.status == s for r in results) for s in Status}
    changed = counts[Status.INGESTED] + counts[Status.NEW_VERSION]
    console.print(
        f"{changed} ingested "
        f"({counts[Status.NEW_VERSION]} as new versions), {counts[Status.UNCHANGED]} unchanged, "
        + (f"{counts[Status.DUPLICATE]} duplicates, " if counts[Status.DUPLICATE] else "")
        + f"{counts[Status.FAILED]} failed"
        + ("; nothing changed" if results and not changed else "")
    )
    if counts[Status.FAILED] or not results:
        raise typer.Exit(1)


class _IngestProgress:
    """A rich progress bar over the files of an ingest, with files, pages and clauses per s."""

    def __init__(self) -> None:
        import time

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._clock = time.perf_counter
        self.progress = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rates]}"),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("ingest", total=None, rates="")
        self.started = self._clock()
        self.files = self.pages = self.clauses = 0

    def start(self, files: list[Path]) -> None:
        self.progress.update(self.task, total=len(files))

    def advance(self, result: Any) -> None:
        self.files += 1
        self.pages += result.pages
        self.clauses += result.clauses
        seconds = max(self._clock() - self.started, 1e-9)
        rates = (
            f"{self.files / seconds:.1f} files/s, {self.pages / seconds:.1f} pages/s, "
            f"{self.clauses / seconds:.0f} clauses/s"
        )
        self.progress.update(self.task, advance=1, rates=rates)

    def __enter__(self) -> _IngestProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@app.command()
@reports_errors
def search(
    query: Annotated[str, typer.Argument(help="Free text, e.g. 'duty to involve carers'.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500)] = 10,
    mode: Annotated[
        str,
        typer.Option(
            help="hybrid (BM25 and MiniLM, rank-fused), lexical (BM25 only, needs no model) "
            "or dense (MiniLM only); see `docmine eval-search` for how they compare."
        ),
    ] = "hybrid",
    force: ForceOption = None,
    polarity: Annotated[str, typer.Option(help="positive or prohibition.")] = "",
    holder: HolderOption = "",
    body: BodyOption = "",
    duty: DutyOption = "",
    document: DocumentOption = "",
    version: Annotated[
        int | None, typer.Option(help="Only this version of the documents (default latest).")
    ] = None,
    deadline_from: FromOption = "",
    deadline_to: ToOption = "",
    all_versions: Annotated[
        bool, typer.Option(help="Search every version, not the latest.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Ranked obligations for a question, with force, holder, duty and provenance.

    Example: docmine search "Healthwatch role in the integrated care strategy" --force mandatory
    """
    from docmine.errors import ModelMissing
    from docmine.search import read_as, snippet
    from docmine.search import search as run_search

    if not query.strip():
        raise BadInput("empty query: give words to search for (`docmine export` lists them all)")
    settings = _settings(db)
    with _open_store(settings) as store:
        filters = _filters(
            force,
            holder,
            body,
            duty,
            document,
            deadline_from,
            deadline_to,
            all_versions,
            polarity=polarity,
            version=version,
            settings=settings,
            store=store,
        )
        try:
            hits = run_search(store, query, filters, limit, mode, settings)
        except ModelMissing as missing:
            if mode != "hybrid":
                raise
            # the default mode needs the sentence encoder; words alone still answer
            errors.print(f"[yellow]note[/yellow] {escape(missing.message)}; searching by words")
            hits = run_search(store, query, filters, limit, "lexical", settings)
        also = read_as(store, query, settings)  # what its everyday words were searched as too
    if as_json:
        console.print_json(json.dumps([h.to_json() for h in hits]))
        return
    if not hits:
        console.print("no matching obligations")
    elif also:
        console.print(f"[dim]also searched: {escape(also)}[/dim]")
    for rank, hit in enumerate(hits, start=1):
        o = hit.obligation
        shown_force = o.decision.force.value
        duty = o.links.duty.id if o.links.duty else ""
        shown, spans = snippet(o.clause.text, hit.matched_terms)
        console.print(
            f"[bold]{rank}.[/bold] [{_force_style(shown_force)}]{shown_force}[/] "
            f"holder={escape(o.links.holder or '-')} duty={escape(duty or '-')} "
            f"[dim]{o.id} · matched by {hit.why or '-'}[/dim]"
        )
        console.print("   " + _highlight(shown, spans))
        console.print(
            f"   [dim]{escape(o.document.title)} v{o.document.version}, "
            f"p.{o.clause.provenance.page or '-'}, "
            f"{escape(' > '.join(o.clause.provenance.section) or '-')}"
            f"{escape(', ' + o.clause.ref) if o.clause.ref else ''}"
            f"{escape(' · ' + o.document.origin) if o.document.origin else ''}[/dim]"
        )
        if hit.also_in:
            also = "; ".join(f"{d.title} v{d.version}" for d in hit.also_in)
            console.print(f"   [dim]also in: {escape(also)}[/dim]")


def _force_style(force: str) -> str:
    return {"mandatory": "bold red", "expectation": "yellow", "suggestion": "green"}.get(
        force, "dim"
    )


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    from docmine.search import highlight_parts

    return "".join(
        f"[reverse]{escape(piece)}[/reverse]" if match else escape(piece)
        for piece, match in highlight_parts(text, spans)
    )


@app.command()
@reports_errors
def export(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File (or folder: an existing one, or a new one written with a trailing /).",
            show_default="outputs/register.xlsx",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, xlsx, json, md or html; else the file suffix."),
    ] = None,
    db: DbOption = None,
    query: Annotated[
        str, typer.Option("--query", "-q", help="Free text: export the ranked search hits.")
    ] = "",
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="At most N rows (default: all).")
    ] = None,
    force: ForceOption = None,
    holder: HolderOption = "",
    body: BodyOption = "",
    duty: DutyOption = "",
    document: DocumentOption = "",
    version: Annotated[
        int | None, typer.Option(help="Only this version of the documents (default latest).")
    ] = None,
    all_versions: Annotated[bool, typer.Option(help="Every version, not the latest.")] = False,
    deadline_from: FromOption = "",
    deadline_to: ToOption = "",
    include_none: Annotated[
        bool, typer.Option(help="Also export clauses with force none.")
    ] = False,
    bom: Annotated[
        bool, typer.Option(help="CSV: start with a UTF-8 byte-order mark (for Excel).")
    ] = True,
) -> None:
    """Write the obligation register (CSV, XLSX, JSON, Markdown or HTML report), filtered like
    search.

    Example: docmine export -o outputs/icb.xlsx --holder "integrated care board"
    """
    from docmine.export import export_register, output_path

    settings = _settings(db)
    chosen = force or (None if include_none else ["mandatory", "expectation", "suggestion"])
    with _open_store(settings) as store:  # the filters are checked before anything is written
        filters = _filters(
            chosen,
            holder,
            body,
            duty,
            document,
            deadline_from,
            deadline_to,
            all_versions,
            version=version,
            settings=settings,
            store=store,
        )
    target = Path(output) if output else None
    if output and output.endswith(("/", os.sep)):  # a new folder, named as one
        target = Path(output.rstrip("/" + os.sep) or os.sep)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput(f"cannot make the folder: {exc.strerror}", output) from None
    path = output_path(target, fmt, settings.outputs)
    replaced = path.is_file()
    with _open_store(settings) as store:
        register = export_register(store, path, filters, query, limit, fmt, bom)
    console.print(
        f"wrote {len(register.rows)} obligations from {len(register.documents)} documents "
        f"to {escape(str(path))}" + (" (replacing the file there)" if replaced else "")
    )


@app.command()
@reports_errors
def diff(
    old: Annotated[str, typer.Argument(help="Old document: id (or prefix), path or source.")],
    new: Annotated[
        str | None,
        typer.Argument(help="New document; omit to compare OLD's last two versions."),
    ] = None,
    versions: Annotated[
        tuple[int, int] | None,
        typer.Option(help="Two versions of OLD to compare, e.g. --versions 1 2."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the changes as a register file."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, xlsx, json, md or html; else the file suffix."),
    ] = None,
    db: DbOption = None,
    unchanged: Annotated[bool, typer.Option(help="List unchanged obligations too.")] = False,
    include_none: Annotated[
        bool, typer.Option(help="Also compare clauses with force none on both sides.")
    ] = False,
    embeddings: Annotated[
        bool, typer.Option(help="Match reworded clauses by meaning (else token overlap only).")
    ] = True,
) -> None:
    """Obligations added, removed and changed (force, holder, deadline, wording) between two
    documents or two versions of one, matched by meaning.

    Example: docmine diff corpus/guidance.txt --versions 1 2 -o outputs/changes.xlsx
    """
    from docmine.diff import default_embedder, diff_documents
    from docmine.export import export as run_export
    from docmine.export import format_for, output_path

    settings = _settings(db)
    target = None
    if output is not None or fmt is not None:  # a bad format fails before the comparison
        target = output_path(output, fmt, settings.outputs)
        if target.name.startswith("register."):  # no file named: changes.FMT, not register.FMT
            target = target.with_name(target.name.replace("register.", "changes.", 1))
        format_for(target, fmt)
    embedder = default_embedder(settings.embedding_model) if embeddings else None
    with _open_store(settings) as store:
        register, _ = diff_documents(store, old, new, versions, embedder, unchanged, include_none)
    console.print(escape(register.title))
    for row in register.rows:
        detail = f" [dim]({escape(row['change_detail'])})[/dim]" if row["change_detail"] else ""
        console.print(
            f"{row['change']:<9} [{_force_style(row['force'])}]{row['force']:<11}[/] "
            f"{escape(row['clause_text'][:150])}{detail}",
            soft_wrap=True,
        )
    counts = {
        k: sum(r["change"] == k for r in register.rows) for k in ("added", "removed", "changed")
    }
    console.print(", ".join(f"{n} {k}" for k, n in counts.items()))
    if target is not None:
        path = run_export(register, target, fmt)
        console.print(f"wrote {len(register.rows)} rows to {escape(str(path))}")


@app.command(name="train-rerank")
@reports_errors
def train_rerank(
    pairs: Annotated[
        list[str],
        typer.Argument(help="QUERIES.jsonl:DATABASE pairs: a query set and the store it judges."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Artefact to write.")] = Path(
        "models/rerank.json"
    ),
) -> None:
    """Fit hybrid search's reranker on the tune half of each query set (the test halves stay
    unseen; score them with eval-search).

    Example: docmine train-rerank train-queries.jsonl:q.db tests/queries.jsonl:demo.db
    """
    from docmine.measure.train_rerank import train_reranker

    parsed = []
    for pair in pairs:
        queries, _, db = pair.rpartition(":")
        if not queries or not Path(db).is_file() or not Path(queries).is_file():
            raise BadInput(f"{pair!r}: give QUERIES.jsonl:DATABASE, both existing files")
        parsed.append((Path(queries), Path(db)))
    reranker = train_reranker(parsed, load_settings(), output)
    console.print(f"wrote {escape(str(output))} ({escape(reranker.about)})")


@app.command(name="eval-search")
@reports_errors
def eval_search(
    queries: Annotated[
        Path,
        typer.Argument(help="JSONL: query, optional filters, relevant (texts, ids or judgements)."),
    ],
    db: DbOption = None,
    modes: Annotated[
        list[str] | None, typer.Option("--mode", help="Modes to score (repeatable; default all).")
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Gold clauses (train.jsonl): adds plain BM25 over the gold clauses of the "
            "stored documents, scored in the same run."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Graded nDCG@10, Recall@10 and MRR@10 of lexical, dense and hybrid search, side by side,
    per query half and type.

    Example: docmine eval-search ../shared/gold/train-queries.jsonl --db q.db
    --gold ../shared/gold/train.jsonl
    """
    from docmine.measure.search_eval import (
        bm25_baseline,
        evaluate_search,
        gold_clauses,
        load_queries,
        scores_table,
    )
    from docmine.search import MODES

    settings = _settings(db)
    cases = load_queries(queries)
    with _open_store(settings) as store:
        scores = evaluate_search(store, cases, settings, modes or MODES)
        stems = [Path(d.document.source).stem for d in store.documents(all_versions=False)]
    if gold is not None:
        scores.append(bm25_baseline(cases, gold_clauses(gold, stems)))
    rows = scores_table(scores, cases)
    if as_json:
        console.print_json(json.dumps(rows))
        return
    table = Table(*rows[0], title=f"search quality, {len(cases)} queries")
    for row in rows:
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()))
    console.print(table)


@app.command()
@reports_errors
def bench(
    sizes: Annotated[
        str, typer.Option(help="Synthetic store sizes, comma-separated (1000000 is optional).")
    ] = "10000,100000",
    queries: Annotated[Path, typer.Option(help="Query set (texts to time, and to score).")] = Path(
        "tests/queries.jsonl"
    ),
    corpus: Annotated[Path, typer.Option(help="Demo corpus for embedding and ingest.")] = Path(
        "corpus"
    ),
    pdf_corpus: Annotated[
        Path | None, typer.Option(help="PDF folder to time ingest on, e.g. ../shared/corpus-pdf.")
    ] = None,
    repeats: Annotated[int, typer.Option(min=1, help="Timed searches per mode.")] = 100,
    backends: Annotated[bool, typer.Option(help="Compare embedding backends.")] = True,
) -> None:
    """Search latency at N clauses beside bare numpy, embedding backends, ingest throughput.

    Example: docmine bench --sizes 10000,100000,1000000 --pdf-corpus ../shared/corpus-pdf
    """
    from docmine.language.embed import BACKENDS
    from docmine.measure import bench_search as bs

    settings = _settings(None)
    texts = bs.corpus_clauses(corpus)
    timed = bs.benchmark_queries(queries)
    numbers = [int(n) for n in sizes.split(",") if n.strip()]
    indexes = [bs.bench_index(n, texts, timed, settings, repeats) for n in numbers]
    console.print(bs.format_report(indexes, [], []), markup=False, soft_wrap=True)  # as it comes
    compared = bs.bench_backends(corpus, queries, settings, BACKENDS) if backends else []
    console.print(bs.format_report([], compared, []), markup=False, soft_wrap=True)
    ingests = [bs.bench_ingest(corpus, settings)]
    if pdf_corpus is not None:  # its PDFs only, not the .expected.txt sidecars
        ingests.append(bs.bench_ingest(pdf_corpus, settings, "*.pdf"))
    console.print(bs.format_report([], [], ingests), markup=False, soft_wrap=True)


@app.command()
@reports_errors
def docs(
    db: DbOption = None,
    all_versions: Annotated[bool, typer.Option(help="List every version.")] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List ingested documents with versions, authority and counts.

    Example: docmine docs --json
    """
    with _open_store(_settings(db)) as store:
        rows = [d.listing() for d in store.documents(all_versions)]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    table = Table("id", "v", "authority", "clauses", "obligations", "title")
    for row in rows:
        table.add_row(
            row["id"],
            str(row["version"]),
            row["authority"],
            str(row["clauses"]),
            str(row["obligations"]),
            escape(row["title"][:70]),
        )
    console.print(table)


@app.command()
@reports_errors
def show(
    obligation_id: Annotated[str, typer.Argument(help="Obligation id (or a unique prefix).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One obligation with its provenance and the clauses around it in the source.

    Example: docmine show 3f9a2c
    """
    from docmine.errors import NotFound
    from docmine.store import shown_fields

    with _open_store(_settings(db)) as store:
        stored = store.obligation(obligation_id)
        if stored is None:
            raise NotFound(f"no obligation with id {obligation_id}")
        context = store.neighbours(stored.document.id, stored.clause.ordinal)
    data = shown_fields(stored)
    if as_json:
        data["context"] = [
            {
                "id": c.id,
                "ordinal": c.clause.ordinal,
                "text": c.clause.text,
                "force": c.decision.force.value,
            }
            for c in context
        ]
        console.print_json(json.dumps(data))
        return
    for key in (
        "id",
        "force",
        "polarity",
        "confidence",
        "cue",
        "holder",
        "holder_text",
        "holder_confidence",
        "bodies",
        "duty",
        "duty_law",
        "deadline",
        "deadline_relation",
        "deadline_start",
        "deadline_end",
        "deadline_period",
        "deadline_anchor",
        "condition",
        "title",
        "version",
        "source",
        "page",
        "section",
        "clause_ref",
        "span_start",
        "span_end",
        "ocr_confidence",
    ):
        if key == "ocr_confidence" and data[key] is None:
            continue  # read from a text layer
        if key.startswith("deadline_") and not data[key]:
            continue  # no date, or no period or anchor the text gives
        console.print(f"[bold]{key:>17}[/bold] {escape(str(data[key]))}")
    console.print()
    for clause in context:
        marker = ">>" if clause.id == stored.id else "  "
        force = clause.decision.force.value
        console.print(
            f"{marker} [{_force_style(force)}]{force:<11}[/] {escape(clause.clause.text)}"
        )


_CORPUS_HELP = (
    "Folder holding the gold documents (`<doc>`, `<doc>.md` or `<doc>.txt`): their title, "
    "authority and section paths are the model's context. Repeat for several folders."
)


@app.command()
@reports_errors
def classify(
    input_file: Annotated[
        Path, typer.Argument(help="JSONL with a `text` per line (optional `doc`, `lead_in`).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL to write.")],
    method: Annotated[str, typer.Option(help="model or rules.")] = "model",
    corpus: Annotated[list[Path] | None, typer.Option(help=_CORPUS_HELP)] = None,
) -> None:
    """Predict force, polarity, holder, bodies, duty, deadline, condition, confidence and cue.

    Example: docmine classify clauses.jsonl -o predicted.jsonl
    """
    from docmine.measure.evaluate import classify_file

    count = classify_file(input_file, output, load_settings(), method, corpus or [])
    console.print(f"classified {count} clauses into {escape(str(output))}")


@app.command(name="eval")
@reports_errors
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files labelled by ANNOTATION.md.")],
    method: Annotated[str, typer.Option(help="model or rules.")] = "model",
    corpus: Annotated[list[Path] | None, typer.Option(help=_CORPUS_HELP)] = None,
    cv_by_doc: Annotated[
        bool,
        typer.Option(
            "--cv-by-doc",
            help="Cross-validate the model: 5 folds grouped by document (`doc`).",
        ),
    ] = False,
    cv_by_group: Annotated[
        bool,
        typer.Option(
            "--cv-by-group",
            help="Cross-validate the model holding out one publisher group (`group`; a row "
            "without one takes its file's name) at a time.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Per-label precision/recall/F1, macro-F1, confusion, instruction recall/precision, ECE,
    the keyword baseline and the rules in the same run, links and segmentation.

    Example: docmine eval ../shared/gold/train.jsonl ../shared/gold/dev.jsonl
    --corpus ../shared/gold/train-docs --corpus corpus/ --cv-by-doc
    """
    from docmine.measure import evaluate as ev
    from docmine.measure.train_force import load_gold

    if cv_by_doc and cv_by_group:
        raise BadInput("choose one of --cv-by-doc and --cv-by-group")
    settings = load_settings()
    rows = load_gold(gold)
    cv = "doc" if cv_by_doc else "group" if cv_by_group else None
    corpora = corpus or []
    report, predicted = ev.evaluate_force(rows, settings, method, corpora, cv)
    links = ev.linking_report(rows, predicted, settings)
    segmentation = ev.corpus_segmentation_recall(rows, corpora) if corpora else None
    if as_json:
        console.print_json(
            json.dumps(
                {"force": report.__dict__, "links": links, "segmentation_recall": segmentation}
            )
        )
        return
    _print_force_report(report)
    _print_links(links)
    if segmentation is not None:
        console.print(f"segmentation recall (token overlap >= 0.8): {segmentation:.3f}")


def _print_links(links: dict[str, Any]) -> None:
    table = Table("links", "end to end", "given gold force", title="links")
    names = (
        "holder_accuracy",
        "bodies_micro_f1",
        "duty_f1",
        "condition_token_f1",
        "deadline_exact_match",
    )
    for name in names:
        given = links.get(f"{name}_given_gold_force")
        table.add_row(name, f"{links[name]:.3f}", "" if given is None else f"{given:.3f}")
    console.print(table)
    if "condition_token_f1_baseline" in links:
        console.print(
            "baselines on the same rows: holder = nearest body before the first force cue "
            f"{links['holder_accuracy_baseline']:.3f}; condition = the subject-to/if/unless/"
            f"where-appropriate patterns alone {links['condition_token_f1_baseline']:.3f}"
        )
    console.print(
        f"holder accuracy and deadline match on the {int(links['instructed_clauses'])} clauses "
        "whose gold force is not none; 'given gold force' re-links them with the gold force"
    )
    if "holder_ece_given_gold_force" in links:
        console.print(
            "holder confidence, expected calibration error given gold force (10 bins): "
            f"{links['holder_ece_given_gold_force']:.3f}"
        )
    if links.get("worst_holder_errors"):
        console.print(
            escape("most confident holder errors, given gold force (gold -> predicted [words]):")
        )
    for error in links.get("worst_holder_errors", []):
        console.print(
            escape(
                f"  {error['id']}: {error['gold'] or '(none)'} -> {error['predicted'] or '(none)'}"
                f" {error['confidence']:.2f} [{error['matched']}] {error['text'][:90]}"
            )
        )


def _print_force_report(report: Any) -> None:
    from docmine.measure.evaluate import LABELS

    table = Table("label", "precision", "recall", "f1", "support", title="force")
    for label, scores in report.per_label.items():
        table.add_row(
            label,
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            f"{scores['f1']:.3f}",
            str(int(scores["support"])),
        )
    console.print(table)
    rules = "" if report.rules_macro_f1 is None else f", rules {report.rules_macro_f1:.3f}"
    console.print(
        f"macro-F1 {report.macro_f1:.3f}  (keyword baseline {report.baseline_macro_f1:.3f}"
        f"{rules}, same run)  n={report.support}"
    )
    console.print(
        f"instruction (any force vs none): recall {report.instruction_recall:.3f} "
        f"precision {report.instruction_precision:.3f}  ECE {report.ece:.3f}  "
        f"polarity accuracy {report.polarity_accuracy:.3f}"
    )
    if report.per_split:
        splits = Table(
            "held out", "clauses", "macro-F1", "keyword", *LABELS, title="per fold / group"
        )
        for name, scores in report.per_split.items():
            splits.add_row(
                name,
                str(int(scores["clauses"])),
                f"{scores['macro_f1']:.3f}",
                f"{scores['keyword_macro_f1']:.3f}",
                *(f"{scores[f'{label}_f1']:.3f}" for label in LABELS),
            )
        console.print(splits)
    confusion = Table("gold \\ predicted", *LABELS, title="confusion")
    for label, counts in zip(LABELS, report.confusion, strict=True):
        confusion.add_row(label, *map(str, counts))
    console.print(confusion)
    console.print("most confident errors (gold -> predicted, confidence, cue):")
    for error in report.worst:
        console.print(
            escape(
                f"  {error['id']}: {error['gold']} -> {error['predicted']} "
                f"{error['confidence']:.2f} [{error['cue']}] {error['text'][:100]}"
            )
        )


@app.command()
@reports_errors
def train(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files labelled by ANNOTATION.md.")],
    corpus: Annotated[list[Path] | None, typer.Option(help=_CORPUS_HELP)] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Artefact to write.")
    ] = None,
) -> None:
    """Train the force model and the holder choice (fixed seed: same gold, same
    artefacts) and write them to models/ (the link models beside the force model).

    Example: docmine train ../shared/gold/train.jsonl ../shared/gold/dev.jsonl
    --corpus ../shared/gold/train-docs --corpus corpus/
    """
    from docmine.measure.train_force import train_from_files

    settings = load_settings()
    result = train_from_files(gold, settings, corpus or [], output or settings.force_model)
    labels = " ".join(f"{k}={v}" for k, v in result.labels.items())
    penalty = result.holder_penalty
    chosen = "" if penalty is None else f" (holder L2 penalty {penalty:g}, held-out documents)"
    console.print(
        f"trained on {result.clauses} clauses from {result.documents} documents ({labels}); "
        f"temperature {result.temperature:.3f}; wrote {escape(str(result.path))} "
        f"sha256 {result.sha256[:16]} and {escape(str(result.links_path))} "
        f"sha256 {result.links_sha256[:16]}{chosen}"
    )


@app.command()
@reports_errors
def extract(
    file: Annotated[Path, typer.Argument(help="A guidance file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Blocks with kind, page, section, span.")
    ] = False,
    ocr: OcrOption = None,
) -> None:
    """Show what extraction produced: the body text, or the blocks as JSON.

    Example: docmine extract guidance.pdf --json
    """
    from docmine.extract import extract as run_extract

    document = run_extract(file, ocr=_settings(None, ocr=ocr).ocr)
    if as_json:
        blocks = [
            {
                "kind": b.kind.value,
                "text": b.text,
                "page": b.provenance.page,
                "section": list(b.provenance.section),
                "span": [b.provenance.start, b.provenance.end],
                "marker": b.marker,
                "level": b.level,
                **(
                    {"ocr_confidence": b.provenance.ocr_confidence}
                    if b.provenance.ocr_confidence is not None
                    else {}
                ),
            }
            for b in document.blocks
        ]
        console.print_json(
            json.dumps(
                {
                    "title": document.title,
                    "format": document.format,
                    "content_hash": document.content_hash,
                    "blocks": blocks,
                }
            )
        )
        return
    sys.stdout.write(document.text + "\n")


@app.command(name="bench-extract")
@reports_errors
def bench_extract(
    folders: Annotated[
        list[Path], typer.Argument(help="Folders of PDFs with .expected.txt sidecars.")
    ],
    repeats: Annotated[int, typer.Option(min=1, help="Timed runs per file (median).")] = 3,
    scanned: Annotated[
        str | None,
        typer.Option(
            help="Also rasterise the PDFs matching this pattern at 300 dpi and read them back "
            "by OCR (one timed run each), e.g. '*.base.pdf'."
        ),
    ] = None,
) -> None:
    """Character accuracy and pages/s per PDF, beside plain pdfplumber in the same run; one
    table per folder, and one per folder for its scanned renderings.

    Example: docmine bench-extract ../shared/corpus-pdf ../shared/corpus-pdf-short --scanned '*.pdf'
    """
    from docmine.extract.ocr import ocr_unavailable
    from docmine.measure.bench import bench_pdf, bench_scanned, format_table

    if scanned and (reason := ocr_unavailable()):
        raise BadInput(f"--scanned: {reason}")
    for folder in folders:
        if len(folders) > 1 or scanned:
            console.print(f"{folder}", markup=False)
        console.print(format_table(bench_pdf(folder, repeats=repeats)), markup=False)
    for folder in folders if scanned else []:
        console.print(f"{folder}: {scanned} scanned at 300 dpi, read by OCR", markup=False)
        console.print(format_table(bench_scanned(folder, scanned or "")), markup=False)


@app.command()
@reports_errors
def setup() -> None:
    """Prepare every model offline, once: spaCy, the force and holder models, the sentence
    encoder and (backend onnx-int8) its int8 export, so that neither the first ingest nor the
    first search pays for them. `make venv` runs it.

    Example: docmine setup
    """
    import time

    from docmine.language.embed import export_onnx
    from docmine.pipeline import Pipeline

    settings = load_settings()
    started = time.perf_counter()
    Pipeline(settings).warm_up(encoder=True)
    encoder = f"{settings.embedding_model} ({settings.embedding_backend})"
    if settings.embedding_backend == "onnx-int8":
        encoder += f": {export_onnx(settings.embedding_model)}"
    console.print(f"spaCy: {settings.spacy_model}", markup=False)
    console.print(f"force model: {settings.force_model}", markup=False)
    console.print(f"link models: {settings.link_models}", markup=False)
    console.print(f"encoder: {encoder}", markup=False)
    console.print(f"ready in {time.perf_counter() - started:.1f} s", markup=False)


@app.command()
@reports_errors
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; 0.0.0.0 exposes the register to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """A read-only web page and JSON API (/api/) for searching and browsing the register.

    Example: docmine serve --db register.db --port 8000, then open http://127.0.0.1:8000/
    """
    from docmine.web.app import serve as run_server

    settings = _settings(db)
    run_server(
        settings.db,
        host,
        port,
        lambda: console.print(
            f"serving {escape(str(settings.db))} read-only on http://{host}:{port}/"
        ),
    )


if __name__ == "__main__":
    app()
