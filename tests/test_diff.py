import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import load_settings
from docmine.diff import (
    ChangeKind,
    Embedder,
    default_embedder,
    diff_documents,
    diff_rows,
    overlap,
)
from docmine.errors import NotFound
from docmine.export import export
from docmine.export.json import load_schema
from docmine.export.register import CHANGE_COLUMNS, COLUMNS
from docmine.pipeline import ingest
from docmine.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"
MUST_NOW = "ICPs must draw on the diverse thinking of local people"
ADDED = "Each ICP must publish its integrated care strategy by 31 December 2022"
REMOVED = "We expect that the design of ICPs will place people, communities"
REWORDED = "ICPs should draw on what partners have already learnt from working with residents"


def register_row(text: str, force: str = "expectation", **fields: str) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in COLUMNS}
    row.update(clause_text=text, force=force, polarity="positive", **fields)
    return row


@pytest.fixture(scope="module")
def versions_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """The fixture pair ingested as versions 1 and 2 of one source file."""
    folder = tmp_path_factory.mktemp("diff")
    source = folder / "icp-engagement.txt"
    with Store(folder / "diff.db") as store:
        settings = load_settings(db=store.path)
        for version in (1, 2):
            shutil.copy(FIXTURES / f"icp-engagement-v{version}.txt", source)
            ingest([source], store, settings)
        yield store, source


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder(load_settings().embedding_model)


def test_overlap_is_dice_of_content_words() -> None:
    assert overlap("ICBs must publish a plan", "ICBs must publish the plan") == 1.0
    assert overlap("ICBs must publish a plan", "Councils may hold meetings") == 0.0
    assert 0.5 < overlap("ICBs must publish a plan", "ICBs should publish a plan") < 1.0


def test_identical_text_pairs_first_and_field_changes_are_named() -> None:
    old = [register_row("The ICB should publish a plan by April.", deadline="by April")]
    new = [
        register_row("Councils may meet.", force="suggestion"),
        register_row("The ICB should publish a plan by April.", deadline="by May"),
    ]
    changes = diff_rows(old, new)
    assert [c.kind for c in changes] == [ChangeKind.ADDED, ChangeKind.CHANGED]
    assert changes[1].fields == ("deadline",) and changes[1].matched_by == "exact"


def test_token_overlap_pairs_a_modal_change_without_embeddings() -> None:
    old = [register_row("Each ICB should publish its joint forward plan every year.")]
    new = [register_row("Each ICB must publish its joint forward plan every year.", "mandatory")]
    (change,) = diff_rows(old, new, embedder=None)
    assert change.kind == ChangeKind.CHANGED and change.matched_by == "overlap"
    assert change.fields == ("force", "wording")


@pytest.mark.slow
def test_fixture_pair_shows_each_edit(versions_db: tuple[Store, Path], embedder: Embedder) -> None:
    store, source = versions_db
    register, changes = diff_documents(store, str(source), versions=(1, 2), embedder=embedder)
    assert len(register.rows) == 4, [(r["change"], r["clause_text"][:40]) for r in register.rows]
    (stricter,) = [r for r in register.rows if MUST_NOW in r["clause_text"]]
    assert (
        stricter["change"] == "changed"
        and "force: expectation -> mandatory" in (stricter["change_detail"])
    )
    (added,) = [r for r in register.rows if r["change"] == "added"]
    assert added["clause_text"].startswith(ADDED) and added["force"] == "mandatory"
    (removed,) = [r for r in register.rows if r["change"] == "removed"]
    assert removed["clause_text"].startswith(REMOVED) and removed["version"] == 1
    (reworded,) = [r for r in register.rows if REWORDED in r["clause_text"]]
    assert reworded["change"] == "changed" and "matched by meaning" in reworded["change_detail"]
    assert reworded["previous_text"].startswith("ICPs should use insights from existing work")
    assert sum(c.kind == ChangeKind.UNCHANGED for c in changes) > 10  # the rest is untouched


@pytest.mark.slow
def test_diff_exports_as_a_register(
    versions_db: tuple[Store, Path], embedder: Embedder, tmp_path: Path
) -> None:
    store, source = versions_db
    register, _ = diff_documents(store, str(source), embedder=embedder)  # last two versions
    assert register.columns == CHANGE_COLUMNS + COLUMNS
    assert [d.version for d in register.documents] == [1, 2]
    data = json.loads(export(register, tmp_path / "changes.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema())
    assert data["columns"][0] == "change" and len(data["obligations"]) == 4
    page = export(register, tmp_path / "changes.md").read_text(encoding="utf-8")
    assert "**added** Each ICP must publish" in page


def test_a_single_version_has_nothing_to_compare(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    shutil.copy(FIXTURES / "icp-engagement-v1.txt", source)
    with Store(tmp_path / "one.db") as store:
        ingest([source], store, load_settings(db=store.path))
        with pytest.raises(NotFound, match="only one version"):
            diff_documents(store, str(source))
        with pytest.raises(NotFound, match="no ingested document at version 3"):
            diff_documents(store, str(source), versions=(1, 3))


def test_diff_command_prints_changes_and_writes_a_file(
    versions_db: tuple[Store, Path], tmp_path: Path
) -> None:
    store, source = versions_db

    def diff_to(out: Path) -> Any:
        command = ["diff", str(source), "--versions", "1", "2", "--no-embeddings"]
        return CliRunner().invoke(app, [*command, "--db", str(store.path), "-o", str(out)])

    out = tmp_path / "changes.csv"
    result = diff_to(out)
    assert result.exit_code == 0, result.output
    assert "added" in result.output and "removed" in result.output
    assert out.read_text(encoding="utf-8-sig").startswith("change,change_detail,previous_text,")
    # an unknown format fails before the comparison runs, with nothing written
    bad = diff_to(tmp_path / "changes.xml")
    assert bad.exit_code == 1 and "unknown export format xml" in bad.output
    assert "added" not in bad.output and not (tmp_path / "changes.xml").exists()
