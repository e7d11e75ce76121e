"""The first-run profile form keeps every keystroke in its field, typed fast or pasted."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from simulator import locations
from simulator.profile import Profile, load_profile
from simulator.tui.app import MockcallApp
from simulator.tui.screens.library import LibraryScreen
from simulator.tui.screens.profile_form import FIELDS, ProfileScreen
from tests.tui.helpers import bracketed_paste, terminal_sends, until

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


async def test_profile_typed_faster_than_the_app_reads_it(
    build_app: Callable[..., MockcallApp],
) -> None:
    # Tab between fields and Enter at the end, all in one read, as a password manager types.
    locations.profile_file().unlink()
    app = build_app(profile=Profile())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        terminal_sends(app, "\t".join(VALUES) + "\r")
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
