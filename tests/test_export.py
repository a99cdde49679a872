import csv
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from docmine.errors import BadInput
from docmine.export import EXPORTERS, export, export_register, output_path
from docmine.export.json import load_schema
from docmine.export.register import COLUMNS, Register, build_register
from docmine.export.xlsx import FORCE_COLOURS
from docmine.model import (
    Clause,
    DocumentRef,
    Filters,
    Force,
    ForceDecision,
    Links,
    Mention,
    Obligation,
    Provenance,
    Span,
    StoredObligation,
)
from docmine.search import Hit, search, select
from docmine.store import Store

OBLIGATIONS = Filters(force=("mandatory", "expectation", "suggestion"))


def corpus_register(store: Store, filters: Filters = OBLIGATIONS) -> Register:
    return build_register(select(store, filters), store.documents())


def stored_obligation(text: str) -> StoredObligation:
    """A stored obligation as the store returns it, with `text` as the clause."""
    clause = Clause("d0c", text, Provenance(3, ("Part 1", "Duties"), 0, len(text)), ordinal=1)
    decision = ForceDecision(Force.MANDATORY, confidence=0.9, cue=Span("must"))
    bodies = (Mention("local authority", "local authority", 0, 0),)
    document = DocumentRef("d0c", "/data/plan.pdf", "Plan", 1, authority="guidance")
    linked = Links(holder="integrated care board", bodies=bodies)
    return StoredObligation("0123456789ab", Obligation(clause, decision, linked), document)


def test_csv_has_the_documented_columns_and_a_bom(corpus_store: Store, tmp_path: Path) -> None:
    register = corpus_register(corpus_store)
    path = export(register, tmp_path / "r.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(register.rows) > 0
    # provenance: the document version's id and the clause's character span in its text
    first = register.rows[0]
    document = corpus_store.document(first["document_id"])
    assert document is not None and document.document.version == first["version"]
    clause = document.text[first["span_start"] : first["span_end"]]
    assert clause and clause.split()[0] in first["clause_text"]


def test_csv_without_bom_quotes_commas_quotes_and_newlines(tmp_path: Path) -> None:
    text = 'ICBs must publish "a plan", then\nreview it.'
    path = export([Hit(stored_obligation(text))], tmp_path / "r.csv", bom=False)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b'"ICBs must publish ""a plan"", then\nreview it."' in raw  # RFC 4180 quoting
    assert raw.endswith(b"\r\n")
    with path.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["clause_text"] == text and row["page"] == "3"


def test_xlsx_has_register_summary_and_sources_sheets(corpus_store: Store, tmp_path: Path) -> None:
    register = corpus_register(corpus_store)
    workbook = openpyxl.load_workbook(export(register, tmp_path / "r.xlsx"))
    assert workbook.sheetnames == ["Register", "Summary", "Sources"]
    sheet = workbook["Register"]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}{len(register.rows) + 1}"
    assert sheet.column_dimensions["K"].width > sheet.column_dimensions["B"].width  # clause text
    assert sheet.cell(2, COLUMNS.index("clause_text") + 1).alignment.wrap_text
    force_column = COLUMNS.index("force") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, force_column)
        assert cell.fill.start_color.rgb.endswith(FORCE_COLOURS[cell.value])
    link = sheet.cell(2, COLUMNS.index("source_location") + 1)
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    # round trip: every cell reads back as the register wrote it
    for index, row in enumerate(register.rows, start=2):
        assert [sheet.cell(index, c + 1).value for c in range(len(COLUMNS))] == [
            None if row[c] == "" else row[c] for c in COLUMNS
        ]


def test_xlsx_summary_counts_by_holder_and_force(corpus_store: Store, tmp_path: Path) -> None:
    register = corpus_register(corpus_store)
    workbook = openpyxl.load_workbook(export(register, tmp_path / "r.xlsx"))
    summary = [[c.value for c in row] for row in workbook["Summary"].iter_rows()]
    header, *body, total = summary
    expected = Counter((r["duty_holder"], r["force"]) for r in register.rows)
    holder_row = next(r for r in body if r[0] == "integrated care board")
    for column, force in enumerate(header[1:-1], start=1):
        assert holder_row[column] == expected[("integrated care board", force)]
    assert total[0] == "Total" and total[-1] == len(register.rows)
    assert sum(r[-1] for r in body) == len(register.rows)


def test_xlsx_sources_list_documents_with_versions_and_hashes(
    corpus_store: Store, tmp_path: Path
) -> None:
    register = corpus_register(corpus_store)
    sheet = openpyxl.load_workbook(export(register, tmp_path / "r.xlsx"))["Sources"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    assert {r["content_hash"] for r in rows} == {
        d.document.content_hash for d in corpus_store.documents()
    }
    assert all(r["version"] == 1 and r["obligations"] > 0 for r in rows)
    assert sum(r["obligations"] for r in rows) == len(register.rows)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)"])
def test_formula_injection_is_neutralised(tmp_path: Path, text: str) -> None:
    hits = [Hit(stored_obligation(text))]
    with export(hits, tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["clause_text"] == f"'{text}"
    workbook = openpyxl.load_workbook(export(hits, tmp_path / "r.xlsx"))
    cell = workbook["Register"].cell(2, COLUMNS.index("clause_text") + 1)
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix  # text, not formula
    assert not any(c.data_type == "f" for ws in workbook for row in ws.iter_rows() for c in row)


def test_xlsx_drops_characters_xml_forbids(tmp_path: Path) -> None:
    path = export(
        [Hit(stored_obligation("ICBs must\x0b publish\x00 a plan."))], tmp_path / "r.xlsx"
    )
    cell = openpyxl.load_workbook(path)["Register"].cell(2, COLUMNS.index("clause_text") + 1)
    assert cell.value == "ICBs must  publish  a plan."


def test_json_validates_against_the_shipped_schema(corpus_store: Store, tmp_path: Path) -> None:
    register = corpus_register(corpus_store)
    data = json.loads(export(register, tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema())
    assert data["columns"] == list(COLUMNS) and len(data["obligations"]) == len(register.rows)
    assert {d["content_hash"] for d in data["documents"]} == {
        d.content_hash for d in register.documents
    }
    data["obligations"][0]["force"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, load_schema())


def test_export_register_applies_filters_and_cites_only_those_documents(
    corpus_store: Store, tmp_path: Path
) -> None:
    filters = Filters(force=("mandatory",), holder="integrated care board")
    register = export_register(corpus_store, tmp_path / "icb.json", filters)
    assert register.rows and all(
        r["force"] == "mandatory" and r["duty_holder"] == "integrated care board"
        for r in register.rows
    )
    titles = {r["document_title"] for r in register.rows}
    assert {d.title for d in register.documents} == titles
    assert "holder: integrated care board" in register.scope


def test_export_register_with_a_query_exports_the_ranked_hits(
    corpus_store: Store, tmp_path: Path
) -> None:
    query = "involve Healthwatch in the integrated care strategy"
    register = export_register(corpus_store, tmp_path / "q.csv", OBLIGATIONS, query, limit=5)
    expected = [h.obligation.id for h in search(corpus_store, query, OBLIGATIONS, 5)]
    assert [r["obligation_id"] for r in register.rows] == expected and len(expected) == 5


def test_a_failed_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_written(register: Register, path: Path) -> None:
        path.write_text("{", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setitem(EXPORTERS, "json", half_written)
    with pytest.raises(RuntimeError):
        export([Hit(stored_obligation("ICBs must publish."))], tmp_path / "r.json")
    assert list(tmp_path.iterdir()) == []


def test_output_path_defaults_to_the_outputs_folder(tmp_path: Path) -> None:
    assert output_path(None, None, Path("outputs")) == Path("outputs/register.xlsx")
    assert output_path(None, "markdown", Path("outputs")) == Path("outputs/register.md")
    assert output_path(tmp_path, "csv", Path("outputs")) == tmp_path / "register.csv"


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown export format"):
        export([], tmp_path / "r.pdf")


def test_a_format_that_contradicts_the_suffix_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "register.csv"
    with pytest.raises(BadInput, match=r"--format json does not match the file's suffix \.csv"):
        export([], target, "json")
    assert not target.exists()
    # the same format under another spelling, or a suffix naming no format, is fine
    assert export([], tmp_path / "r.md", "markdown").read_text(encoding="utf-8")
    assert (
        json.loads(export([], tmp_path / "r.txt", "json").read_text(encoding="utf-8")) is not None
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_opens_the_workbook(corpus_store: Store, tmp_path: Path) -> None:
    """LibreOffice reads all three sheets back and prints the register (no repair needed)."""
    path = export(corpus_register(corpus_store), tmp_path / "r.xlsx")
    for target in ("pdf", "ods"):
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / "lo-out"),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    assert (tmp_path / "lo-out" / "r.pdf").stat().st_size > 10_000
    with zipfile.ZipFile(tmp_path / "lo-out" / "r.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    for name in ("Register", "Summary", "Sources"):
        assert f'table:name="{name}"' in content


def test_a_deadline_the_text_anchors_is_exported_with_its_period_and_anchor(
    tmp_path: Path,
) -> None:
    from docmine.config import load_settings
    from docmine.pipeline import ingest_file

    page = tmp_path / "notice.txt"
    page.write_text(
        "The registered manager must notify the Commission within 28 days of the date of death.\n",
        encoding="utf-8",
    )
    settings = load_settings(db=tmp_path / "r.db")
    with Store(settings.db) as store:
        ingest_file(page, store, settings, embed_vectors=False)
        rows = export_register(store, tmp_path / "r.csv", OBLIGATIONS).rows
    (row,) = rows
    assert row["deadline"] == "within 28 days of the date of death"
    assert (row["deadline_period"], row["deadline_anchor"]) == ("P28D", "the date of death")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as handle:
        (written,) = list(csv.DictReader(handle))
    assert written["deadline_period"] == "P28D"
