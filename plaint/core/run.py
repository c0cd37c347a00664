"""Running a check, apart from the command line that asks for it.

The CLI parses options into a :class:`CheckOptions`; :func:`run_check` does
the work and returns results; :func:`exit_code` is the one place that decides
how the process exits.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from plaint.core import source
from plaint.core.engine import RuleSet
from plaint.core.findings import Severity
from plaint.core.packs import builtin_packs
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


def default_ruleset() -> RuleSet:
    from plaint.policies.functions import builtin_functions

    return RuleSet(builtin_packs(), builtin_functions())


def run_check(options: CheckOptions, rules: RuleSet | None = None) -> list[FileResult]:
    rules = rules or default_ruleset()
    files = expand_paths(options.paths)
    if not files:
        raise UserError(f"no process specs (*.yaml, *.yml) found in {', '.join(options.paths)}")
    results = []
    for path in files:
        if path == "-":
            # Read one byte past the limit, so an endless stream is refused, not buffered.
            raw = sys.stdin.buffer.read(source.MAX_BYTES + 1)
            results.append(check_bytes(raw, "<stdin>", rules))
        else:
            results.append(check_path(path, rules))
    return results


def exit_code(results: list[FileResult], fail_on: Severity) -> int:
    """0: nothing at or above ``fail_on``; 1: findings; 2: a file could not be read."""
    if any(r.unreadable for r in results):
        return EXIT_ERROR
    for result in results:
        for finding in result.findings:
            if not finding.waived and finding.severity >= fail_on:
                return EXIT_FINDINGS
    return EXIT_OK
