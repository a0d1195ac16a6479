"""The corpus commands of the ``briefing`` CLI, run in-process through click's ``CliRunner``.

Every command takes ``--corpus``, ``--db`` and ``--format text|json|md``; user mistakes print
``error: ...`` and exit non-zero, never a traceback; a partly bad corpus ingests with one
``skipped`` line per bad file and exit code 0.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import ARTICLE, OTHER_ARTICLE, SEEDS, edit_file, make_files, original_text, seed_files
from click.testing import CliRunner, Result

from briefing.cli import main
from briefing.corpus import CITATION_FORM


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def fails(*args: str) -> str:
    """The one-line error message of a command that must fail."""
    result = run(*args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# Each corpus command with the arguments it needs, given a corpus directory holding a.txt and b.txt.
COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "ingest": lambda root: ["ingest", str(make_files(root.parent / "more", {"c.txt": "A third text. It is short."}))],
    "sync": lambda root: ["sync"],
    "sources": lambda root: ["sources"],
    "search": lambda root: ["search", "council"],
    "cite": lambda root: ["cite", "a:1", "b:2"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_corpus_command_has_help_with_the_common_options(command: str) -> None:
    out = ok(command, "--help").output
    usage, _, description = out.partition("\n\n")
    assert usage.startswith("Usage: ") and f" {command} " in usage
    assert description.strip()  # the command's own help text
    for option in ("--corpus", "--db", "--format", "text|json|md"):
        assert option in out


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_text(command: str) -> None:
    usage, _, description = ok(command, "--help").output.partition("\n\n")
    assert f" {command} " in usage and description.strip()


def test_every_command_is_listed_in_the_main_help() -> None:
    out = ok("--help").output
    for command in main.commands:
        assert command in out


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_corpus_command_works_on_a_fresh_directory_in_every_format(
    tmp_path: Path, command: str, fmt: str
) -> None:
    root = make_files(tmp_path / "fresh", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    args = COMMANDS[command](root)
    result = ok(*args, "--corpus", str(root), "--db", str(tmp_path / "fresh.sqlite3"), "--format", fmt)
    assert result.stdout.strip()
    assert (tmp_path / "fresh.sqlite3").exists()
    if fmt == "json":
        json.loads(result.stdout)


def test_search_a_fresh_directory(tmp_path: Path) -> None:
    root = make_files(tmp_path / "news", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    out = ok("search", "harbour", "--corpus", str(root)).stdout
    assert "[b:2]" in out and "**harbour**" in out
    assert "[a:" not in out


def test_search_catastrophe_finds_all_four_seeds_that_mention_it() -> None:
    mentioning = {p.name.split("_")[0] for p in seed_files() if "catastrophe" in original_text(p).lower()}
    hits = json.loads(ok("search", "catastrophe", "--format", "json").stdout)
    assert {h["document"]["id"] for h in hits} == mentioning
    for hit in hits:
        assert hit["citation"].startswith(hit["document"]["id"] + ":")
        assert "**" in hit["snippet"] and hit["score"] > 0 and hit["text"]


def test_search_text_output_shows_citation_score_and_snippet() -> None:
    first = ok("search", "catastrophe", "--limit", "1").stdout.splitlines()[0]
    assert first.startswith("[") and "] (" in first and "**catastrophe**" in first.lower()


def test_search_in_document_mode() -> None:
    found = json.loads(ok("search", "catastrophe", "--documents", "--format", "json").stdout)
    assert len({d["document"]["id"] for d in found}) == len(found) == 4
    assert all(d["matches"] for d in found)


def test_search_filters_by_source() -> None:
    hits = json.loads(ok("search", "Putin", "--source", "001", "--source", "004", "--format", "json").stdout)
    assert {h["document"]["id"] for h in hits} == {"001", "004"}


def test_search_filters_by_date(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "old", "date": "2023-05-01", "text": "Rain fell in May."}),
             json.dumps({"id": "new", "date": "2024-05-01", "text": "Rain fell again in May."})]
    root = make_files(tmp_path / "news", {"feed.jsonl": "\n".join(lines)})
    hits = json.loads(ok("search", "rain", "--from", "2024", "--corpus", str(root), "--format", "json").stdout)
    assert [h["document"]["id"] for h in hits] == ["new"]
    assert "YYYY-MM-DD" in fails("search", "rain", "--from", "last week", "--corpus", str(root))


@pytest.mark.parametrize("query", ['"', "NEAR(", ")(", "'; DROP TABLE documents; --", "AND OR", "*"])
def test_hostile_queries_never_crash_the_cli(query: str) -> None:
    result = run("search", query)
    assert result.exit_code == 0 or result.stderr.startswith("error: ")


def test_an_empty_query_is_an_error_that_says_what_to_type() -> None:
    assert "briefing search" in fails("search", "  ")


def test_an_unknown_source_is_an_error() -> None:
    assert "briefing sources" in fails("search", "Putin", "--source", "nope")


# --- cite --------------------------------------------------------------------------------------


def test_cite_prints_the_verbatim_quote() -> None:
    out = ok("cite", "004:2").stdout
    assert "They highlighted the SCO" in out and "004:2" in out


def test_cite_json_gives_offsets_and_the_document() -> None:
    [c] = json.loads(ok("cite", "004:2", "--context", "1", "--format", "json").stdout)
    assert {"citation", "text", "start", "end", "document"} <= set(c)
    assert c["document"]["id"] == "004"
    assert Path(c["document"]["path"]).name == "004_074d0d399cf2dab1.txt"
    assert original_text(c["document"]["path"])[c["start"]:c["end"]] == c["text"]
    assert [s["citation"] for s in c["before"]] == ["004:1"]
    assert [s["citation"] for s in c["after"]] == ["004:3"]


def test_cite_markdown_quotes_the_sentence() -> None:
    assert "> They highlighted the SCO" in ok("cite", "004:2", "--format", "md").stdout


@pytest.mark.parametrize("bad", ["004", "nosuch:1", "004:999", "x:y"])
def test_cite_with_a_bad_id_is_a_one_line_error(bad: str) -> None:
    message = fails("cite", bad)
    assert CITATION_FORM in message or "004:1 to 004:" in message


# --- configuration -----------------------------------------------------------------------------


def test_with_no_configuration_the_bundled_seeds_are_the_corpus() -> None:
    docs = json.loads(ok("sources", "--format", "json").stdout)
    assert [Path(d["path"]).parent for d in docs] == [SEEDS] * 5


def test_the_corpus_can_come_from_the_environment(tmp_path: Path) -> None:
    root = make_files(tmp_path / "news", {"a.txt": ARTICLE})
    docs = json.loads(run("sources", "--format", "json", env={"BRIEFING_CORPUS": str(root)}).stdout)
    assert [d["id"] for d in docs] == ["a"]


def test_a_missing_corpus_path_is_an_error_naming_the_fix(tmp_path: Path) -> None:
    message = fails("sources", "--corpus", str(tmp_path / "nowhere"))
    assert "does not exist" in message and "--corpus" in message


def test_an_unusable_setting_is_an_error(tmp_path: Path) -> None:
    result = run("sources", env={"BRIEFING_MAX_FILE_BYTES": "lots"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: BRIEFING_MAX_FILE_BYTES='lots' is not a number")


@pytest.mark.parametrize("make", ["not a database", "a directory", "under a file"])
def test_an_unusable_database_is_an_error(tmp_path: Path, make: str) -> None:
    db = tmp_path / "db.sqlite3"
    if make == "not a database":
        db.write_bytes(b"garbage" * 1000)
    elif make == "a directory":
        db.mkdir()
    else:
        (tmp_path / "file").write_text("x")
        db = tmp_path / "file" / "db.sqlite3"
    result = run("sources", "--db", str(db))
    assert result.exit_code != 0
    assert "--db" in result.stderr and len(result.stderr.strip().splitlines()[-1]) < 300


@pytest.mark.parametrize(
    ("name", "value"),
    [("BRIEFING_MAX_FILE_BYTES", "0"), ("BRIEFING_MAX_FILE_BYTES", "1e3"), ("BRIEFING_MAX_JSON_DEPTH", "0"),
     ("BRIEFING_NEAR_DUP", "2"), ("BRIEFING_NEAR_DUP", "nan"), ("BRIEFING_READ_ONLY", "maybe")],
)
def test_each_unusable_setting_is_named_with_a_fix(name: str, value: str) -> None:
    result = run("sources", env={name: value})
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message
    assert "try" in message or "use" in message or "set it" in message


def test_ingest_of_a_missing_path_is_an_error_and_is_not_remembered(tmp_path: Path) -> None:
    corpus = make_files(tmp_path / "corpus", {"a.txt": ARTICLE})
    message = fails("ingest", str(tmp_path / "typo"), "--corpus", str(corpus))
    assert "typo" in message and "does not exist" in message
    assert "typo" not in ok("sync", "--corpus", str(corpus)).stdout


def test_parallel_ingest_gives_the_same_ids_as_sequential(tmp_path: Path) -> None:
    files = {f"{i:02d}_{i:08x}.txt": f"Report number {i} opens here. It ends here, {i} times over." for i in range(12)}
    files["11_0000000b.txt"] = files["00_00000000.txt"]  # one exact copy among them
    inbox = make_files(tmp_path / "inbox", files)
    results = []
    for workers in ("1", "2"):
        corpus = make_files(tmp_path / f"corpus{workers}", {})
        db = str(tmp_path / f"w{workers}.sqlite3")
        ok("ingest", str(inbox), "--workers", workers, "--corpus", str(corpus), "--db", db)
        results.append(json.loads(ok("search", "report", "--limit", "50", "--format", "json",
                                     "--corpus", str(corpus), "--db", db).stdout))
    assert len(results[0]) == 11
    assert [(h["citation"], h["text"]) for h in results[0]] == [(h["citation"], h["text"]) for h in results[1]]


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run("sources", "--format", "xml")
    assert result.exit_code == 2 and "xml" in result.stderr


# --- ingest and sync ---------------------------------------------------------------------------


def test_ingest_reports_what_it_added(tmp_path: Path) -> None:
    corpus = make_files(tmp_path / "corpus", {"a.txt": ARTICLE})
    extra = make_files(tmp_path / "extra", {"b.txt": OTHER_ARTICLE})
    out = ok("ingest", str(extra), "--corpus", str(corpus)).stdout
    assert out.startswith("added 1, updated 0")
    assert "[b:2]" in ok("search", "harbour", "--corpus", str(corpus)).stdout


def test_ingest_again_after_an_edit_reports_the_file_as_updated(tmp_path: Path) -> None:
    corpus = make_files(tmp_path / "corpus", {"a.txt": ARTICLE})
    extra = make_files(tmp_path / "extra", {"b.txt": OTHER_ARTICLE})
    ok("ingest", str(extra), "--corpus", str(corpus))
    (extra / "b.txt").write_text(OTHER_ARTICLE + " The harbour reopened on Friday.", encoding="utf-8")
    assert ok("ingest", str(extra), "--corpus", str(corpus)).stdout.startswith("added 0, updated 1")


def test_ingest_of_a_partly_bad_directory_names_each_skipped_file_and_exits_0(tmp_path: Path) -> None:
    bad = make_files(tmp_path / "inbox", {
        "good.txt": ARTICLE,
        "binary.txt": b"\x00\x01\x02" * 100,
        "empty.txt": b"",
        "broken.json": b'{"text": ',
        "deep.json": b"[" * 5000 + b"]" * 5000,
        "feed.jsonl": (json.dumps({"text": OTHER_ARTICLE}) + "\n{oops\n").encode(),
        "utf16.txt": "Text saved as UTF-16. It still reads.".encode("utf-16"),
    })
    (bad / "loop").symlink_to(bad, target_is_directory=True)
    (bad / "dangling.txt").symlink_to(bad / "gone.txt")
    os.mkfifo(bad / "pipe.txt")

    result = ok("ingest", str(bad), "--corpus", str(make_files(tmp_path / "corpus", {})))

    skipped = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("skipped ")]
    for name in ("binary.txt", "empty.txt", "broken.json", "deep.json", "feed.jsonl", "loop",
                 "dangling.txt", "pipe.txt"):
        assert any(f"{os.sep}{name}:" in line for line in skipped), name
    assert result.stdout.startswith("added 3,")  # good.txt, utf16.txt and feed.jsonl's good line


def test_sync_after_a_file_turns_bad_keeps_its_stored_sentences(tmp_path: Path) -> None:
    root = make_files(tmp_path / "news", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    before = ok("cite", "a:1", "--corpus", str(root)).stdout
    edit_file(root / "a.txt", b"\x00" * 64)
    result = ok("sync", "--corpus", str(root))
    assert "skipped" in result.stdout and "a.txt" in result.stdout
    assert ok("cite", "a:1", "--corpus", str(root)).stdout == before


def test_sync_reports_removed_files(tmp_path: Path) -> None:
    root = make_files(tmp_path / "news", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    ok("sources", "--corpus", str(root))
    (root / "b.txt").unlink()
    report = json.loads(ok("sync", "--corpus", str(root), "--format", "json").stdout)
    assert report["removed"] == [str(root / "b.txt")]


def test_sources_lists_documents_with_their_notes() -> None:
    out = ok("sources").stdout
    assert "001  " in out and "mixed_script" in out and "[001:6]" in out
    assert "left out credit line" in out
