"""says_name for profile names written in another script: Cyrillic, Greek, CJK (with a reading)."""

from __future__ import annotations

import pytest

from audio.transcript import Transcript
from simulator.checks.base import CheckContext, NoParams
from simulator.checks.contact import says_name
from simulator.checks.names import name_parts
from simulator.profile import Profile


def status(profile_name: str, said: str) -> str:
    """The says_name status for a typed answer SAID by the owner of PROFILE_NAME."""
    ctx = CheckContext(Transcript.from_text(said), Profile(name=profile_name))
    return says_name(ctx, NoParams()).status


@pytest.mark.parametrize(
    ("profile_name", "said"),
    [
        ("Дмитрий Иванов", "Hi, this is Dmitriy Ivanov, calling about the analyst role."),
        ("Дмитрий Иванов", "Hello, it's Dmitry Ivanov returning your call."),
        ("Γιώργος Παπαδόπουλος", "Hi, this is Giorgos Papadopoulos."),
        ("Γιώργος Παπαδόπουλος", "Hello, my name is Yiorgos Papadopoulos."),
        ("田中 (Tanaka) Hiroshi", "Good morning, this is Hiroshi Tanaka."),
        ("田中 (Tanaka) Hiroshi", "Hello, Tanaka Hiroshi here."),
    ],
)
def test_non_latin_profile_name_passes_when_said(profile_name: str, said: str) -> None:
    assert status(profile_name, said) == "pass"


@pytest.mark.parametrize(
    ("profile_name", "said"),
    [
        ("Дмитрий Иванов", "Hi, this is Dmitriy, calling about the analyst role."),
        ("Дмитрий Иванов", "Hi, this is Dmitriy Petrov."),
        ("Γιώργος Παπαδόπουλος", "Hi, this is Nikos Papadakis."),
        ("田中 (Tanaka) Hiroshi", "Good morning, this is Hiroshi."),
        ("田中 (Tanaka) Hiroshi", "Good morning, this is Hiroshi Suzuki."),
    ],
)
def test_non_latin_profile_name_still_fails_when_not_fully_said(
    profile_name: str, said: str
) -> None:
    assert status(profile_name, said) == "fail"


def test_name_parts_romanise_and_take_the_given_reading() -> None:
    assert name_parts("Дмитрий Иванов") == ["dmitriy", "ivanov"]
    assert name_parts("田中 (Tanaka) Hiroshi") == ["tanaka", "hiroshi"]
    assert name_parts("José Núñez-Ortiz") == ["jose", "nunezortiz"]
