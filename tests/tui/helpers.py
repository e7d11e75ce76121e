"""Waiting on the app and reading what is on its screen, for the TUI tests."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

from audio.transcript import Transcript
from simulator.checks import REGISTRY
from simulator.checks.base import CheckResult, Span
from simulator.store import Store
from tests.tui.fakes import FixedTranscriber


async def until(pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until PREDICATE holds (the meter and timers keep it from going idle)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        await pilot.pause(0.02)


def screen_text(app: App[None]) -> str:
    """The characters on screen, line by line, as the user sees them."""
    # Textual has no public text export; the compositor's strips are exactly what gets drawn.
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def visible(app: App[None], text: str) -> bool:
    """True when TEXT appears on screen, allowing for it being wrapped across lines."""
    flat = " ".join(
        " ".join(line.strip(" │╭╮╰╯─").split()) for line in screen_text(app).splitlines()
    )
    return " ".join(text.split()) in flat


def result(
    check_id: str,
    status: str,
    evidence: str = "",
    tip: str = "",
    label: str = "",
    spans: tuple[Span, ...] = (),
) -> CheckResult:
    """A check result with a fixed outcome and the severity its check registered."""
    return CheckResult(
        check_id,
        status,  # type: ignore[arg-type]
        evidence,
        tip,
        label or check_id,
        False,
        spans,
        REGISTRY[check_id].severity if check_id in REGISTRY else "must",
    )


def timed(text: str) -> Transcript:
    """TEXT as a timed transcript, a word every 0.3 s."""
    return FixedTranscriber(text).transcribe(None)


def add_session(
    store: Store,
    scenario_id: str,
    title: str,
    kind: str,
    takes: list[tuple[int, Transcript, tuple[CheckResult, ...]]],
    passed: bool,
) -> int:
    """Put a finished session with the given takes (step, transcript, results) in the history."""
    session_id = store.start_session(scenario_id, title, kind, "fake-whisper", "fixed", "{}")
    for step_index, transcript, results in takes:
        take_id = store.begin_take(session_id, step_index, f"Question {step_index + 1}?", None)
        store.complete_take(take_id, transcript, results, duration=transcript.duration)
    store.finish_session(session_id, passed)
    return session_id


def results_ready(app: App[None]) -> bool:
    """True once the results screen is up and has filled its checklist (its on_mount ran)."""
    from simulator.tui.screens.results import ResultsScreen
    from simulator.tui.widgets.checklist import Checklist

    screen = app.screen
    if not isinstance(screen, ResultsScreen):
        return False
    checklist = next(iter(screen.query(Checklist)), None)
    return checklist is not None and checklist.option_count > 0


def terminal_sends(app: App[None], data: str) -> None:
    """Hand the app DATA as one read from the terminal would: every key (or paste) at once.

    Pilot.press waits for the app to go idle after each key, which a real terminal never does:
    a fast typist, a password manager or a paste without bracketed-paste mode delivers many
    keys in one read. This decodes the bytes with Textual's own terminal parser (the one its
    Linux driver uses) and queues all the events before the app handles the first.
    """
    # The parser is private, but it is exactly what turns terminal bytes into key events.
    from textual._xterm_parser import XTermParser

    driver = app._driver
    assert driver is not None
    for event in XTermParser().feed(data):
        driver.send_message(event)


def bracketed_paste(text: str) -> str:
    """TEXT as a terminal in bracketed-paste mode sends a paste."""
    return f"\x1b[200~{text}\x1b[201~"
