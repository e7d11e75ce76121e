"""A one-line microphone level meter."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

LABEL = "level "
"""What the bar is: without it, a bar next to the timer reads as progress."""


class LevelMeter(Widget):
    """Shows the microphone's peak level as a bar: green when speaking, red when clipping.

    No number: a percentage beside the timer reads as progress through the answer.
    """

    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    """

    level: reactive[float] = reactive(0.0)
    """The latest peak, 0..1."""

    def render(self) -> Text:
        """Draw the label and the bar across the widget's width."""
        width = max(self.size.width - len(LABEL), 1)
        level = min(max(self.level, 0.0), 1.0)
        filled = round(level * width)
        colour = "red" if level >= 0.95 else "yellow" if level < 0.02 else "green"
        bar = Text(LABEL, style="dim")
        bar.append("█" * filled, style=colour)
        bar.append("░" * (width - filled), style="grey42")
        return bar
