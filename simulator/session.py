"""One practice session, step by step: speak, take an answer (voice, file or text), grade, save.

The CLI's `run` and the TUI's workers drive the same Practice object; each blocking method is one
call a worker makes before posting a message.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from audio.prosody import Prosody
from audio.transcript import Segment, Transcript
from simulator.checks.base import CheckResult
from simulator.errors import UserError
from simulator.flow import MAX_VISITS, cut_in_time, cut_off, next_step
from simulator.grading import grade_step
from simulator.profile import Profile
from simulator.report import SessionReport, StepReport
from simulator.safe_io import os_reason, terminal_safe
from simulator.scenario import Persona, Scenario
from simulator.settings import Settings
from simulator.store import HistoryBusy, Store

if TYPE_CHECKING:
    from audio.live import Caption

LevelCallback = Callable[[float], None]
"""Receives the input's peak level as a linear 0..1 value, about 20 times a second."""
SegmentCallback = Callable[[Segment], None]
CaptionCallback = Callable[["Caption"], None]
"""Receives the live caption (final words, then provisional ones) about once a second."""
CueCallback = Callable[["Cue"], None]
"""Receives what the interviewer does or says during an answer (a cut-in, "I can't hear you")."""

LIVE_CHECKS = frozenset(
    ("says_name", "says_phone", "says_email", "mentions_role", "keywords", "repeats_contact")
)
"""The must-haves the live checklist ticks as they are said."""
HEARING_CHECK_S = 4.0
"""An input still silent (or delivering nothing) this long into an answer gets a cue."""
SILENT_PEAK = 0.003
"""A peak below this (about -50 dBFS) is a muted or dead microphone, not a quiet room."""


@dataclass(frozen=True)
class Cue:
    """Something the interviewer does during an answer."""

    kind: str
    """cut_in (they interrupt), cant_hear (silent input) or no_input (nothing arrives)."""
    text: str
    """What they say, or what to fix."""
    at: float
    """Seconds into the answer."""


@dataclass(frozen=True)
class Recording:
    """A finished microphone take."""

    path: Path
    """The take's WAV file."""
    duration: float
    """Seconds of audio recorded."""
    overflows: int = 0
    """Input overflows PortAudio reported (lost blocks)."""
    ended_by: str = "stop"
    """Why recording stopped: stop, time_limit, silence or device_stopped."""


class PromptVoice(Protocol):
    """Speaks the interviewer's lines."""

    def speak(self, text: str, persona: Persona, *, voicemail: bool, stop: threading.Event) -> None:
        """Say TEXT in the persona's voice (then a beep for a voicemail greeting); block until done."""


class AnswerRecorder(Protocol):
    """Records an answer from the microphone into a WAV file."""

    def record(
        self,
        out: Path,
        *,
        time_limit: float,
        stop: threading.Event,
        on_level: LevelCallback | None = None,
        on_audio: Callable[[Any], None] | None = None,
    ) -> Recording:
        """Record until STOP is set, the time limit, or trailing silence; return the take."""


class AnswerTranscriber(Protocol):
    """Turns answer audio into a timed transcript, in one go or as it is recorded."""

    engine: str
    model_name: str

    def transcribe(self, audio: Any, *, prompt: str | None = None) -> Transcript:
        """Transcribe a whole file or 16 kHz float32 array."""


class Practice:
    """A session in progress: takes are saved as they happen, so nothing is lost on a crash."""

    def __init__(
        self,
        scenario: Scenario,
        profile: Profile,
        store: Store,
        *,
        settings: Settings | None = None,
        transcriber: AnswerTranscriber | None = None,
        voice: PromptVoice | None = None,
        recorder: AnswerRecorder | None = None,
    ) -> None:
        self.scenario = scenario
        self.profile = profile
        self.store = store
        self.settings = settings or Settings()
        self.transcriber = transcriber
        self.voice = voice
        self.recorder = recorder
        self.session_id: int | None = None
        # The newest take begun for each step: an older one (set aside by a retake) that
        # finishes later never replaces its result.
        self._newest: dict[int, int] = {}
        self._set_aside: set[int] = set()
        self.notices: list[str] = []
        """Notes for the user given while no other notify callback was set."""
        self.notify: Callable[[str], None] = self.notices.append
        """Receives one-line notes for the user (a report kept aside while the history was busy)."""
        self._done: list[StepReport] = []
        """The answered steps the conversation has moved on from, in the order taken."""
        self._current: StepReport | None = None
        """The latest take of the step being answered (a retake replaces it)."""
        self._visits: dict[int, int] = {}

    # -- the interviewer -------------------------------------------------------------------

    def prompt_text(self, step_index: int) -> str:
        """The interviewer's line for a step, with the profile filled in."""
        return self.scenario.steps[step_index].render_prompt(self.profile)

    def speak(self, step_index: int, stop: threading.Event) -> None:
        """Wait the step's pause, then say its prompt (a no-op without a voice)."""
        # Without a voice (answers from files, --no-voice) there is nobody to keep you waiting.
        if self.voice is None:
            return
        step = self.scenario.steps[step_index]
        if step.pause_before and stop.wait(step.pause_before):
            return
        self.voice.speak(
            self.prompt_text(step_index),
            self.scenario.persona,
            voicemail=step.kind == "voicemail",
            stop=stop,
        )

    # -- answers ---------------------------------------------------------------------------

    def _session(self) -> int:
        if self.session_id is None:
            self.session_id = self.store.start_session(
                self.scenario.id,
                self.scenario.title,
                self.scenario.kind,
                self.transcriber.engine if self.transcriber else "text",
                self.transcriber.model_name if self.transcriber else "",
                json.dumps(asdict(self.profile)),
            )
        return self.session_id

    def _prompt_for_asr(self) -> str:
        from audio.transcribe import build_prompt

        return build_prompt(self.profile.name, self.profile.role, self.profile.company)

    def _verified(self, audio: Any, transcript: Transcript) -> Transcript:
        """The transcript with the profile's name and number checked against the audio.

        Only engines that can score text against audio (faster-whisper) do this; with others
        the checks go by the transcript's text alone.
        """
        verify = getattr(self.transcriber, "verify", None)
        if verify is None or not transcript.words:
            return transcript
        from simulator.checks.contact import audio_expectations

        expect = audio_expectations(self.profile)
        if not (expect.name or expect.phone_digits):
            return transcript
        checked: Transcript = verify(audio, transcript, expect)
        return checked

    def _require_transcriber(self) -> AnswerTranscriber:
        if self.transcriber is None:
            raise RuntimeError("this practice session was built without a transcriber")
        return self.transcriber

    def record_answer(
        self,
        step_index: int,
        stop: threading.Event,
        *,
        on_level: LevelCallback | None = None,
        on_segment: SegmentCallback | None = None,
        on_caption: CaptionCallback | None = None,
        on_cue: CueCallback | None = None,
        leave: threading.Event | None = None,
    ) -> StepReport:
        """Record from the microphone while transcribing incrementally; grade and save the take.

        While recording, live captions go to ON_CAPTION, the step's cut-in is spoken over the
        recording when it fires (the take keeps recording until the line is said, plus its
        grace), and a silent or dead input gets a "can't hear you" cue. When LEAVE is set
        (with STOP), the take is kept but marked as left and not graded.
        """
        from audio.transcribe import IncrementalTranscriber

        if self.recorder is None:
            raise RuntimeError("this practice session was built without a recorder")
        transcriber = self._require_transcriber()
        step = self.scenario.steps[step_index]
        session_id = self._session()
        audio_path = self.store.recording_path(session_id, step_index)
        take_id = self._begin_take(session_id, step_index, audio_path)
        incremental = IncrementalTranscriber(transcriber, prompt=self._prompt_for_asr())
        live = _LiveAnswer(
            self,
            step_index,
            stop,
            on_caption=on_caption,
            on_cue=on_cue,
            final_busy=lambda: incremental.busy,
        )

        def on_audio(block: Any) -> None:
            finished = incremental.feed(block)
            live.feed(block, finished)
            for segment in finished:
                if on_segment is not None:
                    on_segment(segment)

        try:
            try:
                recording = self.recorder.record(
                    audio_path,
                    time_limit=step.time_limit,
                    stop=stop,
                    on_level=on_level,
                    on_audio=on_audio,
                )
            finally:
                live.close()
            if leave is not None and leave.is_set():
                incremental.cancel()
                self.store.leave_take(take_id, recording.duration)
                return StepReport(
                    index=step_index,
                    prompt=self.prompt_text(step_index),
                    transcript=Transcript("", (), True, recording.duration),
                    results=(),
                    audio_path=recording.path,
                    take_id=take_id,
                    step_id=self.scenario.step_id(step_index),
                    left=True,
                )
            if self._newest.get(step_index) != take_id or take_id in self._set_aside:
                # A retake began while this one was recording: it is set aside, untranscribed.
                incremental.cancel()
                self.store.interrupt_take(take_id)
                return StepReport(step_index, self.prompt_text(step_index),
                                  Transcript.from_text(""), (), audio_path, take_id)  # fmt: skip
            transcript = incremental.finish()
            # Read the finished take once: the name/number check and the prosody both need it.
            samples = _read_take(audio_path)
            transcript = self._verified(audio_path if samples is None else samples, transcript)
        except KeyboardInterrupt:
            # Ctrl+C: the transcriber thread is stopped (a thread left inside CTranslate2 at
            # exit aborts the process) and the take kept with its audio, to transcribe later.
            incremental.cancel()
            self.store.interrupt_take(take_id)
            raise
        except BaseException:
            # The transcriber thread would otherwise wait for audio forever.
            incremental.cancel()
            self.store.abandon_take(take_id)
            raise
        prosody = None if samples is None else _measure(samples)
        if live.cut_in_at is not None:
            recording = Recording(recording.path, recording.duration, recording.overflows, "cut_in")
        return self._grade_and_save(
            step_index, take_id, transcript, recording, prosody, interrupted_at=live.cut_in_at
        )

    def _begin_take(self, session_id: int, step_index: int, audio_path: Path | None) -> int:
        take_id = self.store.begin_take(
            session_id, step_index, self.prompt_text(step_index), audio_path
        )
        self._newest[step_index] = max(take_id, self._newest.get(step_index, 0))
        return take_id

    def set_aside(self, step_index: int) -> None:
        """A retake of STEP_INDEX is starting: the take being recorded for it stops being
        transcribed once its recording ends, and its audio is kept as an interrupted take."""
        current = self._newest.get(step_index)
        if current is not None and current not in {r.take_id for r in self.answered}:
            self._set_aside.add(current)

    def answer_file(self, step_index: int, path: Path) -> StepReport:
        """Take an answer from an audio file in any common format; see answer_audio."""
        from audio.transcribe import load_audio

        return self.answer_audio(step_index, load_audio(path))

    def answer_audio(self, step_index: int, samples: Any) -> StepReport:
        """Take an answer as 16 kHz mono samples (kept in the history), grade and save it."""
        from audio.dsp import write_wav

        transcriber = self._require_transcriber()
        session_id = self._session()
        audio_path = self.store.recording_path(session_id, step_index)
        try:
            write_wav(audio_path, samples, 16000)
            audio_path.chmod(0o600)  # a take is personal, whatever the umask
        except OSError as exc:
            # write_wav leaves no partial file; nothing was saved for this take yet.
            raise UserError(f"cannot save the take to {audio_path}: {os_reason(exc)}") from None
        take_id = self._begin_take(session_id, step_index, audio_path)
        try:
            transcript = transcriber.transcribe(samples, prompt=self._prompt_for_asr())
            transcript = self._verified(samples, transcript)
        except BaseException:
            self.store.abandon_take(take_id)
            raise
        recording = Recording(audio_path, len(samples) / 16000, 0, "file")
        prosody = _measure(samples)
        # The interviewer judges the file on its own timeline, as they would a live answer, and
        # a cut-in ends the answer there: what comes after it was never heard.
        decision = cut_in_time(
            self.scenario.steps[step_index],
            transcript.words,
            transcript.duration or recording.duration,
            self.profile,
        )
        if decision is not None:
            transcript = cut_off(transcript, decision.at)
            recording = Recording(audio_path, decision.at, 0, "cut_in")
        return self._grade_and_save(
            step_index,
            take_id,
            transcript,
            recording,
            prosody,
            interrupted_at=decision.at if decision else None,
        )

    def answer_text(self, step_index: int, text: str) -> StepReport:
        """Take a typed answer, grade and save it (timing checks are skipped)."""
        # The answer is shown again in reports and the app: no escape code survives into them.
        text = terminal_safe(text)
        session_id = self._session()
        take_id = self._begin_take(session_id, step_index, None)
        return self._grade_and_save(step_index, take_id, Transcript.from_text(text), None)

    def _grade_and_save(
        self,
        step_index: int,
        take_id: int,
        transcript: Transcript,
        recording: Recording | None,
        prosody: Prosody | None = None,
        *,
        interrupted_at: float | None = None,
    ) -> StepReport:
        results = grade_step(
            self.scenario,
            step_index,
            transcript,
            self.profile,
            defaults=self.settings.general_check_defaults(),
            prosody=prosody,
        )
        results = tuple(self._listen_back(r, step_index) for r in results)
        duration = recording.duration if recording else None
        overflows = recording.overflows if recording else 0
        ended_by = recording.ended_by if recording else "typed"
        try:
            self.store.complete_take(
                take_id, transcript, results, duration, overflows=overflows, ended_by=ended_by
            )
        except HistoryBusy:
            # Another program holds the database: the graded report waits beside the WAV and
            # goes in at the next start (Store.merge_pending_reports).
            kept = self.store.keep_pending_report(
                self.store.get_take(take_id), transcript, results, duration,
                overflows, ended_by,
            )  # fmt: skip
            self.notify(
                f"the history database is busy (another program holds its lock); this take's "
                f"report is kept in {kept} and goes into the history at the next start"
            )
        report = StepReport(
            index=step_index,
            prompt=self.prompt_text(step_index),
            transcript=transcript,
            results=results,
            audio_path=recording.path if recording else None,
            take_id=take_id,
            step_id=self.scenario.step_id(step_index),
            interrupted_at=interrupted_at,
        )
        current = self._current
        if current is not None and current.index == step_index and (current.take_id or 0) > take_id:
            # The latest attempt's result stands, whichever attempt finishes last.
            return report
        if self._current is not None and self._current.index != step_index:
            # Answering another step without advance() (the CLI's linear runs): move on.
            self._done.append(self._current)
        self._current = report
        return report

    def _listen_back(self, result: CheckResult, step_index: int) -> CheckResult:
        """An unsettled result's tip: the command that plays the moment to listen to."""
        if result.unsettled_at is None or self.session_id is None:
            return result
        at = int(result.unsettled_at)
        command = f"mockcall play {self.session_id} --step {step_index + 1} --at {at}"
        return replace(result, tip=f"Listen back: {command}. {result.tip}".strip())

    # -- live feedback -----------------------------------------------------------------------

    def live_ticks(self, step_index: int, words: tuple[Any, ...]) -> tuple[tuple[str, bool], ...]:
        """The step's must-have checks (name, number, role…) on the words heard so far."""
        from simulator.checks import REGISTRY, CheckContext
        from simulator.flow import prefix_transcript

        step = self.scenario.steps[step_index]
        specs = [s for s in step.checks if s.id in LIVE_CHECKS and not s.optional]
        if not specs:
            return ()
        ctx = CheckContext(
            prefix_transcript(words, len(words)),
            self.profile,
            step.time_limit,
            step.render_prompt(self.profile),
            self.scenario.kind,
        )
        out: list[tuple[str, bool]] = []
        for spec in specs:
            check = REGISTRY[spec.id]
            result = check.func(ctx, check.params.model_validate(spec.params))
            out.append((result.label or check.label, result.status == "pass"))
        return tuple(out)

    # -- the path ----------------------------------------------------------------------------

    def next_index(self) -> int | None:
        """The step the conversation goes to after the current answer (None: it is over)."""
        if self._current is None:
            return 0 if not self._done else None
        report = self._current
        visits = self._visits.get(report.index, 0) + 1
        if visits >= MAX_VISITS and self._loops_back(report):
            return None
        return next_step(
            self.scenario,
            report.index,
            report.results,
            interrupted=report.interrupted_at is not None,
        )

    def _loops_back(self, report: StepReport) -> bool:
        target = next_step(
            self.scenario,
            report.index,
            report.results,
            interrupted=report.interrupted_at is not None,
        )
        return target is not None and self._visits.get(target, 0) + 1 >= MAX_VISITS

    def advance(self) -> int | None:
        """Move on from the current answer; return the next step's index (None: the end)."""
        following = self.next_index()
        if self._current is not None:
            self._visits[self._current.index] = self._visits.get(self._current.index, 0) + 1
            self._done.append(self._current)
            self._current = None
        return following

    @property
    def answered(self) -> list[StepReport]:
        """Every answer the conversation has taken so far, in order."""
        return self._done + ([self._current] if self._current is not None else [])

    # -- the end -----------------------------------------------------------------------------

    def finish(self) -> SessionReport:
        """Close the session: the latest take of each answered step, in the order taken."""
        steps = tuple(self.answered)
        ended = bool(steps) and (
            self.next_index() is None if self._current is not None else self._ended_after_done()
        )
        report = SessionReport(
            self.scenario.id,
            self.scenario.title,
            steps,
            self.session_id,
            len(self.scenario.steps),
            self.scenario.kind,
            reached_end=ended,
            path=tuple(s.step_id for s in steps),
        )
        if self.session_id is not None:
            try:
                self.store.finish_session(self.session_id, report.passed)
            except HistoryBusy:
                kept = self.store.keep_pending_finish(self.session_id, report.passed)
                self.notify(
                    f"the history database is busy; the session's verdict is kept in {kept} "
                    "and goes into the history at the next start"
                )
        return report

    def _ended_after_done(self) -> bool:
        last = self._done[-1]
        return (
            next_step(
                self.scenario, last.index, last.results, interrupted=last.interrupted_at is not None
            )
            is None
        )

    def abandon(self) -> None:
        """Mark the session abandoned (its saved takes are kept)."""
        if self.session_id is not None and not self.answered:
            self.store.abandon_session(self.session_id)
        elif self.session_id is not None:
            self.finish()

    def with_transcriber(self, transcriber: AnswerTranscriber) -> Practice:
        """The same session with a (newly loaded) transcriber."""
        self.transcriber = transcriber
        return self


def _measure(samples: Any) -> Prosody | None:
    """Pitch and loudness of 16 kHz answer samples for the coaching checks (about 6 ms per s)."""
    from audio.prosody import measure

    try:
        return measure(samples, 16000)
    except (ValueError, MemoryError):
        # Coaching is advice: an answer it cannot measure is still graded on everything else.
        return None


def _read_take(path: Path) -> Any:
    """A finished take's 16 kHz samples, or None when its file cannot be read back (coaching is
    then skipped; the verification, if any, reports the problem itself)."""
    from audio.errors import AudioError
    from audio.transcribe import load_audio

    try:
        return load_audio(path)
    except AudioError:
        return None


__all__ = [
    "AnswerRecorder",
    "Cue",
    "AnswerTranscriber",
    "Practice",
    "PromptVoice",
    "Recording",
]


class _LiveAnswer:
    """The interviewer listening to a live answer: captions, the cut-in, the hearing check.

    feed() runs in the recorder's writer thread, so it only does cheap bookkeeping; decoding
    runs on the LiveCaptioner's thread and the cut-in is spoken on a thread of its own.
    """

    def __init__(
        self,
        practice: Practice,
        step_index: int,
        stop: threading.Event,
        *,
        on_caption: CaptionCallback | None,
        on_cue: CueCallback | None,
        final_busy: Callable[[], bool] | None = None,
    ) -> None:
        from audio.live import LiveCaptioner

        self.practice = practice
        self.step = practice.scenario.steps[step_index]
        self.stop = stop
        self.on_caption = on_caption
        self.on_cue = on_cue
        self.cut_in_at: float | None = None
        """Where the cut-in fired on the answer's timeline, once it has."""
        self.fired_wall: float | None = None
        """time.monotonic() when the cut-in was decided (for the latency benchmark)."""
        self.voice_started: float | None = None
        """time.monotonic() when the cut-in started playing."""
        self._lock = threading.Lock()
        self._samples = 0
        self._loud = False
        self._started = time.monotonic()
        self._heard_cue = False
        self._words: tuple[Any, ...] = ()
        self._voice_stop = threading.Event()
        self._voice_thread: threading.Thread | None = None
        self._prepared: Any = None
        cut_in = self.step.cut_in
        needs_words = cut_in is not None and (
            cut_in.rambling_words is not None or cut_in.on_check is not None
        )
        self._captioner: LiveCaptioner | None = None
        transcriber = practice.transcriber
        if transcriber is not None and (on_caption is not None or needs_words):
            self._captioner = LiveCaptioner(
                transcriber,
                self._caption,
                prompt=practice._prompt_for_asr(),
                final_busy=final_busy,
            )
        if cut_in is not None and practice.voice is not None:
            # Rendered now, so the line starts the moment it fires, not after synthesis.
            threading.Thread(target=self._prepare, name="cut-in-render", daemon=True).start()
        self._closed = threading.Event()
        """Set when the recording is over, however it ended: the hearing check stops."""
        self._watchdog = threading.Thread(target=self._watch_input, name="hearing", daemon=True)
        self._watchdog.start()

    @property
    def heard(self) -> float:
        """Seconds of audio recorded so far."""
        with self._lock:
            return self._samples / 16000

    def feed(self, block: Any, finished: list[Segment]) -> None:
        """A recorded block (and any final segments it completed)."""
        import numpy as np

        samples = np.asarray(block).reshape(-1)
        with self._lock:
            self._samples += len(samples)
            if len(samples) and float(np.max(np.abs(samples))) >= SILENT_PEAK:
                self._loud = True
        if self._captioner is not None:
            if finished:
                self._captioner.add_final(finished)
            self._captioner.feed(samples)
        self._consider(self._words)

    def close(self) -> None:
        """The recording is over: stop decoding, let a cut-in finish its line."""
        # A recording that failed never sets STOP: the hearing check must end all the same.
        self._closed.set()
        self._watchdog.join(1)
        if self._captioner is not None:
            self._captioner.close()
        thread = self._voice_thread
        if thread is not None:
            thread.join(30)

    # -- captions and the cut-in -----------------------------------------------------------

    def _caption(self, caption: Caption) -> None:
        self._words = caption.words
        if self.on_caption is not None:
            self.on_caption(caption)
        self._consider(caption.words)

    def _consider(self, words: tuple[Any, ...]) -> None:
        if self.step.cut_in is None or self.cut_in_at is not None or self.stop.is_set():
            return
        decision = cut_in_time(self.step, words, self.heard, self.practice.profile)
        if decision is None:
            return
        with self._lock:
            if self.cut_in_at is not None:
                return
            self.cut_in_at = decision.at
            self.fired_wall = time.monotonic()
        text = self.step.cut_in.render(self.practice.profile)
        if self.on_cue is not None:
            self.on_cue(Cue("cut_in", text, decision.at))
        self._voice_thread = threading.Thread(
            target=self._say, args=(text,), name="cut-in", daemon=True
        )
        self._voice_thread.start()

    def _prepare(self) -> None:
        assert self.step.cut_in is not None
        prepare = getattr(self.practice.voice, "prepare", None)
        if prepare is not None:
            try:
                self._prepared = prepare(
                    self.step.cut_in.render(self.practice.profile), self.practice.scenario.persona
                )
            except Exception:
                self._prepared = None  # spoken the slow way when it fires

    def _say(self, text: str) -> None:
        """Speak the cut-in over the recording, then end the take after its grace."""
        assert self.step.cut_in is not None
        voice = self.practice.voice
        try:
            self.voice_started = time.monotonic()
            if self._prepared is not None:
                self._prepared.play(self._voice_stop)
            elif voice is not None:
                voice.speak(
                    text, self.practice.scenario.persona, voicemail=False, stop=self._voice_stop
                )
        except Exception:
            pass  # no speaker: the line is on screen, and the answer still ends
        finally:
            self.stop.wait(self.step.cut_in.grace)
            self.stop.set()

    # -- the hearing check -----------------------------------------------------------------

    def _watch_input(self) -> None:
        """Say "I can't hear you" once, early, when the input is silent or nothing arrives."""
        while not self.stop.wait(0.2) and not self._closed.is_set():
            elapsed = time.monotonic() - self._started
            with self._lock:
                heard, loud = self._samples / 16000, self._loud
            if loud:
                return
            if heard >= HEARING_CHECK_S:
                self._hearing_cue("cant_hear", heard)
                return
            if elapsed >= HEARING_CHECK_S and heard < 1.0:
                self._hearing_cue("no_input", heard)
                return

    def _hearing_cue(self, kind: str, at: float) -> None:
        device = self.practice.settings.input_device or "the system default input"
        if kind == "no_input":
            text = (
                f"I can't hear you: no sound is arriving from the microphone ({device}). "
                "Check it is plugged in, or choose another input in Settings "
                "(mockcall devices lists them)."
            )
        else:
            text = (
                f"I can't hear you: the microphone ({device}) is silent. Check it is not muted "
                "and its input level is up, or choose another input in Settings."
            )
        if self.on_cue is not None:
            self.on_cue(Cue(kind, text, at))
