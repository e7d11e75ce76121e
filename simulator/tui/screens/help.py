"""The help screen: what the screen underneath is for, and its keys."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

GENERAL = (
    "mockcall is keyboard-first: the keys for each screen are in the bar at the bottom, and "
    "the mouse works too. **?** or **F1** shows this help, **Ctrl+Q** quits, **Ctrl+P** opens "
    "the command palette."
)


def key_table(screen: Screen[Any]) -> Table:
    """The keys active on SCREEN, one row each."""
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column()
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Only the keys the key bar would show: widgets' own scrolling keys are noise here.
        if not (binding.show and binding.description) or binding.description in seen:
            continue
        if not active.enabled:
            continue
        seen.add(binding.description)
        table.add_row(
            binding.key_display or screen.app.get_key_display(binding),
            binding.tooltip or binding.description,
        )
    return table


class HelpScreen(ModalScreen[None]):
    """A dialog over the current screen, closed with Esc, q or ?."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.keys = key_table(under)
        self.text = under.HELP or ""

    def compose(self) -> ComposeResult:
        """The screen's help, its keys, then the general keys."""
        with VerticalScroll(id="help-dialog"):
            yield Markdown(self.text or "", id="help-text")
            yield Static(Text("Keys", style="bold"))
            yield Static(self.keys, id="help-keys")
            yield Markdown(GENERAL)

    def on_mount(self) -> None:
        """Title the dialog."""
        self.query_one("#help-dialog").border_title = "Help"
        self.query_one("#help-dialog").border_subtitle = "Esc to close"

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
