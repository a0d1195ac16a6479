"""A brief runs with Python's cyclic garbage collector paused, and leaves it as it found it.

A brief over hundreds of documents keeps hundreds of thousands of small objects until it ends;
with the collector on, each full collection rescanned them all (a fifth of the brief's time).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

import briefing.brief as brief_module
from briefing import Corpus
from briefing.brief import BriefState, collector_paused

DOCS = {
    "a": "Rescue crews in boats reached residents stranded by the floodwater in Marlow on Tuesday.",
    "b": "Residents stranded by the floodwater in Marlow were reached by rescue crews in boats on Tuesday.",
}


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_every_step_of_a_brief_runs_with_the_collector_paused(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def record(state: BriefState) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(brief_module, "STEPS", (record, *brief_module.STEPS, record))
    Corpus.from_texts(DOCS).brief()
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_brief_that_fails_still_turns_the_collector_back_on(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(state: BriefState) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(brief_module, "STEPS", (fail,))
    with pytest.raises(RuntimeError):
        Corpus.from_texts(DOCS).brief()
    assert gc.isenabled()


def test_overlapping_briefs_resume_the_collector_when_the_last_ends(collector_on: None) -> None:
    first_in, second_done = threading.Event(), threading.Event()
    during: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_done.wait(5)
            during.append(gc.isenabled())

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_paused():
        pass  # this brief ends while the first still runs
    second_done.set()
    thread.join(5)
    assert during == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
