"""One ingest, in its own process, for ``python -m bench``: prints its timings as one JSON line.

    python -m bench.ingest_job DOCS_DIR DB_PATH WORKERS [pin]

``pin``: the process (and every thread of it, the search engine's indexing thread included) runs
on one CPU only, for an honest one-core figure.

The parent samples this process tree's memory while it runs; wall and CPU times (this process,
its threads, and the worker processes it waited for) are measured here.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    docs, workers = Path(argv[0]), int(argv[2])
    db: Path | str = argv[1] if "://" in argv[1] else Path(argv[1])  # a file, or a postgresql:// URL
    pinned = len(argv) > 3 and argv[3] == "pin" and hasattr(os, "sched_setaffinity")
    if pinned:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    imported = time.perf_counter()
    corpus = Corpus.open(settings=Settings.from_env(corpus=docs, db=db), sync=False)
    report = corpus.sync(workers=workers)
    documents, sentences = corpus.store.counts()
    corpus.close()
    finished = time.perf_counter()
    times = os.times()
    print(json.dumps({
        "wall_s": finished - imported,
        "import_s": imported - started,
        "cpu_self_s": times.user + times.system,
        "cpu_children_s": times.children_user + times.children_system,
        "documents": documents,
        "sentences": sentences,
        "files": len(report.added),
        "pinned": pinned,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
