"""Trends over time: your must-haves over the last tries, and pass rate, fillers and pace drawn.

The charts are plotext line charts (through textual-plotext) with dated x axes, scaled y axes
and the target band drawn as lines, one point per session from each step's final take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from simulator.progress import TRIES_SHOWN, CheckTrack, must_have_tracks
from simulator.scenario import library
from simulator.store import PracticeTry, TrendPoint
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.checklist import MARKS

DATE_IN = "Y-m-d H:M"
"""How session times are handed to plotext."""
DATE_OUT = "m-d"
"""How dates are written under the x axis."""


@dataclass(frozen=True)
class Metric:
    """One chart: what it plots and the band a good answer stays inside."""

    id: str
    """Widget id stem."""
    title: str
    """The chart's title."""
    read: Callable[[TrendPoint], float | None]
    """The value of one session."""
    band: tuple[float, float]
    """The target band (low, high); equal ends draw one target line."""
    unit: str
    """The unit after a number."""


def metrics(filler_max: float, pace_min: float, pace_max: float) -> tuple[Metric, ...]:
    """The three charts, with the target bands from the settings in force."""
    return (
        Metric(
            "pass-rate",
            "Checks passed (%)",
            lambda p: None if p.pass_rate is None else p.pass_rate * 100,
            (100.0, 100.0),
            "%",
        ),
        Metric(
            "fillers", "Fillers per minute", lambda p: p.filler_per_min, (0.0, filler_max), "/min"
        ),
        Metric("pace", "Pace (words per minute)", lambda p: p.wpm, (pace_min, pace_max), " wpm"),
    )


def stamp(moment: datetime) -> str:
    """A session time as plotext reads it, in local time."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def band_text(metric: Metric) -> str:
    """`target 110–170 wpm`, `target ≤ 4/min`, `target 100%`."""
    low, high = metric.band
    if low == high:
        return f"target {high:g}{metric.unit}"
    if low <= 0:
        return f"target ≤ {high:g}{metric.unit}"
    return f"target {low:g}–{high:g}{metric.unit}"


def must_have_table(tries: Sequence[PracticeTry], tracks: Sequence[CheckTrack]) -> Table:
    """One row per must-have check: its mark in each try (dated columns), then the count."""
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold")
    table.add_column("Must-have")
    days = {t.started_at.astimezone().date() for t in tries}
    # Tries on one day are told apart by the hour, else by the date.
    form = "%H:%M" if len(days) == 1 and len(tries) > 1 else "%m-%d"
    for attempt in tries:
        table.add_column(attempt.started_at.astimezone().strftime(form), justify="center")
    table.add_column("")
    for track in tracks:
        cells = []
        for mark in track.marks:
            symbol, style = MARKS.get(mark or "", ("·", "dim"))
            cells.append(Text(symbol, style=style))
        table.add_row(track.label, *cells, Text(track.sentence(), style="dim"))
    return table


class TrendsScreen(MockcallScreen[None]):
    """Your must-haves over the last tries, then charts of how the sessions have gone."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    HELP = (
        "The table shows each must-have check of a scenario over your last five tries (✔ passed, "
        "✘ missed, · not run). The charts have one point per session, dated, from each step's "
        "final take; the target band is drawn as lines. The pass rate is drawn per scenario, so "
        "different drills are never averaged together. Typed answers count towards the pass "
        "rate only: they have no timing for pace or fillers. Scroll with the arrow keys."
    )

    def __init__(self, scenario_id: str | None = None) -> None:
        super().__init__()
        self.scenario_id = scenario_id
        """The scenario to chart, None for all."""
        self.points: list[TrendPoint] = []
        """The sessions charted, oldest first."""
        self.tracks: dict[str, list[CheckTrack]] = {}
        """Each scenario's must-haves over its last tries."""

    def compose(self) -> ComposeResult:
        """The head, then the must-haves and one chart per metric, all in one scroll."""
        yield Static(id="trends-head")
        with VerticalScroll(id="trends-body"):
            yield Static(id="must-haves")
            for metric in self._metrics():
                yield Static(id=f"{metric.id}-caption", classes="trend-caption")
                yield PlotextPlot(id=f"{metric.id}-chart", classes="trend-chart")
        yield Footer()

    def _metrics(self) -> tuple[Metric, ...]:
        s = self.mockcall.settings
        return metrics(s.filler_max_per_minute, s.pace_min_wpm, s.pace_max_wpm)

    def _titles(self) -> dict[str, str]:
        titles = {e.scenario.id: e.scenario.title for e in library() if e.scenario is not None}
        # The title the sessions were practised under wins: the newest one, as the history shows.
        sessions = self.mockcall.store.list_sessions(self.scenario_id, include_empty=False)
        for summary in reversed(sessions):
            titles[summary.scenario_id] = summary.title
        return titles

    def on_mount(self) -> None:
        """Read the history and draw it."""
        store = self.mockcall.store
        self.points = store.trends(self.scenario_id)
        titles = self._titles()
        scope = titles.get(self.scenario_id, self.scenario_id) if self.scenario_id else None
        head = Text(f"Trends · {scope or 'all scenarios'} · ", style="bold")
        if self.points:
            first = self.points[0].started_at.astimezone().strftime("%Y-%m-%d")
            last = self.points[-1].started_at.astimezone().strftime("%Y-%m-%d")
            count = len(self.points)
            head.append(f"{count} session{'s' if count != 1 else ''}, {first} to {last}")
        else:
            head.append("no finished answers yet")
        self.query_one("#trends-head", Static).update(head)
        scenarios = [self.scenario_id] if self.scenario_id else _in_order(self.points)
        self._show_must_haves(scenarios, titles)
        for metric in self._metrics():
            self._draw(metric, titles)
        self.query_one("#trends-body").focus()

    def _show_must_haves(self, scenarios: Sequence[str], titles: dict[str, str]) -> None:
        parts: list[Text | Table] = []
        for scenario_id in scenarios:
            tries = self.mockcall.store.recent_tries(scenario_id, TRIES_SHOWN)
            tracks = must_have_tracks(tries)
            self.tracks[scenario_id] = tracks
            if not tracks:
                continue
            count = len(tries)
            heading = f"Your must-haves over the last {count} tr{'ies' if count != 1 else 'y'}"
            if not self.scenario_id:
                heading += f" · {titles.get(scenario_id, scenario_id)}"
            parts += [Text(heading, style="bold"), must_have_table(tries, tracks), Text("")]
        widget = self.query_one("#must-haves", Static)
        if parts:
            from rich.console import Group

            widget.update(Group(*parts[:-1]))
        else:
            widget.update(Text("No must-have checks answered yet.", style="dim"))

    def _draw(self, metric: Metric, titles: dict[str, str]) -> None:
        caption = self.query_one(f"#{metric.id}-caption", Static)
        chart = self.query_one(f"#{metric.id}-chart", PlotextPlot)
        # The pass rate means something different in each drill: one line per scenario.
        per_scenario = metric.id == "pass-rate" and not self.scenario_id
        series: dict[str, list[TrendPoint]] = {}
        for point in self.points:
            if metric.read(point) is not None:
                key = point.scenario_id if per_scenario else ""
                series.setdefault(key, []).append(point)
        values = [v for pts in series.values() for p in pts if (v := metric.read(p)) is not None]
        head = Text(f"{metric.title}  ", style="bold")
        head.append(band_text(metric), style="green")
        if not values:
            head.append(
                "  no timed answers yet" if metric.unit != "%" else "  no answers yet", style="dim"
            )
            caption.update(head)
            chart.display = False
            return
        latest = values[-1] if not per_scenario else None
        if latest is not None:
            head.append(f"  latest {latest:.{1 if metric.unit == '/min' else 0}f}{metric.unit}")
        caption.update(head)
        plt = chart.plt
        plt.clear_data()
        moments = [p.started_at.astimezone() for pts in series.values() for p in pts]
        if len(moments) == 1:
            # One session: one dated tick under one point (plotext spreads a lone date wide).
            (point,) = (p for pts in series.values() for p in pts)
            plt.scatter([0.0], [float(metric.read(point) or 0.0)], marker="●")
            plt.xlim(-1.0, 1.0)
            plt.xticks([0.0], [moments[0].strftime("%Y-%m-%d %H:%M")])
        else:
            # Sessions within a day or two are told apart by the hour; longer runs by the date.
            short = (max(moments) - min(moments)).days < 2
            plt.date_form(DATE_IN, "H:M" if short else DATE_OUT)
            for key, pts in series.items():
                dates = [stamp(p.started_at) for p in pts]
                ys = [float(metric.read(p) or 0.0) for p in pts]
                label = titles.get(key, key) if per_scenario else None
                plt.plot(dates, ys, marker="braille", label=label)
                plt.scatter(dates, ys, marker="●")
        low, high = metric.band
        band = sorted({low, high} - ({0.0} if low != high else set()))
        for line in band:
            plt.hline(line, "green")
        bottom, top = _y_range(metric, values)
        plt.ylim(bottom, top)
        # Ticks on the band's edges, so the target lines sit on labelled rows.
        ticks = sorted({float(round(bottom)), *(float(round(b)) for b in band), float(round(top))})
        plt.yticks(ticks, [f"{t:g}" for t in ticks])
        day = min(moments).strftime("%Y-%m-%d")
        short = (max(moments) - min(moments)).days < 2
        plt.xlabel(
            f"session time on {day}"
            if short and len({m.date() for m in moments}) == 1
            else "session date"
        )
        chart.display = True
        chart.refresh()

    def action_back(self) -> None:
        """Back to the history."""
        self.dismiss(None)


def _y_range(metric: Metric, values: Sequence[float]) -> tuple[float, float]:
    """The y axis: 0–100 for the pass rate; otherwise the data and the band, with some room."""
    if metric.unit == "%":
        return 0.0, 100.0
    low, high = metric.band
    bottom = min([*values, low])
    top = max([*values, high])
    room = (top - bottom) * 0.15 or 1.0
    return max(0.0, bottom - room), top + room


def _in_order(points: Sequence[TrendPoint]) -> list[str]:
    """The scenarios in POINTS, in the order they were first practised."""
    return list(dict.fromkeys(p.scenario_id for p in points))
