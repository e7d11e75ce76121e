"""The small widgets: the timer's colours, the meter, and transcript highlighting."""

from __future__ import annotations

from textual.app import App, ComposeResult

from audio.transcript import Transcript
from simulator.checks.base import Span
from simulator.tui.widgets.elapsed import ElapsedTime, clock
from simulator.tui.widgets.level_meter import LevelMeter
from simulator.tui.widgets.transcript_view import STYLES, render_transcript
from tests.tui.fakes import FixedTranscriber
from tests.tui.helpers import result, screen_text, visible


class Gauges(App[None]):
    """The meter and the timer on their own."""

    def compose(self) -> ComposeResult:
        yield LevelMeter()
        yield ElapsedTime()


async def test_timer_turns_amber_then_red_as_the_limit_nears() -> None:
    app = Gauges()
    async with app.run_test(size=(60, 4)) as pilot:
        timer = app.query_one(ElapsedTime)
        timer.limit = 45.0
        timer.elapsed = 20.0
        await pilot.pause()
        assert not timer.has_class("-amber") and not timer.has_class("-red")
        assert visible(app, "0:20 / 0:45")
        timer.elapsed = 35.0
        await pilot.pause()
        assert timer.has_class("-amber") and not timer.has_class("-red")
        timer.elapsed = 42.0
        await pilot.pause()
        assert timer.has_class("-red") and not timer.has_class("-amber")
        assert visible(app, "0:42 / 0:45")


async def test_both_bars_are_labelled_and_the_level_is_no_percentage() -> None:
    app = Gauges()
    async with app.run_test(size=(60, 4)) as pilot:
        app.query_one(LevelMeter).level = 0.5
        app.query_one(ElapsedTime).elapsed = 12.0
        await pilot.pause()
        level_line, time_line = screen_text(app).splitlines()[:2]
        # Half the bar after the label is filled, and no number reads as progress.
        assert level_line.startswith("level ")
        bar = level_line.removeprefix("level ")
        assert bar.count("█") == len(bar) // 2 and set(bar) == {"█", "░"}
        assert "%" not in screen_text(app)
        assert time_line.startswith("time 0:12 / 1:00")


def test_clock_formats_minutes_and_seconds() -> None:
    assert [clock(s) for s in (0, 9.9, 61, 600)] == ["0:00", "0:09", "1:01", "10:00"]


def test_transcript_marks_fillers_pauses_misses_and_focused_evidence() -> None:
    transcript = FixedTranscriber("um my number is six one seven").transcribe(None)
    words = list(transcript.words)
    # Open a 3 s silence before "six" (the words already sit 0.05 s apart).
    words[4:] = [type(w)(w.text, w.start + 2.95, w.end + 2.95) for w in words[4:]]
    transcript = Transcript("", tuple(words), True, 10.0)
    filler = result("filler_rate", "fail", spans=(Span(0, 0, "filler"),))
    pause = result("long_pauses", "fail", spans=(Span(3, 4, "pause"),))
    phone = result("says_phone", "fail", spans=(Span(4, 6, "miss"), Span(1, 2, "evidence")))
    text = render_transcript(transcript, [filler, pause, phone])
    assert text.plain == "um my number is (3.0 s pause) six one seven"

    def styled(style: str) -> list[str]:
        return [text.plain[s.start : s.end] for s in text.spans if s.style == style]

    assert styled(STYLES["filler"]) == ["um"]
    assert styled(STYLES["miss"]) == ["six", "one", "seven"]
    assert styled(STYLES["pause"]) == ["(3.0 s pause)"]
    # Evidence only shows for the check in focus.
    assert styled(STYLES["evidence"]) == []
    focused = render_transcript(transcript, [filler, pause, phone], focus=phone)
    assert [
        focused.plain[s.start : s.end] for s in focused.spans if s.style == STYLES["evidence"]
    ] == [
        "my",
        "number",
    ]


def test_empty_transcript_says_nothing_was_heard() -> None:
    assert render_transcript(Transcript.from_text(""), []).plain == "(no speech detected)"
