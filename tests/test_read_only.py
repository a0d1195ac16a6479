"""Read-only mode: the index is served as it is, never written by this process.

``--read-only`` (``BRIEFING_READ_ONLY``) opens an existing database read-only and does not sync it;
another process may keep it up to date (``briefing sync``), and the read-only one sees each
change once committed. With no database yet, it is built once from the corpus, then served read-only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import ARTICLE, OTHER_ARTICLE, copy_seeds, edit_file, make_files
from click.testing import CliRunner
from hostile import db_fingerprint

from briefing.cli import main
from briefing.corpus import Corpus
from briefing.errors import ReadOnlyError, StoreError
from briefing.settings import Settings

NEW_TEXT = "The ferry timetable changed on Sunday. Crossings now leave every hour."


def read_only(corpus: Path, db: Path) -> Corpus:
    return Corpus.open(settings=Settings(corpus=corpus, db=db, read_only=True))


def test_an_existing_index_is_served_as_it_is_without_syncing(tmp_path):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    db = tmp_path / "i.sqlite3"
    Corpus.open(docs, db=db).close()
    before = db_fingerprint(db)
    edit_file(docs / "a.txt", NEW_TEXT)
    (docs / "b.txt").unlink()

    corpus = read_only(docs, db)

    assert [d.id for d in corpus.sources()] == ["a", "b"]
    assert corpus.search("ferry timetable") == []
    corpus.search("council budget")
    corpus.brief("council budget")
    corpus.close()
    assert db_fingerprint(db) == before


def test_with_no_index_yet_it_is_built_once_then_served_read_only(tmp_path):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    db = tmp_path / "new.sqlite3"
    corpus = read_only(docs, db)
    assert [d.id for d in corpus.sources()] == ["a"]
    assert corpus.store.read_only


@pytest.mark.parametrize("write", [
    lambda c, docs: c.ingest([docs]),
    lambda c, docs: c.add_texts({"x": NEW_TEXT}),
    lambda c, docs: c.sync(),
], ids=["ingest", "add_texts", "sync"])
def test_every_write_is_refused_with_the_way_out(tmp_path, write):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    corpus = read_only(docs, tmp_path / "i.sqlite3")
    with pytest.raises(ReadOnlyError, match="read-only.*(--read-only|briefing sync)"):
        write(corpus, docs)


def test_another_process_may_update_the_index_and_the_reader_sees_it(tmp_path):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    db = tmp_path / "i.sqlite3"
    reader = read_only(docs, db)
    version = reader.version
    make_files(docs, {"ferry.txt": NEW_TEXT})

    Corpus.open(docs, db=db).close()  # another process syncs, e.g. 'briefing sync' from cron

    assert reader.version > version
    assert [h.citation for h in reader.search("ferry timetable")] == ["ferry:1"]


def test_the_cli_refuses_sync_and_ingest_but_searches(tmp_path):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    db = tmp_path / "i.sqlite3"
    env = {"BRIEFING_READ_ONLY": "1"}
    runner = CliRunner()
    common = ["--corpus", str(docs), "--db", str(db)]
    assert runner.invoke(main, ["search", "council", *common], env=env).exit_code == 0
    for args in (["sync", *common], ["ingest", str(docs), *common]):
        result = runner.invoke(main, args, env=env)
        assert result.exit_code != 0 and result.output.startswith("error: this corpus is read-only")


def test_a_file_that_is_not_a_database_is_named_when_opened_read_only(tmp_path):
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database, just bytes " * 100)
    with pytest.raises(StoreError, match="bad.sqlite3.*another --db"):
        read_only(docs, bad)


def test_the_mcp_server_in_read_only_mode_serves_and_refuses_writes(tmp_path):
    from fastmcp.exceptions import ToolError
    from test_mcp_server import call

    from briefing.mcp_server import create_server

    corpus = copy_seeds(tmp_path / "corpus")
    db = tmp_path / "s.sqlite3"
    server = create_server(Settings(corpus=corpus, db=db, read_only=True))
    assert call(server, "search", query="air patrols").structured_content["hits"]
    before = db_fingerprint(db)
    with pytest.raises(ToolError, match="read-only"):
        call(server, "add_documents", texts=[{"id": "x", "text": NEW_TEXT}])
    call(server, "brief", topic="air patrols")
    assert db_fingerprint(db) == before
