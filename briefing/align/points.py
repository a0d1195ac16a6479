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

from briefing.align.features import Unit, value


@dataclass(frozen=True)
class Group:
    centre: int
    members: tuple[int, ...]  # unit indexes, centre first, one per document
    cohesion: float  # mean similarity of members to the centre


def _best_in(near: dict[str, tuple[float, int]], doc_id: str, assigned: set[int]) -> int | None:
    """The sentence of ``doc_id`` most similar to this one (mutual-best check)."""
    best = near.get(doc_id)
    return best[1] if best and best[1] not in assigned else None


COHERENCE = 1.2  # mean probability to the other members, as a share of the threshold: set on the gold clusters


def _coherent(members: list[int], sims: sparse.csr_matrix, threshold: float) -> list[int]:
    """Drop members that match the centre but not the rest of the point: with three or more
    members, each must reach ``COHERENCE`` x the threshold on average against the others."""
    if len(members) <= 2:
        return members
    block = sims[members][:, members].toarray()  # the members' similarities, read once
    keep = list(range(len(members)))
    while len(keep) > 2:
        # each member's mean similarity to the others, every member at once
        others = ~np.eye(len(keep), dtype=bool)
        support = block[np.ix_(keep, keep)][others].reshape(len(keep), len(keep) - 1).mean(axis=1)
        weakest = 1 + int(np.argmin(support[1:]))  # the centre stays
        if support[weakest] >= threshold * COHERENCE:
            break
        del keep[weakest]
    return [members[k] for k in keep]


def group_points(
    units: Sequence[Unit], sims: sparse.csr_matrix, salience: np.ndarray, threshold: float
) -> list[Group]:
    n = len(units)
    if n == 0:
        return []
    sims = sparse.csr_matrix(sims)
    if not sims.has_canonical_format:
        sims = sims.copy()
        sims.sum_duplicates()
    doc = [u.doc_id for u in units]
    neighbours: list[dict[str, tuple[float, int]]] = [{} for _ in range(n)]
    coo = sims.tocoo()
    doc_no = np.unique(np.asarray(doc, dtype=object), return_inverse=True)[1]
    keep = (coo.data >= threshold) & (coo.row != coo.col) & (doc_no[coo.row] != doc_no[coo.col])
    # Each sentence's best match in each other document: the highest similarity, the lowest
    # index among equals; sorted in one go rather than compared pair by pair.
    rows, cols, vals = coo.row[keep], coo.col[keep], coo.data[keep]
    by = np.lexsort((cols, -vals, doc_no[cols], rows))
    rows, cols, vals = rows[by], cols[by], vals[by]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (doc_no[cols[1:]] != doc_no[cols[:-1]])
    for i, j, s in zip(rows[first].tolist(), cols[first].tolist(), vals[first].tolist(), strict=True):
        neighbours[i][doc[j]] = (s, j)
    order = sorted(range(n), key=lambda i: (-len(neighbours[i]), -float(salience[i]), i))
    assigned: set[int] = set()
    groups: list[Group] = []
    for centre in order:
        if centre in assigned or not neighbours[centre]:
            continue
        members = [centre]
        start, end = sims.indptr[centre], sims.indptr[centre + 1]
        cols, vals = sims.indices[start:end], sims.data[start:end]
        near = (vals >= threshold) & (doc_no[cols] != doc_no[centre])
        by_doc: dict[str, list[tuple[float, int]]] = {}
        for j, s in zip(cols[near].tolist(), vals[near].tolist(), strict=True):
            if j not in assigned:
                by_doc.setdefault(doc[j], []).append((s, j))
        for other_doc in sorted(neighbours[centre]):
            candidates = [
                (s, j) for s, j in by_doc.get(other_doc, ())
                if _best_in(neighbours[j], doc[centre], assigned) == centre
            ]
            if candidates:
                members.append(max(candidates)[1])
        members = _coherent(members, sims, threshold)
        if len(members) < 2:
            continue
        scores = [value(sims, centre, m) for m in members[1:]]
        assigned.update(members)
        groups.append(Group(centre, tuple(members), float(np.mean(scores))))
    return groups
