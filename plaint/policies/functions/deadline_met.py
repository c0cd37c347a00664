"""A deadline between two points of the process is met on every way through it.

The generic time check that regulatory packs call ("final response within 8
weeks of receipt"). The clock starts when a ``from`` step is done (the first
one a complaint reaches: for a ``receive`` step, when the complaint arrives)
and stops when the first ``to`` step on the complaint's way is done; the
deadline is met when every way from a ``from`` step reaches a ``to`` step in
time, so the latest of them decides. Ways that leave the process without reaching a ``to`` step (a
redirect, say) are not timed. Timing is worked out on the process's own
calendar (its working days, public holidays, closures and receipt
convention) for a complaint started on every day of the reference year (the
year of ``--today``), with bounded loops taken as often as their ``max``
allows, parallel work waiting for its slowest branch, and choices taking the
slowest branch. Steps with no ``takes`` count as taking no time (the message
names them when the deadline is missed).

Reports at the ``to`` step of the slowest way, with the start date that
gives it, how long it takes, and the critical path step by step. A loop with
no bound on the way makes the time unknowable: reported at a step of the
loop. With ``only_if_present: false`` (the default), a process with no step
of ``from`` or of ``to`` is reported at the process; with ``true``, it is
left alone (the deadline applies only where such steps exist).

Parameters:

- ``from`` (required): step kinds or ids where the clock starts.
- ``to`` (required): step kinds or ids where it stops.
- ``within`` (required): the deadline, a duration such as ``8 weeks``,
  ``3 working days``, ``30 calendar days``, ``24 hours`` or ``6 months``.
  Working days are the process's own (``process.calendar``).
- ``only_if_present``: stay silent when the process has no ``from`` or no
  ``to`` step (default ``false``).
- ``label``: the deadline's name in messages, e.g. ``FCA DISP 1.6.2R final
  response within 8 weeks``.
- ``why``: why it matters, added to the message.

Evidence: the ``from`` and ``to`` steps that the timing found (the same analysis,
cached on the graph); not applicable when they are absent with ``only_if_present``,
or when the calendar cannot be built (``calendar-valid`` reports it).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.calendar import CalendarError
from plaint.core.durations import parse_duration
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.core.timing import TimingError, analyse, breach, missing_words
from plaint.policies.functions._shared import (
    DURATION_PATTERN,
    STEP_KINDS,
    because,
    describe,
    either,
    names_param,
    params,
    unique,
)
from plaint.policies.functions._text import quoted

PARAMS = params({
    "from": names_param("Where the clock starts (when such a step is done)."),
    "to": names_param("Where it stops (when the first such step on the way is done)."),
    "within": {"type": "string", "pattern": DURATION_PATTERN,
               "description": "The deadline, e.g. '8 weeks', '3 working days', '24 hours'."},
    "only_if_present": {"type": "boolean", "default": False,
                        "description": "Stay silent when the process has no 'from' or no 'to' step."},
    "label": {"type": "string", "minLength": 1,
              "description": "The deadline's name in messages, e.g. 'FCA DISP 1.6.2R final "
                             "response within 8 weeks'."},
}, required=["from", "to", "within"])


def _no(names: list[str]) -> str:
    """"'refer' step", "step 'x'", "'refer' step or step 'x'" (after "has no")."""
    kinds = [n for n in names if n in STEP_KINDS]
    ids = [n for n in names if n not in STEP_KINDS]
    parts = ([f"{either(kinds)} step"] if kinds else []) + ([f"step {either(ids)}"] if ids else [])
    return " or ".join(parts)


def check(process: Process, graph: ProcessGraph, *, within: str, only_if_present: bool = False,
          label: str | None = None, why: str | None = None, **points: list[str]) -> Iterator[Hit]:
    start, end = points["from"], points["to"]
    limit = parse_duration(within)
    name = label or f"the deadline of {limit} from {describe(start)} to {describe(end)}"
    try:
        timing = analyse(graph, start, end, limit)
    except CalendarError:
        return  # calendar-valid reports the calendar
    except TimingError as err:
        yield Hit(because(f"{name} cannot be checked for process '{process.id}': {err}", why),
                  ("steps",), "process", key=True)
        return
    if timing.status in ("no-from", "no-to"):
        if only_if_present:
            return
        missing, role = (start, "starts") if timing.status == "no-from" else (end, "stops")
        yield Hit(because(f"process '{process.id}' has no {_no(missing)}, where the clock "
                          f"of {name} {role}", why), ("steps",), "process", key=True)
    elif timing.status == "no-path":
        yield Hit(because(f"in process '{process.id}' no way from {describe(start)} reaches "
                          f"{describe(end)}, so {name} is never met", why),
                  ("steps",), "process", key=True)
    elif timing.status == "unknowable":
        first = timing.loop[0]
        yield Hit(because(f"{name} cannot be checked: steps {quoted(timing.loop)} form a loop "
                          "with no bound ('max') on the way, so a complaint can go round it "
                          "any number of times", why),
                  process.steps[first].path, first, key=True)
    elif timing.breaks:
        assert timing.worst is not None
        last = timing.worst.path[-1].step
        yield Hit(because(f"{name} can be missed {breach(timing, graph)}"
                          f"{missing_words(timing)}", why),
                  process.steps[last].path, last, key=True)


def evidence(process: Process, graph: ProcessGraph, *, within: str, only_if_present: bool = False,
             label: str | None = None, why: str | None = None,
             **points: list[str]) -> tuple[str, ...] | None:
    try:
        timing = analyse(graph, points["from"], points["to"], parse_duration(within))
    except (CalendarError, TimingError):
        return None
    if timing.status != "ok" or timing.breaks:
        return None  # the check reports these (or, with only_if_present, the rule does not apply)
    return unique((*timing.sources, *timing.targets))
