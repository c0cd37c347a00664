"""plaint timing: the best and worst case of every time promise, with the critical path."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from plaint import __version__
from plaint.cli.output import emit
from plaint.core.calendar import CalendarError
from plaint.core.findings import Severity
from plaint.core.promises import promises
from plaint.core.run import (
    EXIT_FINDINGS,
    EXIT_OK,
    CheckOptions,
    UserError,
    exit_code,
    run_check,
)
from plaint.core.timing import as_of, calendar_of, reference_year
from plaint.renderers import RENDERERS, RenderContext
from plaint.renderers.timing_report import render_json, render_text, timing_document


@click.command()
@click.argument("path")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the output to this file (atomically) instead of standard output.")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration instead of the nearest .plaint.yaml (it decides which "
                   "regulators' deadlines are in force).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Today's date (default: the system date); its year is the year of start dates.")
@click.option("--year", type=click.IntRange(1900, 2999), default=None,
              help="The year whose every day is tried as a start date (default: the year of --today).")
def timing(path: str, fmt: str, output: str | None, config: str | None, today: datetime | None,
           year: int | None) -> int:
    """Worst and best case of each commitment in a process spec, with the critical path.

    Every day of one year is tried as the day the clock starts; the worst case
    is the start date that leaves the least margin. Regulators' deadlines in
    force for the process (rules that call 'deadline-met') are timed too.

    Exit status: 0 every promise is kept; 1 one is broken or cannot be timed
    (or the spec has errors); 2 the file could not be read, or the command was
    used wrongly.
    """
    if path != "-" and Path(path).is_dir():
        raise click.UsageError("plaint timing takes one spec file, not a folder")
    as_of_day = today.date() if today else None
    the_year = reference_year(year) if year else (as_of_day or date.today()).year
    with as_of(date(the_year, 1, 1) if year else as_of_day):
        options = CheckOptions(paths=[path], config=config, today=as_of_day)
        results = run_check(options)
        result = results[0]
        if result.process is None or result.graph is None:
            context = RenderContext(tool_version=__version__, packs=result.packs)
            click.echo(RENDERERS["text"](results, context), err=True, nl=False)
            click.echo("plaint timing: the spec has errors, so it cannot be timed", err=True)
            return exit_code(results, Severity.ERROR) or EXIT_FINDINGS
        try:
            calendar = calendar_of(result.graph)
        except CalendarError as err:
            raise UserError(f"{result.path}: the calendar cannot be used: {err}") from None
        rows = promises(result, the_year)
    document = timing_document(result, calendar, rows, the_year, __version__)
    emit(render_json(document) if fmt == "json" else render_text(document, rows), output)
    return EXIT_FINDINGS if any(p.fails for p in rows) else EXIT_OK
