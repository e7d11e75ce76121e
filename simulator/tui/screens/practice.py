"""Practice: the interviewer speaks, you answer (aloud or typed), and the take is checked."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Footer, Static, TextArea
from textual.worker import Worker, get_current_worker

from audio.live import Caption
from audio.transcript import Segment, Word
from simulator.report import SessionReport, StepReport
from simulator.scenario import Scenario, Step
from simulator.session import Cue, Practice
from simulator.tui.messages import (
    AnswerGraded,
    CaptionUpdated,
    CueHeard,
    LevelChanged,
    SegmentTranscribed,
    SpeechFinished,
)
from simulator.tui.screens.base import MockcallScreen
from simulator.tui.widgets.elapsed import ElapsedTime, clock
from simulator.tui.widgets.level_meter import LevelMeter

PHASE_TEXT: dict[str, str] = {
    "waiting": "The interviewer keeps you waiting…",
    "speaking": "The interviewer is speaking. Space: skip to your answer.",
    "greeting": "Voicemail greeting: wait for the beep. Space: skip to your answer.",
    "loading": "Loading the speech model… recording starts as soon as it is ready.",
    "ready": "Press Space to start answering.",
    "recording": "● Recording: answer now. Space stops when you are done.",
    "grading": "Checking your answer…",
    "typing": "Type your answer, then Ctrl+S (or the Submit button).",
    "abandoning": "Stopping…",
    "leaving": "Leave this take? (it is kept, marked as left, and not graded)",
    "results": "",
}
"""The status line for each phase of a step."""


def session_saved_line(report: SessionReport) -> str:
    """`Session saved: needs work (answered 1 of 3 steps).`, worded as the CLI's report is."""
    verdict = "passed" if report.passed else "needs work"
    if not report.complete:
        return f"Session saved: {verdict} (answered {len(report.steps)} of {report.total_steps} steps)."
    passed = sum(step.passed for step in report.steps)
    return f"Session saved: {verdict} ({passed} of {len(report.steps)} steps passed)."


def answer_target(step: Step) -> float:
    """The longest answer the step's time check accepts: its max_seconds, else the step's limit."""
    from simulator.flow import answer_aim

    return answer_aim(step)


WRAP_UP_S = 30.0
"""The "30 s left" cue comes this long before the recording stops."""
HIDDEN_SCRIPT = "(The interviewer's line is hidden: listen, as on a real call. Settings shows it.)"
"""What the prompt box says when the script is hidden."""


def time_cue(elapsed: float, aim: float, limit: float) -> str:
    """The clock's cue at ELAPSED seconds: past the aim, 30 s left, or the limit reached."""
    if elapsed >= limit:
        return "Let me stop you there: that's the time."
    if limit > WRAP_UP_S * 1.5 and elapsed >= limit - WRAP_UP_S:
        return f"{int(limit - elapsed) + 1} s left: wrap up."
    if elapsed >= aim and aim < limit:
        return f"Past the {int(aim)} s aim: come to your point."
    return ""


def checklist_line(ticks: tuple[tuple[str, bool], ...]) -> Text:
    """`Must-haves: ✔ Name said   · Callback number said` for the live checklist."""
    line = Text("Must-haves: ", style="bold")
    for label, done in ticks:
        line.append(f"{'✔' if done else '·'} {label}   ", style="green" if done else "dim")
    return line


def step_heading(scenario: Scenario, index: int) -> Text:
    """`Title  step 1 of 2 · aim for 45 s or less (recording stops at 1:00)`."""
    step = scenario.steps[index]
    head = Text(scenario.title, style="bold")
    head.append(f"  step {index + 1} of {len(scenario.steps)}", style="dim")
    target = answer_target(step)
    # The prompt and the checklist judge against the check's limit, not the recording cap.
    head.append(f" · aim for {int(target)} s or less", style="dim")
    if target < step.time_limit:
        head.append(f" (recording stops at {clock(step.time_limit)})", style="dim")
    return head


class PracticeScreen(MockcallScreen[None]):
    """One session of a scenario: each step is spoken, answered, checked, then shown in Results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_recording", "Start/stop"),
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("r", "retake", "Retake"),
        Binding("t", "type_instead", "Type instead"),
        # Ctrl so it works from inside the answer box, where a plain t is typed.
        Binding("ctrl+t", "speak_instead", "Speak instead", priority=True),
        Binding("escape", "abandon", "Abandon"),
        Binding("y", "confirm_leave", "Leave take"),
        Binding("n", "cancel_leave", "Keep recording"),
    ]
    HELP = (
        "The interviewer's line is shown while it is spoken. Recording starts after it (after "
        "the beep for a voicemail). **Space** starts or stops recording, **r** starts the step "
        "over, **t** switches to typing (**Ctrl+T** back to speaking), **Ctrl+S** submits a "
        "typed answer, **Esc** abandons the session (takes already saved are kept). While you "
        "record, **Esc** or **Ctrl+Q** asks first: a take you leave is kept but not graded. "
        "The interviewer may cut in if you ramble or run long."
    )

    def __init__(self, scenario: Scenario, *, typed: bool = False) -> None:
        super().__init__()
        self.scenario = scenario
        self.typed = typed
        """True when answers are typed rather than spoken."""
        self.step_index = 0
        """The step being answered."""
        self.phase = "waiting"
        """Where the step is: waiting, speaking, greeting, loading, ready, recording, grading…"""
        self.practice: Practice | None = None
        self.reports: list[StepReport] = []
        """Every graded take of this session, in order."""
        self._stop: threading.Event | None = None
        self._started_at = 0.0
        self._ticker: Timer | None = None
        self._reveal: Timer | None = None
        self._segments: list[str] = []
        self._provisional: list[Word] = []
        """The caption's words after the final ones: shown dimmed, they may still change."""
        self._final_words: list[Word] = []
        """The final transcript's words so far."""
        self._final_until = 0.0
        self._leave: threading.Event | None = None
        self._quit_after_leave = False
        self._cue_held = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Prompt on top, then the recording (or typing) area."""
        yield Static(id="practice-head")
        with VerticalScroll(id="prompt-box"):
            yield Static(id="prompt-text")
        yield Static(id="practice-note")
        yield Static(id="practice-status")
        with Vertical(id="voice-pane"):
            with Horizontal(id="meter-row"):
                yield LevelMeter(id="level")
                yield ElapsedTime(id="elapsed")
            yield Static(id="practice-cue")
            yield Static(id="live-checks")
            with VerticalScroll(id="live-box"):
                yield Static(id="live-text")
        with Vertical(id="typed-pane"):
            yield TextArea(id="typed-answer", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="buttons"):
                yield Button("Submit answer", variant="primary", id="submit")
        yield Footer()

    def on_mount(self) -> None:
        """Open the session and start the first step."""
        app = self.mockcall
        self.practice = Practice(
            self.scenario,
            app.profile,
            app.store,
            settings=app.settings,
            transcriber=app.transcriber,
            voice=app.voice,
            recorder=app.recorder,
        )
        self.query_one("#prompt-box").border_title = self.scenario.persona.name
        self.query_one("#live-box").border_title = "What you are saying"
        self.query_one("#typed-answer", TextArea).border_title = "Your answer"
        self.watch(self.app, "model_status", self._model_status_changed, init=False)
        self.begin_step(0)

    def on_unmount(self) -> None:
        """Leaving the screen ends any recording or speech still running."""
        if self._stop is not None:
            self._stop.set()
        self.workers.cancel_node(self)

    # -- state ---------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The scenario step being answered."""
        return self.scenario.steps[self.step_index]

    def set_phase(self, phase: str) -> None:
        """Move to PHASE: its status line, the voice or typing pane, and the keys that apply."""
        self.phase = phase
        status = self.query_one("#practice-status", Static)
        status.update(PHASE_TEXT.get(phase, ""))
        status.set_class(phase == "recording", "-recording")
        self.set_class(self.typed, "-typed")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only offer the keys that make sense now: typing has no Space, speaking no Submit."""
        if action == "toggle_recording":
            return not self.typed and self.phase in (
                "waiting",
                "speaking",
                "greeting",
                "ready",
                "recording",
            )
        if action == "submit":
            return self.typed and self.phase == "typing"
        if action == "type_instead":
            return not self.typed and self.phase not in (
                "recording",
                "leaving",
                "grading",
                "abandoning",
                "results",
            )
        if action == "speak_instead":
            return self.typed and self.phase == "typing" and self.mockcall.recorder is not None
        if action == "retake":
            return self.phase not in ("abandoning", "results", "leaving")
        if action in ("confirm_leave", "cancel_leave"):
            return self.phase == "leaving"
        return True

    def begin_step(self, index: int) -> None:
        """Show step INDEX and start it: speak it, or wait for a typed answer."""
        self.step_index = index
        self.set_phase("waiting")
        step = self.step
        self.query_one("#practice-head", Static).update(step_heading(self.scenario, index))
        self.query_one("#practice-note", Static).update(
            Text(f"Tip: {step.note}", style="italic") if step.note else ""
        )
        self._segments = []
        self._final_words = []
        self._provisional = []
        self._final_until = 0.0
        self._cue_held = False
        self.query_one("#live-text", Static).update("")
        self._show_cue(None)
        self.query_one("#live-checks", Static).update("")
        self.query_one("#level", LevelMeter).level = 0.0
        elapsed = self.query_one("#elapsed", ElapsedTime)
        elapsed.limit = step.time_limit
        elapsed.aim = answer_target(step)
        elapsed.elapsed = 0.0
        self.query_one("#typed-answer", TextArea).text = ""
        self._show_prompt()
        if self.typed:
            self.set_phase("typing")
            self.query_one("#typed-answer", TextArea).focus()
            return
        # Keys go to the screen's bindings (Space, r, t), not to a hidden answer box.
        self.set_focus(None)
        if step.pause_before:
            self._set_prompt_hidden(True)
            self.set_phase("waiting")
            self._reveal = self.set_timer(step.pause_before, self._prompt_starts)
        else:
            self._prompt_starts()
        self.speak(index)

    def _prompt_starts(self) -> None:
        """The interviewer starts talking: reveal the line (after any wait)."""
        self._set_prompt_hidden(False)
        if self.phase not in ("recording", "grading", "abandoning", "loading", "typing"):
            self.set_phase("greeting" if self.step.kind == "voicemail" else "speaking")

    @property
    def is_busy(self) -> bool:
        """True while a recording or grading job is in flight."""
        return self.phase in ("recording", "grading", "abandoning", "loading")

    def _show_prompt(self) -> None:
        assert self.practice is not None
        if not self.mockcall.settings.show_script:
            self.query_one("#prompt-text", Static).update(Text(HIDDEN_SCRIPT, style="dim italic"))
            return
        text = Text(self.practice.prompt_text(self.step_index))
        if self.step.kind == "voicemail":
            text.append("\n[beep]", style="bold")
        self.query_one("#prompt-text", Static).update(text)

    def _set_prompt_hidden(self, hidden: bool) -> None:
        self.query_one("#prompt-text", Static).set_class(hidden, "-hidden")

    # -- jobs (each one core call, then a message) -------------------------------------------

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="speak",
        description="speak the interviewer's line",
    )
    def speak(self, step_index: int) -> None:
        """Say the step's prompt; a cancelled (skipped) prompt posts nothing."""
        worker = get_current_worker()
        assert self.practice is not None
        self.practice.speak(step_index, worker.cancelled_event)
        if not worker.is_cancelled:
            self.post_message(SpeechFinished(step_index))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="record",
        description="record your answer",
    )
    def record(self, step_index: int, stop: threading.Event, leave: threading.Event) -> None:
        """Record and transcribe as it comes in, then check and save the take."""
        assert self.practice is not None

        def relay_level(peak: float) -> None:
            self.post_message(LevelChanged(peak))

        def relay_segment(segment: Segment) -> None:
            self.post_message(SegmentTranscribed(segment))

        practice = self.practice
        checklist = self.mockcall.settings.live_checklist

        def relay_caption(caption: Caption) -> None:
            # Checked here, on the caption thread: the UI thread only draws the ticks.
            ticks = practice.live_ticks(step_index, caption.words) if checklist else ()
            self.post_message(CaptionUpdated(caption, ticks))

        def relay_cue(cue: Cue) -> None:
            self.post_message(CueHeard(cue))

        report = practice.record_answer(
            step_index,
            stop,
            on_level=relay_level,
            on_segment=relay_segment,
            on_caption=relay_caption,
            on_cue=relay_cue,
            leave=leave,
        )
        if not get_current_worker().is_cancelled:
            self.post_message(AnswerGraded(report))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="record",
        description="check your typed answer",
    )
    def grade_typed(self, step_index: int, text: str) -> None:
        """Check and save a typed answer."""
        assert self.practice is not None
        report = self.practice.answer_text(step_index, text)
        if not get_current_worker().is_cancelled:
            self.post_message(AnswerGraded(report))

    # -- handlers ------------------------------------------------------------------------------

    @on(SpeechFinished)
    def _speech_finished(self, message: SpeechFinished) -> None:
        if message.step_index == self.step_index and self.phase in (
            "waiting",
            "speaking",
            "greeting",
        ):
            self.start_recording()

    @on(LevelChanged)
    def _level(self, message: LevelChanged) -> None:
        if self.phase == "recording":
            self.query_one("#level", LevelMeter).level = message.peak

    @on(SegmentTranscribed)
    def _segment(self, message: SegmentTranscribed) -> None:
        if self.phase in ("recording", "grading", "leaving"):
            self._segments.append(message.segment.text.strip())
            self._final_words.extend(message.segment.words)
            self._final_until = max(self._final_until, message.segment.end)
            self._provisional = [w for w in self._provisional if w.start >= self._final_until]
            self._render_live()

    @on(CaptionUpdated)
    def _caption(self, message: CaptionUpdated) -> None:
        if self.phase not in ("recording", "grading", "leaving"):
            return
        words = message.caption.words[message.caption.final_words :]
        self._provisional = [w for w in words if w.start >= self._final_until]
        self._render_live()
        if message.ticks:
            self.query_one("#live-checks", Static).update(checklist_line(message.ticks))

    def _render_live(self) -> None:
        """Final words as they are, then the provisional ones (they may still change)."""
        text = Text(" ".join(s for s in self._segments if s))
        provisional = " ".join(w.text.strip() for w in self._provisional if w.text.strip())
        if provisional:
            text.append((" " if text.plain else "") + provisional, style="italic dim")
        self.query_one("#live-text", Static).update(text)
        self.query_one("#live-box", VerticalScroll).scroll_end(animate=False)

    @on(CueHeard)
    def _cue(self, message: CueHeard) -> None:
        cue = message.cue
        if cue.kind == "cut_in":
            who = self.scenario.persona.name
            self._show_cue(Text(f"{who} cuts in: “{cue.text}”", style="bold red"))
            self._cue_held = True
        else:
            self._show_cue(Text(cue.text, style="bold yellow"))
            self._cue_held = True
            self.notify(cue.text, title="I can't hear you", severity="warning", markup=False)

    @on(AnswerGraded)
    def _graded(self, message: AnswerGraded) -> None:
        self._stop_clock()
        if message.report.left:
            self.notify("You left the take: it is kept in Review, marked as left, not graded.")
            if self._quit_after_leave:
                if self.practice is not None:
                    self.practice.abandon()
                self.app.exit()
                return
            self._close(abandon=True)
            return
        if self.phase == "abandoning":
            self._close(abandon=True)
            return
        self.reports.append(message.report)
        self.set_phase("results")
        from simulator.tui.screens.results import ResultsScreen

        self.app.push_screen(
            ResultsScreen(self.scenario, message.report, last=self._is_last_step()),
            self._after_results,
        )

    def _after_results(self, choice: str | None) -> None:
        if choice == "retake":
            self.begin_step(self.step_index)
            return
        assert self.practice is not None
        if choice == "next":
            # The scenario's branches choose what comes next from this answer.
            following = self.practice.advance()
            if following is not None:
                self.begin_step(following)
                return
        self._close(abandon=False)

    def job_failed(self, worker: Worker[Any]) -> None:
        """A failed job falls back to a state the user can act from."""
        if worker.group == "speak":
            # No speaker: the line is on screen, so the answer can still be given.
            if self.phase in ("waiting", "speaking", "greeting"):
                if self._reveal is not None:
                    self._reveal.stop()
                self.start_recording()
            return
        self._stop_clock()
        if self.phase == "abandoning":
            self._close(abandon=True)
        elif worker.group == "record":
            if not self.typed and self.mockcall.recorder is not None:
                self.notify("You can type your answer instead: press t.", severity="warning")
            self.set_phase("typing" if self.typed else "ready")

    def _model_status_changed(self, status: str) -> None:
        if self.phase != "loading":
            return
        if status == "ready":
            self.start_recording()
        elif status == "failed":
            self._switch_to_typing("The speech model did not load, so answers are typed for now.")

    # -- recording -----------------------------------------------------------------------------

    def start_recording(self) -> None:
        """Record the answer, once the speech model is ready."""
        app = self.mockcall
        assert self.practice is not None
        if app.recorder is None:
            self._switch_to_typing("No microphone is set up, so answers are typed.")
            return
        if app.transcriber is None:
            if app.model_status == "failed":
                self._switch_to_typing("The speech model did not load, so answers are typed.")
                return
            self.notify("Loading the speech model…", timeout=3)
            self.set_phase("loading")
            return
        self.practice.with_transcriber(app.transcriber)
        self._stop = threading.Event()
        self._leave = threading.Event()
        self._set_prompt_hidden(False)
        self.set_phase("recording")
        self._started_at = time.monotonic()
        self._ticker = self.set_interval(0.25, self._tick)
        self.record(self.step_index, self._stop, self._leave)
        if app.settings.live_checklist:
            ticks = self.practice.live_ticks(self.step_index, ())
            if ticks:
                self.query_one("#live-checks", Static).update(checklist_line(ticks))

    def _tick(self) -> None:
        elapsed = self.query_one("#elapsed", ElapsedTime)
        seconds = time.monotonic() - self._started_at
        elapsed.elapsed = min(seconds, self.step.time_limit)
        cue = time_cue(seconds, answer_target(self.step), self.step.time_limit)
        if cue and not self._cue_held:
            self._show_cue(Text(cue, style="bold yellow"))

    def _show_cue(self, text: Text | None) -> None:
        """The interviewer's or the clock's cue under the timer; no line at all when none."""
        line = self.query_one("#practice-cue", Static)
        line.update(text or "")
        line.display = text is not None

    def _stop_clock(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.query_one("#level", LevelMeter).level = 0.0

    def _switch_to_typing(self, why: str) -> None:
        self.notify(why, severity="warning", markup=False)
        self.typed = True
        self.set_phase("typing")
        self.query_one("#typed-answer", TextArea).focus()

    # -- actions -------------------------------------------------------------------------------

    def action_toggle_recording(self) -> None:
        """Space: skip the prompt, start recording, or stop recording."""
        if self.phase in ("waiting", "speaking", "greeting"):
            if self._reveal is not None:
                self._reveal.stop()
            self.workers.cancel_group(self, "speak")
            self.start_recording()
        elif self.phase == "ready":
            self.start_recording()
        elif self.phase == "recording" and self._stop is not None:
            self._stop.set()
            self.set_phase("grading")

    def action_submit(self) -> None:
        """Check the typed answer."""
        if not (self.typed and self.phase == "typing"):
            return
        text = self.query_one("#typed-answer", TextArea).text.strip()
        if not text:
            self.notify("Type an answer first.", severity="warning")
            return
        self.set_phase("grading")
        self.grade_typed(self.step_index, text)

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    def action_retake(self) -> None:
        """Start the step over: whatever is running is stopped and its result set aside."""
        self._cancel_jobs()
        self.begin_step(self.step_index)

    def action_type_instead(self) -> None:
        """Answer this step (and the next ones) by typing."""
        if self.typed or (self.is_busy and self.phase != "loading"):
            return
        self._cancel_jobs()
        self.typed = True
        self.begin_step(self.step_index)

    def action_speak_instead(self) -> None:
        """Answer this step (and the next ones) aloud."""
        if not self.typed or self.phase != "typing" or self.mockcall.recorder is None:
            return
        self.typed = False
        self.begin_step(self.step_index)

    def action_abandon(self) -> None:
        """Esc: leave the session; while recording it asks first (the take is kept, not graded)."""
        if self.phase == "recording":
            self.ask_to_leave()
            return
        if self.phase == "leaving":
            self.action_cancel_leave()
            return
        if self.phase == "grading" and self._stop is not None:
            self._stop.set()
            self.set_phase("abandoning")
            return
        if self.phase == "abandoning":
            return
        self._cancel_jobs()
        self._close(abandon=True)

    @property
    def is_recording(self) -> bool:
        """True while an answer is being recorded (leaving it asks first)."""
        return self.phase in ("recording", "leaving")

    def ask_to_leave(self, *, then_quit: bool = False) -> None:
        """Esc or Ctrl+Q while recording: ask before leaving; recording goes on meanwhile."""
        if self.phase == "leaving" and then_quit:
            # Ctrl+Q twice: the answer to the question is yes.
            self._quit_after_leave = True
            self.action_confirm_leave()
            return
        self._quit_after_leave = then_quit
        self.set_phase("leaving")
        self.query_one("#practice-status", Static).update(
            Text(
                "Leave this take? y: leave (it is kept, marked as left, not graded) · "
                "n: keep recording",
                style="bold yellow",
            )
        )

    def action_confirm_leave(self) -> None:
        """y: leave the take; it is kept and marked as left."""
        if self.phase != "leaving" or self._stop is None or self._leave is None:
            return
        self._leave.set()
        self._stop.set()
        self.set_phase("abandoning")

    def action_cancel_leave(self) -> None:
        """n (or Esc again): keep recording."""
        if self.phase == "leaving":
            self._quit_after_leave = False
            self.set_phase("recording")

    def _cancel_jobs(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._reveal is not None:
            self._reveal.stop()
        self._stop_clock()
        self.workers.cancel_group(self, "speak")
        self.workers.cancel_group(self, "record")

    def _is_last_step(self) -> bool:
        if self.practice is not None and self.practice.answered:
            return self.practice.next_index() is None
        return self.step_index + 1 >= len(self.scenario.steps)

    def _close(self, *, abandon: bool) -> None:
        """End the session in the history and go back to the library."""
        assert self.practice is not None
        if abandon:
            self.practice.abandon()
            if self.reports:
                self.notify("Session ended; your takes are saved in Review.")
        elif self.reports:
            report = self.practice.finish()
            self.notify(
                session_saved_line(report),
                severity="information" if report.passed else "warning",
            )
        self.dismiss(None)
