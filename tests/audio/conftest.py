"""A virtual ALSA sound card for real PortAudio/sounddevice tests on machines without one.

The card is an ALSA config (ALSA_CONFIG_PATH = the system's alsa.conf + ours) defining three PCMs:
``vmic`` (capture only), ``vspeaker`` (playback only) and ``default`` (both). Each wraps a
``type file`` PCM behind a ``plug`` fixed at S16_LE, mono, 16 kHz, so:

- recording reads raw S16_LE mono 16 kHz PCM from ``capture_source`` (``infile``), converted
  by ALSA to whatever rate/format the stream asks for; every stream open rereads it from the
  start. It is not paced: a stream reads it as fast as it can, and past its end ALSA repeats
  stale buffer contents, so tests pad the source with enough silence. Only reads in the
  card's own format are exact: when ALSA has to convert (rate or sample format) it reads the
  file ahead and drops frames, hence the recorder's int16 capture and a 48 kHz card variant;
- playback writes raw S16_LE mono 16 kHz PCM to ``playback_sink`` (truncated at each open).

For wall-clock pacing (crash and device-stall tests) ``capture_source`` can be a FIFO that
``PacedFeeder`` fills at the real rate in 1024-frame writes (atomic, and a multiple of the
recorder's power-of-two blocks, so every ALSA read is whole; partial reads would insert stale
frames). PortAudio opens the FIFO while probing devices, so the feeder runs before PortAudio
starts and reconnects whenever a reader goes away. Those tests run the recorder in a
subprocess because a stalled FIFO wedges PortAudio's thread.

sounddevice scans devices when it is imported; ``activate()`` sets ALSA_CONFIG_PATH and, if
sounddevice was already imported, re-initialises PortAudio so the new card is seen.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
"""Defines ALSA's plugin types; ALSA_CONFIG_PATH replaces it, so the card lists it first."""
RATE = 16000
"""Rate of the card's raw capture and playback files."""
REPO_ROOT = Path(__file__).resolve().parents[2]


def _file_pcm(direction: str, path: Path, rate: int) -> str:
    """An ALSA PCM that records from or plays to a raw S16_LE mono file at rate."""
    if direction == "capture":
        inner = f'type file; slave.pcm "null"; file "/dev/null"; infile "{path}"; format "raw"'
    else:
        inner = f'type file; slave.pcm "null"; file "{path}"; format "raw"'
    return (
        f"  {direction}.pcm {{\n"
        f"    type plug\n"
        f"    slave {{ pcm {{ {inner} }} format S16_LE rate {rate} channels 1 }}\n"
        f"  }}\n"
    )


@dataclass(frozen=True)
class VirtualCard:
    """One virtual sound card: where its microphone reads from and its speaker writes to."""

    config: Path
    """Our asound.conf."""
    capture_source: Path | None
    """Raw S16_LE mono 16 kHz PCM the microphone delivers (None: the card has no microphone)."""
    playback_sink: Path
    """Raw S16_LE mono 16 kHz PCM the speaker has played."""
    rate: int = RATE
    """The card's native rate: of capture_source and playback_sink."""

    @classmethod
    def create(
        cls, folder: Path, *, microphone: bool = True, fifo: bool = False, rate: int = RATE
    ) -> VirtualCard:
        """Write a card's config (and an empty capture file or a FIFO) into folder."""
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / ("mic.fifo" if fifo else "mic.raw") if microphone else None
        sink = folder / "speaker.raw"
        if source is not None:
            if fifo:
                os.mkfifo(source)
            else:
                source.write_bytes(b"")
        sink.write_bytes(b"")
        text = ""
        if source is not None:
            text += 'pcm.vmic {\n  type asym\n' + _file_pcm("capture", source, rate) + "}\n"
        text += 'pcm.vspeaker {\n  type asym\n' + _file_pcm("playback", sink, rate) + "}\n"
        text += 'pcm.!default {\n  type asym\n  playback.pcm "vspeaker"\n'
        if source is not None:
            text += '  capture.pcm "vmic"\n'
        text += "}\n"
        config = folder / "asound.conf"
        config.write_text(text)
        return cls(config=config, capture_source=source, playback_sink=sink, rate=rate)

    @property
    def alsa_config_path(self) -> str:
        """The value for ALSA_CONFIG_PATH."""
        return f"{SYSTEM_ALSA_CONF}:{self.config}"

    def env(self) -> dict[str, str]:
        """Environment for a subprocess that should see this card (and import this repo)."""
        env = dict(os.environ)
        env["ALSA_CONFIG_PATH"] = self.alsa_config_path
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
        return env

    def feed(self, samples: NDArray[np.int16]) -> None:
        """Make the microphone deliver these samples (from the start, at every stream open)."""
        assert self.capture_source is not None, "this card has no microphone"
        self.capture_source.write_bytes(np.asarray(samples, dtype="<i2").tobytes())

    def played(self) -> NDArray[np.int16]:
        """Everything the speaker played since its last open."""
        return np.frombuffer(self.playback_sink.read_bytes(), dtype="<i2")


def activate(card: VirtualCard) -> None:
    """Point ALSA at card; make an already-imported sounddevice rescan."""
    os.environ["ALSA_CONFIG_PATH"] = card.alsa_config_path
    if "sounddevice" in sys.modules:
        sd = sys.modules["sounddevice"]
        sd._terminate()
        sd._initialize()


@pytest.fixture(scope="session")
def virtual_card(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualCard]:
    """The session's virtual sound card, active for every audio test."""
    assert SYSTEM_ALSA_CONF.is_file(), f"{SYSTEM_ALSA_CONF} missing: install libasound2"
    card = VirtualCard.create(tmp_path_factory.mktemp("virtual-card"))
    previous = os.environ.get("ALSA_CONFIG_PATH")
    activate(card)
    yield card
    if previous is None:
        os.environ.pop("ALSA_CONFIG_PATH", None)
    else:
        os.environ["ALSA_CONFIG_PATH"] = previous


@pytest.fixture
def card(virtual_card: VirtualCard) -> Iterator[VirtualCard]:
    """The virtual card with its microphone silent and its speaker file empty."""
    virtual_card.feed(np.zeros(0, dtype=np.int16))
    virtual_card.playback_sink.write_bytes(b"")
    yield virtual_card


@pytest.fixture
def micless_card(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """A card with a speaker but no microphone, active for one test."""
    card = VirtualCard.create(tmp_path / "micless-card", microphone=False)
    activate(card)
    yield card
    activate(virtual_card)


@pytest.fixture
def card_48k(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """A card running natively at 48 kHz (so nothing in ALSA converts), active for one test."""
    card = VirtualCard.create(tmp_path / "card-48k", rate=48000)
    activate(card)
    yield card
    activate(virtual_card)


class PacedFeeder:
    """Feeds int16 samples into a FIFO at the real rate, reconnecting whenever the reader leaves."""

    CHUNK = 1024
    """Frames per write: 2 KiB, below PIPE_BUF so each write lands whole."""

    def __init__(self, fifo: Path, samples: NDArray[np.int16]) -> None:
        self._fifo = fifo
        self._samples = np.asarray(samples, dtype="<i2")
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._lock = threading.Lock()
        self._position = 0
        self._thread = threading.Thread(target=self._run, name="paced-feeder", daemon=True)

    @property
    def position(self) -> int:
        """Frames written so far (over all connections)."""
        with self._lock:
            return self._position

    def start(self) -> PacedFeeder:
        self._thread.start()
        return self

    def pause(self) -> int:
        """Stop writing but keep the FIFO open (a device that stops delivering); the position."""
        with self._lock:
            self._paused.set()
            return self._position

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self._fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.005)  # no reader yet
                continue
            os.set_blocking(fd, True)
            try:
                self._write_paced(fd)
            except BrokenPipeError:
                pass  # PortAudio closed its probe; the next open is the next reader
            finally:
                os.close(fd)

    def _write_paced(self, fd: int) -> None:
        started = time.monotonic()
        written_here = 0
        while not self._stop.is_set():
            if self._paused.is_set():
                time.sleep(0.01)
                continue
            with self._lock:
                chunk = self._samples[self._position : self._position + self.CHUNK]
            if len(chunk) < self.CHUNK:
                self._stop.wait(0.05)
                continue
            os.write(fd, chunk.tobytes())
            with self._lock:
                self._position += self.CHUNK
            written_here += self.CHUNK
            delay = started + written_here / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def tone(freq: float, seconds: float, level: float = 0.5, rate: int = RATE) -> NDArray[np.int16]:
    """A sine tone as int16 samples."""
    t = np.arange(round(rate * seconds)) / rate
    return np.round(level * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2")


def noise(seconds: float, seed: int = 0, level: float = 0.3) -> NDArray[np.int16]:
    """Reproducible white noise as int16 samples: every stretch of it is unique."""
    rng = np.random.default_rng(seed)
    samples = rng.normal(0, level * 32767, round(RATE * seconds))
    return np.clip(np.round(samples), -32768, 32767).astype("<i2")


def zeros(seconds: float) -> NDArray[np.int16]:
    """Silence as int16 samples."""
    return np.zeros(round(RATE * seconds), dtype="<i2")
