"""Inside the app, problems name the app's own way out (keys, screens), never CLI flags."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult

from audio.devices import resolve_input, resolve_output
from audio.transcript import Transcript
from simulator.checks import REGISTRY, CheckContext
from simulator.profile import Profile
from simulator.scenario import Persona
from simulator.tui.app import MockcallApp
from simulator.tui.widgets.checklist import Checklist
from tests.tui.helpers import results_ready, until, visible

CLI_FLAGS = ("--answer", "--no-voice", "mockcall profile")
"""What a hint inside the app must not tell you to use."""


def notices(app: MockcallApp) -> list[str]:
    return [n.message for n in app._notifications]


class UnpluggedMicrophone:
    """A recorder whose device is gone: it raises the audio layer's own error."""

    def record(self, out: Path, **kwargs: Any) -> Any:
        resolve_input("usb headset that was unplugged")


class UnpluggedSpeaker:
    """A voice whose device is gone: it raises the audio layer's own error."""

    def speak(self, text: str, persona: Persona, *, voicemail: bool, stop: threading.Event) -> None:
        resolve_output("usb headset that was unplugged")


async def test_a_missing_microphone_points_at_typing_and_settings(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app(recorder=UnpluggedMicrophone())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: any("Couldn't record" in m for m in notices(app)))
        (problem,) = [m for m in notices(app) if "Couldn't record" in m]
        assert "usb headset that was unplugged" in problem
        assert "type your answer (t in practice)" in problem
        assert "settings → Audio" in problem
        assert not any(flag in m for m in notices(app) for flag in CLI_FLAGS)


async def test_a_missing_speaker_says_the_lines_are_on_screen(
    build_app: Callable[..., MockcallApp],
) -> None:
    app = build_app(voice=UnpluggedSpeaker())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await until(pilot, lambda: any("Couldn't speak" in m for m in notices(app)))
        (problem,) = [m for m in notices(app) if "Couldn't speak" in m]
        assert "read the interviewer's lines on screen instead" in problem
        assert not any(flag in m for m in notices(app) for flag in CLI_FLAGS)
        # And the answer is still taken: the line is on screen, recording goes on.
        await until(pilot, lambda: results_ready(app))


class OneChecklist(App[None]):
    """The checklist on its own."""

    def compose(self) -> ComposeResult:
        yield Checklist()


async def test_a_skipped_check_sends_you_to_the_profile_screen() -> None:
    # The real check, on a profile with no email: its tip names `mockcall profile --email`.
    context = CheckContext(Transcript.from_text("Hi, this is Jordan."), Profile(name="Jordan"))
    skipped = REGISTRY["says_email"].func(context, REGISTRY["says_email"].params())
    assert skipped.status == "skipped" and "mockcall profile --email" in skipped.tip
    app = OneChecklist()
    async with app.run_test(size=(80, 12)) as pilot:
        app.query_one(Checklist).show([skipped])
        await pilot.pause()
        assert visible(app, "Add it in your profile (p in the library).")
        assert not visible(app, "mockcall profile")
