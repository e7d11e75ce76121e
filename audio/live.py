"""Live captions: a quick provisional decode of the words not yet final, for the screen only.

The final transcript comes from IncrementalTranscriber, which waits for a pause at least 10 s in
before it decodes a chunk, so on its own the screen shows nothing for the first 10-25 s. The
LiveCaptioner decodes the audio after the last final word every second or so and shows that
provisionally; as final segments arrive they replace it. Nothing here feeds the graded
transcript: a provisional word is only ever displayed (and used to decide a cut-in).

To keep each decode short however long the answer runs, the window is at most MAX_WINDOW_S:
past that, words older than KEEP_S are frozen as they were heard, and the window moves on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from audio.transcript import Segment, Transcript, Word

if TYPE_CHECKING:
    from numpy.typing import NDArray

SAMPLE_RATE = 16000
"""Rate of the blocks fed in (what the recorder hands on_audio)."""


class _Engine(Protocol):
    def transcribe(self, audio: Any, *, prompt: str | None = None) -> Transcript: ...


@dataclass(frozen=True)
class Caption:
    """What the screen shows of the answer so far."""

    text: str
    """Final words, then the provisional ones."""
    words: tuple[Word, ...]
    """Every word shown, with times on the answer's timeline."""
    heard_until: float
    """Seconds of the answer this caption covers."""
    final_words: int
    """How many of WORDS are final (the rest may still change)."""
    decoded_at: float
    """time.monotonic() when the caption was made."""


def quick_words(transcriber: _Engine, audio: NDArray[np.float32], prompt: str | None) -> list[Word]:
    """One quick pass over AUDIO: its words, timed from its start.

    faster-whisper's transcriber offers a single decode pass (_decode) without the second pass
    over stretches no word covers that its transcribe() makes for the final transcript: half the
    work, and a word missed here is only missing from the screen for a moment. Other engines go
    through transcribe().
    """
    single_pass = getattr(transcriber, "_decode", None)
    if callable(single_pass):
        segments: list[Segment] = single_pass(audio, prompt)
        return [w for segment in segments for w in segment.words]
    return list(transcriber.transcribe(audio, prompt=prompt).words)


class LiveCaptioner:
    """Decodes the pending tail every EVERY_S on a background thread and reports a Caption."""

    EVERY_S = 1.0
    """Time between two provisional decodes."""
    MIN_NEW_S = 0.3
    """Decode again only once this much new audio has arrived."""
    MAX_WINDOW_S = 6.0
    """Longest stretch of audio one provisional decode looks at."""
    MAX_YIELD_S = 0.4
    """Longest a caption waits for the final transcript's work before decoding anyway."""
    KEEP_S = 2.0
    """When the window is cut, the last this-many seconds stay in it (words may still change)."""

    def __init__(
        self,
        transcriber: _Engine,
        on_caption: Callable[[Caption], None],
        *,
        prompt: str | None = None,
        every: float = EVERY_S,
        final_busy: Callable[[], bool] | None = None,
    ) -> None:
        """Start the background thread; feed() it 16 kHz blocks, add_final() the final segments."""
        self.transcriber = transcriber
        """The engine; calls are shared with the final path (the engine serialises them)."""
        self.on_caption = on_caption
        """Receives each new caption, from the background thread."""
        self.prompt = prompt
        """Primes each decode."""
        self.every = every
        """Seconds between decodes."""
        self.final_busy = final_busy
        """True while the final transcript's engine work runs: a caption then waits its turn."""
        self._cond = threading.Condition()
        self._blocks: list[NDArray[np.float32]] = []
        self._base = 0
        """Sample index (on the answer's timeline) of the first sample in _blocks."""
        self._total = 0
        self._decoded_total = 0
        self._final: list[Word] = []
        self._final_until = 0.0
        self._frozen: list[Word] = []
        self._window_start = 0.0
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="live-captioner", daemon=True)
        self._thread.start()

    def feed(self, block: NDArray[Any]) -> None:
        """Add recorded 16 kHz mono samples (cheap: safe from the recorder's writer thread)."""
        samples = np.asarray(block, dtype=np.float32).reshape(-1)
        with self._cond:
            self._blocks.append(samples)
            self._total += len(samples)
            self._cond.notify_all()

    def add_final(self, segments: Iterable[Segment]) -> None:
        """Final segments arrived: they replace the provisional words they cover."""
        with self._cond:
            for segment in segments:
                self._final.extend(segment.words)
                self._final_until = max(self._final_until, segment.end)
            self._frozen = [w for w in self._frozen if w.start >= self._final_until]
            self._window_start = max(self._window_start, self._final_until)

    def close(self) -> None:
        """Stop decoding (the answer is over); a decode in flight finishes on its own.

        Not joined: the final transcript must not wait for a caption nobody will see (the engine
        still finishes that one decode before the final tail, which is why windows are short).
        """
        with self._cond:
            self._closing = True
            self._cond.notify_all()

    def _ready(self) -> bool:
        return self._closing or self._total - self._decoded_total >= self.MIN_NEW_S * SAMPLE_RATE

    def _run(self) -> None:
        last = 0.0
        while True:
            with self._cond:
                self._cond.wait_for(self._ready)
                if self._closing:
                    return
            pause = last + self.every - time.monotonic()
            if pause > 0:
                with self._cond:
                    if self._cond.wait_for(lambda: self._closing, timeout=pause):
                        return
            # The final transcript comes first (its chunks are what the results wait for), but
            # only for a moment: its busy flag also covers scanning for pauses, which is often.
            yield_until = time.monotonic() + self.MAX_YIELD_S
            while (
                self.final_busy is not None and self.final_busy() and time.monotonic() < yield_until
            ):
                with self._cond:
                    if self._cond.wait_for(lambda: self._closing, timeout=0.05):
                        return
            last = time.monotonic()
            with self._cond:
                if self._closing:
                    return
                start = self._window_start
                total = self._total
                first = max(0, int(start * SAMPLE_RATE) - self._base)
                audio = np.concatenate(self._blocks)[first:] if self._blocks else None
                self._decoded_total = total
            if audio is None or len(audio) < SAMPLE_RATE // 4:
                continue
            try:
                words = quick_words(self.transcriber, audio, self.prompt)
            except Exception:
                # A failed provisional decode only costs the screen a refresh.
                continue
            window = [Word(w.text, w.start + start, w.end + start, w.probability) for w in words]
            with self._cond:
                if self._closing:
                    return
            self._publish(start, total, window)

    def _publish(self, start: float, total: int, window: list[Word]) -> None:
        with self._cond:
            if start < self._window_start:
                # A final segment arrived while decoding: drop what it now covers.
                window = [w for w in window if w.start >= self._window_start]
            heard = total / SAMPLE_RATE
            final = list(self._final)
            shown = final + self._frozen + window
            if heard - self._window_start > self.MAX_WINDOW_S:
                keep_from = heard - self.KEEP_S
                older = [w for w in window if w.end < keep_from]
                self._frozen.extend(older)
                self._window_start = older[-1].end if older else keep_from
                cut = max(0, int(self._window_start * SAMPLE_RATE) - self._base)
                joined = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
                self._blocks = [joined[cut:]]
                self._base += cut
            caption = Caption(
                text=" ".join(w.text.strip() for w in shown if w.text.strip()),
                words=tuple(shown),
                heard_until=heard,
                final_words=len(final),
                decoded_at=time.monotonic(),
            )
        self.on_caption(caption)


__all__ = ["Caption", "LiveCaptioner", "quick_words"]
