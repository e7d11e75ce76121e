"""The results screen draws the answer's pace as a sparkline when the answer is long enough."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Sparkline

from audio.transcript import Segment, Transcript, Word
from simulator.report import StepReport
from simulator.scenario import parse_scenario
from simulator.tui.app import MockcallApp
from simulator.tui.screens.results import ResultsScreen
from simulator.tui.widgets.pace_curve import PaceCurve
from tests.tui.helpers import until, visible

SCENARIO = parse_scenario(
    """
id: pace-curve
title: Tell me about yourself
kind: phone-screen
description: A long answer.
steps:
  - prompt: Tell me about yourself.
    time_limit: 120
    checks: []
"""
)


def speeding_up(words: int, first_wpm: float, last_wpm: float) -> Transcript:
    """WORDS words, the first half at FIRST_WPM and the second at LAST_WPM."""
    out: list[Word] = []
    at = 0.5
    for index in range(words):
        step = 60 / (first_wpm if index < words // 2 else last_wpm)
        out.append(Word(" word", at, at + step * 0.8))
        at += step
    return Transcript.from_segments([Segment("", 0.5, at, tuple(out))], duration=at + 0.5)


async def show(app: MockcallApp, transcript: Transcript) -> dict[str, Any]:
    """Open the results of TRANSCRIPT; what the pace curve showed."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        report = StepReport(0, "Tell me about yourself.", transcript, (), None, 1)
        await pilot.app.push_screen(ResultsScreen(SCENARIO, report, last=True))
        await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
        await pilot.pause()
        curve = pilot.app.screen.query_one(PaceCurve)
        return {
            "shown": curve.display and curve.region.height == 1,
            "label": visible(pilot.app, "Pace 121 → 201 wpm"),
            "data": list(pilot.app.screen.query_one(Sparkline).data or []),
        }


async def test_a_long_answer_shows_its_pace_rising(build_app: Callable[..., MockcallApp]) -> None:
    seen = await show(build_app(), speeding_up(100, 120, 200))
    assert seen["shown"] and seen["label"]
    assert seen["data"][0] < 130 and seen["data"][-1] > 190


async def test_a_short_or_typed_answer_has_no_curve(build_app: Callable[..., MockcallApp]) -> None:
    assert not (await show(build_app(), speeding_up(20, 150, 150)))["shown"]
    assert not (await show(build_app(), Transcript.from_text("a typed answer")))["shown"]
