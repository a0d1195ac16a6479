"""How big the MCP ``brief`` result is: text and structuredContent tokens for 50-document topics.

    .venv/bin/python -m bench.brief_size                # five topics of the 1,000-document bench corpus
    .venv/bin/python -m bench.brief_size --json

The corpus is the scale benchmark's synthetic one (``bench/synth.py``, built from eval-data at run
time and cached under ``bench/_cache/``); each of five topics retrieves 50 documents. The server
runs in memory (``fastmcp.Client``) and every result is measured as the client receives it, at 4
characters a token: the default call, ``detail='normal'``, ``detail='full'`` and the previous
default (``detail='normal', max_points=8``, every section). Targets: the default at most 2,000
tokens of text and 6,000 of structuredContent. Skips cleanly (exit 0) when eval-data is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

from bench import synth
from bench.scale import CACHE, DEFAULT_EVAL_DATA, NEW_TOPICS

TEXT_TARGET, STRUCTURED_TARGET = 2000, 6000
CALLS: dict[str, dict[str, Any]] = {
    "default": {},
    "detail=normal": {"detail": "normal"},
    "detail=full": {"detail": "full"},
}


def tokens(text: str) -> float:
    return len(text) / 4


def measure(documents: int, eval_data: Path) -> dict[str, Any]:
    os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
    os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")
    from fastmcp import Client

    from briefing.corpus import Corpus
    from briefing.mcp_server import create_server
    from briefing.render.brief import brief_markdown
    from briefing.settings import Settings

    built = synth.build(documents, eval_data, CACHE)
    db = CACHE / f"corpus-{documents}" / "db-brief-size" / "corpus.sqlite3"
    corpus = Corpus.open(settings=Settings.from_env(corpus=built.path, db=db))
    server = create_server(Settings.from_env(corpus=built.path, db=db), corpus=corpus)
    rows: dict[str, list[tuple[float, float]]] = {name: [] for name in [*CALLS, "whole brief (before)"]}

    async def run() -> None:
        async with Client(server) as client:
            for topic in NEW_TOPICS:
                for name, args in CALLS.items():
                    result = await client.call_tool("brief", {"topic": topic, **args})
                    text = "\n".join(b.text for b in result.content)
                    structured = json.dumps(result.structured_content, ensure_ascii=False)
                    rows[name].append((tokens(text), tokens(structured)))
                whole = corpus.brief(topic, max_points=8, detail="normal")
                rows["whole brief (before)"].append(
                    (tokens(brief_markdown(whole)), tokens(whole.model_dump_json()))
                )

    asyncio.run(run())
    corpus.close()
    return {
        "documents": documents, "topics": list(NEW_TOPICS),
        "results": {
            name: {"text_tokens_max": max(t for t, _ in v), "text_tokens_median": statistics.median(t for t, _ in v),
                   "structured_tokens_max": max(s for _, s in v),
                   "structured_tokens_median": statistics.median(s for _, s in v)}
            for name, v in rows.items()
        },
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"MCP brief size over {len(report['topics'])} topics of 50 documents each "
        f"({report['documents']:,}-document bench corpus; tokens = characters / 4)",
        "",
        "| call | text tokens (median / max) | structuredContent tokens (median / max) |",
        "|---|---|---|",
    ]
    for name, r in report["results"].items():
        lines.append(
            f"| {name} | {r['text_tokens_median']:,.0f} / {r['text_tokens_max']:,.0f} | "
            f"{r['structured_tokens_median']:,.0f} / {r['structured_tokens_max']:,.0f} |"
        )
    d = report["results"]["default"]
    ok = d["text_tokens_max"] <= TEXT_TARGET and d["structured_tokens_max"] <= STRUCTURED_TARGET
    lines += ["", f"target: default at most {TEXT_TARGET:,} text and {STRUCTURED_TARGET:,} structured tokens: "
              + ("met" if ok else "NOT met")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        report = measure(args.documents, args.eval_data)
    except synth.EvalDataMissing as err:
        print(f"skipped: {err}")
        return 0
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
