"""One past session: its takes step by step, each transcript and checklist; replay and compare."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.errors import UserError
from simulator.export import describe_session, duration_text
from simulator.store import SessionDetail, TakeRecord, take_stats
from simulator.tui.messages import PlaybackFinished
from simulator.tui.screens.replay import EvidenceReplay
from simulator.tui.screens.review import mode_cell, result_cell, when
from simulator.tui.widgets.checklist import Checklist, summary
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
    speech = take_stats(take).speech_seconds if take.transcript is not None else None
    if speech is not None:
        out.append(f" {clock(speech)}")  # the time spoken, as the checks measure it
    elif take.transcript is not None and not take.transcript.timed:
        out.append(" typed", style="dim")
    elif take.duration is not None:
        out.append(f" {clock(take.duration)}", style="dim")
    return out


def take_numbers(take: TakeRecord) -> str:
    """Speech time, pace, fillers and the check count for one take."""
    if take.transcript is None:
        return ""
    stats = take_stats(take)
    parts = [summary(take.results), duration_text(stats)]
    if stats.wpm is not None:
        parts.append(f"{stats.wpm:.0f} wpm")
    if stats.speech_seconds is not None:
        parts.append(f"{stats.fillers} filler{'s' if stats.fillers != 1 else ''}")
    return " · ".join(parts)


class SessionScreen(EvidenceReplay[None]):
    """A saved session: pick a take to read it; replay, compare, export or delete it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play", "Play"),
        Binding("e", "play_evidence", "Evidence", tooltip="Play from the highlighted check"),
        Binding("c", "compare", "Compare"),
        Binding("x", "export", "Export"),
        # Kept out of the key bar so "? Help" fits at 80 columns; the help and review list it.
        Binding("d", "delete", "Delete", show=False),
        Binding("escape", "back", "Back"),
    ]
    HELP = (
        "The takes of each step are on the left; the highlighted one is shown on the right. "
        "**p** (or **Enter**) replays its audio (again to stop). **Tab** moves to its checks; "
        "**e** plays the answer from the highlighted check's evidence. **c** compares the take "
        "with another take of the same step, from this session or any other of this scenario. "
        "**x** exports the session (you choose the format and file), **d** deletes it with its "
        "audio, after asking."
    )

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.detail: SessionDetail | None = None
        self._playing: threading.Event | None = None

    def compose(self) -> ComposeResult:
        """Takes on the left, the highlighted take on the right."""
        yield Static(id="session-head")
        with Horizontal(id="session-body"):
            yield OptionList(id="takes")
            with VerticalScroll(id="take-detail"):
                yield Static(id="take-prompt")
                yield TranscriptView(id="take-transcript")
                yield Checklist(id="take-checks")
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
        meta.append_text(mode_cell(s))
        meta.append(" · ")
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
        checks = self.query_one("#take-checks", Checklist)
        if take.transcript is None:
            view.update(Text(TAKE_STATUS.get(take.status, take.status), style="italic"))
            checks.show(())
            return
        checks.show(take.results)
        view.show(take.transcript, take.results, checks.result_at(checks.highlighted))

    @on(OptionList.OptionHighlighted, "#take-checks")
    def _focus_check(self, event: OptionList.OptionHighlighted) -> None:
        take = self.take
        if take is not None and take.transcript is not None:
            checks = self.query_one("#take-checks", Checklist)
            self.query_one("#take-transcript", TranscriptView).show(
                take.transcript, take.results, checks.result_at(event.option_index)
            )

    def action_play_evidence(self) -> None:
        """Play the highlighted take from the highlighted check's evidence."""
        take = self.take
        if take is None:
            return
        checks = self.query_one("#take-checks", Checklist)
        self.replay_evidence(take.audio_path, take.transcript, checks.result_at(checks.highlighted))

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

    def action_compare(self) -> None:
        """Pick another take of this step, from this session or another, and compare."""
        from simulator.tui.screens.dialogs import PickTakeScreen

        take = self.take
        if take is None or self.detail is None:
            return
        if take.status != "complete":
            self.notify("This take has no transcript to compare.", severity="warning")
            return
        store = self.mockcall.store
        every = store.takes_for_scenario_step(self.detail.summary.scenario_id, take.step_index)
        others = [t for t in every if t.id != take.id]
        if not others:
            self.notify(
                "No other take of this step yet: retake it, or practise the scenario again.",
                severity="warning",
            )
            return
        counted = {
            t.id
            for session_id in {t.session_id for t in others}
            for t in store.get_session(session_id).final_takes()
        }
        earlier_here = [
            t for t in others if t.session_id == take.session_id and t.attempt < take.attempt
        ]
        preferred = earlier_here[-1] if earlier_here else others[-1]
        # Newest first: the latest practice is what one compares with most.
        choices = sorted(others, key=lambda t: (t.created_at, t.id), reverse=True)

        def compare_with(other: TakeRecord | None) -> None:
            from simulator.tui.screens.compare import CompareScreen

            if other is None:
                return
            first, second = sorted((other, take), key=lambda t: (t.created_at, t.id))
            self.app.push_screen(CompareScreen(first, second))

        self.app.push_screen(PickTakeScreen(take, choices, counted, preferred.id), compare_with)

    # -- exporting and deleting -------------------------------------------------------------

    def action_export(self) -> None:
        """Ask for the format and file, then export the session."""
        from simulator.tui.screens.dialogs import ExportScreen

        if self.detail is None:
            return

        def exported(written: list[Path] | None) -> None:
            if not written:
                return
            audio = len(written) - 1
            extra = f" and {audio} audio file{'s' if audio != 1 else ''}" if audio else ""
            self.notify(f"Exported to {written[0]}{extra}", timeout=10, markup=False)

        self.app.push_screen(ExportScreen(self.detail), exported)

    def action_delete(self) -> None:
        """Delete this session and its audio, after asking."""
        from simulator.tui.screens.dialogs import ConfirmScreen

        if self.detail is None:
            return
        detail = self.detail

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            removed = self.mockcall.store.delete_session(detail.id)
            self.notify(
                f"Deleted session {detail.id} ({len(removed)} audio files removed).", timeout=6
            )
            self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(f"Delete {describe_session(detail)}? This cannot be undone."),
            confirmed,
        )

    def action_back(self) -> None:
        """Back to the history list."""
        self.dismiss(None)
