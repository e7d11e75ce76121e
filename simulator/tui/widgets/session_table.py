"""The history table: a DataTable whose Enter says what it does in the key bar."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class SessionTable(DataTable[str | Text]):
    """The sessions list; Enter opens the highlighted session (shown in the key bar)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # DataTable binds Enter too, but hidden: a new user would not know rows open.
        Binding("enter", "select_cursor", "Open"),
    ]
