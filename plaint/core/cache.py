"""An on-disk cache of results that depend only on their inputs.

A check of one small spec otherwise spends most of its time on work that is the same
every run: importing the holidays package (every country, about 100 ms) to build one
region's holiday table, and parsing the built-in packs (220 KB of YAML). Each entry is
keyed by everything its value depends on (a package version, a content hash), so a stale
entry is never read; it is simply no longer asked for.

Where: ``$PLAINT_CACHE_DIR``; else ``$XDG_CACHE_HOME/plaint``; else ``~/.cache/plaint``.
``PLAINT_CACHE_DIR=off`` turns it off. The cache changes speed, never results: entries
are JSON written atomically, an entry that cannot be read counts as missing, and a
folder that cannot be written is skipped without a word.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

OFF = "off"


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("PLAINT_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in (OFF, "") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "plaint"


def read(name: str) -> Any | None:
    """The value stored under ``name``, or None when there is none that can be read."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / name, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write(name: str, value: Any) -> None:
    """Store ``value`` (JSON data) under ``name``; a cache that cannot be written is skipped."""
    where = folder()
    if where is None:
        return
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        where.mkdir(parents=True, exist_ok=True)
        # A temporary file renamed into place: a reader never sees half an entry, and
        # processes writing the same entry at once each leave a whole one.
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=where)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, where / name)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass
