"""Do two sentences state the same point? A calibrated score over a few measured features.

The score is a logistic model over features of a sentence pair, fitted on human-labelled news
sentence pairs (MSRP, and STS news headlines scored 4 or more as equivalent; the fitting halves
only: ``bench/same_point.py`` refits it and reports the held-out figures). Its coefficients ship
in ``briefing/data/same_point.json``; the labelled data never does.

Features, each computed without the story's **anchor words** — the names and words that most
sentences of the story share, which say only that two sentences belong to the same story, not
that they state the same point:

- ``cover_min`` / ``cover_max``: the share of the shorter / longer sentence's content stems that
  the other holds;
- ``predicate``: the same share over words that are not names (the event, the action, what
  happened), so two sentences about the same people doing different things stay apart;
- ``bigrams``: shared adjacent stem pairs over the shorter sentence's;
- ``vector``: cosine of static sentence vectors (``briefing.align.vectors``), which relates words
  that share no stem ("slain" / "killed");
- ``numbers_agree`` / ``numbers_differ``: both give numbers and share one / share none;
- ``length``: the log ratio of the two sentences' lengths.

The pair model (``MODELS["pairs"]``, what ``briefing evaluate pairs`` measures) reads
``PAIR_FEATURES``: these and the surface overlap of ``briefing.align.surface`` (n-gram matches
both ways, character n-grams, unmatched words and figures, lengths). On MSRP they lift its
precision at recall 0.5, but they were not fitted on story pairs, so the brief's story model
keeps to ``FEATURES``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
from scipy import sparse

from briefing.align import surface
from briefing.align.candidates import Candidates, cover_pairs
from briefing.align.details import SCALED
from briefing.align.vectors import sentence_vectors
from briefing.text.normalize import fold
from briefing.text.tokens import stem, stop_words

FEATURES = (
    "cover_min", "cover_max", "predicate", "bigrams", "vector", "numbers_agree", "numbers_differ", "length",
)
PAIR_FEATURES = FEATURES + surface.FEATURES
NUMBER_FEATURES = ("numbers_agree", "numbers_differ", "figures_unmatched", "figures_nested")
ANCHOR_SHARE = 0.5  # a name in this share of a story's sentences or more is an anchor word
ANCHOR_MIN_DOCUMENTS = 10  # a brief over this many documents: names most of them hold are the topic
ANCHOR_DOC_SHARE = 0.3
ANCHOR_MIN_SENTENCES = 40  # smaller stories: measured on the gold clusters, dropping their shared
# words lowered the separation of same-point pairs (precision at recall 0.5: 0.95 → 0.90 for every
# shared word in 30% of sentences, 0.94 for names in half of them), so only large stories drop them
GROUP_THRESHOLD = 0.65  # the brief's grouping point, set on the NeuS val half of the gold clusters
MIN_COVER = 0.35  # a point needs words in common: this share of the shorter sentence's stems at least (gold clusters)
RELATED_POINT = 0.5  # looser: two sentences checked for a dispute (figures read apart, or a doubt)
_WORD = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*")
_NUMBER = re.compile(r"^\d[\d,.]*$")


@dataclass(frozen=True)
class Terms:
    """What the features read of one sentence."""

    stems: frozenset[str]
    predicates: frozenset[str]  # stems of words that are not capitalised names
    bigrams: frozenset[str]
    numbers: frozenset[str]
    length: int


@lru_cache(maxsize=200_000)
def _read_word(low: str) -> tuple[int, str]:
    """What ``terms`` keeps of one lower-cased word: ``(_FIGURE, value)``, ``(_STEM, stem)``, or
    ``(_SKIP, "")`` for a stop word or a single character. Words recur across sentences: each is
    read once."""
    if _NUMBER.match(low):
        return _FIGURE, low.replace(",", "").rstrip(".")
    scaled = SCALED.fullmatch(low)
    if scaled:  # "$60bn", "£5m": a figure with its scale written on
        return _FIGURE, scaled.group(1).replace(",", "")
    if len(low) < 2 or low in stop_words():
        return _SKIP, ""
    return _STEM, stem(low)


_FIGURE, _SKIP, _STEM = 0, 1, 2


@lru_cache(maxsize=65536)
def terms(text: str) -> Terms:
    stems: list[str] = []
    predicates: set[str] = set()
    numbers: set[str] = set()
    for k, word in enumerate(_WORD.findall(fold(text))):
        kind, value = _read_word(word.lower())
        if kind == _STEM:
            stems.append(value)
            if k == 0 or not word[0].isupper():
                predicates.add(value)
        elif kind == _FIGURE:
            numbers.add(value)
    bigrams = {f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)}
    return Terms(frozenset(stems), frozenset(predicates), frozenset(bigrams), frozenset(numbers), len(stems))


def anchors(texts: Sequence[str], docs: Sequence[str] = ()) -> frozenset[str]:
    """Names that at least ``ANCHOR_SHARE`` of the sentences hold: who the story is about; and,
    over ``ANCHOR_MIN_DOCUMENTS`` documents or more (``docs``: each text's document), names that
    ``ANCHOR_DOC_SHARE`` of the documents hold: who a topic's coverage is about."""
    found: set[str] = set()
    if len(texts) >= ANCHOR_MIN_SENTENCES:
        counts: dict[str, int] = {}
        for text in texts:
            read = terms(text)
            for s in read.stems - read.predicates:
                counts[s] = counts.get(s, 0) + 1
        floor = ANCHOR_SHARE * len(texts)
        found.update(s for s, c in counts.items() if c >= floor)
    if docs and len(set(docs)) >= ANCHOR_MIN_DOCUMENTS:
        names: dict[str, set[str]] = {}
        for text, doc in zip(texts, docs, strict=True):
            read = terms(text)
            for s in read.stems - read.predicates:
                names.setdefault(s, set()).add(doc)
        floor = ANCHOR_DOC_SHARE * len(set(docs))
        found.update(s for s, holders in names.items() if len(holders) >= floor)
    return frozenset(found)


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # the operating point: pairs scoring this or more state one point

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


MODELS = {  # kind: coefficient file, the features it reads
    "pairs": ("data/same_point.json", PAIR_FEATURES),  # two sentences with nothing around them (MSRP, STS news)
    "story": ("data/same_point_story.json", FEATURES),  # two sentences of one story's reports (the brief)
}


@lru_cache(maxsize=2)
def model(kind: str = "pairs") -> Model:
    path, features = MODELS[kind]
    data = json.loads(files("briefing").joinpath(path).read_text(encoding="utf-8"))
    if tuple(data["features"]) != features:
        raise RuntimeError(f"briefing/{path} was fitted on other features; refit it: python -m bench.same_point --write")
    return Model(
        features, np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
        float(data["intercept"]), float(data["threshold"]),
    )


def _binary(sets: Sequence[Iterable[str]]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for s in sets:
        indices.extend(vocab.setdefault(t, len(vocab)) for t in s)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(sets), max(1, len(vocab))))


def _pair_values(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``(matrix @ matrix.T)[rows, cols]`` for the given pairs only: shared-term counts."""
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()


class Sentences:
    """A story's sentences, read once for pair features."""

    def __init__(self, texts: Sequence[str], anchor_words: frozenset[str] = frozenset()) -> None:
        read = [terms(t) for t in texts]
        self.texts, self.read = tuple(texts), read
        self.stems = _binary([t.stems - anchor_words for t in read])
        self.predicates = _binary([t.predicates - anchor_words for t in read])
        self.bigrams = _binary([t.bigrams for t in read])
        self.numbers = _binary([t.numbers for t in read])
        self.n_stems = np.asarray(self.stems.sum(axis=1)).ravel()
        self.n_predicates = np.asarray(self.predicates.sum(axis=1)).ravel()
        self.n_bigrams = np.asarray(self.bigrams.sum(axis=1)).ravel()
        self.n_numbers = np.asarray(self.numbers.sum(axis=1)).ravel()
        self.length = np.asarray([max(1, t.length) for t in read], dtype=np.float64)
        self.vectors = sentence_vectors(texts, exclude=anchor_words)

    def features(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """One row of ``FEATURES`` per pair ``(rows[k], cols[k])``."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        shared = _pair_values(self.stems, rows, cols)
        lo = np.minimum(self.n_stems[rows], self.n_stems[cols])
        hi = np.maximum(self.n_stems[rows], self.n_stems[cols])
        pred = _pair_values(self.predicates, rows, cols)
        pred_lo = np.minimum(self.n_predicates[rows], self.n_predicates[cols])
        big = _pair_values(self.bigrams, rows, cols)
        big_lo = np.minimum(self.n_bigrams[rows], self.n_bigrams[cols])
        nums = _pair_values(self.numbers, rows, cols)
        both_numbers = (self.n_numbers[rows] > 0) & (self.n_numbers[cols] > 0)
        vector = np.einsum("ij,ij->i", self.vectors[rows], self.vectors[cols]) if len(rows) else np.zeros(0)
        return np.column_stack([
            shared / np.maximum(lo, 1),
            shared / np.maximum(hi, 1),
            pred / np.maximum(pred_lo, 1),
            big / np.maximum(big_lo, 1),
            vector,
            (both_numbers & (nums > 0)).astype(np.float64),
            (both_numbers & (nums == 0)).astype(np.float64),
            np.abs(np.log(self.length[rows] / self.length[cols])),
        ]) if len(rows) else np.zeros((0, len(FEATURES)))

    def surface(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """One row of ``surface.FEATURES`` per pair: what the pair model reads beyond ``features``."""
        return np.asarray([
            surface.pair_features(self.texts[i], self.texts[j], self.read[i].stems, self.read[j].stems,
                                  self.read[i].numbers, self.read[j].numbers)
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        ], dtype=np.float64).reshape(len(rows), len(surface.FEATURES))

    def pair_features(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """One row of ``PAIR_FEATURES`` per pair (the pair model's)."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        return np.hstack([self.features(rows, cols), self.surface(rows, cols)])

    def candidates(self, doc_of: np.ndarray, min_cover: float = 0.0, max_pairs: int | None = None) -> Candidates:
        """Pairs ``i < j`` of different documents that share a content stem (after anchors), at
        least ``min_cover`` of the shorter sentence's: the only pairs that can state one point.
        Found through the stems they share (``briefing.align.candidates``), never all pairs."""
        return cover_pairs(self.stems, doc_of, min_cover, max_pairs)


def score_pairs(
    sentences: Sentences, rows: np.ndarray, cols: np.ndarray, *, numbers: bool = True, kind: str = "pairs"
) -> np.ndarray:
    """The calibrated probability that each pair states the same point. ``numbers=False`` reads
    the pair as if neither gave a figure: the question a factual dispute asks is whether two
    sentences report one point *apart from* the figures they disagree on."""
    if len(rows) == 0:
        return np.zeros(0)
    read = sentences.pair_features if model(kind).features == PAIR_FEATURES else sentences.features
    return score_features(read(rows, cols), numbers=numbers, kind=kind)


def score_features(x: np.ndarray, *, numbers: bool = True, kind: str = "pairs") -> np.ndarray:
    """``score_pairs`` on features already computed (a copy is changed, never ``x``)."""
    if len(x) == 0:
        return np.zeros(0)
    fitted = model(kind)
    if not numbers:
        at = [k for k, name in enumerate(fitted.features) if name in NUMBER_FEATURES]
        x = x.copy()
        x[:, at] = fitted.mean[at]
    return fitted.probability(x)
