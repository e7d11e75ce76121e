"""Trends over time: checklist pass rate, filler rate and pace, one point per session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Sparkline, Static

from simulator.scenario import library
from simulator.store import TrendPoint
from simulator.tui.screens.base import MockcallScreen

METRICS: tuple[tuple[str, str, Callable[[TrendPoint], float | None], str], ...] = (
    (
        "pass-rate",
        "Checks passed",
        lambda p: None if p.pass_rate is None else p.pass_rate * 100,
        "%",
    ),
    ("fillers", "Fillers per minute", lambda p: p.filler_per_min, "/min"),
    ("pace", "Pace", lambda p: p.wpm, " wpm"),
)
"""Each chart: its id, title, how to read it from a point, and its unit."""


def metric_caption(title: str, values: Sequence[float], unit: str) -> Text:
    """`Checks passed  first 40%  latest 85%` or a note that there is no data yet."""
    out = Text(f"{title}  ", style="bold")
    if not values:
        # Only pace and fillers need timings; the pass rate counts typed answers too.
        out.append("no answers yet" if unit == "%" else "no timed answers yet", style="dim")
        return out
    places = 1 if unit == "/min" else 0
    out.append(f"first {values[0]:.{places}f}{unit}  ", style="dim")
    out.append(f"latest {values[-1]:.{places}f}{unit}")
    return out


class TrendsScreen(MockcallScreen[None]):
    """Small charts of how the sessions have gone, oldest on the left."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    HELP = (
        "One point per session, oldest on the left, from each step's final take. Typed answers "
        "count towards the pass rate only: they have no timing for pace or fillers."
    )

    def __init__(self, scenario_id: str | None = None) -> None:
        super().__init__()
        self.scenario_id = scenario_id
        """The scenario to chart, None for all."""
        self.points: list[TrendPoint] = []

    def compose(self) -> ComposeResult:
        """A caption and a sparkline per metric."""
        yield Static(id="trends-head")
        with VerticalScroll(id="trends-body"):
            for metric_id, _, _, _ in METRICS:
                with Vertical(classes="trend"):
                    yield Static(id=f"{metric_id}-caption")
                    yield Sparkline([], id=f"{metric_id}-chart")
        yield Footer()

    def on_mount(self) -> None:
        """Read the points from the history and draw them."""
        self.points = self.mockcall.store.trends(self.scenario_id)
        scope = "all scenarios"
        if self.scenario_id:
            sessions = self.mockcall.store.list_sessions(self.scenario_id)
            titles = [s.title for s in sessions] + [
                e.scenario.title
                for e in library()
                if e.scenario is not None and e.scenario.id == self.scenario_id
            ]
            scope = titles[0] if titles else self.scenario_id
        head = Text(f"Trends · {scope} · ", style="bold")
        if self.points:
            first = self.points[0].started_at.astimezone().strftime("%Y-%m-%d")
            last = self.points[-1].started_at.astimezone().strftime("%Y-%m-%d")
            count = len(self.points)
            head.append(f"{count} session{'s' if count != 1 else ''}, {first} to {last}")
        else:
            head.append("no finished answers yet")
        self.query_one("#trends-head", Static).update(head)
        for metric_id, title, read, unit in METRICS:
            values = [v for v in (read(p) for p in self.points) if v is not None]
            self.query_one(f"#{metric_id}-caption", Static).update(
                metric_caption(title, values, unit)
            )
            chart = self.query_one(f"#{metric_id}-chart", Sparkline)
            chart.data = values
            chart.display = bool(values)

    def action_back(self) -> None:
        """Back to the history."""
        self.dismiss(None)
