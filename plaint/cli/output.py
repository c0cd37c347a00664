"""Writing command output: to standard output, or atomically to a file."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from plaint.core.run import UserError


def write_atomic(path: str, text: str | bytes) -> None:
    """Write the whole file or nothing: a temporary file renamed into place."""
    target = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.exists() and not target.is_file() and not target.is_dir():
        # A device or a pipe (/dev/stdout, a FIFO): renaming over it would replace it.
        with target.open("wb") as handle:
            handle.write(data)
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private; give it the mode any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def use_color(option: str, output: str | None) -> bool:
    if option == "always":
        return True
    if option == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


class Progress:
    """'checked 120 of 340 files' on standard error, rewritten in place, for long runs.

    Only on a terminal: never in redirected or machine-read output. It appears
    after half a second, so short runs print nothing, and it is cleared at the end.
    """

    DELAY = 0.5  # seconds before the first line
    EVERY = 0.1  # seconds between updates

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown = 0.0
        self.width = 0

    @classmethod
    def for_terminal(cls) -> Progress | None:
        return cls() if sys.stderr.isatty() and not os.environ.get("CI") else None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and (now - self.started < self.DELAY or now - self.shown < self.EVERY):
            return
        if done == total:
            self.clear()
            return
        text = f"plaint: checked {done} of {total} files"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width, self.shown = len(text), now

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
