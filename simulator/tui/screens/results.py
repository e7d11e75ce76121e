"""Results: the checklist with evidence and tips, and the transcript with the misses marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Static

from simulator.report import StepReport
from simulator.scenario import Scenario
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.checklist import Checklist, summary
from simulator.tui.widgets.transcript_view import TranscriptView, legend


def verdict_line(scenario: Scenario, report: StepReport) -> Text:
    """`Step 1 of 2 · ✘ Needs work · 5 of 9 checks passed`."""
    out = Text(f"Step {report.index + 1} of {len(scenario.steps)} · ")
    if report.passed:
        out.append("✔ Passed", style="bold green")
    else:
        out.append("✘ Needs work", style="bold red")
    out.append(f" · {summary(report.results)}")
    if report.interrupted_at is not None:
        out.append(f" · cut off at {report.interrupted_at:.0f} s", style="yellow")
    return out


class ResultsScreen(MockcallScreen[str | None]):
    """One take's results; dismisses with "retake", "next" or "finish"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retake')", "Retake"),
        Binding("n", "choose('next')", "Next step"),
        Binding("f", "choose('finish')", "Finish"),
        Binding("escape", "choose('finish')", "Done", show=False),
    ]
    HELP = (
        "Each check shows what was heard and, when it failed, a tip. Move through the checklist "
        "to highlight a check's evidence in the transcript. **r** retakes the step, **n** goes "
        "on to the next step, **f** or **Esc** ends the session."
    )

    def __init__(self, scenario: Scenario, report: StepReport, *, last: bool) -> None:
        super().__init__()
        self.scenario = scenario
        self.report = report
        self.last = last
        """True on the scenario's last step: there is no next step, only finishing."""

    def compose(self) -> ComposeResult:
        """Verdict, checklist, then the transcript."""
        yield Static(verdict_line(self.scenario, self.report), id="results-head")
        yield Checklist(id="checklist")
        with VerticalScroll(id="transcript-box"):
            yield TranscriptView(id="transcript")
        yield Static(legend(), id="legend")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the checklist and transcript; the first (failed, if any) check is in focus."""
        checklist = self.query_one(Checklist)
        checklist.border_title = "Checklist"
        self.query_one("#transcript-box").border_title = "What you said"
        checklist.show(self.report.results)
        transcript = self.query_one(TranscriptView)
        transcript.show(self.report.transcript, self.report.results, checklist.result_at(0))
        checklist.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On the last step there is no next step to go to."""
        if action == "choose" and parameters == ("next",):
            return not self.last
        return True

    @on(OptionList.OptionHighlighted, "#checklist")
    def _focus_check(self, event: OptionList.OptionHighlighted) -> None:
        checklist = self.query_one(Checklist)
        self.query_one(TranscriptView).focus_result(checklist.result_at(event.option_index))

    def action_choose(self, choice: str) -> None:
        """Leave the results with CHOICE: retake, next or finish."""
        if choice == "next" and self.last:
            choice = "finish"
        self.dismiss(choice)
