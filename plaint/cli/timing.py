"""plaint timing: the best and worst case of every time promise, with the critical path."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from plaint import __version__
from plaint.cli.output import emit
from plaint.core.calendar import CalendarError
from plaint.core.findings import Severity
from plaint.core.promises import Promise, promises
from plaint.core.run import (
    EXIT_FINDINGS,
    EXIT_OK,
    CheckOptions,
    UserError,
    exit_code,
    run_check,
)
from plaint.core.timing import (
    Case,
    PathStep,
    Timing,
    as_of,
    calendar_of,
    case_words,
    clock_words,
    days_words,
    measure_words,
    reference_year,
    weekday,
    workdays_words,
)
from plaint.renderers import RENDERERS, RenderContext
from plaint.renderers.escape import printable


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
    document = {
        "tool": {"name": "plaint", "version": __version__},
        "file": result.path,
        "process": result.process.id,
        "title": result.process.title,
        "year": the_year,
        "calendar": {"description": calendar.describe(), "weekdays": list(calendar.weekdays),
                     "holidays": calendar.region, "receipt": calendar.receipt,
                     "closures": [{"from": c.first.isoformat(), "to": c.last.isoformat(),
                                   "reason": c.reason} for c in calendar.closures]},
        "commitments": [p.as_dict() for p in rows if p.kind == "commitment"],
        "deadlines": [p.as_dict() for p in rows if p.kind == "deadline"],
    }
    if fmt == "json":
        emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(_text(document, rows), output)
    return EXIT_FINDINGS if any(p.fails for p in rows) else EXIT_OK


# -- text -------------------------------------------------------------------------------------

STATUS_WORDS = {
    "kept": "kept", "broken": "BROKEN", "unknowable": "cannot be timed (a loop has no bound)",
    "no-path": "never reached", "no-from": "no 'from' step", "no-to": "no 'to' step",
    "error": "cannot be timed",
}


def _margin_words(case: Case | None, measure: str) -> str:
    if case is None or case.margin is None:
        return "-"
    text = measure_words(abs(case.margin), measure)
    return f"-{text}" if case.margin < 0 else text


def _table(header: list[str], lines: list[list[str]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    out = []
    for row in [header, *lines]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _path_table(path: tuple[PathStep, ...]) -> list[str]:
    lines = []
    for s in path:
        name = s.step if s.round == 1 else f"{s.step} (round {s.round})"
        if s.start:
            lines.append([name, "clock starts", "", clock_words(s.ends, True)])
            continue
        takes = str(s.takes) if s.takes else "no 'takes' (0)"
        if s.timeout:
            takes += " (timeout)"
        lines.append([name, takes, clock_words(s.begins, False), clock_words(s.ends, True)])
    return _table(["STEP", "TAKES", "STARTS", "ENDS"], lines, indent="    ")


def _text(document: dict[str, Any], rows: list[Promise]) -> str:
    out = [f"Timing of {document['file']}: {document['title']} ({document['process']})",
           f"Calendar: {document['calendar']['description']}",
           f"Start dates: every day of {document['year']}; the worst case is the start date "
           "with the least margin.", ""]
    if not rows:
        out.append("The process makes no commitments (process.commitments), and no regulator's "
                   "deadline is in force for it.")
        return _lines(out)
    table = []
    for row in rows:
        t: Timing | None = row.timing
        status = row.status
        measure = t.measure if t else "calendar days"
        worst = t.worst if t else None
        table.append([
            row.name, str(row.within),
            case_words(t.best if t else None, measure),
            case_words(worst, measure),
            worst.received.isoformat() if worst else "-",
            _margin_words(worst, measure),
            STATUS_WORDS[status],
        ])
    out += _table(["PROMISE", "WITHIN", "BEST CASE", "WORST CASE", "WORST START", "MARGIN",
                   "STATUS"], table)
    for row in rows:
        t = row.timing
        out.append("")
        what = (f"commitment '{row.name}'" if row.kind == "commitment"
                else f"deadline '{row.name}' ({row.pack}, {row.severity}): {row.label}")
        start = " or ".join(row.sources)
        end = " or ".join(row.targets)
        out.append(f"{what}: {row.within} from {start} to {end}")
        if t is None:
            out.append(f"  cannot be timed: {row.error}")
            continue
        if t.status == "unknowable":
            out.append("  cannot be timed: steps " + ", ".join(t.loop)
                       + " form a loop with no bound ('max') on the way")
            continue
        if t.status != "ok":
            out.append(f"  {STATUS_WORDS[t.status]}")
            continue
        assert t.worst is not None and t.best is not None
        measure = t.measure
        late = len(t.late_starts)
        verdict = ("kept for every start date" if not late else
                   f"BROKEN for {late} of the {t.starts} start dates"
                   + (f" (first {t.late_starts[0].isoformat()})" if late < t.starts else ""))
        out.append(f"  {verdict}")
        out.append(f"  best case:  {_span(t.best, measure)}, start date "
                   f"{weekday(t.best.received)}")
        out.append(f"  worst case: {_span(t.worst, measure)}, start date "
                   f"{weekday(t.worst.received)}; ends {clock_words(t.worst.ends, True)}, deadline "
                   f"{t.worst.deadline.isoformat() if t.worst.deadline else '-'} 24:00, margin "
                   f"{_margin_words(t.worst, measure)}")
        if t.missing:
            out.append("  steps without 'takes', counted as no time: " + ", ".join(t.missing))
        if t.approximate:
            out.append("  (loops with many bounded branches were counted together: an over-estimate)")
        out.append("  critical path (worst case):")
        out += _path_table(t.worst.path)
    return _lines(out)


def _lines(out: list[str]) -> str:
    # Titles, ids and reasons come from the spec: a line break, an escape sequence or a
    # bidi control in them must not reach the terminal or a CI log as such.
    return "".join(printable(line) + "\n" for line in out)


def _span(case: Case, measure: str) -> str:
    days = days_words(case.calendar_days)
    if measure == "working days":
        return f"{workdays_words(case.working_days)} ({days})"
    return days
