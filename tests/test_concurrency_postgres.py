"""Several servers and an ingest on one PostgreSQL database, over real HTTP on loopback.

Three ``briefing serve --http`` processes start together on one database (each creating the
schema and syncing the seeds if it is first) and give the same answers, call for call, one at a
time and to clients calling all at once. While their clients keep searching, another process
ingests 500 files: no client sees an error, and afterwards every server lists and finds every file.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from builders import copy_seeds
from test_concurrency import (
    CALLS,
    NEW_FILES,
    Answer,
    McpClient,
    new_articles,
    serial_answers,
    serving,
)
from test_e2e_stdio import ROOT, server_env
from test_postgres import postgres_problems

pytestmark = pytest.mark.slow

SERVERS, CLIENTS_EACH, CALLS_EACH = 3, 4, 30


async def mixed_calls(url: str, number: int) -> list[tuple[int, Answer]]:
    out = []
    async with McpClient(url) as c:
        for k in range(CALLS_EACH):
            i = (number * 3 + k) % len(CALLS)
            out.append((i, await c.call(*CALLS[i])))
    return out


@pytest.mark.timeout(600)
def test_three_servers_and_an_ingest_on_one_database_agree_and_lose_nothing(tmp_path: Path, postgres_url: str) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    incoming = new_articles(tmp_path / "incoming")
    with ExitStack() as stack:
        urls = [stack.enter_context(serving(tmp_path, corpus, postgres_url))[0] for _ in range(SERVERS)]  # type: ignore[arg-type]

        expected = [asyncio.run(serial_answers(url)) for url in urls]
        assert not any(is_error for is_error, _, _ in expected[0])
        assert expected[1:] == expected[:-1], "the servers answer the same calls differently"

        async def everyone() -> list[list[tuple[int, Answer]]]:
            return await asyncio.gather(*(mixed_calls(url, n) for url in urls for n in range(CLIENTS_EACH)))

        calls = [a for per_client in asyncio.run(asyncio.wait_for(everyone(), timeout=400)) for a in per_client]
        assert [i for i, got in calls if got != expected[0][i]] == [], "answers under load differ from the serial ones"

        writer = subprocess.Popen(
            [sys.executable, "-m", "briefing", "ingest", str(incoming), "--corpus", str(corpus), "--db", postgres_url],
            env=server_env(tmp_path), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )

        async def search_until_the_writer_is_done(url: str, n: int) -> list[Answer]:
            seen = []
            async with McpClient(url) as c:
                while writer.poll() is None or len(seen) < 3:
                    for name, args in (("search", {"query": f"pier {n} reopened"}), ("list_sources", {"limit": 1}),
                                       ("cite", {"ids": ["004:7"]})):
                        seen.append(await c.call(name, args))
            return seen

        async def searchers() -> list[list[Answer]]:
            return await asyncio.gather(*(search_until_the_writer_is_done(url, n) for n, url in enumerate(urls)))

        seen = [a for per_client in asyncio.run(asyncio.wait_for(searchers(), timeout=400)) for a in per_client]
        out, err = writer.communicate(timeout=120)

        async def after(url: str) -> tuple[Any, Any]:
            async with McpClient(url) as c:
                listing = await c.call("list_sources", {"limit": 1})
                found = await c.call("search", {"query": f"Portvale{NEW_FILES - 1}"})
                return listing[1], found[1]

        finals = [asyncio.run(after(url)) for url in urls]

    assert writer.returncode == 0, err.decode()[-2000:]
    assert f"added {NEW_FILES}," in out.decode()
    assert [texts for is_error, _, texts in seen if is_error] == []
    for listing, found in finals:
        assert listing["total"] == 5 + NEW_FILES
        assert [h["citation"] for h in found["hits"]] == [f"wire-{NEW_FILES - 1:04d}:1"]
    assert postgres_problems(postgres_url) == []
