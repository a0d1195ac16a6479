"""Loaded-language flagging scored against BABE (Bias Annotations By Experts).

Input: BABE's JSONL (``text``, ``label_bias``, ``biased_words``), by default
``../shared/eval-data/babe/babe_dev.jsonl`` next to the repository. Two scores:

* **sentence**: ``is_loaded`` against ``label_bias`` ("Biased" / "Non-biased"; "No agreement" is
  skipped), as the macro-F1 of the two classes.
* **word**: per sentence, the set of lowercased tokens touched by a flagged span against the set
  of the experts' ``biased_words``, lowercased with surrounding punctuation stripped. A token is
  a run of letters or digits, joined by inner hyphens or apostrophes ("left-wing", "trump's"),
  after folding curly quotes and dashes. True/false positives and false negatives are summed over
  all scored sentences (micro-averaged precision, recall and F1); a gold word that is not a token
  of its sentence still counts as missed.

The same run scores two baselines, each a plain count of listed words; a sentence counts as loaded
at ``k`` words or more, with ``k`` in 1..3 chosen as the baseline's best on the data itself (so the
baselines are, if anything, flattered):

* ``word-list``: the lexicon's one-word entries matched as exact lowercase forms, without stems,
  phrases, weights or the scare-quote rule (what the matcher adds over the bare list);
* ``mpqa-strong``: the MPQA subjectivity clues typed ``strongsubj`` (Wilson et al. 2005), read at
  evaluation time from ``eval-data/nrc-vad/other_lexicons`` and skipped when that file is absent.
  It is a reference point only; no part of the bundled lexicon comes from it.

Run ``python -m briefing.evaluate.babe [PATH] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.align.loaded import LOADED_THRESHOLD, LoadedLexicon, LoadedTerm, match_fold
from briefing.errors import EvalDataMissing

DEFAULT_PATH = (Path(__file__).resolve().parents[2] / ".." / "shared" / "eval-data" / "babe"
                / "babe_dev.jsonl").resolve()
BASELINE_MIN_COUNTS = (1, 2, 3)
MPQA_RELATIVE = Path("nrc-vad") / "other_lexicons" / "subjclueslen1-HLTEMNLP05.tff"

_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")

Flagger = Callable[[str], list[LoadedTerm]]


@dataclass(frozen=True)
class _Example:
    text: str
    biased: bool
    words: frozenset[str]


def load_examples(path: Path) -> list[_Example]:
    """BABE rows with an agreed label, gold words lowercased and stripped of edge punctuation."""
    if not path.is_file():
        raise EvalDataMissing(
            f"no BABE file at {path}; pass the path to babe_dev.jsonl (see eval-data/babe/SOURCE.md)"
        )
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if row["label_bias"] not in ("Biased", "Non-biased"):
                continue
            words = frozenset(w for w in (_EDGE.sub("", match_fold(x)) for x in row["biased_words"]) if w)
            examples.append(_Example(row["text"], row["label_bias"] == "Biased", words))
    return examples


def _flagged_tokens(text: str, spans: Iterable[LoadedTerm]) -> set[str]:
    folded = match_fold(text)
    spans = list(spans)
    return {
        m.group()
        for m in _TOKEN.finditer(folded)
        if any(s.start < m.end() and m.start() < s.end for s in spans)
    }


def _macro_f1(pairs: Sequence[tuple[bool, bool]]) -> float:
    scores = []
    for cls in (True, False):
        tp = sum(1 for pred, gold in pairs if pred == cls and gold == cls)
        fp = sum(1 for pred, gold in pairs if pred == cls and gold != cls)
        fn = sum(1 for pred, gold in pairs if pred != cls and gold == cls)
        scores.append(_f1(tp, fp, fn)[2])
    return sum(scores) / len(scores)


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(examples: Sequence[_Example], flag: Flagger, is_loaded: Callable[[str], bool]) -> dict:
    """Sentence macro-F1 and word-level precision/recall/F1 of one flagger."""
    tp = fp = fn = 0
    pairs = []
    for ex in examples:
        predicted = _flagged_tokens(ex.text, flag(ex.text))
        tp += len(predicted & ex.words)
        fp += len(predicted - ex.words)
        fn += len(ex.words - predicted)
        pairs.append((is_loaded(ex.text), ex.biased))
    precision, recall, f1 = _f1(tp, fp, fn)
    return {
        "sentence_macro_f1": round(_macro_f1(pairs), 4),
        "sentence_predicted_loaded": sum(pred for pred, _ in pairs),
        "word_precision": round(precision, 4),
        "word_recall": round(recall, 4),
        "word_f1": round(f1, 4),
    }


def _count_baseline(examples: Sequence[_Example], words: frozenset[str]) -> dict:
    """Score a plain word count at its best minimum count; the chosen count is reported as ``k``."""

    def flag(text: str) -> list[LoadedTerm]:
        return [
            LoadedTerm(m.start(), m.end(), text[m.start():m.end()], "baseline", 1.0)
            for m in _TOKEN.finditer(match_fold(text))
            if m.group() in words
        ]

    counts = {ex.text: len(flag(ex.text)) for ex in examples}

    def at_least(k: int) -> Callable[[str], bool]:
        return lambda text: counts[text] >= k

    results = [{**score(examples, flag, at_least(k)), "k": k} for k in BASELINE_MIN_COUNTS]
    return max(results, key=lambda r: r["sentence_macro_f1"])


def _mpqa_strong(path: Path) -> frozenset[str] | None:
    """``word1`` of every ``type=strongsubj`` clue, or None when the file is absent."""
    if not path.is_file():
        return None
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        if fields.get("type") == "strongsubj" and fields.get("word1"):
            words.add(fields["word1"].lower())
    return frozenset(words)


def evaluate_babe(path: Path = DEFAULT_PATH, lexicon: LoadedLexicon | None = None) -> dict:
    """Score ``lexicon`` (default: the bundled one) and the plain-count baselines on BABE."""
    path = Path(path)
    examples = load_examples(path)
    lexicon = lexicon or LoadedLexicon.default()
    baselines = {"word-list": _count_baseline(examples, lexicon.single_words())}
    mpqa = _mpqa_strong(path.parent.parent / MPQA_RELATIVE)
    if mpqa is not None:
        baselines["mpqa-strong"] = _count_baseline(examples, mpqa)
    return {
        "path": str(path),
        "sentences": len(examples),
        "biased": sum(ex.biased for ex in examples),
        "gold_words": sum(len(ex.words) for ex in examples),
        "threshold": LOADED_THRESHOLD,
        "lexicon": score(examples, lexicon.flag, lexicon.is_loaded),
        "baselines": baselines,
    }


def _table(result: dict) -> str:
    rows = [("", "sentence macro-F1", "word P", "word R", "word F1")]
    scored = [("lexicon", result["lexicon"])]
    scored += [(f"{name} (>= {r['k']})", r) for name, r in result["baselines"].items()]
    for name, r in scored:
        rows.append((name, f"{r['sentence_macro_f1']:.3f}", f"{r['word_precision']:.3f}",
                     f"{r['word_recall']:.3f}", f"{r['word_f1']:.3f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"BABE: {result['sentences']} sentences ({result['biased']} biased), "
             f"{result['gold_words']} gold biased words; loaded at score >= {result['threshold']}"]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.evaluate.babe", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help="babe_dev.jsonl")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        result = evaluate_babe(args.path)
    except EvalDataMissing as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 0
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
