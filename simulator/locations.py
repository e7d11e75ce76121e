"""Where mockcall keeps its config and data: platformdirs, or one folder named by MOCKCALL_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "mockcall"


def _home() -> Path | None:
    value = os.environ.get("MOCKCALL_HOME")
    return Path(value).expanduser() if value else None


def _private_dir(path: Path) -> Path:
    # Transcripts and recordings are personal: the folders are readable by the user only.
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def config_dir() -> Path:
    """The config folder (possibly creating it)."""
    home = _home()
    return _private_dir(home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME)))


def data_dir() -> Path:
    """The data folder holding the history database and recordings (possibly creating it)."""
    home = _home()
    return _private_dir(home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME)))


def cache_dir() -> Path:
    """The cache folder for derived files such as converted model checkpoints (possibly creating it)."""
    home = _home()
    return _private_dir(home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME)))


def profile_file() -> Path:
    """The profile TOML file (name, phone, email, role, company)."""
    return config_dir() / "profile.toml"


def settings_file() -> Path:
    """The settings TOML file (devices, voice, engine, thresholds)."""
    return config_dir() / "settings.toml"


def user_scenarios_dir() -> Path:
    """The folder where a user's own scenario files are found (possibly creating it)."""
    return _private_dir(config_dir() / "scenarios")


def database_file() -> Path:
    """The SQLite history database."""
    return data_dir() / "history.sqlite3"


def recordings_dir() -> Path:
    """The folder holding every take's audio (possibly creating it)."""
    return _private_dir(data_dir() / "recordings")
