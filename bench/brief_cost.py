"""What a brief costs now, beside another checkout of the code, in one run.

Both codes brief the same 50 real news articles (the first DUC 2003 documents under
``../shared/eval-data``) in separate processes, alternating, several rounds; each process builds
its in-memory corpus, briefs once to warm its caches, then takes the least CPU time of three
briefs. The ratio of the medians over the rounds is printed.

    git worktree add /tmp/before 94c94ab
    python -m bench.brief_cost --baseline /tmp/before [--rounds 7] [--documents 50]

``--sizes 50,100,200,500`` measures how the cost grows instead: a brief over the first N
documents of the scale benchmark's synthetic corpus (``bench/synth.py``: news-like articles of
about 25 sentences, a few big stories and a long tail, each story's documents dated within one
week; ``--dates spread`` dates each document anywhere in six years instead, so that the brief's
date window keeps few pairs; built from eval-data at run time), every
sentence read (no ``BRIEFING_BRIEF_MAX_SENTENCES`` cap) and no time budget. Each size runs in a
fresh process per code, the two codes alternating, sizes interleaved within each round; a process
builds its corpus, briefs five other documents (lexicons, models and imports loaded), then times
one brief of the N documents, whose sentences none of its caches has seen: CPU and wall seconds,
and the process's peak resident memory. Printed: medians over the rounds, the ratio, and the
log-log slope of time against sentences read between the smallest and the largest size. A run
of the previous code that fails or takes longer than ``--timeout`` is shown as such.

    python -m bench.brief_cost --baseline /tmp/before --sizes 50,100,200,500 [--rounds 3]

Without the data the command says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DUC = "duc2003-task2/duc2003_task2.jsonl"

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from briefing import Corpus
docs = {}
for line in open(sys.argv[2], encoding="utf-8"):
    for d in json.loads(line)["documents"]:
        if len(docs) < int(sys.argv[3]):
            docs[f"d{len(docs):03d}"] = {"text": d["text"]}
corpus = Corpus.from_texts(docs)
corpus.brief()
times = []
for _ in range(3):
    start = time.process_time()
    corpus.brief()
    times.append(time.process_time() - start)
print(min(times))
"""


_SIZED = """
import json, os, resource, sys, time
os.environ["BRIEFING_BRIEF_MAX_SENTENCES"] = "10000000"
os.environ["BRIEFING_BRIEF_SECONDS"] = "100000"
sys.path.insert(0, sys.argv[1])
from briefing import Corpus
n = int(sys.argv[3])
docs = {}
for shard in sorted(os.listdir(sys.argv[2])):
    for line in open(os.path.join(sys.argv[2], shard), encoding="utf-8"):
        d = json.loads(line)
        if len(docs) < n + 5:
            docs[d["id"]] = {"text": d["text"], "title": d["title"], "source": d["source"], "date": d["date"]}
corpus = Corpus.from_texts(docs)
ids = list(docs)
corpus.brief(sources=ids[n:])
chosen = ids[:n]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
wall, cpu = time.perf_counter(), time.process_time()
corpus.brief(sources=chosen, max_documents=n)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"cpu_s": cpu, "wall_s": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "before_mb": rss, "sentences": sum(d.sentences for d in corpus.store.documents(chosen))}))
"""


def sized_run(code: Path, shards: Path, documents: int, timeout: float) -> dict[str, float] | None:
    """One brief over ``documents`` synthetic documents in a fresh process (``None``: it failed
    or ran out of time)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SIZED, str(code), str(shards), str(documents)],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median(runs: list[dict[str, float] | None], key: str) -> float | None:
    values = [r[key] for r in runs if r is not None]
    return statistics.median(values) if values and len(values) == len(runs) else None


def scaling(
    baseline: Path | None, eval_data: Path, sizes: list[int], rounds: int, timeout: float, dates: str = "week"
) -> dict[str, Any]:
    """Brief cost over ``sizes`` documents, now and (``baseline``) before, interleaved."""
    from bench import synth
    from bench.scale import CACHE

    built = synth.build(max(2000, max(sizes) + 5), eval_data, CACHE, "spread" if dates == "spread" else "week")
    codes = {"now": ROOT, **({"before": baseline} if baseline else {})}
    runs: dict[str, dict[int, list[dict[str, float] | None]]] = {c: {n: [] for n in sizes} for c in codes}
    load = [round(x, 1) for x in os.getloadavg()]
    for _ in range(rounds):
        for n in sizes:
            for name, code in sorted(codes.items()):
                if name == "before" and runs[name][n] and runs[name][n][-1] is None:
                    runs[name][n].append(None)  # it failed once: not again
                    continue
                runs[name][n].append(sized_run(code, built.path, n, timeout))
    rows = []
    for n in sizes:
        row: dict[str, Any] = {"documents": n}
        for name in codes:
            row[name] = {k: _median(runs[name][n], k) for k in ("cpu_s", "wall_s", "peak_mb", "sentences")}
        rows.append(row)
    out: dict[str, Any] = {"sizes": rows, "rounds": rounds, "dates": dates, "load_start": load,
                           "load_end": [round(x, 1) for x in os.getloadavg()]}
    for name in codes:
        first, last = rows[0][name], rows[-1][name]
        if first["cpu_s"] and last["cpu_s"] and first["sentences"] and last["sentences"] and len(rows) > 1:
            out[f"slope_{name}"] = round(
                math.log(last["cpu_s"] / first["cpu_s"]) / math.log(last["sentences"] / first["sentences"]), 2)
    return out


def scaling_table(report: dict[str, Any]) -> str:
    def cell(r: dict[str, Any] | None, key: str, fmt: str) -> str:
        return "did not finish" if not r or r.get(key) is None else format(r[key], fmt)

    has_before = "before" in report["sizes"][0]
    lines = [
        f"Brief over N documents, every sentence read ({report['dates']} dates; medians of {report['rounds']} rounds; "
        f"load average {report['load_start']} at start, {report['load_end']} at end)",
        "",
        "| documents | sentences | CPU s now | wall s now | peak MB now |"
        + (" CPU s before | peak MB before | now ÷ before |" if has_before else ""),
        "|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if has_before else ""),
    ]
    for row in report["sizes"]:
        now, before = row["now"], row.get("before")
        line = (f"| {row['documents']} | {cell(now, 'sentences', ',.0f')} | {cell(now, 'cpu_s', '.2f')} | "
                f"{cell(now, 'wall_s', '.2f')} | {cell(now, 'peak_mb', '.0f')} |")
        if has_before:
            ratio = (f"{now['cpu_s'] / before['cpu_s']:.2f}" if before and before.get("cpu_s") and now.get("cpu_s")
                     else "")
            line += f" {cell(before, 'cpu_s', '.2f')} | {cell(before, 'peak_mb', '.0f')} | {ratio} |"
        lines.append(line)
    slopes = [f"{name} {report[f'slope_{name}']}" for name in ("now", "before") if f"slope_{name}" in report]
    if slopes:
        lines += ["", "log-log slope of CPU seconds against sentences read, smallest to largest size: " + ", ".join(slopes)]
    return "\n".join(lines)


def cpu_seconds(code: Path, data: Path, documents: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(code), str(data), str(documents)],
        capture_output=True, text=True, check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval-data")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--sizes", help="comma-separated document counts: how the cost grows (synthetic corpus)")
    parser.add_argument("--dates", choices=["week", "spread"], default="week",
                        help="--sizes: a story's documents dated within one week (the default), or spread over years")
    parser.add_argument("--timeout", type=float, default=600.0, help="--sizes: seconds one run may take")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.sizes:
        from bench import synth

        try:
            report = scaling(args.baseline, args.data, [int(x) for x in args.sizes.split(",")], args.rounds,
                             args.timeout, args.dates)
        except synth.EvalDataMissing as err:
            print(f"skipped: {err}")
            return 0
        print(json.dumps(report, indent=2) if args.json else scaling_table(report))
        return 0
    if args.baseline is None:
        parser.error("--baseline is needed to compare a brief of --documents with another checkout")
    data = args.data / DUC
    if not data.exists():
        print(f"no DUC 2003 data at {data}; pass --data PATH to the eval-data folder")
        return 0
    now, before = [], []
    for _ in range(args.rounds):
        before.append(cpu_seconds(args.baseline, data, args.documents))
        now.append(cpu_seconds(ROOT, data, args.documents))
    report = {
        "documents": args.documents, "rounds": args.rounds,
        "baseline_s": round(statistics.median(before), 3), "now_s": round(statistics.median(now), 3),
        "ratio": round(statistics.median(now) / statistics.median(before), 2),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{args.documents}-document brief, CPU seconds (median of {args.rounds} rounds): "
              f"baseline {report['baseline_s']}, now {report['now_s']}, ratio {report['ratio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
