"""Two takes of the same step side by side: the word diff, the checks, pace and fillers."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from simulator.export import TakeComparison, compare_takes, duration_text, pauses_text
from simulator.store import TakeRecord, TakeStats
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.checklist import MARKS

DROPPED = "bold white on red"
"""Words only the earlier take has."""
ADDED = "bold black on green"
"""Words only the later take has."""


def _num(value: float | None, places: int = 0) -> str:
    return f"{value:.{places}f}" if value is not None else "–"


def _checks(stats: TakeStats) -> str:
    counted = stats.checks_passed + stats.checks_failed
    return f"{stats.checks_passed}/{counted}" if counted else "–"


def side_title(take: TakeRecord, other: TakeRecord) -> str:
    """`Take 2`, or `#5 · 03-04 09:12 · take 2` when the two takes come from different sessions."""
    if take.session_id == other.session_id:
        return f"Take {take.attempt}"
    when = take.created_at.astimezone().strftime("%m-%d %H:%M")
    return f"#{take.session_id} · {when} · take {take.attempt}"


def numbers_table(comparison: TakeComparison, a: TakeRecord, b: TakeRecord) -> Table:
    """Duration, pace, fillers, pauses and checks for both takes."""
    sa, sb = comparison.a, comparison.b
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    table.add_column("")
    table.add_column(side_title(a, b), justify="right")
    table.add_column(side_title(b, a), justify="right")
    # One duration everywhere: the time spoken, as the time checks measure it, then the recording.
    table.add_row("Duration", duration_text(sa), duration_text(sb))
    table.add_row("Pace (wpm)", _num(sa.wpm), _num(sb.wpm))
    table.add_row(
        "Fillers",
        f"{sa.fillers} ({_num(sa.filler_per_min, 1)}/min)",
        f"{sb.fillers} ({_num(sb.filler_per_min, 1)}/min)",
    )
    table.add_row("Long pauses", pauses_text(comparison.pauses_a), pauses_text(comparison.pauses_b))
    table.add_row("Checks passed", _checks(sa), _checks(sb))
    return table


def changes_text(comparison: TakeComparison) -> Text:
    """`✘ → ✔ Callback number said` for each check whose outcome changed."""
    if not comparison.changed:
        return Text("No check changed outcome.", style="dim")
    out = Text("Checks that changed\n", style="bold")
    for change in comparison.changed:
        for side, status in enumerate((change.before, change.after)):
            mark, style = MARKS.get(status or "", ("·", "dim"))
            out.append(mark, style=style)
            out.append(" → " if side == 0 else " ")
        out.append(change.label)
        out.append("\n")
    out.rstrip()
    return out


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
    """A comparison of two takes of one step, from one session or two; it scrolls as one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    HELP = (
        "The earlier take is on the left with the words it dropped marked red; the later take is "
        "on the right with the words it added marked green. Checks whose outcome changed are "
        "listed first and underlined below. Duration is the time you spoke, with the recording's "
        "length beside it. The page scrolls with the arrow keys or Page Up/Down."
    )

    def __init__(self, a: TakeRecord, b: TakeRecord) -> None:
        super().__init__()
        self.a = a
        """The earlier take."""
        self.b = b
        """The later take."""
        self.comparison = compare_takes(a, b)

    def compose(self) -> ComposeResult:
        """Numbers and changes on top, then the two takes in columns, all in one scroll."""
        left_words, right_words = diff_sides(self.comparison)
        left_checks, right_checks = checks_sides(self.a, self.b)
        where = "" if self.a.session_id == self.b.session_id else " (two sessions)"
        yield Static(
            Text(
                f"Step {self.b.step_index + 1}: {side_title(self.a, self.b)} vs "
                f"{side_title(self.b, self.a)}{where}",
                style="bold",
            ),
            id="compare-head",
        )
        with VerticalScroll(id="compare-body"):
            yield Static(numbers_table(self.comparison, self.a, self.b), id="compare-numbers")
            yield Static(changes_text(self.comparison), id="compare-changes")
            with Horizontal(id="compare-columns"):
                with Vertical(id="compare-a", classes="compare-side"):
                    yield Static(left_words, id="diff-a")
                    yield Static(left_checks, classes="compare-checks")
                with Vertical(id="compare-b", classes="compare-side"):
                    yield Static(right_words, id="diff-b")
                    yield Static(right_checks, classes="compare-checks")
        yield Footer()

    def on_mount(self) -> None:
        """Title the columns; the page takes the keys, so it scrolls."""
        self.query_one("#compare-a").border_title = side_title(self.a, self.b)
        self.query_one("#compare-b").border_title = side_title(self.b, self.a)
        self.query_one("#compare-body").focus()

    def action_back(self) -> None:
        """Back to where the comparison was opened."""
        self.dismiss(None)
