"""Concurrent clients and a concurrent writer, over real HTTP on loopback.

``briefing serve --http`` answers 20 clients making 100 mixed calls each (search, cite, brief)
with exactly the results the same calls give one at a time. While clients keep searching,
another process ingests 500 files into the same database: no client ever sees an error ("database
is locked" or any other), the ingest finishes, and every file is in the index afterwards. The
bearer token never shows in the server's output, whatever the clients send.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from builders import copy_seeds, make_files
from hostile import consistency_problems
from test_e2e_http import INITIALIZE, MCP_HEADERS
from test_e2e_http import serving as http_serving
from test_e2e_stdio import ROOT, server_env

pytestmark = pytest.mark.slow

TOKEN = "tok-5e1f0c77d2a94b3c8a61"
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("search", {"query": "air patrols", "limit": 5}),
    ("cite", {"ids": ["004:7"], "context": 1}),
    ("search", {"query": "Putin", "limit": 10}),
    ("brief", {"topic": "SCO summit", "detail": "short", "max_points": 3}),
    ("search", {"query": "SCO summit", "mode": "documents"}),
    ("cite", {"ids": ["001:1", "003:2"]}),
    ("search", {"query": "catastrophe"}),
    ("brief", {"topic": "air patrols", "detail": "short", "max_points": 3}),
    ("cite", {"ids": ["000:3"], "context": 2}),
    ("search", {"query": "Xi Jinping partnership", "limit": 3}),
]
CLIENTS, CALLS_EACH = 20, 100


@contextmanager
def serving(tmp_path: Path, corpus: Path, db: Path, *flags: str) -> Iterator[tuple[str, Path]]:
    """The HTTP server with this module's token and debug logging (the log is checked for it)."""
    with http_serving(tmp_path, corpus, db, *flags, BRIEFING_TOKEN=TOKEN, FASTMCP_LOG_LEVEL="DEBUG") as running:
        yield running


Answer = tuple[bool, Any, list[str]]  # is_error, structuredContent, the text blocks


class McpClient:
    """A plain MCP client over streamable HTTP: one session, JSON-RPC requests, SSE replies. (It
    skips fastmcp's client-side schema validation, which would make the clients the bottleneck.)"""

    def __init__(self, url: str) -> None:
        self.url, self.http, self.next_id = url, httpx.AsyncClient(timeout=120), 1
        self.headers = {**MCP_HEADERS, "Authorization": f"Bearer {TOKEN}"}

    async def __aenter__(self) -> McpClient:
        response = await self.http.post(self.url, json=INITIALIZE, headers=self.headers)
        response.raise_for_status()
        self.headers["mcp-session-id"] = response.headers["mcp-session-id"]
        await self.http.post(self.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                             headers=self.headers)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def call(self, tool: str, args: dict[str, Any]) -> Answer:
        self.next_id += 1
        request = {"jsonrpc": "2.0", "id": self.next_id, "method": "tools/call",
                   "params": {"name": tool, "arguments": args}}
        response = await self.http.post(self.url, json=request, headers=self.headers)
        if response.status_code != 200:
            return True, None, [f"HTTP {response.status_code}: {response.text[:200]}"]
        for line in response.text.splitlines():
            message = json.loads(line[5:]) if line.startswith("data:") else {}
            if message.get("id") == self.next_id:
                if "error" in message:
                    return True, None, [str(message["error"])]
                result = message["result"]
                texts = [b.get("text", "") for b in result.get("content", [])]
                return bool(result.get("isError")), result.get("structuredContent"), texts
        return True, None, [f"no reply in: {response.text[:200]}"]


async def serial_answers(url: str) -> list[Answer]:
    async with McpClient(url) as c:
        return [await c.call(name, args) for name, args in CALLS]


async def one_client(url: str, number: int) -> list[tuple[int, Answer]]:
    out = []
    async with McpClient(url) as c:
        for k in range(CALLS_EACH):
            i = (number * 3 + k) % len(CALLS)  # every client its own order
            out.append((i, await c.call(*CALLS[i])))
    return out


@pytest.mark.timeout(600)
def test_20_clients_making_100_mixed_calls_each_get_the_serial_answers(tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    with serving(tmp_path, corpus, tmp_path / "c.sqlite3") as (url, log):
        expected = asyncio.run(serial_answers(url))
        assert not any(is_error for is_error, _, _ in expected)

        async def all_clients() -> list[list[tuple[int, Answer]]]:
            return await asyncio.gather(*(one_client(url, n) for n in range(CLIENTS)))

        results = asyncio.run(asyncio.wait_for(all_clients(), timeout=540))
        # wrong tokens, the token's own prefix, a token in the wrong header: 401, never echoed
        for auth in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}"):
            response = httpx.post(url, json={}, headers={**MCP_HEADERS, "Authorization": auth}, timeout=30)
            assert response.status_code == 401 and TOKEN not in response.text

    calls = [answer for per_client in results for answer in per_client]
    assert len(calls) == CLIENTS * CALLS_EACH
    assert [i for i, got in calls if got[0]] == [], "some calls failed"
    assert [i for i, got in calls if got != expected[i]] == [], "some answers differ from the serial ones"
    assert TOKEN not in log.read_text(encoding="utf-8", errors="replace")


# --- a writer in another process ------------------------------------------------------------------

NEW_FILES = 500


def new_articles(root: Path) -> Path:
    return make_files(root, {
        f"wire-{i:04d}.txt": (
            f"Harbour report {i}: the authority of Portvale{i} reopened pier {i} on Monday. "
            f"Officials said {i + 3} fishing boats returned before noon. "
            f"Crews had worked {i % 24 + 1} hours on the damaged quay in district{i}."
        )
        for i in range(NEW_FILES)
    })


@pytest.mark.timeout(600)
@pytest.mark.parametrize("flags", [(), ("--read-only",)], ids=["writable server", "read-only server"])
def test_ingest_in_another_process_while_clients_search_loses_nothing_and_shows_no_error(tmp_path, flags):
    corpus = copy_seeds(tmp_path / "corpus")
    incoming = new_articles(tmp_path / "incoming")
    db = tmp_path / "w.sqlite3"
    with serving(tmp_path, corpus, db, *flags) as (url, log):
        started: list[subprocess.Popen[bytes]] = []

        def start_the_writer() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [sys.executable, "-m", "briefing", "ingest", str(incoming), "--corpus", str(corpus), "--db", str(db)],
                env=server_env(tmp_path), cwd=ROOT, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )

        async def search_until_the_writer_is_done(n: int, ready: asyncio.Barrier, go: asyncio.Event) -> list[Answer]:
            seen = []
            async with McpClient(url) as c:
                seen.append(await c.call("search", {"query": "pier"}))
                await ready.wait()  # every client is in session before the writer starts
                if n == 0:
                    started.append(start_the_writer())
                    go.set()
                await go.wait()
                while started[0].poll() is None or len(seen) < 5:
                    for name, args in (("search", {"query": f"pier {n} reopened"}), ("list_sources", {"limit": 1}),
                                       ("cite", {"ids": ["004:7"]})):
                        seen.append(await c.call(name, args))
            return seen

        async def catch_the_writer_midway(ready: asyncio.Barrier, go: asyncio.Event) -> list[Answer]:
            """One more client reads the total with the writer paused (SIGSTOP) between short runs,
            until it reads a total the ingest has only partly written. The writer runs a few
            milliseconds between two reads, however slow a loaded machine makes the server: far
            too little to write its last four batches of 100 files unseen."""
            seen = []
            async with McpClient(url) as c:
                await ready.wait()
                await go.wait()
                writer = started[0]
                while writer.poll() is None:
                    os.kill(writer.pid, signal.SIGSTOP)
                    try:
                        seen.append(await c.call("list_sources", {"limit": 1}))
                    finally:
                        os.kill(writer.pid, signal.SIGCONT)
                    if 5 < (seen[-1][1] or {}).get("total", 0) < 5 + NEW_FILES:
                        break
                    await asyncio.sleep(0.005)
            return seen

        async def clients() -> list[list[Answer]]:
            ready, go = asyncio.Barrier(9), asyncio.Event()
            return await asyncio.gather(*(search_until_the_writer_is_done(n, ready, go) for n in range(8)),
                                        catch_the_writer_midway(ready, go))

        seen = [a for per_client in asyncio.run(asyncio.wait_for(clients(), timeout=540)) for a in per_client]
        writer = started[0]
        out, err = writer.communicate(timeout=60)

        async def after() -> tuple[Any, Any]:
            async with McpClient(url) as c:
                listing = await c.call("list_sources", {"limit": 1})
                found = await c.call("search", {"query": f"Portvale{NEW_FILES - 1}"})
                return listing[1], found[1]

        listing, found = asyncio.run(after())

    assert writer.returncode == 0, err.decode()
    assert f"added {NEW_FILES}," in out.decode()
    errors = [texts for is_error, _, texts in seen if is_error]
    assert errors == [], errors[:3]
    totals = {content["total"] for _, content, _ in seen if content and "total" in content}
    assert any(5 < t < 5 + NEW_FILES for t in totals), (sorted(totals), len(seen))
    assert "locked" not in log.read_text(encoding="utf-8", errors="replace")
    assert listing["total"] == 5 + NEW_FILES
    assert [h["citation"] for h in found["hits"]] == [f"wire-{NEW_FILES - 1:04d}:1"]
    assert consistency_problems(db) == []


@pytest.mark.timeout(600)
def test_clients_adding_documents_while_another_process_ingests_both_finish_and_lose_nothing(tmp_path):
    """Two writers: the server (add_documents) and an ingest in another process. Each waits for the
    other's short transactions, never for the whole ingest, and neither fails."""
    corpus = copy_seeds(tmp_path / "corpus")
    incoming = new_articles(tmp_path / "incoming")
    db = tmp_path / "two.sqlite3"
    with serving(tmp_path, corpus, db) as (url, log):
        writer = subprocess.Popen(
            [sys.executable, "-m", "briefing", "ingest", str(incoming), "--corpus", str(corpus), "--db", str(db)],
            env=server_env(tmp_path), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )

        async def add_until_the_writer_is_done(n: int) -> list[Answer]:
            seen: list[Answer] = []
            async with McpClient(url) as c:
                while writer.poll() is None or len(seen) < 3:
                    text = f"Memo {n}-{len(seen)}: the quay at Dunmore{n}x{len(seen)} reopened. Boats returned."
                    seen.append(await c.call("add_documents", {"texts": [{"id": f"memo-{n}-{len(seen)}", "text": text}]}))
            return seen

        async def adders() -> list[list[Answer]]:
            return await asyncio.gather(*(add_until_the_writer_is_done(n) for n in range(4)))

        added = [a for per_client in asyncio.run(asyncio.wait_for(adders(), timeout=540)) for a in per_client]
        out, err = writer.communicate(timeout=120)

        async def after() -> tuple[Any, Any]:
            async with McpClient(url) as c:
                return (await c.call("list_sources", {"limit": 1}))[1], (await c.call("search", {"query": "Dunmore3x2"}))[1]

        listing, found = asyncio.run(after())

    assert writer.returncode == 0, err.decode()[-2000:]
    assert f"added {NEW_FILES}," in out.decode()
    assert [texts for is_error, _, texts in added if is_error] == []
    assert listing["total"] == 5 + NEW_FILES + len(added)
    assert [h["citation"] for h in found["hits"]] == ["memo-3-2:1"]
    assert "locked" not in log.read_text(encoding="utf-8", errors="replace")
    assert consistency_problems(db) == []
