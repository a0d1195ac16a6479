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
    shingles = {doc_id: _shingles(texts[doc_id]) for doc_id in ids}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if len(shingles[a] & shingles[b]) >= SHARED_PASSAGE_SHINGLES:
                edges.append((a, b))
    return components(ids, edges)


def count_independent(doc_ids: Sequence[str], groups: Mapping[str, str]) -> int:
    return len({groups.get(d, d) for d in doc_ids})
