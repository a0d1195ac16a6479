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


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted ``keys``: the first and last position of each element's run of equal keys."""
    n = len(keys)
    at = np.arange(n)
    change = keys[1:] != keys[:-1]
    first = np.maximum.accumulate(np.where(np.r_[True, change], at, 0))
    last = np.minimum.accumulate(np.where(np.r_[change, True], at, n - 1)[::-1])[::-1]
    return first, last


def _run_sums(keys: np.ndarray, data: np.ndarray, mass: np.ndarray | None = None) -> np.ndarray:
    """For elements sorted by ``keys`` and, within a run of equal keys, by ascending ``mass``:
    the sum over the element's run of ``data`` (no ``mass``), or of ``data / min(mass, own mass)``
    (earlier partners are lighter and divide by their mass, later ones by the element's).
    Running sums in extended precision, so a run's sum does not depend on the runs before it."""
    if len(keys) == 0:
        return np.zeros(0)
    first, last = _runs(keys)
    wide = data.astype(np.longdouble)
    running = np.cumsum(wide)
    before = np.r_[np.longdouble(0), running[:-1]]  # the running sum before each element
    if mass is None:
        return np.asarray(running[last] - before[first], dtype=np.float64)
    light = np.cumsum(wide / mass)
    light_before = np.r_[np.longdouble(0), light[:-1]]
    lighter = light_before - light_before[first]
    heavier = running[last] - before
    return np.asarray(lighter + heavier / mass, dtype=np.float64)


class Similarity:
    """``similarity(matrix)`` without building the matrix, whose entries grow with the square of
    the sentences: one pair's value (``value``), and each sentence's summed similarity to the
    sentences of other documents (``cross_document_sums``), in time linear in the terms.

    The sums follow from how both halves split over terms. Cosine is a dot product: a sentence's
    sum is its row times the sum of the other rows. Overlap divides the shared weight by the
    smaller mass: with the sentences ordered by mass, a sentence's lighter partners divide by
    their own mass and its heavier ones by its mass, so one running sum per term over the
    sentences that hold it gives every sentence's share at once. Sums over other documents are
    the sums over all sentences less those over the sentence's own document.
    """

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        matrix = sparse.csr_matrix(matrix)
        matrix.sum_duplicates()
        self.norm = normalized(matrix)
        self.norm.sort_indices()
        self.root = sparse.csr_matrix(matrix.sqrt())
        self.root.sort_indices()
        mass = np.asarray(matrix.sum(axis=1)).ravel()
        mass[mass == 0] = 1.0
        self.mass = mass
        self.shape = matrix.shape

    def value(self, i: int, j: int) -> float:
        """``similarity(matrix)[i, j]``."""
        def dot(m: sparse.csr_matrix) -> float:
            a, b = slice(m.indptr[i], m.indptr[i + 1]), slice(m.indptr[j], m.indptr[j + 1])
            _, ka, kb = np.intersect1d(m.indices[a], m.indices[b], assume_unique=True, return_indices=True)
            return float(np.dot(m.data[a][ka], m.data[b][kb]))

        return (dot(self.norm) + dot(self.root) / min(self.mass[i], self.mass[j])) * 0.5

    def values(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """``value`` for many pairs at once."""
        r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        if len(r) == 0:
            return np.zeros(0)
        cos = np.asarray(self.norm[r].multiply(self.norm[c]).sum(axis=1)).ravel()
        shared = np.asarray(self.root[r].multiply(self.root[c]).sum(axis=1)).ravel()
        return (cos + shared / np.minimum(self.mass[r], self.mass[c])) * 0.5

    def cross_document_sums(self, doc_no: np.ndarray) -> np.ndarray:
        """Each sentence's summed similarity to the sentences of other documents (``doc_no``: each
        sentence's document as an integer); exactly 0 for one sharing no term with another document."""
        n = self.shape[0]
        doc_no = np.asarray(doc_no, dtype=np.int64)
        rank = np.empty(n, dtype=np.int64)
        rank[np.lexsort((np.arange(n), self.mass))] = np.arange(n)
        out = np.zeros(n)
        for m, mass in ((self.norm, None), (self.root, self.mass)):
            coo = m.tocoo()
            row, col, data = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
            per_doc = col * (int(doc_no.max(initial=0)) + 1) + doc_no[row]  # a term within one document
            everything, own, own_holders = np.zeros(len(row)), np.zeros(len(row)), np.zeros(len(row), dtype=np.int64)
            for keys, into in ((col, everything), (per_doc, own)):
                order = np.lexsort((rank[row], keys))
                into[order] = _run_sums(keys[order], data[order], None if mass is None else mass[row[order]])
                if into is own:
                    first, last = _runs(keys[order])
                    own_holders[order] = last - first + 1
            # a term no other document holds adds exactly nothing, not a rounding residue
            alone = own_holders == np.bincount(col, minlength=self.shape[1])[col]
            out += np.bincount(row, weights=np.where(alone, 0.0, everything - own) * data, minlength=n)
        return out * 0.5


def value(sims: sparse.csr_matrix | Similarity, i: int, j: int) -> float:
    """``sims[i, j]`` of a canonical CSR matrix, without scipy's per-call indexing cost (a binary
    search in row ``i``: about 30 times faster, which counts in loops over sentence pairs)."""
    if isinstance(sims, Similarity):
        return sims.value(i, j)
    if not sims.has_canonical_format:
        return float(sims[i, j])
    lo, hi = int(sims.indptr[i]), int(sims.indptr[i + 1])
    k = lo + int(np.searchsorted(sims.indices[lo:hi], j))
    return float(sims.data[k]) if k < hi and sims.indices[k] == j else 0.0


def values(sims: sparse.csr_matrix | Similarity, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
    """``value`` for the pairs ``(rows[k], cols[k])``."""
    if isinstance(sims, Similarity):
        return sims.values(rows, cols)
    return np.asarray([value(sims, i, j) for i, j in zip(rows, cols, strict=True)], dtype=np.float64)


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
