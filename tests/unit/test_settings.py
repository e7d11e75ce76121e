"""The settings file: flags are true/false, numbers are numbers, and neither passes for the other."""

from __future__ import annotations

import pytest

from simulator import locations
from simulator.errors import UserError
from simulator.settings import Settings, load_settings, save_settings


def test_the_tour_flag_round_trips() -> None:
    save_settings(Settings(tour_seen=True, rate=180))
    assert load_settings() == Settings(tour_seen=True, rate=180)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("tour_seen = 1", "settings.tour_seen: must be a bool"),
        ("rate = true", "settings.rate: must be a int"),
    ],
)
def test_a_flag_and_a_number_are_not_interchangeable(line: str, message: str) -> None:
    locations.settings_file().write_text(f"[settings]\n{line}\n", encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_settings()
