"""Topic retrieval with related words beside plain BM25, and leanings in the brief, on the AllSides crawl.

    .venv/bin/python -m bench.topic_retrieval            # ../shared/eval-data/neus-allsides/...crawl_dev.jsonl
    .venv/bin/python -m bench.topic_retrieval PATH --json

Every document of the crawl is ingested with its outlet (``source``) and its leaning (``stance``)
as metadata. For each AllSides topic with at least ``--min-documents`` documents, the topic name is
the query, and the share of that topic's documents among the top 50 retrieved (out of at most 50)
is measured for plain BM25 (any query word) and for the brief's retrieval with related words, on
the same index in the same run. Then a brief is built for each of those topics and every point is
checked for leanings on all its outlets. Target: related words retrieve at least 1.2x the share of
plain BM25; leanings shown for 100% of points. Skips cleanly (exit 0) when the file is absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval-data" / "neus-allsides" / "allsides_roundups_crawl_dev.jsonl"
TOP = 50


def load(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Texts with metadata by id, and each document's AllSides topic."""
    texts: dict[str, dict[str, str]] = {}
    topic_of: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            roundup = json.loads(line)
            for doc in roundup["documents"]:
                if not (doc.get("text") or "").strip():
                    continue
                key = doc["id"]
                texts[key] = {
                    "text": doc["text"], "title": doc.get("title") or "", "source": doc.get("source") or "",
                    "leaning": doc.get("stance") or "", "url": doc.get("url") or "",
                    "date": roundup.get("date") or "",
                }
                topic_of[key] = roundup["topic"]
    return texts, topic_of


def measure(path: Path, min_documents: int) -> dict[str, Any]:
    from briefing.corpus import Corpus
    from briefing.store.expand import expanded_documents

    began = time.perf_counter()
    texts, topic_of = load(path)
    corpus = Corpus.from_texts(texts)
    ids = {d.id: d for d in corpus.sources()}
    # ids are lower-cased file-safe keys: map them back to the crawl's topics
    topic_by_id = {doc_id: topic_of[key] for key in texts for doc_id in [key.lower()] if doc_id in ids}
    sizes = Counter(topic_by_id.values())
    topics = sorted(t for t, n in sizes.items() if n >= min_documents)
    rows = []
    for topic in topics:
        relevant = {d for d, t in topic_by_id.items() if t == topic}
        plain = [h.document.id for h in corpus.search_documents(topic, limit=TOP, any_term=True)]
        related = [h.document.id for h in expanded_documents(corpus.store, topic, limit=TOP)]
        best = min(TOP, len(relevant))
        rows.append({
            "topic": topic, "documents": len(relevant),
            "plain": len(relevant & set(plain)) / best, "related": len(relevant & set(related)) / best,
        })
    plain_mean = statistics.mean(r["plain"] for r in rows)
    related_mean = statistics.mean(r["related"] for r in rows)

    points = labelled = 0
    for topic in topics:
        brief = corpus.brief(topic, max_documents=TOP)
        for a in brief.agreements:
            points += 1
            labelled += bool(a.outlets) and all(o.leaning for o in a.outlets)
        for s in brief.single_source:
            points += 1
            labelled += bool(s.outlet and s.outlet.leaning)
        for d in brief.disputes:
            points += 1
            labelled += all(o.leaning for p in d.positions for o in p.outlets) and all(p.outlets for p in d.positions)
    by_leaning: dict[str, int] = defaultdict(int)
    for d in ids.values():
        by_leaning[d.leaning or "none"] += 1
    return {
        "documents": len(ids), "topics": len(topics), "min_documents": min_documents, "rows": rows,
        "plain_share": plain_mean, "related_share": related_mean, "ratio": related_mean / plain_mean,
        "points": points, "points_with_leanings": labelled, "leanings": dict(by_leaning),
        "elapsed_s": time.perf_counter() - began,
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"AllSides crawl: {report['documents']:,} documents, {report['topics']} topics with at least "
        f"{report['min_documents']} documents; share of each topic's documents in the top {TOP}",
        "",
        "| topic | documents | plain BM25 | with related words |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r['topic']} | {r['documents']} | {r['plain']:.2f} | {r['related']:.2f} |" for r in report["rows"]]
    lines += [
        f"| **mean** | | **{report['plain_share']:.3f}** | **{report['related_share']:.3f}** |",
        "",
        f"related words / plain BM25: {report['ratio']:.2f}x (target at least 1.2x)",
        f"points with leanings on every outlet: {report['points_with_leanings']} of {report['points']} "
        f"({100 * report['points_with_leanings'] / max(report['points'], 1):.0f}%; target 100%)",
        f"({report['elapsed_s']:.0f} s)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--min-documents", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"skipped: no crawl at {args.path}; pass the path of allsides_roundups_crawl_dev.jsonl")
        return 0
    report = measure(args.path, args.min_documents)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
