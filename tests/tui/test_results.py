"""The results screen's headline: what decides the drill first, then the advice."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Static

from simulator.tui.app import MockcallApp
from simulator.tui.screens.practice import PracticeScreen
from tests.tui.helpers import results_ready, until, visible
from tests.tui.test_practice import NO_NUMBER, type_answer

RETURNABLE_ONCE = (
    "Hi, this is Jordan Rivera calling about the Senior Data Analyst role. You can reach me at "
    "617-555-0142. I've spent four years building reporting for a retail team, and I would love "
    "to tell you how that fits yours. Thanks so much for your time, talk soon."
)
"""Name, number and role once each: returnable, with repeating them left as advice."""


async def answer_voicemail(app: MockcallApp, pilot: Pilot[None], text: str) -> None:
    """Type TEXT as the voicemail (the library opens on it) and wait for the results."""
    await app.workers.wait_for_complete()
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
    await type_answer(pilot, text)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: results_ready(app))


async def test_a_missing_number_is_a_failed_must_in_the_headline(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_voicemail(app, pilot, NO_NUMBER)
        assert visible(app, "✘ Needs work")
        assert visible(app, "Returnable: name ✔ number ✘ role ✔")
        headline = str(app.screen.query_one("#results-headline", Static).render())
        assert headline.splitlines()[1].startswith("Advice:")


async def test_advice_misses_leave_a_returnable_message_passed(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_voicemail(app, pilot, RETURNABLE_ONCE)
        assert visible(app, "✔ Passed")
        assert visible(app, "Returnable: name ✔ number ✔ role ✔")
        assert visible(app, "Advice: repeat name & number")
