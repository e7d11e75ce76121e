"""Find microphones and speakers through PortAudio, and pick settings they accept."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from audio.errors import AudioError, NoInputDevice, NoOutputDevice

PREFERRED_INPUT_RATES = (16000, 48000, 44100)
"""Capture rates to try, best first: 16 kHz is what Whisper wants, the others resample cleanly."""

_ANSWER_HINT = "answer from a file with --answer FILE"
_VOICE_HINT = "use --no-voice to read the prompts instead"


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device as the user would pick it."""

    index: int
    """PortAudio's device index (valid until the device list is rescanned)."""
    name: str
    """The device's name as PortAudio reports it."""
    max_input_channels: int
    """How many channels it can record; 0 for a speaker-only device."""
    max_output_channels: int
    """How many channels it can play; 0 for a microphone-only device."""
    default_samplerate: float
    """The rate the host API suggests for this device."""
    is_default_input: bool
    """True for the system's default microphone."""
    is_default_output: bool
    """True for the system's default speaker."""


def sounddevice_module(error: type[AudioError]) -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into a one-line device error."""
    try:
        import sounddevice
    except OSError as exc:
        raise error(f"no audio devices: the PortAudio library is not available ({exc})") from exc
    module: ModuleType = sounddevice
    return module


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio sees, in index order; empty when PortAudio is missing."""
    try:
        sd = sounddevice_module(NoInputDevice)
    except NoInputDevice:
        return []
    return _list(sd)


def _list(sd: ModuleType) -> list[DeviceInfo]:
    default_in, default_out = _default_indices(sd)
    devices: list[DeviceInfo] = []
    for raw in sd.query_devices():
        entry: dict[str, Any] = dict(raw)
        index = int(entry["index"])
        devices.append(
            DeviceInfo(
                index=index,
                name=str(entry["name"]),
                max_input_channels=int(entry["max_input_channels"]),
                max_output_channels=int(entry["max_output_channels"]),
                default_samplerate=float(entry["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return devices


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    # Unless the app set sd.default.device, this reads PortAudio's defaults (-1 when none).
    default_in, default_out = sd.default.device
    return int(default_in), int(default_out)


def rescan() -> list[DeviceInfo]:
    """Re-initialise PortAudio so devices plugged in since start-up show up, and list them."""
    try:
        sd = sounddevice_module(NoInputDevice)
    except NoInputDevice:
        return []
    # sounddevice only scans at import; these private calls are its documented re-scan recipe.
    sd._terminate()
    sd._initialize()
    return _list(sd)


def resolve_input(device: int | str | None = None) -> DeviceInfo:
    """The microphone to record from: by index, by (part of) its name, or the default."""
    sd = sounddevice_module(NoInputDevice)
    devices = _list(sd)
    inputs = [d for d in devices if d.max_input_channels > 0]
    chosen = _resolve(device, devices, inputs, default=lambda d: d.is_default_input)
    if chosen is not None:
        return chosen
    if device is None or device == "":
        if not devices:
            raise NoInputDevice(f"no microphone found (no audio devices at all); {_ANSWER_HINT}")
        raise NoInputDevice(
            f"no microphone found (devices: {_names(devices)}); connect one or {_ANSWER_HINT}"
        )
    raise NoInputDevice(
        f"input device {str(device)!r} not found (microphones: {_names(inputs)}); "
        f"pick one of those or {_ANSWER_HINT}"
    )


def resolve_output(device: int | str | None = None) -> DeviceInfo:
    """The speaker to play prompts on: by index, by (part of) its name, or the default."""
    sd = sounddevice_module(NoOutputDevice)
    devices = _list(sd)
    outputs = [d for d in devices if d.max_output_channels > 0]
    chosen = _resolve(device, devices, outputs, default=lambda d: d.is_default_output)
    if chosen is not None:
        return chosen
    if device is None or device == "":
        if not devices:
            raise NoOutputDevice(f"no speaker found (no audio devices at all); {_VOICE_HINT}")
        raise NoOutputDevice(f"no speaker found (devices: {_names(devices)}); {_VOICE_HINT}")
    raise NoOutputDevice(
        f"output device {str(device)!r} not found (speakers: {_names(outputs)}); "
        f"pick one of those or {_VOICE_HINT}"
    )


def _resolve(
    device: int | str | None,
    devices: list[DeviceInfo],
    usable: list[DeviceInfo],
    default: Any,
) -> DeviceInfo | None:
    if device is None or device == "":
        for d in usable:
            if default(d):
                return d
        # No system default (common with bare ALSA): the first usable device is the best guess.
        return usable[0] if usable else None
    if isinstance(device, int) or str(device).strip().isdigit():
        index = int(device)
        return next((d for d in usable if d.index == index), None)
    wanted = str(device).strip().casefold()
    exact = [d for d in usable if d.name.casefold() == wanted]
    if exact:
        return exact[0]
    return next((d for d in usable if wanted in d.name.casefold()), None)


def _names(devices: list[DeviceInfo]) -> str:
    return ", ".join(d.name for d in devices) if devices else "none"


def choose_input_samplerate(device: DeviceInfo, channels: int = 1) -> int:
    """The first capture rate the device accepts: 16000, 48000, 44100, then its own default."""
    sd = sounddevice_module(NoInputDevice)
    candidates = [*PREFERRED_INPUT_RATES, int(device.default_samplerate)]
    for rate in dict.fromkeys(candidates):
        try:
            sd.check_input_settings(
                device=device.index, channels=channels, dtype="int16", samplerate=rate
            )
        except Exception:  # noqa: BLE001,S112 - PortAudio says no with several error types
            continue
        return rate
    rates = ", ".join(str(r) for r in dict.fromkeys(candidates))
    raise NoInputDevice(
        f"microphone {device.name!r} accepts none of {rates} Hz with {channels} channel(s); "
        f"try another device or {_ANSWER_HINT}"
    )


def choose_input_channels(device: DeviceInfo) -> int:
    """Mono when the device allows it, else stereo (downmixed later): some drivers refuse mono."""
    sd = sounddevice_module(NoInputDevice)
    for channels in (1, 2):
        if channels > device.max_input_channels:
            break
        try:
            sd.check_input_settings(device=device.index, channels=channels, dtype="int16")
        except Exception:  # noqa: BLE001,S112 - try the next channel count
            continue
        return channels
    return 1 if device.max_input_channels < 2 else 2
