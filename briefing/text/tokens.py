"""Words, stems and stop words, offline: the vocabulary every matcher and summariser shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

from briefing.text.normalize import fold

WORD = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*", re.UNICODE)  # what ``words`` and ``word_spans`` find
# The Snowball English (Porter2) stemmer, the algorithm NLTK's SnowballStemmer implements, from
# the small snowballstemmer package: importing nltk itself costs seconds at start-up. With
# PyStemmer installed (a dependency) snowballstemmer hands out its C implementation: the same
# stems, about 37 times faster than the pure-Python one.
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (sumy's bundled list plus a few news function words)."""
    from importlib.resources import files

    listed = files("sumy").joinpath("data/stopwords/english.txt").read_text(encoding="utf-8")
    extra = {"said", "says", "say", "also", "would", "could", "mr", "mrs", "ms", "one", "two", "new"}
    return frozenset(w.strip() for w in listed.splitlines() if w.strip()) | extra


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def name_stems(name: str) -> frozenset[str]:
    """The stems of a name's words: two names are one when they share one ("the Liberals" and
    "Trudeau's Liberal Party"; "Turkish President Erdogan" and "the Turkish offensive")."""
    return frozenset(stem(w) for w in name.split())


def words(text: str) -> list[str]:
    """Lower-cased words of the folded text (``U.S.`` stays one word, ``"`` and ``,`` go)."""
    folded = fold(text)
    # A word starts and ends with a letter or digit, and lower-casing keeps letters letters, so
    # the text can be lower-cased first — except for 'İ', which lower-cases to two characters.
    if "\u0130" not in folded:
        return WORD.findall(folded.lower())
    return [w.lower() for w in WORD.findall(folded)]


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, word)`` over the verbatim text, for highlighting and flagging."""
    for m in WORD.finditer(text):
        yield m.start(), m.end(), m.group()


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry content: no stop words, no one-letter tokens."""
    stops = stop_words()
    return [stem(w) for w in words(text) if len(w) > 1 and w not in stops]


def content_words(text: str) -> list[tuple[str, str]]:
    """``(word, stem)`` for the content words of the text, in order."""
    stops = stop_words()
    return [(w, stem(w)) for w in words(text) if len(w) > 1 and w not in stops]


class SumyTokenizer:
    """The two methods sumy calls on a tokenizer, backed by our offline segmenter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from briefing.text.segment import split_sentences

        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
