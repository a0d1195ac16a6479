"""Sentence segmentation: the boundary cases in ``segmentation_cases.py`` and the span contract.

The contract every caller leans on (sentence ids and verbatim quotes): spans are ordered,
non-overlapping, non-empty, stripped, and every non-whitespace character of the text lies in
exactly one of them.
"""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segmentation_cases import CASES, WRAPPED_NEWSWIRE, Case

from briefing.text.segment import sentence_spans, split_sentences


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_boundary_case(case: Case) -> None:
    assert tuple(split_sentences(case.text)) == case.expected


def test_cases_are_verbatim_slices_and_enough() -> None:
    """Every expected sentence is a stripped slice of its text, so offsets can be checked too."""
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    for c in CASES:
        position = 0
        for sentence in c.expected:
            found = c.text.find(sentence, position)
            assert found >= 0 and sentence == sentence.strip(), (c.id, sentence)
            position = found + len(sentence)


def test_spans_index_the_original_text() -> None:
    text = "  He said \"No.\"  Then he left.\n\nBreaking News  "
    spans = sentence_spans(text)
    assert spans == [(2, 15), (17, 30), (32, 45)]
    assert [text[s:e] for s, e in spans] == split_sentences(text)


def test_a_paragraph_rewrapped_keeps_its_sentences() -> None:
    unwrapped = " ".join(WRAPPED_NEWSWIRE.split())
    assert [" ".join(s.split()) for s in split_sentences(WRAPPED_NEWSWIRE)] == split_sentences(unwrapped)


# --- properties ----------------------------------------------------------------------------------


def assert_span_contract(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)  # ordered, non-overlapping, non-empty
        sentence = text[start:end]
        assert sentence == sentence.strip()
        previous_end = end
    covered = {i for start, end in spans for i in range(start, end)}
    assert covered >= {i for i, c in enumerate(text) if not c.isspace()}
    assert split_sentences(text) == [text[s:e] for s, e in spans]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_span_contract_on_any_unicode(text: str) -> None:
    assert_span_contract(text)


# News-like fragments, so the generated texts exercise abbreviations, quotes, bullets and lines.
FRAGMENTS = st.sampled_from([
    "U.S.", "Gen.", "No.", "a.m.", "Inc.", "J.", "etc.", "e.g.", "St.", "Mr.", "3.5%", "1.", "Dr.",
    "The", "He", "said", "Clinton", "iPhone", "de", "Klerk", "(AP)", "_", "-", "•", "a)", "A",
    ".", "...", "…", "?!", "!", "?", "\"", "''", "``", "“", "”", "’", "(", ")", ",", ":",
    " ", " ", "  ", "\n", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2029", "x" * 45,
])


@settings(max_examples=500, deadline=None)
@given(st.lists(FRAGMENTS, max_size=60).map("".join))
def test_span_contract_on_news_like_fragments(text: str) -> None:
    assert_span_contract(text)


SUBJECTS = ["President Clinton", "Gov. Pete Wilson", "The U.S. Senate", "Acme Inc.", "Dr. Ruth Klein",
            "George W. Bush", "Officials", "Chancellor Schmidt", "The committee"]
VERBS = ["said", "rejected", "reported", "praised", "criticised", "announced"]
OBJECTS = ["the plan", "a new budget", "talks with Congress", "the deal on Tuesday", "spending cuts",
           "an offer from Acme Corp. officials", "the report by Judge Amy Lee", "new rules",
           "the decision in Washington", "3.5% growth", "a $1.2 billion loan"]


@st.composite
def news_sentences(draw: st.DrawFn) -> list[str]:
    parts = st.tuples(st.sampled_from(SUBJECTS), st.sampled_from(VERBS), st.sampled_from(OBJECTS),
                      st.sampled_from([".", ".", "?", "!"]))
    return [f"{s} {v} {o}{p}" for s, v, o, p in draw(st.lists(parts, min_size=1, max_size=8))]


@settings(max_examples=200, deadline=None)
@given(news_sentences(), st.integers(min_value=60, max_value=100))
def test_hard_wrapping_never_changes_the_sentences(sentences: list[str], width: int) -> None:
    """A greedy wrapper's line breaks (at 60-100 columns) are whitespace, even before a name."""
    paragraph = " ".join(sentences)
    wrapped = textwrap.fill(paragraph, width, break_long_words=False, break_on_hyphens=False)
    assert split_sentences(paragraph) == sentences
    assert [" ".join(s.split()) for s in split_sentences(wrapped)] == sentences


def test_one_sentence_per_line_without_punctuation() -> None:
    headlines = "\n".join(["Storm hits the coast", "Markets rally after rate cut", "Talks stall again"])
    assert split_sentences(headlines) == headlines.split("\n")
