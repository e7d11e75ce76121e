"""User settings (devices, voice, engine, thresholds), stored as TOML beside the profile."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from simulator import locations
from simulator.errors import UserError
from simulator.safe_io import read_toml, write_private

ENGINES: tuple[str, ...] = ("faster-whisper", "openai-whisper")
VOICE_KINDS: tuple[str, ...] = ("system", "neural")


@dataclass(frozen=True)
class Settings:
    """Everything the user can change in the settings screen."""

    input_device: str = ""
    """Microphone: a PortAudio device index or name fragment; "" for the system default."""
    output_device: str = ""
    """Speakers: a PortAudio device index or name fragment; "" for the system default."""
    voice_kind: str = "system"
    """"system" (pyttsx3) or "neural" (piper, the neural-voice extra)."""
    voice: str = ""
    """A system voice id or name fragment; "" uses the scenario persona's voice."""
    rate: int = 0
    """Speaking rate in words per minute; 0 uses the scenario persona's rate."""
    engine: str = "faster-whisper"
    """Transcription engine."""
    model: str = ""
    """Whisper model name or path; "" for the bundled tiny.en."""
    silence_stop: float = 4.0
    """Stop recording after this many seconds of silence once you have spoken; 0 turns it off."""
    filler_max_per_minute: float = 4.0
    """Default bound for the filler_rate check."""
    pace_min_wpm: int = 110
    """Default lower bound for the pace check."""
    pace_max_wpm: int = 170
    """Default upper bound for the pace check."""
    long_pause_seconds: float = 2.5
    """Default bound for the long_pauses check."""
    first_word_seconds: float = 3.0
    """Default bound for the first_word_latency check."""
    tour_seen: bool = False
    """True once the app's first-run tour was finished or skipped, so it is not shown again."""
    show_script: bool = True
    """Show the interviewer's line on screen; off, the drill is by ear as a real call is."""
    live_checklist: bool = True
    """While answering, tick the step's must-haves (name, number…) as they are heard."""

    def general_check_defaults(self) -> dict[str, dict[str, Any]]:
        """Threshold parameters for the general checks, before a scenario's own overrides."""
        return {
            "filler_rate": {"max_per_minute": self.filler_max_per_minute},
            "pace": {"min_wpm": self.pace_min_wpm, "max_wpm": self.pace_max_wpm},
            "long_pauses": {"max_seconds": self.long_pause_seconds},
            "first_word_latency": {"max_seconds": self.first_word_seconds},
        }


def _validate(settings: Settings, where: str) -> Settings:
    if settings.engine not in ENGINES:
        raise UserError(
            f"{where}: engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}"
        )
    if settings.voice_kind not in VOICE_KINDS:
        raise UserError(f"{where}: voice_kind must be one of {', '.join(VOICE_KINDS)}")
    if settings.rate and not 80 <= settings.rate <= 400:
        raise UserError(f"{where}: rate must be between 80 and 400 words per minute (or 0)")
    if settings.pace_min_wpm >= settings.pace_max_wpm:
        raise UserError(f"{where}: pace_min_wpm must be below pace_max_wpm")
    if settings.silence_stop < 0:
        raise UserError(f"{where}: silence_stop must be >= 0")
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives the defaults."""
    target = path or locations.settings_file()
    if not target.exists():
        return Settings()
    raw = read_toml(target)
    table = raw.get("settings", raw)
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise UserError(f"{target}: unknown setting {key!r}")
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        # bool is an int in Python: a number setting must not take true/false, nor the reverse.
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            raise UserError(f"{target}: settings.{key}: must be a {expected.__name__}")
        values[key] = value
    return _validate(Settings(**values), str(target))


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write settings as TOML (user-readable only) and return the file written."""
    target = path or locations.settings_file()
    _validate(settings, str(target))
    # Written 0600 to a fresh temporary name and moved into place: never through a link
    # planted at the file or at a fixed temporary name ("settings.tmp" once was one).
    write_private(target, tomli_w.dumps({"settings": asdict(settings)}), force=True)
    return target


def update_settings(settings: Settings, **changes: Any) -> Settings:
    """Return settings with the given fields replaced, validated."""
    return _validate(replace(settings, **changes), "settings")
