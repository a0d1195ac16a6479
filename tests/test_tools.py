"""Each tool passes every parameter to the core and returns the core's answer, unchanged.

A tool is two lines: call the core, return its model. So for each tool and each parameter, the
tool's structured result (through the in-memory MCP client, as an assistant sees it) equals what
the Python API returns for the same arguments, and differs from the tool's answer without that
parameter: a tool that dropped or altered a parameter would fail one or the other.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import ARTICLE, OTHER_ARTICLE, SEEDS, copy_seeds, make_files
from fastmcp import Client, FastMCP
from fastmcp.exceptions import ToolError
from pydantic import BaseModel

from briefing.brief_views import page
from briefing.corpus import Corpus
from briefing.mcp_server import create_server
from briefing.models import IngestReport, Skipped
from briefing.settings import Settings
from briefing.tools import (
    TOOLS,
    Citations,
    SearchResults,
    SourceList,
    merge_reports,
    path_prefixes,
    relative_paths,
)


def call(server: FastMCP, tool: str, **args: Any) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        async with Client(server) as client:
            return (await client.call_tool(tool, args)).structured_content

    return asyncio.run(go())


def as_sent(model: BaseModel) -> dict[str, Any]:
    """A model as the MCP server sends it: its JSON form."""
    return json.loads(model.model_dump_json())


def as_served(corpus: Corpus, model: BaseModel) -> dict[str, Any]:
    """A core answer as the MCP server sends it: its JSON form, with the server's paths shown
    relative to their roots (``tools.relative_paths``)."""
    return as_sent(relative_paths(model, path_prefixes(corpus)))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastMCP, Corpus]:
    db = tmp_path_factory.mktemp("tools") / "seeds.sqlite3"
    corpus = Corpus.open(SEEDS, db=db)
    return create_server(Settings(corpus=SEEDS, db=db), corpus=corpus), corpus


Core = Callable[[Corpus], BaseModel]

# (tool, the arguments given, the same request to the Python API)
CASES: list[tuple[str, dict[str, Any], Core]] = [
    # (the brief tool pages the full brief, computed once: a short page of five points by default)
    ("brief", {"sources": ["001", "003"]}, lambda c: page(c.full_brief(sources=["001", "003"]))),
    ("brief", {"topic": "air patrols"}, lambda c: page(c.full_brief("air patrols"))),
    ("brief", {"detail": "full"}, lambda c: page(c.full_brief(), detail="full")),
    ("brief", {"max_points": 2}, lambda c: page(c.full_brief(), limit=2)),
    ("brief", {"include_sources": True}, lambda c: page(c.full_brief(), include_sources=True)),
    ("compare_sources", {"a": "001", "b": "004", "detail": "short"}, lambda c: c.compare("001", "004", detail="short")),
    ("compare_sources", {"a": "001", "b": "004", "detail": "full"}, lambda c: c.compare("001", "004", detail="full")),
    ("search", {"query": "partnership", "sources": ["002"]},
     lambda c: SearchResults(query="partnership", mode="sentences", hits=c.search("partnership", sources=["002"]))),
    ("search", {"query": "partnership", "limit": 2},
     lambda c: SearchResults(query="partnership", mode="sentences", hits=c.search("partnership", limit=2))),
    ("search", {"query": "partnership", "mode": "documents"},
     lambda c: SearchResults(query="partnership", mode="documents", documents=c.search_documents("partnership"))),
    ("search", {"query": "partnership", "mode": "documents", "limit": 1},
     lambda c: SearchResults(query="partnership", mode="documents", documents=c.search_documents("partnership", limit=1))),
    ("summarize", {"sentences": 2}, lambda c: c.summarize(sentences=2)),
    ("summarize", {"words": 40}, lambda c: c.summarize(words=40)),
    ("summarize", {"method": "lead"}, lambda c: c.summarize(method="lead")),
    ("summarize", {"sources": ["004"]}, lambda c: c.summarize(sources=["004"])),
    ("summarize", {"query": "air patrols"}, lambda c: c.summarize(query="air patrols")),
    ("cite", {"ids": ["004:7"], "context": 2}, lambda c: Citations(citations=c.cite(["004:7"], context=2))),
    ("list_sources", {"offset": 1}, lambda c: SourceList.page(c, 1, 100)),
    ("list_sources", {"limit": 2}, lambda c: SourceList.page(c, 0, 2)),
]
WITHOUT = {"compare_sources": {"a": "001", "b": "004"}, "search": {"query": "partnership"},
           "cite": {"ids": ["004:7"]}}


@pytest.mark.parametrize(("tool", "args", "core"), CASES,
                         ids=[f"{t}-{'-'.join(a)}" for t, a, _ in CASES])
def test_the_tool_answers_what_the_core_answers_for_each_parameter(seeds, tool, args, core):
    server, corpus = seeds
    answer = call(server, tool, **args)
    assert answer == as_served(corpus, core(corpus))
    assert answer != call(server, tool, **WITHOUT.get(tool, {})), "the parameter changes nothing here"


def test_the_brief_tool_briefs_only_the_given_sources(seeds):
    server, _ = seeds
    brief = call(server, "brief", sources=["001", "003"])
    assert brief["sources"] == ["001", "003"]
    assert {view["document"]["id"] for view in brief["per_source"]} <= {"001", "003"}


def test_the_brief_tool_defaults_to_a_short_first_page_of_five_points_a_section(seeds):
    server, corpus = seeds
    assert call(server, "brief") == as_served(corpus, page(corpus.full_brief(), detail="short", limit=5))


def test_list_sources_pages_from_the_offset_and_says_where_the_page_starts(seeds):
    server, corpus = seeds
    page = call(server, "list_sources", offset=1, limit=2)
    assert page["offset"] == 1 and page["total"] == len(corpus.sources())
    assert [d["id"] for d in page["documents"]] == [d.id for d in corpus.sources()[1:3]]


REQUIRED = {"search": {"query": "Russia"}, "cite": {"ids": ["004:7"]}, "compare_sources": {"a": "001", "b": "004"}}


@pytest.mark.parametrize("tool", ["search", "summarize", "brief", "cite", "list_sources", "compare_sources"])
def test_called_from_python_with_only_required_arguments_a_tool_uses_the_defaults_its_schema_shows(seeds, tool):
    """MCP fills in the defaults the schema advertises; Python and LangChain leave them to the function."""
    server, corpus = seeds
    args = REQUIRED.get(tool, {})
    assert as_served(corpus, TOOLS[tool].fn(corpus, **args)) == call(server, tool, **args)


def test_add_documents_with_nothing_to_add_says_what_to_pass(tmp_path: Path):
    server = create_server(Settings(corpus=copy_seeds(tmp_path / "corpus"), db=tmp_path / "w.sqlite3"))
    with pytest.raises(ToolError, match=r"^nothing to add; pass paths \(files or directories\) or texts"):
        call(server, "add_documents")


def test_list_sources_and_the_sources_resource_group_near_duplicates_and_list_every_document(tmp_path: Path):
    text = "Rain fell on the coast on Monday. Roads were closed near the harbour. Crews worked all night."
    docs = make_files(tmp_path / "c", {"a.txt": text, "b.txt": text + " Schools stayed open.", "c.txt": ARTICLE})
    server = create_server(Settings(corpus=docs, db=tmp_path / "d.sqlite3"))
    listing = call(server, "list_sources")
    assert list(listing["near_duplicate_groups"].values()) == [["a", "b"]]

    async def read() -> dict[str, Any]:
        async with Client(server) as client:
            return json.loads((await client.read_resource("briefing://sources"))[0].text)

    resource = asyncio.run(read())
    assert resource["offset"] == 0 and [d["id"] for d in resource["documents"]] == ["a", "b", "c"]
    assert resource["near_duplicate_groups"] == listing["near_duplicate_groups"]


# --- add_documents: one report for paths and texts -----------------------------------------------


def test_merging_reports_keeps_every_field_of_each():
    first = IngestReport(added=["a"], updated=["b"], unchanged=2, removed=["c"], duplicates=["d"],
                         skipped=[Skipped(path="e", reason="empty file")])
    second = IngestReport(added=["f"], updated=["g"], unchanged=3, removed=["h"], duplicates=["i"],
                          skipped=[Skipped(path="j", reason="permission denied")])
    merged = merge_reports(first, second)
    assert merged == IngestReport(
        added=["a", "f"], updated=["b", "g"], unchanged=5, removed=["c", "h"], duplicates=["d", "i"],
        skipped=[Skipped(path="e", reason="empty file"), Skipped(path="j", reason="permission denied")],
    )
    assert merge_reports(first) == first and merge_reports() == IngestReport()


def test_add_documents_reports_skipped_and_unchanged_files_beside_added_texts(tmp_path: Path):
    inbox = make_files(tmp_path / "inbox", {"pier.txt": ARTICLE, "empty.txt": "  \n"})
    server = create_server(Settings(corpus=copy_seeds(tmp_path / "corpus"), db=tmp_path / "w.sqlite3",
                                    allowed_roots=(inbox,)))
    first = call(server, "add_documents", paths=[str(inbox)])
    assert [Path(p).name for p in first["added"]] == ["pier.txt"]
    again = call(server, "add_documents", paths=[str(inbox)],
                 texts=[{"id": "memo", "text": "The harbour reopened the northern pier on Friday."}])
    assert again["added"] == ["memo"]
    assert again["unchanged"] == 2
    assert [(Path(s["path"]).name, s["reason"]) for s in again["skipped"]] == [("empty.txt", "empty file")]


def test_add_documents_reads_no_path_outside_the_allowed_roots(tmp_path: Path):
    inbox = make_files(tmp_path / "inbox", {"pier.txt": ARTICLE})
    elsewhere = make_files(tmp_path / "elsewhere", {"storm.txt": OTHER_ARTICLE})
    server = create_server(Settings(corpus=copy_seeds(tmp_path / "corpus"), db=tmp_path / "w.sqlite3",
                                    allowed_roots=(inbox,)))
    with pytest.raises(ToolError, match="allowed roots"):
        call(server, "add_documents", paths=[str(elsewhere)])
    assert "storm" not in [d["id"] for d in call(server, "list_sources")["documents"]]


def test_add_documents_keeps_the_metadata_given_with_a_text(tmp_path: Path):
    server = create_server(Settings(corpus=copy_seeds(tmp_path / "corpus"), db=tmp_path / "w.sqlite3"))
    call(server, "add_documents", texts=[{"id": "memo", "text": "The harbour reopened the pier on Friday.",
                                          "title": "Pier reopens", "source": "Port news", "date": "2024-03-05"}])
    [memo] = [d for d in call(server, "list_sources")["documents"] if d["id"] == "memo"]
    assert (memo["title"], memo["source"], memo["date"]) == ("Pier reopens", "Port news", "2024-03-05")
