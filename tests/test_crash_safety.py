"""Crash safety: an ingest killed with SIGKILL leaves a database that opens, passes SQLite's
integrity check and holds whole documents only (sentence rows matching each document's count, the
full-text index matching the sentences); running the ingest again completes it.

Files are written in batches of whole files, one transaction per batch, and the full-text index
replays what it missed from the ``search_log`` table when the database is next opened for
writing, so a crash between the two loses nothing. (Until then a read-only process searches the index as the last finished ingest left
it; see docs/robustness.md.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import make_files
from hostile import consistency_problems
from test_e2e_stdio import ROOT, server_env

from briefing.corpus import Corpus
from briefing.settings import Settings
from briefing.store import Store

pytestmark = pytest.mark.slow

FILES = 2000  # enough that a fast ingest is still under way when the test looks


def dispatches(root: Path) -> Path:
    return make_files(root, {
        f"d{i:04d}.txt": (
            f"Dispatch {i} from the coast: storm {i} closed the ferry port of Kelmar{i} on Tuesday. "
            f"Harbour officials said {i + 2} vessels stayed at anchor overnight. "
            f"The word marker{i}z appears in this dispatch only."
        )
        for i in range(FILES)
    })


def stored_documents(db: Path) -> int:
    """The documents committed so far, as another process sees them (0 before the tables exist)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0


def start_ingest(tmp_path: Path, docs: Path, db: Path, search: str) -> subprocess.Popen[bytes]:
    """``briefing ingest`` in its own process group (its parsing workers included)."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "ingest", str(docs), "--corpus", str(tmp_path / "empty"),
         "--db", str(db)],
        env=server_env(tmp_path, BRIEFING_SEARCH=search), cwd=ROOT, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def kill_after_some_progress(process: subprocess.Popen[bytes], db: Path, more: int) -> int | None:
    """SIGKILL the process group once ``more`` further documents are stored; the count at the
    kill, or ``None`` if the ingest finished first."""
    target = stored_documents(db) + more
    deadline = time.monotonic() + 240
    while process.poll() is None and time.monotonic() < deadline:
        if stored_documents(db) >= target:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
            return stored_documents(db)
        time.sleep(0.005)
    process.communicate(timeout=240)
    return None


@pytest.mark.timeout(600)
@pytest.mark.parametrize("search", ["tantivy", "sqlite"])
def test_an_ingest_killed_mid_way_leaves_whole_documents_and_a_rerun_completes_it(tmp_path, search):
    (tmp_path / "empty").mkdir()
    docs = dispatches(tmp_path / "docs")
    db = tmp_path / "crash.sqlite3"
    killed_at = []
    for _ in range(3):
        at = kill_after_some_progress(start_ingest(tmp_path, docs, db, search), db, more=25)
        if at is not None:
            killed_at.append(at)
        reopened = Store(db, search=search)
        assert reopened.index.name == search  # it opens, and the index replays what it missed
        reopened.close()
        assert consistency_problems(db, search) == []
    assert killed_at and min(killed_at) < FILES, "no ingest was interrupted"

    rerun = start_ingest(tmp_path, docs, db, search)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()

    assert consistency_problems(db, search) == []
    corpus = Corpus.open(settings=Settings(corpus=tmp_path / "empty", db=db, search=search))
    assert len(corpus.sources()) == FILES
    for doc in corpus.sources():
        text = corpus.store.text(doc.id)
        assert text is not None
        assert [text[s.start:s.end] for s in corpus.sentences(doc.id)] == [s.text for s in corpus.sentences(doc.id)]
    for i in (0, FILES // 2, FILES - 1):
        assert [h.citation for h in corpus.search(f"marker{i}z")] == [f"d{i:04d}:3"]
