"""Matters outside the process are routed out, not handled.

Uses ``process.scope.excludes`` and the steps' ``matters``. Reports:

- every step that is not a route out (a ``redirect`` or ``refer`` step) but is
  declared to deal with a matter the scope excludes, or with one of
  ``matters``, at that entry of its ``matters``;
- every matter that a route-out step sends elsewhere and the scope does not
  exclude, at that entry;
- once any step names ``matters`` (so the process says how it routes them):
  every matter of ``matters`` that ``scope.excludes`` lists and no route-out
  step sends elsewhere, at that entry of ``scope.excludes``.

A process that names no ``matters`` anywhere gets only the first two (which
then cannot fire).

Parameters:

- ``matters``: matters that must never be handled as steps of this process
  (default ``[employment, external-disputes]``, the matters ISO 10002 leaves
  out).
- ``route``: step kinds or ids that route a matter out (default
  ``[redirect, refer]``).
- ``why``: why it matters, added to the message.

Evidence: the route-out steps that send matters elsewhere (or, when none does, the
steps that name matters); not applicable when no step names ``matters``.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import (
    because,
    describe,
    label,
    names_param,
    params,
    step_ids,
)

PARAMS = params({
    "matters": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1,
                "uniqueItems": True, "description": "Matters never handled inside the process."},
    "route": names_param("The steps that route a matter out (default: redirect, refer)."),
})


def check(process: Process, graph: ProcessGraph, *, matters: list[str] | None = None,
          route: list[str] | None = None, why: str | None = None) -> Iterator[Hit]:
    outside = list(matters or ["employment", "external-disputes"])
    route = route or ["redirect", "refer"]
    routes = graph.select(route)
    excluded = set(process.excludes) | set(outside)
    sent: set[str] = set()
    for step in process.steps.values():
        for i, matter in enumerate(step.matters):
            where = (*step.path, "matters", i)
            if step.id in routes:
                sent.add(matter)
                if matter not in process.excludes:
                    yield Hit(because(f"{label(step)} sends '{matter}' out of process "
                                      f"'{process.id}', but its scope does not exclude it", why),
                              where, step.id)
            elif matter in excluded:
                yield Hit(because(f"{label(step)} is declared to deal with '{matter}', which "
                                  f"is outside process '{process.id}'", why),
                          where, step.id)
    if not any(step.matters for step in process.steps.values()):
        return
    for i, matter in enumerate(process.excludes):
        if matter in outside and matter not in sent:
            yield Hit(because(f"process '{process.id}' excludes '{matter}', but no "
                              f"{describe(route).removeprefix('a ').removeprefix('an ')} "
                              "sends it elsewhere (matters)", why),
                      ("process", "scope", "excludes", i), "process")


def evidence(process: Process, graph: ProcessGraph, *, matters: list[str] | None = None,
             route: list[str] | None = None, why: str | None = None) -> tuple[str, ...] | None:
    naming = [s.id for s in process.steps.values() if s.matters]
    if not naming:
        return None  # the process says nothing about matters, so nothing can be checked
    routes = graph.select(route or ["redirect", "refer"])
    return step_ids(graph, routes.intersection(naming)) or step_ids(graph, naming)
