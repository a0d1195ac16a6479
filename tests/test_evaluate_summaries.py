"""``briefing evaluate summaries``: ROUGE of every method over JSONL clusters, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.evaluate.rouge import score, truncate
from briefing.evaluate.summaries import evaluate

KEYS = [
    "method", "rouge1_recall", "rouge2_recall", "rougeL_recall",
    "rouge1_f1", "rouge2_f1", "rougeL_f1", "clusters", "seconds_per_cluster",
]

CLUSTERS = [
    {
        "cluster_id": "flood",
        "documents": [
            {"id": "a", "title": "", "text": "The river burst its banks in Millbrook on Monday. "
             "Hundreds of residents left their homes. Rescue teams used boats."},
            {"id": "b", "title": "", "text": "Rescue teams evacuated hundreds of residents after the river "
             "burst its banks. The mayor declared a state of emergency."},
            {"id": "empty", "title": "", "text": ""},
        ],
        "references": ["The river burst its banks and hundreds of residents were evacuated by rescue teams.",
                       "Millbrook flooded; the mayor declared an emergency."],
        "topic": "rescue teams",
    },
    {
        "cluster_id": "one-sentence",
        "documents": [{"id": "only", "title": "Budget", "text": "The council approved the budget on Tuesday."}],
        "references": ["The council approved its budget."],
    },
]


def write_clusters(tmp_path: Path, clusters: list[dict[str, object]] = CLUSTERS) -> Path:
    path = tmp_path / "clusters.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in clusters) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["evaluate", "summaries", *args])
    return result.exit_code, result.output


# --- ROUGE --------------------------------------------------------------------------------------


def test_a_summary_equal_to_its_reference_scores_full_marks():
    scores = score("The river burst its banks.", ["The river burst its banks."])
    assert scores.recall == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}


def test_several_references_score_the_mean_not_the_best():
    scores = score("river banks", ["river banks", "council budget"])
    assert scores.recall["rouge1"] == pytest.approx(0.5)


def test_the_summary_is_cut_to_the_word_budget_before_scoring():
    assert truncate("one two three four", 2) == "one two"
    assert score("council budget river", ["river"], words=2).recall["rouge1"] == 0.0


def test_an_empty_summary_scores_zero():
    assert score("", ["anything"]).recall["rouge1"] == 0.0


# --- the command --------------------------------------------------------------------------------


def test_json_has_one_entry_per_method_with_every_score(tmp_path):
    code, out = run(str(write_clusters(tmp_path)), "--words", "15", "--methods", "default,lead,lexrank",
                    "--format", "json")
    assert code == 0, out
    methods = json.loads(out)["methods"]
    assert [m["method"] for m in methods] == ["default", "lead", "lexrank"]
    for m in methods:
        assert list(m) == KEYS
        assert m["clusters"] == 2
        assert all(0 <= m[k] <= 100 for k in KEYS[1:7])
        assert m["rouge1_recall"] > 0


def test_every_method_runs_when_none_is_named(tmp_path):
    code, out = run(str(write_clusters(tmp_path)), "--words", "10", "--format", "json")
    assert code == 0, out
    assert len(json.loads(out)["methods"]) > 5


def test_text_format_prints_a_table_row_per_method(tmp_path):
    code, out = run(str(write_clusters(tmp_path)), "--words", "15", "--methods", "default,lead")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0].split()[:3] == ["method", "R1", "rec"]
    assert [line.split()[0] for line in lines[1:]] == ["default", "lead"]


def test_limit_and_query_field(tmp_path):
    code, out = run(str(write_clusters(tmp_path)), "--words", "15", "--methods", "default", "--limit", "1",
                    "--query-field", "topic", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["methods"][0]["clusters"] == 1


def test_an_unknown_method_is_a_clean_error(tmp_path):
    code, out = run(str(write_clusters(tmp_path)), "--methods", "default,gpt")
    assert code == 2
    assert "no summary method 'gpt'" in out and "lexrank" in out


def test_a_malformed_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(CLUSTERS[0]) + "\n{not json\n", encoding="utf-8")
    code, out = run(str(path), "--methods", "lead")
    assert code != 0
    assert "bad.jsonl:2" in out


def test_evaluate_is_callable_from_python():
    [result] = evaluate(CLUSTERS, words=20, methods=["lead"])
    assert result.clusters == 2
    assert result.recall["rouge1"] > 0
