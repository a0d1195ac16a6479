"""Speed of the default summariser against sumy's LexRank (and the other methods) on one large cluster.

The cluster is built from DUC 2003 task 2: the first 25 documents of the file that hold at least
16 sentences each (about 800 sentences in all, several topics mixed, as a corpus would be).
Every method summarises the same units to 100 words; the stemmer's cache is cleared before every
run so no method profits from another's warm-up. Prints each method's median time over the
repeats and its ratio to the default.

    .venv/bin/python -m bench.summarizers [--data PATH] [--repeats N] [--methods default,lexrank]

Skips (exit code 0) when the evaluation data is not there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval-data" / "duc2003-task2" / "duc2003_task2.jsonl"
DOCUMENTS = 25
MIN_SENTENCES = 16


def build_cluster(path: Path) -> list[dict[str, str]]:
    from briefing.summarize.pipeline import text_units

    chosen: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for doc in json.loads(line)["documents"]:
                if len(text_units([doc])) >= MIN_SENTENCES:
                    chosen.append(doc)
                if len(chosen) == DOCUMENTS:
                    return chosen
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=5, help="runs per method (the slow ones run 3 times)")
    parser.add_argument("--methods", default="default,lead,lexrank,textrank,kl", help="comma-separated")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: no evaluation data at {args.data}")
        return 0

    from briefing.summarize import registry
    from briefing.summarize.pipeline import text_units
    from briefing.summarize.units import Budget
    from briefing.text.tokens import stem

    units = text_units(build_cluster(args.data))
    budget = Budget(words=100)
    print(f"cluster: {len({u.doc_id for u in units})} documents, {len(units)} sentences; budget 100 words")
    methods = [registry.check_method(m) for m in args.methods.split(",") if m.strip()]
    medians: dict[str, float] = {}
    for method in methods:
        summarizer = registry.get(method)
        summarizer(units[:5], budget, None)  # imports and first-call set-up are not timed
        times = []
        for _ in range(args.repeats if method in ("default", "lead") else min(args.repeats, 3)):
            stem.cache_clear()
            started = time.perf_counter()
            summarizer(units, budget, None)
            times.append(time.perf_counter() - started)
        medians[method] = statistics.median(times)
    base = medians.get("default")
    print(f"{'method':10} {'median s':>10} {'× default':>10}")
    for method, seconds in medians.items():
        ratio = f"{seconds / base:10.1f}" if base else f"{'-':>10}"
        print(f"{method:10} {seconds:10.4f} {ratio}")
    if base and "lexrank" in medians:
        print(f"default is {medians['lexrank'] / base:.0f}x faster than sumy LexRank")
    return 0


if __name__ == "__main__":
    sys.exit(main())
