"""Small dialogs over the review screens: confirm a delete, pick a take to compare, export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from simulator import locations
from simulator.export import write_export
from simulator.store import SessionDetail, TakeRecord


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses True only for the confirming button or y."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str, confirm: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        """The question and two buttons; Cancel has the focus, so Enter is the safe choice."""
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm, variant="error", id="confirm")

    def on_mount(self) -> None:
        """Cancel first."""
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, yes: bool) -> None:
        """Close with YES."""
        self.dismiss(yes)


def take_choice_label(take: TakeRecord, current: TakeRecord, counted: bool) -> Text:
    """`#5 2025-03-04 14:02 · take 2 ✔ · counted` for the compare picker."""
    when = take.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    where = "this session" if take.session_id == current.session_id else f"#{take.session_id}"
    out = Text(f"{where} · {when} · take {take.attempt} ")
    out.append("✔" if take.passed else "✘", style="green" if take.passed else "red")
    if counted:
        out.append(" · counted", style="dim")
    return out


class PickTakeScreen(ModalScreen[TakeRecord | None]):
    """Choose the other take of the same scenario step, from any session, to compare with."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, current: TakeRecord, choices: list[TakeRecord], counted: set[int], preferred: int
    ) -> None:
        super().__init__()
        self.current = current
        self.choices = choices
        """The takes offered, newest first."""
        self.counted = counted
        """Ids of the takes that counted for their session's verdict."""
        self.preferred = preferred
        """The id highlighted first: the take before this one, else the latest other one."""

    def compose(self) -> ComposeResult:
        """The takes as a list."""
        with Vertical(id="pick-dialog", classes="dialog"):
            yield Label(
                f"Compare step {self.current.step_index + 1}, take {self.current.attempt} with:"
            )
            yield OptionList(
                *(
                    Option(take_choice_label(t, self.current, t.id in self.counted), id=str(t.id))
                    for t in self.choices
                ),
                id="pick-takes",
            )

    def on_mount(self) -> None:
        """Highlight the preferred take."""
        picker = self.query_one("#pick-takes", OptionList)
        picker.highlighted = picker.get_option_index(str(self.preferred))
        picker.focus()

    @on(OptionList.OptionSelected, "#pick-takes")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        chosen = next(t for t in self.choices if str(t.id) == event.option.id)
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


FORMATS: dict[str, str] = {"md": "Markdown (.md)", "json": "JSON (.json)"}
"""The export formats offered, by file suffix."""


def default_export_path(detail: SessionDetail, fmt: str) -> Path:
    """Where an export goes unless the user types another path: the exports folder."""
    stem = f"session-{detail.id}-{detail.summary.scenario_id}"
    return locations.data_dir() / "exports" / f"{stem}.{fmt}"


class ExportScreen(ModalScreen[list[Path] | None]):
    """Export a session: choose the format, the file, and whether to copy its audio."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, detail: SessionDetail) -> None:
        super().__init__()
        self.detail = detail
        self._replace: Path | None = None

    def compose(self) -> ComposeResult:
        """Format, path, audio, then the buttons."""
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(f"Export session {self.detail.id}: {self.detail.summary.title}")
            yield Select[str](
                [(label, fmt) for fmt, label in FORMATS.items()],
                value="md",
                allow_blank=False,
                id="export-format",
            )
            yield Input(str(default_export_path(self.detail, "md")), id="export-path")
            yield Checkbox("Copy the takes' audio next to it", id="export-audio")
            yield Static(id="export-problem")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Start in the path field."""
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Follow the format in the suffix while the path is still the default one for a format.
        path = self.query_one("#export-path", Input)
        current = Path(path.value.strip()).expanduser()
        if current.suffix.lstrip(".") in FORMATS and isinstance(event.value, str):
            path.value = str(current.with_suffix(f".{event.value}"))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        fmt = self.query_one("#export-format", Select).value
        text = self.query_one("#export-path", Input).value.strip()
        problem = self.query_one("#export-problem", Static)
        if not text:
            problem.update("Type the file to write.")
            return
        target = Path(text).expanduser()
        if target.is_dir():
            problem.update(f"{target} is a folder: add a file name.")
            return
        if target.exists() and target != self._replace:
            # One more press replaces it: an export never overwrites a file unasked.
            self._replace = target
            problem.update(f"{target.name} exists: Export again replaces it.")
            return
        chosen: Literal["md", "json"] = "json" if fmt == "json" else "md"
        try:
            written = write_export(
                self.detail,
                target,
                chosen,
                include_audio=self.query_one("#export-audio", Checkbox).value,
            )
        except OSError as exc:
            problem.update(f"Cannot write {target}: {exc.strerror or exc}")
            return
        self.dismiss(written)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
