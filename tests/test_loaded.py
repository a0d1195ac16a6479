"""Loaded-language flagging: terms, offsets, sentence decisions, framing sets, user files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.align.loaded import LOADED_THRESHOLD, LexiconError, LoadedLexicon
from briefing.evaluate.babe import evaluate_babe
from briefing.evaluate.babe import main as babe_main


@pytest.fixture(scope="module")
def lexicon() -> LoadedLexicon:
    return LoadedLexicon.default()


def flagged(lexicon: LoadedLexicon, text: str) -> list[str]:
    return [t.text for t in lexicon.flag(text)]


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "word", "category"),
    [
        ("The senator slammed the plan on Tuesday.", "slammed", "attribution"),
        ("Critics called it a radical agenda.", "radical", "pejorative"),
        ("The regime jailed two reporters.", "regime", "label"),
        ("He boasts that the numbers are up.", "boasts", "attribution"),
        ("Her so-called reform passed.", "so-called", "speculative"),
    ],
)
def test_flags_loaded_words_with_their_category(lexicon: LoadedLexicon, text: str, word: str, category: str) -> None:
    terms = {t.text: t.category for t in lexicon.flag(text)}
    assert terms.get(word) == category
    assert lexicon.is_loaded(text)


@pytest.mark.parametrize(
    "text",
    [
        "The city council approved the budget on Tuesday by seven votes to two.",
        "The minister said the talks would resume next week in Geneva.",
        "Unemployment fell to 4.1 percent in March, the statistics office reported.",
        "Social programs and global markets were discussed.",  # not "socialism"/"globalism"
    ],
)
def test_neutral_reporting_is_not_flagged(lexicon: LoadedLexicon, text: str) -> None:
    assert lexicon.flag(text) == []
    assert lexicon.sentence_score(text) == 0
    assert not lexicon.is_loaded(text)


def test_offsets_point_into_the_verbatim_text(lexicon: LoadedLexicon) -> None:
    text = "“Shocking,” she wrote — the Far‑Left mob SLAMMED the ‘so‑called’ experts’ plan."
    terms = lexicon.flag(text)
    assert [t.text for t in terms] == ["Shocking", "Far‑Left", "mob", "SLAMMED", "so‑called"]
    for t in terms:
        assert text[t.start:t.end] == t.text
    assert [t.start for t in terms] == sorted(t.start for t in terms)


def test_inflections_match_but_derivations_do_not(lexicon: LoadedLexicon) -> None:
    assert flagged(lexicon, "They slam, slams and slammed; he radically claims.") == [
        "slam", "slams", "slammed", "radically", "claims",
    ]
    assert flagged(lexicon, "The exception was a question of power.") == []


def test_phrases_match_across_a_space_or_hyphen_but_not_punctuation(lexicon: LoadedLexicon) -> None:
    assert flagged(lexicon, "the far left and the far-left") == ["far left", "far-left"]
    assert flagged(lexicon, "It would be cheaper, so far. Left alone it grows.") == []


def test_scare_quotes_are_flagged_but_reported_speech_and_names_are_not(lexicon: LoadedLexicon) -> None:
    assert [(t.text, t.category) for t in lexicon.flag('The "experts" disagreed.')] == [
        ("experts", "scare-quote")
    ]
    assert lexicon.flag('She said "no" to the plan.') == []
    assert lexicon.flag('He joined a "Black Lives Matter" march.') == []


def test_score_adds_weights_and_threshold_is_one_full_term(lexicon: LoadedLexicon) -> None:
    one = "The senator slammed the plan."
    two = "The senator slammed the absurd plan."
    assert LOADED_THRESHOLD == 1.0
    assert lexicon.sentence_score(two) > lexicon.sentence_score(one) >= LOADED_THRESHOLD


def test_framing_sets_hold_coup_and_revolution_as_opposing_sides(lexicon: LoadedLexicon) -> None:
    [(fset_a, side_a, *_)] = lexicon.framing_hits("The army staged a coup.")
    [(fset_b, side_b, *_)] = lexicon.framing_hits("The people led a revolution.")
    assert fset_a is fset_b
    assert {side_a, side_b} == {"coup", "revolution"}
    assert fset_a.side_of("coups") == "coup"
    assert fset_a in lexicon.framing_sets()


def test_framing_sets_name_the_contested_terms_of_current_us_coverage(lexicon: LoadedLexicon) -> None:
    def side(text: str) -> tuple[str, str]:
        [(fset, label, *_)] = lexicon.framing_hits(text)
        return fset.topic, label

    for one, other in (
        ("Texas enforced its heartbeat law.", "Texas enforced its six-week abortion ban."),
        ("Senators debated court packing.", "Senators debated court expansion."),
        ("The Democrat lawmakers objected.", "The Democratic lawmakers objected."),
        ("The CCP virus spread.", "The coronavirus spread."),
    ):
        (topic, label), (other_topic, other_label) = side(one), side(other)
        assert topic == other_topic and label != other_label  # one set, opposing sides


def test_framing_hits_report_verbatim_offsets(lexicon: LoadedLexicon) -> None:
    text = "Officials said undocumented immigrants, not Illegal Aliens, were counted."
    hits = {text[start:end]: side for _, side, start, end in lexicon.framing_hits(text)}
    assert hits == {"undocumented immigrants": "undocumented immigrant", "Illegal Aliens": "illegal alien"}


def test_there_are_at_least_forty_framing_sets(lexicon: LoadedLexicon) -> None:
    sets = lexicon.framing_sets()
    assert len(sets) >= 40
    assert all(len(s.alternatives) >= 2 for s in sets)


def test_a_user_terms_file_extends_the_bundled_lexicon(tmp_path: Path) -> None:
    terms = write(tmp_path / "mine.tsv", "# my additions", "", "kerfuffle\temotive\t1.5", "=bigly\tintensifier")
    lexicon = LoadedLexicon.from_files(terms=terms)
    found = {t.text: (t.category, t.weight) for t in lexicon.flag("A bigly kerfuffle was slammed.")}
    assert found == {
        "bigly": ("intensifier", 1.0),
        "kerfuffle": ("emotive", 1.5),
        "slammed": ("attribution", 1.0),
    }
    assert LoadedLexicon.default().flag("A kerfuffle.") == []


def test_a_user_pairs_file_adds_a_framing_set(tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.tsv", "fish\tsea kitten, sea kittens | fish")
    lexicon = LoadedLexicon.from_files(pairs=pairs)
    [(fset, side, *_)] = lexicon.framing_hits("They ate sea kittens.")
    assert (fset.topic, side, fset.alternatives) == ("fish", "sea kitten", ("sea kitten", "fish"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("justoneword", "term<TAB>category"),
        ("kerfuffle\temotive\tstrong", "strength 'strong'"),
        ("kerfuffle\temotive\t9", "strength '9'"),
    ],
)
def test_a_malformed_terms_line_names_the_file_line_and_fix(tmp_path: Path, line: str, message: str) -> None:
    terms = write(tmp_path / "bad.tsv", "# header", line)
    with pytest.raises(LexiconError, match=message) as info:
        LoadedLexicon.from_files(terms=terms)
    assert "bad.tsv:2:" in str(info.value)


def test_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="check the path"):
        LoadedLexicon.from_files(terms=tmp_path / "absent.tsv")


def test_a_user_line_for_a_listed_term_replaces_its_strength(tmp_path: Path) -> None:
    terms = write(tmp_path / "mine.tsv", "slams\tattribution\t0.2")
    lexicon = LoadedLexicon.from_files(terms=terms)
    [term] = lexicon.flag("She slammed it.")
    assert (term.category, term.weight) == ("attribution", 0.2)
    assert not lexicon.is_loaded("She slammed it.")


def babe_row(text: str, label: str, words: list[str]) -> str:
    return json.dumps({"text": text, "label_bias": label, "biased_words": words})


def test_babe_evaluation_scores_sentences_and_lowercased_tokens(tmp_path: Path) -> None:
    data = write(
        tmp_path / "babe.jsonl",
        babe_row("The senator slammed the radical plan.", "Biased", ["Slammed", '"radical"', "plan"]),
        babe_row("The council met on Tuesday.", "Non-biased", []),
        babe_row("Officials claimed the vote was fair.", "Non-biased", []),
        babe_row("Nobody agreed on this one.", "No agreement", ["agreed"]),
    )
    result = evaluate_babe(data)
    assert (result["sentences"], result["biased"], result["gold_words"]) == (3, 1, 3)
    ours = result["lexicon"]
    # flagged tokens: slammed, radical (both gold) and claimed (not gold); "plan" is missed
    assert (ours["word_precision"], ours["word_recall"]) == (round(2 / 3, 4), round(2 / 3, 4))
    # predicted loaded: sentences 1 and 3; biased class F1 2/3, non-biased class F1 2/3
    assert ours["sentence_macro_f1"] == round(2 / 3, 4)
    assert set(result["baselines"]) == {"word-list"}  # no MPQA file beside this data


def test_babe_command_skips_cleanly_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert babe_main([str(tmp_path / "absent.jsonl")]) == 0
    assert "skipped" in capsys.readouterr().err


def test_a_framing_term_in_a_quotation_or_used_as_a_verb_is_not_the_outlets_name(lexicon: LoadedLexicon) -> None:
    from briefing.align.framing import own_framing_hits

    def own(text: str) -> list[str]:
        return sorted({text[a:b] for _, _, a, b in own_framing_hits(lexicon, text)})

    assert own("Crowds entered the Capitol during the insurrection.") == ["insurrection"]
    assert own("Crowds entered the Capitol to protest the certification.") == []
    assert own("Crowds entered the Capitol during the protest.") == ["protest"]
    assert own("Addressing the climate crisis, she added.” Then she left.") == []  # a quotation ending here
    assert own("He said: “we must tackle the climate crisis and") == []  # ... and going on in the next sentence
