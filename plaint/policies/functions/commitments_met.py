"""The process keeps its own published time promises (``process.commitments``).

For each commitment, works out the slowest way from its ``from`` point to its
``to`` point, as ``deadline-met`` does (on the process's calendar, for every
start date of the reference year, bounded loops taken as often as allowed,
parallel work waiting for the slowest branch), and reports the commitment
when that can take longer than its ``within``: the message names the promise,
the worst case, the start date that gives it, and the critical path step by
step with durations. A commitment whose ``from`` never leads to its ``to`` is
reported too. A ``from`` or ``to`` that is the id of a step means that step
only; otherwise every step of that kind.

Commitments whose timing is unknowable (a loop without a bound on the way)
are left to ``deadline-loops``; a calendar that cannot be built is left to
``calendar-valid``. Parameters: ``why`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.calendar import CalendarError
from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Commitment, Process
from plaint.core.timing import TimingError, analyse, breach, missing_words
from plaint.policies.functions._shared import because, params

PARAMS = params({})


def promise(c: Commitment) -> str:
    """"commitment 'final-response' (8 weeks from receive to respond)"."""
    return f"commitment '{c.name}' ({c.within} from {c.start} to {c.end})"


def check(process: Process, graph: ProcessGraph, *, why: str | None = None) -> Iterator[Hit]:
    for c in process.commitments:
        try:
            timing = analyse(graph, [c.start], [c.end], c.within, ids_first=True)
        except CalendarError:
            return
        except TimingError as err:
            yield Hit(because(f"{promise(c)} cannot be checked: {err}", why), c.path, c.name)
            continue
        if timing.status == "no-path":
            yield Hit(because(f"{promise(c)} can never be kept: no way through the process "
                              f"leads from '{c.start}' to '{c.end}'", why), c.path, c.name)
        elif timing.status == "ok" and timing.breaks:
            yield Hit(because(f"{promise(c)} can be broken {breach(timing, graph)}"
                              f"{missing_words(timing)}", why),
                      (*c.path, "within"), c.name)
