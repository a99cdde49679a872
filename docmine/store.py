"""The SQLite store: schema, migrations, transactions. The only module that writes SQL.

One file holds documents (every version), their obligations, an FTS5 index over clause text and
section headings, and clause embeddings keyed by text hash (computed once, reused)."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docmine.errors import BadInput
from docmine.language.overlap import content_terms
from docmine.link.dates import relative_parts
from docmine.model import (
    Clause,
    Deadline,
    Document,
    DocumentRef,
    DutyLink,
    FacetValue,
    Force,
    ForceDecision,
    Links,
    Mention,
    Obligation,
    Polarity,
    Provenance,
    Span,
    StoredDocument,
    StoredObligation,
    content_id,
)

SCHEMA_VERSION = 10

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        format TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        authority TEXT NOT NULL,
        published TEXT NOT NULL DEFAULT '',
        ingested_at TEXT NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (source, version)
    );
    CREATE TABLE obligations (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        lead_in TEXT NOT NULL,
        page INTEGER,
        section TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        force TEXT NOT NULL,
        polarity TEXT NOT NULL,
        confidence REAL NOT NULL,
        cue TEXT NOT NULL,
        condition TEXT NOT NULL,
        holder TEXT NOT NULL,
        holder_text TEXT NOT NULL,
        bodies TEXT NOT NULL,
        mentions TEXT NOT NULL,
        duty TEXT NOT NULL,
        duty_law TEXT NOT NULL,
        duty_matched TEXT NOT NULL,
        deadline TEXT NOT NULL,
        deadline_relation TEXT NOT NULL,
        deadline_start TEXT NOT NULL,
        deadline_end TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        UNIQUE (doc_id, id)
    );
    CREATE INDEX obligations_doc ON obligations(doc_id, ordinal);
    CREATE INDEX obligations_id ON obligations(id);
    CREATE VIRTUAL TABLE obligations_fts USING fts5(
        text, section, content='obligations', content_rowid='rowid',
        tokenize='porter unicode61'
    );
    CREATE TABLE embeddings (
        text_hash TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    """,
    # 2: embeddings keyed by (model, text hash), so two models never overwrite each other;
    # indexes for reusing vectors by text hash and for the latest-version filter.
    2: """
    CREATE TABLE embeddings_v2 (
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO embeddings_v2 SELECT model, text_hash, vector FROM embeddings;
    DROP TABLE embeddings;
    ALTER TABLE embeddings_v2 RENAME TO embeddings;
    CREATE INDEX obligations_text_hash ON obligations(text_hash);
    CREATE INDEX documents_source_version ON documents(source, version);
    """,
    # 3: the force cue as a span of the clause text (-1: no cue), beside its text.
    3: """
    ALTER TABLE obligations ADD COLUMN cue_start INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE obligations ADD COLUMN cue_end INTEGER NOT NULL DEFAULT -1;
    """,
    # 4: the condition as a span of the clause text (-1: none, or stored before spans).
    4: """
    ALTER TABLE obligations ADD COLUMN condition_start INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE obligations ADD COLUMN condition_end INTEGER NOT NULL DEFAULT -1;
    """,
    # 5: the learned holder's probability (-1: chosen by the parse rules, or stored before).
    5: """
    ALTER TABLE obligations ADD COLUMN holder_confidence REAL NOT NULL DEFAULT -1;
    """,
    # 6: the clause's citation from its enumerators ("5(3)(a)"; empty: none, or stored before).
    6: """
    ALTER TABLE obligations ADD COLUMN clause_ref TEXT NOT NULL DEFAULT '';
    """,
    # 7: the OCR confidence (0-1) of a clause read from a scanned page (NULL: a text layer).
    7: """
    ALTER TABLE obligations ADD COLUMN ocr_confidence REAL;
    """,
    # 8: the web address a document says it was saved from (empty: none, or stored before).
    8: """
    ALTER TABLE documents ADD COLUMN origin TEXT NOT NULL DEFAULT '';
    """,
    # 9: the content words of each document (title and text; search's reranker counts a
    # query's words in a candidate's whole document), filled in for those stored before.
    9: """
    ALTER TABLE documents ADD COLUMN terms TEXT NOT NULL DEFAULT '';
    UPDATE documents SET terms = docmine_terms(title || char(10) || text);
    """,
    # 10: a deadline the text anchors, its period (ISO 8601 duration) and anchor as written,
    # read again from the deadline's text for the rows stored before.
    10: """
    ALTER TABLE obligations ADD COLUMN deadline_period TEXT NOT NULL DEFAULT '';
    ALTER TABLE obligations ADD COLUMN deadline_anchor TEXT NOT NULL DEFAULT '';
    UPDATE obligations SET deadline_period = docmine_deadline_part(deadline, 0),
        deadline_anchor = docmine_deadline_part(deadline, 1)
        WHERE deadline != '' AND deadline_start = '';
    """,
}


def _deadline_part(written: str, index: int) -> str:
    """Migration 10's reading of a stored deadline: its period (0) or anchor (1)."""
    return relative_parts(written)[index]


def document_terms(text: str) -> str:
    """A document's content words as stored: sorted, one space apart."""
    return " ".join(sorted(content_terms(text)))


def _statements(script: str) -> list[str]:
    """A migration script's statements, one by one (executescript would commit first and
    release the write lock the migration holds)."""
    return [s.strip() for s in sqlite3_split(script) if s.strip(" \n;")]


def sqlite3_split(script: str) -> list[str]:
    """Split SQL on the semicolons that end statements (sqlite3.complete_statement decides)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            statements.append(current)
            current = ""
    if current.strip(" \n;"):
        statements.append(current)
    return statements


# Stored vectors are float16 (half the size; cosine changes by under 1e-3); search uses float32.
VECTOR_DTYPE = "<f2"


# facet name -> (value expression, label expression, extra FROM) for Store.facet_counts
_FACETS: dict[str, tuple[str, str, str]] = {
    "force": ("o.force", "o.force", ""),
    "holder": ("o.holder", "o.holder", ""),
    "body": ("b.value", "b.value", ", json_each(json_insert(o.bodies, '$[#]', o.holder)) b"),
    "duty": ("o.duty", "o.duty || ' (' || o.duty_law || ')'", ""),
    "document": ("d.id", "d.title || ' v' || d.version", ""),
    "deadline": ("substr(o.deadline_start, 1, 4)", "substr(o.deadline_start, 1, 4)", ""),
}


def _section_text(section: tuple[str, ...]) -> str:
    return " > ".join(section)


def obligation_row(doc_id: str, obligation: Obligation, text_hash: str) -> dict[str, Any]:
    """The flat row stored for one obligation."""
    clause, decision, links = obligation.clause, obligation.decision, obligation.links
    deadline = links.deadline
    return {
        "id": obligation.id,
        "doc_id": doc_id,
        "ordinal": clause.ordinal,
        "text": clause.text,
        "lead_in": clause.lead_in,
        "clause_ref": clause.ref,
        "page": clause.provenance.page,
        "section": json.dumps(list(clause.provenance.section)),
        "span_start": clause.provenance.start,
        "span_end": clause.provenance.end,
        "ocr_confidence": clause.provenance.ocr_confidence,
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "confidence": round(decision.confidence, 4),
        "cue": decision.cue_text,
        "cue_start": decision.cue.start if decision.cue else -1,
        "cue_end": decision.cue.end if decision.cue else -1,
        "condition_start": decision.condition.start if decision.condition else -1,
        "condition_end": decision.condition.end if decision.condition else -1,
        "condition": decision.condition_text,
        "holder": links.holder,
        "holder_text": links.holder_text,
        "holder_confidence": links.holder_confidence,
        "bodies": json.dumps(list(obligation.other_bodies)),
        "mentions": json.dumps([asdict(m) for m in links.bodies]),
        "duty": links.duty.id if links.duty else "",
        "duty_law": links.duty.law if links.duty else "",
        "duty_matched": links.duty.matched if links.duty else "",
        "deadline": deadline.text if deadline else "",
        "deadline_relation": deadline.relation if deadline else "",
        "deadline_start": deadline.start if deadline else "",
        "deadline_end": deadline.end if deadline else "",
        "deadline_period": deadline.period if deadline else "",
        "deadline_anchor": deadline.anchor if deadline else "",
        "text_hash": text_hash,
    }


# the document columns joined onto every obligation row (as d_<name>)
_DOCUMENT_COLUMNS = (
    "id",
    "source",
    "title",
    "version",
    "content_hash",
    "authority",
    "published",
    "ingested_at",
    "origin",
)
_OBLIGATION_SELECT = (
    "SELECT o.rowid AS rowid_, o.*, "
    + ", ".join(f"d.{c} AS d_{c}" for c in _DOCUMENT_COLUMNS)
    + " FROM obligations o JOIN documents d ON d.id = o.doc_id"
)


def like_escaped(value: str) -> str:
    """`value` inside a LIKE pattern (with ESCAPE '\\'): its "%" and "_" are characters."""
    return re.sub(r"([\\%_])", r"\\\1", value)


def _prefix(value: str) -> str:
    return like_escaped(value) + "%"


def document_ref(row: Any, prefix: str = "") -> DocumentRef:
    """A documents row (its columns named `prefix` + name) as the typed document reference."""
    names = set(row.keys())
    found = {c: row[prefix + c] for c in _DOCUMENT_COLUMNS if prefix + c in names}
    return DocumentRef(**{**found, "version": int(found["version"])})


def _stored_document(row: sqlite3.Row, with_text: bool) -> StoredDocument:
    names = set(row.keys())
    return StoredDocument(
        document=document_ref(row),
        format=row["format"],
        clauses=int(row["clauses_"]) if "clauses_" in names else 0,
        obligations=int(row["obligations_"]) if "obligations_" in names else 0,
        text=row["text"] if with_text else "",
    )


def stored_obligation(row: sqlite3.Row) -> StoredObligation:
    """The inverse of `obligation_row`: a stored row (joined with its document) as the typed
    obligation every reader takes. Columns later migrations add read as their defaults, so a
    read-only store of an older schema (never migrated) still reads."""
    names = set(row.keys())

    def later(column: str, default: Any) -> Any:
        return row[column] if column in names else default

    document = document_ref(row, "d_")
    clause = Clause(
        doc_id=row["doc_id"],
        text=row["text"],
        provenance=Provenance(
            row["page"],
            tuple(json.loads(row["section"])),
            row["span_start"],
            row["span_end"],
            later("ocr_confidence", None),
        ),
        lead_in=row["lead_in"],
        ordinal=row["ordinal"],
        source=document.source,
        ref=later("clause_ref", ""),
    )
    decision = ForceDecision(
        force=Force(row["force"]),
        polarity=Polarity(row["polarity"]),
        confidence=row["confidence"],
        cue=Span(row["cue"], later("cue_start", -1), later("cue_end", -1)) if row["cue"] else None,
        condition=(
            Span(row["condition"], later("condition_start", -1), later("condition_end", -1))
            if row["condition"]
            else None
        ),
    )
    deadline = None
    if row["deadline"] or row["deadline_start"]:
        deadline = Deadline(
            row["deadline"],
            row["deadline_relation"],
            row["deadline_start"],
            row["deadline_end"],
            later("deadline_period", ""),
            later("deadline_anchor", ""),
        )
    links = Links(
        holder=row["holder"],
        holder_text=row["holder_text"],
        holder_confidence=later("holder_confidence", -1.0),
        bodies=tuple(Mention(**m) for m in json.loads(row["mentions"])),
        duty=DutyLink(row["duty"], row["duty_law"], row["duty_matched"]) if row["duty"] else None,
        deadline=deadline,
    )
    return StoredObligation(
        id=row["id"],
        obligation=Obligation(clause, decision, links),
        document=document,
        rowid=int(row["rowid_"]),
    )


def shown_fields(stored: StoredObligation) -> dict[str, Any]:
    """A stored obligation as its flat stored columns plus its document's: what `docmine show`
    prints and returns as JSON."""
    document = stored.document
    row = obligation_row(document.id, stored.obligation, "")
    del row["text_hash"]
    return {
        "rowid": stored.rowid,
        **row,
        "id": stored.id,
        "title": document.title,
        "source": document.source,
        "version": document.version,
        "authority": document.authority,
        "content_hash": document.content_hash,
    }


def _use_wal(connection: sqlite3.Connection, seconds: float) -> None:
    """Switch the file to write-ahead logging (a no-op once it is). While another process holds
    a new file, SQLite answers this pragma 'database is locked' at once, without waiting in its
    busy handler; so wait here, as the handler would, up to the connection's timeout."""
    deadline = time.monotonic() + seconds
    delay = 0.005
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


class Store:
    """A docmine database file. Opening it creates or migrates the schema."""

    def __init__(
        self, path: Path | str, read_only: bool = False, check_schema: bool = True
    ) -> None:
        """`check_schema=False` lets a read-only store at an older schema open (to read its
        version before opening it for writing, which upgrades it)."""
        self.path = Path(path)
        self.read_only = read_only
        if read_only:  # SQLite refuses every write (the web app); no migration either
            target = self.path.resolve().as_uri() + "?mode=ro"
            self.connection = sqlite3.connect(target, timeout=30.0, uri=True)
        else:
            self.connection = sqlite3.connect(str(self.path), timeout=30.0)
        self.connection.row_factory = sqlite3.Row
        # the content words of a document (migration 9, and rows another writer left without)
        self.connection.create_function("docmine_terms", 1, document_terms, deterministic=True)
        self.connection.create_function(
            "docmine_deadline_part", 2, _deadline_part, deterministic=True
        )
        try:  # any read of the header tells a database from another file
            self.connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            self.connection.close()
            if isinstance(exc, sqlite3.OperationalError):  # locked, unreadable: say so as is
                raise
            raise BadInput(
                f"not a docmine database ({exc}): pass --db a file made by `docmine ingest`",
                str(self.path),
            ) from None
        if not read_only:
            self._refuse_foreign()
            _use_wal(self.connection, seconds=30.0)
            self.connection.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            return
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if check_schema and 0 < version < SCHEMA_VERSION:  # the queries name the newest columns
            self.connection.close()
            raise BadInput(
                f"the store is at schema {version}, older than this docmine's {SCHEMA_VERSION}: "
                "open it once for writing (`docmine docs --db FILE`) to upgrade it",
                str(self.path),
            )

    def _refuse_foreign(self) -> None:
        """A database docmine never wrote to (schema 0) that holds tables of its own is another
        program's: writing docmine's tables into it would change a file that is not ours."""
        # one statement, one snapshot: another process creating the store between two reads
        # would show its tables at schema 0
        version, names = self.connection.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT group_concat(name, "
            "'|') FROM (SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY "
            "name))"
        ).fetchone()
        tables = names.split("|") if names else []
        if version == 0 and tables:
            self.connection.close()
            shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
            raise BadInput(
                f"not a docmine database (it holds other tables: {shown}): pass --db a new file "
                "or one made by `docmine ingest`",
                str(self.path),
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring the schema up to SCHEMA_VERSION. The version is read under the write lock, so
        two processes opening a new file at once never both create the tables."""
        found = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if found == SCHEMA_VERSION:
            return
        if found > SCHEMA_VERSION:
            self.connection.close()
            raise BadInput(
                f"the store is at schema {found}, made by a newer docmine than this one (schema "
                f"{SCHEMA_VERSION}): upgrade docmine to write to it",
                str(self.path),
            )
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            current = self.connection.execute("PRAGMA user_version").fetchone()[0]
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _statements(_MIGRATIONS[version]):
                    self.connection.execute(statement)
                self.connection.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            self.connection.rollback()
            raise
        self.connection.commit()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a crash or Ctrl-C inside leaves no half document."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.rollback()
            raise
        else:
            self.connection.commit()

    # documents ---------------------------------------------------------------------------
    def has_content(self, source: str, content_hash: str) -> bool:
        """Whether the latest version of `source` has this content (a file put back to an older
        content is a change, and becomes a new version)."""
        row = self.connection.execute(
            "SELECT 1 FROM documents WHERE source = ? AND content_hash = ? AND version = "
            "(SELECT MAX(version) FROM documents WHERE source = ?)",
            (source, content_hash, source),
        ).fetchone()
        return row is not None

    def copy_of(self, source: str, content_hash: str) -> str | None:
        """The source of another file whose latest version holds this content (the same
        guidance saved under two names), if any."""
        row = self.connection.execute(
            "SELECT d.source FROM documents d WHERE d.content_hash = ? AND d.source != ? AND "
            "d.version = (SELECT MAX(version) FROM documents WHERE source = d.source) "
            "ORDER BY d.source LIMIT 1",
            (content_hash, source),
        ).fetchone()
        return None if row is None else str(row[0])

    def _stored_id(self, document: Document, version: int) -> str:
        """The document's id, or, for content an older version already had, one made unique by
        the version number."""
        taken = self.connection.execute(
            "SELECT 1 FROM documents WHERE id = ?", (document.id,)
        ).fetchone()
        return content_id(document.id, str(version)) if taken else document.id

    def next_version(self, source: str) -> int:
        row = self.connection.execute(
            "SELECT COALESCE(MAX(version), 0) FROM documents WHERE source = ?", (source,)
        ).fetchone()
        return int(row[0]) + 1

    def add_document(
        self,
        document: Document,
        obligations: Sequence[Obligation],
        text_hashes: Sequence[str],
        vectors: dict[str, bytes] | None = None,
        model: str = "",
    ) -> tuple[str, int]:
        """Store one document version, its obligations and their new clause vectors (by text
        hash) in one transaction; returns the stored document id and the version."""
        with self.transaction() as db:
            version = self.next_version(document.source)
            doc_id = self._stored_id(document, version)
            db.execute(
                "INSERT INTO documents (id, source, title, format, content_hash, version, "
                "authority, published, ingested_at, text, origin, terms) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    document.source,
                    document.title,
                    document.format,
                    document.content_hash,
                    version,
                    document.authority.value,
                    document.published,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    document.text,
                    document.origin,
                    document_terms(document.title + "\n" + document.text),
                ),
            )
            rows = [
                obligation_row(doc_id, o, h) for o, h in zip(obligations, text_hashes, strict=True)
            ]
            if rows:
                columns = list(rows[0])
                db.executemany(
                    f"INSERT INTO obligations ({', '.join(columns)}) VALUES "
                    f"({', '.join(':' + c for c in columns)})",
                    rows,
                )
            db.execute(
                "INSERT INTO obligations_fts(rowid, text, section) SELECT rowid, text, section "
                "FROM obligations WHERE doc_id = ?",
                (doc_id,),
            )
            if vectors:
                self._insert_embeddings(db, vectors, model)
        return doc_id, version

    def documents(self, all_versions: bool = True) -> list[StoredDocument]:
        """Every stored document version (or the latest of each source), by source and version."""
        latest = (
            ""
            if all_versions
            else (
                "WHERE d.version = (SELECT MAX(version) FROM documents x WHERE x.source = d.source)"
            )
        )
        rows = self.connection.execute(
            "SELECT d.id, d.source, d.title, d.format, d.content_hash, d.version, d.authority, "
            "d.published, d.ingested_at, d.origin, "
            "(SELECT COUNT(*) FROM obligations o WHERE o.doc_id = d.id) AS clauses_, "
            "(SELECT COUNT(*) FROM obligations o WHERE o.doc_id = d.id AND o.force != 'none') "
            f"AS obligations_ FROM documents d {latest} ORDER BY d.source, d.version"
        ).fetchall()
        return [_stored_document(row, with_text=False) for row in rows]

    def document(self, doc_id: str) -> StoredDocument | None:
        """A document by id or id prefix (its newest version), with its text."""
        row = self.connection.execute(
            "SELECT * FROM documents WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY version DESC",
            (doc_id, _prefix(doc_id)),
        ).fetchone()
        return _stored_document(row, with_text=True) if row is not None else None

    # obligations -------------------------------------------------------------------------
    def obligation(self, obligation_id: str, version: int | None = None) -> StoredObligation | None:
        """An obligation in the given document version, else its newest (ids are stable across
        versions and may be given as a unique prefix; a prefix several ids share is an error
        that lists them)."""
        if not obligation_id.strip():
            raise BadInput("give an obligation id (or the start of one)")
        ids = [
            r[0]
            for r in self.connection.execute(
                "SELECT DISTINCT id FROM obligations WHERE id = ? OR id LIKE ? ESCAPE '\\' "
                "ORDER BY id LIMIT 11",
                (obligation_id, _prefix(obligation_id)),
            )
        ]
        if len(ids) > 1 and obligation_id not in ids:
            shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
            raise BadInput(f"ambiguous id {obligation_id}: it starts {shown}; give more of it")
        row = self.connection.execute(
            f"{_OBLIGATION_SELECT} WHERE (o.id = ? OR o.id LIKE ? ESCAPE '\\') "
            "AND (? IS NULL OR d.version = ?) ORDER BY d.version DESC LIMIT 1",
            (obligation_id, _prefix(obligation_id), version, version),
        ).fetchone()
        return stored_obligation(row) if row else None

    def versions_of(self, obligation_id: str, source: str) -> list[StoredObligation]:
        """Every stored version of one clause of one source, newest first."""
        rows = self.connection.execute(
            f"{_OBLIGATION_SELECT} WHERE o.id = ? AND d.source = ? ORDER BY d.version DESC",
            (obligation_id, source),
        )
        return [stored_obligation(r) for r in rows]

    def neighbours(self, doc_id: str, ordinal: int, width: int = 1) -> list[StoredObligation]:
        """The clauses around one of a document version's, in order (itself included)."""
        rows = self.connection.execute(
            f"{_OBLIGATION_SELECT} WHERE o.doc_id = ? AND o.ordinal BETWEEN ? AND ? "
            "ORDER BY o.ordinal",
            (doc_id, ordinal - width, ordinal + width),
        )
        return [stored_obligation(r) for r in rows]

    def query(
        self,
        sql_where: str,
        params: Sequence[Any],
        order: str = "d.source, o.ordinal",
        limit: int | None = None,
    ) -> list[StoredObligation]:
        """Obligations with their document, filtered by a WHERE built by `search`."""
        sql = f"{_OBLIGATION_SELECT} WHERE {sql_where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [stored_obligation(r) for r in self.connection.execute(sql, list(params))]

    def stored_names(self) -> dict[str, set[str]]:
        """The holders, bodies and duty ids the store holds: what those filters can match."""
        query = {
            "holder": "SELECT DISTINCT holder FROM obligations WHERE holder != ''",
            "body": "SELECT DISTINCT j.value FROM obligations, json_each(obligations.bodies) j",
            "duty": "SELECT DISTINCT duty FROM obligations WHERE duty != ''",
        }
        return {k: {str(r[0]) for r in self.connection.execute(q)} for k, q in query.items()}

    def facet_counts(self, facet: str, sql_where: str, params: Sequence[Any]) -> list[FacetValue]:
        """(value, label, count) per value of one facet, most frequent first, under a WHERE
        built by `search.where_clause`."""
        value, label, source = _FACETS[facet]
        rows = self.connection.execute(
            f"SELECT {value} AS value, {label} AS label, COUNT(DISTINCT o.rowid) AS count "
            f"FROM obligations o JOIN documents d ON d.id = o.doc_id {source} "
            f"WHERE {sql_where} AND {value} != '' GROUP BY {value} ORDER BY count DESC, label",
            list(params),
        ).fetchall()
        return [FacetValue(str(r["value"]), str(r["label"]), int(r["count"])) for r in rows]

    # embeddings --------------------------------------------------------------------------
    def embeddings(self, text_hashes: Sequence[str], model: str) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(text_hashes), 500):
            chunk = list(text_hashes[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.connection.execute(
                "SELECT text_hash, vector FROM embeddings WHERE model = ? "
                f"AND text_hash IN ({marks})",
                [model, *chunk],
            ):
                found[row["text_hash"]] = row["vector"]
        return found

    def add_embeddings(self, vectors: dict[str, bytes], model: str) -> None:
        with self.transaction() as db:
            self._insert_embeddings(db, vectors, model)

    @staticmethod
    def _insert_embeddings(db: sqlite3.Connection, vectors: dict[str, bytes], model: str) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO embeddings (text_hash, model, vector) VALUES (?, ?, ?)",
            [(h, model, v) for h, v in vectors.items()],
        )

    def missing_embeddings(
        self, model: str, limit: int | None = None
    ) -> list[tuple[str, str, tuple[str, ...], str]]:
        """(text hash, clause text, section path, document origin) of stored clauses that have
        no vector from `model` yet, one per text hash."""
        sql = (
            "SELECT o.text_hash, o.text, o.section, d.origin FROM obligations o "
            "JOIN documents d ON d.id = o.doc_id WHERE o.rowid IN "
            "(SELECT MIN(x.rowid) FROM obligations x WHERE NOT EXISTS (SELECT 1 FROM embeddings e "
            "WHERE e.model = ? AND e.text_hash = x.text_hash) GROUP BY x.text_hash)"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.connection.execute(sql, (model,))
        return [(r[0], r[1], tuple(json.loads(r[2])), r[3]) for r in rows]

    def clause_vectors(self, model: str) -> tuple[list[int], list[bytes]]:
        """Every obligation rowid that has a vector from `model`, and the vectors, by rowid."""
        rows = self.connection.execute(
            "SELECT o.rowid, e.vector FROM obligations o JOIN embeddings e "
            "ON e.model = ? AND e.text_hash = o.text_hash ORDER BY o.rowid",
            (model,),
        ).fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    # search support ----------------------------------------------------------------------
    def document_texts(self) -> Iterator[str]:
        """The text of every stored document version (for acronyms the documents define)."""
        for row in self.connection.execute("SELECT text FROM documents"):
            yield row[0]

    def generation(self) -> tuple[int, int]:
        """Changes when anyone commits to the file: (data_version, this connection's changes)."""
        data_version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        return int(data_version), self.connection.total_changes

    def document_count(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def clause_count(self) -> int:
        return int(self.connection.execute("SELECT MAX(rowid) FROM obligations").fetchone()[0] or 0)

    def match_count(self, fts_expression: str, cap: int) -> int:
        """How many clauses match an FTS5 expression, counting no further than `cap`."""
        return int(
            self.connection.execute(
                "SELECT COUNT(*) FROM (SELECT rowid FROM obligations_fts "
                "WHERE obligations_fts MATCH ? LIMIT ?)",
                (fts_expression, int(cap)),
            ).fetchone()[0]
        )

    def lexical_rowids(
        self,
        fts_expression: str,
        sql_where: str,
        params: Sequence[Any],
        limit: int,
        scan_cap: int | None = None,
    ) -> list[tuple[int, float]]:
        """(rowid, BM25 score, higher is better) of filtered clauses matching the expression.

        Two stages: the best matches from the FTS index alone, then the filters on those few
        rows (joining every match to its document first costs 10x more); if too few pass, the
        filters go inside the ranked query. With `scan_cap`, only the newest `scan_cap` matches
        are scored (a query of very common words would otherwise score every match)."""
        score = "bm25(obligations_fts, 1.0, 0.4)"
        order = f"ORDER BY rowid DESC LIMIT {int(scan_cap)}" if scan_cap else ""
        ranked = (
            f"SELECT rowid, score FROM (SELECT rowid, {score} AS score FROM obligations_fts "
            f"WHERE obligations_fts MATCH ? {order}) ORDER BY score"
        )
        depth = max(200, 20 * limit)
        best = self.connection.execute(f"{ranked} LIMIT {depth}", [fts_expression]).fetchall()
        if not best:
            return []
        passing = set(self.filtered_rowids(sql_where, params, [r[0] for r in best]))
        found = [(int(r[0]), -float(r[1])) for r in best if r[0] in passing][:limit]
        if len(found) == limit or len(best) < depth:
            return found
        rows = self.connection.execute(
            f"SELECT f.rowid, f.score FROM ({ranked}) f JOIN obligations o ON o.rowid = f.rowid "
            f"JOIN documents d ON d.id = o.doc_id WHERE {sql_where} LIMIT {int(limit)}",
            [fts_expression, *params],
        ).fetchall()
        return [(int(r[0]), -float(r[1])) for r in rows]

    def matches(self, sql_where: str, params: Sequence[Any]) -> bool:
        """Whether any obligation passes a WHERE built by `search.where_clause`."""
        sql = "SELECT 1 FROM obligations o JOIN documents d ON d.id = o.doc_id WHERE "
        return self.connection.execute(f"SELECT EXISTS({sql}{sql_where})", params).fetchone()[0]

    def filtered_rowids(
        self, sql_where: str, params: Sequence[Any], among: Sequence[int] | None = None
    ) -> list[int]:
        """Obligation rowids that pass a WHERE built by `search.where_clause` (of `among`)."""
        sql = "SELECT o.rowid FROM obligations o JOIN documents d ON d.id = o.doc_id "
        if among is None:
            return [r[0] for r in self.connection.execute(f"{sql} WHERE {sql_where}", params)]
        marks = ",".join(str(int(r)) for r in among)
        where = f"WHERE o.rowid IN ({marks}) AND {sql_where}"
        return [r[0] for r in self.connection.execute(f"{sql} {where}", list(params))]

    def words_in_documents(
        self, ids: Iterable[str], words: Iterable[str]
    ) -> dict[str, frozenset[str]]:
        """Which of `words` each document version holds, by id (search's reranker). The words
        are `content_terms` output (lower case, letters and digits), looked up whole in the
        document's stored words without splitting them; a document stored without its words
        (by a docmine older than schema 9, after the upgrade) has them read from its text."""
        wanted, asked = sorted(set(ids)), sorted(set(words))
        if not asked:
            return {}
        found: dict[str, frozenset[str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.connection.execute(
                "SELECT id, CASE WHEN terms = '' THEN docmine_terms(title || char(10) || text) "
                f"ELSE terms END FROM documents WHERE id IN ({marks})",
                chunk,
            ):
                held = f" {row[1]} "
                found[row[0]] = frozenset(w for w in asked if f" {w} " in held)
        return found

    def obligations_by_rowid(self, rowids: Sequence[int]) -> dict[int, StoredObligation]:
        """Obligations with their document, by rowid."""
        found: dict[int, StoredObligation] = {}
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.connection.execute(
                f"{_OBLIGATION_SELECT} WHERE o.rowid IN ({marks})", chunk
            ):
                stored = stored_obligation(row)
                found[stored.rowid] = stored
        return found
