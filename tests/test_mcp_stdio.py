"""The fast stdio handshake: ``briefing serve`` answers ``initialize`` before the MCP stack is
loaded, exactly as the loaded server would, and everything after it passes through unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import SEEDS
from test_e2e_stdio import ROOT, server_env

from briefing.corpus import CITATION_FORM
from briefing.mcp_stdio import HANDSHAKE_VERSIONS, INSTRUCTIONS, early_answer


def initialize(request_id: Any = 1, version: str = "2025-06-18") -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}}


def converse(tmp_path: Path, replies: int, *messages: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The first ``replies`` lines ``briefing serve`` writes for these messages, then (stdin
    closed) anything else it wrote, and its stderr."""
    server = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "--corpus", str(SEEDS), "--db", str(tmp_path / "s.sqlite3")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=server_env(tmp_path), cwd=ROOT,
    )
    assert server.stdin and server.stdout
    server.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
    server.stdin.flush()
    lines = [server.stdout.readline() for _ in range(replies)]
    out, err = server.communicate(timeout=120)
    assert server.returncode == 0, err[-2000:]
    return [json.loads(line) for line in [*lines, *out.splitlines()] if line.strip()], err


def test_the_instructions_name_the_citation_form():
    assert CITATION_FORM in INSTRUCTIONS


@pytest.mark.parametrize("line", [
    b"", b"not json\n", b"[]\n", json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"}).encode(),
    json.dumps(initialize(version="1999-01-01")).encode(), json.dumps(initialize(request_id=True)).encode(),
    json.dumps({**initialize(), "params": None}).encode(),
])
def test_anything_but_a_known_initialize_is_left_to_the_server(line):
    assert early_answer(line) is None


@pytest.mark.timeout(300)
@pytest.mark.parametrize("version", HANDSHAKE_VERSIONS)
def test_the_early_answer_is_the_servers_own_and_is_sent_once(tmp_path, version):
    replies, stderr = converse(
        tmp_path, 2, initialize("first", version), {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    )
    assert [r["id"] for r in replies] == ["first", 2]
    assert replies[0]["result"]["protocolVersion"] == version
    assert "differs" not in stderr  # the loaded server answered the same (its answer was dropped)
    assert "brief" in [t["name"] for t in replies[1]["result"]["tools"]]


@pytest.mark.timeout(300)
def test_an_unknown_protocol_version_is_answered_by_the_loaded_server(tmp_path):
    replies, _ = converse(tmp_path, 1, initialize(7, "1999-01-01"))
    assert [r["id"] for r in replies] == [7]
    assert replies[0]["result"]["serverInfo"]["name"] == "briefing"
