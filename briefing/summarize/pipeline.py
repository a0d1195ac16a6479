"""From a corpus (or plain texts) to units, through a registered summariser, back to quotes.

``summarize_corpus`` picks the sentences of a store to summarise — the given sources, the
documents that match a query, or the whole corpus — runs the chosen method and returns a
``Summary`` whose every sentence is a ``Quote`` that ``Corpus.cite`` resolves verbatim. ``summarize_texts`` does the same
for a list of ``{"id", "title", "text", "date"}`` dicts with no store, for evaluations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from briefing.errors import NothingToSummarize
from briefing.ids import citation
from briefing.models import Quote, Summary
from briefing.summarize import registry
from briefing.summarize.units import Budget, Unit, ordered
from briefing.text.instructions import flagged_instructions

if TYPE_CHECKING:
    from briefing.store import Store

QUERY_DOCUMENTS = 25  # with a query, the summary draws on this many best-matching documents
NEAR_DUPLICATE = 0.5  # shingle containment that makes two plain texts copies of one source


def run(units: list[Unit], method: str, budget: Budget, query: str | None = None) -> list[int]:
    """The registered method's choice, in reading order."""
    return ordered(units, registry.get(method)(units, budget, query))


# --- a corpus -----------------------------------------------------------------------------------


def _selection(store: Store, query: str | None, sources: Sequence[str] | None) -> list[str]:
    """Document ids to summarise, in source order (``sources``: ids already checked)."""
    if query:
        from briefing.store.search import search_documents

        found = search_documents(store, query, limit=QUERY_DOCUMENTS, sources=list(sources) if sources else None)
        if not found:
            where = " in the given sources" if sources else ""
            raise NothingToSummarize(
                f"no document matches {query!r}{where}; try other words, or 'briefing search' to see what matches"
            )
        matched = {d.document.id for d in found}
        if not sources:
            return sorted(matched)  # source order is id order (without reading every id)
        return [d for d in sources if d in matched]
    if sources:
        return list(sources)
    return store.document_ids()


def corpus_units(store: Store, doc_ids: list[str]) -> list[Unit]:
    """The kept sentences of the documents, with their metadata, in source order."""
    infos = {d.id: d for d in store.documents(doc_ids)}
    rank = {doc_id: r for r, doc_id in enumerate(doc_ids)}
    units = []
    for sentence, flags in store.all_sentences(doc_ids):
        info = infos[sentence.doc_id]
        units.append(Unit(
            doc_id=sentence.doc_id, position=sentence.n - 1, text=sentence.text,
            citation=sentence.citation, date=info.date, title=info.title,
            group=info.near_duplicate_group, doc_rank=rank[sentence.doc_id],
            instructions=flagged_instructions(flags),
        ))
    units.sort(key=lambda u: (u.doc_rank, u.position))
    return units


def summarize_corpus(
    store: Store,
    *,
    query: str | None = None,
    sources: Sequence[str] | None = None,
    method: str = "default",
    sentences: int | None = None,
    words: int | None = None,
) -> Summary:
    """A cited extractive summary of the sources, of a query's best documents, or of everything."""
    method = registry.check_method(method)
    budget = Budget.of(sentences, words)
    query = query.strip() if query and query.strip() else None
    doc_ids = _selection(store, query, list(sources) if sources else None)
    units = corpus_units(store, doc_ids)
    if not units:
        raise NothingToSummarize(
            "there are no sentences to summarise; add documents with 'briefing ingest PATH' "
            "or check the ids with 'briefing sources'"
        )
    chosen = run(units, method, budget, query)
    return Summary(
        method=method, query=query, sources=doc_ids,
        sentences=[
            Quote(citation=units[i].citation or citation(units[i].doc_id, units[i].position + 1),
                  text=units[i].text, doc_id=units[i].doc_id, instructions=units[i].instructions)
            for i in chosen
        ],
    )


# --- plain texts --------------------------------------------------------------------------------


def _groups(texts: list[str]) -> list[str]:
    """Near-duplicate groups of plain texts, as the store computes them (copies share a group)."""
    from briefing.text import dedup

    keys = [str(i) for i in range(len(texts))]
    shingles = [dedup.shingles(t) for t in texts]
    edges = [
        (keys[a], keys[b])
        for a in range(len(texts)) for b in range(a + 1, len(texts))
        if dedup.containment(shingles[a], shingles[b]) >= NEAR_DUPLICATE
    ]
    groups = dedup.components(keys, edges)
    return [groups[k] for k in keys]


def text_units(documents: Sequence[Mapping[str, Any]]) -> list[Unit]:
    """Units of plain documents, prepared as ingestion prepares a file (``ingest.prepare``)."""
    from briefing.ingest.loaders import Record
    from briefing.ingest.prepare import Source, iso_date, prepare

    texts = [str(d.get("text") or "") for d in documents]
    groups = _groups(texts)
    units = []
    for rank, (doc, text) in enumerate(zip(documents, texts, strict=True)):
        if not text.strip():
            continue
        doc_id = str(rank)
        date = iso_date(str(doc["date"])) if doc.get("date") else None
        title = str(doc.get("title") or "") or None
        key = str(doc.get("id", doc_id))
        prepared = prepare(Source(f"text:{key}", f"text:{key}", key, Record(key=key, text=text)))
        for s in prepared.sentences:
            units.append(Unit(
                doc_id=doc_id, position=s.n - 1, text=s.text, citation=citation(key, s.n),
                date=date, title=title, group=groups[rank], doc_rank=rank,
                instructions=flagged_instructions(s.flags),
            ))
    return units


def summarize_texts(
    documents: Sequence[Mapping[str, Any]],
    method: str = "default",
    words: int | None = None,
    sentences: int | None = None,
    query: str | None = None,
) -> list[str]:
    """The summary sentences of plain documents (``{"id", "title", "text", "date"}``), in order."""
    method = registry.check_method(method)
    budget = Budget.of(sentences, words)
    units = text_units(documents)
    if not units:
        return []
    return [units[i].text for i in run(units, method, budget, query or None)]
