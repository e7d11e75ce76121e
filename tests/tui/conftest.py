"""TUI test fixtures: a profile, a history with a fixed clock, and an app built on fakes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.profile import Profile, save_profile
from simulator.settings import Settings
from simulator.store import Store
from simulator.tui.app import MockcallApp, make_app
from tests.tui.fakes import CannedRecorder, FixedTranscriber, InstantVoice, write_canned_answer

SPOKEN_ANSWER = (
    "Hi this is Jordan Rivera calling about the Senior Data Analyst role "
    "my number is six one seven five five five zero one four two"
)
"""What the fake speech model hears in every recorded take."""


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates on screen are shown in local time: pin it so snapshots match on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def profile() -> Profile:
    """A complete profile, saved where the app looks for it."""
    me = Profile(
        name="Jordan Rivera",
        phone="(617) 555-0142",
        email="jordan.rivera@example.com",
        role="Senior Data Analyst",
        company="Northwind Health",
    )
    save_profile(me)
    return me


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock that starts on 2025-03-03 at 14:00 UTC and moves a minute per reading."""
    moments = iter(
        datetime(2025, 3, 3, 14, 0, tzinfo=UTC) + timedelta(minutes=i) for i in range(10**6)
    )
    return lambda: next(moments)


@pytest.fixture
def store(clock: Callable[[], datetime]) -> Iterator[Store]:
    """The history database in the test's MOCKCALL_HOME, with the fixed clock."""
    with Store(clock=clock) as history:
        yield history


@pytest.fixture
def canned_wav(tmp_path: Path) -> Path:
    """A 3 s answer recording."""
    return write_canned_answer(tmp_path / "answer.wav")


@pytest.fixture
def build_app(profile: Profile, store: Store, canned_wav: Path) -> Callable[..., MockcallApp]:
    """Build the app through make_app with fakes; keyword arguments override any of them."""

    def build(**overrides: Any) -> MockcallApp:
        parts: dict[str, Any] = {
            # The tour has its own tests; everywhere else the app opens as it does every day.
            "settings": Settings(tour_seen=True),
            "profile": profile,
            "store": store,
            "voice": InstantVoice(),
            "recorder": CannedRecorder(canned_wav),
            "transcriber_factory": lambda: FixedTranscriber(SPOKEN_ANSWER),
        }
        parts.update(overrides)
        return settle_before_teardown(make_app(**parts))

    return build


def settle_before_teardown(app: MockcallApp) -> MockcallApp:
    """Make run_test let a screen that just appeared finish mounting before the app shuts down.

    A test that ends the moment a screen is pushed would otherwise tear the app down while that
    screen's on_mount is still querying its children.
    """
    original = app.run_test

    @asynccontextmanager
    async def run_test(*args: Any, **kwargs: Any) -> AsyncIterator[Pilot[None]]:
        async with original(*args, **kwargs) as pilot:
            yield pilot
            await pilot.pause()

    app.run_test = run_test  # type: ignore[method-assign]
    return app
