"""Everyday words in a query reach the guidance's own terms (search/thesaurus.py)."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from docmine.config import RESOURCES_DIR, InvalidSetting, Settings
from docmine.pipeline import ingest
from docmine.search import parse_query, query_concepts, search
from docmine.search.rerank import coverage, word_concepts
from docmine.search.thesaurus import load_thesaurus
from docmine.store import Store

LAY = """\
pressure ulcer: [bed sore, pressure sore]
special educational needs and disabilities: [SEND]
doctor: [physician]
physician associate: [PA]
long-term condition: [chronic illness]
urgent care: [walk-in centre]
care home: [nursing home, old people's home]
care home with nursing: [nursing home]
local authority: [town hall]
destruction of records: [binning, shredding]
"""


@pytest.fixture()
def lay_settings(tmp_path: Path, settings: Settings) -> Settings:
    path = tmp_path / "lay.yaml"
    path.write_text(LAY, encoding="utf-8")
    return replace(settings, thesaurus=path)


def test_lay_phrases_are_found_whole_longest_first_in_any_number(
    lay_settings: Settings,
) -> None:
    found = load_thesaurus(lay_settings.thesaurus).find(
        "Bed sores in Nursing Homes and the town hall's old people's homes; a bedside nurse"
    )
    assert [(t.text, t.formal) for t in found] == [
        ("Bed sores", ("pressure ulcer",)),
        ("Nursing Homes", ("care home", "care home with nursing")),
        ("town hall's", ("local authority",)),
        ("old people's homes", ("care home",)),
    ]


def test_what_a_lay_phrase_must_not_match(lay_settings: Settings) -> None:
    """A formal term typed in full is itself; capitals stay capitals; a hyphenated word is
    whole; plurals in -sses and possessives without an apostrophe still match."""
    find = load_thesaurus(lay_settings.thesaurus).find
    assert find("physician associates must be supervised") == []
    assert [t.formal for t in find("ask a physician")] == [("doctor",)]
    assert find("send letters to the ward") == []
    assert [t.formal for t in find("SEND support")] == [
        ("special educational needs and disabilities",)
    ]
    assert find("non-walk-in centre cover") == []
    assert [t.formal for t in find("chronic illnesses")] == [("long-term condition",)]
    assert [t.formal for t in find("old peoples homes")] == [("care home",)]


def test_a_lay_phrase_becomes_one_concept_for_both_searches(lay_settings: Settings) -> None:
    parsed = parse_query("when should bed sores be reported", lay_settings)
    assert parsed.groups == ('("bed sores" OR "pressure ulcer")', '"should"', '"reported"')
    assert parsed.dense_text == "when should bed sores be reported (pressure ulcer)"
    # a body the gazetteer knows keeps its own expansion; the thesaurus does not overlap it
    parsed = parse_query("ICB town hall", lay_settings)
    assert parsed.groups[0].startswith('("ICB" OR "integrated care board"')
    assert parsed.groups[1] == '("town hall" OR "local authority")'
    # without a lay phrase the query is embedded as typed
    assert parse_query("publish a plan", lay_settings).dense_text == "publish a plan"


def test_a_clause_covers_a_lay_concept_by_its_formal_words(lay_settings: Settings) -> None:
    concepts = query_concepts(
        "reporting bed sores", parse_query("reporting bed sores", lay_settings).lays
    )
    assert coverage(concepts, {"pressure", "ulcer", "reporting"}) == 1.0
    assert coverage(concepts, {"pressure", "reporting"}) == pytest.approx(2 / 3)
    assert coverage(concepts, {"bed", "sore"}) == pytest.approx(2 / 3)
    # without lay phrases, each content word is a concept: the share of the query's words
    assert coverage(word_concepts("publish plan"), {"plan"}) == 0.5


def test_a_lay_query_finds_the_formal_clause(
    lay_settings: Settings, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "guidance.txt"
    path.write_text(
        "Reporting harm\n\nProviders must report every pressure ulcer of category 3 or above.\n",
        encoding="utf-8",
    )
    ingest([path], store, lay_settings, embed_vectors=False)
    hits = search(store, "bed sores", mode="lexical", settings=lay_settings)
    assert [h.obligation.clause.text[:25] for h in hits] == ["Providers must report eve"]
    assert "pressure ulcer" in hits[0].matched_terms


def test_a_thesaurus_that_is_not_a_mapping_of_lists_is_a_one_line_error(
    tmp_path: Path, settings: Settings
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("pressure ulcer: bed sore\n", encoding="utf-8")
    with pytest.raises(InvalidSetting, match="maps each formal term to a list"):
        load_thesaurus(bad)
    bad.write_text("pressure ulcer:\n  - bed sore\n  -\n", encoding="utf-8")  # a blank item
    with pytest.raises(InvalidSetting, match="maps each formal term to a list"):
        load_thesaurus(bad)
    with pytest.raises(InvalidSetting, match="cannot read it"):
        load_thesaurus(tmp_path / "missing.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert parse_query("bed sores", replace(settings, thesaurus=empty)).groups == (
        '"bed"',
        '"sores"',
    )


def test_the_shipped_thesaurus_reads_and_never_maps_a_broad_word() -> None:
    data = yaml.safe_load((RESOURCES_DIR / "thesaurus.yaml").read_text(encoding="utf-8"))
    assert len(data) > 300 and all(isinstance(v, list) and v for v in data.values())
    broad = {"care", "help", "health", "service", "plan", "data", "review", "board", "support"}
    assert not broad & {str(lay).lower() for lays in data.values() for lay in lays}
    assert load_thesaurus(RESOURCES_DIR / "thesaurus.yaml").formal


def test_search_says_what_it_read_everyday_words_as(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from docmine.cli import app

    lay = tmp_path / "lay.yaml"
    lay.write_text(LAY, encoding="utf-8")
    monkeypatch.setenv("DOCMINE_THESAURUS", str(lay))
    guidance = tmp_path / "guidance.txt"
    guidance.write_text(
        "Reporting harm\n\nProviders must report every pressure ulcer of category 3 or above.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(guidance), "--db", db, "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["search", "bed sores", "--db", db, "--mode", "lexical"])
    assert result.exit_code == 0
    assert 'also searched: "bed sores" as pressure ulcer' in result.output
    assert "Providers must report" in result.output
    result = runner.invoke(app, ["search", "category", "--db", db, "--mode", "lexical"])
    assert "also searched" not in result.output


def test_the_web_page_says_what_it_read_everyday_words_as(
    web_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from docmine.web.app import create_app

    lay = tmp_path / "lay.yaml"
    lay.write_text(LAY, encoding="utf-8")
    monkeypatch.setenv("DOCMINE_THESAURUS", str(lay))
    app = create_app(web_db, default_search_mode="lexical")
    client = TestClient(app, base_url="http://127.0.0.1")
    answer = client.get("/api/search", params={"q": "town hall plan"}).json()
    assert answer["total"] >= 1
    assert 'also searched: "town hall" as local authority' in answer["notes"]
    assert "also searched" in client.get("/", params={"q": "town hall plan"}).text


def test_the_web_page_names_a_thesaurus_it_cannot_read_in_one_line(
    web_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from docmine.web.app import create_app

    monkeypatch.setenv("DOCMINE_THESAURUS", str(tmp_path / "missing.yaml"))
    app = create_app(web_db, default_search_mode="lexical")
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    answer = client.get("/api/search", params={"q": "plan"})
    assert answer.status_code == 500
    assert answer.json()["detail"] == [
        f"{tmp_path / 'missing.yaml'}: cannot read it (No such file or directory)"
    ]
