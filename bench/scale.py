"""Performance and scale, measured side by side from a thousand documents to a hundred thousand.

    .venv/bin/python -m bench                        # 1k, 10k and 100k documents (the last is long)
    .venv/bin/python -m bench --sizes 1000,10000     # smaller sets
    .venv/bin/python -m bench --json                 # the same figures as JSON

For each size a synthetic news corpus is built from the eval-data texts (``bench/synth.py``; cached
under ``bench/_cache/``, git-ignored) and measured in one run:

* ingest throughput (MB/s and documents/s) on one core (the ingest process pinned to one CPU,
  its search-indexing thread included) and with both cores (two worker processes), for the
  documents as JSONL shards of 100 (MB of article text) and as a folder of one ``.txt`` file per
  article (MB of files; sizes up to ``FOLDER_LIMIT``), its peak memory (the whole process tree,
  sampled), and the index size on disk;
* search latency p50/p99 over a fixed query set (single words, phrases, several words, very
  common words), beside the tantivy engine alone (top-10 rowids, no quotes or snippets) and,
  for the record, the SQLite FTS5 backend on the same sentences;
* ``cite`` latency, ``summarize`` and ``brief`` latency for one topic (repeated, and five topics
  the process has not briefed before), and ``brief`` over 10 to 100 retrieved documents (its
  cost follows the documents retrieved, not the corpus size);
* the summary inputs of that topic through sumy's LexRank and TextRank, as ratios to ours;
* the MCP server: time until it answers ``initialize`` and until it answers ``tools/list`` (the
  server loaded, the corpus open), and its memory then and after a search and a brief.

Once: ``briefing brief`` on the seed articles as a whole process (warm install, database built),
beside ``briefing search``, the MCP server's start on the seeds, and the bare interpreter's start. Latencies are medians over ``--repeats`` (p50/p99 over every query x
repeat); wall-clock figures depend on what else the machine runs, so its load is printed too,
ingest also reports CPU seconds, and a fixed pure-Python loop is timed at the start and the end
of each size (a shared virtual machine's speed drifts). Skips cleanly (exit 0) when eval-data is
absent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DATA = ROOT.parent / "shared" / "eval-data"
CACHE = Path(__file__).resolve().parent / "_cache"
SEEDS = ROOT / "seeds"
TOPIC = "Iran nuclear deal"
# Briefs on topics the process has not briefed before (a chat session asks something new each
# time): nothing of their documents is in the per-text caches yet.
NEW_TOPICS = ("police shooting", "climate change summit", "stock market crash", "election results", "refugee crisis")
BRIEF_DOCUMENTS = (10, 25, 50, 100)
FOLDER_LIMIT = 10_000  # the folder-of-files shape is measured up to this many documents
SUMMARY_SENTENCES = 700
QUERIES = [
    # single words, rare to very common
    "ebola", "refugees", "zeppelin", "police", "company", "president",
    # phrases
    '"police said"', '"the company"', '"white house"', '"north korea"', '"climate change"',
    # several words (stop words drop out: "police said" searches police)
    "police said", "the company", "iran nuclear deal", "islamic state fighters syria",
    "apple watch launch", "president trump tweets", "supreme court ruling on immigration",
]


# --- helpers -------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` calls."""
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def reference_loop() -> float:
    """Seconds for a fixed pure-Python workload (median of three): this machine's speed at the
    moment. Shared virtual machines speed up and slow down; a size whose reference time differs
    from another's ran on a faster or slower machine, whatever the code did."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def machine() -> dict[str, Any]:
    import sqlite3
    from importlib.metadata import version

    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "tantivy": version("tantivy"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


class TreeMemory:
    """Samples the resident memory of a process and its children until stopped."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def child_env(root: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(FASTMCP_SHOW_SERVER_BANNER="false", FASTMCP_CHECK_FOR_UPDATES="off", PYTHONPATH=str(root))
    return env


# --- ingest --------------------------------------------------------------------------------------


def ingest(docs: Path, db: Path, workers: int, pin: bool = False, root: Path = ROOT) -> dict[str, Any]:
    """One fresh ingest in a subprocess: timings, peak memory of the process tree, sizes on disk.
    ``pin``: the subprocess runs on one CPU (where the system allows it); ``root``: the checkout
    whose code ingests (another one's, to compare)."""
    for old in db.parent.glob(db.name + "*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.ingest_job", str(docs), str(db), str(workers), *(["pin"] if pin else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(root), cwd=str(root),
    )
    memory = TreeMemory(proc.pid)
    out, err = proc.communicate()
    peak = memory.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"ingest failed: {err.strip()[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = peak / 2**20
    result["db_mb"] = (folder_bytes(db) + folder_bytes(Path(str(db) + "-wal"))) / 2**20
    result["search_index_mb"] = folder_bytes(Path(str(db) + "-search")) / 2**20
    return result


# --- queries -------------------------------------------------------------------------------------


def search_latencies(corpus: Any, repeats: int) -> dict[str, Any]:
    from briefing.store.index import Filters, Query
    from briefing.store.search import parse

    for q in QUERIES:  # warm: caches, the OS page cache, first-use imports
        corpus.search(q)
    ours: list[float] = []
    engine: list[float] = []
    per_query = {}
    for q in QUERIES:
        parsed = parse(q)
        times = []
        for _ in range(repeats):  # interleaved: a load that comes and goes weighs on both alike
            times.extend(timed(lambda q=q: corpus.search(q), 1))
            engine.extend(timed(lambda p=parsed: corpus.store.index.search(Query(p.terms), Filters(), 10), 1))
        ours.extend(times)
        per_query[q] = statistics.median(times) * 1000
    filtered = timed(lambda: corpus.search("president", date_from="2021", date_to="2022-06"), repeats)
    documents = timed(lambda: corpus.search_documents("iran nuclear deal", limit=50), repeats)
    return {
        "p50_ms": percentile(ours, 50) * 1000, "p99_ms": percentile(ours, 99) * 1000,
        "engine_p50_ms": percentile(engine, 50) * 1000, "engine_p99_ms": percentile(engine, 99) * 1000,
        "date_filtered_ms": statistics.median(filtered) * 1000,
        "documents_50_ms": statistics.median(documents) * 1000,
        "per_query_ms": per_query,
    }


def cite_latencies(corpus: Any, repeats: int) -> dict[str, float]:
    rng = random.Random(7)
    rows = corpus.store.query("SELECT doc_id, n FROM sentences WHERE rowid % 97 = 0 LIMIT 2000")
    ids = [f"{r[0]}:{r[1]}" for r in rng.sample(rows, min(200, len(rows)))]
    times = []
    for _ in range(max(1, repeats // 2)):
        times.extend(timed(lambda i=i: corpus.cite(i, context=1), 1)[0] for i in ids)
    return {"p50_ms": percentile(times, 50) * 1000, "p99_ms": percentile(times, 99) * 1000}


def summary_ratios(corpus: Any, repeats: int) -> dict[str, Any]:
    """Ours, LexRank and TextRank on the same units: the topic's summary input, and 700 sentences."""
    from briefing.summarize import pipeline, registry
    from briefing.summarize.units import Budget
    from briefing.text.tokens import stem

    budget = Budget(words=100)
    topic_units = pipeline.corpus_units(corpus.store, pipeline._selection(corpus.store, TOPIC, None))
    ranked = [d.document.id for d in corpus.search_documents(TOPIC, limit=100)]
    units: list[Any] = []
    for doc_id in ranked:
        units.extend(pipeline.corpus_units(corpus.store, [doc_id]))
        if len(units) >= SUMMARY_SENTENCES:
            break
    big = units[:SUMMARY_SENTENCES]
    out: dict[str, Any] = {"topic_sentences": len(topic_units), "big_sentences": len(big)}
    for label, inputs in (("topic", topic_units), ("big", big)):
        for method in ("default", "lexrank", "textrank"):
            summarizer = registry.get(method)
            summarizer(inputs[:5], budget, None)  # imports and first-use set-up are not timed
            times = []
            for _ in range(repeats if method == "default" else max(1, min(repeats, 3))):
                stem.cache_clear()  # no method profits from another's warm stemmer cache
                started = time.perf_counter()
                summarizer(inputs, budget, TOPIC if method == "default" else None)
                times.append(time.perf_counter() - started)
            out[f"{label}_{method}_s"] = statistics.median(times)
        out[f"{label}_lexrank_ratio"] = out[f"{label}_lexrank_s"] / out[f"{label}_default_s"]
        out[f"{label}_textrank_ratio"] = out[f"{label}_textrank_s"] / out[f"{label}_default_s"]
    return out


def task_latencies(corpus: Any, repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    first = time.perf_counter()
    corpus.brief(TOPIC, max_documents=50)
    out["brief_first_s"] = time.perf_counter() - first
    for k in BRIEF_DOCUMENTS:
        out[f"brief_{k}_s"] = statistics.median(timed(lambda k=k: corpus.brief(TOPIC, max_documents=k), repeats))
        chosen = [h.document.id for h in corpus.search_documents(TOPIC, limit=k, any_term=True)]
        out[f"brief_{k}_sentences"] = sum(d.sentences for d in corpus.store.documents(chosen))
    cpu = time.process_time()
    corpus.brief(TOPIC, max_documents=50)
    out["brief_50_cpu_s"] = time.process_time() - cpu
    out["brief_50_new_topics_s"] = statistics.median(
        timed(lambda t=t: corpus.brief(t, max_documents=50), 1)[0] for t in NEW_TOPICS
    )
    out["summarize_s"] = statistics.median(timed(lambda: corpus.summarize(query=TOPIC), repeats))
    return out


def fts5_latencies(db: Path, docs: Path, repeats: int) -> dict[str, Any]:
    """The same queries through the SQLite FTS5 backend (its table is built on first open)."""
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    started = time.perf_counter()
    corpus = Corpus.open(settings=Settings.from_env(corpus=docs, db=db, search="sqlite"), sync=False)
    corpus.search("warm")
    built = time.perf_counter() - started
    times: list[float] = []
    for q in QUERIES:
        corpus.search(q)
        times.extend(timed(lambda q=q: corpus.search(q), max(1, repeats // 2)))
    corpus.close()
    return {"build_s": built, "p50_ms": percentile(times, 50) * 1000, "p99_ms": percentile(times, 99) * 1000}


# --- processes -----------------------------------------------------------------------------------


def _rpc(proc: subprocess.Popen[str], message: dict[str, Any]) -> dict[str, Any] | None:
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()
    if "id" not in message:
        return None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the server closed its output")
        reply = json.loads(line)
        if reply.get("id") == message["id"]:
            return dict(reply)


def server(docs: Path, db: Path) -> dict[str, Any]:
    """``briefing serve`` over stdio: seconds to answer ``initialize`` and ``tools/list`` (loaded,
    the corpus open), then memory with the corpus open, after a search and after a brief."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "--corpus", str(docs), "--db", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=child_env(), cwd=str(ROOT),
    )
    try:
        _rpc(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "bench", "version": "0"}}})
        ready = time.perf_counter() - started
        _rpc(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        _rpc(proc, {"jsonrpc": "2.0", "id": 9, "method": "tools/list"})
        listed = time.perf_counter() - started
        memory = psutil.Process(proc.pid)
        open_rss = memory.memory_info().rss
        call = time.perf_counter()
        _rpc(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": "search", "arguments": {"query": "president"}}})
        first_search = time.perf_counter() - call
        search_rss = memory.memory_info().rss
        _rpc(proc, {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                    "params": {"name": "brief", "arguments": {"topic": TOPIC}}})
        brief_rss = memory.memory_info().rss
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {
        "ready_s": ready, "listed_s": listed, "first_search_s": first_search, "rss_open_mb": open_rss / 2**20,
        "rss_after_search_mb": search_rss / 2**20, "rss_after_brief_mb": brief_rss / 2**20,
    }


def cold_start(repeats: int) -> dict[str, float]:
    """Whole processes on the seed articles, the database already built: ``briefing brief``,
    ``briefing search``, the MCP server's start and the bare interpreter's."""
    work = CACHE / "seeds-db"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    base = [sys.executable, "-m", "briefing"]
    flags = ["--corpus", str(SEEDS), "--db", str(work / "seeds.sqlite3")]
    env = child_env()
    subprocess.run([*base, "brief", *flags], check=True, capture_output=True, env=env, cwd=str(ROOT))
    commands = {
        "brief": [*base, "brief", *flags],
        "search": [*base, "search", "police", *flags],
        "python": [sys.executable, "-c", "pass"],
    }
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeats):  # interleaved, so a passing load weighs on each alike
        for label, command in commands.items():
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env, cwd=str(ROOT))
            wall[label].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    out = {f"{label}_s": statistics.median(v) for label, v in wall.items()}
    out.update({f"{label}_cpu_s": statistics.median(v) for label, v in cpu.items()})
    starts = [server(SEEDS, work / "seeds.sqlite3") for _ in range(repeats)]
    out["server_ready_s"] = statistics.median(r["ready_s"] for r in starts)
    out["server_listed_s"] = statistics.median(r["listed_s"] for r in starts)
    return out


# --- one size ------------------------------------------------------------------------------------


def measure(n: int, args: argparse.Namespace) -> dict[str, Any]:
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    began = time.perf_counter()
    reference = [reference_loop()]
    built = synth.build(n, args.eval_data, CACHE)
    text_mb = built.bytes / 1e6
    result: dict[str, Any] = {"documents": n, "text_mb": text_mb, "files": built.files}
    db = CACHE / f"corpus-{n}" / "db" / "corpus.sqlite3"
    ingest_repeats = 1 if n >= 100_000 else args.ingest_repeats
    shapes = [("", built.path, text_mb)]
    if n <= FOLDER_LIMIT:
        files = synth.folder(built)
        shapes.insert(0, ("folder_", files.path, files.bytes / 1e6))
        result["folder_mb"] = files.bytes / 1e6
    for shape, path, mb in shapes:  # the shards last: the queries below run on their database
        for workers in (1, 2):
            runs = [ingest(path, db, workers, pin=workers == 1) for _ in range(ingest_repeats)]
            wall = statistics.median(r["wall_s"] for r in runs)
            last = runs[-1]
            result[f"{shape}ingest_{workers}"] = {
                "wall_s": wall, "mb_s": mb / wall, "docs_s": n / wall,
                "cpu_s": statistics.median(r["cpu_self_s"] + r["cpu_children_s"] for r in runs),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "runs": len(runs),
                "sentences": last["sentences"], "pinned": bool(last.get("pinned")),
            }
    result["db_mb"] = last["db_mb"]
    result["search_index_mb"] = last["search_index_mb"]

    corpus = Corpus.open(settings=Settings.from_env(corpus=built.path, db=db), sync=False)
    result["search"] = search_latencies(corpus, args.repeats)
    result["cite"] = cite_latencies(corpus, args.repeats)
    result["tasks"] = task_latencies(corpus, args.repeats)
    result["summaries"] = summary_ratios(corpus, args.repeats)
    corpus.close()
    result["server"] = server(built.path, db)
    if not args.no_fts5:
        result["fts5"] = fts5_latencies(db, built.path, args.repeats)
    reference.append(reference_loop())
    result["reference_s"] = reference
    result["elapsed_s"] = time.perf_counter() - began
    return result


# --- the report ----------------------------------------------------------------------------------


def _row(label: str, values: list[str], target: str = "") -> str:
    return f"| {label} | " + " | ".join(values) + f" | {target} |"


def _ingest(r: dict[str, Any], key: str, mb_key: str = "") -> str:
    if key not in r:
        return "–"
    run = r[key]
    text = f"{run['mb_s']:.2f} ({run['docs_s']:.0f})"
    if key.endswith("_2"):
        text += f"; {run['cpu_s'] / run['wall_s']:.1f}"
    if mb_key:
        text = f"{r[mb_key]:.0f} MB: " + text
    return text + ("" if run.get("pinned", True) or key.endswith("_2") else " unpinned")


def table(report: dict[str, Any]) -> str:
    sizes = report["sizes"]
    m = report["machine"]
    heads = [f"{r['documents']:,} docs" for r in sizes]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['system']}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, tantivy {m['tantivy']}; load average at start {m['load_average']}",
        "",
        "| measure | " + " | ".join(heads) + " | target |",
        "|---|" + "---:|" * len(heads) + "---|",
    ]

    def each(fn: Callable[[dict[str, Any]], str]) -> list[str]:
        return [fn(r) for r in sizes]

    lines += [
        _row("article text (MB) / sentences", each(lambda r: f"{r['text_mb']:.0f} / {r['ingest_1']['sentences']:,}")),
        _row("ingest, JSONL shards, one core (process pinned to one CPU): MB/s (docs/s)", each(
            lambda r: _ingest(r, "ingest_1")), "≥ 2.5 MB/s"),
        _row("ingest, JSONL shards, both cores: MB/s (docs/s); cores busy", each(
            lambda r: _ingest(r, "ingest_2")), "≥ 5 MB/s"),
        _row("ingest, folder of .txt files (MB of files), one core: MB/s (docs/s)", each(
            lambda r: _ingest(r, "folder_ingest_1", "folder_mb")), "≥ 2.5 MB/s"),
        _row("ingest, folder of .txt files, both cores: MB/s (docs/s); cores busy", each(
            lambda r: _ingest(r, "folder_ingest_2")), "≥ 5 MB/s"),
        _row("ingest CPU-s per MB, one core: shards / folder", each(lambda r: " / ".join(
            f"{r[k]['cpu_s'] / mb:.2f}" if k in r else "–"
            for k, mb in (("ingest_1", r["text_mb"]), ("folder_ingest_1", r.get("folder_mb") or 1))))),
        _row("ingest peak memory, one / two processes (MB)", each(
            lambda r: f"{r['ingest_1']['peak_rss_mb']:.0f} / {r['ingest_2']['peak_rss_mb']:.0f}")),
        _row("database + search index on disk (MB)", each(
            lambda r: f"{r['db_mb']:.0f} + {r['search_index_mb']:.0f}")),
        _row("search p50 / p99 (ms)", each(
            lambda r: f"{r['search']['p50_ms']:.1f} / {r['search']['p99_ms']:.1f}"), "≤ 10 / ≤ 100 at 100k"),
        _row("tantivy engine alone p50 / p99 (ms)", each(
            lambda r: f"{r['search']['engine_p50_ms']:.2f} / {r['search']['engine_p99_ms']:.2f}")),
        _row("search ÷ engine alone: p50 / p99", each(
            lambda r: f"{r['search']['p50_ms'] / r['search']['engine_p50_ms']:.1f}× / "
            f"{r['search']['p99_ms'] / r['search']['engine_p99_ms']:.1f}×"), "≤ 1.5× / ≤ 2× at 100k"),
        _row("SQLite FTS5 backend p50 / p99 (ms)", each(
            lambda r: f"{r['fts5']['p50_ms']:.1f} / {r['fts5']['p99_ms']:.1f}" if "fts5" in r else "–")),
        _row("search with a date filter; 50 documents (ms)", each(
            lambda r: f"{r['search']['date_filtered_ms']:.1f}; {r['search']['documents_50_ms']:.0f}")),
        _row("cite p50 / p99 (ms)", each(lambda r: f"{r['cite']['p50_ms']:.2f} / {r['cite']['p99_ms']:.2f}")),
        _row("summarize a topic (s)", each(lambda r: f"{r['tasks']['summarize_s']:.2f}")),
        _row("brief, 50 documents, five topics new to the process: median (s)", each(
            lambda r: f"{r['tasks'].get('brief_50_new_topics_s', float('nan')):.2f}"), "≤ 1.5 at 100k"),
        _row("brief, 50 documents, one topic again: median (CPU; first call in the process) (s)", each(lambda r: (
            f"{r['tasks']['brief_50_s']:.2f} ({r['tasks']['brief_50_cpu_s']:.2f}; {r['tasks']['brief_first_s']:.2f})"))),
        _row("brief over 10 / 25 / 50 / 100 documents (s)", each(
            lambda r: " / ".join(f"{r['tasks'][f'brief_{k}_s']:.2f}" for k in BRIEF_DOCUMENTS))),
        _row("... sentences in those documents", each(
            lambda r: " / ".join(f"{r['tasks'].get(f'brief_{k}_sentences', 0):,}" for k in BRIEF_DOCUMENTS))),
        _row("summary input, topic: sentences; LexRank / TextRank × ours", each(lambda r: (
            f"{r['summaries']['topic_sentences']}; {r['summaries']['topic_lexrank_ratio']:.0f}× / "
            f"{r['summaries']['topic_textrank_ratio']:.0f}×"))),
        _row("700 sentences: ours (s); LexRank / TextRank × ours", each(lambda r: (
            f"{r['summaries']['big_default_s']:.3f}; {r['summaries']['big_lexrank_ratio']:.0f}× / "
            f"{r['summaries']['big_textrank_ratio']:.0f}×")), "LexRank ≥ 10×"),
        _row("MCP server: initialize / tools/list answered (s); RSS open / after search / after brief (MB)", each(lambda r: (
            f"{r['server']['ready_s']:.2f} / {r['server'].get('listed_s', float('nan')):.2f}; {r['server']['rss_open_mb']:.0f} / "
            f"{r['server']['rss_after_search_mb']:.0f} / {r['server']['rss_after_brief_mb']:.0f}")), "≤ 300 MB at 100k"),
        _row("reference Python loop at start / end of this size (s)", each(
            lambda r: " / ".join(f"{x:.2f}" for x in r.get("reference_s", [])) or "–")),
        _row("this size took (min)", each(lambda r: f"{r['elapsed_s'] / 60:.1f}")),
    ]
    cold = report.get("cold_start")
    if cold:
        lines += [
            "",
            f"Cold start on the seeds (whole process, database built, median of {report['repeats']}): "
            f"`briefing brief` {cold['brief_s']:.2f} s (target ≤ 0.4 s), `briefing search` {cold['search_s']:.2f} s; "
            f"`briefing serve` answers `initialize` in {cold['server_ready_s']:.2f} s (target ≤ 0.5 s) and "
            f"`tools/list` in {cold['server_listed_s']:.2f} s; bare `python -c pass` {cold['python_s']:.2f} s"
            + (f" (CPU: brief {cold['brief_cpu_s']:.2f} s, search {cold['search_cpu_s']:.2f} s, "
               f"bare Python {cold['python_cpu_s']:.2f} s; the three run interleaved)." if "brief_cpu_s" in cold else "."),
        ]
    lines.append(f"Whole run: {report['elapsed_s'] / 60:.1f} min.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--repeats", type=int, default=5, help="runs per latency measurement")
    parser.add_argument("--ingest-repeats", type=int, default=3, help="ingests per size (100k and up: one)")
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA)
    parser.add_argument("--no-fts5", action="store_true", help="skip the SQLite FTS5 comparison")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    try:
        synth.inputs(args.eval_data)
    except synth.EvalDataMissing as err:
        print(f"skipped: {err}")
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine(), "repeats": args.repeats, "topic": TOPIC, "queries": QUERIES}
    report["cold_start"] = cold_start(args.repeats)
    report["sizes"] = []
    for n in sizes:
        report["sizes"].append(measure(n, args))
        print(f"measured {n:,} documents in {report['sizes'][-1]['elapsed_s'] / 60:.1f} min", file=sys.stderr)
        (CACHE / "partial.json").write_text(json.dumps(report, indent=2))  # kept if a later size fails
    report["elapsed_s"] = time.perf_counter() - started
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
