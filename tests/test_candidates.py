"""The brief's alignment without all sentence pairs: candidate pairs found through shared rare
stems are exactly the pairs that reach the cover bound, the centrality read from running sums is
the one the full similarity matrix gives, and the cap on pairs says what it left out."""

from __future__ import annotations

import random

import numpy as np
import pytest

from briefing import Corpus
from briefing.align.candidates import cover_pairs, exact_pairs
from briefing.align.features import Similarity, make_units, similarity, tfidf
from briefing.align.same_point import MIN_COVER, Sentences

WORDS = [f"w{k}" for k in range(60)]


def story(sentences: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Sentences drawn with a skew (a few very common words, a long tail), spread over five documents."""
    rng = random.Random(seed)
    texts = [
        " ".join(WORDS[min(int(len(WORDS) * rng.random() ** 3), len(WORDS) - 1)] for _ in range(rng.randint(3, 18)))
        for _ in range(sentences)
    ]
    return texts, np.array([k % 5 for k in range(sentences)])


@pytest.mark.parametrize("min_cover", [0.0, MIN_COVER, 0.5, 0.9])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_pairs_found_through_rare_stems_are_those_counting_every_pair_finds(min_cover, seed):
    texts, doc = story(400, seed)
    stems = Sentences(texts).stems
    got = cover_pairs(stems, doc, min_cover)
    rows, cols = exact_pairs(stems, doc, min_cover)
    assert len(rows) > 50
    assert np.array_equal(got.rows, rows) and np.array_equal(got.cols, cols) and got.unread == 0


def test_a_pair_that_shares_only_common_words_is_found_when_they_are_enough():
    common = "alpha beta gamma"
    texts = [f"{common} delta", f"{common} epsilon zeta eta theta"] + [f"{common} filler{k} other{k}" for k in range(30)]
    doc = np.arange(len(texts))
    got = cover_pairs(Sentences(texts).stems, doc, 0.75)
    assert (0, 1) in set(zip(got.rows.tolist(), got.cols.tolist(), strict=True))


def test_the_pair_cap_stops_the_search_and_counts_the_sentences_left_unpaired():
    texts, doc = story(300, 3)
    stems = Sentences(texts).stems
    full = cover_pairs(stems, doc, MIN_COVER)
    capped = cover_pairs(stems, doc, MIN_COVER, max_pairs=10)
    assert capped.unread > 0 and len(capped.rows) < len(full.rows)


def test_a_brief_that_hit_the_pair_cap_says_so(monkeypatch):
    import briefing.brief

    monkeypatch.setattr(briefing.brief, "MAX_PAIRS", 1)
    texts = {
        f"d{k}": " ".join(f"The storm closed the harbour and the ferry to the island on day {k}." for _ in range(3))
        + " Officials said the road bridge would reopen once engineers had checked it."
        for k in range(4)
    }
    brief = Corpus.from_texts(texts).brief()
    assert any("candidate pairs" in n.message for n in brief.notes if n.kind == "scope")


def units_of(texts: list[str], doc: np.ndarray) -> list:
    return make_units([(f"doc{d}", k, t, 0) for k, (t, d) in enumerate(zip(texts, doc, strict=True))])


def test_centrality_from_running_sums_is_the_full_matrix_s():
    texts, doc = story(300, 4)
    # two sentences sharing words with each other only, in one document: nothing with the others
    texts += ["unrelated words nobody else uses at all", "unrelated words again, in the same report"]
    doc = np.append(doc, [0, 0])
    matrix, _ = tfidf(units_of(texts, doc))
    full = similarity(matrix).tocoo()
    other = doc[full.row] != doc[full.col]
    expected = np.bincount(full.row[other], weights=full.data[other], minlength=len(texts))
    got = Similarity(matrix).cross_document_sums(doc)
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert got[-1] == got[-2] == 0.0  # exactly, so sentences that match nothing keep their order


def test_one_pair_s_similarity_is_the_matrix_entry():
    texts, doc = story(80, 5)
    matrix, _ = tfidf(units_of(texts, doc))
    full = similarity(matrix).toarray()
    lazy = Similarity(matrix)
    pairs = [(i, j) for i in range(0, 80, 7) for j in range(0, 80, 5)]
    assert np.allclose([lazy.value(i, j) for i, j in pairs], [full[i, j] for i, j in pairs], atol=1e-12)
    assert np.allclose(lazy.values([i for i, _ in pairs], [j for _, j in pairs]), [full[i, j] for i, j in pairs], atol=1e-12)
