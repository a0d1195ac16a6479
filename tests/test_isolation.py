"""The suite's results do not depend on the calling shell: ``BRIEFING_*`` variables set there reach
no test, not even a module-scoped fixture, which runs before the per-test isolation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.settings import Settings, bundled_seeds

ROOT = Path(__file__).resolve().parent.parent


def briefing_variables() -> list[str]:
    """Every ``BRIEFING_*`` name the package reads, found in its source (new ones are covered too)."""
    names = set()
    for path in (ROOT / "briefing").rglob("*.py"):
        names.update(re.findall(r"\bBRIEFING_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    return sorted(names)


@pytest.fixture(scope="module")
def settings_in_a_module_fixture() -> Settings:
    return Settings.from_env()


def test_a_module_scoped_fixture_sees_the_default_settings(settings_in_a_module_fixture):
    assert settings_in_a_module_fixture == Settings()
    assert settings_in_a_module_fixture.corpus == bundled_seeds()
    assert not [name for name in os.environ if name.startswith("BRIEFING_") and name != "BRIEFING_DB"]


def test_briefing_variables_in_the_calling_shell_change_no_fixture(tmp_path):
    names = briefing_variables()
    assert {"BRIEFING_CORPUS", "BRIEFING_DB", "BRIEFING_READ_ONLY", "BRIEFING_SEARCH"} <= set(names)
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    shell = {name: "1" for name in names}  # "1" is a valid flag and number; nonsense elsewhere
    shell.update(BRIEFING_CORPUS=str(empty), BRIEFING_DB=str(tmp_path / "shell.sqlite3"),
                 BRIEFING_ALLOWED_ROOTS=str(empty), BRIEFING_SEARCH="sqlite", BRIEFING_TOKEN="from-the-shell")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{Path(__file__).name}::test_a_module_scoped_fixture_sees_the_default_settings"],
        cwd=Path(__file__).parent, env={**os.environ, **shell}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout


def test_hypothesis_draws_the_same_examples_on_every_run_and_has_no_deadline():
    """The ``ci`` profile from conftest: a failure found once is found again; a loaded machine
    is slow, not wrong."""
    from hypothesis import settings

    current = settings()
    assert current.derandomize and current.database is None and current.deadline is None
