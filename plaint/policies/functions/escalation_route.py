"""After a decision, a complainant who is not satisfied has somewhere to go.

Reports every step of ``from`` from which no path through ``next`` reaches a
step of ``to``, unless the step tells the complainant one of ``or_tells``
(the route is outside the process, and the step signposts it). At the step's
key. One backward pass over the control flow: no path is enumerated.

Parameters:

- ``from``: step kinds or ids of the decisions (default ``[respond]``).
- ``to``: step kinds or ids of the routes onward (default ``[review, refer]``).
- ``or_tells``: values of ``tells`` that count as a route when the step gives
  them, e.g. ``[external-referral]`` (default: none).
- ``why``: why it matters, added to the message.

Evidence: the decisions, then the routes onward that they reach; not applicable
when there is no decision step.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    TELLS,
    because,
    describe,
    downstream,
    either,
    in_order,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "from": names_param("The decisions (default: respond)."),
    "to": names_param("The routes onward (default: review, refer)."),
    "or_tells": {"type": "array", "items": {"enum": TELLS}, "minItems": 1, "uniqueItems": True,
                 "description": "What a step may tell instead of leading to a route."},
}, required=[])


def check(process: Process, graph: ProcessGraph, *, or_tells: list[str] | None = None,
          why: str | None = None, **names: list[str]) -> Iterator[Hit]:
    onward = names.get("to") or ["review", "refer"]
    routed = graph.reaches(graph.select(onward))
    for step in in_order(graph, graph.select(names.get("from") or ["respond"]) - routed):
        if or_tells and set(or_tells) & set(step.tells):
            continue
        unless = f", and it does not tell the complainant {either(or_tells)}" if or_tells else ""
        yield Hit(because(f"no path from '{step.id}' reaches {describe(onward)}{unless}", why),
                  step.path, step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, or_tells: list[str] | None = None,
             why: str | None = None, **names: list[str]) -> tuple[str, ...] | None:
    decisions = graph.select(names.get("from") or ["respond"])
    if not decisions:
        return None
    onward = graph.select(names.get("to") or ["review", "refer"])
    # A decision that signposts the route (or_tells) shows it itself; it is listed already.
    routes = (onward - decisions) & downstream(graph, decisions)
    return step_ids(graph, decisions) + step_ids(graph, routes)
