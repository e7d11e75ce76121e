"""At 80×24, what a screen says is there in full: long titles wrap, nothing is cut off."""

from __future__ import annotations

from collections.abc import Callable

from simulator.store import Store
from simulator.tui.app import MockcallApp
from simulator.tui.screens.session import SessionScreen
from simulator.tui.screens.trends import TrendsScreen
from tests.tui.helpers import add_session, result, timed, until, visible

LONG_TITLE = "Calling your recruiter after a bad interview"
"""The longest built-in title (recruiter-debrief)."""


def debrief_session(store: Store) -> int:
    return add_session(
        store,
        "recruiter-debrief",
        LONG_TITLE,
        "recruiter-call",
        [(0, timed("the traffic was terrible"), (result("takes_responsibility", "fail"),))],
        passed=False,
    )


async def test_a_long_title_keeps_the_sessions_result_in_view(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    session_id = debrief_session(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(SessionScreen(session_id))
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await pilot.pause()
        assert visible(app, LONG_TITLE)
        assert visible(app, f"session {session_id} · 2025-03-03 14:00 · typed · ✘ needs work")


async def test_a_long_title_keeps_the_trends_span_in_view(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    for _ in range(3):
        debrief_session(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(TrendsScreen("recruiter-debrief"))
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen))
        await pilot.pause()
        assert visible(app, f"Trends · {LONG_TITLE} · 3 sessions, 2025-03-03 to 2025-03-03")
