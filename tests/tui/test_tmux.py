"""The real `mockcall` in a real terminal (tmux): it opens on the library and quits on q."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

MOCKCALL = Path(sys.executable).with_name("mockcall")


def tmux(*args: str) -> str:
    result = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_for_screen(session: str, needle: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def session_name(mockcall_home: Path) -> Iterator[str]:
    assert shutil.which("tmux"), "tmux is needed for this test (make test installs it)"
    assert MOCKCALL.exists(), f"{MOCKCALL} missing: install the package (make setup)"
    name = f"mockcall-test-{mockcall_home.parent.name}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_real_app_shows_the_library_and_quits(mockcall_home: Path, session_name: str) -> None:
    profile = subprocess.run(
        [
            str(MOCKCALL),
            "profile",
            "--name",
            "Jordan Rivera",
            "--phone",
            "(617) 555-0142",
            "--role",
            "Data Analyst",
            "--company",
            "Northwind",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert profile.returncode == 0, profile.stderr
    marker = mockcall_home / "exited"
    command = f"MOCKCALL_HOME={mockcall_home} {MOCKCALL}; echo $? > {marker}; sleep 30"
    tmux("new-session", "-d", "-s", session_name, "-x", "80", "-y", "24", command)
    wait_for_screen(session_name, "Voicemail screening line")
    screen = wait_for_screen(session_name, "Quit")  # the key bar, drawn last
    assert "Voicemail screening line" in screen
    assert "Jordan Rivera" in screen  # the profile status line
    tmux("send-keys", "-t", session_name, "q")
    deadline = time.monotonic() + 15
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "mockcall did not quit on q"
    assert marker.read_text().strip() == "0"
    after = tmux("capture-pane", "-p", "-t", session_name)
    assert "Traceback" not in after
