"""Stance: cues in a sentence, and which sources assert a claim and which reject it."""

from __future__ import annotations

import pytest

from briefing.align.stance import is_negative, questions_assertion, sentence_cues, stance_sides


def corpus(**docs: str) -> dict[str, list[str]]:
    """``corpus(a="One. Two.")`` → ``{"a": ["One.", "Two."]}`` (sentences split on ". ")."""
    return {
        doc_id: [s if s.endswith((".", "?", "!")) else s + "." for s in text.split(". ")]
        for doc_id, text in docs.items()
    }


# --- cues ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The video was a hoax.", "refutation"),
        ("Officials denied the report on Monday.", "refutation"),
        ("Experts have debunked the photo.", "refutation"),
        ("There is no evidence the meeting took place.", "refutation"),
        ("The minister dismissed the allegations.", "refutation"),
        ("Scientists are skeptical of the findings.", "skepticism"),
        ("Critics argue the plan will fail.", "skepticism"),
        ("The footage could not be independently verified.", "skepticism"),
        ("The claim remains unconfirmed.", "skepticism"),
        ("According to state media, the talks succeeded.", "attribution"),
        ("The group claimed responsibility for the attack.", "attribution"),
        ("The suspect reportedly fled the country.", "hedge"),
        ("The bridge may close next week.", "hedge"),
        ("Is the video real?", "hedge"),
        ("The company has not paid its workers.", "negation"),
        ("It was a publicity stunt.", "refutation"),
        ("The image was photoshopped.", "refutation"),
        ("She was lying about the surgery.", "refutation"),
        ("It is unlikely that the crab is real.", "skepticism"),
    ],
)
def test_cue_found(sentence: str, cue: str) -> None:
    assert cue in sentence_cues(sentence)


def test_plain_sentence_has_no_cue() -> None:
    assert sentence_cues("The council approved the budget on Tuesday.") == frozenset()


@pytest.mark.parametrize(
    "sentence",
    ["The spokesman did not deny the report.", "The video is not a hoax.", "There is no doubt it happened."],
)
def test_negation_flips_refutation_and_doubt_into_confirmation(sentence: str) -> None:
    cues = sentence_cues(sentence)
    assert "refutation" not in cues and "skepticism" not in cues
    assert "confirmation" in cues


def test_negated_confirmation_is_doubt() -> None:
    assert "skepticism" in sentence_cues("The death has not been confirmed.")


def test_declining_to_confirm_or_deny_is_doubt_not_denial() -> None:
    cues = sentence_cues("Officials would not confirm or deny the report.")
    assert "skepticism" in cues and "refutation" not in cues


def test_negation_does_not_reach_across_a_clause() -> None:
    assert "refutation" in sentence_cues("He did not comment, but the photo is fake.")


@pytest.mark.parametrize(
    "sentence",
    [
        "He has made up his mind.",
        "Her request was denied.",
        "The leader is lying low.",
        "The boy was lying in a pool of blood.",
        "The team is made up of veterans.",
        "The judge dismissed the case.",
        "The crab is unlikely to return this year.",
    ],
)
def test_look_alikes_are_not_refutations(sentence: str) -> None:
    assert "refutation" not in sentence_cues(sentence)


# --- stance toward a claim ---------------------------------------------------------------------

CLAIM = "Giant crab photographed off the coast of Whitstable"

ASSERTS = (
    "A giant crab was photographed off the coast of Whitstable this week. "
    "The crab appears in an aerial photograph of the harbour."
)
ALSO_ASSERTS = (
    "An aerial photograph shows a giant crab lurking off the coast of Whitstable. "
    "Local residents shared the image widely."
)
POLICE_REPORT = (
    "Police said a giant crab was photographed off the coast of Whitstable. "
    "Officers said the harbour would stay open."
)
DEBUNKS = (
    "The photograph of a giant crab off Whitstable is a hoax, marine biologists say. "
    "Experts said the image was doctored. "
    "The giant crab story is fake."
)


def test_one_debunker_against_two_assertions_gives_two_sides() -> None:
    sides = stance_sides(CLAIM, corpus(a=ASSERTS, b=ALSO_ASSERTS, c=DEBUNKS))
    assert sides is not None
    assert [e.doc_id for e in sides["asserts"]] == ["a", "b"]
    assert [e.doc_id for e in sides["rejects"]] == ["c"]
    assert all(e.stance == "rejects" for e in sides["rejects"])


def test_evidence_points_at_the_sentence_that_shows_the_stance() -> None:
    docs = corpus(a=ASSERTS, c=DEBUNKS)
    sides = stance_sides(CLAIM, docs)
    assert sides is not None
    (rejects,) = sides["rejects"]
    assert "hoax" in docs["c"][rejects.index] or "fake" in docs["c"][rejects.index]
    (asserts,) = sides["asserts"]
    assert docs["a"][asserts.index].startswith("A giant crab was photographed")


def test_all_asserting_including_a_police_report_is_no_dispute() -> None:
    assert stance_sides(CLAIM, corpus(a=ASSERTS, b=ALSO_ASSERTS, p=POLICE_REPORT)) is None


def test_hedged_reporting_is_not_rejection() -> None:
    hedged = (
        "A giant crab was reportedly photographed off the coast of Whitstable. "
        "The image could not be independently verified."
    )
    assert stance_sides(CLAIM, corpus(a=ASSERTS, h=hedged)) is None


def test_refutation_about_something_else_is_not_rejection() -> None:
    aside = (
        "A giant crab was photographed off the coast of Whitstable on Monday. "
        "Separately, the council denied that parking fees would rise in the town centre next year."
    )
    assert stance_sides(CLAIM, corpus(a=ASSERTS, s=aside)) is None


def test_a_negative_claim_swaps_the_sides() -> None:
    claim = "Giant crab photo from Whitstable is a hoax"
    plain = "A giant crab was photographed off the coast of Whitstable. The crab photo shows its claws."
    sides = stance_sides(claim, corpus(c=DEBUNKS, p=plain))
    assert sides is not None
    assert [e.doc_id for e in sides["asserts"]] == ["c"]
    assert [e.doc_id for e in sides["rejects"]] == ["p"]


def test_a_story_told_over_several_sentences_is_reported_without_question() -> None:
    spread = (
        "An aerial image of the harbour went around the world this week. "
        "It shows a crab as long as a bus. The picture was taken off the coast of Whitstable."
    )
    sides = stance_sides(CLAIM, corpus(c=DEBUNKS, s=spread))
    assert sides is not None
    assert [e.doc_id for e in sides["asserts"]] == ["s"]


def test_a_verdict_on_the_story_told_just_before_rejects_it() -> None:
    retold = "Newspapers said a giant crab was photographed off the coast of Whitstable."
    verdict = retold + " Marine biologists say the story is false."
    sides = stance_sides(CLAIM, corpus(a=ASSERTS, v=verdict))
    assert sides is not None
    assert [e.doc_id for e in sides["rejects"]] == ["v"]
    assert stance_sides(CLAIM, corpus(a=ASSERTS, r=retold + " Marine biologists were at sea.")) is None


def test_against_a_negative_claim_a_hedged_retelling_only_discusses() -> None:
    claim = "Giant crab photo from Whitstable is a hoax"
    hedged = (
        "A giant crab was reportedly photographed off the coast of Whitstable. "
        "The crab photo allegedly shows its claws."
    )
    assert stance_sides(claim, corpus(c=DEBUNKS, h=hedged)) is None


def test_against_a_negative_claim_a_retelling_passed_on_as_a_report_only_discusses() -> None:
    claim = "Giant crab photo from Whitstable is a hoax"
    reported = (
        "A newspaper reported that a giant crab was photographed off the coast of Whitstable. "
        "According to the website, the crab photo shows its claws."
    )
    assert stance_sides(claim, corpus(c=DEBUNKS, r=reported)) is None


def test_a_document_that_doubts_the_story_again_and_again_rejects_it() -> None:
    doubting = (
        "A giant crab was photographed off the coast of Whitstable, a website said. "
        "Marine biologists called the coverage misleading. The size of the animal was exaggerated, one said. "
        "Another said the pictures were distorted. A fourth called the figures inaccurate."
    )
    sides = stance_sides(CLAIM, corpus(a=ASSERTS, d=doubting))
    assert sides is not None
    assert [e.doc_id for e in sides["rejects"]] == ["d"]


def test_an_imperative_dont_is_no_negative_claim() -> None:
    assert not is_negative("“Hands up, don’t shoot” comes to Hong Kong’s protests")
    assert is_negative("Seth Rich did not send emails to WikiLeaks")


def test_a_question_claim_takes_no_side() -> None:
    sides = stance_sides("Giant crab photographed off Whitstable: real or hoax?", corpus(a=ASSERTS, c=DEBUNKS))
    assert sides is not None
    assert [e.doc_id for e in sides["asserts"]] == ["a"]
    assert [e.doc_id for e in sides["rejects"]] == ["c"]


def test_nothing_in_common_with_the_claim_is_no_dispute() -> None:
    assert stance_sides("Budget vote delayed", corpus(a=ASSERTS, c=DEBUNKS)) is None


# --- point-level stance --------------------------------------------------------------------------


def test_skeptical_observers_question_a_commitment_to_peace() -> None:
    assert questions_assertion(
        "The government is committed to peace in the region.",
        "Observers argue the government's actions deepened the conflict.",
    )


def test_a_hoax_questions_a_claim_that_the_video_is_real() -> None:
    assert questions_assertion("The video is real.", "The video was a hoax.")


def test_not_a_hoax_answers_a_hoax() -> None:
    assert questions_assertion("The video was a hoax.", "The video is not a hoax, its maker insists.")


def test_anaphora_takes_the_sentence_before() -> None:
    assertion = "The minister said the economy grew by four percent."
    context = "Officials reported that the economy grew strongly this year."
    assert questions_assertion(assertion, "These claims, however, are false.", other_context=context)


def test_said_it_was_untrue_points_back_at_the_sentence_before() -> None:
    assertion = "Exports rose by ten percent last year, the minister said."
    other = "But a trade analyst said it was untrue."
    assert questions_assertion(assertion, other, other_context="Officials claimed exports rose sharply.")
    assert not questions_assertion(assertion, other, other_context="The weather was mild in March.")


def test_a_negated_assertion_is_not_taken_as_questioned() -> None:
    assert not questions_assertion(
        "No lawyer for the singer ever made such a statement.", "The statement from her lawyer was fake."
    )


def test_an_insisted_contrary_view_questions() -> None:
    assert questions_assertion(
        "The ceasefire collapsed on Monday.", "Officials, however, insist the ceasefire held."
    )


def test_a_reported_detail_after_but_does_not_question() -> None:
    assert not questions_assertion(
        "She refused additional medical treatment.",
        "She declined further treatment but did not stay on the flight, a spokesman said.",
    )


def test_a_passed_on_claim_states_nothing_to_question() -> None:
    assert not questions_assertion(
        "Reports claimed she killed 100 fighters in Kobane.",
        "Qader said rumours that she had killed 100 fighters in Kobane were untrue.",
    )


def test_a_doubt_in_another_clause_does_not_question() -> None:
    assertion = "The young fighter became famous after a picture of her went viral."
    assert not questions_assertion(
        assertion, "She became famous after a picture of her went viral, but sources rejected claims she was killed."
    )
    assert questions_assertion(assertion, "Sources have rejected claims that the picture of her went viral.")


def test_two_sentences_that_agree_do_not_question_each_other() -> None:
    assert not questions_assertion(
        "The bridge reopened on Monday after repairs.", "Traffic returned to the bridge on Monday."
    )


def test_unrelated_doubt_does_not_question() -> None:
    assert not questions_assertion(
        "The city council approved the budget.", "Critics doubt the striker will be fit for the final."
    )
