"""plaint check: parse options, run, render, and return the exit code."""

from __future__ import annotations

from datetime import datetime

import click

from plaint import __version__
from plaint.cli.output import emit, use_color
from plaint.core.findings import Severity
from plaint.core.run import CheckOptions, exit_code, run_check
from plaint.renderers import RENDERERS, RenderContext


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the output to this file (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour text output (auto: on a terminal, unless NO_COLOR).")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration for every file, instead of the nearest .plaint.yaml.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date waivers expire against (default: today), for reproducible runs.")
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str, color: str,
          config: str | None, today: datetime | None) -> int:
    """Check process specs: files, folders (their *.yaml and *.yml files), or - for stdin.

    Exit status: 0 no findings at or above --fail-on; 1 findings; 2 a file could
    not be read, or the command was used wrongly.
    """
    options = CheckOptions(paths=list(paths), fail_on=Severity.parse(fail_on),
                           formats=[(fmt, output)], color=use_color(color, output),
                           config=config, today=today.date() if today else None)
    results = run_check(options)
    packs = sorted({pack for result in results for pack in result.packs})
    context = RenderContext(color=options.color, tool_version=__version__, packs=tuple(packs))
    for name, target in options.formats:
        emit(RENDERERS[name](results, context), target)
    return exit_code(results, options.fail_on)
