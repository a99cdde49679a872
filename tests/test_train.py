"""`docmine train` is reproducible, and leave-one-document-out CV beats the keyword baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docmine.classify.model import load_artefact
from docmine.classify.train import cross_validate_by_doc, train_from_files
from docmine.config import load_settings
from docmine.evaluate import force_report, macro_f1


@pytest.mark.slow
def test_train_rebuilds_the_same_artefact(shared_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (shared_dir / "gold" / "dev.jsonl").open()]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_doc.setdefault(row["doc"], []).append(row)
    small = [row for doc_rows in list(by_doc.values())[:3] for row in doc_rows[:40]]
    gold = tmp_path / "slice.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in small), encoding="utf-8")
    settings = load_settings()
    first = train_from_files([gold], settings, None, tmp_path / "a.joblib")
    second = train_from_files([gold], settings, None, tmp_path / "b.joblib")
    assert first.sha256 == second.sha256
    assert first.clauses == len(small) and first.documents == 3
    model = load_artefact(tmp_path / "a.joblib")
    assert model is not None and set(model.classes) <= {
        "mandatory",
        "expectation",
        "suggestion",
        "none",
    }


@pytest.mark.slow
def test_leave_one_document_out_beats_the_keyword_baseline(gold_force_data: Any) -> None:
    rows, contexts, data = gold_force_data
    decisions = cross_validate_by_doc(rows, contexts, data)
    gold = [r["force"] for r in rows]
    predicted = [d.force.value for d in decisions]
    score = macro_f1(gold, predicted)
    report = force_report(
        rows,
        [{"force": p, "polarity": "positive", "confidence": 1.0, "cue": ""} for p in predicted],
    )
    # measured 0.916 (keyword baseline 0.588) when this test was written; margin 0.05
    assert score >= 0.86
    assert score >= report.baseline_macro_f1 + 0.20
    assert all(0.0 <= d.confidence <= 1.0 and (d.cue or d.force == "none") for d in decisions)
