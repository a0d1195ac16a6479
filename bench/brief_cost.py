"""What a 50-document brief costs now, beside another checkout of the code, in one run.

Both codes brief the same 50 real news articles (the first DUC 2003 documents under
``../shared/eval-data``) in separate processes, alternating, several rounds; each process builds
its in-memory corpus, briefs once to warm its caches, then takes the least CPU time of three
briefs. The ratio of the medians over the rounds is printed.

    git worktree add /tmp/before 94c94ab
    python -m bench.brief_cost --baseline /tmp/before [--rounds 7] [--documents 50]

Without the data the command says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

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


def cpu_seconds(code: Path, data: Path, documents: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(code), str(data), str(documents)],
        capture_output=True, text=True, check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare with")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval-data")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
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
