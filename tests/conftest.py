"""Shared fixtures for the corpus tests (the builders live in ``builders.py``).

Every test runs isolated: no ``BRIEFING_*`` variable leaks in from the shell (they are removed
when this file loads, before any fixture of any scope runs, and again around each test), the
database is a file in the test's temporary directory, and platformdirs' user data directory
points there too, so no test ever writes to the real user directory.

Hypothesis runs the ``ci`` profile: derandomized (the same examples on every run and machine),
no deadline (a loaded machine is slow, not wrong). ``--hypothesis-profile=explore`` draws fresh
random examples, more of them, for a bug hunt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import SEEDS, open_corpus
from hypothesis import HealthCheck, settings

from briefing.corpus import Corpus

# The PostgreSQL server the store tests may use (they create a database per test beside this one);
# read before the BRIEFING_* variables are cleared. Without it the PostgreSQL cases skip.
TEST_POSTGRES = os.environ.get("BRIEFING_TEST_POSTGRES", "").strip() or None
POSTGRES_SKIP = (
    "PostgreSQL cases skipped: set BRIEFING_TEST_POSTGRES=postgresql://user@127.0.0.1:5432/postgres "
    "(a user who may create databases) or run .ci/run, which starts one"
)

# Settings read BRIEFING_* variables; the suite must not depend on the caller's shell. Module- and
# session-scoped fixtures run before the per-test ``isolated`` fixture, so clear them here, first.
for _name in [n for n in os.environ if n.startswith("BRIEFING_")]:
    del os.environ[_name]

# fastmcp reads these on import: no start-up banner and no update check (tests run offline).
os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", settings.get_profile("ci"), derandomize=False, max_examples=1000)
settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def fresh_caches() -> None:
    """Every memoised function of the package starts empty. The mutation run forks each run of the
    tests from a process that has run them once: a remembered answer would hide the changed code."""
    for name, module in list(sys.modules.items()):
        if name == "briefing" or name.startswith("briefing."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def session_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A user data directory for module- and session-scoped fixtures, which run before ``isolated``."""
    data_dir = tmp_path_factory.mktemp("session-user-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(data_dir))
        patch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(data_dir / "briefing"))
        yield data_dir


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


def pytest_report_header() -> str:
    return f"postgresql: {TEST_POSTGRES}" if TEST_POSTGRES else POSTGRES_SKIP


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses ``database`` runs once per store (``sqlite_only`` ones: on SQLite alone)."""
    if "database" in metafunc.fixturenames:
        kinds = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else ["sqlite", "postgresql"]
        metafunc.parametrize("database", kinds, indirect=True)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test (dropped afterwards); skips without a server."""
    if TEST_POSTGRES is None:
        pytest.skip(POSTGRES_SKIP)
    from pg_databases import fresh_database

    with fresh_database(TEST_POSTGRES) as url:
        yield url


@pytest.fixture
def database(request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test's database (``BRIEFING_DB``): a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(isolated)
        return
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("BRIEFING_DB", url)
    yield url


@pytest.fixture
def seeds_corpus() -> Iterator[Corpus]:
    """The bundled seed articles, ingested into the test's database."""
    with open_corpus(SEEDS) as corpus:
        yield corpus
