import csv
import json
from pathlib import Path

import openpyxl
import pytest

from docmine.errors import BadInput
from docmine.export import export
from docmine.export.register import COLUMNS
from docmine.search import Filters, Hit, select
from docmine.store import Store


def obligations(store: Store) -> list[Hit]:
    return select(store, Filters(force=("mandatory", "expectation", "suggestion")))


def test_csv_has_the_documented_columns_and_a_bom(corpus_store: Store, tmp_path: Path) -> None:
    path = export(obligations(corpus_store), tmp_path / "r.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(obligations(corpus_store))


def test_xlsx_round_trips_through_openpyxl(corpus_store: Store, tmp_path: Path) -> None:
    path = export(obligations(corpus_store), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["Register"]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.max_row == len(obligations(corpus_store)) + 1


def test_json_lists_obligations(corpus_store: Store, tmp_path: Path) -> None:
    path = export(obligations(corpus_store), tmp_path / "r.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["obligations"][0]) == set(COLUMNS)


def test_formula_injection_is_neutralised(tmp_path: Path) -> None:
    row = {
        "id": "x",
        "force": "mandatory",
        "polarity": "positive",
        "holder": "",
        "bodies": "[]",
        "duty": "",
        "duty_law": "",
        "deadline": "",
        "deadline_start": "",
        "deadline_end": "",
        "deadline_relation": "",
        "condition": "",
        "text": '=HYPERLINK("http://evil")',
        "title": "t",
        "version": 1,
        "authority": "guidance",
        "page": None,
        "section": "[]",
        "source": "s.txt",
        "confidence": 1.0,
        "cue": "must",
    }
    path = export([Hit(row)], tmp_path / "r.csv")
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")
    sheet = openpyxl.load_workbook(export([Hit(row)], tmp_path / "r.xlsx"))["Register"]
    assert str(sheet.cell(2, COLUMNS.index("clause_text") + 1).value).startswith("'=")


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown export format"):
        export([], tmp_path / "r.pdf")
