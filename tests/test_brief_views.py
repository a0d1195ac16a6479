"""A brief that fits a chat window: the MCP brief's default size, paging and one point in full."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import pytest
from builders import SEEDS
from fastmcp import Client
from fastmcp.exceptions import ToolError

from briefing.corpus import Corpus
from briefing.mcp_server import create_server
from briefing.settings import Settings

LEANINGS = ["left", "center", "right"]


FACTS = [
    ("Defence ministers of the member states met in Qingdao on Thursday to discuss regional security.",
     "On Thursday the defence ministers of member states gathered in Qingdao for talks on regional security."),
    ("Russia and China flew joint strategic air patrols over the Sea of Japan last month.",
     "Last month Russian and Chinese bombers carried out joint strategic air patrols over the Sea of Japan."),
    ("Belarus is expected to join the organisation formally at the summit.",
     "At the summit Belarus is due to become a full member of the organisation."),
    ("The ministers signed a memorandum on counter-terrorism cooperation.",
     "A memorandum on cooperation against terrorism was signed by the ministers."),
    ("Analysts said the meeting showed a growing alignment between Moscow and Beijing.",
     "The meeting pointed to closer alignment between Moscow and Beijing, analysts said."),
    ("India sent its deputy minister instead of the defence minister.",
     "Instead of its defence minister, India was represented by a deputy minister."),
]


def fifty_documents() -> dict[str, dict[str, str]]:
    """50 reports of one summit from 10 outlets of 3 leanings: each tells some of the same facts
    in its own words, among sentences of its own."""
    words = sorted({w.strip(".,“”’'()").lower() for p in SEEDS.glob("*.txt") for w in p.read_text(encoding="utf-8").split()} - {""})
    rng = random.Random(13)
    docs = {}
    for i in range(50):
        outlet = i % 10
        told = [rng.choice(FACTS[k]) for k in rng.sample(range(len(FACTS)), 3)]
        own = [" ".join(rng.sample(words, 12)).capitalize() + "." for _ in range(8)]
        docs[f"d{i:02d}"] = {
            "text": " ".join(told + own), "source": f"Outlet {outlet}",
            "leaning": LEANINGS[outlet % 3], "date": f"2024-01-{1 + i % 28:02d}",
        }
    return docs


@pytest.fixture(scope="module")
def server():
    return create_server(Settings(), corpus=Corpus.from_texts(fifty_documents()))


def call(server: Any, tool: str, **args: Any) -> Any:
    async def go() -> Any:
        async with Client(server) as client:
            return await client.call_tool(tool, args)

    return asyncio.run(go())


def sizes(result: Any) -> tuple[float, float]:
    """Tokens of text and of structuredContent, at 4 characters a token."""
    text = "\n".join(b.text for b in result.content)
    return len(text) / 4, len(json.dumps(result.structured_content, ensure_ascii=False)) / 4


def test_the_default_brief_of_50_documents_fits_2000_tokens_of_text_and_6000_structured(server):
    text, structured = sizes(call(server, "brief", topic="defence ministers summit"))
    assert text <= 2000 and structured <= 6000
    full_text, full_structured = sizes(call(server, "brief", topic="defence ministers summit", detail="full"))
    assert full_text > text and full_structured > structured  # more comes on request


def test_the_per_source_section_is_opt_in_at_short_detail(server):
    assert call(server, "brief").structured_content["per_source"] == []
    with_sources = call(server, "brief", include_sources=True).structured_content["per_source"]
    assert len(with_sources) == 50


def test_the_cursor_pages_through_the_points_without_repeating_one(server):
    first = call(server, "brief", max_points=3).structured_content
    second = call(server, "brief", max_points=3, cursor=first["next_cursor"]).structured_content
    assert first["next_cursor"] == "3"
    ids = [a["id"] for a in first["agreements"]] + [a["id"] for a in second["agreements"]]
    assert ids == ["A1", "A2", "A3", "A4", "A5", "A6"]
    with pytest.raises(ToolError, match="next_cursor"):
        call(server, "brief", cursor="minus one")


def test_brief_point_returns_one_point_in_full_with_every_quote_and_outlet(server):
    short = call(server, "brief").structured_content["agreements"][0]
    full = call(server, "brief_point", id="a1").structured_content["agreement"]
    assert full["id"] == short["id"] == "A1"
    assert len(full["quotes"]) >= len(short["quotes"]) and len(full["quotes"]) == len(full["sources"])
    assert {d for o in full["outlets"] for d in o["documents"]} == set(full["sources"])
    with pytest.raises(ToolError, match="no point 'A999'"):
        call(server, "brief_point", id="A999")


def test_every_point_of_the_brief_shows_leanings(server):
    brief = call(server, "brief", detail="normal").structured_content
    assert brief["agreements"]
    assert all(o["leaning"] in LEANINGS for a in brief["agreements"] for o in a["outlets"])
    assert [v["leaning"] for v in brief["leanings"]] == LEANINGS
