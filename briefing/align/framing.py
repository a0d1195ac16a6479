"""Framing disputes: one thing named with opposing loaded terms by different sources.

The term sets come from ``briefing/data/framing_pairs.tsv`` (users extend it). Two sentences use
one set's opposing sides for the same thing when they also share the words around the term
(``Maidan revolution`` / ``Maidan coup``) or are similar enough to report one point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy import sparse

from briefing.align.features import Similarity, Unit, values
from briefing.align.loaded import FramingSet, LoadedLexicon
from briefing.text.normalize import fold
from briefing.text.tokens import content_stems, name_stems, stop_words

CONTEXT_CHARS = 40


@dataclass(frozen=True)
class FramingDispute:
    topic: str  # the set's neutral name
    sides: dict[str, list[tuple[int, str]]]  # side label → [(unit index, term as written)]


_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def _head(text: str, end: int) -> str:
    """The word the term describes when it modifies the next word ("riot gear", "pro-life
    pregnancy centers", "socialist New Democratic Party"), folded; "" when the term stands alone."""
    if text[max(0, end - 2):end] in ("'s", "’s") or text[end:end + 2] in ("'s", "’s"):
        return ""  # "the Affordable Care Act's constitutionality": a possessor, not a modifier
    if text[max(0, end - 2):end].lower() == "ed":
        return ""  # "asylum seekers who have been detained for months": a verb modifies nothing
    m = _TOKEN.match(text, end + 1) if text[end:end + 1] == " " else None
    if not m:
        return ""
    word = m.group()
    if word[:1].isupper():
        return fold(word).lower()
    low = word.lower()
    if low.endswith(("ed", "ing", "ly")) or low in _VERBS or low in stop_words():
        return ""
    return fold(low)


_VERBS = frozenset({
    "began", "took", "led", "saw", "came", "went", "brought", "made", "broke", "left", "fell", "rose",
    "won", "ended", "is", "was", "were", "has", "had", "drew", "grew", "forced", "sent", "put",
})


def _referent(text: str, start: int) -> str:
    """The name right before the term, which says whose it is: "trump" in "the Trump administration",
    "turkish president erdogan" in "Turkish President Erdogan invaded"."""
    before = _TOKEN.findall(text[max(0, start - 40):start])
    for k in range(len(before) - 1, max(-1, len(before) - 3), -1):
        if _named(before[k]):
            first = k
            while first > 0 and _named(before[first - 1]):
                first -= 1
            return " ".join(fold(w).lower() for w in before[first:k + 1])
    return ""


def _named(word: str) -> bool:
    return bool(word[:1].isupper()) and word.lower() not in stop_words()


QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")  # a quotation: someone else's words


def own_framing_hits(lexicon: LoadedLexicon, text: str) -> list[tuple[FramingSet, str, int, int]]:
    """Framing terms the sentence uses in its own voice, as names: a term inside quotation marks is
    someone else's word (a speaker's "climate crisis", a label held at a distance), not the outlet's
    choice; a one-word term after "to" is a verb ("swarmed in to protest"), not a name."""
    quoted = [m.span() for m in QUOTED.finditer(text)]
    first_open, first_close = text.find("“"), text.find("”")
    if first_close >= 0 and (first_open < 0 or first_close < first_open):
        quoted.append((0, first_close))  # the end of a quotation opened in an earlier sentence
    last_open, last_close = text.rfind("“"), text.rfind("”")
    if last_open > last_close:
        quoted.append((last_open, len(text)))  # a quotation that goes on in the next sentence
    return [
        hit for hit in lexicon.framing_hits(text)
        if not any(a <= hit[2] < b for a, b in quoted)
        and not (" " not in text[hit[2]:hit[3]] and text[max(0, hit[2] - 3):hit[2]].lower() == "to ")
    ]  # "to protest" is a verb: it names no event


def framing_disputes(
    units: Sequence[Unit], sims: sparse.csr_matrix | Similarity, lexicon: LoadedLexicon, related: float,
    together: Callable[[str, str], bool] | None = None,
) -> list[FramingDispute]:
    """The framing disputes among ``units``: opposing terms of one set for one referent, in two
    documents that ``together`` allows to be compared (reports of one occasion; default: any)."""
    uses: dict[str, dict[str, list[tuple[int, str, set[str]]]]] = {}
    referents: dict[tuple[int, str], frozenset[str]] = {}  # the stems of the name before each term
    heads: dict[tuple[int, str], str] = {}
    topics: dict[str, str] = {}
    for u in units:
        for fset, side, start, end in own_framing_hits(lexicon, u.text):
            referents[(u.idx, u.text[start:end])] = name_stems(_referent(u.text, start))
            heads[(u.idx, u.text[start:end])] = _head(u.text, end)
            key = "|".join(fset.alternatives)
            topics[key] = fset.topic
            context = set(content_stems(u.text[max(0, start - CONTEXT_CHARS):start] + " " + u.text[end:end + CONTEXT_CHARS]))
            context -= set(content_stems(u.text[start:end]))
            uses.setdefault(key, {}).setdefault(side, []).append((u.idx, u.text[start:end], context))
    disputes = []
    for key, by_side in sorted(uses.items()):
        if len(by_side) < 2:
            continue
        # A sentence that uses both sides' words ("migrants ... the influx") contrasts nothing.
        sides_of = Counter(i for side in by_side.values() for i in {j for j, _, _ in side})
        both = {i for i, count in sides_of.items() if count > 1}
        by_side = {label: [u for u in side if u[0] not in both] for label, side in by_side.items()}
        by_side = {label: side for label, side in by_side.items() if side}
        if len(by_side) < 2:
            continue
        linked: dict[str, list[tuple[int, str]]] = {}
        labels = sorted(by_side)
        pairs: list[tuple[str, int, str, str, int, str, bool]] = []  # those the terms' words allow
        for a_i, a in enumerate(labels):
            for b in labels[a_i + 1:]:
                for ia, term_a, ctx_a in by_side[a]:
                    for ib, term_b, ctx_b in by_side[b]:
                        if units[ia].doc_id == units[ib].doc_id:
                            continue
                        if together is not None and not together(units[ia].doc_id, units[ib].doc_id):
                            continue  # "invasion" of Gaza in May, "migrants" at the border in July
                        ref_a, ref_b = referents[(ia, term_a)], referents[(ib, term_b)]
                        if ref_a and ref_b and not ref_a & ref_b:
                            continue  # "the Trump administration" / "the Taliban regime"; but "Turkish
                            # President Erdogan invaded" / "the Turkish offensive" name one actor
                        if heads[(ia, term_a)] != heads[(ib, term_b)]:
                            continue  # "riot gear" / "protest": the terms describe different things
                        pairs.append((a, ia, term_a, b, ib, term_b, bool(ctx_a & ctx_b)))
        unsure = [k for k, p in enumerate(pairs) if not p[6]]  # similarity read for these, all at once
        near = dict(zip(unsure, values(sims, [pairs[k][1] for k in unsure], [pairs[k][4] for k in unsure]) >= related, strict=True))
        for k, (a, ia, term_a, b, ib, term_b, shared_context) in enumerate(pairs):
            if shared_context or near[k]:
                for label, idx, term in ((a, ia, term_a), (b, ib, term_b)):
                    if (idx, term) not in linked.setdefault(label, []):
                        linked[label].append((idx, term))
        if len(linked) >= 2:
            disputes.append(FramingDispute(topics[key], linked))
    return disputes
