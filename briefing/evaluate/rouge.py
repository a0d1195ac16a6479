"""ROUGE-1, ROUGE-2 and ROUGE-L of a summary against one or more human references.

Scores come from Google's ``rouge-score`` package with Porter stemming (its default tokenizer:
lower-case, letters and digits only), which needs no downloaded data. The summary is cut to its
first ``words`` whitespace-separated words first (the references are not cut), as DUC's
``-l 100`` does. Against several references each score is the **mean** over the references —
not the maximum — so a summary is not rewarded for matching one annotator's choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

KINDS = ("rouge1", "rouge2", "rougeL")


@dataclass(frozen=True)
class Scores:
    """Recall and F1 for each of ROUGE-1, -2 and -L, as fractions (0..1)."""

    recall: dict[str, float]
    f1: dict[str, float]


def truncate(text: str, words: int | None) -> str:
    """The first ``words`` whitespace-separated words of ``text`` (all of it for ``None``)."""
    if words is None:
        return text
    return " ".join(text.split()[:words])


@lru_cache(maxsize=1)
def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(KINDS), use_stemmer=True)


def score(summary: str, references: Sequence[str], words: int | None = None) -> Scores:
    """Mean ROUGE recall and F1 over the references (zero when there is nothing to compare)."""
    summary = truncate(summary, words)
    refs = [r for r in references if r and r.strip()]
    recall = dict.fromkeys(KINDS, 0.0)
    f1 = dict.fromkeys(KINDS, 0.0)
    if not refs or not summary.strip():
        return Scores(recall, f1)
    for ref in refs:
        result = _scorer().score(ref, summary)
        for kind in KINDS:
            recall[kind] += result[kind].recall / len(refs)
            f1[kind] += result[kind].fmeasure / len(refs)
    return Scores(recall, f1)
