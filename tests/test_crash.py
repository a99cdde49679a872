"""Crash safety: an ingest killed with SIGKILL at random moments leaves a store that passes
SQLite's integrity check and holds only whole documents, and a re-run completes it with nothing
lost or duplicated. CI kills it at a few points; DOCMINE_KILL_POINTS=100 runs the long version."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

KILL_POINTS = int(os.environ.get("DOCMINE_KILL_POINTS", "4"))
SEED = 20261202


def _ingest(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "docmine.cli", "ingest", str(folder), "--db", str(db), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _whole_documents_only(db: Path) -> tuple[int, int]:
    """(documents, obligations) after checking the file: integrity, every stored document has
    its clauses and its search rows, no clause without a document."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'documents'"
        ).fetchone():
            return 0, 0  # killed before the schema was committed: an empty file is whole too
        empty = connection.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM obligations o WHERE o.doc_id = d.id)"
        ).fetchone()[0]
        orphans = connection.execute(
            "SELECT count(*) FROM obligations o WHERE NOT EXISTS "
            "(SELECT 1 FROM documents d WHERE d.id = o.doc_id)"
        ).fetchone()[0]
        documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        obligations = connection.execute("SELECT count(*) FROM obligations").fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM obligations_fts").fetchone()[0]
        assert (empty, orphans) == (0, 0)
        assert indexed == obligations
        return documents, obligations
    finally:
        connection.close()


@pytest.mark.slow
def test_an_ingest_killed_at_random_points_leaves_whole_documents_and_reruns_clean(
    tmp_path: Path, corpus_dir: Path
) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(corpus_dir, folder, ignore=shutil.ignore_patterns("*.md"))
    reference = tmp_path / "reference.db"
    started = time.monotonic()
    assert _ingest(folder, reference).wait(timeout=600) == 0
    full_run = time.monotonic() - started
    expected = _whole_documents_only(reference)
    assert expected[0] == len(list(folder.iterdir()))

    db = tmp_path / "killed.db"
    chance = random.Random(SEED)
    for _ in range(KILL_POINTS):
        process = _ingest(folder, db)
        time.sleep(chance.uniform(0.2, full_run))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        documents, _ = _whole_documents_only(db)
        assert documents <= expected[0]
    assert _ingest(folder, db).wait(timeout=600) == 0
    assert _whole_documents_only(db) == expected  # nothing lost, nothing stored twice
