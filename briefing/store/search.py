"""Ranked full-text search over sentences (BM25 in SQLite FTS5), safe for any query string.

User text never reaches FTS5 syntax: it is folded, split into words and each word (or each
quoted phrase) is passed as a quoted FTS5 string. All words must match; when that finds
nothing, any word may match (still ranked by BM25).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.errors import InvalidQuery
from briefing.models import DocumentHit, DocumentRef, Hit
from briefing.store.sqlite import FLAG_INSTRUCTIONS, Store
from briefing.text.normalize import fold, mixed_script_tokens, strip_accents
from briefing.text.tokens import stem, stop_words, word_spans

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_PHRASE = re.compile(r'"([^"]*)"')
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[list[str]]  # each term is a word or a phrase (several words)

    def fts(self, any_term: bool = False) -> str:
        parts = ['"' + " ".join(t) + '"' for t in self.terms]
        return (" OR " if any_term else " ").join(parts)

    @property
    def stems(self) -> set[str]:
        return {stem(strip_accents(w)) for term in self.terms for w in term}


def parse(query: str) -> ParsedQuery:
    """Words and quoted phrases of a user query; FTS5 operators are treated as plain words."""
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidQuery(f"the query is {len(query)} characters long; keep it under {MAX_QUERY_CHARS}")
    folded = fold(query).lower()
    terms: list[list[str]] = []
    for phrase in _PHRASE.findall(folded):
        tokens = _TOKEN.findall(phrase)
        if tokens:
            terms.append(tokens)
    rest = _PHRASE.sub(" ", folded)
    tokens = _TOKEN.findall(rest)
    stops = stop_words()
    content = [t for t in tokens if t not in stops]
    terms.extend([t] for t in (content or tokens))
    if not terms:
        raise InvalidQuery(
            f"nothing searchable in {query!r}; search for words, e.g. briefing search 'air patrols'"
        )
    unique: list[list[str]] = []
    for t in terms:
        if t not in unique:
            unique.append(t)
    return ParsedQuery(unique[:MAX_TERMS])


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise InvalidQuery(f"{name}={value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _filters(sources: list[str] | None, date_from: str | None, date_to: str | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if sources:
        clauses.append(f"s.doc_id IN ({','.join('?' * len(sources))})")
        params.extend(sources)
    if date_from or date_to:  # a date kept verbatim because it did not parse never matches
        clauses.append("d.date GLOB '[0-9][0-9][0-9][0-9]*'")
    if date_from:
        clauses.append("d.date >= ?")
        params.append(date_from)
    if date_to:
        clauses.append("d.date <= ?")
        params.append(date_to + "\uffff")
    return "".join(f" AND {c}" for c in clauses), params


def search_sentences(
    store: Store,
    query: str,
    *,
    limit: int = 10,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[Hit]:
    parsed = parse(query)
    date_from = check_date(date_from, "date_from")
    date_to = check_date(date_to, "date_to")
    where, params = _filters(sources, date_from, date_to)
    join = " JOIN documents d ON d.id = s.doc_id" if (date_from or date_to) else ""
    sql = (
        "SELECT s.rowid AS rowid, bm25(sentences_fts) AS rank FROM sentences_fts"
        f" JOIN sentences s ON s.rowid = sentences_fts.rowid{join}"
        f" WHERE sentences_fts MATCH ?{where} ORDER BY rank LIMIT ?"
    )
    rows = store.query(sql, [parsed.fts(), *params, limit])
    if not rows and len(parsed.terms) > 1:
        rows = store.query(sql, [parsed.fts(any_term=True), *params, limit])
    found = store.sentences_by_rowid([r["rowid"] for r in rows])
    refs = store.refs(found[r["rowid"]][0].doc_id for r in rows if r["rowid"] in found)
    hits = []
    for r in rows:
        if r["rowid"] not in found:
            continue
        sentence, flags = found[r["rowid"]]
        hits.append(Hit(
            citation=sentence.citation, text=sentence.text, score=round(-float(r["rank"]), 4),
            snippet=highlight(sentence.text, parsed.stems), document=refs[sentence.doc_id],
            instructions=bool(flags & FLAG_INSTRUCTIONS),
        ))
    return hits


def search_documents(
    store: Store,
    query: str,
    *,
    limit: int = 10,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    per_document: int = 3,
) -> list[DocumentHit]:
    """Documents ranked by the summed scores of their best ``per_document`` matching sentences."""
    hits = search_sentences(
        store, query, limit=max(200, limit * 50), sources=sources, date_from=date_from, date_to=date_to
    )
    by_doc: dict[str, list[Hit]] = {}
    for hit in hits:
        by_doc.setdefault(hit.document.id, []).append(hit)
    ranked = sorted(
        by_doc.items(),
        key=lambda kv: (-sum(h.score for h in kv[1][:per_document]), kv[0]),
    )[:limit]
    return [
        DocumentHit(
            document=matches[0].document,
            score=round(sum(h.score for h in matches[:per_document]), 4),
            matches=matches[:per_document],
        )
        for _, matches in ranked
    ]


def _matches(word: str, stems: set[str]) -> bool:
    """Does a (folded) word match a query stem, as the index would match it? The index splits
    ``China-Russia`` into two words and ignores accents, so each part counts."""
    key = strip_accents(word).lower()
    return stem(key) in stems or any(stem(part) in stems for part in _TOKEN.findall(key))


def _readings(text: str) -> dict[int, tuple[int, str]]:
    """Start offset → (end, Latin reading) of each look-alike-script word, as the index reads it."""
    return {start: (end, read_as) for start, end, _, read_as in mixed_script_tokens(text)}


def _read(text: str, start: int, end: int, readings: dict[int, tuple[int, str]]) -> str:
    out, pos = [], start
    for at in sorted(k for k in readings if start <= k < end):
        out += [text[pos:at], readings[at][1]]
        pos = readings[at][0]
    out.append(text[pos:end])
    return fold("".join(out))


def highlight(text: str, stems: set[str], window: int = 40) -> str:
    """The sentence with query words in ``**bold**``, cut to about ``window`` words around them."""
    readings = _readings(text)
    spans = [(s, e) for s, e, _ in word_spans(text) if _matches(_read(text, s, e, readings), stems)]
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(f"**{text[s:e]}**")
        pos = e
    out.append(text[pos:])
    marked = "".join(out)
    tokens = marked.split()
    if len(tokens) <= window:
        return marked
    first = next((i for i, t in enumerate(tokens) if "**" in t), 0)
    start = max(0, min(first - window // 3, len(tokens) - window))
    piece = " ".join(tokens[start:start + window])
    return ("… " if start else "") + piece + (" …" if start + window < len(tokens) else "")


def document_ref(store: Store, doc_id: str) -> DocumentRef | None:
    return store.refs([doc_id]).get(doc_id)
