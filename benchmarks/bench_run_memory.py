"""Peak memory (RSS high-water mark) of a whole `mockcall run` with the default engine.

Run: .venv/bin/python benchmarks/bench_run_memory.py

It synthesizes a ~25 s voicemail answer, then runs
`mockcall run voicemail-screening --answer FILE --no-voice --json` and samples the child's VmHWM
from /proc until it exits (ru_maxrss is not used: after fork+exec it can report the parent's size).
Target from the voice-path issue: <= 500 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio.tts import SystemVoice  # noqa: E402

ANSWER = (
    "Hi, this is Jordan Rivera calling about the Data Analyst position. I saw the posting last "
    "week and I think my four years of reporting work are a close match. You can reach me at six "
    "one seven, five five five, zero one four two. Again, that's Jordan Rivera, six one seven, "
    "five five five, zero one four two. Thanks, and have a great day."
)


def vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return 0


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="mockcall-bench-"))
    env = dict(os.environ, MOCKCALL_HOME=str(home))
    profile = home / "profile.toml"
    profile.write_text(
        '[profile]\nname = "Jordan Rivera"\nphone = "(617) 555-0142"\nrole = "Data Analyst"\n'
    )
    wav = SystemVoice().synthesize(ANSWER, home / "answer.wav", voice="en-us", rate=150)
    command = [
        sys.executable,
        "-m",
        "simulator",
        "run",
        "voicemail-screening",
        "--answer",
        str(wav),
        "--no-voice",
        "--json",
        "--profile",
        str(profile),
    ]
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while child.poll() is None:
        peak = max(peak, vm_hwm_kib(child.pid))
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    out, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"mockcall run failed: {err.decode().strip()}")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| peak RSS of `mockcall run` (faster-whisper, tiny.en) | {peak / 1024:.0f} MB | <= 500 MB |"
    )
    print(f"| wall time of that run (model load included) | {elapsed:.1f} s | |")


if __name__ == "__main__":
    main()
