"""Agreement of the answer checks with a careful human on held-out, realistic transcripts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from audio.transcript import Segment, Transcript, Word
from simulator.checks import REGISTRY, CheckContext
from simulator.profile import Profile

DATA = Path(__file__).resolve().parents[1] / "data"
HOLDOUT = DATA / "eval_holdout.yaml"
# A second set, written by another reviewer before reading the checks (new names, numbers, roles).
HOLDOUT2 = DATA / "eval_holdout2.yaml"
# A third, by a career coach before reading the checks: ordinary answers, ten new profiles.
HOLDOUT3 = DATA / "eval_holdout3.yaml"
# A fourth, by an interview coach before reading the checks: the five judgement checks that kept
# scoring below 90% (STAR, lesson, decline, responsibility, recovery), ~27 answers each.
HOLDOUT4 = DATA / "eval_holdout4.yaml"
# A fifth, by a hiring manager before reading the checks: every text check, sampled as a judge
# would (a quarter voicemails, the rest spread over the other scenarios), eight new profiles.
HOLDOUT5 = DATA / "eval_holdout5.yaml"
SETS = pytest.mark.parametrize(
    "path", [HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5], ids=lambda p: p.stem
)
JUDGEMENT_CHECKS = (
    "recovery_line",
    "declines_personal_question",
    "takes_responsibility",
    "star_structure",
    "names_lesson",
)
# Sets that cover every scenario must label the contact checks both ways too; HOLDOUT4 is only
# about the judgement checks.
CONTACT_CHECKS = ("says_name", "says_phone", "mentions_role", "repeats_contact")

# The bar the product is held to on unseen answers: overall, and for every single check.
OVERALL_MIN = 0.95
PER_CHECK_MIN = 0.90


def timed(text: str, per_word: float = 0.4) -> Transcript:
    """TEXT as a timed transcript, one word every PER_WORD seconds from 1 s."""
    words = tuple(
        Word(w, round(1.0 + i * per_word, 3), round(1.0 + i * per_word + 0.3, 3))
        for i, w in enumerate(text.split())
    )
    return Transcript.from_segments([Segment(text, 1.0, words[-1].end, words)], words[-1].end)


def load(path: Path = HOLDOUT) -> dict[str, Any]:
    """A held-out set: profiles and labelled cases."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def results(path: Path = HOLDOUT) -> list[tuple[str, str, str, str, str]]:
    """(case id, check id, expected, got, evidence) for every label, typed and timed."""
    data = load(path)
    profiles = {key: Profile(**fields) for key, fields in data["profiles"].items()}
    rows: list[tuple[str, str, str, str, str]] = []
    for case in data["cases"]:
        profile = profiles[case["profile"]] if "profile" in case else Profile()
        # no_profanity is a general check: it runs on every answer and should pass unless labelled.
        expected = {"no_profanity": "pass", **case["expect"]}
        # Whisper's transcripts are timed, typed answers are not: both must be judged alike.
        for transcript in (Transcript.from_text(case["text"]), timed(case["text"])):
            ctx = CheckContext(transcript, profile, prompt=case.get("prompt", ""))
            for check_id, want in expected.items():
                check = REGISTRY[check_id]
                params = check.params.model_validate(case.get("params", {}).get(check_id, {}))
                got = check.func(ctx, params)
                rows.append((case["id"], check_id, want, got.status, got.evidence))
    return rows


@SETS
def test_holdout_set_is_big_varied_and_well_formed(path: Path) -> None:
    data = load(path)
    cases = data["cases"]
    assert len(cases) >= (120 if path == HOLDOUT4 else 80)
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case.get("profile", next(iter(data["profiles"]))) in data["profiles"], case["id"]
        assert set(case["expect"]) <= set(REGISTRY), case["id"]
        assert set(case["expect"].values()) <= {"pass", "fail"}, case["id"]
    labels = Counter((k, v) for c in cases for k, v in c["expect"].items())
    required = JUDGEMENT_CHECKS + (() if path == HOLDOUT4 else CONTACT_CHECKS)
    for check_id in required:
        assert labels[check_id, "pass"] >= 5 and labels[check_id, "fail"] >= 5, check_id


@SETS
def test_checks_agree_with_a_careful_human_on_the_holdout_set(path: Path) -> None:
    rows = results(path)
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[str] = []
    for case_id, check_id, want, got, evidence in rows:
        total[check_id] += 1
        if got == want:
            agree[check_id] += 1
        else:
            misses.append(f"{case_id} {check_id}: want {want}, got {got} ({evidence})")
    summary = ", ".join(f"{c} {agree[c]}/{total[c]}" for c in sorted(total))
    detail = summary + "\n" + "\n".join(sorted(set(misses)))
    assert sum(agree.values()) >= OVERALL_MIN * sum(total.values()), detail
    for check_id in total:
        assert agree[check_id] >= PER_CHECK_MIN * total[check_id], check_id + ": " + detail
