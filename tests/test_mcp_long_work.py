"""MCP-native long work: progress notifications, and completions for arguments that name sources."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import mcp_types
from builders import make_files
from fastmcp import Client

from briefing.corpus import Corpus
from briefing.mcp_server import create_server
from briefing.settings import Settings

STORY = "The council approved the budget on Tuesday after a long debate. Schools get more money."


def run(server: Any, use: Any) -> Any:
    async def go() -> Any:
        async with Client(server) as client:
            return await use(client)

    return asyncio.run(go())


def test_add_documents_reports_progress_file_by_file(tmp_path: Path):
    inbox = make_files(tmp_path / "inbox", {f"n{i}.txt": STORY.replace("Tuesday", day)
                                            for i, day in enumerate(["Monday", "Tuesday", "Friday"])})
    server = create_server(Settings(corpus=make_files(tmp_path / "c", {"a.txt": STORY}), db=tmp_path / "db.sqlite3",
                                    allowed_roots=(inbox,)))
    seen: list[tuple[float, float | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total))

    result = run(server, lambda c: c.call_tool("add_documents", {"paths": [str(inbox)]}, progress_handler=on_progress))
    assert len(result.structured_content["added"]) == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_brief_reports_progress():
    corpus = Corpus.from_texts({"a": STORY, "b": STORY.replace("Tuesday", "Monday")})
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    run(create_server(Settings(), corpus=corpus), lambda c: c.call_tool("brief", {}, progress_handler=on_progress))
    assert seen == [0, 1, 2]


def test_source_ids_outlets_and_leanings_complete_as_they_are_typed():
    corpus = Corpus.from_texts({
        "cnn1": {"text": STORY, "source": "CNN", "leaning": "left"},
        "fox1": {"text": STORY.replace("Tuesday", "Monday"), "source": "Fox News", "leaning": "right"},
    })
    server = create_server(Settings(), corpus=corpus)

    async def use(client: Client) -> dict[str, list[str]]:
        template = mcp_types.ResourceTemplateReference(type="ref/resource", uri="briefing://sources/{doc_id}")
        prompt = mcp_types.PromptReference(type="ref/prompt", name="compare_coverage")
        brief = mcp_types.PromptReference(type="ref/prompt", name="neutral_brief")
        return {
            "resource": (await client.complete(template, {"name": "doc_id", "value": "c"})).values,
            "prompt": (await client.complete(prompt, {"name": "a", "value": "f"})).values,
            "leaning": (await client.complete(prompt, {"name": "b", "value": "ri"})).values,
            "sources": (await client.complete(brief, {"name": "sources", "value": "cnn1, f"})).values,
        }

    found = run(server, use)
    assert found == {"resource": ["cnn1"], "prompt": ["fox1", "Fox News"], "leaning": ["right"],
                     "sources": ["cnn1, fox1"]}
