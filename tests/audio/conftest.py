"""A virtual ALSA sound card, so real PortAudio/sounddevice tests run on machines without one.

The card is an ALSA config (ALSA_CONFIG_PATH = the system's alsa.conf, then ours) defining
``vmic`` (capture only), ``vspeaker`` (playback only) and ``default`` (both), each a ``type
file`` PCM behind a ``plug``:

- The microphone reads raw S16_LE mono PCM at the card's rate (16 kHz unless asked otherwise)
  from ``capture_source``, from the start at every stream open. It is not paced: a stream reads
  as fast as it can, and past the end ALSA repeats stale buffer contents, so tests pad the
  source with silence. Reads are bit-exact only in the card's own rate and format: when ALSA
  converts, it reads ahead and drops frames, which is why the recorder captures int16 and a
  48 kHz variant exists for the resampling path.
- The speaker writes a 16-bit mono WAV at whatever rate the stream uses to ``playback_sink``
  (no rate conversion, for the same reason), rewritten at each stream open: ``played_exact()``
  returns it as is, ``played()`` at 16 kHz.

Real-time variants for timing tests: the microphone can be a FIFO that ``PacedFeeder`` fills at
16 kHz in 1024-frame writes (atomic, and a multiple of the recorder's power-of-two blocks, so
no ALSA read is partial; a partial read inserts stale frames), and the speaker can be a FIFO
that ``PacedDrain`` empties at 16 kHz. PortAudio opens every device while probing, so feeders
and drains run before PortAudio starts and survive its opens and closes. A stalled FIFO wedges
PortAudio's thread, so the microphone-FIFO tests run the recorder in a subprocess.

sounddevice scans devices when imported; ``activate()`` sets ALSA_CONFIG_PATH and, if
sounddevice is already imported, re-initialises PortAudio so the new card is what it sees.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import sys
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from audio.dsp import from_int16, resample, to_int16

SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
"""Defines ALSA's plugin types; ALSA_CONFIG_PATH replaces it, so the card lists it first."""
RATE = 16000
"""The card's default rate, and the rate of the paced FIFOs."""
REPO_ROOT = Path(__file__).resolve().parents[2]


def _capture_pcm(path: Path, rate: int) -> str:
    """ALSA capture from raw S16_LE mono PCM at rate in path."""
    inner = f'type file; slave.pcm "null"; file "/dev/null"; infile "{path}"; format "raw"'
    slave = f"slave {{ pcm {{ {inner} }} format S16_LE rate {rate} channels 1 }}"
    return f"  capture.pcm {{ type plug; {slave} }}\n"


def _playback_pcm(path: Path, raw_rate: int | None) -> str:
    """ALSA playback into path: raw S16_LE mono at raw_rate, or a WAV at the stream's rate."""
    if raw_rate:
        inner = f'type file; slave.pcm "null"; file "{path}"; format "raw"'
        slave = f"slave {{ pcm {{ {inner} }} format S16_LE rate {raw_rate} channels 1 }}"
    else:
        inner = f'type file; slave.pcm "null"; file "{path}"; format "wav"'
        slave = f"slave {{ pcm {{ {inner} }} format S16_LE channels 1 }}"
    return f"  playback.pcm {{ type plug; {slave} }}\n"


@dataclass(frozen=True)
class VirtualCard:
    """One virtual sound card: where its microphone reads from and its speaker writes to."""

    config: Path
    """Our asound.conf."""
    capture_source: Path | None
    """Raw S16_LE mono PCM at ``rate`` the microphone delivers; None: no microphone."""
    playback_sink: Path
    """What the speaker played: a 16-bit mono WAV, or (paced speaker) a FIFO of raw 16 kHz PCM."""
    rate: int = RATE
    """The microphone's native rate."""

    @classmethod
    def create(
        cls,
        folder: Path,
        *,
        microphone: bool = True,
        fifo: bool = False,
        rate: int = RATE,
        paced_speaker: bool = False,
    ) -> VirtualCard:
        """Write a card's config, and its capture file or FIFOs, into folder."""
        folder.mkdir(parents=True, exist_ok=True)
        source = (folder / ("mic.fifo" if fifo else "mic.raw")) if microphone else None
        sink = folder / ("speaker.fifo" if paced_speaker else "speaker.wav")
        if source is not None:
            if fifo:
                os.mkfifo(source)
            else:
                source.write_bytes(b"")
        if paced_speaker:
            os.mkfifo(sink)
        text = ""
        if source is not None:
            text += "pcm.vmic {\n  type asym\n" + _capture_pcm(source, rate) + "}\n"
        playback = _playback_pcm(sink, RATE if paced_speaker else None)
        text += "pcm.vspeaker {\n  type asym\n" + playback + "}\n"
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

    def played_exact(self) -> tuple[NDArray[np.int16], int]:
        """What the speaker's last stream played, sample for sample, and that stream's rate."""
        with wave.open(str(self.playback_sink), "rb") as wav:
            assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
            data = wav.readframes(wav.getnframes())
            return np.frombuffer(data, dtype="<i2"), wav.getframerate()

    def played(self) -> NDArray[np.int16]:
        """What the speaker's last stream played, as int16 at 16 kHz (resampled if need be)."""
        samples, rate = self.played_exact()
        if rate == RATE:
            return samples
        return to_int16(resample(from_int16(samples), rate, RATE))


def activate(card: VirtualCard | None) -> None:
    """Point ALSA at card (None: no sound card at all); make imported sounddevice rescan."""
    os.environ["ALSA_CONFIG_PATH"] = card.alsa_config_path if card else str(SYSTEM_ALSA_CONF)
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
    """The virtual card with its microphone silent and nothing played yet."""
    virtual_card.feed(np.zeros(0, dtype=np.int16))
    virtual_card.playback_sink.unlink(missing_ok=True)
    yield virtual_card


@pytest.fixture
def micless_card(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """A card with a speaker but no microphone, active for one test."""
    card = VirtualCard.create(tmp_path / "micless-card", microphone=False)
    activate(card)
    yield card
    activate(virtual_card)


@pytest.fixture
def no_sound_card(virtual_card: VirtualCard) -> Iterator[None]:
    """No audio devices at all (this machine's real state), for one test."""
    activate(None)
    yield
    activate(virtual_card)


@pytest.fixture
def card_48k(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[VirtualCard]:
    """A card whose microphone runs natively at 48 kHz, active for one test."""
    card = VirtualCard.create(tmp_path / "card-48k", rate=48000)
    activate(card)
    yield card
    activate(virtual_card)


class PacedFeeder:
    """Feeds int16 samples into a FIFO at 16 kHz, reconnecting whenever the reader leaves."""

    CHUNK = 1024
    """Frames per write: 2 KiB, below PIPE_BUF, so each write lands whole."""

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
        """Frames written so far, over all connections."""
        with self._lock:
            return self._position

    def start(self) -> PacedFeeder:
        self._thread.start()
        return self

    def pause(self) -> int:
        """Stop writing but keep the FIFO open, like a device that stops delivering."""
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
                pass  # PortAudio closed a probe; the next open is the next reader
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


class PacedDrain:
    """Empties a speaker FIFO at 16 kHz, so playing into it takes wall-clock time."""

    CHUNK = 512
    """Frames per read."""

    def __init__(self, fifo: Path) -> None:
        # O_RDWR never blocks on a FIFO and holds a writer reference too, so PortAudio's opens
        # never wait and reads never see end-of-file between its streams.
        self._fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        # The smallest pipe buffer: playback runs at most ~0.13 s ahead of the drain.
        fcntl.fcntl(self._fd, fcntl.F_SETPIPE_SZ, 4096)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._frames = 0
        self._thread = threading.Thread(target=self._run, name="paced-drain", daemon=True)

    @property
    def frames(self) -> int:
        """Frames consumed so far."""
        with self._lock:
            return self._frames

    def start(self) -> PacedDrain:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self._fd)

    def _run(self) -> None:
        started = time.monotonic()
        consumed_here = 0
        while not self._stop.is_set():
            ready, _, _ = select.select([self._fd], [], [], 0.05)
            if not ready:
                # Idle time is no credit: pacing restarts with the next data.
                started, consumed_here = time.monotonic(), 0
                continue
            try:
                data = os.read(self._fd, self.CHUNK * 2)
            except BlockingIOError:
                continue
            with self._lock:
                self._frames += len(data) // 2
            consumed_here += len(data) // 2
            delay = started + consumed_here / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)


@pytest.fixture
def paced_speaker(virtual_card: VirtualCard, tmp_path: Path) -> Iterator[PacedDrain]:
    """A card whose speaker plays in real time, active for one test; yields its drain."""
    card = VirtualCard.create(tmp_path / "paced-speaker", microphone=False, paced_speaker=True)
    drain = PacedDrain(card.playback_sink).start()
    activate(card)
    yield drain
    activate(virtual_card)
    drain.close()


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
