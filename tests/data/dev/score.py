"""Score the current checks against a labelled set: per-check agreement and the misses.

Usage: PYTHONPATH=. python tests/data/dev/score.py tests/data/dev/eval_dev.yaml [--misses]

Labels for check ids the code does not register yet (e.g. owns_answer) are skipped and counted.
Each case is judged twice, typed and timed, exactly as tests/unit/test_checks_holdout.py does.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from simulator.checks import REGISTRY
from tests.unit.test_checks_holdout import results


def known_only(path: Path) -> tuple[Path, Counter[str]]:
    """A copy of PATH without labels for unregistered checks, and how many were dropped."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    skipped: Counter[str] = Counter()
    for case in data["cases"]:
        for check_id in [c for c in case["expect"] if c not in REGISTRY]:
            skipped[check_id] += 1
            del case["expect"][check_id]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as out:
        yaml.safe_dump(data, out, allow_unicode=True)
    return Path(out.name), skipped


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: score.py SET.yaml [--misses]", file=sys.stderr)
        return 2
    filtered, skipped = known_only(Path(argv[0]))
    rows = results(filtered)
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: dict[str, set[str]] = {}
    for case_id, check_id, want, got, evidence in rows:
        total[check_id] += 1
        if got == want:
            agree[check_id] += 1
        else:
            misses.setdefault(check_id, set()).add(
                f"{case_id}: want {want}, got {got} ({evidence})"
            )
    print(f"{'check':28} {'agree':>9} {'%':>6}")
    for check_id in sorted(total):
        share = 100 * agree[check_id] / total[check_id]
        print(f"{check_id:28} {agree[check_id]:4}/{total[check_id]:<4} {share:6.1f}")
    overall = 100 * sum(agree.values()) / sum(total.values())
    print(f"{'overall':28} {sum(agree.values()):4}/{sum(total.values()):<4} {overall:6.1f}")
    for check_id, count in sorted(skipped.items()):
        print(f"skipped (not registered): {check_id} x{count}")
    if "--misses" in argv:
        for check_id in sorted(misses):
            print(f"\n## {check_id}")
            for line in sorted(misses[check_id]):
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
