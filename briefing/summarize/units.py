"""What every summariser works on: sentences (units) of several documents and a length budget.

A ``Unit`` is one quotable sentence with the metadata a multi-document summariser needs: its
document, its place in it, the document's date, title and near-duplicate group, and whether it
reads like instructions. A ``Budget`` is a number of sentences or of words. Summarisers return
indexes into the unit list, so every chosen sentence maps back to its citation exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from briefing.errors import ConfigError

DEFAULT_SENTENCES = 5
MAX_SENTENCES = 200
MAX_WORDS = 5000


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one document."""

    doc_id: str
    position: int  # 0-based place among the document's kept sentences
    text: str
    citation: str | None = None
    date: str | None = None  # ISO date of the document when known
    title: str | None = None  # the document's title
    group: str | None = None  # near-duplicate group: copies of one text share it
    doc_rank: int = 0  # the document's place in the input (source order)
    instructions: bool = False  # reads like instructions to an assistant

    @property
    def words(self) -> int:
        """Length in whitespace-separated words: the measure the word budget uses."""
        return len(self.text.split())

    @property
    def source_group(self) -> str:
        return self.group or self.doc_id


@dataclass(frozen=True, slots=True)
class Budget:
    """At most ``sentences`` sentences, or about ``words`` words.

    With a word budget sentences are added while the summary is shorter than ``words``, so the last
    one may run past it (evaluations truncate to exactly ``words``).
    """

    sentences: int | None = None
    words: int | None = None

    @classmethod
    def of(cls, sentences: int | None = None, words: int | None = None) -> Budget:
        """Check the flags: one of the two, positive and bounded; neither means the default."""
        if sentences is not None and words is not None:
            raise ConfigError("give either a number of sentences or of words, not both")
        if sentences is not None and not 1 <= sentences <= MAX_SENTENCES:
            raise ConfigError(f"sentences must be between 1 and {MAX_SENTENCES}, not {sentences}")
        if words is not None and not 1 <= words <= MAX_WORDS:
            raise ConfigError(f"words must be between 1 and {MAX_WORDS}, not {words}")
        if sentences is None and words is None:
            sentences = DEFAULT_SENTENCES
        return cls(sentences=sentences, words=words)

    def reached(self, count: int, words: int) -> bool:
        """Is a summary of ``count`` sentences and ``words`` words long enough?"""
        if self.words is not None:
            return words >= self.words
        return count >= (self.sentences if self.sentences is not None else DEFAULT_SENTENCES)

    def expected_sentences(self, mean_words: float) -> int:
        """How many sentences the budget will roughly hold."""
        if self.words is not None:
            return max(1, round(self.words / max(mean_words, 1.0)))
        return self.sentences if self.sentences is not None else DEFAULT_SENTENCES


def take(ranked: Iterable[int], units: Sequence[Unit], budget: Budget) -> list[int]:
    """The best-ranked units, in rank order, until the budget is reached."""
    chosen: list[int] = []
    total = 0
    for i in ranked:
        if budget.reached(len(chosen), total):
            break
        chosen.append(i)
        total += units[i].words
    return chosen


def reading_order(units: Sequence[Unit]) -> Callable[[int], tuple[str, int, int]]:
    """Sort key for chosen units: by document date when every document has one, else by source
    order, then by position in the document."""
    dated = all(u.date for u in units)

    def key(i: int) -> tuple[str, int, int]:
        u = units[i]
        return (u.date or "" if dated else "", u.doc_rank, u.position)

    return key


def ordered(units: Sequence[Unit], chosen: Iterable[int]) -> list[int]:
    """Chosen indexes, without repeats, in reading order."""
    return sorted(dict.fromkeys(chosen), key=reading_order(units))
