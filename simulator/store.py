"""The history store: sessions, takes, transcripts and check results in one SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

from audio.transcript import Segment, Transcript, Word
from simulator import locations
from simulator.checks.base import CheckResult, Span
from simulator.checks.text import normalize_word
from simulator.errors import UserError

SessionStatus = Literal["in_progress", "finished", "abandoned"]
TakeStatus = Literal["recording", "complete", "recovered", "abandoned"]

SCHEMA_VERSION = 1
"""The schema version this code writes, kept in PRAGMA user_version."""

# Each entry moves the schema from version i to i + 1; statements run one by one inside a single
# transaction (executescript would commit half-way), so a failed migration changes nothing.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scenario_id TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_kind TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'in_progress'
                CHECK (status IN ('in_progress', 'finished', 'abandoned')),
            passed INTEGER CHECK (passed IN (0, 1)),
            engine TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            profile_json TEXT NOT NULL DEFAULT '{}',
            owner_pid INTEGER
        )
        """,
        "CREATE INDEX sessions_by_scenario ON sessions (scenario_id, started_at)",
        """
        CREATE TABLE takes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE RESTRICT,
            step_index INTEGER NOT NULL CHECK (step_index >= 0),
            attempt INTEGER NOT NULL CHECK (attempt >= 1),
            prompt TEXT NOT NULL,
            audio_path TEXT,
            status TEXT NOT NULL DEFAULT 'recording'
                CHECK (status IN ('recording', 'complete', 'recovered', 'abandoned')),
            created_at TEXT NOT NULL,
            duration REAL,
            transcript_text TEXT,
            transcript_duration REAL,
            words TEXT,
            segments TEXT,
            timed INTEGER CHECK (timed IN (0, 1)),
            overflows INTEGER NOT NULL DEFAULT 0,
            ended_by TEXT NOT NULL DEFAULT '',
            UNIQUE (session_id, step_index, attempt)
        )
        """,
        "CREATE INDEX takes_by_status ON takes (status)",
        """
        CREATE TABLE check_results (
            take_id INTEGER NOT NULL REFERENCES takes (id) ON DELETE RESTRICT,
            position INTEGER NOT NULL,
            check_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'skipped')),
            evidence TEXT NOT NULL,
            tip TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            optional INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1)),
            spans TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (take_id, position)
        )
        """,
    ),
)

# SQLite primary result codes that mean the file itself is the problem (not our SQL).
_FILE_ERRORS = {
    3: "permission denied",  # SQLITE_PERM
    5: "it is busy (another program holds a lock)",  # SQLITE_BUSY
    6: "it is locked",  # SQLITE_LOCKED
    8: "it is read-only",  # SQLITE_READONLY
    10: "a disk I/O error occurred",  # SQLITE_IOERR
    11: "it is corrupt",  # SQLITE_CORRUPT
    13: "the disk is full",  # SQLITE_FULL
    14: "it cannot be opened",  # SQLITE_CANTOPEN
    26: "it is not a SQLite database",  # SQLITE_NOTADB
}

# Used only when the filler_rate check did not run on a take (typed answers, scenarios that turn it
# off): the hesitation sounds that count as fillers whatever the context.
_LEXICAL_FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "mm"})


@dataclass(frozen=True)
class SessionSummary:
    """One session as the history list shows it."""

    id: int
    """The session id (`mockcall show ID`)."""
    scenario_id: str
    """The scenario's id."""
    title: str
    """The scenario's title when the session ran."""
    kind: str
    """The scenario's kind (voicemail, phone-screen, …)."""
    started_at: datetime
    """When the session started (timezone-aware, UTC)."""
    finished_at: datetime | None
    """When the session was finished or abandoned by the user, None otherwise."""
    status: SessionStatus
    """in_progress, finished or abandoned."""
    passed: bool | None
    """The verdict given at finish, None until the session is finished."""
    take_count: int
    """Takes that hold an answer: complete and recovered ones."""
    pass_rate: float | None
    """Share of non-skipped checks passed on each step's latest complete take; None if none."""
    engine: str
    """The transcription engine used."""
    model: str
    """The transcription model used."""


@dataclass(frozen=True)
class TakeRecord:
    """One attempt at one step: its audio, transcript and check results."""

    id: int
    """The take id."""
    session_id: int
    """The session it belongs to."""
    step_index: int
    """0-based step index in the scenario."""
    attempt: int
    """1 for the first take of the step, 2, 3… for retakes."""
    prompt: str
    """What the interviewer said."""
    audio_path: Path | None
    """The take's WAV file, None for typed answers."""
    status: TakeStatus
    """recording, complete, recovered (audio kept after a crash) or abandoned."""
    created_at: datetime
    """When the take began (timezone-aware, UTC)."""
    duration: float | None
    """Seconds of recorded audio, None for typed answers or unknown."""
    transcript: Transcript | None
    """The answer as transcribed, None until the take is complete."""
    results: tuple[CheckResult, ...]
    """The checks' results in report order (empty until complete)."""
    overflows: int
    """Audio input overflows reported while recording."""
    ended_by: str
    """What ended the recording (e.g. "silence", "time_limit", "key"), "" when unknown."""

    @property
    def passed(self) -> bool | None:
        """True when no required check failed, None when the take has no results yet."""
        if self.status != "complete":
            return None
        return not any(r.counts_as_failure for r in self.results)


@dataclass(frozen=True)
class SessionDetail:
    """A whole session: its summary, the profile it ran with, and every take."""

    summary: SessionSummary
    """The session's row as the history list shows it."""
    profile_json: str
    """The profile snapshot taken when the session started, as JSON text."""
    takes: tuple[TakeRecord, ...]
    """Every take, by step then attempt."""

    @property
    def id(self) -> int:
        """The session id."""
        return self.summary.id

    @property
    def profile(self) -> dict[str, Any]:
        """The profile snapshot as a dict."""
        return cast(dict[str, Any], json.loads(self.profile_json))

    def takes_for_step(self, step_index: int) -> tuple[TakeRecord, ...]:
        """Every take of one step, first attempt first."""
        return tuple(t for t in self.takes if t.step_index == step_index)

    def step_indices(self) -> tuple[int, ...]:
        """The steps that have at least one take, in order."""
        return tuple(sorted({t.step_index for t in self.takes}))

    def final_takes(self) -> tuple[TakeRecord, ...]:
        """Each step's latest complete take, in step order: the answers the verdict rests on."""
        latest: dict[int, TakeRecord] = {}
        for take in self.takes:
            if take.status == "complete":
                latest[take.step_index] = take
        return tuple(latest[i] for i in sorted(latest))


@dataclass(frozen=True)
class TakeStats:
    """Delivery and checklist numbers for one take, for comparisons and trends."""

    take_id: int
    """The take id."""
    attempt: int
    """The take's attempt number within its step."""
    duration: float | None
    """Seconds of recorded audio (None for typed answers)."""
    words: int
    """Words said (bare punctuation not counted)."""
    speech_seconds: float | None
    """Seconds from the first word's start to the last word's end; None when untimed."""
    wpm: float | None
    """Words per minute over speech_seconds; None when untimed or silent."""
    fillers: int
    """Filler words: the filler_rate check's marks, or a plain um/uh count when it did not run."""
    filler_per_min: float | None
    """Fillers per minute of speech; None when untimed or silent."""
    checks_passed: int
    """Checks that passed."""
    checks_failed: int
    """Checks that failed (optional ones included)."""
    checks_skipped: int
    """Checks that were skipped."""


@dataclass(frozen=True)
class TrendPoint:
    """One session's numbers on the trends chart."""

    session_id: int
    """The session id."""
    scenario_id: str
    """The scenario's id."""
    started_at: datetime
    """When the session started (timezone-aware, UTC)."""
    pass_rate: float | None
    """Share of non-skipped checks passed on each step's latest complete take."""
    filler_per_min: float | None
    """Fillers per minute of speech over those takes; None when none was timed."""
    wpm: float | None
    """Words per minute over those takes; None when none was timed."""
    takes: int
    """How many takes the numbers come from."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION in one transaction and return the version found."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise UserError(
            f"history database has schema version {found}, newer than this mockcall "
            f"understands ({SCHEMA_VERSION}); upgrade mockcall"
        )
    if found == SCHEMA_VERSION:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated in the meantime.
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for version in range(current, SCHEMA_VERSION):
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


def wav_duration(path: Path, *, repair: bool = False) -> float | None:
    """Seconds of audio in a WAV file, from its header and size; None if unreadable or empty.

    A writer that crashed leaves the header's sizes at 0 (libsndfile only fixes them on close),
    so the audio actually on disk is measured; with repair=True those two size fields are
    rewritten in place so players read the whole take (no audio byte is changed).
    """
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            pos = 12
            rate = block_align = 0
            while pos + 8 <= size:
                fh.seek(pos)
                chunk_id, chunk_size = struct.unpack("<4sI", fh.read(8))
                if chunk_id == b"fmt ":
                    fmt = fh.read(min(chunk_size, 16))
                    if len(fmt) < 16:
                        return None
                    _, _, rate, _, block_align = struct.unpack("<HHIIH", fmt[:14])
                elif chunk_id == b"data":
                    break
                pos += 8 + chunk_size + (chunk_size & 1)
            else:
                return None
    except OSError:
        return None
    if rate <= 0 or block_align <= 0:
        return None
    data_start = pos + 8
    available = size - data_start
    declared = chunk_size
    header_wrong = declared in (0, 0xFFFFFFFF) or declared > available
    data_bytes = available if header_wrong else declared
    frames = data_bytes // block_align
    if frames <= 0:
        return None
    if repair and header_wrong:
        _repair_wav_header(path, data_start, frames * block_align)
    return frames / rate


def _repair_wav_header(path: Path, data_start: int, data_bytes: int) -> None:
    try:
        with path.open("r+b") as fh:
            fh.seek(4)
            fh.write(struct.pack("<I", min(data_start + data_bytes - 8, 0xFFFFFFFF)))
            fh.seek(data_start - 4)
            fh.write(struct.pack("<I", min(data_bytes, 0xFFFFFFFF)))
    except OSError:
        # A read-only file still counts as recovered; only players see the short header.
        pass


def take_stats(take: TakeRecord) -> TakeStats:
    """Words, pace, fillers and check counts for one take."""
    transcript = take.transcript
    counted = 0
    speech: float | None = None
    fillers = 0
    if transcript is not None:
        counted = sum(1 for w in transcript.words if normalize_word(w.text))
        start, end = transcript.speech_start, transcript.speech_end
        if start is not None and end is not None and end > start:
            speech = end - start
        fillers = _filler_count(transcript, take.results)
    minutes = speech / 60.0 if speech else None
    return TakeStats(
        take_id=take.id,
        attempt=take.attempt,
        duration=take.duration,
        words=counted,
        speech_seconds=speech,
        wpm=counted / minutes if minutes else None,
        fillers=fillers,
        filler_per_min=fillers / minutes if minutes else None,
        checks_passed=sum(1 for r in take.results if r.status == "pass"),
        checks_failed=sum(1 for r in take.results if r.status == "fail"),
        checks_skipped=sum(1 for r in take.results if r.status == "skipped"),
    )


def _filler_count(transcript: Transcript, results: Sequence[CheckResult]) -> int:
    # The filler check knows context ("like" as a filler vs a verb); trust its marks when it ran.
    if any(r.id == "filler_rate" and r.status != "skipped" for r in results):
        marked = {
            (s.first_word, s.last_word) for r in results for s in r.spans if s.kind == "filler"
        }
        return len(marked)
    return sum(1 for w in transcript.words if normalize_word(w.text) in _LEXICAL_FILLERS)


def _pass_rate(takes: Sequence[TakeRecord]) -> float | None:
    passed = sum(1 for t in takes for r in t.results if r.status == "pass")
    failed = sum(1 for t in takes for r in t.results if r.status == "fail")
    return passed / (passed + failed) if passed + failed else None


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        # os.kill(pid, 0) would terminate the process on Windows; ask for its exit code instead.
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _words_json(words: Sequence[Word]) -> str:
    return json.dumps(
        [
            {"text": w.text, "start": w.start, "end": w.end, "probability": w.probability}
            for w in words
        ],
        ensure_ascii=False,
    )


def _segments_json(transcript: Transcript) -> str:
    # Segments keep their own text and times; their words are the transcript's, stored once, so
    # each segment records how many of them it holds.
    return json.dumps(
        [
            {"text": s.text, "start": s.start, "end": s.end, "words": len(s.words)}
            for s in transcript.segments
        ],
        ensure_ascii=False,
    )


def _rebuild_transcript(row: sqlite3.Row) -> Transcript:
    words = tuple(
        Word(w["text"], float(w["start"]), float(w["end"]), float(w["probability"]))
        for w in json.loads(row["words"] or "[]")
    )
    raw_segments = json.loads(row["segments"] or "[]")
    segments: list[Segment] = []
    if sum(int(s["words"]) for s in raw_segments) == len(words):
        at = 0
        for s in raw_segments:
            count = int(s["words"])
            segments.append(
                Segment(s["text"], float(s["start"]), float(s["end"]), words[at : at + count])
            )
            at += count
    else:
        segments = [Segment(s["text"], float(s["start"]), float(s["end"])) for s in raw_segments]
    return Transcript(
        text=row["transcript_text"] or "",
        words=words,
        timed=bool(row["timed"]),
        duration=row["transcript_duration"],
        segments=tuple(segments),
    )


def _spans_json(spans: Sequence[Span]) -> str:
    return json.dumps([{"first": s.first_word, "last": s.last_word, "kind": s.kind} for s in spans])


def _rebuild_spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(int(s["first"]), int(s["last"]), s["kind"]) for s in json.loads(text))


class Store:
    """The history database.

    Thread-safety: one connection opened with check_same_thread=False and every call serialised
    by a lock. The TUI calls in from worker threads; each call is a few small statements, so a
    lock costs nothing noticeable and keeps one WAL handle open instead of reopening the file per
    call. Another process (a `mockcall run` beside the app) is handled by SQLite's own locking:
    writes use BEGIN IMMEDIATE and wait up to busy_timeout.
    """

    def __init__(
        self, path: Path | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        """Open (creating if needed) the history at PATH, default locations.database_file()."""
        self.path = path if path is not None else locations.database_file()
        """The database file."""
        self._default_location = path is None
        self._clock = clock or _utc_now
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder for {self.path}: {exc}") from None
        if not self.path.exists():
            # Create the empty file private from the start; SQLite gives -wal/-shm the same mode.
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise UserError(f"cannot create history database {self.path}: {exc}") from None
        try:
            # timeout is SQLite's busy_timeout: how long a write waits for another process.
            conn = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._user_error(exc) from None
        try:
            conn.row_factory = sqlite3.Row
            # Reading the header first: a file that is not a database fails here, before any write.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise UserError(f"history database {self.path} cannot use WAL journaling")
            # Writes are a handful per take, so keep full fsync on commit: a saved take survives
            # a power cut, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self._user_error(exc) from None
        except BaseException:
            conn.close()
            raise
        self._make_private()
        return conn

    def _make_private(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").chmod(0o600)
            except OSError:
                pass

    def _user_error(self, exc: sqlite3.Error) -> UserError:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (5, 6):
            # Busy is temporary: another mockcall holds a long write; the file itself is fine.
            return UserError(
                f"history database {self.path} is busy (another mockcall is writing); try again"
            )
        reason = _FILE_ERRORS.get(primary) if primary is not None else None
        return UserError(
            f"history database {self.path} is unusable: {reason or exc} "
            "(it was left untouched; move it aside to start a new history)"
        )

    @contextmanager
    def _locked(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """Hold the lock (and a write transaction when WRITE) for one call."""
        with self._lock:
            conn = self._conn
            try:
                if write:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield conn
                    except BaseException:
                        # Some errors (a full disk) already rolled SQLite back.
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                else:
                    yield conn
            except sqlite3.Error as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if isinstance(code, int) and (code & 0xFF) in _FILE_ERRORS:
                    raise self._user_error(exc) from None
                raise

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- paths ---------------------------------------------------------------------------------

    @property
    def recordings_dir(self) -> Path:
        """The folder for take audio (created, user-only): locations.recordings_dir() by default."""
        if self._default_location:
            return locations.recordings_dir()
        folder = self.path.parent / "recordings"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.chmod(0o700)
        return folder

    def recording_path(self, session_id: int, step_index: int) -> Path:
        """A fresh WAV path for a step's next take: recordings/session-NNNNN/stepNN-takeNN.wav."""
        with self._locked(write=False) as conn:
            attempt = self._next_attempt(conn, session_id, step_index)
        folder = self.recordings_dir / f"session-{session_id:05d}"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        base = f"step{step_index + 1:02d}-take{attempt:02d}"
        candidate = folder / f"{base}.wav"
        n = 2
        while candidate.exists():
            candidate = folder / f"{base}-{n}.wav"
            n += 1
        return candidate

    def _store_audio_path(self, audio_path: Path | None) -> str | None:
        if audio_path is None:
            return None
        # Paths inside the recordings folder are stored relative to it, so moving the whole data
        # folder (or MOCKCALL_HOME) keeps every take playable.
        absolute = audio_path.resolve()
        try:
            return absolute.relative_to(self.recordings_dir.resolve()).as_posix()
        except ValueError:
            return str(absolute)

    def _load_audio_path(self, stored: str | None) -> Path | None:
        if stored is None:
            return None
        path = Path(stored)
        return path if path.is_absolute() else self.recordings_dir / path

    # -- writing -------------------------------------------------------------------------------

    def start_session(
        self,
        scenario_id: str,
        title: str,
        kind: str,
        engine: str = "",
        model: str = "",
        profile_json: str = "{}",
    ) -> int:
        """Record a new in-progress session and return its id."""
        json.loads(profile_json)  # a snapshot that cannot be read back is a bug in the caller
        with self._locked(write=True) as conn:
            cur = conn.execute(
                "INSERT INTO sessions (scenario_id, scenario_title, scenario_kind, started_at,"
                " engine, model, profile_json, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    title,
                    kind,
                    _iso(self._clock()),
                    engine,
                    model,
                    profile_json,
                    os.getpid(),
                ),
            )
            session_id = int(cast(int, cur.lastrowid))
        self._make_private()
        return session_id

    def begin_take(
        self, session_id: int, step_index: int, prompt: str, audio_path: Path | None
    ) -> int:
        """Record a take as 'recording' before any audio is captured, and return its id."""
        with self._locked(write=True) as conn:
            self._require_session(conn, session_id)
            attempt = self._next_attempt(conn, session_id, step_index)
            cur = conn.execute(
                "INSERT INTO takes (session_id, step_index, attempt, prompt, audio_path, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, 'recording', ?)",
                (
                    session_id,
                    step_index,
                    attempt,
                    prompt,
                    self._store_audio_path(audio_path),
                    _iso(self._clock()),
                ),
            )
            return int(cast(int, cur.lastrowid))

    def complete_take(
        self,
        take_id: int,
        transcript: Transcript,
        results: Sequence[CheckResult],
        duration: float | None,
        overflows: int = 0,
        ended_by: str = "",
    ) -> None:
        """Save a take's transcript and check results and mark it complete."""
        with self._locked(write=True) as conn:
            status = self._take_status(conn, take_id)
            if status == "complete":
                raise ValueError(f"take {take_id} is already complete")
            conn.execute(
                "UPDATE takes SET status = 'complete', duration = ?, transcript_text = ?,"
                " transcript_duration = ?, words = ?, segments = ?, timed = ?, overflows = ?,"
                " ended_by = ? WHERE id = ?",
                (
                    duration if duration is not None else transcript.duration,
                    transcript.text,
                    transcript.duration,
                    _words_json(transcript.words),
                    _segments_json(transcript),
                    int(transcript.timed),
                    overflows,
                    ended_by,
                    take_id,
                ),
            )
            conn.executemany(
                "INSERT INTO check_results (take_id, position, check_id, status, evidence, tip,"
                " label, optional, spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        take_id,
                        position,
                        r.id,
                        r.status,
                        r.evidence,
                        r.tip,
                        r.label,
                        int(r.optional),
                        _spans_json(r.spans),
                    )
                    for position, r in enumerate(results)
                ],
            )

    def abandon_take(self, take_id: int) -> None:
        """Mark a take that is still recording as abandoned (its audio file is kept)."""
        with self._locked(write=True) as conn:
            self._take_status(conn, take_id)
            conn.execute(
                "UPDATE takes SET status = 'abandoned' WHERE id = ? AND status = 'recording'",
                (take_id,),
            )

    def leave_take(self, take_id: int, duration: float | None) -> None:
        """A take the user left while recording: kept (audio and all) as abandoned, never graded."""
        with self._locked(write=True) as conn:
            self._take_status(conn, take_id)
            conn.execute(
                "UPDATE takes SET status = 'abandoned', ended_by = 'left', duration = ?"
                " WHERE id = ? AND status = 'recording'",
                (duration, take_id),
            )

    def finish_session(self, session_id: int, passed: bool) -> None:
        """Mark a session finished with its verdict."""
        with self._locked(write=True) as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "UPDATE sessions SET status = 'finished', passed = ?, finished_at = ? WHERE id = ?",
                (int(passed), _iso(self._clock()), session_id),
            )

    def abandon_session(self, session_id: int) -> None:
        """Mark an in-progress session abandoned; takes still recording are settled, none lost."""
        with self._locked(write=True) as conn:
            self._require_session(conn, session_id)
            rows = conn.execute(
                "SELECT * FROM takes WHERE session_id = ? AND status = 'recording'", (session_id,)
            ).fetchall()
            for row in rows:
                self._settle_take(conn, row)
            conn.execute(
                "UPDATE sessions SET status = 'abandoned', finished_at = ?"
                " WHERE id = ? AND status = 'in_progress'",
                (_iso(self._clock()), session_id),
            )

    def recover_interrupted(self) -> list[TakeRecord]:
        """Settle what a crash left behind and return the takes it changed.

        Takes still 'recording' whose WAV holds audio become 'recovered' (duration from the
        audio on disk, header sizes repaired); the rest become 'abandoned'. Sessions still
        'in_progress' become 'abandoned', keeping their takes. Sessions owned by another live
        process (a `mockcall run` beside the app) are left alone. Nothing is deleted.
        """
        changed: list[int] = []
        with self._locked(write=True) as conn:
            sessions = conn.execute(
                "SELECT id, owner_pid FROM sessions WHERE status = 'in_progress'"
                " OR id IN (SELECT session_id FROM takes WHERE status = 'recording')"
            ).fetchall()
            orphaned = [s["id"] for s in sessions if not self._owned_elsewhere(s["owner_pid"])]
            for session_id in orphaned:
                rows = conn.execute(
                    "SELECT * FROM takes WHERE session_id = ? AND status = 'recording'",
                    (session_id,),
                ).fetchall()
                for row in rows:
                    self._settle_take(conn, row)
                    changed.append(int(row["id"]))
                conn.execute(
                    "UPDATE sessions SET status = 'abandoned'"
                    " WHERE id = ? AND status = 'in_progress'",
                    (session_id,),
                )
            return self._load_takes(conn, _IDS_IN, (json.dumps(changed),))

    def _owned_elsewhere(self, pid: int | None) -> bool:
        return pid is not None and pid != os.getpid() and _pid_alive(pid)

    def _settle_take(self, conn: sqlite3.Connection, row: sqlite3.Row) -> None:
        audio = self._load_audio_path(row["audio_path"])
        seconds = wav_duration(audio, repair=True) if audio is not None else None
        if seconds is not None:
            conn.execute(
                "UPDATE takes SET status = 'recovered', duration = ? WHERE id = ?",
                (seconds, row["id"]),
            )
        else:
            conn.execute("UPDATE takes SET status = 'abandoned' WHERE id = ?", (row["id"],))

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise ValueError(f"no session {session_id}")

    def _take_status(self, conn: sqlite3.Connection, take_id: int) -> str:
        row = conn.execute("SELECT status FROM takes WHERE id = ?", (take_id,)).fetchone()
        if row is None:
            raise ValueError(f"no take {take_id}")
        return str(row["status"])

    @staticmethod
    def _next_attempt(conn: sqlite3.Connection, session_id: int, step_index: int) -> int:
        row = conn.execute(
            "SELECT COALESCE(MAX(attempt), 0) FROM takes WHERE session_id = ? AND step_index = ?",
            (session_id, step_index),
        ).fetchone()
        return int(row[0]) + 1

    # -- reading -------------------------------------------------------------------------------

    def resolve_session(self, ref: str) -> int:
        """A session id from what the user typed: a number, or "last"/"latest"."""
        text = ref.strip().lstrip("#").lower()
        with self._locked(write=False) as conn:
            if text in ("last", "latest"):
                row = conn.execute(
                    "SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
                ).fetchone()
                if row is None:
                    raise UserError("no sessions in history yet")
                return int(row["id"])
            if not text.isdigit():
                raise UserError(f"{ref!r} is not a session id (a number, or 'last')")
            session_id = int(text)
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                return session_id
        raise UserError(f"no session {session_id} in history (`mockcall history` lists them)")

    def list_sessions(
        self, scenario_id: str | None = None, limit: int | None = None
    ) -> list[SessionSummary]:
        """Sessions, newest first, optionally for one scenario and at most LIMIT of them."""
        args: list[Any] = [scenario_id] if scenario_id else []
        where = "WHERE s.scenario_id = ?" if scenario_id else ""
        sql = f"{_SUMMARY_SQL} {where} ORDER BY s.started_at DESC, s.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._locked(write=False) as conn:
            return [_summary(row) for row in conn.execute(sql, args).fetchall()]

    def get_session(self, session_id: int) -> SessionDetail:
        """One session with every take, transcript and result (UserError if unknown)."""
        with self._locked(write=False) as conn:
            row = conn.execute(f"{_SUMMARY_SQL} WHERE s.id = ?", (session_id,)).fetchone()
            if row is None:
                raise UserError(
                    f"no session {session_id} in history (`mockcall history` lists them)"
                )
            takes = self._load_takes(conn, "t.session_id = ?", (session_id,))
        return SessionDetail(_summary(row), row["profile_json"], tuple(takes))

    def takes_for_step(self, session_id: int, step_index: int) -> list[TakeRecord]:
        """Every take of one step of one session, first attempt first (for retake diffs)."""
        with self._locked(write=False) as conn:
            return self._load_takes(
                conn, "t.session_id = ? AND t.step_index = ?", (session_id, step_index)
            )

    def get_take(self, take_id: int) -> TakeRecord:
        """One take by id (ValueError if unknown)."""
        with self._locked(write=False) as conn:
            takes = self._load_takes(conn, "t.id = ?", (take_id,))
        if not takes:
            raise ValueError(f"no take {take_id}")
        return takes[0]

    def last_result_by_scenario(self) -> dict[str, tuple[datetime, bool]]:
        """For each scenario, the start time and verdict of its latest finished session."""
        with self._locked(write=False) as conn:
            rows = conn.execute(
                "SELECT scenario_id, started_at, passed FROM sessions WHERE status = 'finished'"
                " ORDER BY started_at, id"
            ).fetchall()
        # Later rows overwrite earlier ones, leaving each scenario's latest.
        return {
            row["scenario_id"]: (
                cast(datetime, _parse_time(row["started_at"])),
                bool(row["passed"]),
            )
            for row in rows
        }

    def trends(self, scenario_id: str | None = None) -> list[TrendPoint]:
        """One point per session with a complete take, oldest first, from each step's last take."""
        with self._locked(write=False) as conn:
            where = "WHERE s.scenario_id = ?" if scenario_id else ""
            sessions = conn.execute(
                f"SELECT s.id, s.scenario_id, s.started_at FROM sessions s {where}"
                " ORDER BY s.started_at, s.id",
                (scenario_id,) if scenario_id else (),
            ).fetchall()
            takes = self._load_takes(
                conn,
                "t.status = 'complete'" + (" AND s.scenario_id = ?" if scenario_id else ""),
                (scenario_id,) if scenario_id else (),
            )
        latest: dict[int, dict[int, TakeRecord]] = {}
        for take in takes:
            latest.setdefault(take.session_id, {})[take.step_index] = take
        points: list[TrendPoint] = []
        for row in sessions:
            final = list(latest.get(int(row["id"]), {}).values())
            if not final:
                continue
            stats = [take_stats(t) for t in final]
            minutes = sum(s.speech_seconds for s in stats if s.speech_seconds) / 60.0
            timed_words = sum(s.words for s in stats if s.speech_seconds)
            timed_fillers = sum(s.fillers for s in stats if s.speech_seconds)
            points.append(
                TrendPoint(
                    session_id=int(row["id"]),
                    scenario_id=row["scenario_id"],
                    started_at=cast(datetime, _parse_time(row["started_at"])),
                    pass_rate=_pass_rate(final),
                    filler_per_min=timed_fillers / minutes if minutes else None,
                    wpm=timed_words / minutes if minutes else None,
                    takes=len(final),
                )
            )
        return points

    def _load_takes(
        self, conn: sqlite3.Connection, where: str, args: Sequence[Any]
    ) -> list[TakeRecord]:
        rows = conn.execute(
            "SELECT t.* FROM takes t JOIN sessions s ON s.id = t.session_id"
            f" WHERE {where} ORDER BY t.session_id, t.step_index, t.attempt",
            args,
        ).fetchall()
        if not rows:
            return []
        ids = json.dumps([row["id"] for row in rows])
        results: dict[int, list[CheckResult]] = {}
        for r in conn.execute(
            "SELECT * FROM check_results WHERE take_id IN (SELECT value FROM json_each(?))"
            " ORDER BY take_id, position",
            (ids,),
        ):
            results.setdefault(int(r["take_id"]), []).append(
                CheckResult(
                    id=r["check_id"],
                    status=r["status"],
                    evidence=r["evidence"],
                    tip=r["tip"],
                    label=r["label"],
                    optional=bool(r["optional"]),
                    spans=_rebuild_spans(r["spans"]),
                )
            )
        return [self._take(row, tuple(results.get(int(row["id"]), ()))) for row in rows]

    def _take(self, row: sqlite3.Row, results: tuple[CheckResult, ...]) -> TakeRecord:
        duration = row["duration"]
        complete = row["status"] == "complete"
        return TakeRecord(
            id=int(row["id"]),
            session_id=int(row["session_id"]),
            step_index=int(row["step_index"]),
            attempt=int(row["attempt"]),
            prompt=row["prompt"],
            audio_path=self._load_audio_path(row["audio_path"]),
            status=row["status"],
            created_at=cast(datetime, _parse_time(row["created_at"])),
            duration=duration,
            transcript=_rebuild_transcript(row) if complete else None,
            results=results,
            overflows=int(row["overflows"]),
            ended_by=row["ended_by"],
        )


# Matches the ids in one JSON array parameter, so a list of any length is one bound value.
_IDS_IN = "t.id IN (SELECT value FROM json_each(?))"

# Each session with its usable-take count and the checks on each step's latest complete take.
_SUMMARY_SQL = """
WITH latest AS (
    SELECT t.id
    FROM takes t
    WHERE t.status = 'complete'
      AND t.attempt = (SELECT MAX(u.attempt) FROM takes u
                       WHERE u.session_id = t.session_id AND u.step_index = t.step_index
                         AND u.status = 'complete')
),
rates AS (
    SELECT t.session_id,
           SUM(r.status = 'pass') AS passes,
           SUM(r.status = 'fail') AS fails
    FROM latest l
    JOIN takes t ON t.id = l.id
    JOIN check_results r ON r.take_id = t.id
    GROUP BY t.session_id
)
SELECT s.*,
       (SELECT COUNT(*) FROM takes t
        WHERE t.session_id = s.id AND t.status IN ('complete', 'recovered')) AS take_count,
       rates.passes, rates.fails
FROM sessions s
LEFT JOIN rates ON rates.session_id = s.id
"""


def _summary(row: sqlite3.Row) -> SessionSummary:
    passes, fails = row["passes"] or 0, row["fails"] or 0
    return SessionSummary(
        id=int(row["id"]),
        scenario_id=row["scenario_id"],
        title=row["scenario_title"],
        kind=row["scenario_kind"],
        started_at=cast(datetime, _parse_time(row["started_at"])),
        finished_at=_parse_time(row["finished_at"]),
        status=row["status"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        take_count=int(row["take_count"]),
        pass_rate=passes / (passes + fails) if passes + fails else None,
        engine=row["engine"],
        model=row["model"],
    )
