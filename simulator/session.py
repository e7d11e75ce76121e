"""One practice session, step by step: speak, take an answer (voice, file or text), grade, save.

The CLI's `run` and the TUI's workers drive the same Practice object; each blocking method is one
call a worker makes before posting a message.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from audio.prosody import Prosody
from audio.transcript import Segment, Transcript
from simulator.checks.base import CheckResult
from simulator.errors import UserError
from simulator.grading import grade_step
from simulator.profile import Profile
from simulator.report import SessionReport, StepReport
from simulator.safe_io import os_reason, terminal_safe
from simulator.scenario import Persona, Scenario
from simulator.settings import Settings
from simulator.store import HistoryBusy, Store

LevelCallback = Callable[[float], None]
"""Receives the input's peak level as a linear 0..1 value, about 20 times a second."""
SegmentCallback = Callable[[Segment], None]


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
        self._latest: dict[int, StepReport] = {}
        # The newest take begun for each step: an older one (set aside by a retake) that
        # finishes later never replaces its result.
        self._newest: dict[int, int] = {}
        self._set_aside: set[int] = set()
        self.notices: list[str] = []
        """Notes for the user given while no other notify callback was set."""
        self.notify: Callable[[str], None] = self.notices.append
        """Receives one-line notes for the user (a report kept aside while the history was busy)."""

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
    ) -> StepReport:
        """Record from the microphone while transcribing incrementally; grade and save the take."""
        from audio.transcribe import IncrementalTranscriber

        if self.recorder is None:
            raise RuntimeError("this practice session was built without a recorder")
        transcriber = self._require_transcriber()
        step = self.scenario.steps[step_index]
        session_id = self._session()
        audio_path = self.store.recording_path(session_id, step_index)
        take_id = self._begin_take(session_id, step_index, audio_path)
        incremental = IncrementalTranscriber(transcriber, prompt=self._prompt_for_asr())

        def on_audio(block: Any) -> None:
            for segment in incremental.feed(block):
                if on_segment is not None:
                    on_segment(segment)

        try:
            recording = self.recorder.record(
                audio_path,
                time_limit=step.time_limit,
                stop=stop,
                on_level=on_level,
                on_audio=on_audio,
            )
            if self._newest.get(step_index) != take_id or take_id in self._set_aside:
                # A retake began while this one was recording: it is set aside, untranscribed.
                incremental.cancel()
                self.store.interrupt_take(take_id)
                return StepReport(step_index, self.prompt_text(step_index),
                                  Transcript.from_text(""), (), audio_path, take_id)  # fmt: skip
            transcript = self._verified(audio_path, incremental.finish())
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
        prosody = _measure_file(recording.path)
        return self._grade_and_save(step_index, take_id, transcript, recording, prosody)

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
        if current is not None and current not in {r.take_id for r in self._latest.values()}:
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
        return self._grade_and_save(step_index, take_id, transcript, recording, prosody)

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
        )
        # The latest attempt's result stands, whichever attempt finishes last.
        current = self._latest.get(step_index)
        if current is None or current.take_id is None or current.take_id <= take_id:
            self._latest[step_index] = report
        return report

    def _listen_back(self, result: CheckResult, step_index: int) -> CheckResult:
        """An unsettled result's tip: the command that plays the moment to listen to."""
        if result.unsettled_at is None or self.session_id is None:
            return result
        at = int(result.unsettled_at)
        command = f"mockcall play {self.session_id} --step {step_index + 1} --at {at}"
        return replace(result, tip=f"Listen back: {command}. {result.tip}".strip())

    # -- the end -----------------------------------------------------------------------------

    def finish(self) -> SessionReport:
        """Close the session: the latest take of each answered step makes the report."""
        steps = tuple(self._latest[i] for i in sorted(self._latest))
        report = SessionReport(
            self.scenario.id,
            self.scenario.title,
            steps,
            self.session_id,
            len(self.scenario.steps),
            self.scenario.kind,
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

    def abandon(self) -> None:
        """Mark the session abandoned (its saved takes are kept)."""
        if self.session_id is not None and not self._latest:
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


def _measure_file(path: Path) -> Prosody | None:
    """The same for a take on disk."""
    from audio.dsp import read_audio
    from audio.errors import AudioError

    try:
        samples, rate = read_audio(path)
    except AudioError:
        return None
    if rate != 16000:
        return None
    return _measure(samples)


__all__ = [
    "AnswerRecorder",
    "AnswerTranscriber",
    "Practice",
    "PromptVoice",
    "Recording",
]
