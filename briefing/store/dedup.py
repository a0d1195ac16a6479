"""Near-duplicate detection: MinHash signatures with LSH banding, verified by shingle containment.

Two documents are near-duplicates when at least ``threshold`` of the shorter one's word
5-shingles also occur in the other — a wire copy with small edits, or a text that reprints
long passages of another. Groups are the connected components of that relation.
"""

from __future__ import annotations

import zlib

import numpy as np

from briefing.text.tokens import words

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 32  # 32 bands x 2 rows: candidates from ~0.2 Jaccard; verified exactly afterwards
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240601)
_A = _rng.integers(1, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)


def shingles(text: str) -> set[int]:
    """Hashes of the word 5-grams of the folded text (a short text is one shingle)."""
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {
        zlib.crc32(" ".join(tokens[i:i + SHINGLE]).encode()) for i in range(len(tokens) - SHINGLE + 1)
    }


def signature(hashes: set[int]) -> bytes:
    """MinHash signature (``PERMUTATIONS`` uint32 values) as bytes."""
    if not hashes:
        return b""
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    values = ((_A[:, None] * x[None, :] + _B[:, None]) % _PRIME) & np.uint64(0xFFFFFFFF)
    return values.min(axis=1).astype(np.uint32).tobytes()


def bands(sig: bytes) -> list[tuple[int, int]]:
    """``(band, bucket)`` keys for LSH candidate look-up."""
    if not sig:
        return []
    values = np.frombuffer(sig, dtype=np.uint32)
    rows = PERMUTATIONS // BANDS
    return [
        (band, zlib.crc32(values[band * rows:(band + 1) * rows].tobytes()))
        for band in range(BANDS)
    ]


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller shingle set found in the larger."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


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
