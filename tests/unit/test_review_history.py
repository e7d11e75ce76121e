"""Review that shows progress: compare across sessions, delete, a clean history, must-haves.

The store tests use the real SQLite history; the CLI tests run `python -m simulator` in a
subprocess against a history this test process wrote into the same MOCKCALL_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audio.transcript import Segment, Transcript, Word
from simulator import locations
from simulator.checks.base import CheckResult
from simulator.errors import UserError
from simulator.export import session_markdown
from simulator.progress import must_have_tracks
from simulator.store import Store, process_started
from tests.unit.test_store import write_wav

PROFILE = """[profile]
name = "Jordan Rivera"
phone = "(617) 555-0142"
role = "Data Analyst"
company = "Northwind"
"""
OTHER_PROFILE = PROFILE.replace("Jordan Rivera", "Sam Okafor").replace("0142", "0199")
ANSWER = "Hi this is Jordan Rivera about the Data Analyst role my number is 617 555 0142"


def mockcall(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=os.environ.copy(),
        timeout=120,
    )


def spoken(text: str, gap_after: int | None = None, gap: float = 0.0) -> Transcript:
    """TEXT timed a word every 0.4 s from 0.5 s, with GAP extra seconds after word GAP_AFTER."""
    words: list[Word] = []
    at = 0.5
    for i, w in enumerate(text.split()):
        words.append(Word(f" {w}", round(at, 2), round(at + 0.3, 2), 0.9))
        at += 0.4 + (gap if i == gap_after else 0.0)
    return Transcript.from_segments(
        [Segment(text, words[0].start, words[-1].end, tuple(words))], at
    )


def check(
    check_id: str, status: str, label: str, optional: bool = False, severity: str = "must"
) -> CheckResult:
    return CheckResult(
        check_id,
        status,  # type: ignore[arg-type]
        "",
        "",
        label,
        optional,
        severity=severity,  # type: ignore[arg-type]
    )


@pytest.fixture
def store() -> Iterator[Store]:
    moments = (datetime(2025, 3, 1, 9, 0, tzinfo=UTC) + timedelta(days=i) for i in range(10**4))
    with Store(clock=lambda: next(moments)) as history:
        yield history


def add(
    store: Store,
    takes: list[tuple[Transcript, tuple[CheckResult, ...], bool]],
    *,
    scenario: str = "voicemail-screening",
    finish: bool = True,
) -> int:
    """A session of step-1 takes (transcript, results, with audio?); returns its id."""
    session = store.start_session(scenario, "Voicemail screening line", "voicemail")
    for transcript, results, with_audio in takes:
        audio = None
        if with_audio:
            audio = store.recording_path(session, 0)
            write_wav(audio, 8.0)
        take = store.begin_take(session, 0, "Leave a message.", audio)
        store.complete_take(take, transcript, results, duration=8.0 if with_audio else None)
    if finish:
        store.finish_session(session, all(r.status != "fail" for r in takes[-1][1]))
    return session


MISSED = (check("says_name", "pass", "Full name said"), check("says_phone", "fail", "Number said"))
NAILED = (check("says_name", "pass", "Full name said"), check("says_phone", "pass", "Number said"))


# -- the store ---------------------------------------------------------------------------------


def test_delete_session_removes_rows_and_audio(store: Store) -> None:
    kept = add(store, [(spoken(ANSWER), NAILED, True)])
    doomed = add(store, [(spoken(ANSWER), MISSED, True), (spoken(ANSWER), NAILED, True)])
    audio = [t.audio_path for t in store.get_session(doomed).takes]
    assert all(p is not None and p.is_file() for p in audio)

    removed = store.delete_session(doomed)

    assert sorted(removed) == sorted(audio)  # type: ignore[type-var]
    assert not any(p is not None and p.exists() for p in audio)
    assert audio[0] is not None and not audio[0].parent.exists()  # the session's folder too
    assert [s.id for s in store.list_sessions()] == [kept]
    kept_audio = store.get_session(kept).takes[0].audio_path
    assert kept_audio is not None and kept_audio.is_file()


def test_empty_sessions_hidden_and_modes_told_apart(store: Store) -> None:
    typed = add(store, [(Transcript.from_text(ANSWER), NAILED, False)])
    empty = store.start_session("voicemail-screening", "Voicemail screening line", "voicemail")
    store.abandon_session(empty)
    voiced = add(store, [(spoken(ANSWER), MISSED, True)])

    assert [s.id for s in store.list_sessions()] == [voiced, empty, typed]
    assert [s.id for s in store.list_sessions(include_empty=False)] == [voiced, typed]
    modes = {s.id: s.mode for s in store.list_sessions()}
    assert modes == {typed: "typed", empty: "", voiced: "spoken"}
    assert [s.id for s in store.list_sessions(mode="typed")] == [typed]

    # The typed pass is later than nothing, but it does not mark the spoken drill as passed.
    spoken_last = store.last_result_by_scenario(mode="spoken")
    assert spoken_last["voicemail-screening"][1] is False
    assert store.last_result_by_scenario(mode="typed")["voicemail-screening"][1] is True


def test_must_haves_over_the_last_five_tries(store: Store) -> None:
    filler = check("filler_rate", "fail", "Few filler words", severity="advice")
    optional = check("recovery_line", "fail", "Recovery line", optional=True)
    for results in (MISSED, NAILED, NAILED, MISSED, NAILED, NAILED):
        add(store, [(spoken(ANSWER), (*results, filler, optional), True)])

    tries = store.recent_tries("voicemail-screening", 5)
    tracks = {t.check_id: t for t in must_have_tracks(tries)}

    assert [t.session_id for t in tries] == [2, 3, 4, 5, 6]  # the latest five, oldest first
    assert set(tracks) == {"says_name", "says_phone"}  # advice and optional checks left out
    assert tracks["says_phone"].marks == ("pass", "pass", "fail", "pass", "pass")
    assert tracks["says_phone"].sentence() == "4 of your last 5 tries"
    assert tracks["says_name"].passed == 5


def test_markdown_says_which_take_counted_and_links_copied_audio(store: Store) -> None:
    session = add(store, [(spoken(ANSWER), MISSED, True), (spoken(ANSWER), NAILED, True)])
    detail = store.get_session(session)
    second = detail.takes[1]

    text = session_markdown(detail, {second.id: "report-audio/step01-take02.wav"})

    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == 2
    assert "counted" not in headings[0] and "counted for the verdict" in headings[1]
    assert "[report-audio/step01-take02.wav](report-audio/step01-take02.wav)" in text


# -- the command line --------------------------------------------------------------------------


def test_compare_two_sessions_text_and_json(store: Store) -> None:
    first = add(store, [(spoken("um hi it's Jordan um", gap_after=2, gap=3.0), MISSED, True)])
    second = add(store, [(spoken(ANSWER), MISSED, True), (spoken(ANSWER), NAILED, True)])

    shown = mockcall("compare", str(first), str(second))
    data = mockcall("compare", str(first), str(second), "--step", "1", "--json")

    assert shown.returncode == 0, shown.stderr
    assert "✘ → ✔  Number said [says_phone]" in shown.stdout
    assert "{+Rivera about the Data Analyst role" in shown.stdout
    assert "1 (longest 3.1 s)" in shown.stdout  # the pause in the first session's answer
    assert "speech of 0:08" in shown.stdout  # speech time with the recording length beside
    assert all(len(line) <= 80 for line in shown.stdout.splitlines()[:10])
    assert data.returncode == 0, data.stderr
    report = json.loads(data.stdout)
    assert list(report)[0] == "schema_version"
    [step] = report["steps"]
    # The final take of the step in each session: take 2 of the second one.
    assert (step["a"]["session"], step["b"]["session"], step["b"]["attempt"]) == (1, 2, 2)
    assert step["checks_changed"] == [
        {"id": "says_phone", "label": "Number said", "before": "fail", "after": "pass"}
    ]
    assert step["a"]["fillers"] == 2 and step["b"]["fillers"] == 0
    assert step["a"]["long_pauses"] == [3.1] and step["b"]["long_pauses"] == []
    assert {"op": "insert", "words": ["Rivera", "about"]} not in step["diff"]  # not one lump
    assert any(d["op"] == "insert" and "Rivera" in d["words"] for d in step["diff"])


def test_compare_one_session_compares_its_retake(store: Store) -> None:
    session = add(store, [(spoken(ANSWER), MISSED, True), (spoken(ANSWER), NAILED, True)])
    result = mockcall("compare", str(session), str(session), "--json")
    assert result.returncode == 0, result.stderr
    [step] = json.loads(result.stdout)["steps"]
    assert (step["a"]["attempt"], step["b"]["attempt"]) == (1, 2)


def test_compare_refuses_different_scenarios_in_one_line(store: Store) -> None:
    first = add(store, [(spoken(ANSWER), MISSED, True)])
    other = add(store, [(spoken(ANSWER), MISSED, True)], scenario="phone-screen")
    result = mockcall("compare", str(first), str(other))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "same scenario" in result.stderr


def test_delete_asks_then_removes_the_session_and_its_audio(store: Store) -> None:
    session = add(store, [(spoken(ANSWER), MISSED, True)])
    audio = store.get_session(session).takes[0].audio_path
    assert audio is not None

    declined = mockcall("delete", str(session), stdin="n\n")
    assert declined.returncode == 1
    assert f"Delete session {session} (Voicemail screening line" in declined.stderr
    assert "nothing deleted" in declined.stderr and audio.is_file()

    confirmed = mockcall("delete", str(session), stdin="y\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "1 audio file removed" in confirmed.stderr
    assert not audio.exists()
    assert json.loads(mockcall("history", "--all", "--json").stdout)["sessions"] == []

    again = mockcall("delete", str(session), "--yes")
    assert again.returncode == 2 and f"no session {session}" in again.stderr


def test_history_hides_empty_sessions_and_filters_by_mode(store: Store) -> None:
    add(store, [(Transcript.from_text(ANSWER), NAILED, False)])
    empty = store.start_session("voicemail-screening", "Voicemail screening line", "voicemail")
    store.abandon_session(empty)
    add(store, [(spoken(ANSWER), MISSED, True)])

    listed = mockcall("history")
    every = json.loads(mockcall("history", "--all", "--json").stdout)["sessions"]
    typed = json.loads(mockcall("history", "--mode", "typed", "--json").stdout)["sessions"]

    assert listed.returncode == 0
    rows = listed.stdout.splitlines()[1:]
    assert len(rows) == 2 and "typed" in rows[1] and "spoken" in rows[0]
    assert "1 session without an answer hidden" in listed.stderr
    assert [s["session"] for s in every] == [3, 2, 1]
    assert [(s["session"], s["mode"]) for s in typed] == [(1, "typed")]


def test_check_with_someone_elses_profile_is_not_saved(tmp_path: Path) -> None:
    locations.profile_file().parent.mkdir(parents=True, exist_ok=True)
    locations.profile_file().write_text(PROFILE, encoding="utf-8")
    theirs = tmp_path / "client.toml"
    theirs.write_text(OTHER_PROFILE, encoding="utf-8")
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER.replace("Jordan Rivera", "Sam Okafor"), encoding="utf-8")

    other = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(theirs)
    )
    mine = mockcall("check", "voicemail-screening", "--answer-text", str(answer))

    assert other.returncode == 0, other.stderr
    assert "not saved to your history" in other.stderr
    assert "says_name" in other.stdout  # the report itself is still printed
    assert mine.returncode == 0 and "saved as session 1 in your history" in mine.stderr
    sessions = json.loads(mockcall("history", "--json").stdout)["sessions"]
    assert [s["session"] for s in sessions] == [1]


def test_export_include_audio_copies_the_takes_next_to_the_report(
    store: Store, tmp_path: Path
) -> None:
    session = add(store, [(spoken(ANSWER), MISSED, True), (spoken(ANSWER), NAILED, True)])
    report = tmp_path / "out" / "voicemail.md"
    report.parent.mkdir()

    result = mockcall("export", str(session), "-o", str(report), "--include-audio")

    assert result.returncode == 0, result.stderr
    copies = sorted((tmp_path / "out" / "voicemail-audio").iterdir())
    assert [p.name for p in copies] == ["step01-take01.wav", "step01-take02.wav"]
    originals = [t.audio_path for t in store.get_session(session).takes]
    assert [p.read_bytes() for p in copies] == [p.read_bytes() for p in originals if p]
    text = report.read_text(encoding="utf-8")
    assert "(voicemail-audio/step01-take02.wav)" in text
    assert "counted for the verdict" in text

    to_stdout = mockcall("export", str(session), "--include-audio")
    assert to_stdout.returncode == 2 and "needs -o FILE" in to_stdout.stderr


def test_last_means_the_latest_session_with_an_answer(store: Store) -> None:
    answered = add(store, [(spoken(ANSWER), NAILED, True)])
    empty = store.start_session("voicemail-screening", "Voicemail screening line", "voicemail")
    store.abandon_session(empty)
    assert store.resolve_session("last") == answered


def test_a_session_being_recorded_elsewhere_is_not_deleted(store: Store) -> None:
    session = add(store, [(spoken(ANSWER), NAILED, True)], finish=False)
    with store._locked(write=True) as conn:  # as if `mockcall run` in another process owned it
        conn.execute(
            "UPDATE sessions SET owner_pid = 1, owner_started = ? WHERE id = ?",
            (process_started(1), session),
        )
    with pytest.raises(UserError, match="still being recorded by another mockcall"):
        store.delete_session(session)
    assert store.get_session(session).takes


def test_check_with_a_profile_file_and_none_of_your_own_is_saved(tmp_path: Path) -> None:
    # Someone who only ever passes --profile has no other profile in use: it is their practice.
    mine = tmp_path / "me.toml"
    mine.write_text(PROFILE, encoding="utf-8")
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    checked = mockcall(
        "check", "voicemail-screening", "--answer-text", str(answer), "--profile", str(mine)
    )
    assert checked.returncode == 0, checked.stderr
    assert "saved as session 1 in your history" in checked.stderr
