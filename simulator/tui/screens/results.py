"""Results: the checklist with evidence and tips, and the transcript with the misses marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Static

from simulator.report import StepReport, headline
from simulator.scenario import Scenario
from simulator.store import TakeRecord
from simulator.tui.screens.replay import EvidenceReplay
from simulator.tui.widgets.checklist import MARKS, Checklist, summary
from simulator.tui.widgets.pace_curve import PaceCurve
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


def headline_text(scenario: Scenario, report: StepReport) -> Text:
    """`Returnable: name ✔ number ✘ role ✔` over `Advice: pace, 2 long pauses`."""
    top = headline(report.results, scenario.kind)
    out = Text(f"{top.heading}: ", style="bold")
    if not top.musts:
        out.append("none in this drill (every check is advice)", style="dim")
    for name, status in top.musts:
        mark, style = MARKS[status]
        out.append(f"{name} ")
        out.append(mark, style=style)
        out.append("  ")
    out.rstrip()
    out.append("\n")
    out.append(top.advice_line, style="yellow" if top.advice else "dim")
    return out


class ResultsScreen(EvidenceReplay[str | None]):
    """One take's results; dismisses with "retake", "next" or "finish"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retake')", "Retake"),
        Binding("c", "compare", "Compare", tooltip="Compare with the take before this one"),
        Binding("p", "play_evidence", "Play here", tooltip="Play the answer from this evidence"),
        Binding("n", "choose('next')", "Next step"),
        Binding("f", "choose('finish')", "Finish"),
        Binding("escape", "choose('finish')", "Done", show=False),
    ]
    HELP = (
        "The first lines say what decides the drill (the must-haves) and what is advice. "
        "Each check shows what was heard and, when it failed, a tip. Move through the checklist "
        "to highlight a check's evidence in the transcript. **p** plays your answer from that "
        "evidence (again to stop). **r** retakes the step; after a retake **c** compares it "
        "with the take before. **n** goes on to the next step, **f** or **Esc** ends the session."
    )

    def __init__(self, scenario: Scenario, report: StepReport, *, last: bool) -> None:
        super().__init__()
        self.scenario = scenario
        self.report = report
        self.last = last
        """True on the scenario's last step: there is no next step, only finishing."""

    def compose(self) -> ComposeResult:
        """Verdict, the pace curve (long answers), checklist, then the transcript."""
        yield Static(verdict_line(self.scenario, self.report), id="results-head")
        yield Static(headline_text(self.scenario, self.report), id="results-headline")
        yield PaceCurve(self.report.transcript, id="pace-curve")
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
        """On the last step there is no next step to go to; compare needs an earlier take."""
        if action == "choose" and parameters == ("next",):
            return not self.last
        if action == "compare":
            return self.previous_take() is not None
        if action == "play_evidence":
            return self.report.audio_path is not None
        return True

    def previous_take(self) -> TakeRecord | None:
        """The complete take of this step just before this one, in this session."""
        if self.report.take_id is None:
            return None
        store = self.mockcall.store
        try:
            this = store.get_take(self.report.take_id)
        except ValueError:
            return None
        earlier = [
            t
            for t in store.takes_for_step(this.session_id, this.step_index)
            if t.status == "complete" and t.attempt < this.attempt
        ]
        return earlier[-1] if earlier else None

    def action_compare(self) -> None:
        """Compare this take with the one before it."""
        from simulator.tui.screens.compare import CompareScreen

        before = self.previous_take()
        if before is None or self.report.take_id is None:
            return
        self.app.push_screen(
            CompareScreen(before, self.mockcall.store.get_take(self.report.take_id))
        )

    def action_play_evidence(self) -> None:
        """Play the answer from the highlighted check's evidence."""
        checklist = self.query_one(Checklist)
        self.replay_evidence(
            self.report.audio_path,
            self.report.transcript,
            checklist.result_at(checklist.highlighted),
        )

    @on(OptionList.OptionHighlighted, "#checklist")
    def _focus_check(self, event: OptionList.OptionHighlighted) -> None:
        checklist = self.query_one(Checklist)
        self.query_one(TranscriptView).focus_result(checklist.result_at(event.option_index))

    def action_choose(self, choice: str) -> None:
        """Leave the results with CHOICE: retake, next or finish."""
        if choice == "next" and self.last:
            choice = "finish"
        self.dismiss(choice)
