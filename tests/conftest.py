"""Shared fixtures for the corpus tests (the builders live in ``builders.py``).

Every test runs isolated: no ``BRIEFING_*`` variable leaks in from the shell, the database is a
file in the test's temporary directory, and platformdirs' user data directory points there too,
so no test ever writes to the real user directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import SEEDS, open_corpus

from briefing.corpus import Corpus

# fastmcp reads these on import: no start-up banner and no update check (tests run offline).
os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private database and user data directory for each test; returns the database path."""
    for name in list(os.environ):
        if name.startswith("BRIEFING_"):
            monkeypatch.delenv(name)
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_dir))
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(data_dir / "briefing"))
    db = tmp_path / "test.sqlite3"
    monkeypatch.setenv("BRIEFING_DB", str(db))
    return db


@pytest.fixture
def seeds_corpus() -> Iterator[Corpus]:
    """The bundled seed articles, ingested into the test's database."""
    with open_corpus(SEEDS) as corpus:
        yield corpus
