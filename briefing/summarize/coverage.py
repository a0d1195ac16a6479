"""The default multi-document method: cover the concepts many sources share, once each.

Concepts are stemmed word bigrams (a bigram of two stop words is no concept). A concept is worth
the number of *sources* that contain it — near-duplicate copies of one text count as one source —
so what several outlets report outweighs what one repeats (Gillick & Favre 2009). The summary
maximises the total worth of the concepts it covers, each counted once, so a sentence that only
repeats covered concepts — another source's paraphrase, a wire copy — adds nothing: redundancy
is removed across sources by construction. The maximisation is greedy with a cost-scaled gain
(worth of new concepts / length^r, Lin & Bilmes 2010), nudged towards the sentences that open
their documents (news puts the key facts first).

With a query, concepts are weighted up by how relevant the sentences that hold them are, and
sentences by their own overlap with the query, so the summary covers the query's side of the
sources. Without one the documents' titles play that part, more strongly: a title is the
source's own statement of what matters (Edmundson 1969). Sentences that are very short or very long, or that read like instructions, are not
candidates (unless nothing else is left); no source contributes more than its fair share.
Sentence × concept incidence is a sparse matrix, so each greedy step is one sparse product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from briefing.summarize.units import Budget, Unit
from briefing.text.tokens import content_stems, stem, stop_words, words


@dataclass(frozen=True)
class Params:
    """The method's few general choices (see docs/summaries.md for how they were chosen)."""

    min_words: int = 8  # shorter sentences are fragments, datelines, captions
    max_words: int = 60  # longer ones are run-ons or lists that eat the budget
    min_sources: int = 2  # a concept counts when this many sources hold it
    length_exponent: float = 1.0  # r in gain / words^r under a word budget
    sentence_length_exponent: float = 0.3  # the same under a sentence budget
    lead_bonus: float = 0.5  # extra weight of a document's opening sentence, decaying with position
    query_weight: float = 3.0  # how strongly query relevance scales concepts and sentences
    title_weight: float = 4.0  # the same for the documents' titles when there is no query
    fair_share: bool = True  # no source gives more than its share of the summary's sentences


DEFAULT = Params()


def concept_matrix(units: list[Unit]) -> tuple[sparse.csr_matrix, list[tuple[str, str]]]:
    """Binary sentence × concept incidence and the concepts (stem bigrams) in column order."""
    stops = stop_words()
    ids: dict[tuple[str, str], int] = {}
    indptr = [0]
    indices: list[int] = []
    for u in units:
        tokens = words(u.text)
        stems = [stem(t) for t in tokens]
        stop = [t in stops or len(t) < 2 for t in tokens]
        seen: set[int] = set()
        for k in range(len(stems) - 1):
            if stop[k] and stop[k + 1]:
                continue
            j = ids.setdefault((stems[k], stems[k + 1]), len(ids))
            if j not in seen:
                seen.add(j)
                indices.append(j)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(units), len(ids)),
    )
    return matrix, list(ids)


def concept_weights(units: list[Unit], matrix: sparse.csr_matrix, params: Params) -> np.ndarray:
    """Each concept's worth: the number of sources holding it, zero below ``min_sources``.

    With fewer than ``min_sources`` sources the count is of sentences instead (a concept repeated
    within a document still marks its topic); when nothing repeats at all, every concept counts."""
    groups: dict[str, int] = {}
    rows = np.asarray([groups.setdefault(u.source_group, len(groups)) for u in units])
    if len(groups) >= params.min_sources:
        membership = sparse.csr_matrix(
            (np.ones(len(units)), (rows, np.arange(len(units)))), shape=(len(groups), len(units))
        )
        counts = np.asarray(((membership @ matrix) > 0).sum(axis=0)).ravel().astype(np.float64)
    else:
        counts = np.asarray(matrix.sum(axis=0)).ravel()
    weights = np.where(counts >= params.min_sources, counts, 0.0)
    return weights if weights.any() else counts.astype(np.float64)


def candidates(units: list[Unit], params: Params) -> np.ndarray:
    """Which units may be chosen: not instructions, not too short or long (relaxed if none is)."""
    lengths = np.asarray([u.words for u in units])
    clean = np.asarray([not u.instructions for u in units], dtype=bool)
    ok = clean & (lengths >= params.min_words) & (lengths <= params.max_words)
    if not ok.any():
        ok = clean.copy()
    if not ok.any():
        ok = np.ones(len(units), dtype=bool)
    return ok


def relevance(units: list[Unit], text: str | None) -> np.ndarray | None:
    """Share of the text's content stems each unit holds (``None`` when the text has none)."""
    wanted = set(content_stems(text)) if text else set()
    if not wanted:
        return None
    return np.asarray(
        [len(wanted.intersection(content_stems(u.text))) / len(wanted) for u in units], dtype=np.float64
    )


def _boost(
    weights: np.ndarray, prior: np.ndarray, matrix: sparse.csr_matrix, rel: np.ndarray | None, strength: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scale each unit by its relevance and each concept by the mean relevance of its units."""
    if rel is None or strength <= 0:
        return weights, prior
    held = np.maximum(np.asarray(matrix.sum(axis=0)).ravel(), 1.0)
    concept_rel = (matrix.T @ rel) / held
    return weights * (1.0 + strength * concept_rel), prior * (1.0 + strength * rel)


def summarize(
    units: list[Unit], budget: Budget, query: str | None = None, params: Params = DEFAULT
) -> list[int]:
    """Indexes of the chosen units (in the order they were chosen)."""
    if not units:
        return []
    matrix, _ = concept_matrix(units)
    weights = concept_weights(units, matrix, params)
    lengths = np.asarray([max(u.words, 1) for u in units], dtype=np.float64)
    prior = 1.0 + params.lead_bonus / (1.0 + np.asarray([u.position for u in units], dtype=np.float64))
    rel = relevance(units, query)
    if rel is not None:
        weights, prior = _boost(weights, prior, matrix, rel, params.query_weight)
    else:  # the titles are the sources' own statement of what matters
        titles = " ".join(dict.fromkeys(u.title for u in units if u.title))
        weights, prior = _boost(weights, prior, matrix, relevance(units, titles), params.title_weight)

    candidate = candidates(units, params)
    group_of: dict[str, int] = {}
    group = np.asarray([group_of.setdefault(u.source_group, len(group_of)) for u in units])
    mean_words = float(lengths[candidate].mean())
    expected = budget.expected_sentences(mean_words)
    share = max(math.ceil(expected / len(group_of)), min(2, expected)) if params.fair_share else len(units)
    taken = np.zeros(len(group_of), dtype=np.int64)

    exponent = params.length_exponent if budget.words is not None else params.sentence_length_exponent
    cost = lengths**exponent
    remaining = weights.copy()
    chosen: list[int] = []
    total = 0
    while not budget.reached(len(chosen), total):
        open_ = candidate & (taken[group] < share)
        if not open_.any():
            open_ = candidate.copy()  # every source had its share: let the best go on
            if not open_.any():
                break
        gain = matrix @ remaining
        score = np.where(open_, (gain + 1e-6) * prior / cost, -np.inf)  # ties: earlier, shorter
        if budget.words is not None:
            fits = open_ & (lengths <= budget.words - total)
            if fits.any():
                score = np.where(fits, score, -np.inf)
        best = int(np.argmax(score))
        if not np.isfinite(score[best]):
            break
        chosen.append(best)
        total += units[best].words
        candidate[best] = False
        taken[group[best]] += 1
        remaining[matrix.indices[matrix.indptr[best]:matrix.indptr[best + 1]]] = 0.0
    return chosen
