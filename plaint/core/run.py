"""Running a check, apart from the command line that asks for it.

The CLI parses options into a :class:`CheckOptions`; :func:`run_check` does
the work and returns results; :func:`exit_code` is the one place that decides
how the process exits.
"""

from __future__ import annotations

import sys
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
    """Check every file; ``rules`` fixes one rule set instead of each file's configuration."""
    files = expand_paths(options.paths)
    if not files:
        raise UserError(f"no process specs (*.yaml, *.yml) found in {', '.join(options.paths)}")
    setup = None if rules else configurator(options.config, options.today)
    results = []
    for path in files:
        try:
            ruleset = rules or setup.rules_for(path)
        except PackError as err:
            # A broken configuration spoils only the files under it; the others go on.
            results.append(_config_failure(path, err))
            continue
        if path == "-":
            # Read one byte past the limit, so an endless stream is refused, not buffered.
            raw = sys.stdin.buffer.read(source.MAX_BYTES + 1)
            results.append(check_bytes(raw, "<stdin>", ruleset))
        else:
            results.append(check_path(path, ruleset))
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
