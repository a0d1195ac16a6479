"""Every summary method on the same clusters, scored with ROUGE against human references.

Input is JSONL, one cluster a line: ``{"cluster_id", "documents": [{"id", "title", "text",
"date"?}], "references": ["..."], ...}`` (the layout of ``../shared/eval-data``). Each method
summarises each cluster to about ``words`` words (``summarize_texts``), the summary is cut to
exactly ``words`` words and scored against every reference; a cluster's score is the mean over its
references and a method's score the mean over clusters, ×100. ``seconds_per_cluster`` is the
summarising time alone (not the scoring), so methods compare on speed as well.

``briefing evaluate summaries DATA.jsonl --words 100`` runs it from the command line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError
from briefing.evaluate.rouge import KINDS, score
from briefing.summarize import METHODS, check_method, summarize_texts

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "eval-data" / "duc2003-task2" / "duc2003_task2.jsonl"


@dataclass(frozen=True)
class MethodResult:
    method: str
    recall: dict[str, float]
    f1: dict[str, float]
    clusters: int
    seconds_per_cluster: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method}
        out.update({f"{k}_recall": round(100 * self.recall[k], 2) for k in KINDS})
        out.update({f"{k}_f1": round(100 * self.f1[k], 2) for k in KINDS})
        out["clusters"] = self.clusters
        out["seconds_per_cluster"] = round(self.seconds_per_cluster, 4)
        return out


def read_clusters(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The clusters of a JSONL file, naming the line of any that is malformed."""
    with path.open(encoding="utf-8") as lines:
        count = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            try:
                cluster = json.loads(line)
            except json.JSONDecodeError as err:
                raise ConfigError(f"{path}:{number} is not JSON ({err.msg}); give one cluster per line") from None
            if not isinstance(cluster, dict) or not isinstance(cluster.get("documents"), list):
                raise ConfigError(
                    f"{path}:{number} has no \"documents\" list; each line needs "
                    "{\"documents\": [{\"text\": ...}], \"references\": [...]}"
                )
            count += 1
            yield cluster


def query_of(cluster: dict[str, Any], field: str | None) -> str | None:
    """The cluster's query taken from ``field`` (a list is joined), or none."""
    if not field:
        return None
    value = cluster.get(field)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value) if value else None


def parse_methods(value: str | Sequence[str] | None) -> list[str]:
    """``"a,b"`` or a list → checked method names; nothing → every method."""
    if not value:
        return list(METHODS)
    names = value.split(",") if isinstance(value, str) else list(value)
    return list(dict.fromkeys(check_method(n) for n in names if n.strip()))


def evaluate(
    clusters: Iterable[dict[str, Any]],
    *,
    words: int,
    methods: Sequence[str] | None = None,
    query_field: str | None = None,
) -> list[MethodResult]:
    """Mean ROUGE of each method over the clusters (all methods see the same clusters)."""
    names = parse_methods(methods)
    data = list(clusters)
    results = []
    for method in names:
        recall = dict.fromkeys(KINDS, 0.0)
        f1 = dict.fromkeys(KINDS, 0.0)
        seconds = 0.0
        for cluster in data:
            started = time.perf_counter()
            sentences = summarize_texts(
                cluster["documents"], method, words=words, query=query_of(cluster, query_field)
            )
            seconds += time.perf_counter() - started
            scores = score(" ".join(sentences), [str(r) for r in cluster.get("references") or []], words)
            for kind in KINDS:
                recall[kind] += scores.recall[kind]
                f1[kind] += scores.f1[kind]
        n = max(len(data), 1)
        results.append(MethodResult(
            method=method,
            recall={k: v / n for k, v in recall.items()},
            f1={k: v / n for k, v in f1.items()},
            clusters=len(data),
            seconds_per_cluster=seconds / n,
        ))
    return results


def as_json(results: Sequence[MethodResult]) -> dict[str, Any]:
    return {"methods": [r.as_dict() for r in results]}


def table(results: Sequence[MethodResult], markdown: bool = False) -> str:
    """The results as an aligned text table (or a Markdown table)."""
    head = ["method", "R1 rec", "R2 rec", "RL rec", "R1 F1", "R2 F1", "RL F1", "clusters", "s/cluster"]
    rows = [
        [r.method, *(f"{100 * r.recall[k]:.2f}" for k in KINDS), *(f"{100 * r.f1[k]:.2f}" for k in KINDS),
         str(r.clusters), f"{r.seconds_per_cluster:.3f}"]
        for r in results
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))  # noqa: E731
    return "\n".join([fmt(head), *(fmt(row) for row in rows)])
