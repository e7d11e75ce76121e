"""Play a WAV (or any readable audio file) on a speaker, blocking until done or stopped."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from audio.devices import DeviceInfo, resolve_output, sounddevice_module
from audio.dsp import read_audio, resample
from audio.errors import NoOutputDevice

_POLL_SECONDS = 0.05
"""How often the waiting thread looks at the stop event."""
_STALL_GRACE_SECONDS = 5.0
"""Extra time past the audio's length before a speaker that stopped consuming is given up on."""


def play_file(
    path: Path | str,
    device: int | str | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Play an audio file; True when it played to the end, False when stop was set first."""
    samples, samplerate = read_audio(path)
    return play_samples(samples, samplerate, device=device, stop=stop)


def play_file_from(
    path: Path | str,
    start: float,
    device: int | str | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Play an audio file from START seconds in (an evidence quote's moment) to its end."""
    samples, samplerate = read_audio(path)
    first = min(max(0, round(start * samplerate)), len(samples))
    return play_samples(samples[first:], samplerate, device=device, stop=stop)


def play_samples(
    samples: NDArray[np.float32],
    samplerate: int,
    device: int | str | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Play mono float32 samples; True when they played to the end, False when stopped."""
    sd = sounddevice_module(NoOutputDevice)
    info = resolve_output(device)
    rate, channels = _output_settings(sd, info, samplerate)
    mono = samples if rate == samplerate else resample(samples, samplerate, rate)
    frames = np.ascontiguousarray(np.repeat(mono[:, None], channels, axis=1), dtype=np.float32)

    finished = threading.Event()
    position = 0

    def callback(outdata: NDArray[np.float32], frame_count: int, _time: Any, _status: Any) -> None:
        # Runs on PortAudio's thread: copy the next slice and nothing else.
        nonlocal position
        chunk = frames[position : position + frame_count]
        outdata[: len(chunk)] = chunk
        outdata[len(chunk) :] = 0
        position += frame_count
        if len(chunk) < frame_count:
            raise sd.CallbackStop

    try:
        stream = sd.OutputStream(
            samplerate=rate,
            device=info.index,
            channels=channels,
            dtype="float32",
            callback=callback,
            finished_callback=finished.set,
        )
    except Exception as exc:  # noqa: BLE001 - PortAudio reports open failures with several types
        raise NoOutputDevice(f"cannot open speaker {info.name!r}: {exc}") from exc

    deadline = time.monotonic() + len(frames) / rate + _STALL_GRACE_SECONDS
    with stream:
        while not finished.is_set():
            if stop is not None and stop.is_set():
                stream.abort()
                return False
            if time.monotonic() > deadline:
                stream.abort()
                raise NoOutputDevice(f"speaker {info.name!r} stopped playing")
            finished.wait(_POLL_SECONDS)
    return True


def _output_settings(sd: Any, info: DeviceInfo, samplerate: int) -> tuple[int, int]:
    """Keep the file's rate and mono when the device takes them; else its rate and/or stereo."""
    rates = dict.fromkeys([samplerate, int(info.default_samplerate), 48000, 44100])
    for channels in (1, 2):
        if channels > max(info.max_output_channels, 1):
            break
        for rate in rates:
            try:
                sd.check_output_settings(
                    device=info.index, channels=channels, dtype="float32", samplerate=rate
                )
            except Exception:  # noqa: BLE001,S112 - try the next combination
                continue
            return rate, channels
    raise NoOutputDevice(f"speaker {info.name!r} accepts none of the usual rates ({samplerate} Hz)")
