"""Search: ranked sentences (or documents) with citation, quote, score, metadata and a snippet.

User text never reaches the full-text engine's syntax, so any string is a safe query: it returns
results or raises ``InvalidQuery`` with a message saying what to type instead.
"""

from __future__ import annotations

import re

import pytest
from builders import ARTICLE, OTHER_ARTICLE, original_text, seed_files
from hypothesis import given
from hypothesis import strategies as st

from briefing.corpus import Corpus
from briefing.errors import DocumentNotFound, InvalidQuery
from briefing.models import Hit
from briefing.store.search import _cut as highlight_window
from briefing.store.search import highlight, highlights, parse
from briefing.text.normalize import fold, strip_accents
from briefing.text.tokens import WORD, stem

BOLD = re.compile(r"\*\*(.+?)\*\*")


@pytest.fixture
def dated() -> Corpus:
    """Three documents from two outlets on three dates, in memory."""
    return Corpus.from_texts({
        "jan": {"text": "Rain flooded the harbour road in January. Crews cleared it.", "source": "Courier",
                "date": "2024-01-15", "title": "January rain"},
        "feb": {"text": "Rain returned to the harbour in February. The road stayed open.", "source": "Courier",
                "date": "2024-02-10"},
        "mar": {"text": "Dry weather in March ended the rain. The harbour reopened fully.", "source": "Gazette",
                "date": "2024-03-05"},
    })


# --- results -----------------------------------------------------------------------------------


def test_hits_are_ranked_and_carry_everything_needed_to_quote_them(seeds_corpus: Corpus) -> None:
    hits = seeds_corpus.search("strategic air patrols", limit=5)
    assert 1 < len(hits) <= 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for hit in hits:
        doc_id, n = hit.citation.split(":")
        assert hit.document.id == doc_id and hit.document.path and int(n) >= 1
        [cited] = seeds_corpus.cite(hit.citation)
        assert cited.text == hit.text
        assert hit.score > 0
        assert {w.lower() for w in BOLD.findall(hit.snippet)} <= {"strategic", "air", "patrols"}
        assert BOLD.sub(r"\1", hit.snippet) == hit.text


def test_search_catastrophe_finds_every_seed_that_mentions_it(seeds_corpus: Corpus) -> None:
    mentioning = {p.name.split("_")[0] for p in seed_files() if "catastrophe" in original_text(p).lower()}
    assert len(mentioning) == 4  # the fixture corpus is as the docs describe it
    hits = seeds_corpus.search("catastrophe", limit=50)
    assert {h.document.id for h in hits} == mentioning
    assert all("**catastrophe**" in h.snippet.lower() for h in hits)


def test_words_are_matched_by_stem_and_without_accents(dated: Corpus) -> None:
    assert {h.document.id for h in dated.search("floods")} == {"jan"}
    corpus = Corpus.from_texts({"t": "President Erdoğan met Putin in Astana."})
    assert [h.citation for h in corpus.search("Erdogan")] == ["t:1"]
    assert "**Erdoğan**" in corpus.search("erdogan")[0].snippet


def test_every_snippet_highlights_the_match(seeds_corpus: Corpus) -> None:
    """Also when the word is part of a hyphenated compound, e.g. ``China-Russia``."""
    hits = seeds_corpus.search("Russia", limit=100)
    assert any("China-Russia" in h.text for h in hits)
    for hit in hits:
        assert "**" in hit.snippet, hit.text


def test_all_words_must_match_before_any_word_may(dated: Corpus) -> None:
    assert [h.citation for h in dated.search("harbour road")] == ["jan:1"]
    # no sentence has both words: any sentence with either is returned
    assert {h.text for h in dated.search("crews dry")} == {
        "Crews cleared it.", "Dry weather in March ended the rain."
    }


def test_a_quoted_phrase_matches_adjacent_words_only() -> None:
    corpus = Corpus.from_texts({"t": "The road to the harbour closed. The harbour road reopened."})
    assert {h.citation for h in corpus.search("harbour road")} == {"t:1", "t:2"}
    assert [h.citation for h in corpus.search('"harbour road"')] == ["t:2"]


def test_a_long_sentence_snippet_is_shortened_around_the_match() -> None:
    words = [f"word{i}" for i in range(200)]
    words[150] = "needle"
    corpus = Corpus.from_texts({"long": " ".join(words) + "."})
    [hit] = corpus.search("needle")
    assert "**needle**" in hit.snippet
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet.split()) < 60
    assert hit.text == " ".join(words) + "."


def test_the_limit_caps_the_number_of_hits(seeds_corpus: Corpus) -> None:
    assert len(seeds_corpus.search("Putin", limit=3)) == 3


def test_no_match_is_an_empty_list(seeds_corpus: Corpus) -> None:
    assert seeds_corpus.search("zeppelin") == []


# --- mixed scripts -----------------------------------------------------------------------------


def test_latin_query_finds_names_written_with_cyrillic_letters(seeds_corpus: Corpus) -> None:
    cyrillic = {p.name.split("_")[0] for p in seed_files() if "Xiao Ган" in original_text(p)}
    latin = {p.name.split("_")[0] for p in seed_files() if "Xiao Gan" in original_text(p)}
    assert cyrillic and latin

    hits = seeds_corpus.search("Xiao Gan")

    assert {h.document.id for h in hits} == cyrillic | latin
    for hit in hits:
        assert BOLD.findall(hit.snippet)[-2:] in (["Xiao", "Ган"], ["Xiao", "Gan"]), hit.snippet


def test_the_query_may_use_the_look_alike_letters_too(seeds_corpus: Corpus) -> None:
    assert {h.document.id for h in seeds_corpus.search("Xiao Ган")} == {
        h.document.id for h in seeds_corpus.search("Xiao Gan")
    }


# --- filters -----------------------------------------------------------------------------------


def test_filter_by_source_ids(seeds_corpus: Corpus) -> None:
    hits = seeds_corpus.search("Putin", limit=100, sources=["001", "004"])
    assert {h.document.id for h in hits} == {"001", "004"}


def test_an_unknown_source_id_is_named(seeds_corpus: Corpus) -> None:
    with pytest.raises(DocumentNotFound, match="'nope'.*briefing sources"):
        seeds_corpus.search("Putin", sources=["001", "nope"])


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2024-02-01", None, {"feb", "mar"}),
        (None, "2024-02-10", {"jan", "feb"}),
        ("2024-02", "2024-02", {"feb"}),
        ("2024", "2024", {"jan", "feb", "mar"}),
        ("2025", None, set()),
    ],
)
def test_filter_by_date_range(dated: Corpus, date_from: str | None, date_to: str | None, expected: set[str]) -> None:
    hits = dated.search("rain", date_from=date_from, date_to=date_to)
    assert {h.document.id for h in hits} == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-1-5", "05/03/2024", "2024-02-10'; --"])
def test_a_malformed_date_is_an_invalid_query(dated: Corpus, bad: str) -> None:
    with pytest.raises(InvalidQuery, match="YYYY-MM-DD"):
        dated.search("rain", date_from=bad)


def test_undated_documents_are_left_out_by_a_date_filter() -> None:
    corpus = Corpus.from_texts({"undated": "Rain fell.", "dated": {"text": "Rain fell again.", "date": "2024-01-01"}})
    assert [h.document.id for h in corpus.search("rain", date_from="2000")] == ["dated"]


def test_a_date_that_is_not_iso_never_matches_a_date_filter() -> None:
    corpus = Corpus.from_texts({"vague": {"text": "Rain fell.", "date": "sometime in spring"}})
    assert corpus.sources()[0].date == "sometime in spring"
    assert corpus.search("rain", date_from="2000") == []
    assert corpus.search("rain", date_to="2100") == []
    assert len(corpus.search("rain")) == 1


def test_hits_carry_document_metadata(dated: Corpus) -> None:
    [hit] = dated.search("cleared")
    assert (hit.document.id, hit.document.title, hit.document.source, hit.document.date) == (
        "jan", "January rain", "Courier", "2024-01-15")


# --- documents ---------------------------------------------------------------------------------


def test_document_mode_ranks_each_document_once_with_its_best_sentences(seeds_corpus: Corpus) -> None:
    found = seeds_corpus.search_documents("catastrophe")
    ids = [d.document.id for d in found]
    assert len(ids) == len(set(ids)) == 4
    assert [d.score for d in found] == sorted((d.score for d in found), reverse=True)
    for d in found:
        assert 1 <= len(d.matches) <= 3
        assert all(m.document.id == d.document.id for m in d.matches)
        assert d.score == pytest.approx(sum(m.score for m in d.matches), abs=1e-3)
    assert [d.document.id for d in seeds_corpus.search_documents("catastrophe", limit=2)] == ids[:2]


def test_document_mode_takes_the_same_filters(dated: Corpus) -> None:
    found = dated.search_documents("rain", sources=["jan", "mar"], date_from="2024-03")
    assert [d.document.id for d in found] == ["mar"]


def test_document_mode_with_any_term_ranks_every_document_sharing_a_word(dated: Corpus) -> None:
    assert [d.document.id for d in dated.search_documents("rain harbour road")] == ["jan"]
    found = dated.search_documents("rain harbour road", any_term=True)
    assert sorted(d.document.id for d in found) == ["feb", "jan", "mar"]
    assert [d.document.id for d in found][-1] == "mar"  # two of the words, in separate sentences


# --- hostile queries ---------------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"unbalanced', "*", "Putin*", "NEAR(", "NEAR(Putin China, 2)", "AND OR", "AND", "NOT",
    ")(", "(", "'; DROP TABLE documents; --", "body:Putin", "^Putin", "-Putin", "+", "{Putin}",
    "", "   ", "x" * 5000, "Putin " * 999, "\x00", "\x01\x02\x1b[31m", "Putin\x00China", "\ud800",
    "\u202eniтuP", "🙂", "Putin\nChina", "%", "_", "\\", "a" * 900,
]


@pytest.mark.parametrize("query", HOSTILE, ids=[repr(q)[:30] for q in HOSTILE])
def test_any_query_string_gives_results_or_invalid_query(seeds_corpus: Corpus, query: str) -> None:
    before = seeds_corpus.store.counts()
    try:
        hits = seeds_corpus.search(query)
        docs = seeds_corpus.search_documents(query)
    except InvalidQuery as err:
        message = str(err)
        assert message and "\n" not in message
        assert "search" in message or "characters" in message
    else:
        assert all(isinstance(h, Hit) for h in hits)
        assert len(docs) <= len(seeds_corpus.sources())
    assert seeds_corpus.store.counts() == before


def test_fts_operators_are_searched_as_words() -> None:
    corpus = Corpus.from_texts({"t": "Talks went NEAR the border, and or not, said officials."})
    assert [h.citation for h in corpus.search("NEAR(")] == ["t:1"]
    assert [h.citation for h in corpus.search("AND OR")] == ["t:1"]


def test_a_query_of_stop_words_only_still_searches() -> None:
    corpus = Corpus.from_texts({"t": ARTICLE, "u": OTHER_ARTICLE})
    assert corpus.search("the") != []


def test_an_empty_query_says_what_to_type() -> None:
    corpus = Corpus.from_texts({"t": ARTICLE})
    with pytest.raises(InvalidQuery, match="nothing searchable.*briefing search"):
        corpus.search("  ")


def test_an_overlong_query_says_how_long_it_may_be() -> None:
    corpus = Corpus.from_texts({"t": ARTICLE})
    with pytest.raises(InvalidQuery, match="keep it under"):
        corpus.search("x" * 5000)


# --- in memory ---------------------------------------------------------------------------------


def test_from_texts_gives_an_in_memory_corpus_to_search_cite_and_list() -> None:
    corpus = Corpus.from_texts({
        "a": "Rain fell on Monday. Roads closed.",
        "b": {"text": "Roads closed after rain.", "title": "Closures", "source": "Courier", "date": "2024-05-01"},
    })
    assert corpus.store.path == ":memory:"
    assert {h.citation for h in corpus.search("roads closed")} == {"a:2", "b:1"}
    assert corpus.cite("a:2")[0].text == "Roads closed."
    sources = {d.id: d for d in corpus.sources()}
    assert set(sources) == {"a", "b"}
    assert (sources["b"].title, sources["b"].source, sources["b"].date) == ("Closures", "Courier", "2024-05-01")
    assert sources["a"].paths == ["text:a"]  # where an in-memory text came from


def test_from_texts_does_not_read_the_configured_corpus() -> None:
    corpus = Corpus.from_texts({"only": ARTICLE})
    assert [d.id for d in corpus.sources()] == ["only"]


@pytest.mark.parametrize(("query", "text", "expected"), [
    ("police said", "Police said the POLICE's policing plan was re-opened.",
     "**Police** said the **POLICE's** **policing** plan was re-opened."),
    ("police", "Ｆｕｌｌ width ＰＯＬＩＣＥ said", "Ｆｕｌｌ width **ＰＯＬＩＣＥ** said"),
    ("erdogan", "Erdoğan met officials; ERDOGAN's aides said.", "**Erdoğan** met officials; **ERDOGAN's** aides said."),
    ("us china", "The U.S.-China talks resumed in China.", "The U.S.-**China** talks resumed in **China**."),
    ("moscow", "Мoscow police (a Cyrillic M) met in Moscow.", "**Мoscow** police (a Cyrillic M) met in **Moscow**."),
    ("naive cafe", "A naïve café owner—said “quoted” words", "A **naïve** **café** owner—said “quoted” words"),
])
def test_highlighting_matches_words_as_the_index_reads_them(query: str, text: str, expected: str) -> None:
    # Sentences of ASCII and typographic marks take a shortcut (split in C); the others do not.
    assert highlight(text, parse(query).stems) == expected
    assert highlights([text, text], parse(query).stems) == [expected, expected]


def _word_by_word(text: str, stems: set[str]) -> str:
    """The plain definition of a snippet: every ``WORD`` of the sentence, read as the index reads
    it (folded, accents stripped, any of its parts), in bold when its stem is a query stem."""
    def matches(word: str) -> bool:
        key = word if word.isascii() else fold(word)
        parts = [key.lower(), *re.findall(r"[^\W_]+", strip_accents(key).lower())]
        return any(stem(strip_accents(p)) in stems for p in parts)

    marked = re.sub(WORD, lambda m: f"**{m.group()}**" if matches(m.group()) else m.group(), text)
    return highlight_window(marked)


PIECES = ["police", "Police", "POLICE", "polic", "us", "U.S.", "u.s", "U", ".", "-", "'", "’", "“", "”",
          "—", "…", " ", " ", " ", "  ", "_", "é", "café", "naïve", "\u212a", "İ", "ﬁre", "fire", "9", "/",
          "said", "saying", "the", "a", "\u00a0", "·", "«", "™", "²", "x", "skies", "sky", "ß", "\x1f"]


@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), max_size=10),
       st.sampled_from(["police", "us", "cafe naive", "fire", "said sky", "the", "x police", "ss"]))
def test_the_snippets_of_a_search_are_the_word_by_word_highlights(texts: list[str], query: str) -> None:
    # A search marks its sentences together, each distinct word decided once, found with
    # str.find: what it marks is exactly what reading every word one by one would.
    stems = parse(query).stems
    assert highlights(texts, stems) == [_word_by_word(t, stems) for t in texts]


def test_a_brief_on_a_topic_finds_the_reports_that_only_use_related_words():
    """'immigration' finds the reports that only say 'migrants' and 'border'; plain search does not."""
    from briefing import Corpus

    texts = {
        f"i{n}": f"Immigration dominated the debate on {day}. Officials said more migrants crossed the border "
                 f"this month. The migrants waited at border shelters for asylum hearings."
        for n, day in enumerate(["Monday", "Tuesday", "Wednesday"])
    }
    texts |= {
        "m1": "Hundreds of migrants reached the border crossing overnight. Shelters near the border were full.",
        "m2": "Border agents processed families of migrants seeking asylum at the crossing.",
        "w1": "Heavy rain flooded the river town on Tuesday. Crews used boats to reach residents.",
        "s1": "The home team won the final in extra time after a late goal.",
    }
    corpus = Corpus.from_texts(texts)
    plain = {h.document.id for h in corpus.search_documents("immigration", limit=50, any_term=True)}
    assert plain == {"i0", "i1", "i2"}
    found = {h.document.id for h in corpus.topic_documents("immigration", limit=50)}
    assert {"m1", "m2"} <= found and not {"w1", "s1"} & found
    assert {"m1", "m2"} <= set(corpus.brief("immigration").sources)
