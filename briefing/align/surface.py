"""Surface overlap of two sentences, read the way machine-translation metrics compare a
translation with its reference: the pair model's features beyond the story model's.

Paraphrase studies on MSRP found such measures strong (Madnani, Tetreault and Chodorow 2012:
BLEU-, NIST- and TER-like n-gram matches; Wan et al. 2006: unmatched words, figures, lengths).
Each is symmetric in the two sentences, so a pair scores the same in either order:

- ``stems{n}_min`` / ``stems{n}_max`` (n = 1..4): the share of one sentence's stem n-grams that
  the other holds, the lower and the higher of the two directions (BLEU's precision read both
  ways: the lower one is a recall); longer n-grams reward the same phrasing, not only the same words;
- ``chars_min`` / ``chars_max``: shared character 4-grams over the larger / smaller set, which
  match word forms the stemmer keeps apart ("Iraq" / "Iraqi", names spelt two ways);
- ``unmatched_max`` / ``unmatched_min`` / ``unmatched_total`` / ``unmatched_share``: content
  stems only one sentence holds — the detail one sentence adds, MSRP's usual negative;
- ``figures_unmatched`` / ``figures_nested``: a figure only one sentence gives; one sentence's
  figures all among the other's;
- ``words`` / ``word_gap``: the pair's length (log words of each, summed) and the difference.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from briefing.text.tokens import stem, words

NGRAMS = (1, 2, 3, 4)
CHARS = 4
FEATURES = (
    *(f"stems{n}_{side}" for n in NGRAMS for side in ("min", "max")),
    "chars_min", "chars_max",
    "unmatched_max", "unmatched_min", "unmatched_total", "unmatched_share",
    "figures_unmatched", "figures_nested",
    "words", "word_gap",
)


def _ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _chars(tokens: Sequence[str]) -> set[str]:
    text = " ".join(tokens)
    return {text[i:i + CHARS] for i in range(len(text) - CHARS + 1)}


def _shares(shared: int, a: int, b: int) -> tuple[float, float]:
    """``shared`` over the larger and over the smaller of two set sizes."""
    return shared / max(1, a, b), shared / max(1, min(a, b))


def pair_features(a: str, b: str, content_a: frozenset[str], content_b: frozenset[str],
                  figures_a: frozenset[str], figures_b: frozenset[str]) -> list[float]:
    """One row of ``FEATURES`` for texts ``a`` and ``b``, given each one's content stems and
    figures (``briefing.align.same_point.terms``)."""
    words_a, words_b = words(a), words(b)
    stems_a, stems_b = [stem(w) for w in words_a], [stem(w) for w in words_b]
    row: list[float] = []
    for n in NGRAMS:
        grams_a, grams_b = _ngrams(stems_a, n), _ngrams(stems_b, n)
        row.extend(_shares(len(grams_a & grams_b), len(grams_a), len(grams_b)))
    chars_a, chars_b = _chars(words_a), _chars(words_b)
    row.extend(_shares(len(chars_a & chars_b), len(chars_a), len(chars_b)))
    only_a, only_b = len(content_a - content_b), len(content_b - content_a)
    row.extend([
        max(only_a, only_b), min(only_a, only_b), float(np.log1p(only_a + only_b)),
        max(only_a / max(1, len(content_a)), only_b / max(1, len(content_b))),
    ])
    row.extend([
        float(figures_a != figures_b),
        float(bool(figures_a) and bool(figures_b) and (figures_a <= figures_b or figures_b <= figures_a)),
    ])
    row.extend([float(np.log1p(len(words_a)) + np.log1p(len(words_b))), float(abs(len(words_a) - len(words_b)))])
    return row
