"""Exports of saved sessions (Markdown, JSON, terminal text) and diffs between retakes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from audio.transcript import Segment, Transcript, Word
from simulator.checks.base import CheckResult, Span
from simulator.export import (
    compare_takes,
    diff_takes,
    history_json,
    render_comparison,
    render_diff_inline,
    render_history_table,
    render_session_text,
    session_json,
    session_markdown,
)
from simulator.store import SessionDetail, Store


def timed(text: str, step: float = 0.5) -> Transcript:
    """A timed transcript with one word every STEP seconds from 0.5 s."""
    words = tuple(
        Word(f" {w}", 0.5 + i * step, 0.5 + i * step + step * 0.8)
        for i, w in enumerate(text.split())
    )
    return Transcript.from_segments([Segment(text, words[0].start, words[-1].end, words)], 9.0)


NAME_PASS = CheckResult(
    "says_name", "pass", '"Jordan Rivera" at 0:01', "", "Full name said", spans=(Span(3, 4),)
)
NAME_FAIL = CheckResult(
    "says_name", "fail", 'only "Jordan" at 0:01', "Say your surname too.", "Full name said"
)
PHONE_FAIL = CheckResult(
    "says_phone",
    "fail",
    "no number heard",
    "Say your number slowly, twice.",
    "Callback number said",
)
PHONE_PASS = CheckResult("says_phone", "pass", '"617 555 0142" at 0:03', "", "Callback number said")
FILLERS = CheckResult(
    "filler_rate", "pass", '"um" at 0:00', "", "Few fillers", spans=(Span(0, 0, "filler"),)
)
STAR = CheckResult("star_structure", "skipped", "", "", "STAR structure", optional=True)


@pytest.fixture
def saved() -> Iterator[tuple[Store, SessionDetail]]:
    """A finished voicemail session: step 1 taken twice, step 2 typed once."""
    clock_at = [datetime(2025, 3, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        clock_at[0] += timedelta(seconds=30)
        return clock_at[0]

    with Store(clock=clock) as store:
        sid = store.start_session(
            "voicemail-screening", "Voicemail screening", "voicemail", "faster-whisper", "tiny.en"
        )
        first = store.begin_take(
            sid, 0, "Please leave your name and number.", store.recording_path(sid, 0)
        )
        store.complete_take(
            first, timed("um hi this is Jordan calling"), (NAME_FAIL, PHONE_FAIL, FILLERS), 4.0
        )
        second = store.begin_take(
            sid, 0, "Please leave your name and number.", store.recording_path(sid, 0)
        )
        store.complete_take(
            second,
            timed("hi this is Jordan Rivera, call me on 617 555 0142"),
            (NAME_PASS, PHONE_PASS, STAR),
            6.5,
        )
        typed = store.begin_take(sid, 1, "Anything *else*?", None)
        store.complete_take(typed, Transcript.from_text("No, thanks_a lot."), (PHONE_FAIL,), None)
        store.finish_session(sid, passed=False)
        yield store, store.get_session(sid)


def test_session_json_has_the_report_shape_plus_session_and_takes(
    saved: tuple[Store, SessionDetail],
) -> None:
    _, detail = saved
    out = session_json(detail)
    json.dumps(out)  # serialisable as is
    assert out["scenario"] == "voicemail-screening" and out["passed"] is False
    assert out["session"] == detail.id and out["status"] == "finished"
    assert out["started_at"] == "2025-03-01T09:00:30+00:00"
    # Steps are the latest complete take of each step, in the `mockcall run --json` shape.
    assert [(s["index"], s["attempt"]) for s in out["steps"]] == [(0, 2), (1, 1)]
    step = out["steps"][0]
    assert step["transcript"] == "hi this is Jordan Rivera, call me on 617 555 0142"
    assert step["checks"][0] == {
        "id": "says_name",
        "status": "pass",
        "severity": "must",
        "evidence": '"Jordan Rivera" at 0:01',
        "tip": "",
    }
    assert [c["status"] for c in step["checks"]] == ["pass", "pass", "skipped"]
    assert [(t["index"], t["attempt"], t["status"]) for t in out["takes"]] == [
        (0, 1, "complete"),
        (0, 2, "complete"),
        (1, 1, "complete"),
    ]
    assert out["takes"][0]["duration"] == 4.0 and out["takes"][0]["words"][0]["text"] == " um"
    assert out["takes"][2]["audio"] is None and out["takes"][2]["timed"] is False


def test_session_markdown_lists_prompts_transcripts_marks_evidence_and_tips(
    saved: tuple[Store, SessionDetail],
) -> None:
    _, detail = saved
    md = session_markdown(detail)
    assert md.startswith("# Voicemail screening — needs work\n")
    assert "`voicemail-screening`" in md and "faster-whisper tiny.en" in md
    assert "## Step 1" in md and "## Step 2" in md
    assert "**Asked:** Please leave your name and number." in md
    assert "### Take 1 of 2" in md and "### Take 2 of 2" in md
    assert "> um hi this is Jordan calling" in md
    assert '- ✘ **Full name said** (`says_name`) — heard: only "Jordan" at 0:01' in md
    assert "  - _Tip:_ Say your surname too." in md
    assert "- ✔ **Callback number said** (`says_phone`)" in md
    assert "- – **STAR structure** (`star_structure`) _(optional)_" in md
    assert "- **Returnable: name ✔ number ✘**" in md
    # The user's words stay literal: Markdown characters are escaped.
    assert r"**Asked:** Anything \*else\*?" in md and r"> No, thanks\_a lot." in md


def test_session_text_and_history_table(saved: tuple[Store, SessionDetail]) -> None:
    store, detail = saved
    text = render_session_text(detail)
    lines = text.splitlines()
    assert (
        lines[0]
        == f"Voicemail screening (voicemail-screening) — NEEDS WORK   [session {detail.id}]"
    )
    # The final takes' must-haves lead: step 2 never gave the number.
    assert lines[2:4] == ["Returnable: name ✔ number ✘", "Advice: nothing to work on"]
    assert "Step 1: Please leave your name and number." in lines
    # One duration: the speech time, with the recording's length beside it.
    assert any(
        line.startswith("  Take 2 of 2 (") and " speech of 0:06, " in line and "passed" in line
        for line in lines
    )
    assert "    ✘ Full name said [says_name]" in lines
    assert "        tip:   Say your surname too." in lines
    assert "    You said: No, thanks_a lot." in lines

    other = store.start_session("phone-screen", "Phone screen", "phone-screen")
    table = render_history_table(store.list_sessions()).splitlines()
    assert table[0].split() == [
        "ID",
        "Started",
        "Scenario",
        "How",
        "Status",
        "Result",
        "Takes",
        "Checks",
    ]
    assert table[1].split()[0] == str(other) and "in progress" in table[1]
    assert "✘ needs work" in table[2] and table[2].rstrip().endswith("67%")
    assert "No sessions yet" in render_history_table([])
    rows = history_json(store.list_sessions())
    json.dumps(rows)
    assert rows[1]["session"] == detail.id and rows[1]["pass_rate"] == pytest.approx(2 / 3)


def test_diff_of_two_takes_of_a_step(saved: tuple[Store, SessionDetail]) -> None:
    store, detail = saved
    a, b = store.takes_for_step(detail.id, 0)
    assert diff_takes(a, b) == [
        ("delete", ("um",)),
        ("equal", ("hi", "this", "is", "Jordan")),
        ("delete", ("calling",)),
        ("insert", ("Rivera,", "call", "me", "on", "617", "555", "0142")),
    ]
    assert diff_takes(b, b) == [("equal", tuple(w.text.strip() for w in b.transcript.words))]  # type: ignore[union-attr]
    assert render_diff_inline(diff_takes(a, b)) == (
        "[-um-] hi this is Jordan [-calling-] {+Rivera, call me on 617 555 0142+}"
    )
    comparison = compare_takes(a, b)
    # Words as spoken: "617 555 0142" is ten ("six one seven…"), so take 2 said 8 + 10.
    assert (comparison.a.words, comparison.b.words) == (6, 18)
    assert (comparison.a.fillers, comparison.b.fillers) == (1, 0)
    # Six words from 0.5 s to 3.4 s of speech: 2.9 s.
    assert comparison.a.wpm == pytest.approx(6 / (2.9 / 60))
    assert (comparison.a.checks_passed, comparison.a.checks_failed) == (1, 2)
    assert (comparison.b.checks_passed, comparison.b.checks_skipped) == (2, 1)
    text = render_comparison(a, b)
    assert text.splitlines()[0] == "Step 1: take 1 vs take 2"
    assert "checks passed" in text and "1/3" in text and "2/2" in text
    assert "{+Rivera, call me on 617 555 0142+}" in text


def test_diff_ignores_case_and_punctuation() -> None:
    a = Transcript.from_text("Hi, I'm Jordan — Rivera.")
    b = Transcript.from_text("hi I'm jordan rivera")
    assert diff_takes(a, b) == [("equal", ("hi", "I'm", "jordan", "rivera"))]
