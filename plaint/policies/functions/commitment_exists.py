"""A published time promise exists for a given point of the process.

Looks for a commitment whose ``to`` is one of ``to`` (a step kind or id), or
names a step that is; with ``from``, its ``from`` must match likewise.
Reports the process once, at ``commitments:`` (or ``process:``) when there is
none. How long the promise is, and whether the process keeps it, is for the
timing analysis.

Parameters:

- ``to`` (required): step kinds or ids where the clock must stop.
- ``from``: step kinds or ids where it must start (default: anywhere).
- ``why``: why it matters, added to the message.

Evidence: the steps where the clock of a matching commitment starts and stops
(the process, when they name kinds no step has).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Commitment, Process
from plaint.core.timing import points
from plaint.policies.functions._shared import because, describe, names_param, params, unique

PARAMS = params({
    "to": names_param("Where the clock of the promise stops."),
    "from": names_param("Where it starts (default: anywhere)."),
}, required=["to"])


def _matches(point: str, names: list[str], process: Process) -> bool:
    step = process.steps.get(point)
    return point in names or (step is not None and step.kind in names)


def _matching(process: Process, to: list[str], start: list[str] | None) -> list[Commitment]:
    return [c for c in process.commitments
            if _matches(c.end, to, process) and (start is None or _matches(c.start, start, process))]


def check(process: Process, graph: ProcessGraph, *, why: str | None = None,
          **names: list[str]) -> Iterator[Hit]:
    start = names.get("from")
    if _matching(process, names["to"], start):
        return
    since = f" from {describe(start)}" if start else ""
    where = ("process", "commitments") if process.commitments else ("process",)
    yield Hit(because(f"process '{process.id}' has no commitment (a published time promise)"
                      f"{since} to {describe(names['to'])}", why),
              where, "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, why: str | None = None,
             **names: list[str]) -> tuple[str, ...] | None:
    found = _matching(process, names["to"], names.get("from"))
    if not found:
        return None
    # A commitment names its points as commitments do: a step id means that step only.
    shown = unique(s for c in found for point in (c.start, c.end)
                   for s in sorted(points(graph, [point], ids_first=True), key=graph.order.__getitem__))
    return shown or ("process",)
