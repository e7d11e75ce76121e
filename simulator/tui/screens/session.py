"""One past session: its takes step by step, each transcript and checklist; replay and compare."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator import locations
from simulator.errors import UserError
from simulator.export import session_json, session_markdown
from simulator.store import SessionDetail, TakeRecord, take_stats
from simulator.tui.messages import PlaybackFinished
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.screens.review import result_cell, when
from simulator.tui.widgets.checklist import result_prompt, summary
from simulator.tui.widgets.elapsed import clock
from simulator.tui.widgets.transcript_view import TranscriptView

TAKE_STATUS: dict[str, str] = {
    "recording": "Still recording, or interrupted.",
    "recovered": "Recovered after an interruption: the audio is kept but was not transcribed.",
    "abandoned": "Abandoned before it was finished.",
}
"""What to say about a take that has no transcript."""


def take_label(take: TakeRecord) -> Text:
    """`Take 2 ✔ 0:38 · 142 wpm` for the takes list."""
    out = Text(f" Take {take.attempt} ")
    if take.passed is True:
        out.append("✔", style="green")
    elif take.passed is False:
        out.append("✘", style="red")
    else:
        out.append("–", style="dim")
    if take.duration is not None:
        out.append(f" {clock(take.duration)}")
    elif take.transcript is not None and not take.transcript.timed:
        out.append(" typed", style="dim")
    return out


def take_numbers(take: TakeRecord) -> str:
    """Pace, fillers and the check count for one take."""
    if take.transcript is None:
        return ""
    stats = take_stats(take)
    parts = [summary(take.results)]
    if stats.wpm is not None:
        parts.append(f"{stats.wpm:.0f} wpm")
    if stats.speech_seconds is not None:
        parts.append(f"{stats.fillers} filler{'s' if stats.fillers != 1 else ''}")
    return " · ".join(parts)


def export_session(detail: SessionDetail, folder: Path) -> tuple[Path, Path]:
    """Write DETAIL as Markdown and as JSON into FOLDER (readable by the user only)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = f"session-{detail.id}-{detail.summary.scenario_id}"
    texts = (
        (folder / f"{stem}.md", session_markdown(detail)),
        (folder / f"{stem}.json", json.dumps(session_json(detail), indent=2, ensure_ascii=False)),
    )
    for path, text in texts:
        # Transcripts are personal: created private, like the history they come from.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
    return texts[0][0], texts[1][0]


class SessionScreen(MockcallScreen[None]):
    """A saved session: pick a take to read it; p replays, m marks, c compares, x exports."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play", "Play"),
        Binding("m", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("x", "export", "Export"),
        Binding("escape", "back", "Back"),
    ]
    HELP = (
        "The takes of each step are on the left; the highlighted one is shown on the right. "
        "**p** (or **Enter**) replays its audio (again to stop). **c** compares it with the take "
        "before it; to compare two other takes of a step, **m** marks one, then highlight the "
        "other and press **c**. **x** exports the whole session as Markdown and JSON files."
    )

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.detail: SessionDetail | None = None
        self.marked: TakeRecord | None = None
        """The take chosen with m as one side of a comparison."""
        self._playing: threading.Event | None = None

    def compose(self) -> ComposeResult:
        """Takes on the left, the highlighted take on the right."""
        yield Static(id="session-head")
        with Horizontal(id="session-body"):
            yield OptionList(id="takes")
            with VerticalScroll(id="take-detail"):
                yield Static(id="take-prompt")
                yield TranscriptView(id="take-transcript")
                yield Static(id="take-checks")
        yield Footer()

    def on_mount(self) -> None:
        """Load the session from the history."""
        try:
            self.detail = self.mockcall.store.get_session(self.session_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss(None)
            return
        s = self.detail.summary
        meta = Text(f"session {s.id} · {when(s)} · ")
        meta.append_text(result_cell(s))
        head = Text(s.title, style="bold")
        # A long title puts the details on a line of their own rather than splitting them.
        fits = head.cell_len + 2 + meta.cell_len <= self.app.size.width - 2
        head.append("  " if fits else "\n")
        head.append_text(meta)
        self.query_one("#session-head", Static).update(head)
        takes = self.query_one("#takes", OptionList)
        takes.border_title = "Takes"
        for step_index in self.detail.step_indices():
            takes.add_option(Option(Text(f"STEP {step_index + 1}", style="bold"), disabled=True))
            for take in self.detail.takes_for_step(step_index):
                takes.add_option(Option(take_label(take), id=str(take.id)))
        if not self.detail.takes:
            self.query_one("#take-prompt", Static).update(
                "No answers were recorded in this session."
            )
            return
        takes.highlighted = 1
        takes.focus()

    def on_unmount(self) -> None:
        """Stop any playback when leaving."""
        if self._playing is not None:
            self._playing.set()

    @property
    def take(self) -> TakeRecord | None:
        """The highlighted take."""
        option = self.query_one("#takes", OptionList).highlighted_option
        if option is None or option.id is None or self.detail is None:
            return None
        return next((t for t in self.detail.takes if str(t.id) == option.id), None)

    @on(OptionList.OptionHighlighted, "#takes")
    def _show_take(self) -> None:
        take = self.take
        if take is None:
            return
        detail = self.query_one("#take-detail", VerticalScroll)
        detail.border_title = f"Step {take.step_index + 1}, take {take.attempt}"
        detail.border_subtitle = take_numbers(take)
        self.query_one("#take-prompt", Static).update(
            Text.assemble(("Asked: ", "dim"), take.prompt)
        )
        view = self.query_one("#take-transcript", TranscriptView)
        checks = self.query_one("#take-checks", Static)
        if take.transcript is None:
            view.update(Text(TAKE_STATUS.get(take.status, take.status), style="italic"))
            checks.update("")
            return
        view.show(take.transcript, take.results)
        checks.update(Group(*(result_prompt(result) for result in take.results)))

    @on(OptionList.OptionSelected, "#takes")
    def _selected(self) -> None:
        self.action_play()

    # -- playback ------------------------------------------------------------------------------

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="playback",
        description="play the take",
    )
    def play(self, take: TakeRecord, stop: threading.Event) -> None:
        """Play a take's audio through the output device."""
        assert take.audio_path is not None
        self.mockcall.player(take.audio_path, stop)
        self.post_message(PlaybackFinished(take.audio_path))

    def action_play(self) -> None:
        """Replay the highlighted take, or stop the one playing."""
        if self._playing is not None and not self._playing.is_set():
            self._playing.set()
            return
        take = self.take
        if take is None:
            return
        if take.audio_path is None or not take.audio_path.exists():
            self.notify(
                "This take has no audio (typed, or the file was removed).", severity="warning"
            )
            return
        self._playing = threading.Event()
        self.notify(f"Playing take {take.attempt}… (p to stop)", timeout=3)
        self.play(take, self._playing)

    @on(PlaybackFinished)
    def _played(self) -> None:
        self._playing = None

    # -- comparing -----------------------------------------------------------------------------

    def action_mark(self) -> None:
        """Mark the highlighted take as one side of a comparison."""
        take = self.take
        if take is not None:
            self.marked = take
            self.notify(
                f"Marked step {take.step_index + 1}, take {take.attempt} to compare.", timeout=3
            )

    def action_compare(self) -> None:
        """Compare the marked (or previous) take of the step with the highlighted one."""
        from simulator.tui.screens.compare import CompareScreen

        take = self.take
        if take is None or self.detail is None:
            return
        other = self.marked
        if other is None or other.step_index != take.step_index or other.id == take.id:
            earlier = [
                t for t in self.detail.takes_for_step(take.step_index) if t.attempt < take.attempt
            ]
            later = [
                t for t in self.detail.takes_for_step(take.step_index) if t.attempt > take.attempt
            ]
            other = earlier[-1] if earlier else (later[0] if later else None)
        if other is None:
            self.notify("This step has only one take: retake it to compare.", severity="warning")
            return
        first, second = sorted((other, take), key=lambda t: t.attempt)
        self.app.push_screen(CompareScreen(first, second))

    # -- exporting ----------------------------------------------------------------------------

    def action_export(self) -> None:
        """Write the session as Markdown and JSON beside the history, and say where."""
        if self.detail is None:
            return
        try:
            markdown, data = export_session(self.detail, locations.data_dir() / "exports")
        except OSError as exc:
            self.notify(f"Session not exported: {exc}", severity="error", markup=False)
            return
        self.notify(
            f"Exported session {self.detail.id} to {markdown} and {data.name}",
            timeout=10,
            markup=False,
        )

    def action_back(self) -> None:
        """Back to the history list."""
        self.dismiss(None)
