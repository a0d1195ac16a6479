"""Cross-source alignment: group sentences from different documents that report one point.

Star grouping over the similarity graph: the sentence whose neighbours span the most documents
(ties: the more salient) becomes a point's centre and takes, from every other document, its most
similar unassigned sentence at or above the threshold, provided the centre is also that
sentence's best match in the centre's document (mutual best: measured +0.03 F1 on the
labelled pairs, bench/alignment.py). A sentence belongs to one point at most,
and a point holds at most one sentence per document, so each document supports it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from briefing.align.features import Unit


@dataclass(frozen=True)
class Group:
    centre: int
    members: tuple[int, ...]  # unit indexes, centre first, one per document
    cohesion: float  # mean similarity of members to the centre


def _best_in(near: dict[str, tuple[float, int]], doc_id: str, assigned: set[int]) -> int | None:
    """The sentence of ``doc_id`` most similar to this one (mutual-best check)."""
    best = near.get(doc_id)
    return best[1] if best and best[1] not in assigned else None


COHERENCE = 0.8


def _coherent(members: list[int], sims: sparse.csr_matrix, threshold: float) -> list[int]:
    """Drop members that match the centre but not the rest of the point: with three or more
    members, each must reach ``COHERENCE`` x the threshold on average against the others."""
    def support(m: int, group: list[int]) -> float:
        return float(np.mean([sims[m, o] for o in group if o != m]))

    while len(members) > 2:
        weakest = min(members[1:], key=lambda m: support(m, members))
        if support(weakest, members) >= threshold * COHERENCE:
            break
        members = [m for m in members if m != weakest]
    return members


def group_points(
    units: Sequence[Unit], sims: sparse.csr_matrix, salience: np.ndarray, threshold: float
) -> list[Group]:
    n = len(units)
    if n == 0:
        return []
    sims = sparse.csr_matrix(sims)
    doc = [u.doc_id for u in units]
    neighbours: list[dict[str, tuple[float, int]]] = [{} for _ in range(n)]
    coo = sims.tocoo()
    for i, j, s in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        if i == j or s < threshold or doc[i] == doc[j]:
            continue
        best = neighbours[i].get(doc[j])
        if best is None or s > best[0]:
            neighbours[i][doc[j]] = (s, j)
    order = sorted(range(n), key=lambda i: (-len(neighbours[i]), -float(salience[i]), i))
    assigned: set[int] = set()
    groups: list[Group] = []
    for centre in order:
        if centre in assigned or not neighbours[centre]:
            continue
        members = [centre]
        scores = []
        for other_doc in sorted(neighbours[centre]):
            candidates = [
                (float(sims[centre, j]), j)
                for j in sims[centre].indices
                if doc[j] == other_doc and j not in assigned and float(sims[centre, j]) >= threshold
                and _best_in(neighbours[j], doc[centre], assigned) == centre
            ]
            if candidates:
                s, j = max(candidates)
                members.append(j)
                scores.append(s)
        members = _coherent(members, sims, threshold)
        if len(members) < 2:
            continue
        scores = [float(sims[centre, m]) for m in members[1:]]
        assigned.update(members)
        groups.append(Group(centre, tuple(members), float(np.mean(scores))))
    return groups
