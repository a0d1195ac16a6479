"""Stance disputes scored against FNC-1 (journalist-labelled agree / disagree / discuss bodies).

Input: FNC-1 grouped by claim (JSONL: ``claim``, ``documents`` [{id, text}], ``labels``
[{doc_id, stance_toward_claim}]), by default ``../shared/eval-data/fnc1-stance/fnc1_dev.jsonl``
next to the repository. Each claim is a topic and its related bodies a corpus.

Two figures, one per claim set:

* **(a) split found** — claims with at least one *agree* and one *disagree* body. The headline
  figure, **either way**: the share of these claims where a dispute puts some agree body and some
  disagree body on opposite sides, whichever side each is on. Also reported, **oriented**: the
  share where the "asserts" side holds the agree body and the "rejects" side the disagree body
  (sides swapped, or no dispute, is a miss).
* **(b) false split** — claims whose bodies only agree (two or more *agree*, no *disagree*;
  *discuss* bodies may be present). Any stance dispute returned counts as a false split.

Also reported, over every claim where a dispute was returned: the share of the bodies placed on
each side whose label matches the side (agree on "asserts", disagree on "rejects"), and the label
mix of each side.

The same run scores a baseline: a body that contains any refutation word (``hoax``, ``fake``,
``false``, ``denied``, ``debunked`` ...) is put on the "rejects" side, every other body on the
"asserts" side, and a dispute is returned whenever both sides are non-empty.

Modes: ``direct`` calls ``stance_sides(claim, {body id: sentences})`` with the bodies split by
``briefing.text.segment.split_sentences``; ``brief`` builds ``Corpus.from_texts(bodies)`` and reads the
stance disputes of ``corpus.brief(topic=claim)`` (first position = asserts, second = rejects), scored
twice: every stance dispute of the brief (the topic-level one and the point-level ones built with
``questions_assertion``; (a) succeeds when one of them splits as above, (b) fails on any), and the
topic-level dispute alone.

``--half first|second`` scores one half of the claims, split by ``sha256(cluster id)`` (first hex
digit below 8 or not): rules written while reading one half can be checked on the other.

Run ``python -m briefing.evaluate.stance [PATH] [--mode direct|brief] [--half first|second] [--json] [--limit N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import BriefingError, EvalDataMissing

DEFAULT_PATH = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval-data" / "fnc1-stance" / "fnc1_dev.jsonl"

# The baseline's words: a body holding any of them is put on the "rejects" side.
BASELINE_WORDS = re.compile(
    r"\b(?:hoax\w*|fake[sd]?|false(?:ly)?|den(?:y|ies|ied)|debunk\w*|untrue|fabricat\w*|bogus|"
    r"myth|rejected|dismissed|no evidence)\b",
    re.IGNORECASE,
)

Sides = tuple[frozenset[str], frozenset[str]]  # (asserts, rejects) body ids of one dispute
Splitter = Callable[["Claim"], dict[str, list[Sides]]]  # variant name -> the claim's disputes


@dataclass(frozen=True)
class Claim:
    claim: str
    bodies: dict[str, str]
    labels: dict[str, str]
    id: str = ""

    @property
    def half(self) -> str:
        """``first`` or ``second``: a fixed split of the claims by a hash of their id."""
        return "first" if int(hashlib.sha256(self.id.encode()).hexdigest()[0], 16) < 8 else "second"

    def with_label(self, label: str) -> set[str]:
        return {d for d, lab in self.labels.items() if lab == label}


def load_claims(path: Path) -> list[Claim]:
    if not path.is_file():
        raise EvalDataMissing(
            f"no FNC-1 file at {path}; pass the path to fnc1_dev.jsonl (see eval-data/fnc1-stance/SOURCE.md)"
        )
    claims = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            labels = {lab["doc_id"]: lab["stance_toward_claim"] for lab in row["labels"]}
            bodies = {d["id"]: d["text"] for d in row["documents"] if d["id"] in labels}
            claims.append(Claim(row["claim"], bodies, labels, str(row.get("cluster_id", ""))))
    return claims


# --- the three ways of splitting a claim's bodies ------------------------------------------------


def baseline_sides(claim: Claim) -> dict[str, list[Sides]]:
    flagged = frozenset(d for d, text in claim.bodies.items() if BASELINE_WORDS.search(text))
    rest = frozenset(claim.bodies) - flagged
    return {"baseline: any refutation word": [(rest, flagged)] if flagged and rest else []}


def direct_sides(claim: Claim) -> dict[str, list[Sides]]:
    from briefing.align.stance import stance_sides
    from briefing.text.segment import split_sentences

    sides = stance_sides(claim.claim, {d: split_sentences(t) for d, t in claim.bodies.items()})
    found = [(frozenset(e.doc_id for e in sides["asserts"]), frozenset(e.doc_id for e in sides["rejects"]))] if sides else []
    return {"stance (direct)": found}


def brief_sides(claim: Claim) -> dict[str, list[Sides]]:
    from briefing.corpus import Corpus

    every: list[Sides] = []
    topical: list[Sides] = []
    with Corpus.from_texts(claim.bodies) as corpus:
        try:
            brief = corpus.brief(topic=claim.claim)
        except BriefingError:
            brief = None
    for dispute in brief.disputes if brief else []:
        if dispute.kind == "stance" and len(dispute.positions) >= 2:
            sides = frozenset(dispute.positions[0].sources), frozenset(dispute.positions[1].sources)
            every.append(sides)
            if claim.claim in dispute.topic:
                topical.append(sides)
    return {"stance (brief, any stance dispute)": every, "stance (brief, topic dispute)": topical}


MODES: dict[str, Splitter] = {"direct": direct_sides, "brief": brief_sides}


# --- scoring -------------------------------------------------------------------------------------


@dataclass
class Score:
    name: str
    split_claims: int = 0
    split_found: int = 0
    split_swapped: int = 0
    split_either: int = 0
    agree_claims: int = 0
    false_splits: int = 0
    side_labels: dict[str, Counter[str]] = field(default_factory=lambda: {"asserts": Counter(), "rejects": Counter()})

    def add(self, claim: Claim, disputes: list[Sides]) -> None:
        """Score one claim's disputes, each ``(asserts side, rejects side)`` as body ids."""
        agree, disagree = claim.with_label("agree"), claim.with_label("disagree")
        found = any(agree & a and disagree & r for a, r in disputes)
        swapped = any(agree & r and disagree & a for a, r in disputes)
        if agree and disagree:
            self.split_claims += 1
            self.split_found += found
            self.split_swapped += swapped
            self.split_either += found or swapped
        elif len(agree) >= 2 and not disagree:
            self.agree_claims += 1
            self.false_splits += bool(disputes)
        for side, ids in (("asserts", {d for a, _ in disputes for d in a}), ("rejects", {d for _, r in disputes for d in r})):
            self.side_labels[side].update(claim.labels[d] for d in ids)

    def figures(self) -> dict[str, object]:
        def share(n: int, d: int) -> float:
            return round(100 * n / d, 1) if d else 0.0

        a, r = self.side_labels["asserts"], self.side_labels["rejects"]
        return {
            "method": self.name,
            "a_opposite_either_way_pct": share(self.split_either, self.split_claims),
            "a_either_way": f"{self.split_either}/{self.split_claims}",
            "a_split_found_pct": share(self.split_found, self.split_claims),
            "a_split_found": f"{self.split_found}/{self.split_claims}",
            "a_sides_swapped": self.split_swapped,
            "b_false_split_pct": share(self.false_splits, self.agree_claims),
            "b_false_split": f"{self.false_splits}/{self.agree_claims}",
            "asserts_side_agree_pct": share(a["agree"], sum(a.values())),
            "rejects_side_disagree_pct": share(r["disagree"], sum(r.values())),
            "asserts_side_labels": dict(sorted(a.items())),
            "rejects_side_labels": dict(sorted(r.items())),
        }


def evaluate(claims: Sequence[Claim], mode: str = "direct") -> list[dict[str, object]]:
    """One row of figures per variant of ``mode``, then the baseline's row."""
    scores: dict[str, Score] = {}
    for claim in claims:
        for name, disputes in (MODES[mode](claim) | baseline_sides(claim)).items():
            scores.setdefault(name, Score(name)).add(claim, disputes)
    return [score.figures() for score in scores.values()]


def table(rows: list[dict[str, object]]) -> str:
    head = (
        f"{'method':36} {'(a) either way':>17} {'(a) oriented':>12} {'(b) false split':>17}"
        f" {'asserts=agree':>13} {'rejects=disagree':>16}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['method']!s:36} {r['a_opposite_either_way_pct']!s:>6}% {'(' + str(r['a_either_way']) + ')':>9}"
            f" {r['a_split_found_pct']!s:>11}%"
            f" {r['b_false_split_pct']!s:>6}% {'(' + str(r['b_false_split']) + ')':>9}"
            f" {r['asserts_side_agree_pct']!s:>12}% {r['rejects_side_disagree_pct']!s:>15}%"
        )
    for r in rows:
        lines.append(f"{r['method']}: asserts side {r['asserts_side_labels']}, rejects side {r['rejects_side_labels']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.evaluate.stance", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help="FNC-1 JSONL grouped by claim")
    parser.add_argument("--mode", choices=sorted(MODES), default="direct", help="call stance_sides directly or go through the brief")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--half", choices=("first", "second"), default=None, help="score one half of the claims (split by a hash of the claim id)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N claims")
    args = parser.parse_args(argv)
    try:
        claims = load_claims(args.path)
    except EvalDataMissing as err:
        print(f"skipped: {err}", file=sys.stderr)
        return 0
    if args.half:
        claims = [c for c in claims if c.half == args.half]
    if args.limit is not None:
        claims = claims[: args.limit]
    rows = evaluate(claims, args.mode)
    print(json.dumps(rows, indent=2) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
