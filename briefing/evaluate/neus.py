"""The brief's consensus beside extractive summaries on NeuS/AllSides: ROUGE and framing bias.

Each NeuS/AllSides cluster (Lee et al., NAACL 2022) holds three short snippets on one event from a
left-, a centre- and a right-rated outlet, and one neutral summary by AllSides' editors. Every system
turns the three snippets into a text of ``N`` words (default: the median reference length, rounded),
in one run, on the same clusters:

* **brief consensus** — ``Corpus.from_texts({id: text}).brief()`` (no topic, detail ``normal``). The
  text is the representative quote (``agreements[*].summary``) of each agreement, in brief order
  (A1, A2, …). While that is shorter than ``N`` words, sentences of the brief's per-source summaries
  (``per_source[*].summary``: each source's most salient sentences of six words or more, in document
  order) are appended round-robin — the first sentence of each source in the brief's source order
  (sorted document ids, which here is the cluster's order), then each second sentence, and so on —
  skipping any sentence already taken. The result is cut to ``N`` words. A cluster the brief cannot
  brief (no sentence of six words or more) gives an empty text.
* **the summarisers** (``lexrank``, ``lead`` and ``default`` unless told otherwise) — the same
  documents through ``summarize_texts(documents, method, words=N)``, cut to ``N`` words.

Scores, each a mean over clusters: ROUGE-1/2/L recall and F1 against the reference (``rouge-score``
with stemming, ×100, ``briefing.evaluate.rouge``) and the NeuS framing-bias metric (Arousal+,
Arousal-, their sum; ``briefing.evaluate.framing_bias``) of the same ``N``-word text. Since many
clusters give the brief no agreement at all (three short snippets seldom report one point in
sentences similar enough), the report also gives how often the brief finds an agreement or a dispute,
how often the fill rule was needed, and the same scores over the clusters with an agreement only.

``briefing evaluate neus [PATH] [--words N] [--limit K] [--format text|json|md]`` runs it; the data
(``neus-allsides/neus_allsides_val.jsonl``) and the NRC-VAD lexicon are read from ``../shared/eval-data``
next to the repository unless paths are given, and never copied into the project.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError, EvalDataMissing, NothingToSummarize
from briefing.evaluate.framing_bias import (
    VAD,
    Lemmatizer,
    LexiconMissing,
    WordNetNouns,
    arousal,
    lemmatize_noun,
    load_vad,
)
from briefing.evaluate.rouge import KINDS, score, truncate
from briefing.evaluate.summaries import parse_methods, read_clusters

DEFAULT_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "eval-data"
DATA_FILE = Path("neus-allsides") / "neus_allsides_val.jsonl"
LEXICON_FILE = Path("nrc-vad") / "NRC-VAD-Lexicon.txt"
DEFAULT_METHODS = ("lexrank", "lead", "default")
CONSENSUS = "brief consensus"
TOKENIZER_NOTE = (
    "NLTK TreebankWordTokenizer over briefing's sentence splitter (stand-in for nltk.word_tokenize, "
    "whose Punkt data is not available offline)"
)
RULE_LEMMATIZER_NOTE = (
    "briefing's rule-based noun lemmatiser (offline stand-in for NLTK's WordNetLemmatizer, pos n; "
    "unlike WordNet it also strips the s of verb forms such as 'threatens')"
)


# --- data --------------------------------------------------------------------------------------------


def data_path(path: Path | None) -> Path:
    """The cluster file: ``path`` itself, or the val file under an eval-data or neus-allsides folder."""
    path = path or DEFAULT_ROOT
    if path.is_dir():
        for candidate in (path / DATA_FILE, path / DATA_FILE.name):
            if candidate.is_file():
                return candidate
        path = path / DATA_FILE
    if not path.is_file():
        raise EvalDataMissing(
            f"no NeuS/AllSides data at {path}; pass neus_allsides_val.jsonl or the eval-data folder "
            "(see eval-data/neus-allsides/SOURCE.md)"
        )
    return path


@dataclass(frozen=True)
class Cluster:
    id: str
    documents: list[dict[str, Any]]
    reference: str


def load_clusters(path: Path, limit: int | None = None) -> list[Cluster]:
    """Clusters with a non-empty first reference; document ids default to ``doc<i>``."""
    clusters: list[Cluster] = []
    for n, row in enumerate(read_clusters(path)):
        references = [str(r) for r in row.get("references") or [] if str(r).strip()]
        if not references:
            continue
        if limit is not None and len(clusters) >= limit:
            break
        documents = [
            {"id": str(d.get("id") or f"doc{i}"), "title": d.get("title"), "text": str(d.get("text") or "")}
            for i, d in enumerate(row["documents"])
        ]
        clusters.append(Cluster(str(row.get("cluster_id") or n), documents, references[0]))
    return clusters


def reference_length(clusters: Sequence[Cluster]) -> float:
    """Median reference length in whitespace-separated words."""
    return float(statistics.median(len(c.reference.split()) for c in clusters)) if clusters else 0.0


# --- the systems ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consensus:
    """The brief's consensus text for one cluster, and what the brief held."""

    text: str
    agreements: int = 0
    disputes: int = 0
    agreement_words: int = 0  # words of the cut text that come from agreements
    filled: bool = False  # sentences of the per-source summaries were needed
    failed: bool = False  # the brief had nothing to brief


def brief_consensus(documents: Sequence[Mapping[str, Any]], words: int) -> Consensus:
    """Agreements' representative quotes, filled from the per-source summaries, cut to ``words``."""
    from briefing.corpus import Corpus

    texts = {
        str(d.get("id") or f"doc{i}"): {"text": str(d.get("text") or ""), "title": d.get("title")}
        for i, d in enumerate(documents)
    }
    with Corpus.from_texts(texts) as corpus:
        try:
            brief = corpus.brief()
        except NothingToSummarize:
            return Consensus("", failed=True)
    taken = [a.summary for a in brief.agreements]
    used = {q.citation for q in taken}
    agreement_words = sum(len(q.text.split()) for q in taken)
    total = agreement_words
    filled = False
    depth = max((len(v.summary) for v in brief.per_source), default=0)
    for k in range(depth):
        for view in brief.per_source:
            if total >= words:
                break
            if k < len(view.summary) and view.summary[k].citation not in used:
                quote = view.summary[k]
                taken.append(quote)
                used.add(quote.citation)
                total += len(quote.text.split())
                filled = True
    return Consensus(
        text=truncate(" ".join(q.text for q in taken), words),
        agreements=len(brief.agreements),
        disputes=len(brief.disputes),
        agreement_words=min(agreement_words, words),
        filled=filled,
    )


def summary_text(documents: Sequence[Mapping[str, Any]], method: str, words: int) -> str:
    from briefing.summarize import summarize_texts

    return truncate(" ".join(summarize_texts(documents, method, words=words)), words)


# --- scoring -------------------------------------------------------------------------------------------


@dataclass
class SystemScore:
    """Running sums for one system; ``as_dict`` gives the means."""

    system: str
    clusters: int = 0
    words: int = 0
    recall: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    f1: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    arousal_positive: float = 0.0
    arousal_negative: float = 0.0
    arousal_sums: list[float] = field(default_factory=list)  # per cluster, for standard errors

    def add(self, text: str, reference: str, lexicon: Mapping[str, VAD] | None, lemmatize: Lemmatizer) -> None:
        self.clusters += 1
        self.words += len(text.split())
        scores = score(text, [reference])
        for kind in KINDS:
            self.recall[kind] += scores.recall[kind]
            self.f1[kind] += scores.f1[kind]
        if lexicon is not None:
            found = arousal(text, reference, lexicon, lemmatize)
            self.arousal_positive += found.positive
            self.arousal_negative += found.negative
            self.arousal_sums.append(found.total)

    def as_dict(self, framing: bool = True) -> dict[str, Any]:
        n = max(self.clusters, 1)
        out: dict[str, Any] = {"system": self.system, "clusters": self.clusters}
        out.update({f"{k}_recall": round(100 * self.recall[k] / n, 2) for k in KINDS})
        out.update({f"{k}_f1": round(100 * self.f1[k] / n, 2) for k in KINDS})
        if framing:
            out["arousal_positive"] = round(self.arousal_positive / n, 3)
            out["arousal_negative"] = round(self.arousal_negative / n, 3)
            out["arousal_sum"] = round((self.arousal_positive + self.arousal_negative) / n, 3)
            out["arousal_sum_se"] = round(standard_error(self.arousal_sums), 3)
        out["mean_words"] = round(self.words / n, 1)
        return out


def standard_error(values: Sequence[float]) -> float:
    """Standard error of the mean (zero for fewer than two values)."""
    return statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0


def paired_differences(systems: Sequence[SystemScore]) -> list[dict[str, Any]]:
    """Each system's Arousal sum minus the first system's, cluster by cluster: mean and standard error."""
    if not systems or not systems[0].arousal_sums:
        return []
    base = systems[0].arousal_sums
    out = []
    for other in systems[1:]:
        diffs = [b - a for a, b in zip(base, other.arousal_sums, strict=True)]
        out.append({
            "system": other.system, "minus": systems[0].system,
            "arousal_sum_difference": round(statistics.fmean(diffs), 3),
            "se": round(standard_error(diffs), 3),
        })
    return out


@dataclass
class BriefCounts:
    clusters: int = 0
    with_agreement: int = 0
    with_dispute: int = 0
    with_either: int = 0
    failed: int = 0
    filled: int = 0
    agreements: int = 0
    words: int = 0
    agreement_words: int = 0

    def add(self, c: Consensus) -> None:
        self.clusters += 1
        self.with_agreement += c.agreements > 0
        self.with_dispute += c.disputes > 0
        self.with_either += c.agreements > 0 or c.disputes > 0
        self.failed += c.failed
        self.filled += c.filled
        self.agreements += c.agreements
        self.words += len(c.text.split())
        self.agreement_words += c.agreement_words

    def as_dict(self) -> dict[str, Any]:
        def pct(k: int) -> float:
            return round(100 * k / self.clusters, 1) if self.clusters else 0.0

        return {
            "clusters": self.clusters,
            "with_agreement": self.with_agreement, "with_agreement_pct": pct(self.with_agreement),
            "with_dispute": self.with_dispute, "with_dispute_pct": pct(self.with_dispute),
            "with_agreement_or_dispute": self.with_either, "with_agreement_or_dispute_pct": pct(self.with_either),
            "filled": self.filled, "filled_pct": pct(self.filled),
            "failed": self.failed,
            "mean_agreements": round(self.agreements / max(self.clusters, 1), 2),
            "consensus_words_from_agreements_pct": round(100 * self.agreement_words / max(self.words, 1), 1),
        }


@dataclass(frozen=True)
class Report:
    data: str
    lexicon: str | None  # None: the framing-bias metric was skipped
    words: int
    median_reference_words: float
    lemmatizer: str
    systems: list[SystemScore]
    with_agreement: list[SystemScore]
    brief: BriefCounts
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        framing = self.lexicon is not None
        return {
            "data": self.data,
            "lexicon": self.lexicon,
            "clusters": self.brief.clusters,
            "words": self.words,
            "median_reference_words": self.median_reference_words,
            "tokenizer": TOKENIZER_NOTE,
            "lemmatizer": self.lemmatizer,
            "systems": [s.as_dict(framing) for s in self.systems],
            "paired_arousal": paired_differences(self.systems),
            "with_agreement": {
                "clusters": self.brief.with_agreement,
                "systems": [s.as_dict(framing) for s in self.with_agreement],
                "paired_arousal": paired_differences(self.with_agreement),
            },
            "brief": self.brief.as_dict(),
            "notes": self.notes,
        }


def evaluate(
    clusters: Iterable[Cluster],
    *,
    words: int | None = None,
    methods: Sequence[str] = DEFAULT_METHODS,
    lexicon: Mapping[str, VAD] | None = None,
    lemmatize: Lemmatizer = lemmatize_noun,
    lemmatizer_note: str = RULE_LEMMATIZER_NOTE,
    data: str = "",
    lexicon_name: str | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """Every system on every cluster, scored side by side (``words``: default the median reference)."""
    clusters = list(clusters)
    median = reference_length(clusters)
    n_words = words or max(1, round(median))
    names = parse_methods(list(methods))
    counts = BriefCounts()
    scores = {name: SystemScore(name) for name in [CONSENSUS, *names]}
    subset = {name: SystemScore(name) for name in scores}
    for cluster in clusters:
        consensus = brief_consensus(cluster.documents, n_words)
        counts.add(consensus)
        texts = {CONSENSUS: consensus.text}
        texts.update({m: summary_text(cluster.documents, m, n_words) for m in names})
        for name, text in texts.items():
            scores[name].add(text, cluster.reference, lexicon, lemmatize)
            if consensus.agreements:
                subset[name].add(text, cluster.reference, lexicon, lemmatize)
    return Report(
        data=data, lexicon=lexicon_name if lexicon is not None else None, words=n_words,
        median_reference_words=median, lemmatizer=lemmatizer_note, systems=list(scores.values()),
        with_agreement=list(subset.values()), brief=counts, notes=list(notes),
    )


def run(
    path: Path | None = None,
    *,
    words: int | None = None,
    limit: int | None = None,
    lexicon: Path | None = None,
    wordnet: Path | None = None,
    methods: Sequence[str] = DEFAULT_METHODS,
) -> Report:
    """Load the data and the lexicon (from the eval-data folder unless given) and evaluate.

    Raises ``EvalDataMissing`` when the clusters are absent. An absent lexicon at the default place
    skips the framing-bias metric with a note; an absent lexicon or WordNet folder that was named
    explicitly is a ``ConfigError``.
    """
    file = data_path(path)
    notes: list[str] = []
    lexicon_file = lexicon or _sibling_root(path) / LEXICON_FILE
    vad: dict[str, VAD] | None = None
    try:
        vad = load_vad(lexicon_file)
    except LexiconMissing as err:
        if lexicon is not None:
            raise ConfigError(str(err)) from None
        notes.append(f"framing bias skipped: {err}")
    lemmatize: Lemmatizer = lemmatize_noun
    note = RULE_LEMMATIZER_NOTE
    if wordnet is not None:
        try:
            lemmatize = WordNetNouns.from_dir(wordnet)
        except LexiconMissing as err:
            raise ConfigError(str(err)) from None
        note = f"WordNet noun morphy as NLTK's WordNetLemmatizer (pos n), from {wordnet}"
    clusters = load_clusters(file, limit)
    if not clusters:
        raise ConfigError(f"{file} holds no cluster with a reference; check the file")
    return evaluate(
        clusters, words=words, methods=methods, lexicon=vad, lemmatize=lemmatize, lemmatizer_note=note,
        data=str(file), lexicon_name=str(lexicon_file), notes=notes,
    )


def _sibling_root(path: Path | None) -> Path:
    """The eval-data folder the data path lies in (for the lexicon's default place)."""
    if path is None:
        return DEFAULT_ROOT
    for folder in (path, *path.parents):
        if (folder / LEXICON_FILE).is_file():
            return folder
    return DEFAULT_ROOT


# --- output ---------------------------------------------------------------------------------------------


def _cell(key: str, value: float) -> str:
    places = 3 if key.startswith("arousal") else 1 if key == "mean_words" else 2
    return f"{value:.{places}f}"


def _table(rows: list[dict[str, Any]], markdown: bool) -> str:
    framing = rows and "arousal_sum" in rows[0]
    head = ["system", "R1 rec", "R2 rec", "RL rec", "R1 F1", "R2 F1", "RL F1"]
    keys = [f"{k}_recall" for k in KINDS] + [f"{k}_f1" for k in KINDS]
    if framing:
        head += ["Arousal+", "Arousal-", "Arousal sum", "(SE)"]
        keys += ["arousal_positive", "arousal_negative", "arousal_sum", "arousal_sum_se"]
    head.append("words")
    keys.append("mean_words")
    body = [[str(r["system"]), *(_cell(k, r[k]) for k in keys)] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in [head, *body]
    )


def _paired(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    parts = [f"{r['system']} {r['arousal_sum_difference']:+.3f} (SE {r['se']:.3f})" for r in rows]
    return ["", f"Arousal sum minus the {rows[0]['minus']}'s, paired by cluster: " + ", ".join(parts)]


def render(report: Report, fmt: str = "text") -> str:
    """``json``, or a readable report with aligned (``text``) or Markdown (``md``) tables."""
    data = report.as_dict()
    if fmt == "json":
        return json.dumps(data, indent=2)
    md = fmt == "md"
    b = data["brief"]
    lines = [
        f"NeuS/AllSides: {data['clusters']} clusters from {data['data']}",
        f"N = {data['words']} words (median reference length {data['median_reference_words']:g} words); "
        "every text is cut to N words; ROUGE with stemming against the one reference, x100, mean over clusters",
    ]
    if data["lexicon"]:
        lines.append(
            "framing bias (NeuS): NRC-VAD arousal of the words a text adds to the reference, "
            "valence > 0.65 -> Arousal+, < 0.35 -> Arousal-; mean per cluster (SE: standard error of the "
            "sum's mean), lower = less framing bias"
        )
        lines.append(f"tokeniser: {data['tokenizer']}")
        lines.append(f"lemmatiser: {data['lemmatizer']}")
    lines += ["", _table(data["systems"], md), *_paired(data["paired_arousal"]), ""]
    lines.append(
        f"brief: an agreement in {b['with_agreement']}/{b['clusters']} clusters ({b['with_agreement_pct']}%), "
        f"a dispute in {b['with_dispute']} ({b['with_dispute_pct']}%), either in "
        f"{b['with_agreement_or_dispute']} ({b['with_agreement_or_dispute_pct']}%); "
        f"{b['mean_agreements']} agreements per cluster on average"
    )
    lines.append(
        f"consensus filled from the per-source summaries in {b['filled']} clusters ({b['filled_pct']}%); "
        f"{b['consensus_words_from_agreements_pct']}% of the consensus words come from agreements; "
        f"{b['failed']} clusters could not be briefed"
    )
    subset = data["with_agreement"]
    if subset["clusters"]:
        lines += ["", f"the {subset['clusters']} clusters where the brief found an agreement:", "",
                  _table(subset["systems"], md), *_paired(subset["paired_arousal"])]
    lines += [f"note: {n}" for n in data["notes"]]
    return "\n".join(lines)
