"""Keeps what native libraries write to the process's stdout/stderr off the app's screen."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def native_output_to(log_path: Path) -> Iterator[None]:
    """Point file descriptors 1 and 2 at LOG_PATH while Python keeps writing to the terminal.

    PortAudio/ALSA and espeak-ng write warnings straight to fd 2, under Python's sys.stderr, which
    would scribble over the screen Textual draws. Textual writes through sys.__stderr__ and sizes
    the screen from sys.__stdout__, so those become duplicates of the terminal descriptors.
    """
    if not (os.isatty(1) and os.isatty(2)):
        yield
        return
    saved = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in saved:
        if stream is not None:
            stream.flush()
    terminal_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8", errors="replace")
    terminal_err = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    real_fds = (os.dup(1), os.dup(2))
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    sys.stdout, sys.stderr = terminal_out, terminal_err
    # typeshed marks these Final; Textual reads them, so they are the ones that must move.
    setattr(sys, "__stdout__", terminal_out)  # noqa: B010
    setattr(sys, "__stderr__", terminal_err)  # noqa: B010
    try:
        yield
    finally:
        for stream in (terminal_out, terminal_err):
            stream.flush()
        os.dup2(real_fds[0], 1)
        os.dup2(real_fds[1], 2)
        for fd in real_fds:
            os.close(fd)
        sys.stdout, sys.stderr = saved[0], saved[1]
        setattr(sys, "__stdout__", saved[2])  # noqa: B010
        setattr(sys, "__stderr__", saved[3])  # noqa: B010
        terminal_out.close()
        terminal_err.close()
