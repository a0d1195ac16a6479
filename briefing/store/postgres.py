"""The store over PostgreSQL: one corpus shared by every server process and every ingest.

``--db postgresql://user@host/db`` (or ``BRIEFING_DB``) selects it; a path stays the embedded
SQLite store. The tables are the SQLite store's, column for column (text compared byte-wise, as
SQLite does, so every listing comes back in the same order), and so are the guarantees: a
document is written inside one transaction with its sentences and its full-text rows (a crash
leaves whole documents only), ids are kept once given, an ingest skips unchanged files. Writers
take one advisory lock for the length of their transaction, as SQLite's ``BEGIN IMMEDIATE``
does, so two ingests never race for the same sentence rowids; readers never wait for it.

The statements of the shared code (``store.sqlite``, ``briefing.sync``) are written for SQLite; the
connection here translates the handful of SQLite idioms they use (``?`` parameters,
``INSERT OR REPLACE``, ``GLOB``, ``json_each`` lists) into PostgreSQL, so there is one copy of
every write and read. The full-text index lives in the same database (``fulltext_postgres``).

psycopg 3 is an optional dependency (``pip install 'briefing[postgres]'``), imported only when a
``postgresql://`` URL is opened.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from briefing.errors import ConfigError, StoreError
from briefing.store.index import SearchIndex
from briefing.store.sqlite import _SCHEMA as SQLITE_SCHEMA
from briefing.store.sqlite import SCHEMA_VERSION, Store

WRITE_LOCK = 0x6272696566  # the advisory lock every writer holds for its transaction ("brief")
INSTALL = "pip install 'briefing[postgres]'"

# The SQLite store's schema in PostgreSQL types, translated from it so the two cannot drift apart;
# text compares byte-wise (COLLATE "C") as in SQLite.
_TYPES = (
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"^--.*$", re.MULTILINE), ""),
)


def _translated(schema: str) -> str:
    for pattern, replacement in _TYPES:
        schema = pattern.sub(replacement, schema)
    return schema


_SCHEMA = _translated(SQLITE_SCHEMA)

# Each table written with INSERT OR REPLACE: its key and its other columns.
_REPLACED = {
    "meta": (("key",), ("value",)),
    "files": (("path",), ("size", "mtime_ns", "file_hash", "skipped")),
    "origins": (("origin",), ("path", "doc_id")),
    "near_dups": (("a", "b"), ("score",)),
}


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            f"a postgresql:// database needs psycopg 3, which is not installed; run {INSTALL} "
            "(or pass a file path to --db for the embedded SQLite store)"
        ) from None
    return psycopg


# --- SQLite statements in PostgreSQL ----------------------------------------------------------------


def _glob_regex(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "[":
            end = pattern.index("]", i)
            out.append(pattern[i:end + 1])
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"


@lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, tuple[int, ...], bool]:
    """A statement of the shared SQLite code in PostgreSQL: the SQL, the positions of parameters
    that are JSON arrays (``json_each(?)``, passed on as arrays) and whether it returns the new
    row's sequence number (``lastrowid`` of an insert into ``search_log``)."""
    if "sqlite_sequence" in sql:  # the latest search_log entry ever made (log_head)
        return ("SELECT GREATEST((SELECT MAX(seq) FROM search_log),"
                " (SELECT value::bigint FROM meta WHERE key = 'search_log_floor'), 0)", (), False)
    sql = re.sub(r"(\S+) GLOB '([^']*)'", lambda m: f"{m.group(1)} ~ '{_glob_regex(m.group(2))}'", sql)
    arrays = []
    for m in re.finditer(r"IN \(SELECT value FROM json_each\(\?\)\)", sql):
        arrays.append(sql[:m.start()].count("?"))
    sql = re.sub(r"IN \(SELECT value FROM json_each\(\?\)\)", "= ANY(?)", sql)
    sql = re.sub(r"\bWHERE 1\b(?!\s*[=<>!])", "WHERE TRUE", sql)
    sql = re.sub(r"\bdate DESC\b", "date DESC NULLS LAST", sql)
    sql = sql.replace("substr(signature, -?)", "substring(signature from length(signature) - ? + 1)")
    replaced = re.match(r"\s*INSERT OR (REPLACE|IGNORE) INTO (\w+)", sql)
    if replaced:
        sql = sql.replace(f"INSERT OR {replaced.group(1)} INTO", "INSERT INTO", 1)
        if replaced.group(1) == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            key, others = _REPLACED[replaced.group(2)]
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in others)
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
    returning = bool(re.match(r"\s*INSERT INTO search_log\b", sql))
    if returning:
        sql += " RETURNING seq"
    return sql.replace("%", "%%").replace("?", "%s"), tuple(arrays), returning


class Row(tuple):  # type: ignore[type-arg]
    """A row read by position or by column name, as ``sqlite3.Row``."""

    __slots__ = ()
    _columns: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._columns[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._columns)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_columns": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    cls = _row_class(names)
    return lambda values: cls(values)


class Cursor:
    """What the shared code reads of a ``sqlite3.Cursor``."""

    def __init__(self, cur: Any, lastrowid: int | None = None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid
        self.row_factory: Any = None  # rows are always readable by name

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    def fetchone(self) -> Row | None:
        return self._cur.fetchone() if self._cur.description else None  # type: ignore[no-any-return]

    def fetchall(self) -> list[Row]:
        return self._cur.fetchall() if self._cur.description else []  # type: ignore[no-any-return]

    def fetchmany(self, size: int) -> list[Row]:
        return self._cur.fetchmany(size) if self._cur.description else []  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class Connection:
    """What the shared code uses of a ``sqlite3.Connection``, over a psycopg connection in
    autocommit mode (transactions begin and end with explicit statements, as in the SQLite store)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        word = sql.strip().upper()
        if word == "BEGIN IMMEDIATE":  # a writer: one at a time, for the whole transaction
            self.raw.execute("BEGIN")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            return Cursor(self.raw.cursor())
        if word in ("BEGIN", "COMMIT", "ROLLBACK"):
            self.raw.execute(word)
            return Cursor(self.raw.cursor())
        busy = re.fullmatch(r"PRAGMA BUSY_TIMEOUT = (\d+)", word)
        if busy:  # how long a writer waits for another's lock
            self.raw.execute(f"SET lock_timeout = {int(busy.group(1))}")
            return Cursor(self.raw.cursor())
        text, arrays, returning = translate(sql)
        cur = self.raw.cursor(row_factory=_row_factory)
        cur.execute(text, _arrays(params, arrays))
        lastrowid = int(cur.fetchone()[0]) if returning else None
        return Cursor(cur, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        text, arrays, _ = translate(sql)
        cur = self.raw.cursor()
        batch = [_arrays(r, arrays) for r in rows]
        if batch:
            cur.executemany(text, batch)
        return Cursor(cur)

    @property
    def in_transaction(self) -> bool:
        return bool(self.raw.info.transaction_status != 0)  # 0: idle

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


def _arrays(params: Sequence[Any], arrays: tuple[int, ...]) -> tuple[Any, ...]:
    values = tuple(params)
    if not arrays:
        return values
    out = list(values)
    for i in arrays:
        out[i] = json.loads(out[i])
    return tuple(out)


# --- the store -------------------------------------------------------------------------------------


class PostgresStore(Store):
    """A corpus database in PostgreSQL (see the module docstring). ``search`` picks the full-text
    index inside it: ``rum`` or ``gin`` (the default: see ``fulltext_postgres``)."""

    def __init__(self, url: str, *, read_only: bool = False, search: str | None = None) -> None:
        psycopg = _psycopg()
        from briefing.store.fulltext_postgres import METHODS, default_method

        self.url = url
        self.path = shown_url(url)
        self.read_only = read_only
        self._lock = threading.RLock()
        self._local = threading.local()
        self.search = search if search in METHODS else default_method()
        self._index: SearchIndex | None = None
        self._bulk = 0
        self._cache = {}
        self._cache_version = -1
        self._meta_column = True
        # no JIT compilation: it costs ~0.1 s on a query the planner guesses large, more than
        # these short queries gain from it
        options = "-c jit=off" + (" -c default_transaction_read_only=on" if read_only else "")
        try:
            raw = psycopg.connect(url, autocommit=True, options=options, connect_timeout=10)
        except psycopg.Error as err:
            raise StoreError(
                f"cannot connect to the database {self.path}: {_first_line(err)}; check that "
                "PostgreSQL is running there and the URL's user, host, port and database name"
            ) from None
        self.conn = Connection(raw)  # type: ignore[assignment]
        with self.faults():
            if read_only:
                found = raw.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0]
                if not found:
                    raise StoreError(
                        f"the database {self.path} holds no corpus yet; run 'briefing sync --db "
                        f"{self.path}' once without --read-only to build it"
                    )
                return
            with self.raw_transaction() as conn:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('version', '0'), ('search_id', ?)",
                    (SCHEMA_VERSION, __import__("uuid").uuid4().hex),
                )

    @property
    def index(self) -> SearchIndex:
        with self._lock, self.faults():
            if self._index is None:
                from briefing.store.fulltext_postgres import PostgresIndex

                self._index = PostgresIndex(self, self.search)
            return self._index

    def bump_version(self, conn: Any) -> None:
        conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'version'")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(Exception):  # the error being raised says more
                self.conn.execute("ROLLBACK")

    @contextmanager
    def faults(self) -> Iterator[None]:
        """A failure of the server or the connection becomes a ``StoreError`` naming the next step."""
        psycopg = _psycopg()
        try:
            yield
        except psycopg.errors.ReadOnlySqlTransaction as err:
            raise StoreError(
                f"the database {self.path} cannot be written ({_first_line(err)}); it was opened "
                "with --read-only (BRIEFING_READ_ONLY)"
            ) from None
        except psycopg.errors.LockNotAvailable:
            raise StoreError(
                f"cannot write to the database {self.path}: another process kept it busy; try "
                "again when that process has finished"
            ) from None
        except (psycopg.OperationalError, psycopg.errors.DiskFull) as err:
            raise StoreError(
                f"the database {self.path} failed: {_first_line(err)}; check that the server is "
                "running and has disk space, then run the command again (nothing half-written was kept)"
            ) from None

    def check(self) -> None:
        self.query("SELECT 1")


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]
