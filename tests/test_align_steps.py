"""Each alignment step alone, through its public function: grouping sentences into points,
independence, the dispute detectors (numbers, years, lists, names, framing) on texts written for
them. Each test fails when its step is switched off, inverted or its threshold moved; the rules are
those docs/trust.md reports as confirmed on the labelled real-news clusters."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from briefing.align.claim_stance import read_stance
from briefing.align.details import conflicts, details
from briefing.align.features import make_units, normalized, similar_pairs, similarity, tfidf, value
from briefing.align.framing import framing_disputes
from briefing.align.independence import (
    SHARED_PASSAGE_SHINGLES,
    count_independent,
    independence_groups,
)
from briefing.align.loaded import LoadedLexicon
from briefing.align.points import COHERENCE, group_points
from briefing.align.same_point import FEATURES, Sentences, score_pairs
from briefing.align.vectors import sentence_vectors

# --- grouping: star points over a similarity graph ------------------------------------------------


def units_of(*docs: str, per_doc: int = 1) -> list:
    """One unit per (document, sentence): ``units_of("a", "b")`` → a:1, b:1."""
    return make_units([(d, n, f"Sentence {n} of {d} about the flood.", 0) for d in docs for n in range(1, per_doc + 1)])


def graph(n: int, edges: dict[tuple[int, int], float]) -> sparse.csr_matrix:
    """A symmetric similarity matrix with the given edges."""
    rows = [i for i, j in edges] + [j for i, j in edges]
    cols = [j for i, j in edges] + [i for i, j in edges]
    vals = list(edges.values()) * 2
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))


def members(groups) -> list[list[int]]:
    return [sorted(g.members) for g in groups]


def test_two_sentences_at_the_threshold_form_one_point_and_below_it_none():
    units = units_of("a", "b")
    salience = np.zeros(2)
    assert members(group_points(units, graph(2, {(0, 1): 0.65}), salience, 0.65)) == [[0, 1]]
    assert group_points(units, graph(2, {(0, 1): 0.64}), salience, 0.65) == []


def test_a_point_holds_one_sentence_per_document_the_most_similar():
    # a:1 matches both sentences of b; only the closer one joins the point.
    units = make_units([("a", 1, "x", 0), ("b", 1, "y", 0), ("b", 2, "z", 0)])
    groups = group_points(units, graph(3, {(0, 1): 0.7, (0, 2): 0.9}), np.zeros(3), 0.65)
    assert members(groups) == [[0, 2]]
    assert groups[0].centre in (0, 2)


def test_sentences_of_one_document_never_form_a_point_together():
    units = make_units([("a", 1, "x", 0), ("a", 2, "y", 0)])
    assert group_points(units, graph(2, {(0, 1): 0.99}), np.zeros(2), 0.65) == []


def test_a_member_must_have_the_centre_as_its_best_match_in_the_centres_document():
    # b:1 matches the centre a:1, but its best match in a is a:2: it joins a:2, not a:1.
    units = make_units([("a", 1, "x", 0), ("a", 2, "y", 0), ("b", 1, "z", 0), ("c", 1, "w", 0)])
    sims = graph(4, {(0, 2): 0.7, (1, 2): 0.9, (0, 3): 0.8, (2, 3): 0.9})
    groups = group_points(units, sims, np.array([5.0, 0.0, 0.0, 0.0]), 0.65)
    assert members(groups) == [[0, 3], [1, 2]]


def test_the_centre_is_the_sentence_matched_in_the_most_documents():
    units = units_of("a", "b", "c")
    sims = graph(3, {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9})
    centre_b = group_points(units, sims, np.array([0.0, 1.0, 0.0]), 0.65)
    assert [g.centre for g in centre_b] == [1]
    assert members(centre_b) == [[0, 1, 2]]


def test_salience_breaks_ties_between_centres():
    units = units_of("a", "b")
    for salience, centre in (([0.0, 1.0], 1), ([1.0, 0.0], 0)):
        assert [g.centre for g in group_points(units, graph(2, {(0, 1): 0.8}), np.array(salience), 0.65)] == [centre]


def test_a_member_that_matches_the_centre_but_not_the_rest_of_the_point_is_dropped():
    # c:1 matches the centre a:1 but nothing else: the point keeps a:1, b:1 and d:1.
    units = units_of("a", "b", "c", "d")
    strong = 0.65 * COHERENCE + 0.1
    sims = graph(4, {(0, 1): 0.9, (0, 2): 0.9, (0, 3): 0.9, (1, 3): strong})
    groups = group_points(units, sims, np.array([1.0, 0.0, 0.0, 0.0]), 0.65)
    assert members(groups)[0] == [0, 1, 3]


def test_a_member_exactly_at_the_coherence_floor_stays():
    units = units_of("a", "b", "c")
    floor = 0.65 * COHERENCE
    sims = graph(3, {(0, 1): floor, (0, 2): floor, (1, 2): floor})
    assert members(group_points(units, sims, np.array([1.0, 0.0, 0.0]), 0.65)) == [[0, 1, 2]]


def test_members_agreeing_with_each_other_stay_together():
    units = units_of("a", "b", "c")
    sims = graph(3, {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.65 * COHERENCE + 0.05})
    assert members(group_points(units, sims, np.array([1.0, 0.0, 0.0]), 0.65)) == [[0, 1, 2]]


def test_a_sentence_belongs_to_one_point_at_most():
    units = make_units([("a", 1, "x", 0), ("b", 1, "y", 0), ("c", 1, "z", 0), ("a", 2, "w", 0)])
    sims = graph(4, {(0, 1): 0.9, (1, 3): 0.8, (2, 3): 0.9})
    groups = group_points(units, sims, np.zeros(4), 0.65)
    flat = [m for g in groups for m in g.members]
    assert len(flat) == len(set(flat))
    assert sorted(members(groups)) == [[0, 1], [2, 3]]  # a:2 is c:1's best match, not b:1's
    assert {g.cohesion for g in groups} == {0.9}


def test_similar_pairs_are_across_documents_at_or_above_the_threshold_best_first():
    units = make_units([("a", 1, "x", 0), ("b", 1, "y", 0), ("a", 2, "z", 0)])
    sims = graph(3, {(0, 1): 0.5, (0, 2): 0.9, (1, 2): 0.7})
    assert similar_pairs(units, sims, 0.5) == [(1, 2, 0.7), (0, 1, 0.5)]
    assert similar_pairs(units, sims, 0.6) == [(1, 2, 0.7)]


def test_the_lexical_similarity_reads_one_point_in_other_words_above_another_point():
    units = make_units([
        ("a", 1, "Rescue teams in boats reached residents stranded by the floodwater.", 0),
        ("b", 1, "Teams in boats rescued stranded residents from the floodwater.", 0),
        ("c", 1, "Insurers expect claims to run into the millions.", 0),
    ])
    sims = similarity(tfidf(units)[0])
    assert value(sims, 0, 1) > 0.3 > value(sims, 0, 2)
    assert value(sims, 0, 1) == value(sims, 1, 0)


def test_a_sentence_inside_a_longer_one_scores_the_mean_of_its_cosine_and_full_overlap():
    units = make_units([
        ("a", 1, "Crews reached stranded residents.", 0),
        ("b", 1, "Crews reached stranded residents after the river burst its banks overnight.", 0),
    ])
    matrix = tfidf(units)[0]
    cosine = float((normalized(matrix) @ normalized(matrix).T)[0, 1])
    assert value(similarity(matrix), 0, 1) == pytest.approx((cosine + 1.0) / 2)


def test_a_word_few_sources_use_weighs_more_than_one_every_source_uses():
    units = make_units([("a", 1, "Marlow flood pier", 0), ("b", 1, "Marlow flood", 0), ("c", 1, "Marlow", 0)])
    matrix, vocab = tfidf(units)
    weights = matrix[0].toarray().ravel()
    assert weights[vocab["pier"]] > weights[vocab["flood"]] > weights[vocab["marlow"]]


def test_static_vectors_read_accented_letters_as_plain_ones():
    accented, plain = sentence_vectors(["José Martí opened the café", "Jose Marti opened the cafe"])
    assert float(accented @ plain) == pytest.approx(1.0, abs=1e-5)


# --- the same-point model's figures ---------------------------------------------------------------

KILLED = "Officials said 12 people were killed in the flooding in Marlow."


def test_sharing_a_figure_counts_for_one_point_and_one_sided_figures_count_neither_way():
    story = Sentences([KILLED, "Officials in Marlow said the flooding killed 12 people.",
                       "Officials in Marlow said the flooding killed many people."])
    near, far = np.array([0, 0]), np.array([1, 2])
    with_figures = score_pairs(story, near, far, kind="story")
    apart = score_pairs(story, near, far, kind="story", numbers=False)
    assert with_figures[0] > apart[0]
    figures = story.features(near, far)[:, [FEATURES.index("numbers_agree"), FEATURES.index("numbers_differ")]]
    assert figures.tolist() == [[1.0, 0.0], [0.0, 0.0]]


# --- independence ---------------------------------------------------------------------------------

WIRE = " ".join(f"word{k}" for k in range(60))


def test_documents_sharing_a_long_verbatim_passage_are_one_independent_source():
    copied = " ".join(f"word{k}" for k in range(8 + SHARED_PASSAGE_SHINGLES - 1))  # exactly enough shingles
    groups = independence_groups({"wire": WIRE, "paper": "Local lead. " + copied, "other": "Something else."}, {})
    assert groups["paper"] == groups["wire"] == "paper"
    assert groups["other"] == "other"
    assert count_independent(["wire", "paper", "other"], groups) == 2


def test_a_passage_one_shingle_too_short_keeps_documents_independent():
    copied = " ".join(f"word{k}" for k in range(8 + SHARED_PASSAGE_SHINGLES - 2))
    groups = independence_groups({"wire": "Wire copy. " + copied, "paper": "Local news. " + copied}, {})
    assert count_independent(["wire", "paper"], groups) == 2


def test_documents_in_one_stored_near_duplicate_group_count_once():
    groups = independence_groups({"a": "One text.", "b": "Another text.", "c": "Third."}, {"a": "g1", "b": "g1", "c": None})
    assert groups == {"a": "a", "b": "a", "c": "c"}
    assert count_independent(["a", "b", "c"], groups) == 2


# --- factual details: numbers, years, lists, names ------------------------------------------------


def described(a: str, b: str, kind: str | None = None) -> list[str]:
    return [c.describe() for c in conflicts(details(a), details(b)) if kind is None or c.kind == kind]


def test_a_conflict_names_both_figures_as_written():
    assert described(
        "Police said 12 people were killed in the attack.", "Police said 30 people were killed in the attack.",
    ) == ["number: 12 people / 30 people"]


def test_a_percentage_is_compared_with_percentages_only():
    assert described("Turnout rose to 61% on Sunday.", "Turnout rose to 58% on Sunday.") == ["number: 61% / 58%"]
    assert described("Turnout rose to 61% on Sunday.", "Turnout rose to 58 points on Sunday.") == []


def test_number_words_count_as_figures():
    assert described("Three people were killed in the blast.", "Five people were killed in the blast.") == [
        "number: 3 people / 5 people",
    ]


def test_two_lower_bounds_are_two_counts_of_one_thing():
    assert described("At least 12 people were killed in the blast.", "At least 40 people were killed in the blast.")


def test_a_bound_allows_values_on_its_side_only():
    over = "More than 300 people were evacuated from the valley."
    assert described(over, "About 350 people were evacuated from the valley.") == []
    assert described(over, "Some 200 people were evacuated from the valley.")
    under = "Up to 300 people were evacuated from the valley."
    assert described(under, "Exactly 250 people were evacuated from the valley.") == []
    assert described(under, "Exactly 350 people were evacuated from the valley.")


def test_an_approximate_value_allows_a_fifth_either_way_and_no_more():
    about = "About 1000 people were evacuated from the valley."
    assert described(about, "Exactly 1150 people were evacuated from the valley.") == []
    assert described(about, "Exactly 1300 people were evacuated from the valley.")


def test_a_value_rounded_to_two_digits_is_the_same_figure():
    assert described("The fund holds 2,700 shares in the port.", "The fund holds 2,702 shares in the port.") == []
    assert described("The fund holds 2,700 shares in the port.", "The fund holds 2,900 shares in the port.")


def test_different_years_for_one_event_are_a_factual_conflict():
    assert described(
        "The company was founded in 1998 by two engineers in Leeds.",
        "The company was founded in 1999 by two engineers in Leeds.",
    ) == ["number: 1998 / 1999"]
    assert described("After the 2014 annexation the sanctions began.", "After the 2015 annexation the sanctions began.")


def test_years_of_different_events_are_no_conflict():
    assert described("She was elected in 2014 and spoke on Monday.", "She was appointed in 2015 and spoke on Monday.") == []


def test_a_year_is_exact_not_a_rounded_figure():
    assert described("The law passed in 2010 was changed on Monday.", "The law passed in 2014 was changed on Monday.")


def test_a_year_either_sentence_gives_is_no_conflict():
    assert described(
        "The bridge opened in 2014 after work began in 2010.", "The bridge opened in 2010, the city said.",
    ) == []


def test_a_sentence_with_two_years_gives_no_year_to_compare():
    assert described("Talks ran from 2014 to 2016 in Minsk.", "Talks ran from 2015 to 2017 in Minsk.") == []


def test_two_versions_of_one_dated_enumeration_are_a_list_conflict():
    a = "He listed three catastrophes: the 2008 war in Georgia, the 2014 annexation of Crimea and the sanctions."
    b = "He listed three catastrophes: the 2008 war in Georgia, the 2014 annexation of Crimea and the pandemic."
    assert described(a, b, "list") == ["list: the sanctions / the pandemic"]


def test_lists_that_share_no_item_are_not_two_versions_of_one():
    a = "He listed three catastrophes: the 2008 war in Georgia, the annexation of Crimea and the sanctions."
    b = "He listed three worries: rising prices, the harvest and the pandemic."
    assert described(a, b, "list") == []


def test_a_list_that_only_adds_items_is_no_conflict():
    a = "The plan includes the 2008 treaty, the 2014 accord and the 2019 pact."
    b = "The plan includes the 2008 treaty, the 2014 accord, the 2019 pact and the 2021 charter."
    assert described(a, b, "list") == []


def test_two_names_for_one_office_are_a_name_conflict():
    assert described(
        "Talks were led by president Adams on Monday.", "Talks were led by president Baker on Monday.",
    ) == ["name: adams / baker"]


def test_names_after_a_preposition_are_no_office_conflict():
    assert described("The summit was held in Astana in May.", "The summit was held in Tashkent in May.", "name") == []


def test_one_name_inside_the_other_is_the_same_person():
    assert described("Talks were led by president Adams.", "Talks were led by president John Adams.", "name") == []


# --- framing --------------------------------------------------------------------------------------


def framing_of(rows: list[tuple[str, str]], related: float = 0.10) -> list[dict[str, list[str]]]:
    units = make_units([(d, 1, t, 0) for d, t in rows])
    sims = similarity(tfidf(units)[0])
    return [
        {label: sorted(units[i].doc_id for i, _ in uses) for label, uses in fd.sides.items()}
        for fd in framing_disputes(units, sims, LoadedLexicon.default(), related)
    ]


def test_opposing_terms_sharing_the_words_around_them_are_a_framing_dispute():
    found = framing_of([
        ("left", "Crowds toppled the government in the Maidan revolution in Kyiv."),
        ("right", "The Maidan coup in Kyiv was followed by weeks of talks."),
    ], related=1.01)  # linked by the words around the terms alone
    assert len(found) == 1 and sorted(v[0] for v in found[0].values()) == ["left", "right"]


def test_opposing_terms_in_similar_sentences_are_linked_without_shared_context():
    # The words around the terms differ; the rest of the sentences reports one event.
    rows = [
        ("left", "Supporters hailed the revolution with loud cheering and singing and dancing, while the ousted "
                 "president fled abroad and parliament named an interim leader on Monday evening."),
        ("right", "Opponents condemned the coup with bitter anger, fury and shouting, while the ousted "
                  "president fled abroad and parliament named an interim leader on Monday evening."),
    ]
    assert framing_of(rows, related=0.10)
    assert framing_of(rows, related=0.99) == []


def test_opposing_terms_in_unrelated_sentences_are_no_framing_dispute():
    assert framing_of([
        ("left", "Historians discussed the French revolution at the conference."),
        ("right", "Markets fell sharply after the coup in a distant country on Monday."),
    ], related=0.5) == []


def test_one_document_using_both_terms_is_no_framing_dispute():
    assert framing_of([
        ("left", "Crowds toppled the government in the Maidan revolution in Kyiv."),
        ("left", "Critics call the Maidan coup in Kyiv a foreign plot."),
    ]) == []


def test_a_sentence_using_both_sides_words_contrasts_nothing():
    assert framing_of([
        ("left", "Some call the Maidan revolution a coup in Kyiv."),
        ("right", "The Maidan coup in Kyiv was followed by weeks of talks."),
    ]) == []


# --- loaded words and the stance of one sentence ----------------------------------------------------


@pytest.mark.parametrize(("text", "flagged"), [
    ("The 'experts' met on Monday in the town hall.", ["experts"]),
    ('The "flood relief experts" met on Monday.', ["flood relief experts"]),
    ("The 'flood relief experts' met on Monday.", []),  # several words in single quotes: a quotation
])
def test_scare_quotes_are_one_to_three_words_and_single_quotes_hold_one(text, flagged):
    assert [t.text for t in LoadedLexicon.default().flag(text) if t.category == "scare-quote"] == flagged


@pytest.mark.parametrize(("headline", "stance"), [
    ("Report that the mayor of Marlow resigned is a hoax", "contradiction"),
    ("Experts doubt that the mayor of Marlow resigned", "contradiction"),
    ("Experts are skeptical that the mayor of Marlow resigned", "contradiction"),
    ("The mayor of Marlow did not resign", "contradiction"),
    ("The mayor of Marlow didn't resign", "contradiction"),
    ("It's not true that the mayor resigned", "contradiction"),
    ("The mayor of Marlow may have resigned, sources say", "unknown"),
    ("Did the mayor of Marlow resign?", "unknown"),
    ("The mayor of Marlow resigned on Monday", "entailment"),
])
def test_a_headline_asserts_denies_or_only_reports_a_claim(headline, stance):
    assert read_stance("The mayor of Marlow resigned on Monday.", headline) == stance
