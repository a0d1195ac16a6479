"""The neutral brief: agreements, disputes and single-source points on small corpora."""

from __future__ import annotations

import json

import pytest

from briefing import Corpus
from briefing.align.loaded import LoadedLexicon
from briefing.models import Brief

FLOOD = {
    "wire": (
        "Heavy rain flooded the river town of Marlow on Tuesday. "
        "Officials said 12 people were killed in the flooding. "
        "The mayor ordered the evacuation of the riverside district. "
        "Emergency crews used boats to reach stranded residents."
    ),
    "daily": (
        "Rescue teams in boats reached residents stranded by the water. "
        "Floodwaters swept through Marlow after a day of torrential rain on Tuesday. "
        "At least 15 people were killed in the flooding, the regional governor said. "
        "Insurers expect claims to run into the millions."
    ),
    "gazette": (
        "Marlow was flooded on Tuesday after heavy rain, and the riverside district was evacuated on the mayor's orders. "
        "Crews in boats rescued stranded residents. "
        "A local school has been turned into a shelter for families."
    ),
}


def quotes_of(brief: Brief) -> list:
    found = [q for a in brief.agreements for q in [a.summary, *a.quotes]]
    found += [q for d in brief.disputes for p in d.positions for q in p.quotes]
    found += [s.quote for s in brief.single_source]
    found += [q for v in brief.per_source for q in v.summary]
    return found


def test_a_point_told_by_three_sources_in_different_words_is_one_agreement():
    brief = Corpus.from_texts(FLOOD).brief()
    boats = [a for a in brief.agreements if any("boat" in q.text for q in a.quotes)]
    assert len(boats) == 1
    assert boats[0].sources == ["daily", "gazette", "wire"]
    assert boats[0].independent_sources == 3


def test_conflicting_numbers_for_one_point_are_a_factual_dispute_quoting_both():
    brief = Corpus.from_texts(FLOOD).brief()
    factual = [d for d in brief.disputes if d.kind == "factual"]
    assert len(factual) == 1
    sides = {tuple(p.sources): [q.text for q in p.quotes] for p in factual[0].positions}
    assert any("12 people" in t for t in sides[("wire",)])
    assert any("15 people" in t for t in sides[("daily",)])


def test_every_quote_in_a_brief_resolves_verbatim_through_cite():
    corpus = Corpus.from_texts(FLOOD)
    for q in quotes_of(corpus.brief()):
        assert corpus.cite(q.citation)[0].text == q.text


def test_a_lightly_edited_copy_never_counts_as_independent_support():
    original = FLOOD["wire"] + " The river peaked at six metres on Wednesday morning, officials added."
    copy = original.replace("Heavy rain", "Torrential rain").replace("ordered", "has ordered")
    corpus = Corpus.from_texts({"wire": original, "reprint": copy, "gazette": FLOOD["gazette"]})
    brief = corpus.brief()
    for a in brief.agreements:
        if {"wire", "reprint"} <= set(a.sources):
            assert a.independent_sources == len(a.sources) - 1
            assert a.note and "count once" in a.note
    assert all(
        {"wire", "reprint"} != set(a.sources) for a in brief.agreements
    ), "two copies of one text alone are not an agreement"
    assert any(n.kind == "near_duplicate" and "reprint" in n.message for n in brief.notes)


def test_opposing_loaded_terms_for_one_event_are_a_framing_dispute():
    corpus = Corpus.from_texts({
        "left": "Thousands marched after the 2014 Maidan revolution toppled the president. Parliament met on Monday.",
        "right": "Thousands marched after the 2014 Maidan coup toppled the president. Markets were calm on Monday.",
    })
    framing = [d for d in corpus.brief().disputes if d.kind == "framing"]
    assert len(framing) == 1
    labels = " ".join(p.label for p in framing[0].positions)
    assert "revolution" in labels and "coup" in labels
    assert [p.sources for p in framing[0].positions] == [["left"], ["right"]]


def test_a_name_written_with_cyrillic_look_alike_letters_joins_its_latin_twin():
    corpus = Corpus.from_texts({
        "a": "Defence spokesman Xiao Ган said the joint naval drills would open new horizons for both navies. Talks ended on Friday.",
        "b": "The joint naval drills will open new horizons for both navies, defence spokesman Xiao Gan said. Weather delayed one exercise.",
    })
    brief = corpus.brief()
    assert [a.sources for a in brief.agreements] == [["a", "b"]]


def test_topic_briefs_only_the_documents_that_match():
    corpus = Corpus.from_texts({**FLOOD, "sport": "The home team won the cup final on Saturday. Fans celebrated in the square."})
    brief = corpus.brief("flooding in Marlow")
    assert "sport" not in brief.sources
    assert brief.topic == "flooding in Marlow"


def test_a_topic_whose_words_are_spread_over_documents_still_briefs_all_of_them():
    # Only "wire" and "gazette" say "heavy rain"; "daily" has the rest of the words.
    corpus = Corpus.from_texts({**FLOOD, "sport": "The home team won the cup final on Saturday. Fans celebrated in the square."})
    brief = corpus.brief("heavy rain flooded Marlow")
    assert brief.sources == ["daily", "gazette", "wire"]


DOUBTED = "There is no evidence that the mayor of Marlow resigned on Monday after the flooding. The river has since fallen."
RESIGNED = "The mayor of Marlow resigned on Monday after the flooding, a local blog wrote."


def stance_sides_of(brief: Brief) -> list[list[list[str]]]:
    return [[p.sources for p in d.positions] for d in brief.disputes if d.kind == "stance"]


def test_a_point_one_source_states_and_another_doubts_is_a_stance_dispute():
    corpus = Corpus.from_texts({"wire": RESIGNED + " The council met on Tuesday.", "daily": DOUBTED})
    assert stance_sides_of(corpus.brief()) == [[["wire"], ["daily"]]]


def test_a_source_that_debunks_what_it_reports_does_not_state_it():
    debunked = RESIGNED + " The council said the blog post was a hoax and that the mayor remains in office."
    assert stance_sides_of(Corpus.from_texts({"wire": debunked, "daily": DOUBTED}).brief()) == []


def test_a_topic_that_only_names_a_subject_has_no_stance_to_take():
    corpus = Corpus.from_texts({
        "a": "A giant crab was photographed off the coast of Whitstable this week. It appears in an aerial photograph.",
        "b": "An aerial photograph shows a giant crab lurking off the coast of Whitstable. Residents shared the image.",
        "c": "The photograph of a giant crab off Whitstable is a hoax, biologists say. The giant crab story is fake.",
    })
    assert not [d for d in corpus.brief("Whitstable").disputes if "Whitstable" in d.topic]
    assert [d for d in corpus.brief("a giant crab off Whitstable is real").disputes if "Whitstable" in d.topic]


def test_a_topic_that_one_source_debunks_is_a_topic_stance_dispute():
    corpus = Corpus.from_texts({
        "a": "A giant crab was photographed off the coast of Whitstable this week. It appears in an aerial photograph.",
        "b": "An aerial photograph shows a giant crab lurking off the coast of Whitstable. Residents shared the image.",
        "c": "The photograph of a giant crab off Whitstable is a hoax, biologists say. The giant crab story is fake.",
    })
    topic = "Giant crab photographed off the coast of Whitstable"
    [dispute] = [d for d in corpus.brief(topic).disputes if d.kind == "stance" and topic in d.topic]
    assert [(p.label, p.sources) for p in dispute.positions] == [
        ("reports it without questioning it", ["a", "b"]), ("questions or rejects it", ["c"]),
    ]


def test_brief_json_contract():
    data = json.loads(Corpus.from_texts(FLOOD).brief().model_dump_json())
    assert {"agreements", "disputes", "single_source"} <= set(data)
    for a in data["agreements"]:
        assert isinstance(a["independent_sources"], int) and a["sources"]
        assert all({"citation", "text"} <= set(q) for q in a["quotes"])
    for d in data["disputes"]:
        assert d["kind"] in {"factual", "framing", "stance"}
        assert all(p["sources"] and all({"citation", "text"} <= set(q) for q in p["quotes"]) for p in d["positions"])
    for s in data["single_source"]:
        assert {"citation", "text"} <= set(s["quote"])


def test_the_brief_speaks_only_in_neutral_attributing_templates():
    brief = Corpus.from_texts(FLOOD).brief()
    own_words = [brief.overview] + [d.topic for d in brief.disputes] + [a.note or "" for a in brief.agreements]
    lexicon = LoadedLexicon.default()
    for text in own_words:
        assert lexicon.flag(text) == [], text


def test_coverage_matrix_marks_each_source_for_each_point():
    brief = Corpus.from_texts(FLOOD).brief()
    ids = [a.id for a in brief.agreements] + [d.id for d in brief.disputes] + [s.id for s in brief.single_source]
    assert [row.source for row in brief.coverage] == brief.sources
    for row in brief.coverage:
        assert set(row.cells) == set(ids)
        assert set(row.cells.values()) <= {"reports", "disputes", "silent"}


def test_compare_two_sources_side_by_side():
    comparison = Corpus.from_texts(FLOOD).compare("wire", "daily")
    assert comparison.sources == ["wire", "daily"] or comparison.sources == ["daily", "wire"]
    assert comparison.disputes and comparison.disputes[0].kind == "factual"


def test_an_empty_selection_names_the_fix():
    from briefing.errors import NothingToSummarize

    with pytest.raises(NothingToSummarize, match="briefing sources"):
        Corpus.from_texts(FLOOD).brief("volcano eruption")


def test_a_brief_without_a_topic_over_too_many_documents_takes_the_latest_and_says_so():
    dated = {
        name: {"text": text, "date": date}
        for (name, text), date in zip(FLOOD.items(), ["2024-03-01", "2024-03-03", "2024-03-02"], strict=True)
    }
    brief = Corpus.from_texts(dated).brief(max_documents=2)
    assert brief.truncated
    assert sorted(v.document.id for v in brief.per_source) == ["daily", "gazette"]


@pytest.fixture(scope="module")
def seed_brief(tmp_path_factory):
    corpus = Corpus.open(db=tmp_path_factory.mktemp("db") / "seeds.sqlite3")
    return corpus, corpus.brief()


def test_seed_brief_quotes_resolve_and_no_boilerplate_line_is_quoted(seed_brief):
    corpus, brief = seed_brief
    dropped = {n.message for d in corpus.sources() for n in d.notes if n.kind == "boilerplate"}
    assert dropped, "seed 004 carries web boilerplate"
    for q in quotes_of(brief):
        cited = corpus.cite(q.citation)[0]
        assert cited.text == q.text
        original = corpus.store.text(q.doc_id)
        assert original[cited.start:cited.end] == q.text
        assert not any(q.text in m for m in dropped)


def test_seed_brief_cli_json_matches_the_python_model(seed_brief, tmp_path):
    from click.testing import CliRunner

    from briefing.cli import main

    corpus, brief = seed_brief
    result = CliRunner().invoke(main, ["brief", "--db", corpus.store.path, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(brief.model_dump_json())


def test_the_readme_brief_example_runs_as_written(capsys):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Output contract", 1)[1]
    code, expected = re.findall(r"```(?:python|text)\n(.*?)```", section.split("## Citation ids")[0], re.S)[1:3]
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == expected
