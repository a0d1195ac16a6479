"""Ingest alone, both shapes, one core and two, beside older code in the same run.

    python -m bench.ingest                                   # 5,000 documents, 2 rounds
    python -m bench.ingest --baseline CHECKOUT --rounds 3    # and the code in CHECKOUT, interleaved
    python -m bench.ingest --documents 1000 --json

The corpus is the scale benchmark's (``bench/synth.py``, cached under ``bench/_cache/``): the
same articles as JSONL shards of 100 documents and as a folder of one ``.txt`` file each. Each
ingest is a fresh database in its own process (``bench.ingest_job``): one core (the process and
its threads pinned to one CPU) and two worker processes, for each shape and each code, the
codes alternating within every round so that a load that comes and goes weighs on both.

Printed per code, shape and mode: MB/s (MB of article text for the shards, of files for the
folder), CPU seconds per MB (the ingest process, its threads and its worker processes), and the
cores busy (CPU seconds over wall seconds): medians over the rounds. With a baseline, the ratio
of this code's figure to the baseline's. The load average and a fixed pure-Python loop, timed at
the start and the end, say how busy and how fast the shared machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.scale import CACHE, DEFAULT_EVAL_DATA, ROOT, ingest, reference_loop

TARGETS = {1: 2.5, 2: 5.0}  # MB/s on one core, on two


def run(documents: int, rounds: int, baseline: Path | None, eval_data: Path) -> dict[str, Any]:
    built = synth.build(documents, eval_data, CACHE)
    files = synth.folder(built)
    shapes = {"folder": (files.path, files.bytes / 1e6), "shards": (built.path, built.bytes / 1e6)}
    codes = {"now": ROOT, **({"before": baseline.resolve()} if baseline else {})}
    runs: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    report: dict[str, Any] = {
        "documents": documents, "rounds": rounds, "mb": {k: mb for k, (_, mb) in shapes.items()},
        "load_average_start": [round(x, 2) for x in os.getloadavg()], "reference_s": [reference_loop()],
    }
    db = CACHE / f"ingest-{documents}" / "corpus.sqlite3"
    for r in range(rounds):
        order = list(codes.items()) if r % 2 == 0 else list(reversed(codes.items()))
        for shape, (path, _) in shapes.items():
            for workers in (1, 2):
                for code, root in order:
                    result = ingest(path, db, workers, pin=workers == 1, root=root)
                    runs.setdefault((code, shape, workers), []).append(result)
                    print(f"round {r + 1}: {code} {shape} workers={workers}: {result['wall_s']:.1f} s", file=sys.stderr)
    report["reference_s"].append(reference_loop())
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    report["results"] = []
    for (code, shape, workers), done in runs.items():
        mb = shapes[shape][1]
        wall = statistics.median(x["wall_s"] for x in done)
        cpu = statistics.median(x["cpu_self_s"] + x["cpu_children_s"] for x in done)
        report["results"].append({
            "code": code, "shape": shape, "workers": workers, "mb_s": mb / wall, "cpu_s_per_mb": cpu / mb,
            "cores_busy": statistics.median((x["cpu_self_s"] + x["cpu_children_s"]) / x["wall_s"] for x in done),
            "wall_s": wall, "documents": done[-1]["documents"], "sentences": done[-1]["sentences"],
            "pinned": all(x.get("pinned") for x in done) if workers == 1 else False,
        })
    return report


def table(report: dict[str, Any]) -> str:
    found = {(x["code"], x["shape"], x["workers"]): x for x in report["results"]}
    baseline = any(code == "before" for code, _, _ in found)
    lines = [
        f"{report['documents']:,} documents: folder {report['mb']['folder']:.1f} MB of .txt files, shards "
        f"{report['mb']['shards']:.1f} MB of article text; {report['rounds']} rounds, medians; load average "
        f"{report['load_average_start']} at start, {report['load_average_end']} at end; reference loop "
        + " / ".join(f"{x:.2f}" for x in report["reference_s"]) + " s (0.11 s on a quiet machine)",
        "",
        "| shape, cores | MB/s | CPU-s per MB | cores busy | target |" + (" before: MB/s | CPU-s per MB | cores busy | MB/s now ÷ before | CPU now ÷ before |" if baseline else ""),
        "|---|---:|---:|---:|---|" + ("---:|---:|---:|---:|---:|" if baseline else ""),
    ]
    for shape in ("folder", "shards"):
        for workers in (1, 2):
            now = found.get(("now", shape, workers))
            if now is None:
                continue
            label = f"{shape}, {'one core (pinned)' if workers == 1 else 'two workers'}"
            row = (f"| {label} | {now['mb_s']:.2f} | {now['cpu_s_per_mb']:.3f} | {now['cores_busy']:.2f} | "
                   f"≥ {TARGETS[workers]} MB/s |")
            before = found.get(("before", shape, workers))
            if before:
                row += (f" {before['mb_s']:.2f} | {before['cpu_s_per_mb']:.3f} | {before['cores_busy']:.2f} | "
                        f"{now['mb_s'] / before['mb_s']:.2f}× | {now['cpu_s_per_mb'] / before['cpu_s_per_mb']:.2f}× |")
            lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="a checkout of older code to measure beside this one")
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    try:
        synth.inputs(args.eval_data)
    except synth.EvalDataMissing as err:
        print(f"skipped: {err}")
        return 0
    started = time.perf_counter()
    report = run(args.documents, args.rounds, args.baseline, args.eval_data)
    report["elapsed_s"] = time.perf_counter() - started
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
