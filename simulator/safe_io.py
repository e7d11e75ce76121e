"""Files the user asks for, written privately (0600, never through a symlink), and text made safe
to show on a terminal."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import IO, Any

from simulator.errors import UserError

PRIVATE_FILE = 0o600
"""Mode of every file mockcall writes: transcripts and recordings are personal."""
PRIVATE_DIR = 0o700
"""Mode of every folder mockcall creates."""

# An escape sequence as a whole (CSI "ESC [ … final", OSC "ESC ] … BEL or ESC \", or ESC and one
# character), so no half of it ("[31m") is left behind; then any other C0/C1 control character,
# and the bidirectional overrides that make text display in another order than it reads.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}

_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EFBIG: "the file is over the size limit set for this process (ulimit -f)",
}


def terminal_safe(text: str) -> str:
    """TEXT without escape sequences or control characters (line breaks and tabs are kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def not_a_regular_file(path: Path, *, pipe_ok: bool = False) -> str | None:
    """What PATH is when it is not a plain file ("a folder", "a named pipe (FIFO)", "a device"),
    None for a regular file (or a pipe, with PIPE_OK: `--profile <(…)` in a shell is one);
    raises FileNotFoundError when there is nothing there."""
    mode = path.stat().st_mode
    if stat.S_ISREG(mode) or (pipe_ok and stat.S_ISFIFO(mode)):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def os_reason(exc: OSError) -> str:
    """An OSError in the user's words: "the disk is full", "permission denied"."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def write_private(path: Path, text: str, *, force: bool = False) -> None:
    """Write TEXT to a new file at PATH, readable by the user only.

    An existing file is replaced only with FORCE (atomically: a reader never sees half of it);
    a symbolic link is never followed or replaced, a folder is never written into.

    Raises:
        UserError: PATH is a folder, a link, exists without FORCE, or cannot be written.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UserError(f"{path}: cannot write: {os_reason(exc)}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise UserError(f"{path}: is a symbolic link; refusing to write through it")
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{path}: is a folder; give a file name to write")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path}: is not a regular file; refusing to write to it")
        if not force:
            raise UserError(f"{path}: already exists (add --force to overwrite it)")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    data = text.encode("utf-8")
    target = path if info is None else folder / f".{path.name}.{os.getpid()}.part"
    try:
        _write_new(target, data)
        if target != path:
            os.replace(target, path)
    except OSError as exc:
        if target != path:
            target.unlink(missing_ok=True)
        if exc.errno == errno.EEXIST:
            # Someone created it between the check and the write: still never overwritten.
            raise UserError(f"{path}: already exists (add --force to overwrite it)") from None
        raise UserError(f"{path}: cannot write: {os_reason(exc)}") from None


def _write_new(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # whatever the umask
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def open_private_append(path: Path) -> IO[str]:
    """PATH opened for appending text, created 0600, never through a symbolic link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        pass
    return os.fdopen(fd, "a", encoding="utf-8")


MAX_TOML_BYTES = 1 << 20
"""The largest profile or settings file read (they are a few hundred bytes)."""


def read_toml(path: Path) -> dict[str, Any]:
    """A profile or settings TOML file as a dict.

    Raises:
        UserError: not a regular file, over MAX_TOML_BYTES, not UTF-8, not TOML, or nested too
            deeply to read (tomllib recurses once per level).
    """
    import tomllib

    try:
        kind = not_a_regular_file(path, pipe_ok=True)
        if kind is not None:
            raise UserError(f"{path}: is {kind}, not a TOML file")
        with path.open("rb") as handle:
            data = handle.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {os_reason(exc)}") from None
    if len(data) > MAX_TOML_BYTES:
        raise UserError(f"{path}: over 1 MiB, too large for a mockcall TOML file")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise UserError(f"{path}: not valid TOML: nested too deeply") from None
