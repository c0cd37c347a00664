"""Information flows from one kind of step to another.

Reports every step of ``from`` from which no chain of ``feeds`` links (one or
more, through any steps) reaches a step of ``to``, at the step's ``feeds``
(or at the step when it feeds nothing). One backward pass over the
information flow: no path is enumerated. Silent when there is no ``from``
step.

Parameters:

- ``from``, ``to`` (required): step kinds or ids, e.g. ``{from: [close], to:
  [analyse]}``.
- ``why``: why it matters, added to the message.

Evidence: the steps on the chains of ``feeds`` from ``from`` to ``to``; not
applicable when there is no ``from`` step.
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
    "from": names_param("Where the information comes from."),
    "to": names_param("Where it must arrive."),
}, required=["from", "to"])


def check(process: Process, graph: ProcessGraph, *, why: str | None = None,
          **names: list[str]) -> Iterator[Hit]:
    feeding = graph.reaches(graph.select(names["to"]), info=True)
    for step in in_order(graph, graph.select(names["from"]) - feeding):
        where = (*step.path, "feeds") if step.feeds else step.path
        yield Hit(because(f"no information flow (feeds) from '{step.id}' reaches "
                          f"{describe(names['to'])}", why),
                  where, step.id, key=True)


def evidence(process: Process, graph: ProcessGraph, *, why: str | None = None,
             **names: list[str]) -> tuple[str, ...] | None:
    sources = graph.select(names["from"])
    if not sources:
        return None
    return step_ids(graph, between(graph, sources, graph.select(names["to"]), info=True)) or None
