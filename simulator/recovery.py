"""Transcribing and grading the takes a crash or Ctrl+C left with audio only.

`mockcall recover` runs it on demand, the app in the background once its model is loaded, and
`mockcall run` on the take Ctrl+C stopped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from simulator import locations
from simulator.errors import UserError
from simulator.profile import Profile
from simulator.session import AnswerTranscriber
from simulator.store import Store, TakeRecord


@dataclass(frozen=True)
class RecoveryOutcome:
    """What one pass over the untranscribed takes did."""

    transcribed: tuple[TakeRecord, ...]
    """The takes transcribed and graded, as saved."""
    skipped: tuple[str, ...]
    """One line per take left as it was, saying why."""


def transcribe_recovered(
    store: Store,
    transcriber: AnswerTranscriber,
    *,
    session_id: int | None = None,
    stop: threading.Event | None = None,
    on_take: Callable[[TakeRecord], None] | None = None,
) -> RecoveryOutcome:
    """Transcribe and grade every recovered or interrupted take (of SESSION_ID only, if given)
    with the profile its session ran with; STOP ends the pass between takes."""
    from audio.transcribe import build_prompt, load_audio
    from simulator.grading import grade_step
    from simulator.scenario import find_scenario
    from simulator.settings import Settings, load_settings

    try:
        settings = load_settings()
    except UserError:
        settings = Settings()
    done: list[TakeRecord] = []
    skipped: list[str] = []
    for take, scenario_id, profile_json in store.untranscribed_takes():
        if session_id is not None and take.session_id != session_id:
            continue
        if stop is not None and stop.is_set():
            break
        assert take.audio_path is not None  # untranscribed_takes() lists takes with audio only
        label = f"session {take.session_id}, step {take.step_index + 1}, take {take.attempt}"
        try:
            scenario = find_scenario(scenario_id)
        except UserError:
            skipped.append(f"{label}: scenario {scenario_id!r} is no longer in the library")
            continue
        if take.step_index >= len(scenario.steps):
            skipped.append(f"{label}: scenario {scenario_id!r} has no step {take.step_index + 1}")
            continue
        profile = _profile_from(profile_json)
        try:
            samples = load_audio(take.audio_path)
        except Exception as exc:  # noqa: BLE001 - a damaged WAV is reported, the rest go on
            skipped.append(f"{label}: its audio cannot be read ({exc})")
            continue
        prompt = build_prompt(profile.name, profile.role, profile.company)
        transcript = transcriber.transcribe(samples, prompt=prompt)
        results = grade_step(
            scenario,
            take.step_index,
            transcript,
            profile,
            defaults=settings.general_check_defaults(),
        )
        store.complete_take(
            take.id,
            transcript,
            results,
            duration=take.duration,
            overflows=take.overflows,
            ended_by=take.ended_by or "recovered",
        )
        saved = store.get_take(take.id)
        done.append(saved)
        if on_take is not None:
            on_take(saved)
    return RecoveryOutcome(tuple(done), tuple(skipped))


def _profile_from(snapshot: str) -> Profile:
    try:
        data = json.loads(snapshot)
    except ValueError:
        data = {}
    known = {f.name for f in fields(Profile)}
    return Profile(**{k: str(v) for k, v in data.items() if k in known})


# Temporary names mockcall writes before moving a file into place, each with its writer's PID:
# write_private and write_wav (".NAME.PID.part"), the model download (NAME.PID.partial).
_PARTIAL = re.compile(r"\.(\d+)\.(?:part|partial)$")
_SAY_FOLDER = re.compile(r"^mockcall-say-(\d+)-")
_LEGACY_AGE_S = 3600.0
"""A prompt folder named without a PID is removed once it is this old."""


def remove_leftovers() -> int:
    """Delete the half-written files and prompt folders that killed runs left (their writer is
    gone); return how many were removed. Another running mockcall's files are left alone."""
    from simulator.store import _pid_alive

    removed = 0
    folders = [locations.config_dir(), locations.data_dir(), locations.cache_dir()]
    for folder in folders:
        for path in _walk_files(folder):
            match = _PARTIAL.search(path.name)
            if match and not _pid_alive(int(match.group(1))):
                path.unlink(missing_ok=True)
                removed += 1
    uid = os.getuid() if hasattr(os, "getuid") else None
    tmp = Path(tempfile.gettempdir())
    try:
        candidates = [p for p in tmp.iterdir() if p.name.startswith("mockcall-say-")]
    except OSError:
        return removed
    for path in candidates:
        try:
            info = path.lstat()
        except OSError:
            continue
        if not path.is_dir() or path.is_symlink() or (uid is not None and info.st_uid != uid):
            continue
        match = _SAY_FOLDER.match(path.name)
        gone = (
            not _pid_alive(int(match.group(1)))
            if match
            else time.time() - info.st_mtime > _LEGACY_AGE_S
        )
        if gone:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _walk_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        # Never into a linked folder: only what mockcall itself keeps is cleaned.
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        found += [Path(root, name) for name in files if _PARTIAL.search(name)]
    return found
