"""Which phrase rules match any labelled answer or test sentence (dead rules are listed).

    PYTHONPATH=$PWD python benchmarks/rule_coverage.py [--all] [SET.yaml ...]

Texts: every case of tests/data/eval_*.yaml (or the sets given) plus every sentence-like string
in tests/unit/test_checks_language*.py and tests/data/language_probes.txt. A rule's own
`match` examples do not count.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.checks.language.engine import Doc, rule_files, rules  # noqa: E402


def labelled_texts(paths: list[Path]) -> list[str]:
    """The answer texts of the labelled sets."""
    out: list[str] = []
    for path in paths:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data["cases"] if isinstance(data, dict) else data
        out += [c["text"] for c in cases]
    return out


def test_texts() -> list[str]:
    """Sentence-like string constants in the language check tests, and the probe answers."""
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "unit").glob("test_checks_language*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if len(node.value.split()) >= 2:
                    out.append(node.value)
    probes = ROOT / "tests" / "data" / "language_probes.txt"
    for line in probes.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split(" | ", 2)[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="print every rule's count")
    args = parser.parse_args()
    paths = args.sets or sorted((ROOT / "tests" / "data").glob("eval_*.yaml"))
    docs = [Doc.from_text(t) for t in labelled_texts(paths) + test_texts()]
    dead = total = 0
    for book in rule_files():
        for family in rules(book).families.values():
            for rule in family.rules:
                total += 1
                count = sum(1 for d in docs if rule.find(d))
                if count == 0:
                    dead += 1
                if args.all or count == 0:
                    print(f"{count:5}  {book}:{rule.name}  {rule.pattern}")
    print(f"{dead} of {total} rules match no labelled answer or test sentence")


if __name__ == "__main__":
    main()
