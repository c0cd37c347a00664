"""What the audit report shows, assembled from audited check results.

:mod:`plaint.core.audit` computes (coverage, timing, hashes); this module turns
those results into the rows and words of :class:`~plaint.renderers.report.ReportData`
and draws each diagram; :mod:`plaint.renderers.report` lays them out as HTML.
Nothing here decides a finding or times a promise.
"""

from __future__ import annotations

from datetime import date, datetime

from plaint import __version__
from plaint.core.audit import FileAudit
from plaint.core.coverage import CoverageRow
from plaint.core.findings import Finding, Severity, json_pointer
from plaint.core.pipeline import FileResult
from plaint.core.promises import Promise
from plaint.core.run import EXIT_ERROR, EXIT_OK, exit_code
from plaint.core.timing import (
    PathStep,
    case_words,
    clock_words,
    measure_words,
    span,
    weekday,
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
)
from plaint.renderers.summary import counts

# -- assembling the report -------------------------------------------------------------------


def build_report(audits: list[FileAudit], fail_on: Severity, *, generated_at: datetime,
                 generated_at_source: str, today: date, today_given: bool,
                 config: str | None) -> tuple[ReportData, list[str]]:
    """What the report shows, and warnings for standard error (a diagram that could not be
    drawn leaves the rest of the report intact, and says so in both places)."""
    warnings: list[str] = []
    files = tuple(_file_report(index, item, fail_on, warnings)
                  for index, item in enumerate(audits, start=1))
    results = [item.result for item in audits]
    total = counts(results)
    data = ReportData(
        files=files, tool_version=__version__,
        generated_at=generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        generated_at_source=generated_at_source, fail_on=str(fail_on),
        today=today.isoformat(), today_given=today_given, config=config,
        verdict=_verdict(exit_code(results, fail_on)),
        counts={k: total[k] for k in ("error", "warning", "info", "waived")},
    )
    return data, warnings


def _verdict(code: int) -> str:
    return {EXIT_OK: "pass", EXIT_ERROR: "unreadable"}.get(code, "fail")


def _file_report(index: int, item: FileAudit, fail_on: Severity, warnings: list[str]) -> FileReport:
    result = item.result
    process = result.process
    steps = set(process.steps) if process is not None else set()
    prefix = f"f{index}-"
    rows = tuple(_finding_row(n, f, steps) for n, f in enumerate(result.findings, start=1))
    tally = counts([result])
    diagram_svg, diagram_note = _diagram(result, prefix, warnings)
    coverage_groups, coverage_note = _coverage(item.coverage, steps)
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
        packs=packs, sha256=item.sha256, sha256_note=item.sha256_note, config=item.config,
        stopped=_stopped(result),
        diagram_svg=diagram_svg, diagram_note=diagram_note,
        findings=rows,
        coverage=coverage_groups, coverage_note=coverage_note,
        timing=_timing(item),
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


def _diagram(result: FileResult, prefix: str, warnings: list[str]) -> tuple[str | None, str | None]:
    """The inline SVG, or why there is none."""
    if result.graph is None:
        return None, None
    from plaint.renderers.diagram import DiagramError, inline_svg

    try:
        return inline_svg(result, id_prefix=prefix), None
    except DiagramError as err:
        warnings.append(f"{result.path}: no diagram: {err}")
        return None, f"The diagram could not be drawn: {err}"


# -- coverage --------------------------------------------------------------------------------


def _coverage(rows: tuple[CoverageRow, ...] | None, steps: set[str]
              ) -> tuple[tuple[CoverageGroup, ...] | None, str | None]:
    if rows is None:
        return None, None
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


def _timing(item: FileAudit) -> TimingSection | None:
    if not item.analysed:
        return None
    if item.calendar_error is not None:
        return TimingSection(item.year, None, (), "The process's calendar cannot be used, so "
                                                  f"nothing was timed: {item.calendar_error}")
    rows = tuple(_timing_row(p) for p in item.promises or ())
    return TimingSection(item.year, item.calendar, rows, None)


def _path_row(step: PathStep) -> PathRow:
    name = step.step if step.round == 1 else f"{step.step} (round {step.round})"
    if step.start:
        return PathRow(name, "clock starts", "", clock_words(step.ends, True))
    takes = str(step.takes) if step.takes else "no 'takes' (counted as 0)"
    if step.timeout:
        takes += " (timeout)"
    return PathRow(name, takes, clock_words(step.begins, False), clock_words(step.ends, True))


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
    verdict += (f" Worst case: {span(worst, measure)}, ending {clock_words(worst.ends, True)}; "
                f"deadline the end of {deadline}.")
    margin = "—" if worst.margin is None else (
        ("−" if worst.margin < 0 else "") + measure_words(abs(worst.margin), measure))
    return TimingRow(
        **base,
        best=case_words(best, measure),
        worst=case_words(worst, measure),
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
