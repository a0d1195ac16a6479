"""Quality gates run by the test command: lint and type check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "briefing", "tests", "bench", "server.py"],
        [sys.executable, "-m", "mypy", "briefing"],
    ],
    ids=["ruff", "mypy"],
)
def test_quality_gate(command):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_tools_are_pinned_to_exact_versions():
    """A new release of a linter, type checker or test tool must not turn CI red on its own."""
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = dict(req.split("==") for req in extra["test"] + extra["mutation"] if "==" in req)
    assert {"pytest", "pytest-timeout", "hypothesis", "ruff", "mypy", "mutmut"} <= set(pins)
