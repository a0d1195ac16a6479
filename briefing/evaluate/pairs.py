"""``briefing evaluate pairs FILE``: the brief's same-point and stance readings on labelled pairs.

Claim-pair files are JSONL, one pair a line: ``{id, sentence_a, sentence_b, label, ...}``.

- ``msrp`` (equivalent / not_equivalent) and ``stsb_news`` (a 0–5 ``score``; 4 or more counts as
  equivalent): the same-point decision the brief groups sentences by (``briefing.align.same_point``)
  — precision, recall and F1 at its operating threshold, and the precision at recall 0.5;
- ``emergent`` (a headline that asserts, denies or only reports a claim: entailment /
  contradiction / unknown): the stance reading's 3-class accuracy and per-class F1.

The pairs are scored one by one, with no story around them, so no word counts as an anchor.
``--split held-out`` keeps the third of the pairs the shipped coefficients were not fitted on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from briefing.errors import EvaluationDataError


@dataclass(frozen=True)
class Pair:
    id: str
    a: str
    b: str
    label: str  # equivalent / not_equivalent, or entailment / contradiction / unknown
    source: str


def held_out(pair_id: str) -> bool:
    """A fixed third of the pairs, by id: the coefficients are fitted on the rest."""
    return int(hashlib.sha1(pair_id.encode()).hexdigest()[:8], 16) % 3 == 0


def load_pairs(path: Path, split: str = "all") -> list[Pair]:
    if not path.exists():
        raise EvaluationDataError(f"{path} does not exist; pass a claim-pairs JSONL file (msrp, stsb_news or emergent)")
    pairs = []
    for n, line in enumerate(path.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            label = str(row["label"])
            if row.get("source") == "stsb_news" or ("score" in row and label not in ("equivalent",)):
                label = "equivalent" if float(row["score"]) >= 4 else "not_equivalent"
            pair = Pair(str(row["id"]), str(row["sentence_a"]), str(row["sentence_b"]), label, str(row.get("source", "")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise EvaluationDataError(f"{path}:{n}: not a claim pair ({exc}); each line needs id, sentence_a, sentence_b, label") from exc
        if split == "all" or (split == "held-out") == held_out(pair.id):
            pairs.append(pair)
    if not pairs:
        raise EvaluationDataError(f"{path} holds no pairs for split {split!r}")
    return pairs


def same_point_scores(pairs: Sequence[Pair]) -> np.ndarray:
    from briefing.align.same_point import Sentences, score_pairs

    sentences = Sentences([p.a for p in pairs] + [p.b for p in pairs])
    rows = np.arange(len(pairs))
    return score_pairs(sentences, rows, rows + len(pairs))


def precision_at_recall(scores: np.ndarray, gold: np.ndarray, recall: float = 0.5) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(gold[order])
    k = int(np.searchsorted(hits / max(1, gold.sum()), recall))
    return float(hits[min(k, len(hits) - 1)] / (min(k, len(hits) - 1) + 1))


def _prf(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((predicted & gold).sum())
    p = tp / max(1.0, float(predicted.sum()))
    r = tp / max(1.0, float(gold.sum()))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_equivalence(pairs: Sequence[Pair]) -> dict[str, Any]:
    from briefing.align.same_point import model

    gold = np.array([p.label == "equivalent" for p in pairs])
    scores = same_point_scores(pairs)
    predicted = scores >= model().threshold
    p, r, f1 = _prf(predicted, gold)
    return {
        "pairs": len(pairs), "base_rate": round(float(gold.mean()), 3), "threshold": model().threshold,
        "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
        "precision_at_recall_50": round(precision_at_recall(scores, gold), 3),
    }


def evaluate_stance(pairs: Sequence[Pair]) -> dict[str, Any]:
    from briefing.align.claim_stance import CLASSES, read_stance

    predicted = [read_stance(p.b, p.a) for p in pairs]
    gold = [p.label for p in pairs]
    out: dict[str, Any] = {
        "pairs": len(pairs),
        "accuracy": round(sum(x == y for x, y in zip(predicted, gold, strict=True)) / len(pairs), 3),
    }
    for label in CLASSES:
        _, _, f1 = _prf(np.array([x == label for x in predicted]), np.array([y == label for y in gold]))
        out[f"f1_{label}"] = round(f1, 3)
    return out


def evaluate(path: Path, split: str = "all") -> dict[str, Any]:
    pairs = load_pairs(path, split)
    labels = {p.label for p in pairs}
    kind = "stance" if labels & {"entailment", "contradiction", "unknown"} else "equivalence"
    report = evaluate_stance(pairs) if kind == "stance" else evaluate_equivalence(pairs)
    return {"file": path.name, "split": split, "task": kind, **report}


def render(report: dict[str, Any]) -> str:
    head = f"{report['file']} ({report['split']}, {report['pairs']} pairs): {report['task']}"
    keys = [k for k in report if k not in ("file", "split", "pairs", "task")]
    return "\n".join([head, "", "| figure | value |", "|---|---:|"] + [f"| {k} | {report[k]} |" for k in keys])
