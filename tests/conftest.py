"""Shared fixtures: the demo corpus, the shared data beside the clone, and fresh stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docmine.config import Settings, load_settings
from docmine.pipeline import ingest
from docmine.store import Store

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "corpus"
SHARED = PROJECT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the clone")
    return SHARED


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return load_settings(db=tmp_path / "test.db")


@pytest.fixture()
def store(settings: Settings) -> Iterator[Store]:
    with Store(settings.db) as opened:
        yield opened


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo corpus ingested once for the whole session."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with Store(path) as opened:
        ingest([CORPUS], opened, load_settings(db=path))
        yield opened
