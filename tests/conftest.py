"""Shared fixtures: keep every test out of the real user's config and data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def mockcall_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point MOCKCALL_HOME at a fresh folder so config, history and recordings are the test's own."""
    home = tmp_path / "mockcall-home"
    monkeypatch.setenv("MOCKCALL_HOME", str(home))
    yield home
