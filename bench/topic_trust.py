"""How far a topic brief over many documents can be trusted: its agreements and disputes, judged by hand.

A journalist asks for the coverage of a subject across weeks of news, not for one event. This
command builds one corpus of every article of the AllSides roundup crawl (dev half; each article
with its outlet and its roundup's date), briefs ``TOPICS`` over the 100 most relevant articles
each, and prints the share of agreements that state one claim and of disputes that are real,
against hand labels made with the rubrics of docs/trust.md and kept by topic and citation ids in
``bench/gold/topics-*.jsonl`` (never the text).

    python -m bench.topic_trust               # the table
    python -m bench.topic_trust --undated     # the same articles without their dates
    python -m bench.topic_trust --unlabelled  # ... and the agreements nobody has labelled yet

Label lines: ``{"cluster": TOPIC, "item": "A|cit+cit", "label": "SAME|PARTIAL|DIFFERENT", "framing": bool}``
and ``{"cluster": TOPIC, "item": "D|kind|cit vs cit", "label": "REAL|MISTYPED|FALSE", "useful": bool}``.
Without the data the command says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.trust import CRAWL, GOLD, data_root, items_of, load_gold_files

TOPICS = (
    "Afghanistan withdrawal", "vaccine mandate", "Texas abortion law", "debt ceiling", "infrastructure bill",
    "border crisis", "Supreme Court", "inflation", "Facebook whistleblower", "January 6 committee",
)
MAX_DOCUMENTS = 100


def crawl_documents(root: Path, dated: bool = True) -> dict[str, dict[str, str]]:
    """Every non-empty article of the crawl by ``{roundup}-{n}``, with its title, outlet and date."""
    docs: dict[str, dict[str, str]] = {}
    for line in (root / CRAWL).open(encoding="utf-8"):
        row = json.loads(line)
        for n, doc in enumerate(row["documents"]):
            if str(doc.get("text") or "").strip():
                docs[f"{row['cluster_id']}-{n}"] = {
                    "text": doc["text"], "title": doc.get("title") or "", "source": doc.get("source") or "",
                    "date": str(row.get("date") or "")[:10] if dated else "",
                }
    return docs


def items(root: Path, dated: bool = True) -> dict[str, list[str]]:
    """Each topic's agreements (``A|cit+cit``) and disputes (``D|kind|cit+cit vs cit``)."""
    from briefing import Corpus

    corpus = Corpus.from_texts(crawl_documents(root, dated))
    found: dict[str, list[str]] = {}
    try:
        for topic in TOPICS:
            brief = corpus.brief(topic, max_documents=MAX_DOCUMENTS, detail="full")
            keys = [item.key for item in items_of(brief)]
            found[topic] = keys
    finally:
        corpus.close()
    return found


def load_labels(folder: Path = GOLD) -> dict[tuple[str, str], str]:
    gold = load_gold_files(sorted(folder.glob("topics-*.jsonl")))
    return {key: row["label"] for key, row in gold.labels.items()}


def evaluate(found: dict[str, list[str]], labels: dict[tuple[str, str], str]) -> dict[str, Any]:
    per_topic: dict[str, Counter[str]] = {}
    disputes: Counter[str] = Counter()
    unlabelled: list[tuple[str, str]] = []
    for topic, keys in found.items():
        counts = per_topic.setdefault(topic, Counter())
        for key in keys:
            label = labels.get((topic, key))
            if label is None:
                unlabelled.append((topic, key))
            elif key.startswith("A|"):
                counts[label] += 1
            else:
                disputes[label] += 1
                disputes[f"{key.split('|')[1]}:{label}"] += 1
    total: Counter[str] = sum(per_topic.values(), Counter())
    n = sum(total.values())
    n_disputes = disputes["REAL"] + disputes["MISTYPED"] + disputes["FALSE"]
    return {
        "agreements": n, "same": total["SAME"], "partial": total["PARTIAL"], "different": total["DIFFERENT"],
        "precision": total["SAME"] / n if n else None,
        "disputes": n_disputes, "disputes_real": disputes["REAL"],
        "dispute_precision": disputes["REAL"] / n_disputes if n_disputes else None,
        "dispute_labels": dict(disputes),
        "per_topic": {t: dict(c) for t, c in per_topic.items()}, "unlabelled": unlabelled,
    }


def table(report: dict[str, Any]) -> str:
    lines = ["| topic | agreements labelled | state one claim |", "|---|---:|---:|"]
    for topic, c in report["per_topic"].items():
        n = sum(c.values())
        lines.append(f"| {topic} | {n} | {100 * c.get('SAME', 0) / n:.0f}% |" if n else f"| {topic} | 0 | — |")
    p = report["precision"]
    lines.append(f"| **all** | {report['agreements']} | **{100 * p:.0f}%** |" if p is not None else "| **all** | 0 | — |")
    q = report["dispute_precision"]
    lines.append(f"\nPARTIAL {report['partial']}, DIFFERENT {report['different']}; disputes: {report['disputes']}, "
                 f"real {report['disputes_real']}" + (f" ({100 * q:.0f}%)" if q is not None else "")
                 + f"; unlabelled: {len(report['unlabelled'])}")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.topic_trust", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="eval-data folder (default ../shared/eval-data)")
    parser.add_argument("--undated", action="store_true", help="brief the articles without their dates")
    parser.add_argument("--unlabelled", action="store_true", help="list the agreements still to label")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = data_root(args.data)
    if not (root / CRAWL).exists():
        print(f"no AllSides crawl under {root}; pass --data PATH to the eval-data folder")
        return 0
    report = evaluate(items(root, dated=not args.undated), load_labels())
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(table(report))
    if args.unlabelled:
        for topic, item in report["unlabelled"]:
            print(f"  {topic}  {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
