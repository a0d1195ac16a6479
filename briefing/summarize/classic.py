"""The classic single-list summarisers: every sumy algorithm, and the lead baseline.

Sumy gets a document model built directly from our units (one paragraph per document, the
document's title as its heading), tokenised by our offline ``SumyTokenizer`` and stemmed by our
stemmer, so each sentence sumy returns is one of our objects and maps back to its unit — and so
to its citation — by identity. The length budget goes in as sumy's ``count`` callable, which
receives the sentences best first and keeps a prefix.

Sumy's KL and SumBasic rank by greedily building a summary over *all* sentences (KL is cubic in
the input); the subclasses below stop once the budget is filled, which returns exactly the
sentences the full run would rank first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from briefing.summarize.units import Budget, Unit, take
from briefing.text.tokens import SumyTokenizer, stem, stop_words, words

_TOKENIZER = SumyTokenizer()
EDMUNDSON_KEY_WORDS = 20  # without a query, the key method's bonus words are the most frequent stems


def _document(units: Sequence[Unit]) -> tuple[ObjectDocumentModel, dict[int, int]]:
    """A sumy document with one paragraph per source document, and sentence identity → unit."""
    paragraphs: dict[str, list[SumySentence]] = {}
    index: dict[int, int] = {}
    for i, u in enumerate(units):
        sentences = paragraphs.get(u.doc_id)
        if sentences is None:
            sentences = paragraphs[u.doc_id] = []
            if u.title:
                sentences.append(SumySentence(u.title, _TOKENIZER, is_heading=True))
        s = SumySentence(u.text, _TOKENIZER)
        sentences.append(s)
        index[id(s)] = i
    return ObjectDocumentModel([Paragraph(p) for p in paragraphs.values()]), index


def _count(units: Sequence[Unit], budget: Budget, index: dict[int, int]) -> Callable[[list[Any]], list[Any]]:
    """Sumy's ``count`` argument: keeps the best-rated sentences until the budget is reached."""

    def count(infos: list[Any]) -> list[Any]:
        kept = take(range(len(infos)), [units[index[id(info.sentence)]] for info in infos], budget)
        return [infos[k] for k in kept]

    return count


def _run(summarizer: Any, units: Sequence[Unit], budget: Budget) -> list[int]:
    if not units:
        return []
    document, index = _document(units)
    if hasattr(summarizer, "budget"):
        summarizer.budget = (budget, {id_: units[i].words for id_, i in index.items()})
    picked = summarizer(document, _count(units, budget, index))
    return [index[id(s)] for s in picked]


def _with_stop_words(summarizer: Any) -> Any:
    summarizer.stop_words = stop_words()
    return summarizer


# --- early-stopping greedy summarisers ------------------------------------------------------------


class _Stopping:
    """Mixin: the greedy loop stops once the chosen sentences fill the budget."""

    budget: tuple[Budget, dict[int, int]] | None = None

    def _done(self, chosen: list[Any]) -> bool:
        if self.budget is None:
            return False
        budget, words = self.budget
        return budget.reached(len(chosen), sum(words[id(s)] for s in chosen))


class StoppingKL(_Stopping, KLSummarizer):
    def _compute_ratings(self, sentences: Sequence[Any]) -> dict[Any, float]:
        word_freq = self.compute_tf(sentences)
        ratings: dict[Any, float] = {s: float("-inf") for s in sentences}
        summary: list[Any] = []
        remaining = list(sentences)
        as_words = [self._get_content_words_in_sentence(s) for s in sentences]
        while remaining and not self._done(summary):
            summary_words = self._get_all_words_in_doc(summary)
            kls = [self._kl_divergence(self._joint_freq(w, summary_words), word_freq) for w in as_words]
            best = self._find_index_of_best_sentence(kls)
            sentence = remaining.pop(best)
            del as_words[best]
            summary.append(sentence)
            ratings[sentence] = -float(len(summary))
        return ratings


class StoppingSumBasic(_Stopping, SumBasicSummarizer):
    def _compute_ratings(self, sentences: Sequence[Any]) -> dict[Any, float]:
        word_freq = self._compute_tf(sentences)
        ratings: dict[Any, float] = {s: float("-inf") for s in sentences}
        summary: list[Any] = []
        remaining = list(sentences)
        as_words = [self._get_content_words_in_sentence(s) for s in sentences]
        while remaining and not self._done(summary):
            best = self._find_index_of_best_sentence(word_freq, as_words)
            sentence = remaining.pop(best)
            summary.append(sentence)
            ratings[sentence] = -float(len(summary))
            self._update_tf(word_freq, as_words.pop(best))
        return ratings


# --- the registry entries -----------------------------------------------------------------------


def lexrank(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """LexRank (Erkan & Radev 2004): centrality in the graph of similar sentences."""
    return _run(_with_stop_words(LexRankSummarizer(stem)), units, budget)


def textrank(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """TextRank (Mihalcea & Tarau 2004): PageRank over sentence word overlap."""
    return _run(_with_stop_words(TextRankSummarizer(stem)), units, budget)


def lsa(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """LSA (Steinberger & Ježek 2004): sentences strongest in the top latent topics."""
    return _run(_with_stop_words(LsaSummarizer(stem)), units, budget)


def luhn(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """Luhn (1958): clusters of significant (frequent) words."""
    return _run(_with_stop_words(LuhnSummarizer(stem)), units, budget)


def reduction(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """Reduction: sentences with the largest total word overlap with all others."""
    return _run(_with_stop_words(ReductionSummarizer(stem)), units, budget)


def kl(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """KL-Sum (Haghighi & Vanderwende 2009): greedily match the input's word distribution."""
    return _run(_with_stop_words(StoppingKL(stem)), units, budget)


def sumbasic(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """SumBasic (Nenkova & Vanderwende 2005): frequent words, down-weighted once used."""
    return _run(_with_stop_words(StoppingSumBasic(stem)), units, budget)


def edmundson(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """Edmundson (1969): key words (the query's, else the most frequent), title words and location."""
    key = _content_words(query) if query else []
    if not key:
        counts = Counter(w for u in units for w in _content_words(u.text))
        key = [w for w, _ in counts.most_common(EDMUNDSON_KEY_WORDS)]
    summarizer = EdmundsonSummarizer(
        stem, cue_weight=0.0, key_weight=1.0 if key else 0.0, title_weight=1.0, location_weight=1.0
    )
    summarizer.bonus_words = key or ["_"]  # sumy stems these itself
    summarizer.null_words = stop_words()
    return _run(summarizer, units, budget)


def _content_words(text: str) -> list[str]:
    stops = stop_words()
    return [w for w in words(text) if len(w) > 1 and w not in stops]


def lead(units: list[Unit], budget: Budget, query: str | None = None) -> list[int]:
    """Round-robin lead: every document's first sentence, then every second sentence, and so on."""
    by_position = sorted(range(len(units)), key=lambda i: (units[i].position, units[i].doc_rank))
    return take(by_position, units, budget)
