"""Running a check, apart from the command line that asks for it.

The CLI parses options into a :class:`CheckOptions`; :func:`run_check` does
the work and returns results; :func:`exit_code` is the one place that decides
how the process exits.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from plaint.core import source
from plaint.core.config import Configurator
from plaint.core.engine import RuleSet
from plaint.core.findings import Finding, Severity, Span
from plaint.core.packs import PackError, builtin_packs
from plaint.core.pipeline import FileResult, check_bytes, check_path, expand_paths

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class UserError(Exception):
    """Usage, configuration or pack problems: reported as a message, exit code 2."""


@dataclass
class CheckOptions:
    paths: list[str]
    fail_on: Severity = Severity.ERROR
    formats: list[tuple[str, str | None]] = field(default_factory=lambda: [("text", None)])
    color: bool = False
    config: str | None = None  # a configuration file for every spec, instead of discovery
    today: date | None = None  # the date waivers expire against
    jobs: int = 1  # processes checking files at once (0: one per CPU)
    progress: Callable[[int, int], None] | None = None  # told (files done, files in all)


def default_ruleset() -> RuleSet:
    """Every built-in pack with its default settings: what the docs and the tests describe."""
    from plaint.policies.functions import all_functions

    return RuleSet(builtin_packs(), all_functions())


def configurator(config: str | None = None, today: date | None = None) -> Configurator:
    from plaint.policies.functions import PluginError, all_functions

    try:
        functions = all_functions()
    except PluginError as err:
        raise UserError(str(err)) from None
    return Configurator(functions, config_path=config, today=today)


def run_check(options: CheckOptions, rules: RuleSet | None = None) -> list[FileResult]:
    """Check every file; ``rules`` fixes one rule set instead of each file's configuration.

    With ``options.jobs`` other than 1, files are checked in that many processes;
    results come back in the order of the files, so the output is the same.
    """
    files = expand_paths(options.paths)
    if not files:
        raise UserError(f"no process specs (*.yaml, *.yml) found in {', '.join(options.paths)}")
    # Standard input is read here, once, whichever process checks it.
    # One byte past the limit is read, so an endless stream is refused, not buffered.
    stdin = sys.stdin.buffer.read(source.MAX_BYTES + 1) if "-" in files else None
    jobs = options.jobs if options.jobs > 0 else (os.cpu_count() or 1)
    if jobs > 1 and len(files) > 1 and rules is None:
        return _in_parallel(files, stdin, options, min(jobs, len(files)))
    setup = None if rules else configurator(options.config, options.today)
    results = []
    with _kept_results(len(files)) as settle:
        for path in files:
            results.append(_check_one(path, stdin, rules or setup))
            settle()
            if options.progress:
                options.progress(len(results), len(files))
    return results


@contextmanager
def _kept_results(files: int) -> Iterator[Callable[[], None]]:
    """A ``settle()`` to call after each file's result is kept, for runs of many files.

    Every result is kept until the end (the renderers need them all), so without
    this the garbage collector scans all earlier results again and again while later
    files are checked: a third to a half of the time of a 1,000-file check. After
    each file, a young-generation collection frees that file's cyclic garbage, and
    ``gc.freeze`` sets what is left aside; everything is handed back to the
    collector at the end. Nothing that is garbage is kept any longer than before.
    """
    if files < 2 or not gc.isenabled():
        yield lambda: None
        return

    def settle() -> None:
        gc.collect(1)
        gc.freeze()

    try:
        yield settle
    finally:
        gc.unfreeze()


def _check_one(path: str, stdin: bytes | None, rules: RuleSet | Configurator) -> FileResult:
    try:
        ruleset = rules if isinstance(rules, RuleSet) else rules.rules_for(path)
    except PackError as err:
        # A broken configuration spoils only the files under it; the others go on.
        return _config_failure(path, err)
    if path == "-":
        return check_bytes(stdin or b"", "<stdin>", ruleset)
    return check_path(path, ruleset)


_WORKER_SETUP: Configurator | None = None


def _start_worker(config: str | None, today: date | None) -> None:
    global _WORKER_SETUP
    _WORKER_SETUP = configurator(config, today)


def _check_in_worker(path: str, stdin: bytes | None) -> tuple[FileResult, bool]:
    assert _WORKER_SETUP is not None
    result = _check_one(path, stdin, _WORKER_SETUP)
    # The rule set is most of a result's size; the parent has the same one, so it is not sent.
    had_rules, result.rules = result.rules is not None, None
    return result, had_rules


def _in_parallel(files: list[str], stdin: bytes | None, options: CheckOptions,
                 jobs: int) -> list[FileResult]:
    from concurrent.futures import ProcessPoolExecutor

    setup = configurator(options.config, options.today)  # a broken plugin is reported here, once
    results: list[FileResult] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             initargs=(options.config, options.today)) as pool, \
            _kept_results(len(files)) as settle:
        # map keeps the files' order, whichever process finishes first.
        for path, (result, had_rules) in zip(
                files, pool.map(_check_in_worker, files, [stdin] * len(files)), strict=True):
            if had_rules:
                result.rules = setup.rules_for(path)
            results.append(result)
            settle()
            if options.progress:
                options.progress(len(results), len(files))
    return results


def _config_failure(path: str, err: PackError) -> FileResult:
    shown = "<stdin>" if path == "-" else path
    finding = Finding(
        rule="config-invalid", severity=Severity.ERROR,
        message=f"cannot check this file: its configuration or a pack it names is invalid: {err}",
        file=shown, span=Span(1, 1, 1, 1), pack="input",
        hint="Fix the configuration file (.plaint.yaml) or the pack named in the message.",
        docs="docs/rules/config-invalid.md", fatal=True,
    )
    return FileResult(shown, [finding])


def exit_code(results: list[FileResult], fail_on: Severity) -> int:
    """0: nothing at or above ``fail_on``; 1: findings; 2: a file could not be read."""
    if any(r.unreadable for r in results):
        return EXIT_ERROR
    for result in results:
        for finding in result.findings:
            if not finding.waived and finding.severity >= fail_on:
                return EXIT_FINDINGS
    return EXIT_OK
