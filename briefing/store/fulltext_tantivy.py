"""The ``tantivy`` search backend (the default): a tantivy index in a directory beside the database.

Tantivy takes the best ``k`` matches with block-max WAND, skipping whole blocks of postings that
cannot make the top ``k``, so a query for a word in a tenth of the corpus costs about what a rare
word does. Each sentence is one tantivy document: its rowid (a fast field, which search returns),
its folded text (``body``: the simple tokenizer, lower case, ASCII folding, the Snowball English
stemmer — the stemmer the highlighter uses), its document id and date (raw terms, for filters).

Keeping in step with the tables, which stay the truth:

* Inside a store transaction the changes are only noted. Once it commits, added sentences go
  straight to an index writer (their folded text is at hand) and removed rowid ranges are deleted.
* ``flush`` replays every ``search_log`` entry the writer did not see — another process's changes,
  a rename, anything before a crash — from the tables, then commits the writer together with a
  state document holding the last applied log entry and the identity of the database and index
  format. Replaying deletes the entry's rowid range and re-adds what the tables hold there now, so
  it can run in any order and any number of times.
* A flush happens at the end of every store write (or of a bulk ingest, and every
  ``FLUSH_SENTENCES`` along the way), with the database's write lock held, so two processes never
  interleave their flushes. An index from another database, an older format, or that missed
  entries already trimmed from the log, is rebuilt from the tables.

A read-only process never writes the index directory: it searches what the writers committed
(reloading when the log moves on), or, when there is no usable index, builds a private one in
memory. A ``:memory:`` store has its index in memory too.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tantivy

from briefing.errors import StoreError
from briefing.store.index import (
    Filters,
    IndexedStore,
    Query,
    day_number,
    day_range,
    log_floor,
    log_head,
    odd_dates,
    pending,
    trim_log,
)
from briefing.text.normalize import FOLD_VERSION, fold

FORMAT = f"2.{FOLD_VERSION}"  # bump the first number when the schema or the analyzer changes
FLUSH_SENTENCES = 200_000  # during a bulk ingest, commit (and let others search) this often
WRITER_HEAP = 64_000_000
MAX_TOKEN = 255
LOCK_WAIT = 10.0  # seconds a flush waits for another process's index writer
_STATE = "state"
MARKER = "BRIEFING-SEARCH-INDEX"  # the file that marks the index directory as this project's
_MARKER_TEXT = "The full-text index of a briefing database; briefing rebuilds it from the database.\n"


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("rowid", indexed=True, fast=True)
    sb.add_text_field("body", tokenizer_name="briefing", index_option="position")
    sb.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("day", indexed=True, fast=True)  # YYYYMMDD, for YYYY-MM-DD dates
    sb.add_text_field("date", tokenizer_name="raw", index_option="basic")  # any other date
    sb.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("applied", stored=True)
    sb.add_text_field("ident", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


class TantivyIndex:
    name = "tantivy"

    def __init__(self, store: IndexedStore) -> None:
        self.store = store
        self.schema = _schema()
        self.analyzer = _analyzer()
        self._lock = store.lock  # one lock: the store calls in while holding it
        self._noted: list[tuple[str, int, Any]] = []  # this transaction's changes
        self._writer: Any = None
        self._direct: set[int] = set()  # log entries the open writer has applied itself
        self._direct_sentences = 0
        self.applied = 0
        ident = store.meta("search_id")
        self.ident = f"{ident}/{FORMAT}" if ident else ""
        self.path: Path | None = None if store.path == ":memory:" or not ident else Path(store.path + "-search")
        self.index = self._open()
        # Writes go to the directory only from a process that may write the database.
        self.writable = self.path is None or not store.read_only
        if self.writable:
            self.flush()

    # --- opening -------------------------------------------------------------------------------

    def _new(self, path: Path | None) -> tantivy.Index:
        if path is not None:
            if path.exists() or path.is_symlink():
                self._check_ours(path)
                shutil.rmtree(path)
            path.mkdir(parents=True)
            (path / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        index = tantivy.Index(self.schema, path=str(path) if path else None, reuse=False)
        self._configure(index)
        self.applied = -1  # nothing applied: the first flush rebuilds
        return index

    def _configure(self, index: tantivy.Index) -> None:
        index.register_tokenizer("briefing", self.analyzer)
        index.config_reader("Manual")

    def _open(self) -> tantivy.Index:
        if self.path is None:
            return self._new(None)
        found = self._existing(self.path)
        if found is not None:
            return found
        if self.store.read_only:
            self.path = None  # never touch the directory: a private index in memory
            return self._new(None)
        # Replace it under the database's write lock, built before the lock is released, so no
        # other process finds (and replaces in turn) a half-made index. (Its writer is taken with
        # the database locked, unlike in ``flush``: nobody else can hold a brand-new index's.)
        with self._lock, self.store.raw_transaction() as conn:
            found = self._existing(self.path)
            if found is not None:
                return found
            self.index = self._new(self.path)
            self._writer = self._acquire(LOCK_WAIT)
            self._flush(conn, True)
            return self.index

    def _check_ours(self, path: Path) -> None:
        """Raise unless ``path`` is a directory this project made: only such a one is replaced."""
        if path.is_symlink() or not path.is_dir():
            what = "a symlink" if path.is_symlink() else "a file"
        elif (path / MARKER).is_file() or self._made_by_briefing(path):
            return
        else:
            what = "a folder that briefing did not make"
        raise StoreError(
            f"the search index goes in {path}, but that is {what}; it is left as it is: move it "
            "away, or pass another --db (the index is kept beside the database)"
        )

    def _made_by_briefing(self, path: Path) -> bool:
        """An index from before the marker file: a tantivy index holding this project's state."""
        try:
            index = tantivy.Index.open(str(path))
            self._configure(index)
            return self._state(index) is not None
        except (ValueError, OSError):
            return False

    def _existing(self, path: Path) -> tantivy.Index | None:
        """The index in ``path`` if it is this database's, in this format."""
        if not path.is_dir() or path.is_symlink():
            return None
        try:
            index = tantivy.Index.open(str(path))
            self._configure(index)
            state = self._state(index)
        except (ValueError, OSError):
            return None
        if state and state[1] == self.ident:
            self.applied = state[0]
            return index
        return None

    def _state(self, index: tantivy.Index) -> tuple[int, str] | None:
        index.reload()
        searcher = index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self.schema, "kind", _STATE), 1).hits
        if not hits:
            return None
        found = searcher.doc(hits[0][1]).to_dict()
        return int(found["applied"][0]), str(found["ident"][0])

    # --- changes -------------------------------------------------------------------------------

    def added(self, conn: sqlite3.Connection, seq: int, lo: int, doc_id: str, date: str | None,
              bodies: Sequence[str]) -> None:
        self._noted.append(("add", seq, (lo, doc_id, date, list(bodies))))

    def removing(self, conn: sqlite3.Connection, seq: int, doc_id: str, lo: int, hi: int) -> None:
        self._noted.append(("delete", seq, (lo, hi)))

    def renamed(self, conn: sqlite3.Connection, seq: int, lo: int, hi: int) -> None:
        pass  # replayed from the tables at the next flush

    def rolled_back(self) -> None:
        self._noted.clear()

    def committed(self) -> None:
        noted, self._noted = self._noted, []
        if not noted or not self.writable or self.applied < 0:
            return
        with self._lock:
            writer = self._writer or self._acquire(wait=0.0)
            if writer is None:
                return  # another process writes the index: the next flush replays these
            self._writer = writer
            for kind, seq, change in noted:
                if kind == "add":
                    lo, doc_id, date, bodies = change
                    day, odd = _day(date)
                    for i, body in enumerate(bodies):  # (one document's date, looked at once)
                        doc = tantivy.Document()
                        doc.add_unsigned("rowid", lo + i)
                        doc.add_text("body", body)
                        doc.add_text("doc", doc_id)
                        if day is not None:
                            doc.add_unsigned("day", day)
                        elif odd:
                            doc.add_text("date", odd)
                        writer.add_document(doc)
                    self._direct_sentences += len(bodies)
                else:
                    writer.delete_documents_by_query(self._range(*change))
                self._direct.add(seq)

    def due(self) -> bool:
        """During a bulk ingest: has enough been written since the last flush?"""
        return self._direct_sentences >= FLUSH_SENTENCES

    def _document(self, rowid: int, doc_id: str, date: str | None, body: str) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_unsigned("rowid", rowid)
        doc.add_text("body", body)
        doc.add_text("doc", doc_id)
        day, odd = _day(date)
        if day is not None:
            doc.add_unsigned("day", day)
        elif odd:
            doc.add_text("date", odd)
        return doc

    def _range(self, lo: int, hi: int) -> tantivy.Query:
        return tantivy.Query.range_query(self.schema, "rowid", tantivy.FieldType.Unsigned, lo, hi)

    def _acquire(self, wait: float) -> Any:
        deadline = time.monotonic() + wait
        while True:
            try:
                return self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError:  # LockBusy: another process is writing the index
                if time.monotonic() >= deadline:
                    return None
                time.sleep(0.05)

    # --- flushing ------------------------------------------------------------------------------

    def flush(self, wait: float = LOCK_WAIT) -> None:
        """Apply every logged change and commit, if this process may write the index."""
        if not self.writable:
            self._follow()
            return
        with self._lock:
            if self.applied >= log_head(self.store.conn) and self._writer is None:
                return
            # The index writer first, then the database's write lock: the order an ingest takes them
            # in (it keeps its writer and locks the database for each file). Waiting for the writer
            # while holding the database lock stalled such an ingest until it failed.
            mine = self._writer is not None
            if not mine:
                self._writer = self._acquire(wait)
                if self._writer is None:  # another process writes the index: its flush replays the log
                    self._direct.clear()
                    self._direct_sentences = 0
                    return
            try:
                with self.store.raw_transaction(write=not self.store.read_only, timeout=wait) as conn:
                    self._flush(conn, mine)
            except sqlite3.OperationalError as err:
                self._writer = None  # let the index go; what it held uncommitted is replayed later
                self._direct.clear()
                self._direct_sentences = 0
                if "locked" not in str(err) or wait >= LOCK_WAIT:
                    raise
                # another process is writing the database: a later flush catches up

    def _flush(self, conn: sqlite3.Connection, mine: bool) -> None:
        head = log_head(conn)
        if not mine and self.applied >= 0:
            # Another process may have applied the log since: its commit is the truth, not ours.
            committed = self._state(self.index)
            if committed and committed[1] == self.ident:
                self.applied = max(self.applied, committed[0])
            if self.applied >= head:
                self._writer = None  # nothing to do: let the index writer go
                return
        writer, self._writer = self._writer, None
        if self.applied < 0 or self.applied < log_floor(conn):
            if mine:
                writer.rollback()  # delete_all_documents keeps the writer's own pending additions
            writer.delete_all_documents()
            self._add_rows(writer, conn.execute(_ROWS + " ORDER BY s.rowid"))
        else:
            for seq, lo, hi in pending(conn, self.applied):
                if seq not in self._direct:
                    writer.delete_documents_by_query(self._range(lo, hi))
                    self._add_rows(writer, conn.execute(_ROWS + " WHERE s.rowid BETWEEN ? AND ?", (lo, hi)))
        writer.delete_documents_by_term("kind", _STATE)
        state = tantivy.Document()
        state.add_text("kind", _STATE)
        state.add_unsigned("applied", head)
        state.add_text("ident", self.ident)
        writer.add_document(state)
        writer.commit()
        writer.wait_merging_threads()
        self.applied = head
        self._direct.clear()
        self._direct_sentences = 0
        self.index.reload()
        if not self.store.read_only and self.path is not None:
            trim_log(conn, head)

    def _add_rows(self, writer: Any, rows: Iterable[tuple[int, str, str, str | None]]) -> None:
        for rowid, doc_id, text, date in rows:
            writer.add_document(self._document(rowid, doc_id, date, fold(text)))

    def _follow(self) -> None:
        """A reader of another process's index: pick up its commits when the log has moved on."""
        with self._lock:
            if log_head(self.store.conn) > self.applied:
                state = self._state(self.index)
                if state and state[1] == self.ident:
                    self.applied = state[0]

    def refresh(self) -> None:
        """Before a search: catch up with changes, without waiting for another process's writer."""
        if log_head(self.store.conn) > self.applied:
            self.flush(wait=0.0) if self.writable else self._follow()

    # --- reading -------------------------------------------------------------------------------

    def _tokens(self, words: Sequence[str]) -> list[str]:
        return [t for w in words for t in self.analyzer.analyze(w)]

    def search(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        self.refresh()
        Q, Occur = tantivy.Query, tantivy.Occur  # noqa: N806
        parts = []
        for term in query.terms:
            tokens = self._tokens(term)
            if not tokens:
                if not query.any_term:
                    return []  # a word the index cannot hold matches nothing
                continue
            parts.append(
                Q.term_query(self.schema, "body", tokens[0]) if len(tokens) == 1
                else Q.phrase_query(self.schema, "body", list[str | tuple[int, str]](tokens))
            )
        if not parts:
            return []
        must = []
        if query.any_term and len(parts) > 1:
            must.append(Q.boolean_query([(Occur.Should, p) for p in parts]))
        else:
            must.extend(parts)
        if filters.sources:
            must.append(Q.const_score_query(Q.term_set_query(self.schema, "doc", list(filters.sources)), 0.0))
        if filters.dated:
            lo, hi = day_range(filters)
            dated = Q.range_query(self.schema, "day", tantivy.FieldType.Unsigned, lo, hi, use_inverted_index=True)
            odd = [d for d in odd_dates(self.store, filters) if len(d) <= 200]
            if odd:
                dated = Q.boolean_query([(Occur.Should, dated), (Occur.Should, Q.term_set_query(self.schema, "date", odd))])
            must.append(Q.const_score_query(dated, 0.0))
        q = must[0] if len(must) == 1 else Q.boolean_query([(Occur.Must, m) for m in must])
        with self._lock:
            searcher = self.index.searcher()
            hits = searcher.search(q, limit, count=False).hits
            rowids = searcher.fast_field_values("rowid", [address for _, address in hits])
        return [(int(r or 0), float(score)) for r, (score, _) in zip(rowids, hits, strict=True)]

    def rowids(self) -> set[int]:
        self.refresh()
        with self._lock:
            searcher = self.index.searcher()
            q = tantivy.Query.range_query(self.schema, "rowid", tantivy.FieldType.Unsigned, 0, 1 << 62)
            hits = searcher.search(q, max(1, searcher.num_docs), count=False).hits
            return {int(r or 0) for r in searcher.fast_field_values("rowid", [a for _, a in hits])}

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.rollback()
                self._writer = None


def _day(date: str | None) -> tuple[int | None, str | None]:
    """A date as the index holds it: a YYYYMMDD day number, else the date itself as a term (up to
    200 characters: a date filter never lets a longer one through)."""
    day = day_number(date)
    return day, date if day is None and date and len(date) <= 200 else None


_ROWS = "SELECT s.rowid, s.doc_id, s.text, d.date FROM sentences s JOIN documents d ON d.id = s.doc_id"
