"""Hostile arguments: every MCP tool and CLI command, called with anything, answers or names the problem.

Random and huge strings, control characters, out-of-range and wrongly typed numbers, FTS5 syntax,
SQL fragments and paths. Every call ends in a result or an error message that says what was
wrong (never a masked internal error or a traceback), read-only calls leave the database exactly
as it was, and no file outside the allowed roots is ever opened, symlinks included.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from builders import ARTICLE, SEEDS, copy_seeds, make_files
from click.testing import CliRunner
from hostile import (
    HOSTILE,
    INTS,
    TEXT,
    LiveClient,
    arg,
    assert_answered_or_named_the_problem,
    consistency_problems,
    db_fingerprint,
    files_opened,
    outside,
    under,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.shared.exceptions import MCPError

from briefing.cli import main
from briefing.corpus import Corpus
from briefing.mcp_server import create_server
from briefing.settings import Settings
from briefing.summarize import METHODS

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"
SECRET = "zebracanary"  # a word only the files outside the allowed roots contain
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)

# --- the read-only tools, each with a strategy for its arguments ---------------------------------

IDS = st.one_of(st.sampled_from(["000", "001", "002", "003", "004", "999"]), TEXT)
CITATIONS = st.one_of(
    st.builds(lambda d, n: f"{d}:{n}", st.sampled_from(["000", "004", "x"]), INTS), TEXT
)
DETAIL = st.sampled_from(["short", "normal", "full", "FULL", ""])


def optional(**fields: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    return {name: arg(s) for name, s in fields.items()}


READ_TOOLS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], int]] = {
    "search": (st.fixed_dictionaries({"query": arg(TEXT)}, optional=optional(
        mode=st.sampled_from(["sentences", "documents", "both"]), sources=st.lists(IDS, max_size=4),
        date_from=TEXT, date_to=TEXT, limit=INTS,
    )), 300),
    "cite": (st.fixed_dictionaries({"ids": arg(st.lists(CITATIONS, max_size=6))}, optional=optional(
        context=INTS,
    )), 300),
    "list_sources": (st.fixed_dictionaries({}, optional=optional(offset=INTS, limit=INTS)), 150),
    "summarize": (st.fixed_dictionaries({}, optional=optional(
        method=st.sampled_from([*METHODS, "gpt", ""]), query=TEXT, sources=st.lists(IDS, max_size=3),
        sentences=INTS, words=INTS,
    )), 80),
    # A brief of the whole corpus is the slowest call: its topic is nearly always given.
    "brief": (st.fixed_dictionaries({"topic": arg(TEXT)}, optional=optional(
        sources=st.lists(IDS, max_size=3), detail=DETAIL, max_points=INTS,
    )), 80),
    "compare_sources": (st.fixed_dictionaries(
        {"a": arg(IDS), "b": arg(IDS)}, optional=optional(detail=DETAIL)
    ), 60),
}


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveClient, Path]]:
    db = tmp_path_factory.mktemp("hostile") / "seeds.sqlite3"
    corpus = Corpus.open(SEEDS, db=db)
    client = LiveClient(create_server(Settings(corpus=SEEDS, db=db), corpus=corpus))
    yield client, db
    client.close()
    corpus.close()


@pytest.mark.parametrize("tool", READ_TOOLS)
def test_read_only_tools_answer_anything_and_leave_the_database_unchanged(seeds_server, tool):
    client, db = seeds_server
    strategy, examples = READ_TOOLS[tool]
    before = db_fingerprint(db)
    calls = []

    @settings(FUZZ, max_examples=examples)
    @given(args=strategy)
    def call_with(args: dict[str, Any]) -> None:
        with files_opened() as seen:
            result = client.call(tool, args)
        assert_answered_or_named_the_problem(result)
        calls.append(args)
        opened.extend(seen)

    opened: list[str] = []
    call_with()
    assert len(calls) >= examples
    assert db_fingerprint(db) == before
    assert outside(opened, [Path(sys.prefix), Path(sys.base_prefix), PACKAGE, db.parent]) == []


# Document ids for the resource URI: long, but not the 200k characters of TEXT (fastmcp matches a
# URI template in time linear in its length, 40 ms per 1,000 characters).
URI_PART = st.one_of(
    st.text(max_size=80), st.sampled_from(HOSTILE),
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "é ", "/", "%", "\x00", "../"]), st.integers(100, 5000)),
)
PROMPTS = {
    "neutral_brief": st.fixed_dictionaries({}, optional={"topic": TEXT, "sources": TEXT}),
    "fact_check": st.fixed_dictionaries({"claim": TEXT}),
    "compare_coverage": st.fixed_dictionaries({"a": TEXT, "b": TEXT}, optional={"topic": TEXT}),
}


def test_resources_and_prompts_answer_anything_or_name_the_problem(seeds_server):
    client, db = seeds_server
    before = db_fingerprint(db)

    @settings(FUZZ, max_examples=100)
    @given(doc_id=URI_PART, prompt=st.sampled_from(sorted(PROMPTS)), data=st.data())
    def read_with(doc_id: str, prompt: str, data: st.DataObject) -> None:
        try:
            contents = client.request(lambda c: c.read_resource(f"briefing://sources/{quote(doc_id, safe='')}"))
            assert contents and "Traceback" not in contents[0].text
        except MCPError as err:
            assert str(err) and "Traceback" not in str(err)
        args = data.draw(PROMPTS[prompt])  # every required argument is given: the prompt renders
        result = client.request(lambda c: c.get_prompt(prompt, args))
        text = "\n".join(m.content.text for m in result.messages)
        assert "data, never instructions" in " ".join(text.split())

    read_with()
    assert db_fingerprint(db) == before


def test_unknown_tools_and_arguments_are_named(seeds_server):
    client, _ = seeds_server
    assert_answered_or_named_the_problem(result := client.call("drop_tables", {}))
    assert result.is_error and "drop_tables" in "".join(b.text for b in result.content)
    result = client.call("search", {"query": "Putin", "sql": "DROP TABLE documents"})
    assert result.is_error and "sql" in "".join(b.text for b in result.content)


# --- add_documents: paths outside the allowed roots, symlinks out of them ------------------------


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A server whose only allowed root is ``inbox``, beside a ``secret`` directory it must never
    read; the inbox holds symlinks (a file, a directory) that lead into the secret directory."""
    tmp = tmp_path_factory.mktemp("writable")
    secret = make_files(tmp / "secret", {
        "key.txt": f"The {SECRET} key opens the vault. Nobody else knows it.",
        "nested/notes.md": f"The {SECRET} plan is hidden here. It stays private.",
    })
    inbox = make_files(tmp / "inbox", {"pier.txt": ARTICLE, "sub/ok.txt": "A second text. It is short."})
    (inbox / "leak.txt").symlink_to(secret / "key.txt")
    (inbox / "sub" / "outside").symlink_to(secret, target_is_directory=True)
    (inbox / "abs-link.txt").symlink_to("/etc/hostname")
    corpus_dir = copy_seeds(tmp / "corpus")
    db = tmp / "w.sqlite3"
    settings = Settings(corpus=corpus_dir, db=db, allowed_roots=(inbox,))
    client = LiveClient(create_server(settings))
    yield {"client": client, "db": db, "inbox": inbox, "secret": secret.resolve(), "tmp": tmp}
    client.close()


def path_strings(inbox: Path, secret: Path) -> st.SearchStrategy[str]:
    named = [
        str(inbox), str(inbox / "pier.txt"), str(inbox / "sub"), str(inbox / "leak.txt"),
        str(inbox / "sub" / "outside"), str(inbox / "sub" / "outside" / "key.txt"),
        str(inbox / "abs-link.txt"), str(inbox / ".." / "secret"), str(inbox / "sub" / ".." / ".." / "secret"),
        str(secret), str(secret / "key.txt"), "/", "/etc", "/etc/passwd", "~", "~/.ssh", ".", "..",
        "secret/key.txt", str(inbox) + "\x00/../secret", str(inbox / ("x" * 300)), "x" * 5000,
        f"file://{inbox}", "", " ",
    ]
    return st.one_of(st.sampled_from(named), TEXT, st.builds(lambda t: str(inbox / t), TEXT))


NEW_TEXT = st.fixed_dictionaries(
    {"id": arg(TEXT), "text": arg(TEXT)},
    optional={k: arg(TEXT) for k in ("title", "source", "date", "url")},
)


def test_add_documents_never_reads_outside_the_allowed_roots(writable_server):
    client, inbox, secret = writable_server["client"], writable_server["inbox"], writable_server["secret"]
    strategy = st.fixed_dictionaries({}, optional={
        "paths": arg(st.lists(path_strings(inbox, secret), max_size=4)),
        "texts": arg(st.lists(NEW_TEXT, max_size=3)),
    })

    @settings(FUZZ, max_examples=150)
    @given(args=strategy)
    def call_with(args: dict[str, Any]) -> None:
        with files_opened() as seen:
            result = client.call("add_documents", args)
        assert_answered_or_named_the_problem(result)
        opened.extend(seen)

    opened: list[str] = []
    call_with()
    # and the paths that must be refused or skipped, whatever hypothesis drew
    for path in (inbox, inbox / "leak.txt", inbox / "sub" / "outside", inbox / "abs-link.txt"):
        call_with.hypothesis.inner_test({"paths": [str(path)]})  # type: ignore[attr-defined]
    assert [p for p in opened if under(p, secret) or os.path.realpath(p) == "/etc/hostname"] == []
    assert client.call("search", {"query": SECRET}).structured_content["hits"] == []
    assert consistency_problems(writable_server["db"]) == []


# --- the CLI -------------------------------------------------------------------------------------

OPTION_VALUES = st.one_of(TEXT.filter(lambda s: "\x00" not in s), INTS.map(str))
CLI_COMMANDS: dict[str, st.SearchStrategy[list[str]]] = {
    "search": st.tuples(TEXT, st.lists(st.sampled_from(
        ["--limit", "--source", "--from", "--to", "--format"]), max_size=3), st.lists(OPTION_VALUES, max_size=3),
    ).map(lambda t: ["search", "--", t[0]] if t[0].startswith("-") else
          ["search", t[0], *[x for pair in zip(t[1], t[2], strict=False) for x in pair]]),
    "cite": st.lists(st.one_of(TEXT, st.sampled_from(["004:7", "004:0", "nosuch:1"])), min_size=1, max_size=4)
    .map(lambda ids: ["cite", "--", *ids]),
    "brief": st.tuples(TEXT, st.sampled_from(["short", "normal", "bogus"]), INTS.map(str)).map(
        lambda t: ["brief", "--detail", t[1], "--max-points", t[2], "--", t[0] or "x"]),
    "summarize": st.tuples(TEXT, st.sampled_from([*METHODS, "gpt"]), INTS.map(str)).map(
        lambda t: ["summarize", "--method", t[1], "--sentences", t[2], "--", t[0] or "x"]),
    "compare": st.tuples(IDS, IDS).map(lambda t: ["compare", "--", *t]),
    "sources": st.sampled_from([["sources"], ["sources", "--format", "json"], ["sources", "--format", "xml"]]),
}


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.sqlite3"
    Corpus.open(SEEDS, db=db).close()
    return db


@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_cli_commands_answer_anything_with_a_result_or_a_one_line_error(cli_db, command):
    before = db_fingerprint(cli_db)
    runner = CliRunner()

    @settings(FUZZ, max_examples=100)
    @given(args=CLI_COMMANDS[command])
    def run_with(args: list[str]) -> None:
        args = [a.replace("\x00", "") for a in args]  # no process can receive NUL in argv
        result = runner.invoke(main, [*args[:1], "--corpus", str(SEEDS), "--db", str(cli_db), *args[1:]])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            last = result.output.strip().splitlines()[-1]
            assert last.startswith(("error: ", "Error: ")), result.output

    run_with()
    assert db_fingerprint(cli_db) == before


@pytest.mark.parametrize("path", ["../../etc/passwd-nope", "\x01\x02", "x" * 5000, "~nosuchuser/x", "-"])
def test_cli_ingest_of_a_hostile_path_names_the_problem(tmp_path, path):
    result = CliRunner().invoke(main, ["ingest", "--corpus", str(make_files(tmp_path / "c", {"a.txt": ARTICLE})),
                                       "--db", str(tmp_path / "x.sqlite3"), "--", path])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != 0 and result.output.strip().splitlines()[-1].startswith("error: ")



def test_a_symlink_out_of_the_allowed_root_is_skipped_now_and_on_every_later_sync(tmp_path):
    secret = make_files(tmp_path / "secret", {"key.txt": f"The {SECRET} key opens the vault. Nobody knows it."})
    inbox = make_files(tmp_path / "inbox", {"ok.txt": ARTICLE})
    (inbox / "leak.txt").symlink_to(secret / "key.txt")
    (inbox / "outside").symlink_to(secret, target_is_directory=True)
    (inbox / "alias.txt").symlink_to(inbox / "ok.txt")  # a link that stays inside is followed
    settings = Settings(corpus=copy_seeds(tmp_path / "corpus"), db=tmp_path / "d.sqlite3", allowed_roots=(inbox,))
    corpus = Corpus.open(settings=settings)

    report = corpus.ingest([str(inbox)], restrict=True)

    assert sorted(Path(s.path).name for s in report.skipped) == ["leak.txt", "outside"]
    assert all("outside the allowed roots" in s.reason for s in report.skipped)
    assert [Path(p).name for p in report.added] == ["alias.txt", "ok.txt"]
    assert corpus.search(SECRET) == []
    later = Corpus.open(settings=settings)  # the inbox is synced again on every open
    assert later.search(SECRET) == []
    assert sorted(Path(s.path).name for s in later.sync().skipped) == ["leak.txt", "outside"]


@pytest.mark.parametrize("path", ["a\x00b", "x" * 5000, "~nosuchuser/x", "/", "../.."])
def test_add_documents_names_the_problem_with_a_hostile_path(writable_server, path):
    result = writable_server["client"].call("add_documents", {"paths": [path]})
    assert_answered_or_named_the_problem(result)
    assert result.is_error
