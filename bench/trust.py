"""How far a journalist can trust the brief: its agreements and disputes, judged by hand on real news.

The gold set lives in ``bench/gold/*.jsonl``: labels made with the two rubrics of docs/evaluation.md
on briefs of NeuS/AllSides val clusters and AllSides roundups (dev data only), kept by cluster id
and citation ids, never the text. This command re-runs the brief on every gold cluster and prints
precision per kind, recall against the differences found by reading the clusters, and the items
the current brief makes that nobody has labelled yet.

    python -m bench.trust                     # the table
    python -m bench.trust --unlabelled        # ... and every item still to label
    python -m bench.trust dump FILE           # clusters, sentences and items as JSON, for labelling

Label lines (one JSON object a line, any file in bench/gold/):

    {"cluster": C, "item": "A|doc0:1+doc2:3", "label": "SAME|PARTIAL|DIFFERENT", "framing": bool}
    {"cluster": C, "item": "D|factual|doc0:1 vs doc2:3", "label": "REAL|MISTYPED|FALSE", "useful": bool}
    {"cluster": C, "difference": {"kind": "factual|framing|stance", "sides": [[cit, ...], [cit, ...]]}}
    {"cluster": C, "read": true}              # every real difference of C is listed

The data is read from ``../shared/eval-data`` (or ``--data``); without it the command says so and
exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLD = Path(__file__).parent / "gold"
VAL = "neus-allsides/neus_allsides_val.jsonl"
CRAWL = "neus-allsides/allsides_roundups_crawl_dev.jsonl"
N_VAL, N_CRAWL = 80, 40
NAMED_CRAWL = ("allsides-5668", "allsides-5615", "allsides-5645")  # the roundups the trust review names


@dataclass(frozen=True)
class Cluster:
    id: str
    documents: dict[str, dict[str, str]]  # short id → text, title, source
    notes: tuple[str, ...] = ()


@dataclass
class Item:
    key: str
    type: str  # "agreement" | "dispute"
    kind: str  # "agreement" or the dispute's kind
    sides: list[list[str]]  # citations: one list for an agreement, one per position for a dispute
    framing: list[list[str]] = field(default_factory=list)  # an agreement's framing sides, if any


def data_root(path: Path | None) -> Path:
    if path is not None:
        return path
    env = os.environ.get("BRIEFING_EVAL_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data"


def _short_id(doc: dict[str, Any], cluster_id: str, taken: set[str]) -> str:
    raw = str(doc.get("stance") or doc["id"].rsplit("-", 1)[-1])
    short, k = raw, 2
    while short in taken:
        short, k = f"{raw}{k}", k + 1
    taken.add(short)
    return short


def _cluster(row: dict[str, Any]) -> Cluster:
    docs: dict[str, dict[str, str]] = {}
    taken: set[str] = set()
    for doc in row["documents"]:
        if not str(doc.get("text") or "").strip():
            continue
        docs[_short_id(doc, row["cluster_id"], taken)] = {
            "text": doc["text"], "title": doc.get("title") or "", "source": doc.get("source") or "",
        }
    notes = tuple(row.get("cross_source_coverage_notes") or ())
    return Cluster(row["cluster_id"], docs, notes)


def load_clusters(root: Path) -> list[Cluster]:
    """The gold clusters: the first 80 val clusters and 40 roundups (the three named ones first)."""
    val = [_cluster(json.loads(line)) for line in (root / VAL).open(encoding="utf-8")]
    crawl = [_cluster(json.loads(line)) for line in (root / CRAWL).open(encoding="utf-8")]
    val = [c for c in val if len(c.documents) >= 2][:N_VAL]
    named = [c for c in crawl if c.id in NAMED_CRAWL]
    rest = [c for c in crawl if c.id not in NAMED_CRAWL and len(c.documents) >= 2]
    return val + (named + rest)[:N_CRAWL]


def brief_of(cluster: Cluster) -> Any:
    from briefing import Corpus

    corpus = Corpus.from_texts(cluster.documents)
    try:
        return corpus.brief(detail="full")
    finally:
        corpus.close()


def items_of(brief: Any) -> list[Item]:
    items = []
    for a in brief.agreements:
        cites = sorted(q.citation for q in a.quotes)
        framing = [sorted(q.citation for q in side.quotes) for side in getattr(a, "framing", None) or []]
        items.append(Item("A|" + "+".join(cites), "agreement", "agreement", [cites], framing))
    for d in brief.disputes:
        sides = [sorted(q.citation for q in p.quotes) for p in d.positions]
        key = f"D|{d.kind}|" + " vs ".join("+".join(s) for s in sorted(sides))
        items.append(Item(key, "dispute", d.kind, sides))
    return items


# --- labels ----------------------------------------------------------------------------------------


@dataclass
class Gold:
    labels: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    differences: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)


def load_gold(folder: Path = GOLD) -> Gold:
    return load_gold_files(sorted(folder.glob("labels-*.jsonl")))  # topics-*: bench.topic_trust


def load_gold_files(paths: Iterable[Path]) -> Gold:
    gold = Gold()
    for path in paths:
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc}); fix the line") from exc
            cluster = row["cluster"]
            if "item" in row:
                gold.labels[(cluster, row["item"])] = row
            elif "difference" in row:
                gold.differences.setdefault(cluster, []).append(row["difference"])
            elif row.get("read"):
                gold.read.add(cluster)
    return gold


def _agreement_label(gold: Gold, cluster: str, item: Item) -> dict[str, Any] | None:
    """The label of this agreement, or of one it is part of: quotes of one claim stay one claim."""
    exact = gold.labels.get((cluster, item.key))
    if exact is not None:
        return exact
    mine = set(item.sides[0])
    for (c, key), row in gold.labels.items():
        if c == cluster and key.startswith("A|") and row.get("label") == "SAME" and mine <= set(key[2:].split("+")):
            return {**row, "inferred": True, "framing": None}
    return None


def _dispute_label(gold: Gold, cluster: str, item: Item) -> dict[str, Any] | None:
    """The label of this dispute, or of one of the same kind whose positions each hold this one's:
    dropping quotes from both sides keeps a real difference real and a false one false."""
    exact = gold.labels.get((cluster, item.key))
    if exact is not None:
        return exact
    prefix = f"D|{item.kind}|"
    mine = sorted((set(s) for s in item.sides), key=lambda s: sorted(s))
    for (c, key), row in gold.labels.items():
        if c != cluster or not key.startswith(prefix) or row.get("label") not in ("REAL", "FALSE"):
            continue
        theirs = [set(side.split("+")) for side in key[len(prefix):].split(" vs ")]
        if len(theirs) == len(mine) and all(any(m <= t for t in theirs) for m in mine) and \
                len({next(k for k, t in enumerate(theirs) if m <= t) for m in mine}) == len(mine):
            return {**row, "inferred": True}
    return None


# --- scoring ---------------------------------------------------------------------------------------


def _found(difference: dict[str, Any], items: Sequence[Item]) -> Item | None:
    """A brief item that shows this difference: positions holding both sides, or an agreement's
    framing note holding both."""
    a, b = (set(s) for s in difference["sides"][:2])
    for item in items:
        sides = item.sides if item.type == "dispute" else item.framing
        if any(set(s) & a for s in sides) and any(set(s) & b for s in sides):
            hit_a = {i for i, s in enumerate(sides) if set(s) & a}
            hit_b = {i for i, s in enumerate(sides) if set(s) & b}
            if hit_a != hit_b or len(hit_a) > 1:
                return item
    return None


def evaluate(clusters: Sequence[Cluster], gold: Gold) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    unlabelled: list[tuple[str, Item]] = []
    per_kind: dict[str, Counter[str]] = {}
    for cluster in clusters:
        try:
            items = items_of(brief_of(cluster))
        except Exception as exc:  # a cluster too small to brief has no items
            if type(exc).__name__ != "NothingToSummarize":
                raise
            items = []
        for item in items:
            if item.type == "agreement":
                label = _agreement_label(gold, cluster.id, item)
                if label is None:
                    unlabelled.append((cluster.id, item))
                    continue
                counts["agreements"] += 1
                counts[f"agreement_{label['label']}"] += 1
                part = "val" if cluster.id.startswith("neus-val") else "crawl"
                counts[f"agreements_{part}"] += 1
                counts[f"agreement_SAME_{part}"] += label["label"] == "SAME"
                if item.framing:
                    counts["framing_shown"] += 1
                    counts["framing_shown_true"] += bool(label.get("framing"))
                elif label.get("framing"):
                    counts["framing_missed"] += 1
            else:
                label = _dispute_label(gold, cluster.id, item)
                if label is None:
                    unlabelled.append((cluster.id, item))
                    continue
                k = per_kind.setdefault(item.kind, Counter())
                k["n"] += 1
                k[label["label"]] += 1
                k["useful"] += bool(label.get("useful"))
        if cluster.id in gold.read:
            for diff in gold.differences.get(cluster.id, []):
                counts["differences"] += 1
                counts[f"differences_{diff['kind']}"] += 1
                hit = _found(diff, items)
                if hit is not None:
                    counts["differences_found"] += 1
                    counts[f"differences_found_{diff['kind']}"] += 1
    disputes = sum(k["n"] for k in per_kind.values())
    real = sum(k["REAL"] for k in per_kind.values())
    return {
        "clusters": len(clusters),
        "clusters_read": sum(c.id in gold.read for c in clusters),
        "agreements": counts["agreements"],
        "agreement_precision": _share(counts["agreement_SAME"], counts["agreements"]),
        "agreement_precision_val": _share(counts["agreement_SAME_val"], counts["agreements_val"]),
        "agreement_precision_crawl": _share(counts["agreement_SAME_crawl"], counts["agreements_crawl"]),
        "agreement_partial": counts["agreement_PARTIAL"],
        "agreement_different": counts["agreement_DIFFERENT"],
        "framing_shown": counts["framing_shown"],
        "framing_precision": _share(counts["framing_shown_true"], counts["framing_shown"]),
        "framing_missed": counts["framing_missed"],
        "disputes": disputes,
        "disputes_real": real,
        "dispute_precision": _share(real, disputes),
        "by_kind": {
            kind: {"n": k["n"], "real": k["REAL"], "mistyped": k["MISTYPED"], "false": k["FALSE"],
                   "precision": _share(k["REAL"], k["n"]), "useful": k["useful"]}
            for kind, k in sorted(per_kind.items())
        },
        "differences": counts["differences"],
        "differences_found": counts["differences_found"],
        "recall": _share(counts["differences_found"], counts["differences"]),
        "recall_by_kind": {
            kind: _share(counts[f"differences_found_{kind}"], counts[f"differences_{kind}"])
            for kind in ("factual", "framing", "stance") if counts[f"differences_{kind}"]
        },
        "unlabelled": [{"cluster": c, "item": i.key} for c, i in unlabelled],
    }


def _share(k: int, n: int) -> float | None:
    return round(k / n, 3) if n else None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def table(report: dict[str, Any]) -> str:
    lines = [
        f"gold clusters: {report['clusters']} ({report['clusters_read']} read for differences)",
        "",
        "| what | labelled | precision |",
        "|---|---:|---:|",
        f"| agreements state one claim | {report['agreements']} | {_pct(report['agreement_precision'])} |",
        f"| — NeuS val clusters / AllSides crawl | | {_pct(report['agreement_precision_val'])} / "
        f"{_pct(report['agreement_precision_crawl'])} |",
        f"| framing shown inside agreements | {report['framing_shown']} | {_pct(report['framing_precision'])} |",
        f"| disputes real | {report['disputes']} | {_pct(report['dispute_precision'])} |",
    ]
    for kind, k in report["by_kind"].items():
        lines.append(f"| — {kind} | {k['n']} | {_pct(k['precision'])} |")
    lines += [
        "",
        f"real disputes: {report['disputes_real']}; agreements PARTIAL {report['agreement_partial']}, "
        f"DIFFERENT {report['agreement_different']}; framing differences missed in agreements: "
        f"{report['framing_missed']}",
        f"recall: {report['differences_found']} of {report['differences']} listed differences shown "
        f"({_pct(report['recall'])}); by kind: "
        + ", ".join(f"{k} {_pct(v)}" for k, v in report["recall_by_kind"].items()),
        f"unlabelled items: {len(report['unlabelled'])}",
    ]
    return "\n".join(lines)


# --- labelling aid ---------------------------------------------------------------------------------


def dump(clusters: Sequence[Cluster], gold: Gold, only_unlabelled: bool) -> Iterator[dict[str, Any]]:
    """Each cluster's sentences by citation and the brief's items, for a person labelling them."""
    from briefing import Corpus

    for cluster in clusters:
        corpus = Corpus.from_texts(cluster.documents)
        try:
            sentences = {
                d: [(s.citation, s.text) for s in corpus.sentences(d)] for d in sorted(cluster.documents)
            }
            try:
                brief = corpus.brief(detail="full")
                items = items_of(brief)
            except Exception:
                items = []
        finally:
            corpus.close()
        keep = []
        for item in items:
            labelled = (
                _agreement_label(gold, cluster.id, item) if item.type == "agreement"
                else _dispute_label(gold, cluster.id, item)
            )
            if only_unlabelled and labelled is not None:
                continue
            keep.append({"item": item.key, "type": item.type, "kind": item.kind, "sides": item.sides,
                         "framing": item.framing})
        yield {
            "cluster": cluster.id,
            "outlets": {d: cluster.documents[d]["source"] for d in sorted(cluster.documents)},
            "editors_notes": list(cluster.notes),
            "sentences": sentences,
            "items": keep,
            "read": cluster.id in gold.read,
        }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trust", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["table", "dump"], default="table")
    parser.add_argument("file", nargs="?", type=Path, help="dump: where to write the JSON")
    parser.add_argument("--data", type=Path, help="eval-data folder (default ../shared/eval-data)")
    parser.add_argument("--unlabelled", action="store_true", help="list the items still to label")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = data_root(args.data)
    if not (root / VAL).exists() or not (root / CRAWL).exists():
        print(f"no NeuS/AllSides data under {root}; pass --data PATH to the eval-data folder")
        return 0
    clusters = load_clusters(root)
    gold = load_gold()
    if args.command == "dump":
        rows = list(dump(clusters, gold, args.unlabelled))
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        if args.file:
            args.file.write_text(text, encoding="utf-8")
        else:
            print(text)
        return 0
    report = evaluate(clusters, gold)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(table(report))
    if args.unlabelled:
        for row in report["unlabelled"]:
            print(f"  {row['cluster']}  {row['item']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
