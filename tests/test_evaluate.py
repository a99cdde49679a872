"""Gold-file metrics: per-label scores, the keyword baseline beside them, segmentation recall."""

from __future__ import annotations

import pytest

from docmine.config import load_settings
from docmine.errors import BadInput
from docmine.language.overlap import token_overlap
from docmine.measure.evaluate import force_report, predict_rows, segmentation_recall


def test_force_report_scores_labels_and_the_baseline_on_the_same_rows() -> None:
    gold = [
        {"text": "ICBs must publish a plan.", "force": "mandatory"},
        {"text": "We heard that ICPs should engage.", "force": "none"},
        {"text": "ICPs may publish a strategy.", "force": "suggestion"},
    ]
    predicted = [
        {"force": "mandatory", "polarity": "positive", "confidence": 0.9, "cue": "must"},
        {"force": "expectation", "polarity": "positive", "confidence": 0.8, "cue": "should"},
        {"force": "suggestion", "polarity": "positive", "confidence": 0.6, "cue": "may"},
    ]
    report = force_report(gold, predicted, rules_predicted=predicted)
    assert report.per_label["mandatory"]["f1"] == 1.0
    assert report.per_label["none"]["recall"] == 0.0
    assert report.confusion[3][1] == 1  # gold none predicted expectation
    assert report.worst[0]["text"].startswith("We heard")
    # the keyword baseline also takes "should" in the reported view
    assert report.baseline_macro_f1 == report.macro_f1 == report.rules_macro_f1


def test_segmentation_recall_counts_gold_clauses_reproduced() -> None:
    gold = [{"doc": "a", "text": "ICBs must publish a plan."}, {"doc": "a", "text": "Other words."}]
    assert token_overlap("ICBs must publish a plan", "ICBs must publish a plan.") == 1.0
    assert segmentation_recall(gold, {"a": ["ICBs must publish a plan."]}) == 0.5


def test_cross_validation_needs_enough_documents_and_groups() -> None:
    rows = [{"doc": "a", "text": "ICBs must act.", "force": "mandatory", "group": "g"}]
    with pytest.raises(BadInput, match="at least 5 documents"):
        predict_rows(rows, load_settings(), cv="doc")
    with pytest.raises(BadInput, match="two groups"):
        predict_rows(rows, load_settings(), cv="group")


def test_the_holder_baseline_is_the_last_body_before_the_first_force_cue() -> None:
    from docmine.measure.evaluate import nearest_body_before_cue

    rows = [
        {
            "doc": "a",
            "text": "Local authorities and ICBs must publish a plan.",
            "force": "mandatory",
        },
        {"doc": "a", "text": "The plan must be sent to the ICB.", "force": "mandatory"},
    ]
    assert nearest_body_before_cue(rows, load_settings()) == ["integrated care board", ""]
