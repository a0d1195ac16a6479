"""Ingestion on Dask: files prepared on distributed workers, committed by this process alone.

A real ``distributed.LocalCluster`` with two worker processes (no mock, not threads): the
database it leads to is the one a local ingest writes, row for row, and so are the answers.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import ARTICLE, OTHER_ARTICLE, make_files, table_rows
from click.testing import CliRunner

from briefing.cli import main
from briefing.corpus import Corpus
from briefing.errors import ConfigError
from briefing.ingest import parallel
from briefing.settings import Settings

distributed = pytest.importorskip("distributed", reason="pip install 'briefing[dask]' to test ingestion on Dask")

TABLES = {
    "documents": "SELECT * FROM documents ORDER BY id",
    "sentences": "SELECT * FROM sentences ORDER BY rowid",
    "ids": "SELECT * FROM ids ORDER BY origin",
    "origins": "SELECT * FROM origins ORDER BY origin",
    "files": "SELECT path, size, mtime_ns, file_hash, skipped FROM files ORDER BY path",
    "near_dups": "SELECT * FROM near_dups ORDER BY a, b",
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two worker processes, one thread each; the scheduler's address."""
    import logging

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR,
    ) as local:
        yield local.scheduler_address


def inbox(root: Path) -> Path:
    """Twenty-odd files: plain reports, one exact copy, a near-copy, a JSONL file of two records,
    an HTML page and a file that cannot be read as a document."""
    files: dict[str, str | bytes] = {
        f"{i:02d}_{i:08x}.txt": f"Report number {i} opens here on the council budget. It ends here, {i} times over."
        for i in range(20)
    }
    files["20_copy.txt"] = files["03_00000003.txt"]
    files["21_near.txt"] = ARTICLE + " One more sentence at the end."
    files["22_article.txt"] = ARTICLE
    files["feed.jsonl"] = "\n".join(json.dumps({"id": k, "title": k, "text": t}) for k, t in
                                    (("storm", OTHER_ARTICLE), ("budget", ARTICLE + " Reported again.")))
    files["page.html"] = f"<html><body><h1>Storm</h1><p>{OTHER_ARTICLE}</p></body></html>"
    files["empty.json"] = b"{"
    return make_files(root, files)


def ingested(docs: Path, db: Path, **how: object) -> tuple[dict[str, list[tuple[object, ...]]], list[object], str]:
    with Corpus.open(docs, db=db, settings=Settings.from_env(corpus=docs, db=db), sync=False) as corpus:
        report = corpus.ingest([docs], **how)  # type: ignore[arg-type]
        rows = {name: table_rows(corpus, sql) for name, sql in TABLES.items()}
        answers = [h.model_dump() for h in corpus.search("report council budget", limit=50)]
        answers += [h.model_dump() for h in corpus.search_documents("storm rain", limit=10)]
    return rows, answers, report.model_dump_json()


def test_an_ingest_on_dask_workers_writes_what_a_local_ingest_writes(tmp_path: Path, cluster: str) -> None:
    docs = inbox(tmp_path / "docs")
    local = ingested(docs, tmp_path / "local.sqlite3", workers=1)
    pooled = ingested(docs, tmp_path / "pool.sqlite3", workers=2)
    on_dask = ingested(docs, tmp_path / "dask.sqlite3", workers=2, scheduler=cluster)
    rows, answers, report = on_dask
    assert len(rows["documents"]) >= 24 and rows["near_dups"]  # something to compare
    assert json.loads(report)["skipped"]  # the unreadable file is reported the same way
    assert on_dask == local == pooled


def test_the_files_are_prepared_in_the_worker_processes(tmp_path: Path, cluster: str) -> None:
    docs = inbox(tmp_path / "docs")
    paths = sorted(str(p) for p in docs.iterdir())
    with distributed.Client(cluster) as client:
        pids = set(client.run(os.getpid).values())
        seen = client.gather(client.map(lambda _: os.getpid(), range(8), pure=False))
    assert len(pids) == 2 and os.getpid() not in pids and set(seen) <= pids
    prepared = list(parallel.prepare_files(paths, Settings(corpus=docs), workers=2, scheduler=cluster))
    assert [p.path for p in prepared] == paths  # in order, whatever worker prepared each


def test_briefing_ingest_with_a_local_scheduler_starts_and_stops_its_own_cluster(tmp_path: Path) -> None:
    docs = inbox(tmp_path / "docs")
    corpus = make_files(tmp_path / "corpus", {})
    results = []
    for extra in ([], ["--scheduler", "local"]):
        db = str(tmp_path / f"db{len(extra)}.sqlite3")
        out = CliRunner().invoke(main, ["ingest", str(docs), "--workers", "2", *extra, "--corpus", str(corpus),
                                        "--db", db, "--format", "json"])
        assert out.exit_code == 0, out.output
        search = CliRunner().invoke(main, ["search", "report", "--limit", "50", "--format", "json",
                                           "--corpus", str(corpus), "--db", db])
        results.append((json.loads(out.stdout)["added"], json.loads(search.stdout)))
    assert results[0] == results[1] and len(results[0][1]) > 20


def test_without_dask_the_scheduler_option_names_the_install_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    with pytest.raises(ConfigError, match=r"pip install 'briefing\[dask\]'"):
        list(parallel.prepare_files([str(docs / "a.txt")], Settings(corpus=docs), scheduler="local"))
    out = CliRunner().invoke(main, ["ingest", str(docs), "--scheduler", "local", "--corpus", str(docs),
                                    "--db", str(tmp_path / "x.sqlite3")])
    assert out.exit_code == 2 and "pip install 'briefing[dask]'" in out.stderr


def test_an_unreachable_scheduler_is_an_error_that_says_how_to_start_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    with pytest.raises(ConfigError, match="dask scheduler"):
        list(parallel.prepare_files([str(docs / "a.txt")], Settings(corpus=docs), scheduler="tcp://127.0.0.1:9"))
