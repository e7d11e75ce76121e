"""Everything outside simulator.tui imports without Textual, and the import-linter contract holds."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import audio
import simulator

ROOT = Path(__file__).resolve().parents[2]


def _core_modules() -> list[str]:
    names: list[str] = []
    for package in (simulator, audio):
        prefix = package.__name__ + "."
        for info in pkgutil.walk_packages(package.__path__, prefix):
            if info.name.startswith("simulator.tui") or info.name == "simulator.__main__":
                continue
            names.append(info.name)
    return sorted(names)


def test_core_modules_are_found() -> None:
    modules = _core_modules()
    for expected in ("simulator.cli", "simulator.scenario", "simulator.checks", "audio.transcribe"):
        assert expected in modules


def test_core_imports_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core pulled in Textual: {result.stdout}"


def test_import_linter_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
