"""`docmine train` is reproducible, and cross-validation grouped by document and by publisher
group beats the keyword baseline measured in the same run."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from docmine.classify.model import LABELS, load_artefact
from docmine.config import load_settings
from docmine.link.choice import PENALTIES
from docmine.measure.evaluate import expected_calibration_error, force_report, instruction_scores
from docmine.measure.train_force import (
    cross_validate,
    document_folds,
    group_folds,
    train_from_files,
)


def _slice(shared_dir: Path, per_label_docs: int = 3) -> list[dict[str, Any]]:
    """Whole documents from train.jsonl, a few per label, so every label is present."""
    rows = [json.loads(line) for line in (shared_dir / "gold" / "train.jsonl").open()]
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    chosen: list[str] = []
    for label in LABELS:
        having = [d for d, rs in by_doc.items() if any(r["force"] == label for r in rs)]
        chosen += [d for d in having if d not in chosen][:per_label_docs]
    return [row for doc in chosen for row in by_doc[doc]]


@pytest.mark.slow
def test_train_rebuilds_the_same_artefact(shared_dir: Path, tmp_path: Path) -> None:
    small = _slice(shared_dir)
    gold = tmp_path / "slice.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in small), encoding="utf-8")
    settings = load_settings()
    corpora = [shared_dir / "gold" / "train-docs"]
    first = train_from_files([gold], settings, corpora, tmp_path / "a.json.gz")
    second = train_from_files([gold], settings, corpora, tmp_path / "b.json.gz")
    assert first.sha256 == second.sha256
    assert first.links_sha256 == second.links_sha256
    # the holder model's penalty is chosen, and the same again, from the grid
    assert first.holder_penalty is not None and first.holder_penalty == second.holder_penalty
    assert first.holder_penalty in PENALTIES
    assert first.clauses == len(small) and first.documents == len({r["doc"] for r in small})
    model = load_artefact(tmp_path / "a.json.gz")
    assert model is not None and model.coef_.shape[0] == len(LABELS)


def test_document_folds_never_split_a_document_and_groups_hold_out_whole_groups() -> None:
    rows = [
        {"doc": f"d{i // 3}", "force": LABELS[i % 4], "group": "ab"[(i // 3) % 2], "text": ""}
        for i in range(60)
    ]
    folds = document_folds(rows)
    assert len(folds) == 5
    seen: set[int] = set()
    for _, train, test in folds:
        assert not {rows[i]["doc"] for i in train} & {rows[i]["doc"] for i in test}
        seen |= set(test.tolist())
    assert seen == set(range(60))
    for name, train, test in group_folds(rows):
        assert {rows[i]["group"] for i in test} == {name}
        assert name not in {rows[i]["group"] for i in train}
        assert not {rows[i]["doc"] for i in train} & {rows[i]["doc"] for i in test}
    rows[0]["group"] = "b"  # d0 now spans two groups: a held-out group would leak it
    with pytest.raises(ValueError, match="'d0' is in groups"):
        group_folds(rows)


def test_calibration_error_and_instruction_scores() -> None:
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0, 1.0], [False, False]) == pytest.approx(1.0)
    recall, precision = instruction_scores(
        ["must", "none", "none", "may"], ["must", "should", "none", "none"]
    )
    assert (recall, precision) == (0.5, 0.5)


@pytest.mark.slow
def test_grouped_cross_validation_beats_the_keyword_baseline(gold_force_data: Any) -> None:
    rows, contexts, data = gold_force_data
    for splits, floor in ((document_folds(rows), 0.70), (group_folds(rows), 0.69)):
        result = cross_validate(rows, contexts, data, splits, calibrate=False)
        predicted = [
            {
                "force": d.force.value,
                "polarity": d.polarity.value,
                "confidence": d.confidence,
                "cue": d.cue_text,
            }
            for d in result.decisions
        ]
        report = force_report(rows, predicted)
        # measured 0.732 (5 folds by document) and 0.722 (by group), keyword 0.616, when this
        # test was written (temperature never changes the argmax); margin for library versions
        assert report.macro_f1 >= floor
        assert report.macro_f1 >= report.baseline_macro_f1 + 0.05
        for row, decision in zip(rows, result.decisions, strict=True):
            if decision.cue is not None:
                assert row["text"][decision.cue.start : decision.cue.end] == decision.cue.text
