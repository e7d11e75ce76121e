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
from audio.transcript import Segment, SpeechMap, Transcript, Word, joined_words, merged_speech

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from audio.verify import Expectations

__all__ = [
    "DISFLUENCY_PROMPT",
    "SAMPLE_RATE",
    "AudioModelError",
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

NUMBER_STYLE_PROMPT = "You can reach me at 212-555-0100."
"""A fictional number in the prompt: without it tiny.en often writes "five five five" as "55"."""

Engine = Literal["faster-whisper", "openai-whisper"]
"""The transcription engines mockcall can run."""

# Whisper's usual beam width, for both engines so their results are comparable. Temperature
# fallback is off (faster-whisper's batched pipeline has none): with a prompt, tiny.en tends to
# "continue" the silent end of the audio, and re-decoding that at five temperatures costs seconds
# for nothing. It also makes results repeatable.
_BEAM_SIZE = 5
_TEMPERATURE = 0.0
# Both engines see the same speech: Silero VAD with the settings of faster-whisper's batched
# pipeline, regions merged into pieces of at most one 30 s Whisper window, each decoded once with
# the prompt (the sequential decoder would prompt only the first window).
_WINDOW_S = 30
_VAD_OPTIONS: dict[str, Any] = {"max_speech_duration_s": _WINDOW_S, "min_silence_duration_ms": 160}
# Prompted tiny.en sometimes appends an outro ("Thank you.", "see you next time") after the last
# word, as a segment whose words are squeezed into a few hundredths of a second. Real speech
# needs well over this much time per word, so such segments are dropped.
_MIN_SECONDS_PER_WORD = 0.08
# A gap in speech at least this long is a pause where live transcription may cut.
_PAUSE_S = 0.3
# Speech at least this long that no transcribed word covers was skipped by the decoder.
_GAP_MIN_S = 1.0
# Audio kept either side of a skipped stretch when it is decoded again.
_GAP_PAD_S = 0.2
# No spoken word takes longer than this; a longer timing is the decoder's, not the speaker's.
_LONGEST_WORD_S = 1.0
# Whisper's own estimate that a 30 s window holds no speech. On babble, hum and noise that VAD
# let through, tiny.en still writes text ("So, um, I'm, I'm, I'm…", "I'm Jordan Rivera and I'm a
# member…") with a no-speech probability of 0.54-0.89; real speech, even at 10 dB SNR in white
# noise or babble, stays at or below 0.13 (measured on espeak-ng and piper voices).
_NO_SPEECH_PROB = 0.4
# The speech map: Silero VAD without padding (its own edges are ~30-60 ms late), each edge then
# moved to where the audio's energy crosses a level above the recording's noise floor.
_MAP_VAD_OPTIONS: dict[str, Any] = {
    "min_silence_duration_ms": 100,
    "speech_pad_ms": 0,
    "min_speech_duration_ms": 50,
}
_MAP_FRAME_S = 0.01
# How far (seconds) an edge may move from where Silero put it.
_MAP_REACH_S = 0.25
# How far an end may move earlier than Silero's: its ends run 30-60 ms late in clean audio, but
# in noise a word's fading end sinks below the energy threshold while Silero still hears it.
_MAP_END_SHRINK_S = 0.04
# Speech is this many dB above the noise floor (the median energy outside Silero's speech; a
# steady noise's 30 ms energy varies by well under 1 dB)...
_MAP_ABOVE_FLOOR_DB = 3.0
# ...and never more than this far below the loudest frame (digital silence has no floor).
_MAP_BELOW_PEAK_DB = 50.0


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
    verbatim-style fillers come first and the profile is woven into the same style, so more "um"s
    are kept without the name being pushed into answers that never say it.
    """
    profile = f"I'm {name.strip()}" if name and name.strip() else ""
    role_text = f"the {role.strip()} role" if role and role.strip() else ""
    if company and company.strip():
        role_text = f"{role_text or 'the role'} at {company.strip()}"
    if role_text:
        profile = f"{profile}, uh, about {role_text}" if profile else f"It's, uh, about {role_text}"
    if not profile:
        return f"{DISFLUENCY_PROMPT} {NUMBER_STYLE_PROMPT}"
    return f"{DISFLUENCY_PROMPT} {NUMBER_STYLE_PROMPT} So, um, {profile}."


def load_audio(audio: Path | str | NDArray[Any]) -> NDArray[np.float32]:
    """Return 16 kHz float32 mono samples from an audio file, or from an array already at 16 kHz.

    Raises:
        audio.errors.AudioFileError: the file is missing or cannot be decoded.
    """
    if isinstance(audio, Path | str):
        from audio.dsp import read_audio, resample

        samples, rate = read_audio(audio)
        if rate != SAMPLE_RATE:
            samples = resample(samples, rate, SAMPLE_RATE)
        return np.ascontiguousarray(samples, dtype=np.float32)
    array = np.asarray(audio)
    if np.issubdtype(array.dtype, np.integer):
        array = array.astype(np.float32) / 32768.0
    samples = np.asarray(array, dtype=np.float32)
    if samples.ndim == 2:
        samples = samples.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(samples.reshape(-1))


def _quiet_libraries() -> None:
    """Keep engines off the network and their logging and warnings off the TUI's terminal."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    for name in ("faster_whisper", "whisper"):
        logger = logging.getLogger(name)
        # A NullHandler stops logging's last-resort handler from printing warnings to stderr; an
        # app that configures logging still receives the records through propagation.
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
    warnings.filterwarnings("ignore", module=r"(faster_)?whisper(\.|$)")


def _speech_regions(audio: NDArray[np.float32], **options: Any) -> list[dict[str, int]]:
    """Speech regions in samples, from the Silero VAD that ships inside faster-whisper."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0:
        return []
    regions: list[dict[str, int]] = get_speech_timestamps(audio, VadOptions(**options))
    return regions


def speech_map(audio: NDArray[np.float32]) -> SpeechMap:
    """Where AUDIO (16 kHz) holds speech, as (start, end) seconds, edges within a few hundredths.

    Silero VAD decides what is speech; the frame energy decides exactly where each stretch begins
    and ends. Pauses and the answer's first sound are measured on this, not on Whisper's word
    times, which can be 0.2-0.4 s off.
    """
    regions = _speech_regions(audio, **_MAP_VAD_OPTIONS)
    if not regions:
        return ()
    frame = int(_MAP_FRAME_S * SAMPLE_RATE)
    count = len(audio) // frame
    if count < 3:
        return tuple((r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE) for r in regions)
    power = np.square(audio[: count * frame], dtype=np.float64).reshape(count, frame).mean(axis=1)
    level = 10 * np.log10(np.convolve(power, np.ones(3) / 3, mode="same") + 1e-12)
    inside = np.zeros(count, dtype=bool)
    for r in regions:
        inside[r["start"] // frame : r["end"] // frame + 1] = True
    outside = level[~inside]
    floor = float(np.median(outside)) if len(outside) >= 10 else float(level.min())
    threshold = max(floor + _MAP_ABOVE_FLOOR_DB, float(level.max()) - _MAP_BELOW_PEAK_DB)
    reach = int(_MAP_REACH_S / _MAP_FRAME_S)
    edges: list[tuple[float, float]] = []
    for r in regions:
        first, last = r["start"] // frame, r["end"] // frame
        lo, hi = max(0, first - reach), min(count, first + reach)
        loud = np.flatnonzero(level[lo:hi] > threshold)
        start = (lo + int(loud[0])) * _MAP_FRAME_S if len(loud) else r["start"] / SAMPLE_RATE
        lo, hi = max(0, last - reach), min(count, last + reach)
        loud = np.flatnonzero(level[lo:hi] > threshold)
        end = (lo + int(loud[-1]) + 1) * _MAP_FRAME_S if len(loud) else r["end"] / SAMPLE_RATE
        end = max(end, r["end"] / SAMPLE_RATE - _MAP_END_SHRINK_S)
        edges.append((round(start, 3), round(max(start, end), 3)))
    return merged_speech([tuple(edges)], gap=0.0)


def _find_cut(
    audio: NDArray[np.float32], earliest_s: float, latest_s: float
) -> tuple[int | None, bool]:
    """Where to end a chunk of audio that starts at audio[0], and whether the chunk has speech.

    Audio without any speech is cut a second before its end, so silence is not kept. Otherwise
    the cut is in the middle of the latest pause (a gap in speech of at least _PAUSE_S) between
    earliest_s and latest_s; None while there is no such pause and the audio is shorter than
    latest_s; past that, in the longest gap, or failing that at the quietest 20 ms.
    """
    earliest, latest = int(earliest_s * SAMPLE_RATE), int(latest_s * SAMPLE_RATE)
    if len(audio) < 2 * SAMPLE_RATE:
        return None, True
    # Only the stretch where a cut may fall (and a second beyond, to see a pause end) needs VAD.
    analysed = audio[: latest + SAMPLE_RATE]
    speech = _speech_regions(analysed, min_silence_duration_ms=100, speech_pad_ms=0)
    if not speech:
        return len(analysed) - SAMPLE_RATE, False
    if len(audio) < earliest:
        return None, True
    edges = [0, *(edge for r in speech for edge in (r["start"], r["end"])), len(analysed)]
    gaps = [(b, e) for b, e in zip(edges[::2], edges[1::2], strict=True) if e > b]
    in_range = [(b, e) for b, e in gaps if earliest <= (b + e) // 2 <= latest]
    pauses = [(b + e) // 2 for b, e in in_range if e - b >= _PAUSE_S * SAMPLE_RATE]
    if pauses:
        cut = pauses[-1]
    elif len(audio) < latest:
        return None, True
    elif in_range:
        cut = max((e - b, (b + e) // 2) for b, e in in_range)[1]
    else:
        frame = SAMPLE_RATE // 50
        usable = (latest - earliest) // frame * frame
        energy = np.square(audio[earliest : earliest + usable]).reshape(-1, frame).mean(axis=1)
        cut = earliest + int(np.argmin(energy)) * frame + frame // 2
    return cut, speech[0]["start"] < cut


def _without_stretched_marks(segment: Segment) -> Segment:
    """The segment without the times the decoder stretched over speech it skipped.

    When tiny.en loses its place it times a word over many seconds ("have" 19.86-24.86 s) or
    leaves a bare "-" stretched there: that time is the decoder's, not the speaker's, and
    counting it as covering speech hid the rest of the answer from the second decode. A bare
    mark is dropped; a word keeps its text and is cut to the longest a word takes (a digit group
    about a second per digit: "617-555-0142" is one word).
    """
    kept: list[Word] = []
    for w in segment.words:
        longest = _LONGEST_WORD_S * max(1, sum(ch.isdigit() for ch in w.text))
        if w.end - w.start <= longest:
            kept.append(w)
        elif any(ch.isalnum() for ch in w.text):
            kept.append(Word(w.text, w.start, round(w.start + longest, 3), w.probability))
    if kept == list(segment.words) or not kept:
        return segment
    return Segment(segment.text, kept[0].start, kept[-1].end, tuple(kept))


def _looping(segment: Segment) -> bool:
    """True for the decoder's loop on a short stretch: one phrase over and over ("I'm X, I'm X…")."""
    words = [w.text.strip(",.!?…").lower() for w in segment.words]
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return bool(trigrams) and max(trigrams.count(t) for t in set(trigrams)) >= 3


def _uncovered_speech(
    samples: NDArray[np.float32], segments: list[Segment]
) -> list[tuple[float, float]]:
    """Stretches (in seconds) of VAD speech, at least _GAP_MIN_S long, that no word covers."""
    # A bare "-" left where the decoder stopped is stretched over the speech it skipped: it does
    # not count as covering speech. (A real token may be long: "617-555-0142" is one word.)
    spans = sorted(
        (w.start, w.end)
        for seg in segments
        for w in seg.words
        if any(ch.isalnum() for ch in w.text)
    )
    gaps: list[tuple[float, float]] = []
    for region in _speech_regions(samples, **_VAD_OPTIONS):
        begin, finish = region["start"] / SAMPLE_RATE, region["end"] / SAMPLE_RATE
        cursor = begin
        for start, end in spans:
            if end <= cursor or start >= finish:
                continue
            if start - cursor >= _GAP_MIN_S:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if finish - cursor >= _GAP_MIN_S:
            gaps.append((cursor, finish))
    return gaps


def _piece(
    text: str, start: float, end: float, probability: float
) -> tuple[str, float, float, float]:
    """One of the recogniser's word pieces, times rounded to milliseconds (see joined_words)."""
    return text, round(float(start), 3), round(float(end), 3), float(probability)


def _segment(text: str, pieces: Iterable[tuple[str, float, float, float]]) -> Segment | None:
    """A segment from its word pieces, or None when it has no words or is too fast to be speech."""
    kept = tuple(joined_words(pieces))
    if not kept or kept[-1].end - kept[0].start < _MIN_SECONDS_PER_WORD * len(kept):
        return None
    return Segment(text.strip(), kept[0].start, kept[-1].end, kept)


def _shifted(segment: Segment, offset: float) -> Segment:
    """The segment with every time moved later by offset seconds."""
    if offset == 0:
        return segment
    words = tuple(
        Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
        for w in segment.words
    )
    return Segment(
        segment.text, round(segment.start + offset, 3), round(segment.end + offset, 3), words
    )


COMPUTE_TYPE_ENV = "MOCKCALL_COMPUTE_TYPE"
"""Environment variable naming the CTranslate2 compute type (int8, int8_float32, float32)."""
CPU_THREADS_ENV = "MOCKCALL_CPU_THREADS"
"""Environment variable giving faster-whisper's CPU thread count."""


def _env_threads() -> int:
    """MOCKCALL_CPU_THREADS as a positive int, 0 when unset or not a positive number."""
    value = os.environ.get(CPU_THREADS_ENV, "").strip()
    return int(value) if value.isdigit() else 0


def _transcript(samples: NDArray[np.float32], segments: list[Segment]) -> Transcript:
    """The transcript of SAMPLES from its segments, with the audio's speech map when words exist."""
    speech = speech_map(samples) if segments else ()
    return Transcript.from_segments(segments, len(samples) / SAMPLE_RATE, speech)


class FasterWhisperTranscriber:
    """Transcribes with faster-whisper (CTranslate2); the model loads once, on first use."""

    engine = "faster-whisper"

    def __init__(
        self, model: str | None = None, compute_type: str | None = None, cpu_threads: int = 0
    ) -> None:
        """Resolve the model now (so a bad setting fails early) and load it on first use.

        Args:
            model: None or "tiny.en" for the bundled weights, another cached name, or a directory.
            compute_type: CTranslate2 compute type; None reads MOCKCALL_COMPUTE_TYPE, else int8
                (fastest on CPUs).
            cpu_threads: CPU threads for the engine; 0 reads MOCKCALL_CPU_THREADS, else one per
                core up to 4.

        Raises:
            AudioModelError: the model is not on this machine or is damaged.
        """
        self.model_name = model or "tiny.en"
        self.model_path = resolve_model(model)
        # The environment overrides let the whole suite run under another compute type or thread
        # count, to find tests that depend on one CPU's exact int8 output.
        self.compute_type = compute_type or os.environ.get(COMPUTE_TYPE_ENV) or "int8"
        # CTranslate2's own default is 4 threads, which oversubscribes small machines.
        self.cpu_threads = cpu_threads or _env_threads() or min(os.cpu_count() or 1, 4)
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now rather than on the first transcription (e.g. from a worker)."""
        self._loaded()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                _quiet_libraries()
                from faster_whisper import BatchedInferencePipeline, WhisperModel

                model = WhisperModel(
                    str(self.model_path),
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
                self._model = BatchedInferencePipeline(model)
            return self._model

    def transcribe(
        self, audio: Path | NDArray[np.float32], *, prompt: str | None = None
    ) -> Transcript:
        """Transcribe with word timings; silence (VAD finds no speech) gives an empty transcript.

        Args:
            audio: An audio file, or 16 kHz float32 mono samples.
            prompt: Text that primes the recogniser (see build_prompt), for every 30 s piece.
        """
        samples = load_audio(audio)
        segments = [_without_stretched_marks(seg) for seg in self._decode(samples, prompt)]
        # tiny.en sometimes ends a window early (after "312-555-", say) and the rest of that
        # window's speech is lost: decode each stretch of speech no word covers, once more.
        for start, end in _uncovered_speech(samples, segments):
            first = max(0, int((start - _GAP_PAD_S) * SAMPLE_RATE))
            last = min(len(samples), int((end + _GAP_PAD_S) * SAMPLE_RATE))
            offset = first / SAMPLE_RATE
            segments += [
                _shifted(seg, offset)
                for seg in self._decode(samples[first:last], prompt)
                if not _looping(seg)
            ]
        segments.sort(key=lambda seg: seg.start)
        return _transcript(samples, segments)

    def verify(
        self, audio: Path | NDArray[np.float32], transcript: Transcript, expect: Expectations
    ) -> Transcript:
        """The transcript with the profile's name and number checked against the audio.

        Scoring runs without any prompt, on the few seconds around each place the transcript
        has a number or the first name (see audio/verify.py).
        """
        from audio.verify import WhisperScorer, verify

        samples = load_audio(audio)
        pipeline = self._loaded()
        with self._lock:
            return verify(WhisperScorer(pipeline.model), samples, transcript, expect)

    def _decode(self, samples: NDArray[np.float32], prompt: str | None) -> list[Segment]:
        """One pass of the batched pipeline over SAMPLES: its segments that hold real speech."""
        pipeline = self._loaded()
        # The pipeline keeps per-call state (the last word's time), so calls are serialised, and
        # its lazy segments are consumed inside the lock.
        with self._lock:
            raw_segments, _info = pipeline.transcribe(
                samples,
                language="en",
                beam_size=_BEAM_SIZE,
                temperature=_TEMPERATURE,
                word_timestamps=True,
                without_timestamps=False,
                vad_filter=True,
                vad_parameters=dict(_VAD_OPTIONS),
                initial_prompt=prompt or None,
                batch_size=1,
                log_progress=False,
            )
            segments = [
                _segment(
                    raw.text,
                    (_piece(w.word, w.start, w.end, w.probability) for w in raw.words or ()),
                )
                for raw in raw_segments
                if raw.no_speech_prob <= _NO_SPEECH_PROB
            ]
        return [seg for seg in segments if seg is not None]


class OpenAIWhisperTranscriber:
    """Transcribes with openai-whisper (PyTorch), on the bundled weights converted to its format."""

    engine = "openai-whisper"

    def __init__(self, model: str | None = None, *, cache_dir: Path) -> None:
        """Check the engine is installed; the checkpoint is converted and loaded on first use.

        Args:
            model: None or "tiny.en" for the bundled weights; a CTranslate2 model directory or
                cached name to convert; or an openai-whisper checkpoint file (.pt).
            cache_dir: Where the converted checkpoint is kept.

        Raises:
            AudioModelError: openai-whisper or torch is not installed, or the model is missing.
        """
        _require_openai_whisper()
        self.model_name = model or "tiny.en"
        self.cache_dir = cache_dir
        self._checkpoint_file: Path | None = None
        self._model_dir: Path | None = None
        if model is not None and model.endswith(".pt"):
            self._checkpoint_file = Path(model).expanduser()
            if not self._checkpoint_file.is_file():
                raise AudioModelError(f"openai-whisper checkpoint not found: {model}")
        elif model not in (None, "", "tiny.en"):
            self._model_dir = resolve_model(model)
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Convert (once) and load the model now rather than on the first transcription."""
        self._loaded()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                _quiet_libraries()
                import torch
                from whisper.model import ModelDimensions, Whisper

                path = self._checkpoint_file or openai_checkpoint(self.cache_dir, self._model_dir)
                checkpoint = torch.load(path, map_location="cpu", weights_only=True)
                dims = ModelDimensions(**checkpoint["dims"])
                model = Whisper(dims)
                model.load_state_dict(checkpoint["model_state_dict"])
                heads = checkpoint.get("alignment_heads")
                if heads:
                    # Word timings come from these cross-attention heads; without them
                    # openai-whisper uses every head of the upper half, which is less exact.
                    mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
                    for layer, head in heads:
                        mask[layer, head] = True
                    model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
                self._model = model.eval()
            return self._model

    def transcribe(
        self, audio: Path | NDArray[np.float32], *, prompt: str | None = None
    ) -> Transcript:
        """Transcribe with word timings; silence (VAD finds no speech) gives an empty transcript.

        Args:
            audio: An audio file, or 16 kHz float32 mono samples.
            prompt: Text that primes the recogniser (see build_prompt), for every 30 s piece.
        """
        import whisper
        from faster_whisper.vad import collect_chunks

        samples = load_audio(audio)
        model = self._loaded()
        segments: list[Segment] = []
        regions = _speech_regions(samples, **_VAD_OPTIONS)
        if regions:
            pieces, metadata = collect_chunks(samples, regions, max_duration=_WINDOW_S)
            for piece, meta in zip(pieces, metadata, strict=True):
                result = whisper.transcribe(
                    model,
                    np.ascontiguousarray(piece, dtype=np.float32),
                    verbose=None,
                    fp16=False,
                    language="en",
                    beam_size=_BEAM_SIZE,
                    temperature=_TEMPERATURE,
                    word_timestamps=True,
                    initial_prompt=prompt or None,
                    condition_on_previous_text=False,
                )
                timeline = _SpeechTimeline(meta["segments"])
                for raw in result["segments"]:
                    if raw.get("no_speech_prob", 0.0) > _NO_SPEECH_PROB:
                        continue
                    pieces = (
                        timeline.piece(w["word"], w["start"], w["end"], w["probability"])
                        for w in raw.get("words", ())
                    )
                    segment = _segment(raw["text"], pieces)
                    if segment is not None:
                        segments.append(segment)
        return _transcript(samples, segments)


class _SpeechTimeline:
    """Maps times in VAD-joined speech back to times in the original audio."""

    def __init__(self, regions: list[dict[str, int]]) -> None:
        self._ends: list[float] = []
        self._shifts: list[float] = []
        joined = 0
        for region in regions:
            self._shifts.append((region["start"] - joined) / SAMPLE_RATE)
            joined += region["end"] - region["start"]
            self._ends.append(joined / SAMPLE_RATE)

    def piece(
        self, text: str, start: float, end: float, probability: float
    ) -> tuple[str, float, float, float]:
        # Both ends use the region holding the word's middle, as faster-whisper does, so a word is
        # never stretched across removed silence.
        middle = (float(start) + float(end)) / 2
        index = next((i for i, e in enumerate(self._ends) if middle < e), len(self._ends) - 1)
        shift = self._shifts[index]
        return _piece(text, float(start) + shift, float(end) + shift, probability)


def _require_openai_whisper() -> None:
    import importlib.util

    if importlib.util.find_spec("whisper") is None or importlib.util.find_spec("torch") is None:
        raise AudioModelError(
            "the openai-whisper engine is not installed: install the extra "
            "mockcall[openai-whisper], then pip install --no-deps openai-whisper==20250625"
        )


def make_transcriber(engine: str, model: str | None, cache_dir: Path) -> Transcriber:
    """Build the transcriber for an engine setting ("faster-whisper" or "openai-whisper").

    Args:
        engine: "faster-whisper" or "openai-whisper".
        model: None for the bundled tiny.en, another model name, or a path.
        cache_dir: Where converted checkpoints are kept (openai-whisper).

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
    has the tail since the last cut to transcribe. Word times count from the start of the answer.
    """

    MIN_CHUNK_S = 10.0
    """A chunk is cut no earlier than this, so Whisper has enough context."""
    MAX_CHUNK_S = 25.0
    """Past this, a chunk is cut at its best gap even if no clear pause was found."""
    CHECK_EVERY_S = 0.5
    """The background thread looks for a cut each time this much new audio has arrived."""

    def __init__(
        self, transcriber: Transcriber, prompt: str | None = None, samplerate: int = SAMPLE_RATE
    ) -> None:
        """Start the background thread.

        Args:
            transcriber: The engine; it is called from the background thread.
            prompt: Passed to every chunk's transcription (see build_prompt).
            samplerate: Rate of the blocks fed in; they are resampled to 16 kHz if it differs.
        """
        self.transcriber = transcriber
        """The engine that transcribes each chunk."""
        self.prompt = prompt
        """Primes every chunk's transcription."""
        self.samplerate = samplerate
        """Rate of the blocks passed to feed()."""
        self._resampler: Any = None
        if samplerate != SAMPLE_RATE:
            from audio.dsp import StreamResampler

            self._resampler = StreamResampler(samplerate, SAMPLE_RATE)
        self._cond = threading.Condition()
        self._blocks: list[NDArray[np.float32]] = []
        self._pending_start = 0
        self._total = 0
        self._examined = 0
        self._segments: list[Segment] = []
        self._speech: list[SpeechMap] = []
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
        """True while the background thread is working: looking for a cut or transcribing."""
        with self._cond:
            return self._busy

    @property
    def pending_seconds(self) -> float:
        """Audio received but not yet transcribed (or dropped as silence), in seconds."""
        with self._cond:
            return (self._total - self._pending_start) / SAMPLE_RATE

    @property
    def examined_seconds(self) -> float:
        """How much of the audio the background thread has looked at for a cut, in seconds."""
        with self._cond:
            return self._examined / SAMPLE_RATE

    def feed(self, block: NDArray[Any]) -> list[Segment]:
        """Add recorded samples and return the segments finished since the previous call."""
        samples = load_audio(block)
        if self._resampler is not None:
            samples = np.asarray(self._resampler.process(samples), dtype=np.float32)
        with self._cond:
            if self._stopping:
                raise RuntimeError(
                    "IncrementalTranscriber.feed() called after finish() or cancel()"
                )
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
            if self._resampler is not None:
                tail = np.asarray(self._resampler.flush(), dtype=np.float32)
                self._blocks.append(tail)
                self._total += len(tail)
        self._thread.join()
        if self._error is not None:
            raise self._error
        start, rest = self._take(None)
        if len(rest):
            self._transcribe_chunk(start, rest)
        speech = merged_speech(self._speech) if self._segments else ()
        return Transcript.from_segments(self._segments, self._total / SAMPLE_RATE, speech)

    def cancel(self) -> None:
        """Stop the background thread without transcribing the rest (the take was discarded)."""
        with self._cond:
            self._stopping = True
            self._blocks = []
            self._cond.notify_all()
        self._thread.join()

    def _pending(self) -> NDArray[np.float32]:
        """All untranscribed audio as one array; the caller holds the lock."""
        if len(self._blocks) != 1:
            joined = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
            self._blocks = [joined]
        return self._blocks[0]

    def _take(self, count: int | None) -> tuple[int, NDArray[np.float32]]:
        """Remove the first count (None: all) pending samples; return them with their start."""
        with self._cond:
            pending = self._pending()
            count = len(pending) if count is None else count
            start = self._pending_start
            self._blocks = [pending[count:]]
            self._pending_start += count
            return start, pending[:count]

    def _run(self) -> None:
        step = int(self.CHECK_EVERY_S * SAMPLE_RATE)
        try:
            while True:
                with self._cond:
                    self._busy = False
                    self._cond.wait_for(
                        lambda: self._stopping or self._total - self._examined >= step
                    )
                    if self._stopping:
                        return
                    self._busy = True
                    self._examined = self._total
                    audio = self._pending()
                cut, has_speech = _find_cut(audio, self.MIN_CHUNK_S, self.MAX_CHUNK_S)
                if cut is not None:
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
        shifted = [_shifted(s, offset) for s in transcript.segments]
        speech = tuple((round(a + offset, 3), round(b + offset, 3)) for a, b in transcript.speech)
        with self._cond:
            self._segments.extend(shifted)
            self._speech.append(speech)
            self._unreported.extend(shifted)
