"""Review: retakes compared side by side, the history list and its filter, sessions and trends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Select, Static, TextArea
from textual_plotext import PlotextPlot

from simulator.store import Store
from simulator.tui.app import MockcallApp
from simulator.tui.screens.compare import ADDED, DROPPED, CompareScreen
from simulator.tui.screens.dialogs import PickTakeScreen
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.screens.practice import PracticeScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.session import SessionScreen
from simulator.tui.screens.trends import TrendsScreen
from tests.tui.helpers import add_session, result, results_ready, timed, until, visible

FIRST_TRY = "Hi it's Jordan calling about the analyst job bye"
SECOND_TRY = "Hi this is Jordan Rivera calling about the Senior Data Analyst role"


async def answer_typed(pilot: Pilot[None], text: str) -> None:
    """Type an answer on the practice screen and submit it."""
    app = pilot.app
    await until(pilot, lambda: getattr(app.screen, "phase", "") == "typing")
    app.screen.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: results_ready(app))


async def test_retake_then_compare_the_two_takes(build_app: Callable[..., MockcallApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await answer_typed(pilot, FIRST_TRY)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        await answer_typed(pilot, SECOND_TRY)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))

        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        takes = app.screen.query_one("#takes", OptionList)
        await pilot.press("down")  # from take 1 to take 2 of step 1
        assert takes.highlighted_option is not None
        assert visible(app, "Step 1, take 2")
        await pilot.press("c")
        # The picker offers the other takes of this step; the take before this one comes first.
        await until(pilot, lambda: isinstance(app.screen, PickTakeScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))

        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert (compare.a.attempt, compare.b.attempt) == (1, 2)
        changes = {(op, " ".join(words)) for op, words in compare.comparison.diff}
        assert ("insert", "Rivera") in changes
        assert ("delete", "job bye") in changes
        # Dropped words are marked on the left, added ones on the right.
        left = compare.query_one("#diff-a", Static).content
        right = compare.query_one("#diff-b", Static).content
        assert isinstance(left, Text) and isinstance(right, Text)
        assert [left.plain[s.start : s.end] for s in left.spans if s.style == DROPPED] == [
            "it's",
            "job bye",
        ]
        assert "Rivera" in [right.plain[s.start : s.end] for s in right.spans if s.style == ADDED]
        assert visible(app, "Take 1") and visible(app, "Take 2")
        assert compare.comparison.b.checks_passed > compare.comparison.a.checks_passed


async def test_a_spoken_take_replays_from_the_session(
    build_app: Callable[..., MockcallApp],
) -> None:
    played: list[Path] = []

    def player(path: Path, stop: threading.Event) -> None:
        played.append(path)

    app = build_app(player=player)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: results_ready(app))
        audio = app.screen.report.audio_path  # type: ignore[attr-defined]
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await pilot.press("p")
        await until(pilot, lambda: bool(played))
        assert played == [audio]


def seed(store: Store) -> None:
    """Three voicemail sessions getting better, and one phone screen."""
    fail_phone = (
        result("says_name", "pass", 'Heard "Jordan Rivera" at 0:01.', label="Full name said"),
        result(
            "says_phone",
            "fail",
            "No phone number was heard.",
            "Say your number slowly, in groups.",
            "Callback number said",
        ),
        result(
            "filler_rate", "fail", "6 fillers", "Pause instead of saying um.", "Few filler words"
        ),
    )
    all_pass = tuple(
        result(r.id, "pass", r.evidence if r.status == "pass" else "Heard it.", label=r.label)
        for r in fail_phone
    )
    add_session(
        store,
        "voicemail-screening",
        "Voicemail screening line",
        "voicemail",
        [(0, timed("um hi this is Jordan um calling"), fail_phone)],
        passed=False,
    )
    add_session(
        store,
        "phone-screen",
        "Recruiter phone screen",
        "phone-screen",
        [(0, timed("I analyse data for a hospital network"), all_pass)],
        passed=True,
    )
    add_session(
        store,
        "voicemail-screening",
        "Voicemail screening line",
        "voicemail",
        [
            (
                0,
                timed("hi this is Jordan Rivera um my number is six one seven"),
                fail_phone[:2] + all_pass[2:],
            )
        ],
        passed=False,
    )
    add_session(
        store,
        "voicemail-screening",
        "Voicemail screening line",
        "voicemail",
        [
            (
                0,
                timed("hi this is Jordan Rivera my number is six one seven five five five"),
                all_pass,
            )
        ],
        passed=True,
    )


async def test_review_lists_filters_and_opens_sessions(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    seed(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        table = review.query_one(DataTable)
        assert table.row_count == 4
        # Newest first.
        assert [s.id for s in review.sessions] == [4, 3, 2, 1]

        review.query_one(Select).value = "voicemail-screening"
        await until(pilot, lambda: table.row_count == 3)
        assert {s.scenario_id for s in review.sessions} == {"voicemail-screening"}

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert visible(app, "six one seven five five five")
        assert visible(app, "Callback number said")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is review)

        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen))
        trends = app.screen
        assert isinstance(trends, TrendsScreen) and trends.scenario_id == "voicemail-screening"
        assert [p.session_id for p in trends.points] == [1, 3, 4]
        pass_rate = [p.pass_rate for p in trends.points]
        assert [round(v * 100) for v in pass_rate if v is not None] == [33, 67, 100]
        assert all(p.filler_per_min is not None for p in trends.points)
        assert trends.query_one("#pass-rate-chart", PlotextPlot).display
        assert visible(app, "3 sessions, 2025-03-03 to 2025-03-03")


async def test_review_without_history_says_so(build_app: Callable[..., MockcallApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert visible(app, "No sessions yet")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen))
        assert visible(app, "no finished answers yet")
