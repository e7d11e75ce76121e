"""Snapshots of the stable screens at 80×24: first run, library, results, review, sessions.

Everything in view is fixed: the history's clock, the profile, the check results; no clock is
on screen and no input cursor blinks. Update with `pytest tests/tui --snapshot-update` after a
deliberate change, and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from audio.transcript import Segment, Transcript, Word
from simulator import locations
from simulator.checks.base import Span
from simulator.profile import Profile
from simulator.report import StepReport
from simulator.scenario import parse_scenario
from simulator.settings import Settings
from simulator.store import Store
from simulator.tui.app import MockcallApp
from simulator.tui.screens.profile_form import ProfileScreen
from simulator.tui.screens.results import ResultsScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.session import SessionScreen
from simulator.tui.screens.tour import TourScreen
from simulator.tui.screens.trends import TrendsScreen
from tests.tui.helpers import add_session, result, timed, until
from tests.tui.test_fit_80x24 import debrief_session
from tests.tui.test_review import seed

SnapCompare = Callable[..., bool]

SCENARIO = parse_scenario(
    """
id: snapshot-voicemail
title: Voicemail screening line
kind: voicemail
description: Leave a message they can return.
steps:
  - kind: voicemail
    prompt: Please leave your name, the role and your number after the tone.
    time_limit: 60
    checks: [says_name, says_phone, mentions_role]
"""
)

WORDS = "Hi um this is Jordan Rivera about the uh analyst role my number is six one seven five five"


def answer() -> Transcript:
    """A timed answer with two fillers and a 3 s pause before "my number"."""
    words: list[Word] = []
    at = 0.4
    for index, text in enumerate(WORDS.split()):
        if index == 11:
            at += 3.0
        words.append(Word(f" {text}", round(at, 2), round(at + 0.25, 2)))
        at += 0.35
    return Transcript.from_segments(
        [Segment(WORDS, words[0].start, words[-1].end, tuple(words))], 12.0
    )


def report() -> StepReport:
    """One take with a mix of passes and failures pointing into the transcript."""
    results = (
        result(
            "says_name",
            "pass",
            'Heard "Jordan Rivera" at 0:01.',
            label="Full name said",
            spans=(Span(4, 5, "evidence"),),
        ),
        result(
            "says_phone",
            "fail",
            'Heard "six one seven five five" at 0:08: only 5 of 10 digits.',
            "Say the whole number slowly, in groups: 617 555 0142.",
            "Callback number said",
            spans=(Span(14, 18, "miss"),),
        ),
        result(
            "mentions_role",
            "fail",
            'Heard "analyst role", not "Senior Data Analyst".',
            "Name the role in full: Senior Data Analyst.",
            "Role named",
        ),
        result(
            "filler_rate",
            "fail",
            '2 fillers: "um" 0:00, "uh" 0:02 (10/min).',
            "Pause silently instead of saying um.",
            "Few filler words",
            spans=(Span(1, 1, "filler"), Span(8, 8, "filler")),
        ),
        result(
            "long_pauses",
            "fail",
            "3.1 s pause at 0:03.",
            "Keep going: a short breath is fine.",
            "No long pauses",
            spans=(Span(10, 11, "pause"),),
        ),
        result("no_profanity", "pass", "", label="No profanity"),
    )
    return StepReport(0, SCENARIO.steps[0].prompt, answer(), results, None, 1)


async def settle(pilot: Pilot[Any]) -> None:
    """Let the background model load finish so nothing changes under the snapshot."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_library(
    snap_compare: SnapCompare, build_app: Callable[..., MockcallApp], store: Store
) -> None:
    seed(store)
    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=settle)


def test_results(snap_compare: SnapCompare, build_app: Callable[..., MockcallApp]) -> None:
    async def show_results(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ResultsScreen(SCENARIO, report(), last=True))
        await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=show_results)


def test_review(
    snap_compare: SnapCompare, build_app: Callable[..., MockcallApp], store: Store
) -> None:
    seed(store)

    async def open_review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=open_review)


def test_session(
    snap_compare: SnapCompare, build_app: Callable[..., MockcallApp], store: Store
) -> None:
    seed(store)

    async def open_session(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(SessionScreen(1))
        await until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen))
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=open_session)


def test_first_run_profile_form(
    snap_compare: SnapCompare, build_app: Callable[..., MockcallApp]
) -> None:
    locations.profile_file().unlink()

    async def open_form(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await until(pilot, lambda: isinstance(pilot.app.screen, ProfileScreen))
        await pilot.pause()

    app = build_app(profile=Profile())
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_form)


def test_tour(snap_compare: SnapCompare, build_app: Callable[..., MockcallApp]) -> None:
    async def open_tour(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await until(pilot, lambda: isinstance(pilot.app.screen, TourScreen))
        await pilot.pause()

    app = build_app(settings=Settings())
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_tour)


def test_session_with_a_long_title(
    snap_compare: SnapCompare, build_app: Callable[..., MockcallApp], store: Store
) -> None:
    session_id = debrief_session(store)

    async def open_session(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(SessionScreen(session_id))
        await until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen))
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=open_session)


def one_session(store: Store) -> None:
    """A single spoken-like voicemail session: a chart of one point."""
    add_session(
        store,
        "voicemail-screening",
        "Voicemail screening line",
        "voicemail",
        [
            (
                0,
                timed("hi this is Jordan Rivera um my number is six one seven"),
                (
                    result("says_name", "pass", label="Full name said"),
                    result("says_phone", "fail", label="Callback number said"),
                ),
            )
        ],
        passed=False,
    )


def open_trends(scenario_id: str | None) -> Callable[[Pilot[Any]], Any]:
    """Open the trends screen for SCENARIO_ID and let its charts draw."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(TrendsScreen(scenario_id))
        await until(pilot, lambda: isinstance(pilot.app.screen, TrendsScreen))
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_trends_one_session(
    snap_compare: SnapCompare,
    build_app: Callable[..., MockcallApp],
    store: Store,
    size: tuple[int, int],
) -> None:
    one_session(store)
    assert snap_compare(
        build_app(), terminal_size=size, run_before=open_trends("voicemail-screening")
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_trends_many_sessions(
    snap_compare: SnapCompare,
    build_app: Callable[..., MockcallApp],
    store: Store,
    size: tuple[int, int],
) -> None:
    seed(store)
    assert snap_compare(
        build_app(), terminal_size=size, run_before=open_trends("voicemail-screening")
    )
