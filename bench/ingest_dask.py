"""Ingestion on Dask against the local process pool: same files, same run, fresh databases.

    python -m bench.ingest_dask [--documents 4000] [--repeats 2] [--eval-data ../shared/eval-data]

One folder of ``.txt`` files (``bench.synth``: news-like articles recombined from the evaluation
data at run time, nothing of it committed) is ingested into a fresh database, each ingest in its
own process (``job`` below), by:

* ``pool 1``  — one process, no workers (the sequential baseline);
* ``pool 2``  — the local process pool with two workers (``briefing ingest --workers 2``);
* ``dask 1`` / ``dask 2`` — a ``distributed.LocalCluster`` with one or two worker processes,
  started before the ingest, its workers with the package imported (a running cluster, as a
  shared deployment has one), given by its scheduler address (``briefing ingest --scheduler
  tcp://...``);
* ``dask 2, started by ingest`` — ``--scheduler local --workers 2``: the cluster's start-up paid
  inside the ingest, as a one-off command pays it.

Throughput is article text (MB of files) per wall-clock second of the ingest; the best of
``--repeats`` runs of each counts, runs interleaved so that load from other processes falls on
every mode alike. Every database is compared with the sequential one (documents, sentences,
ids): a mode that wrote anything else fails the bench. Printed: one table row per mode and the
ratio of two Dask workers to the two-worker pool (target >= 0.8). Beside wall time, CPU seconds:
the writing process's (from ``os.times`` in the ingest process) and the workers' (the pool's as
reaped children; a running cluster's asked of each worker before and after), per MB, and the
throughput they imply if every process had a core to itself — on a shared machine whose load
drifts, these are the steadier figures.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DATA = ROOT.parent / "shared" / "eval-data"
CACHE = Path(__file__).resolve().parent / "_cache"
TABLES = ("SELECT * FROM documents ORDER BY id", "SELECT * FROM sentences ORDER BY rowid",
          "SELECT * FROM ids ORDER BY origin", "SELECT * FROM origins ORDER BY origin")


def job(docs: Path, db: Path, workers: int, scheduler: str | None) -> dict[str, Any]:
    """One ingest in this process: its wall time and what it wrote."""
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    corpus = Corpus.open(settings=Settings.from_env(corpus=docs, db=db), sync=False)
    before, started = os.times(), time.perf_counter()
    report = corpus.ingest([docs], workers=workers, scheduler=scheduler)
    wall = time.perf_counter() - started
    after = os.times()
    documents, sentences = corpus.store.counts()
    corpus.close()
    return {
        "wall_s": wall, "documents": documents, "sentences": sentences, "files": len(report.added),
        # this process (the writer, and with one worker the preparing too); the pool's workers
        "writer_cpu_s": after.user + after.system - before.user - before.system,
        "children_cpu_s": after.children_user + after.children_system - before.children_user - before.children_system,
    }


def fingerprint(db: Path) -> str:
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    for sql in TABLES:
        for row in conn.execute(sql):
            digest.update(repr(tuple(row)).encode())
    conn.close()
    return digest.hexdigest()[:16]


def run(docs: Path, workers: int, scheduler: str | None, tmp: Path, client: Any = None) -> dict[str, Any]:
    """One ingest in a fresh process; with the ``client`` of a running cluster, its workers' CPU
    seconds during the ingest too."""
    db = tmp / f"ingest-{time.monotonic_ns()}.sqlite3"
    args = [sys.executable, "-m", "bench.ingest_dask", "job", str(docs), str(db), str(workers), scheduler or ""]
    before = sum(client.run(time.process_time).values()) if client else 0.0
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed: {done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if client:
        result["workers_cpu_s"] = sum(client.run(time.process_time).values()) - before
    elif scheduler is None:
        result["workers_cpu_s"] = result["children_cpu_s"]
    result["fingerprint"] = fingerprint(db)
    return result


def free_cores_mb_s(mb: float, r: dict[str, Any], workers: int) -> str:
    """The throughput if every process had a core of this speed to itself: the writer's CPU, or
    the workers' CPU shared between them, whichever is more, bounds it."""
    if "workers_cpu_s" not in r:
        return "–"
    return f"{mb / max(r['writer_cpu_s'], r['workers_cpu_s'] / workers, 1e-9):.2f}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "job":
        docs, db, workers, scheduler = Path(argv[1]), Path(argv[2]), int(argv[3]), argv[4] or None
        print(json.dumps(job(docs, db, workers, scheduler)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA)
    args = parser.parse_args(argv)
    try:
        from distributed import Client
    except ImportError:
        print("pip install 'briefing[dask]' to run this bench", file=sys.stderr)
        return 2
    from bench import synth

    built = synth.folder(synth.build(args.documents, args.eval_data, CACHE))
    mb = built.bytes / 1e6
    print(f"{built.files:,} files, {mb:.1f} MB of text, {os.cpu_count()} CPUs", flush=True)
    modes: list[tuple[str, int, str | None]] = [
        ("pool 1 (sequential)", 1, None), ("pool 2", 2, None),
        ("dask 1", 1, "cluster1"), ("dask 2", 2, "cluster2"), ("dask 2, started by ingest", 2, "local"),
    ]
    best: dict[str, dict[str, Any]] = {}
    from briefing.ingest.parallel import local_cluster

    clusters = {name: local_cluster(n) for name, n in (("cluster1", 1), ("cluster2", 2))}
    clients = {name: Client(cluster) for name, cluster in clusters.items()}
    for client in clients.values():  # a running cluster's workers have the package loaded
        client.run(importlib.import_module, "briefing.ingest.prepare")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeats):
                for label, workers, scheduler in modes:
                    address = clusters[scheduler].scheduler_address if scheduler in clusters else scheduler
                    result = run(built.path, workers, address, Path(tmp), clients.get(scheduler or ""))
                    if label not in best or result["wall_s"] < best[label]["wall_s"]:
                        best[label] = result
                    print(f"  {label}: {result['wall_s']:.2f} s", flush=True)
    finally:
        for client in clients.values():
            client.close()
        for cluster in clusters.values():
            cluster.close()
    reference = best["pool 1 (sequential)"]["fingerprint"]
    print("\n| mode | wall s | MB/s | docs/s | writer CPU-s per MB | workers CPU-s per MB | MB/s, a core each | same database |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, workers, _ in modes:
        r = best[label]
        spent = f"{r['workers_cpu_s'] / mb:.2f}" if "workers_cpu_s" in r else "–"
        print(f"| {label} | {r['wall_s']:.2f} | {mb / r['wall_s']:.2f} | {r['documents'] / r['wall_s']:,.0f} | "
              f"{r['writer_cpu_s'] / mb:.2f} | {spent} | {free_cores_mb_s(mb, r, workers)} | "
              f"{'yes' if r['fingerprint'] == reference else 'NO'} |")
    ratio = best["pool 2"]["wall_s"] / best["dask 2"]["wall_s"]
    print(f"\ndask 2 / pool 2 throughput: {ratio:.2f}x (target >= 0.8x); "
          f"dask 2 / dask 1: {best['dask 1']['wall_s'] / best['dask 2']['wall_s']:.2f}x; "
          f"pool 2 / pool 1: {best['pool 1 (sequential)']['wall_s'] / best['pool 2']['wall_s']:.2f}x")
    return 0 if all(best[label]["fingerprint"] == reference for label, _, _ in modes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
