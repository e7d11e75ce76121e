"""Per-check agreement of the text checks with labelled answer sets.

    PYTHONPATH=$PWD python benchmarks/score_check_sets.py tests/data/eval_holdout*.yaml [--misses]

Each set is either the holdout shape (`profiles` + `cases`, see tests/data/eval_holdout.yaml) or
the language shape (a list of cases, tests/data/eval_language.yaml). Every label is scored on the
typed text and on a timed copy, like tests/unit/test_checks_holdout.py does.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.unit.test_checks_holdout import results  # noqa: E402


def _as_holdout(path: Path, scratch: Path) -> Path:
    """A language-shaped set rewritten in the holdout shape (one empty profile)."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return path
    cases = [{**case, "expect": dict(case["expect"])} for case in data]
    target = scratch / path.name
    target.write_text(yaml.safe_dump({"profiles": {"none": {}}, "cases": cases}), "utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    parser.add_argument("--check", action="append", help="only these check ids")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        grand_agree = grand_total = 0
        for path in args.sets:
            rows = results(_as_holdout(path, Path(tmp)))
            agree: Counter[str] = Counter()
            total: Counter[str] = Counter()
            misses: set[str] = set()
            for case_id, check_id, want, got, evidence in rows:
                if args.check and check_id not in args.check:
                    continue
                total[check_id] += 1
                if want == got:
                    agree[check_id] += 1
                else:
                    misses.add(f"  {case_id} {check_id}: want {want}, got {got} ({evidence})")
            overall_a, overall_t = sum(agree.values()), sum(total.values())
            if not overall_t:
                continue
            grand_agree += overall_a
            grand_total += overall_t
            print(f"{path.name}: {overall_a}/{overall_t} ({100 * overall_a / overall_t:.1f} %)")
            for check_id in sorted(total):
                a, t = agree[check_id], total[check_id]
                print(f"  {check_id:28} {a:4}/{t:<4} {100 * a / t:5.1f} %")
            if args.misses:
                print("\n".join(sorted(misses)))
        if len(args.sets) > 1:
            print(f"all: {grand_agree}/{grand_total} ({100 * grand_agree / grand_total:.1f} %)")


if __name__ == "__main__":
    main()
