"""How well the similarity threshold separates reports of one point from different points.

Reads the labelled mini-corpora in ``tests/data/alignment_pairs.jsonl`` (one news event told by
3–5 sources each; every cross-source pair not listed in ``same_point`` is a negative), scores
every cross-source sentence pair inside its own corpus — the idf depends on the documents passed
in — and sweeps the threshold. Precision, recall and F1 are pooled over all corpora.

    .venv/bin/python -m bench.alignment          # sweep table and summary
    .venv/bin/python -m bench.alignment --json   # the same figures as JSON

Scorers, side by side in one process:

- ``ours``: ``similarity`` (mean of cosine and weighted overlap) over ``tfidf`` rows;
- ``tfidf-cosine``: the baseline, plain cosine of the same rows;
- prototypes of possible changes (``PROTOTYPES``), each built only from the public functions of
  ``briefing.align.features`` so the module itself stays untouched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from briefing.align import features
from briefing.align.features import Unit, make_units, normalized, similarity, tfidf

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "alignment_pairs.jsonl"
THRESHOLDS = tuple(round(0.10 + 0.025 * i, 3) for i in range(21))  # 0.100 … 0.600
ALIGN_THRESHOLD: float = getattr(features, "ALIGN_THRESHOLD", 0.25)

Scorer = Callable[[Sequence[Unit]], np.ndarray]  # units of one corpus → pairwise scores


@dataclass(frozen=True)
class Corpus:
    event: str
    documents: dict[str, list[str]]
    same_point: frozenset[frozenset[str]]


@dataclass(frozen=True)
class Pair:
    event: str
    a: str
    b: str
    score: float
    same: bool
    lookalike: bool  # one side writes a word in Cyrillic or Greek letters


@dataclass(frozen=True)
class Row:
    threshold: float
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def load(path: Path = PAIRS) -> list[Corpus]:
    corpora = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            corpora.append(Corpus(
                raw["event"], raw["documents"], frozenset(frozenset(p) for p in raw["same_point"])
            ))
    return corpora


def units_of(corpus: Corpus, read: Callable[[str], str] = str) -> list[Unit]:
    """The corpus as units, as ``briefing`` builds them (``read`` may rewrite each text first)."""
    return make_units([
        (doc, n, read(text), 0)
        for doc, sentences in corpus.documents.items()
        for n, text in enumerate(sentences, start=1)
    ])


def has_lookalike(text: str) -> bool:
    return any(
        unicodedata.name(ch, "").startswith(("CYRILLIC", "GREEK")) for ch in text if ch.isalpha()
    )


# --- the method and the baseline ---------------------------------------------------------------


def ours(units: Sequence[Unit]) -> np.ndarray:
    matrix, _ = tfidf(units)
    return np.asarray(similarity(matrix).toarray())


def tfidf_cosine(units: Sequence[Unit]) -> np.ndarray:
    matrix, _ = tfidf(units)
    rows = normalized(matrix)
    return np.asarray((rows @ rows.T).toarray())


# --- prototypes ---------------------------------------------------------------------------------


def uniform_weights(units: Sequence[Unit]) -> list[Unit]:
    """Every stem weighs 1 before idf: no background informativeness from wordfreq."""
    return list(units)  # weights are uniform in features now


def ours_uniform(units: Sequence[Unit]) -> np.ndarray:
    return ours(uniform_weights(units))


def cosine_uniform(units: Sequence[Unit]) -> np.ndarray:
    return tfidf_cosine(uniform_weights(units))


# Cyrillic and Greek letters drawn like a Latin letter.
_LOOKALIKES = dict(zip(
    "аеорсухіјѕԁӏАВЕКМНОРСТХУІЈЅαονΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdlABEKMHOPCTXYIJSaovABEZHIKMNOPTYX",
    strict=True,
))


def read_lookalikes(text: str) -> str:
    """A word mixing Latin with Cyrillic/Greek letters that all have a Latin twin is read as
    the Latin word (``Хu`` → ``Xu``, ``Реtrоvic`` → ``Petrovic``); a word wholly in Cyrillic is
    left for the transliteration in ``fold`` (``Ган`` → ``Gan``)."""
    def latin(m: re.Match[str]) -> str:
        word = m.group()
        foreign = [ch for ch in word if has_lookalike(ch)]
        mixed = foreign and any(ch.isascii() and ch.isalpha() for ch in word)
        if mixed and all(ch in _LOOKALIKES for ch in foreign):
            return "".join(_LOOKALIKES.get(ch, ch) for ch in word)
        return word
    return re.sub(r"\w+", latin, text)


def reading_lookalikes(scorer: Scorer) -> Scorer:
    def scored(units: Sequence[Unit]) -> np.ndarray:
        return scorer(make_units([(u.doc_id, u.n, read_lookalikes(u.text), u.flags) for u in units]))
    return scored


def mutual_best(scorer: Scorer) -> Scorer:
    """Keep a pair's score only if each sentence is the other's best match in its document."""
    def scored(units: Sequence[Unit]) -> np.ndarray:
        scores = scorer(units)
        docs = np.array([u.doc_id for u in units], dtype=object)
        best_in = np.zeros(scores.shape, dtype=bool)
        for doc in set(docs.tolist()):
            cols = np.flatnonzero(docs == doc)
            for i in np.flatnonzero(docs != doc):
                best_in[i, cols[np.argmax(scores[i, cols])]] = True
        return np.where(best_in & best_in.T, scores, 0.0)
    return scored


SCORERS: dict[str, Scorer] = {"ours": ours, "tfidf-cosine": tfidf_cosine}
PROTOTYPES: dict[str, Scorer] = {
    "ours, uniform weights": ours_uniform,
    "cosine, uniform weights": cosine_uniform,
    "ours, look-alike reading": reading_lookalikes(ours),
    "ours, mutual best": mutual_best(ours),
    "ours, all three": mutual_best(reading_lookalikes(ours_uniform)),
}


# --- evaluation --------------------------------------------------------------------------------


def scored_pairs(corpora: Iterable[Corpus], scorer: Scorer) -> list[Pair]:
    """Every cross-source pair of every corpus, scored within its own corpus."""
    pairs = []
    for corpus in corpora:
        units = units_of(corpus)
        scores = scorer(units)
        for i, u in enumerate(units):
            for j in range(i + 1, len(units)):
                v = units[j]
                if u.doc_id != v.doc_id:
                    pairs.append(Pair(
                        corpus.event, u.citation, v.citation, float(scores[i, j]),
                        frozenset((u.citation, v.citation)) in corpus.same_point,
                        has_lookalike(u.text) or has_lookalike(v.text),
                    ))
    return pairs


def at(pairs: Sequence[Pair], threshold: float) -> Row:
    tp = sum(p.same and p.score >= threshold for p in pairs)
    fp = sum(not p.same and p.score >= threshold for p in pairs)
    fn = sum(p.same and p.score < threshold for p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Row(threshold, precision, recall, f1, tp, fp, fn)


def best(pairs: Sequence[Pair]) -> Row:
    return max((at(pairs, t) for t in THRESHOLDS), key=lambda r: (r.f1, -r.threshold))


def evaluate(corpora: Sequence[Corpus], scorer: Scorer) -> dict[str, object]:
    pairs = scored_pairs(corpora, scorer)
    half = len(corpora) // 2
    lookalike = [p for p in pairs if p.same and p.lookalike]
    top = best(pairs)
    return {
        "sweep": [asdict(at(pairs, t)) for t in THRESHOLDS],
        "best": asdict(top),
        "at_align_threshold": asdict(at(pairs, ALIGN_THRESHOLD)),
        "best_by_half": [asdict(best(scored_pairs(c, scorer))) for c in (corpora[:half], corpora[half:])],
        "lookalike_pairs_found": [sum(p.score >= ALIGN_THRESHOLD for p in lookalike), len(lookalike)],
        "lookalike_pairs_found_at_best": sum(p.score >= top.threshold for p in lookalike),
    }


def report(corpora: Sequence[Corpus], scorers: dict[str, Scorer]) -> dict[str, object]:
    n_pairs = sum(
        sum(len(a) * len(b) for i, a in enumerate(docs) for b in docs[i + 1:])
        for docs in (list(c.documents.values()) for c in corpora)
    )
    return {
        "corpora": len(corpora),
        "pairs": n_pairs,
        "positives": sum(len(c.same_point) for c in corpora),
        "align_threshold": ALIGN_THRESHOLD,
        "scorers": {name: evaluate(corpora, scorer) for name, scorer in scorers.items()},
    }


def print_table(result: dict[str, object], swept: Sequence[str]) -> None:
    scorers = result["scorers"]
    assert isinstance(scorers, dict)
    pairs, positives = result["pairs"], result["positives"]
    assert isinstance(pairs, int) and isinstance(positives, int)
    print(f"{result['corpora']} corpora, {pairs} cross-source pairs, "
          f"{positives} same-point ({positives / pairs:.1%})\n")
    print("threshold " + "".join(f"{n:>22}" for n in swept))
    print(" " * 10 + "".join(f"{'P     R     F1':>22}" for _ in swept))
    for k, t in enumerate(THRESHOLDS):
        cells = [scorers[n]["sweep"][k] for n in swept]
        print(f"{t:<9.3f} " + "".join(
            f"{c['precision']:.2f}  {c['recall']:.2f}  {c['f1']:.3f}".rjust(22) for c in cells
        ))
    threshold = result["align_threshold"]
    print(f"\n{'scorer':<26}{'best F1':>8} {'at':>6} {'P':>5} {'R':>5}   "
          f"{'F1@' + format(threshold, '.3f'):>9} {'P':>5} {'R':>5}   {'halves':>11}   look-alike (@best)")
    for name, s in scorers.items():
        b, a, (h1, h2) = s["best"], s["at_align_threshold"], s["best_by_half"]
        found, total = s["lookalike_pairs_found"]
        found_best = s["lookalike_pairs_found_at_best"]
        print(f"{name:<26}{b['f1']:>8.3f} {b['threshold']:>6.3f} {b['precision']:>5.2f} "
              f"{b['recall']:>5.2f}   {a['f1']:>9.3f} {a['precision']:>5.2f} {a['recall']:>5.2f}   "
              f"{h1['f1']:.3f}/{h2['f1']:.3f}   {found}/{total} ({found_best})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sweep the sentence-alignment threshold.")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled mini-corpora (JSONL)")
    args = parser.parse_args(argv)
    if not args.pairs.exists():
        print(f"no labelled pairs at {args.pairs}; pass --pairs PATH", file=sys.stderr)
        return 2
    result = report(load(args.pairs), {**SCORERS, **PROTOTYPES})
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result, swept=list(SCORERS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
