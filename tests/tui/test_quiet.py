"""Native libraries writing to the terminal's file descriptors do not reach the screen."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

CHILD = """
import os, sys
from pathlib import Path
from simulator.tui.quiet import native_output_to

with native_output_to(Path(sys.argv[1])):
    os.write(2, b"ALSA lib pcm.c: noise from C\\n")
    os.write(1, b"espeak noise on stdout\\n")
    sys.__stderr__.write("drawn by the app\\n")
    sys.__stderr__.flush()
os.write(2, b"after: fd 2 is the terminal again\\n")
"""


def test_native_output_goes_to_the_log_and_the_app_keeps_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "native.log"
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(log)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=Path(__file__).resolve().parents[2],
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert child.wait(10) == 0
    os.close(leader)
    terminal = seen.decode()
    assert "drawn by the app" in terminal
    assert "fd 2 is the terminal again" in terminal
    assert "noise" not in terminal
    logged = log.read_text()
    assert "ALSA lib pcm.c: noise from C" in logged and "espeak noise on stdout" in logged
