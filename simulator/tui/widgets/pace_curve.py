"""The answer's pace over time: a one-line sparkline of words per minute, with its range."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from audio.transcript import Transcript
from simulator.checks.coaching import PacePoint, pace_curve

MIN_POINTS = 4
"""Fewer windows than this (answers under about 20 s) is no curve worth drawing."""


def pace_label(curve: tuple[PacePoint, ...]) -> str:
    """`Pace 150 → 210 wpm` (start and end), or "" without a curve."""
    if not curve:
        return ""
    return f"Pace {curve[0].wpm:.0f} → {curve[-1].wpm:.0f} wpm "


class PaceCurve(Horizontal):
    """Words per minute in 10 s windows over the answer; hidden for short or typed answers."""

    def __init__(self, transcript: Transcript, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.curve = pace_curve(transcript)
        """The points drawn, one per window."""

    def compose(self) -> ComposeResult:
        """The label, then the sparkline."""
        yield Static(pace_label(self.curve), id="pace-label")
        yield Sparkline([p.wpm for p in self.curve], id="pace-sparkline")

    def on_mount(self) -> None:
        """Show only a curve with enough points to have a shape."""
        self.display = len(self.curve) >= MIN_POINTS
