"""Agreement of the answer checks with the labels of one or more text sets (e.g. the blind set).

Run: .venv/bin/python benchmarks/score_text_sets.py tests/data/blind/eval_blind.yaml [--misses]

Each set is a YAML file with `profiles` and `cases` (the shape tests/unit/test_checks_holdout.py
reads). Every label is judged twice, as that test does: on the text typed (Transcript.from_text)
and on the same words timed one every 0.4 s, so a check counts both ways. no_profanity is a general
check and is expected to pass wherever a case does not label it. Labels for check ids the code does
not have (yet) are skipped and reported, never scored.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio.transcript import Segment, Transcript, Word  # noqa: E402
from simulator.checks import REGISTRY, CheckContext  # noqa: E402
from simulator.profile import Profile  # noqa: E402


@dataclass(frozen=True)
class Row:
    """One label judged on one form of the transcript."""

    case_id: str
    """The case's id in its set."""
    check_id: str
    """The check that was run."""
    form: str
    """"typed" (Transcript.from_text) or "timed" (one word every 0.4 s)."""
    want: str
    """The label: pass or fail."""
    got: str
    """What the check returned: pass, fail or skipped."""
    evidence: str
    """The check's evidence, for reading a miss."""


def timed(text: str, per_word: float = 0.4) -> Transcript:
    """TEXT as a timed transcript, one word every PER_WORD seconds from 1 s (as the holdout test)."""
    words = tuple(
        Word(w, round(1.0 + i * per_word, 3), round(1.0 + i * per_word + 0.3, 3))
        for i, w in enumerate(text.split())
    )
    return Transcript.from_segments([Segment(text, 1.0, words[-1].end, words)], words[-1].end)


def score(path: Path) -> tuple[list[Row], Counter[str]]:
    """The scored rows of the set at PATH, and the labels skipped per unknown check id."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    profiles = {key: Profile(**fields) for key, fields in data["profiles"].items()}
    rows: list[Row] = []
    skipped: Counter[str] = Counter()
    for case in data["cases"]:
        profile = profiles[case["profile"]] if "profile" in case else Profile()
        expected = {"no_profanity": "pass", **case["expect"]}
        for check_id in [c for c in expected if c not in REGISTRY]:
            skipped[check_id] += 1
        forms = (("typed", Transcript.from_text(case["text"])), ("timed", timed(case["text"])))
        for form, transcript in forms:
            ctx = CheckContext(transcript, profile, prompt=case.get("prompt", ""))
            for check_id, want in expected.items():
                if check_id not in REGISTRY:
                    continue
                check = REGISTRY[check_id]
                params = check.params.model_validate(case.get("params", {}).get(check_id, {}))
                got = check.func(ctx, params)
                rows.append(Row(case["id"], check_id, form, want, got.status, got.evidence))
    return rows, skipped


def report(name: str, rows: list[Row], skipped: Counter[str], misses: bool) -> None:
    """Print per-check agreement, the overall score, the skipped labels and (optionally) misses."""
    total = Counter(r.check_id for r in rows)
    agree = Counter(r.check_id for r in rows if r.got == r.want)
    print(f"== {name}")
    print(f"{'check':28s} {'agree':>9s} {'%':>6s}")
    for check_id in sorted(total):
        share = 100 * agree[check_id] / total[check_id]
        print(f"{check_id:28s} {agree[check_id]:4d}/{total[check_id]:<4d} {share:6.1f}")
    overall = sum(agree.values())
    count = sum(total.values())
    print(f"{'overall':28s} {overall:4d}/{count:<4d} {100 * overall / max(count, 1):6.1f}")
    for check_id, n in sorted(skipped.items()):
        print(f"skipped: {check_id} ({n} labels; no such check in REGISTRY)")
    if misses:
        for r in sorted(rows, key=lambda r: (r.check_id, r.case_id, r.form)):
            if r.got != r.want:
                print(
                    f"MISS {r.check_id} {r.case_id} [{r.form}] want {r.want} got {r.got}: {r.evidence}"
                )


def main(argv: list[str] | None = None) -> int:
    """Score every set given on the command line; bad input is one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="YAML sets with profiles and cases")
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    for path in args.sets:
        try:
            rows, skipped = score(path)
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            print(f"{path}: cannot score: {exc}", file=sys.stderr)
            return 2
        report(str(path), rows, skipped, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
