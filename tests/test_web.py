"""The web app through FastAPI's test client: pages, the JSON API, validation and escaping."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from docmine.errors import NotFound
from docmine.model import Filters, Force, ForceDecision, Span
from docmine.search import select
from docmine.store import Store
from docmine.web.app import create_app
from docmine.web.facets import facet_counts, holder_force_table
from docmine.web.pages import snippet_parts

BOARD = "integrated care board"


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    app = create_app(web_db, default_search_mode="lexical")
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_api_search_ranks_filters_and_counts_facets(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "publish plan", "holder": BOARD}).json()
    assert answer["mode"] == "lexical" and answer["total"] >= 2
    assert all(hit["holder"] == BOARD for hit in answer["results"])
    assert answer["results"][0]["force"] == "mandatory"
    holders = {v["value"]: v["count"] for v in answer["facets"]["holder"]}
    # a facet is counted without its own filter, so other holders stay visible
    assert holders[BOARD] >= 2 and "local authority" in holders


def test_facet_counts_match_the_filtered_register(web_db: Path) -> None:
    mandatory = Filters(force=("mandatory",))
    with Store(web_db, read_only=True) as store:
        counts = facet_counts(store, mandatory)
        register = select(store, mandatory)
        table = dict(holder_force_table(store))
    board = next(v for v in counts["holder"] if v.value == BOARD)
    assert board.count == sum(h.obligation.links.holder == BOARD for h in register) >= 2
    forces = {v.value: v.count for v in counts["force"]}  # counted without the force filter
    assert forces["mandatory"] == len(register) and forces.get("expectation", 0) >= 1
    assert {v.value: v.count for v in counts["deadline"]}.get("2024") == 1
    assert table[BOARD]["mandatory"] == board.count


def test_without_a_query_the_page_lists_the_register_with_download_links(
    client: TestClient,
) -> None:
    page = client.get("/", params={"force": "expectation"})
    assert page.status_code == 200
    assert "obligations in the register" in page.text or "obligation in the register" in page.text
    assert 'href="/api/export?force=expectation' in page.text
    assert "<mark>" not in page.text


def test_a_result_card_shows_force_holder_deadline_and_a_highlighted_snippet(
    client: TestClient,
) -> None:
    page = client.get("/", params={"q": "joint forward plan"}).text
    assert 'class="badge force-mandatory"' in page
    assert f"<dd>{BOARD}</dd>" in page and "before 1 April 2024" in page
    assert "<mark>forward</mark>" in page


def test_obligation_page_shows_context_section_and_other_versions(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "joint forward plan"}).json()["results"][0]
    detail = client.get(f"/api/obligations/{hit['id']}").json()
    texts = [c["text"] for c in detail["context"]]
    assert hit["text"] in texts and len(texts) >= 2
    assert detail["section"] == ["Joint forward plans"]
    assert [v["version"] for v in detail["other_versions"]] == [1]
    page = client.get(f"/obligations/{hit['id']}").text
    assert "In the source" in page and "Version 1" in page and "Joint forward plans" in page
    assert '<mark class="cue" title="force cue">' in page  # the word that carries the force
    cue = detail["cue"]
    assert cue and f"cue “{cue}”" in page and "Span(" not in page  # the words, not the object


def test_the_clause_is_marked_at_its_cue_and_condition_spans() -> None:
    from docmine.web.pages import explained_parts

    text = "Unless it is exempt, the ICB must publish a plan."
    decision = ForceDecision(
        Force.MANDATORY, cue=Span.of(text, 29, 33), condition=Span.of(text, 0, 19)
    )
    assert explained_parts(text, decision) == [
        ("Unless it is exempt", "condition"),
        (", the ICB ", ""),
        ("must", "cue"),
        (" publish a plan.", ""),
    ]
    assert explained_parts(text, ForceDecision(Force.MANDATORY)) == [(text, "")]


def test_document_text_with_markup_is_escaped_everywhere(client: TestClient) -> None:
    for params in ({"q": "website"}, {"q": "carers"}, {}):
        page = client.get("/", params=params).text
        assert "<script>alert" not in page and "<img src=x" not in page
    hit = client.get("/api/search", params={"q": "website"}).json()["results"][0]
    assert "<script>alert(1)</script>" in hit["text"]  # stored as written
    page = client.get(f"/obligations/{hit['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_export_writes_the_filtered_view_with_the_register_code(client: TestClient) -> None:
    params = {"holder": BOARD}
    total = client.get("/api/search", params=params).json()["total"]
    xlsx = client.get("/api/export", params={**params, "format": "xlsx"})
    assert (
        xlsx.status_code == 200 and "docmine-register.xlsx" in xlsx.headers["content-disposition"]
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.cell(1, 1).value == "obligation_id" and sheet.max_row - 1 == total
    rows = json.loads(client.get("/api/export", params={**params, "format": "json"}).content)
    records = rows if isinstance(rows, list) else rows.get("obligations", rows.get("rows"))
    assert len(records) == total
    csv = client.get("/api/export", params={**params, "format": "csv"}).text
    assert csv.count(BOARD) >= total


@pytest.mark.parametrize(
    ("url", "status", "names"),
    [
        ("/api/search?force=sometimes", 422, "force"),
        ("/api/search?limit=0", 422, "limit"),
        ("/api/search?limit=abc", 422, "limit"),
        ("/api/search?deadline_from=next-week", 422, "deadline_from"),
        ("/api/search?deadline=24", 422, "deadline"),
        ("/api/search?mode=psychic", 422, "mode"),
        ("/api/search?q=" + "x" * 501, 422, "q"),
        ("/api/export?format=pdf", 422, "format"),
        ("/api/obligations/not-an-id", 422, "obligation_id"),
        ("/api/obligations/abcdef123456", 404, "no obligation"),
    ],
)
def test_bad_parameters_get_a_clear_4xx(
    client: TestClient, url: str, status: int, names: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert names in " ".join(answer.json()["detail"])


def test_holder_and_body_filters_take_acronyms_and_any_case(
    client: TestClient,
) -> None:
    canonical = client.get("/api/search", params={"q": "plan", "holder": BOARD}).json()
    for name in ("ICB", "Integrated Care Boards"):
        answer = client.get("/api/search", params={"q": "plan", "holder": name}).json()
        assert answer["total"] == canonical["total"] >= 1, name
    # a name the gazetteer does not know may be a user's own body: kept as written
    unknown = client.get("/api/search", params={"q": "plan", "holder": "nobody"})
    assert unknown.status_code == 200 and unknown.json()["total"] == 0


def test_a_store_without_vectors_says_dense_search_is_unavailable(web_db: Path) -> None:
    # the read-only store was ingested without vectors: no silent empty dense search
    client = TestClient(
        create_app(web_db, default_search_mode="dense"), base_url="http://127.0.0.1"
    )
    answer = client.get("/api/search", params={"q": "publish plan"}).json()
    assert answer["mode"] == "lexical" and answer["total"] >= 1
    assert any("dense search is unavailable" in note for note in answer["notes"])


def test_html_errors_are_pages_without_stack_traces(client: TestClient) -> None:
    page = client.get("/?limit=9999")
    assert page.status_code == 422 and "Invalid request" in page.text and "limit" in page.text
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Traceback" not in missing.text


def test_the_store_is_opened_read_only(web_db: Path) -> None:
    import sqlite3

    with Store(web_db, read_only=True) as store, pytest.raises(sqlite3.OperationalError):
        store.connection.execute("DELETE FROM obligations")


def test_other_hosts_are_refused(web_db: Path) -> None:
    client = TestClient(create_app(web_db), base_url="http://attacker.example")
    assert client.get("/api/documents").status_code == 400


def test_documents_and_openapi_schema(client: TestClient) -> None:
    documents = client.get("/api/documents").json()
    plans = [d for d in documents if d["source"].endswith("plans.txt")]
    assert sorted(d["version"] for d in plans) == [1, 2]
    assert [d["latest"] for d in sorted(plans, key=lambda d: d["version"])] == [False, True]
    schema = client.get("/openapi.json").json()
    assert {
        "/api/search",
        "/api/obligations/{obligation_id}",
        "/api/documents",
        "/api/export",
    } <= set(schema["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN


def test_summary_page_charts_holders_by_force_and_lists_versions(client: TestClient) -> None:
    page = client.get("/summary").text
    assert '<rect class="seg-mandatory"' in page and BOARD in page
    assert "v2 (latest)" in page and "v1" in page


def test_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        create_app(tmp_path / "absent.db")


def test_snippet_parts_mark_terms_for_escaped_rendering() -> None:
    parts = snippet_parts("ICBs must publish <b>plans</b>", ["publish"])
    assert parts == [("ICBs must ", False), ("publish", True), (" <b>plans</b>", False)]


def test_serve_command_refuses_a_missing_database_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docmine.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1 and "docmine ingest" in result.output
    assert "Traceback" not in result.output
    assert "serving" not in result.output  # refused before it says it serves


def test_serving_on_every_interface_still_checks_the_host_header() -> None:
    from docmine.web.app import served_hosts

    assert served_hosts("127.0.0.1") == ["127.0.0.1", "127.0.0.1", "localhost", "::1", "[::1]"]
    everywhere = served_hosts("0.0.0.0")
    assert "*" not in everywhere and "localhost" in everywhere


def test_an_obligation_from_a_saved_page_links_to_where_it_was_saved_from(
    tmp_path: Path,
) -> None:
    from docmine.config import load_settings
    from docmine.pipeline import ingest

    url = "https://www.gov.uk/guidance/joint-forward-plans?a=1&b=2"
    page = tmp_path / "page.md"
    page.write_text(
        f"# Joint forward plans\n\nSource: {url}\n\n"
        "ICBs must publish a joint forward plan before April 2023.\n",
        encoding="utf-8",
    )
    db = tmp_path / "web.db"
    with Store(db) as store:
        ingest([page], store, load_settings(), embed_vectors=False)
        (hit,) = select(store, Filters())
    app = create_app(db, default_search_mode="lexical")
    html = TestClient(app, base_url="http://127.0.0.1").get(f"/obligations/{hit.obligation.id}")
    assert html.status_code == 200
    assert '<a href="https://www.gov.uk/guidance/joint-forward-plans?a=1&amp;b=2"' in html.text
