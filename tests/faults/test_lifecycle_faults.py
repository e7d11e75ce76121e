"""Fault injection on a take's life: Ctrl+C, a locked or damaged history, a full or read-only
disk, planted links, a reused PID, a deleted WAL, leftovers of a kill, retakes.

Each attack runs the real CLI in a subprocess on real SQLite (the microphone ones on the virtual
ALSA card of tests/audio/conftest.py) and checks what the user would: the exit status, the one
line said, what `history`/`show` list afterwards, and what is (and is not) on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from audio.dsp import read_audio, resample, write_wav
from audio.transcript import Transcript
from simulator.store import Store, process_started
from tests.audio.conftest import PacedFeeder, VirtualCard, zeros

PROFILE = '[profile]\nname = "Jordan Rivera"\nphone = "(617) 555-0142"\nrole = "Data Analyst"\n'
ANSWER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. You can reach me at "
    "six one seven, five five five, zero one four two. Again, that is Jordan Rivera."
)
TYPED = "Hi, this is Jordan Rivera about the Data Analyst role, 617 555 0142. Thanks!"
REPO_ROOT = Path(__file__).resolve().parents[2]


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ) | {"MOCKCALL_HOME": str(home)} | extra
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env


def mockcall(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess with its own MOCKCALL_HOME."""
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env or env_for(home),
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, exactly one line on stderr holding every fragment, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


@pytest.fixture
def typed(tmp_path: Path) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(TYPED, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The answer said by the real system voice, 16 kHz float32."""
    from audio.tts import SystemVoice

    folder = tmp_path_factory.mktemp("spoken")
    wav = SystemVoice().synthesize(ANSWER, folder / "answer.wav", voice="en-us", rate=160)
    samples, rate = read_audio(wav)
    return np.asarray(resample(samples, rate, 16000) if rate != 16000 else samples, np.float32)


@pytest.fixture
def spoken_wav(tmp_path: Path, spoken: np.ndarray[Any, np.dtype[np.float32]]) -> Path:
    return write_wav(tmp_path / "spoken.wav", spoken, 16000)


def check_session(home: Path, profile: Path, typed: Path) -> None:
    done = mockcall(home, "check", "voicemail-screening", "--answer-text", str(typed),
                    "--profile", str(profile))  # fmt: skip
    assert done.returncode == 0, done.stderr


def history(home: Path) -> list[dict[str, Any]]:
    listed = mockcall(home, "history", "--json")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout)["sessions"])


def exported(home: Path, session: str = "last") -> dict[str, Any]:
    done = mockcall(home, "export", session, "--format", "json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def wav_seconds(path: Path) -> float:
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / wav.getframerate()
    except (EOFError, wave.Error):
        return 0.0


# -- 1. Ctrl+C during a recording -----------------------------------------------------------------


def test_ctrl_c_while_recording_keeps_the_take_as_interrupted_and_transcribes_it(
    tmp_path: Path, profile: Path, spoken: np.ndarray[Any, np.dtype[np.float32]]
) -> None:
    card = VirtualCard.create(tmp_path / "paced-card", fifo=True)
    assert card.capture_source is not None
    pcm = np.round(np.clip(spoken, -1, 1) * 32767).astype("<i2")
    feeder = PacedFeeder(card.capture_source, np.concatenate([pcm, zeros(60.0)])).start()
    home = tmp_path / "home"
    env = card.env() | {"MOCKCALL_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", "voicemail-screening", "--no-voice",
         "--profile", str(profile)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        recordings = home / "data" / "recordings"
        while time.monotonic() < deadline:
            found = sorted(recordings.glob("session-*/*.wav")) if recordings.exists() else []
            if found and wav_seconds(found[0]) >= 4.0:
                break
            assert child.poll() is None, child.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("the take never reached 4 s on disk")
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=180)
    finally:
        feeder.close()
        if child.poll() is None:
            child.kill()
            child.wait()
    # Stopped by the user, not aborted (134) or crashed.
    assert child.returncode == 130, (child.returncode, err)
    assert "terminate called" not in err and "Traceback" not in err, err
    assert "interrupted take" in err and "kept" in err, err

    (session,) = history(home)
    assert session["takes"] == 1, session
    (take,) = exported(home)["takes"]
    assert take["ended_by"] == "interrupted", take
    assert take["duration"] is not None and take["duration"] >= 3.5, take
    # Transcribed before exit: a whole answer's words, with a margin for int8 ASR.
    assert take["status"] == "complete", take
    assert len(take["transcript"].split()) >= 5, take


# -- 3. a lock held by another program during a take ----------------------------------------------


def test_a_locked_history_never_loses_the_graded_report(
    tmp_path: Path, profile: Path, spoken_wav: Path
) -> None:
    home = tmp_path / "home"
    check_session(home, profile, _typed(tmp_path))
    db = home / "data" / "history.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", "voicemail-screening", "--no-voice",
         "--answer", str(spoken_wav), "--profile", str(profile)],
        env=env_for(home), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    err_lines: list[str] = []
    kept = threading.Event()

    def read_stderr() -> None:
        assert child.stderr is not None
        for line in child.stderr:
            err_lines.append(line)
            if "kept in" in line:
                kept.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    locker = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        # As soon as the take is begun, another program takes the write lock and keeps it.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            row = locker.execute("SELECT count(*) FROM takes WHERE status = 'recording'").fetchone()
            if row[0]:
                break
            assert child.poll() is None, "".join(err_lines)
            time.sleep(0.002)
        locker.execute("BEGIN IMMEDIATE")
        assert kept.wait(120), "".join(err_lines)
        locker.execute("ROLLBACK")
        out, _ = child.communicate(timeout=120)
    finally:
        locker.close()
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(10)
    err = "".join(err_lines)
    assert child.returncode == 0, err
    assert "Traceback" not in err
    assert "busy" in err and ".report.json" in err, err
    assert "Jordan" in out or "Rivera" in out, out  # the report was still printed
    pending = list((home / "data" / "recordings").glob("session-*/*.report.json"))
    assert len(pending) == 1, pending
    assert pending[0].name.endswith(".wav.report.json")  # beside its WAV

    # The next start merges it: the take is complete with its transcript and checks.
    sessions = history(home)
    assert not list((home / "data" / "recordings").glob("session-*/*.report.json"))
    take = exported(home, str(sessions[0]["session"]))["takes"]
    assert take[0]["status"] == "complete", take
    assert take[0]["checks"], take
    assert len(take[0]["transcript"].split()) >= 5


def _typed(folder: Path) -> Path:
    path = folder / "typed.txt"
    path.write_text(TYPED, encoding="utf-8")
    return path


# -- 4. a partly corrupt history --------------------------------------------------------------------


@pytest.fixture
def damaged_home(tmp_path: Path) -> Path:
    """A history of 40 finished sessions with one page of the takes table overwritten."""
    home = tmp_path / "home"
    db = home / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    with Store(db) as store:
        for _ in range(40):
            sid = store.start_session("voicemail-screening", "Voicemail", "voicemail", "text")
            take = store.begin_take(sid, 0, "Leave a message", None)
            store.complete_take(take, Transcript.from_text("hello there " * 100), [], None)
            store.finish_session(sid, True)
    raw = sqlite3.connect(db)
    (root,) = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'takes'").fetchone()
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    # The takes table's first page: sessions stay readable, the takes are not.
    with db.open("r+b") as fh:
        fh.seek(page_size * (root - 1))
        fh.write(np.random.default_rng(0).integers(0, 256, 200, dtype=np.uint8).tobytes())
    return home


def test_a_damaged_history_is_one_line_and_never_written_into(
    damaged_home: Path, profile: Path, typed: Path
) -> None:
    db = damaged_home / "data" / "history.sqlite3"
    before = digest(db)
    result = mockcall(damaged_home, "check", "voicemail-screening", "--answer-text", str(typed),
                      "--profile", str(profile))  # fmt: skip
    line = one_line_error(result, "damaged", "nothing was written")
    assert "left untouched" not in line
    assert digest(db) == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0

    # Reading what is readable: one warning line, then the table (or one error line).
    listed = mockcall(damaged_home, "history")
    assert "Traceback" not in listed.stderr
    assert listed.returncode in (0, 2), listed.stderr
    assert digest(db) == before


async def test_the_app_reviews_a_damaged_history_read_only_with_a_notice(
    damaged_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from simulator.profile import Profile, save_profile
    from simulator.settings import Settings, save_settings
    from simulator.tui.app import make_app
    from simulator.tui.screens.library import LibraryScreen
    from simulator.tui.screens.review import ReviewScreen
    from simulator.tui.screens.trends import TrendsScreen
    from tests.tui.fakes import CannedRecorder, FixedTranscriber, InstantVoice, write_canned_answer

    monkeypatch.setenv("MOCKCALL_HOME", str(damaged_home))
    save_profile(Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst"))
    save_settings(Settings(tour_seen=True))
    db = damaged_home / "data" / "history.sqlite3"
    before = digest(db)
    app = make_app(
        voice=InstantVoice(),
        recorder=CannedRecorder(write_canned_answer(tmp_path / "canned.wav")),
        transcriber_factory=lambda: FixedTranscriber(TYPED),
    )
    assert app.store.read_only
    assert any("damaged" in notice for notice in app._notices), app._notices
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("v")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen.sessions) == 40  # what is readable is listed
        await pilot.press("enter")  # a session whose takes cannot be read: a notice
        await pilot.pause(0.2)
        await pilot.press("escape")
        await pilot.pause(0.2)
        if not isinstance(app.screen, ReviewScreen):
            await pilot.press("v")
            await pilot.pause(0.2)
        await pilot.press("t")
        await pilot.pause(0.2)
        assert isinstance(app.screen, (TrendsScreen, ReviewScreen))
    assert app.return_code in (None, 0)
    assert digest(db) == before


# -- 5. recovered takes are transcribed on demand -------------------------------------------------


def test_mockcall_recover_transcribes_a_take_a_crash_left(tmp_path: Path, spoken_wav: Path) -> None:
    home = tmp_path / "home"
    db = home / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    snapshot = json.dumps({"name": "Jordan Rivera", "phone": "(617) 555-0142",
                           "role": "Data Analyst"})  # fmt: skip
    with Store(db) as store:
        sid = store.start_session("voicemail-screening", "Voicemail", "voicemail",
                                  "faster-whisper", "tiny.en", snapshot)  # fmt: skip
        wav = home / "data" / "recordings" / f"session-{sid:05d}" / "step01-take01.wav"
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(spoken_wav.read_bytes())
        store.begin_take(sid, 0, "Leave a message", wav)
        # The run that owned it died: a PID no process has.
        store._conn.execute("UPDATE sessions SET owner_pid = 2147480000")
    shown = mockcall(home, "show", "last")
    assert shown.returncode == 0, shown.stderr
    assert "not transcribed yet" in shown.stdout

    done = mockcall(home, "recover")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    shown = mockcall(home, "show", "last")
    assert "not transcribed yet" not in shown.stdout
    said = next(ln for ln in shown.stdout.splitlines() if "You said:" in ln)
    assert len(said.split()) >= 7, said
    again = mockcall(home, "recover")
    assert again.returncode == 0 and "nothing to recover" in again.stdout


async def test_the_app_transcribes_kept_takes_in_the_background_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.profile import Profile, save_profile
    from simulator.settings import Settings, save_settings
    from simulator.tui.app import make_app
    from tests.tui.fakes import CannedRecorder, FixedTranscriber, InstantVoice, write_canned_answer
    from tests.tui.helpers import until

    home = tmp_path / "home"
    monkeypatch.setenv("MOCKCALL_HOME", str(home))
    save_profile(Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst"))
    save_settings(Settings(tour_seen=True))
    with Store() as store:
        snapshot = json.dumps({"name": "Jordan Rivera", "role": "Data Analyst"})
        sid = store.start_session("voicemail-screening", "Voicemail", "voicemail", "", "", snapshot)
        wav = store.recording_path(sid, 0)
        write_canned_answer(wav)
        take_id = store.begin_take(sid, 0, "Leave a message", wav)
        store._conn.execute("UPDATE sessions SET owner_pid = 2147480000")  # the run died
    app = make_app(
        voice=InstantVoice(),
        recorder=CannedRecorder(write_canned_answer(tmp_path / "canned.wav")),
        transcriber_factory=lambda: FixedTranscriber(TYPED),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.store.get_take(take_id).status == "complete", 30)
    take = app.store.get_take(take_id)
    assert take.transcript is not None and "Jordan Rivera" in take.transcript.text
    assert any(r.id == "says_name" and r.status == "pass" for r in take.results)


# -- 6. a full disk, a read-only folder ---------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (root only: skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_named_as_the_cause(small_disk: Path, profile: Path, typed: Path) -> None:
    home = small_disk / "home"
    check_session(home, profile, typed)
    filler = small_disk / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    result = mockcall(home, "check", "voicemail-screening", "--answer-text", str(typed),
                      "--profile", str(profile))  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "full" in result.stderr, result.stderr
    assert "move it aside" not in result.stderr and "damaged" not in result.stderr
    shown = mockcall(home, "show", "last")
    assert shown.returncode == 0, shown.stderr
    assert "Voicemail" in shown.stdout


def test_a_read_only_folder_is_named_and_show_and_export_still_work(
    small_disk: Path, profile: Path, typed: Path
) -> None:
    home = small_disk / "home"
    check_session(home, profile, typed)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = mockcall(home, "check", "voicemail-screening", "--answer-text", str(typed),
                      "--profile", str(profile))  # fmt: skip
    line = one_line_error(result, "read-only")
    assert "move it aside" not in line and "damaged" not in line
    shown = mockcall(home, "show", "last")
    assert shown.returncode == 0, shown.stderr
    assert "Jordan Rivera" in shown.stdout
    assert "Traceback" not in shown.stderr
    out = exported(home)
    assert out["scenario"] == "voicemail-screening"


# -- 8. no telemetry outside mockcall's folders ---------------------------------------------------


def test_voice_detection_writes_nothing_outside_the_apps_folders(
    tmp_path: Path, spoken_wav: Path
) -> None:
    fake_home = tmp_path / "user-home"
    fake_home.mkdir()
    env = env_for(tmp_path / "mockcall-home", HOME=str(fake_home))
    env.pop("XDG_CACHE_HOME", None)
    env.pop("ORT_DISABLE_TELEMETRY", None)
    done = mockcall(tmp_path / "mockcall-home", "transcribe", str(spoken_wav), "--no-prompt",
                    env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) >= 5  # voice detection really ran on speech
    assert [str(p.relative_to(fake_home)) for p in fake_home.rglob("*")] == []


# -- 11. planted symbolic links -------------------------------------------------------------------


def test_a_link_at_the_database_path_is_refused(tmp_path: Path, profile: Path, typed: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    (home / "data" / "history.sqlite3").symlink_to(elsewhere)
    result = mockcall(home, "check", "voicemail-screening", "--answer-text", str(typed),
                      "--profile", str(profile))  # fmt: skip
    one_line_error(result, "symbolic link")
    assert not elsewhere.exists()


def test_a_link_at_profile_tmp_is_never_written_through(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    target = tmp_path / "precious.txt"
    target.write_text("precious\n", encoding="utf-8")
    (home / "config" / "profile.tmp").symlink_to(target)
    done = mockcall(home, "profile", "--name", "Jordan Rivera")
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == "precious\n"
    saved = home / "config" / "profile.toml"
    assert not saved.is_symlink() and "Jordan Rivera" in saved.read_text(encoding="utf-8")


def test_a_link_at_a_takes_path_is_refused(tmp_path: Path, profile: Path, spoken_wav: Path) -> None:
    home = tmp_path / "home"
    folder = home / "data" / "recordings" / "session-00001"
    folder.mkdir(parents=True)
    target = tmp_path / "precious.wav"
    target.write_bytes(b"precious")
    (folder / "step01-take01.wav").symlink_to(target)
    result = mockcall(home, "run", "voicemail-screening", "--no-voice", "--json", "--answer",
                      str(spoken_wav), "--profile", str(profile))  # fmt: skip
    one_line_error(result, "symbolic link")
    assert target.read_bytes() == b"precious"


# -- 12. a reused PID, a deleted WAL, leftovers of a kill ---------------------------------------------


def test_a_crashed_runs_pid_reused_by_another_program_does_not_keep_its_take_recording(
    tmp_path: Path, spoken_wav: Path
) -> None:
    home = tmp_path / "home"
    db = home / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    with Store(db) as store:
        sid = store.start_session("voicemail-screening", "Voicemail", "voicemail")
        wav = home / "data" / "recordings" / f"session-{sid:05d}" / "step01-take01.wav"
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(spoken_wav.read_bytes())
        store.begin_take(sid, 0, "Leave a message", wav)
    # The run died and another program now has its PID (its start time is not the run's).
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        raw = sqlite3.connect(db, isolation_level=None)
        raw.execute("UPDATE sessions SET owner_pid = ?", (other.pid,))
        raw.close()
        assert process_started(other.pid) != ""
        (session,) = history(home)
        assert session["takes"] == 1, session
        (take,) = exported(home)["takes"]
        assert take["status"] == "recovered" and take["duration"] > 3, take
    finally:
        other.kill()
        other.wait()


def test_deleting_the_wal_drops_no_committed_session(
    tmp_path: Path, profile: Path, typed: Path
) -> None:
    home = tmp_path / "home"
    check_session(home, profile, typed)
    db = home / "data" / "history.sqlite3"
    # Another program keeps the history open, so the WAL outlives each mockcall that writes.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM sessions').fetchone()\n"
         "print('ready', flush=True); time.sleep(120)\n",
         str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        check_session(home, profile, typed)
        check_session(home, profile, typed)
    finally:
        holder.kill()
        holder.wait()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert len(history(home)) == 3


def test_leftovers_of_a_killed_run_are_removed_at_the_next_start(
    tmp_path: Path, profile: Path, typed: Path
) -> None:
    home = tmp_path / "home"
    check_session(home, profile, typed)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    recordings = home / "data" / "recordings" / "session-00001"
    recordings.mkdir(parents=True, exist_ok=True)
    partial = recordings / f".step01-take02.wav.{dead.pid}.part"
    partial.write_bytes(b"half a take")
    config_partial = home / "config" / f".profile.toml.{dead.pid}.part"
    config_partial.write_text("half", encoding="utf-8")
    say = Path(tempfile.mkdtemp(prefix=f"mockcall-say-{dead.pid}-"))
    (say / "prompt.wav").write_bytes(b"RIFF")
    live = Path(tempfile.mkdtemp(prefix=f"mockcall-say-{os.getpid()}-"))
    try:
        history(home)
        assert not partial.exists() and not config_partial.exists()
        assert not say.exists()
        assert live.exists()  # a running mockcall's prompt folder is left alone
    finally:
        for folder in (say, live):
            if folder.exists():
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()


# -- 13. retakes and failed recordings --------------------------------------------------------------


class _Gate:
    """A transcriber whose first call waits until released, so attempt 1 finishes last."""

    engine = "test"
    model_name = "gate"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def transcribe(self, audio: Any, *, prompt: str | None = None) -> Transcript:
        self.calls += 1
        if self.calls == 1:
            assert self.release.wait(30)
            return Transcript.from_text("um no name here")
        return Transcript.from_text(TYPED)


def test_a_retake_keeps_the_latest_attempt_not_the_last_to_finish(
    tmp_path: Path, mockcall_home: Path
) -> None:
    from simulator.profile import Profile
    from simulator.scenario import find_scenario
    from simulator.session import Practice

    gate = _Gate()
    profile = Profile(name="Jordan Rivera", phone="(617) 555-0142", role="Data Analyst")
    practice = Practice(find_scenario("voicemail-screening"), profile, Store(), transcriber=gate)
    samples = np.zeros(16000, dtype=np.float32)
    first = threading.Thread(target=practice.answer_audio, args=(0, samples))
    first.start()
    while gate.calls < 1:
        time.sleep(0.01)
    second = practice.answer_audio(0, samples)  # the retake, finished first
    gate.release.set()
    first.join(30)
    report = practice.finish()
    assert report.steps[0].take_id == second.take_id
    assert "Jordan Rivera" in report.steps[0].transcript.text


def test_a_failed_recording_leaks_no_transcriber_thread(mockcall_home: Path) -> None:
    from simulator.profile import Profile
    from simulator.scenario import find_scenario
    from simulator.session import Practice

    class Failing:
        def record(self, out: Path, *, time_limit: float, stop: threading.Event,
                   on_level: Any = None, on_audio: Any = None) -> Any:  # fmt: skip
            on_audio(np.zeros(1600, dtype=np.float32))
            raise OSError("the microphone went away")

    before = {t.ident for t in threading.enumerate()}
    practice = Practice(find_scenario("voicemail-screening"), Profile(name="J R"), Store(),
                        transcriber=_Gate(), recorder=Failing())  # fmt: skip
    with pytest.raises(OSError):
        practice.record_answer(0, threading.Event())
    leaked = [t.name for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert leaked == []


def test_a_take_set_aside_for_a_retake_is_not_transcribed(mockcall_home: Path) -> None:
    from simulator.profile import Profile
    from simulator.scenario import find_scenario
    from simulator.session import Practice, Recording

    class UntilStopped:
        def record(self, out: Path, *, time_limit: float, stop: threading.Event,
                   on_level: Any = None, on_audio: Any = None) -> Recording:  # fmt: skip
            write_wav(out, np.full(16000, 0.1, dtype=np.float32), 16000)
            on_audio(np.full(16000, 0.1, dtype=np.float32))
            assert stop.wait(30)
            return Recording(out, 1.0, 0, "stop")

    gate = _Gate()
    gate.release.set()
    practice = Practice(find_scenario("voicemail-screening"), Profile(name="J R"), Store(),
                        transcriber=gate, recorder=UntilStopped())  # fmt: skip
    stop = threading.Event()
    reports: list[Any] = []
    worker = threading.Thread(target=lambda: reports.append(practice.record_answer(0, stop)))
    worker.start()
    while practice.session_id is None or not practice._newest:
        time.sleep(0.01)
    practice.set_aside(0)  # the user pressed r: a retake begins
    stop.set()
    worker.join(30)
    (report,) = reports
    assert report.results == () and gate.calls == 0  # never transcribed
    kept = practice.store.get_take(report.take_id)
    assert kept.status == "recovered" and kept.duration == pytest.approx(1.0)  # audio kept
