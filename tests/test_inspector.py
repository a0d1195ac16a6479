"""The official MCP Inspector CLI against ``briefing serve`` (opt-in: ``pytest -m inspector``).

Skips when ``npx`` is missing or the Inspector package cannot be fetched. The Inspector exits 0
even when a call fails, so the tests read its JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import SEEDS
from test_e2e_stdio import ROOT, server_env

pytestmark = pytest.mark.inspector

FETCH_FAILURES = ("npm ERR", "npm error", "ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "E404", "network")


@pytest.fixture(autouse=True)
def opted_in(request: pytest.FixtureRequest) -> None:
    if "inspector" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the Inspector tests run with 'pytest -m inspector'")
    if shutil.which("npx") is None:
        pytest.skip("npx is not installed")


def inspector(tmp_path: Path, *method: str) -> dict[str, Any]:
    """Run ``npx @modelcontextprotocol/inspector --cli`` on ``briefing serve`` and parse its JSON."""
    command = [
        "npx", "-y", "--prefer-offline", "@modelcontextprotocol/inspector", "--cli",
        "-e", "FASTMCP_SHOW_SERVER_BANNER=false", "-e", "FASTMCP_CHECK_FOR_UPDATES=off",
        sys.executable, "-m", "briefing", "serve", "--corpus", str(SEEDS), "--db", str(tmp_path / "i.sqlite3"),
        *method,
    ]
    try:
        done = subprocess.run(command, cwd=ROOT, env=server_env(tmp_path), capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.skip("the Inspector did not answer within 300 s (package fetch?)")
    try:
        return json.loads(done.stdout)  # type: ignore[no-any-return]
    except json.JSONDecodeError:
        if any(marker in done.stderr for marker in FETCH_FAILURES):
            pytest.skip(f"cannot fetch the Inspector: {done.stderr.strip()[-300:]}")
        raise AssertionError(f"the Inspector printed no JSON:\n{done.stdout}\n{done.stderr}") from None


def test_the_inspector_lists_the_tools(tmp_path):
    listing = inspector(tmp_path, "--method", "tools/list")
    tools = {t["name"]: t for t in listing["tools"]}
    assert {"search", "summarize", "brief", "cite", "list_sources", "compare_sources", "add_documents"} <= set(tools)
    assert all(t.get("outputSchema") for t in tools.values())


def test_the_inspector_gets_a_brief(tmp_path):
    result = inspector(tmp_path, "--method", "tools/call", "--tool-name", "brief", "--tool-arg", "detail=short")
    assert result.get("isError") is False
    assert result["structuredContent"]["agreements"]
    assert "[" in result["content"][0]["text"]
