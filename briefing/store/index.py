"""The full-text index behind one interface: what the store tells it, what search asks of it.

The SQLite tables (``documents``, ``sentences``) are the truth; a ``SearchIndex`` is derived from
them and can always be rebuilt. The store reports every change inside its write transaction —
sentence rowids ``lo..hi`` of one document were added, are about to be removed, or now belong to
a renamed document — and records the same change in the ``search_log`` table, so an index that
missed changes (a crash, another process, another backend) can replay them from the tables.
Search asks for the best ``limit`` sentence rowids with their scores; the store turns rowids into
quotes and citations, so nothing above this module knows which engine answered.

Two implementations: ``tantivy`` (the default; a Rust engine with block-max WAND top-k, an index
directory beside the database) and ``sqlite`` (FTS5 inside the database itself; no extra
dependency, but every match is scored before the best are taken). A server database or a
distributed engine fits the same seam: implement these few methods and register the name below.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
LOG_FLOOR = "search_log_floor"  # meta key: log entries up to this seq were applied and deleted


@dataclass(frozen=True)
class Filters:
    """Which sentences may match: of these documents, of documents dated in this range."""

    sources: Sequence[str] | None = None
    date_from: str | None = None  # YYYY[-MM[-DD]]: dates compare as strings, from this prefix on
    date_to: str | None = None  # ... up to and including every date starting with this prefix

    @property
    def dated(self) -> bool:
        return bool(self.date_from or self.date_to)


@dataclass(frozen=True)
class Query:
    """Terms that must all match (or any, with ``any_term``); a term of several words is a phrase."""

    terms: Sequence[Sequence[str]]
    any_term: bool = False


class SearchIndex(Protocol):
    """A full-text index of sentences, kept in step by the store (see the module docstring)."""

    name: str

    def added(self, conn: sqlite3.Connection, seq: int, lo: int, doc_id: str, date: str | None,
              bodies: Sequence[str]) -> None:
        """Sentences ``lo .. lo + len(bodies) - 1`` of ``doc_id`` were inserted (bodies folded)."""

    def removing(self, conn: sqlite3.Connection, seq: int, doc_id: str, lo: int, hi: int) -> None:
        """The sentences ``lo..hi`` of ``doc_id`` are about to be deleted (still readable)."""

    def renamed(self, conn: sqlite3.Connection, seq: int, lo: int, hi: int) -> None:
        """The sentences ``lo..hi`` now belong to a document with another id."""

    def committed(self) -> None:
        """The store's transaction that reported the changes above was committed."""

    def rolled_back(self) -> None:
        """... or rolled back: forget what it reported."""

    def flush(self) -> None:
        """Make every committed change searchable (and let the log be trimmed)."""

    def search(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` sentence rowids with their scores (higher is better), best first."""

    def rowids(self) -> set[int]:
        """Every indexed sentence rowid (for consistency checks)."""

    def close(self) -> None: ...


# --- the change log ------------------------------------------------------------------------------


def log_change(conn: sqlite3.Connection, lo: int, hi: int) -> int:
    """Record that sentence rowids ``lo..hi`` changed; returns the entry's sequence number."""
    cur = conn.execute("INSERT INTO search_log (lo, hi) VALUES (?, ?)", (lo, hi))
    return int(cur.lastrowid or 0)


def log_head(conn: sqlite3.Connection) -> int:
    """The sequence number of the latest change ever logged (0 when none)."""
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_log'").fetchone()
    except sqlite3.OperationalError:  # a database from before the log, opened read-only
        return 0
    return int(row[0]) if row else 0


def log_floor(conn: sqlite3.Connection) -> int:
    """Entries up to this number were trimmed: an index behind it must be rebuilt."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (LOG_FLOOR,)).fetchone()
    return int(row[0]) if row else 0


def trim_log(conn: sqlite3.Connection, upto: int) -> None:
    """Forget the entries every index has applied (call inside a write transaction)."""
    if upto > log_floor(conn):
        conn.execute("DELETE FROM search_log WHERE seq <= ?", (upto,))
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (LOG_FLOOR, str(upto)))


def pending(conn: sqlite3.Connection, applied: int) -> list[tuple[int, int, int]]:
    """``(seq, lo, hi)`` of every change after ``applied``, in order."""
    rows = conn.execute("SELECT seq, lo, hi FROM search_log WHERE seq > ? ORDER BY seq", (applied,))
    return [(int(s), int(lo), int(hi)) for s, lo, hi in rows]


ISO_DAY = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"  # a GLOB: YYYY-MM-DD and nothing more


def day_number(date: str | None) -> int | None:
    """``2024-03-05`` → ``20240305``: ordered as the strings are. ``None`` unless YYYY-MM-DD."""
    if date and len(date) == 10 and date[4] == date[7] == "-" and (digits := date.replace("-", "")).isdigit():
        return int(digits)
    return None


def day_range(filters: Filters) -> tuple[int, int]:
    """The day numbers a date filter lets through, for YYYY-MM-DD dates: ``2021`` from
    ``20210000``, ``2022-06`` up to ``20220699`` (every date starting with it), as strings compare."""
    lo = int((filters.date_from or "0000").replace("-", "").ljust(8, "0"))
    hi = int((filters.date_to or "9999").replace("-", "").ljust(8, "9"))
    return lo, hi


def odd_dates(store: IndexedStore, filters: Filters) -> list[str]:
    """The distinct dates a date filter lets through that are not plain YYYY-MM-DD (kept verbatim,
    starting with a year: rare), remembered until the corpus changes."""

    def find() -> list[str]:
        clauses, params = date_clauses(filters, "date")
        clauses.append(f"NOT date GLOB '{ISO_DAY}'")
        sql = f"SELECT DISTINCT date FROM documents WHERE {' AND '.join(clauses)}"
        return [r[0] for r in store.query(sql, params)]

    return store.cached(("odd dates", filters.date_from, filters.date_to), find)


def date_clauses(filters: Filters, column: str) -> tuple[list[str], list[object]]:
    """SQL conditions (and their parameters) on a documents' date ``column`` for a date filter:
    dates that start with a year, from ``date_from`` on, up to every date starting with ``date_to``."""
    clauses = [f"{column} GLOB '[0-9][0-9][0-9][0-9]*'"]
    params: list[object] = []
    if filters.date_from:
        clauses.append(f"{column} >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append(f"{column} <= ?")
        params.append(filters.date_to + "\uffff")
    return clauses, params


class IndexedStore(Protocol):
    """What an index reads of the store that owns it (the store's tables are its truth)."""

    path: str
    read_only: bool
    conn: sqlite3.Connection

    @property
    def lock(self) -> threading.RLock: ...

    def raw_transaction(self, write: bool = True, timeout: float | None = None) -> AbstractContextManager[sqlite3.Connection]: ...

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T: ...

    def meta(self, key: str) -> str | None: ...

    def query(self, sql: str, params: Iterable[object] = ()) -> list[Any]: ...


_MAX_LISTED = 500  # longer lists of ids go to SQLite as one JSON array (its limit is 32,766 '?')


def in_list(values: Sequence[object]) -> tuple[str, list[object]]:
    """``IN`` list SQL and its parameters for any number of values: ``(?, ?, ...)`` for a few,
    one JSON array read by ``json_each`` for many (a brief over every one of 100k documents)."""
    if len(values) <= _MAX_LISTED:
        return f"({','.join('?' * len(values))})", list(values)
    return "(SELECT value FROM json_each(?))", [json.dumps(list(values))]
