"""plaint check: parse options, run, render, and return the exit code.

Several formats in one run: each ``--format`` takes the ``--output`` that
follows it (before the next ``--format``); a format without one goes to
standard output, and only one may. ``plaint check specs/ --format sarif
--output plaint.sarif --format text`` writes SARIF to a file and text to the
terminal from one check. A single ``--format`` and ``--output`` pair up in
either order, as they always have.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from plaint import __version__
from plaint.cli.baseline_options import apply as apply_baseline
from plaint.cli.baseline_options import baseline_options
from plaint.cli.output import Progress, emit, use_color
from plaint.core.findings import Severity
from plaint.core.run import CheckOptions, UserError, exit_code, run_check
from plaint.renderers import RENDERERS, RenderContext, rules_in_force

_ORDER = "plaint.check.format-order"


class _CheckCommand(click.Command):
    """Records the order in which --format and --output were given: click keeps each
    option's values in order, but not how the two options interleave."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The parser reports every option occurrence in command-line order; a first,
        # side-effect-free pass over a copy of the arguments reads that order.
        _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        ctx.meta[_ORDER] = tuple(p.name for p in order if p.name in ("fmt", "output"))
        return super().parse_args(ctx, args)


def pair_formats(formats: tuple[str, ...], outputs: tuple[str, ...],
                 order: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """(format, output file or None for standard output) for each --format.

    ``order`` lists the option names ("fmt", "output") as they were given.
    """
    if len(formats) <= 1 and len(outputs) <= 1:
        return [(formats[0] if formats else "text", outputs[0] if outputs else None)]
    pairs: list[list[Any]] = []
    fmt_values, out_values = iter(formats), iter(outputs)
    for name in order:
        if name == "fmt":
            pairs.append([next(fmt_values), None])
            continue
        target = next(out_values)
        if not pairs:
            raise click.UsageError(f"--output {target} comes before any --format; give each "
                                   "--output right after the --format it is for")
        if pairs[-1][1] is not None:
            raise click.UsageError(f"--format {pairs[-1][0]} has two outputs ({pairs[-1][1]} and "
                                   f"{target}); give each --format at most one --output")
        pairs[-1][1] = target
    to_stdout = [fmt for fmt, target in pairs if target is None]
    if len(to_stdout) > 1:
        raise click.UsageError(f"formats {', '.join(to_stdout)} would all go to standard output; give "
                               "all but one of them an --output FILE")
    targets = [str(Path(target).resolve()) for _, target in pairs if target is not None]
    if len(set(targets)) < len(targets):
        raise click.UsageError("two formats name the same --output file")
    return [(fmt, target) for fmt, target in pairs]


@click.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(sorted(RENDERERS)), multiple=True,
              help="Output format (default: text). Repeat for several formats in one run, each "
                   "followed by its own --output.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), multiple=True,
              help="Write the format given just before to this file (atomically) instead of "
                   "standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour text output (auto: on a terminal, unless NO_COLOR).")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration for every file, instead of the nearest .plaint.yaml.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date waivers expire against (default: today), for reproducible runs.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Check files in this many processes (0: one per CPU); the output is the same.")
@baseline_options
def check(paths: tuple[str, ...], fmt: tuple[str, ...], output: tuple[str, ...], fail_on: str,
          color: str, config: str | None, today: datetime | None, jobs: int,
          baseline: str | None, update_baseline: bool) -> int:
    """Check process specs: files, folders (their *.yaml and *.yml files), or - for stdin.

    Several formats in one run, each --format followed by its own --output:
    plaint check specs/ -f sarif -o plaint.sarif -f text (see docs/ci.md).

    Exit status: 0 no findings at or above --fail-on; 1 findings; 2 a file could
    not be read, or the command was used wrongly.
    """
    order = click.get_current_context().meta.get(_ORDER, ())
    formats = pair_formats(fmt, output, order)
    for _, target in formats:
        # Checked before anything is written, so a mistake leaves no partial set of reports.
        folder = Path(target).parent if target else None
        if folder is not None and not folder.is_dir():
            raise UserError(f"cannot write {target}: folder {folder} does not exist")
    options = CheckOptions(paths=list(paths), fail_on=Severity.parse(fail_on), formats=formats,
                           color=use_color(color, formats[0][1]), config=config,
                           today=today.date() if today else None, jobs=jobs,
                           progress=Progress.for_terminal())
    results = run_check(options)
    results, baseline_notes = apply_baseline(results, baseline, update_baseline)
    packs = sorted({pack for result in results for pack in result.packs})
    rules, documented = rules_in_force(results)
    context = RenderContext(tool_version=__version__, packs=tuple(packs), rules=rules,
                            documented=documented)
    # Every format is rendered before any is written: one check, then all its reports.
    rendered = [(RENDERERS[name](results, replace(context, color=use_color(color, target))), target)
                for name, target in options.formats]
    for text, target in rendered:
        emit(text, target)
    for note in baseline_notes:
        click.echo(note, err=True)  # standard error, so that JSON or SARIF output stays whole
    return exit_code(results, options.fail_on)
