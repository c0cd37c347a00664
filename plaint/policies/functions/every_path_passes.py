"""Every path from one kind of step to another passes a third.

For every step of ``to`` that a complaint can reach from a step of ``from``
without passing a step of ``through``, reports that step (at its key), naming
the step it can be reached from. Computed in one pass over the control flow
with the ``through`` steps taken out: no path is enumerated. Parallel work is
respected: a step with ``join: all`` counts as passed only when all the work
that meets there has avoided ``through``.

Parameters:

- ``from``, ``to``, ``through`` (required): step kinds or step ids.
- ``only_if_present``: stay silent when the process has no ``through`` step
  at all (for when another rule reports that it is missing). Default false.
- ``why``: why it matters, added to the message.

Evidence: the steps of ``through`` on the way from ``from`` to ``to``; not
applicable when no way leads from a ``from`` step to a ``to`` step.

Example: ``{from: [receive], to: [close], through: [acknowledge]}``: no
complaint is closed without having been acknowledged.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    because,
    between,
    describe,
    in_order,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "from": names_param("Where the paths start."),
    "to": names_param("Where the paths end."),
    "through": names_param("What every path must pass."),
    "only_if_present": {"type": "boolean", "default": False,
                        "description": "Stay silent when no 'through' step exists."},
}, required=["from", "to", "through"])


def check(process: Process, graph: ProcessGraph, *, why: str | None = None,
          only_if_present: bool = False, **names: list[str]) -> Iterator[Hit]:
    through = graph.select(names["through"])
    if only_if_present and not through:
        return
    reached = graph.reach_avoiding(graph.select(names["from"]), through)
    ends = graph.select(names["to"]) - through
    for step in in_order(graph, ends & reached.keys()):
        yield Hit(
            because(f"a complaint can go from '{reached[step.id]}' to '{step.id}' without "
                    f"passing {describe(names['through'])}", why),
            step.path, step.id, key=True,
        )


def evidence(process: Process, graph: ProcessGraph, *, why: str | None = None,
             only_if_present: bool = False, **names: list[str]) -> tuple[str, ...] | None:
    through = graph.select(names["through"])
    if only_if_present and not through:
        return None
    passed = through & between(graph, graph.select(names["from"]), graph.select(names["to"]))
    # Nothing passed while the check is silent: no way from 'from' reaches 'to' at all.
    return step_ids(graph, passed) or None
