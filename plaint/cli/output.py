"""Writing command output: to standard output, or atomically to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from plaint.core.run import UserError


def write_atomic(path: str, text: str | bytes) -> None:
    """Write the whole file or nothing: a temporary file renamed into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
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
