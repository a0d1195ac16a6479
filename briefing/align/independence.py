"""Independence: documents that are copies or near-copies of one text count as one source.

Two signals merge documents into one group: the store's near-duplicate groups (shingle
containment over the whole text), and long passages shared verbatim between two documents
(wire copy reprinted inside a longer article) found among the documents of one brief.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefing.text.dedup import components
from briefing.text.tokens import words

PASSAGE_WORDS = 8  # a shared passage is counted in 8-word shingles
SHARED_PASSAGE_SHINGLES = 25  # ~30 running words copied verbatim make two documents dependent


def _shingles(text: str) -> set[int]:
    tokens = words(text)
    return {hash(tuple(tokens[i:i + PASSAGE_WORDS])) for i in range(len(tokens) - PASSAGE_WORDS + 1)}


def independence_groups(
    texts: Mapping[str, str], near_duplicate_group: Mapping[str, str | None]
) -> dict[str, str]:
    """Each document id → the id of its independence group (the smallest id in it)."""
    ids = sorted(texts)
    edges: list[tuple[str, str]] = []
    by_group: dict[str, list[str]] = {}
    for doc_id in ids:
        group = near_duplicate_group.get(doc_id)
        if group:
            by_group.setdefault(group, []).append(doc_id)
    for members in by_group.values():
        edges.extend((members[0], m) for m in members[1:])
    edges.extend(_sharing_passages(ids, [_shingles(texts[doc_id]) for doc_id in ids]))
    return components(ids, edges)


def _sharing_passages(ids: list[str], shingles: list[set[int]]) -> list[tuple[str, str]]:
    """Pairs of documents sharing ``SHARED_PASSAGE_SHINGLES`` shingles or more, counted through
    the shingles they hold (one sparse product) rather than by comparing every pair of sets."""
    import numpy as np
    from scipy import sparse

    sizes = [len(s) for s in shingles]
    if sum(sizes) == 0:
        return []
    keys = np.fromiter((h for s in shingles for h in s), dtype=np.int64, count=sum(sizes))
    _, columns = np.unique(keys, return_inverse=True)
    rows = np.repeat(np.arange(len(ids)), sizes)
    held = sparse.csr_matrix((np.ones(len(keys), dtype=np.int32), (rows, columns)), shape=(len(ids), columns.max() + 1))
    shared = sparse.triu(held @ held.T, k=1).tocoo()
    keep = shared.data >= SHARED_PASSAGE_SHINGLES
    return [(ids[a], ids[b]) for a, b in zip(shared.row[keep].tolist(), shared.col[keep].tolist(), strict=True)]


def count_independent(doc_ids: Sequence[str], groups: Mapping[str, str]) -> int:
    return len({groups.get(d, d) for d in doc_ids})
