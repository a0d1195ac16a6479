"""Topic retrieval with related words: pseudo-relevance feedback over the corpus itself (RM3-like).

A topic such as "immigration" misses the reports that only say "migrants" or "border". Offline,
with no word lists: the documents that match the topic best (the *feedback* documents) show which
other words go with it here. Each candidate word is weighted by how much of the feedback text it
makes up, times how rare it is in the corpus at large (a background sample of documents), and the
best few become a second query. A document's final score interpolates its BM25 score for the
topic and for those related words, each scaled to the best score of its ranking:

    score = bm25(topic) / max + WEIGHT * bm25(related words) / max

Plain BM25 stays what ``search`` and ``search_documents`` do; the brief's topic retrieval uses this.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.models import DocumentHit, DocumentRef
from briefing.store.sqlite import Store
from briefing.text.tokens import content_words

FEEDBACK_DOCUMENTS = 20
RELATED_WORDS = 10
WEIGHT = 0.7  # how much the related words count beside the topic's own
# (20 feedback documents, 10 words, 0.7: the middle of a plateau on the AllSides crawl, where
# 15-30 documents, 8-10 words and weights 0.6-0.8 all retrieve 1.20-1.23x plain BM25's share)
BACKGROUND = 2000  # documents sampled for how common each word is in the corpus
MIN_FEEDBACK_DOCS = 2  # a related word must occur in this many feedback documents
POOL = 200  # documents each ranking offers the interpolation (at least the number asked for)


@dataclass(frozen=True)
class Related:
    """The words found to go with a topic, each with its weight."""

    topic: str
    words: list[tuple[str, float]]

    @property
    def query(self) -> str:
        return " ".join(w for w, _ in self.words)


def _document_frequencies(store: Store) -> tuple[int, Counter[str]]:
    """(sampled documents, stem → how many of them hold it): computed once per corpus version."""
    def compute() -> tuple[int, Counter[str]]:
        total = store.query("SELECT COUNT(*) FROM documents")[0][0]
        step = max(1, total // BACKGROUND)
        ids = [r[0] for r in store.query("SELECT id FROM documents ORDER BY id")][::step][:BACKGROUND]
        by_doc: dict[str, set[str]] = {}
        for sentence, _ in store.all_sentences(ids):
            by_doc.setdefault(sentence.doc_id, set()).update(s for _, s in content_words(sentence.text))
        df: Counter[str] = Counter()
        for stems in by_doc.values():
            df.update(stems)
        return len(by_doc), df

    return store.cached(("background_df",), compute)


def related_words(store: Store, topic: str, feedback: Sequence[DocumentHit]) -> Related:
    """The words most characteristic of the feedback documents, beyond the topic's own."""
    from briefing.text.tokens import content_stems

    own = set(content_stems(topic))
    docs = [h.document.id for h in feedback]
    if not docs:
        return Related(topic, [])
    top = max(h.score for h in feedback) or 1.0
    doc_weight = {h.document.id: h.score / top for h in feedback}
    sentences = store.all_sentences(docs)
    counts: dict[str, Counter[str]] = {}
    surface: dict[str, Counter[str]] = {}
    for sentence, _ in sentences:
        for word, s in content_words(sentence.text):
            if s in own or len(word) < 3 or word.isdigit():
                continue
            counts.setdefault(sentence.doc_id, Counter())[s] += 1
            surface.setdefault(s, Counter())[word] += 1
    sampled, df = _document_frequencies(store)
    weight: dict[str, float] = {}
    spread: Counter[str] = Counter()
    for doc_id, c in counts.items():
        length = sum(c.values()) or 1
        for s, n in c.items():
            weight[s] = weight.get(s, 0.0) + doc_weight.get(doc_id, 0.0) * n / length
            spread[s] += 1
    scored = []
    for s, w in weight.items():
        if spread[s] < min(MIN_FEEDBACK_DOCS, len(docs)):
            continue
        idf = math.log((sampled + 1) / (df.get(s, 0) + 1)) + 1.0
        scored.append((w * idf, s))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = scored[:RELATED_WORDS]
    return Related(topic, [(surface[s].most_common(1)[0][0], round(w, 4)) for w, s in best])


def document_scores(
    store: Store, query: str, pool: int, sources: list[str] | None = None,
    date_from: str | None = None, date_to: str | None = None,
) -> list[tuple[str, float]]:
    """``(document id, score)`` of the ``pool`` best documents for any word of ``query``, scored
    as ``search_documents`` scores them (the sum of their three best sentences), without building
    hits and snippets."""
    from briefing.store.search import parse, ranked

    found = ranked(store, parse(query), max(200, pool * 50), sources, date_from, date_to, any_term=True)
    doc_of = store.doc_ids_by_rowid([rowid for rowid, _ in found])
    best: dict[str, list[float]] = {}
    for rowid, score in found:
        if rowid in doc_of:
            best.setdefault(doc_of[rowid], []).append(score)
    totals = {d: sum(sorted(v, reverse=True)[:3]) for d, v in best.items()}
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:pool]


def expanded_documents(
    store: Store,
    topic: str,
    *,
    limit: int,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[DocumentHit]:
    """The ``limit`` documents best matching ``topic`` and the words related to it in this corpus
    (as hits without matched sentences: the brief reads the documents whole)."""
    pool = max(limit, POOL)
    plain = document_scores(store, topic, pool, sources, date_from, date_to)
    feedback = [DocumentHit(document=DocumentRef(id=d), score=s, matches=[]) for d, s in plain[:FEEDBACK_DOCUMENTS]]
    related = related_words(store, topic, feedback)
    extra = document_scores(store, related.query, pool, sources, date_from, date_to) if related.words else []
    top_plain = max((s for _, s in plain), default=1.0) or 1.0
    top_extra = max((s for _, s in extra), default=1.0) or 1.0
    score: dict[str, float] = {d: s / top_plain for d, s in plain}
    for d, s in extra:
        score[d] = score.get(d, 0.0) + WEIGHT * s / top_extra
    chosen = sorted(score, key=lambda d: (-score[d], d))[:limit]
    refs = store.refs(chosen)
    return [DocumentHit(document=refs[d], score=round(score[d], 4), matches=[]) for d in chosen if d in refs]
