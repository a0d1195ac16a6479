"""Search alone, quickly: our search beside the tantivy engine alone, and beside older code.

    .venv/bin/python -m bench.search_speed                          # 10k and 100k documents
    .venv/bin/python -m bench.search_speed --sizes 10000 --repeats 50
    .venv/bin/python -m bench.search_speed --baseline ../old-checkout   # older code, query by query
    .venv/bin/python -m bench.search_speed --baseline ../old-checkout --check   # same answers?
    .venv/bin/python -m bench.search_speed --instructions           # callgrind counts per search

The corpora and their databases are the ones ``python -m bench`` builds in ``bench/_cache/``
(built here when missing: the synthetic corpus, then one ingest with two workers). Each code
version searches in its own process (``--baseline`` names a checkout whose ``briefing`` package
is imported instead of this one's); the parent asks them in turn, query by query, alternating
which goes first, so a load that comes and goes weighs on both alike. Each process times, for
one query, our ``search`` and then the engine alone on the same parsed query (top-10 rowids, no
quotes or snippets), wall-clock and CPU time of the searching thread. The p50/p99 ratios to the
engine alone are what compare across runs on a shared machine.

``--check`` compares the answers of both versions (ids, order, scores, snippets, documents) over
the bench's queries and more (limits, date and document filters, document search, odd input)
and fails on the first difference. ``--instructions`` runs each version under callgrind twice,
with and without the searches, and prints user-space instructions per search: a figure that does
not drift with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Beyond the timed queries, the answers are compared on these: topics, odd words, stop words only,
# accents and look-alike letters, hyphens and dotted abbreviations, operators, an empty phrase.
CHECK_QUERIES = [
    "Iran nuclear deal", "police shooting", "climate change summit", "stock market crash",
    "election results", "refugee crisis", "the", "of the", "U.S. officials", "china-russia talks",
    "Erdoğan", "Еbola", "don't", "police's", "AND OR NOT", "title:iran", "a* b?", '""', '"the"',
    "president's speech", "north-east", "e-mail", "9/11", "2016", "covid-19 vaccine", "naïve",
]


# --- the worker: one code version, searching -----------------------------------------------------


def worker(code: str, db: str, docs: str) -> None:
    """Serve requests (JSON lines on stdin) with the ``briefing`` package found under ``code``."""
    sys.path.insert(0, code)
    import briefing
    from briefing.corpus import Corpus
    from briefing.settings import Settings
    from briefing.store.index import Filters, Query
    from briefing.store.search import parse

    corpus = Corpus.open(settings=Settings.from_env(corpus=Path(docs), db=Path(db)), sync=False)
    engine = corpus.store.index
    print(json.dumps({"ready": str(Path(briefing.__file__).resolve().parent)}), flush=True)

    def ours(q: str) -> object:
        return corpus.search(q)

    def alone(q: str) -> object:
        return engine.search(Query(parse(q).terms), Filters(), 10)

    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        if op == "time":
            q = request["query"]
            parsed = parse(q)
            out = []
            for _ in range(request.get("repeats", 1)):
                w, c = time.perf_counter(), time.thread_time()
                corpus.search(q)
                w2, c2 = time.perf_counter(), time.thread_time()
                engine.search(Query(parsed.terms), Filters(), 10)
                w3, c3 = time.perf_counter(), time.thread_time()
                out.append([w2 - w, c2 - c, w3 - w2, c3 - c2])
            reply: Any = out
        elif op == "answers":
            reply = answers(corpus, request["queries"])
        elif op == "loop":  # for instruction counts: the searches only, no timing
            fn = ours if request["what"] == "ours" else alone
            for _ in range(request["loops"]):
                for q in request["queries"]:
                    fn(q)
            reply = "done"
        else:
            reply = {"error": f"unknown op {op!r}"}
        print(json.dumps(reply), flush=True)
    corpus.close()


def answers(corpus: Any, queries: list[str]) -> dict[str, Any]:
    """Every answer the search path gives for ``queries``, as JSON (errors by their message)."""
    from briefing.errors import BriefingError

    def dump(fn: Any) -> Any:
        try:
            return [h.model_dump(mode="json") for h in fn()]
        except BriefingError as err:
            return {"error": type(err).__name__, "message": str(err)}

    out: dict[str, Any] = {}
    some_docs: list[str] = []
    for q in queries:
        out[f"search {q}"] = dump(lambda q=q: corpus.search(q))
        out[f"search 1 {q}"] = dump(lambda q=q: corpus.search(q, limit=1))
        out[f"search 50 {q}"] = dump(lambda q=q: corpus.search(q, limit=50))
        out[f"dated {q}"] = dump(lambda q=q: corpus.search(q, date_from="2021", date_to="2022-06"))
        out[f"documents {q}"] = dump(lambda q=q: corpus.search_documents(q, limit=20))
        out[f"any {q}"] = dump(lambda q=q: corpus.search_documents(q, limit=50, any_term=True))
        found = out[f"search 50 {q}"]
        if isinstance(found, list):
            some_docs.extend(h["document"]["id"] for h in found[::7])
    sources = list(dict.fromkeys(some_docs))[:40]
    for q in queries:
        out[f"sources {q}"] = dump(lambda q=q: corpus.search(q, sources=sources))
        out[f"sources documents {q}"] = dump(lambda q=q: corpus.search_documents(q, sources=sources[:5]))
    return out


# --- the parent ----------------------------------------------------------------------------------


class Worker:
    def __init__(self, label: str, code: Path, db: Path, docs: Path, wrap: list[str] | None = None) -> None:
        self.label = label
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
        env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen(
            [*(wrap or []), sys.executable, "-m", "bench.search_speed", "--worker", str(code), str(db), str(docs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT), env=env,
        )
        ready = self._read()
        self.package = ready["ready"]
        if Path(self.package) != (code / "briefing").resolve():
            raise RuntimeError(f"{label}: imported briefing from {self.package}, not from {code}")

    def _read(self) -> Any:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.label}: the search process ended")
        return json.loads(line)

    def ask(self, **request: Any) -> Any:
        assert self.proc.stdin
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=120)


def corpus_paths(n: int, eval_data: Path) -> tuple[Path, Path]:
    """The shards and database of the ``n``-document corpus, built and ingested when missing."""
    from bench import scale, synth

    built = synth.build(n, eval_data, scale.CACHE)
    db = scale.CACHE / f"corpus-{n}" / "db" / "corpus.sqlite3"
    if not (db.exists() and Path(str(db) + "-search").is_dir()):
        print(f"ingesting {n:,} documents (once; kept in {db.parent})", file=sys.stderr)
        scale.ingest(built.path, db, workers=2)
    return built.path, db


def summary(times: list[list[float]]) -> dict[str, float]:
    from bench.scale import percentile

    out = {}
    for k, name in enumerate(("wall", "cpu")):
        ours = [t[k] for t in times]
        engine = [t[k + 2] for t in times]
        out[f"{name}_p50_ms"] = percentile(ours, 50) * 1000
        out[f"{name}_p99_ms"] = percentile(ours, 99) * 1000
        out[f"{name}_engine_p50_ms"] = percentile(engine, 50) * 1000
        out[f"{name}_engine_p99_ms"] = percentile(engine, 99) * 1000
        out[f"{name}_p50_ratio"] = out[f"{name}_p50_ms"] / out[f"{name}_engine_p50_ms"]
        out[f"{name}_p99_ratio"] = out[f"{name}_p99_ms"] / out[f"{name}_engine_p99_ms"]
        out[f"{name}_added_ms"] = statistics.median(t[k] - t[k + 2] for t in times) * 1000
    return out


def latencies(workers: list[Worker], queries: list[str], repeats: int) -> dict[str, Any]:
    for w in workers:  # warm: first-use imports, the OS page cache
        for q in queries:
            w.ask(op="time", query=q, repeats=2)
    times: dict[str, list[list[float]]] = {w.label: [] for w in workers}
    per_query: dict[str, dict[str, float]] = {w.label: {} for w in workers}
    turn = 0
    for q in queries:
        mine: dict[str, list[list[float]]] = {w.label: [] for w in workers}
        for _ in range(repeats):
            turn += 1
            for w in workers if turn % 2 else workers[::-1]:
                mine[w.label].extend(w.ask(op="time", query=q, repeats=1))
        for w in workers:
            times[w.label].extend(mine[w.label])
            per_query[w.label][q] = statistics.median(t[0] for t in mine[w.label]) * 1000
    return {label: {**summary(t), "per_query_ms": per_query[label], "searches": len(t)} for label, t in times.items()}


def instructions(label: str, code: Path, db: Path, docs: Path, queries: list[str], loops: int) -> dict[str, float]:
    """User-space instructions per search (callgrind): ours and the engine alone, each the
    difference between a process that searches ``loops`` more times and one that does not."""
    counts: dict[str, float] = {}
    out_dir = Path(tempfile.mkdtemp(prefix="callgrind-"))
    try:
        for what in ("ours", "alone"):
            totals = []
            for k, n in enumerate((1, 1 + loops)):
                out = out_dir / f"{label}-{what}-{k}.out"
                w = Worker(label, code, db, docs, wrap=[
                    "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-instr=no"])
                w.ask(op="loop", what=what, queries=queries, loops=n)
                w.close()
                totals.append(_callgrind_total(out))
            counts[what] = (totals[1] - totals[0]) / (loops * len(queries))
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return {"ours_per_search": counts["ours"], "engine_per_search": counts["alone"],
            "ratio": counts["ours"] / counts["alone"]}


def _callgrind_total(path: Path) -> int:
    for line in path.read_text().splitlines():
        if m := re.match(r"(?:summary|totals):\s+(\d+)", line):
            return int(m.group(1))
    raise RuntimeError(f"no totals in {path}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(*argv[1:4])
        return 0
    from bench import scale, synth

    parser = argparse.ArgumentParser(prog="python -m bench.search_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--repeats", type=int, default=20, help="searches per query and code version")
    parser.add_argument("--baseline", type=Path, help="a checkout of older code to compare with")
    parser.add_argument("--check", action="store_true", help="compare the answers of both versions")
    parser.add_argument("--instructions", type=int, nargs="?", const=5, default=0, metavar="LOOPS",
                        help="count instructions per search under callgrind (LOOPS rounds of the queries)")
    parser.add_argument("--eval-data", type=Path, default=scale.DEFAULT_EVAL_DATA)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    try:
        synth.inputs(args.eval_data)
    except synth.EvalDataMissing as err:
        print(f"skipped: {err}")
        return 0
    versions = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    report: dict[str, Any] = {"machine": scale.machine(), "repeats": args.repeats, "sizes": []}
    started = time.perf_counter()
    for n in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        docs, db = corpus_paths(n, args.eval_data)
        result: dict[str, Any] = {"documents": n, "reference_s": [scale.reference_loop()],
                                  "load_average": [list(os.getloadavg())]}
        workers = [Worker(label, code, db, docs) for label, code in versions]
        try:
            if args.check and len(workers) > 1:
                got = [w.ask(op="answers", queries=scale.QUERIES + CHECK_QUERIES) for w in workers]
                differing = [k for k in got[0] if got[0][k] != got[1].get(k)]
                result["answers_compared"] = len(got[0])
                result["answers_differing"] = differing
            result["latency"] = latencies(workers, scale.QUERIES, args.repeats)
        finally:
            for w in workers:
                w.close()
        if args.instructions:
            result["instructions"] = {
                label: instructions(label, code, db, docs, scale.QUERIES, args.instructions)
                for label, code in versions
            }
        result["reference_s"].append(scale.reference_loop())
        result["load_average"].append(list(os.getloadavg()))
        report["sizes"].append(result)
    report["elapsed_s"] = time.perf_counter() - started
    print(json.dumps(report, indent=2) if args.json else table(report))
    failed = any(r.get("answers_differing") for r in report["sizes"])
    return 1 if failed else 0


def _instructions(ins: dict[str, float] | None) -> str:
    return f"{ins['ours_per_search'] / 1e6:.2f} M ({ins['ratio']:.2f}×)" if ins else "–"


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, SQLite {m['sqlite']}, "
        f"tantivy {m['tantivy']}; {report['repeats']} searches per query and version, interleaved",
        "",
        "| documents | code | search p50 / p99 (ms) | engine alone p50 / p99 (ms) | ÷ engine p50 / p99 "
        "| CPU ÷ engine p50 / p99 | added per search, median (ms) | instructions per search (÷ engine) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["sizes"]:
        for label, s in r["latency"].items():
            ins = r.get("instructions", {}).get(label)
            lines.append(
                f"| {r['documents']:,} | {label} | {s['wall_p50_ms']:.2f} / {s['wall_p99_ms']:.2f} "
                f"| {s['wall_engine_p50_ms']:.2f} / {s['wall_engine_p99_ms']:.2f} "
                f"| {s['wall_p50_ratio']:.2f}× / {s['wall_p99_ratio']:.2f}× "
                f"| {s['cpu_p50_ratio']:.2f}× / {s['cpu_p99_ratio']:.2f}× | {s['wall_added_ms']:.3f} "
                f"| {_instructions(ins)} |"
            )
    lines.append("")
    for r in report["sizes"]:
        load = ", ".join(f"{a[0]:.1f}" for a in r["load_average"])
        ref = " / ".join(f"{x:.2f}" for x in r["reference_s"])
        line = f"{r['documents']:,} documents: load average {load} (start, end); reference loop {ref} s"
        if "answers_compared" in r:
            differing = r["answers_differing"]
            line += (f"; answers compared: {r['answers_compared']}, "
                     + ("all the same" if not differing else f"{len(differing)} differ, e.g. {differing[:3]}"))
        lines.append(line)
    lines.append(f"Whole run: {report['elapsed_s'] / 60:.1f} min; target at 100k: ≤ 1.5× p50, ≤ 2× p99.")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
