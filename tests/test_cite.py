"""cite: a citation id gives back the verbatim sentence, where it sits in the source, and its
neighbours. Ids look like ``004:7`` (document id, colon, sentence number from 1)."""

from __future__ import annotations

import pytest
from builders import original_text

from briefing.corpus import CITATION_FORM, Corpus
from briefing.errors import InvalidCitation


@pytest.fixture
def five() -> Corpus:
    return Corpus.from_texts({"doc": "One is first. Two follows. Three is central. Four comes next. Five ends it."})


def test_cite_returns_the_quote_its_offsets_and_its_document(seeds_corpus: Corpus) -> None:
    [c] = seeds_corpus.cite("004:2")
    original = original_text(c.document.path)
    assert original[c.start:c.end] == c.text
    assert c.text.startswith("They highlighted the SCO")
    assert c.citation == "004:2" and c.document.id == "004"
    assert c.before == [] and c.after == []


def test_several_ids_come_back_in_the_order_asked(seeds_corpus: Corpus) -> None:
    assert [c.citation for c in seeds_corpus.cite(["003:2", "000:1", "003:1"])] == ["003:2", "000:1", "003:1"]


def test_surrounding_whitespace_is_forgiven(five: Corpus) -> None:
    assert five.cite("  doc:2 ")[0].text == "Two follows."


@pytest.mark.parametrize("k", [1, 2])
def test_context_gives_k_sentences_either_side(five: Corpus, k: int) -> None:
    [c] = five.cite("doc:3", context=k)
    assert [s.n for s in c.before] == list(range(3 - k, 3))
    assert [s.n for s in c.after] == list(range(4, 4 + k))
    assert c.before[-1].text == "Two follows." and c.after[0].text == "Four comes next."


def test_context_stops_at_the_edges_of_the_document(five: Corpus) -> None:
    [first] = five.cite("doc:1", context=2)
    [last] = five.cite("doc:5", context=2)
    assert (first.before, [s.n for s in first.after]) == ([], [2, 3])
    assert ([s.n for s in last.before], last.after) == ([3, 4], [])


def test_context_neighbours_resolve_like_any_citation(seeds_corpus: Corpus) -> None:
    [c] = seeds_corpus.cite("002:10", context=3)
    original = original_text(c.document.path)
    for s in [*c.before, *c.after]:
        assert original[s.start:s.end] == s.text == seeds_corpus.cite(s.citation)[0].text


@pytest.mark.parametrize(
    "bad",
    ["004", "004:", ":7", "004:x", "", "   ", "004:-1", "004:1:2", "004 7", "004:1.5", "*:1",
     "004:" + "9" * 12, "x" * 500, "'; DROP TABLE documents; --:1", "004:\x00"],
)
def test_a_malformed_id_names_the_valid_form(seeds_corpus: Corpus, bad: str) -> None:
    with pytest.raises(InvalidCitation) as caught:
        seeds_corpus.cite(bad)
    assert CITATION_FORM in str(caught.value)
    assert len(str(caught.value)) < 300


def test_an_unknown_document_names_the_valid_form(seeds_corpus: Corpus) -> None:
    with pytest.raises(InvalidCitation, match="no document 'nosuch'") as caught:
        seeds_corpus.cite("nosuch:1")
    assert CITATION_FORM in str(caught.value)


@pytest.mark.parametrize("bad", ["004:0", "004:999"])
def test_a_sentence_number_out_of_range_names_the_valid_ones(seeds_corpus: Corpus, bad: str) -> None:
    count = seeds_corpus.document("004").sentences
    with pytest.raises(InvalidCitation, match=f"004:1 to 004:{count}"):
        seeds_corpus.cite(bad)


def test_one_bad_id_among_good_ones_fails_the_call(seeds_corpus: Corpus) -> None:
    with pytest.raises(InvalidCitation, match="'004:999'"):
        seeds_corpus.cite(["004:1", "004:999"])


def test_document_ids_are_case_insensitive() -> None:
    corpus = Corpus.from_texts({"Budget": "The budget passed."})
    assert corpus.cite("BUDGET:1")[0].citation == "budget:1"
