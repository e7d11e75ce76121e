"""Pure signal helpers: reading files, resampling, the phone band, the beep, WAVs and levels."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from numpy.typing import NDArray
from scipy.signal import resample_poly

from audio.dsp import (
    LEVEL_FLOOR_DB,
    StreamResampler,
    beep,
    from_int16,
    peak_dbfs,
    read_audio,
    resample,
    rms_dbfs,
    silence,
    telephone_band,
    to_int16,
    write_wav,
)
from audio.errors import AudioFileError


def sine(freq: float, sr: int, seconds: float, level: float = 0.5) -> NDArray[np.float32]:
    t = np.arange(round(sr * seconds)) / sr
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def level_at(x: NDArray[np.float32], sr: int, freq: float) -> float:
    """Spectral magnitude (dB) at freq, Hann-windowed."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / sr)
    near = np.abs(freqs - freq) <= 3
    return float(20 * np.log10(spectrum[near].max() + 1e-12))


@pytest.mark.parametrize("sr", [8000, 16000, 22050, 44100])
def test_telephone_band_keeps_only_300_to_3400_hz(sr: int) -> None:
    low, mid, high = sine(100, sr, 2.0), sine(1000, sr, 2.0), sine(min(6000, sr * 0.48), sr, 2.0)
    out = telephone_band((low + mid + high) / 3, sr)

    assert out.dtype == np.float32 and len(out) == 2 * sr
    reference = level_at(out, sr, 1000)
    assert level_at(out, sr, 100) < reference - 40
    if sr > 8000:
        assert level_at(out, sr, 6000) < reference - 40
    # The band edges pass (a little down, as on a real line).
    edges = telephone_band((sine(400, sr, 2.0) + sine(3000, sr, 2.0)) / 2, sr)
    assert level_at(edges, sr, 400) > level_at(edges, sr, 3000) - 6 > level_at(edges, sr, 400) - 12
    assert peak_dbfs(out) == pytest.approx(-3.0, abs=0.01)


def test_telephone_band_of_nothing_is_nothing() -> None:
    assert len(telephone_band(np.zeros(0, dtype=np.float32), 16000)) == 0
    assert not telephone_band(np.zeros(1600, dtype=np.float32), 16000).any()


@pytest.mark.parametrize(("freq", "sr"), [(1000, 16000), (1000, 22050), (850, 44100)])
def test_beep_is_at_its_frequency_and_fades(freq: float, sr: int) -> None:
    tone = beep(sr, freq=freq, seconds=0.4)

    assert len(tone) == round(0.4 * sr)
    peak_hz = np.fft.rfftfreq(len(tone), 1 / sr)[np.argmax(np.abs(np.fft.rfft(tone)))]
    assert abs(peak_hz - freq) <= sr / len(tone)
    assert abs(tone[0]) < 1e-3 and abs(tone[-1]) < 1e-2
    assert peak_dbfs(tone) == pytest.approx(-6.02, abs=0.05)
    # No click: the first 10 ms rise smoothly.
    assert np.abs(tone[: int(0.002 * sr)]).max() < 0.05


def test_silence_is_zeros_of_the_right_length() -> None:
    quiet = silence(22050, 0.5)
    assert len(quiet) == 11025 and not quiet.any() and quiet.dtype == np.float32


@pytest.mark.parametrize(
    ("sr_from", "sr_to"), [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000)]
)
def test_resample_length_and_tone(sr_from: int, sr_to: int) -> None:
    out = resample(sine(440, sr_from, 1.0), sr_from, sr_to)

    assert len(out) == sr_to
    assert level_at(out, sr_to, 440) > level_at(out, sr_to, 880) + 60


@pytest.mark.parametrize(
    ("sr_from", "sr_to"), [(48000, 16000), (44100, 16000), (16000, 16000), (8000, 16000)]
)
def test_stream_resampler_matches_resample_poly_for_any_blocks(sr_from: int, sr_to: int) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(0, 0.2, sr_from * 2).astype(np.float32)
    stream = StreamResampler(sr_from, sr_to)
    pieces: list[NDArray[np.float32]] = []
    start = 0
    while start < len(x):
        size = int(rng.integers(1, 4000))
        pieces.append(stream.process(x[start : start + size]))
        start += size
    pieces.append(stream.flush())
    streamed = np.concatenate(pieces)

    whole = resample_poly(x.astype(np.float64), stream.up, stream.down)
    assert len(streamed) == len(whole)
    np.testing.assert_allclose(streamed, whole, atol=1e-6)


def test_int16_round_trip_is_exact_for_every_value() -> None:
    every = np.arange(-32768, 32768, dtype=np.int16)
    np.testing.assert_array_equal(to_int16(from_int16(every)), every)
    assert to_int16(np.array([1.5, -1.5], dtype=np.float32)).tolist() == [32767, -32768]


def test_write_wav_then_read_audio(tmp_path: Path) -> None:
    x = from_int16(np.random.default_rng(5).integers(-20000, 20000, 8000).astype(np.int16))
    path = write_wav(tmp_path / "deep" / "x.wav", x, 8000)

    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
    y, sr = read_audio(path)
    assert sr == 8000
    np.testing.assert_array_equal(y, x)
    assert [p.name for p in path.parent.iterdir()] == ["x.wav"]


@pytest.mark.parametrize("suffix", ["flac", "ogg", "mp3"])
def test_read_audio_decodes_common_formats_and_downmixes(suffix: str, tmp_path: Path) -> None:
    tone = sine(440, 16000, 1.0)
    path = tmp_path / f"answer.{suffix}"
    sf.write(path, np.stack([tone, tone * 0.5], axis=1), 16000)

    y, sr = read_audio(path)

    assert sr == 16000 and y.ndim == 1 and y.dtype == np.float32
    assert abs(len(y) - 16000) < 1200
    assert peak_dbfs(y) == pytest.approx(20 * np.log10(0.375), abs=1.0)
    assert level_at(y, sr, 440) > level_at(y, sr, 1000) + 40


def test_read_audio_decodes_m4a_with_ffmpeg(tmp_path: Path) -> None:
    import av

    tone = sine(440, 16000, 1.0)
    path = tmp_path / "answer.m4a"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(tone[None, :], format="fltp", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)

    y, sr = read_audio(path)

    assert sr == 16000 and 16000 <= len(y) < 18000
    assert level_at(y, sr, 440) > level_at(y, sr, 1000) + 30


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "Invalid data found when processing input"),
        (b"hello, this is not audio\n" * 40, "Invalid data found when processing input"),
    ],
)
def test_unreadable_files_are_one_clear_line(content: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    path.write_bytes(content)

    with pytest.raises(AudioFileError) as caught:
        read_audio(path)

    assert str(caught.value) == f"{path}: not a readable audio file ({reason})"


def test_header_only_wav_has_no_samples(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "answer.wav", np.zeros(0, dtype=np.float32), 16000)

    with pytest.raises(AudioFileError, match=r"answer.wav: not a readable audio file \(no audio"):
        read_audio(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match=r"nope.wav: no such file$"):
        read_audio(tmp_path / "nope.wav")
    with pytest.raises(AudioFileError, match="is a directory"):
        read_audio(tmp_path)


def test_levels_in_dbfs() -> None:
    full_sine = sine(1000, 16000, 1.0, level=1.0)

    assert rms_dbfs(full_sine) == pytest.approx(-3.01, abs=0.01)
    assert peak_dbfs(full_sine) == pytest.approx(0.0, abs=0.01)
    assert peak_dbfs(full_sine * 0.1) == pytest.approx(-20.0, abs=0.01)
    assert rms_dbfs(np.zeros(100, dtype=np.float32)) == LEVEL_FLOOR_DB
    assert peak_dbfs(np.zeros(0, dtype=np.float32)) == LEVEL_FLOOR_DB
