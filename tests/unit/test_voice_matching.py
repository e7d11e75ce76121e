"""Choosing a system voice from what the user typed (pure: no speech engine involved)."""

from __future__ import annotations

import pytest

from audio.errors import AudioError, NoInputDevice, SpeechError
from audio.tts import VoiceInfo, make_voice, match_voice

VOICES = [
    VoiceInfo("gmw/en-029", "English (Caribbean)", ("en-029",)),
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
    VoiceInfo("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",)),
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
    VoiceInfo("gmw/en-us-nyc", "English (America, New York City)", ("en-us-nyc",)),
    VoiceInfo("roa/fr", "French (France)", ("fr-fr",)),
    VoiceInfo("+f3", "female3", ("variant",)),
    VoiceInfo("+m3", "male3", ("variant",)),
    VoiceInfo("+klatt", "klatt", ("variant",)),
]


@pytest.mark.parametrize(
    ("typed", "engine_voice"),
    [
        ("gmw/en-us", "gmw/en-us"),
        ("en-us", "gmw/en-us"),
        ("EN-US", "gmw/en-us"),
        ("en-gb", "gmw/en"),
        ("english", "gmw/en"),
        ("English (America)", "gmw/en-us"),
        ("new york", "gmw/en-us-nyc"),
        ("french", "roa/fr"),
        ("f3", "gmw/en-us+f3"),
        ("female3", "gmw/en-us+f3"),
        ("+m3", "gmw/en-us+m3"),
        ("scotland+klatt", "gmw/en-gb-scotland+klatt"),
        ("en-us+female3", "gmw/en-us+f3"),
    ],
)
def test_voice_specs(typed: str, engine_voice: str) -> None:
    assert match_voice(typed, VOICES) == engine_voice


def test_unknown_voice_lists_english_voices_us_first() -> None:
    with pytest.raises(SpeechError) as caught:
        match_voice("klingon", VOICES)

    assert str(caught.value) == (
        "no system voice matches 'klingon' (voices include: English (America), English "
        "(America, New York City), English (Caribbean), English (Great Britain), English "
        "(Scotland))"
    )


def test_unknown_variant() -> None:
    with pytest.raises(SpeechError, match=r"no voice variant matches 'robot' \(variants: f3, m3"):
        match_voice("en-us+robot", VOICES)


def test_without_variants_a_plus_is_part_of_the_name() -> None:
    plain = [VoiceInfo("HKLM/Voices/David+", "Microsoft David+", ("en-US",))]
    assert match_voice("david+", plain) == "HKLM/Voices/David+"


def test_unknown_voice_kind() -> None:
    with pytest.raises(SpeechError, match="unknown voice kind 'robot'"):
        make_voice("robot")  # type: ignore[arg-type]


def test_errors_are_one_line() -> None:
    error = NoInputDevice("cannot open microphone 'USB':\n  Invalid sample rate\n")
    assert str(error) == "cannot open microphone 'USB': Invalid sample rate"
    assert isinstance(error, AudioError)
