"""The SQLite history store: round trips, WAL, privacy, crash recovery, corruption and threads."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audio.transcript import Segment, Transcript, Word
from simulator import locations
from simulator.checks.base import CheckResult, Span
from simulator.errors import UserError
from simulator.store import (
    SCHEMA_VERSION,
    Store,
    migrate,
    process_started,
    take_stats,
    wav_duration,
)


def timed(text: str, start: float = 0.5, step: float = 0.5) -> Transcript:
    """A timed transcript: one word every STEP seconds from START, split into two segments."""
    words = [
        Word(f" {w}", start + i * step, start + i * step + step * 0.8, 0.9)
        for i, w in enumerate(text.split())
    ]
    half = len(words) // 2
    segments = [
        Segment(" ".join(w.text.strip() for w in part), part[0].start, part[-1].end, tuple(part))
        for part in (words[:half], words[half:])
        if part
    ]
    return Transcript.from_segments(segments, duration=start + len(words) * step + 1.0)


def results(*statuses: str) -> tuple[CheckResult, ...]:
    """One result per status, with evidence, a tip and a span."""
    return tuple(
        CheckResult(
            id=f"check_{i}",
            status=s,  # type: ignore[arg-type]
            evidence=f'"word {i}" at 0:0{i}',
            tip=f"tip {i}",
            label=f"Check {i}",
            optional=i == 2,
            spans=(Span(i, i + 1, "evidence"),),
        )
        for i, s in enumerate(statuses)
    )


def write_wav(path: Path, seconds: float, rate: int = 16000) -> None:
    """A real mono 16-bit WAV of a quiet tone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x10\x00\xf0\xff" * (frames // 2))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as opened:
        yield opened


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_of_a_session_with_two_takes_of_a_step(store: Store) -> None:
    sid = store.start_session(
        "voicemail-screening",
        "Voicemail screening",
        "voicemail",
        "faster-whisper",
        "tiny.en",
        json.dumps({"name": "Jordan Rivera", "phone": "617-555-0142"}),
    )
    first_wav = store.recording_path(sid, 0)
    t1 = store.begin_take(sid, 0, "Leave a message.", first_wav)
    second_wav = store.recording_path(sid, 0)
    t2 = store.begin_take(sid, 0, "Leave a message.", second_wav)
    t3 = store.begin_take(sid, 1, "Why this role?", None)
    first = timed("um hi this is Jordan")
    second = timed("hi this is Jordan Rivera call me back")
    typed = Transcript.from_text("Because I love *data* work.")
    store.complete_take(
        t1, first, results("pass", "fail", "fail"), 3.2, overflows=1, ended_by="key"
    )
    store.complete_take(t2, second, results("pass", "pass", "skipped"), 4.5, ended_by="silence")
    store.complete_take(t3, typed, results("pass", "fail"), None, ended_by="typed")
    store.finish_session(sid, passed=False)

    detail = store.get_session(sid)
    assert detail.profile["name"] == "Jordan Rivera"
    assert [(t.step_index, t.attempt, t.status) for t in detail.takes] == [
        (0, 1, "complete"),
        (0, 2, "complete"),
        (1, 1, "complete"),
    ]
    a, b, c = detail.takes
    # Transcripts come back equal field for field, segments and word timings included.
    assert a.transcript == first and b.transcript == second and c.transcript == typed
    assert a.results == results("pass", "fail", "fail")
    assert b.results[1].spans == (Span(1, 2, "evidence"),) and b.results[2].optional
    assert (a.duration, a.overflows, a.ended_by) == (3.2, 1, "key")
    assert a.audio_path == first_wav and c.audio_path is None
    assert first_wav != second_wav and first_wav.parent == second_wav.parent
    assert (a.passed, b.passed, c.passed) == (False, True, False)
    assert [t.id for t in detail.final_takes()] == [t2, t3]
    assert [t.id for t in store.takes_for_step(sid, 0)] == [t1, t2]
    assert store.get_take(t2) == b

    summary = store.list_sessions()[0]
    assert (summary.id, summary.status, summary.passed, summary.take_count) == (
        sid,
        "finished",
        False,
        3,
    )
    assert (summary.engine, summary.model, summary.kind) == (
        "faster-whisper",
        "tiny.en",
        "voicemail",
    )
    # Final takes only: take 2 (2 pass, 1 skipped) and the typed take (1 pass, 1 fail).
    assert summary.pass_rate == pytest.approx(3 / 4)
    assert summary.finished_at is not None and summary.finished_at >= summary.started_at
    assert store.last_result_by_scenario() == {"voicemail-screening": (summary.started_at, False)}


def test_recorded_audio_paths_are_kept_relative_to_the_recordings_folder(
    store: Store, mockcall_home: Path
) -> None:
    sid = store.start_session("s", "S", "interview")
    wav = store.recording_path(sid, 0)
    store.begin_take(sid, 0, "Q", wav)
    raw = sqlite3.connect(store.path).execute("SELECT audio_path FROM takes").fetchone()[0]
    assert raw == "session-00001/step01-take01.wav"
    assert store.get_session(sid).takes[0].audio_path == locations.recordings_dir() / raw


def test_database_uses_wal_foreign_keys_and_the_schema_version(store: Store) -> None:
    store.start_session("s", "S", "interview")
    raw = sqlite3.connect(locations.database_file())
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(ValueError, match="no session 99"):
        store.begin_take(99, 0, "Q", None)
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute(
            "INSERT INTO takes (session_id, step_index, attempt, prompt, created_at)"
            " VALUES (42, 0, 1, 'x', 'now')"
        )


def test_migrate_is_idempotent_and_refuses_a_newer_schema(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    assert migrate(conn) == 0
    assert migrate(conn) == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "takes", "check_results"} <= tables
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(UserError, match="newer"):
        Store(tmp_path / "m.sqlite3")


def test_database_wal_shm_and_recordings_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with Store() as opened:
            sid = opened.start_session("s", "S", "interview")
            wav = opened.recording_path(sid, 0)
            opened.begin_take(sid, 0, "Q", wav)
            db = locations.database_file()
            for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                assert path.exists(), path
                assert mode(path) == 0o600, path
            assert mode(opened.recordings_dir) == 0o700
            assert mode(wav.parent) == 0o700
        # A store on an explicit path keeps its recordings beside it, just as private.
        with Store(tmp_path / "elsewhere" / "h.sqlite3") as other:
            assert mode(other.path) == 0o600
            assert other.recordings_dir == tmp_path / "elsewhere" / "recordings"
            assert mode(other.recordings_dir) == 0o700
    finally:
        os.umask(old)


def test_recover_interrupted_keeps_takes_with_audio_and_loses_nothing(mockcall_home: Path) -> None:
    with Store() as first:
        done = first.start_session("phone-screen", "Phone screen", "phone-screen")
        kept = first.begin_take(done, 0, "Tell me about yourself.", None)
        first.complete_take(kept, timed("I build data tools"), results("pass"), 3.0)
        first.finish_session(done, passed=True)

        crashed = first.start_session("voicemail-screening", "Voicemail", "voicemail")
        with_audio = first.recording_path(crashed, 0)
        t_audio = first.begin_take(crashed, 0, "Leave a message.", with_audio)
        write_wav(with_audio, 1.5)
        no_audio = first.recording_path(crashed, 1)
        t_missing = first.begin_take(crashed, 1, "Again?", no_audio)
        empty = first.recording_path(crashed, 2)
        t_empty = first.begin_take(crashed, 2, "And?", empty)
        write_wav(empty, 0.0)
        t_typed = first.begin_take(crashed, 3, "Typed?", None)
        audio_bytes = with_audio.read_bytes()
    # The process "crashed": nothing was finished. The next start settles it.
    with Store() as second:
        changed = second.recover_interrupted()
        assert {t.id: t.status for t in changed} == {
            t_audio: "recovered",
            t_missing: "abandoned",
            t_empty: "abandoned",
            t_typed: "abandoned",
        }
        recovered = next(t for t in changed if t.id == t_audio)
        assert recovered.duration == pytest.approx(1.5)
        assert recovered.audio_path == with_audio and recovered.transcript is None
        assert with_audio.read_bytes() == audio_bytes and empty.exists()

        crashed_detail = second.get_session(crashed)
        assert crashed_detail.summary.status == "abandoned"
        assert len(crashed_detail.takes) == 4 and crashed_detail.summary.take_count == 1
        finished = second.get_session(done)
        assert (finished.summary.status, finished.summary.passed) == ("finished", True)
        assert finished.takes[0].transcript == timed("I build data tools")
        assert [s.id for s in second.list_sessions()] == [crashed, done]
        assert second.recover_interrupted() == []

        # A recovered take can still be transcribed and graded later.
        second.complete_take(t_audio, timed("hi it's Jordan"), results("pass"), 1.5)
        assert second.get_take(t_audio).status == "complete"


def test_recover_repairs_the_header_a_crashed_writer_left(store: Store) -> None:
    sid = store.start_session("s", "S", "voicemail")
    wav = store.recording_path(sid, 0)
    take = store.begin_take(sid, 0, "Q", wav)
    # A writer killed mid-take: libsndfile leaves the header's sizes at 0 until close.
    code = (
        "import os, sys, numpy as np, soundfile as sf\n"
        "f = sf.SoundFile(sys.argv[1], 'w', samplerate=16000, channels=1, subtype='PCM_16')\n"
        "f.write(np.full(16000, 300, dtype='int16')); f.flush()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(wav)], check=True, timeout=60)
    with pytest.raises(wave.Error):
        wave.open(str(wav))
    before = wav.read_bytes()

    (recovered,) = store.recover_interrupted()
    assert (recovered.id, recovered.status) == (take, "recovered")
    assert recovered.duration == pytest.approx(1.0)
    with wave.open(str(wav)) as fixed:
        assert fixed.getnframes() == 16000
    after = wav.read_bytes()
    assert len(after) == len(before) and after[44:] == before[44:]


def test_recover_leaves_a_session_another_live_process_is_recording(store: Store) -> None:
    sid = store.start_session("s", "S", "voicemail")
    take = store.begin_take(sid, 0, "Q", None)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        store._conn.execute(
            "UPDATE sessions SET owner_pid = ?, owner_started = ? WHERE id = ?",
            (other.pid, process_started(other.pid), sid),
        )
        assert store.recover_interrupted() == []
        assert store.get_take(take).status == "recording"
    finally:
        other.kill()
        other.wait()
    assert [t.id for t in store.recover_interrupted()] == [take]
    assert store.get_session(sid).summary.status == "abandoned"


def test_abandon_take_and_session_never_undo_saved_work(store: Store) -> None:
    sid = store.start_session("s", "S", "interview")
    done = store.begin_take(sid, 0, "Q", None)
    store.complete_take(done, Transcript.from_text("an answer"), results("pass"), None)
    store.abandon_take(done)
    assert store.get_take(done).status == "complete"
    with pytest.raises(ValueError, match="already complete"):
        store.complete_take(done, Transcript.from_text("again"), (), None)
    live = store.begin_take(sid, 0, "Q", None)
    store.abandon_session(sid)
    detail = store.get_session(sid)
    assert detail.summary.status == "abandoned" and detail.summary.finished_at is not None
    assert [(t.id, t.status) for t in detail.takes] == [(done, "complete"), (live, "abandoned")]


def test_a_corrupt_database_is_a_one_line_user_error_and_is_left_untouched() -> None:
    db = locations.database_file()
    garbage = b"this is not SQLite\n" * 500
    db.write_bytes(garbage)
    db.chmod(0o644)
    with pytest.raises(UserError) as caught:
        Store()
    message = str(caught.value)
    assert "\n" not in message and str(db) in message and "not a SQLite database" in message
    assert db.read_bytes() == garbage
    assert mode(db) == 0o644
    assert not Path(f"{db}-wal").exists()


def test_resolve_session_accepts_ids_and_last(store: Store) -> None:
    with pytest.raises(UserError, match="no sessions"):
        store.resolve_session("last")
    first = store.start_session("a", "A", "interview")
    second = store.start_session("b", "B", "interview")
    assert store.resolve_session(str(first)) == first
    assert store.resolve_session("#1") == first
    assert store.resolve_session("last") == second
    assert store.resolve_session(" Latest ") == second
    with pytest.raises(UserError, match="no session 7"):
        store.resolve_session("7")
    with pytest.raises(UserError, match="not a session id"):
        store.resolve_session("yesterday")
    with pytest.raises(UserError, match="no session 7"):
        store.get_session(7)


def test_list_sessions_filters_limits_and_orders_newest_first(mockcall_home: Path) -> None:
    with Store(clock=Clock()) as clocked:
        ids = [clocked.start_session(sc, sc.upper(), "interview") for sc in "abab"]
        assert [s.id for s in clocked.list_sessions()] == ids[::-1]
        assert [s.id for s in clocked.list_sessions("a")] == [ids[2], ids[0]]
        assert [s.id for s in clocked.list_sessions(limit=1)] == [ids[3]]
        summary = clocked.list_sessions("b")[0]
        assert (summary.take_count, summary.pass_rate, summary.passed) == (0, None, None)
        for session_id in (ids[0], ids[2]):
            take = clocked.begin_take(session_id, 0, "Q", None)
            clocked.complete_take(take, Transcript.from_text("an answer"), (), None)
        clocked.finish_session(ids[0], passed=True)
        clocked.finish_session(ids[2], passed=False)
        clocked.finish_session(ids[1], passed=True)  # finished without an answer: not practice
        last = clocked.last_result_by_scenario()
        assert last == {"a": (clocked.list_sessions("a")[0].started_at, False)}


def test_trends_from_stored_words_and_results(mockcall_home: Path) -> None:
    with Store(clock=Clock()) as clocked:
        early = clocked.start_session("v", "V", "voicemail")
        take = clocked.begin_take(early, 0, "Q", None)
        # 10 words, one every 0.5 s: 4.9 s of speech; the filler check marked two fillers.
        words = timed("um so I am uh Jordan and I like data")
        filler_result = CheckResult(
            "filler_rate",
            "fail",
            "um, uh",
            "pause instead",
            spans=(Span(0, 0, "filler"), Span(4, 4, "filler")),
        )
        clocked.complete_take(take, words, (*results("pass", "fail"), filler_result), 6.0)
        later = clocked.start_session("v", "V", "voicemail")
        typed = clocked.begin_take(later, 0, "Q", None)
        clocked.complete_take(typed, Transcript.from_text("um hello"), results("pass"), None)
        clocked.start_session("other", "O", "interview")  # no takes: no point

        points = clocked.trends("v")
        assert [p.session_id for p in points] == [early, later]
        speech_min = 4.9 / 60
        assert points[0].wpm == pytest.approx(10 / speech_min)
        assert points[0].filler_per_min == pytest.approx(2 / speech_min)
        assert points[0].pass_rate == pytest.approx(1 / 3)
        assert (points[1].wpm, points[1].filler_per_min, points[1].pass_rate) == (None, None, 1.0)
        assert [p.session_id for p in clocked.trends()] == [early, later]
        stats = take_stats(clocked.get_take(typed))
        assert (stats.words, stats.fillers, stats.wpm) == (2, 1, None)


def test_concurrent_writes_from_threads_and_two_connections(mockcall_home: Path) -> None:
    shared = Store()
    errors: list[BaseException] = []

    def practise(target: Store, name: str) -> None:
        try:
            for _ in range(25):
                sid = target.start_session(name, name, "interview")
                for _attempt in range(2):
                    take = target.begin_take(sid, 0, "Q", None)
                    target.complete_take(take, Transcript.from_text(name), results("pass"), None)
                target.finish_session(sid, passed=True)
                target.list_sessions(limit=3)
        except BaseException as exc:  # collected so the main thread can fail the test
            errors.append(exc)

    own = [Store(), Store()]
    threads = [
        threading.Thread(target=practise, args=(shared, "shared-1")),
        threading.Thread(target=practise, args=(shared, "shared-2")),
        threading.Thread(target=practise, args=(own[0], "own-1")),
        threading.Thread(target=practise, args=(own[1], "own-2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sessions = shared.list_sessions()
    assert len(sessions) == 100
    assert all(s.take_count == 2 and s.status == "finished" for s in sessions)
    for s in sessions[:5]:
        assert [t.attempt for t in shared.get_session(s.id).takes] == [1, 2]
    for opened in (shared, *own):
        opened.close()


def test_wav_duration_reads_real_files_and_rejects_others(tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    write_wav(wav, 0.25, rate=8000)
    assert wav_duration(wav) == pytest.approx(0.25)
    text = tmp_path / "b.wav"
    text.write_text("not audio")
    assert wav_duration(text) is None
    assert wav_duration(tmp_path / "missing.wav") is None
