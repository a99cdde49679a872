import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docmine.cli import app

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    missing = [n for n in names if not re.search(rf"docmine {n}\b", readme)]
    assert not missing, f"commands missing from README: {missing}"


def test_setup_prepares_the_encoder_export_so_no_search_pays_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docmine.language import embed

    monkeypatch.setenv("DOCMINE_CACHE", str(tmp_path))
    calls: list[str] = []
    built = tmp_path / "model-int8.onnx"

    def export(model: str) -> Path:  # the real export takes 30 s: its wiring is what is tested
        calls.append(model)
        built.write_bytes(b"onnx")
        return built

    monkeypatch.setattr(embed, "export_onnx", export)
    warmed: list[bool] = []
    monkeypatch.setattr(
        "docmine.pipeline.Pipeline.warm_up", lambda self, encoder=True: warmed.append(encoder)
    )
    code, out = run("setup")
    assert code == 0 and calls and built.is_file() and warmed == [True]
    assert f"onnx-int8): {built}" in out.replace("\n", "") and "ready in" in out


def test_ingest_search_show_export_docs(tmp_path: Path, corpus_dir: Path) -> None:
    db = str(tmp_path / "cli.db")
    code, out = run("ingest", str(corpus_dir), "--db", db, "--quiet")
    assert code == 0 and "5 ingested" in out
    code, out = run("ingest", str(corpus_dir), "--db", db, "--quiet")
    assert code == 0 and "0 ingested" in out and "5 unchanged" in out
    code, out = run("search", "publish integrated care strategy", "--db", db, "--json", "-n", "3")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3 and {"force", "holder", "page", "section"} <= set(hits[0])
    code, out = run("show", hits[0]["id"], "--db", db)
    assert code == 0 and hits[0]["id"] in out
    code, out = run("export", "-o", str(tmp_path / "r.csv"), "--db", db)
    assert code == 0 and (tmp_path / "r.csv").exists() and "replacing" not in out
    code, out = run("export", "-o", str(tmp_path / "r.csv"), "--db", db)
    assert code == 0 and "(replacing the file there)" in out
    before = (tmp_path / "r.csv").read_bytes()
    code, out = run("export", "-o", str(tmp_path / "r.csv"), "--format", "json", "--db", db)
    assert code == 1 and "does not match the file's suffix" in out
    assert (tmp_path / "r.csv").read_bytes() == before
    code, out = run("docs", "--db", db, "--json")
    assert code == 0 and len(json.loads(out)) == 5


def test_failures_are_one_line_and_set_the_exit_status(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out = run("ingest", str(empty), "--db", str(tmp_path / "x.db"))
    assert code == 1 and "empty.txt: empty" in out and "Traceback" not in out
    code, out = run("search", "anything", "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "no database here" in out
    # a file docmine did not make is refused and left as it was; a folder is one line too
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"")
    code, out = run("search", "anything", "--db", str(foreign), "--mode", "lexical")
    assert code == 1 and "not a docmine database" in out and foreign.read_bytes() == b""
    code, out = run("docs", "--db", str(tmp_path))
    assert code == 1 and "is a folder" in out and "Traceback" not in out


def test_ingest_refuses_another_programs_database_and_leaves_it_as_it_was(
    tmp_path: Path,
) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE patients (name TEXT)")
    before = other.read_bytes()
    page = tmp_path / "page.txt"
    page.write_text("ICBs must publish a plan.\n", encoding="utf-8")
    code, out = run("ingest", str(page), "--db", str(other))
    assert code == 1 and "not a docmine database" in out and "patients" in out
    assert other.read_bytes() == before
    # a new file, or an empty one, is still made a store
    assert run("ingest", str(page), "--db", str(tmp_path / "new.db"), "--quiet")[0] == 0


def test_a_folder_without_supported_files_is_one_line_and_makes_no_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    code, out = run("ingest", str(folder), "--db", str(tmp_path / "x.db"))
    assert code == 1 and "no supported files in" in out and ".pdf" in out
    assert not (tmp_path / "x.db").exists()


def test_an_empty_query_is_a_usage_error(tmp_path: Path) -> None:
    for query in ("", "   "):
        code, out = run("search", query, "--db", str(tmp_path / "x.db"))
        assert code == 1 and "empty query" in out and "Traceback" not in out


def test_docs_upgrades_a_store_made_by_an_older_docmine(tmp_path: Path) -> None:
    import sqlite3

    from docmine.store import SCHEMA_VERSION, Store

    db = tmp_path / "old.db"
    Store(db).close()
    old = sqlite3.connect(db)
    old.executescript(
        "ALTER TABLE obligations DROP COLUMN deadline_period; "
        "ALTER TABLE obligations DROP COLUMN deadline_anchor; "
        f"PRAGMA user_version = {SCHEMA_VERSION - 1};"
    )
    old.close()
    code, out = run("docs", "--db", str(db), "--json")
    assert code == 0 and json.loads(out) == [], out
    with Store(db, read_only=True) as store:  # upgraded: it opens read-only now
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_filter_that_can_match_nothing_is_refused_and_the_old_register_kept(
    tmp_path: Path,
) -> None:
    db, target = tmp_path / "f.db", tmp_path / "r.csv"
    (tmp_path / "g.txt").write_text("ICBs must publish a plan by April 2023.\n", encoding="utf-8")
    assert run("ingest", str(tmp_path / "g.txt"), "--db", str(db), "--quiet")[0] == 0
    code, out = run("export", "-o", str(target), "--db", str(db))
    kept = target.read_bytes()
    assert code == 0 and b"integrated care board" in kept
    for option, value, message in [
        ("--force", "Mandatory", "force 'Mandatory': use mandatory"),
        ("--deadline-from", "2024-13-45", "give a date as YYYY-MM-DD"),
        ("--version", "0", "versions count from 1"),
        ("--holder", "no such body", "no body of that name"),
        ("--duty", "no-such-duty", "not a duty id"),
    ]:
        code, out = run("export", "-o", str(target), "--db", str(db), option, value)
        assert code == 1 and message in out and "Traceback" not in out, (option, out)
        assert target.read_bytes() == kept
    code, out = run(
        "export",
        "-o",
        str(target),
        "--db",
        str(db),
        "--deadline-from",
        "2025-01-01",
        "--deadline-to",
        "2020-01-01",
    )
    assert code == 1 and "is after deadline-to" in out and target.read_bytes() == kept
    for option, value, message in [
        ("-d", "no-such-document", "no id, source or title in the store has it"),
        ("--version", "9", "no document in the store has it"),
    ]:
        code, out = run("export", "-o", str(tmp_path / "x.csv"), "--db", str(db), option, value)
        assert code == 1 and message in out and not (tmp_path / "x.csv").exists(), out
    for wrong, message in [("%", "no obligation"), (" ", "give an obligation id")]:
        code, out = run("show", wrong, "--db", str(db))
        assert code == 1 and message in out and "Traceback" not in out, out
    # a document filter is words, not LIKE wildcards
    code, out = run("search", "plan", "--db", str(db), "-d", "%", "--mode", "lexical")
    assert code == 1 and "no id, source or title in the store has it" in out
    # a body from the user's own file at ingest is a body the store knows
    extra = tmp_path / "extra.yaml"
    extra.write_text("Foo Widget Board: [FWB]\n", encoding="utf-8")
    (tmp_path / "w.txt").write_text("The FWB must publish a plan.\n", encoding="utf-8")
    ingested = run("ingest", str(tmp_path / "w.txt"), "--db", str(db), "--bodies", str(extra))
    assert ingested[0] == 0
    code, out = run("search", "plan", "--db", str(db), "--holder", "foo widget board", "--json")
    assert code == 0 and json.loads(out)[0]["holder"] == "Foo Widget Board", out
    # a holder by its acronym or in any case is the canonical name
    for holder in ("ICB", "Integrated Care Boards", "INTEGRATED CARE BOARD"):
        code, out = run("search", "plan", "--db", str(db), "--holder", holder, "--json")
        assert code == 0 and json.loads(out)[0]["holder"] == "integrated care board", holder


def test_classify_reports_bad_inputs_and_outputs_in_one_line(tmp_path: Path) -> None:
    good = tmp_path / "in.jsonl"
    # a BOM, and a line separator inside a string, read back from its own output
    good.write_text(
        "\ufeff" + json.dumps({"text": "ICBs must act.\u2028Now."}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert run("classify", str(good), "-o", str(out))[0] == 0
    assert run("classify", str(out), "-o", str(tmp_path / "again.jsonl"))[0] == 0
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for target, message in [
        (tmp_path, "is a folder"),
        (tmp_path / "afile" / "x.jsonl", "cannot write it"),
    ]:
        code, printed = run("classify", str(good), "-o", str(target))
        assert code == 1 and message in printed and "Traceback" not in printed
    assert not list(tmp_path.glob(".*.partial"))
    lone = tmp_path / "lone.jsonl"
    lone.write_text('{"text": "ICBs \\ud800 must act."}\n', encoding="utf-8")
    code, printed = run("classify", str(lone), "-o", str(out))
    assert code == 1 and "line 1 holds a lone surrogate" in printed
    nan = tmp_path / "nan.jsonl"
    nan.write_text('{"text": "ICBs must act.", "score": NaN}\n', encoding="utf-8")
    code, printed = run("classify", str(nan), "-o", str(out))
    assert code == 1 and "NaN is not a JSON value" in printed
    nan.write_text('{"text": "ICBs must act.", "score": 1e999}\n', encoding="utf-8")
    code, printed = run("classify", str(nan), "-o", str(out))
    assert code == 1 and "too large for a JSON number" in printed


def test_a_bodies_file_of_the_wrong_shape_is_one_line(tmp_path: Path) -> None:
    for text in ("just a string", "- a\n- list\n", "ICB: 3\n"):
        bodies = tmp_path / "bodies.yaml"
        bodies.write_text(text, encoding="utf-8")
        (tmp_path / "g.txt").write_text("ICBs must act.\n", encoding="utf-8")
        code, out = run(
            "ingest",
            str(tmp_path / "g.txt"),
            "--db",
            str(tmp_path / "b.db"),
            "--bodies",
            str(bodies),
        )
        assert code == 1 and "maps each canonical name to a list" in out and "Traceback" not in out


def test_classify_writes_annotation_fields(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"text": "ICBs must publish a plan by April 2023."}) + "\n", encoding="utf-8"
    )
    code, _ = run("classify", str(source), "-o", str(tmp_path / "out.jsonl"))
    row = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert code == 0
    assert (row["force"], row["holder"], row["deadline"]) == (
        "mandatory",
        "integrated care board",
        "by April 2023",
    )
    assert row["cue"] == "must" and 0 < row["confidence"] <= 1


def test_eval_prints_per_label_scores_and_the_baseline(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "text": "ICBs must publish a plan.",
                    "force": "mandatory",
                    "holder": "integrated care board",
                    "bodies": [],
                },
                {
                    "text": "We heard partners should engage.",
                    "force": "none",
                    "holder": "",
                    "bodies": [],
                },
            ]
        ),
        encoding="utf-8",
    )
    code, out = run("eval", str(gold))
    assert code == 0 and "macro-F1" in out and "keyword baseline" in out and "confusion" in out


def test_extract_json_shows_blocks(tmp_path: Path) -> None:
    path = tmp_path / "g.md"
    path.write_text("# Title\n\nICBs must act.\n", encoding="utf-8")
    code, out = run("extract", str(path), "--json")
    blocks = json.loads(out)["blocks"]
    assert code == 0 and blocks[1]["kind"] == "paragraph" and blocks[1]["section"] == ["Title"]


def test_bad_options_and_inputs_are_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run("ingest", str(tmp_path), "--authority", "bogus", "--db", str(tmp_path / "x.db"))
    assert code == 1 and "unknown authority 'bogus'" in out and "Traceback" not in out
    code, out = run("eval", str(tmp_path / "missing.jsonl"))
    assert code == 1 and "missing.jsonl: not found" in out
    (tmp_path / "latin1.jsonl").write_bytes(b'{"text": "caf\xe9"}\n')
    code, out = run("classify", str(tmp_path / "latin1.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert code == 1 and "not UTF-8" in out
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    code, out = run("eval-search", str(tmp_path / "empty.jsonl"), "--db", str(tmp_path / "x.db"))
    assert code == 1 and "no queries" in out
    monkeypatch.setenv("DOCMINE_MAX_FILE_MB", "lots")
    code, out = run("ingest", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert code == 1 and "DOCMINE_MAX_FILE_MB='lots'" in out


def test_bench_extract_reports_each_folder_in_one_run(tmp_path: Path) -> None:
    import shutil

    short = Path(__file__).resolve().parents[2] / "shared" / "corpus-pdf-short"
    stem = "t041_asc_winter_letter_2023_24.twocol"
    if not (short / f"{stem}.pdf").is_file():
        pytest.skip("../shared/corpus-pdf-short is not beside the clone")
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
        for suffix in (".pdf", ".expected.txt", ".meta.json"):
            shutil.copy(short / f"{stem}{suffix}", folder)
    code, out = run("bench-extract", *map(str, folders), "--repeats", "1")
    assert code == 0 and out.count("ALL (min accuracy)") == 2
    assert str(folders[0]) in out and str(folders[1]) in out
    assert "| char acc | word sim |" in out


def test_a_hit_from_a_saved_page_cites_the_address_it_came_from(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    url = "https://www.gov.uk/guidance/joint-forward-plans"
    page.write_text(
        f"# Joint forward plans\n\nSource: {url}\n\n"
        "ICBs must publish a joint forward plan before April 2023.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "cli.db")
    assert run("ingest", str(page), "--db", db, "--quiet")[0] == 0
    code, out = run("search", "joint forward plan", "--db", db, "--mode", "lexical")
    assert code == 0 and url in out and "Source:" not in out
    code, out = run("docs", "--db", db, "--json")
    assert json.loads(out)[0]["origin"] == url


def test_a_document_stored_without_clauses_says_why_as_far_as_its_text_tells(
    tmp_path: Path,
) -> None:
    japanese = tmp_path / "ja.txt"
    japanese.write_text("統合ケア委員会は計画を公表しなければならない。\n", encoding="utf-8")
    contents = tmp_path / "toc.md"
    contents.write_text("# Contents\n\nIntroduction\n\nAnnex A\n", encoding="utf-8")
    code, out = run("ingest", str(japanese), str(contents), "--db", str(tmp_path / "x.db"))
    assert code == 0
    assert "ja.txt: stored with 0 clauses (its text is mostly not in the Latin alphabet" in out
    assert "toc.md: stored with 0 clauses (no running text found" in out


def test_ingest_names_the_files_it_cannot_read_and_stores_a_copy_once(tmp_path: Path) -> None:
    """A folder's other files are named in one line, not skipped in silence; the same guidance
    saved under a second name is not stored again, so no register line counts twice."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Integrated care boards must publish a joint forward plan.\n"
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "copy of a.txt").write_text(text, encoding="utf-8")
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (folder / "tool.exe").write_bytes(b"MZ")
    db = str(tmp_path / "x.db")
    code, out = run("ingest", str(folder), "--db", db)
    assert code == 0
    assert "2 files docmine does not read (.exe, .json)" in out
    assert re.search(r"duplicate\s+\S*copy of a\.txt \(skipped: same text as \S*a\.txt\)", out)
    assert "1 ingested (0 as new versions), 0 unchanged, 1 duplicates, 0 failed" in out
    code, out = run("docs", "--db", db, "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_a_file_edited_to_match_another_is_a_new_version_not_a_duplicate(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# A\n\nICBs must publish a discharge plan by 30 June 2026.\n", "utf-8")
    b.write_text("# B\n\nLocal authorities should consult Healthwatch.\n", "utf-8")
    db = str(tmp_path / "x.db")
    assert run("ingest", str(a), str(b), "--db", db, "--no-embed", "-q")[0] == 0
    b.write_text(a.read_text("utf-8"), "utf-8")
    code, out = run("ingest", str(b), "--db", db, "--no-embed")
    assert code == 0 and "1 as new versions" in out and "duplicate" not in out
