"""plaint report: one self-contained HTML file for auditors.

This module parses options and runs the stages: the check, the audit
(:mod:`plaint.core.audit`: coverage, timing, hashes), the report's data
(:mod:`plaint.renderers.report_data`) and its HTML (:mod:`plaint.renderers.report`).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime

import click

from plaint.cli.output import write_atomic
from plaint.core.audit import audit
from plaint.core.findings import Severity
from plaint.core.run import CheckOptions, UserError, exit_code, run_check
from plaint.renderers.report import render_report
from plaint.renderers.report_data import build_report

DEFAULT_OUTPUT = "report.html"


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", default=DEFAULT_OUTPUT, show_default=True, metavar="FILE",
              type=click.Path(dir_okay=False, allow_dash=True),
              help="The HTML file to write (atomically); '-' writes it to standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="The severity at or above which a finding fails a process "
                                      "(the report's PASS/FAIL, and exit 1).")
@click.option("--config", "-c", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration for every file, instead of the nearest .plaint.yaml.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date waivers expire against (default: today); its year is the year of "
                   "start dates in the timing analysis.")
@click.option("--generated-at", "generated_at", default=None, metavar="TIMESTAMP",
              help="The generation time shown in the run metadata, as ISO 8601 "
                   "(2026-12-01T09:30:00Z), for reproducible reports. Default: SOURCE_DATE_EPOCH "
                   "when set, else the current time.")
def report(paths: tuple[str, ...], output: str, fail_on: str, config: str | None,
           today: datetime | None, generated_at: str | None) -> int:
    """Write an HTML audit report of process specs: files, folders, or - for stdin.

    One self-contained file (no network needed, printable): a summary, the
    swimlane diagram with the findings on it, the findings, clause coverage,
    timing, waivers, and run metadata. The same input, --today and
    --generated-at give a byte-identical file.

    Exit status: 0 no findings at or above --fail-on; 1 findings; 2 a file
    could not be read (it is still in the report), or the command was used
    wrongly.
    """
    when, when_source = _generation_time(generated_at)
    as_of_day = today.date() if today else None
    threshold = Severity.parse(fail_on)
    options = CheckOptions(paths=list(paths), fail_on=threshold, config=config, today=as_of_day)
    results = run_check(options)
    the_day = as_of_day or date.today()
    audits = [audit(result, the_day, config) for result in results]
    data, warnings = build_report(audits, threshold, generated_at=when,
                                  generated_at_source=when_source, today=the_day,
                                  today_given=as_of_day is not None, config=config)
    for warning in warnings:
        click.echo(f"plaint report: {warning}", err=True)
    html = render_report(data)
    if output == "-":
        sys.stdout.write(html)
        sys.stdout.flush()
    else:
        try:
            write_atomic(output, html)
        except OSError as err:  # a read-only folder, a full disk: a message, not a traceback
            raise UserError(f"cannot write {output}: {err.strerror or err}") from None
        total = data.counts
        verdict = {"pass": "PASS", "fail": "FAIL"}.get(data.verdict, "FAIL, a file could not be read")
        click.echo(f"wrote {output}: {_plural(len(results), 'file')}, {verdict} "
                   f"({_plural(total['error'], 'error')}, {_plural(total['warning'], 'warning')}, "
                   f"{total['info']} info, {total['waived']} waived)")
    return exit_code(results, threshold)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# -- the generation time ---------------------------------------------------------------------


def _generation_time(given: str | None) -> tuple[datetime, str]:
    """--generated-at, else SOURCE_DATE_EPOCH (reproducible builds), else now; always UTC."""
    if given is not None:
        try:
            when = datetime.fromisoformat(given.strip())
        except ValueError:
            raise click.BadParameter(f"'{given}' is not an ISO 8601 time such as "
                                     "2026-12-01T09:30:00Z or 2026-12-01",
                                     param_hint="'--generated-at'") from None
        # A time without an offset is taken as UTC, so the report says the same everywhere.
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        return when.replace(microsecond=0), "given with --generated-at"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            when = datetime.fromtimestamp(int(epoch.strip()), UTC)
        except (ValueError, OverflowError, OSError):
            # reproducible-builds.org: a malformed value must stop the build, not be ignored.
            raise UserError(f"SOURCE_DATE_EPOCH is '{epoch}', not a number of seconds since "
                            "1970-01-01 UTC") from None
        return when, "from SOURCE_DATE_EPOCH"
    return datetime.now(UTC).replace(microsecond=0), "the time of the run"
