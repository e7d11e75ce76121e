"""Detects another distribution's `audio` or `scenarios` package standing in for mockcall's own.

mockcall installs three top-level packages with common names. PyPI has distributions called
`audio` and `scenarios`; installed into the same environment, one of them can replace ours, and
the app would fail later with a puzzling error. The fix is an isolated install (pipx or
`uv tool`), which this check names in one line.
"""

from __future__ import annotations

import importlib
from pathlib import Path

_OURS = ("audio", "scenarios")
"""mockcall's top-level packages besides `simulator`, each marked with OWNER = "mockcall"."""


def shadowed_packages() -> list[str]:
    """Names of mockcall's packages that resolve to someone else's code, with where they are."""
    problems = []
    home = Path(__file__).resolve().parent.parent
    for name in _OURS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            problems.append(f"{name} (missing)")
            continue
        where = Path(getattr(module, "__file__", None) or ".").resolve().parent
        if getattr(module, "OWNER", None) != "mockcall" or where.parent != home:
            problems.append(f"{name} ({where})")
    return problems


def shadow_message(problems: list[str]) -> str:
    """One line telling the user which package shadows mockcall's and how to install cleanly."""
    return (
        f"another package shadows mockcall's own: {', '.join(problems)}; "
        "install mockcall in its own environment: pipx install mockcall (or uv tool install mockcall)"
    )
