"""Does the brief group the same sentences as another checkout of the code? Groups and whole briefs compared.

The brief no longer scores every pair of sentences: its same-point candidates come from an
index over stems and its centrality from running sums (``briefing/align/candidates.py``,
``features.Similarity``). This command briefs the bench topics with both codes, each in its own
process, and compares, brief by brief, the groups of sentences the star grouping formed (each
group's centre and members, by citation) and the brief's JSON:

* the scale benchmark's six topics over a 2,000-document synthetic corpus (``bench/synth.py``,
  built from eval-data at run time), 50 and 200 documents each;
* the first 50, 100, 200 and 500 documents of that corpus, no topic.

Every sentence is read (no ``BRIEFING_BRIEF_MAX_SENTENCES`` cap) and there is no time budget.

    git -C /work/main worktree add /tmp/before main
    python -m bench.alignment_agreement --baseline /tmp/before

Without the eval-data the command says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import hashlib, json, os, sys
os.environ["BRIEFING_BRIEF_MAX_SENTENCES"] = "10000000"
os.environ["BRIEFING_BRIEF_SECONDS"] = "100000"
sys.path.insert(0, sys.argv[1])
import briefing.brief as brief_module
from briefing import Corpus
spec = json.loads(sys.argv[3])
docs = {}
for shard in sorted(os.listdir(sys.argv[2])):
    for line in open(os.path.join(sys.argv[2], shard), encoding="utf-8"):
        d = json.loads(line)
        docs[d["id"]] = {"text": d["text"], "title": d["title"], "source": d["source"], "date": d["date"]}
corpus = Corpus.from_texts(docs)
ids = list(docs)
seen = {}
group_points = brief_module.group_points
def recording(units, *args, **kwargs):
    groups = group_points(units, *args, **kwargs)
    seen["groups"] = sorted([units[g.centre].citation] + sorted(units[m].citation for m in g.members[1:]) for g in groups)
    return groups
brief_module.group_points = recording
out = {}
for name, topic, n in spec:
    if topic:
        b = corpus.brief(topic, max_documents=n)
    else:
        b = corpus.brief(sources=ids[:n], max_documents=n)
    out[name] = {"groups": seen["groups"], "brief": hashlib.sha256(b.model_dump_json().encode()).hexdigest(),
                 "sentences": sum(d.sentences for d in corpus.store.documents(b.sources))}
print(json.dumps(out))
"""


def cases() -> list[tuple[str, str | None, int]]:
    from bench.scale import NEW_TOPICS, TOPIC

    out: list[tuple[str, str | None, int]] = []
    for topic in (TOPIC, *NEW_TOPICS):
        for n in (50, 200):
            out.append((f"{topic!r}, {n} documents", topic, n))
    for n in (50, 100, 200, 500):
        out.append((f"first {n} documents", None, n))
    return out


def run(code: Path, shards: Path, spec: list[tuple[str, str | None, int]]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(code), str(shards), json.dumps(spec)],
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    from bench import synth
    from bench.scale import CACHE, DEFAULT_EVAL_DATA

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare with")
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        built = synth.build(2000, args.eval_data, CACHE)
    except synth.EvalDataMissing as err:
        print(f"skipped: {err}")
        return 0
    spec = cases()
    before, now = run(args.baseline, built.path, spec), run(ROOT, built.path, spec)
    rows = []
    for name, _, _ in spec:
        b, n = before[name], now[name]
        same = sum(g in b["groups"] for g in n["groups"])
        rows.append({
            "case": name, "sentences": n["sentences"], "groups_before": len(b["groups"]), "groups_now": len(n["groups"]),
            "groups_identical": same, "brief_identical": b["brief"] == n["brief"],
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| briefed | sentences | groups before / now | identical groups | brief JSON identical |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        share = r["groups_identical"] / max(r["groups_before"], r["groups_now"], 1)
        print(f"| {r['case']} | {r['sentences']:,} | {r['groups_before']} / {r['groups_now']} | "
              f"{r['groups_identical']} ({share:.0%}) | {'yes' if r['brief_identical'] else 'no'} |")
    total_same = sum(r["groups_identical"] for r in rows)
    total = sum(max(r["groups_before"], r["groups_now"]) for r in rows)
    print(f"\nall: {total_same} of {total} groups identical ({total_same / max(total, 1):.1%}); "
          f"{sum(r['brief_identical'] for r in rows)} of {len(rows)} briefs byte-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
