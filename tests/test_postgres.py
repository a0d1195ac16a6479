"""The PostgreSQL store: selected by a URL, the same answers as the SQLite store, whole documents
after a crash, and messages that name the next step when the server or the driver is missing.

The store contract itself (re-syncing, ids, duplicates) runs on both stores in test_store.py and
test_sync.py; here are what only a server database has. Cases needing a server skip without
``BRIEFING_TEST_POSTGRES`` (see conftest.py); the translation of the shared SQL needs none.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import ARTICLE, OTHER_ARTICLE, SEEDS, make_files
from click.testing import CliRunner
from test_e2e_stdio import ROOT, server_env

from briefing.cli import main
from briefing.corpus import Corpus
from briefing.errors import ConfigError, StoreError
from briefing.settings import Settings
from briefing.store.postgres import PostgresStore, shown_url, translate

# --- the shared SQLite statements, in PostgreSQL ----------------------------------------------------


def test_parameters_become_psycopg_placeholders_and_a_percent_stays_a_percent() -> None:
    sql, arrays, returning = translate("SELECT value FROM meta WHERE key LIKE 'outlets %' AND key = ?")
    assert sql == "SELECT value FROM meta WHERE key LIKE 'outlets %%' AND key = %s"
    assert (arrays, returning) == ((), False)


def test_insert_or_replace_updates_the_row_with_the_same_key() -> None:
    sql, _, _ = translate("INSERT OR REPLACE INTO origins VALUES (?, ?, ?)")
    assert sql == ("INSERT INTO origins VALUES (%s, %s, %s) ON CONFLICT (origin) DO UPDATE SET "
                   "path = EXCLUDED.path, doc_id = EXCLUDED.doc_id")
    assert translate("INSERT OR IGNORE INTO roots VALUES (?)")[0] == "INSERT INTO roots VALUES (%s) ON CONFLICT DO NOTHING"


def test_a_long_list_of_ids_is_passed_as_one_array() -> None:
    sql, arrays, _ = translate("SELECT id FROM documents WHERE date > ? AND id IN (SELECT value FROM json_each(?))")
    assert sql == "SELECT id FROM documents WHERE date > %s AND id = ANY(%s)"
    assert arrays == (1,)


def test_a_glob_becomes_an_anchored_regular_expression_and_undated_documents_sort_last() -> None:
    sql, _, _ = translate("SELECT date FROM documents WHERE date GLOB '[0-9][0-9]-*' ORDER BY date DESC, id")
    assert sql == "SELECT date FROM documents WHERE date ~ '^[0-9][0-9]\\-.*$' ORDER BY date DESC NULLS LAST, id"


def test_a_change_logged_for_the_search_index_returns_its_number() -> None:
    assert translate("INSERT INTO search_log (lo, hi) VALUES (?, ?)") == (
        "INSERT INTO search_log (lo, hi) VALUES (%s, %s) RETURNING seq", (), True
    )


# --- choosing it, and its messages -------------------------------------------------------------------


def test_a_postgresql_url_is_kept_as_written_in_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_DB", "postgresql://newsroom@db.example:5433/corpus")
    assert Settings.from_env().db_path == "postgresql://newsroom@db.example:5433/corpus"
    assert Settings.from_env(db="postgres://a@b/c").db_path == "postgres://a@b/c"
    assert Settings.from_env(db="corpus.sqlite3").db_path == Path("corpus.sqlite3")


def test_without_psycopg_the_message_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(ConfigError, match=r"pip install 'briefing\[postgres\]'"):
        PostgresStore("postgresql://nobody@127.0.0.1:1/none")


def test_a_server_that_does_not_answer_is_a_clean_cli_error_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://newsroom:s3cret@127.0.0.1:1/corpus"
    result = CliRunner().invoke(main, ["sources", "--corpus", str(SEEDS), "--db", url])
    assert result.exit_code != 0
    assert "cannot connect to the database postgresql://newsroom@127.0.0.1:1/corpus" in result.output
    assert "s3cret" not in result.output and "Traceback" not in result.output
    assert shown_url(url) == "postgresql://newsroom@127.0.0.1:1/corpus"


# --- on a server -----------------------------------------------------------------------------------


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cli_gives_the_same_answers_from_postgresql_as_from_sqlite(postgres_url: str, tmp_path: Path) -> None:
    for command in (["sources"], ["brief"], ["brief", "air patrols"], ["cite", "004:7", "001:1"],
                    ["compare", "000", "003"], ["search", "Putin", "--documents"]):
        here = run_cli(*command, "--corpus", str(SEEDS), "--db", str(tmp_path / "c.sqlite3"), "--format", "json")
        there = run_cli(*command, "--corpus", str(SEEDS), "--db", postgres_url, "--format", "json")
        if command[0] == "search":  # the engines score differently; the same documents match
            here_ids = sorted(h["document"]["id"] for h in json.loads(here))
            assert sorted(h["document"]["id"] for h in json.loads(there)) == here_ids
        else:
            assert there == here, command


def test_search_finds_words_as_the_tantivy_index_does(postgres_url: str, tmp_path: Path) -> None:
    """Stemmed, accents dropped, no stop word left out, phrases in order, any word when all fail."""
    docs = make_files(tmp_path / "docs", {
        "a.txt": "The mayor of Reykjavík approved the budget. Officials were approving budgets all week.",
        "b.txt": "To be or not to be. The harbour reopened on Monday.",
    })
    with Corpus.open(docs, db=postgres_url) as pg, Corpus.open(docs, db=tmp_path / "t.sqlite3") as lite:
        for query in ("approve", "reykjavik", "to be", '"harbour reopened"', '"reopened harbour"',
                      "mayor harbour", "budgets"):
            assert {h.citation for h in pg.search(query)} == {h.citation for h in lite.search(query)}, query
        assert [h.citation for h in pg.search("approve")] != []


def test_a_read_only_process_cannot_write_and_an_empty_database_says_how_to_build_it(postgres_url: str) -> None:
    with pytest.raises(StoreError, match="briefing sync --db"):
        PostgresStore(postgres_url, read_only=True)
    with Corpus.open(SEEDS, db=postgres_url):
        pass
    reader = Corpus.open(SEEDS, db=postgres_url, settings=Settings.from_env(read_only=True))
    assert len(reader.sources()) == 5
    with pytest.raises(StoreError, match="cannot be written"), reader.store.transaction() as conn:
        conn.execute("DELETE FROM roots")


def postgres_problems(url: str) -> list[str]:
    """Documents whose sentence rows do not match their count, sentences without a document, and
    the full-text rows out of step with the sentences."""
    store = PostgresStore(url, read_only=True)
    try:
        problems = [
            f"document {r[0]}: n_sentences {r[1]} but {r[2]} sentence rows"
            for r in store.query("SELECT d.id, d.n_sentences, (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id)"
                                 " FROM documents d") if r[1] != r[2]
        ]
        orphans = store.query("SELECT COUNT(*) FROM sentences s LEFT JOIN documents d ON d.id = s.doc_id"
                              " WHERE d.id IS NULL")[0][0]
        if orphans:
            problems.append(f"{orphans} sentence rows without a document")
        stored = {int(r[0]) for r in store.query("SELECT rowid FROM sentences")}
        if store.index.rowids() != stored:
            problems.append("full-text rows out of step with the sentences")
        return problems
    finally:
        store.close()


def stored_documents(url: str) -> int:
    try:
        store = PostgresStore(url, read_only=True)
    except StoreError:  # no tables yet
        return 0
    try:
        return int(store.query("SELECT COUNT(*) FROM documents")[0][0])
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_an_ingest_killed_mid_way_leaves_whole_documents_and_a_rerun_completes_it(postgres_url: str, tmp_path: Path) -> None:
    files = 400
    (tmp_path / "empty").mkdir()
    docs = make_files(tmp_path / "docs", {
        f"d{i:04d}.txt": f"Dispatch {i}: storm {i} closed the port of Kelmar{i}. Officials said {i + 2} "
                         f"vessels stayed at anchor. The word marker{i}z appears here only."
        for i in range(files)
    })
    command = [sys.executable, "-m", "briefing", "ingest", str(docs), "--corpus", str(tmp_path / "empty"),
               "--db", postgres_url]
    killed_at = []
    for _ in range(2):
        process = subprocess.Popen(command, env=server_env(tmp_path), cwd=ROOT, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        target, deadline = stored_documents(postgres_url) + 25, time.monotonic() + 240
        while process.poll() is None and time.monotonic() < deadline:
            if stored_documents(postgres_url) >= target:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
                killed_at.append(stored_documents(postgres_url))
                break
            time.sleep(0.01)
        process.communicate(timeout=240)
        assert postgres_problems(postgres_url) == []
    assert killed_at and min(killed_at) < files, "no ingest was interrupted"

    rerun = subprocess.run(command, env=server_env(tmp_path), cwd=ROOT, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    assert postgres_problems(postgres_url) == []
    with Corpus.open(tmp_path / "empty", db=postgres_url) as corpus:
        assert len(corpus.sources()) == files
        for i in (0, files // 2, files - 1):
            assert [h.citation for h in corpus.search(f"marker{i}z")] == [f"d{i:04d}:3"]


def test_an_unchanged_file_is_not_written_again_and_an_edited_one_keeps_its_id(postgres_url: str, tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    with Corpus.open(docs, db=postgres_url) as corpus:
        rowids = corpus.store.query("SELECT rowid FROM sentences WHERE doc_id = 'b' ORDER BY rowid")
        (docs / "a.txt").write_text("A new first sentence. " + ARTICLE, encoding="utf-8")
        report = corpus.sync()
        assert [Path(p).name for p in report.updated] == ["a.txt"] and report.unchanged == 1
        assert corpus.store.query("SELECT rowid FROM sentences WHERE doc_id = 'b' ORDER BY rowid") == rowids
        assert corpus.cite("a:1")[0].text == "A new first sentence."
