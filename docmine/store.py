"""The SQLite store: schema, migrations, transactions. The only module that writes SQL.

One file holds documents (every version), their obligations, an FTS5 index over clause text and
section headings, and clause embeddings keyed by text hash (computed once, reused)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docmine.model import Document, Obligation

SCHEMA_VERSION = 1

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
}


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
        "page": clause.provenance.page,
        "section": json.dumps(list(clause.provenance.section)),
        "span_start": clause.provenance.start,
        "span_end": clause.provenance.end,
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "confidence": round(decision.confidence, 4),
        "cue": decision.cue,
        "condition": decision.condition,
        "holder": links.holder,
        "holder_text": links.holder_text,
        "bodies": json.dumps(list(obligation.other_bodies)),
        "mentions": json.dumps([asdict(m) for m in links.bodies]),
        "duty": links.duty.id if links.duty else "",
        "duty_law": links.duty.law if links.duty else "",
        "duty_matched": links.duty.matched if links.duty else "",
        "deadline": deadline.text if deadline else "",
        "deadline_relation": deadline.relation if deadline else "",
        "deadline_start": deadline.start if deadline else "",
        "deadline_end": deadline.end if deadline else "",
        "text_hash": text_hash,
    }


class Store:
    """A docmine database file. Opening it creates or migrates the schema."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only:  # SQLite refuses every write (the web app); no migration either
            target = self.path.resolve().as_uri() + "?mode=ro"
            self.connection = sqlite3.connect(target, timeout=30.0, uri=True)
        else:
            self.connection = sqlite3.connect(str(self.path), timeout=30.0)
        self.connection.row_factory = sqlite3.Row
        if not read_only:
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            self._migrate()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        current = self.connection.execute("PRAGMA user_version").fetchone()[0]
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction() as db:
                db.executescript(_MIGRATIONS[version].replace("\n    ", "\n"))
            self.connection.execute(f"PRAGMA user_version = {version}")

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
        row = self.connection.execute(
            "SELECT 1 FROM documents WHERE source = ? AND content_hash = ?", (source, content_hash)
        ).fetchone()
        return row is not None

    def next_version(self, source: str) -> int:
        row = self.connection.execute(
            "SELECT COALESCE(MAX(version), 0) FROM documents WHERE source = ?", (source,)
        ).fetchone()
        return int(row[0]) + 1

    def add_document(
        self, document: Document, obligations: Sequence[Obligation], text_hashes: Sequence[str]
    ) -> int:
        """Store one document version and its obligations in one transaction; returns version."""
        with self.transaction() as db:
            version = self.next_version(document.source)
            db.execute(
                "INSERT INTO documents (id, source, title, format, content_hash, version, "
                "authority, published, ingested_at, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    document.id,
                    document.source,
                    document.title,
                    document.format,
                    document.content_hash,
                    version,
                    document.authority.value,
                    document.published,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    document.text,
                ),
            )
            rows = [
                obligation_row(document.id, o, h)
                for o, h in zip(obligations, text_hashes, strict=True)
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
                (document.id,),
            )
        return version

    def documents(self, all_versions: bool = True) -> list[sqlite3.Row]:
        latest = (
            ""
            if all_versions
            else (
                "WHERE d.version = (SELECT MAX(version) FROM documents x WHERE x.source = d.source)"
            )
        )
        return self.connection.execute(
            "SELECT d.id, d.source, d.title, d.format, d.content_hash, d.version, d.authority, "
            "d.published, d.ingested_at, (SELECT COUNT(*) FROM obligations o WHERE o.doc_id = d.id)"
            " AS clauses, (SELECT COUNT(*) FROM obligations o WHERE o.doc_id = d.id AND "
            f"o.force != 'none') AS obligations FROM documents d {latest} "
            "ORDER BY d.source, d.version"
        ).fetchall()

    def document(self, doc_id: str) -> sqlite3.Row | None:
        return self.connection.execute(
            "SELECT * FROM documents WHERE id = ? OR id LIKE ? ORDER BY version DESC",
            (doc_id, f"{doc_id}%"),
        ).fetchone()

    # obligations -------------------------------------------------------------------------
    def obligation(self, obligation_id: str) -> sqlite3.Row | None:
        """The newest stored version of an obligation (ids may be given as a unique prefix)."""
        return self.connection.execute(
            "SELECT o.*, d.title, d.source, d.version, d.authority, d.content_hash "
            "FROM obligations o JOIN documents d ON d.id = o.doc_id "
            "WHERE o.id = ? OR o.id LIKE ? ORDER BY d.version DESC LIMIT 1",
            (obligation_id, f"{obligation_id}%"),
        ).fetchone()

    def neighbours(self, doc_id: str, ordinal: int, width: int = 1) -> list[sqlite3.Row]:
        return self.connection.execute(
            "SELECT id, ordinal, text, force FROM obligations WHERE doc_id = ? "
            "AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
            (doc_id, ordinal - width, ordinal + width),
        ).fetchall()

    def query(
        self,
        sql_where: str,
        params: Sequence[Any],
        order: str = "d.source, o.ordinal",
        limit: int | None = None,
        fts: str | None = None,
    ) -> list[sqlite3.Row]:
        """Obligations joined with their document, filtered by a WHERE built by `search`."""
        join_fts = "JOIN obligations_fts f ON f.rowid = o.rowid" if fts else ""
        score = "bm25(obligations_fts, 1.0, 0.4)" if fts else "0.0"
        sql = (
            f"SELECT o.*, d.title, d.source, d.version, d.authority, d.published, {score} AS score "
            f"FROM obligations o JOIN documents d ON d.id = o.doc_id {join_fts} "
            f"WHERE {sql_where} ORDER BY {order}"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.connection.execute(sql, list(params)).fetchall()

    def facet_counts(self, facet: str, sql_where: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        """(value, label, count) per value of one facet, most frequent first, under a WHERE
        built by `search.where_clause`."""
        value, label, source = _FACETS[facet]
        return self.connection.execute(
            f"SELECT {value} AS value, {label} AS label, COUNT(DISTINCT o.rowid) AS count "
            f"FROM obligations o JOIN documents d ON d.id = o.doc_id {source} "
            f"WHERE {sql_where} AND {value} != '' GROUP BY {value} ORDER BY count DESC, label",
            list(params),
        ).fetchall()

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
            db.executemany(
                "INSERT OR IGNORE INTO embeddings (text_hash, model, vector) VALUES (?, ?, ?)",
                [(h, model, v) for h, v in vectors.items()],
            )
