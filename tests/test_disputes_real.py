"""A dispute only when the sources really differ: each false-dispute pattern found on real news coverage,
on texts written for these tests, beside a real difference of the same shape that must stay a dispute."""

from __future__ import annotations

from collections.abc import Mapping

from briefing import Corpus
from briefing.align.details import conflicts, details
from briefing.brief import doubted_in, own_voice_doubt
from briefing.models import Brief


def brief_of(texts: Mapping[str, str | Mapping[str, str | None]]) -> Brief:
    corpus = Corpus.from_texts(texts)
    try:
        return corpus.brief(detail="full")
    finally:
        corpus.close()


def kinds(brief: Brief) -> list[str]:
    return [d.kind for d in brief.disputes]


def number_conflicts(a: str, b: str) -> list[str]:
    return [c.describe() for c in conflicts(details(a), details(b)) if c.kind == "number"]


# --- factual: the same quantity, or no dispute ----------------------------------------------------


def test_different_values_for_the_same_quantity_conflict():
    assert number_conflicts(
        "Police said 12 people were killed in the attack on the market.",
        "Police said 30 people were killed in the attack on the market.",
    )


def test_people_shot_and_people_killed_are_different_quantities():
    assert not number_conflicts(
        "Five people shot at the mall on Sunday were taken to hospital.",
        "Two people killed at the mall on Sunday were identified by police.",
    )


def test_the_dows_drop_is_not_the_sp_500s():
    assert not number_conflicts(
        "The Dow fell 3 percent on Monday as investors fled risk.",
        "The S&P 500 fell 4 percent on Monday as investors fled risk.",
    )


def test_this_week_and_last_week_are_different_quantities():
    assert not number_conflicts(
        "Jobless claims rose to 290,000 applications this week, the department said.",
        "Jobless claims rose to 340,000 applications last week, the department said.",
    )


def test_rounded_and_approximate_values_are_compatible():
    assert not number_conflicts(
        "The report runs to 2,702 pages and cites hundreds of witnesses.",
        "The report runs to some 2,700 pages and cites hundreds of witnesses.",
    )
    assert not number_conflicts(
        "Officials counted 1.11 million ballots by midnight in the county.",
        "Officials counted over 1 million ballots by midnight in the county.",
    )


def test_a_total_and_an_increase_that_every_source_reports_are_no_dispute():
    texts = {
        "left": (
            "The FBI said 21,570 murders were recorded across the country last year in its annual report. "
            "That was an increase of 4,901 murders over the previous year, the largest rise on record."
        ),
        "right": (
            "The FBI recorded 21,570 murders nationwide last year according to its annual report. "
            "The increase of 4,901 murders over the previous year was the largest rise ever recorded."
        ),
    }
    assert "factual" not in kinds(brief_of(texts))


def test_conflicting_death_tolls_in_two_reports_of_one_event_are_a_factual_dispute():
    texts = {
        "a": "At least 12 people were killed when a bridge collapsed in the northern city on Friday evening.",
        "b": "At least 40 people were killed when a bridge collapsed in the northern city on Friday evening.",
    }
    assert "factual" in kinds(brief_of(texts))


# --- stance: a source itself questions what another states ----------------------------------------


def test_a_denial_inside_the_reported_event_is_not_an_outlet_questioning_another():
    assert not own_voice_doubt("The ministry denied the report, calling it baseless.")
    assert not own_voice_doubt("A federal appeals court rejected the administration's latest attempt to block the law.")
    assert not own_voice_doubt("Officials said the claims were contradicted by the records.")


def test_an_outlet_calling_a_claim_false_in_its_own_voice_questions_it():
    assert own_voice_doubt("The president falsely claimed the election was stolen from him.")
    assert own_voice_doubt("The senator repeated the story without evidence during the hearing.")


def test_a_reported_denial_makes_no_stance_dispute_where_a_doubt_in_the_outlets_voice_does():
    texts = {
        "a": "The company denied that its factory had polluted the river near the town last spring.",
        "b": "The company has denied that its factory polluted the river near the town last spring.",
        "c": "Its factory polluted the river near the town last spring, residents said on Tuesday.",
    }
    assert "stance" not in kinds(brief_of(texts))
    doubted = dict(texts, a="There is no evidence that its factory polluted the river near the town last spring.")
    assert "stance" in kinds(brief_of(doubted))


# --- framing: opposing terms for the same referent ------------------------------------------------


def test_a_term_inside_another_phrase_is_not_a_framing_choice():
    texts = {
        "a": "Officers in riot gear lined the avenue as the crowd marched toward the capitol building on Saturday.",
        "b": "Thousands joined a peaceful protest that marched toward the capitol building on Saturday.",
    }
    assert "framing" not in kinds(brief_of(texts))


def test_terms_for_different_referents_are_not_a_framing_dispute():
    texts = {
        "a": "The Trump administration negotiated the withdrawal agreement over two years of talks in Doha.",
        "b": "The Taliban regime negotiated the withdrawal agreement over two years of talks in Doha.",
    }
    assert "framing" not in kinds(brief_of(texts))


def test_opposing_terms_for_one_event_remain_a_framing_dispute():
    texts = {
        "a": "Moscow has cited the protection of Donbass residents since the Maidan revolution in 2014.",
        "b": "Moscow has cited the protection of Donbass residents since the Maidan coup in 2014.",
    }
    assert "framing" in kinds(brief_of(texts))


def test_killed_and_dead_count_the_same_role():
    assert number_conflicts(
        "The gunman killed 50 people at two mosques in the city on Friday.",
        "The attack at two mosques in the city on Friday left 49 people dead.",
    )


def test_two_counts_of_seats_disagree_although_close():
    assert number_conflicts(
        "The Liberals took 156 seats in the House of Commons.",
        "The Liberals won 157 seats in the House of Commons.",
    )


def test_a_part_is_compared_with_the_part_not_with_the_whole():
    assert number_conflicts(
        "The Liberals won 157 of 338 seats in the House of Commons.",
        "The Liberals won 163 of 338 seats in the House of Commons.",
    ) == ["number: 157 seats / 163 seats"]
    assert details("The Liberals took 156 seats of the 338 in the House.").numbers == {"seat": "156", "seat total": "338"}


def test_a_value_below_or_above_a_bound_is_compatible_with_it():
    assert not number_conflicts(
        "The vaccine's protection against infection fell to 47% in the study of health workers.",
        "The vaccine's protection against infection fell below 50% in the study of health workers.",
    )
    assert not number_conflicts(
        "Turnout reached 61% in the city, the election office said.",
        "Turnout reached above 55% in the city, the election office said.",
    )


def test_opposing_terms_describing_the_same_noun_are_a_framing_dispute():
    texts = {
        "a": "The court struck down a state law that required pro-life pregnancy centers to post notices on Tuesday.",
        "b": "The court struck down a state law that required anti-abortion pregnancy centers to post notices on Tuesday.",
    }
    assert "framing" in kinds(brief_of(texts))


def test_a_figure_the_other_sentence_also_gives_is_no_conflict():
    assert not number_conflicts(
        "Economists expected an unemployment rate of 5.7% in July.",
        "Analysts expected the unemployment rate to fall to 5.7% from 5.9% in July.",
    )


def test_two_selections_from_an_undated_list_are_no_conflict():
    a = details("The spending bill includes money for the border wall, funding for gun research, and a higher tobacco age.")
    b = details("The spending bill includes money for the border wall, repeal of medical device taxes, and paid leave.")
    assert not [c for c in conflicts(a, b) if c.kind == "list"]


def test_a_towns_population_and_the_people_in_the_church_are_different_quantities():
    assert not number_conflicts(
        "The gunman opened fire in the church of the small town of 600 residents on Sunday morning.",
        "The gunman opened fire on the 50 worshippers in the church of the small town on Sunday morning.",
    )


def test_a_sentence_with_two_terms_of_one_side_is_quoted_once():
    texts = {
        "a": "A federal judge blocked the enforcement of Texas's heartbeat abortion law, which bans abortion after a fetal heartbeat is detected.",
        "b": "A federal judge blocked the enforcement of Texas's six-week abortion ban on Wednesday in Austin.",
    }
    [dispute] = [d for d in brief_of(texts).disputes if d.kind == "framing"]
    assert [len(p.quotes) for p in dispute.positions] == [1, 1]


def test_a_possessive_term_names_the_thing_itself():
    texts = {
        "a": "The department told the justices on Wednesday that Obamacare should stand, reversing the position it took.",
        "b": "In a letter to the court, the department said the Affordable Care Act's protections should stand in full.",
    }
    assert "framing" in kinds(brief_of(texts))


def test_a_term_inside_quotation_marks_is_not_the_outlets_framing():
    texts = {
        "a": "The president called the raid on his lawyer's office a “witch hunt” on Tuesday, in a post on Twitter.",
        "b": "His lawyer's office is under federal investigation for bank fraud, according to three people on Tuesday.",
    }
    assert "framing" not in kinds(brief_of(texts))
    unquoted = dict(texts, a="The president called the raid on his lawyer's office a witch hunt on Tuesday, in a post on Twitter.")
    assert "framing" in kinds(brief_of(unquoted))


def test_opposing_terms_in_reports_of_different_occasions_are_no_framing_dispute():
    def dated(second: str) -> dict[str, dict[str, str]]:
        return {
            "a": {"text": "A federal judge blocked the enforcement of Texas's heartbeat abortion law on Wednesday in Austin.",
                  "date": "2021-10-06"},
            "b": {"text": "A federal judge blocked the enforcement of Texas's six-week abortion ban on Wednesday in Austin.",
                  "date": second},
        }

    assert "framing" in kinds(brief_of(dated("2021-10-07")))
    assert "framing" not in kinds(brief_of(dated("2021-11-24")))


def test_calling_other_claims_false_does_not_question_a_report_that_never_makes_them():
    texts = {
        "a": "The House committee issued a subpoena on Wednesday to Jeffrey Clark, a former official involved in "
             "efforts to overturn the election.",
        "b": "The House committee issued a subpoena on Wednesday to Jeffrey Clark, who had promised to pursue "
             "the false election fraud claims.",
    }
    assert "stance" not in kinds(brief_of(texts))
    stated = dict(texts, a="The House committee issued a subpoena on Wednesday to Jeffrey Clark, who had found "
                           "election fraud in several states, he said.")
    assert "stance" in kinds(brief_of(stated))


def test_a_doubt_names_its_claim_by_the_words_before_it_or_the_clause_after_it():
    from briefing.brief import doubted_in

    pressured = "Trump pressured top officials to challenge his election loss, the committee said."
    assert not doubted_in("Trump pressured officials to back his baseless claims that the 2020 vote was stolen.", pressured)
    assert doubted_in("Trump repeated baseless claims that the vote was stolen.", "Trump said the vote was stolen.")
    assert not doubted_in("He pursued the false election fraud claims.", "He worked to overturn the election.")
    assert doubted_in("The official called it false.", pressured)  # names nothing: any claim may be meant


def test_an_age_group_is_who_is_meant_not_a_figure():
    read = details("Regulators authorized booster doses for 20 million people 65 and older on Wednesday.")
    assert read.numbers == {"million": "20"}


def test_a_scale_written_onto_the_figure_is_read_as_a_word():
    assert details("China put tariffs on $60bn of goods and fined the firm £5m.").numbers == {"billion": "60", "million": "5"}
    assert number_conflicts(
        "China put new tariffs on $60bn of American goods on Monday, officials said.",
        "China put new tariffs on $50 billion of American goods on Monday, officials said.",
    )


# --- factual: one quantity named in full, however little else two reports share -------------------


def test_a_partys_whole_name_and_its_short_name_own_one_count():
    assert number_conflicts(
        "The Liberals took 156 seats of the 338 in the House of Commons.",
        "As of midnight, Trudeau's Liberal Party had won 157 of 338 seats, according to early results.",
    )


def test_two_indexes_with_capitalised_names_own_different_counts():
    assert not number_conflicts(
        "The Dow Jones Industrial Average fell 500 points on Monday afternoon.",
        "The Nasdaq Composite fell 300 points on Monday afternoon.",
    )


def test_a_role_word_right_after_the_counted_noun_names_the_role_whatever_the_verb_before():
    # "reported 49 people dead" counts the dead, not what was reported.
    assert number_conflicts(
        "The gunman killed 50 people at two mosques in the city on Friday.",
        "Officials on Friday reported 49 people dead at two mosques in the city.",
    )
    assert not number_conflicts(
        "The gunman killed 50 people at two mosques in the city on Friday.",
        "Officials on Friday reported 40 people wounded at two mosques in the city.",
    )


SEATS = {
    "wire": "The Liberals took 156 seats in the House of Commons. Turnout was high in the cities. "
            "The leader thanked volunteers in a late speech.",
    "daily": "Counting went on through the night in the western provinces. "
             "Trudeau's Liberal Party is projected to win 157 seats, 13 short of a majority. "
             "Markets were calm on the news.",
}


def test_one_count_named_in_full_by_two_reports_is_a_factual_dispute_though_the_sentences_differ():
    brief = brief_of(SEATS)
    factual = [d for d in brief.disputes if d.kind == "factual"]
    assert [[q.citation for p in d.positions for q in p.quotes] for d in factual] == [["daily:2", "wire:1"]]


def test_the_same_count_of_different_occasions_is_no_dispute():
    dated = {
        "wire": {"text": SEATS["wire"], "date": "2019-10-22"},
        "daily": {"text": SEATS["daily"], "date": "2021-09-21"},
    }
    assert "factual" not in kinds(brief_of(dated))


# --- stance: a doubt about a claim, not a judgement of an act or a subject's name ----------------


def test_a_dubious_act_is_no_doubt_about_a_claim_but_a_dubious_theory_is():
    assert not own_voice_doubt("The governor embraced a legally dubious attempt to pry loose the tax returns.")
    assert not own_voice_doubt("The campaign ran a misleading ad about the senator's record on Monday.")
    assert own_voice_doubt("The mayor repeated a dubious theory that the vote count was rigged.")
    assert own_voice_doubt("The mayor repeated a misleading story that the vote count was rigged.")


def test_false_facts_doubt_only_a_sentence_that_states_them():
    doubt = "He relied on false facts about crime rising in the city that have been debunked for months."
    assert not doubted_in(doubt, "The first debate was a bonanza for fact checkers on Monday night.")
    assert doubted_in(doubt, "Crime is rising in the city faster than anywhere else, he said.")


RACE = {
    "wire": "The race for governor was shaped by secret tapes and a late endorsement from the president. "
            "Voters go to the polls on Tuesday.",
    "daily": "The race for governor was shaped by secret tapes, accusations of fake news and a late endorsement. "
             "Turnout is expected to be low.",
    "post": "Officials said a Russian disinformation campaign had targeted the race for governor with secret tapes. "
            "The count starts at eight.",
}


def test_fake_news_and_a_disinformation_campaign_name_subjects_not_verdicts():
    assert "stance" not in kinds(brief_of(RACE))


def test_a_baseline_year_and_a_target_year_date_different_things():
    assert not number_conflicts(
        "The country will cut its emissions 50% from 2005 levels, the president announced.",
        "The country is targeting a 50% cut in its emissions by 2030, the president announced.",
    )
    assert number_conflicts(
        "The country will cut its emissions 50% by 2030, the president announced.",
        "The country will cut its emissions 50% by 2035, the president announced.",
    )


def test_a_count_owned_by_a_group_the_other_sentence_never_names_is_another_count():
    assert not number_conflicts(
        "Across the country, Native Americans numbered 3.7 million, the census found.",
        "Across the country, the population numbered 204.3 million, the census found.",
    )
    assert number_conflicts(
        "Senators accepted a proposal by Senate Minority Leader Mitch McConnell to raise the limit for two months.",
        "Senate Democrats agreed to a proposal to raise the borrowing limit for only three months.",
    )


def test_the_ends_of_a_range_are_bounds():
    assert not number_conflicts(
        "The company expects $3.5 billion in revenue this year, its chief executive said.",
        "The company expects between $3 billion and $4 billion in revenue this year, its chief executive said.",
    )
    assert number_conflicts(
        "The company expects $3.5 billion in revenue this year, its chief executive said.",
        "The company expects $4 billion in revenue this year, its chief executive said.",
    )


def test_a_figure_that_counts_nothing_named_is_no_figure():
    assert not number_conflicts(
        "At least 15 million vaccine doses have gone to waste across the country, the network reported.",
        "One pharmacy chain reported the most waste of any provider, with nearly 2.6 million...",
    )
    assert number_conflicts("The deal is worth $60 billion.", "The deal is worth $70 billion.")


# --- framing: a verb form names the act, whatever word follows it ----------------------------------


def test_detained_and_jailed_for_the_same_people_are_a_framing_dispute():
    brief = brief_of({
        "wire": "A federal judge ruled that asylum seekers who have been detained pose no flight risk to the public. "
                "The ruling takes effect at once.",
        "daily": "A federal judge ordered hearings for asylum seekers who have been jailed for months without review. "
                 "The government may appeal.",
    })
    framing = [d for d in brief.disputes if d.kind == "framing"]
    assert [d.topic for d in framing] == ["Sources use opposing terms for the same thing (immigration detention)"]


def test_an_actor_named_in_full_and_by_its_country_is_one_referent():
    brief = brief_of({
        "wire": "Fighting has centred on the border town since Turkish President Erdogan invaded the north of the "
                "country a week ago. Aid groups left the town.",
        "daily": "A cease-fire brought a brief lull in the Turkish offensive in the north of the country a week ago. "
                 "Talks resume on Monday.",
    })
    assert [d.topic for d in brief.disputes if d.kind == "framing"] == [
        "Sources use opposing terms for the same thing (military action abroad)"
    ]


def test_an_adverb_after_the_term_starts_the_predicate_and_modifies_nothing():
    brief = brief_of({
        "wire": "Parents told the board a trans student allegedly assaulted a girl in a school bathroom in May. "
                "The board met for four hours.",
        "daily": "Parents told the board a gender-fluid boy sexually assaulted a girl in a school bathroom in May. "
                 "The district declined to comment.",
    })
    assert [d.topic for d in brief.disputes if d.kind == "framing"] == [
        "Sources use opposing terms for the same thing (transgender people)"
    ]


def test_two_selections_from_a_bill_sharing_an_age_are_no_two_versions_of_one_list():
    assert not conflicts(
        details("The package includes money for the border wall, funding for gun research and raising the smoking age to 21."),
        details("The bill includes funding for the border wall, strips the device taxes, raises the minimum smoking age to 21."),
    )
