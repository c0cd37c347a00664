"""Steps on the way of a published time promise say how long they take.

Timing analysis counts a step without ``takes`` as taking no time, which
makes a promise look safer than it is. Reports every step on some way from a
commitment's ``from`` point to its ``to`` point (after the clock starts, up to
and including the step where it stops) that has no ``takes``, once, at the
step, naming the commitments it affects. ``receive`` steps are left alone: a
complaint arrives in an instant. Parameters: ``why`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.calendar import CalendarError
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.core.timing import TimingError, analyse
from plaint.policies.functions._shared import because, label, params
from plaint.policies.functions._text import quoted

PARAMS = params({})


def check(process: Process, graph: ProcessGraph, *, why: str | None = None) -> Iterator[Hit]:
    affected: dict[str, list[str]] = {}
    for c in process.commitments:
        try:
            timing = analyse(graph, [c.start], [c.end], c.within, ids_first=True)
        except (CalendarError, TimingError):
            continue
        for sid in timing.missing:
            names = affected.setdefault(sid, [])
            if c.name not in names:
                names.append(c.name)
    for sid in sorted(affected, key=graph.order.__getitem__):
        step = process.steps[sid]
        names = affected[sid]
        which = f"commitment{'s' if len(names) > 1 else ''} {quoted(names)}"
        yield Hit(because(f"{label(step)} has no 'takes', but it is on the way of {which}, so "
                          "timing counts it as taking no time", why),
                  step.path, sid, key=True)
