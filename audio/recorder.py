"""Record the microphone to a 16 kHz mono WAV that stays valid on disk at every moment."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import numpy as np
from numpy.typing import NDArray

from audio.devices import (
    choose_input_channels,
    choose_input_samplerate,
    resolve_input,
    sounddevice_module,
)
from audio.dsp import LEVEL_FLOOR_DB, StreamResampler, from_int16, peak_dbfs, to_int16
from audio.errors import NoInputDevice

log = logging.getLogger(__name__)

SAMPLERATE = 16000
"""Rate of every take on disk and of the blocks handed to on_audio (what Whisper wants)."""

EndedBy = Literal["stop", "time_limit", "silence", "device_stopped"]

_FSYNC_SECONDS = 1.0
"""How often the take is forced to stable storage; a crash loses at most about this much."""
_LEVEL_SECONDS = 0.05
"""Shortest interval between two on_level calls (20 per second is plenty for a meter)."""
_FRAME_SECONDS = 0.03
"""Frame length for the speech/silence decision."""
_SPEECH_FRAMES = 3
"""Consecutive loud frames that count as speech having started (so a click does not)."""
_VAD_CHUNK = 512
"""Samples per Silero VAD decision (32 ms at 16 kHz), fixed by the model."""
_VAD_WINDOW_CHUNKS = 100
"""Audio (3.2 s) the VAD looks at each time: its state starts empty, so it needs some context."""
_VAD_HOP_CHUNKS = 10
"""How often (every 0.32 s of audio) the VAD looks again; each look costs about 7 ms of CPU."""
_VAD_THRESHOLD = 0.5
"""Speech probability from which a chunk is speech (faster-whisper's own default)."""
_VAD_SPEECH_CHUNKS = 3
"""Consecutive speech chunks (about 0.1 s) that count as speech, so a cough or click does not."""
_FIRST_BLOCK_GRACE = 5.0
"""Some devices (Bluetooth, USB waking up) take a few seconds to deliver the first block."""
_CLOSE_TIMEOUT = 2.0
"""How long to wait for PortAudio to close a stream before abandoning it to a daemon thread."""
_WEDGED_CLOSE_TIMEOUT = 0.5
"""The same after the device stopped delivering: its driver is probably stuck, so wait less."""


@dataclass(frozen=True)
class RecordingResult:
    """What one take produced and why it ended."""

    path: Path
    """The 16 kHz mono 16-bit WAV that was written."""
    duration: float
    """Seconds of audio in the file."""
    overflows: int
    """Times PortAudio reported an input overflow (audio dropped before it reached us)."""
    ended_by: EndedBy
    """stop: the stop event; time_limit: the limit was reached; silence: trailing silence after
    speech; device_stopped: the device stopped delivering or failed mid-take."""
    device: str
    """Name of the microphone that was recorded."""


class _Take:
    """The WAV on disk: wave.writeframes patches the header on every call, so it is always valid."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Takes are the user's voice: readable by the user only.
        # Never through a link planted at the take's path (its target would be overwritten).
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(SAMPLERATE)
        # An empty take is already a valid WAV with a zero-length data chunk.
        self._wav.writeframes(b"")
        self.frames = 0
        self._last_sync = time.monotonic()

    def append(self, pcm: NDArray[np.int16]) -> None:
        # The header patch seeks, which flushes Python's buffer: after this call the kernel holds
        # the samples and a header that counts them, so even SIGKILL leaves a readable file.
        self._wav.writeframes(pcm.tobytes())
        self.frames += len(pcm)
        now = time.monotonic()
        if now - self._last_sync >= _FSYNC_SECONDS:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._last_sync = now

    def close(self) -> None:
        self._wav.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()


class _SilenceTracker:
    """Decides when speech has started and how long the silence after it has lasted."""

    def __init__(self, threshold_db: float) -> None:
        self._threshold = 10 ** (threshold_db / 20)
        self._frame = round(SAMPLERATE * _FRAME_SECONDS)
        self._pending = np.zeros(0, dtype=np.float32)
        self._loud_run = 0
        self.speech_started = False
        self.trailing_silence = 0.0

    def feed(self, block: NDArray[np.float32]) -> None:
        samples = np.concatenate([self._pending, block])
        whole = len(samples) // self._frame * self._frame
        self._pending = samples[whole:]
        if whole == 0:
            return
        frames = samples[:whole].reshape(-1, self._frame).astype(np.float64)
        loud = np.sqrt(np.mean(frames**2, axis=1)) >= self._threshold
        for is_loud in loud:
            if is_loud:
                self._loud_run += 1
                self.trailing_silence = 0.0
                if self._loud_run >= _SPEECH_FRAMES:
                    self.speech_started = True
            else:
                self._loud_run = 0
                self.trailing_silence += _FRAME_SECONDS


class _VoiceActivity:
    """Where speech last ended, by the Silero voice detector that faster-whisper ships.

    The level tracker alone never hears the end of an answer in a room whose noise is above its
    threshold (a fan, traffic: -35 dBFS is common); the detector tells speech from steady noise.
    """

    def __init__(self) -> None:
        self._model: Callable[[NDArray[np.float32]], Any] | None = None
        self._ready = threading.Event()
        # Loading takes about 0.2 s the first time: the take starts at once and the detector
        # joins in when ready (the window keeps the audio it has not looked at yet).
        threading.Thread(target=self._load, name="mockcall-vad-load", daemon=True).start()
        self._window = np.zeros(0, dtype=np.float32)
        self._fed = 0
        self._unseen = 0
        self._last_speech_end: int | None = None

    def _load(self) -> None:
        self._model = _vad_model()
        self._ready.set()

    @property
    def speech_started(self) -> bool:
        return self._last_speech_end is not None

    @property
    def trailing_silence(self) -> float:
        """Seconds since speech last ended (0 before any speech)."""
        if self._last_speech_end is None:
            return 0.0
        return (self._fed - self._last_speech_end) / SAMPLERATE

    def feed(self, block: NDArray[np.float32]) -> None:
        window = _VAD_WINDOW_CHUNKS * _VAD_CHUNK
        self._window = np.concatenate([self._window, block])
        self._fed += len(block)
        self._unseen += len(block)
        if not self._ready.is_set():
            # Still loading: keep all of it, so the first look covers the take from its start.
            return
        if self._model is None or self._unseen < _VAD_HOP_CHUNKS * _VAD_CHUNK:
            self._window = self._window[-window:]
            return
        self._unseen = 0
        usable = len(self._window) // _VAD_CHUNK * _VAD_CHUNK
        audio = np.ascontiguousarray(self._window[len(self._window) - usable :])
        self._window = self._window[-window:]
        speech = np.asarray(self._model(audio)).reshape(-1) >= _VAD_THRESHOLD
        # The last chunk that ends a run of enough speech chunks.
        runs = np.convolve(speech.astype(np.int32), np.ones(_VAD_SPEECH_CHUNKS, np.int32), "valid")
        ends = np.flatnonzero(runs == _VAD_SPEECH_CHUNKS)
        if len(ends) == 0:
            return
        last = int(ends[-1]) + _VAD_SPEECH_CHUNKS - 1
        # Extend through the speech chunks that follow the run.
        while last + 1 < len(speech) and speech[last + 1]:
            last += 1
        end = self._fed - usable + (last + 1) * _VAD_CHUNK
        self._last_speech_end = max(end, self._last_speech_end or 0)


@functools.cache
def _vad_model() -> Callable[[NDArray[np.float32]], Any] | None:
    """faster-whisper's Silero model (loaded once, about 0.2 s), None where it cannot load."""
    try:
        from faster_whisper.vad import get_vad_model

        model: Callable[[NDArray[np.float32]], Any] = get_vad_model()
    except Exception:  # noqa: BLE001 - no faster-whisper/onnxruntime: the level tracker alone
        log.warning("voice activity detector unavailable; silence stop uses the level only")
        return None
    return model


def record(
    out_path: Path | str,
    *,
    stop: threading.Event,
    time_limit: float,
    device: int | str | None = None,
    silence_stop: float | None = None,
    on_audio: Callable[[NDArray[np.float32]], None] | None = None,
    on_level: Callable[[float], None] | None = None,
    samplerate: int | None = None,
    silence_threshold_db: float = -40.0,
    stall_timeout: float = 2.0,
) -> RecordingResult:
    """Record one take into out_path until stop, the time limit, trailing silence or device loss.

    The calling thread is the writer: the PortAudio callback only queues copies of its blocks,
    and this thread resamples them to 16 kHz, appends them to the WAV, and calls on_audio
    (each 16 kHz float32 block, exactly as written) and on_level (peak dBFS, about 20 times a
    second). Both callbacks run here, so they must be quick: hand heavy work to another thread.

    Args:
        out_path: The WAV to create (16 kHz, mono, 16-bit; mode 0600).
        stop: Set it from any thread to end the take.
        time_limit: Longest take in seconds of audio.
        device: Input device index or (part of) its name; None for the default.
        silence_stop: End after this many seconds without speech once speech has started:
            below silence_threshold_db, or (by the voice detector) steady noise above it.
        on_audio: Receives each block written, for incremental transcription.
        on_level: Receives the recent peak level in dBFS, for a meter.
        samplerate: Force the device's capture rate instead of choosing one.
        silence_threshold_db: RMS level below which a 30 ms frame counts as silence.
        stall_timeout: Seconds without a block before the device counts as stopped.
    """
    if time_limit <= 0:
        raise ValueError("time_limit must be > 0")
    sd = sounddevice_module(NoInputDevice)
    info = resolve_input(device)
    channels = choose_input_channels(info)
    rate = samplerate or choose_input_samplerate(info, channels)
    path = Path(out_path)

    blocks: queue.Queue[NDArray[np.int16]] = queue.Queue()
    overflows = 0

    def callback(indata: NDArray[np.int16], _frames: int, _time: Any, status: Any) -> None:
        # PortAudio's thread must never block: copy the block into the queue and return.
        nonlocal overflows
        if status.input_overflow:
            overflows += 1
        blocks.put(indata.copy())

    take = _Take(path)
    try:
        stream = sd.InputStream(
            samplerate=rate,
            device=info.index,
            channels=channels,
            # 16-bit like the take on disk; also spares ALSA a format conversion, which on
            # some plugins reads ahead and drops frames.
            dtype="int16",
            blocksize=_blocksize(rate),
            callback=callback,
        )
    except Exception as exc:  # noqa: BLE001 - PortAudio reports open failures with several types
        take.close()
        raise NoInputDevice(f"cannot open microphone {info.name!r}: {exc}") from exc

    resampler = StreamResampler(rate, SAMPLERATE)
    silence = _SilenceTracker(silence_threshold_db) if silence_stop is not None else None
    voice = _VoiceActivity() if silence_stop is not None else None
    limit_frames = round(time_limit * SAMPLERATE)
    ended_by: EndedBy | None = None
    level_peak = LEVEL_FLOOR_DB
    level_frames = 0

    def write(samples: NDArray[np.float32]) -> None:
        nonlocal level_peak, level_frames
        pcm = to_int16(samples[: limit_frames - take.frames])
        if len(pcm) == 0:
            return
        take.append(pcm)
        written = from_int16(pcm)
        if on_audio is not None:
            on_audio(written)
        if silence is not None:
            silence.feed(written)
        if voice is not None:
            voice.feed(written)
        if on_level is not None:
            level_peak = max(level_peak, peak_dbfs(written))
            level_frames += len(written)
            if level_frames >= _LEVEL_SECONDS * SAMPLERATE:
                on_level(level_peak)
                level_peak, level_frames = LEVEL_FLOOR_DB, 0

    try:
        stream.start()
    except Exception as exc:  # noqa: BLE001 - e.g. the device is busy or was just unplugged
        _close_stream(stream, _CLOSE_TIMEOUT)
        take.close()
        raise NoInputDevice(f"cannot start microphone {info.name!r}: {exc}") from exc
    try:
        last_block = time.monotonic()
        patience = max(stall_timeout, _FIRST_BLOCK_GRACE)
        while ended_by is None:
            if stop.is_set():
                ended_by = "stop"
                break
            try:
                block = blocks.get(timeout=0.05)
            except queue.Empty:
                if not stream.active or time.monotonic() - last_block > patience:
                    ended_by = "device_stopped"
                continue
            last_block = time.monotonic()
            patience = stall_timeout
            mono = (
                from_int16(block[:, 0]) if block.shape[1] == 1 else from_int16(block).mean(axis=1)
            )
            write(resampler.process(mono))
            if take.frames >= limit_frames:
                ended_by = "time_limit"
            elif silence is not None and silence_stop is not None:
                if silence.speech_started and silence.trailing_silence >= silence_stop:
                    ended_by = "silence"
                elif voice is not None and voice.speech_started:
                    if voice.trailing_silence >= silence_stop:
                        ended_by = "silence"
    except BaseException:
        # Ctrl+C (KeyboardInterrupt) too: a PortAudio stream still running when the interpreter
        # exits aborts the process ("terminate called without an active exception").
        _close_stream(stream, _CLOSE_TIMEOUT)
        take.close()
        raise
    _close_stream(stream, _WEDGED_CLOSE_TIMEOUT if ended_by == "device_stopped" else _CLOSE_TIMEOUT)
    if ended_by != "time_limit":
        write(resampler.flush())
    take.close()
    assert ended_by is not None
    return RecordingResult(
        path=path,
        duration=take.frames / SAMPLERATE,
        overflows=overflows,
        ended_by=ended_by,
        device=info.name,
    )


def _blocksize(rate: int) -> int:
    """A power-of-two block of at most ~64 ms: steady meter/writer cadence on every host API."""
    size = 256
    while size * 2 <= rate * 0.064:
        size *= 2
    return size


def _close_stream(stream: Any, timeout: float) -> None:
    """Abort and close without ever hanging: a wedged driver is left to a daemon thread."""

    def close() -> None:
        with contextlib.suppress(Exception):
            stream.abort()
        with contextlib.suppress(Exception):
            stream.close()

    closer = threading.Thread(target=close, name="mockcall-close-input", daemon=True)
    closer.start()
    closer.join(timeout)
    if closer.is_alive():
        log.warning("the input stream did not close within %.1f s; abandoning it", timeout)
