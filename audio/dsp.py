"""Pure signal helpers: read any audio file, resample, telephone band, beep, WAV writing, levels."""

from __future__ import annotations

import math
import os
import wave
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from audio.errors import AudioFileError

Samples = NDArray[np.float32]
"""Mono audio as float32 in [-1, 1]."""

LEVEL_FLOOR_DB = -120.0
"""What rms_dbfs/peak_dbfs report for digital silence, so meters never see -inf."""

PHONE_LOW_HZ = 300.0
"""Lower edge of the classic telephone voice band."""
PHONE_HIGH_HZ = 3400.0
"""Upper edge of the classic telephone voice band."""


def read_audio(path: Path | str) -> tuple[Samples, int]:
    """Decode WAV/FLAC/OGG/MP3 (soundfile) or M4A/AAC/… (PyAV) into mono float32 and its rate."""
    label = str(path)
    file = Path(path)
    if not file.exists():
        raise AudioFileError(f"{label}: no such file")
    if file.is_dir():
        raise AudioFileError(f"{label}: is a directory, not an audio file")
    if not os.access(file, os.R_OK):
        raise AudioFileError(f"{label}: permission denied")
    if file.stat().st_size == 0:
        raise AudioFileError(f"{label}: not a readable audio file (the file is empty)")

    import soundfile as sf

    try:
        data, samplerate = sf.read(str(file), dtype="float32", always_2d=True)
        channels = np.asarray(data, dtype=np.float32)
        mono = channels[:, 0] if channels.shape[1] == 1 else channels.mean(axis=1)
        rate = int(samplerate)
    except Exception as sf_error:  # noqa: BLE001 - libsndfile raises several types; PyAV gets a turn
        mono, rate = _read_with_av(file, label, sf_error)

    if mono.size == 0 or rate <= 0:
        raise AudioFileError(f"{label}: not a readable audio file (no audio samples)")
    # Float WAVs can carry NaN/inf; one of those would poison every filter downstream.
    return np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0).astype(np.float32), rate


def _read_with_av(file: Path, label: str, sf_error: Exception) -> tuple[Samples, int]:
    """Decode with FFmpeg (PyAV) the formats libsndfile does not know, such as M4A/AAC."""
    try:
        import av
    except ImportError:
        raise AudioFileError(f"{label}: not a readable audio file ({sf_error})") from sf_error

    try:
        with av.open(str(file)) as container:
            if not container.streams.audio:
                raise AudioFileError(f"{label}: not a readable audio file (no audio stream)")
            stream = container.streams.audio[0]
            rate = int(stream.rate or stream.codec_context.sample_rate or 0)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate or None)
            chunks: list[Samples] = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32).reshape(-1))
                    rate = out.sample_rate
            for out in resampler.resample(None):
                chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32).reshape(-1))
    except AudioFileError:
        raise
    except Exception as av_error:  # noqa: BLE001 - FFmpeg errors come in many subclasses
        reason = getattr(av_error, "strerror", None) or str(av_error) or type(av_error).__name__
        raise AudioFileError(f"{label}: not a readable audio file ({reason})") from av_error
    mono = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return mono, rate


def resample(x: NDArray[np.floating], sr_from: int, sr_to: int) -> Samples:
    """Resample a whole signal with a polyphase filter (scipy.signal.resample_poly)."""
    if sr_from == sr_to:
        return np.asarray(x, dtype=np.float32).copy()
    from scipy.signal import resample_poly

    g = math.gcd(int(sr_from), int(sr_to))
    out = resample_poly(np.asarray(x, dtype=np.float64), sr_to // g, sr_from // g)
    return np.asarray(out, dtype=np.float32)


class StreamResampler:
    """Block-by-block resampler whose output matches resample_poly on the whole signal."""

    def __init__(self, sr_from: int, sr_to: int) -> None:
        g = math.gcd(int(sr_from), int(sr_to))
        self.up = sr_to // g
        """Upsampling factor."""
        self.down = sr_from // g
        """Downsampling factor."""
        self._passthrough = self.up == self.down
        max_rate = max(self.up, self.down)
        # Same filter design as scipy.signal.resample_poly so both paths agree.
        self._half_len = 10 * max_rate
        taps_len = 2 * self._half_len + 1
        self._taps_per_output = -(-taps_len // self.up) + 1
        self._h = np.zeros(self._taps_per_output * self.up + self.up, dtype=np.float64)
        if not self._passthrough:
            from scipy.signal import firwin

            h = np.asarray(firwin(taps_len, 1.0 / max_rate, window=("kaiser", 5.0)))
            self._h[:taps_len] = h * self.up
        self._buf = np.zeros(0, dtype=np.float64)
        self._buf_start = 0
        self._n_in = 0
        self._n_out = 0

    def process(self, x: NDArray[np.floating]) -> Samples:
        """Feed input samples; return every output sample that is now fully determined."""
        if self._passthrough:
            return np.asarray(x, dtype=np.float32).copy()
        self._buf = np.concatenate([self._buf, np.asarray(x, dtype=np.float64)])
        self._n_in += len(x)
        ready = -(-(self._n_in * self.up - self._half_len) // self.down)
        return self._emit(ready)

    def flush(self) -> Samples:
        """Return the remaining output, treating the input as ending here."""
        if self._passthrough:
            return np.zeros(0, dtype=np.float32)
        # Input past the end counts as zeros (the mask in _emit), as resample_poly pads.
        return self._emit(-(-(self._n_in * self.up) // self.down))

    def _emit(self, end: int) -> Samples:
        if end <= self._n_out:
            return np.zeros(0, dtype=np.float32)
        n = np.arange(self._n_out, end, dtype=np.int64)
        t = n * self.down + self._half_len
        newest = t // self.up
        k = np.arange(self._taps_per_output, dtype=np.int64)
        m = newest[:, None] - k[None, :]
        hidx = (t - newest * self.up)[:, None] + k[None, :] * self.up
        local = m - self._buf_start
        valid = (m >= 0) & (local < len(self._buf))
        x = np.where(valid, self._buf[np.clip(local, 0, max(len(self._buf) - 1, 0))], 0.0)
        y = np.asarray(np.sum(x * self._h[hidx], axis=1), dtype=np.float32)
        self._n_out = end
        # Keep only the input the next output can still reach.
        oldest_needed = (end * self.down + self._half_len) // self.up - self._taps_per_output
        drop = max(0, min(oldest_needed - self._buf_start, len(self._buf)))
        self._buf = self._buf[drop:]
        self._buf_start += drop
        return y


def telephone_band(x: NDArray[np.floating], sr: int) -> Samples:
    """Make speech sound like a phone line: mild compression, mu-law, 300-3400 Hz band-pass."""
    from scipy.signal import butter, sosfiltfilt

    signal = np.asarray(x, dtype=np.float64)
    if signal.size == 0:
        return np.zeros(0, dtype=np.float32)
    peak = float(np.max(np.abs(signal)))
    if peak > 0:
        signal = signal / peak * 0.9

    # A slow level-riding 3:1 compressor above -20 dBFS, like a phone's AGC; the gain moves
    # slowly enough to add no audible distortion, and the band-pass below cleans up the rest.
    window = max(1, int(sr * 0.02))
    kernel = np.ones(window) / window
    envelope = np.sqrt(np.convolve(signal**2, kernel, mode="same"))
    threshold = 10 ** (-20 / 20)
    gain = np.where(envelope > threshold, (np.maximum(envelope, 1e-9) / threshold) ** (-2 / 3), 1.0)
    gain = np.convolve(gain, kernel, mode="same")
    signal = signal * gain

    # G.711-style 8-bit mu-law gives the grainy noise floor of a real line.
    mu = 255.0
    companded = np.sign(signal) * np.log1p(mu * np.minimum(np.abs(signal), 1.0)) / np.log1p(mu)
    quantised = np.round(companded * 127) / 127
    signal = np.sign(quantised) * np.expm1(np.abs(quantised) * np.log1p(mu)) / mu

    high = min(PHONE_HIGH_HZ, 0.45 * sr)
    sos = butter(6, [PHONE_LOW_HZ, high], btype="bandpass", fs=sr, output="sos")
    signal = np.asarray(sosfiltfilt(sos, signal))
    peak = float(np.max(np.abs(signal)))
    if peak > 0:
        signal = signal / peak * 10 ** (-3 / 20)
    return signal.astype(np.float32)


def beep(sr: int, freq: float = 1000.0, seconds: float = 0.4, level: float = 0.5) -> Samples:
    """A sine tone with 10 ms raised-cosine fades, so it starts and stops without a click."""
    n = max(1, round(sr * seconds))
    t = np.arange(n) / sr
    tone = level * np.sin(2 * np.pi * freq * t)
    fade = min(n // 2, max(1, round(sr * 0.01)))
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
    tone[:fade] *= ramp
    tone[n - fade :] *= ramp[::-1]
    return tone.astype(np.float32)


def silence(sr: int, seconds: float) -> Samples:
    """Digital silence of the given length."""
    return np.zeros(max(0, round(sr * seconds)), dtype=np.float32)


def to_int16(x: NDArray[np.floating]) -> NDArray[np.int16]:
    """Float [-1, 1] to little-endian int16, the inverse of from_int16 for every int16 value."""
    return np.clip(np.round(np.asarray(x, dtype=np.float64) * 32768.0), -32768, 32767).astype("<i2")


def from_int16(x: NDArray[np.integer]) -> Samples:
    """int16 samples to float32 in [-1, 1), with the same 1/32768 scale PortAudio uses."""
    return (np.asarray(x, dtype=np.float32) / np.float32(32768.0)).astype(np.float32)


def write_wav(path: Path | str, x: NDArray[np.floating], sr: int) -> Path:
    """Write mono 16-bit PCM WAV; the file appears complete or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with wave.open(str(partial), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(int(sr))
            out.writeframes(to_int16(x).tobytes())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def rms_dbfs(x: NDArray[np.floating]) -> float:
    """RMS level in dB relative to full scale (a full-scale sine reads about -3 dB)."""
    if len(x) == 0:
        return LEVEL_FLOOR_DB
    rms = float(np.sqrt(np.mean(np.square(np.asarray(x, dtype=np.float64)))))
    return _to_db(rms)


def peak_dbfs(x: NDArray[np.floating]) -> float:
    """Peak level in dB relative to full scale."""
    if len(x) == 0:
        return LEVEL_FLOOR_DB
    return _to_db(float(np.max(np.abs(x))))


def _to_db(value: float) -> float:
    if value <= 0:
        return LEVEL_FLOOR_DB
    return max(LEVEL_FLOOR_DB, 20 * math.log10(value))
