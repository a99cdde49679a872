"""Measuring docmine against gold files (ANNOTATION.md fields): force, polarity, links and
segmentation, beside the keyword baseline measured in the same run."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docmine.classify import classify_contexts
from docmine.classify.rules import classify_keyword
from docmine.config import Settings
from docmine.errors import BadInput
from docmine.link import link_clause, make_context
from docmine.model import FORCE_ORDER, Clause, ForceDecision, Links, Obligation, Provenance
from docmine.overlap import token_overlap
from docmine.textfile import read_text

LABELS = tuple(f.value for f in FORCE_ORDER)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; every row needs a `text`."""
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"line {number} is not JSON ({exc.msg})", str(path)) from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise BadInput(f'line {number} has no "text" string', str(path))
        rows.append(row)
    return rows


def predicted_fields(obligation: Obligation) -> dict[str, Any]:
    """The ANNOTATION.md field names for a prediction, plus confidence and cue."""
    decision, links = obligation.decision, obligation.links
    return {
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "holder": links.holder,
        "bodies": list(obligation.other_bodies),
        "duty": links.duty.id if links.duty else "",
        "deadline": links.deadline.text if links.deadline else "",
        "condition": decision.condition,
        "confidence": round(decision.confidence, 3),
        "cue": decision.cue,
    }


def _group_by_doc(rows: Sequence[dict[str, Any]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[str(row.get("doc", ""))].append(index)
    return groups


def predict_rows(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    method: str = "rules",
    corpus: Path | None = None,
    cv_by_doc: bool = False,
) -> list[dict[str, Any]]:
    """Predictions for gold-style rows; rows of one `doc` share its authority and acronyms.

    With `corpus`, each row takes its section path and lead-in from the clause of `corpus/<doc>`
    it aligns to (by text only). With `cv_by_doc`, force comes from leave-one-document-out
    cross-validation of the model on these rows' own labels, so no document is both trained and
    tested on."""
    from docmine.classify.train import gold_contexts

    contexts = gold_contexts(rows, corpus)
    if cv_by_doc:
        decisions = _cross_validated(rows, contexts, settings)
    else:
        decisions = classify_contexts(contexts, method, settings)
    out: list[dict[str, Any]] = [{} for _ in rows]
    for doc, indices in _group_by_doc(rows).items():
        texts = [rows[i]["text"] for i in indices]
        joined = "\n\n".join(texts)
        context = make_context(
            joined, [settings.bodies], settings.duties, "", texts, settings.spacy_model
        )
        for i in indices:
            text, decision = rows[i]["text"], decisions[i]
            links: Links = link_clause(text, decision, context)
            clause = Clause(doc, text, Provenance(None, (), 0, len(text)))
            out[i] = predicted_fields(Obligation(clause, decision, links))
    return out


def _cross_validated(
    rows: Sequence[dict[str, Any]], contexts: Sequence[Any], settings: Settings
) -> list[ForceDecision]:
    from docmine.classify.train import cross_validate_by_doc, featurise

    if any("force" not in r for r in rows):
        raise BadInput("--cv-by-doc needs a gold `force` on every row")
    if len({r.get("doc", "") for r in rows}) < 2:
        raise BadInput("--cv-by-doc needs rows from at least two documents (`doc` field)")
    return cross_validate_by_doc(rows, contexts, featurise(contexts, settings))


@dataclass
class ForceReport:
    per_label: dict[str, dict[str, float]]
    macro_f1: float
    confusion: list[list[int]]
    polarity_accuracy: float
    support: int
    baseline_macro_f1: float = 0.0
    rules_macro_f1: float | None = None
    worst: list[dict[str, Any]] = field(default_factory=list)


def _prf(gold: Sequence[str], pred: Sequence[str], label: str) -> dict[str, float]:
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    predicted = sum(p == label for p in pred)
    actual = sum(g == label for g in gold)
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": float(actual)}


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(_prf(gold, pred, label)["f1"] for label in LABELS) / len(LABELS)


def force_report(
    gold_rows: Sequence[dict[str, Any]],
    predicted: Sequence[dict[str, Any]],
    rules_predicted: Sequence[dict[str, Any]] | None = None,
) -> ForceReport:
    """Per-label P/R/F1, macro-F1, confusion, polarity accuracy and the ten most confident
    errors, beside the keyword baseline (and the rules, if given) on the same rows."""
    gold = [r["force"] for r in gold_rows]
    pred = [p["force"] for p in predicted]
    confusion = [
        [sum(g == a and p == b for g, p in zip(gold, pred, strict=True)) for b in LABELS]
        for a in LABELS
    ]
    polarity = [
        r.get("polarity", "positive") == p["polarity"]
        for r, p in zip(gold_rows, predicted, strict=True)
    ]
    baseline = [classify_keyword(r["text"]).value for r in gold_rows]
    worst = sorted(
        (
            {
                "id": r.get("id", ""),
                "gold": r["force"],
                "predicted": p["force"],
                "confidence": p["confidence"],
                "cue": p["cue"],
                "text": r["text"],
            }
            for r, p in zip(gold_rows, predicted, strict=True)
            if r["force"] != p["force"]
        ),
        key=lambda e: -float(e["confidence"]),
    )[:10]
    return ForceReport(
        per_label={label: _prf(gold, pred, label) for label in LABELS},
        macro_f1=macro_f1(gold, pred),
        confusion=confusion,
        polarity_accuracy=sum(polarity) / len(polarity) if polarity else 0.0,
        support=len(gold),
        baseline_macro_f1=macro_f1(gold, baseline),
        rules_macro_f1=(
            macro_f1(gold, [p["force"] for p in rules_predicted]) if rules_predicted else None
        ),
        worst=worst,
    )


def evaluate_force(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    method: str = "model",
    corpus: Path | None = None,
    cv_by_doc: bool = False,
) -> tuple[ForceReport, list[dict[str, Any]]]:
    """Predict the rows (or cross-validate by document) and report force beside the keyword
    baseline and the rules, all measured in this run on the same rows and context."""
    predicted = predict_rows(rows, settings, method, corpus, cv_by_doc)
    rules = (
        predict_rows(rows, settings, "rules", corpus) if cv_by_doc or method != "rules" else None
    )
    return force_report(rows, predicted, rules), predicted


def linking_report(
    gold_rows: Sequence[dict[str, Any]],
    predicted: Sequence[dict[str, Any]],
    settings: Settings | None = None,
) -> dict[str, float]:
    """Holder accuracy (on clauses whose gold force is not none), bodies micro-F1, duty F1 and
    deadline exact match (gold deadlines of those clauses), end to end (with the predicted force).
    With `settings`, also `*_given_gold_force`: the same rows re-linked with their gold force, which
    measures the linker apart from the classifier's force errors."""
    from docmine.link.gold import link_with_gold_force

    def scores(linked: Sequence[dict[str, Any]]) -> dict[str, float]:
        pairs = list(zip(gold_rows, linked, strict=True))
        instructed = [(g, p) for g, p in pairs if g["force"] != "none"]
        holder = sum(g.get("holder", "") == p["holder"] for g, p in instructed)
        tp = fp = fn = 0
        for g, p in pairs:
            gold_set, pred_set = set(g.get("bodies", [])), set(p["bodies"])
            tp += len(gold_set & pred_set)
            fp += len(pred_set - gold_set)
            fn += len(gold_set - pred_set)
        d_tp = sum(bool(g.get("duty")) and g.get("duty") == p["duty"] for g, p in pairs)
        d_pred = sum(bool(p["duty"]) for _, p in pairs)
        d_gold = sum(bool(g.get("duty")) for g, _ in pairs)
        dated = [(g, p) for g, p in instructed if g.get("deadline")]
        return {
            "holder_accuracy": holder / max(len(instructed), 1),
            "bodies_micro_f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0,
            "duty_f1": 2 * d_tp / (d_pred + d_gold) if d_pred + d_gold else 1.0,
            "deadline_exact_match": sum(g["deadline"] == p["deadline"] for g, p in dated)
            / max(len(dated), 1),
        }

    report = scores(predicted)
    if settings is not None:
        oracle = scores(link_with_gold_force(gold_rows, predicted, settings))
        report.update({f"{k}_given_gold_force": v for k, v in oracle.items()})
    report["instructed_clauses"] = float(sum(g["force"] != "none" for g in gold_rows))
    return report


def segmentation_recall(
    gold_rows: Sequence[dict[str, Any]], produced: dict[str, list[str]], threshold: float = 0.8
) -> float | None:
    """Share of gold clauses with a produced clause of token overlap >= threshold."""
    scored = [r for r in gold_rows if r.get("doc") in produced]
    if not scored:
        return None
    hits = sum(
        max((token_overlap(r["text"], c) for c in produced[r["doc"]]), default=0.0) >= threshold
        for r in scored
    )
    return hits / len(scored)


def corpus_segmentation_recall(
    rows: Sequence[dict[str, Any]], corpus: Path, threshold: float = 0.8
) -> float | None:
    """Segmentation recall of the gold rows' documents found in `corpus` (by the `doc` field)."""
    from docmine.extract import extract
    from docmine.segment import segment

    produced: dict[str, list[str]] = {}
    for doc in {str(r.get("doc", "")) for r in rows}:
        path = corpus / doc
        if doc and path.is_file():
            produced[doc] = [c.text for c in segment(extract(path))]
    return segmentation_recall(rows, produced, threshold)


def classify_file(source: Path, output: Path, settings: Settings, method: str = "model") -> int:
    """`docmine classify`: each input row written back with its predicted fields; the output
    appears whole or not at all. Returns the number of rows."""
    rows = load_jsonl(source)
    predicted = predict_rows(rows, settings, method)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    with partial.open("w", encoding="utf-8") as handle:
        for row, fields in zip(rows, predicted, strict=True):
            handle.write(json.dumps({**row, **fields}, ensure_ascii=False) + "\n")
    partial.replace(output)
    return len(rows)
