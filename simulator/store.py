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
from urllib.parse import quote

from audio.transcript import Segment, Transcript, Word
from simulator import locations
from simulator.checks.base import SEVERITIES, CheckResult, Severity, Span
from simulator.checks.lexicon import HESITATIONS
from simulator.checks.text import normalize_word, spoken_word_count, tokens
from simulator.errors import UserError
from simulator.safe_io import os_reason, terminal_safe, write_private

SessionStatus = Literal["in_progress", "finished", "abandoned"]
TakeStatus = Literal["recording", "complete", "recovered", "abandoned"]
SessionMode = Literal["spoken", "typed", ""]

SCHEMA_VERSION = 3
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
    # 2: each result keeps the severity it was graded with; '' marks rows graded before
    # severities existed, which read back with the check's registered severity.
    (
        "ALTER TABLE check_results ADD COLUMN severity TEXT NOT NULL DEFAULT ''"
        " CHECK (severity IN ('', 'must', 'advice'))",
    ),
    # 3: the owner's process start time beside its PID, so a crashed run's PID reused by another
    # program does not keep its takes "recording" forever ('' for rows from before).
    ("ALTER TABLE sessions ADD COLUMN owner_started TEXT NOT NULL DEFAULT ''",),
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

# Conditions of the disk or folder, not of the file: moving the database aside would not help.
_PLACE_ERRORS = {
    3: "permission denied",
    8: "the folder or the file is read-only",
    13: "the disk is full",
    14: "it cannot be opened (the folder is missing, read-only or not yours)",
}
_LOW_SPACE_BYTES = 64 * 1024
"""Free space below which a failed write is put down to a full disk."""
_CORRUPT = (11, 26)
"""SQLITE_CORRUPT, SQLITE_NOTADB: the file's contents are the problem."""

PENDING_SUFFIX = ".report.json"
"""A take's graded report kept beside its WAV while the database could not take it."""

# Used only when the filler_rate check did not run on a take (typed answers, scenarios that turn it
# off): the hesitation sounds that count as fillers whatever the context.
_LEXICAL_FILLERS = HESITATIONS


class HistoryBusy(UserError):
    """Another program held the history database's lock for longer than a write waits."""


class DamagedHistory(UserError):
    """The history database's contents are corrupt (some or all of it cannot be read)."""


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
    mode: SessionMode = ""
    """How it was answered: "spoken" (any take has audio), "typed", or "" with no answer."""


@dataclass(frozen=True)
class PracticeTry:
    """One session's final answers, for "your must-haves over the last 5 tries"."""

    session_id: int
    """The session id."""
    started_at: datetime
    """When the session started (timezone-aware, UTC)."""
    mode: SessionMode
    """spoken or typed."""
    takes: tuple[TakeRecord, ...]
    """Each answered step's latest complete take, in step order."""


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
    """Words said, numbers counted as spoken ("617-555-0142" is ten; bare punctuation none)."""
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
        # The same count as the pace check, so the trend and the check agree.
        counted = spoken_word_count(tokens(transcript))
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


def process_started(pid: int) -> str:
    """When process PID started, as an opaque token ('' when unknown): with the PID it names one
    process, since a PID is reused once its process ends."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    fields = stat_line.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""  # field 22, starttime in clock ticks


def _owner_alive(pid: int, started: str) -> bool:
    if not _pid_alive(pid):
        return False
    # A live process under that PID is the owner only if it started when the owner did.
    return not started or process_started(pid) in ("", started)


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


def _stored_severity(stored: str, check_id: str, optional: bool) -> Severity:
    if stored in SEVERITIES:
        return stored
    # Graded before severities were kept: an optional check was advice, the rest as registered.
    from simulator.checks import REGISTRY

    check = REGISTRY.get(check_id)
    return "advice" if optional else (check.severity if check is not None else "must")


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
        self,
        path: Path | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        """Open (creating if needed) the history at PATH, default locations.database_file().

        With READ_ONLY nothing is created, migrated or written: for `show` and `export` on a
        read-only folder and for reviewing a damaged history.
        """
        self.path = path if path is not None else locations.database_file()
        """The database file."""
        self.read_only = read_only
        """True when opened for reading only."""
        self._default_location = path is None
        self._clock = clock or _utc_now
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------------

    def _refuse_links(self) -> None:
        # SQLite follows a link at the database path (creating its target when it dangles):
        # mockcall never makes one, so one found there was planted.
        for suffix in ("", "-wal", "-shm", "-journal"):
            candidate = Path(f"{self.path}{suffix}")
            if candidate.is_symlink():
                raise UserError(
                    f"history database {candidate} is a symbolic link, which mockcall did not "
                    "make; refusing to follow it (remove the link to go on)"
                )

    def _open(self) -> sqlite3.Connection:
        self._refuse_links()
        if self.read_only:
            return self._open_read_only()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder for {self.path}: {os_reason(exc)}") from None
        if not os.path.lexists(self.path):
            # Create the empty file private from the start; SQLite gives -wal/-shm the same mode.
            try:
                flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
                os.close(os.open(self.path, flags, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise self._place_error(exc) from None
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
            # A history damaged part-way (a bad page among good ones) opens and answers the first
            # queries; check every page before anything is written, so nothing is added to it.
            self._require_intact(conn)
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

    def _require_intact(self, conn: sqlite3.Connection) -> None:
        problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)").fetchall()]
        if problems != ["ok"]:
            lines = [ln for p in problems for ln in p.splitlines() if not ln.startswith("***")]
            raise DamagedHistory(
                f"history database {self.path} is damaged ({(lines or problems)[0]}); nothing "
                "was written "
                "to it. `mockcall history` and `mockcall show` still read what they can; move "
                "it aside to start a new history"
            )

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise UserError(f"no history database at {self.path} yet")
        base = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        # In a read-only folder SQLite cannot create the WAL index; immutable reads the main
        # file as it is (nobody can be writing to it there).
        for uri in (base, base + "&immutable=1"):
            try:
                conn = sqlite3.connect(
                    uri, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
                )
                conn.row_factory = sqlite3.Row
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                found = int(conn.execute("PRAGMA user_version").fetchone()[0])
            except sqlite3.Error as exc:
                error = exc
                continue
            if found < 2 or found > SCHEMA_VERSION:
                conn.close()
                raise UserError(
                    f"history database {self.path} has schema version {found}, which this "
                    "mockcall reads only after upgrading it in a writable folder"
                )
            return conn
        raise self._user_error(error) from None

    def _make_private(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").chmod(0o600)
            except OSError:
                pass

    def _place_problem(self) -> str | None:
        """What is wrong with the folder or disk holding the history, None if nothing is."""
        folder = self.path.parent
        try:
            info = os.statvfs(folder)
        except OSError:
            return None
        if info.f_flag & os.ST_RDONLY:
            return f"the folder {folder} is on a read-only file system"
        if info.f_bavail * info.f_frsize < _LOW_SPACE_BYTES:
            return f"the disk holding {folder} is full"
        if not os.access(folder, os.W_OK):
            return f"the folder {folder} is read-only (no write permission)"
        return None

    def _place_error(self, exc: OSError) -> UserError:
        reason = self._place_problem() or os_reason(exc)
        return UserError(f"cannot write the history database {self.path}: {reason}")

    def _user_error(self, exc: sqlite3.Error) -> UserError:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (5, 6):
            # Busy is temporary: another mockcall holds a long write; the file itself is fine.
            return HistoryBusy(
                f"history database {self.path} is busy (another program holds its lock); try again"
            )
        if primary not in _CORRUPT:
            # A full disk or a read-only folder is no fault of the file: say what is wrong.
            place = self._place_problem()
            if place is not None or primary in _PLACE_ERRORS:
                cause = place or _PLACE_ERRORS[cast(int, primary)]
                return UserError(
                    f"cannot use the history database {self.path}: {cause} "
                    "(the history itself is fine)"
                )
        reason = _FILE_ERRORS.get(primary) if primary is not None else None
        kind = DamagedHistory if primary in _CORRUPT else UserError
        return kind(
            f"history database {self.path} is unusable: {reason or exc} "
            "(nothing was written to it; move it aside to start a new history)"
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
                    self._checkpoint(conn)
                else:
                    yield conn
            except sqlite3.Error as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if isinstance(code, int) and (code & 0xFF) in _FILE_ERRORS:
                    raise self._user_error(exc) from None
                raise

    @staticmethod
    def _checkpoint(conn: sqlite3.Connection) -> None:
        # Copy what was just committed into the main file: a WAL deleted (or lost with its
        # folder's backup) afterwards then drops nothing that was saved.
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass  # busy with a reader: the next commit's checkpoint copies it

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
        while os.path.lexists(candidate):
            if candidate.is_symlink():
                # Recording into it would overwrite whatever it points at.
                raise UserError(
                    f"{candidate} is a symbolic link, which mockcall did not make; refusing to "
                    "record through it (remove the link to go on)"
                )
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
                " engine, model, profile_json, owner_pid, owner_started)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    title,
                    kind,
                    _iso(self._clock()),
                    engine,
                    model,
                    profile_json,
                    os.getpid(),
                    process_started(os.getpid()),
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
                " label, optional, spans, severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        r.severity,
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

    def interrupt_take(self, take_id: int) -> TakeRecord:
        """Keep a take stopped by Ctrl+C: 'recovered' (ended_by 'interrupted') with the duration
        of the audio on disk, to be transcribed later; 'abandoned' only when it holds no audio."""
        with self._locked(write=True) as conn:
            row = conn.execute(
                "SELECT * FROM takes WHERE id = ? AND status = 'recording'", (take_id,)
            ).fetchone()
            if row is not None:
                self._settle_take(conn, row)
                conn.execute(
                    "UPDATE takes SET ended_by = 'interrupted' WHERE id = ? AND status = 'recovered'",
                    (take_id,),
                )
        return self.get_take(take_id)

    def untranscribed_takes(self) -> list[tuple[TakeRecord, str, str]]:
        """Recovered and interrupted takes with audio, each with its session's scenario id and
        profile snapshot (JSON), oldest first: what `mockcall recover` transcribes."""
        with self._locked(write=False) as conn:
            takes = self._load_takes(
                conn, "t.status = 'recovered' AND t.audio_path IS NOT NULL", ()
            )
            sessions = {
                int(row["id"]): (str(row["scenario_id"]), str(row["profile_json"]))
                for row in conn.execute(
                    "SELECT id, scenario_id, profile_json FROM sessions WHERE id IN"
                    " (SELECT session_id FROM takes WHERE status = 'recovered')"
                )
            }
        return [(t, *sessions[t.session_id]) for t in takes]

    # -- reports the database could not take yet ----------------------------------------------

    def pending_report_path(self, take: TakeRecord) -> Path:
        """Where a take's graded report waits when the database is busy: beside its WAV."""
        if take.audio_path is not None:
            return take.audio_path.with_name(take.audio_path.name + PENDING_SUFFIX)
        folder = self.recordings_dir / f"session-{take.session_id:05d}"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder / f"step{take.step_index + 1:02d}-take{take.attempt:02d}{PENDING_SUFFIX}"

    def keep_pending_report(
        self,
        take: TakeRecord,
        transcript: Transcript,
        results: Sequence[CheckResult],
        duration: float | None,
        overflows: int = 0,
        ended_by: str = "",
    ) -> Path:
        """Write a take's graded report beside its WAV as JSON, for merge_pending_reports()."""
        path = self.pending_report_path(take)
        body = {
            "take_id": take.id,
            "session_id": take.session_id,
            "transcript": {
                "text": transcript.text,
                "words": json.loads(_words_json(transcript.words)),
                "segments": json.loads(_segments_json(transcript)),
                "timed": transcript.timed,
                "duration": transcript.duration,
            },
            "results": [
                {
                    "id": r.id,
                    "status": r.status,
                    "evidence": r.evidence,
                    "tip": r.tip,
                    "label": r.label,
                    "optional": r.optional,
                    "spans": json.loads(_spans_json(r.spans)),
                    "severity": r.severity,
                }
                for r in results
            ],
            "duration": duration,
            "overflows": overflows,
            "ended_by": ended_by,
        }
        write_private(path, json.dumps(body, ensure_ascii=False), force=True)
        return path

    def keep_pending_finish(self, session_id: int, passed: bool) -> Path:
        """Write a session's verdict as JSON in its recordings folder, for merge_pending_reports()."""
        folder = self.recordings_dir / f"session-{session_id:05d}"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"session{PENDING_SUFFIX}"
        write_private(path, json.dumps({"session_id": session_id, "passed": passed}), force=True)
        return path

    def merge_pending_reports(self) -> int:
        """Save the reports kept beside their WAVs while the database was busy, then delete the
        files; return how many were merged (a damaged file is left where it is)."""
        merged = 0
        folder = self.recordings_dir
        files = sorted(folder.glob(f"session-*/*{PENDING_SUFFIX}"))
        # Takes first, then the verdicts that rest on them.
        files.sort(key=lambda p: p.name == f"session{PENDING_SUFFIX}")
        for path in files:
            if path.is_symlink() or not path.is_file():
                continue
            try:
                body = json.loads(path.read_text(encoding="utf-8"))
                if "take_id" in body:
                    self._merge_take_report(body)
                else:
                    self._merge_finish(body)
            except (OSError, ValueError, KeyError, TypeError):
                continue
            path.unlink(missing_ok=True)
            merged += 1
        return merged

    def _merge_take_report(self, body: dict[str, Any]) -> None:
        take_id = int(body["take_id"])
        with self._locked(write=False) as conn:
            status = self._take_status(conn, take_id)
        if status == "complete":
            return
        raw = body["transcript"]
        row = {
            "words": json.dumps(raw["words"]),
            "segments": json.dumps(raw["segments"]),
            "transcript_text": raw["text"],
            "timed": raw["timed"],
            "transcript_duration": raw["duration"],
        }
        transcript = _rebuild_transcript(cast(sqlite3.Row, row))
        results = [
            CheckResult(
                id=r["id"],
                status=r["status"],
                evidence=r["evidence"],
                tip=r["tip"],
                label=r["label"],
                optional=bool(r["optional"]),
                spans=_rebuild_spans(json.dumps(r["spans"])),
                severity=_stored_severity(r["severity"], r["id"], bool(r["optional"])),
            )
            for r in body["results"]
        ]
        self.complete_take(
            take_id,
            transcript,
            results,
            duration=body["duration"],
            overflows=int(body["overflows"]),
            ended_by=str(body["ended_by"]),
        )

    def _merge_finish(self, body: dict[str, Any]) -> None:
        session_id, passed = int(body["session_id"]), bool(body["passed"])
        with self._locked(write=True) as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "UPDATE sessions SET status = 'finished', passed = ?,"
                " finished_at = COALESCE(finished_at, ?) WHERE id = ? AND status != 'finished'",
                (int(passed), _iso(self._clock()), session_id),
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

    def delete_session(self, session_id: int) -> list[Path]:
        """Delete a session, its takes and results, and its takes' audio; return the files removed.

        The rows go in one transaction first, so a file that cannot be removed never leaves a
        session pointing at missing audio; the session's recordings folder goes when empty.
        """
        with self._locked(write=True) as conn:
            self._require_session(conn, session_id)
            owner = conn.execute(
                "SELECT owner_pid, owner_started FROM sessions WHERE id = ? AND status = 'in_progress'",
                (session_id,),
            ).fetchone()
            if owner is not None and self._owned_elsewhere(
                owner["owner_pid"], owner["owner_started"]
            ):
                raise UserError(
                    f"session {session_id} is still being recorded by another mockcall; "
                    "finish it there first"
                )
            stored = [
                row["audio_path"]
                for row in conn.execute(
                    "SELECT audio_path FROM takes WHERE session_id = ? AND audio_path IS NOT NULL",
                    (session_id,),
                )
            ]
            conn.execute(
                "DELETE FROM check_results WHERE take_id IN"
                " (SELECT id FROM takes WHERE session_id = ?)",
                (session_id,),
            )
            conn.execute("DELETE FROM takes WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        removed: list[Path] = []
        folders: set[Path] = set()
        for text in stored:
            path = self._load_audio_path(text)
            if path is None:
                continue
            folders.add(path.parent)
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                continue  # the history no longer points at it; nothing more to do here
            removed.append(path)
        recordings = self.recordings_dir.resolve()
        for folder in folders:
            # Only the session's own folder inside the recordings folder, and only when empty.
            if folder.resolve().parent == recordings:
                try:
                    folder.rmdir()
                except OSError:
                    pass
        return removed

    def recover_interrupted(self) -> list[TakeRecord]:
        """Settle what a crash left behind and return the takes it changed.

        Takes still 'recording' whose WAV holds audio become 'recovered' (duration from the
        audio on disk, header sizes repaired); the rest become 'abandoned'. Sessions still
        'in_progress' become 'abandoned', keeping their takes. Sessions owned by another live
        process (a `mockcall run` beside the app) are left alone. Nothing is deleted.
        """
        changed: list[int] = []
        # Reports kept while the database was busy go in first: their takes are complete.
        self.merge_pending_reports()
        with self._locked(write=True) as conn:
            sessions = conn.execute(
                "SELECT id, owner_pid, owner_started FROM sessions WHERE status = 'in_progress'"
                " OR id IN (SELECT session_id FROM takes WHERE status = 'recording')"
            ).fetchall()
            orphaned = [
                s["id"]
                for s in sessions
                if not self._owned_elsewhere(s["owner_pid"], s["owner_started"])
            ]
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

    def _owned_elsewhere(self, pid: int | None, started: str) -> bool:
        return pid is not None and pid != os.getpid() and _owner_alive(pid, started)

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
                # The latest session with an answer: a start abandoned at once is not "last".
                row = conn.execute(
                    "SELECT id FROM sessions s ORDER BY EXISTS (SELECT 1 FROM takes t"
                    " WHERE t.session_id = s.id AND t.status IN ('complete', 'recovered')) DESC,"
                    " started_at DESC, id DESC LIMIT 1"
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
        self,
        scenario_id: str | None = None,
        limit: int | None = None,
        *,
        include_empty: bool = True,
        mode: SessionMode | None = None,
    ) -> list[SessionSummary]:
        """Sessions, newest first, optionally for one scenario and at most LIMIT of them.

        include_empty=False leaves out sessions without a single answered take (started, then
        abandoned); MODE keeps only spoken or only typed sessions.
        """
        conditions: list[str] = []
        args: list[Any] = []
        if scenario_id:
            conditions.append("scenario_id = ?")
            args.append(scenario_id)
        if not include_empty:
            conditions.append("take_count > 0")
        if mode is not None:
            conditions.append("mode = ?")
            args.append(mode)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        # The summary's computed columns (take_count, mode) are filterable from the outside.
        sql = f"SELECT * FROM ({_SUMMARY_SQL}) {where} ORDER BY started_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        try:
            with self._locked(write=False) as conn:
                return [_summary(row) for row in conn.execute(sql, args).fetchall()]
        except DamagedHistory:
            if not self.read_only:
                raise
        # A damaged takes table: the sessions themselves are still listed, without counts, so
        # no session is hidden for having "no take" and none is filtered by how it was answered.
        bare = f"SELECT * FROM ({_BARE_SUMMARY_SQL})"
        bare_args: list[Any] = []
        if scenario_id:
            bare += " WHERE scenario_id = ?"
            bare_args.append(scenario_id)
        bare += " ORDER BY started_at DESC, id DESC"
        if limit is not None:
            bare += " LIMIT ?"
            bare_args.append(limit)
        with self._locked(write=False) as conn:
            return [_summary(row) for row in conn.execute(bare, bare_args).fetchall()]

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

    def last_result_by_scenario(
        self, mode: SessionMode | None = None
    ) -> dict[str, tuple[datetime, bool]]:
        """For each scenario, the start time and verdict of its latest finished session.

        Only sessions with an answer count; MODE ("spoken" or "typed") keeps only that kind of
        practice, so a typed pass does not mark the spoken drill as done.
        """
        sessions = self.list_sessions(include_empty=False, mode=mode)
        latest: dict[str, tuple[datetime, bool]] = {}
        for s in sessions:  # newest first: the first one seen per scenario is its latest
            if s.status == "finished" and s.passed is not None:
                latest.setdefault(s.scenario_id, (s.started_at, s.passed))
        return latest

    def recent_tries(self, scenario_id: str, limit: int = 5) -> list[PracticeTry]:
        """The last LIMIT sessions of a scenario that have an answer, oldest first."""
        sessions = self.list_sessions(scenario_id, include_empty=False)
        tries: list[PracticeTry] = []
        for summary in sessions:
            final = self.get_session(summary.id).final_takes()
            if final:
                tries.append(PracticeTry(summary.id, summary.started_at, summary.mode, final))
            if len(tries) == limit:
                break
        return tries[::-1]

    def takes_for_scenario_step(self, scenario_id: str, step_index: int) -> list[TakeRecord]:
        """Every complete take of one step of a scenario, across sessions, oldest first."""
        with self._locked(write=False) as conn:
            takes = self._load_takes(
                conn,
                "s.scenario_id = ? AND t.step_index = ? AND t.status = 'complete'",
                (scenario_id, step_index),
            )
        return sorted(takes, key=lambda t: (t.created_at, t.id))

    def trends(self, scenario_id: str | None = None) -> list[TrendPoint]:
        """One point per session with a complete take, oldest first, from each step's last take."""
        try:
            return self._trends(scenario_id)
        except DamagedHistory:
            if not self.read_only:
                raise
            return []  # the takes cannot be read: nothing to chart, nothing to crash on

    def _trends(self, scenario_id: str | None) -> list[TrendPoint]:
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
                    severity=_stored_severity(r["severity"], r["check_id"], bool(r["optional"])),
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
       (SELECT CASE WHEN COUNT(*) = 0 THEN ''
                    WHEN SUM(t.audio_path IS NOT NULL) > 0 THEN 'spoken'
                    ELSE 'typed' END
        FROM takes t
        WHERE t.session_id = s.id AND t.status IN ('complete', 'recovered')) AS mode,
       rates.passes, rates.fails
FROM sessions s
LEFT JOIN rates ON rates.session_id = s.id
"""


# The sessions alone, for a history whose takes cannot be read.
_BARE_SUMMARY_SQL = """
SELECT s.*, 0 AS take_count, NULL AS mode, NULL AS passes, NULL AS fails FROM sessions s
"""


def open_history_or_read_only() -> tuple[Store, UserError | None]:
    """The history, and None; or, when it cannot be written (damaged, a read-only folder, a full
    disk), the same history opened read-only with the reason, so what is readable can still be
    reviewed. A busy history, or one that cannot be read at all, raises as opening it does."""
    try:
        return Store(), None
    except HistoryBusy:
        raise
    except UserError as exc:
        try:
            return Store(read_only=True), exc
        except UserError:
            raise exc from None


def _summary(row: sqlite3.Row) -> SessionSummary:
    passes, fails = row["passes"] or 0, row["fails"] or 0
    return SessionSummary(
        id=int(row["id"]),
        scenario_id=row["scenario_id"],
        title=terminal_safe(row["scenario_title"]),
        kind=row["scenario_kind"],
        started_at=cast(datetime, _parse_time(row["started_at"])),
        finished_at=_parse_time(row["finished_at"]),
        status=row["status"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        take_count=int(row["take_count"]),
        pass_rate=passes / (passes + fails) if passes + fails else None,
        engine=row["engine"],
        model=row["model"],
        mode=row["mode"] or "",
    )
