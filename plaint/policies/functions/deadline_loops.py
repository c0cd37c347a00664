"""Commitments whose timing is unknowable because of a loop without a bound.

A loop with no ``max`` on the way from a commitment's ``from`` point to its
``to`` point lets a complaint go round any number of times, so no worst case
exists and the promise cannot be checked. Reports each such commitment once,
naming the loop's steps (the loop itself is ``unbounded-loop`` of the
structural pack; this says which promises it makes uncheckable).
Parameters: ``why`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.calendar import CalendarError
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.core.timing import TimingError, analyse
from plaint.policies.functions._shared import because, params
from plaint.policies.functions._text import quoted
from plaint.policies.functions.commitments_met import promise

PARAMS = params({})


def check(process: Process, graph: ProcessGraph, *, why: str | None = None) -> Iterator[Hit]:
    for c in process.commitments:
        try:
            timing = analyse(graph, [c.start], [c.end], c.within, ids_first=True)
        except (CalendarError, TimingError):
            continue
        if timing.status == "unknowable":
            yield Hit(because(f"{promise(c)} cannot be checked: steps {quoted(timing.loop)} form "
                              "a loop with no bound ('max') on the way, so a complaint can go "
                              "round it any number of times", why), c.path, c.name)
