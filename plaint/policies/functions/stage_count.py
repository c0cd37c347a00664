"""How many stages a complaint can go through: at most, and on the longest route.

Counts the steps of ``stages`` (by default ``respond`` steps: each stage of a
procedure ends in a response) on the routes a complaint can take through
``next`` from a receive step. Reports:

- with ``at_most``: every stage step that a complaint can reach having
  already passed ``at_most`` stage steps (the first extra stage on some
  route), at the step's key; and every stage step on a loop (a complaint can
  go through that stage again, so the count has no fixed limit), at its key;
- with ``at_least``: the process once, at ``steps:``, when no route passes
  that many stage steps (the procedure has fewer stages than it must).

Computed on the strongly connected parts of the control flow in topological
order (the most stage steps that can precede each step): linear in the size
of the process, no path is enumerated.

Parameters:

- ``stages``: step kinds or ids that each count as a stage (default
  ``[respond]``).
- ``at_most``: no route may pass more stage steps than this.
- ``at_least``: some route must pass at least this many stage steps.
- ``why``: why it matters, added to the message.

Evidence: the stage steps a complaint can reach; not applicable when there is none.

Example: ``{stages: [respond], at_most: 2, at_least: 2}``: a procedure of
exactly two stages.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

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
from plaint.policies.functions._text import ordinal

PARAMS = params({
    "stages": names_param("The steps that each count as a stage (default: respond)."),
    "at_most": {"type": "integer", "minimum": 1,
                "description": "No route may pass more stage steps than this."},
    "at_least": {"type": "integer", "minimum": 1,
                 "description": "Some route must pass at least this many stage steps."},
}, required=[])


def _most_before(graph: ProcessGraph, stages: frozenset[str]) -> tuple[dict[str, int], set[str]]:
    """For each reachable step, the most stage steps a route can pass before and at it;
    and the stage steps that lie on a loop."""
    reachable = graph.reachable
    sub = graph.flow.subgraph(reachable)
    parts = nx.condensation(nx.DiGraph(sub))
    members = parts.graph["mapping"]  # step -> part
    weight: dict[int, int] = {}
    looped: set[str] = set()
    for part, data in parts.nodes(data=True):
        inside = data["members"]
        weight[part] = sum(1 for s in inside if s in stages)
        cyclic = len(inside) > 1 or any(sub.has_edge(s, s) for s in inside)
        if cyclic:
            looped |= {s for s in inside if s in stages}
    best: dict[int, int] = {}
    for part in nx.topological_sort(parts):
        before = max((best[p] for p in parts.predecessors(part)), default=0)
        best[part] = before + weight[part]
    return {step: best[members[step]] for step in reachable}, looped


def check(process: Process, graph: ProcessGraph, *, stages: list[str] | None = None,
          at_most: int | None = None, at_least: int | None = None,
          why: str | None = None) -> Iterator[Hit]:
    names = stages or ["respond"]
    chosen = graph.select(names)
    most, looped = _most_before(graph, chosen)
    if at_most is not None:
        for step in in_order(graph, chosen & most.keys()):
            if step.id in looped:
                yield Hit(because(f"{label(step)} is on a loop, so a complaint can go through "
                                  "this stage more than once", why),
                          step.path, step.id, key=True)
            elif most[step.id] > at_most:
                yield Hit(because(f"{label(step)} can be a complaint's {ordinal(most[step.id])} "
                                  f"stage ({describe(names)}); at most {at_most} are allowed",
                                  why),
                          step.path, step.id, key=True)
    if at_least is not None:
        longest = max(most.values(), default=0)
        if longest < at_least:
            yield Hit(because(f"no route through process '{process.id}' passes more than "
                              f"{longest} stage{'s' if longest != 1 else ''} "
                              f"({describe(names)}); it must have {at_least}", why),
                      ("steps",), "process", key=True)


def evidence(process: Process, graph: ProcessGraph, *, stages: list[str] | None = None,
             at_most: int | None = None, at_least: int | None = None,
             why: str | None = None) -> tuple[str, ...] | None:
    # The check counts only the stages on routes from a receive step (the reachable ones).
    return step_ids(graph, graph.select(stages or ["respond"]) & graph.reachable) or None
