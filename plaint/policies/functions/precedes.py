"""One kind of step comes before another.

Reports every step of ``steps`` that a complaint can reach from a receive
step without first passing a step of ``before``, at the step's key. The same
one-pass analysis as ``every-path-passes`` (from the receive steps), with
parallel work respected at ``join: all`` steps.

Parameters:

- ``before`` (required): step kinds or ids that must come first.
- ``steps`` (required): step kinds or ids that must come after.
- ``only_if_present``: stay silent when the process has no ``before`` step at
  all. Default false.
- ``why``: why it matters, added to the message.

Evidence: the steps of ``before`` on the way to the steps of ``steps``, then those
steps; not applicable when no step of ``steps`` can be reached.

Example: ``{before: [acknowledge], steps: [investigate]}``: no complaint is
investigated before it has been acknowledged.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    because,
    describe,
    in_order,
    label,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "before": names_param("The steps that must come first."),
    "steps": names_param("The steps that must come after them."),
    "only_if_present": {"type": "boolean", "default": False,
                        "description": "Stay silent when no 'before' step exists."},
}, required=["before", "steps"])


def check(process: Process, graph: ProcessGraph, *, before: list[str], steps: list[str],
          only_if_present: bool = False, why: str | None = None) -> Iterator[Hit]:
    first = graph.select(before)
    if only_if_present and not first:
        return
    reached = graph.reach_avoiding(frozenset(graph.entries), first)
    for step in in_order(graph, (graph.select(steps) - first) & reached.keys()):
        yield Hit(
            because(f"{label(step)} can be reached from '{reached[step.id]}' without passing "
                    f"{describe(before)} first", why),
            step.path, step.id, key=True,
        )


def evidence(process: Process, graph: ProcessGraph, *, before: list[str], steps: list[str],
             only_if_present: bool = False, why: str | None = None) -> tuple[str, ...] | None:
    first = graph.select(before)
    if only_if_present and not first:
        return None
    after = (graph.select(steps) - first) & graph.reachable
    if not after:
        return None  # nothing that must come after: no order to show
    guards = first & graph.reachable & graph.reaches(after)
    return step_ids(graph, guards) + step_ids(graph, after)
