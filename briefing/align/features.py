"""Sentence vectors for cross-source alignment: TF-IDF over content stems and stem bigrams.

Stems come from the folded text, so curly quotes, dashes and look-alike letters (``Xiao Ган``)
do not keep two reports of one point apart. Vectors are L2-normalised sparse rows, so a sparse
product gives every pairwise cosine at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from briefing.ids import citation
from briefing.text.tokens import content_words

BIGRAM_WEIGHT = 0.5


@dataclass(frozen=True)
class Unit:
    """A candidate sentence of the brief."""

    idx: int
    doc_id: str
    n: int
    text: str
    flags: int
    stems: tuple[str, ...]

    @property
    def citation(self) -> str:
        return citation(self.doc_id, self.n)


def make_units(rows: Sequence[tuple[str, int, str, int]]) -> list[Unit]:
    """``(doc_id, n, text, flags)`` rows → units with their stems."""
    units = []
    for i, (doc_id, n, text, flags) in enumerate(rows):
        pairs = content_words(text)
        units.append(Unit(i, doc_id, n, text, flags, tuple(s for _, s in pairs)))
    return units


def _features(stems: Sequence[str]) -> dict[str, float]:
    """Binary term presence: 1 for each stem, ``BIGRAM_WEIGHT`` for each adjacent stem pair.

    Weighting stems by their rarity in general English was measured and dropped: it let shared
    names dominate, grouping different facts about the same people (bench/alignment.py)."""
    feats: dict[str, float] = dict.fromkeys(stems, 1.0)
    for a, b in zip(stems, stems[1:], strict=False):
        feats[f"{a} {b}"] = BIGRAM_WEIGHT
    return feats


def tfidf(units: Sequence[Unit], extra: Sequence[Sequence[str]] = ()) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """Weighted rows for ``units`` (then for each stem list in ``extra``, e.g. a topic).

    Document frequency is counted per source document, so a term every source uses weighs less
    than one only a few use, however many sentences repeat it.
    """
    docs_of: dict[str, set[str]] = {}
    rows = [_features(u.stems) for u in units] + [_features(list(e)) for e in extra]
    owners = [u.doc_id for u in units] + [f"\x00extra{i}" for i in range(len(extra))]
    for feats, owner in zip(rows, owners, strict=True):
        for f in feats:
            docs_of.setdefault(f, set()).add(owner)
    vocab = {f: i for i, f in enumerate(sorted(docs_of))}
    n_docs = len({u.doc_id for u in units}) or 1
    df = np.fromiter((len(docs_of[f]) for f in vocab), dtype=np.float64, count=len(vocab))
    idf = np.log((n_docs + 1) / (df + 0.5)) + 1.0
    indices: list[int] = []
    weights: list[float] = []
    indptr = [0]
    for feats in rows:
        indices.extend(map(vocab.__getitem__, feats))
        weights.extend(feats.values())
        indptr.append(len(indices))
    columns = np.asarray(indices, dtype=np.int64)
    matrix = sparse.csr_matrix(
        (np.asarray(weights, dtype=np.float64) * idf[columns], columns, np.asarray(indptr)),
        shape=(len(rows), max(1, len(vocab))),
    )
    return matrix, vocab


def normalized(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def similarity(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Pairwise similarity: the mean of cosine and overlap (shared weight over the smaller
    sentence's weight), so a short report of a point inside a long sentence still matches."""
    cos = normalized(matrix) @ normalized(matrix).T
    root = matrix.sqrt()
    shared = (root @ root.T).tocoo()
    mass = np.asarray(matrix.sum(axis=1)).ravel()
    mass[mass == 0] = 1.0
    overlap = sparse.csr_matrix(
        (shared.data / np.minimum(mass[shared.row], mass[shared.col]), (shared.row, shared.col)),
        shape=shared.shape,
    )
    sims = sparse.csr_matrix((cos + overlap) * 0.5)
    sims.sum_duplicates()  # canonical: sorted column indices, each once (``value`` relies on it)
    return sims


def value(sims: sparse.csr_matrix, i: int, j: int) -> float:
    """``sims[i, j]`` of a canonical CSR matrix, without scipy's per-call indexing cost (a binary
    search in row ``i``: about 30 times faster, which counts in loops over sentence pairs)."""
    if not sims.has_canonical_format:
        return float(sims[i, j])
    lo, hi = int(sims.indptr[i]), int(sims.indptr[i + 1])
    k = lo + int(np.searchsorted(sims.indices[lo:hi], j))
    return float(sims.data[k]) if k < hi and sims.indices[k] == j else 0.0


def similar_pairs(
    units: Sequence[Unit], sims: sparse.csr_matrix, threshold: float
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)``, ``i < j``, of units from different documents whose
    similarity (``sims``, from ``similarity``) reaches ``threshold``."""
    n = len(units)
    if n < 2:
        return []
    sims = sparse.triu(sims, k=1).tocoo()
    doc = np.array([u.doc_id for u in units], dtype=object)
    keep = (sims.data >= threshold) & (doc[sims.row] != doc[sims.col])
    return sorted(
        zip(sims.row[keep].tolist(), sims.col[keep].tolist(), sims.data[keep].tolist(), strict=True),
        key=lambda t: (-t[2], t[0], t[1]),
    )


ALIGN_THRESHOLD = 0.15  # measured: best F1 (0.55, P 0.68, R 0.46) on tests/data/alignment_pairs.jsonl
RELATED_THRESHOLD = 0.10  # looser: candidates for disputes, which must also share details
