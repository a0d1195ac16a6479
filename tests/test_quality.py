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
