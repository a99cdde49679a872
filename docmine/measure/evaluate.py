"""Measuring docmine against gold files (ANNOTATION.md fields): force, polarity, links and
segmentation, beside the keyword baseline measured in the same run."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docmine.classify import classify_contexts
from docmine.classify.rules import classify_keyword, find_condition
from docmine.config import Settings
from docmine.errors import BadInput
from docmine.language.overlap import token_overlap, word_counts
from docmine.link import make_context, make_links
from docmine.link.choice import LinkModels, load_link_models
from docmine.measure.textfile import read_jsonl as load_jsonl
from docmine.measure.train_links import Linked, apply_link_models, fit_link_models, link_examples
from docmine.model import FORCE_ORDER, Clause, Force, Obligation, Provenance

LABELS = tuple(f.value for f in FORCE_ORDER)


def predicted_fields(obligation: Obligation) -> dict[str, Any]:
    """The ANNOTATION.md field names for a prediction, plus confidence and cue."""
    decision, links = obligation.decision, obligation.links
    return {
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "holder": links.holder,
        "holder_text": links.holder_text,
        "holder_confidence": round(links.holder_confidence, 3),
        "bodies": list(obligation.other_bodies),
        "duty": links.duty.id if links.duty else "",
        "deadline": links.deadline.text if links.deadline else "",
        "condition": decision.condition_text,
        "confidence": round(decision.confidence, 3),
        "cue": decision.cue_text,
        "cue_span": [decision.cue.start, decision.cue.end]
        if decision.cue and decision.cue.text
        else [],
        "condition_span": (
            [decision.condition.start, decision.condition.end]
            if decision.condition is not None and decision.condition.start >= 0
            else []
        ),
    }


def _group_by_doc(rows: Sequence[dict[str, Any]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[str(row.get("doc", ""))].append(index)
    return groups


CV_MODES = ("doc", "group")


@dataclass
class Predicted:
    """Predicted fields per row, the force probabilities (model only) and each row's fold."""

    fields: list[dict[str, Any]]
    probabilities: Any = None
    fold_of: list[str] = field(default_factory=list)
    # the same rows linked as if their gold force had been predicted (rows with a gold force)
    given_gold: list[dict[str, Any]] = field(default_factory=list)


def predict_rows(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    method: str = "model",
    corpora: Sequence[Path] = (),
    cv: str | None = None,
    with_links: bool = True,
) -> Predicted:
    """Predictions for gold-style rows; rows of one `doc` share its authority and acronyms.

    With `corpora`, each row takes its document's title and authority, and its section path and
    lead-in from the clause of `<corpus>/<doc>` it aligns to (by text only). With `cv` ("doc" or
    "group"), force comes from cross-validation of the model on these rows' own labels: 5 folds
    grouped by document, or one publisher group (`group`) held out at a time, so no document is
    both trained and tested on."""
    from docmine.measure.train_force import gold_contexts

    contexts = gold_contexts(rows, corpora)
    probabilities, fold_of = None, []
    if cv is not None:
        result = _cross_validated(rows, contexts, settings, cv)
        decisions, probabilities, fold_of = result.decisions, result.probabilities, result.fold_of
    else:
        decisions = classify_contexts(contexts, method, settings)
    if not with_links:
        return Predicted([_force_fields(d) for d in decisions], probabilities, fold_of)
    examples = link_examples(rows, decisions, settings, corpora)
    if cv is not None:
        linked = cross_validated_links(rows, examples, fold_of)
    else:
        models = load_link_models(settings.link_models) or LinkModels()
        linked = [apply_link_models(models, example) for example in examples]
    out: list[dict[str, Any]] = []
    given_gold: list[dict[str, Any]] = []
    for row, decision, example, chosen in zip(rows, decisions, examples, linked, strict=True):
        text = row["text"]
        clause = Clause(str(row.get("doc", "")), text, Provenance(None, (), 0, len(text)))
        holder, bodies = chosen.holder, chosen.bodies
        instruction = decision.force != Force.NONE
        links = make_links(text, instruction, holder, bodies, example.context, chosen.confidence)
        out.append(predicted_fields(Obligation(clause, decision, links)))
        if row.get("force") in LABELS:
            gold = Force(row["force"]) != Force.NONE
            gold_links = make_links(
                text, gold, holder, bodies, example.gold_context, chosen.confidence
            )
            given_gold.append(predicted_fields(Obligation(clause, decision, gold_links)))
    return Predicted(out, probabilities, fold_of, given_gold)


def _force_fields(decision: Any) -> dict[str, Any]:
    return {
        "force": decision.force.value,
        "polarity": decision.polarity.value,
        "confidence": round(decision.confidence, 3),
        "cue": decision.cue_text,
    }


def cross_validated_links(
    rows: Sequence[dict[str, Any]], examples: Sequence[Any], fold_of: Sequence[Any]
) -> list[Linked]:
    """Holder and bodies of each row from link models fitted on the other folds' rows."""
    out: list[Linked] = [Linked(None, []) for _ in rows]
    for fold in sorted(set(fold_of), key=str):
        held_out = [i for i, f in enumerate(fold_of) if f == fold]
        models = fit_link_models(rows, examples, [i for i, f in enumerate(fold_of) if f != fold])
        for i in held_out:
            out[i] = apply_link_models(models, examples[i])
    return out


def _cross_validated(
    rows: Sequence[dict[str, Any]], contexts: Sequence[Any], settings: Settings, cv: str
) -> Any:
    from docmine.classify.model import LABELS as MODEL_LABELS
    from docmine.measure.train_force import (
        FOLDS,
        cross_validate,
        document_folds,
        featurise,
        group_folds,
    )

    if cv not in CV_MODES:
        raise BadInput(f"unknown cross-validation {cv!r}: use one of {list(CV_MODES)}")
    if any(r.get("force") not in MODEL_LABELS for r in rows):
        raise BadInput("cross-validation needs a gold `force` on every row")
    docs = {r.get("doc", "") for r in rows}
    if cv == "doc" and len(docs) < FOLDS:
        raise BadInput(f"--cv-by-doc needs rows from at least {FOLDS} documents (`doc` field)")
    try:
        splits = document_folds(rows) if cv == "doc" else group_folds(rows)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    if cv == "group" and len(splits) < 2:
        raise BadInput("--cv-by-group needs rows from at least two groups (`group` field)")
    try:
        return cross_validate(rows, contexts, featurise(contexts, settings), splits)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc


@dataclass
class ForceReport:
    per_label: dict[str, dict[str, float]]
    macro_f1: float
    confusion: list[list[int]]
    polarity_accuracy: float
    support: int
    instruction_recall: float = 0.0
    instruction_precision: float = 0.0
    ece: float | None = None
    baseline_macro_f1: float = 0.0
    rules_macro_f1: float | None = None
    per_split: dict[str, dict[str, float]] = field(default_factory=dict)
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


def instruction_scores(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    """Recall and precision of "carries any force" against "none"."""
    hits = sum(g != "none" and p != "none" for g, p in zip(gold, pred, strict=True))
    instructed, called = sum(g != "none" for g in gold), sum(p != "none" for p in pred)
    return hits / max(instructed, 1), hits / max(called, 1)


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 15
) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    total, error = len(confidences), 0.0
    for b in range(bins):
        members = [
            (c, k)
            for c, k in zip(confidences, correct, strict=True)
            if min(int(c * bins), bins - 1) == b
        ]
        if members:
            confidence = sum(c for c, _ in members) / len(members)
            accuracy = sum(k for _, k in members) / len(members)
            error += len(members) / total * abs(accuracy - confidence)
    return error


def _per_split(
    gold: Sequence[str], pred: Sequence[str], baseline: Sequence[str], fold_of: Sequence[str]
) -> dict[str, Any]:
    out: dict[str, dict[str, float]] = {}
    for name in sorted(set(fold_of)):
        members = [i for i, f in enumerate(fold_of) if f == name]
        g, p = [gold[i] for i in members], [pred[i] for i in members]
        out[name] = {
            "clauses": float(len(members)),
            "macro_f1": macro_f1(g, p),
            "keyword_macro_f1": macro_f1(g, [baseline[i] for i in members]),
            **{f"{label}_f1": _prf(g, p, label)["f1"] for label in LABELS},
        }
    return out


def force_report(
    gold_rows: Sequence[dict[str, Any]],
    predicted: Sequence[dict[str, Any]],
    rules_predicted: Sequence[dict[str, Any]] | None = None,
    fold_of: Sequence[str] = (),
) -> ForceReport:
    """Per-label P/R/F1, macro-F1, confusion, instruction recall and precision, ECE (of the
    stated confidences), polarity accuracy and the ten most confident errors, beside the keyword
    baseline (and the rules, if given) on the same rows; per fold or group with `fold_of`."""
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
    recall, precision = instruction_scores(gold, pred)
    confidences = [float(p["confidence"]) for p in predicted]
    per_split = _per_split(gold, pred, baseline, fold_of) if fold_of else {}
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
        instruction_recall=recall,
        instruction_precision=precision,
        ece=expected_calibration_error(
            confidences, [g == p for g, p in zip(gold, pred, strict=True)]
        ),
        baseline_macro_f1=macro_f1(gold, baseline),
        rules_macro_f1=(
            macro_f1(gold, [p["force"] for p in rules_predicted]) if rules_predicted else None
        ),
        per_split=per_split,
        worst=worst,
    )


def evaluate_force(
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    method: str = "model",
    corpora: Sequence[Path] = (),
    cv: str | None = None,
) -> tuple[ForceReport, Predicted]:
    """Predict the rows (or cross-validate) and report force beside the keyword baseline and the
    rules, all measured in this run on the same rows and context."""
    predicted = predict_rows(rows, settings, method, corpora, cv)
    rules = None
    if cv or method != "rules":
        rules = predict_rows(rows, settings, "rules", corpora, with_links=False)
    report = force_report(
        rows, predicted.fields, rules.fields if rules else None, predicted.fold_of
    )
    return report, predicted


def linking_report(
    gold_rows: Sequence[dict[str, Any]],
    predicted: Predicted,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Holder accuracy (on clauses whose gold force is not none), bodies micro-F1, duty F1 and
    deadline exact match (gold deadlines of those clauses), end to end (with the predicted force)
    and `*_given_gold_force` (the same rows linked with their gold force, which measures the
    linker apart from the classifier's force errors). With `settings`, the baselines too."""

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

    report: dict[str, Any] = scores(predicted.fields)
    if len(predicted.given_gold) == len(gold_rows):
        oracle = scores(predicted.given_gold)
        report.update({f"{k}_given_gold_force": v for k, v in oracle.items()})
        report["worst_holder_errors"] = worst_holder_errors(gold_rows, predicted.given_gold)
        scored = [
            (p["holder_confidence"], g.get("holder", "") == p["holder"])
            for g, p in zip(gold_rows, predicted.given_gold, strict=True)
            if g["force"] != "none" and p.get("holder_confidence", -1.0) >= 0
        ]
        if scored:
            report["holder_ece_given_gold_force"] = holder_calibration_error(scored)
    instructed = [i for i, g in enumerate(gold_rows) if g["force"] != "none"]
    gold_conditions = [str(gold_rows[i].get("condition", "")) for i in instructed]
    report["condition_token_f1"] = token_f1(
        gold_conditions, [str(predicted.fields[i].get("condition", "")) for i in instructed]
    )
    if settings is not None:
        texts = [gold_rows[i]["text"] for i in instructed]
        report["condition_token_f1_given_gold_force"] = token_f1(
            gold_conditions, extracted_conditions(texts, settings.spacy_model)
        )
        report["condition_token_f1_baseline"] = token_f1(
            gold_conditions, [find_condition(t) for t in texts]
        )
        nearest = nearest_body_before_cue(gold_rows, settings)
        report["holder_accuracy_baseline"] = sum(
            nearest[i] == gold_rows[i].get("holder", "") for i in instructed
        ) / max(len(instructed), 1)
    report["instructed_clauses"] = float(len(instructed))
    return report


def holder_calibration_error(scored: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error of the holder's confidence: |accuracy - confidence| per
    equal-width bin, weighted by the bin's share of the clauses."""
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in scored if low <= c < high or (b == bins - 1 and c == 1.0)]
        if inside:
            confidence = sum(c for c, _ in inside) / len(inside)
            accuracy = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(scored) * abs(accuracy - confidence)
    return total


def worst_holder_errors(
    gold_rows: Sequence[dict[str, Any]], linked: Sequence[dict[str, Any]], n: int = 10
) -> list[dict[str, Any]]:
    """The `n` most confident wrong holders among gold instructions, linked with the gold force."""
    errors = [
        {
            "id": g.get("id", ""),
            "gold": g.get("holder", ""),
            "predicted": p["holder"],
            "confidence": p.get("holder_confidence", 1.0),
            "matched": p.get("holder_text", ""),
            "text": g["text"],
        }
        for g, p in zip(gold_rows, linked, strict=True)
        if g["force"] != "none" and g.get("holder", "") != p["holder"]
    ]
    return sorted(errors, key=lambda e: -e["confidence"])[:n]


def nearest_body_before_cue(rows: Sequence[dict[str, Any]], settings: Settings) -> list[str]:
    """The holder baseline: the last body named before the first force cue of each row (before
    its end if it has no cue), with the document's acronyms; "" if none is named there."""
    from docmine.language.cues import force_cues
    from docmine.link.bodies import find_bodies

    out = [""] * len(rows)
    for indices in _group_by_doc(rows).values():
        joined = "\n\n".join(rows[i]["text"] for i in indices)
        context = make_context(joined, settings)
        for i in indices:
            text = rows[i]["text"]
            cues = force_cues(text)
            limit = cues[0].start if cues else len(text)
            named = find_bodies(
                text, context.gazetteer, context.acronyms, None, context.back_references
            )
            before = [m for m in named if m.start < limit]
            out[i] = before[-1].canonical if before else ""
    return out


def token_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Micro-averaged F1 of the word tokens two lists of spans share, pair by pair."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        gold_words, predicted_words = word_counts(g), word_counts(p)
        shared = sum((gold_words & predicted_words).values())
        tp += shared
        fp += sum(predicted_words.values()) - shared
        fn += sum(gold_words.values()) - shared
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def extracted_conditions(texts: Sequence[str], spacy_model: str) -> list[str]:
    """docmine's condition of each text, as if each were an instruction."""
    from docmine.classify.conditions import find_condition_span
    from docmine.language.nlp import parse_texts

    out = []
    for text, parsed in zip(texts, parse_texts(texts, spacy_model), strict=True):
        span = find_condition_span(text, parsed)
        out.append(text[span[0] : span[1]] if span else "")
    return out


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
    rows: Sequence[dict[str, Any]], corpora: Sequence[Path], threshold: float = 0.8
) -> float | None:
    """Segmentation recall of the gold rows' documents found in `corpora` (by the `doc` field)."""
    from docmine.extract import extract
    from docmine.measure.textfile import find_document
    from docmine.segment import segment

    produced: dict[str, list[str]] = {}
    for doc in {str(r.get("doc", "")) for r in rows}:
        path = find_document(doc, corpora)
        if path is not None:
            produced[doc] = [c.text for c in segment(extract(path))]
    return segmentation_recall(rows, produced, threshold)


def classify_file(
    source: Path,
    output: Path,
    settings: Settings,
    method: str = "model",
    corpora: Sequence[Path] = (),
) -> int:
    """`docmine classify`: each input row written back with its predicted fields; the output
    appears whole or not at all. Returns the number of rows."""
    rows = load_jsonl(source)
    predicted = predict_rows(rows, settings, method, corpora).fields
    if output.is_dir():
        raise BadInput("is a folder: give the output file's name", str(output))
    partial = output.with_name(f".{output.name}.partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", encoding="utf-8") as handle:
            for row, fields in zip(rows, predicted, strict=True):
                handle.write(json.dumps({**row, **fields}, ensure_ascii=False) + "\n")
        partial.replace(output)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise BadInput(f"cannot write it ({exc.strerror or exc})", str(output)) from None
    return len(rows)
