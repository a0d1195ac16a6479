"""The LangChain retriever and tools, and the README's LangChain example run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import original_text
from langchain_core.documents import Document
from langchain_core.messages import ToolMessage
from langchain_core.tools import StructuredTool

from briefing.langchain import BriefingRetriever, briefing_tools
from briefing.tools import Citations, SearchResults

ROOT = Path(__file__).resolve().parent.parent
TOOL_NAMES = ["search", "cite", "summarize", "brief", "brief_point", "list_sources", "compare_sources"]


def tool_call(tool: StructuredTool, **args: object) -> ToolMessage:
    """Invoke a tool the way an agent does, so the result keeps its artifact."""
    message = tool.invoke({"name": tool.name, "args": args, "id": "call-1", "type": "tool_call"})
    assert isinstance(message, ToolMessage)
    return message


@pytest.fixture
def tools(seeds_corpus) -> dict[str, StructuredTool]:
    return {t.name: t for t in briefing_tools(seeds_corpus)}


# --- retriever -----------------------------------------------------------------------------------


def test_the_retriever_returns_cited_sentences_with_their_offsets(seeds_corpus):
    docs = BriefingRetriever(corpus=seeds_corpus, k=3).invoke("air patrols")
    assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    for doc in docs:
        meta = doc.metadata
        assert set(meta) >= {"citation", "doc_id", "source", "title", "date", "start", "end", "score"}
        assert meta["citation"].startswith(meta["doc_id"] + ":")
        assert original_text(meta["path"])[meta["start"]:meta["end"]] == doc.page_content
    assert [d.metadata["score"] for d in docs] == sorted((d.metadata["score"] for d in docs), reverse=True)


def test_the_retriever_keeps_to_its_sources(seeds_corpus):
    docs = BriefingRetriever(corpus=seeds_corpus, k=20, sources=["003"]).invoke("Putin")
    assert docs and {d.metadata["doc_id"] for d in docs} == {"003"}


def test_the_retriever_finds_nothing_for_absent_words(seeds_corpus):
    assert BriefingRetriever(corpus=seeds_corpus).invoke("zzzz qqqq") == []


# --- tools ---------------------------------------------------------------------------------------


def test_briefing_tools_are_the_read_only_operations(tools):
    assert sorted(tools) == sorted(TOOL_NAMES)


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_every_tool_has_a_description_and_described_arguments(tools, name):
    tool = tools[name]
    assert tool.description and len(tool.description.splitlines()[0]) > 30
    properties = tool.args_schema.model_json_schema()["properties"]
    assert all(p.get("description") for p in properties.values()), properties


def test_search_answers_with_markdown_and_keeps_the_results_as_artifact(tools):
    message = tool_call(tools["search"], query="air patrols", limit=2)
    assert isinstance(message.artifact, SearchResults)
    assert f"[{message.artifact.hits[0].citation}]" in message.content


def test_cite_resolves_an_id(tools):
    message = tool_call(tools["cite"], ids=["004:7"], context=1)
    assert isinstance(message.artifact, Citations)
    assert message.artifact.citations[0].text in message.content


def test_a_bad_citation_id_comes_back_as_the_tools_answer(tools):
    message = tool_call(tools["cite"], ids=["004-7"])
    assert message.status == "error"
    assert "<document id>:<sentence number>" in message.content


def test_arguments_out_of_bounds_are_refused(tools):
    with pytest.raises(ValueError):
        tools["search"].invoke({"query": "Putin", "limit": 500})


def test_brief_summarize_list_and_compare(tools):
    brief = tool_call(tools["brief"], detail="short").artifact
    assert brief.agreements
    summary = tool_call(tools["summarize"], method="lead", sentences=2).artifact
    assert len(summary.sentences) == 2
    assert tool_call(tools["list_sources"]).artifact.total == 5
    assert tool_call(tools["compare_sources"], a="001", b="003").artifact.sources == ["001", "003"]


# --- the README example --------------------------------------------------------------------------


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from LangChain", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks, "the README's LangChain section has no Python block"
    return blocks[0]


@pytest.mark.timeout(300)
def test_the_readme_langchain_example_runs_as_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "user-data"), TMPDIR=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", readme_example()], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "004:7" in done.stdout and "old friend" in done.stdout
