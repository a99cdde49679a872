"""ingest(paths) = extract -> Pipeline(normalise -> authority -> segment -> classify -> link ->
embed) -> store.

Each file is its own unit of work: a failure is recorded on that file with a status and a
one-line reason, and the batch goes on; each stored document is one transaction."""

from __future__ import annotations

import dataclasses
import hashlib
import signal
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from docmine.classify import classify_texts, follows_a_speaker
from docmine.classify.authority import detect_authority
from docmine.classify.model import load_artefact
from docmine.config import Settings
from docmine.errors import DocmineError, TimedOut
from docmine.extract import SUFFIXES, read_document
from docmine.extract.pdf import PAGES_PER_LIMIT, page_count, seconds_for
from docmine.language import Language
from docmine.language.embed import PASSAGE_FORMAT, Encoder, model_key, passage
from docmine.link import link_clause, make_context, owned_rows, share_row_deadlines
from docmine.link.choice import LinkModels, load_link_models
from docmine.link.parse import ParseCache
from docmine.link.timeline import timeline_rows
from docmine.model import Authority, Document, Obligation, Passage
from docmine.normalise import normalise
from docmine.search.dense import to_blobs
from docmine.segment import segment
from docmine.store import Store


class Status(StrEnum):
    INGESTED = "ingested"
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # the same text is stored from another file
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """What happened to one file of a batch."""

    path: str
    status: Status
    message: str = ""
    doc_id: str = ""
    version: int = 0
    clauses: int = 0
    obligations: int = 0
    pages: int = 0
    embedded: int = 0  # clause vectors computed (texts already embedded are reused)
    stage_seconds: tuple[tuple[str, float], ...] = ()  # extract, analyse, embed, store


def why_no_clauses(text: str) -> str:
    """Why a stored document gave no clause, as far as its text tells: most of its letters
    outside the Latin alphabet (docmine's language models read English), else no running text."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(c <= "\u024f" for c in letters)
    if letters and latin < len(letters) / 2:
        return "its text is mostly not in the Latin alphabet: docmine reads English guidance"
    return "no running text found: a scan, a form or a table of contents?"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def collect_files(paths: Iterable[Path], unsupported: list[Path] | None = None) -> list[Path]:
    """Files given directly, plus supported files found under given folders (sorted), leaving
    out hidden ones (".git/", macOS "._" resource forks). Files under the folders that docmine
    does not read are added to `unsupported`, if given, so a caller can say they were passed."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for p in sorted(path.rglob("*")):
            if (
                not p.is_file()
                or p.name.lower() == "readme.md"
                or any(part.startswith(".") for part in p.relative_to(path).parts)
            ):
                continue
            if p.suffix.lower() in SUFFIXES:
                found.append(p)
            elif unsupported is not None:
                unsupported.append(p)
    return found


# Analysis streams through a long document this many clauses at a time, so memory holds one
# batch's parses and vectors, not the whole document's (a 5 MB text held 2.7 GB at once)
CLAUSE_BATCH = 2000
# the per-file time limit buys this many characters of analysis; a longer text gets more time
CHARS_PER_LIMIT = 1_000_000


def analysis_seconds(document: Document, settings: Settings) -> float:
    """The time analysis of `document` may take: the per-file limit for each started million
    characters (a long consolidated text is not cut off for being long; it still has a bound)."""
    return settings.max_seconds_per_file * max(1, -(-len(document.text) // CHARS_PER_LIMIT))


def extraction_seconds(path: Path, settings: Settings) -> tuple[float, str]:
    """The time extracting `path` may take, and how to name that limit: the per-file limit, once
    per started PAGES_PER_LIMIT pages of a PDF (scanned pages are read by OCR, seconds each)."""
    limit = settings.max_seconds_per_file
    pages = page_count(path) if path.suffix.lower() == ".pdf" else 0
    seconds = seconds_for(pages, limit)
    if seconds == limit:
        return seconds, "per-file limit"
    return seconds, f"limit for its {pages} pages ({limit:.0f} s per {PAGES_PER_LIMIT} pages)"


@contextmanager
def time_limit(seconds: float, path: Path, what: str = "per-file limit") -> Iterator[None]:
    """Abort work on one file after `seconds` (SIGALRM; main thread only, else no limit)."""

    def on_alarm(signum: int, frame: object) -> None:
        raise TimedOut(
            f"timed out: over the {seconds:.0f} s {what} "
            "(raise DOCMINE_MAX_SECONDS_PER_FILE to allow it)",
            str(path),
        )

    try:
        previous = signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def normalise_stage(document: Document, pipeline: Pipeline) -> Document:
    return normalise(document)


def authority_stage(document: Document, pipeline: Pipeline) -> Document:
    """Who wrote the document: the Pipeline's given authority, else detected from its text."""
    chosen = pipeline.authority or detect_authority(document.text)[0]
    return dataclasses.replace(document, authority=chosen)


def segment_stage(document: Document, pipeline: Pipeline) -> Document:
    return dataclasses.replace(document, clauses=tuple(segment(document)))


T = TypeVar("T")


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CLAUSE_BATCH):
        yield items[start : start + CLAUSE_BATCH]


def classify_stage(document: Document, pipeline: Pipeline) -> Document:
    """Force for every clause, a batch at a time; the obligations' links stay empty until
    `link`."""
    obligations: list[Obligation] = []
    for clauses in _batches(document.clauses):
        decisions = classify_texts(
            [c.text for c in clauses],
            document.authority,
            [c.lead_in for c in clauses],
            pipeline.method,
            sections=[c.provenance.section for c in clauses],
            settings=pipeline.settings,
            title=document.title,
            language=pipeline.language,
            owned=owned_rows([c.text for c in clauses], pipeline.settings),
            spoken=[follows_a_speaker(document.text, c.provenance.start) for c in clauses],
        )
        obligations.extend(Obligation(c, d) for c, d in zip(clauses, decisions, strict=True))
    return dataclasses.replace(document, obligations=tuple(obligations))


def link_stage(document: Document, pipeline: Pipeline) -> Document:
    """Holder, bodies, duty and deadline of every obligation, in reading order (a clause's
    holder can be the one before it, across batches too)."""
    context = make_context(
        document.text,
        pipeline.settings,
        document.published,
        title=document.title,
        models=pipeline.link_models,
        parser=pipeline.language.parser,
    )
    # a timeline row takes the force the body text gives its activity, before it is linked
    decisions = timeline_rows(
        [o.clause.text for o in document.obligations],
        [o.decision for o in document.obligations],
        pipeline.language.parser,
        context.default_year,
    )
    revised = [
        dataclasses.replace(o, decision=d)
        for o, d in zip(document.obligations, decisions, strict=True)
    ]
    linked: list[Obligation] = []
    for obligations in _batches(revised):
        context.parses = ParseCache(pipeline.language.parser)  # one batch's parses held
        context.parses.prefetch(o.clause.text for o in obligations)  # parsed in one batch
        linked.extend(
            dataclasses.replace(o, links=link_clause(o.clause.text, o.decision, context))
            for o in obligations
        )
    linked = share_row_deadlines(linked, document.blocks, context.default_year)
    return dataclasses.replace(document, obligations=tuple(linked))


def embed_stage(document: Document, pipeline: Pipeline) -> Document:
    """The passage search embeds for each obligation (heading path, origin, clause) with its key,
    and, when the Pipeline embeds into a store, the vectors of passages that store lacks."""
    texts = [
        passage(o.clause.provenance.section, o.clause.text, document.origin)
        for o in document.obligations
    ]
    # vectors are reused by passage; the format prefix keeps these keys apart from the
    # clause-text hashes of rows stored before passages
    keys = [text_hash(f"{PASSAGE_FORMAT}\x1f{t}") for t in texts]
    vectors = (
        new_vectors(
            pipeline.store,
            dict(zip(keys, texts, strict=True)),
            pipeline.settings,
            pipeline.language.encoder,
        )
        if pipeline.store is not None and pipeline.embed_vectors
        else {}
    )
    passages = tuple(Passage(k, t, vectors.get(k, b"")) for k, t in zip(keys, texts, strict=True))
    return dataclasses.replace(document, passages=passages)


@dataclass(frozen=True)
class Stage:
    """One step of analysis: what it reads from the Document and what it writes (spaCy's
    `requires` / `assigns`)."""

    name: str
    run: Callable[[Document, Pipeline], Document]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage("normalise", normalise_stage, ("blocks",), ("blocks", "text", "title")),
    Stage("authority", authority_stage, ("text",), ("authority",)),
    Stage("segment", segment_stage, ("blocks", "text"), ("clauses",)),
    Stage(
        "classify",
        classify_stage,
        ("clauses", "authority", "title", "published", "text"),
        ("obligations",),
    ),
    Stage("link", link_stage, ("obligations", "text", "title", "published"), ("obligations",)),
    Stage("embed", embed_stage, ("obligations", "origin"), ("passages",)),
)


# Document fields extraction writes (every stage may read them)
EXTRACTED = ("blocks", "text", "published", "source", "origin")


class Pipeline:
    """Analysis of extracted documents: the declared stages, the settings they read and the
    models they load. `warm_up` loads spaCy, the force and holder models and the sentence
    encoder before the first document (else the first document pays for them)."""

    def __init__(
        self,
        settings: Settings,
        method: str = "model",
        stages: tuple[Stage, ...] = STAGES,
        authority: Authority | None = None,
        store: Store | None = None,
        embed_vectors: bool = True,
    ) -> None:
        written = set(EXTRACTED)
        for stage in stages:  # spaCy's analyze_pipes: every field a stage reads is written first
            missing = [name for name in stage.requires if name not in written]
            if missing:
                raise ValueError(f"stage {stage.name} reads {missing}, which nothing before writes")
            written.update(stage.assigns)
        self.settings = settings
        self.method = method
        self.stages = stages
        self.authority = authority  # None: detected from each document's text
        self.store = store  # the store the embed stage makes vectors for (None: no vectors)
        self.embed_vectors = embed_vectors
        self.language = Language.for_settings(settings)  # its own parser and encoder
        self._link_models: tuple[LinkModels | None] | None = None
        self._warm = 0  # 1: the stages' models loaded, 2: the encoder too

    @property
    def link_models(self) -> LinkModels | None:
        """The learned linking models (None: no artefact, the parse rules link)."""
        if self._link_models is None:
            self._link_models = (load_link_models(self.settings.link_models),)
        return self._link_models[0]

    def warm_up(self, encoder: bool = True) -> bool:
        """Load every model the stages use now (spaCy, force, holder; the encoder too); False
        when they were loaded already."""
        if self._warm >= (2 if encoder else 1):
            return False
        self.language.parser.load()
        if self.method == "model":
            load_artefact(self.settings.force_model)
        _ = self.link_models
        if encoder:
            self.language.encoder.embed(["warm up"])
        self._warm = 2 if encoder else 1
        return True

    def run(self, document: Document, seconds: dict[str, float] | None = None) -> Document:
        """The document with every stage's fields written, in order; `seconds` gets the time
        each stage took."""
        for stage in self.stages:
            started = time.perf_counter()
            document = stage.run(document, self)
            if seconds is not None:
                seconds[stage.name] = seconds.get(stage.name, 0.0) + time.perf_counter() - started
        return document


def read(path: Path, settings: Settings) -> Document:
    """The extract stage under the settings' limits: the file as its reader saw it."""
    return read_document(
        path,
        max_bytes=int(settings.max_file_mb * 1e6),
        max_pages=settings.max_pages,
        max_seconds=settings.max_seconds_per_file,
        ocr=settings.ocr,
    )


def new_vectors(
    store: Store, texts_by_hash: dict[str, str], settings: Settings, encoder: Encoder | None = None
) -> dict[str, bytes]:
    """Vectors for the clause passages the store has not embedded yet (by text hash)."""
    key = model_key(settings.embedding_model, settings.embedding_backend)
    known = store.embeddings(list(texts_by_hash), key)
    missing = [h for h in texts_by_hash if h not in known]
    found: dict[str, bytes] = {}
    encoder = encoder or Language.shared(settings).encoder
    for batch in _batches(missing):  # a batch of float vectors at a time, kept as blobs
        vectors = encoder.embed([texts_by_hash[h] for h in batch])
        found.update(zip(batch, to_blobs(vectors), strict=True))
    return found


def ingest_file(
    path: Path,
    store: Store,
    settings: Settings,
    authority: Authority | None = None,
    embed_vectors: bool = True,
    pipeline: Pipeline | None = None,
) -> FileResult:
    """Ingest one file; bad input becomes a FAILED result, bugs still raise. With
    `embed_vectors`, clause vectors are stored in the same transaction (else made on demand).
    A batch passes its `pipeline` (made for this store, with the same authority and
    `embed_vectors`), so models load once."""
    if pipeline is None:
        pipeline = Pipeline(settings, authority=authority, store=store, embed_vectors=embed_vectors)
    elif (pipeline.store, pipeline.authority, pipeline.embed_vectors) != (
        store,
        authority,
        embed_vectors,
    ):
        raise ValueError("the pipeline was made for another store, authority or embed_vectors")
    source = str(path.resolve())
    clock = _Stages()
    try:
        with time_limit(settings.max_seconds_per_file, path):
            seconds, what = extraction_seconds(path, settings)
        with time_limit(seconds, path, what):
            document = dataclasses.replace(read(path, settings), source=source)
            clock.lap("extract")
        if store.has_content(source, document.content_hash):
            return FileResult(str(path), Status.UNCHANGED, doc_id=document.id)
        # a new path whose text another file already gave (an edited file is a new version)
        first_seen = store.next_version(source) == 1
        if first_seen and (copy := store.copy_of(source, document.content_hash)) is not None:
            # one register line per obligation: a second copy would count each one twice
            return FileResult(
                str(path), Status.DUPLICATE, f"same text as {copy}", doc_id=document.id
            )
        seconds = analysis_seconds(document, settings)
        what = (
            "per-file limit"
            if seconds == settings.max_seconds_per_file
            else f"limit for its {len(document.text) / 1e6:.1f} million characters "
            f"({settings.max_seconds_per_file:.0f} s per million)"
        )
        with time_limit(seconds, path, what):
            if pipeline.warm_up(encoder=pipeline.embed_vectors):
                clock.lap("load")  # models load once per batch, before the first new file
            took: dict[str, float] = {}
            document = pipeline.run(document, took)
            clock.record("analyse", sum(t for name, t in took.items() if name != "embed"))
            clock.record("embed", took.get("embed", 0.0))
    except DocmineError as error:
        return FileResult(str(path), Status.FAILED, error.message)
    obligations = document.obligations
    hashes = [p.key for p in document.passages]
    vectors = {p.key: p.vector for p in document.passages if p.vector}
    key = model_key(settings.embedding_model, settings.embedding_backend)
    try:
        doc_id, version = store.add_document(document, obligations, hashes, vectors, key)
    except sqlite3.IntegrityError:  # another process stored this version first
        return FileResult(
            str(path),
            Status.FAILED,
            "not stored: another ingest of the same file finished first; run ingest again",
            doc_id=document.id,
        )
    clock.lap("store")
    return FileResult(
        str(path),
        Status.INGESTED if version == 1 else Status.NEW_VERSION,
        "" if obligations else why_no_clauses(document.text),
        doc_id=doc_id,
        version=version,
        clauses=len(obligations),
        obligations=sum(o.decision.force != "none" for o in obligations),
        pages=max((b.provenance.page or 0 for b in document.blocks), default=0),
        embedded=len(vectors),
        stage_seconds=tuple(clock.laps.items()),
    )


class _Stages:
    """Seconds spent per stage of one file."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def record(self, stage: str, seconds: float) -> None:
        """A stage timed elsewhere: counted, and the next lap starts now."""
        self.laps[stage] = self.laps.get(stage, 0.0) + seconds
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now


def ingest(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    authority: Authority | None = None,
    on_file: Callable[[FileResult, float], None] | None = None,
    embed_vectors: bool = True,
    on_start: Callable[[list[Path]], None] | None = None,
) -> list[FileResult]:
    """Ingest every file under `paths`; `on_start` hears the file list, `on_file` each result
    and its seconds (the CLI draws progress from these; the library never prints)."""
    results = []
    files = collect_files(paths)
    if on_start is not None:
        on_start(files)
    pipeline = Pipeline(settings, authority=authority, store=store, embed_vectors=embed_vectors)
    for path in files:
        started = time.perf_counter()
        result = ingest_file(path, store, settings, authority, embed_vectors, pipeline)
        results.append(result)
        if on_file is not None:
            on_file(result, time.perf_counter() - started)
    return results
