"""Setting up: the first-run profile form, the settings screen, help, and broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Select

from simulator import locations
from simulator.profile import Profile, load_profile
from simulator.settings import Settings, load_settings
from simulator.tui.app import MockcallApp
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.screens.profile_form import ProfileScreen
from simulator.tui.screens.settings import PREVIEW_LINE, SettingsScreen
from tests.tui.fakes import CannedRecorder, InstantVoice
from tests.tui.helpers import until, visible


async def test_first_run_form_validates_the_phone_and_saves_the_profile(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()  # a first run: no profile file yet
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        form = app.screen
        assert visible(app, "Welcome to mockcall")
        form.query_one("#profile-name", Input).value = "Jordan Rivera"
        form.query_one("#profile-phone", Input).value = "555-01"
        form.query_one("#profile-role", Input).value = "Senior Data Analyst"
        form.query_one("#profile-company", Input).value = "Northwind Health"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # A number that cannot be one is refused: nothing is written, the form stays.
        assert app.screen is form
        assert any("Phone:" in n.message for n in app._notifications)
        assert not locations.profile_file().exists()

        form.query_one("#profile-phone", Input).value = "(617) 555-0142"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        saved = load_profile()
        assert saved == Profile(
            name="Jordan Rivera",
            phone="(617) 555-0142",
            role="Senior Data Analyst",
            company="Northwind Health",
        )
        assert app.profile == saved
        assert visible(app, "You: Jordan Rivera · Senior Data Analyst at Northwind Health")


async def test_first_run_form_can_be_skipped(build_app: Callable[..., MockcallApp]) -> None:
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert visible(app, "esc Skip")  # the key bar says what Esc does on a first run
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert visible(app, "No profile yet")
        # A scenario that checks the number sends you to the form instead of starting.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))


async def test_settings_are_saved_to_the_config_file_and_applied(
    build_app: Callable[..., MockcallApp],
) -> None:
    built: list[Settings] = []

    def io(settings: Settings) -> tuple[InstantVoice, None]:
        built.append(settings)
        return InstantVoice(), None

    app = build_app()
    app._io_factory = io  # type: ignore[assignment]
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        screen.query_one("#rate", Input).value = "185"
        screen.query_one("#pace_min_wpm", Input).value = "100"
        screen.query_one("#pace_max_wpm", Input).value = "160"
        screen.query_one("#filler_max_per_minute", Input).value = "3.5"
        screen.query_one("#voice", Input).value = "en-gb"
        screen.query_one("#engine", Select).value = "openai-whisper"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))

    expected = Settings(
        voice="en-gb",
        rate=185,
        engine="openai-whisper",
        pace_min_wpm=100,
        pace_max_wpm=160,
        filler_max_per_minute=3.5,
        tour_seen=True,
    )
    assert load_settings() == expected
    assert app.settings == expected
    # The voice and recorder were rebuilt for the new settings.
    assert built[-1] == expected


async def test_settings_refuse_inconsistent_thresholds(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#pace_min_wpm", Input).value = "200"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert any(
            "pace_min_wpm must be below pace_max_wpm" in n.message for n in app._notifications
        )
    assert not locations.settings_file().exists()


async def test_help_lists_the_screens_keys(build_app: Callable[..., MockcallApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert visible(app, "Type answers") and visible(app, "Review")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))


async def test_a_broken_scenario_file_is_a_notice(build_app: Callable[..., MockcallApp]) -> None:
    broken = locations.user_scenarios_dir() / "mine.yaml"
    broken.write_text(
        "id: mine\ntitle: Mine\nkind: voicemail\ndescription: x\nsteps:\n"
        "  - prompt: Hello\n    time_limit: -5\n"
    )
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert any(str(Path("mine.yaml")) in m and "steps[0].time_limit" in m for m in notices)
        assert isinstance(app.screen, LibraryScreen)
        assert visible(app, "✘ mine.yaml")


async def test_broken_settings_and_profile_files_do_not_stop_the_app(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.settings_file().write_text("engine = 3\n")
    locations.profile_file().write_text("[profile\n")
    app = build_app(settings=None, profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = " ".join(n.message for n in app._notifications)
        assert "settings.toml" in notices and "profile.toml" in notices
        assert app.settings == Settings()
        # With no readable profile the first-run form opens.
        assert isinstance(app.screen, ProfileScreen)


async def test_microphone_test_and_voice_preview(
    build_app: Callable[..., MockcallApp], canned_wav: Path
) -> None:
    voice = InstantVoice()
    recorder = CannedRecorder(canned_wav)
    app = build_app(voice=voice, recorder=recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+t")
        # The canned answer peaks at 30%: a usable level.
        await until(pilot, lambda: visible(app, "Good level (loudest 30%)"))
        assert recorder.takes == 1
        assert (locations.cache_dir() / "mic-test.wav").exists()
        app.screen.query_one("#rate", Input).value = "150"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: bool(voice.spoken))
        assert voice.spoken == [(PREVIEW_LINE, False)]
        # Nothing was saved by testing.
        assert not locations.settings_file().exists()
