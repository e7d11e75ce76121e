"""Delivery coaching on built audio with known truth, through `mockcall run` (real espeak-ng,
real Whisper, the prosody measured by the session): a plain voicemail passes every coaching
check, and each built fault — flat pitch, quiet, trailing off, rushing the end — is caught by
its check and only by it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audio.dsp import write_wav
from tests.audio.built_coaching import VOICEMAIL, Built, build
from tests.audio.conftest import VirtualCard

PROFILE = """[profile]
name = "Jordan Rivera"
phone = "(617) 555-0142"
role = "Senior Data Analyst"
company = "Northwind"
"""
AUDIO_CHECKS = ("vocal_variety", "volume", "steady_pace")
TEXT_CHECKS = ("hedging", "repetition")

CASES: dict[str, tuple[Built, str | None]] = {}
"""Built answer and the one audio check it must fail (None: it must pass them all)."""


def cases() -> dict[str, tuple[Built, str | None]]:
    if not CASES:
        CASES.update(
            {
                "plain": (build(), None),
                "plain_f3": (build(voice="en-us+f3"), None),
                "flat": (build(pitch_range="x-low"), "vocal_variety"),
                "quiet": (build(peak_dbfs=-30.0), "volume"),
                "trailing": (build(fade_db=18.0), "volume"),
                "rushed": (build(rates=[150, 150, 150, 150, 260, 260]), "steady_pace"),
            }
        )
    return CASES


def run_answer(card: VirtualCard, tmp_path: Path, built: Built) -> dict[str, dict[str, str]]:
    answer = write_wav(tmp_path / "answer.wav", built.samples, 16000)
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "voicemail-screening", "--answer", str(answer)]
        + ["--profile", str(profile), "--no-voice", "--json"],
        capture_output=True,
        text=True,
        env=card.env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    checks = {c["id"]: c for c in report["steps"][0]["checks"]}
    checks["_report"] = {
        "passed": str(report["passed"]),
        "transcript": report["steps"][0]["transcript"],
    }
    return checks


@pytest.mark.parametrize("case", ["plain", "plain_f3", "flat", "quiet", "trailing", "rushed"])
def test_built_delivery_is_judged_by_the_right_check(
    card: VirtualCard, tmp_path: Path, case: str
) -> None:
    built, failing = cases()[case]
    checks = run_answer(card, tmp_path, built)
    for check_id in AUDIO_CHECKS:
        expected = "fail" if check_id == failing else "pass"
        assert checks[check_id]["status"] == expected, (check_id, checks[check_id]["evidence"])
    for check_id in TEXT_CHECKS:
        assert checks[check_id]["status"] == "pass", checks[check_id]["evidence"]
    if failing is not None:
        assert checks[failing]["tip"]


def test_a_plain_voicemail_still_passes_the_scenario(card: VirtualCard, tmp_path: Path) -> None:
    checks = run_answer(card, tmp_path, build(VOICEMAIL))
    assert checks["_report"]["passed"] == "True", checks


def test_trailing_off_names_the_sentence_ends(card: VirtualCard, tmp_path: Path) -> None:
    evidence = run_answer(card, tmp_path, build(fade_db=18.0))["volume"]["evidence"]
    # Most of the six sentences are listed, each with its time and how far it dropped.
    assert evidence.count("dB down") >= 3
    assert "for three years" in evidence.lower()
