"""Replaying a take from the moment a check's evidence points at, shared by results and review."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on, work

from audio.transcript import Transcript
from simulator.checks.base import CheckResult
from simulator.export import evidence_time
from simulator.tui.messages import PlaybackFinished
from simulator.tui.screens.base import MockcallScreen, ResultT
from simulator.tui.widgets.elapsed import clock


class EvidenceReplay(MockcallScreen[ResultT]):
    """A screen that can play a take from a selected check's evidence (again to stop)."""

    _replaying: threading.Event | None = None

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="playback",
        description="play the take from the evidence",
    )
    def play_from(self, path: Path, at: float, stop: threading.Event) -> None:
        """Play PATH from AT seconds through the output device."""
        self.mockcall.player_from(path, at, stop)
        self.post_message(PlaybackFinished(path))

    def replay_evidence(
        self, audio: Path | None, transcript: Transcript | None, result: CheckResult | None
    ) -> None:
        """Play AUDIO from RESULT's evidence, or stop the replay running; say why when it can't."""
        if self._replaying is not None and not self._replaying.is_set():
            self._replaying.set()
            self._replaying = None
            return
        if result is None:
            return
        if audio is None or not audio.exists():
            self.notify(
                "This take has no audio (typed, or the file was removed).", severity="warning"
            )
            return
        at = evidence_time(transcript, result)
        if at is None:
            self.notify(
                f"“{result.label or result.id}” points at no moment in the answer.",
                severity="warning",
                markup=False,
            )
            return
        self._replaying = threading.Event()
        self.notify(
            f"Playing from {clock(at)}: {result.label or result.id}", timeout=3, markup=False
        )
        self.play_from(audio, at, self._replaying)

    @on(PlaybackFinished)
    def _replayed(self) -> None:
        self._replaying = None

    def on_unmount(self) -> None:
        """Leaving the screen stops the replay."""
        if self._replaying is not None:
            self._replaying.set()
