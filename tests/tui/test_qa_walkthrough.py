"""Regressions found walking through the app as a new user at 80×24 (one test per bug)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
from textual.widgets import Input, Select

from simulator import locations
from simulator.profile import Profile
from simulator.store import Store
from simulator.tui.app import MockcallApp
from simulator.tui.screens.dialogs import ExportScreen
from simulator.tui.screens.practice import PracticeScreen
from simulator.tui.screens.profile_form import ProfileScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.session import SessionScreen
from simulator.tui.screens.settings import SettingsScreen
from simulator.tui.screens.trends import TrendsScreen
from tests.tui.fakes import RATE, CannedRecorder
from tests.tui.helpers import screen_text, until, visible
from tests.tui.test_review import seed


def key_bar(app: MockcallApp) -> str:
    """The bottom line of the screen: the key bar."""
    return screen_text(app).splitlines()[-1]


async def test_first_run_form_starts_in_the_name_field(
    build_app: Callable[..., MockcallApp],
) -> None:
    # Typing straight away used to go nowhere: the scrolling form, not a field, had the focus.
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.press(*"Jordan", "enter", *"6175550142")
        form = app.screen
        assert form.query_one("#profile-name", Input).value == "Jordan"
        assert form.query_one("#profile-phone", Input).value == "6175550142"


async def test_library_key_bar_shows_help_at_80_columns(
    build_app: Callable[..., MockcallApp],
) -> None:
    # "? Help" used to fall off the right of the key bar at 80 columns.
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "Quit" in key_bar(app))
        bar = key_bar(app)
        assert "? Help" in bar and "t Type" in bar and "⏎ Practise" in bar
        await pilot.press("question_mark")
        # The help spells out what the short key-bar label means.
        await until(pilot, lambda: visible(app, "Type answers instead of speaking"))


async def test_microphone_test_verdict_uses_the_loudest_level(
    build_app: Callable[..., MockcallApp], tmp_path: Path
) -> None:
    # Levels coalesce on the way to the screen: speech first, then silence, read as "Nothing
    # heard" when the verdict came from the levels the screen happened to see.
    loud_then_silent = np.zeros(3 * RATE, dtype=np.float32)
    loud_then_silent[: RATE // 2] = 0.5 * np.sin(2 * np.pi * 220 * np.arange(RATE // 2) / RATE)
    wav = tmp_path / "speech-then-silence.wav"
    sf.write(wav, loud_then_silent, RATE, subtype="PCM_16")
    app = build_app(recorder=CannedRecorder(wav))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: visible(app, "Good level (loudest 50%)"))
        assert not visible(app, "Nothing heard")


async def test_practice_heading_shows_the_checked_limit(
    build_app: Callable[..., MockcallApp],
) -> None:
    # The heading said "answer within 60 s" while the prompt and the check said 45 s.
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        assert visible(app, "aim for 45 s or less (recording stops at 1:00)")
        assert not visible(app, "within 60 s")


async def test_review_filter_with_no_sessions_says_so_under_the_headings(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    # The empty table still filled the screen, leaving the "no sessions" message at the very
    # bottom, far from the filter and the column headings where the eye is.
    seed(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("v")
        # Enter opening a session used to be in no key bar.
        await until(pilot, lambda: "⏎ Open" in key_bar(app))
        assert isinstance(app.screen, ReviewScreen)
        app.screen.query_one(Select).value = "post-interview-reflection"
        await until(pilot, lambda: visible(app, "No sessions of this scenario yet."))
        top = "\n".join(screen_text(app).splitlines()[:5])
        assert "No sessions of this scenario yet." in top


async def test_session_exports_as_markdown_and_json(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    # The app had no way to export a session; only the command line did. Then it wrote both
    # files into a fixed folder; now the user picks the format and the file.
    seed(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(SessionScreen(1))
        await until(pilot, lambda: "x Export" in key_bar(app))
        folder = locations.data_dir() / "exports"
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("enter")  # the default: Markdown in the exports folder
        await until(pilot, lambda: any(folder.glob("session-1-*.md")))
        (markdown,) = folder.glob("session-1-*.md")
        assert "Jordan" in markdown.read_text()
        assert any(str(markdown) in n.message for n in app._notifications)

        markdown.write_text("my own notes", encoding="utf-8")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("enter")  # the same file again: asked, not overwritten
        await until(pilot, lambda: visible(app, "exists: Export again replaces it"))
        assert markdown.read_text(encoding="utf-8") == "my own notes"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "Jordan" in markdown.read_text(encoding="utf-8")

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one(Select).value = "json"
        await pilot.pause()
        assert app.screen.query_one(Input).value.endswith(".json")  # the suffix follows
        await pilot.press("enter")
        await until(pilot, lambda: any(folder.glob("session-1-*.json")))
        (data,) = folder.glob("session-1-*.json")
        assert json.loads(data.read_text())["scenario"] == "voicemail-screening"
        assert stat.S_IMODE(data.stat().st_mode) == 0o600


async def test_trends_name_the_scenario_and_do_not_ask_typed_answers_for_timing(
    build_app: Callable[..., MockcallApp], store: Store
) -> None:
    # The heading showed the scenario's id, and an empty pass-rate chart said "no timed answers".
    seed(store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(TrendsScreen("voicemail-screening"))
        await until(pilot, lambda: visible(app, "Trends · Voicemail screening line"))
        await app.push_screen(TrendsScreen("long-anecdote"))
        await until(pilot, lambda: visible(app, "Trends · The 90-second story"))
        assert visible(app, "Checks passed (%) target 100% no answers yet")
        assert visible(app, "Pace (words per minute) target 110–170 wpm no timed answers yet")
