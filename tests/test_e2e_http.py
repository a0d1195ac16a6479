"""``briefing serve --http``: a bearer token guards streamable HTTP, and never shows in the logs."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from builders import SEEDS
from click.testing import CliRunner
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport
from test_e2e_stdio import ROOT, server_env

from briefing.cli import main

TOKEN = "e2e-token-8c1f0d5b9a"
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


SERVING = re.compile(rb"briefing: serving (http://127\.0\.0\.1:(\d+)/mcp)")


def reported_url(log: Path, process: subprocess.Popen[bytes], timeout: float = 90) -> str:
    """The URL the server we started reports once its socket listens: its own port, never a guess
    that another process might have taken first; checked to be a socket that process holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = SERVING.search(log.read_bytes())
        if found:
            port = int(found.group(2))
            held = {c.laddr.port for c in psutil.Process(process.pid).net_connections(kind="tcp")
                    if c.status == psutil.CONN_LISTEN}
            assert port in held, f"port {port} is not the server's; it listens on {held}"
            return found.group(1).decode()
        if process.poll() is not None:
            raise AssertionError(f"the server exited with code {process.returncode}: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    raise AssertionError(f"the server reported no address within {timeout} s: {log.read_text()[-2000:]}")


@contextmanager
def serving(tmp_path: Path, corpus: Path, db: Path, *flags: str, **env: str) -> Iterator[tuple[str, Path]]:
    """``briefing serve --http --port 0``: the server takes a free loopback port and reports it; its
    output goes to a log file (``env``: extra variables, e.g. BRIEFING_TOKEN); always stopped."""
    log = Path(tempfile.mkstemp(prefix="server-", suffix=".log", dir=tmp_path)[1])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "serve", "--http", "--port", "0",
             "--corpus", str(corpus), "--db", str(db), *flags],
            env=server_env(tmp_path, **env), cwd=ROOT, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            yield reported_url(log, process), log
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture(scope="module")
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``briefing serve --http`` over the seeds with BRIEFING_TOKEN set; always stopped."""
    tmp_path = tmp_path_factory.mktemp("http")
    with serving(tmp_path, SEEDS, tmp_path / "http.sqlite3", BRIEFING_TOKEN=TOKEN) as running:
        yield running


@pytest.mark.timeout(180)
def test_search_with_the_token(http_server):
    url, _ = http_server

    async def search() -> dict:
        async with Client(StreamableHttpTransport(url, auth=TOKEN), timeout=60) as client:
            result = await client.call_tool("search", {"query": "air patrols", "limit": 2})
            return result.structured_content

    found = asyncio.run(asyncio.wait_for(search(), timeout=120))
    assert found["hits"] and "patrol" in found["hits"][0]["text"].lower()


@pytest.mark.timeout(180)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}],
                         ids=["no token", "wrong token", "no Bearer scheme"])
def test_requests_without_the_right_token_get_401(http_server, headers):
    url, log = http_server
    response = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, **headers}, timeout=30)
    assert response.status_code == 401
    assert TOKEN not in response.text
    assert TOKEN not in log.read_text(encoding="utf-8", errors="replace")


def test_binding_beyond_loopback_without_a_token_refuses_to_start(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--http", "--host", "0.0.0.0", "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 2
    assert "refusing to serve HTTP on 0.0.0.0 without a token" in result.output
    assert "BRIEFING_TOKEN" in result.output


def test_the_token_never_appears_in_error_messages(tmp_path):
    result = CliRunner().invoke(main, [
        "serve", "--http", "--host", "0.0.0.0", "--token", TOKEN,
        "--corpus", str(tmp_path / "missing"), "--db", str(tmp_path / "x.sqlite3"),
    ])
    assert result.exit_code != 0 and "does not exist" in result.output
    assert TOKEN not in result.output


def test_port_0_listens_on_a_free_port_the_socket_reports():
    from briefing.mcp_server import listen

    with listen("127.0.0.1", 0) as first, listen("localhost", 0) as second:
        assert first.getsockname()[1] > 0 and second.getsockname()[1] > 0
        assert first.getsockname()[1] != second.getsockname()[1]


def test_a_port_already_taken_is_a_clean_error_naming_the_fix(tmp_path):
    from briefing.mcp_server import listen

    with listen("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--http", "--port", str(port), "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code != 0 and f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "choose another --port (0 takes a free one)" in result.output
