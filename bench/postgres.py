"""The PostgreSQL store beside the SQLite store, on the same synthetic corpus, in one run.

    .venv/bin/python -m bench.postgres --url postgresql://user@host/db            # 100k documents
    .venv/bin/python -m bench.postgres --url postgresql://... --documents 10000   # smaller

The URL names a database the bench may use to create (and drop) a database ``briefing_bench`` on
the same server. For the corpus of ``bench/scale.py`` (``bench/_cache``) it measures:

* ingest throughput, two worker processes, into a fresh SQLite database and a fresh PostgreSQL
  database (MB of article text per second, documents per second);
* search latency p50/p99 over the scale bench's query set: the SQLite store (tantivy), and the
  PostgreSQL store with each full-text index method in turn, RUM then GIN (the other index
  dropped, so the planner can only use the one measured);
* ``brief`` over 50 retrieved documents (median of ``--repeats``, and five topics new to the
  process), SQLite and PostgreSQL, as a ratio.

Wall-clock figures depend on the machine's load; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

from bench import synth
from bench.scale import CACHE, DEFAULT_EVAL_DATA, NEW_TOPICS, TOPIC, ingest, search_latencies, timed

BENCH_DB = "briefing_bench"


def fresh_database(url: str) -> str:
    """A new, empty database ``briefing_bench`` beside ``url``'s; returns its URL."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    params = conninfo_to_dict(url)
    params["dbname"] = BENCH_DB
    host, port, user = params.get("host", "127.0.0.1"), params.get("port", "5432"), params.get("user", "")
    return f"postgresql://{user}@{host}:{port}/{BENCH_DB}" if user else make_conninfo(**params)


def briefs(corpus: Any, repeats: int) -> dict[str, float]:
    corpus.brief(TOPIC, max_documents=50)  # warm
    return {
        "brief_50_s": statistics.median(timed(lambda: corpus.brief(TOPIC, max_documents=50), repeats)),
        "brief_50_new_topics_s": statistics.median(
            timed(lambda t=t: corpus.brief(t, max_documents=50), 1)[0] for t in NEW_TOPICS
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("BRIEFING_TEST_POSTGRES"), help="a PostgreSQL URL")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--eval-data", type=lambda p: __import__("pathlib").Path(p), default=DEFAULT_EVAL_DATA)
    args = parser.parse_args(argv)
    if not args.url:
        print("no PostgreSQL: pass --url postgresql://user@host/db (or set BRIEFING_TEST_POSTGRES)")
        return 0
    if not args.eval_data.is_dir():
        print(f"no eval-data at {args.eval_data}: skipped")
        return 0
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    n = args.documents
    built = synth.build(n, args.eval_data, CACHE)
    mb = built.bytes / 1e6
    report: dict[str, Any] = {"documents": n, "text_mb": mb}
    sqlite_db = CACHE / f"corpus-{n}" / "db" / "corpus.sqlite3"
    pg_url = fresh_database(args.url)
    # The PostgreSQL ingest keeps the GIN index up to date (its pending list takes insertions
    # cheaply); the RUM index is built once the sentences are in (see docs/scaling.md).
    for label, db in (("sqlite", sqlite_db), ("postgres", pg_url)):
        started = time.perf_counter()
        run = ingest(built.path, db, 2) if label == "sqlite" else _ingest_url(built.path, pg_url)
        wall = run.get("wall_s", time.perf_counter() - started)
        report[f"{label}_ingest"] = {"wall_s": wall, "mb_s": mb / wall, "docs_s": n / wall,
                                     "sentences": run["sentences"]}
        print(label, "ingest", json.dumps(report[f"{label}_ingest"]), flush=True)

    lite = Corpus.open(settings=Settings.from_env(corpus=built.path, db=sqlite_db), sync=False)
    report["sqlite_search"] = search_latencies(lite, args.repeats)
    report["sqlite_brief"] = briefs(lite, args.repeats)
    lite.close()
    print("sqlite", json.dumps(report["sqlite_search"]), json.dumps(report["sqlite_brief"]), flush=True)

    for method in ("gin", "rum"):  # the ingest built the GIN index; RUM's is built after
        _only_index(pg_url, method)
        pg = Corpus.open(settings=Settings.from_env(corpus=built.path, db=pg_url, search=method), sync=False)
        assert pg.store.index.name == method, pg.store.index.name
        report[f"postgres_{method}_search"] = search_latencies(pg, args.repeats)
        if method == "gin":
            report["postgres_brief"] = briefs(pg, args.repeats)
        pg.close()
        print(method, json.dumps(report[f"postgres_{method}_search"]), flush=True)
    report["brief_ratio"] = report["postgres_brief"]["brief_50_s"] / report["sqlite_brief"]["brief_50_s"]
    report["brief_new_topics_ratio"] = (report["postgres_brief"]["brief_50_new_topics_s"]
                                        / report["sqlite_brief"]["brief_50_new_topics_s"])
    report["ingest_ratio"] = report["postgres_ingest"]["mb_s"] / report["sqlite_ingest"]["mb_s"]
    print(json.dumps(report, indent=1))
    return 0


def _ingest_url(docs: Any, url: str) -> dict[str, Any]:
    import subprocess
    import sys

    from bench.scale import ROOT, child_env

    env = {**child_env(), "BRIEFING_SEARCH": "gin"}
    out = subprocess.run([sys.executable, "-m", "bench.ingest_job", str(docs), url, "2"], capture_output=True,
                         text=True, env=env, cwd=str(ROOT), check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _only_index(url: str, method: str) -> None:
    """Leave only ``method``'s full-text index on the sentences (built now if it is missing)."""
    import psycopg

    from briefing.store.fulltext_postgres import _INDEXES

    with psycopg.connect(url, autocommit=True) as conn:
        if method == "rum":
            conn.execute("CREATE EXTENSION IF NOT EXISTS rum")
        started = time.perf_counter()
        conn.execute(_INDEXES[method])
        print(f"{method} index ready in {time.perf_counter() - started:.0f} s", flush=True)
        for other in _INDEXES:
            if other != method:
                conn.execute(f"DROP INDEX IF EXISTS sentence_search_{other}")
        conn.execute("VACUUM ANALYZE sentence_search")


if __name__ == "__main__":
    raise SystemExit(main())
