"""Fault injection through the real CLI: hostile files, planted links, closed pipes.

Each test runs `python -m simulator` in a subprocess (umask 022, like a default shell) with its
own MOCKCALL_HOME, attacks one thing, and checks what the user would: the exit status, one clear
line on stderr, what is (and is not) on disk, and its permissions.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simulator.scenario import MAX_SCENARIO_BYTES, MAX_STEPS

PROFILE = 'name = "Jordan Rivera"\nphone = "617 555 0142"\nrole = "Data Analyst"\n'
ANSWER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst role. My number is 617 555 0142. "
    "Again, Jordan Rivera, 617 555 0142. Thanks!"
)
ESC = "\x1b"


def mockcall(
    *args: str, stdout: int | None = subprocess.PIPE, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, with a default shell's umask."""
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=os.environ.copy(),
        timeout=timeout,
        preexec_fn=lambda: os.umask(0o022),
    )


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Assert exit 2 with exactly one line on stderr holding every fragment; return the line."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path: Path, profile: Path) -> str:
    """One saved session (a typed voicemail), for the export attacks."""
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    done = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(profile)
    )
    assert done.returncode == 0, done.stderr
    return "last"


# -- export -o FILE ----------------------------------------------------------------------------


def test_export_creates_a_private_file(tmp_path: Path, session: str) -> None:
    out = tmp_path / "session.md"
    result = mockcall("export", session, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Voicemail screening line")
    assert mode(out) == 0o600


def test_export_never_overwrites_without_force(tmp_path: Path, session: str) -> None:
    out = tmp_path / "notes.md"
    out.write_text("my own notes\n", encoding="utf-8")
    one_line_error(mockcall("export", session, "-o", str(out)), "already exists", "--force")
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    forced = mockcall("export", session, "--format", "json", "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["scenario"] == "voicemail-screening"
    assert mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_export_never_writes_through_a_symlink(tmp_path: Path, session: str, force: bool) -> None:
    target = tmp_path / "target.txt"
    target.write_text("precious\n", encoding="utf-8")
    dangling = tmp_path / "nowhere.txt"
    for name, points_to in (("link.md", target), ("dangling.md", dangling)):
        link = tmp_path / name
        link.symlink_to(points_to)
        args = ["export", session, "-o", str(link)] + (["--force"] if force else [])
        one_line_error(mockcall(*args), "symbolic link")
        assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert not dangling.exists()


def test_export_to_a_folder_or_a_missing_folder_is_bad_input(tmp_path: Path, session: str) -> None:
    one_line_error(mockcall("export", session, "-o", str(tmp_path)), "is a folder")
    missing = tmp_path / "no" / "such" / "folder" / "out.md"
    one_line_error(mockcall("export", session, "-o", str(missing)), "does not exist")
    assert not (tmp_path / "no").exists()


# -- bad input is exit 2 with one line ---------------------------------------------------------


def test_a_deeply_nested_profile_or_settings_file_is_bad_input(
    tmp_path: Path, profile: Path, mockcall_home: Path
) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("name = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    answer = tmp_path / "a.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    check = ["check", "voicemail-screening", "--answer-text", str(answer)]
    one_line_error(mockcall(*check, "--profile", str(deep)), "deep.toml", "nested too deeply")
    settings = mockcall_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[settings]\nrate = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n")
    one_line_error(mockcall(*check, "--profile", str(profile)), "settings.toml", "nested")


def wav_with_rate(path: Path, rate: int, frames: int = 16000) -> Path:
    """A valid PCM WAV of a tone, FRAMES long, whose header claims RATE samples per second."""
    data = (np.sin(np.arange(frames) / 5) * 8000).astype("<i2").tobytes()
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    riff = b"WAVE" + b"fmt " + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(riff)) + riff)
    return path


def test_a_wav_that_says_1_hz_is_bad_input(tmp_path: Path, profile: Path) -> None:
    wav = wav_with_rate(tmp_path / "one-hz.wav", 1)
    run = ["run", "voicemail-screening", "--no-voice", "--profile", str(profile)]
    one_line_error(mockcall(*run, "--answer", str(wav), timeout=60), "1 Hz")
    one_line_error(mockcall("transcribe", str(wav), timeout=60), "1 Hz")


def test_a_fifo_or_a_device_as_an_answer_is_named_for_what_it_is(
    tmp_path: Path, profile: Path
) -> None:
    fifo = tmp_path / "answer.wav"
    os.mkfifo(fifo)
    run = ["run", "voicemail-screening", "--no-voice", "--profile", str(profile)]
    line = one_line_error(mockcall(*run, "--answer", str(fifo), timeout=60), "named pipe")
    assert "not found" not in line
    line = one_line_error(mockcall(*run, "--answer", "/dev/zero", timeout=60), "a device")
    assert "not found" not in line
    check = ["check", "voicemail-screening", "--profile", str(profile)]
    one_line_error(mockcall(*check, "--answer-text", "/dev/zero", timeout=60), "a device")
    one_line_error(mockcall(*check, "--answer-text", str(tmp_path), timeout=60), "a folder")


def test_a_reader_that_goes_away_ends_history_quietly() -> None:
    # The same as `mockcall history | head -1` at its worst: the pipe is closed before any write.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        for _ in range(3):
            result = mockcall("history", stdout=write_end)
            assert result.returncode == 141, result.stderr
            assert result.stderr == ""
    finally:
        os.close(write_end)


# -- oversized scenarios -----------------------------------------------------------------------


def scenario_text(steps: int, title: str = "Big") -> str:
    step = "  - prompt: Tell me about yourself.\n    time_limit: 60\n    checks: [no_profanity]\n"
    return f"id: big\ntitle: {title}\nkind: interview\ndescription: d\nsteps:\n" + step * steps


def test_an_oversized_scenario_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write(scenario_text(1))
        handle.write("# padding\n" * (5 * (1 << 20) // 10))
    assert big.stat().st_size > MAX_SCENARIO_BYTES
    one_line_error(mockcall("validate", str(big), timeout=30), "too large for a scenario")


def test_too_many_steps_or_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    many.write_text(scenario_text(MAX_STEPS + 1), encoding="utf-8")
    one_line_error(mockcall("validate", str(many), timeout=30), f"at most {MAX_STEPS}")
    # Nine levels of ten aliases each: a few hundred bytes that stand for a billion values.
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        bomb.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    bomb.append("id: bomb\ntitle: B\nkind: interview\ndescription: d\nsteps: [*a8]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    one_line_error(mockcall("validate", str(path), timeout=30), "aliases")


def test_an_oversized_file_in_your_scenarios_folder_is_skipped_with_a_warning(
    tmp_path: Path, profile: Path, mockcall_home: Path
) -> None:
    folder = mockcall_home / "config" / "scenarios"
    folder.mkdir(parents=True)
    big = folder / "huge.yaml"
    big.write_text(scenario_text(1) + "# padding\n" * (MAX_SCENARIO_BYTES // 5), encoding="utf-8")
    answer = tmp_path / "a.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    result = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(profile)
    )
    assert result.returncode == 0, result.stderr
    # One warning; `check` also says where it saved the session.
    lines = [line for line in result.stderr.strip().splitlines() if "warning" in line]
    assert len(lines) == 1 and "huge.yaml" in lines[0], lines
    assert "too large" in lines[0]


# -- nothing raw reaches the terminal; everything written is private ---------------------------


def test_escape_codes_in_a_scenario_title_or_a_profile_name_are_stripped(
    tmp_path: Path, mockcall_home: Path
) -> None:
    folder = mockcall_home / "config" / "scenarios"
    folder.mkdir(parents=True)
    # PyYAML refuses a raw ESC, but a double-quoted string may spell one: \e, \x1b, \a.
    title = '"Evil \\e[2J\\x1b]0;pwned\\a title"'
    (folder / "evil.yaml").write_text(scenario_text(1, title), encoding="utf-8")
    listed = mockcall("scenarios")
    assert listed.returncode == 0, listed.stderr
    assert "Evil  title" in listed.stdout or "Evil title" in listed.stdout
    assert ESC not in listed.stdout and "\a" not in listed.stdout
    evil = tmp_path / "evil.toml"
    evil.write_text(
        'name = "Jordan \\u001b[31mRivera\\u001b[0m"\nphone = "617 555 0142"\n', encoding="utf-8"
    )
    shown = mockcall("profile", "--profile", str(evil))
    assert shown.returncode == 0, shown.stderr
    assert "Jordan Rivera" in shown.stdout and ESC not in shown.stdout
    typed = tmp_path / "typed.txt"
    typed.write_text(f"Hi {ESC}[31mthis is Jordan Rivera", encoding="utf-8")
    report = mockcall(
        "check", str(folder / "evil.yaml"), "--answer-text", str(typed), "--profile", str(evil)
    )
    assert report.returncode == 0, report.stderr
    assert ESC not in report.stdout + report.stderr


def test_takes_folders_and_config_are_private_whatever_the_umask(
    tmp_path: Path, profile: Path, mockcall_home: Path
) -> None:
    wav = wav_with_rate(tmp_path / "answer.wav", 16000)
    result = mockcall(
        "run",
        "voicemail-screening",
        "--no-voice",
        "--answer",
        str(wav),
        "--profile",
        str(profile),
        "--json",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    takes = list((mockcall_home / "data" / "recordings").rglob("*.wav"))
    assert takes and all(mode(t) == 0o600 for t in takes)
    assert mode(mockcall_home / "config" / "scenarios") == 0o700
    for folder in ("config", "data", "data/recordings", "cache"):
        assert mode(mockcall_home / folder) == 0o700, folder
    for path in (mockcall_home / "data").glob("history.sqlite3*"):
        assert mode(path) == 0o600, path


def test_no_room_to_save_a_file_answer_is_one_line_and_keeps_nothing_half_written(
    tmp_path: Path, profile: Path, mockcall_home: Path
) -> None:
    # A file-size limit makes the take's WAV fail to write the way a full disk does.
    wav = wav_with_rate(tmp_path / "answer.wav", 16000, frames=20 * 16000)  # 20 s, 640 KB

    def small_files() -> None:
        import resource
        import signal

        os.umask(0o022)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "voicemail-screening", "--no-voice"]
        + ["--answer", str(wav), "--profile", str(profile), "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        preexec_fn=small_files,
    )
    one_line_error(result, "cannot save the take", "size limit")
    recordings = mockcall_home / "data" / "recordings"
    assert [p for p in recordings.rglob("*") if p.is_file()] == []
    history = mockcall("history", "--all", "--json")  # a session with no take is hidden by default
    assert [s["status"] for s in json.loads(history.stdout)["sessions"]] == ["abandoned"]
