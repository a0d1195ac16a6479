"""The brief by leaning: outlets and leanings on every point, blindspots, per-leaning coverage,
comparisons read off the brief, and the fixes that came with them."""

from __future__ import annotations

import pytest

from briefing import Corpus
from briefing.render.brief import brief_markdown, comparison_markdown

STORM = {
    "cnn": {"source": "CNN", "leaning": "left", "text": (
        "Heavy rain flooded the river town of Marlow on Tuesday. "
        "Emergency crews used boats to reach stranded residents on the riverside. "
        "Climate scientists warned that such extreme floods will become far more common."
    )},
    "reuters": {"source": "Reuters", "leaning": "center", "text": (
        "Floodwaters swept through Marlow after a day of torrential rain on Tuesday. "
        "Rescue teams in boats reached residents stranded on the riverside. "
        "Insurers expect the claims from the damage to run into the millions."
    )},
    "fox": {"source": "Fox News", "leaning": "right", "text": (
        "Marlow was flooded on Tuesday after heavy rain swept through the river town. "
        "Local taxpayers are angry that the flood defence budget was cut by the council last year. "
        "A radical councillor blamed the disaster on the previous administration."
    )},
    "nypost": {"source": "New York Post", "leaning": "right", "text": (
        "Residents of Marlow are furious that the council cut the flood defence budget last year. "
        "The town hall was closed on Wednesday while repairs began."
    )},
}


@pytest.fixture(scope="module")
def storm():
    corpus = Corpus.from_texts(STORM)
    return corpus, corpus.brief()


def test_every_point_lists_its_outlets_with_their_leanings(storm):
    _, brief = storm
    rain = next(a for a in brief.agreements if "cnn" in a.sources and "fox" in a.sources)
    assert [(o.name, o.leaning) for o in rain.outlets][:1] == [("CNN", "left")]
    assert set(rain.leanings) >= {"left", "right"}
    for a in brief.agreements:
        assert {d for o in a.outlets for d in o.documents} == set(a.sources)
    for d in brief.disputes:
        for p in d.positions:
            assert {x for o in p.outlets for x in o.documents} == set(p.sources)
    for s in brief.single_source:
        assert s.outlet is not None and s.outlet.leaning == STORM[s.source]["leaning"]


def test_a_point_only_one_leaning_reports_is_a_blindspot_naming_who_is_silent(storm):
    _, brief = storm
    budget = next(a for a in brief.agreements if set(a.sources) == {"fox", "nypost"})
    assert budget.leanings == ["right"] and budget.silent == ["left", "center"]
    [spot] = [b for b in brief.blindspots if b.point == budget.id]
    assert spot.leaning == "right" and spot.outlets == ["Fox News", "New York Post"]
    text = brief_markdown(brief)
    assert "### Blindspots: points only one leaning reports" in text
    assert "only right outlets (Fox News, New York Post); silent on the left and center" in text


def test_coverage_per_leaning_names_outlets_points_and_loaded_terms(storm):
    _, brief = storm
    views = {v.leaning: v for v in brief.leanings}
    assert list(views) == ["left", "center", "right"]
    assert views["right"].outlets == ["Fox News", "New York Post"] and views["right"].documents == 2
    assert "radical" in views["right"].loaded_terms
    assert "radical" not in views["left"].loaded_terms
    assert "- **right** (2 documents: Fox News, New York Post)" in brief_markdown(brief)


def test_single_source_quotes_carry_their_loaded_terms(storm):
    _, brief = storm
    radical = [s for s in brief.single_source if "radical" in s.quote.text.lower()]
    assert radical and radical[0].quote.loaded_terms == ["radical", "disaster"]


def test_a_brief_without_labels_reads_as_before():
    brief = Corpus.from_texts({k: v["text"] for k, v in STORM.items()}).brief()
    assert brief.leanings == [] and brief.blindspots == []
    assert "Coverage by leaning" not in brief_markdown(brief)


def test_compare_by_leaning_reads_the_brief_and_never_contradicts_it(storm):
    corpus, brief = storm
    c = corpus.compare("left", "right", by="leaning")
    assert c.members == {"left": ["cnn"], "right": ["fox", "nypost"]}
    shared = {a.id for a in c.shared}
    both = {a.id for a in brief.agreements if "cnn" in a.sources and ({"fox", "nypost"} & set(a.sources))}
    assert shared == both and shared
    assert any(p.id == next(b.point for b in brief.blindspots) for p in c.only_points)
    assert "## left and right side by side (leanings)" in comparison_markdown(c)


def test_two_documents_the_brief_groups_in_one_point_are_never_nothing_in_common(storm):
    corpus, brief = storm
    for a in brief.agreements:
        x, y = a.sources[:2]
        assert a.id in {s.id for s in corpus.compare(x, y).shared}


def test_compare_names_a_leaning_with_no_documents():
    from briefing.errors import DocumentNotFound

    with pytest.raises(DocumentNotFound, match="no document of 'far left'"):
        Corpus.from_texts(STORM).compare("far left", "right", by="leaning")


def test_a_brief_of_the_latest_documents_says_so_first_and_picks_them_by_date():
    dated = {k: {**v, "date": d} for (k, v), d in zip(STORM.items(), ["2024-01-09", "2024-01-01", "2024-01-05", "2024-01-02"], strict=True)}
    brief = Corpus.from_texts(dated).brief(max_documents=2)
    assert brief.overview.startswith("Only the 2 most recent documents (by date) of the 4 in the corpus are briefed")
    assert brief.sources == ["cnn", "fox"]


def test_a_pair_the_brief_lists_as_a_point_and_a_framing_dispute_is_shown_only_where_they_differ():
    corpus = Corpus.from_texts({
        "a": "Protesters said the revolution in the capital toppled the president on Sunday night. Shops stayed closed.",
        "b": "Protesters said the coup in the capital toppled the president on Sunday night. Banks reopened on Tuesday.",
    })
    brief = corpus.brief()
    assert [x.sources for x in brief.agreements] == [["a", "b"]] and brief.disputes[0].kind == "framing"
    c = corpus.compare("a", "b")
    assert [d.kind for d in c.disputes] == ["framing"]
    assert c.shared == []  # its only quotes are the ones shown where they differ
