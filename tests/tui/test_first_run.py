"""First run: the profile form keeps every keystroke, typed fast or pasted; then the tour."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from textual.widgets import Input, Static

from simulator import locations
from simulator.profile import Profile, load_profile
from simulator.settings import Settings, load_settings
from simulator.tui.app import MockcallApp
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.screens.profile_form import FIELDS, ProfileScreen
from simulator.tui.screens.tour import PAGES, TourScreen
from tests.tui.helpers import bracketed_paste, screen_text, terminal_sends, until, visible

ME = Profile(
    name="Jordan Rivera",
    phone="(617) 555-0142",
    email="jordan.rivera@example.com",
    role="IT support specialist",
    company="Northwind Health",
)
"""The profile a new user types in."""
VALUES = [getattr(ME, name) for name, _, _ in FIELDS]
"""The fields' values in form order."""


def form_values(app: MockcallApp) -> list[str]:
    return [app.screen.query_one(f"#profile-{name}", Input).value for name, _, _ in FIELDS]


def problem_line(app: MockcallApp) -> str:
    return str(app.screen.query_one("#profile-problem", Static).render())


async def test_profile_typed_as_a_burst_through_pilot_press(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    keys: list[str] = []
    for value in VALUES:
        keys += [*value, "tab"]
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.press(*keys)
        assert form_values(app) == VALUES
        assert problem_line(app) == ""
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ProfileScreen))
    assert load_profile() == ME


@pytest.mark.parametrize("save_key", ["\r", "\x13"], ids=["enter", "ctrl+s"])
async def test_profile_typed_faster_than_the_app_reads_it(
    build_app: Callable[..., MockcallApp], save_key: str
) -> None:
    # Tab between fields and Enter (or Ctrl+S) at the end, all in one read, as a password
    # manager types.
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        terminal_sends(app, "\t".join(VALUES) + save_key)
        await until(pilot, lambda: not isinstance(app.screen, ProfileScreen))
    assert load_profile() == ME


async def test_enter_moves_to_the_next_field_in_a_burst(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        terminal_sends(app, "\r".join(VALUES[:3]) + "\r")
        await until(pilot, lambda: app.focused is app.screen.query_one("#profile-role"))
        assert form_values(app) == [*VALUES[:3], "", ""]


async def test_profile_pasted_across_the_fields(build_app: Callable[..., MockcallApp]) -> None:
    # A password manager or a spreadsheet row: the values with Tabs between them.
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        terminal_sends(app, bracketed_paste("\t".join(VALUES)))
        await until(pilot, lambda: form_values(app) == VALUES)
        # The cursor waits after the last value pasted, in the last field filled.
        company = app.screen.query_one("#profile-company", Input)
        assert app.focused is company
        assert company.cursor_position == len(ME.company)
        assert company.selection.is_empty
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
    assert load_profile() == ME


async def test_an_address_block_pasted_from_the_second_field(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.press(*ME.name, "tab")
        # Lines copied from an email signature, the last one ending in a line break.
        terminal_sends(app, bracketed_paste("\r\n".join(VALUES[1:3]) + "\r\n"))
        await until(pilot, lambda: form_values(app) == [*VALUES[:3], "", ""])
        await until(pilot, lambda: app.focused is app.screen.query_one("#profile-role"))
        # A paste with no field separator stays an ordinary paste into one field.
        terminal_sends(app, bracketed_paste(ME.role))
        await until(pilot, lambda: form_values(app)[3] == ME.role)
        assert form_values(app)[4] == ""


async def test_a_half_typed_number_is_judged_when_the_field_is_left(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        await pilot.press("tab", *"(617) 5")
        assert problem_line(app) == ""  # not a mistake yet: still typing
        await pilot.press("tab")
        await until(pilot, lambda: problem_line(app).startswith("Phone:"))
        await pilot.press("shift+tab", "end", *"55-0142")
        await until(pilot, lambda: problem_line(app) == "")


async def test_the_tour_follows_the_profile_form_and_is_shown_once(
    build_app: Callable[..., MockcallApp],
) -> None:
    locations.profile_file().unlink()
    app = build_app(profile=Profile(), settings=None)  # a first run: no settings file either
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        terminal_sends(app, "\t".join(VALUES) + "\r")
        await until(pilot, lambda: isinstance(app.screen, TourScreen))
        pages: list[str] = []
        for page in range(1, len(PAGES) + 1):
            await until(pilot, partial(visible, app, f"{page} of {len(PAGES)}"))
            pages.append(screen_text(app))
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
    assert len(PAGES) <= 3
    assert "Enter" in pages[0] and "Space" in pages[1] and "Review" in pages[2]
    assert load_settings().tour_seen
    assert load_profile() == ME
    # The next start goes straight to the library.
    again = build_app(settings=None, profile=None)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, LibraryScreen)


async def test_the_tour_is_skipped_with_one_key_and_not_shown_again(
    build_app: Callable[..., MockcallApp],
) -> None:
    # A profile made with `mockcall profile` first: the app opens on the tour, once.
    app = build_app(settings=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TourScreen))
        assert visible(app, "Esc: skip the tour")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
    assert load_settings() == Settings(tour_seen=True)
    again = build_app(settings=None)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, LibraryScreen)


async def test_a_broken_settings_file_is_not_overwritten_by_the_tour(
    build_app: Callable[..., MockcallApp],
) -> None:
    broken = "[settings]\nrate = 'fast'\n"
    locations.settings_file().write_text(broken)
    app = build_app(settings=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TourScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert app.settings.tour_seen  # not shown again in this run
    assert locations.settings_file().read_text() == broken
