"""Throwaway PostgreSQL databases for the tests: one per test, beside the server's own."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

_numbers = itertools.count()


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new empty database on the server of ``server`` (a URL); its URL; dropped afterwards."""
    import psycopg

    name = f"briefing_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    try:
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
