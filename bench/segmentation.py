"""Sentence segmentation: our rule-based splitter against NLTK's Punkt, for accuracy and speed.

    .venv/bin/python -m bench.segmentation                      # table
    .venv/bin/python -m bench.segmentation --json               # the same figures as JSON
    .venv/bin/python -m bench.segmentation --eval-data PATH     # another eval-data folder

Accuracy is measured on the boundary cases of ``tests/segmentation_cases.py``: cases passed (every
sentence exactly right) and boundary precision/recall/F1 pooled over all cases (a boundary is the
end offset of every sentence but the last). Punkt's pre-trained model cannot be downloaded here, so
Punkt is trained at run time with ``PunktTrainer`` (default settings) on the article texts of
DUC 2003 task 2 and FNC-1 from eval-data — news, like Punkt's original training data — or on the
bundled seed articles when eval-data is absent. Untrained ``PunktSentenceTokenizer()`` is shown too,
and Punkt run paragraph by paragraph (split at blank lines first), as a pipeline would use it.
pysbd and syntok are included only when already installed.

Throughput is CPU time on one core (``time.process_time``, so other load on the machine does not
skew it) over the same article texts, segmented one document at a time; median of ``--repeats``.
"Wrap consistency" re-wraps every paragraph of those texts at 70 columns and counts the documents
whose sentences (whitespace-normalised) do not change: hard line breaks must not split sentences.
"DUC raw" does the same with real hard wrapping: the original DUC 2003 SGML files (newswire wrapped
by the agencies' own tools) against the unwrapped texts of the JSONL; the differences left there
come mostly from markup the JSONL dropped (``<P>`` breaks before trailing ``nn`` or ``(sf)`` tags).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tarfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from briefing.text.segment import sentence_spans
from tests.segmentation_cases import CASES, Case

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DATA = ROOT.parent / "shared" / "eval-data"
CORPORA = ("duc2003-task2/duc2003_task2.jsonl", "fnc1-stance/fnc1_dev.jsonl")
SEEDS = ROOT / "seeds"

Spans = list[tuple[int, int]]
Segmenter = Callable[[str], Spans]


@dataclass(frozen=True)
class Row:
    segmenter: str
    cases_passed: int
    cases: int
    precision: float
    recall: float
    f1: float
    mb_per_s: float | None
    wrap_consistency: float | None
    duc_raw_consistency: float | None
    failed: tuple[str, ...]


# --- inputs --------------------------------------------------------------------------------------


def load_texts(eval_data: Path) -> tuple[list[str], str]:
    """Article texts from DUC 2003 + FNC-1, or the seed articles when eval-data is absent."""
    paths = [eval_data / name for name in CORPORA]
    if all(p.is_file() for p in paths):
        texts = [
            doc["text"]
            for p in paths
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()
            for doc in json.loads(line)["documents"]
            if doc.get("text", "").strip()
        ]
        return texts, "DUC 2003 task 2 + FNC-1 dev"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return texts, f"seed articles (no eval-data at {eval_data})"


def load_duc_raw(eval_data: Path) -> list[tuple[str, str]]:
    """(hard-wrapped original body, unwrapped JSONL text) for each DUC 2003 document, if present."""
    archive = eval_data / "duc2003-task2" / "original_duc2003_task2_files.tar.gz"
    jsonl = eval_data / CORPORA[0]
    if not (archive.is_file() and jsonl.is_file()):
        return []
    unwrapped = {
        doc["id"]: doc["text"]
        for line in jsonl.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for doc in json.loads(line)["documents"]
    }
    pairs = []
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None or name not in unwrapped:
                continue
            body = re.search(r"<TEXT>(.*?)</TEXT>", handle.read().decode("latin-1"), re.S)
            if body:
                pairs.append((re.sub(r"</?(?:P|ANNOTATION)>", "", body.group(1)), unwrapped[name]))
    return pairs


# --- segmenters ----------------------------------------------------------------------------------


def punkt(texts: Sequence[str] | None) -> Segmenter:
    """Punkt trained on `texts` with default settings, or untrained when `texts` is None."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    if texts is None:
        tokenizer = PunktSentenceTokenizer()
    else:
        trainer = PunktTrainer()
        for text in texts:
            trainer.train(text, finalize=False)
        trainer.finalize_training()
        tokenizer = PunktSentenceTokenizer(trainer.get_params())
    return lambda text: list(tokenizer.span_tokenize(text))


_BLANK_LINE = re.compile(r"\n\s*\n")


def by_paragraph(segmenter: Segmenter) -> Segmenter:
    """Split at blank lines first, then run `segmenter` on each paragraph."""

    def spans(text: str) -> Spans:
        result: Spans = []
        start = 0
        for end in [m.start() for m in _BLANK_LINE.finditer(text)] + [len(text)]:
            result.extend((start + s, start + e) for s, e in segmenter(text[start:end]))
            start = end
        return result

    return spans


def optional_segmenters() -> dict[str, Segmenter]:
    """pysbd and syntok, if installed (they are not project dependencies)."""
    found: dict[str, Segmenter] = {}
    try:
        import pysbd  # type: ignore[import-not-found]

        sbd = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd"] = lambda text: [(s.start, s.end) for s in sbd.segment(text)]
    except ImportError:
        pass
    try:
        from syntok import segmenter as syntok_segmenter  # type: ignore[import-not-found]

        def syntok_spans(text: str) -> Spans:
            return [
                (sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
                for paragraph in syntok_segmenter.analyze(text)
                for sentence in paragraph
                if sentence
            ]

        found["syntok"] = syntok_spans
    except ImportError:
        pass
    return found


# --- measures ------------------------------------------------------------------------------------


def stripped(text: str, spans: Spans) -> Spans:
    """Spans shrunk to their non-whitespace extent; whitespace-only spans dropped."""
    result = []
    for s, e in spans:
        piece = text[s:e]
        left, right = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if right > left:
            result.append((s + left, s + right))
    return result


def expected_spans(case: Case) -> Spans:
    spans, position = [], 0
    for sentence in case.expected:
        start = case.text.index(sentence, position)
        position = start + len(sentence)
        spans.append((start, position))
    return spans


def accuracy(segmenter: Segmenter) -> tuple[int, float, float, float, tuple[str, ...]]:
    """Cases passed, boundary precision, recall, F1 and the failed case ids."""
    passed, true_pos, predicted, gold = 0, 0, 0, 0
    failed = []
    for case in CASES:
        got = stripped(case.text, segmenter(case.text))
        want = expected_spans(case)
        if [case.text[s:e] for s, e in got] == list(case.expected):
            passed += 1
        else:
            failed.append(case.id)
        got_ends, want_ends = {e for _, e in got[:-1]}, {e for _, e in want[:-1]}
        true_pos += len(got_ends & want_ends)
        predicted += len(got_ends)
        gold += len(want_ends)
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return passed, precision, recall, f1, tuple(failed)


def throughput(segmenter: Segmenter, texts: Sequence[str], repeats: int) -> float:
    """MB (UTF-8) per CPU second, median over `repeats` passes over all texts."""
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for text in texts:
            segmenter(text)
        times.append(time.process_time() - start)
    return megabytes / max(statistics.median(times), 1e-9)


def rewrapped(text: str, width: int = 70) -> str:
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) if line.strip() else ""
        for line in text.split("\n")
    )


def consistency(segmenter: Segmenter, pairs: Sequence[tuple[str, str]]) -> float | None:
    """Share of (wrapped, unwrapped) text pairs whose sentences, whitespace-normalised, are equal."""

    def sentences(text: str) -> list[str]:
        return [" ".join(text[s:e].split()) for s, e in stripped(text, segmenter(text))]

    same = sum(sentences(wrapped) == sentences(plain) for wrapped, plain in pairs)
    return round(same / len(pairs), 4) if pairs else None


# --- report --------------------------------------------------------------------------------------


def run(eval_data: Path, repeats: int, log: Callable[[str], None]) -> tuple[list[Row], dict[str, object]]:
    texts, source = load_texts(eval_data)
    rewrapped_pairs = [(rewrapped(t), t) for t in texts]
    duc_raw = load_duc_raw(eval_data)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    log(f"texts: {len(texts)} documents, {megabytes:.2f} MB from {source}")
    started = time.perf_counter()
    trained = punkt(texts)
    training_s = time.perf_counter() - started
    log(f"Punkt trained on them in {training_s:.1f} s")

    segmenters: dict[str, tuple[Segmenter, bool]] = {  # name -> (segmenter, measure speed and wrapping)
        "ours": (sentence_spans, True),
        "punkt (trained)": (trained, True),
        "punkt (trained) by paragraph": (by_paragraph(trained), False),
        "punkt (untrained)": (punkt(None), False),
        **{name: (seg, True) for name, seg in optional_segmenters().items()},
    }
    rows = []
    for name, (segmenter, full) in segmenters.items():
        log(f"measuring {name}...")
        passed, precision, recall, f1, failed = accuracy(segmenter)
        rows.append(Row(
            segmenter=name, cases_passed=passed, cases=len(CASES),
            precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4),
            mb_per_s=round(throughput(segmenter, texts, repeats), 2) if full else None,
            wrap_consistency=consistency(segmenter, rewrapped_pairs) if full else None,
            duc_raw_consistency=consistency(segmenter, duc_raw) if full else None,
            failed=failed,
        ))
    meta = {"texts": len(texts), "megabytes": round(megabytes, 2), "source": source,
            "duc_raw_documents": len(duc_raw), "punkt_training_s": round(training_s, 1),
            "repeats": repeats}
    return rows, meta


def table(rows: Sequence[Row]) -> str:
    def share(value: float | None) -> str:
        return f"{value:8.1%}" if value is not None else f"{'-':>8}"

    lines = [f"{'segmenter':<30} {'cases':>7} {'P':>6} {'R':>6} {'F1':>6} {'MB/s':>7} "
             f"{'wrap ok':>8} {'DUC raw':>8}"]
    for r in rows:
        speed = f"{r.mb_per_s:7.2f}" if r.mb_per_s is not None else f"{'-':>7}"
        lines.append(f"{r.segmenter:<30} {r.cases_passed:>3}/{r.cases:<3} "
                     f"{r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {speed} "
                     f"{share(r.wrap_consistency)} {share(r.duc_raw_consistency)}")
    ours = next(r for r in rows if r.segmenter == "ours")
    for r in rows:
        if r is not ours and r.mb_per_s and ours.mb_per_s:
            lines.append(f"ours runs at {ours.mb_per_s / r.mb_per_s:.1f}x the speed of {r.segmenter}")
    for r in rows:
        if r.failed:
            lines.append(f"{r.segmenter} fails: {', '.join(r.failed)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA,
                        help="eval-data folder (default: ../shared/eval-data next to the repo)")
    parser.add_argument("--repeats", type=int, default=3, help="throughput passes; the median is kept")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    log = (lambda message: print(message, file=sys.stderr)) if args.json else print
    rows, meta = run(args.eval_data, max(1, args.repeats), log)
    if args.json:
        print(json.dumps({**meta, "results": [asdict(r) for r in rows]}, indent=2))
    else:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
