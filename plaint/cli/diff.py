"""plaint diff: what a change to a process spec changes (procedure, timing, findings).

``plaint diff OLD NEW`` compares two files; ``plaint diff --base REF [PATHS...]``
compares every process spec changed since a git revision with its version there.
Both versions of a spec are checked with one rule set (the configuration that
applies to the new one, or ``--config``), so the report shows the spec's change,
not a change of configuration.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import click

from plaint import __version__
from plaint.cli.output import emit
from plaint.core import source
from plaint.core.diff import DiffReport, FileDiff, diff_files, exit_code
from plaint.core.engine import RuleSet
from plaint.core.findings import Severity
from plaint.core.pipeline import SPEC_SUFFIXES, FileResult, check_bytes, check_path
from plaint.core.run import UserError, configurator
from plaint.core.timing import as_of
from plaint.renderers.diff_report import DIFF_RENDERERS

# A policy pack or a configuration kept beside the specs is not a spec (as in expand_paths).
_NOT_A_SPEC = re.compile(rb"^plaint-(pack|config):", re.MULTILINE)


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--base", metavar="GIT-REF", default=None,
              help="Compare each process spec (*.yaml, *.yml) changed since this git revision "
                   "with its version there; PATHS limit the search (default: the whole "
                   "working tree under the current folder).")
@click.option("--format", "-f", "fmt", type=click.Choice(sorted(DIFF_RENDERERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the output to this file (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True,
              help="Exit 1 when the change introduces a finding at or above this severity.")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration for both versions, instead of the nearest .plaint.yaml "
                   "of the new one.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Today's date (default: the system date): waivers expire against it, and its "
                   "year gives the start dates of the timing analysis.")
def diff(paths: tuple[str, ...], base: str | None, fmt: str, output: str | None, fail_on: str,
         config: str | None, today: datetime | None) -> int:
    """Compare two versions of a process spec: OLD NEW, or --base GIT-REF [PATHS...].

    Reports steps, owners, channels, transitions, commitments and other elements
    added, removed and changed; the worst case of every time promise before and
    after; and the findings the change introduces and fixes.

    Exit status: 0 the change introduces no finding at or above --fail-on; 1 it
    does; 2 a new version could not be read, git failed, or the command was used
    wrongly.
    """
    day = today.date() if today else None
    year = (day or date.today()).year
    if base is None and len(paths) != 2:
        raise click.UsageError("plaint diff takes two files, OLD and NEW, or --base GIT-REF [PATHS...]")
    setup = configurator(config, day)
    with as_of(day):
        if base is None:
            pairs = [_two_files(paths[0], paths[1])]
        else:
            pairs = changed_since(base, list(paths) or ["."])
        files: list[FileDiff] = []
        for pair in pairs:
            rules = setup.rules_for(pair.config_path)
            files.append(diff_files(pair.check_old(rules), pair.check_new(rules), year=year,
                                    fail_on=Severity.parse(fail_on), old_name=pair.old_name,
                                    new_name=pair.new_name))
    report = DiffReport(tuple(files), Severity.parse(fail_on), year, base)
    emit(DIFF_RENDERERS[fmt](report, __version__), output)
    return exit_code(report)


# -- the two versions of a spec ------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    """Where the old and new versions of one spec come from."""

    old_name: str | None  # as shown; None: no old version
    new_name: str | None
    old_bytes: bytes | None = None  # the old version's content, when it is not a file
    old_path: str | None = None  # the old version's file, when it is one
    new_path: str | None = None
    config_path: str = "."  # the spec whose configuration applies to both versions

    def check_old(self, rules: RuleSet) -> FileResult | None:
        if self.old_bytes is not None and self.old_name is not None:
            return check_bytes(self.old_bytes, self.old_name, rules)
        return check_path(self.old_path, rules) if self.old_path else None

    def check_new(self, rules: RuleSet) -> FileResult | None:
        return check_path(self.new_path, rules) if self.new_path else None


def _two_files(old: str, new: str) -> Pair:
    for given in (old, new):
        path = Path(given)
        if given == "-":
            raise click.UsageError("plaint diff reads files, not standard input")
        if path.is_dir():
            raise click.UsageError(f"{given} is a folder: plaint diff compares two files (use "
                                   "--base GIT-REF for every spec changed in a repository)")
        if not path.exists():
            raise UserError(f"{given} does not exist")
    return Pair(old, new, old_path=old, new_path=new, config_path=new)


# -- git -----------------------------------------------------------------------------------------

def _git(args: list[str]) -> bytes:
    """Run git with a list of arguments (never a shell); its failure is a UserError (exit 2)."""
    try:
        proc = subprocess.run(["git", *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise UserError("--base needs git, and git is not installed (or not on PATH)") from None
    except (OSError, subprocess.SubprocessError) as err:
        raise UserError(f"cannot run git: {err}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = lines[-1] if lines else f"exit status {proc.returncode}"
        raise UserError(f"git {args[0]} failed: {why}")
    return proc.stdout


def _is_spec(name: str) -> bool:
    """A *.yaml/*.yml file outside hidden folders (as a folder check expands them)."""
    parts = name.split("/")
    return name.endswith(SPEC_SUFFIXES) and not any(p.startswith(".") for p in parts)


def _looks_like_other_plaint_file(content: bytes | None) -> bool:
    return content is not None and _NOT_A_SPEC.search(content[:4096]) is not None


def _read_head(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError:
        return None  # checked later, and reported there


def _shown(top: Path, name: str) -> str:
    """A path of the working tree as plaint check would show it: relative to here, if inside."""
    full = top / name
    try:
        return os.path.relpath(full).replace(os.sep, "/")
    except ValueError:
        return str(full)


def changed_since(base: str, pathspecs: list[str]) -> list[Pair]:
    """The specs that differ between ``base`` and the working tree, with where each version is.

    Renames are followed (old content from the old name). Files git does not track
    yet (and does not ignore) count as added, so a new spec is checked before it is
    committed.
    """
    if base.startswith("-"):
        raise UserError(f"--base {base}: not a git revision")
    top = Path(_git(["rev-parse", "--show-toplevel"]).decode("utf-8", "surrogateescape").strip())
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"]).decode().strip()
    except UserError:
        raise UserError(f"--base {base}: no such commit in this repository") from None
    raw = _git(["diff", "--name-status", "-z", "--no-color", "--no-ext-diff", "-M", commit, "--",
                *pathspecs])
    changes: list[tuple[str, str | None, str | None]] = []  # (status, old name, new name)
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            changes.append((status, fields[i + 1], fields[i + 2]))
            i += 3
            continue
        name = fields[i + 1]
        changes.append((status, None if status == "A" else name, None if status == "D" else name))
        i += 2
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z", "--",
                      *pathspecs])
    changes += [("A", None, name) for name in untracked.decode("utf-8", "surrogateescape").split("\0")
                if name]
    pairs = []
    for _status, old, new in sorted(changes, key=lambda c: (c[2] or c[1] or "", c[1] or "")):
        if not any(n and _is_spec(n) for n in (old, new)):
            continue
        old_bytes = _git(["cat-file", "blob", f"{commit}:{old}"]) if old else None
        new_head = _read_head(top / new) if new else None
        if _looks_like_other_plaint_file(old_bytes) or _looks_like_other_plaint_file(new_head):
            continue
        if old_bytes is not None and len(old_bytes) > source.MAX_BYTES:
            old_bytes = old_bytes[: source.MAX_BYTES + 1]  # enough for the size finding
        spec = top / (new or old or "")
        pairs.append(Pair(
            old_name=f"{base}:{old}" if old else None,
            new_name=_shown(top, new) if new else None,
            old_bytes=old_bytes,
            new_path=_shown(top, new) if new else None,
            config_path=str(spec),
        ))
    return pairs
