"""An answer's transcript with fillers, long pauses, misses and a check's evidence highlighted."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

from audio.transcript import Transcript
from simulator.checks.base import CheckResult, Span

STYLES: dict[str, str] = {
    "filler": "bold black on yellow",
    "miss": "bold white on red",
    "pause": "bold magenta",
    "evidence": "bold black on green",
}
"""How each span kind is drawn; evidence is only drawn for the check in focus."""


def _pause_position(transcript: Transcript, span: Span) -> tuple[int, float]:
    """Where a pause span's silence ends (a word index) and how long it lasted."""
    words = transcript.words
    best, gap = span.last_word, 0.0
    for k in range(max(span.first_word, 1), min(span.last_word + 2, len(words))):
        silence = words[k].start - words[k - 1].end
        if silence > gap:
            best, gap = k, silence
    return best, gap


def render_transcript(
    transcript: Transcript, results: Iterable[CheckResult], focus: CheckResult | None = None
) -> Text:
    """The answer as styled text: every filler, pause and miss, plus FOCUS's evidence."""
    words = transcript.words
    if not words:
        return Text("(no speech detected)", style="italic")
    style_at: dict[int, str] = {}
    pauses: dict[int, float] = {}
    spans = [s for r in results for s in r.spans if s.kind != "evidence"]
    if focus is not None:
        spans += [s for s in focus.spans if s.kind == "evidence"]
    for span in spans:
        if span.kind == "pause":
            at, gap = _pause_position(transcript, span)
            pauses[at] = max(gap, pauses.get(at, 0.0))
            continue
        for index in range(max(span.first_word, 0), min(span.last_word + 1, len(words))):
            # A miss outranks a filler, and the focused evidence outranks both.
            if span.kind == "evidence" or style_at.get(index) != STYLES["miss"]:
                style_at[index] = STYLES[span.kind]
    out = Text()
    for index, word in enumerate(words):
        if index in pauses:
            gap = pauses[index]
            out.append(f"({gap:.1f} s pause)" if gap else "(pause)", style=STYLES["pause"])
            out.append(" ")
        out.append(word.text.strip(), style=style_at.get(index, ""))
        if index + 1 < len(words):
            out.append(" ")
    return out


def legend() -> Text:
    """A one-line key to the highlight colours."""
    out = Text("Key: ")
    for kind, label in (("filler", "filler"), ("pause", "(pause)"), ("miss", "miss")):
        out.append(f" {label} ", style=STYLES[kind])
        out.append(" ")
    out.append(" evidence of the selected check ", style=STYLES["evidence"])
    return out


class TranscriptView(Static):
    """A transcript drawn with its highlights; call show() to change what it shows."""

    DEFAULT_CSS = """
    TranscriptView {
        height: auto;
        padding: 0 1;
    }
    """

    transcript: Transcript | None = None
    """The transcript shown, once show() has been called."""
    results: tuple[CheckResult, ...] = ()
    """The results whose spans are highlighted."""

    def show(
        self,
        transcript: Transcript,
        results: Iterable[CheckResult] = (),
        focus: CheckResult | None = None,
    ) -> None:
        """Draw TRANSCRIPT with the highlights RESULTS point at."""
        self.transcript = transcript
        self.results = tuple(results)
        self.update(render_transcript(transcript, self.results, focus))

    def focus_result(self, result: CheckResult | None) -> None:
        """Redraw with RESULT's evidence highlighted."""
        if self.transcript is not None:
            self.update(render_transcript(self.transcript, self.results, result))
