"""The alignment threshold, measured on hand-labelled mini-corpora.

Each line of ``data/alignment_pairs.jsonl`` is one news event told by 3–5 sources. ``same_point``
lists the cross-source sentence pairs that report one point — paraphrased, with conflicting
numbers, buried in a longer sentence, or with a name typed in Cyrillic look-alike letters; every
other cross-source pair is a different point about the same event. Pairs are scored inside their
own mini-corpus, since the idf depends on the documents passed in.
``python -m bench.alignment`` prints the whole threshold sweep and the baseline.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.align import features
from briefing.align.features import make_units, similarity, tfidf

PAIRS = Path(__file__).resolve().parent / "data" / "alignment_pairs.jsonl"
THRESHOLD: float = getattr(features, "ALIGN_THRESHOLD", 0.25)

# Measured F1 at ALIGN_THRESHOLD = 0.25 is 0.390 (P 0.61, R 0.29); the aim is 0.7.
MEASURED_F1 = 0.390
MARGIN = 0.03

# How the other sources spell each name that one source types in Cyrillic or Greek letters.
LATIN_SPELLING = {
    "Ган": "Gan", "Олена": "Olena", "Коваленко": "Kovalenko", "Дмитрий": "Dmitri", "Орлов": "Orlov",
    "Аnа": "Ana", "Раvel": "Pavel", "Сiobanu": "Ciobanu", "Sergеi": "Sergei", "Vоlkоv": "Volkov",
    "Хu": "Xu", "Сhen": "Chen", "Уusuf": "Yusuf", "Dеmir": "Demir", "Маrkо": "Marko",
    "Реtrоvic": "Petrovic",
}

# Pairs found when the name is spelled in Latin letters but missed with the look-alike spelling:
# Cyrillic Р, С, Х, У are transliterated (R, S, Kh, U) where they stand for Latin P, C, X, Y,
# and Дмитрий transliterates to Dmitriy, not Dmitri.
KNOWN_LOST = {
    "Moldova presidential runoff a:2~b:2",  # Раvel Сiobanu → Ravel Siobanu
    "Moldova presidential runoff b:3~c:4",  # Сiobanu → Siobanu
    "China imposes duties on EU brandy a:1~b:1",  # Хu → Khu
    "Voltra founder steps down as chief executive b:3~c:2",  # Сhen → Shen
    "Marko Petrovic joins Boston Celtics b:1~d:1",  # Реtrоvic → Retrovic
    "Orlov wins Australian Open a:1~b:1",  # Дмитрий → Dmitriy
}


@dataclass(frozen=True)
class Pair:
    key: str  # "<event> a:1~b:2"
    score: float
    same: bool
    lookalike: bool


def corpora() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def has_lookalike(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(("CYRILLIC", "GREEK")) for ch in text if ch.isalpha())


def in_latin(text: str) -> str:
    return re.sub(r"\w+", lambda m: LATIN_SPELLING.get(m.group(), m.group()), text)


def scored(corpus: dict, spell=lambda text: text) -> list[Pair]:
    """Every cross-source pair of one mini-corpus with its similarity."""
    rows = [
        (doc, n, spell(text), 0)
        for doc, sentences in corpus["documents"].items()
        for n, text in enumerate(sentences, start=1)
    ]
    units = make_units(rows)
    matrix, _ = tfidf(units)
    sims = similarity(matrix).toarray()
    same = {frozenset(p) for p in corpus["same_point"]}
    return [
        Pair(
            f"{corpus['event']} {u.citation}~{v.citation}", float(sims[i, j]),
            frozenset((u.citation, v.citation)) in same,
            has_lookalike(corpus["documents"][u.doc_id][u.n - 1] + corpus["documents"][v.doc_id][v.n - 1]),
        )
        for i, u in enumerate(units)
        for j, v in enumerate(units)
        if i < j and u.doc_id != v.doc_id
    ]


@cache
def all_pairs() -> tuple[Pair, ...]:
    return tuple(p for c in corpora() for p in scored(c))


@cache
def lost_to_lookalike_letters() -> frozenset[str]:
    """Same-point pairs found with the Latin spelling of the names but not with the look-alike one."""
    lost = set()
    for corpus in corpora():
        if not any(has_lookalike(s) for doc in corpus["documents"].values() for s in doc):
            continue
        for typed, latin in zip(scored(corpus), scored(corpus, in_latin), strict=True):
            if typed.same and typed.lookalike and latin.score >= THRESHOLD > typed.score:
                lost.add(typed.key)
    return frozenset(lost)


def f1_at(threshold: float) -> float:
    pairs = all_pairs()
    tp = sum(p.same and p.score >= threshold for p in pairs)
    fp = sum(not p.same and p.score >= threshold for p in pairs)
    fn = sum(p.same and p.score < threshold for p in pairs)
    return 2 * tp / (2 * tp + fp + fn)


def test_each_mini_corpus_is_three_to_five_sources_of_four_to_eight_sentences() -> None:
    for corpus in corpora():
        docs = corpus["documents"]
        assert 3 <= len(docs) <= 5, corpus["event"]
        assert all(4 <= len(sentences) <= 8 for sentences in docs.values()), corpus["event"]
        for a, b in corpus["same_point"]:
            (da, na), (db, nb) = a.split(":"), b.split(":")
            assert da != db, (corpus["event"], a, b)
            assert 1 <= int(na) <= len(docs[da]) and 1 <= int(nb) <= len(docs[db]), (corpus["event"], a, b)


def test_the_labelled_set_has_a_realistic_share_of_same_point_pairs() -> None:
    pairs = all_pairs()
    assert len(corpora()) >= 30
    assert 0.05 <= sum(p.same for p in pairs) / len(pairs) <= 0.2


def test_f1_at_the_align_threshold_keeps_its_measured_level() -> None:
    assert f1_at(THRESHOLD) >= MEASURED_F1 - MARGIN


def test_names_in_lookalike_letters_lose_no_pair_beyond_the_known_gaps() -> None:
    assert lost_to_lookalike_letters() <= KNOWN_LOST


def test_names_in_lookalike_letters_are_found_by_every_transliterated_spelling() -> None:
    """``Xiao Ган`` and ``Олена Коваленко`` are read as the Latin names the other sources use."""
    transliterated = {"Chinese foreign minister visits Jakarta", "Ukrainian grain exports"}
    lost = {key for key in lost_to_lookalike_letters() if key.rsplit(" ", 1)[0] in transliterated}
    found = [p for p in all_pairs() if p.same and p.lookalike and p.key.rsplit(" ", 1)[0] in transliterated]
    assert not lost
    assert sum(p.score >= THRESHOLD for p in found) >= 5


def test_names_in_lookalike_letters_lose_no_pair() -> None:
    assert lost_to_lookalike_letters() == frozenset()
