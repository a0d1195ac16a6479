"""One true end-to-end run: ``briefing serve`` as a subprocess over stdio, called by an MCP client."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import SEEDS
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

ROOT = Path(__file__).resolve().parent.parent


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test's environment without BRIEFING_* settings, with data kept under ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        FASTMCP_SHOW_SERVER_BANNER="false", FASTMCP_CHECK_FOR_UPDATES="off",
        XDG_DATA_HOME=str(tmp_path / "user-data"), PYTHONPATH=str(ROOT), **extra,
    )
    return env


def briefing_serve(tmp_path: Path, *flags: str) -> StdioTransport:
    """``python -m briefing serve`` over the seeds with a database in ``tmp_path``; stopped on exit."""
    return StdioTransport(
        command=sys.executable,
        args=["-m", "briefing", "serve", "--corpus", str(SEEDS), "--db", str(tmp_path / "e2e.sqlite3"), *flags],
        env=server_env(tmp_path), cwd=str(ROOT), keep_alive=False,
    )


@pytest.mark.timeout(180)
def test_brief_and_cite_over_stdio(tmp_path):
    async def session() -> tuple[Any, Any, list[str]]:
        async with Client(briefing_serve(tmp_path, "--read-only"), timeout=120, init_timeout=120) as client:
            tools = [t.name for t in await client.list_tools()]
            brief = await client.call_tool("brief", {"detail": "short"})
            first = brief.structured_content["agreements"][0]["summary"]["citation"]
            cited = await client.call_tool("cite", {"ids": [first], "context": 1})
            return brief, cited, tools

    brief, cited, tools = asyncio.run(asyncio.wait_for(session(), timeout=170))
    assert "brief" in tools and "cite" in tools
    quote = brief.structured_content["agreements"][0]["summary"]
    (citation,) = cited.structured_content["citations"]
    assert citation["text"] == quote["text"]
    assert f"[{quote['citation']}]" in brief.content[0].text
