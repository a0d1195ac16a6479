"""The ``sqlite`` search backend: an FTS5 table inside the database, BM25-ranked.

No extra dependency and no second file, but FTS5 scores every sentence that matches before it
takes the best ones, so a query for a common word slows down as the corpus grows (see
docs/scaling.md); ``tantivy`` is the default for that reason.

The table is contentless (the sentence text is stored once, in ``sentences``), so removing a row
means handing FTS5 the exact text it indexed: ``fold`` of the sentence. The normaliser's version
is recorded beside the table, and the table is rebuilt when it changes, so a changed ``fold``
can never leave rows behind. It is also rebuilt when changes were made while another backend
was in use (its applied position in ``search_log`` lags).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from briefing.store.index import (
    Filters,
    IndexedStore,
    Query,
    date_clauses,
    in_list,
    log_head,
    trim_log,
)
from briefing.text.normalize import FOLD_VERSION, fold

APPLIED = "fts_applied"  # meta: the last search_log entry the table reflects ('-1': out of step)
VERSION = "fts_fold"  # meta: the fold version its rows were indexed with
_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
    body, content='', tokenize='porter unicode61 remove_diacritics 2'
)
"""


class Fts5Index:
    name = "sqlite"

    def __init__(self, store: IndexedStore) -> None:
        self.store = store
        if not store.read_only:
            with store.raw_transaction() as conn:
                conn.execute(_TABLE)
                if not self._current(conn):
                    self._rebuild(conn)

    # --- keeping in step ---------------------------------------------------------------------

    def _current(self, conn: sqlite3.Connection) -> bool:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (APPLIED, VERSION)).fetchall())
        return meta.get(VERSION) == str(FOLD_VERSION) and meta.get(APPLIED) == str(log_head(conn))

    def _rebuild(self, conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('delete-all')")
        rows = conn.execute("SELECT rowid, text FROM sentences ORDER BY rowid")
        while batch := rows.fetchmany(10_000):
            conn.executemany(
                "INSERT INTO sentences_fts (rowid, body) VALUES (?, ?)", [(r, fold(t)) for r, t in batch]
            )
        head = log_head(conn)
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(APPLIED, str(head)), (VERSION, str(FOLD_VERSION))]
        )
        trim_log(conn, head)

    def _advance(self, conn: sqlite3.Connection, seq: int) -> None:
        moved = conn.execute(
            "UPDATE meta SET value = ? WHERE key = ? AND value = ?", (str(seq), APPLIED, str(seq - 1))
        ).rowcount
        if moved:
            trim_log(conn, seq)
        else:  # a change this table did not see: rebuild on the next open or search
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, '-1')", (APPLIED,))

    def added(self, conn: sqlite3.Connection, seq: int, lo: int, doc_id: str, date: str | None,
              bodies: Sequence[str]) -> None:
        conn.executemany(
            "INSERT INTO sentences_fts (rowid, body) VALUES (?, ?)", [(lo + i, b) for i, b in enumerate(bodies)]
        )
        self._advance(conn, seq)

    def removing(self, conn: sqlite3.Connection, seq: int, doc_id: str, lo: int, hi: int) -> None:
        rows = conn.execute(
            "SELECT rowid, text FROM sentences WHERE doc_id = ? AND rowid BETWEEN ? AND ?", (doc_id, lo, hi)
        ).fetchall()
        conn.executemany(
            "INSERT INTO sentences_fts (sentences_fts, rowid, body) VALUES ('delete', ?, ?)",
            [(rowid, fold(text)) for rowid, text in rows],
        )
        self._advance(conn, seq)

    def renamed(self, conn: sqlite3.Connection, seq: int, lo: int, hi: int) -> None:
        self._advance(conn, seq)  # the table holds no document ids

    def committed(self) -> None:
        pass

    def rolled_back(self) -> None:
        pass

    def flush(self) -> None:
        if self.store.read_only:
            return
        with self.store.lock:
            if not self._current(self.store.conn):
                with self.store.raw_transaction() as conn:
                    if not self._current(conn):
                        self._rebuild(conn)

    # --- reading -------------------------------------------------------------------------------

    def search(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        self.flush()
        match = (" OR " if query.any_term else " ").join('"' + " ".join(t) + '"' for t in query.terms)
        clauses: list[str] = []
        params: list[object] = [match]
        if filters.sources:
            listed, listed_params = in_list(filters.sources)
            clauses.append(f"s.doc_id IN {listed}")
            params.extend(listed_params)
        if filters.dated:
            dated, dated_params = date_clauses(filters, "d.date")
            clauses.extend(dated)
            params.extend(dated_params)
        join = " JOIN documents d ON d.id = s.doc_id" if filters.dated else ""
        where = "".join(f" AND {c}" for c in clauses)
        rows = self.store.query(
            "SELECT s.rowid, bm25(sentences_fts) AS rank FROM sentences_fts"
            f" JOIN sentences s ON s.rowid = sentences_fts.rowid{join}"
            f" WHERE sentences_fts MATCH ?{where} ORDER BY rank LIMIT ?",
            [*params, limit],
        )
        return [(int(r[0]), -float(r[1])) for r in rows]

    def rowids(self) -> set[int]:
        return {int(r[0]) for r in self.store.query("SELECT id FROM sentences_fts_docsize")}

    def close(self) -> None:
        pass
