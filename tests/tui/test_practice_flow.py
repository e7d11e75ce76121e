"""The conversation's path in the app: branches taken each way, and the script hidden."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea

from simulator.scenario import find_scenario
from simulator.settings import Settings
from simulator.tui.app import MockcallApp
from simulator.tui.screens.practice import HIDDEN_SCRIPT, PracticeScreen
from tests.tui.helpers import results_ready, until, visible

WORK = "I'm rebuilding the weekly sales reporting pipeline at my current job, mostly in SQL."
DISCLOSE = "Yes, I'm married and we have two kids, and we are planning another one soon."
DECLINE = "I'd rather keep my family life separate from work, but travel is not a problem."


async def _answer(app: MockcallApp, pilot: object, text: str) -> None:
    await until(pilot, lambda: getattr(app.screen, "phase", "") == "typing")  # type: ignore[arg-type]
    practice = app.screen
    assert isinstance(practice, PracticeScreen)
    practice.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await until(pilot, lambda: results_ready(app))  # type: ignore[arg-type]
    await pilot.press("n")  # type: ignore[attr-defined]


async def _second_prompt_after(build_app: Callable[..., MockcallApp], family_answer: str) -> str:
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(PracticeScreen(find_scenario("inappropriate-question"), typed=True))
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        await _answer(app, pilot, WORK)
        await until(pilot, lambda: visible(app, "Are you married?"))
        await _answer(app, pilot, family_answer)
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        return practice.scenario.step_id(practice.step_index)


async def test_disclosing_gets_pressed_and_declining_moves_on(
    build_app: Callable[..., MockcallApp],
) -> None:
    assert await _second_prompt_after(build_app, DISCLOSE) == "press"
    assert await _second_prompt_after(build_app, DECLINE) == "age"


async def test_the_script_can_be_hidden_so_the_drill_is_by_ear(
    build_app: Callable[..., MockcallApp],
) -> None:
    prompt = "Are you married?"
    shown = build_app()
    async with shown.run_test(size=(100, 30)) as pilot:
        await shown.workers.wait_for_complete()
        shown.push_screen(PracticeScreen(find_scenario("inappropriate-question"), typed=True))
        await until(pilot, lambda: isinstance(shown.screen, PracticeScreen))
        await _answer(shown, pilot, WORK)
        await until(pilot, lambda: visible(shown, prompt))
    hidden = build_app(settings=Settings(tour_seen=True, show_script=False))
    async with hidden.run_test(size=(100, 30)) as pilot:
        await hidden.workers.wait_for_complete()
        hidden.push_screen(PracticeScreen(find_scenario("inappropriate-question"), typed=True))
        await until(pilot, lambda: isinstance(hidden.screen, PracticeScreen))
        await _answer(hidden, pilot, WORK)
        await until(pilot, lambda: visible(hidden, HIDDEN_SCRIPT))
        assert not visible(hidden, prompt)
