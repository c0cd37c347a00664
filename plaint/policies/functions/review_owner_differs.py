"""A review is owned by a different role from the decision it reviews.

For every step of ``review``, looks at the steps of ``decision`` that lead to
it: those from which it can be reached through ``next`` without passing
another review (the latest decision before the review). Reports the review,
at its ``owner``, when one of them has the same owner. One pass over the
control flow per role that owns a decision: no path is enumerated.

Parameters:

- ``review``: step kinds or ids of the reviews (default ``[review]``).
- ``decision``: step kinds or ids of the decisions (default ``[respond]``).
- ``why``: why it matters, added to the message.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaint.core.findings import Hit
from plaint.core.graph import ProcessGraph
from plaint.core.model import Process
from plaint.policies.functions._shared import because, in_order, label, names_param, params

PARAMS = params({
    "review": names_param("The review steps (default: review)."),
    "decision": names_param("The decision steps (default: respond)."),
})


def check(process: Process, graph: ProcessGraph, *, review: list[str] | None = None,
          decision: list[str] | None = None, why: str | None = None) -> Iterator[Hit]:
    reviews = graph.select(review or ["review"])
    decisions = graph.select(decision or ["respond"]) - reviews
    grouped: dict[str, set[str]] = {}
    for sid in decisions:
        owner = process.steps[sid].owner
        if owner is not None:
            grouped.setdefault(owner, set()).add(sid)
    by_owner = {owner: frozenset(ids) for owner, ids in grouped.items()}
    for step in in_order(graph, reviews):
        sources = by_owner.get(step.owner or "")
        if not sources:
            continue
        reached = graph.reach_avoiding(sources, reviews)
        for pred in sorted(graph.flow.predecessors(step.id), key=graph.order.__getitem__):
            origin = pred if pred in sources else reached.get(pred)
            if origin is not None:
                yield Hit(because(f"{label(step)} is owned by '{step.owner}', which also owns "
                                  f"'{origin}', the decision it reviews", why),
                          (*step.path, "owner"), step.id)
                break
