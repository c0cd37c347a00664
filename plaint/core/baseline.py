"""Baselines: accept the findings a process has today, and report only new ones.

A baseline is a JSON file listing findings (``format: plaint-baseline``). A
finding is *in* the baseline when an entry has the same **fingerprint**: its
rule id, its file and its element id. Nothing positional goes into it (no line,
column or list index), so re-indenting the spec, re-quoting it, adding comments
or moving a step to another place in the file leaves every fingerprint as it was.

Several findings can share a fingerprint (one rule on one element, e.g. two
missing step kinds on ``process``). They are counted: a baseline with two
entries of a fingerprint accepts two findings of it, and a third is new. Which
one is new is decided by the message: findings whose normalised message equals
an entry's are matched first, the rest by count. The message is a tie-break
only, never required: a message that changes its wording (a number, the order
of the steps it names) still matches by count. A fingerprint that included the
message only when there are several would change under a finding the moment a
second one appears next to it.

File paths in a baseline are relative to the baseline file's folder, with
forward slashes, so the same baseline works from any working directory and on
any system (a file outside that folder is written with ``..``).

Waived findings and findings of unreadable files are never baselined: the first
are already accepted (with a reason and an expiry, so they come back when the
waiver expires), the second must always stop the run (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from plaint.core.findings import Finding
from plaint.core.pipeline import FileResult
from plaint.core.run import UserError

FORMAT = "plaint-baseline"
VERSION = 1
STDIN = "<stdin>"

_SPACE = re.compile(r"\s+")


# -- fingerprints --------------------------------------------------------------------------------

def fingerprint_of(rule: str, file: str, element: str) -> str:
    """Stable hash of (rule, file, element): 16 hex digits."""
    # NUL cannot occur in any of the three, so the joined text is unambiguous.
    digest = hashlib.sha256("\0".join((rule, file, element)).encode("utf-8")).hexdigest()
    return digest[:16]


def element_key(finding: Finding) -> str:
    """The element id; the JSON pointer for findings with none (``/chanels``); '' for the file."""
    return finding.element or finding.pointer or ""


def normalise_message(message: str) -> str:
    """One line, single-spaced: how a message is stored, and compared as a tie-break."""
    return _SPACE.sub(" ", message).strip()


def file_key(file: str, root: str | Path) -> str:
    """``file`` relative to ``root`` (the baseline's folder), with forward slashes."""
    if file == STDIN:
        return file
    absolute = os.path.abspath(file)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive (Windows): no relative path exists
        relative = absolute
    return relative.replace(os.sep, "/")


def baselined(finding: Finding) -> bool:
    """Whether a finding can be in a baseline (not waived, and its file was readable)."""
    return not finding.waived and not finding.fatal


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One accepted finding. Field order is the sort order of the file."""

    file: str
    rule: str
    element: str
    message: str

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.rule, self.file, self.element)

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "rule": self.rule, "element": self.element,
                "message": self.message, "fingerprint": self.fingerprint}


def entry_for(finding: Finding, file: str) -> BaselineEntry:
    """The entry that accepts ``finding``, whose file is written as ``file``."""
    return BaselineEntry(file, finding.rule, element_key(finding), normalise_message(finding.message))


def fingerprint(finding: Finding, root: str | Path) -> str:
    """A finding's fingerprint for a baseline kept in the folder ``root``."""
    return entry_for(finding, file_key(finding.file, root)).fingerprint


# -- matching ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pairing:
    """How entries of a run pair with earlier ones (indexes into the two sequences)."""

    new: tuple[int, ...]  # current entries with no earlier one
    matched: tuple[tuple[int, int], ...]  # (current, previous)
    gone: tuple[int, ...]  # previous entries no current one took


def pair(current: Sequence[BaselineEntry], previous: Sequence[BaselineEntry]) -> Pairing:
    """Pair entries by fingerprint, counting: same message first, then in order.

    Deterministic: within a fingerprint, leftovers are paired in sorted order.
    Used by baselines (run against baseline) and by ``plaint diff`` (new version
    against old), so the two always agree on what is the same finding.
    """
    by_print_now: dict[str, list[int]] = defaultdict(list)
    by_print_before: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(current):
        by_print_now[entry.fingerprint].append(i)
    for j, entry in enumerate(previous):
        by_print_before[entry.fingerprint].append(j)
    new: list[int] = []
    matched: list[tuple[int, int]] = []
    gone: list[int] = []
    for key in sorted(by_print_now.keys() | by_print_before.keys()):
        now = sorted(by_print_now.get(key, ()), key=lambda i: (current[i], i))
        before = sorted(by_print_before.get(key, ()), key=lambda j: (previous[j], j))
        # First pass: the same message. Both lists are sorted, so equal messages meet in order.
        free_before: dict[str, list[int]] = defaultdict(list)
        for j in before:
            free_before[previous[j].message].append(j)
        rest_now = []
        for i in now:
            same = free_before.get(current[i].message)
            if same:
                matched.append((i, same.pop(0)))
            else:
                rest_now.append(i)
        rest_before = sorted((j for js in free_before.values() for j in js),
                             key=lambda j: (previous[j], j))
        # Second pass: by count, whatever the message now says.
        for i, j in zip(rest_now, rest_before, strict=False):
            matched.append((i, j))
        new += rest_now[len(rest_before):]
        gone += rest_before[len(rest_now):]
    return Pairing(tuple(sorted(new)), tuple(sorted(matched)), tuple(sorted(gone)))


# -- the baseline file ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Baseline:
    path: str  # as given
    root: Path  # the folder file paths are relative to
    entries: tuple[BaselineEntry, ...]

    @property
    def files(self) -> frozenset[str]:
        return frozenset(e.file for e in self.entries)


def root_of(path: str | Path) -> Path:
    """The folder of a baseline file (its file paths are relative to it)."""
    return Path(os.path.abspath(path)).parent


def empty_baseline(path: str) -> Baseline:
    return Baseline(path, root_of(path), ())


def _bad(path: str, why: str) -> UserError:
    return UserError(f"baseline {path}: {why}; write a new one with --update-baseline "
                     "(delete the file first)")


def load_baseline(path: str) -> Baseline:
    """Read a baseline file; any problem is a :class:`UserError` (exit 2) saying what is wrong."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"baseline {path} does not exist: create it with --update-baseline") from None
    except IsADirectoryError:
        raise UserError(f"baseline {path} is a folder, not a file") from None
    except OSError as err:
        raise UserError(f"cannot read baseline {path}: {err.strerror or err}") from None
    return parse_baseline(raw, path)


def parse_baseline(raw: bytes, path: str) -> Baseline:
    """A baseline from the bytes of its file (``path`` gives its folder and names it in errors)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad(path, "not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise _bad(path, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except (ValueError, RecursionError):
        raise _bad(path, "not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, f"not a plaint baseline (it has no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if version != VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        why = (f"format version {version} was written by a newer plaint (this one reads version "
               f"{VERSION})" if newer else f"unknown format version {version!r}")
        raise UserError(f"baseline {path}: {why}")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise _bad(path, "\"findings\" must be a list")
    entries = []
    for number, item in enumerate(findings, start=1):
        if not isinstance(item, dict):
            raise _bad(path, f"finding {number} is not an object")
        values = []
        for name in ("file", "rule", "element", "message"):
            value = item.get(name, "" if name in ("element", "message") else None)
            if not isinstance(value, str) or (name in ("file", "rule") and not value):
                raise _bad(path, f"finding {number}: \"{name}\" must be text")
            values.append(value)
        # The stored fingerprint is for people and other tools; it is recomputed, so an
        # entry edited by hand (a file renamed) still works.
        entries.append(BaselineEntry(values[0], values[1], values[2], normalise_message(values[3])))
    return Baseline(path, root_of(path), tuple(sorted(entries)))


def _exists(file: str, root: Path) -> bool:
    if file == STDIN:
        return False
    return (root / file).is_file()


def baseline_text(results: Iterable[FileResult], path: str, previous: Baseline | None = None) -> str:
    """The text of a baseline file accepting every finding of ``results`` (write it atomically).

    Entries of ``previous`` for files this run did not check are kept while the file
    exists, so checking one file with ``--update-baseline`` does not forget the others.
    """
    root = root_of(path)
    checked: set[str] = set()
    entries: list[BaselineEntry] = []
    for result in results:
        checked.add(file_key(result.path, root))
        for finding in result.findings:
            if baselined(finding):
                entries.append(entry_for(finding, file_key(finding.file, root)))
    if previous is not None:
        old_root = previous.root
        for entry in previous.entries:
            # Re-root entries of a baseline read from another folder (it is written elsewhere).
            file = entry.file if old_root == root else file_key(str(old_root / entry.file), root)
            if file not in checked and _exists(file, root):
                entries.append(replace(entry, file=file))
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "findings": [e.as_dict() for e in sorted(entries)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- comparing a run with a baseline -------------------------------------------------------------

@dataclass(frozen=True)
class FileOutcome:
    """One checked file against the baseline."""

    path: str  # the result's path, as shown
    file: str  # its path in the baseline
    shown: tuple[Finding, ...]  # what to report: new findings, waived ones, unreadable-file ones
    new: tuple[Finding, ...]  # findings the baseline does not accept
    matched: tuple[Finding, ...]  # findings the baseline accepts (not reported)
    fixed: tuple[BaselineEntry, ...]  # entries for this file that nothing matched any more


@dataclass(frozen=True)
class BaselineOutcome:
    baseline: Baseline
    files: tuple[FileOutcome, ...]  # in the order of the results

    @property
    def new(self) -> tuple[Finding, ...]:
        return tuple(f for o in self.files for f in o.new)

    @property
    def matched(self) -> tuple[Finding, ...]:
        return tuple(f for o in self.files for f in o.matched)

    @property
    def fixed(self) -> tuple[BaselineEntry, ...]:
        """Fixed entries, each once (a file checked twice in one run is counted once)."""
        return tuple(sorted({e for o in self.files for e in o.fixed}))


def compare(results: Sequence[FileResult], baseline: Baseline) -> BaselineOutcome:
    """Which findings of ``results`` are new, which the baseline accepts, which entries are fixed.

    Only entries of files this run checked can be fixed: a baseline for a whole
    folder is not emptied by checking one of its files.
    """
    by_file: dict[str, list[BaselineEntry]] = defaultdict(list)
    for entry in baseline.entries:
        by_file[entry.file].append(entry)
    keys = [file_key(r.path, baseline.root) for r in results]
    # The findings of every result with one key pair together (a file given twice).
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r_index, result in enumerate(results):
        for f_index, finding in enumerate(result.findings):
            if baselined(finding):
                groups[file_key(finding.file, baseline.root)].append((r_index, f_index))
    matched_at: set[tuple[int, int]] = set()
    fixed_for: dict[str, tuple[BaselineEntry, ...]] = {}
    for key in sorted(set(keys) | groups.keys()):
        places = groups.get(key, [])
        current = [entry_for(results[r].findings[f], key) for r, f in places]
        previous = by_file.get(key, [])
        pairing = pair(current, previous)
        matched_at.update(places[i] for i, _ in pairing.matched)
        fixed_for[key] = tuple(previous[j] for j in pairing.gone)
    files = []
    seen: set[str] = set()
    for r_index, result in enumerate(results):
        key = keys[r_index]
        new, matched, shown = [], [], []
        for f_index, finding in enumerate(result.findings):
            if (r_index, f_index) in matched_at:
                matched.append(finding)
                continue
            shown.append(finding)
            if baselined(finding):
                new.append(finding)
        fixed = fixed_for.get(key, ()) if key not in seen else ()
        seen.add(key)
        files.append(FileOutcome(result.path, key, tuple(shown), tuple(new), tuple(matched), fixed))
    return BaselineOutcome(baseline, tuple(files))


def filter_results(results: Sequence[FileResult], outcome: BaselineOutcome) -> list[FileResult]:
    """The results with the findings the baseline accepts taken out (for renderers and the exit)."""
    return [replace(result, findings=list(o.shown)) for result, o in zip(results, outcome.files,
                                                                          strict=True)]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_lines(outcome: BaselineOutcome, limit: int = 20) -> list[str]:
    """Lines for people about what the baseline did: hidden findings, fixed entries."""
    lines = []
    matched = len(outcome.matched)
    if matched:
        lines.append(f"{_plural(matched, 'finding is', 'findings are')} in the baseline "
                     f"{outcome.baseline.path} and not shown")
    fixed = outcome.fixed
    if fixed:
        them = "it" if len(fixed) == 1 else "them"
        lines.append(f"{_plural(len(fixed), 'baseline entry is', 'baseline entries are')} fixed: "
                     f"remove {them} with --update-baseline")
        for entry in fixed[:limit]:
            where = f" at {entry.element}" if entry.element else ""
            lines.append(f"  fixed: {entry.file}: {entry.rule}{where}")
        if len(fixed) > limit:
            lines.append(f"  and {len(fixed) - limit} more")
    return lines
