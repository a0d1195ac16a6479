"""Near-duplicate detection: MinHash signatures with LSH banding, verified by shingle containment.

Two documents are near-duplicates when at least ``threshold`` of the shorter one's word
5-shingles also occur in the other — a wire copy with small edits, or a text that reprints
long passages of another. Groups are the connected components of that relation.

Everything per document is a few byte-string and numpy operations: a shingle is the polynomial
hash (mod 2**64, top 32 bits kept) of five words joined by spaces, computed for all of them at
once from prefix sums over the text's bytes; the 64 MinHash functions are multiply-shift hashes.
Signatures end in ``TAG``, naming this recipe: stored ones made by another are recomputed.
"""

from __future__ import annotations

import numpy as np

from briefing.text.normalize import fold

TAG = b"MH2/"  # ends every signature; change it with the recipe: stored signatures without it are redone
SHINGLE = 5
PERMUTATIONS = 64
BANDS = 32  # 32 bands x 2 rows: candidates from ~0.2 Jaccard; verified exactly afterwards
_BASE = np.uint64(0x100000001B3)  # odd, so it has an inverse mod 2**64
_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_rng = np.random.default_rng(20240601)
_A = _rng.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)
_powers: dict[str, np.ndarray] = {}
_EMPTY = np.zeros(0, dtype=np.uint64)
_SEPARATORS = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 or c >= 128 else 32 for c in range(256))


def _power_table(name: str, base: np.uint64, n: int) -> np.ndarray:
    """``base ** i`` mod 2**64 for ``i < n`` (grown and kept as longer texts come)."""
    table = _powers.get(name)
    if table is None or len(table) < n:
        size = max(n, 2 * len(table) if table is not None else 1 << 16)
        table = np.full(size, base, dtype=np.uint64)
        table[0] = 1
        with np.errstate(over="ignore"):
            table = np.cumprod(table, dtype=np.uint64)  # wraps mod 2**64
        _powers[name] = table
    return table


def normalised(text: str, folded: bool = False) -> bytes:
    """The folded, lower-cased text as UTF-8 words (runs of letters, digits and non-ASCII
    characters) joined by single spaces: what shingles are taken from. ``folded``: the text has
    been through ``fold`` already (a document's sentences, folded one by one, joined by spaces)."""
    data = (text if folded else fold(text)).lower().encode("utf-8", "surrogatepass")
    return b" ".join(data.translate(_SEPARATORS).split())


def shingles(text: str, folded: bool = False) -> np.ndarray:
    """Sorted distinct hashes of the word 5-grams of the text (a text of fewer words is one)."""
    return np.unique(_hashes(normalised(text, folded)))


def fingerprint(text: str, folded: bool = False) -> bytes:
    """The text's MinHash signature (``signature(shingles(text))``, without sorting them)."""
    return signature(_hashes(normalised(text, folded)))


def _hashes(data: bytes) -> np.ndarray:
    n = len(data)
    if not n:
        return _EMPTY
    raw = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero(raw == 32)
    starts = np.concatenate(([0], spaces + 1))  # of each word
    ends = np.concatenate((spaces, [n]))
    span = min(SHINGLE, len(starts))
    first, last = starts[: len(starts) - span + 1], ends[span - 1:]  # each 5-gram: data[first:last]
    inverse = _power_table("inverse", _INVERSE, n)
    power = _power_table("base", _BASE, n)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(raw * inverse[:n], out=prefix[1:])
        hashed = (prefix[last] - prefix[first]) * power[last - 1]
    return hashed >> np.uint64(32)


def signature(hashes: np.ndarray) -> bytes:
    """MinHash signature (``PERMUTATIONS`` uint32 values) as bytes, ending in ``TAG``."""
    if not len(hashes):
        return b""
    with np.errstate(over="ignore"):
        values = np.multiply.outer(_A, hashes)  # (a * h + b) mod 2**64, in place
        values += _B[:, None]
    # The top 32 bits of the smallest value are the smallest top 32 bits: shift 64 values, not all.
    return (values.min(axis=1) >> np.uint64(32)).astype(np.uint32).tobytes() + TAG


def signatures(blobs: list[bytes]) -> np.ndarray:
    """Stored signatures (of this recipe, non-empty) as one ``(n, PERMUTATIONS)`` array."""
    size = PERMUTATIONS * 4
    return np.frombuffer(b"".join(b[:size] for b in blobs), dtype=np.uint32).reshape(len(blobs), PERMUTATIONS)


def candidate_pairs(sigs: np.ndarray, new: np.ndarray) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of documents that share an LSH bucket (the same values in
    one band of ``PERMUTATIONS // BANDS`` rows), at least one of them ``new`` (a boolean mask)."""
    rows = PERMUTATIONS // BANDS
    pairs: set[tuple[int, int]] = set()
    if len(sigs) < 2 or not new.any():
        return pairs
    for band in range(BANDS):
        part = np.ascontiguousarray(sigs[:, band * rows:(band + 1) * rows])
        keys = part.view(np.dtype((np.void, part.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])  # i where ordered[i] == ordered[i + 1]
        if not len(same):
            continue
        # runs of equal keys: start where the previous position did not continue a run
        starts = same[np.r_[True, same[1:] != same[:-1] + 1]]
        ends = same[np.r_[same[1:] != same[:-1] + 1, True]] + 2
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            members = sorted(order[a:b].tolist())
            fresh = [m for m in members if new[m]]
            for m in fresh:
                pairs.update((min(m, o), max(m, o)) for o in members if o != m)
    return pairs


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the larger."""
    if not len(a) or not len(b):
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / min(len(a), len(b))


def components(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find: each node → the smallest id of its connected component."""
    parent = {n: n for n in nodes}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in nodes}
