"""The neutral multi-source brief: agreements, disputes and single-source points.

Deterministic and offline. The brief's own words come only from the attributing templates in
this module ("Reported by 3 independent sources", "Sources give different details"); every
claim is a verbatim quote with its citation, and no side of a dispute is declared right.

``build_brief`` runs ``STEPS`` in order over one ``BriefState``: scope (topic retrieval or given
sources) → align (sentence vectors, salience, same-point probabilities) → independence (copies
count once) → points (each group of similar sentences to the first detector that claims it:
factual dispute, stance dispute, agreement or single source) → related pairs (stance and factual
disputes between two sentences) → framing → stance on the topic → single-source points →
ordering → per-source view → coverage; ``assemble`` makes the ``Brief``. Each step is a small
function of the state that can be run and tested alone.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np
from scipy import sparse

from briefing.align.details import (
    Conflict,
    Quantity,
    conflicts,
    details,
    measure_alike,
    named_quantities,
)
from briefing.align.features import (
    RELATED_THRESHOLD,
    Similarity,
    Unit,
    make_units,
    normalized,
    similar_pairs,
    tfidf,
    value,
)
from briefing.align.framing import QUOTED, framing_disputes, own_framing_hits
from briefing.align.independence import count_independent, independence_groups
from briefing.align.loaded import LoadedLexicon
from briefing.align.points import group_points
from briefing.align.same_point import (
    GROUP_THRESHOLD,
    MIN_COVER,
    RELATED_POINT,
    Sentences,
    anchors,
    score_features,
)
from briefing.errors import NothingToSummarize
from briefing.models import (
    Agreement,
    Brief,
    CoverageRow,
    Dispute,
    DocumentHit,
    DocumentInfo,
    Note,
    Position,
    Quote,
    Sentence,
    SingleSource,
    SourceView,
)
from briefing.settings import MAX_POINTS, Detail
from briefing.text.instructions import flagged_instructions
from briefing.text.normalize import fold
from briefing.text.tokens import content_stems

if TYPE_CHECKING:
    from briefing.store import Store

T = TypeVar("T")
MIN_WORDS = 6  # shorter sentences are too thin to stand as a point on their own
_LIMITS: dict[str, tuple[int, int]] = {"short": (3, 1), "normal": (6, 2), "full": (1000, 3)}


# --- budget ---------------------------------------------------------------------------------------


MAX_PAIRS = 2_000_000  # candidate pairs of sentences scored as one point at most (~12,500 news sentences have ~0.16M)


class Budget:
    """The caps on a brief's work: sentences read (``max_sentences``), seconds spent
    (``seconds``) and sentence pairs scored (``max_pairs``).

    Sentences are shared fairly between the documents: each keeps its first ones, as many as
    its share allows. The time budget is checked between points (``each``); what a cap left out
    becomes a ``scope`` note.
    """

    def __init__(self, max_sentences: int, seconds: float, max_pairs: int | None = None) -> None:
        import time

        self.max_sentences = max_sentences
        self.max_pairs = MAX_PAIRS if max_pairs is None else max_pairs
        self.seconds = seconds
        self._clock = time.monotonic
        self._deadline = self._clock() + seconds
        self.left_out: list[str] = []

    def per_document(self, counts: dict[str, int]) -> int | None:
        """The most sentences any one document may bring (``None``: all of them fit)."""
        if sum(counts.values()) <= self.max_sentences:
            return None
        low, high = 0, max(counts.values())
        while low < high:  # the largest share that keeps the total within the cap
            mid = (low + high + 1) // 2
            if sum(min(c, mid) for c in counts.values()) <= self.max_sentences:
                low = mid
            else:
                high = mid - 1
        share = max(low, 1)
        cut = {d: c - share for d, c in counts.items() if c > share}
        self.left_out.append(
            f"only the first {share} sentences of {len(cut)} long document{'s' if len(cut) != 1 else ''} "
            f"({', '.join(sorted(cut)[:5])}{', ...' if len(cut) > 5 else ''}) were read, "
            f"{sum(cut.values()):,} sentences left out, to keep the brief within "
            f"{self.max_sentences:,} sentences (BRIEFING_BRIEF_MAX_SENTENCES)"
        )
        return share

    def unpaired(self, unread: int, total: int) -> None:
        """Notes the sentences left unpaired once ``max_pairs`` candidate pairs were found."""
        if unread:
            self.left_out.append(
                f"{unread:,} of {total:,} sentences were not compared with longer ones: their "
                f"sentences share so many words that {self.max_pairs:,} candidate pairs were found before them"
            )

    def each(self, items: Iterable[T], what: str) -> Iterator[T]:
        """The items, until the time budget runs out (then the rest is noted as left out)."""
        items = list(items)
        for done, item in enumerate(items):
            if self._clock() > self._deadline:
                self.left_out.append(
                    f"the brief stopped after {self.seconds:g} s (BRIEFING_BRIEF_SECONDS): "
                    f"{len(items) - done:,} of {len(items):,} {what} were not examined"
                )
                return
            yield item

    def notes(self) -> list[Note]:
        return [Note(kind="scope", message=m) for m in self.left_out]


# --- helpers -------------------------------------------------------------------------------------


class _Quotes:
    """Builds ``Quote`` models with loaded terms flagged."""

    def __init__(self, units: Sequence[Unit], lexicon: LoadedLexicon) -> None:
        self.units = units
        self.lexicon = lexicon
        self._cache: dict[int, Quote] = {}

    def __call__(self, i: int) -> Quote:
        if i not in self._cache:
            u = self.units[i]
            terms = list(dict.fromkeys(t.text for t in self.lexicon.flag(u.text)))
            self._cache[i] = Quote(
                citation=u.citation, text=u.text, doc_id=u.doc_id, loaded_terms=terms,
                instructions=flagged_instructions(u.flags),
            )
        return self._cache[i]


def _words(text: str) -> int:
    return len(text.split())


def _ordered_docs(doc_ids: Iterable[str]) -> list[str]:
    return sorted(dict.fromkeys(doc_ids))


# --- the brief: an ordered list of steps over one state ------------------------------------------

Retrieve = Callable[..., "list[DocumentHit]"]


def topic_documents(store: Store, topic: str, *, limit: int, sources: list[str] | None = None) -> list[DocumentHit]:
    """The documents a brief on ``topic`` reads (BM25 with related words, ``store.expand``)."""
    from briefing.store.expand import expanded_documents

    return expanded_documents(store, topic, limit=limit, sources=sources)


@dataclass
class BriefState:
    """What the steps of a brief read and write, in the order they fill it.

    The request comes first; each step then adds its part (``scope`` the documents and units,
    ``align`` the similarities, ``independence`` the groups of copies, the detectors the points
    and disputes, the last steps the ordered, numbered sections) and ``assemble`` makes the
    ``Brief`` of them.
    """

    store: Store
    topic: str | None
    sources: list[str] | None
    max_documents: int
    max_points: int
    detail: Detail
    max_sentences: int
    seconds: float
    retrieve: Retrieve
    # scope
    doc_ids: list[str] = field(init=False)
    truncated: bool = field(init=False)
    infos: dict[str, DocumentInfo] = field(init=False)
    budget: Budget = field(init=False)
    rows: list[tuple[Sentence, int]] = field(init=False)
    texts: dict[str, str] = field(init=False)
    units: list[Unit] = field(init=False)
    quote_limit: int = field(init=False)
    summary_len: int = field(init=False)
    # align
    sims: Similarity = field(init=False)
    salience: np.ndarray = field(init=False)
    same_point: sparse.csr_matrix = field(init=False)
    same_but_figures: sparse.csr_matrix = field(init=False)
    reported: dict[str, set[str]] = field(init=False)
    previous: dict[tuple[str, int], str] = field(init=False)
    said: Said = field(init=False)
    days: dict[str, float] = field(init=False)  # each document's day number, for the date window
    # independence
    groups_of: dict[str, str] = field(init=False)
    lexicon: LoadedLexicon = field(init=False)
    quote: _Quotes = field(init=False)
    # points and disputes, with their scores (sections are ordered by score)
    used: set[int] = field(default_factory=set)
    agreements: list[tuple[float, Agreement]] = field(default_factory=list)
    disputes: list[tuple[float, Dispute]] = field(default_factory=list)
    single_extra: list[tuple[float, SingleSource]] = field(default_factory=list)
    in_factual: set[str] = field(default_factory=set)
    in_stance: set[str] = field(default_factory=set)
    # the numbered sections
    final_agreements: list[Agreement] = field(init=False)
    final_disputes: list[Dispute] = field(init=False)
    final_singles: list[SingleSource] = field(init=False)
    per_source: list[SourceView] = field(init=False)
    coverage: list[CoverageRow] = field(init=False)


def scope(state: BriefState) -> None:
    """The documents briefed (the topic's best, or the latest), their sentences within the
    budget, and the units long enough to stand as a point."""
    store, topic, sources = state.store, state.topic, state.sources
    if topic:
        # The most relevant documents, not only those holding every word of the topic (a headline
        # as a topic has words that no single report repeats all of), nor only those using its
        # words: related words found in the corpus count too.
        hits = state.retrieve(store, topic, limit=state.max_documents, sources=sources)
        if not hits:
            raise NothingToSummarize(
                f"no documents match {topic!r}; try other words, or 'briefing sources' to list the documents"
            )
        state.doc_ids, state.truncated = sorted(h.document.id for h in hits), False
    else:
        latest = store.latest(state.max_documents + 1, sources)
        if not latest:
            raise NothingToSummarize("the corpus is empty; add documents with 'briefing ingest PATH'")
        state.truncated = len(latest) > state.max_documents
        state.doc_ids = sorted(latest[:state.max_documents])
    doc_ids = state.doc_ids
    state.infos = {d.id: d for d in store.documents(doc_ids)}
    state.budget = Budget(state.max_sentences, state.seconds)
    state.rows = store.all_sentences(
        doc_ids, per_doc=state.budget.per_document({d: state.infos[d].sentences for d in doc_ids})
    )
    by_doc: dict[str, list[str]] = {d: [] for d in doc_ids}
    for s, _ in state.rows:
        by_doc[s.doc_id].append(s.text)
    state.texts = {d: " ".join(by_doc[d]) for d in doc_ids}
    state.units = make_units([(s.doc_id, s.n, s.text, f) for s, f in state.rows if _words(s.text) >= MIN_WORDS])
    if not state.units:
        raise NothingToSummarize("the selected documents have no sentences to brief; check 'briefing sources'")
    state.quote_limit, state.summary_len = _LIMITS[state.detail]
    if state.detail == "short":
        state.max_points = min(state.max_points, 5)
    elif state.detail == "full":
        state.max_points = max(state.max_points, 1000)


def align(state: BriefState) -> None:
    """Sentence vectors and similarities: salience (topic relevance and agreement with other
    documents) and the probability that two sentences state one point."""
    units = state.units
    topic_stems = content_stems(state.topic) if state.topic else []
    matrix, _ = tfidf(units, extra=[topic_stems] if topic_stems else [])
    n = len(units)
    state.sims = Similarity(matrix[:n])
    relevance = np.zeros(n)
    if topic_stems:
        norm = normalized(matrix)
        relevance = np.asarray((norm[:n] @ norm[n].T).todense()).ravel()
    centrality = _cross_centrality(units, state.sims)
    state.salience = relevance * 2.0 + centrality
    state.days = day_numbers({d: state.infos[d].date for d in state.doc_ids})
    state.same_point, state.same_but_figures = _same_point(units, state.days, state.budget)
    state.reported = _reported_values(state.rows)
    rows = state.rows
    state.previous = {
        (s.doc_id, s.n): prev.text for (prev, _), (s, _) in zip(rows, rows[1:], strict=False) if prev.doc_id == s.doc_id
    }
    state.said = Said.of(units, state.previous)


def independence(state: BriefState) -> None:
    """Which documents are copies of one text (they count once), and the quotes' loaded terms."""
    state.groups_of = independence_groups(
        state.texts, {d: state.infos[d].near_duplicate_group for d in state.doc_ids}
    )
    state.lexicon = LoadedLexicon.default()
    state.quote = _Quotes(state.units, state.lexicon)


def _labels(found: list[Conflict]) -> list[str]:
    return [
        f"{found[0].kind}: “{'”; “'.join(dict.fromkeys(c.left for c in found))}”",
        f"{found[0].kind}: “{'”; “'.join(dict.fromkeys(c.right for c in found))}”",
    ]


def factual_point(state: BriefState, members: list[int], score: float) -> bool:
    """A point whose sources give conflicting details (figures, names, lists): a factual dispute."""
    units = state.units
    centre = members[0]
    centre_details = details(units[centre].text)
    clashing = {
        m: _unshared(conflicts(centre_details, details(units[m].text)), units[centre].doc_id, units[m].doc_id, state.reported)
        for m in members[1:]
    }
    clashing = {m: c for m, c in clashing.items() if c}
    if not clashing:
        return False
    same = [m for m in members if m not in clashing]
    found = [c for cs in clashing.values() for c in cs]
    kinds = sorted({c.kind for c in found})
    positions = _positions([same, list(clashing)], units, state.quote, state.quote_limit, _labels(found))
    state.disputes.append((score + 1.0, Dispute(
        id="", kind="factual",
        topic=f"Sources report this point with different details ({', '.join(kinds)})",
        positions=positions,
    )))
    return True


def stance_point(state: BriefState, members: list[int], score: float) -> bool:
    """A point that one source states and another questions or disputes: a stance dispute."""
    units, quote = state.units, state.quote
    questioning = _questioning(members, units, state.said)
    if not questioning:
        return False
    asserting = [m for m in members if m not in questioning]
    positions = [
        Position(label=label, sources=_ordered_docs(units[m].doc_id for m in side),
                 quotes=[quote(m) for m in sorted(side, key=lambda m: units[m].citation)][:max(state.quote_limit, 2)])
        for label, side in (("states it", asserting), ("questions or disputes it", questioning))
    ]
    state.disputes.append((score + 1.5, Dispute(
        id="", kind="stance",
        topic="One source states what another questions or disputes",
        positions=positions,
    )))
    return True


def agreement_point(state: BriefState, members: list[int], score: float) -> bool:
    """A point the sources agree on: an agreement when two or more of them are independent,
    otherwise a single-source point (copies of one text count once)."""
    units, quote, groups_of = state.units, state.quote, state.groups_of
    centre = members[0]
    docs = _ordered_docs(units[m].doc_id for m in members)
    independent = count_independent(docs, groups_of)
    best = min(members, key=lambda m: (
        len(quote(m).loaded_terms), not _ATTRIBUTED.search(units[m].text),
        -value(state.same_point, centre, m) if m != centre else -1.0, m,
    ))
    if independent < 2:
        state.single_extra.append((score, SingleSource(
            id="", source=units[centre].doc_id, quote=quote(best),
        )))
        return True
    note = None
    if independent < len(docs):
        note = (
            f"{len(docs)} documents, {independent} independent: "
            + ", ".join(sorted({d for d in docs if sum(groups_of[d] == groups_of[e] for e in docs) > 1}))
            + " are copies or near-copies of one text and count once"
        )
    member_quotes = sorted((quote(m) for m in members), key=lambda q: q.doc_id)
    state.agreements.append((independent * 10 + score, Agreement(
        id="", summary=quote(best), quotes=member_quotes[:max(state.quote_limit, 2)], sources=docs,
        independent_sources=independent, note=note, framing=_wordings(members, units, quote, state.lexicon),
    )))
    return True


# Each group of similar sentences goes to the first detector that claims it.
POINT_DETECTORS: tuple[Callable[[BriefState, list[int], float], bool], ...] = (
    factual_point, stance_point, agreement_point,
)


def points(state: BriefState) -> None:
    """Points reported by several documents; conflicting details turn a point into a dispute."""
    units, salience = state.units, state.salience
    groups = group_points(units, state.same_point, salience, GROUP_THRESHOLD)
    for group in state.budget.each(groups, "groups of similar sentences"):
        members = list(group.members)
        state.used.update(members)
        score = float(np.mean([salience[m] for m in members]))
        for detector in POINT_DETECTORS:
            if detector(state, members, score):
                break


def stance_pair(state: BriefState, i: int, j: int) -> None:
    """Two related sentences outside one point: one states what the other questions."""
    units, salience, quote = state.units, state.salience, state.quote
    for a, b in ((i, j), (j, i)):
        if units[a].citation in state.in_stance or units[b].citation in state.in_stance:
            break
        if _may_doubt(units[b].text) and _questioning([a, b], units, state.said) == [b]:
            state.in_stance.update({units[a].citation, units[b].citation})
            state.used.update({a, b})
            state.disputes.append((float(salience[a] + salience[b]) / 2 + 1.5, Dispute(
                id="", kind="stance", topic="One source states what another questions or disputes",
                positions=[
                    Position(label="states it", sources=[units[a].doc_id], quotes=[quote(a)]),
                    Position(label="questions or disputes it", sources=[units[b].doc_id], quotes=[quote(b)]),
                ],
            )))
            break


def factual_pair(state: BriefState, i: int, j: int) -> None:
    """Two related sentences outside one point that enumerate or count the same thing differently."""
    units, salience = state.units, state.salience
    di, dj = details(units[i].text), details(units[j].text)
    if not (di.items and dj.items) and not (set(di.numbers) & set(dj.numbers) - {""}):
        return
    found = _unshared(
        [c for c in conflicts(di, dj) if c.kind in ("list", "number")], units[i].doc_id, units[j].doc_id, state.reported
    )
    if not found:
        return
    state.in_factual.update({units[i].citation, units[j].citation})
    state.used.update({i, j})
    state.disputes.append((float(salience[i] + salience[j]) / 2 + 1.0, Dispute(
        id="", kind="factual",
        topic=f"Sources report this point with different details ({', '.join(sorted({c.kind for c in found}))})",
        positions=_positions([[i], [j]], units, state.quote, state.quote_limit, _labels(found)),
    )))


# Each pair of related sentences (not already in a factual dispute) goes to every detector.
PAIR_DETECTORS: tuple[Callable[[BriefState, int, int], None], ...] = (stance_pair, factual_pair)


def related_pairs(state: BriefState) -> None:
    """Related sentences outside one point: stance and factual disputes between two sentences."""
    units = state.units
    state.in_factual = {q.citation for _, d in state.disputes for p in d.positions for q in p.quotes}
    state.in_stance = {
        q.citation for _, d in state.disputes if d.kind == "stance" for p in d.positions for q in p.quotes
    }
    pairs = similar_pairs(units, state.same_but_figures, RELATED_POINT)
    for i, j, _sim in state.budget.each(pairs, "pairs of related sentences"):
        if units[i].citation in state.in_factual or units[j].citation in state.in_factual:
            continue
        for detector in PAIR_DETECTORS:
            detector(state, i, j)
    for i, j in quantity_pairs(state):
        if units[i].citation not in state.in_factual and units[j].citation not in state.in_factual:
            factual_pair(state, i, j)


QUANTITY_SHARED_MAX = 40  # a quantity more sentences than this name is a running figure, not one fact


def quantity_pairs(state: BriefState) -> list[tuple[int, int]]:
    """Sentences of different documents on one occasion that name one quantity in full (what is
    counted, by whom and how: "the Liberals took 156 seats" / "Trudeau's Liberal Party had won 157
    of 338 seats"), however little else they share: candidates for a factual dispute."""
    units = state.units
    by_slot: dict[str, list[tuple[int, Quantity]]] = {}
    for i, u in enumerate(units):
        if any(c.isdigit() for c in u.text):
            for slot, q in named_quantities(details(u.text)).items():
                by_slot.setdefault(slot, []).append((i, q))
    pairs = set()
    for named in by_slot.values():
        if len(named) > QUANTITY_SHARED_MAX:
            continue
        for k, (i, qi) in enumerate(named):
            for j, qj in named[k + 1:]:
                if (units[i].doc_id != units[j].doc_id and same_occasion(state.days, units[i].doc_id, units[j].doc_id)
                        and measure_alike(qi, qj)):
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def framing(state: BriefState) -> None:
    """Opposing loaded terms for the same thing: a framing dispute."""
    units, quote = state.units, state.quote
    def together(a: str, b: str) -> bool:
        return same_occasion(state.days, a, b)

    for fd in framing_disputes(units, state.sims, state.lexicon, RELATED_THRESHOLD, together):
        sides = []
        for label in sorted(fd.sides):
            idxs = list(dict.fromkeys(i for i, _ in fd.sides[label]))  # one quote per sentence, whatever its terms
            state.used.update(idxs)
            written = sorted({t for _, t in fd.sides[label]})
            sides.append(Position(
                label=f"uses “{'”, “'.join(written)}”",
                sources=_ordered_docs(units[i].doc_id for i in idxs),
                quotes=[quote(i) for i in sorted(idxs, key=lambda i: units[i].citation)][:state.quote_limit],
            ))
        sides.sort(key=lambda p: p.sources[0])
        state.disputes.append((2.0, Dispute(
            id="", kind="framing", topic=f"Sources use opposing terms for the same thing ({fd.topic})",
            positions=sides,
        )))


CLAIM_MIN_WORDS = 4  # a topic of fewer content words ("Afghanistan", "Texas abortion law") names a subject
_PREDICATE = re.compile(
    r"\b(is|are|was|were|be|been|being|has|have|had|will|would|can|could|may|might|must|does|did|not|"
    r"likely|unlikely|reportedly|allegedly)\b|['’](re|s|ve|ll)\b|\bto\s+(?!the\b|a\b|an\b)[a-z]+\b",
    re.IGNORECASE,
)


def states_a_claim(topic: str) -> bool:
    """Does the topic state something that could be true or false ("we're being bought by
    Microsoft", "Hewlett-Packard to split in two", "a Gitmo detainee killed James Foley"), rather
    than name a subject ("Afghanistan", "Texas abortion law")?"""
    return len(content_stems(topic)) >= CLAIM_MIN_WORDS or bool(_PREDICATE.search(topic))


def topic_stance(state: BriefState) -> None:
    """Stance on the topic itself, when the topic states a claim: sources that report it against
    sources that reject it. A topic that only names a subject has no side to take."""
    if not state.topic or not states_a_claim(state.topic):
        return
    state.disputes.extend(
        _stance_disputes(state.topic, state.units, state.quote, state.quote_limit, state.used)
    )


def single_source(state: BriefState) -> None:
    """What only one source reports, fairly spread over the sources."""
    singles = _single_source(state.units, state.salience, state.used, state.max_points, state.quote)
    singles += [s for _, s in state.single_extra]
    state.final_singles = [
        s.model_copy(update={"id": f"S{i}"}) for i, s in enumerate(_round_robin(singles, state.max_points), 1)
    ]


def ordering(state: BriefState) -> None:
    """The strongest points first, cut to ``max_points`` per section and numbered A1…, D1…."""
    limit = state.max_points
    agreements = [a for _, a in sorted(state.agreements, key=lambda t: -t[0])][:limit]
    disputes = [d for _, d in sorted(state.disputes, key=lambda t: -t[0])][:limit]
    state.final_agreements = [a.model_copy(update={"id": f"A{i}"}) for i, a in enumerate(agreements, 1)]
    state.final_disputes = [d.model_copy(update={"id": f"D{i}"}) for i, d in enumerate(disputes, 1)]


def per_source(state: BriefState) -> None:
    """Each document's own summary and loaded terms."""
    state.per_source = _per_source(
        state.doc_ids, state.infos, state.units, state.salience, state.quote, state.summary_len, state.groups_of
    )


def coverage(state: BriefState) -> None:
    """Which source reports, disputes or is silent on each numbered point."""
    state.coverage = _coverage(state.doc_ids, state.final_agreements, state.final_disputes, state.final_singles)


STEPS: tuple[Callable[[BriefState], None], ...] = (
    scope, align, independence, points, related_pairs, framing, topic_stance,
    single_source, ordering, per_source, coverage,
)


def assemble(state: BriefState) -> Brief:
    """The ``Brief`` of a state every step has run over: overview, sections, notes."""
    doc_ids, topic = state.doc_ids, state.topic
    agreements, disputes, singles = state.final_agreements, state.final_disputes, state.final_singles
    notes = state.budget.notes() + _notes(doc_ids, state.infos, state.groups_of, state.truncated, state.max_documents)
    independent_total = count_independent(doc_ids, state.groups_of)
    overview = (
        f"Brief of {len(doc_ids)} source{'s' if len(doc_ids) != 1 else ''} "
        f"({independent_total} independent)" + (f" on “{topic}”" if topic else "") + ": "
        f"{len(agreements)} point{'s' if len(agreements) != 1 else ''} reported by two or more "
        f"independent sources, {len(disputes)} dispute{'s' if len(disputes) != 1 else ''}, "
        f"{len(singles)} point{'s' if len(singles) != 1 else ''} from a single source. "
        "Every statement below is a quote attributed to its source; the brief does not judge which source is right."
    )
    return Brief(
        topic=topic, sources=doc_ids, overview=overview, agreements=agreements,
        disputes=disputes, single_source=singles, per_source=state.per_source,
        coverage=state.coverage, notes=notes,
        truncated=state.truncated or len(state.agreements) > state.max_points or bool(state.budget.left_out),
    )


def build_brief(
    store: Store,
    *,
    topic: str | None = None,
    sources: list[str] | None = None,
    max_documents: int = 50,
    max_points: int = MAX_POINTS,
    detail: Detail = "normal",
    max_sentences: int = 2000,
    seconds: float = 30.0,
    retrieve: Retrieve = topic_documents,
) -> Brief:
    """The brief of ``store``'s documents on ``topic`` (or of ``sources``, or of the latest):
    every step of ``STEPS`` in turn over one ``BriefState``, then ``assemble``.

    ``sources`` are document ids already checked; ``retrieve(store, topic, limit=, sources=)``
    finds a topic's documents.
    """
    with collector_paused():
        state = BriefState(
            store=store, topic=topic, sources=sources, max_documents=max_documents, max_points=max_points,
            detail=detail, max_sentences=max_sentences, seconds=seconds, retrieve=retrieve,
        )
        for step in STEPS:
            step(state)
        brief = assemble(state)
        del state  # freed before the collector resumes, so that its first pass has less to scan
    return brief


_paused = [0, False]  # briefs running; whether the collector was on when the first began
_paused_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a brief runs (briefs in other threads may
    overlap: it comes back on when the last ends, if it was on). A brief makes hundreds of
    thousands of small objects that live until it ends, and no reference cycles to speak of:
    each full collection rescanned them all, a fifth of a 500-document brief's time. Reference
    counting still frees everything a brief drops."""
    with _paused_lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()


def _reported_values(rows: Sequence[tuple[Sentence, int]]) -> dict[str, set[str]]:
    """Every ``value slot`` figure each document gives, in any of its sentences."""
    out: dict[str, set[str]] = {}
    for s, _ in rows:
        values = out.setdefault(s.doc_id, set())
        for slot, figure in details(s.text).numbers.items():
            values.add(f"{figure} {slot}")
    return out


def _unshared(found: list[Conflict], doc_a: str, doc_b: str, reported: dict[str, set[str]]) -> list[Conflict]:
    """Number conflicts that are real between two documents: a document that gives both values
    (the total and the increase, this year's and last year's) does not dispute the other's."""
    return [
        c for c in found
        if c.kind != "number" or not (c.keys[1] in reported.get(doc_a, ()) or c.keys[0] in reported.get(doc_b, ()))
    ]


DATE_WINDOW_DAYS = 3  # reports dated further apart than this tell of different occasions


def day_numbers(dates: Mapping[str, str | None]) -> dict[str, float]:
    """Each document's day number (NaN: undated, or a date that is not YYYY-MM-DD)."""
    days: dict[str, float] = {}
    for d, date in dates.items():
        try:
            days[d] = float(datetime.date.fromisoformat((date or "")[:10]).toordinal())
        except ValueError:
            days[d] = math.nan
    return days


def same_occasion(days: Mapping[str, float], a: str, b: str) -> bool:
    """Two documents may report one occasion: dated within ``DATE_WINDOW_DAYS``, or either undated."""
    return not abs(days.get(a, math.nan) - days.get(b, math.nan)) > DATE_WINDOW_DAYS


def _same_point(
    units: Sequence[Unit], days: Mapping[str, float] | None = None, budget: Budget | None = None
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """The probability that two sentences of different documents state one point, for every pair
    that shares a word beyond the story's anchor words (others score 0), as a symmetric matrix;
    and the same read without the figures, for pairs that may dispute one. Two documents dated
    more than ``DATE_WINDOW_DAYS`` apart report different occasions: their pairs score 0."""
    texts = [u.text for u in units]
    doc_ids, doc = np.unique(np.array([u.doc_id for u in units], dtype=object), return_inverse=True)
    day = np.array([(days or {}).get(d, math.nan) for d in doc_ids], dtype=float)
    dated = np.count_nonzero(~np.isnan(day))
    # Undated coverage of a topic: the names most of its documents share tell no occasion apart,
    # so they are no evidence of one point (with dates, the window below does that better).
    undated = dated < 2 or dated * 2 < len(day)
    sentences = Sentences(texts, anchors(texts, [u.doc_id for u in units] if undated else ()))
    found = sentences.candidates(doc, min_cover=MIN_COVER, max_pairs=budget.max_pairs if budget else None)
    if budget:
        budget.unpaired(found.unread, len(units))
    rows, cols = found.rows, found.cols
    if dated >= 2:
        gap = np.abs(day[doc[rows]] - day[doc[cols]])
        keep = ~(gap > DATE_WINDOW_DAYS)  # an undated document (NaN) is never held apart
        rows, cols = rows[keep], cols[keep]
    n = len(units)
    out = []
    features = sentences.features(rows, cols)
    for numbers in (True, False):
        probability = score_features(features, numbers=numbers, kind="story")
        upper = sparse.csr_matrix((probability, (rows, cols)), shape=(n, n))
        matrix = sparse.csr_matrix(upper + upper.T)
        matrix.sum_duplicates()
        out.append(matrix)
    return out[0], out[1]


def _cross_centrality(units: Sequence[Unit], sims: Similarity) -> np.ndarray:
    """Mean similarity of each sentence to the sentences of other documents."""
    doc = np.array([u.doc_id for u in units], dtype=object)
    _, which, sizes = np.unique(doc, return_inverse=True, return_counts=True)
    total = sims.cross_document_sums(which)
    others = len(units) - sizes[which]
    return total / np.maximum(others, 1) * 10.0


_OWN_DOUBT = re.compile(
    r"\b(falsely|false(?:ly)? claim\w*|without (?:any )?evidence|no evidence|baseless|unfounded|debunked|"
    r"unsubstantiated|so-called|conspiracy theor\w+|unproven|discredited)\b",
    re.IGNORECASE,
)
# Words that judge an act as often as a claim ("a legally dubious attempt", "a misleading ad"): a
# doubt only when they name a claim ("dubious claims that ..."), which ``_DOUBTED`` reads.
_JUDGES_ACTS_TOO = re.compile(r"\b(dubious|misleading|bogus)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\b(said|says|say|according to|claimed|claims|argued|argues|called|calls|told|insisted|denied|"
    r"rejected|dismissed|accused|alleged|tweeted|wrote|stated)\b",
    re.IGNORECASE,
)
_OWN_ADVERB = re.compile(r"\b(falsely|wrongly|baselessly|erroneously)\s+(claim|say|assert|suggest|state)\w*", re.IGNORECASE)


_ATTRIBUTED = re.compile(r"\b(said|says|according to|told|stated|announced|reported)\b", re.IGNORECASE)


def _wordings(members: list[int], units: Sequence[Unit], quote: _Quotes, lexicon: LoadedLexicon) -> list[Position]:
    """Framing inside an agreement: the sources report the same fact, but name it with opposing
    terms of one framing set ("revolution" / "coup"). Each wording with its sources.

    Loaded words that only some quotes use were measured as a signal too and dropped: on the gold
    clusters, 15-19% of the agreements they marked had framing the others avoid."""
    sides: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for m in members:
        for fset, side, a, b in own_framing_hits(lexicon, units[m].text):
            sides.setdefault("|".join(fset.alternatives), {}).setdefault(side, []).append((m, units[m].text[a:b]))
    out: list[Position] = []
    for _key, by_side in sorted(sides.items()):
        # A quote that uses both sides' words ("the travel ban ... a Muslim ban") contrasts nothing.
        both = {m for m in members if sum(any(i == m for i, _ in uses) for uses in by_side.values()) > 1}
        by_side = {side: kept for side, uses in by_side.items() if (kept := [u for u in uses if u[0] not in both])}
        if len(by_side) < 2 or len({units[m].doc_id for uses in by_side.values() for m, _ in uses}) < 2:
            continue
        for _side, uses in sorted(by_side.items()):
            idxs = sorted({m for m, _ in uses}, key=lambda m: units[m].citation)
            out.append(Position(
                label="uses “" + "”, “".join(sorted({t for _, t in uses})) + "”",
                sources=_ordered_docs(units[m].doc_id for m in idxs), quotes=[quote(m) for m in idxs],
            ))
    return out


@lru_cache(maxsize=16384)
def own_voice_doubt(text: str) -> bool:
    """The sentence itself, in the outlet's voice, calls a claim false or unsupported ("falsely
    claimed", "without evidence"). A denial, rejection or doubt that the sentence attributes to
    someone ("officials denied", "the court rejected", "critics called it baseless") is part of the
    reported event, which every outlet may report: it is not one outlet questioning another."""
    plain = QUOTED.sub(" ", fold(text))
    if _OWN_ADVERB.search(plain):
        return True  # "falsely claimed": the outlet judges the claim it reports
    if not (_OWN_DOUBT.search(plain) or (_JUDGES_ACTS_TOO.search(plain) and _DOUBTED.search(plain))):
        return False
    return not _ATTRIBUTION.search(plain)


@dataclass(frozen=True)
class Said:
    """What the stance rules read of every document once per brief: each document's sentences,
    the sentence before each one, and the documents that call something untrue (a hoax, false)."""

    sentences_of: dict[str, list[int]]
    previous: dict[tuple[str, int], str]
    untrue: frozenset[str]

    @classmethod
    def of(cls, units: Sequence[Unit], previous: dict[tuple[str, int], str]) -> Said:
        sentences_of: dict[str, list[int]] = {}
        for u in units:
            sentences_of.setdefault(u.doc_id, []).append(u.idx)
        return cls(sentences_of, previous, frozenset(u.doc_id for u in units if _calls_untrue(u.text)))


def _questioning(members: list[int], units: Sequence[Unit], said: Said) -> list[int]:
    """Members that question or dispute what the point's other members state.

    The stating source must state it: when another of its own sentences questions the same point
    (a report of a rumour, then its debunking), the point is no dispute between sources.
    """
    try:
        from briefing.align.stance import questions_assertion
    except ImportError:  # pragma: no cover - stance module absent
        return []

    def questions(assertion: int, other: int) -> bool:
        context = said.previous.get((units[other].doc_id, units[other].n))
        return questions_assertion(units[assertion].text, units[other].text, context)

    def stated(assertion: int) -> bool:
        own = (i for i in said.sentences_of[units[assertion].doc_id] if i != assertion)
        return not any(questions(assertion, i) for i in own)

    def doubts(other: int, assertion: int) -> bool:
        """``other`` doubts in its own voice, or reports that the claim is untrue ("officials said
        the report was a hoax") where ``assertion``'s source reports no such thing: a denial every
        source reports is part of the event, and "denied", "rejected" or "argued" describe what
        someone did, not whether the claim is true."""
        if not doubted_in(units[other].text, units[assertion].text):
            return False  # "Trump's false election fraud claims" doubts claims of fraud, not a subpoena
        if own_voice_doubt(units[other].text):
            return True
        return _calls_untrue(units[other].text) and units[assertion].doc_id not in said.untrue

    centre = members[0]
    found = [
        m for m in members[1:]
        if units[m].doc_id != units[centre].doc_id and doubts(m, centre) and questions(centre, m)
    ]
    if found:
        return found if stated(centre) and not own_voice_doubt(units[centre].text) else []
    # The centre itself may be the questioning report.
    others = [m for m in members[1:] if units[m].doc_id != units[centre].doc_id]
    if (others and doubts(centre, others[0]) and not own_voice_doubt(units[others[0]].text)
            and questions(others[0], centre) and stated(others[0])):
        return [centre]
    return []


_UNTRUE = re.compile(
    r"\b(hoax\w*|false(?:ly)?|fake|untrue|not true|debunk\w*|fabricat\w+|myth|bogus|baseless|unfounded|"
    r"no evidence|misleading|rumou?rs?|unsubstantiated|disinformation|misinformation)\b",
    re.IGNORECASE,
)
# Phrases built on those words that name a subject, not a verdict on a claim: "accusations of
# 'fake news'" (an epithet for the press), "a Russian disinformation campaign".
_UNTRUE_AS_SUBJECT = re.compile(
    r"\bfake news\b|\b(?:dis|mis)information\s+(?:campaigns?|operations?|efforts?|networks?|warfare)\b",
    re.IGNORECASE,
)


_DOUBTED = re.compile(
    r"\b(?:false|falsely|baseless|unfounded|unsubstantiated|bogus|debunked|unproven|discredited|dubious|misleading)\s+"
    r"((?:[\w'’-]+\s+){0,4}?)(?:claims?|allegations?|theor(?:y|ies)|assertions?|rumou?rs?|narratives?|stor(?:y|ies)|reports?|facts?)\b"
    r"(?:\s+(?:that|of|about)\s+((?:[\w'’-]+\s*){1,8}))?",
    re.IGNORECASE,
)


def doubted_in(doubt: str, assertion: str) -> bool:
    """Does ``assertion`` state what ``doubt`` calls false, when ``doubt`` names it ("false election
    fraud claims", "baseless claims that the election was stolen")? True when the doubt names
    nothing in particular."""
    stated = set(content_stems(assertion))
    for m in _DOUBTED.finditer(fold(doubt)):
        before, clause = set(content_stems(m.group(1))), set(content_stems(m.group(2) or ""))
        if before and not before <= stated:
            continue  # "false election fraud claims": every word of what is called false
        if clause and len(clause & stated) * 2 < len(clause):
            continue  # "baseless claims that the election was stolen": most of the claim
        return True
    return not _DOUBTED.search(fold(doubt))


def _may_doubt(text: str) -> bool:
    """A cheap first look: could the sentence question another's claim at all?"""
    return own_voice_doubt(text) or _calls_untrue(text)


@lru_cache(maxsize=65536)
def _calls_untrue(text: str) -> bool:
    return bool(_UNTRUE.search(_UNTRUE_AS_SUBJECT.sub(" ", fold(text))))


def _positions(
    sides: list[list[int]], units: Sequence[Unit], quote: _Quotes, limit: int, labels: list[str]
) -> list[Position]:
    positions = []
    for members, label in zip(sides, labels, strict=True):
        if not members:
            continue
        docs = _ordered_docs(units[m].doc_id for m in members)
        positions.append(Position(
            label=label,
            sources=docs,
            quotes=[quote(m) for m in sorted(members, key=lambda m: units[m].citation)][:max(limit, 1)],
        ))
    positions.sort(key=lambda p: p.sources[0])
    return positions


def _stance_disputes(
    topic: str | None, units: Sequence[Unit], quote: _Quotes, limit: int, used: set[int]
) -> list[tuple[float, Dispute]]:
    """Stance: one source asserts what another questions or rejects."""
    try:
        from briefing.align import stance
    except ImportError:  # pragma: no cover - stance module absent
        return []
    out: list[tuple[float, Dispute]] = []
    if topic:
        by_doc: dict[str, list[int]] = {}
        for u in units:
            by_doc.setdefault(u.doc_id, []).append(u.idx)
        sides = stance.stance_sides(topic, {d: [units[i].text for i in idxs] for d, idxs in by_doc.items()})
        if sides:
            positions = []
            for label, key in (("reports it without questioning it", "asserts"), ("questions or rejects it", "rejects")):
                evidence = sides.get(key, [])  # type: ignore[call-overload]
                idxs = [by_doc[e.doc_id][e.index] for e in evidence]
                used.update(idxs)
                positions.append(Position(
                    label=label, sources=_ordered_docs(units[i].doc_id for i in idxs),
                    quotes=[quote(i) for i in idxs][:max(limit, 2)],
                ))
            out.append((3.0, Dispute(id="", kind="stance", topic=f"Sources take different stances on: {topic}", positions=positions)))
    return out


def _single_source(
    units: Sequence[Unit], salience: np.ndarray, used: set[int], limit: int, quote: _Quotes
) -> list[SingleSource]:
    by_doc: dict[str, list[int]] = {}
    for u in units:
        if u.idx not in used:
            by_doc.setdefault(u.doc_id, []).append(u.idx)
    picks: list[SingleSource] = []
    for doc_id in sorted(by_doc):
        ranked = sorted(by_doc[doc_id], key=lambda i: (-float(salience[i]), i))[:limit]
        picks.extend(SingleSource(id="", source=doc_id, quote=quote(i)) for i in ranked)
    return picks


def _round_robin(items: list[SingleSource], limit: int) -> list[SingleSource]:
    by_source: dict[str, list[SingleSource]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item)
    out: list[SingleSource] = []
    while len(out) < limit and any(by_source.values()):
        for source in sorted(by_source):
            if by_source[source] and len(out) < limit:
                out.append(by_source[source].pop(0))
    return out


def _per_source(
    doc_ids: list[str], infos: dict[str, DocumentInfo], units: Sequence[Unit], salience: np.ndarray,
    quote: _Quotes, length: int, groups_of: dict[str, str],
) -> list[SourceView]:
    views = []
    by_doc: dict[str, list[int]] = {}
    for u in units:
        by_doc.setdefault(u.doc_id, []).append(u.idx)
    for doc_id in doc_ids:
        own = by_doc.get(doc_id, [])
        if not own:
            continue
        # Salient sentences, with a lead bonus: news puts its main point first.
        score = {i: float(salience[i]) + (1.0 if k == 0 else 0.0) for k, i in enumerate(own)}
        chosen = sorted(sorted(own, key=lambda i: -score[i])[:length])
        terms: dict[str, int] = {}
        for i in own:
            for t in quote(i).loaded_terms:
                terms[t.lower()] = terms.get(t.lower(), 0) + 1
        info = infos[doc_id]
        views.append(SourceView(
            document=info.model_dump(include={"id", "title", "source", "date", "url", "path", "instructions"}),  # type: ignore[arg-type]
            summary=[quote(i) for i in chosen],
            loaded_terms=[t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))][:10],
            independence_group=groups_of.get(doc_id, doc_id),
        ))
    return views


def _coverage(
    doc_ids: list[str], agreements: list[Agreement], disputes: list[Dispute], singles: list[SingleSource]
) -> list[CoverageRow]:
    rows = []
    for doc_id in doc_ids:
        cells: dict[str, Literal["reports", "disputes", "silent"]] = {}
        for a in agreements:
            cells[a.id] = "reports" if doc_id in a.sources else "silent"
        for d in disputes:
            cells[d.id] = "disputes" if any(doc_id in p.sources for p in d.positions) else "silent"
        for s in singles:
            cells[s.id] = "reports" if s.source == doc_id else "silent"
        rows.append(CoverageRow(source=doc_id, cells=cells))
    return rows


def _notes(
    doc_ids: list[str], infos: dict[str, DocumentInfo], groups_of: dict[str, str], truncated: bool, max_documents: int
) -> list[Note]:
    notes: list[Note] = []
    if truncated:
        notes.append(Note(kind="scope", message=(
            f"only the {max_documents} most recent documents were briefed; give a topic or sources to choose others"
        )))
    groups: dict[str, list[str]] = {}
    for d in doc_ids:
        groups.setdefault(groups_of.get(d, d), []).append(d)
    for members in groups.values():
        if len(members) > 1:
            notes.append(Note(kind="near_duplicate", message=(
                f"{', '.join(members)} are copies or near-copies of one text (shared long passages); "
                "they count as one independent source"
            )))
    for d in doc_ids:
        for note in infos[d].notes:
            prefix = "" if note.message.startswith(d) else f"{d}: "
            notes.append(note.model_copy(update={"message": prefix + note.message}))
    return notes
