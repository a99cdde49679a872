"""Regression tests for the reliability review (bad input, odd paths, concurrent writers): each
names what it guards. Every failure is one line naming the file and the reason."""

import multiprocessing
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.errors import BadInput
from docmine.extract import extract
from docmine.pipeline import Status, ingest
from docmine.store import SCHEMA_VERSION, Store

runner = CliRunner()
GUIDANCE = "Duties\n\nThe ICB must publish a joint forward plan.\n"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_an_html_file_nested_thousands_deep_is_read_and_the_batch_goes_on(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    deep = tmp_path / "a-deep.html"
    deep.write_text(
        "<html><body>" + "<div>" * 5000 + "<p>The ICB must publish a plan.</p>" + "</div>" * 5000,
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(GUIDANCE, encoding="utf-8")
    results = ingest([tmp_path], store, settings, embed_vectors=False)
    assert [r.status for r in results] == [Status.INGESTED, Status.INGESTED]
    assert results[0].obligations == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"])
def test_text_in_windows_encodings_is_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "g.txt"
    path.write_bytes((GUIDANCE + "Fees of £5 for the café.\n").encode(encoding))
    document = extract(path)
    assert "The ICB must publish" in document.text and "£5 for the café" in document.text


def _ingested(tmp_path: Path) -> str:
    (tmp_path / "g.txt").write_text(GUIDANCE, encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert run("ingest", str(tmp_path / "g.txt"), "--db", db, "--no-embed")[0] == 0
    return db


def test_export_to_a_place_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    code, out = run("export", "--db", db, "-o", str(tmp_path / "g.txt" / "r.csv"))
    assert code == 1 and "cannot write the register here" in out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1


def test_export_to_a_new_folder_writes_the_register_inside_it(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    code, _ = run("export", "--db", db, "-o", str(tmp_path / "newdir") + "/", "--format", "csv")
    assert code == 0 and (tmp_path / "newdir" / "register.csv").is_file()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    code, out = run("search", "plan", "--db", str(bogus))
    assert code == 1 and "not a docmine database" in out and "Traceback" not in out
    with pytest.raises(BadInput):
        Store(bogus)


def _open(path: str, barrier: Any, versions: Any) -> None:
    barrier.wait()  # all at once: the race is between the first opens of a new file
    with Store(path) as store:
        versions.put(int(store.connection.execute("PRAGMA user_version").fetchone()[0]))


def test_processes_creating_one_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        path = str(tmp_path / f"new{trial}.db")
        barrier, versions = context.Barrier(6), context.Queue()
        workers = [context.Process(target=_open, args=(path, barrier, versions)) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert [worker.exitcode for worker in workers] == [0] * 6
        assert [versions.get() for _ in workers] == [SCHEMA_VERSION] * 6
        tables = sqlite3.connect(path).execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        assert tables > 0


def test_a_new_database_another_process_is_still_creating_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    creator = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    creator.execute("BEGIN IMMEDIATE")  # what a first `docmine ingest` holds while it migrates
    creator.execute("CREATE TABLE first_writer (a)")
    threading.Timer(0.5, creator.execute, ("COMMIT",)).start()
    with Store(path) as store:  # SQLite answers the WAL switch 'locked' at once: Store waits
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    creator.close()


def test_an_id_prefix_several_obligations_share_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "g.txt"
    path.write_text(
        "Duties\n\n" + "\n\n".join(f"Body {n} must publish plan {n}." for n in range(40)) + "\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "r.db")
    run("ingest", str(path), "--db", db, "--no-embed")
    with Store(db) as store:
        ids = [r[0] for r in store.connection.execute("SELECT id FROM obligations")]
    prefix = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
    code, out = run("show", prefix, "--db", db)
    assert code == 1 and "ambiguous id" in out and "give more of it" in out


def test_a_document_stored_with_no_clauses_gets_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "contents.md"
    path.write_text("# Contents\n\n## Part 1\n\n## Part 2\n", encoding="utf-8")
    code, out = run("ingest", str(path), "--db", str(tmp_path / "r.db"), "--no-embed")
    assert code == 0 and "stored with 0 clauses" in out


def test_a_publication_line_above_the_title_is_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(
        "Published by NHS England\n\nWinter letter to ICBs\n\nICBs must publish a plan.\n",
        encoding="utf-8",
    )
    assert extract(path).title == "Winter letter to ICBs"


def test_default_search_without_the_sentence_encoder_answers_by_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _ingested(tmp_path)
    monkeypatch.setenv("DOCMINE_EMBEDDING_MODEL", str(tmp_path / "no-such-model"))
    code, out = run("search", "joint forward plan", "--db", db)
    assert code == 0 and "searching by words" in out and "matched by words" in out
    code, out = run("search", "joint forward plan", "--db", db, "--mode", "dense")
    assert code == 1 and "Traceback" not in out


def test_a_suffixless_output_is_a_file_and_a_trailing_slash_a_new_folder(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    code, _ = run("export", "--db", db, "-o", str(tmp_path / "register"), "--format", "csv")
    assert code == 0 and (tmp_path / "register").is_file()


def test_exporting_a_query_without_a_limit_keeps_only_word_matches_and_every_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE + "\nCouncils should plan for winter.\n", encoding="utf-8")
    db = str(tmp_path / "r.db")
    run("ingest", str(path), "--db", db, "--no-embed")
    path.write_text(GUIDANCE + "\nCouncils may plan for winter.\n", encoding="utf-8")
    run("ingest", str(path), "--db", db, "--no-embed")
    out = tmp_path / "q.csv"
    code, _ = run("export", "--db", db, "-q", "joint forward", "--all-versions", "-o", str(out))
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert code == 0 and len(rows) == 2 and all("forward plan" in r for r in rows)


def test_a_marked_file_with_a_stray_byte_is_read() -> None:
    from docmine.extract.text import decode

    assert decode(b"\xef\xbb\xbfThe ICB must act \x80 now.", Path("x")).startswith("The ICB")


def test_no_file_leaves_a_lock_behind_it(tmp_path: Path, store: Store, settings: Settings) -> None:
    """Between files, good or bad, another writer can take the write lock at once."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (folder / "b-binary.pdf").write_bytes(bytes(range(256)) * 40)
    (folder / "c-empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "d-good.txt").write_text(GUIDANCE, encoding="utf-8")
    deep = "<html><body>" + "<div>" * 3000 + "<p>The ICB must publish a plan.</p>" + "</div>" * 3000
    (folder / "e-deep.html").write_text(deep, encoding="utf-8")
    free = []

    def other_writer_gets_the_lock(result: object, seconds: float) -> None:
        other = sqlite3.connect(settings.db, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if a lock is held
            other.rollback()
            free.append(True)
        finally:
            other.close()

    results = ingest(
        [folder], store, settings, embed_vectors=False, on_file=other_writer_gets_the_lock
    )
    assert [r.status for r in results].count(Status.FAILED) == 3
    assert len(free) == len(results) == 5
