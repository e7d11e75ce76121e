"""Prosody of an answer, measured on its samples: a pitch track (YIN) and a loudness envelope.

The delivery-coaching checks (vocal variety, volume) read these; the transcriber's words say
where sentences start and end. The pitch tracker is YIN (de Cheveigné & Kawahara, "YIN, a
fundamental frequency estimator for speech and music", JASA 2002) on numpy: librosa's pyin would
bring numba, llvmlite and scikit-learn (over 200 MB) into every install for one function, and
praat-parselmouth is GPL. YIN is about sixty lines, vectorised, and checked against signals of
known pitch in tests/unit/test_prosody.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FRAME_SECONDS = 0.01
"""Hop between two pitch or loudness measurements (10 ms)."""
FMIN = 60.0
"""Lowest pitch tracked (Hz): below a low male speaking voice."""
FMAX = 400.0
"""Highest pitch tracked (Hz): above a high female or child speaking voice."""
_YIN_THRESHOLD = 0.15
"""Cumulative-mean-normalised difference below which a lag is taken as the period."""
_VOICED_FLOOR_DB = 35.0
"""Frames quieter than the loudest stretch by more than this are not looked at for pitch."""
_SILENCE_DBFS = -60.0
"""Frames below this level are silence whatever the rest of the answer does."""

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class Prosody:
    """Pitch and loudness of one answer, one value per 10 ms frame."""

    frame_seconds: float
    """Seconds between two frames (frame i is centred at i * frame_seconds)."""
    f0: tuple[float, ...]
    """Pitch in Hz per frame; 0.0 where the frame is unvoiced or silent."""
    rms_db: tuple[float, ...]
    """Loudness per frame in dBFS (RMS over 32 ms), floored at -100."""

    def frame_at(self, seconds: float) -> int:
        """Index of the frame nearest to a time, clamped to the track."""
        return min(max(0, round(seconds / self.frame_seconds)), max(0, len(self.rms_db) - 1))

    def window(self, start: float, end: float) -> slice:
        """Frames from START to END seconds."""
        return slice(self.frame_at(start), self.frame_at(end) + 1)


def measure(samples: FloatArray, rate: int) -> Prosody:
    """Pitch track and loudness envelope of mono samples at RATE."""
    x = np.asarray(samples, dtype=np.float32)
    if rate >= 16000 and rate % 8000 == 0:
        # Speaking pitch lives far below 4 kHz: 8 kHz halves the work and loses nothing.
        from scipy.signal import resample_poly

        x = resample_poly(x, 1, rate // 8000).astype(np.float32)
        rate = 8000
    hop = max(1, round(rate * FRAME_SECONDS))
    width = 1 << int(np.ceil(np.log2(rate * 0.032)))  # 32 ms: 256 samples at 8 kHz
    max_lag = int(np.ceil(rate / FMIN))
    min_lag = int(np.floor(rate / FMAX))
    span = width + max_lag
    if len(x) < span:
        x = np.concatenate([x, np.zeros(span - len(x), dtype=np.float32)])
    frames = np.lib.stride_tricks.sliding_window_view(x, span)[::hop]
    rms = np.sqrt(np.mean(frames[:, :width].astype(np.float64) ** 2, axis=1))
    rms_db = 20 * np.log10(np.maximum(rms, 1e-5))
    f0 = _yin(frames, width, min_lag, max_lag, rate)
    loud_enough = (rms_db > _SILENCE_DBFS) & (rms_db > np.percentile(rms_db, 95) - _VOICED_FLOOR_DB)
    f0 = np.where(loud_enough, f0, 0.0)
    return Prosody(
        FRAME_SECONDS,
        tuple(float(v) for v in np.round(f0, 2)),
        tuple(float(v) for v in np.round(rms_db, 2)),
    )


def _yin(
    frames: NDArray[np.float32], width: int, min_lag: int, max_lag: int, rate: int
) -> NDArray[np.float64]:
    """YIN pitch (Hz) of each frame, 0 where no lag is periodic enough."""
    # Circular correlation is exact for lags 0..max_lag once the size covers the whole frame.
    size = 1 << int(np.ceil(np.log2(frames.shape[1])))
    spectrum = np.fft.rfft(frames, size)
    head = np.fft.rfft(frames[:, :width], size)
    # r[t] = sum_j x[j] * x[j + t] for j < width, for every lag at once.
    corr = np.fft.irfft(np.conj(head) * spectrum, size)[:, : max_lag + 1].astype(np.float64)
    squares = np.cumsum(np.pad(frames.astype(np.float64) ** 2, ((0, 0), (1, 0))), axis=1)
    lags = np.arange(max_lag + 1)
    energy_at_lag = squares[:, lags + width] - squares[:, lags]
    # d(t) = sum_j (x[j] - x[j + t])^2, then normalised by its running mean (YIN steps 2-3).
    diff = np.maximum(energy_at_lag[:, :1] + energy_at_lag - 2 * corr, 0.0)
    running = np.cumsum(diff[:, 1:], axis=1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] * lags[1:] / np.maximum(running, 1e-12)
    below = cmnd[:, min_lag:max_lag] < _YIN_THRESHOLD
    voiced = below.any(axis=1)
    first = np.argmax(below, axis=1) + min_lag
    # Step 4: from the first lag under the threshold, walk down to the bottom of its dip.
    rising = np.ones_like(cmnd, dtype=bool)
    rising[:, :-1] = cmnd[:, 1:] >= cmnd[:, :-1]
    rising[lags[None, :] < first[:, None]] = False
    rising[:, max_lag - 1 :] = True
    lag = np.minimum(np.argmax(rising, axis=1), max_lag - 1)
    lag = np.maximum(lag, 1)
    rows = np.arange(len(frames))
    # Step 5: parabolic interpolation of the lag between samples.
    a, b, c = cmnd[rows, lag - 1], cmnd[rows, lag], cmnd[rows, lag + 1]
    denom = a - 2 * b + c
    safe = np.where(denom > 0, denom, 1.0)
    shift = np.where(denom > 0, np.clip(0.5 * (a - c) / safe, -1, 1), 0.0)
    f0: NDArray[np.float64] = np.where(voiced, rate / (lag + shift), 0.0)
    return f0


def semitones(f0: NDArray[np.float64]) -> NDArray[np.float64]:
    """Voiced pitch values as semitones from their median, octave slips (±12 st) dropped."""
    voiced = f0[f0 > 0]
    if len(voiced) == 0:
        return voiced
    st = 12 * np.log2(voiced / np.median(voiced))
    kept: NDArray[np.float64] = st[np.abs(st) < 12]
    return kept
