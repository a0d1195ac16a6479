"""Synthetic news-like corpora for the scale benchmark, recombined from eval-data at run time.

Nothing of the evaluation data is committed: the generator reads the article texts of DUC 2003,
FNC-1 and NeuS/AllSides from ``../shared/eval-data`` when the benchmark runs, splits them into
sentences and deals those sentences out into new documents, written under ``bench/_cache/``
(git-ignored). The recipe, per document ``i`` (deterministic: the same ``i`` always gives the same
document, so the 1k corpus is a prefix of the 10k one):

* a topic (one eval-data cluster), drawn with a skew so some stories are big and most small;
* about 25 sentences (log-normal, 4 to 120): each from the topic with probability 0.6 (at most
  half the topic's sentences, none twice), otherwise from any other topic — news-like
  vocabulary, real sentence lengths, topical overlap without making copies;
* in each sentence, one word in five after the first is swapped for a word drawn from the
  topic's text or from all of it (word frequencies kept): the same sentence never recurs verbatim
  in hundreds of documents, which would make every pair of them a near-duplicate candidate —
  there are only about 42,000 distinct source sentences for 2.5 million sentence slots;
* paragraphs of one to four sentences, a title from the topic's headlines, one of 40 outlets,
  and a date within one week: the topic's week (somewhere in 2019–2024, fixed per topic) and a
  day of it drawn per document, as the coverage of one story is — dates spread over years
  would leave the brief's date window (``DATE_WINDOW_DAYS``) few pairs to group. ``dates="spread"``
  builds the earlier recipe's dates instead (any day of 2019–2024 per document, everything else
  the same), in its own cache folder, to compare with.

Documents are written 100 to a JSONL shard (``{"id", "title", "source", "date", "text"}``), the
shape of a crawl dump; a ``recipe.json`` beside them says what was built, so a cache whose recipe
or inputs changed is rebuilt. ``folder`` writes the same documents as a folder of ``.txt`` files,
one article each (its title, a blank line, its text): the shape most users have.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

RECIPE = 4  # 4: a topic's documents dated within one week (3: dates spread over six years)
SHARD = 100
OUTLETS = 40
YEARS = 6  # dates fall in 2019 .. 2019 + YEARS - 1
WEEK = 7  # a topic's documents are dated within this many days
Dates = Literal["week", "spread"]
TOPIC_SHARE = 0.6
SWAP = 0.2  # share of words (after the first) swapped in each sentence
SOURCES = (
    "duc2003-task2/duc2003_task2.jsonl",
    "fnc1-stance/fnc1_dev.jsonl",
    "neus-allsides/neus_allsides_train.jsonl",
    "neus-allsides/neus_allsides_val.jsonl",
    "neus-allsides/allsides_roundups_crawl_dev.jsonl",
)


class EvalDataMissing(Exception):
    """The eval-data folder (or every file the recipe reads) is absent."""


@dataclass(frozen=True)
class Topic:
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    words: tuple[str, ...]  # every lower-case word of its sentences, repeats kept


_TOKEN = re.compile(r"^(\W*)([A-Za-z]+)(\W*)$")
_WORDS = re.compile(r"[a-z]+")


def inputs(eval_data: Path) -> list[Path]:
    found = [eval_data / s for s in SOURCES if (eval_data / s).is_file()]
    if not found:
        raise EvalDataMissing(f"no evaluation data under {eval_data}; pass --eval-data PATH")
    return found


def fingerprint(eval_data: Path) -> str:
    """Identifies the inputs (names and sizes) and the recipe, to tell a stale cache."""
    parts = [f"recipe={RECIPE}"] + [f"{p.name}:{p.stat().st_size}" for p in inputs(eval_data)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def load_topics(eval_data: Path) -> list[Topic]:
    """One topic per eval-data cluster: its headlines and its distinct article sentences."""
    from briefing.text.segment import split_sentences

    topics: list[Topic] = []
    seen_bodies: set[str] = set()
    for path in inputs(eval_data):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                cluster = json.loads(line)
                titles: list[str] = []
                for key in ("claim", "issue"):
                    if isinstance(cluster.get(key), str):
                        titles.append(cluster[key])
                sentences: list[str] = []
                for doc in cluster.get("documents", []):
                    if isinstance(doc.get("title"), str) and doc["title"].strip():
                        titles.append(" ".join(doc["title"].split()))
                    body = doc.get("text") or ""
                    if body in seen_bodies:  # FNC-1 reuses bodies across claims
                        continue
                    seen_bodies.add(body)
                    for paragraph in body.split("\n"):
                        for s in split_sentences(paragraph):
                            if 5 <= len(s.split()) <= 80:
                                sentences.append(s)
                if len(sentences) >= 3:
                    unique = tuple(dict.fromkeys(sentences))
                    words = tuple(w for s in unique for w in _WORDS.findall(s.lower()) if len(w) > 2)
                    topics.append(Topic(tuple(dict.fromkeys(titles)) or (unique[0],), unique, words))
    if not topics:
        raise EvalDataMissing(f"no usable articles under {eval_data}")
    return topics


def _swap_words(sentence: str, topic: Topic, everything: Sequence[str], rng: random.Random) -> str:
    tokens = sentence.split(" ")
    for k in range(1, len(tokens)):
        if rng.random() < SWAP and (m := _TOKEN.match(tokens[k])):
            pool = topic.words if topic.words and rng.random() < 0.5 else everything
            word = pool[rng.randrange(len(pool))]
            tokens[k] = m.group(1) + (word.capitalize() if m.group(2)[0].isupper() else word) + m.group(3)
    return " ".join(tokens)


def document(i: int, topics: list[Topic], everything: Sequence[str], dates: Dates = "week") -> dict[str, str]:
    """The ``i``-th synthetic document (a JSON record); ``everything``: all topics' words."""
    rng = random.Random(i * 7919 + 17)
    # Skewed topic popularity: a few big stories, a long tail of small ones.
    t = min(int(len(topics) * rng.random() ** 2), len(topics) - 1)
    which = (t * 2654435761) % len(topics)
    topic = topics[which]
    count = max(4, min(120, int(rng.lognormvariate(math.log(22), 0.5))))
    # From the topic: up to half its sentences, without repeats, so that two documents on one
    # small topic overlap but are not copies of each other.
    own = min(sum(rng.random() < TOPIC_SHARE for _ in range(count)), max(1, len(topic.sentences) // 2))
    sentences = rng.sample(topic.sentences, own)
    for _ in range(count - own):
        other = topics[rng.randrange(len(topics))]
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(other.sentences))
    sentences = [_swap_words(s, topic, everything, rng) for s in sentences]
    paragraphs, k = [], 0
    while k < len(sentences):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[k:k + size]))
        k += size
    day = rng.randrange(YEARS * 365)  # drawn in both recipes, so the rest of the document is the same
    if dates == "spread":
        year, rest = 2019 + day // 365, day % 365
        date = f"{year}-{rest // 31 % 12 + 1:02d}-{rest % 28 + 1:02d}"
    else:
        week = random.Random(which * 104729 + 3).randrange(YEARS * 365 - WEEK)  # the topic's week
        date = (datetime.date(2019, 1, 1) + datetime.timedelta(days=week + day % WEEK)).isoformat()
    return {
        "id": f"d{i:06d}",
        "title": rng.choice(topic.titles),
        "source": f"Outlet {rng.randrange(OUTLETS) + 1:02d}",
        "date": date,
        "text": "\n\n".join(paragraphs),
    }


def documents(n: int, topics: list[Topic], dates: Dates = "week") -> Iterator[dict[str, str]]:
    everything = [w for t in topics for w in t.words]
    for i in range(n):
        yield document(i, topics, everything, dates)


@dataclass(frozen=True)
class Built:
    path: Path
    documents: int
    bytes: int  # UTF-8 bytes of the article texts (what ingest throughput is measured in)
    files: int


def build(n: int, eval_data: Path, cache: Path, dates: Dates = "week") -> Built:
    """The corpus of ``n`` documents under ``cache/corpus-<n>`` (``dates="spread"``:
    ``corpus-<n>-spread``), built unless it is there already."""
    folder = cache / (f"corpus-{n}" if dates == "week" else f"corpus-{n}-{dates}")
    recipe_file = folder / "recipe.json"
    stamp = fingerprint(eval_data) + ("" if dates == "week" else f"-{dates}")
    if recipe_file.exists():
        recipe = json.loads(recipe_file.read_text())
        if recipe.get("fingerprint") == stamp and recipe.get("documents") == n:
            return Built(folder / "docs", n, int(recipe["bytes"]), int(recipe["files"]))
    docs_dir = folder / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for old in docs_dir.glob("*.jsonl"):
        old.unlink()
    topics = load_topics(eval_data)
    total = 0
    files = 0
    shard: list[str] = []
    for doc in documents(n, topics, dates):
        total += len(doc["text"].encode("utf-8"))
        shard.append(json.dumps(doc, ensure_ascii=False))
        if len(shard) == SHARD:
            (docs_dir / f"shard-{files:05d}.jsonl").write_text("\n".join(shard) + "\n", encoding="utf-8")
            files += 1
            shard = []
    if shard:
        (docs_dir / f"shard-{files:05d}.jsonl").write_text("\n".join(shard) + "\n", encoding="utf-8")
        files += 1
    recipe_file.write_text(json.dumps({"fingerprint": stamp, "documents": n, "bytes": total, "files": files}))
    return Built(docs_dir, n, total, files)


def folder(built: Built) -> Built:
    """The documents of ``built`` as one ``.txt`` file each (title, blank line, text) in
    ``corpus-<n>/files``, made from its shards unless they are there already; ``bytes`` counts the
    files' UTF-8 bytes."""
    target = built.path.parent / "files"
    stamp_file = built.path.parent / "files.json"
    recipe = (built.path.parent / "recipe.json").read_text()
    if stamp_file.exists():
        stamp = json.loads(stamp_file.read_text())
        if stamp.get("recipe") == recipe:
            return Built(target, built.documents, int(stamp["bytes"]), int(stamp["files"]))
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    total = files = 0
    for shard in sorted(built.path.glob("*.jsonl")):
        for line in shard.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            data = f"{doc['title']}\n\n{doc['text']}\n".encode()
            (target / f"{doc['id']}.txt").write_bytes(data)
            total += len(data)
            files += 1
    stamp_file.write_text(json.dumps({"recipe": recipe, "bytes": total, "files": files}))
    return Built(target, built.documents, total, files)
