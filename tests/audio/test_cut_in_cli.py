"""`mockcall run` with an interviewer who reacts: cut-ins on answer files, and a silent microphone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audio.tts import SystemVoice
from tests.audio.conftest import VirtualCard, zeros

RAMBLE = (
    "So last year we had this big project, and we were moving the whole reporting stack, and "
    "we spent months on it, and then we brought in the new vendor and we rolled it out to every "
    "team, and our managers were really happy with what we did, and we kept going like that."
)
CRISP = "I chose the vendor myself, and I cut the reporting costs by a third in six months."


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cut-in-answers")
    voice = SystemVoice()
    return {
        key: voice.synthesize(text, folder / f"{key}.wav", voice="en-us", rate=170)
        for key, text in (("ramble", RAMBLE), ("crisp", CRISP))
    }


def run(card: VirtualCard, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulator", *args]
    return subprocess.run(command, capture_output=True, text=True, env=card.env(), timeout=300)


def test_a_long_answer_file_is_cut_off_and_a_short_one_is_not(
    card: VirtualCard, answers: dict[str, Path]
) -> None:
    result = run(
        card,
        "run",
        "combative-interviewer",
        "--answer",
        str(answers["ramble"]),
        "--answer",
        str(answers["crisp"]),
        "--no-voice",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rambled, crisp = report["steps"]
    assert (rambled["step_id"], crisp["step_id"]) == ("what-you-did", "one-decision")
    # Cut off at the fifth "we", well before the answer's end, and what followed was not heard.
    assert rambled["interrupted_at"] is not None and 2.0 < rambled["interrupted_at"] < 12.0
    assert "kept going" not in rambled["transcript"]
    assert crisp["interrupted_at"] is None
    assert report["path"] == ["what-you-did", "one-decision"]
    text = run(
        card,
        "run",
        "combative-interviewer",
        "--answer",
        str(answers["ramble"]),
        "--no-voice",
    )
    assert "Cut off at" in text.stdout and "That's the team again" in text.stderr


def test_a_silent_microphone_is_told_i_cant_hear_you(card: VirtualCard) -> None:
    card.feed(zeros(70))
    result = run(card, "run", "long-anecdote", "--no-voice")
    assert "I can't hear you" in result.stderr, result.stderr
    assert "microphone" in result.stderr and "input level" in result.stderr
