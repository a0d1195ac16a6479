"""Where a corpus database lives: a file (the embedded SQLite store, the default) or a
``postgresql://`` URL (the store shared by many processes, ``store.postgres``)."""

from __future__ import annotations

from pathlib import Path

from briefing.settings import is_database_url
from briefing.store.sqlite import Store


def open_store(location: Path | str, *, read_only: bool = False, search: str | None = None) -> Store:
    """The store at ``location``: PostgreSQL for a ``postgresql://`` URL, else a SQLite file."""
    if is_database_url(location):
        from briefing.store.postgres import PostgresStore

        # tantivy and sqlite name indexes beside a SQLite file; PostgreSQL searches inside itself
        method = None if search in ("tantivy", "sqlite") else search
        return PostgresStore(str(location), read_only=read_only, search=method)
    return Store(location, read_only=read_only, search=search)
