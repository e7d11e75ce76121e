"""Form screens that keep every keystroke in its field, however fast it is typed or pasted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import events, on
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from simulator.tui.screens.base import MockcallScreen

ResultT = TypeVar("ResultT")

FIELD_SEPARATOR = re.compile(r"\r\n|[\t\r\n]")
"""What splits pasted text into fields: a Tab, as in a password manager's or spreadsheet's
copy, or a line break, as in a copied address block."""


class FieldInput(Input):
    """An Input that hands text pasted across several fields to its form to spread out."""

    @dataclass
    class PastedFields(Message):
        """Text with field separators was pasted into INPUT: the pieces after the first."""

        input: FieldInput
        """The field the paste landed in (it keeps the first piece)."""
        rest: list[str]
        """The pieces for the fields after it, in order."""
        ends_with_separator: bool
        """True when the paste ended with a Tab or line break (move on past the last piece)."""

    _cursor_at_end_on_focus = False

    def focus_at_end(self) -> None:
        """Focus with the cursor after the text, not the text selected (typing goes on from it)."""
        self._cursor_at_end_on_focus = True
        self.focus()

    def _on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own focus handler, which would select the whole text.
        if not self._cursor_at_end_on_focus:
            return
        self._cursor_at_end_on_focus = False
        self.cursor_position = len(self.value)
        if self.select_on_focus:
            self.select_on_focus = False
            self.call_next(setattr, self, "select_on_focus", True)

    def _on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own paste handler, which keeps only the first line, Tabs and all.
        if not FIELD_SEPARATOR.search(event.text):
            return
        event.stop()
        event.prevent_default()
        first, *rest = FIELD_SEPARATOR.split(event.text)
        ends_with_separator = bool(rest) and rest[-1] == ""
        while rest and rest[-1] == "":
            rest.pop()
        if self.selection.is_empty:
            self.insert_text_at_cursor(first)
        else:
            self.replace(first, *self.selection)
        self.post_message(self.PastedFields(self, rest, ends_with_separator))


class FormScreen(MockcallScreen[ResultT]):
    """A screen of fields: Tab, Shift+Tab and Enter move focus the moment they are read.

    Textual hands a key to the focused field first; Tab and Enter only reach the screen after
    bubbling up through the field's containers, one message queue at a time. Keys that arrive
    together (a fast typist, a password manager typing, a paste in a terminal without bracketed
    paste) are meanwhile all handed to the field that still has focus, so "Jordan⇥(617)…" ends up
    in one field. As priority bindings they are handled in the order they were read instead;
    the characters already handed to a field still land in that field, in order.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
        Binding("enter", "enter_field", "Next field", show=False, priority=True),
    ]

    def action_next_field(self) -> None:
        """Focus the next field or button."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """Focus the previous field or button."""
        self.focus_previous()

    def action_enter_field(self) -> None:
        """Enter in a field moves to the next one; in the last field it submits it."""
        fields = list(self.query(FieldInput))
        focused = self.focused
        if not isinstance(focused, FieldInput) or focused is fields[-1]:
            # A button presses, a list selects, the last field submits (after any keys queued).
            raise SkipAction()
        self.focus_next()

    @on(FieldInput.PastedFields)
    def _spread_paste(self, message: FieldInput.PastedFields) -> None:
        fields = list(self.query(FieldInput))
        start = fields.index(message.input)
        targets = fields[start + 1 : start + 1 + len(message.rest)]
        for field, piece in zip(targets, message.rest, strict=False):
            field.value = piece
            field.cursor_position = len(piece)
        left_out = len(message.rest) - len(targets)
        if left_out:
            self.notify(
                f"The paste had {left_out} more value{'s' if left_out != 1 else ''} "
                "than there are fields; left out.",
                severity="warning",
            )
        last = targets[-1] if targets else message.input
        if message.ends_with_separator:
            self.set_focus(last)
            self.focus_next()
        else:
            last.focus_at_end()
