"""Framing disputes: one thing named with opposing loaded terms by different sources.

The term sets come from ``briefing/data/framing_pairs.tsv`` (users extend it). Two sentences use
one set's opposing sides for the same thing when they also share the words around the term
(``Maidan revolution`` / ``Maidan coup``) or are similar enough to report one point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy import sparse

from briefing.align.features import Unit, value
from briefing.align.loaded import LoadedLexicon
from briefing.text.tokens import content_stems

CONTEXT_CHARS = 40


@dataclass(frozen=True)
class FramingDispute:
    topic: str  # the set's neutral name
    sides: dict[str, list[tuple[int, str]]]  # side label → [(unit index, term as written)]


def framing_disputes(
    units: Sequence[Unit], sims: sparse.csr_matrix, lexicon: LoadedLexicon, related: float
) -> list[FramingDispute]:
    uses: dict[str, dict[str, list[tuple[int, str, set[str]]]]] = {}
    topics: dict[str, str] = {}
    for u in units:
        for fset, side, start, end in lexicon.framing_hits(u.text):
            key = "|".join(fset.alternatives)
            topics[key] = fset.topic
            context = set(content_stems(u.text[max(0, start - CONTEXT_CHARS):start] + " " + u.text[end:end + CONTEXT_CHARS]))
            context -= set(content_stems(u.text[start:end]))
            uses.setdefault(key, {}).setdefault(side, []).append((u.idx, u.text[start:end], context))
    disputes = []
    for key, by_side in sorted(uses.items()):
        if len(by_side) < 2:
            continue
        linked: dict[str, list[tuple[int, str]]] = {}
        labels = sorted(by_side)
        for a_i, a in enumerate(labels):
            for b in labels[a_i + 1:]:
                for ia, term_a, ctx_a in by_side[a]:
                    for ib, term_b, ctx_b in by_side[b]:
                        if units[ia].doc_id == units[ib].doc_id:
                            continue
                        if ctx_a & ctx_b or value(sims, ia, ib) >= related:
                            for label, idx, term in ((a, ia, term_a), (b, ib, term_b)):
                                if (idx, term) not in linked.setdefault(label, []):
                                    linked[label].append((idx, term))
        if len(linked) >= 2:
            disputes.append(FramingDispute(topics[key], linked))
    return disputes
