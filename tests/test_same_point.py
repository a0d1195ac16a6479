"""Which sentences state the same point: the same-point models, the static vectors, the anchors,
framing inside an agreement, and `briefing evaluate pairs` on labelled pairs written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing import Corpus
from briefing.align import same_point, surface
from briefing.align.same_point import FEATURES, PAIR_FEATURES, Sentences, anchors, score_pairs
from briefing.align.vectors import sentence_vectors
from briefing.cli import main
from briefing.evaluate.pairs import held_out, precision_at_recall

PARAPHRASE = (
    "Rescue teams in boats reached residents stranded by the floodwater on Tuesday.",
    "Emergency crews used boats to reach stranded residents after the river burst its banks.",
)
BACKGROUND = (
    "Rescue teams in boats reached residents stranded by the floodwater on Tuesday.",
    "The mayor said the town would seek federal disaster aid once the water receded.",
)


def probability(a: str, b: str, kind: str = "story") -> float:
    return float(score_pairs(Sentences([a, b]), np.array([0]), np.array([1]), kind=kind)[0])


@pytest.mark.parametrize("kind", ["pairs", "story"])
def test_a_paraphrase_scores_above_a_sentence_about_something_else_in_the_story(kind):
    assert probability(*PARAPHRASE, kind=kind) > probability(*BACKGROUND, kind=kind) + 0.2


def test_the_brief_groups_at_the_story_threshold_a_paraphrase_but_not_background():
    assert probability(*PARAPHRASE) >= same_point.GROUP_THRESHOLD > probability(*BACKGROUND)


def test_static_vectors_relate_words_that_share_no_stem():
    killed, slain, budget = sentence_vectors(["gunmen killed", "gunmen slew", "budget surplus"])
    assert float(killed @ slain) > float(killed @ budget)


def test_the_vectors_leave_out_anchor_words_when_asked():
    (plain,) = sentence_vectors(["Senator Okafor praised the flood rescue"])
    (without,) = sentence_vectors(["Senator Okafor praised the flood rescue"], exclude={"okafor", "senat"})
    (rest,) = sentence_vectors(["praised the flood rescue"])
    assert float(without @ rest) > 0.999 > float(plain @ rest)


def test_names_most_sentences_of_a_large_story_share_are_anchors_not_evidence():
    texts = [f"Senator Okafor spoke about topic number {k} at the hearing today." for k in range(50)]
    assert "okafor" in anchors(texts)
    assert anchors(texts[:5]) == frozenset()  # a small story cannot tell its anchors apart


def test_names_a_third_of_many_documents_hold_are_the_topic_not_evidence():
    texts = [f"Officials in Kabul announced measure number {k} for the province of Herat on Monday." for k in range(4)]
    texts += [f"Story {k} is about harvests and rainfall in the south this season." for k in range(8)]
    docs = [f"d{k}" for k in range(12)]
    assert {"kabul", "herat"} <= anchors(texts, docs)
    assert anchors(texts, docs[:1] * 12) == frozenset()  # one document: nothing to tell a topic by
    assert anchors(texts) == frozenset()


def test_reports_dated_days_apart_tell_of_different_occasions():
    def brief(second: str):  # type: ignore[no-untyped-def]
        return Corpus.from_texts({
            "a": {"text": "Jobless claims fell to 290,000 last week, the Labor Department said on Thursday. "
                          "Economists had expected a smaller drop.", "date": "2021-10-14"},
            "b": {"text": "Jobless claims fell to 310,000 last week, the Labor Department said on Thursday. "
                          "Hiring slowed in the service sector.", "date": second},
        }).brief(detail="full")

    same_week = brief("2021-10-14")
    assert [d.kind for d in same_week.disputes] == ["factual"]
    weeks_apart = brief("2021-10-28")
    assert weeks_apart.disputes == [] and weeks_apart.agreements == []


def test_differing_figures_lower_the_score_unless_read_apart_from_them():
    a = "Officials said 12 people were killed in the flooding."
    b = "Officials said 15 people were killed in the flooding."
    story = Sentences([a, b])
    with_figures = score_pairs(story, np.array([0]), np.array([1]), kind="story")[0]
    apart = score_pairs(story, np.array([0]), np.array([1]), kind="story", numbers=False)[0]
    assert apart > with_figures


def test_opposing_terms_inside_one_agreement_show_as_a_framing_difference():
    corpus = Corpus.from_texts({
        "left": "Protesters toppled the president in the Maidan revolution of February 2014 in Kyiv.",
        "right": "Protesters toppled the president in the Maidan coup of February 2014 in Kyiv.",
    })
    framed = [a for a in corpus.brief().agreements if a.framing]
    assert framed, "the point is reported by both, worded with opposing terms"
    assert {p.label for p in framed[0].framing} == {"uses “revolution”", "uses “coup”"}


def test_a_quote_using_both_opposing_terms_contrasts_nothing_inside_an_agreement():
    corpus = Corpus.from_texts({
        "a": "A federal judge in Maryland on Wednesday blocked President Trump's revised travel ban, writing that the "
             "order was in effect a Muslim ban.",
        "b": "President Trump's revised travel ban was blocked on Wednesday by a federal judge in Maryland who cited "
             "the president's campaign remarks.",
    })
    [point] = [a for a in corpus.brief().agreements if {q.doc_id for q in a.quotes} == {"a", "b"}]
    assert point.framing == [], "both say 'travel ban'; the one that also says 'Muslim ban' reports the ruling"


def test_a_point_is_led_by_its_least_loaded_quote():
    corpus = Corpus.from_texts({
        "a": "Police brutally broke up the march through the capital on Sunday, injuring dozens of protesters. "
             "The opposition called for a general strike.",
        "b": "On Sunday police dispersed the march in the capital and dozens of protesters were hurt, officials said. "
             "Shops stayed closed on Monday.",
    })
    points = corpus.brief().agreements
    assert points and points[0].summary.doc_id == "b"
    assert points[0].summary.loaded_terms == [] and any(q.loaded_terms == ["brutally"] for q in points[0].quotes)


# --- the pair model's surface overlap -----------------------------------------------------------

RATE = "The central bank raised its main interest rate to 4.5% on Thursday."
RESTATED = "On Thursday the central bank raised its main interest rate to 4.5%."
MORE = "The central bank raised its main interest rate to 4.5% on Thursday, citing stubborn inflation in food and energy prices."
REWORDED = "Interest rates on Thursday: 4.5% for the main rate, raised by the central bank."


def surface_of(a: str, b: str) -> dict[str, float]:
    row = Sentences([a, b]).surface(np.array([0]), np.array([1]))[0]
    return dict(zip(surface.FEATURES, row.tolist(), strict=True))


def test_the_pair_model_reads_the_surface_overlap_and_the_brief_s_story_model_does_not():
    assert same_point.model("pairs").features == PAIR_FEATURES == FEATURES + surface.FEATURES
    assert same_point.model("story").features == FEATURES


def test_the_pair_model_tells_a_restatement_from_one_that_adds_a_detail():
    threshold = same_point.model("pairs").threshold
    assert probability(RATE, RESTATED, kind="pairs") >= threshold > probability(RATE, MORE, kind="pairs")


def test_the_surface_overlap_is_what_lifts_a_restatement_over_an_added_detail():
    def without_surface(a: str, b: str) -> float:
        fitted = same_point.model("pairs")
        x = Sentences([a, b]).pair_features(np.array([0]), np.array([1]))
        x[:, len(FEATURES):] = fitted.mean[len(FEATURES):]
        return float(fitted.probability(x)[0])

    assert without_surface(RATE, RESTATED) < without_surface(RATE, MORE)
    assert probability(RATE, RESTATED, kind="pairs") > probability(RATE, MORE, kind="pairs") + 0.3


def test_longer_n_grams_match_the_same_phrasing_not_only_the_same_words():
    restated, reworded = surface_of(RATE, RESTATED), surface_of(RATE, REWORDED)
    assert restated["stems1_min"] - reworded["stems1_min"] < 0.2
    assert restated["stems4_min"] > 0.7 and reworded["stems4_min"] == 0.0
    assert restated["stems2_max"] > reworded["stems2_max"] and restated["stems3_max"] > reworded["stems3_max"]


def test_character_n_grams_match_word_forms_the_stemmer_keeps_apart():
    forms = surface_of("Iraqi", "Iraq")
    assert forms["stems1_max"] == 0.0
    assert forms["chars_max"] == 1.0 and forms["chars_min"] == 0.5


def test_the_detail_one_sentence_adds_counts_as_unmatched_words():
    added = surface_of(RATE, MORE)
    assert (added["unmatched_max"], added["unmatched_min"]) == (6, 0)  # citing stubborn inflation food energy prices
    assert added["unmatched_total"] == pytest.approx(np.log1p(6)) and 0.4 < added["unmatched_share"] < 0.5
    assert surface_of(RATE, RESTATED)["unmatched_max"] == 0


def test_a_figure_only_one_sentence_gives_is_unmatched_and_a_shared_one_nested():
    other = surface_of(RATE, RATE.replace("4.5%", "4.75%"))
    assert (other["figures_unmatched"], other["figures_nested"]) == (1.0, 0.0)
    same = surface_of(RATE, RESTATED)
    assert (same["figures_unmatched"], same["figures_nested"]) == (0.0, 1.0)


def test_the_length_of_the_pair_and_the_gap_between_them():
    read = surface_of("Oil rose.", "Oil prices rose sharply on Monday.")
    assert read["word_gap"] == 4 and read["words"] == pytest.approx(np.log1p(2) + np.log1p(6))


def test_the_surface_overlap_reads_a_pair_the_same_in_either_order():
    assert surface_of(RATE, MORE) == surface_of(MORE, RATE)


# --- briefing evaluate pairs -----------------------------------------------------------------------


def write_pairs(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_evaluate_pairs_reports_the_same_point_figures(tmp_path):
    rows = [
        {"id": "p1", "sentence_a": PARAPHRASE[0], "sentence_b": PARAPHRASE[1], "label": "equivalent"},
        {"id": "p2", "sentence_a": BACKGROUND[0], "sentence_b": BACKGROUND[1], "label": "not_equivalent"},
        {"id": "p3", "sentence_a": "Oil prices rose 3% on Monday.", "sentence_b": "Oil rose 3% Monday.", "label": "equivalent"},
    ]
    result = CliRunner().invoke(main, ["evaluate", "pairs", str(write_pairs(tmp_path / "m.jsonl", rows)), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"precision", "recall", "f1", "precision_at_recall_50"} <= set(report)
    assert report["task"] == "equivalence" and report["pairs"] == 3


def test_evaluate_pairs_reads_graded_scores_as_equivalent_from_four(tmp_path):
    rows = [
        {"id": "s1", "sentence_a": PARAPHRASE[0], "sentence_b": PARAPHRASE[1], "label": "x", "score": 4.2, "source": "stsb_news"},
        {"id": "s2", "sentence_a": BACKGROUND[0], "sentence_b": BACKGROUND[1], "label": "x", "score": 1.0, "source": "stsb_news"},
    ]
    result = CliRunner().invoke(main, ["evaluate", "pairs", str(write_pairs(tmp_path / "s.jsonl", rows)), "--format", "json"])
    assert json.loads(result.output)["base_rate"] == 0.5


def test_evaluate_pairs_reads_stance_from_emergent_labels(tmp_path):
    claim = "The mayor of Marlow has resigned."
    rows = [
        {"id": "e1", "sentence_a": "Marlow mayor resigns after flood row", "sentence_b": claim, "label": "entailment"},
        {"id": "e2", "sentence_a": "Marlow mayor did not resign, council says it was a hoax", "sentence_b": claim, "label": "contradiction"},
        {"id": "e3", "sentence_a": "Has the Marlow mayor resigned? Reports claim he may quit", "sentence_b": claim, "label": "unknown"},
    ]
    result = CliRunner().invoke(main, ["evaluate", "pairs", str(write_pairs(tmp_path / "e.jsonl", rows)), "--format", "json"])
    report = json.loads(result.output)
    assert report["task"] == "stance"
    assert report["accuracy"] == 1.0
    assert {"f1_entailment", "f1_contradiction", "f1_unknown"} <= set(report)


def test_evaluate_pairs_names_the_fix_for_a_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "pairs", str(tmp_path / "none.jsonl")])
    assert result.exit_code != 0
    assert "claim-pairs JSONL" in result.output


def test_the_held_out_third_is_fixed_by_id():
    ids = [f"msrp-{k}" for k in range(3000)]
    share = sum(held_out(i) for i in ids) / len(ids)
    assert 0.30 < share < 0.37
    assert [held_out(i) for i in ids[:50]] == [held_out(i) for i in ids[:50]]


def test_precision_at_recall_reads_the_ranking():
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    assert precision_at_recall(scores, np.array([True, False, True, False])) == 1.0
    assert precision_at_recall(scores, np.array([False, True, False, True])) == 0.5


def test_a_figure_with_its_scale_written_on_is_a_figure():
    from briefing.align.same_point import terms

    assert terms("The firm was fined $2m on Monday.").numbers == terms("The firm was fined $2 million on Monday.").numbers
