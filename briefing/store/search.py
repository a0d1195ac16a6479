"""Ranked full-text search over sentences, safe for any query string.

User text never reaches a search engine's syntax: it is folded, split into words and each word
(or each quoted phrase) becomes a term of a structured query. All terms must match; when that
finds nothing, any term may match (still ranked by BM25); ``any_term=True`` asks for that ranking
directly, so a long query (a headline as a topic) finds every document sharing some of its words,
those sharing more ranked higher. The ranking itself comes from the
store's full-text index (``briefing.store.index``); this module turns the rowids it returns into
hits with citations, document metadata and highlighted snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from briefing.errors import InvalidQuery
from briefing.models import DocumentHit, DocumentRef, Hit
from briefing.store.index import Filters, Query
from briefing.store.sqlite import Store
from briefing.text.instructions import flagged_instructions
from briefing.text.normalize import fold, mixed_script_tokens, strip_accents
from briefing.text.tokens import WORD, stem, stop_words, word_spans

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_PHRASE = re.compile(r'"([^"]*)"')
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[list[str]]  # each term is a word or a phrase (several words)

    @property
    def stems(self) -> set[str]:
        return {stem(strip_accents(w)) for term in self.terms for w in term}


def parse(query: str) -> ParsedQuery:
    """Words and quoted phrases of a user query; search operators are treated as plain words."""
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


def ranked(
    store: Store,
    parsed: ParsedQuery,
    limit: int,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    any_term: bool = False,
) -> list[tuple[int, float]]:
    """``(sentence rowid, score)`` of the best matches: every term, else (or with ``any_term``)
    any term."""
    filters = Filters(sources=sources, date_from=check_date(date_from, "date_from"),
                      date_to=check_date(date_to, "date_to"))
    found = [] if any_term else store.index.search(Query(parsed.terms), filters, limit)
    if not found and (any_term or len(parsed.terms) > 1):
        found = store.index.search(Query(parsed.terms, any_term=True), filters, limit)
    return found


def _hit_map(store: Store, parsed: ParsedQuery, found: list[tuple[int, float]]) -> dict[int, Hit]:
    """Rowid → hit (quote, citation, document, highlighted snippet) for each match still stored."""
    stored = store.hits_by_rowid([rowid for rowid, _ in found])
    kept = [(rowid, score) for rowid, score in found if rowid in stored]
    snippets = highlights([stored[rowid][1] for rowid, _ in kept], parsed.stems)
    hits = {}
    for (rowid, score), snippet in zip(kept, snippets, strict=True):
        citation, text, flags, ref = stored[rowid]
        hits[rowid] = Hit(
            citation=citation, text=text, score=round(score, 4), snippet=snippet,
            document=ref, instructions=flagged_instructions(flags),
        )
    return hits


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
    found = ranked(store, parsed, limit, sources, date_from, date_to)
    hits = _hit_map(store, parsed, found)
    return [hits[rowid] for rowid, _ in found if rowid in hits]


def search_documents(
    store: Store,
    query: str,
    *,
    limit: int = 10,
    sources: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    per_document: int = 3,
    any_term: bool = False,
) -> list[DocumentHit]:
    """Documents ranked by the summed scores of their best ``per_document`` matching sentences
    (among the best ``50 × limit`` sentences; only the hits shown are looked up in full). With
    ``any_term`` a sentence matching any query word counts, not only one matching all of them."""
    parsed = parse(query)
    found = ranked(store, parsed, max(200, limit * 50), sources, date_from, date_to, any_term)
    doc_of = store.doc_ids_by_rowid([rowid for rowid, _ in found])
    by_doc: dict[str, list[tuple[int, float]]] = {}
    for rowid, score in found:
        if rowid in doc_of:
            by_doc.setdefault(doc_of[rowid], []).append((rowid, round(score, 4)))
    best = sorted(
        by_doc.items(), key=lambda kv: (-sum(s for _, s in kv[1][:per_document]), kv[0])
    )[:limit]
    hits = _hit_map(store, parsed, [m for _, matches in best for m in matches[:per_document]])
    out = []
    for _, matches in best:
        shown = [hits[rowid] for rowid, _ in matches[:per_document] if rowid in hits]
        if shown:
            out.append(DocumentHit(
                document=shown[0].document, score=round(sum(h.score for h in shown), 4), matches=shown,
            ))
    return out


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


def _matched_spans(text: str, stems: set[str], seen: dict[str, bool]) -> list[tuple[int, int]]:
    """Offsets of the words of ``text`` that match a query stem (``seen``: words already decided)."""
    spaced = _spaced(text)
    if spaced is not None:
        return _spans(spaced, _decide_plain(*_plain_words(spaced), stems, seen))
    readings = _readings(text)
    if readings:
        return [(s, e) for s, e, _ in word_spans(text) if _matches(_read(text, s, e, readings), stems)]
    return _spans(text, _decide(set(WORD.findall(text)), stems, seen))


# Most sentences are ASCII but for typographic marks (curly quotes, dashes, ellipses): they are
# split into words in C. Each character is encoded in one byte (Windows-1252) and a table makes
# ASCII letters lower case and every character but letters, digits and joiners a space.
_JOINERS = "'-."  # what joins the parts of one ``WORD`` (``U.S.``, ``police-led``, ``don't``)


def _spacing_table() -> bytes:
    table = bytearray(range(256))
    for b in range(256):
        c = bytes([b]).decode("cp1252", errors="ignore")
        if b < 128:
            table[b] = ord(c.lower()) if c.isalnum() or c in _JOINERS else 32
        elif c and not c.isalnum():
            table[b] = 32  # a mark, a symbol or a space: between words
    return bytes(table)  # (a letter such as é stays as it is: not plain)


_SPACING = _spacing_table()


def _spaced(text: str) -> str | None:
    """``text`` in lower case with every character but ASCII letters, digits and joiners as a
    space, of the same length (so offsets hold); ``None`` when a character is neither ASCII nor
    a Windows-1252 mark or symbol (an accented letter, another script: read word by word)."""
    try:
        data = text.encode("ascii" if text.isascii() else "cp1252").translate(_SPACING)
    except UnicodeEncodeError:
        return None
    return data.decode("ascii") if data.isascii() else None


def _plain_words(spaced: str) -> tuple[set[str], set[str]]:
    """The distinct ``WORD``s of spaced lower-case text: those of letters and digits only, and
    those with a joiner (a piece such as ``u.s.``, ``police-led`` or ``said.`` goes through the
    regular expression, which makes ``u.s``, ``police-led`` and ``said`` of them)."""
    words = set(spaced.split())
    pieces = [w for w in words if not w.isalnum()]
    if not pieces:
        return words, set()
    words.difference_update(pieces)
    return words, set(WORD.findall(" ".join(pieces)))


def _decide_plain(words: set[str], joined: set[str], stems: set[str], seen: dict[str, bool]) -> set[str]:
    """Those of the lower-case ASCII ``words`` (letters and digits only) and ``joined`` words that
    match a query stem, each decided once (``seen``): a word when its stem matches (decided in
    one pass, in C), a joined word also by any of its parts, as the index splits it."""
    known = [w for w in words.intersection(seen) if seen[w]] if seen else []
    new = list(words.difference(seen)) if seen else list(words)
    hits = list(map(stems.__contains__, map(stem, new)))
    seen.update(zip(new, hits, strict=True))
    matching = set(compress(new, hits))
    matching.update(known)
    for w in joined:
        if (hit := seen.get(w)) is None:
            hit = seen[w] = _matches(w, stems)
        if hit:
            matching.add(w)
    return matching


def _decide(words: set[str], stems: set[str], seen: dict[str, bool]) -> set[str]:
    """Those of ``words`` (any script, any case) that match a query stem, each decided once
    (``seen``), as the index reads them: folded, accents stripped, and by any of their parts."""
    for w in words:
        if w not in seen:
            key = w if w.isascii() else fold(w)
            seen[w] = stem(key.lower()) in stems if key.isascii() and key.isalnum() else _matches(key, stems)
    return {w for w in words if seen[w]}


def _spans(text: str, matching: set[str]) -> list[tuple[int, int]]:
    """Offsets of the words of ``text`` in ``matching``, found with ``str.find``: an occurrence
    counts when it is a whole ``WORD``, as ``WORD.finditer`` finds them (no letter or digit, and
    no ``'``, ``-`` or ``.`` joined to one, on either side; ``[^\\W_]`` is ``str.isalnum``)."""
    spans = []
    size = len(text)
    for w in matching:
        at = text.find(w)
        while at >= 0:
            end = at + len(w)
            if not (
                at and (text[at - 1].isalnum() or (text[at - 1] in _JOINERS and at > 1 and text[at - 2].isalnum()))
                or end < size and (text[end].isalnum() or (text[end] in _JOINERS and end + 1 < size and text[end + 1].isalnum()))
            ):
                spans.append((at, end))
            at = text.find(w, at + 1)
    spans.sort()
    return spans


_APART = "\x1f"  # between the sentences of one search, highlighted as one text


def highlights(texts: list[str], stems: set[str]) -> list[str]:
    """``highlight`` for each of the sentences of one search, each distinct word decided once.
    Sentences of ASCII and typographic marks (most of them) are split into words, searched for
    the matching ones and marked as one text, joined by a character none of them holds."""
    seen: dict[str, bool] = {}
    whole = _APART.join(texts)
    if texts and whole.count(_APART) == len(texts) - 1 and (spaced := _spaced(whole)) is not None:
        matching = _decide_plain(*_plain_words(spaced), stems, seen)
        return [_cut(m) for m in _marked(whole, _spans(spaced, matching)).split(_APART)]
    return [highlight(t, stems, seen) for t in texts]


def highlight(text: str, stems: set[str], seen: dict[str, bool] | None = None, window: int = 40) -> str:
    """The sentence with query words in ``**bold**``, cut to about ``window`` words around them.
    ``seen``: the words already found to match or not, for these stems (kept across calls)."""
    return _cut(_marked(text, _matched_spans(text, stems, {} if seen is None else seen)), window)


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(f"**{text[s:e]}**")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _cut(marked: str, window: int = 40) -> str:
    """``marked`` cut to ``window`` words around its first marked one."""
    tokens = marked.split()
    if len(tokens) <= window:
        return marked
    first = next((i for i, t in enumerate(tokens) if "**" in t), 0)
    start = max(0, min(first - window // 3, len(tokens) - window))
    piece = " ".join(tokens[start:start + window])
    return ("… " if start else "") + piece + (" …" if start + window < len(tokens) else "")


def document_ref(store: Store, doc_id: str) -> DocumentRef | None:
    return store.refs([doc_id]).get(doc_id)
