"""Review: every past session, filterable by scenario; open one, or see trends."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Label, Select, Static

from simulator.scenario import library
from simulator.store import SessionMode, SessionSummary
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.session_table import SessionTable

ALL = ""
"""The filter value meaning every scenario."""


def clip(text: str, width: int) -> str:
    """TEXT cut to WIDTH characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def when(summary: SessionSummary) -> str:
    """The session's start in local time, to the minute."""
    return summary.started_at.astimezone().strftime("%Y-%m-%d %H:%M")


def result_cell(summary: SessionSummary) -> Text:
    """✔ passed / ✘ needs work / the status of an unfinished session."""
    if summary.passed is True:
        return Text("✔ passed", style="green")
    if summary.passed is False:
        return Text("✘ needs work", style="red")
    return Text(summary.status.replace("_", " "), style="dim")


def mode_cell(summary: SessionSummary) -> Text:
    """`spoken`, `typed` (dim), or `–` for a session with no answer."""
    if summary.mode == "spoken":
        return Text("spoken")
    if summary.mode == "typed":
        return Text("typed", style="italic dim")
    return Text("–", style="dim")


MODES: tuple[SessionMode | None, ...] = (None, "spoken", "typed")
"""The order m cycles the spoken/typed filter through."""


class ReviewScreen(MockcallScreen[None]):
    """The history list; Enter opens a session, t shows trends for the filter's scenario."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "trends", "Trends"),
        Binding("f", "filter", "Filter"),
        Binding("m", "mode", "Spoken/typed", tooltip="Show all, only spoken or only typed"),
        Binding("a", "show_all", "Empty", tooltip="Show or hide sessions without an answer"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back"),
    ]
    HELP = (
        "Every session you practised, newest first. **Enter** opens one to read its transcripts, "
        "replay takes and compare takes, also across sessions. **f** filters by scenario, **m** "
        "shows only spoken or only typed practice, **a** also lists sessions that have no "
        "answer (hidden by default), **d** deletes the highlighted session with its audio (after "
        "asking), **t** shows trends."
    )

    def __init__(self, scenario_id: str | None = None) -> None:
        super().__init__()
        self.scenario_id = scenario_id
        """The scenario the list is filtered to, None for all."""
        self.mode: SessionMode | None = None
        """Only spoken or only typed sessions; None for both."""
        self.show_empty = False
        """True to list sessions without a single answer too."""
        self.sessions: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        """The filter above the table."""
        with Horizontal(id="review-filter"):
            yield Label("Scenario ", id="filter-label")
            yield Select[str](
                [],
                prompt="All scenarios",
                allow_blank=True,
                id="scenario-filter",
                compact=True,
            )
            yield Static(id="review-scope")
        yield SessionTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-empty")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the filter with the scenarios that have history, and the table."""
        table = self.query_one("#sessions", DataTable)
        table.add_columns("#", "Started", "Scenario", "How", "Result", "Takes", "Checks")
        titles = {e.scenario.id: e.scenario.title for e in library() if e.scenario is not None}
        for summary in self.mockcall.store.list_sessions():
            titles.setdefault(summary.scenario_id, summary.title)
        choices = sorted(((title, sid) for sid, title in titles.items()), key=lambda c: c[0])
        select = self.query_one("#scenario-filter", Select)
        select.set_options(choices)
        if self.scenario_id in titles:
            select.value = self.scenario_id
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        """Back from a session: nothing changes, but a session may have finished meanwhile."""
        self.reload()

    def reload(self) -> None:
        """Re-read the sessions for the current filter."""
        store = self.mockcall.store
        self.sessions = store.list_sessions(
            self.scenario_id, include_empty=self.show_empty, mode=self.mode
        )
        hidden = 0
        if not self.show_empty:
            hidden = len(store.list_sessions(self.scenario_id, mode=self.mode)) - len(self.sessions)
        scope = Text(f"  {self.mode} only" if self.mode else "", style="bold")
        if hidden:
            scope.append(f"  {hidden} empty hidden (a)", style="dim")
        self.query_one("#review-scope", Static).update(scope)
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        table.clear()
        for s in self.sessions:
            checks = f"{s.pass_rate:.0%}" if s.pass_rate is not None else "–"
            table.add_row(
                str(s.id),
                when(s),
                clip(s.title, 24),
                mode_cell(s),
                result_cell(s),
                str(s.take_count),
                checks,
                key=str(s.id),
            )
        empty = self.query_one("#review-empty", Static)
        empty.display = not self.sessions
        # An empty table shrinks to its header, or it would push the message off the screen.
        self.set_class(not self.sessions, "-empty")
        if self.mode:
            message = f"No {self.mode} sessions here yet (m changes the filter)."
        elif self.scenario_id:
            message = "No sessions of this scenario yet."
        else:
            message = (
                "No sessions yet. Practise a scenario from the library and it will show up here."
            )
        empty.update(message)
        if self.sessions:
            table.move_cursor(row=min(cursor, len(self.sessions) - 1))

    @on(Select.Changed, "#scenario-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        value = event.value
        self.scenario_id = value if isinstance(value, str) and value != ALL else None
        self.reload()

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        from simulator.tui.screens.session import SessionScreen

        if event.row_key.value is not None:
            self.app.push_screen(SessionScreen(int(event.row_key.value)))

    def action_filter(self) -> None:
        """Open the scenario filter."""
        select = self.query_one("#scenario-filter", Select)
        select.focus()
        select.action_show_overlay()

    def action_mode(self) -> None:
        """Cycle the filter: spoken and typed, spoken only, typed only."""
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.reload()

    def action_show_all(self) -> None:
        """Show or hide the sessions that have no answer."""
        self.show_empty = not self.show_empty
        self.reload()

    @property
    def highlighted(self) -> SessionSummary | None:
        """The session under the cursor."""
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or not 0 <= table.cursor_row < len(self.sessions):
            return None
        return self.sessions[table.cursor_row]

    def action_delete(self) -> None:
        """Delete the highlighted session and its audio, after asking."""
        from simulator.export import describe_session
        from simulator.tui.screens.dialogs import ConfirmScreen

        summary = self.highlighted
        if summary is None:
            return
        detail = self.mockcall.store.get_session(summary.id)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            removed = self.mockcall.store.delete_session(detail.id)
            self.notify(
                f"Deleted session {detail.id} ({len(removed)} audio files removed).", timeout=6
            )
            self.reload()

        self.app.push_screen(
            ConfirmScreen(f"Delete {describe_session(detail)}? This cannot be undone."),
            confirmed,
        )

    def action_trends(self) -> None:
        """Trends for the filtered scenario (or all)."""
        from simulator.tui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.scenario_id))

    def action_back(self) -> None:
        """Back to the library."""
        self.dismiss(None)
