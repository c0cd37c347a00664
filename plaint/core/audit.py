"""The analyses an audit report needs beyond a check, run once per checked file.

``plaint check`` stops at findings. ``plaint report`` also needs the clause
coverage, every time promise timed, the spec's hash and the configuration it
was checked with; this stage computes them, so the report's renderer only
formats what it is given.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plaint.core.calendar import CalendarError
from plaint.core.config import find_config
from plaint.core.coverage import CoverageRow, coverage
from plaint.core.pipeline import FileResult
from plaint.core.promises import Promise, promises
from plaint.core.timing import as_of, calendar_of


@dataclass(frozen=True)
class FileAudit:
    result: FileResult
    year: int  # the year whose every day is tried as a start date
    coverage: tuple[CoverageRow, ...] | None  # None: the file did not reach analysis
    promises: tuple[Promise, ...] | None  # None: not analysed, or the calendar is unusable
    calendar: str | None  # the working calendar, in words
    calendar_error: str | None  # why the calendar cannot be used
    sha256: str | None  # of the spec's bytes
    sha256_note: str | None  # what was hashed, or why nothing was
    config: str  # the configuration file the spec was checked with, in words

    @property
    def analysed(self) -> bool:
        return self.result.graph is not None


def _sha256(result: FileResult) -> tuple[str | None, str | None]:
    """The SHA-256 of the spec's bytes as they are on disk (of the text, for standard input)."""
    if result.path == "<stdin>":
        if result.document is None:
            return None, "standard input could not be read"
        digest = hashlib.sha256(result.document.text.encode("utf-8")).hexdigest()
        return digest, "of the text read from standard input, as UTF-8"
    try:
        return hashlib.sha256(Path(result.path).read_bytes()).hexdigest(), None
    except OSError as err:
        return None, f"the file could not be read: {err.strerror or err}"


def _config_used(path: str, config: str | None) -> str:
    """The configuration file the spec was checked with, relative to here when it can be."""
    if config:
        return config
    found = find_config(Path.cwd() if path == "<stdin>" else Path(path).parent)
    if found is None:
        return "none (built-in defaults)"
    try:
        return os.path.relpath(found)
    except ValueError:  # another drive, on Windows
        return str(found)


def audit(result: FileResult, today: date, config: str | None) -> FileAudit:
    """Coverage, timing and provenance of one checked file (``today``'s year is timed)."""
    sha, sha_note = _sha256(result)
    base = {"result": result, "year": today.year, "sha256": sha, "sha256_note": sha_note,
            "config": _config_used(result.path, config)}
    if result.graph is None:
        return FileAudit(**base, coverage=None, promises=None, calendar=None, calendar_error=None)
    rows = tuple(coverage(result))
    try:
        calendar = calendar_of(result.graph)
    except CalendarError as err:
        return FileAudit(**base, coverage=rows, promises=None, calendar=None,
                         calendar_error=str(err))
    with as_of(today):
        timed = tuple(promises(result, today.year))
    return FileAudit(**base, coverage=rows, promises=timed, calendar=calendar.describe(),
                     calendar_error=None)
