import sqlite3
from pathlib import Path

import pytest

from docmine.errors import BadInput
from docmine.store import SCHEMA_VERSION, Store

# the embeddings table as migration 1 created it (keyed by text hash alone)
V1_EMBEDDINGS = (
    "CREATE TABLE embeddings (text_hash TEXT PRIMARY KEY, model TEXT NOT NULL, "
    "vector BLOB NOT NULL)"
)


def test_a_new_store_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "new.db") as store:
        version = store.connection.execute("PRAGMA user_version").fetchone()[0]
        mode = store.connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert (version, mode) == (SCHEMA_VERSION, "wal")


def test_migration_2_keeps_version_1_vectors_and_keys_them_by_model(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store(path).close()
    old = sqlite3.connect(path)  # roll the file back to what a version-1 store looked like
    old.executescript(
        "DROP TABLE embeddings; DROP INDEX obligations_text_hash; "
        "ALTER TABLE documents DROP COLUMN terms; "
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; "
        "ALTER TABLE documents DROP COLUMN origin; "
        "ALTER TABLE obligations DROP COLUMN ocr_confidence; "
        "ALTER TABLE obligations DROP COLUMN clause_ref; "
        "ALTER TABLE obligations DROP COLUMN holder_confidence; "
        "ALTER TABLE obligations DROP COLUMN cue_start; "
        "ALTER TABLE obligations DROP COLUMN cue_end; "
        "ALTER TABLE obligations DROP COLUMN condition_start; "
        "ALTER TABLE obligations DROP COLUMN condition_end; "
        f"DROP INDEX documents_source_version; {V1_EMBEDDINGS}; "
        "INSERT INTO embeddings VALUES ('abc', 'm1', x'0000'); PRAGMA user_version = 1;"
    )
    old.close()
    with Store(path) as store:
        assert store.embeddings(["abc"], "m1") == {"abc": b"\x00\x00"}
        store.add_embeddings({"abc": b"\x01\x00"}, "m2")  # same text, another model: both kept
        assert store.embeddings(["abc"], "m2") == {"abc": b"\x01\x00"}
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrations_3_to_8_give_old_rows_no_cue_span_holder_confidence_citation_ocr_or_origin(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.db"
    Store(path).close()
    old = sqlite3.connect(path)
    old.executescript(
        "ALTER TABLE documents DROP COLUMN terms; "
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; "
        "ALTER TABLE documents DROP COLUMN origin; "
        "ALTER TABLE obligations DROP COLUMN ocr_confidence; "
        "ALTER TABLE obligations DROP COLUMN clause_ref; "
        "ALTER TABLE obligations DROP COLUMN holder_confidence; "
        "ALTER TABLE obligations DROP COLUMN cue_start; "
        "ALTER TABLE obligations DROP COLUMN cue_end; "
        "ALTER TABLE obligations DROP COLUMN condition_start; "
        "ALTER TABLE obligations DROP COLUMN condition_end; PRAGMA user_version = 2;"
    )  # one obligation stored by version 2, before cue spans and holder confidence
    old.executescript(
        "INSERT INTO documents VALUES ('d', 's', 't', 'txt', 'h', 1, 'guidance', '', 'now', 'x');"
        "INSERT INTO obligations (id, doc_id, ordinal, text, lead_in, page, section, span_start,"
        " span_end, force, polarity, confidence, cue, condition, holder, holder_text, bodies,"
        " mentions, duty, duty_law, duty_matched, deadline, deadline_relation, deadline_start,"
        " deadline_end, text_hash) VALUES ('o', 'd', 0, 'ICBs must act.', '', NULL, '[]', 0, 14,"
        " 'mandatory', 'positive', 0.9, 'must', '', '', '', '[]', '[]', '', '', '', '', '', '',"
        " '', 'th');"
    )
    old.close()
    with Store(path) as store:
        row = store.connection.execute(
            "SELECT cue, cue_start, cue_end, condition_start, condition_end, holder_confidence,"
            " clause_ref, ocr_confidence FROM obligations"
        ).fetchone()
        # migration 5: no confidence; migration 6: no citation; migration 7: not OCR'd
        assert tuple(row) == ("must", -1, -1, -1, -1, -1.0, "", None)
        (stored,) = store.query("1", [])
        assert stored.clause.ref == "" and stored.decision.cue_text == "must"
        assert stored.clause.provenance.ocr_confidence is None
        assert stored.document.origin == ""  # migration 8: stored before origins
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_generation_changes_when_another_connection_commits(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with Store(path) as first, Store(path) as second:
        before = first.generation()
        assert first.generation() == before
        second.add_embeddings({"h": b"\x00\x00"}, "m")
        assert first.generation() != before


def test_a_store_at_an_older_schema_opened_read_only_says_how_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    Store(path).close()
    old = sqlite3.connect(path)
    old.executescript(
        "ALTER TABLE documents DROP COLUMN terms; ALTER TABLE documents DROP COLUMN origin; "
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; "
        "PRAGMA user_version = 7;"
    )
    old.close()
    with pytest.raises(BadInput, match="schema 7"):
        Store(path, read_only=True)
    with Store(path) as store:  # opened for writing, it upgrades
        assert store.documents() == []
    with Store(path, read_only=True) as store:
        assert store.documents() == []


def test_a_document_keeps_its_content_words_and_an_older_store_gets_them_on_upgrade(
    tmp_path: Path,
) -> None:
    from docmine.model import Document

    path = tmp_path / "v8.db"
    text = "Councils must publish the charges they make."
    document = Document("charging.md", "Charging policies", "md", "h1", text, ())
    with Store(path) as store:
        doc_id, _ = store.add_document(document, [], [])
        words = store.words_in_documents([doc_id, "missing"], ["policy", "charge", "charg", "fee"])
    assert words == {doc_id: frozenset({"policy", "charge"})}  # whole words only
    old = sqlite3.connect(path)
    old.executescript(
        "ALTER TABLE documents DROP COLUMN terms; "
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; "
        "PRAGMA user_version = 8;"
    )
    old.close()
    with Store(path) as store:  # opened for writing, it upgrades and reads the words again
        assert store.words_in_documents([doc_id], ["policy", "charge", "charg", "fee"]) == words


def test_a_document_stored_without_its_words_has_them_read_from_its_text(tmp_path: Path) -> None:
    """An older docmine writing to an upgraded store leaves `terms` empty: the words still count."""
    from docmine.model import Document

    path = tmp_path / "s.db"
    with Store(path) as store:
        doc_id, _ = store.add_document(
            Document("a.md", "Charging", "md", "h", "Councils publish charges.", ()), [], []
        )
        store.connection.execute("UPDATE documents SET terms = ''")
        store.connection.commit()
        assert store.words_in_documents([doc_id], ["charge", "council", "care"]) == {
            doc_id: frozenset({"charge", "council"})
        }
        assert store.words_in_documents([doc_id], []) == {}


def test_a_store_made_by_a_newer_docmine_is_not_written_to(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(BadInput, match="newer docmine"):
        Store(path)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    check.close()


def test_migration_10_reads_the_period_and_anchor_of_deadlines_stored_before(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v9.db"
    Store(path).close()
    old = sqlite3.connect(path)
    old.executescript(
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; PRAGMA user_version = 9;"
        "INSERT INTO documents (id, source, title, format, content_hash, version, authority,"
        " ingested_at, text) VALUES ('d', 's', 't', 'txt', 'h', 1, 'guidance', 'now', 'x');"
        "INSERT INTO obligations (id, doc_id, ordinal, text, lead_in, page, section, span_start,"
        " span_end, force, polarity, confidence, cue, condition, holder, holder_text, bodies,"
        " mentions, duty, duty_law, duty_matched, deadline, deadline_relation, deadline_start,"
        " deadline_end, text_hash) VALUES ('o', 'd', 0, 'It must be sent within 28 days of the"
        " request.', '', NULL, '[]', 0, 40, 'mandatory', 'positive', 0.9, 'must', '', '', '',"
        " '[]', '[]', '', '', '', 'within 28 days of the request', 'by', '', '', 'th');"
        "INSERT INTO obligations (id, doc_id, ordinal, text, lead_in, page, section, span_start,"
        " span_end, force, polarity, confidence, cue, condition, holder, holder_text, bodies,"
        " mentions, duty, duty_law, duty_matched, deadline, deadline_relation, deadline_start,"
        " deadline_end, text_hash) VALUES ('p', 'd', 1, 'Review it every 3 years.', '', NULL,"
        " '[]', 0, 24, 'mandatory', 'positive', 0.9, 'must', '', '', '', '[]', '[]', '', '', '',"
        " 'every 3 years', '', '', '', 'ti');"
    )
    old.close()
    with Store(path) as store:
        first, second = store.query("1", [])
    deadline = first.links.deadline
    assert deadline is not None and (deadline.period, deadline.anchor) == ("P28D", "the request")
    # a deadline a fresh ingest gives no parts gets none on upgrade either
    other = second.links.deadline
    assert other is not None and (other.period, other.anchor) == ("", "")
