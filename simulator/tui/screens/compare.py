"""Two takes of the same step side by side: the word diff, the checks, pace and fillers."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static

from simulator.export import TakeComparison, compare_takes
from simulator.store import TakeRecord, TakeStats
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.checklist import MARKS
from simulator.tui.widgets.elapsed import clock

DROPPED = "bold white on red"
"""Words only the earlier take has."""
ADDED = "bold black on green"
"""Words only the later take has."""


def _num(value: float | None, places: int = 0) -> str:
    return f"{value:.{places}f}" if value is not None else "–"


def _checks(stats: TakeStats) -> str:
    counted = stats.checks_passed + stats.checks_failed
    return f"{stats.checks_passed}/{counted}" if counted else "–"


def numbers_table(comparison: TakeComparison) -> Table:
    """Duration, pace, fillers and checks for both takes, with the change."""
    a, b = comparison.a, comparison.b
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    table.add_column("")
    table.add_column(f"Take {a.attempt}", justify="right")
    table.add_column(f"Take {b.attempt}", justify="right")
    table.add_row(
        "Duration",
        clock(a.duration) if a.duration is not None else "–",
        clock(b.duration) if b.duration is not None else "–",
    )
    table.add_row("Pace (wpm)", _num(a.wpm), _num(b.wpm))
    table.add_row("Fillers", str(a.fillers), str(b.fillers))
    table.add_row("Fillers/min", _num(a.filler_per_min, 1), _num(b.filler_per_min, 1))
    table.add_row("Checks passed", _checks(a), _checks(b))
    return table


def diff_sides(comparison: TakeComparison) -> tuple[Text, Text]:
    """The earlier take with dropped words marked, and the later one with added words marked."""
    left, right = Text(), Text()
    for op, words in comparison.diff:
        chunk = " ".join(words) + " "
        if op == "equal":
            left.append(chunk)
            right.append(chunk)
        elif op == "delete":
            left.append(chunk.rstrip(), style=DROPPED)
            left.append(" ")
        else:
            right.append(chunk.rstrip(), style=ADDED)
            right.append(" ")
    for side in (left, right):
        side.rstrip()
        if not side.plain:
            side.append("(no transcript)", style="italic")
    return left, right


def checks_sides(a: TakeRecord, b: TakeRecord) -> tuple[Text, Text]:
    """Each take's check marks; a check whose outcome changed is shown in bold."""
    before = {r.id: r.status for r in a.results}
    after = {r.id: r.status for r in b.results}
    left, right = Text(), Text()
    for take, side, other in ((a, left, after), (b, right, before)):
        for result in take.results:
            mark, style = MARKS[result.status]
            changed = other.get(result.id, result.status) != result.status
            side.append(f"{mark} ", style=style)
            side.append(result.label or result.id, style="bold underline" if changed else "")
            side.append("\n")
        side.rstrip()
    return left, right


class CompareScreen(MockcallScreen[None]):
    """A comparison of two takes of one step."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    HELP = (
        "The earlier take is on the left with the words it dropped marked red; the later take is "
        "on the right with the words it added marked green. Checks whose outcome changed are "
        "underlined."
    )

    def __init__(self, a: TakeRecord, b: TakeRecord) -> None:
        super().__init__()
        self.a = a
        """The earlier take."""
        self.b = b
        """The later take."""
        self.comparison = compare_takes(a, b)

    def compose(self) -> ComposeResult:
        """Numbers on top, then the two takes in columns."""
        left_words, right_words = diff_sides(self.comparison)
        left_checks, right_checks = checks_sides(self.a, self.b)
        yield Static(
            Text(
                f"Step {self.b.step_index + 1}: take {self.a.attempt} vs take {self.b.attempt}",
                style="bold",
            ),
            id="compare-head",
        )
        yield Static(numbers_table(self.comparison), id="compare-numbers")
        with Horizontal(id="compare-body"):
            with VerticalScroll(id="compare-a", classes="compare-side"):
                yield Static(left_words, id="diff-a")
                yield Static(left_checks, classes="compare-checks")
            with VerticalScroll(id="compare-b", classes="compare-side"):
                yield Static(right_words, id="diff-b")
                yield Static(right_checks, classes="compare-checks")
        yield Footer()

    def on_mount(self) -> None:
        """Title the columns."""
        self.query_one("#compare-a").border_title = f"Take {self.a.attempt}"
        self.query_one("#compare-b").border_title = f"Take {self.b.attempt}"

    def action_back(self) -> None:
        """Back to the session."""
        self.dismiss(None)
