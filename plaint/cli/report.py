"""plaint report: one self-contained HTML file for auditors.

This module parses options, runs the check, and assembles what the report
shows from the results, the timing analysis (:mod:`plaint.core.promises`) and
the clause coverage (:mod:`plaint.core.coverage`) into a
:class:`~plaint.renderers.report.ReportData`; :mod:`plaint.renderers.report`
formats it. Nothing here decides a finding: the numbers come from ``plaint.core``.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from plaint import __version__
from plaint.cli.output import write_atomic
from plaint.core.calendar import CalendarError
from plaint.core.config import find_config
from plaint.core.coverage import CoverageRow, coverage
from plaint.core.findings import Finding, Severity, json_pointer
from plaint.core.pipeline import FileResult
from plaint.core.promises import Promise, promises
from plaint.core.run import EXIT_ERROR, EXIT_OK, CheckOptions, UserError, exit_code, run_check
from plaint.core.timing import (
    PathStep,
    amount,
    as_of,
    calendar_of,
    days_words,
    measure_words,
    span,
    weekday,
    workdays_words,
)
from plaint.renderers.report import (
    CoverageGroup,
    CoverageLine,
    CoverageRule,
    FileReport,
    FindingRow,
    PackRow,
    PathRow,
    ReportData,
    TimingRow,
    TimingSection,
    WaiverNote,
    WaiverRow,
    render_report,
)
from plaint.renderers.summary import counts

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
    data = build_report(results, threshold, generated_at=when, generated_at_source=when_source,
                        today=as_of_day, config=config)
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


# -- assembling the report -------------------------------------------------------------------


def build_report(results: list[FileResult], fail_on: Severity, *, generated_at: datetime,
                 generated_at_source: str, today: date | None, config: str | None) -> ReportData:
    """What the report shows, from the results of a check (and the analyses run on them)."""
    the_day = today or date.today()
    files = tuple(_file_report(index, result, fail_on, the_day, config)
                  for index, result in enumerate(results, start=1))
    total = counts(results)
    return ReportData(
        files=files, tool_version=__version__,
        generated_at=generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        generated_at_source=generated_at_source, fail_on=str(fail_on),
        today=the_day.isoformat(), today_given=today is not None, config=config,
        verdict=_verdict(exit_code(results, fail_on)),
        counts={k: total[k] for k in ("error", "warning", "info", "waived")},
    )


def _verdict(code: int) -> str:
    return {EXIT_OK: "pass", EXIT_ERROR: "unreadable"}.get(code, "fail")


def _file_report(index: int, result: FileResult, fail_on: Severity, today: date,
                 config: str | None) -> FileReport:
    process = result.process
    steps = set(process.steps) if process is not None else set()
    prefix = f"f{index}-"
    rows = tuple(_finding_row(n, f, steps) for n, f in enumerate(result.findings, start=1))
    tally = counts([result])
    sha, sha_note = _sha256(result)
    diagram_svg, diagram_note = _diagram(result, prefix)
    coverage_groups, coverage_note = _coverage(result, steps)
    pack_info = {p.id: p for p in result.rules.packs} if result.rules else {}
    packs = tuple(
        PackRow(pid, pack_info[pid].title if pid in pack_info else pid, version,
                pack_info[pid].effective if pid in pack_info else None,
                pack_info[pid].source if pid in pack_info else None)
        for pid, version in result.packs
    )
    return FileReport(
        index=index, path=result.path,
        title=process.title if process is not None else None,
        process_id=process.id if process is not None else None,
        process_version=process.version if process is not None else None,
        verdict=_verdict(exit_code([result], fail_on)),
        counts={k: tally[k] for k in ("error", "warning", "info", "waived")},
        packs=packs, sha256=sha, sha256_note=sha_note,
        config=_config_used(result.path, config),
        stopped=_stopped(result),
        diagram_svg=diagram_svg, diagram_note=diagram_note,
        findings=rows,
        coverage=coverage_groups, coverage_note=coverage_note,
        timing=_timing(result, today),
        waivers=_waivers(result),
    )


def _stopped(result: FileResult) -> str | None:
    """Why the later stages did not run for this file, in words (None: they all ran)."""
    if result.unreadable:
        fatal = next(f for f in result.findings if f.fatal)
        return (f"The file could not be read ({fatal.location()}: {fatal.message}), so nothing "
                "else was checked: no diagram, coverage or timing.")
    if result.process is None:
        return ("The spec does not follow the process spec format (see the findings), so the "
                "process could not be built: no diagram, coverage or timing.")
    if result.graph is None:
        return ("The spec names steps, roles or channels that are not defined (see the "
                "findings), so the process could not be analysed: no diagram, coverage or timing.")
    return None


def _finding_row(number: int, finding: Finding, steps: set[str]) -> FindingRow:
    waiver = finding.waiver
    return FindingRow(
        number=number, severity=str(finding.severity), waived=finding.waived, rule=finding.rule,
        pack=finding.pack, message=finding.message, hint=finding.hint, element=finding.element,
        step=finding.element if finding.element in steps else None,
        line=finding.span.line, column=finding.span.column,
        clauses=tuple(c.label() for c in finding.clauses), docs=finding.docs,
        waiver=WaiverNote(waiver.approved_by, waiver.reason, waiver.expires) if waiver else None,
    )


def _sha256(result: FileResult) -> tuple[str | None, str | None]:
    """The SHA-256 of the spec's bytes as they are on disk (of the text, for standard input)."""
    if result.path == "<stdin>":
        if result.document is None:
            return None, "standard input could not be read"
        digest = hashlib.sha256(result.document.text.encode("utf-8")).hexdigest()
        return digest, "of the text read from standard input, as UTF-8"
    try:
        return hashlib.sha256(Path(result.path).read_bytes()).hexdigest(), None
    except OSError as err:
        return None, f"the file could not be read: {err.strerror or err}"


def _config_used(path: str, config: str | None) -> str:
    """The configuration file the spec was checked with, as a path relative to here if it can be."""
    if config:
        return config
    if path == "<stdin>":
        found = find_config(Path.cwd())
    else:
        found = find_config(Path(path).parent)
    if found is None:
        return "none (built-in defaults)"
    try:
        return os.path.relpath(found)
    except ValueError:  # another drive, on Windows
        return str(found)


def _diagram(result: FileResult, prefix: str) -> tuple[str | None, str | None]:
    """The inline SVG, or why there is none. A diagram that cannot be drawn leaves the rest of
    the report intact: the report says so, and so does standard error."""
    if result.graph is None:
        return None, None
    from plaint.renderers.diagram import DiagramError, inline_svg

    try:
        return inline_svg(result, id_prefix=prefix), None
    except DiagramError as err:
        click.echo(f"plaint report: {result.path}: no diagram: {err}", err=True)
        return None, f"The diagram could not be drawn: {err}"


# -- coverage --------------------------------------------------------------------------------


def _coverage(result: FileResult, steps: set[str]
              ) -> tuple[tuple[CoverageGroup, ...] | None, str | None]:
    if result.graph is None:
        return None, None
    rows = coverage(result)
    if not rows:
        return None, "No standard or regulatory pack applies to this process, so there is no clause coverage."
    groups: dict[str, list[CoverageLine]] = {}
    packs: dict[str, str] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(_coverage_line(row, steps))
        packs.setdefault(row.group, row.pack)
    return tuple(CoverageGroup(title, packs[title], tuple(lines)) for title, lines in groups.items()), None


def _coverage_line(row: CoverageRow, steps: set[str]) -> CoverageLine:
    rules = tuple(
        CoverageRule(
            rule=r.rule, title=r.title, pack=r.pack, severity=str(r.severity), status=r.status,
            elements=r.elements, steps=tuple(e for e in r.elements if e in steps),
            findings=tuple(i + 1 for i in r.findings), note=r.error,
        )
        for r in row.rules
    )
    if row.clause is not None:
        # The group heading names the standard; the row names the topic and its clause number.
        clause = row.clause
        number = f" {clause.ref}" if clause.ref else ""
        flag = " (number not verified)" if clause.ref and not clause.verified else ""
        label, cited = clause.topic, f"{clause.source}{number}{flag}"
    else:
        label = row.label
        cited = "; ".join(c.label() for r in row.rules for c in r.clauses) or None
    elements = row.elements
    return CoverageLine(label=label, clause=cited, status=row.status, elements=elements,
                        steps=tuple(e for e in elements if e in steps), rules=rules)


# -- timing ----------------------------------------------------------------------------------

STATUS_WORDS = {
    "kept": "kept", "broken": "broken", "unknowable": "cannot be timed",
    "no-path": "never reached", "no-from": "no 'from' step", "no-to": "no 'to' step",
    "error": "cannot be timed",
}


def _timing(result: FileResult, today: date) -> TimingSection | None:
    graph = result.graph
    if graph is None:
        return None
    year = today.year
    try:
        calendar = calendar_of(graph)
    except CalendarError as err:
        return TimingSection(year, None, (), f"The process's calendar cannot be used, so nothing "
                                              f"was timed: {err}")
    with as_of(today):
        rows = tuple(_timing_row(p) for p in promises(result, year))
    return TimingSection(year, calendar.describe(), rows, None)


def _case_words(working: float, calendar_days: float, measure: str) -> str:
    if measure == "working days":
        return workdays_words(working)
    if measure == "hours":
        return amount(calendar_days * 24, "hours")
    return days_words(calendar_days)


def _clock(when: datetime, end: bool) -> str:
    """'2026-04-07 24:00' for the end of a day, else '2026-04-07 12:00' (as plaint timing)."""
    if end and when.hour == 0 and when.minute == 0:
        return f"{date.fromordinal(when.toordinal() - 1).isoformat()} 24:00"
    return when.strftime("%Y-%m-%d %H:%M")


def _path_row(step: PathStep) -> PathRow:
    name = step.step if step.round == 1 else f"{step.step} (round {step.round})"
    if step.start:
        return PathRow(name, "clock starts", "", _clock(step.ends, True))
    takes = str(step.takes) if step.takes else "no 'takes' (counted as 0)"
    if step.timeout:
        takes += " (timeout)"
    return PathRow(name, takes, _clock(step.begins, False), _clock(step.ends, True))


def _timing_row(promise: Promise) -> TimingRow:
    t = promise.timing
    status = promise.status
    points = f"from {' or '.join(promise.sources)} to {' or '.join(promise.targets)}"
    base = dict(kind=promise.kind, name=promise.name, label=promise.label, pack=promise.pack,
                severity=promise.severity, within=str(promise.within), points=points,
                status=status, status_words=STATUS_WORDS.get(status, status))
    if t is None:
        return TimingRow(**base, best="—", worst="—", worst_start="—", margin="—",
                         verdict=f"cannot be timed: {promise.error}", notes=(), path=())
    notes: list[str] = []
    if t.status == "unknowable":
        notes.append("steps " + ", ".join(t.loop) + " form a loop with no bound ('max') on the way")
    if t.missing:
        notes.append("steps without 'takes', counted as taking no time: " + ", ".join(t.missing))
    if t.approximate:
        notes.append("loops with many bounded branches were counted together: an over-estimate")
    if t.status != "ok" or t.worst is None or t.best is None:
        return TimingRow(**base, best="—", worst="—", worst_start="—", margin="—",
                         verdict=STATUS_WORDS.get(status, status), notes=tuple(notes), path=())
    measure = t.measure
    worst, best = t.worst, t.best
    late = len(t.late_starts)
    if not late:
        verdict = f"Kept for every one of the {t.starts} start dates of {t.year}."
    else:
        first = f" (the first is {weekday(t.late_starts[0])})" if late < t.starts else ""
        verdict = f"Broken for {late} of the {t.starts} start dates of {t.year}{first}."
    deadline = worst.deadline.isoformat() if worst.deadline else "—"
    verdict += (f" Worst case: {span(worst, measure)}, ending {_clock(worst.ends, True)}; "
                f"deadline the end of {deadline}.")
    margin = "—" if worst.margin is None else (
        ("−" if worst.margin < 0 else "") + measure_words(abs(worst.margin), measure))
    return TimingRow(
        **base,
        best=_case_words(best.working_days, best.calendar_days, measure),
        worst=_case_words(worst.working_days, worst.calendar_days, measure),
        worst_start=weekday(worst.received), margin=margin, verdict=verdict,
        notes=tuple(notes), path=tuple(_path_row(s) for s in worst.path),
    )


# -- waivers ---------------------------------------------------------------------------------


def _under(pointer: str, base: str) -> bool:
    return pointer == base or pointer.startswith(base + "/")


def _waivers(result: FileResult) -> tuple[WaiverRow, ...]:
    """Each waiver of the spec with its state, from the findings the check made about it."""
    process = result.process
    if process is None or result.graph is None:
        return ()
    about = {"waiver-expired": "expired", "waiver-unused": "unused",
             "waiver-unknown-rule": "unknown-rule"}
    out = []
    for waiver in process.waivers:
        base = json_pointer(waiver.path)
        state, numbers = "applied", []
        for n, f in enumerate(result.findings, start=1):
            if f.rule in about and _under(f.pointer, base):
                state, numbers = about[f.rule], [n]
                break
        if state == "applied":
            numbers = [n for n, f in enumerate(result.findings, start=1)
                       if f.waiver is not None and f.waiver.rule == waiver.rule
                       and f.waiver.target == waiver.at and f.waiver.reason == waiver.reason
                       and f.waiver.approved_by == waiver.approved_by]
        out.append(WaiverRow(rule=waiver.rule, element=waiver.at, reason=waiver.reason,
                             approved_by=waiver.approved_by, expires=waiver.expires,
                             ticket=waiver.ticket, state=state, findings=tuple(numbers)))
    return tuple(out)
