"""Local Whisper transcription: two engines behind one small interface, plus a live mode."""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from audio.models import AudioModelError, openai_checkpoint, resolve_model
from audio.transcript import Segment, Transcript, Word

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "DISFLUENCY_PROMPT",
    "SAMPLE_RATE",
    "Engine",
    "FasterWhisperTranscriber",
    "IncrementalTranscriber",
    "OpenAIWhisperTranscriber",
    "Transcriber",
    "build_prompt",
    "load_audio",
    "make_transcriber",
]

SAMPLE_RATE = 16000
"""The sample rate Whisper works at; arrays passed in must already be at this rate."""

DISFLUENCY_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
"""A prompt in the style of a verbatim transcript, so Whisper keeps more "um"s and "like"s."""

Engine = Literal["faster-whisper", "openai-whisper"]
"""The transcription engines mockcall can run."""

# Whisper's beam search defaults, used by both engines so their results are comparable.
_BEAM_SIZE = 5
# Prompted tiny.en sometimes appends an outro ("Thank you.", "see you next time") after the last
# word, as a segment whose words are squeezed into a few hundredths of a second. Real speech
# needs well over this much time per word, so such segments are dropped.
_MIN_SECONDS_PER_WORD = 0.08


class Transcriber(Protocol):
    """Anything that turns an answer's audio into a timed transcript."""

    engine: str
    """Engine name, e.g. "faster-whisper"."""
    model_name: str
    """The model setting or path the engine runs."""

    def transcribe(
        self, audio: Path | NDArray[np.float32], *, prompt: str | None = None
    ) -> Transcript:
        """Transcribe a file or 16 kHz float32 mono samples; no speech gives an empty transcript."""
        ...


def build_prompt(name: str | None, role: str | None = None, company: str | None = None) -> str:
    """Prompt that primes Whisper with the speaker's name, target role and company, and fillers.

    The profile words make Whisper spell the user's name and role as the checks expect. The
    verbatim-style fillers come last, where they sway the decoder most, so more "um"s are kept.
    """
    profile = ""
    if name and name.strip():
        profile = f"I'm {name.strip()}"
    role_text = f"the {role.strip()} role" if role and role.strip() else ""
    if company and company.strip():
        role_text = f"{role_text or 'the role'} at {company.strip()}"
    if role_text:
        profile = f"{profile}, uh, about {role_text}" if profile else f"It's, uh, about {role_text}"
    if not profile:
        return DISFLUENCY_PROMPT
    return f"{DISFLUENCY_PROMPT} So, um, {profile}."


def load_audio(audio: Path | NDArray[Any]) -> NDArray[np.float32]:
    """Return 16 kHz float32 mono samples from a file path or an array already at 16 kHz."""
    if isinstance(audio, Path | str):
        import soundfile
        from scipy.signal import resample_poly

        samples, rate = soundfile.read(str(audio), dtype="float32", always_2d=True)
        samples = samples.mean(axis=1)
        if rate != SAMPLE_RATE:
            samples = resample_poly(samples, SAMPLE_RATE, rate)
        return np.ascontiguousarray(samples, dtype=np.float32)
    samples = np.asarray(audio, dtype=np.float32)
    if samples.ndim == 2:
        samples = samples.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(samples.reshape(-1))


def _quiet_libraries() -> None:
    """Keep engine logging and warnings off the terminal, which the TUI owns."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TQDM_DISABLE", "1")
    for name in ("faster_whisper", "whisper"):
        logger = logging.getLogger(name)
        # A NullHandler stops logging's last-resort handler from printing warnings to stderr; an
        # app that configures logging still receives the records through propagation.
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
    warnings.filterwarnings("ignore", module=r"(faster_)?whisper(\.|$)")


def _speech_chunks(audio: NDArray[np.float32], **options: Any) -> list[dict[str, int]]:
    """Silero VAD (bundled with faster-whisper) speech regions in samples."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks: list[dict[str, int]] = get_speech_timestamps(audio, VadOptions(**options))
    return chunks


def _word(text: str, start: float, end: float, probability: float) -> Word:
    return Word(text.strip(), round(float(start), 3), round(float(end), 3), float(probability))


def _segment(text: str, words: Iterable[Word]) -> Segment | None:
    """A segment from its words, or None when it has no words or is too fast to be speech."""
    kept = tuple(w for w in words if w.text)
    if not kept or kept[-1].end - kept[0].start < _MIN_SECONDS_PER_WORD * len(kept):
        return None
    return Segment(text.strip(), kept[0].start, kept[-1].end, kept)


class FasterWhisperTranscriber:
    """Transcribes with faster-whisper (CTranslate2); the model loads once, on first use."""

    engine = "faster-whisper"

    def __init__(
        self, model: str | None = None, compute_type: str = "int8", cpu_threads: int = 0
    ) -> None:
        """Resolve the model now (so a bad setting fails early) and load it on first use.

        Args:
            model: None or "tiny.en" for the bundled weights, another cached name, or a directory.
            compute_type: CTranslate2 compute type; int8 is fastest on CPUs.
            cpu_threads: CPU threads for the engine; 0 lets CTranslate2 decide.
        """
        self.model_name = model or "tiny.en"
        self.model_path = resolve_model(model)
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now rather than on the first transcription (e.g. from a worker)."""
        self._loaded()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                _quiet_libraries()
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(self.model_path),
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            return self._model

    def transcribe(
        self, audio: Path | NDArray[np.float32], *, prompt: str | None = None
    ) -> Transcript:
        """Transcribe with word timings; silence (VAD finds no speech) gives an empty transcript."""
        samples = load_audio(audio)
        duration = len(samples) / SAMPLE_RATE
        model = self._loaded()
        raw_segments, _info = model.transcribe(
            samples,
            language="en",
            beam_size=_BEAM_SIZE,
            word_timestamps=True,
            vad_filter=True,
            initial_prompt=prompt or None,
            condition_on_previous_text=False,
            log_progress=False,
        )
        segments = [
            _segment(
                raw.text, (_word(w.word, w.start, w.end, w.probability) for w in raw.words or ())
            )
            for raw in raw_segments
        ]
        return Transcript.from_segments([s for s in segments if s is not None], duration)


class OpenAIWhisperTranscriber:
    """Transcribes with openai-whisper (PyTorch), on the bundled weights converted to its format."""

    engine = "openai-whisper"

    def __init__(self, model: str | None = None, *, cache_dir: Path) -> None:
        """Resolve the checkpoint lazily; the model loads on first use.

        Args:
            model: None or "tiny.en" for the bundled weights; a CTranslate2 directory to convert;
                or an openai-whisper checkpoint file (.pt).
            cache_dir: Where the converted checkpoint is kept.
        """
        self.model_name = model or "tiny.en"
        self.cache_dir = cache_dir
        self._setting = model
        self._model: Any = None
        self._lock = threading.Lock()
        _require_openai_whisper()

    def load(self) -> None:
        """Convert (once) and load the model now rather than on the first transcription."""
        self._loaded()

    def _checkpoint(self) -> Path:
        setting = self._setting
        if setting is not None and setting.endswith(".pt"):
            path = Path(setting).expanduser()
            if not path.is_file():
                raise AudioModelError(f"openai-whisper checkpoint not found: {setting}")
            return path
        model_dir = None if setting in (None, "", "tiny.en") else resolve_model(setting)
        return openai_checkpoint(self.cache_dir, model_dir)

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                _quiet_libraries()
                import torch
                from whisper.model import ModelDimensions, Whisper

                checkpoint = torch.load(self._checkpoint(), map_location="cpu", weights_only=True)
                dims = ModelDimensions(**checkpoint["dims"])
                model = Whisper(dims)
                model.load_state_dict(checkpoint["model_state_dict"])
                heads = checkpoint.get("alignment_heads")
                if heads:
                    # Word timings come from these cross-attention heads; without them
                    # openai-whisper falls back to all heads of the upper half, which is less exact.
                    mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
                    for layer, head in heads:
                        mask[layer, head] = True
                    model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
                self._model = model.eval()
            return self._model

    def transcribe(
        self, audio: Path | NDArray[np.float32], *, prompt: str | None = None
    ) -> Transcript:
        """Transcribe with word timings after the same VAD as faster-whisper removes silence."""
        import whisper

        samples = load_audio(audio)
        duration = len(samples) / SAMPLE_RATE
        model = self._loaded()
        chunks = _speech_chunks(samples)
        if not chunks:
            return Transcript.from_segments([], duration)
        speech = np.concatenate([samples[c["start"] : c["end"]] for c in chunks])
        result = whisper.transcribe(
            model,
            speech,
            verbose=None,
            fp16=False,
            language="en",
            beam_size=_BEAM_SIZE,
            best_of=_BEAM_SIZE,
            word_timestamps=True,
            initial_prompt=prompt or None,
            condition_on_previous_text=False,
        )
        timeline = _SpeechTimeline(chunks)
        segments = []
        for raw in result["segments"]:
            words = [
                timeline.word(w["word"], w["start"], w["end"], w["probability"])
                for w in raw.get("words", ())
            ]
            segment = _segment(raw["text"], words)
            if segment is not None:
                segments.append(segment)
        return Transcript.from_segments(segments, duration)


class _SpeechTimeline:
    """Maps times in the VAD-joined speech back to times in the original audio."""

    def __init__(self, chunks: list[dict[str, int]]) -> None:
        self._ends: list[float] = []
        self._shifts: list[float] = []
        joined = 0
        for chunk in chunks:
            self._shifts.append((chunk["start"] - joined) / SAMPLE_RATE)
            joined += chunk["end"] - chunk["start"]
            self._ends.append(joined / SAMPLE_RATE)

    def word(self, text: str, start: float, end: float, probability: float) -> Word:
        # Both ends use the chunk holding the word's middle, as faster-whisper does, so a word is
        # never stretched across removed silence.
        middle = (float(start) + float(end)) / 2
        index = next((i for i, e in enumerate(self._ends) if middle < e), len(self._ends) - 1)
        shift = self._shifts[index]
        return _word(text, float(start) + shift, float(end) + shift, probability)


def _require_openai_whisper() -> None:
    import importlib.util

    if importlib.util.find_spec("whisper") is None or importlib.util.find_spec("torch") is None:
        raise AudioModelError(
            "the openai-whisper engine is not installed: install the extra mockcall[openai-whisper]"
        )


def make_transcriber(engine: str, model: str | None, cache_dir: Path) -> Transcriber:
    """Build the transcriber for an engine setting ("faster-whisper" or "openai-whisper").

    Raises:
        AudioModelError: unknown engine, engine not installed, or model not available offline.
    """
    if engine == "faster-whisper":
        return FasterWhisperTranscriber(model)
    if engine == "openai-whisper":
        return OpenAIWhisperTranscriber(model, cache_dir=cache_dir)
    raise AudioModelError(
        f"unknown transcription engine {engine!r}: use faster-whisper or openai-whisper"
    )


class IncrementalTranscriber:
    """Transcribes an answer while it is being recorded, so the transcript is ready soon after.

    feed() takes blocks as they are recorded; a background thread cuts the audio at pauses found
    by VAD (or at the quietest gap once a chunk grows long), transcribes each finished chunk and
    drops its samples, so memory stays bounded however long the answer runs. finish() then only
    has the tail since the last cut to transcribe. Word times are from the start of the answer.
    """

    MIN_CHUNK_S = 4.0
    """A chunk is cut no earlier than this, so Whisper has enough context."""
    MAX_CHUNK_S = 15.0
    """Past this, a chunk is cut at its best gap even if no clear pause was found."""
    PAUSE_S = 0.35
    """A gap in speech at least this long is a pause worth cutting at."""
    CHECK_EVERY_S = 0.5
    """The background thread looks for a cut each time this much new audio has arrived."""

    def __init__(
        self, transcriber: Transcriber, prompt: str | None = None, samplerate: int = SAMPLE_RATE
    ) -> None:
        """Start the background thread.

        Args:
            transcriber: The engine; it must be safe to call from another thread (both are).
            prompt: Passed to every chunk's transcription (see build_prompt).
            samplerate: Rate of the blocks fed in; they are resampled to 16 kHz if it differs.
        """
        self.transcriber = transcriber
        self.prompt = prompt
        self.samplerate = samplerate
        self._cond = threading.Condition()
        self._blocks: list[NDArray[np.float32]] = []
        self._pending_start = 0
        self._total = 0
        self._examined = 0
        self._segments: list[Segment] = []
        self._unreported: list[Segment] = []
        self._busy = False
        self._stopping = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name="incremental-transcriber", daemon=True
        )
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while the background thread is transcribing a chunk."""
        with self._cond:
            return self._busy

    @property
    def pending_seconds(self) -> float:
        """Audio received but not yet transcribed, in seconds."""
        with self._cond:
            return (self._total - self._pending_start) / SAMPLE_RATE

    @property
    def examined_seconds(self) -> float:
        """Audio the background thread has looked at for a cut so far, in seconds."""
        with self._cond:
            return self._examined / SAMPLE_RATE

    def feed(self, block: NDArray[Any]) -> list[Segment]:
        """Add recorded samples and return the segments finished since the previous call."""
        samples = load_audio(block)
        if self.samplerate != SAMPLE_RATE and len(samples):
            from scipy.signal import resample_poly

            resampled = resample_poly(samples, SAMPLE_RATE, self.samplerate)
            samples = np.asarray(resampled, dtype=np.float32)
        with self._cond:
            if self._stopping:
                raise RuntimeError("IncrementalTranscriber.feed() called after finish()")
            if len(samples):
                self._blocks.append(samples)
                self._total += len(samples)
                self._cond.notify_all()
            finished, self._unreported = self._unreported, []
        return finished

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole answer's transcript."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()
        if self._error is not None:
            raise self._error
        tail = self._take(len(self._pending()))
        if len(tail[1]):
            self._transcribe_chunk(*tail)
        return Transcript.from_segments(self._segments, self._total / SAMPLE_RATE)

    def cancel(self) -> None:
        """Stop the background thread without transcribing the rest (the take was discarded)."""
        with self._cond:
            self._stopping = True
            self._blocks = []
            self._cond.notify_all()
        self._thread.join()

    def _pending(self) -> NDArray[np.float32]:
        """All untranscribed audio as one array (called with the lock held or after the thread)."""
        if len(self._blocks) != 1:
            joined = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
            self._blocks = [joined]
        return self._blocks[0]

    def _take(self, count: int) -> tuple[int, NDArray[np.float32]]:
        """Remove the first count pending samples; return them with their absolute start."""
        with self._cond:
            pending = self._pending()
            start = self._pending_start
            self._blocks = [pending[count:]]
            self._pending_start += count
            return start, pending[:count]

    def _run(self) -> None:
        step = int(self.CHECK_EVERY_S * SAMPLE_RATE)
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(
                        lambda: self._stopping or self._total - self._examined >= step
                    )
                    if self._stopping:
                        return
                    self._examined = self._total
                    audio = self._pending()
                cut, has_speech = self._find_cut(audio)
                if cut is None:
                    continue
                with self._cond:
                    self._busy = has_speech
                start, chunk = self._take(cut)
                if has_speech:
                    self._transcribe_chunk(start, chunk)
        except BaseException as exc:  # re-raised by finish() in the caller's thread
            self._error = exc
        finally:
            with self._cond:
                self._busy = False

    def _transcribe_chunk(self, start: int, chunk: NDArray[np.float32]) -> None:
        transcript = self.transcriber.transcribe(chunk, prompt=self.prompt)
        offset = start / SAMPLE_RATE
        shifted = [
            Segment(
                s.text,
                round(s.start + offset, 3),
                round(s.end + offset, 3),
                tuple(
                    Word(
                        w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability
                    )
                    for w in s.words
                ),
            )
            for s in transcript.segments
        ]
        with self._cond:
            self._segments.extend(shifted)
            self._unreported.extend(shifted)
            self._busy = False

    def _find_cut(self, audio: NDArray[np.float32]) -> tuple[int | None, bool]:
        """Where to end the next chunk (None: keep waiting) and whether the chunk holds speech."""
        rate = SAMPLE_RATE
        earliest, latest = int(self.MIN_CHUNK_S * rate), int(self.MAX_CHUNK_S * rate)
        if len(audio) < earliest:
            return None, True
        speech = _speech_chunks(audio, min_silence_duration_ms=100, speech_pad_ms=0)
        if not speech:
            # Only silence so far: drop all but the last second, which may hold a word's onset.
            return len(audio) - rate, False
        edges = [0] + [edge for c in speech for edge in (c["start"], c["end"])] + [len(audio)]
        gaps = list(zip(edges[::2], edges[1::2], strict=True))
        pauses = [
            (begin + end) // 2
            for begin, end in gaps
            if end - begin >= self.PAUSE_S * rate and earliest <= (begin + end) // 2 <= latest
        ]
        if pauses:
            cut = pauses[-1]
        elif len(audio) < latest:
            return None, True
        else:
            cut = self._forced_cut(audio, gaps, earliest, latest)
        return cut, speech[0]["start"] < cut

    @staticmethod
    def _forced_cut(
        audio: NDArray[np.float32], gaps: list[tuple[int, int]], earliest: int, latest: int
    ) -> int:
        """Cut point in a long stretch without a clear pause: its longest gap, else quietest 20 ms."""
        inner = [
            (end - begin, (begin + end) // 2)
            for begin, end in gaps
            if end > begin and earliest <= (begin + end) // 2 <= latest
        ]
        if inner:
            return max(inner)[1]
        frame = SAMPLE_RATE // 50
        usable = (latest - earliest) // frame * frame
        energy = np.square(audio[earliest : earliest + usable]).reshape(-1, frame).mean(axis=1)
        return earliest + int(np.argmin(energy)) * frame + frame // 2
