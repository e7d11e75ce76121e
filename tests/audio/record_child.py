"""Runs record() in its own process for the crash and device-stall tests (see conftest.py).

Usage: python record_child.py OUT_WAV TIME_LIMIT STALL_TIMEOUT. Prints "RECORDING" once the
first block is on disk and "RESULT {json}" at the end, then exits hard: a stalled device can
leave PortAudio's thread wedged, and the interpreter's normal exit would wait for it.
"""

from __future__ import annotations

import json
import os
import sys
import threading

import numpy as np
from numpy.typing import NDArray

from audio.recorder import record


def main() -> None:
    out, time_limit, stall_timeout = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    announced = False

    def on_audio(_block: NDArray[np.float32]) -> None:
        nonlocal announced
        if not announced:
            print("RECORDING", flush=True)
            announced = True

    result = record(
        out,
        stop=threading.Event(),
        time_limit=time_limit,
        on_audio=on_audio,
        stall_timeout=stall_timeout,
    )
    summary = {"duration": result.duration, "ended_by": result.ended_by}
    print("RESULT " + json.dumps(summary), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
