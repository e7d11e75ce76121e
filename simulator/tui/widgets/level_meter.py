"""A one-line microphone level meter."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class LevelMeter(Widget):
    """Shows the microphone's peak level as a bar: green when speaking, red when clipping."""

    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    """

    level: reactive[float] = reactive(0.0)
    """The latest peak, 0..1."""

    def render(self) -> Text:
        """Draw the bar across the widget's width."""
        width = max(self.size.width - 6, 1)
        level = min(max(self.level, 0.0), 1.0)
        filled = round(level * width)
        colour = "red" if level >= 0.95 else "yellow" if level < 0.02 else "green"
        bar = Text("█" * filled, style=colour)
        bar.append("░" * (width - filled), style="grey42")
        bar.append(f" {round(level * 100):3d}%")
        return bar
