"""Loops with no bound.

Reports each loop of the control flow on which no transition carries
``max``, once, at a branch where a bound can go (only branches carry ``max``):
the first branch on the loop that goes back up the document, or else the
first branch on the loop. Loops that cannot reach a terminal step at all are left to
``trapped-loops``: a bound would not help them. Parameters: none.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process, Transition
from plaint.policies.functions._text import quoted


def _place(loop: frozenset[str], process: Process, graph: ProcessGraph) -> Transition | None:
    inside = [t for sid in sorted(loop, key=graph.order.__getitem__)
              for t in process.steps[sid].transitions
              if t.target in loop and t.form == "branch" and not t.bounded]
    back = [t for t in inside if graph.order[t.target] <= graph.order[t.source]]
    return (back or inside or [None])[0]


def check(process: Process, graph: ProcessGraph) -> Iterator[Hit]:
    for loop in sorted(graph.unbounded_cycles, key=lambda c: min(graph.order[s] for s in c)):
        if not loop & graph.coreachable:
            continue  # a trap: reported by trapped-loops
        where = _place(loop, process, graph)
        first = graph.first_in_document(loop)
        if len(loop) == 1:
            yield Hit(
                f"step '{first.id}' can repeat itself with no limit: its branch back to itself "
                "has no 'max'",
                where.path if where else first.path, first.id, key=where is None,
            )
            continue
        what = f"steps {quoted(sorted(loop))} form a loop with no limit: no transition on it has 'max'"
        if where is None:
            yield Hit(what, first.path, first.id, key=True)
        else:
            back = "back " if graph.order[where.target] <= graph.order[where.source] else ""
            yield Hit(f"{what} (the branch from '{where.source}' {back}to '{where.target}' "
                      "could carry one)", where.path, where.source)
