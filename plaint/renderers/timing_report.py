"""plaint timing's output: the document (its JSON) and the text for people.

Everything here only formats what the timing analysis found (plaint.core.promises and
plaint.core.timing); nothing is computed again.
"""

from __future__ import annotations

import json
from typing import Any

from plaint.core.calendar import Calendar
from plaint.core.pipeline import FileResult
from plaint.core.promises import Promise
from plaint.core.timing import (
    Case,
    PathStep,
    Timing,
    case_words,
    clock_words,
    days_words,
    measure_words,
    weekday,
    workdays_words,
)
from plaint.renderers.escape import printable


def timing_document(result: FileResult, calendar: Calendar, rows: list[Promise], year: int,
                    tool_version: str) -> dict[str, Any]:
    """The JSON document of ``plaint timing`` for one checked spec."""
    assert result.process is not None
    return {
        "tool": {"name": "plaint", "version": tool_version},
        "file": result.path,
        "process": result.process.id,
        "title": result.process.title,
        "year": year,
        "calendar": {"description": calendar.describe(), "weekdays": list(calendar.weekdays),
                     "holidays": calendar.region, "receipt": calendar.receipt,
                     "closures": [{"from": c.first.isoformat(), "to": c.last.isoformat(),
                                   "reason": c.reason} for c in calendar.closures]},
        "commitments": [p.as_dict() for p in rows if p.kind == "commitment"],
        "deadlines": [p.as_dict() for p in rows if p.kind == "deadline"],
    }


def render_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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


def render_text(document: dict[str, Any], rows: list[Promise]) -> str:
    """The timing document as text: a table of the promises, then each one in detail."""
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
