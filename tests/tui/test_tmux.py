"""The real `mockcall` in a real terminal (tmux): first run typed fast and pasted, then q quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.profile import Profile, load_profile

MOCKCALL = Path(sys.executable).with_name("mockcall")


_SOCKET = ["mockcall-tests"]
"""The tmux server socket of the running test: each test gets a server of its own, so one test's
server shutting down (after its last session ends) never races the next test's new session."""


def tmux(*args: str) -> str:
    command = ["tmux", "-L", _SOCKET[0], *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
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


def start_app(session: str, home: Path, marker: Path) -> None:
    """Run mockcall in a new 80x24 tmux window, with this checkout's code and its own home."""
    code = os.environ.get("PYTHONPATH", "")
    command = f"PYTHONPATH={code} MOCKCALL_HOME={home} {MOCKCALL}; echo $? > {marker}; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)


ME = Profile(
    name="Jordan Rivera",
    phone="(617) 555-0142",
    email="jordan.rivera@example.com",
    role="IT support specialist",
    company="Northwind Health",
)
"""What the new user types or pastes into the first-run form."""
FORM_TEXT = "\t".join((ME.name, ME.phone, ME.email, ME.role, ME.company))
"""The whole form as one burst: the values with a Tab between fields."""


@pytest.fixture
def session_name(mockcall_home: Path) -> Iterator[str]:
    assert shutil.which("tmux"), "tmux is needed for this test (make test installs it)"
    assert MOCKCALL.exists(), f"{MOCKCALL} missing: install the package (make setup)"
    name = f"mockcall-test-{mockcall_home.parent.name}"
    _SOCKET[0] = name
    yield name
    subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)


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
    start_app(session_name, mockcall_home, marker)
    # The first start shows the tour once; Esc skips it.
    wait_for_screen(session_name, "Welcome to mockcall · 1 of 3")
    tmux("send-keys", "-t", session_name, "Escape")
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


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_real_first_run_form_typed_in_one_burst_or_pasted(
    mockcall_home: Path, session_name: str, how: str
) -> None:
    # One tmux command writes the whole text to the terminal at once, faster than any typist;
    # paste-buffer -p sends it as a bracketed paste, as a terminal does on Ctrl+Shift+V.
    marker = mockcall_home / "exited"
    start_app(session_name, mockcall_home, marker)
    wait_for_screen(session_name, "Welcome to mockcall")
    wait_for_screen(session_name, "Skip")  # the key bar, drawn last
    if how == "typed":
        tmux("send-keys", "-t", session_name, "-l", FORM_TEXT)
    else:
        tmux("set-buffer", "-b", session_name, FORM_TEXT)
        tmux("paste-buffer", "-p", "-d", "-b", session_name, "-t", session_name)
    tmux("send-keys", "-t", session_name, "C-s")
    wait_for_screen(session_name, "Welcome to mockcall · 1 of 3")
    assert load_profile() == ME
    tmux("send-keys", "-t", session_name, "Escape")
    wait_for_screen(session_name, "Voicemail screening line")
    # The profile line is drawn after the list; wait for it rather than read one early frame.
    wait_for_screen(session_name, "You: Jordan Rivera · IT support specialist at Northwind Health")
