"""The first-run tour: three short pages on how a drill goes, shown once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from simulator.tui.screens.base import MockcallScreen


@dataclass(frozen=True)
class TourPage:
    """One page of the tour."""

    title: str
    """The page's heading."""
    body: str
    """What to know, in a few lines (Rich markup for the keys)."""


PAGES: tuple[TourPage, ...] = (
    TourPage(
        "Pick a drill",
        "The library lists the calls you can rehearse: a voicemail screening line, a phone "
        "screen, an interviewer who turns cold, a call to your recruiter…\n\n"
        "Highlight one and press [b]Enter[/b] to answer out loud, or [b]t[/b] to type your "
        "answers. [b]p[/b] edits your profile, [b]s[/b] the settings (microphone, speakers, "
        "voice).",
    ),
    TourPage(
        "Answer",
        "The interviewer's line is spoken and shown. Recording starts after it (after the "
        "beep on a voicemail): the [b]level[/b] bar shows the microphone hears you, the "
        "[b]time[/b] bar how long you have.\n\n"
        "Press [b]Space[/b] when you are done. No microphone? [b]t[/b] switches to typing.",
    ),
    TourPage(
        "See what you missed",
        "A checklist written for the call tells you what you nailed and what you missed, "
        "quoting your own words, with a tip for each miss. [b]r[/b] retakes the step.\n\n"
        "Every take is kept: [b]v[/b] opens Review to replay, compare takes and see trends. "
        "[b]?[/b] shows the keys on any screen.",
    ),
)
"""The tour, at most three pages: a new user reads it, or skips it with one key."""


class TourScreen(MockcallScreen[bool]):
    """The tour; dismisses with True when read to the end, False when skipped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,right", "next", "Next"),
        Binding("left", "back", "Back"),
        Binding("escape", "skip", "Skip tour"),
    ]
    HELP = (
        "A short tour of how a drill goes. **Enter** or **→** turns the page, **←** goes "
        "back, **Esc** skips it; it is not shown again either way."
    )

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        """The page in view."""

    def compose(self) -> ComposeResult:
        """The page's heading and text in a box, with the keys below."""
        with Vertical(id="tour-box"):
            yield Static(id="tour-body")
            yield Static(id="tour-keys")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first page."""
        self._show()

    def _show(self) -> None:
        page = PAGES[self.page]
        box = self.query_one("#tour-box")
        box.border_title = f"Welcome to mockcall · {self.page + 1} of {len(PAGES)}"
        body = Text.from_markup(f"[b]{page.title}[/b]\n\n{page.body}")
        self.query_one("#tour-body", Static).update(body)
        last = self.page == len(PAGES) - 1
        keys = ["Enter: to the library" if last else "Enter: next"]
        if self.page:
            keys.append("←: back")
        if not last:
            keys.append("Esc: skip the tour")
        self.query_one("#tour-keys", Static).update(Text(" · ".join(keys)))

    def action_next(self) -> None:
        """Turn the page; after the last one the tour is done."""
        if self.page == len(PAGES) - 1:
            self.dismiss(True)
            return
        self.page += 1
        self._show()

    def action_back(self) -> None:
        """Back a page."""
        if self.page:
            self.page -= 1
            self._show()

    def action_skip(self) -> None:
        """Leave the tour now."""
        self.dismiss(False)
