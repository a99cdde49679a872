from pathlib import Path

import pytest

from docmine.config import Settings
from docmine.model import Filters
from docmine.pipeline import Status, ingest
from docmine.search import select
from docmine.store import Store

GUIDANCE = "Duties\n\nICBs must publish a joint forward plan before April 2023.\n"


def test_unchanged_files_are_skipped_and_changed_files_become_versions(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    assert [r.status for r in ingest([path], store, settings)] == [Status.INGESTED]
    assert [r.status for r in ingest([path], store, settings)] == [Status.UNCHANGED]
    path.write_text(GUIDANCE.replace("must", "should"), encoding="utf-8")
    result = ingest([path], store, settings)[0]
    assert (result.status, result.version) == (Status.NEW_VERSION, 2)
    latest = select(store, Filters())
    assert [h.obligation.decision.force for h in latest] == ["expectation"]
    assert len(select(store, Filters(all_versions=True))) == 2


def test_a_bad_file_fails_alone_and_the_batch_goes_on(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    good, empty, broken = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.pdf"
    good.write_text(GUIDANCE, encoding="utf-8")
    empty.write_bytes(b"")
    broken.write_bytes(b"%PDF-1.7\n%%EOF\n")
    results = {Path(r.path).name: r for r in ingest([good, empty, broken], store, settings)}
    assert results["a.txt"].status == Status.INGESTED
    assert results["b.txt"].status == Status.FAILED and "0 bytes" in results["b.txt"].message
    assert results["c.pdf"].status == Status.FAILED and "corrupt" in results["c.pdf"].message
    assert len(select(store, Filters())) == 1


def test_a_crash_mid_document_leaves_no_half_document(store: Store) -> None:
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO documents (id, source, title, format, content_hash, version, "
                "authority, ingested_at, text) VALUES ('x','s','t','text','h',1,'guidance',"
                "'now','')"
            )
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert store.documents() == []


def test_demo_register_has_the_annex_c_duty(corpus_store: Store) -> None:
    """End to end over corpus/: a clause a policy lead would look for, with provenance."""
    hits = [
        h
        for h in select(corpus_store, Filters(force=("mandatory",)))
        if "must involve the local Healthwatch" in h.obligation.clause.text
    ]
    assert len(hits) == 1
    found = hits[0].obligation
    where = found.clause.provenance
    assert found.links.holder == "integrated care partnership"
    assert where.section[-1].startswith("Annex C")
    assert found.document.source.endswith("dhsc-icp-engagement-summary-2022.txt")
    document_text = corpus_store.document(found.document.id).text
    assert "must involve the local Healthwatch" in document_text[where.start : where.end]


def test_demo_register_covers_every_seed(corpus_store: Store) -> None:
    documents = corpus_store.documents()
    assert len(documents) == 5
    assert all(d.obligations > 0 for d in documents)


def test_ingesting_a_folder_twice_changes_nothing_the_second_time(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GUIDANCE, encoding="utf-8")
    (folder / "b.txt").write_text(GUIDANCE.replace("ICBs", "Local authorities"), "utf-8")
    first = ingest([folder], store, settings, embed_vectors=False)
    ids = [h.obligation.id for h in select(store, Filters())]
    generation = store.generation()
    second = ingest([folder], store, settings, embed_vectors=False)
    assert [r.status for r in first] == [Status.INGESTED, Status.INGESTED]
    assert [r.status for r in second] == [Status.UNCHANGED, Status.UNCHANGED]
    assert store.generation() == generation  # not one row written
    assert [h.obligation.id for h in select(store, Filters())] == ids


def test_obligation_ids_are_stable_when_unchanged_text_is_ingested_again(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    ids = []
    for name in ("one.db", "two.db"):  # e.g. a store rebuilt from the same files
        with Store(tmp_path / name) as fresh:
            ingest([path], fresh, settings, embed_vectors=False)
            ids.append([h.obligation.id for h in select(fresh, Filters())])
    assert ids[0] == ids[1] and len(ids[0]) == 1


def test_a_file_result_reports_pages_and_time_per_stage(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    result = ingest([path], store, settings, embed_vectors=False)[0]
    stages = [stage for stage, _ in result.stage_seconds if stage != "load"]
    assert stages == ["extract", "analyse", "embed", "store"]
    assert dict(result.stage_seconds)["analyse"] > 0
    assert result.embedded == 0


@pytest.mark.slow
def test_vectors_are_stored_at_ingest_and_reused_for_unchanged_passages(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    two_clauses = GUIDANCE + "\nICPs should involve carers in the strategy.\n"
    path.write_text(two_clauses, encoding="utf-8")
    first = ingest([path], store, settings)[0]
    path.write_text(two_clauses.replace("involve carers", "involve unpaid carers"), "utf-8")
    second = ingest([path], store, settings)[0]
    assert (first.embedded, second.status, second.embedded) == (2, Status.NEW_VERSION, 1)
    from docmine.language.embed import model_key

    assert store.missing_embeddings(model_key(settings.embedding_model, "onnx-int8")) == []


def test_the_file_list_is_announced_before_work_starts(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    (tmp_path / "a.txt").write_text(GUIDANCE, encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    announced: list[list[Path]] = []
    heard: list[str] = []
    ingest(
        [tmp_path],
        store,
        settings,
        embed_vectors=False,
        on_start=announced.append,
        on_file=lambda result, seconds: heard.append(Path(result.path).name),
    )
    assert [[p.name for p in files] for files in announced] == [["a.txt"]] and heard == ["a.txt"]


def test_unchanged_clauses_keep_their_ids_in_a_new_version(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE + "\nICPs should involve Healthwatch.\n", encoding="utf-8")
    ingest([path], store, settings, embed_vectors=False)
    first = {h.obligation.clause.text: h.obligation.id for h in select(store, Filters())}
    path.write_text(
        GUIDANCE.replace("must", "should") + "\nICPs should involve Healthwatch.\n",
        encoding="utf-8",
    )
    ingest([path], store, settings, embed_vectors=False)
    second = {h.obligation.clause.text: h.obligation.id for h in select(store, Filters())}
    kept = "ICPs should involve Healthwatch."
    assert second[kept] == first[kept]
    assert set(first.values()) != set(second.values())  # the edited clause has a new id


def test_a_file_put_back_to_older_content_becomes_the_latest_version(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    ingest([path], store, settings, embed_vectors=False)
    path.write_text(GUIDANCE.replace("must", "should"), encoding="utf-8")
    ingest([path], store, settings, embed_vectors=False)
    path.write_text(GUIDANCE, encoding="utf-8")
    result = ingest([path], store, settings, embed_vectors=False)[0]
    assert (result.status, result.version) == (Status.NEW_VERSION, 3)
    assert [h.obligation.decision.force for h in select(store, Filters())] == ["mandatory"]
    assert len({d.document.id for d in store.documents()}) == 3


def test_the_pipeline_runs_declared_stages_that_each_write_the_document(
    tmp_path: Path, settings: Settings
) -> None:
    from docmine.normalise import normalise
    from docmine.pipeline import STAGES, Pipeline, read

    path = tmp_path / "g.txt"
    path.write_text(GUIDANCE.replace("must", "must\u00a0 ") + "\n\nContact us\n", encoding="utf-8")
    document = read(path, settings)  # the extract stage: the text as the reader saw it
    assert document.clauses == () and document.obligations == () and document.title == ""
    assert [s.name for s in STAGES] == [
        "normalise",
        "authority",
        "segment",
        "classify",
        "link",
        "embed",
    ]
    analysed = Pipeline(settings).run(document)
    assert [c.text for c in analysed.clauses] == [o.clause.text for o in analysed.obligations]
    (duty,) = [o for o in analysed.obligations if o.decision.force != "none"]
    assert duty.decision.force == "mandatory" and duty.links.holder == "integrated care board"
    assert "must\u00a0 " in document.text and "must\u00a0" not in analysed.text
    assert analysed.blocks == normalise(document).blocks  # later stages never rewrite them
    assert [b.orig for b in analysed.blocks] == [b.text for b in document.blocks]
    assert analysed.blocks[-1].kind == "furniture" and analysed.title
    # without a store to embed into, passages are keyed but carry no vector
    pairs = zip(analysed.passages, analysed.obligations, strict=True)
    assert all(p.text.endswith(o.clause.text) and p.key for p, o in pairs)
    assert not any(p.vector for p in analysed.passages)
    with pytest.raises(ValueError, match="stage link reads"):
        Pipeline(settings, stages=STAGES[:3] + STAGES[4:])  # link before anything classified


def test_a_long_document_streams_through_analysis_in_batches_with_the_same_result(
    corpus_dir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docmine.pipeline as pipeline

    document = pipeline.read(corpus_dir / "healthwatch-ready-for-ics.txt", settings)
    whole = pipeline.Pipeline(settings).run(document)
    monkeypatch.setattr(pipeline, "CLAUSE_BATCH", 7)  # many batches; a holder crosses them
    batched = pipeline.Pipeline(settings).run(document)
    assert len(whole.obligations) > 3 * 7
    assert [(o.decision.force, o.links.holder, o.links.deadline) for o in batched.obligations] == [
        (o.decision.force, o.links.holder, o.links.deadline) for o in whole.obligations
    ]


def test_a_long_text_gets_time_in_proportion_and_the_message_says_so(
    settings: Settings,
) -> None:
    from dataclasses import replace

    from docmine.errors import TimedOut
    from docmine.model import Document
    from docmine.pipeline import analysis_seconds, time_limit

    short = Document("s.txt", "S", "text", "h", "x" * 10, ())
    assert analysis_seconds(short, settings) == settings.max_seconds_per_file
    long = replace(short, text="x" * 2_500_000)
    assert analysis_seconds(long, settings) == 3 * settings.max_seconds_per_file
    message = r"over the 0 s limit for its 2.5 million characters"
    with (
        pytest.raises(TimedOut, match=message),
        time_limit(0.05, Path("s.txt"), "limit for its 2.5 million characters"),
    ):
        while True:
            pass


def test_a_long_pdf_gets_reading_time_per_fifty_pages_and_the_message_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    from docmine.extract.pdf import seconds_for
    from docmine.pipeline import extraction_seconds

    document = pdfium.PdfDocument.new()
    for _ in range(120):
        document.new_page(595.0, 842.0)
    long = tmp_path / "long.pdf"
    document.save(str(long))
    document.close()
    limit = settings.max_seconds_per_file
    seconds, what = extraction_seconds(long, settings)
    assert seconds == 3 * limit == seconds_for(120, limit)
    assert what == f"limit for its 120 pages ({limit:.0f} s per 50 pages)"
    # a short PDF, a file that is not a PDF and a PDF that will not open keep the plain limit
    assert seconds_for(50, limit) == limit
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    assert extraction_seconds(broken, settings) == (limit, "per-file limit")
    text = tmp_path / "notes.txt"
    text.write_text("ICBs must publish a plan.", encoding="utf-8")
    assert extraction_seconds(text, settings) == (limit, "per-file limit")


@pytest.mark.parametrize(
    "stem",
    [
        "ccal-next-steps-summary",
        "dhsc-icp-engagement-summary",
        "healthwatch-ready-for-ics",
        "lga-cwb-ics-update",
        "nhsconfed-integration-actions",
    ],
)
def test_a_list_drawn_as_a_table_keeps_its_obligations(
    stem: str, shared_dir: Path, settings: Settings
) -> None:
    from docmine.model import Force
    from docmine.pipeline import Pipeline, read

    pipeline = Pipeline(settings)

    def obligations(variant: str) -> int:
        document = pipeline.run(read(shared_dir / "corpus-pdf" / f"{stem}.{variant}.pdf", settings))
        return sum(o.decision.force != Force.NONE for o in document.obligations)

    assert obligations("tables") >= obligations("base")


def test_hidden_files_and_folders_are_not_collected(tmp_path: Path) -> None:
    from docmine.pipeline import collect_files

    for name in ("a.txt", ".hidden.txt", "._a.txt", ".git/b.txt", "sub/c.md", "sub/.d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("ICBs must act.", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in collect_files([tmp_path])] == [
        "a.txt",
        "sub/c.md",
    ]


def test_a_saved_page_keeps_its_origin_and_its_vectors_are_keyed_by_the_same_passage(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    """The "Source:" line is the document's origin, not a heading; the passage the ingest keys a
    clause's vector by is the one a later fill of missing vectors embeds for it."""
    from docmine.language.embed import PASSAGE_FORMAT, model_key, passage
    from docmine.pipeline import text_hash

    url = "https://www.gov.uk/guidance/joint-forward-plans"
    path = tmp_path / "page.md"
    path.write_text(f"# Joint forward plans\n\nSource: {url}\n\n{GUIDANCE}", encoding="utf-8")
    ingest([path], store, settings, embed_vectors=False)
    (document,) = store.documents()
    assert document.document.origin == url
    (hit,) = select(store, Filters())
    assert hit.obligation.clause.provenance.section == ("Joint forward plans", "Duties")
    (key,) = store.connection.execute("SELECT text_hash FROM obligations").fetchone()
    missing = store.missing_embeddings(model_key(settings.embedding_model, "onnx-int8"))
    assert [(stored, origin) for stored, _, _, origin in missing] == [(key, url)]
    (_, text, section, origin) = missing[0]
    written = passage(section, text, origin)
    assert written.startswith(f"Joint forward plans > Source: {url} > Duties. ICBs must")
    assert text_hash(f"{PASSAGE_FORMAT}\x1f{written}") == key
