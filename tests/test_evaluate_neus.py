"""NeuS/AllSides evaluation: the framing-bias metric, the offline lemmatiser, the brief's consensus text
and the report, on tiny clusters and a fake VAD lexicon written here (no evaluation data needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.evaluate.framing_bias import (
    WordNetNouns,
    added_words,
    arousal,
    lemmatize_noun,
    load_vad,
    preprocess,
)
from briefing.evaluate.neus import brief_consensus, load_clusters, reference_length, summary_text

# word, valence, arousal, dominance — made up for the tests
FAKE_VAD = {
    "joy": (0.900, 0.700, 0.500),
    "terror": (0.050, 0.900, 0.300),
    "table": (0.500, 0.200, 0.400),
    "riot": (0.200, 0.800, 0.400),
    "hope": (0.800, 0.400, 0.500),
}

FLOOD = [
    "Heavy rain flooded the river town of Marlow on Tuesday. "
    "Emergency crews used boats to reach stranded residents in the town. "
    "The mayor ordered the evacuation of the riverside district.",
    "Rescue teams in boats reached residents stranded by the water in Marlow. "
    "Floodwaters swept through Marlow after a day of torrential rain on Tuesday. "
    "Insurers expect claims to run into the millions.",
    "Marlow was flooded on Tuesday after heavy rain fell all day. "
    "Crews in boats rescued stranded residents from their homes. "
    "A local school has been turned into a shelter for families.",
]
UNRELATED = [
    "The central bank raised interest rates by half a point on Wednesday afternoon.",
    "A new species of frog was discovered in the mountains of northern Peru last year.",
]


def write_vad(folder: Path, entries: dict[str, tuple[float, float, float]] = FAKE_VAD) -> Path:
    path = folder / "vad.txt"
    path.write_text("\n".join(f"{w}\t{v:.3f}\t{a:.3f}\t{d:.3f}" for w, (v, a, d) in entries.items()), encoding="utf-8")
    return path


def cluster(cid: str, texts: list[str], reference: str) -> dict[str, object]:
    return {
        "cluster_id": cid,
        "documents": [{"id": f"{cid}-doc{i}", "title": None, "text": t} for i, t in enumerate(texts)],
        "references": [reference],
    }


def write_clusters(folder: Path, rows: list[dict[str, object]]) -> Path:
    path = folder / "clusters.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def docs(texts: list[str]) -> list[dict[str, object]]:
    return [{"id": f"d{i}", "title": None, "text": t} for i, t in enumerate(texts)]


# --- the offline lemmatiser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("riots", "riot"),
        ("policies", "policy"),
        ("ties", "tie"),
        ("movies", "movie"),
        ("wolves", "wolf"),
        ("children", "child"),
        ("taxes", "tax"),
        ("churches", "church"),
        ("headaches", "headache"),
        ("viruses", "virus"),
        ("causes", "cause"),
        ("losses", "loss"),
        ("congressmen", "congressman"),
        ("news", "news"),
        ("crisis", "crisis"),
        ("status", "status"),
        ("was", "was"),
        ("1990s", "1990s"),
        ("riot", "riot"),
    ],
)
def test_the_noun_lemmatiser_singularises_plurals_and_leaves_other_words(word, lemma):
    assert lemmatize_noun(word) == lemma


def test_the_wordnet_lemmatiser_keeps_the_shortest_noun_and_leaves_non_nouns(tmp_path):
    (tmp_path / "index.noun").write_text(
        "  1 this software and database is being provided\n"
        "dog n 1 0 1 0 02084071\nglass n 1 0 1 0 03438257\nglasses n 1 0 1 0 04272054\ngoose n 1 0 1 0 01855672\n",
        encoding="latin-1",
    )
    (tmp_path / "noun.exc").write_text("geese goose\n", encoding="latin-1")
    lemmatize = WordNetNouns.from_dir(tmp_path)
    assert [lemmatize(w) for w in ("dogs", "glasses", "geese", "threatens")] == ["dog", "glass", "goose", "threatens"]


# --- the framing-bias metric ----------------------------------------------------------------------


def test_preprocessing_spells_out_us_drops_punctuation_and_singularises():
    assert preprocess("The U.S. didn't stop the well-known riots.") == "the usa didnt stop the wellknown riot"


def test_arousal_counts_each_added_lexicon_word_once_by_its_valence(tmp_path):
    lexicon = load_vad(write_vad(tmp_path))
    reference = "Officials met on Monday to discuss the riots."
    generated = "Joy and terror spread as officials discussed the riot, a table, joy and hopes."
    # added: joy (V .9, A .7) and hopes → hope (V .8, A .4) are positive, terror (V .05, A .9) negative;
    # table is mid-valence; riot is in the reference (as "riots").
    found = arousal(generated, reference, lexicon)
    assert found.positive_words == ("hope", "joy")
    assert found.negative_words == ("terror",)
    assert found.positive == pytest.approx(1.1)
    assert found.negative == pytest.approx(0.9)
    assert found.total == pytest.approx(2.0)
    assert "riot" not in added_words(generated, reference)


def test_a_text_that_adds_nothing_to_its_reference_has_no_arousal(tmp_path):
    lexicon = load_vad(write_vad(tmp_path))
    assert arousal("Terror and joy.", "Joy and terror!", lexicon).total == 0


def test_the_lexicon_reader_skips_a_header_and_malformed_lines(tmp_path):
    path = tmp_path / "vad.txt"
    path.write_text("Word\tValence\tArousal\tDominance\njoy\t0.9\t0.7\t0.5\nbroken line\nsad\tx\t0.1\t0.1", encoding="utf-8")
    assert list(load_vad(path)) == ["joy"]


# --- the systems' texts -------------------------------------------------------------------------------


def test_the_consensus_opens_with_an_agreement_and_is_cut_to_n_words():
    consensus = brief_consensus(docs(FLOOD), words=30)
    assert consensus.agreements >= 1
    assert "boats" in consensus.text.split(".")[0]
    assert len(consensus.text.split()) == 30


def test_without_an_agreement_the_consensus_is_each_sources_first_summary_sentence():
    consensus = brief_consensus(docs(UNRELATED), words=200)
    assert consensus.agreements == 0
    assert consensus.filled
    assert consensus.text == " ".join(UNRELATED)


def test_a_cluster_with_an_empty_document_is_briefed_and_summarised_from_the_others():
    documents = docs([FLOOD[0], "", FLOOD[2]])
    consensus = brief_consensus(documents, words=40)
    assert not consensus.failed
    assert len(consensus.text.split()) == 40
    assert len(summary_text(documents, "lead", 40).split()) == 40


def test_a_cluster_of_only_empty_documents_gives_empty_texts():
    documents = docs(["", "  "])
    assert brief_consensus(documents, words=10).failed
    assert summary_text(documents, "lexrank", 10) == ""


def test_n_defaults_to_the_median_reference_length(tmp_path):
    rows = [cluster(c, UNRELATED, ref) for c, ref in (("a", "one two three"), ("b", "one two three four five"),
                                                      ("c", " ".join(["w"] * 10)), ("d", ""))]
    clusters = load_clusters(write_clusters(tmp_path, rows))
    assert [c.id for c in clusters] == ["a", "b", "c"]  # no reference, not scored
    assert reference_length(clusters) == 5


# --- the command ------------------------------------------------------------------------------------


def test_the_json_report_has_every_system_side_by_side(tmp_path):
    data = write_clusters(tmp_path, [
        cluster("flood", FLOOD, "Heavy rain flooded Marlow on Tuesday and crews in boats rescued residents."),
        cluster("mixed", [UNRELATED[0] + " The bank said interest rates would stay high for a year.", "", UNRELATED[1]],
                "The central bank raised rates on Wednesday."),
    ])
    result = CliRunner().invoke(main, ["evaluate", "neus", str(data), "--lexicon", str(write_vad(tmp_path)),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["clusters"] == 2
    assert report["words"] == round(report["median_reference_words"]) == 10
    assert [s["system"] for s in report["systems"]] == ["brief consensus", "lexrank", "lead", "default"]
    for row in report["systems"]:
        assert set(row) == {
            "system", "clusters", "rouge1_recall", "rouge2_recall", "rougeL_recall", "rouge1_f1", "rouge2_f1",
            "rougeL_f1", "arousal_positive", "arousal_negative", "arousal_sum", "arousal_sum_se", "mean_words",
        }
        assert row["clusters"] == 2
        assert 0 < row["rouge1_recall"] <= 100
        assert row["arousal_sum"] == pytest.approx(row["arousal_positive"] + row["arousal_negative"], abs=0.002)
    assert report["brief"]["with_agreement"] == report["with_agreement"]["clusters"] == 1
    assert all(row["clusters"] == 1 for row in report["with_agreement"]["systems"])
    assert "rule-based" in report["lemmatizer"]
    assert "Treebank" in report["tokenizer"]


def test_the_text_report_names_n_and_the_substitutions(tmp_path):
    data = write_clusters(tmp_path, [cluster("flood", FLOOD, "Crews in boats rescued residents of Marlow.")])
    result = CliRunner().invoke(main, ["evaluate", "neus", str(data), "--lexicon", str(write_vad(tmp_path)),
                                       "--methods", "lead", "--words", "12"])
    assert result.exit_code == 0, result.output
    assert "N = 12 words (median reference length 7 words)" in result.output
    assert "lemmatiser: briefing's rule-based noun lemmatiser" in result.output
    assert "brief consensus" in result.output and "lexrank" not in result.output


def test_missing_data_is_skipped_with_a_message(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", "neus", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 0
    assert result.output.startswith("skipped: no NeuS/AllSides data at")


def test_a_named_lexicon_that_is_absent_is_an_error_naming_the_option(tmp_path):
    data = write_clusters(tmp_path, [cluster("flood", FLOOD, "Crews in boats rescued residents.")])
    result = CliRunner().invoke(main, ["evaluate", "neus", str(data), "--lexicon", str(tmp_path / "none.txt")])
    assert result.exit_code != 0
    assert "--lexicon" in result.output
