"""Which sentence pairs can state one point: found through the stems they share, never all pairs.

A pair can state one point only if the two sentences share at least ``min_cover`` of the
shorter one's content stems (``MIN_COVER`` in ``same_point``). That bound lets the search skip
most pairs without losing one (a prefix filter, as in set-similarity joins). Order the stems
from the rarest in the story to the most common. A sentence of ``L`` stems that must share
``t`` of them with a sentence at least as long shares one of its ``L - t + 1`` rarest stems with
it: were none of those shared, at most ``t - 1`` stems could be. So each sentence looks up only
its rarest stems in an inverted index (stem → sentences), and keeps the sentences at least as
long; the common stems it does not look up are exactly those that cannot decide a pair. Each
candidate is then checked against the bound exactly, so the pairs are the same as counting the
shared stems of every pair (``exact_pairs``, kept to measure that), at a cost that follows the
pairs sharing a rare stem rather than the square of the sentences.

Inputs where most pairs truly share their words (thousands of near-identical sentences) still
have many pairs; ``max_pairs`` bounds them, and what it left out is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

CHUNK_WORK = 500_000  # postings read per block of probing sentences: bounds the memory of a block
# (and its time: blocks of 4 million took 5 times longer, most of it the kernel handing out fresh pages)
COMMON_BITS = 256  # the most common stems, counted between two sentences as bits


@dataclass(frozen=True)
class Candidates:
    rows: np.ndarray  # pairs (rows[k], cols[k]), rows[k] < cols[k]
    cols: np.ndarray
    unread: int  # sentences whose pairs with longer sentences were not looked for (``max_pairs``)


def required_shared(sizes: np.ndarray, min_cover: float) -> np.ndarray:
    """The fewest shared stems with which a sentence of ``sizes`` stems reaches ``min_cover``
    against a longer one (at least 1), never more than the exact check needs."""
    need = np.ceil((min_cover - 1e-6) * sizes - 1e-9).astype(np.int64)
    return np.maximum(need, 1)


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a ``uint64`` array."""
    if hasattr(np, "bitwise_count"):
        return np.asarray(np.bitwise_count(words).sum(axis=1), dtype=np.int64)
    table = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)  # numpy < 2
    return np.asarray(table[words.view(np.uint8)].sum(axis=1), dtype=np.int64)


def _shared(left: sparse.csr_matrix, right: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The number of stems row ``rows[k]`` of ``left`` shares with row ``cols[k]`` of ``right``."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(left[rows].multiply(right[cols]).sum(axis=1), dtype=np.int64).ravel()


class _Split:
    """Each sentence's stems, rarest first, cut where the bound says: the prefix it looks up,
    and the rest, held as bits when the stem is one of the ``COMMON_BITS`` most common (a pair
    then counts them with one AND) and as a sparse row otherwise."""

    def __init__(self, binary: sparse.csr_matrix, min_cover: float) -> None:
        n, width = binary.shape
        sizes = np.diff(binary.indptr)
        frequency = np.bincount(binary.indices, minlength=width)
        rank = np.empty(width, dtype=np.int64)
        rank[np.lexsort((np.arange(width), frequency))] = np.arange(width)
        row_of = np.repeat(np.arange(n), sizes)
        order = np.lexsort((rank[binary.indices], row_of))  # each row's stems, rarest first
        position = np.arange(len(order)) - np.repeat(binary.indptr[:-1], sizes)
        prefix_len = np.maximum(sizes - required_shared(sizes, min_cover) + 1, 0)
        in_prefix = position < np.repeat(prefix_len, sizes)
        self.prefix = self._rows(binary, order[in_prefix], row_of)
        bit = rank - (width - COMMON_BITS)  # the most common stems get bits 0..COMMON_BITS-1
        rest = order[~in_prefix]
        rest_bit = bit[binary.indices[rest]]
        self.rest_bits = self._bits(row_of[rest][rest_bit >= 0], rest_bit[rest_bit >= 0], n)
        self.rest_rows = self._rows(binary, rest[rest_bit < 0], row_of)
        self.rest_in_rows = np.diff(self.rest_rows.indptr) > 0
        every_bit = bit[binary.indices]
        self.bits = self._bits(row_of[every_bit >= 0], every_bit[every_bit >= 0], n)

    @staticmethod
    def _rows(binary: sparse.csr_matrix, chosen: np.ndarray, row_of: np.ndarray) -> sparse.csr_matrix:
        chosen = np.sort(chosen)
        counts = np.bincount(row_of[chosen], minlength=binary.shape[0])
        indptr = np.concatenate([[0], np.cumsum(counts)])
        data = np.ones(len(chosen), dtype=np.float32)
        return sparse.csr_matrix((data, binary.indices[chosen], indptr), shape=binary.shape)

    @staticmethod
    def _bits(rows: np.ndarray, bits: np.ndarray, n: int) -> np.ndarray:
        words = np.zeros((n, COMMON_BITS // 64), dtype=np.uint64)
        np.bitwise_or.at(words, (rows, bits // 64), np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64)))
        return words


def cover_pairs(
    stems: sparse.csr_matrix, doc_of: np.ndarray, min_cover: float, max_pairs: int | None = None
) -> Candidates:
    """Pairs ``i < j`` of different documents sharing at least ``min_cover`` of the shorter
    sentence's stems (``stems``: one binary row of stems per sentence). With ``max_pairs``, the
    sentences are read from the shortest until that many pairs are found; ``unread`` counts the
    sentences whose pairs with longer ones were then not looked for."""
    binary = sparse.csr_matrix(stems, dtype=np.float32)
    binary.sum_duplicates()
    binary.data[:] = 1.0
    n = binary.shape[0]
    # Sentences in the order of their length (ties: index): a pair is looked for from its
    # shorter side, among the sentences after it in that order.
    by_length = np.lexsort((np.arange(n), np.diff(binary.indptr)))
    binary = binary[by_length]
    sizes = np.diff(binary.indptr)
    doc = np.asarray(doc_of)[by_length]
    split = _Split(binary, min_cover)
    by_stem = binary.T.tocsr()
    work = np.asarray(split.prefix @ np.diff(by_stem.indptr).astype(np.float64)).ravel()  # postings read
    floor = min_cover - 1e-6
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    found = 0
    start = 0
    while start < n:
        stop = start + 1
        total = work[start]
        while stop < n and total + work[stop] <= CHUNK_WORK:
            total += work[stop]
            stop += 1
        hits = (split.prefix[start:stop] @ by_stem[:, start:]).tocoo()
        rows = hits.row.astype(np.int64) + start
        cols = hits.col.astype(np.int64) + start
        keep = (cols > rows) & (doc[rows] != doc[cols])
        rows, cols = rows[keep], cols[keep]
        # shared stems: the prefix's (the product counted them), then the rest's, as bits or rows
        shared = hits.data[keep].astype(np.int64) + _popcount(split.rest_bits[rows] & split.bits[cols])
        other = split.rest_in_rows[rows]
        if other.any():
            shared[other] += _shared(split.rest_rows, binary, rows[other], cols[other])
        keep = shared / np.maximum(sizes[rows], 1) >= floor  # rows: the shorter of each pair
        rows, cols = rows[keep], cols[keep]
        if max_pairs is not None and found + len(rows) > max_pairs:
            # the cap falls inside this block: keep the sentences whose pairs all fit
            per_row = np.cumsum(np.bincount(rows - start, minlength=stop - start))
            stop = start + int(np.searchsorted(per_row, max_pairs - found, side="right"))
            keep = rows < stop
            rows, cols = rows[keep], cols[keep]
            found = max_pairs  # no further block is read
        rows, cols = by_length[rows], by_length[cols]
        found += len(rows)
        found_rows.append(np.minimum(rows, cols))
        found_cols.append(np.maximum(rows, cols))
        start = stop
        if max_pairs is not None and found >= max_pairs:
            break
    rows = np.concatenate(found_rows) if found_rows else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(found_cols) if found_cols else np.zeros(0, dtype=np.int64)
    order = np.lexsort((cols, rows))
    return Candidates(rows[order], cols[order], n - start)


def exact_pairs(stems: sparse.csr_matrix, doc_of: np.ndarray, min_cover: float) -> tuple[np.ndarray, np.ndarray]:
    """The same pairs as ``cover_pairs``, from the shared-stem count of every pair (quadratic:
    for measuring the agreement only)."""
    binary = sparse.csr_matrix(stems, dtype=np.float32)
    binary.sum_duplicates()
    binary.data[:] = 1.0
    sizes = np.diff(binary.indptr)
    shared = sparse.triu(binary @ binary.T, k=1).tocoo()
    low = np.minimum(sizes[shared.row], sizes[shared.col])
    keep = (doc_of[shared.row] != doc_of[shared.col]) & (shared.data / np.maximum(low, 1) >= min_cover - 1e-6)
    rows, cols = shared.row[keep].astype(np.int64), shared.col[keep].astype(np.int64)
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]
