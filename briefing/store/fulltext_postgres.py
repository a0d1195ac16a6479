"""The full-text index of the PostgreSQL store, inside the same database: every server process
searches one index, and it changes in the same transaction as the sentences it indexes (so it is
never behind, and nothing is replayed from ``search_log``, which is only trimmed here).

Each sentence's folded text becomes a ``tsvector`` in ``sentence_search`` (one row per sentence
rowid), read as the tantivy backend reads it: words are runs of letters and digits, accents are
dropped, each word is stemmed by the Snowball English stemmer and no stop word is left out (a
text search configuration ``briefing`` made for that). Two index methods, measured at 100k
documents in docs/scaling.md:

* ``rum`` (the RUM extension, packaged as ``postgresql-15-rum``): the index keeps each word's
  positions, so the best ``limit`` matches come straight out of it, ordered by its distance
  (``tsv <=> query``), however many sentences match;
* ``gin`` (built in): finds the matches, which are then all ranked (``ts_rank``) before the best
  are taken, so a very common word costs as many rows as it matches.

``rum`` is the default where the extension is installed on the server, ``gin`` otherwise; a
writer that opens the database with the other method builds its index and drops the first (so
every process should use one method: ``BRIEFING_SEARCH``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from briefing.errors import ConfigError
from briefing.store.index import Filters, Query
from briefing.text.normalize import strip_accents


class PostgresStore(Protocol):
    """What the index reads of the PostgreSQL store (``briefing.store.postgres``), which opens it:
    named here so that the index does not import the store back."""

    read_only: bool
    conn: Any

    @property
    def lock(self) -> AbstractContextManager[Any]: ...
    def raw_transaction(self) -> AbstractContextManager[Any]: ...
    def query(self, sql: str, params: Iterable[object] = ()) -> list[Any]: ...
    def faults(self) -> AbstractContextManager[None]: ...

METHODS = ("rum", "gin")
CONFIG = "briefing"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SETUP = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'briefing_stem') THEN
    CREATE TEXT SEARCH DICTIONARY briefing_stem (TEMPLATE = snowball, Language = english);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {CONFIG}
      ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword,
        hword_asciipart, hword_part, hword_numpart WITH briefing_stem;
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS sentence_search (rowid BIGINT PRIMARY KEY, tsv tsvector NOT NULL);
"""
_INDEXES = {
    "gin": "CREATE INDEX IF NOT EXISTS sentence_search_gin ON sentence_search USING gin (tsv)",
    "rum": "CREATE INDEX IF NOT EXISTS sentence_search_rum ON sentence_search USING rum (tsv rum_tsvector_ops)",
}


def words(text: str) -> str:
    """The words of a text as the index reads them: letters and digits, accents dropped."""
    return " ".join(_WORD.findall(strip_accents(text).lower()))


def default_method() -> str:
    return "rum"


class PostgresIndex:
    def __init__(self, store: PostgresStore, method: str) -> None:
        if method not in METHODS:
            raise ConfigError(f"no PostgreSQL search method {method!r}; choose one of {', '.join(METHODS)}")
        self.store = store
        self.name = method
        if store.read_only:
            self.name = self._built() or method
            return
        with store.raw_transaction() as conn:
            conn.execute(_SETUP)
            if method == "rum":
                try:
                    conn.execute("SAVEPOINT rum")
                    conn.execute("CREATE EXTENSION IF NOT EXISTS rum")
                    conn.execute("RELEASE SAVEPOINT rum")
                except Exception:  # the extension is not installed on the server: the built-in index
                    conn.execute("ROLLBACK TO SAVEPOINT rum")
                    self.name = "gin"
            conn.execute(_INDEXES[self.name])
            for other in METHODS:  # one method per database: writes keep one index up to date
                if other != self.name:
                    conn.execute(f"DROP INDEX IF EXISTS sentence_search_{other}")

    def _built(self) -> str | None:
        """The method of the index the database already has (a read-only process uses that)."""
        rows = self.store.query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'sentence_search' AND indexname LIKE 'sentence_search_%'"
        )
        names = {r[0].rsplit("_", 1)[-1] for r in rows}
        return next((m for m in METHODS if m in names), None)

    # --- kept in step, in the store's transaction ------------------------------------------------

    def added(self, conn: Any, seq: int, lo: int, doc_id: str, date: str | None, bodies: Sequence[str]) -> None:
        conn.execute(  # one statement per document, not one per sentence
            f"INSERT INTO sentence_search (rowid, tsv) SELECT ? + n - 1, to_tsvector('{CONFIG}', body)"
            " FROM unnest(?::text[]) WITH ORDINALITY AS t(body, n)",
            (lo, [words(b) for b in bodies]),
        )

    def removing(self, conn: Any, seq: int, doc_id: str, lo: int, hi: int) -> None:
        conn.execute("DELETE FROM sentence_search WHERE rowid BETWEEN ? AND ?", (lo, hi))

    def renamed(self, conn: Any, seq: int, lo: int, hi: int) -> None:
        pass  # rows are keyed by sentence rowid, which a rename keeps

    def committed(self) -> None:
        pass

    def rolled_back(self) -> None:
        pass

    def flush(self) -> None:
        """Nothing waits to become searchable; the change log (for indexes outside the database)
        is trimmed."""
        if not self.store.read_only:
            with self.store.raw_transaction() as conn:
                conn.execute("DELETE FROM search_log")

    # --- reading -------------------------------------------------------------------------------

    def search(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        joined = " || " if query.any_term else " && "
        parts = [f"phraseto_tsquery('{CONFIG}', ?)" for _ in query.terms]
        params: list[object] = [words(" ".join(t)) for t in query.terms]
        tsquery = f"({joined.join(parts)})"
        joins, clauses = "", []
        if filters.sources:
            joins += " JOIN sentences s ON s.rowid = f.rowid"
            clauses.append("s.doc_id = ANY(?)")
            params.append(list(filters.sources))
        if filters.dated:
            if not filters.sources:
                joins += " JOIN sentences s ON s.rowid = f.rowid"
            joins += " JOIN documents d ON d.id = s.doc_id"
            clauses.append("d.date ~ '^[0-9]{4}'")
            if filters.date_from:
                clauses.append("d.date >= ?")
                params.append(filters.date_from)
            if filters.date_to:
                clauses.append("d.date <= ?")
                params.append(filters.date_to + "\uffff")
        where = "".join(f" AND {c}" for c in clauses)
        terms = params[:len(parts)]
        if self.name == "rum":  # the index hands out matches in distance order
            sql = (f"SELECT f.rowid, f.tsv <=> {tsquery} AS d FROM sentence_search f{joins}"
                   f" WHERE f.tsv @@ {tsquery}{where} ORDER BY f.tsv <=> {tsquery} LIMIT ?")
            params = [*terms, *params, *terms]
        else:
            sql = (f"SELECT f.rowid, ts_rank(f.tsv, {tsquery}) AS r FROM sentence_search f{joins}"
                   f" WHERE f.tsv @@ {tsquery}{where} ORDER BY r DESC, f.rowid LIMIT ?")
            params = [*terms, *params]
        rows = self._query(sql, [*params, limit])
        if self.name == "rum":  # a distance: the smaller the better
            return [(int(r[0]), 1.0 / float(r[1]) if r[1] else 0.0) for r in rows]
        return [(int(r[0]), float(r[1])) for r in rows]

    def _query(self, sql: str, params: list[object]) -> list[Any]:
        with self.store.lock, self.store.faults():
            raw = self.store.conn.raw  # type: ignore[attr-defined]
            if self.name != "rum":  # ties are ordered by rowid in the statement itself
                return list(raw.execute(sql.replace("?", "%s"), params).fetchall())
            # Always the ordered scan of the RUM index, whatever the planner's statistics say (a
            # small or just-analysed table would otherwise be sorted another way, and sentences
            # of equal score would come back in another order: every process must answer alike).
            with raw.transaction():
                raw.execute("SET LOCAL enable_seqscan = off")
                raw.execute("SET LOCAL enable_bitmapscan = off")
                return list(raw.execute(sql.replace("?", "%s"), params).fetchall())

    def rowids(self) -> set[int]:
        return {int(r[0]) for r in self.store.query("SELECT rowid FROM sentence_search")}

    def close(self) -> None:
        pass
