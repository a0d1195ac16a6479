"""The brief as an ordered list of steps over one state: each step can be run and checked alone."""

from __future__ import annotations

import pytest
from test_brief import FLOOD

from briefing import Corpus
from briefing import brief as steps
from briefing.brief import STEPS, BriefState, assemble, build_brief, topic_documents


def state_of(corpus: Corpus, topic: str | None = None, **options: object) -> BriefState:
    settings = dict(store=corpus.store, topic=topic, sources=None, max_documents=50, max_points=12,
                    detail="normal", max_sentences=2000, seconds=30.0, retrieve=topic_documents)
    return BriefState(**{**settings, **options})  # type: ignore[arg-type]


def run_until(state: BriefState, last: object) -> BriefState:
    for step in STEPS:
        step(state)
        if step is last:
            return state
    raise AssertionError(f"{last} is not a step")


def test_the_steps_run_in_data_flow_order() -> None:
    assert [s.__name__ for s in STEPS] == [
        "scope", "align", "independence", "points", "related_pairs", "framing", "topic_stance",
        "single_source", "ordering", "per_source", "coverage",
    ]


def test_scope_reads_the_documents_and_their_units_and_nothing_more() -> None:
    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus), steps.scope)
    assert state.doc_ids == ["daily", "gazette", "wire"] and not state.truncated
    assert {u.doc_id for u in state.units} == set(FLOOD)
    assert not state.agreements and not state.disputes  # no later step ran


def test_scope_asks_the_retrieval_function_it_was_given_for_a_topic() -> None:
    asked = []

    def retrieve(store: object, topic: str, *, limit: int, sources: object) -> list:
        asked.append((topic, limit))
        return topic_documents(store, topic, limit=limit, sources=sources)  # type: ignore[arg-type]

    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus, "flooding", retrieve=retrieve, max_documents=2), steps.scope)
    assert asked == [("flooding", 2)] and len(state.doc_ids) == 2


def test_the_points_step_groups_what_the_sources_agree_on() -> None:
    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus), steps.points)
    assert any("boats" in a.summary.text for _, a in state.agreements)
    assert not state.disputes  # the differing death tolls are no group: a pair detector finds them


def test_a_pair_detector_turns_two_differing_figures_into_a_factual_dispute() -> None:
    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus), steps.related_pairs)
    (dispute,) = [d for _, d in state.disputes if d.kind == "factual"]
    assert sorted(p.label for p in dispute.positions) == ["number: “12 people”", "number: “15 people”"]


def test_without_the_factual_pair_detector_there_is_no_such_dispute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "PAIR_DETECTORS", (steps.stance_pair,))
    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus), STEPS[-1])
    assert not state.final_disputes
    assert any("12 people" in s.quote.text for s in state.final_singles)


def test_assemble_after_every_step_is_the_brief() -> None:
    with Corpus.from_texts(FLOOD) as corpus:
        state = run_until(state_of(corpus), STEPS[-1])
        assert assemble(state) == build_brief(corpus.store)
