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
    """The demo corpus ingested once for the whole session (vectors are made on demand, by the
    first dense search)."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with Store(path) as opened:
        ingest([CORPUS], opened, load_settings(db=path), embed_vectors=False)
        yield opened


WEB_PLAN_V1 = """Joint forward plans

The integrated care board must publish a joint forward plan before 1 April 2024.

The integrated care partnership should involve local Healthwatch in preparing the strategy.

Local authorities may wish to share good practice with neighbouring areas.
"""
WEB_MARKUP = """Guidance that quotes markup

The integrated care board must publish its plan <script>alert(1)</script> on its website.
"""
WEB_BRIEFING = """<html><head><title>Briefing on carers</title></head><body>
<h1>Carers</h1><p>Each local authority should assess the needs of carers
&lt;img src=x onerror=alert(3)&gt; in its area by 30 June 2025.</p>
<script>alert('inline')</script></body></html>
"""


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny store for the web tests: two versions of one plan, text quoting <script>, and an
    HTML page whose escaped text reads as markup."""
    folder = tmp_path_factory.mktemp("web-corpus")
    path = folder / "web.db"
    plan = folder / "docs" / "plans.txt"
    plan.parent.mkdir()
    plan.write_text(WEB_PLAN_V1, encoding="utf-8")
    (folder / "docs" / "markup.txt").write_text(WEB_MARKUP, encoding="utf-8")
    (folder / "docs" / "briefing.html").write_text(WEB_BRIEFING, encoding="utf-8")
    with Store(path) as opened:
        settings = load_settings(db=path)
        ingest([plan.parent], opened, settings, embed_vectors=False)
        plan.write_text(
            WEB_PLAN_V1 + "\nThe integrated care board must review the plan every year.\n",
            encoding="utf-8",
        )
        ingest([plan], opened, settings, embed_vectors=False)
    return path


@pytest.fixture(scope="session")
def gold_force_data(shared_dir: Path) -> tuple[list[dict[str, object]], list[object], object]:
    """train.jsonl + dev.jsonl rows, their documents' context and features (spaCy + MiniLM),
    built once."""
    from docmine.measure.train_force import featurise, gold_contexts, load_gold

    gold = shared_dir / "gold"
    rows = load_gold([gold / "train.jsonl", gold / "dev.jsonl"])
    contexts = gold_contexts(rows, [gold / "train-docs", CORPUS])
    return rows, contexts, featurise(contexts, load_settings())
