"""Loaded-language flagging: which words of a verbatim quote carry a side's wording.

Two user-extensible files in ``briefing/data`` drive it (their headers document the format):

* ``loaded_terms.tsv``: ``term<TAB>category[<TAB>strength]``, one term a line. A term matches by
  Snowball stem limited to inflection: ``slam`` finds "slams" and "slammed", ``radical`` finds
  "radically", but ``socialism`` does not find "social" although Snowball gives both one stem.
  ``=word`` matches that exact lowercased form only. Strength is a weight in (0, 3], default 1.
* ``framing_pairs.tsv``: ``topic<TAB>side | side ...``, one set of opposing names for the same
  thing a line, each side one or more comma-separated phrasings (the first is its label).

Matching is case-insensitive and length-preserving: curly quotes and typographic hyphens are
folded for matching only, and every offset points into the caller's text. A space inside a
phrase matches a space or a hyphen ("far left" finds "far-left"); a hyphen must be a hyphen
("would-be" does not find "would be"). Phrases never match across other punctuation, and the
longest phrase wins where listed terms overlap.

Besides listed terms, one rule flags *scare quotes*: a quoted run of one to three words that is
not reported speech, a name or title, or a mention of a word (no verb of saying, colon,
"called", "such as"... just before it), as in: the "experts" disagreed.

``sentence_score`` sums the weights of the flagged terms. ``is_loaded`` is
``sentence_score(text) >= LOADED_THRESHOLD`` with the threshold at 1.0: one full-strength term,
or several weaker ones, make a sentence loaded. Fixed in advance as the natural unit, it was also
the best of the thresholds tried on the BABE dev half (see ``briefing.evaluate.babe``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from briefing.errors import LexiconError
from briefing.text.tokens import stem

LOADED_THRESHOLD = 1.0
"""A sentence is loaded when its flagged terms weigh at least this much (one full-strength term)."""

SCARE_QUOTE_WEIGHT = 0.8
MAX_STRENGTH = 3.0

# Length-preserving folds: each maps one character to one character.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-",
    }
)
_PART = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Before a quotation, these mark reported speech or a mention of a name or phrase, not a scare quote.
_NOT_SCARE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|wrote|writes|added|adds|asked|asks|called|calls|"
    r"stated|states|declared|tweeted|posted|replied|according to|quoted|read|reads|dubbed|"
    r"titled|entitled|named|nicknamed|known as|such as|phrase|phrases|term|terms|word|words|"
    r"slogan|slogans|hashtag|chanted|chanting|chants|headline|headlined|label|labeled|labelled|"
    r"branded|described as|referred to as)\W*$"
)
_QUOTED = re.compile(r"(?<![\w\"])(\"|')([^\"\n]{1,40}?)\1(?!\w)")


@dataclass(frozen=True)
class LoadedTerm:
    """One flagged span: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    category: str
    weight: float


@dataclass(frozen=True)
class FramingSet:
    """Opposing names for one thing; each side lists its phrasings, the first being its label."""

    topic: str
    sides: tuple[tuple[str, ...], ...]

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The label of each side, e.g. ``("revolution", "coup")``."""
        return tuple(side[0] for side in self.sides)

    def side_of(self, phrase: str) -> str | None:
        """The label of the side listing ``phrase`` (up to inflection: "coups" is "coup"), else None."""
        forms = _forms(phrase)
        for side in self.sides:
            if any(_same_words(_forms(p), forms) for p in side):
                return side[0]
        return None


class _Part(NamedTuple):  # a tuple: a brief makes one per word of every sentence
    start: int
    end: int
    form: str
    stem: str
    gap: str  # separator before this part: "-" a hyphen, " " white space, "" anything else


@dataclass(frozen=True)
class _Pattern:
    """What a term looks like once parsed: per-word keys, forms and required separators."""

    exact: bool
    keys: tuple[str, ...]  # stems, or lowercased forms when exact
    gaps: tuple[str, ...]  # before each word after the first: "-" needs a hyphen, " " either

    @classmethod
    def parse(cls, term: str) -> tuple[_Pattern, tuple[str, ...]]:
        exact = term.startswith("=")
        parts = _parts(match_fold(term[1:] if exact else term))
        keys = tuple(p.form if exact else p.stem for p in parts)
        gaps = tuple("-" if p.gap == "-" else " " for p in parts[1:])
        return cls(exact, keys, gaps), tuple(p.form for p in parts)


@dataclass(frozen=True)
class _Entry:
    pattern: _Pattern
    forms: tuple[str, ...]
    category: str
    weight: float
    framing: FramingSet | None = None
    side: str = ""


class _Index:
    """Entries grouped by pattern, bucketed by first key for one dictionary lookup per word."""

    def __init__(self, *, override: bool) -> None:
        self._override = override  # a later entry for the same words replaces the earlier one
        self._groups: dict[_Pattern, list[_Entry]] = {}
        self._by_first: dict[tuple[bool, str], list[_Pattern]] = {}
        self._first_forms: set[str] = set()  # first keys of exact patterns ...
        self._first_stems: set[str] = set()  # ... and of inflecting ones: most words are neither

    def add(self, entry: _Entry) -> None:
        group = self._groups.get(entry.pattern)
        if group is None:
            self._groups[entry.pattern] = [entry]
            (self._first_forms if entry.pattern.exact else self._first_stems).add(entry.pattern.keys[0])
            bucket = self._by_first.setdefault((entry.pattern.exact, entry.pattern.keys[0]), [])
            bucket.append(entry.pattern)
            bucket.sort(key=lambda p: len(p.keys), reverse=True)
            return
        if self._override:
            group[:] = [e for e in group if not _same_words(e.forms, entry.forms)]
        group.append(entry)

    def matches(self, parts: list[_Part]) -> Iterator[tuple[list[_Entry], int, int]]:
        """Longest non-overlapping matches, left to right: ``(entries, first_part, end_part)``."""
        i = 0
        forms, stems = self._first_forms, self._first_stems
        while i < len(parts):
            part = parts[i]
            if part.form not in forms and part.stem not in stems:
                i += 1
                continue
            best: list[_Entry] = []
            for exact, value in ((True, part.form), (False, part.stem)):
                for pattern in self._by_first.get((exact, value), ()):
                    if best and len(pattern.keys) <= len(best[0].pattern.keys):
                        break
                    fitting = self._fitting(pattern, parts, i)
                    if fitting:
                        best = fitting
                        break
            if not best:
                i += 1
                continue
            n = len(best[0].pattern.keys)
            yield best, i, i + n
            i += n

    def _fitting(self, pattern: _Pattern, parts: list[_Part], i: int) -> list[_Entry]:
        n = len(pattern.keys)
        if i + n > len(parts):
            return []
        if n > 1:  # most tries fail on the second word ("the" + ...): test it before the rest
            second = parts[i + 1]
            if (second.form if pattern.exact else second.stem) != pattern.keys[1]:
                return []
        window = parts[i:i + n]
        for k in range(1, n):
            gap = window[k].gap
            if not gap or (pattern.gaps[k - 1] == "-" and gap != "-"):
                return []
        if pattern.exact:
            ok = all(p.form == key for p, key in zip(window, pattern.keys, strict=True))
            return self._groups[pattern] if ok else []
        if any(p.stem != key for p, key in zip(window, pattern.keys, strict=True)):
            return []
        return [
            e for e in self._groups[pattern]
            if all(_inflects(p.form, form) for p, form in zip(window, e.forms, strict=True))
        ]


def _same_words(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and all(_inflects(x, y) for x, y in zip(a, b, strict=True))


_INFLECTIONS = frozenset(
    {"", "s", "es", "ed", "d", "ing", "e", "er", "ers", "est", "ly", "ally", "ily", "y", "ies",
     "ied", "ie", "ying", "'s", "s'", "e's", "es'"}
)


@lru_cache(maxsize=200_000)
def _inflects(form: str, term: str) -> bool:
    """Whether two words sharing a Snowball stem differ only by inflection.

    Snowball also strips derivational endings ("socialism" and "social" share a stem); this
    keeps "slam"/"slammed", "claim"/"claiming", "radical"/"radically" and rejects those.
    """
    n = 0
    for a, b in zip(form, term, strict=False):
        if a != b:
            break
        n += 1
    return _inflection(form[n:], form[:n]) and _inflection(term[n:], term[:n])


def _inflection(rest: str, head: str) -> bool:
    if rest in _INFLECTIONS:
        return True
    # a doubled final consonant: "slam" -> "slammed", "brag" -> "bragging"
    return bool(head) and rest[:1] == head[-1] and rest[1:] in _INFLECTIONS and rest[1:] != ""




@lru_cache(maxsize=200_000)
def _stem(form: str) -> str:
    return stem(form)


def match_fold(text: str) -> str:
    """Lowercase, straight quotes and plain hyphens; same length as ``text``, so offsets carry over."""
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _parts(folded: str) -> list[_Part]:
    parts: list[_Part] = []
    prev_end = -1
    for m in _PART.finditer(folded):
        start, end = m.span()
        if prev_end < 0:
            gap = ""
        elif start == prev_end + 1:  # one character between: the usual case
            between = folded[prev_end]
            gap = "-" if between == "-" else " " if between.isspace() else ""
        else:
            between = folded[prev_end:start]
            gap = " " if between.isspace() and between.count("\n") < 2 else ""
        form = m.group()
        parts.append(_Part(start, end, form, _stem(form), gap))
        prev_end = end
    return parts


@lru_cache(maxsize=16384)  # a brief flags each sentence, then looks for its framing terms
def _text_parts(text: str) -> tuple[str, list[_Part]]:
    folded = match_fold(text)
    return folded, _parts(folded)


def _forms(phrase: str) -> tuple[str, ...]:
    return tuple(p.form for p in _parts(match_fold(phrase)))


def _data_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(
            f"cannot read lexicon file {path}: {exc.strerror}; check the path or drop the argument "
            "to use the bundled lexicon"
        ) from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, [cell.strip() for cell in raw.rstrip("\n").split("\t")]


def _read_terms(path: Path) -> Iterator[_Entry]:
    for number, cells in _data_lines(path):
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise LexiconError(
                f"{path}:{number}: expected 'term<TAB>category[<TAB>strength]'; "
                "separate the columns with a tab"
            )
        term, category = cells[0], cells[1].lower()
        weight = 1.0
        if len(cells) > 2 and cells[2]:
            try:
                weight = float(cells[2])
            except ValueError:
                weight = -1.0
            if not 0 < weight <= MAX_STRENGTH:
                raise LexiconError(
                    f"{path}:{number}: strength {cells[2]!r} must be a number in (0, {MAX_STRENGTH}]"
                )
        pattern, forms = _Pattern.parse(term)
        if not pattern.keys:
            raise LexiconError(f"{path}:{number}: term {term!r} has no letters or digits")
        yield _Entry(pattern, forms, category, weight)


def _read_pairs(path: Path) -> Iterator[FramingSet]:
    for number, cells in _data_lines(path):
        if len(cells) < 2 or not cells[0] or "|" not in cells[1]:
            raise LexiconError(
                f"{path}:{number}: expected 'topic<TAB>side | side', at least two sides "
                "separated by '|'"
            )
        sides = tuple(
            tuple(p.strip() for p in side.split(",") if p.strip()) for side in cells[1].split("|")
        )
        if len(sides) < 2 or any(not side for side in sides):
            raise LexiconError(f"{path}:{number}: every side of {cells[1]!r} needs a phrasing")
        yield FramingSet(cells[0], sides)


def _bundled(name: str) -> Path:
    return Path(str(resources.files("briefing") / "data" / name))


class LoadedLexicon:
    """Loaded terms and framing sets, compiled into a stem index for fast per-sentence matching."""

    def __init__(self, terms: Iterable[_Entry], framing: Iterable[FramingSet]) -> None:
        self._terms = _Index(override=True)
        single: set[str] = set()
        for entry in terms:
            self._terms.add(entry)
            if len(entry.forms) == 1:
                single.add(entry.forms[0])
        self._single_words = frozenset(single)
        self._sets = tuple(framing)
        self._framing = _Index(override=False)
        for fset in self._sets:
            for side in fset.sides:
                for phrasing in side:
                    pattern, forms = _Pattern.parse(phrasing)
                    if pattern.keys:
                        self._framing.add(_Entry(pattern, forms, "framing", 1.0, fset, side[0]))

    @classmethod
    def default(cls) -> LoadedLexicon:
        """The bundled ``loaded_terms.tsv`` and ``framing_pairs.tsv`` (built once, then cached)."""
        return _default()

    @classmethod
    def from_files(cls, terms: Path | None = None, pairs: Path | None = None) -> LoadedLexicon:
        """The bundled files extended by the given ones.

        A user file adds terms and sets; a user line for an already listed term (up to
        inflection) replaces that term's category and strength.
        """
        entries = list(_read_terms(_bundled("loaded_terms.tsv")))
        sets = list(_read_pairs(_bundled("framing_pairs.tsv")))
        if terms is not None:
            entries.extend(_read_terms(Path(terms)))
        if pairs is not None:
            sets.extend(_read_pairs(Path(pairs)))
        return cls(entries, sets)

    def flag(self, text: str) -> list[LoadedTerm]:
        """Loaded terms in ``text`` as verbatim spans, in order of position."""
        folded, parts = _text_parts(text)
        found = [
            LoadedTerm(parts[a].start, parts[b - 1].end, text[parts[a].start:parts[b - 1].end],
                       entries[-1].category, entries[-1].weight)
            for entries, a, b in self._terms.matches(parts)
        ]
        taken = {(t.start, t.end) for t in found}
        found.extend(
            t for t in _scare_quotes(text, folded, parts)
            if not any(s < t.end and t.start < e for s, e in taken)
        )
        return sorted(found, key=lambda t: (t.start, t.end))

    def sentence_score(self, text: str) -> float:
        """How loaded a sentence is: the summed weight of its flagged terms (0 = none)."""
        return round(sum(t.weight for t in self.flag(text)), 6)

    def is_loaded(self, text: str) -> bool:
        """True when ``sentence_score(text) >= LOADED_THRESHOLD``."""
        return self.sentence_score(text) >= LOADED_THRESHOLD

    def single_words(self) -> frozenset[str]:
        """Every listed one-word term as written (lowercased), for plain word-count baselines."""
        return self._single_words

    def framing_sets(self) -> list[FramingSet]:
        """Every set of opposing terms, in file order."""
        return list(self._sets)

    def framing_hits(self, text: str) -> list[tuple[FramingSet, str, int, int]]:
        """``(set, side label, start, end)`` for each framing phrasing found in ``text``."""
        cache = self.__dict__.setdefault("_framing_cache", {})
        found = cache.get(text)
        if found is None:
            if len(cache) > 65536:
                cache.clear()
            found = cache[text] = self._framing_hits(text)
        return list(found)

    def _framing_hits(self, text: str) -> list[tuple[FramingSet, str, int, int]]:
        _, parts = _text_parts(text)
        hits = []
        for entries, a, b in self._framing.matches(parts):
            seen: set[tuple[int, str]] = set()
            for entry in entries:
                if entry.framing is not None and (id(entry.framing), entry.side) not in seen:
                    seen.add((id(entry.framing), entry.side))
                    hits.append((entry.framing, entry.side, parts[a].start, parts[b - 1].end))
        return hits


def _scare_quotes(text: str, folded: str, parts: list[_Part]) -> Iterator[LoadedTerm]:
    """Quoted runs of one to three words that are neither reported speech nor a name or title."""
    for m in _QUOTED.finditer(folded):
        inner_start, inner_end = m.start(2), m.end(2)
        inside = [p for p in parts if inner_start <= p.start and p.end <= inner_end]
        if not 1 <= len(inside) <= 3 or folded[inner_end - 1] in ".,!?":
            continue
        if m.group(1) == "'" and len(inside) > 1:
            continue  # single quotes around several words are usually a headline's quotation
        if all(text[p.start].isupper() for p in inside):
            continue  # a name, nickname or title: "Black Lives Matter", "Harry Potter"
        before = folded[max(0, m.start() - 40):m.start()].rstrip()
        if before.endswith(":") or _NOT_SCARE.search(before):
            continue
        start, end = inside[0].start, inside[-1].end
        yield LoadedTerm(start, end, text[start:end], "scare-quote", SCARE_QUOTE_WEIGHT)


@lru_cache(maxsize=1)
def _default() -> LoadedLexicon:
    return LoadedLexicon.from_files()
